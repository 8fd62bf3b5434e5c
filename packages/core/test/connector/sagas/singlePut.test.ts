/**
 * DESIGN §4.3 Plain agent (no hoteling): one PUT CallCenter on the device, answered after its
 * 200; a desk with a guest and no agentID means the guest.
 */
import { describe, expect, it } from 'vitest';
import { ask, commandsSince, eventsSince, isPut, login, mark, monitor, newWorld, outcomeOf, runWithFault, send, setState, view, answerTo, directoryWith } from '../support/world.js';

describe('§4.3 plain agent', () => {
  it('SetAgentState without agentID → exactly one PUT CallCenter on the device, then the response', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    const m = mark(w);
    const invokeId = send(w, setState('desk-101', 'ready'));
    w.runUntilQuiet();
    expect(commandsSince(w, m)).toEqual(['PUT CallCenter desk-101 Available']);
    const put = w.commands.at(-1)!;
    const a = answerTo(w, invokeId)!;
    expect(outcomeOf(a)).toBe('response:SetAgentStateResponse');
    expect(a.at).toBeGreaterThan(put.at); // after the 200, not before
    expect(view(w, 'desk-101').agentACDState).toBe('Available');
  });

  it('agentID naming the device\'s own user is the same plain request', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    const m = mark(w);
    expect(outcomeOf(ask(w, setState('desk-101', 'workingAfterCall', 'desk-101@example.com')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m)).toEqual(['PUT CallCenter desk-101 Wrap-Up']);
  });

  it('a plain loggedOn lands Unavailable (not-ready)', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    const m = mark(w);
    expect(outcomeOf(ask(w, setState('desk-101', 'loggedOn')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m)).toEqual(['PUT CallCenter desk-101 Unavailable']);
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOnEvent desk-101 desk-101', 'AgentNotReadyEvent desk-101 desk-101']);
  });

  it('a desk hosting a guest and no agentID → the request applies to the guest', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-102');
    expect(outcomeOf(ask(w, login('desk-102', 'agent-002')))).toBe('response:SetAgentStateResponse');
    const m = mark(w);
    expect(outcomeOf(ask(w, setState('desk-102', 'ready')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m)).toEqual(['PUT CallCenter agent-002 Available']);
    expect(view(w, 'agent-002').agentACDState).toBe('Available');
    expect(view(w, 'desk-102').agentACDState).toBe('Sign-Out');
    expect(eventsSince(w, m, id)).toEqual(['AgentReadyEvent desk-102 agent-002']);
  });

  it('a desk whose user has no Call Center service → invalidDeviceID, nothing sent', () => {
    const w = newWorld({ directory: directoryWith((u) => { delete u.get('desk-105')!.callCenter; }) });
    monitor(w, 'desk-105');
    const m = mark(w);
    expect(outcomeOf(ask(w, setState('desk-105', 'ready')))).toBe('error:operation/invalidDeviceID');
    expect(commandsSince(w, m)).toEqual([]);
  });

  it('a PUT never answered: the saga timeout answers networkOutOfService within saga+step timeout (I6), never a success', () => {
    const w = newWorld();
    const invokeId = send(w, setState('desk-101', 'ready'));
    const start = w.now;
    runWithFault(w, { match: isPut('PUT CallCenter', 'desk-101'), outcome: 'lost', times: Infinity }, 20_000);
    const a = answerTo(w, invokeId)!;
    expect(outcomeOf(a)).toBe('error:systemResourceAvailibility/networkOutOfService');
    expect(a.at - start).toBeGreaterThanOrEqual(10_000);
    expect(a.at - start).toBeLessThanOrEqual(15_000);
    expect(view(w, 'desk-101').agentACDState).toBe('Sign-Out');
  });
});
