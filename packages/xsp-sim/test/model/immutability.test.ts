/** Every public function returns a new state and never writes to the one it was given. */
import { describe, expect, it } from 'vitest';
import {
  ackEvent, advance, applyExternal, closeChannel, deleteSubscription, drawExternalAction, execute, openChannel, refreshSubscription,
  setFaultProfile, submit, subscribe, type XspState,
} from '../../src/index.js';
import { ADMIN, agent, desk, fresh, run, SET, withChannel } from './helpers.js';

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

describe('immutability', () => {
  it('a frozen state survives every operation (a write would throw in strict mode)', () => {
    const { state: s0, channelId } = withChannel(fresh('hostile', 3));
    const base = run(s0, { op: 'SUBSCRIBE', userId: agent(1), packages: ['Call Center Agent', 'Hoteling Guest'] }).state;
    const frozen = deepFreeze(structuredClone(base)) as XspState;
    const before = JSON.stringify(frozen);
    const out = advance(frozen, 10_000);
    const [ev] = out.deliveries.flatMap((d) => (d.kind === 'event' ? [d.event] : []));
    expect(ev).toBeDefined();
    const withPending = deepFreeze(out.state);
    ackEvent(withPending, channelId, ev?.eventId ?? '', 500, 10_000);
    ackEvent(withPending, channelId, ev?.eventId ?? '', 404, 10_000);
    ackEvent(withPending, channelId, ev?.eventId ?? '', 481, 10_000);
    advance(withPending, 100_000);
    execute(frozen, ADMIN, { op: 'PUT HotelingGuest', userId: agent(1), body: { hostUserId: desk(101) } }, 1);
    execute(frozen, ADMIN, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Sign-In' } }, 1);
    execute(frozen, ADMIN, { op: 'PUT CallForwardingAlways', userId: desk(101), body: { active: true, forwardToPhoneNumber: '3001' } }, 1);
    submit(frozen, { requestId: 1, asUser: ADMIN, command: { op: 'GET profile', userId: agent(1) } }, 1);
    applyExternal(frozen, { kind: 'channelTerminate' }, 1);
    drawExternalAction(frozen, 1);
    openChannel(frozen, { asUser: ADMIN, channelSetId: SET }, 1);
    closeChannel(frozen, channelId, 1);
    setFaultProfile(frozen, 'none');
    const sub = subscribe(frozen, { asUser: ADMIN, targetUserId: agent(2), packages: ['Hoteling Guest'], channelSetId: SET }, 1);
    const [subId] = (sub.outcome as { body: { subscriptionIds: string[] } }).body.subscriptionIds;
    const frozenSub = deepFreeze(sub.state);
    refreshSubscription(frozenSub, { asUser: ADMIN, subscriptionId: subId ?? '' }, 2);
    deleteSubscription(frozenSub, { asUser: ADMIN, subscriptionId: subId ?? '' }, 2);
    expect(JSON.stringify(frozen)).toBe(before);
  });

  it('a state marked updateInPlace (the HTTP server\'s) is written in place; a user record a rule changes is still a fresh object', () => {
    const { state: s0 } = withChannel(fresh());
    const s = s0;
    s.updateInPlace = true;
    const users = s.users;
    const pending = s.pending;
    const queue = s.queue;
    const deskBefore = s.users[desk(101)]!;
    const forwardingBefore = structuredClone(deskBefore.forwarding);
    const after = execute(s, ADMIN, { op: 'PUT CallForwardingAlways', userId: desk(101), body: { active: true, forwardToPhoneNumber: '3001' } }, 1).state;
    expect(after).toBe(s);
    expect(after.users).toBe(users);
    expect(after.queue).toBe(queue);
    expect(after.users[desk(101)]!.forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3001' });
    // The record object handed out before (to a view, an event) keeps the values it had.
    expect(after.users[desk(101)]).not.toBe(deskBefore);
    expect(deskBefore.forwarding).toEqual(forwardingBefore);
    const sub = subscribe(after, { asUser: ADMIN, targetUserId: agent(1), packages: ['Call Center Agent'], channelSetId: SET }, 2);
    expect(sub.state).toBe(s);
    const delivered = advance(sub.state, 10);
    expect(delivered.state).toBe(s);
    expect(delivered.state.pending).toBe(pending);
    expect(Object.keys(pending)).toHaveLength(1);
  });

  it('without the mark every operation copies: the state given is the state kept', () => {
    const { state: s } = withChannel(fresh());
    const after = execute(s, ADMIN, { op: 'PUT CallForwardingAlways', userId: desk(101), body: { active: true, forwardToPhoneNumber: '3001' } }, 1).state;
    expect(after).not.toBe(s);
    expect(after.users).not.toBe(s.users);
    expect(s.users[desk(101)]!.forwarding?.forwardToPhoneNumber).not.toBe('3001');
  });
});
