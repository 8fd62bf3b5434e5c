import { describe, expect, it } from 'vitest';
import { advance, createXsp, defaultDirectory, userView, XSP_ERRORS } from '../../src/index.js';
import { agent, desk, eventsOf, fresh, ok, run, statusOf, subscribed, withChannel } from './helpers.js';

describe('PUT CallCenter', () => {
  it('moves any state to any state and emits one AgentStateEvent per change', () => {
    let { state } = withChannel(fresh());
    state = subscribed(state, agent(1));
    state = ok(state, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Wrap-Up' } });
    state = ok(state, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } });
    const evs = eventsOf(advance(state, 0).deliveries);
    expect(evs.map((e) => e.type === 'AgentStateEvent' && e.state)).toEqual(['Wrap-Up', 'Available']);
    expect(userView(state, agent(1))?.agentACDState).toBe('Available');
  });

  it('Sign-In lands on Unavailable by default, emitting Sign-In then Unavailable', () => {
    let { state } = withChannel(fresh());
    state = subscribed(state, agent(2));
    state = ok(state, { op: 'PUT CallCenter', userId: agent(2), body: { agentACDState: 'Sign-In' } });
    const evs = eventsOf(advance(state, 0).deliveries);
    expect(evs.map((e) => e.type === 'AgentStateEvent' && e.state)).toEqual(['Sign-In', 'Unavailable']);
    expect(userView(state, agent(2))?.agentACDState).toBe('Unavailable');
  });

  it('Sign-In lands on the configured postSignInState', () => {
    const s = createXsp({ directory: defaultDirectory(), seed: 1, faults: 'none', postSignInState: 'Available' });
    const after = ok(s, { op: 'PUT CallCenter', userId: agent(3), body: { agentACDState: 'Sign-In' } });
    expect(userView(after, agent(3))?.agentACDState).toBe('Available');
  });

  it('emits nothing when the state does not change', () => {
    let { state } = withChannel(fresh());
    state = subscribed(state, desk(110));
    state = ok(state, { op: 'PUT CallCenter', userId: desk(110), body: { agentACDState: 'Available' } });
    expect(eventsOf(advance(state, 0).deliveries)).toEqual([]);
  });

  it('rejects a bad enum with the schema-violation code and changes nothing', () => {
    const s = fresh();
    const r = run(s, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Ready' as never } });
    expect(statusOf(r.outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.SCHEMA_VIOLATION.code });
    expect(r.state).toBe(s);
  });

  it('answers 400 for a user without the Call Center agent service', () => {
    const dir = defaultDirectory();
    const u = dir.users.find((x) => x.userId === agent(1));
    if (u) delete u.callCenter;
    const s = createXsp({ directory: dir, seed: 1, faults: 'none' });
    expect(statusOf(run(s, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } }).outcome))
      .toEqual({ status: 400, errorCode: XSP_ERRORS.CALL_CENTER_NOT_ASSIGNED.code });
    expect(statusOf(run(s, { op: 'GET CallCenter', userId: agent(1) }).outcome))
      .toEqual({ status: 400, errorCode: XSP_ERRORS.CALL_CENTER_NOT_ASSIGNED.code });
  });
});
