/** Issue 13 item 4: every standard event package is accepted; which produce which events. */
import { XSI_EVENT_PACKAGES, type XsiEventPackage } from '@csta-bw/core';
import { describe, expect, it } from 'vitest';
import { advance, subscribe, XSP_ERRORS } from '../../src/index.js';
import { ADMIN, agent, desk, eventsOf, fresh, ok, SET, statusOf, withChannel } from './helpers.js';

const first = (s: Parameters<typeof advance>[0], userId: string, pkg: XsiEventPackage, asUser = ADMIN) => {
  const r = subscribe(s, { asUser, targetUserId: userId, packages: [pkg], channelSetId: SET }, 0);
  expect(r.outcome, pkg).toMatchObject({ status: 200, body: { kind: 'Subscriptions', subscriptionIds: [expect.any(String)] } });
  return { state: r.state, events: eventsOf(advance(r.state, 0).deliveries) };
};

describe('event packages', () => {
  it('the call packages answer with a CallSubscriptionEvent: on-hook, no calls (a user subscribing to itself too)', () => {
    for (const pkg of ['Basic Call', 'Advanced Call', 'Standard Call'] as const) {
      const { events } = first(withChannel(fresh()).state, agent(1), pkg, agent(1));
      expect(events, pkg).toEqual([expect.objectContaining({ type: 'CallSubscriptionEvent', hookStatus: 'On-Hook', targetId: agent(1), sequenceNumber: 1 })]);
    }
  });

  it('Do Not Disturb and Remote Office send their service event first', () => {
    expect(first(withChannel(fresh()).state, desk(101), 'Do Not Disturb').events).toEqual([
      expect.objectContaining({ type: 'DoNotDisturbEvent', info: { active: false, ringSplash: false } }),
    ]);
    expect(first(withChannel(fresh()).state, desk(101), 'Remote Office').events).toEqual([
      expect.objectContaining({ type: 'RemoteOfficeEvent', info: { active: false } }),
    ]);
  });

  it('every other XSD package is accepted and stays silent; Call Recording (deprecated) is refused', () => {
    const silent = XSI_EVENT_PACKAGES.filter((p) => ![
      'Basic Call', 'Advanced Call', 'Standard Call', 'Call Center Agent', 'Call Forwarding Always', 'Hoteling Guest',
      'Do Not Disturb', 'Remote Office', 'Call Recording',
    ].includes(p));
    expect(silent).toContain('Call Center Queue');
    for (const pkg of silent) expect(first(withChannel(fresh()).state, agent(2), pkg).events, pkg).toEqual([]);
    const r = subscribe(withChannel(fresh()).state, { asUser: ADMIN, targetUserId: agent(2), packages: ['Call Recording'], channelSetId: SET }, 0);
    expect(statusOf(r.outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.EVENT_PACKAGE_DEPRECATED.code });
    const bad = subscribe(withChannel(fresh()).state, { asUser: ADMIN, targetUserId: agent(2), packages: ['Basic Calls' as XsiEventPackage], channelSetId: SET }, 0);
    expect(statusOf(bad.outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.UNKNOWN_EVENT_PACKAGE.code });
  });

  it('a silent package still ends with SubscriptionTerminatedEvent on expiry', () => {
    const { state } = first(withChannel(fresh()).state, agent(2), 'Call Center Queue');
    const out = advance(state, 86_400_000);
    expect(eventsOf(out.deliveries).map((e) => e.type)).toEqual(['SubscriptionTerminatedEvent']);
  });

  it('a DND change reaches Do Not Disturb subscribers only', () => {
    let { state } = withChannel(fresh());
    state = subscribe(state, { asUser: ADMIN, targetUserId: agent(3), packages: ['Do Not Disturb', 'Basic Call', 'Call Forwarding Always'], channelSetId: SET }, 0).state;
    state = advance(state, 0).state;
    state = ok(state, { op: 'PUT DoNotDisturb', userId: agent(3), body: { active: true } }, 1);
    expect(eventsOf(advance(state, 1).deliveries).map((e) => e.type)).toEqual(['DoNotDisturbEvent']);
  });
});
