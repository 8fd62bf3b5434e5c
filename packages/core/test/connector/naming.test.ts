/**
 * Identifiers echoed in the client's own form (DESIGN §3, §8; issue 12 item 3): devices the way
 * the client named them in MonitorStart, agents the way the client named them in its request. A
 * link that never named the agent gets it in the form its monitor uses: a number for a desk
 * watched by number, the short user id otherwise.
 */
import { describe, expect, it } from 'vitest';
import { ask, eventsSince, login, mark, monitor, newWorld, outcomeOf, setState, view } from './support/world.js';

/** A world in which desk-107 and agent-007 were read once (their numbers known from profiles). */
function warmWorld() {
  const w = newWorld();
  ask(w, { service: 'GetAgentState', device: 'desk-107' }, 'warm-up');
  ask(w, { service: 'GetAgentState', device: 'agent-007' }, 'warm-up');
  return w;
}

describe('events and answers name devices and agents the way the client did', () => {
  it('a login with device 2107 and agentID 3007 is reported as 2107 / 3007 on the monitor of 2107', () => {
    const w = warmWorld();
    const m1 = monitor(w, '2107');
    const m = mark(w);
    expect(outcomeOf(ask(w, login('2107', '3007')))).toBe('response:SetAgentStateResponse');
    expect(eventsSince(w, m, m1)).toEqual(['ForwardingEvent 2107 true 3007', 'AgentLoggedOnEvent 2107 3007', 'AgentNotReadyEvent 2107 3007']);
  });

  it('GetAgentState 2107 answers agentID in the form the link used for the agent', () => {
    const w = warmWorld();
    ask(w, login('2107', '3007'));
    const a = ask(w, { service: 'GetAgentState', device: '2107' });
    expect(a.kind === 'response' && a.response.service === 'GetAgentStateResponse' && a.response.agentStateList[0]!.agentID).toBe('3007');
    // The desk's own agent, asked for by number, comes back as that number.
    const own = ask(w, { service: 'GetAgentState', device: '2108' }, 'other');
    expect(own.kind === 'response' && own.response.service === 'GetAgentStateResponse' && own.response.agentStateList[0]!.agentID).toBe('2108');
  });

  it('each link sees its own forms: by user id on one link, by number on another that never named the agent', () => {
    const w = warmWorld();
    const byName = monitor(w, 'desk-107', 'names');
    const byNumber = monitor(w, '2107', 'numbers');
    const m = mark(w);
    expect(outcomeOf(ask(w, login('desk-107', 'agent-007@example.com'), 'names'))).toBe('response:SetAgentStateResponse');
    expect(eventsSince(w, m, byName)).toEqual(['ForwardingEvent desk-107 true 3007', 'AgentLoggedOnEvent desk-107 agent-007@example.com', 'AgentNotReadyEvent desk-107 agent-007@example.com']);
    expect(eventsSince(w, m, byNumber)).toEqual(['ForwardingEvent 2107 true 3007', 'AgentLoggedOnEvent 2107 3007', 'AgentNotReadyEvent 2107 3007']);
    const later = mark(w);
    expect(outcomeOf(ask(w, setState('2107', 'ready'), 'numbers'))).toBe('response:SetAgentStateResponse');
    expect(eventsSince(w, later, byNumber)).toEqual(['AgentReadyEvent 2107 3007']);
    expect(eventsSince(w, later, byName)).toEqual(['AgentReadyEvent desk-107 agent-007@example.com']);
  });

  it('on a fresh connector, with no request before: MonitorStart 2107, login 2107 / 3007 — associated, and reported as 2107 / 3007', () => {
    const w = newWorld();
    const m1 = monitor(w, '2107');
    const m = mark(w);
    expect(outcomeOf(ask(w, login('2107', '3007')))).toBe('response:SetAgentStateResponse');
    expect(view(w, 'agent-007').hotelingGuest?.hostUserId).toBe('desk-107@example.com');
    expect(eventsSince(w, m, m1)).toEqual(['ForwardingEvent 2107 true 3007', 'AgentLoggedOnEvent 2107 3007', 'AgentNotReadyEvent 2107 3007']);
  });

  it('a closed link forgets its forms (state stays bounded by the links that are open)', () => {
    const w = warmWorld();
    monitor(w, '2107', 'gone');
    w.closeLink('gone');
    w.runUntilQuiet();
    expect(JSON.stringify(w.connector)).not.toContain('"gone"');
  });
});
