import { describe, expect, it } from 'vitest';
import {
  advance, closeChannel, deleteSubscription, getSubscription, MAX_SEQUENCE_NUMBER, openChannel, refreshSubscription, subscribe, XSP_ERRORS, type XspState,
} from '../../src/index.js';
import { ADMIN, agent, desk, deliverAndAck, eventsOf, fresh, ok, run, SET, statusOf, withChannel } from './helpers.js';

const ALL = ['Call Center Agent', 'Call Forwarding Always', 'Hoteling Guest'] as const;

function subscriptionIds(o: unknown): string[] {
  return (o as { body: { subscriptionIds: string[] } }).body.subscriptionIds;
}

describe('SUBSCRIBE', () => {
  it('creates one subscription per package and emits the initial events after the 200', () => {
    const { state, channelId } = withChannel(fresh());
    const r = run(state, { op: 'SUBSCRIBE', userId: agent(1), packages: [...ALL] });
    const ids = subscriptionIds(r.outcome);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    const out = advance(r.state, 0).deliveries;
    expect(out.every((d) => d.kind === 'event' && d.channelId === channelId)).toBe(true);
    expect(eventsOf(out)).toMatchObject([
      { type: 'AgentSubscriptionEvent', state: 'Sign-Out', sequenceNumber: 1, targetId: agent(1), subscriptionId: ids[0] },
      { type: 'CallForwardingAlwaysEvent', info: { active: false }, sequenceNumber: 1, subscriptionId: ids[1] },
      { type: 'HotelingGuestEvent', info: { active: true }, sequenceNumber: 1, subscriptionId: ids[2] },
    ]);
  });

  it('emits initial events only for services the user has (a host has no Hoteling Guest)', () => {
    const { state } = withChannel(fresh());
    const r = run(state, { op: 'SUBSCRIBE', userId: desk(101), packages: [...ALL] });
    expect(eventsOf(advance(r.state, 0).deliveries).map((e) => e.type)).toEqual(['AgentSubscriptionEvent', 'CallForwardingAlwaysEvent']);
  });

  it('subscribing again refreshes the same subscriptions instead of duplicating them', () => {
    const { state } = withChannel(fresh());
    const a = run(state, { op: 'SUBSCRIBE', userId: agent(1), packages: [...ALL] });
    const b = run(a.state, { op: 'SUBSCRIBE', userId: agent(1), packages: [...ALL] });
    expect(subscriptionIds(b.outcome)).toEqual(subscriptionIds(a.outcome));
    expect(Object.keys(b.state.subscriptions)).toHaveLength(3);
  });

  it('refuses out-of-scope, unknown users, unknown packages, a missing channel set', () => {
    const s = fresh();
    expect(statusOf(run(s, { op: 'SUBSCRIBE', userId: agent(2), packages: ['Hoteling Guest'] }, 0, agent(1)).outcome))
      .toEqual({ status: 403, errorCode: XSP_ERRORS.OUT_OF_SCOPE.code });
    expect(statusOf(run(s, { op: 'SUBSCRIBE', userId: 'ghost@example.com', packages: ['Hoteling Guest'] }).outcome))
      .toEqual({ status: 404, errorCode: XSP_ERRORS.UNKNOWN_USER.code });
    expect(statusOf(run(s, { op: 'SUBSCRIBE', userId: agent(2), packages: ['Basic Calls' as never] }).outcome))
      .toEqual({ status: 400, errorCode: XSP_ERRORS.UNKNOWN_EVENT_PACKAGE.code });
    expect(statusOf(subscribe(s, { asUser: ADMIN, targetUserId: agent(2), packages: ['Hoteling Guest'], channelSetId: '' }, 0).outcome))
      .toEqual({ status: 400, errorCode: XSP_ERRORS.CHANNEL_SET_REQUIRED.code });
  });
});

describe('sequence numbers', () => {
  it('count from 1 per subscription', () => {
    let { state } = withChannel(fresh());
    state = run(state, { op: 'SUBSCRIBE', userId: agent(1), packages: ['Call Center Agent'] }).state;
    for (const st of ['Available', 'Unavailable', 'Wrap-Up'] as const) state = ok(state, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: st } });
    expect(eventsOf(advance(state, 0).deliveries).map((e) => e.sequenceNumber)).toEqual([1, 2, 3, 4]);
  });

  it('wrap from 2^31−1 to 1', () => {
    let { state } = withChannel(fresh());
    const r = run(state, { op: 'SUBSCRIBE', userId: agent(1), packages: ['Call Center Agent'] });
    const [id] = subscriptionIds(r.outcome);
    const sub = r.state.subscriptions[id as string];
    if (!sub) throw new Error('no subscription');
    // The state is plain data: fast-forward the counter to just before the wrap.
    state = { ...r.state, subscriptions: { ...r.state.subscriptions, [sub.subscriptionId]: { ...sub, nextSequenceNumber: MAX_SEQUENCE_NUMBER - 1 } } } as XspState;
    state = ok(state, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } });
    state = ok(state, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Unavailable' } });
    state = ok(state, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Wrap-Up' } });
    // The initial event was already numbered 1 before the fast-forward.
    expect(eventsOf(advance(state, 0).deliveries).map((e) => e.sequenceNumber)).toEqual([1, MAX_SEQUENCE_NUMBER - 1, MAX_SEQUENCE_NUMBER, 1]);
  });
});

describe('refresh, delete, expiry, group targets', () => {
  it('refresh sends a fresh initial event; delete sends SubscriptionTerminatedEvent', () => {
    let { state } = withChannel(fresh());
    const r = run(state, { op: 'SUBSCRIBE', userId: agent(1), packages: ['Call Center Agent'] });
    const [id] = subscriptionIds(r.outcome) as [string];
    state = deliverAndAck(r.state, 0).state;
    const refreshed = refreshSubscription(state, { asUser: ADMIN, subscriptionId: id, expires: 172_800 }, 10);
    expect(refreshed.outcome).toMatchObject({ status: 200 });
    expect(getSubscription(refreshed.state, id)?.expires).toBe(172_800);
    expect(eventsOf(advance(refreshed.state, 10).deliveries)).toMatchObject([{ type: 'AgentSubscriptionEvent', sequenceNumber: 2 }]);
    const deleted = deleteSubscription(refreshed.state, { asUser: ADMIN, subscriptionId: id }, 20);
    expect(getSubscription(deleted.state, id)).toBeUndefined();
    expect(eventsOf(advance(deleted.state, 20).deliveries).map((e) => e.type)).toContain('SubscriptionTerminatedEvent');
  });

  it('each event carries its envelope (subscriber, application id) — SubscriptionTerminatedEvent too, after its subscription is gone', () => {
    let { state } = withChannel(fresh());
    const r = subscribe(state, { asUser: agent(1), targetUserId: agent(1), packages: ['Call Center Agent'], channelSetId: SET, applicationId: 'csta-bw' }, 0);
    const [id] = subscriptionIds(r.outcome) as [string];
    const initial = deliverAndAck(r.state, 0);
    expect(initial.deliveries.filter((d) => d.kind === 'event').map((d) => d.kind === 'event' && d.envelope)).toEqual([{ subscriberId: agent(1), applicationId: 'csta-bw' }]);
    state = deleteSubscription(initial.state, { asUser: agent(1), subscriptionId: id }, 10).state;
    expect(getSubscription(state, id)).toBeUndefined();
    const terminated = advance(state, 10).deliveries.flatMap((d) => (d.kind === 'event' ? [d] : []));
    expect(terminated.map((d) => [d.event.type, d.envelope])).toEqual([['SubscriptionTerminatedEvent', { subscriberId: agent(1), applicationId: 'csta-bw' }]]);
    // Without an application id the envelope has none (the wire then carries no externalApplicationId).
    const plain = run(withChannel(fresh()).state, { op: 'SUBSCRIBE', userId: agent(2), packages: ['Call Center Agent'] });
    expect(advance(plain.state, 0).deliveries.flatMap((d) => (d.kind === 'event' ? [d.envelope] : []))).toEqual([{ subscriberId: ADMIN }]);
  });

  it('failures on subscription/<id> are 403', () => {
    const s = fresh();
    expect(statusOf(refreshSubscription(s, { asUser: ADMIN, subscriptionId: 'nope' }, 0).outcome))
      .toEqual({ status: 403, errorCode: XSP_ERRORS.SUBSCRIPTION_NOT_FOUND.code });
    const { state } = withChannel(s);
    const r = subscribe(state, { asUser: agent(1), targetUserId: agent(1), packages: ['Hoteling Guest'], channelSetId: SET }, 0);
    const [id] = subscriptionIds(r.outcome) as [string];
    expect(statusOf(deleteSubscription(r.state, { asUser: agent(2), subscriptionId: id }, 0).outcome))
      .toEqual({ status: 403, errorCode: XSP_ERRORS.SUBSCRIPTION_NOT_FOUND.code });
  });

  it('expires (granted at least 86400 s) with SubscriptionTerminatedEvent', () => {
    let { state } = withChannel(fresh());
    const r = subscribe(state, { asUser: ADMIN, targetUserId: agent(1), packages: ['Hoteling Guest'], channelSetId: SET, expires: 60 }, 0);
    const [id] = subscriptionIds(r.outcome) as [string];
    expect(getSubscription(r.state, id)?.expires).toBe(86_400);
    state = deliverAndAck(r.state, 0).state;
    expect(getSubscription(advance(state, 86_399_999).state, id)).toBeDefined();
    const out = advance(state, 86_400_000);
    expect(getSubscription(out.state, id)).toBeUndefined();
    expect(eventsOf(out.deliveries)).toMatchObject([{ type: 'SubscriptionTerminatedEvent', subscriptionId: id }]);
  });

  it('a group subscription (admin only) sees every user, without initial events', () => {
    let { state } = withChannel(fresh());
    expect(statusOf(subscribe(state, { asUser: agent(1), groupId: 'example-group', packages: ['Call Center Agent'], channelSetId: SET }, 0).outcome).status).toBe(403);
    const r = subscribe(state, { asUser: ADMIN, groupId: 'example-group', packages: ['Call Center Agent'], channelSetId: SET }, 0);
    expect(r.outcome).toMatchObject({ status: 200 });
    expect(advance(r.state, 0).deliveries).toEqual([]);
    state = ok(r.state, { op: 'PUT CallCenter', userId: agent(9), body: { agentACDState: 'Available' } });
    state = ok(state, { op: 'PUT CallCenter', userId: desk(101), body: { agentACDState: 'Available' } });
    expect(eventsOf(advance(state, 0).deliveries).map((e) => e.targetId)).toEqual([agent(9), desk(101)]);
  });

  it('events for a set without an open channel are dropped (the gap shows in sequence numbers)', () => {
    const { state: s0, channelId } = withChannel(fresh());
    let state = run(s0, { op: 'SUBSCRIBE', userId: agent(1), packages: ['Call Center Agent'] }).state;
    state = deliverAndAck(state, 0).state;
    state = closeChannel(state, channelId, 1);
    state = ok(state, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } }, 1);
    const out = advance(state, 1);
    expect(out.deliveries).toEqual([{ kind: 'channelTerminated', channelId, reason: 'ExplicitDelete' }]);
    const reopened = withChannel(out.state, 2);
    state = ok(reopened.state, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Wrap-Up' } }, 2);
    expect(eventsOf(advance(state, 2).deliveries).map((e) => e.sequenceNumber)).toEqual([3]);
  });
});

describe('granted expires and enterprise targets (issue 13 items 3 and 7)', () => {
  it('grants at least 86400 s, as a real XSP (channel asked 3600, subscription asked 120); longer asks as asked', () => {
    const ch = openChannel(fresh(), { asUser: ADMIN, channelSetId: SET, expires: 3600 }, 0);
    expect('expires' in ch && ch.expires).toBe(86_400);
    const { state } = withChannel(fresh());
    const r = subscribe(state, { asUser: ADMIN, targetUserId: agent(1), packages: ['Hoteling Guest'], channelSetId: SET, expires: 120 }, 0);
    const [id] = subscriptionIds(r.outcome) as [string];
    expect(getSubscription(r.state, id)?.expires).toBe(86_400);
    expect(getSubscription(refreshSubscription(r.state, { asUser: ADMIN, subscriptionId: id, expires: 200_000 }, 0).state, id)?.expires).toBe(200_000);
  });

  it('the admin subscribes the whole enterprise (= service provider): every user, no initial events; others are out of scope', () => {
    let { state } = withChannel(fresh());
    expect(statusOf(subscribe(state, { asUser: agent(1), serviceProviderId: 'example.com', packages: ['Call Center Agent'], channelSetId: SET }, 0).outcome))
      .toEqual({ status: 403, errorCode: XSP_ERRORS.OUT_OF_SCOPE.code });
    expect(statusOf(subscribe(state, { asUser: ADMIN, serviceProviderId: 'other', packages: ['Call Center Agent'], channelSetId: SET }, 0).outcome))
      .toEqual({ status: 403, errorCode: XSP_ERRORS.OUT_OF_SCOPE.code });
    const r = subscribe(state, { asUser: ADMIN, serviceProviderId: 'example.com', packages: ['Call Center Agent', 'Do Not Disturb'], channelSetId: SET }, 0);
    expect(r.outcome).toMatchObject({ status: 200 });
    state = r.state;
    expect(eventsOf(advance(state, 0).deliveries)).toEqual([]);
    state = ok(state, { op: 'PUT CallCenter', userId: desk(104), body: { agentACDState: 'Available' } }, 1);
    state = ok(state, { op: 'PUT DoNotDisturb', userId: agent(9), body: { active: true } }, 1);
    expect(eventsOf(advance(state, 1).deliveries).map((e) => [e.type, e.targetId])).toEqual([
      ['AgentStateEvent', desk(104)],
      ['DoNotDisturbEvent', agent(9)],
    ]);
  });
});
