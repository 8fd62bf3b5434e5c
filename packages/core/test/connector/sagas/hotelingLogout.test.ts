/**
 * DESIGN §4.5 Hoteling logout: order 1 → 2 → 3, forwarding restored to its pre-login value
 * unless changed elsewhere meanwhile, nothing sent when there is nothing to undo, and a logout
 * that cannot finish becomes repair work that completes later.
 */
import { describe, expect, it } from 'vitest';
import {
  answerTo, ask, commandsSince, directoryWith, eventsSince, isPut, login, logout, mark, monitor, newWorld, outcomeOf, runWithFault, send, view,
} from '../support/world.js';

describe('§4.5 hoteling logout', () => {
  it('order: sign the guest out, restore the host\'s forwarding, release; then response and events', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-110');
    ask(w, login('desk-110', 'agent-001'));
    const m = mark(w);
    expect(outcomeOf(ask(w, logout('desk-110', 'agent-001')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([
      'PUT CallCenter agent-001 Sign-Out',
      'PUT CallForwardingAlways desk-110 active=false to=null',
      'PUT HotelingGuest agent-001 host=null',
    ]);
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOffEvent desk-110 agent-001', 'ForwardingEvent desk-110 false']);
    expect(view(w, 'agent-001')).toMatchObject({ agentACDState: 'Sign-Out' });
    expect(view(w, 'agent-001').hotelingGuest?.hostUserId).toBeUndefined();
    expect(view(w, 'desk-110').forwarding?.active).toBe(false);
  });

  it('without agentID: logs out the guest currently on the desk', () => {
    const w = newWorld();
    ask(w, login('desk-101', 'agent-001'));
    const m = mark(w);
    expect(outcomeOf(ask(w, logout('desk-101')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([
      'PUT CallCenter agent-001 Sign-Out',
      'PUT CallForwardingAlways desk-101 active=false to=null',
      'PUT HotelingGuest agent-001 host=null',
    ]);
  });

  it('a host that had forwarding active before the login gets it back', () => {
    const w = newWorld({ directory: directoryWith((u) => { u.get('desk-104')!.forwarding = { active: true, forwardToPhoneNumber: '5551234', ringSplash: false }; }) });
    ask(w, login('desk-104', 'agent-004'));
    expect(view(w, 'desk-104').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3004' });
    const m = mark(w);
    ask(w, logout('desk-104', 'agent-004'));
    expect(commandsSince(w, m, { putsOnly: true })).toContain('PUT CallForwardingAlways desk-104 active=true to=5551234');
    expect(view(w, 'desk-104').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '5551234' });
  });

  it('a forwarding changed elsewhere after the login is not restored: that change wins', () => {
    const w = newWorld();
    ask(w, login('desk-101', 'agent-001'));
    w.external({ kind: 'setForwarding', userId: 'desk-101@example.com', active: true, forwardToPhoneNumber: '7777' });
    w.runUntilQuiet();
    const m = mark(w);
    expect(outcomeOf(ask(w, logout('desk-101', 'agent-001')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual(['PUT CallCenter agent-001 Sign-Out', 'PUT HotelingGuest agent-001 host=null']);
    expect(view(w, 'desk-101').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '7777' });
  });

  it('no association and the agent signed out → positive response, nothing sent', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    monitor(w, 'agent-001');
    const m = mark(w);
    expect(outcomeOf(ask(w, logout('desk-101', 'agent-001')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m)).toEqual([]);
  });

  it('a logout that cannot finish answers an error by the deadline and completes later as repair work', () => {
    const w = newWorld();
    ask(w, login('desk-101', 'agent-001'));
    const invokeId = send(w, logout('desk-101', 'agent-001'));
    const start = w.now;
    runWithFault(w, { match: isPut('PUT CallForwardingAlways', 'desk-101'), outcome: { status: 503 }, times: Infinity }, 20_000);
    const a = answerTo(w, invokeId)!;
    expect(a.kind).toBe('error');
    expect(a.at - start).toBeLessThanOrEqual(15_000); // saga + step timeout (I6)
    expect(w.connector.repairs.length).toBe(1);
    expect(view(w, 'agent-001').agentACDState).toBe('Sign-Out'); // step 1 done; forward-only
    // The XSP recovers: the repair tick finishes the remaining steps.
    w.runUntilQuiet();
    expect(w.connector.repairs).toEqual([]);
    expect(view(w, 'desk-101').forwarding?.active).toBe(false);
    expect(view(w, 'agent-001').hotelingGuest?.hostUserId).toBeUndefined();
  });

  describe('R1: a refused step stalls the logout; it and every later step become repair work, done on the next repair tick', () => {
    const H = 'desk-101@example.com';
    const G = 'agent-001@example.com';
    const signOutGuest = { step: 'signOutGuest', persistent: true, command: { op: 'PUT CallCenter', userId: G, body: { agentACDState: 'Sign-Out' } } };
    const restoreForwarding = {
      step: 'restoreForwarding', persistent: true, command: { op: 'PUT CallForwardingAlways', userId: H, body: { active: false, forwardToPhoneNumber: null } },
      onlyIf: { forwardingPointsTo: { userId: H, target: '3001' } },
    };
    const release = { step: 'release', persistent: true, command: { op: 'PUT HotelingGuest', userId: G, body: { hostUserId: null } } };
    const ALL = ['PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null', 'PUT HotelingGuest agent-001 host=null'];

    it.each([
      ['signing the guest out', isPut('PUT CallCenter', 'agent-001'), 1, [signOutGuest, restoreForwarding, release]],
      ['restoring the forwarding', isPut('PUT CallForwardingAlways', 'desk-101'), 2, [restoreForwarding, release]],
      ['releasing', isPut('PUT HotelingGuest', 'agent-001'), 3, [release]],
    ] as const)('refused at %s: the mapped error is the answer, no later step is sent, the rest is repaired', (_c, match, sentCount, left) => {
      const w = newWorld();
      ask(w, login('desk-101', 'agent-001'));
      const m = mark(w);
      const invokeId = send(w, logout('desk-101', 'agent-001'));
      runWithFault(w, { match, outcome: { status: 400 }, times: 1 }, 20_000); // before the repair tick
      expect(outcomeOf(answerTo(w, invokeId)!)).toBe('error:operation/invalidParameterValue');
      expect(commandsSince(w, m, { putsOnly: true })).toEqual(ALL.slice(0, sentCount));
      expect(w.connector.repairs).toEqual([{ hostUserId: H, guestUserId: G, rounds: 0, steps: left }]);
      const m2 = mark(w);
      w.runUntilQuiet();
      expect(commandsSince(w, m2, { putsOnly: true })).toEqual(ALL.slice(sentCount - 1));
      expect(w.connector.repairs).toEqual([]);
      expect(view(w, 'agent-001')).toMatchObject({ agentACDState: 'Sign-Out' });
      expect(view(w, 'agent-001').hotelingGuest?.hostUserId).toBeUndefined();
      expect(view(w, 'desk-101').forwarding?.active).toBe(false);
    });

    it('a 503 storm on signing the guest out is retried past maxRetries (persistent) until the saga deadline (J4, J5)', () => {
      const w = newWorld();
      ask(w, login('desk-101', 'agent-001'));
      const invokeId = send(w, logout('desk-101', 'agent-001'));
      const start = w.now;
      const hits = runWithFault(w, { match: isPut('PUT CallCenter', 'agent-001'), outcome: { status: 503 }, times: Infinity }, 20_000);
      const a = answerTo(w, invokeId)!;
      // Not resourceBusy after 4 attempts: the saga timeout ends the retries.
      expect(outcomeOf(a)).toBe('error:systemResourceAvailibility/networkOutOfService');
      expect(hits).toBeGreaterThan(4); // more than first attempt + maxRetries
      expect(a.at - start).toBeGreaterThanOrEqual(10_000);
      expect(a.at - start).toBeLessThanOrEqual(15_000);
      expect(w.connector.repairs).toEqual([{ hostUserId: H, guestUserId: G, rounds: 0, steps: [signOutGuest, restoreForwarding, release] }]);
    });

    it('the cleanup of an association released elsewhere (R2) owes no release: only the steps left become repair work', () => {
      const w = newWorld();
      ask(w, login('desk-101', 'agent-001'));
      const m = mark(w);
      w.external({ kind: 'portalRelease', guestUserId: G });
      runWithFault(w, { match: isPut('PUT CallForwardingAlways', 'desk-101'), outcome: { status: 400 }, times: 1 }, 20_000);
      expect(commandsSince(w, m, { putsOnly: true })).toEqual(ALL.slice(0, 2));
      expect(w.connector.repairs).toEqual([{ hostUserId: H, guestUserId: G, rounds: 0, steps: [restoreForwarding] }]);
      const m2 = mark(w);
      w.runUntilQuiet();
      expect(commandsSince(w, m2, { putsOnly: true })).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null']);
      expect(w.connector.repairs).toEqual([]);
      expect(view(w, 'desk-101').forwarding?.active).toBe(false);
    });
  });
});
