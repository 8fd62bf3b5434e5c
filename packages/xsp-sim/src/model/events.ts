/**
 * Event emission and delivery on channels, with the acknowledgement rules of reference §5.7.
 *
 * Theory of operation
 * 1. A change on user U emits, for each subscription watching U for that package, one event:
 *    the subscription's next sequenceNumber (1…2^31−1, wrapping to 1) and a fresh eventID from
 *    the PRNG. It is scheduled at `now + delay` (fault profile), but never before the previous
 *    event about U (per-user order; cross-user order may change).
 * 2. At delivery the event goes to an open channel of the subscription's channel set (§5.9):
 *    the best priority (lowest number) first; among equals, by weight — weighted rendezvous
 *    hashing of (subscription, channel), so each subscription keeps one channel (its events stay
 *    in order on one stream), the set's subscriptions spread by weight, and when a channel goes
 *    only its subscriptions move. None open → dropped (the sequence gap tells the client).
 * 3. A delivered event stays pending until acked. Not acked within ACK_TIMEOUT_MS → delivered
 *    again, on the next channel of the set; after MAX_DELIVERY_ATTEMPTS deliveries the channel
 *    is terminated (NonResponsiveChannel) and the event dropped.
 * 4. Ack status: 200 done · 400 dropped · 404 channel terminated (UnknownChannel), event resent
 *    on another channel of the set · 481 subscription deleted, event dropped · 500 resent on the
 *    next channel. Resends count as attempts, so a client answering 500 forever cannot loop.
 */
import type { XsiEvent, XsiEventData, XsiEventPackage, XsiOutcome } from '@csta-bw/core';
import { terminateChannel } from './channels.js';
import { Draft } from './draft.js';
import { drawDuplicate, drawEventDelay } from './faults.js';
import type { ChannelRecord, ChannelTerminationReason, EventEnvelope, Scheduled, SubscriptionRecord, XspState } from './state.js';

export const ACK_TIMEOUT_MS = 10_000;
export const MAX_DELIVERY_ATTEMPTS = 3;
export const MAX_SEQUENCE_NUMBER = 2_147_483_647;

/** What `advance` hands to the caller. */
export type Delivery =
  | { kind: 'result'; requestId: number; outcome: XsiOutcome }
  | { kind: 'event'; channelId: string; event: XsiEvent; envelope: EventEnvelope }
  | { kind: 'channelTerminated'; channelId: string; reason: ChannelTerminationReason };

/** Emits `data` about `userId` on every subscription watching that user for `pkg`. */
export function emitUserEvent(d: Draft, userId: string, pkg: XsiEventPackage, data: XsiEventData, now: number): void {
  for (const sub of Object.values(d.s.subscriptions)) {
    if (sub.package !== pkg) continue;
    const t = sub.target;
    // The group and its enterprise hold every user of the directory.
    const watches = t.kind === 'user' ? t.userId === userId : d.user(userId) !== undefined &&
      (t.kind === 'group' ? t.groupId === d.s.groupId : t.serviceProviderId === d.s.serviceProviderId);
    if (watches) emitOnSubscription(d, sub, userId, data, now);
  }
}

/** One event on one subscription (initial events, SubscriptionTerminatedEvent, changes). */
export function emitOnSubscription(d: Draft, sub: SubscriptionRecord, targetId: string, data: XsiEventData, now: number): void {
  const s = d.subscriptionMut(sub.subscriptionId);
  const sequenceNumber = s.nextSequenceNumber;
  s.nextSequenceNumber = sequenceNumber >= MAX_SEQUENCE_NUMBER ? 1 : sequenceNumber + 1;
  const event = { eventId: d.uuid(), sequenceNumber, subscriptionId: s.subscriptionId, targetId, ...data } as XsiEvent;
  const envelope: EventEnvelope = s.applicationId === undefined ? { subscriberId: s.subscriberId } : { subscriberId: s.subscriberId, applicationId: s.applicationId };
  const at = d.claimUserEventSlot(targetId, now + drawEventDelay(d));
  d.schedule(at, { kind: 'deliver', event, envelope, channelSetId: s.channelSetId, duplicate: false });
}

/** Forgets a pending event and cancels its ack timer. */
function settle(d: Draft, eventId: string): void {
  d.deletePending(eventId);
  d.unschedule((i) => i.kind === 'ackTimeout' && i.eventId === eventId);
}

/** FNV-1a of a text, as a draw in (0, 1): the same subscription and channel give the same draw. */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return (h + 0.5) / 0x1_0000_0000;
}

/** Rule 2: best priority, then weighted rendezvous on `key` (the subscription). No PRNG draw. */
function choose(channels: ChannelRecord[], key: string): ChannelRecord | undefined {
  if (channels.length <= 1) return channels[0];
  const best = Math.min(...channels.map((c) => c.priority ?? 1));
  let winner: ChannelRecord | undefined;
  let top = -Infinity;
  for (const c of channels) {
    if ((c.priority ?? 1) !== best) continue;
    const score = -(c.weight ?? 50) / Math.log(unitHash(`${key}|${c.channelId}`));
    if (score > top) {
      top = score;
      winner = c;
    }
  }
  return winner;
}

/** The preferred channel if still open, else the set's choice for this subscription. */
function pickChannel(d: Draft, channelSetId: string, preferred: string | undefined, key: string): ChannelRecord | undefined {
  const open = d.channelsOfSet(channelSetId);
  return open.find((c) => c.channelId === preferred) ?? choose(open, key);
}

/** Another channel of the set than `current` (falling back by priority), or `current` if it is the only one. */
function nextChannel(d: Draft, channelSetId: string, current: string, key: string): ChannelRecord | undefined {
  const open = d.channelsOfSet(channelSetId);
  const others = open.filter((c) => c.channelId !== current);
  return choose(others.length > 0 ? others : open, key);
}

/** Puts the event on a channel now, tracking it as pending (attempt + 1). */
function deliver(d: Draft, event: XsiEvent, envelope: EventEnvelope, channelSetId: string, channel: ChannelRecord | undefined, at: number, out: Delivery[]): void {
  if (!channel) {
    settle(d, event.eventId);
    return;
  }
  const prior = d.pending(event.eventId);
  if (prior) d.unschedule((i) => i.kind === 'ackTimeout' && i.eventId === event.eventId);
  const attempt = (prior?.attempt ?? 0) + 1;
  d.putPending(event.eventId, { event, envelope, channelSetId, channelId: channel.channelId, attempt });
  out.push({ kind: 'event', channelId: channel.channelId, event, envelope });
  d.schedule(at + ACK_TIMEOUT_MS, { kind: 'ackTimeout', eventId: event.eventId, attempt });
  if (drawDuplicate(d)) {
    d.schedule(at, { kind: 'deliver', event, envelope, channelSetId, channelId: channel.channelId, duplicate: true });
  }
}

/** Agenda item `deliver`. */
export function processDeliver(d: Draft, item: Scheduled & { kind: 'deliver' }, out: Delivery[]): void {
  const channel = pickChannel(d, item.channelSetId, item.channelId, item.event.subscriptionId);
  if (item.duplicate) {
    if (channel) out.push({ kind: 'event', channelId: channel.channelId, event: item.event, envelope: item.envelope });
    return;
  }
  const prior = d.pending(item.event.eventId);
  // A resend (item.channelId set) is void once the event was acked or dropped meanwhile.
  if (item.channelId !== undefined && !prior) return;
  deliver(d, item.event, item.envelope, item.channelSetId, channel, item.at, out);
}

/** Agenda item `ackTimeout`: resend, or give up on the channel. */
export function processAckTimeout(d: Draft, item: Scheduled & { kind: 'ackTimeout' }, out: Delivery[]): void {
  const p = d.pending(item.eventId);
  if (!p || p.attempt !== item.attempt) return; // acked, or superseded by a later delivery
  if (p.attempt >= MAX_DELIVERY_ATTEMPTS) {
    settle(d, item.eventId);
    terminateChannel(d, p.channelId, 'NonResponsiveChannel', item.at);
    return;
  }
  deliver(d, p.event, p.envelope, p.channelSetId, nextChannel(d, p.channelSetId, p.channelId, p.event.subscriptionId), item.at, out);
}

export type AckStatus = 200 | 400 | 404 | 481 | 500;

/**
 * EventResponse for `eventId` received on `channelId`. An unknown or already settled eventId
 * leaves the state unchanged (duplicates are acked twice legitimately).
 */
export function ackEvent(s: XspState, channelId: string, eventId: string, statusCode: AckStatus, now: number): XspState {
  if (!Object.hasOwn(s.pending, eventId)) return s;
  const d = new Draft(s);
  const p = d.pending(eventId);
  if (!p) return s;
  switch (statusCode) {
    case 200:
    case 400:
      settle(d, eventId);
      break;
    case 481:
      settle(d, eventId);
      d.deleteSubscription(p.event.subscriptionId);
      d.unschedule((i) => i.kind === 'subscriptionExpiry' && i.subscriptionId === p.event.subscriptionId);
      break;
    case 404:
    case 500: {
      if (statusCode === 404) terminateChannel(d, channelId, 'UnknownChannel', now);
      if (p.attempt >= MAX_DELIVERY_ATTEMPTS) {
        settle(d, eventId);
        break;
      }
      const key = p.event.subscriptionId;
      const next = statusCode === 404 ? pickChannel(d, p.channelSetId, undefined, key) : nextChannel(d, p.channelSetId, channelId, key);
      if (!next) {
        settle(d, eventId);
        break;
      }
      d.schedule(now, { kind: 'deliver', event: p.event, envelope: p.envelope, channelSetId: p.channelSetId, channelId: next.channelId, duplicate: false });
      break;
    }
    default:
      return s; // not an EventResponseStatusCode: nothing to do (the codec rejects it first)
  }
  return d.finish();
}
