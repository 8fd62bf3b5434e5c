/**
 * Keeping the Xsi subscriptions (DESIGN §4.1, §4.6, §4.9): a user's own subscription renewed when
 * the XSP terminates it, the group's "Hoteling Guest" subscription (config.groupEvents) made on
 * the first `up` and retried while refused, and what a group event about a guest we do not hold
 * starts. Driven by hand: the test plays the XSP.
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/connector/io.js';
import type { XsiEvent } from '../../src/index.js';
import { AGENT, commandsIn, DESK, StepDriver, monitoredDesk } from './support/stepDriver.js';

const H = 'desk-101@example.com';
const G = 'agent-001@example.com';
const ADMIN = 'group-admin@example.com';
const GROUP = { subscriber: ADMIN, serviceProviderId: 'sp-1', groupId: 'group-1' };
const ALL_PACKAGES = ['Call Center Agent', 'Call Forwarding Always', 'Hoteling Guest'];

let eventSeq = 0;
const xspEvent = (targetId: string, data: Record<string, unknown>): XsiEvent =>
  ({ eventId: `ev-${++eventSeq}`, sequenceNumber: eventSeq, subscriptionId: 's', targetId, ...data }) as XsiEvent;

/** Commands and non-command timers as one line: `SUBSCRIBE desk-101 | reread:SUBSCRIBE @200`. */
function line(outs: Output[]): string {
  return outs.flatMap((o) => {
    if (o.kind === 'xsp.command') return [`${o.command.op} ${o.command.userId.split('@')[0]}`];
    if (o.kind === 'timer.set' && !/^(cmd|saga|deadline):/.test(o.timerId)) return [`${o.timerId.split('|')[0]} @${o.at}`];
    if (o.kind === 'csta.event') return [`m${o.monitorCrossRefId} ${o.event.name}${'agentID' in o.event ? ` ${o.event.agentID}` : ''}`];
    if (o.kind === 'csta.response') return [`response ${o.response.service}`];
    return [];
  }).join(' | ');
}


const result = (d: StepDriver, op: string, userId: string, outcome: Parameters<StepDriver['result']>[1]) =>
  d.result(d.pendingOne(op as never, userId).commandId, outcome);

describe('a subscription the XSP terminates is made again (§4.1)', () => {
  it('SubscriptionTerminatedEvent → SUBSCRIBE to every package at once; the user counts as unsubscribed until it succeeds', () => {
    const d = monitoredDesk();
    const outs = d.feed({ kind: 'xsp.event', event: xspEvent(H, { type: 'SubscriptionTerminatedEvent' }) });
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'SUBSCRIBE', userId: H, packages: ALL_PACKAGES }]);
    expect(d.state.users[H]!.subscribed).toBe(false);
    // Refused: retried with backoff, as a resync command, for as long as it fails.
    expect(line(result(d, 'SUBSCRIBE', H, { status: 503 }))).toBe('reread:SUBSCRIBE @200');
    expect(line(d.fire(`reread:SUBSCRIBE|${H}`))).toBe('SUBSCRIBE desk-101');
    expect(line(result(d, 'SUBSCRIBE', H, { status: 403 }))).toBe('reread:SUBSCRIBE @600');
    d.fire(`reread:SUBSCRIBE|${H}`);
    expect(line(result(d, 'SUBSCRIBE', H, { status: 200, body: { kind: 'Subscriptions', subscriptionIds: ['s9'] } }))).toBe('');
    expect(d.state.users[H]!.subscribed).toBe(true);
    // Subscribed again: a resync re-reads the user but does not subscribe it once more.
    d.feed({ kind: 'xsp.channel', status: 'lost' });
    expect(line(d.feed({ kind: 'xsp.channel', status: 'up' }))).toBe('GET CallCenter desk-101 | GET CallForwardingAlways desk-101 | GET HotelingGuest desk-101');
  });

  it('a resync while the renewal is unanswered subscribes the user again, with the GETs', () => {
    const d = monitoredDesk();
    d.feed({ kind: 'xsp.event', event: xspEvent(H, { type: 'SubscriptionTerminatedEvent' }) });
    d.feed({ kind: 'xsp.channel', status: 'lost' });
    expect(line(d.feed({ kind: 'xsp.channel', status: 'up' }))).toBe('SUBSCRIBE desk-101 | GET CallCenter desk-101 | GET CallForwardingAlways desk-101 | GET HotelingGuest desk-101');
  });

  it('a SubscriptionTerminatedEvent for a user we do not hold is ignored', () => {
    const d = monitoredDesk();
    expect(d.feed({ kind: 'xsp.event', event: xspEvent('stranger@example.com', { type: 'SubscriptionTerminatedEvent' }) })).toEqual([]);
  });
});

describe('the group "Hoteling Guest" subscription (config.groupEvents, §4.6)', () => {
  it('sent on the first up, never again while it holds, not even after a loss', () => {
    // numberPlan off: the directory learn that also starts on the first up is numberPlan.test.ts's subject.
    const d = new StepDriver({ groupEvents: GROUP, numberPlan: false });
    const first = d.feed({ kind: 'xsp.channel', status: 'up' });
    expect(commandsIn(first).map((c) => c.command)).toEqual([
      { op: 'SUBSCRIBE', userId: ADMIN, packages: ['Hoteling Guest'], group: { serviceProviderId: 'sp-1', groupId: 'group-1' } },
    ]);
    expect(line(d.result(commandsIn(first)[0]!.commandId, { status: 200 }))).toBe('');
    expect(commandsIn(d.feed({ kind: 'xsp.channel', status: 'up' }))).toEqual([]);
    d.feed({ kind: 'xsp.channel', status: 'lost' });
    expect(commandsIn(d.feed({ kind: 'xsp.channel', status: 'up' }))).toEqual([]);
  });

  it('refused: retried with backoff (200, 400, 800 ms) for as long as it fails, the same group subscription each time', () => {
    const d = new StepDriver({ groupEvents: GROUP });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    const lines: string[] = [];
    const resent: unknown[] = [];
    for (const outcome of [{ status: 503 }, { status: 400 }, { transportError: 'ECONNRESET' }]) {
      lines.push(line(result(d, 'SUBSCRIBE', ADMIN, outcome)));
      const again = d.fire(`reread:SUBSCRIBE|${ADMIN}`);
      lines.push(`${d.now}: ${line(again)}`);
      resent.push(...commandsIn(again).map((c) => c.command));
    }
    expect(lines).toEqual(['reread:SUBSCRIBE @200', '200: SUBSCRIBE group-admin', 'reread:SUBSCRIBE @600', '600: SUBSCRIBE group-admin', 'reread:SUBSCRIBE @1400', '1400: SUBSCRIBE group-admin']);
    expect(resent).toEqual(Array.from({ length: 3 }, () => ({ op: 'SUBSCRIBE', userId: ADMIN, packages: ['Hoteling Guest'], group: { serviceProviderId: 'sp-1', groupId: 'group-1' } })));
    expect(line(result(d, 'SUBSCRIBE', ADMIN, { status: 200 }))).toBe('');
    expect(d.timers.has(`reread:SUBSCRIBE|${ADMIN}`)).toBe(false);
    expect(d.state.users[ADMIN]).toBeUndefined(); // the subscriber is not a user we hold
  });

  it('a guest we do not hold sits down at a desk we hold: the guest is read, and the desk monitors hear of it', () => {
    const d = monitoredDesk({ groupEvents: GROUP });
    const outs = d.feed({ kind: 'xsp.event', event: xspEvent(G, { type: 'HotelingGuestEvent', info: { ...AGENT.guest!, hostUserId: H } }) });
    expect(line(outs)).toBe('GET profile agent-001 | SUBSCRIBE agent-001 | GET CallCenter agent-001 | GET CallForwardingAlways agent-001 | GET HotelingGuest agent-001');
    const reads = d.answerFetch(G, { ...AGENT, agentACDState: 'Unavailable', guest: { ...AGENT.guest!, hostUserId: H } });
    expect(line(reads)).toBe('m1 AgentLoggedOnEvent agent-001 | m1 AgentNotReadyEvent agent-001');
  });

  it.each<[string, XsiEvent]>([
    ['a desk we do not hold', xspEvent(G, { type: 'HotelingGuestEvent', info: { ...AGENT.guest!, hostUserId: 'desk-109@example.com' } })],
    ['no desk (a release)', xspEvent(G, { type: 'HotelingGuestEvent', info: AGENT.guest! })],
    ['a desk still being read', xspEvent(G, { type: 'HotelingGuestEvent', info: { ...AGENT.guest!, hostUserId: 'desk-102@example.com' } })],
    ['no targetId', { ...xspEvent(G, { type: 'HotelingGuestEvent', info: { ...AGENT.guest!, hostUserId: H } }), targetId: undefined } as never],
    ['not a Hoteling Guest event', xspEvent(G, { type: 'AgentStateEvent', state: 'Available' })],
  ])('an event about a guest we do not hold, naming %s, starts nothing', (_name, event) => {
    const d = monitoredDesk({ groupEvents: GROUP });
    d.request('q', { service: 'GetForwarding', device: 'desk-102' }); // desk-102 is being read
    const before = Object.keys(d.state.users).sort();
    expect(commandsIn(d.feed({ kind: 'xsp.event', event }))).toEqual([]);
    expect(Object.keys(d.state.users).sort()).toEqual(before);
  });
});

describe('a user the XSP does not have (404) is not subscribed again and again', () => {
  it('its refused SUBSCRIBE is not retried: the device is answered invalidDeviceID once and nothing more goes out', () => {
    const d = new StepDriver();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    const X = 'nobody@elsewhere.org';
    const outs = d.request('1', { service: 'GetAgentState', device: X });
    expect(line(outs)).toBe('GET profile nobody | SUBSCRIBE nobody | GET CallCenter nobody | GET CallForwardingAlways nobody | GET HotelingGuest nobody');
    const answers: Output[] = [];
    for (const p of d.pending()) answers.push(...d.result(p.commandId, { status: 404 }));
    expect(answers.filter((o) => o.kind === 'csta.error').map((o) => o.kind === 'csta.error' && o.error)).toEqual([{ category: 'operation', value: 'invalidDeviceID' }]);
    // A retry of its subscription may be scheduled, but when it comes due nothing is sent.
    const due = answers.filter((o) => o.kind === 'timer.set' && o.timerId.startsWith('reread:'));
    const later = due.flatMap((o) => (o.kind === 'timer.set' ? d.fire(o.timerId) : []));
    expect(commandsIn(later)).toEqual([]);
    expect(d.pending()).toEqual([]);
    expect(d.state.rereads).toEqual({});
  });
});
