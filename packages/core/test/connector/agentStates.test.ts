/**
 * DESIGN §4.2 Agent state mapping: both tables, events derived from XSP events only (a change
 * made on the phone reads the same as ours), and no XSP command for a state already held.
 */
import { describe, expect, it } from 'vitest';
import { ACD_STATE_FOR, CSTA_STATE_OF, isSignedIn } from '../../src/connector/agentStates.js';
import { agentEventsBetween } from '../../src/connector/observe.js';
import type { AgentACDState } from '../../src/xsi/types.js';
import { ask, commandsSince, eventsSince, mark, monitor, newWorld, outcomeOf, setState, view } from './support/world.js';

describe('§4.2 agent state mapping', () => {
  it('BroadWorks → CSTA, with logged-on', () => {
    expect(CSTA_STATE_OF).toEqual({
      'Sign-In': 'agentNotReady', Available: 'agentReady', Unavailable: 'agentNotReady', 'Wrap-Up': 'agentWorkingAfterCall', 'Sign-Out': 'agentNull',
    });
    const on = (['Sign-In', 'Available', 'Unavailable', 'Wrap-Up', 'Sign-Out'] as const).map((s) => [s, isSignedIn(s)]);
    expect(on).toEqual([['Sign-In', true], ['Available', true], ['Unavailable', true], ['Wrap-Up', true], ['Sign-Out', false]]);
  });

  it('an agent whose ACD state was never read (no Call Center data) counts as not signed in', () => {
    expect(isSignedIn(undefined)).toBe(false);
  });

  it('CSTA requestedAgentState → BroadWorks (a login lands not-ready)', () => {
    expect(ACD_STATE_FOR).toEqual({ loggedOn: 'Unavailable', ready: 'Available', notReady: 'Unavailable', workingAfterCall: 'Wrap-Up', loggedOff: 'Sign-Out' });
  });

  it('every requested state reaches the mapped BroadWorks state and reads back through GetAgentState', () => {
    const w = newWorld();
    const cases = [['ready', 'Available', 'agentReady'], ['workingAfterCall', 'Wrap-Up', 'agentWorkingAfterCall'], ['notReady', 'Unavailable', 'agentNotReady'], ['loggedOff', 'Sign-Out', 'agentNull']] as const;
    for (const [requested, bw, csta] of cases) {
      expect(outcomeOf(ask(w, setState('desk-101', requested)))).toBe('response:SetAgentStateResponse');
      expect(view(w, 'desk-101').agentACDState).toBe(bw);
      const g = ask(w, { service: 'GetAgentState', device: 'desk-101' });
      expect(g.kind === 'response' && g.response.service === 'GetAgentStateResponse' && g.response.agentStateList[0]!.agentInfo[0]!.agentState).toBe(csta);
    }
  });

  describe('events between reports', () => {
    const r = (state: AgentACDState, agentUserId = 'a') => ({ agentUserId, state, forwarding: undefined });
    const names = (before: AgentACDState, after: AgentACDState) => agentEventsBetween(r(before), r(after)).map((e) => e.name);
    it('Sign-Out → signed-in: LoggedOn then the state event', () => {
      expect(names('Sign-Out', 'Available')).toEqual(['AgentLoggedOnEvent', 'AgentReadyEvent']);
      expect(names('Sign-Out', 'Wrap-Up')).toEqual(['AgentLoggedOnEvent', 'AgentWorkingAfterCallEvent']);
      expect(names('Sign-Out', 'Sign-In')).toEqual(['AgentLoggedOnEvent', 'AgentNotReadyEvent']);
    });
    it('signed-in → Sign-Out: LoggedOff only', () => {
      for (const s of ['Sign-In', 'Available', 'Unavailable', 'Wrap-Up'] as const) expect(names(s, 'Sign-Out')).toEqual(['AgentLoggedOffEvent']);
    });
    it('between signed-in states: the new state event; same CSTA state: nothing', () => {
      expect(names('Available', 'Unavailable')).toEqual(['AgentNotReadyEvent']);
      expect(names('Unavailable', 'Wrap-Up')).toEqual(['AgentWorkingAfterCallEvent']);
      expect(names('Sign-In', 'Unavailable')).toEqual([]); // both agentNotReady
      expect(names('Available', 'Available')).toEqual([]);
      expect(names('Sign-Out', 'Sign-Out')).toEqual([]);
    });
  });

  it('a change on the phone produces the same events as the same change through CSTA', () => {
    const ours = newWorld();
    const theirs = newWorld();
    const m1 = monitor(ours, 'desk-101');
    const m2 = monitor(theirs, 'desk-101');
    const steps: [string, AgentACDState][] = [['ready', 'Available'], ['notReady', 'Unavailable'], ['workingAfterCall', 'Wrap-Up'], ['loggedOff', 'Sign-Out']];
    for (const [requested, bw] of steps) {
      const a = mark(ours);
      const b = mark(theirs);
      ask(ours, setState('desk-101', requested));
      theirs.external({ kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: bw });
      theirs.runUntilQuiet();
      expect(eventsSince(theirs, b, m2)).toEqual(eventsSince(ours, a, m1));
      expect(eventsSince(ours, a, m1).length).toBeGreaterThan(0);
    }
  });

  it('our own PUT emits no CSTA event until the XSP event comes (events from the truth only)', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    ask(w, setState('desk-101', 'ready'));
    const seqOf = (msg: string) => w.trace!.entries.find((e) => e.msg === msg && (e.args['invokeId'] === undefined || e.args['invokeId'] === '0002'))?.seq ?? -1;
    const put = seqOf('PUT CallCenter');
    const xspEvent = w.trace!.entries.find((e) => e.msg === 'AgentStateEvent' && e.seq > put)!.seq;
    const response = seqOf('SetAgentStateResponse');
    const loggedOn = seqOf('AgentLoggedOnEvent');
    const ready = seqOf('AgentReadyEvent');
    expect(put).toBeGreaterThan(0);
    expect(response).toBeGreaterThan(put);
    expect(loggedOn).toBeGreaterThan(xspEvent);
    expect(loggedOn).toBeGreaterThan(response); // a response precedes the events it causes
    expect(ready).toBe(loggedOn + 1);
  });

  it('a phone change to the same CSTA state emits nothing; Sign-In lands not-ready with LoggedOn + NotReady', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    let m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: 'Sign-In' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOnEvent desk-101 desk-101', 'AgentNotReadyEvent desk-101 desk-101']);
    m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: 'Unavailable' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, id)).toEqual([]);
  });

  it('a request for the current state answers positively and sends nothing', () => {
    const w = newWorld();
    monitor(w, 'desk-110'); // Available
    monitor(w, 'desk-101'); // Sign-Out
    const m = mark(w);
    expect(outcomeOf(ask(w, setState('desk-110', 'ready')))).toBe('response:SetAgentStateResponse');
    expect(outcomeOf(ask(w, setState('desk-110', 'loggedOn')))).toBe('response:SetAgentStateResponse'); // already signed in
    expect(outcomeOf(ask(w, setState('desk-101', 'loggedOff')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m)).toEqual([]);
    expect(eventsSince(w, m)).toEqual([]);
  });
});
