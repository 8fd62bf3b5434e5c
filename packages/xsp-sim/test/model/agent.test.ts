import type { XsiEvent } from '@csta-bw/core';
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

describe('agent state information (issue 13 items 1 and 6: stateTimestamp, signInTimestamp on a wall-clock epoch)', () => {
  const EPOCH = 1_700_000_000_000; // 2023-11-14T22:13:20Z
  const at = (s: ReturnType<typeof createXsp>, now: number) => advance(s, now);

  it('the initial AgentSubscriptionEvent and every AgentStateEvent carry stateTimestamp; signInTimestamp only while signed in', () => {
    let { state } = withChannel(createXsp({ directory: defaultDirectory(), seed: 1, faults: 'none', epoch: EPOCH }));
    state = ok(state, { op: 'SUBSCRIBE', userId: agent(1), packages: ['Call Center Agent'] });
    let r = at(state, 0);
    expect(eventsOf(r.deliveries)).toEqual([expect.objectContaining({ type: 'AgentSubscriptionEvent', state: 'Sign-Out', stateTimestamp: EPOCH })]);
    expect(eventsOf(r.deliveries)[0]).not.toHaveProperty('signInTimestamp');
    // (within the 10 s ack timeout, so nothing is delivered twice)
    state = ok(r.state, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } }, 5_000);
    state = ok(state, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Unavailable' } }, 7_000);
    state = ok(state, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Sign-Out' } }, 9_000);
    r = at(state, 9_000);
    const evs = eventsOf(r.deliveries);
    expect(evs.map((e) => e.type === 'AgentStateEvent' && [e.state, e.stateTimestamp, e.signInTimestamp])).toEqual([
      ['Available', EPOCH + 5_000, EPOCH + 5_000],
      ['Unavailable', EPOCH + 7_000, EPOCH + 5_000],
      ['Sign-Out', EPOCH + 9_000, undefined],
    ]);
  });

  it('an agent signed in by the directory has signed in at the epoch; its subscription event says so', () => {
    let { state } = withChannel(createXsp({ directory: defaultDirectory(), seed: 1, faults: 'none', epoch: EPOCH }));
    state = ok(state, { op: 'SUBSCRIBE', userId: desk(110), packages: ['Call Center Agent'] }, 2_000);
    expect(eventsOf(at(state, 2_000).deliveries)[0]).toMatchObject({ type: 'AgentSubscriptionEvent', state: 'Available', stateTimestamp: EPOCH, signInTimestamp: EPOCH });
  });

  it('the initial AgentSubscriptionEvent lists the call centers the agent is joined to', () => {
    let { state } = withChannel(fresh());
    state = ok(state, { op: 'SUBSCRIBE', userId: agent(4), packages: ['Call Center Agent'] });
    expect(eventsOf(at(state, 0).deliveries)[0]).toMatchObject({ joins: [{ acdUserId: 'sales-cc@example.com', joined: true }] });
  });
});

const stamp = (e: XsiEvent): number => (e as { stateTimestamp?: number }).stateTimestamp ?? NaN;

describe('agentUnavailableCode (issue 13 item 3)', () => {
  const put = (body: object) => ({ op: 'PUT CallCenter' as const, userId: agent(1), body: body as { agentACDState: 'Unavailable' } });

  it('Unavailable with a code: the code is in GET and in the AgentStateEvent; leaving Unavailable clears it', () => {
    let { state } = withChannel(fresh());
    state = subscribed(state, agent(1));
    state = ok(state, put({ agentACDState: 'Unavailable', agentUnavailableCode: '1001' }), 1_000);
    expect(run(state, { op: 'GET CallCenter', userId: agent(1) }).outcome).toEqual({ status: 200, body: { kind: 'CallCenter', agentACDState: 'Unavailable', agentUnavailableCode: '1001' } });
    state = ok(state, put({ agentUnavailableCode: '1002' }), 2_000);
    state = ok(state, put({ agentACDState: 'Available' }), 3_000);
    expect(run(state, { op: 'GET CallCenter', userId: agent(1) }).outcome).toEqual({ status: 200, body: { kind: 'CallCenter', agentACDState: 'Available' } });
    const evs = eventsOf(advance(state, 3_000).deliveries);
    expect(evs.map((e) => e.type === 'AgentStateEvent' && [e.state, e.unavailableCode, stamp(e) - stamp(evs[0]!)])).toEqual([
      ['Unavailable', '1001', 0],
      // a new code is a change the agent's clients must see; the state itself did not change
      ['Unavailable', '1002', 0],
      ['Available', undefined, 2_000],
    ]);
  });

  it('nil clears the code; the same code again is no change and no event', () => {
    let { state } = withChannel(fresh());
    state = ok(state, put({ agentACDState: 'Unavailable', agentUnavailableCode: '1001' }));
    state = subscribed(state, agent(1));
    state = ok(state, put({ agentACDState: 'Unavailable', agentUnavailableCode: '1001' }));
    expect(eventsOf(advance(state, 0).deliveries)).toEqual([]);
    state = ok(state, put({ agentUnavailableCode: null }));
    expect(eventsOf(advance(state, 0).deliveries)).toEqual([expect.objectContaining({ type: 'AgentStateEvent', state: 'Unavailable' })]);
    expect(run(state, { op: 'GET CallCenter', userId: agent(1) }).outcome).toEqual({ status: 200, body: { kind: 'CallCenter', agentACDState: 'Unavailable' } });
  });

  it('refuses a code outside Unavailable, an unknown or inactive code, a malformed one — and changes nothing', () => {
    const s = fresh();
    const refused = (body: object, name: keyof typeof XSP_ERRORS) => {
      const r = run(s, put(body));
      expect(statusOf(r.outcome), JSON.stringify(body)).toEqual({ status: 400, errorCode: XSP_ERRORS[name].code });
      expect(r.state).toBe(s);
    };
    refused({ agentACDState: 'Available', agentUnavailableCode: '1001' }, 'UNAVAILABLE_CODE_NOT_UNAVAILABLE');
    refused({ agentUnavailableCode: '1001' }, 'UNAVAILABLE_CODE_NOT_UNAVAILABLE');
    refused({ agentACDState: 'Unavailable', agentUnavailableCode: '9999' }, 'UNAVAILABLE_CODE_UNKNOWN');
    refused({ agentACDState: 'Unavailable', agentUnavailableCode: '1005' }, 'UNAVAILABLE_CODE_UNKNOWN');
    refused({ agentACDState: 'Unavailable', agentUnavailableCode: 'far too long' }, 'SCHEMA_VIOLATION');
    refused({ agentACDState: 'Unavailable', agentUnavailableCode: 7 }, 'SCHEMA_VIOLATION');
  });
});
