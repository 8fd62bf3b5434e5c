/**
 * Xsi-Events subscriptions (reference §5.5): one subscription per (subscriber, target, package,
 * channel set). Subscribing again with the same four refreshes the existing subscription instead
 * of duplicating it (as BroadWorks replaces a list-subscription), so a reconnecting client never
 * receives each event twice.
 *
 * Targets: a user, the group, or the whole enterprise / service provider (`enterprise/<id>` ≡
 * `serviceprovider/<id>`, the directory's `serviceProviderId`). Scope: a user may subscribe to
 * itself; the group admin to any user of the group, the group and its enterprise; anything else
 * → 403. Every XSD event package is accepted (packages.ts says which produce events), except the
 * deprecated `Call Recording`. User targets get initial events right after the 200 — only for
 * services the user has — on subscribe and on refresh; group and enterprise targets get none.
 * Deleting or expiring a subscription emits SubscriptionTerminatedEvent on it.
 */
import { XSI_EVENT_PACKAGES, type XsiEventPackage, type XsiOutcome } from '@csta-bw/core';
import { expiryInstant, grantExpires, isPrincipal } from './channels.js';
import { Draft } from './draft.js';
import { xspError } from './errors.js';
import { emitOnSubscription } from './events.js';
import { initialEvent } from './packages.js';
import type { SubscriptionRecord, SubscriptionTarget, XspState } from './state.js';

/** Lifetime granted to the SUBSCRIBE command, which carries no `expires` (as observed on the wire). */
export const SUBSCRIBE_COMMAND_EXPIRES = 86_400;

export interface SubscribeRequest {
  asUser: string;
  /** Exactly one of `targetUserId`, `groupId` and `serviceProviderId`. */
  targetUserId?: string;
  groupId?: string;
  /** The enterprise / service provider (`enterprise/<id>` or `serviceprovider/<id>`). */
  serviceProviderId?: string;
  packages: XsiEventPackage[];
  channelSetId: string;
  /** Seconds; granted per `grantExpires` (at least 86400, as a real XSP). */
  expires?: number;
  applicationId?: string;
}

/** Emits the initial event of `sub` if its target is a user and the package sends one for it. */
function emitInitialEvent(d: Draft, sub: SubscriptionRecord, now: number): void {
  if (sub.target.kind !== 'user') return;
  const u = d.user(sub.target.userId);
  const data = u && initialEvent(d.s, u, sub.package);
  if (u && data) emitOnSubscription(d, sub, u.userId, data, now);
}

const sameTarget = (a: SubscriptionTarget, b: SubscriptionTarget): boolean =>
  (a.kind === 'user' && b.kind === 'user' && a.userId === b.userId) ||
  (a.kind === 'group' && b.kind === 'group' && a.groupId === b.groupId) ||
  (a.kind === 'serviceProvider' && b.kind === 'serviceProvider' && a.serviceProviderId === b.serviceProviderId);

/** The id an event or a GET names the target by. */
export function targetIdOf(t: SubscriptionTarget): string {
  return t.kind === 'user' ? t.userId : t.kind === 'group' ? t.groupId : t.serviceProviderId;
}

function setExpiry(d: Draft, sub: SubscriptionRecord, expires: number, now: number): void {
  sub.expires = expires;
  delete sub.expiresAt;
  d.unschedule((i) => i.kind === 'subscriptionExpiry' && i.subscriptionId === sub.subscriptionId);
  const at = expiryInstant(now, expires);
  if (at === undefined) return;
  sub.expiresAt = at;
  d.schedule(at, { kind: 'subscriptionExpiry', subscriptionId: sub.subscriptionId, expiresAt: at });
}

/** Draft-level subscribe, shared by the SUBSCRIBE command and the HTTP server's POST. */
export function subscribeIn(d: Draft, req: SubscribeRequest, now: number): XsiOutcome {
  if (!isPrincipal(d.s, req.asUser)) return xspError('NOT_AUTHENTICATED', `unknown user "${req.asUser}"`);
  if (typeof req.channelSetId !== 'string' || req.channelSetId.length === 0 || req.channelSetId.length > 256) {
    return xspError('CHANNEL_SET_REQUIRED', 'subscriptions are delivered on a channel set only');
  }
  if (!Array.isArray(req.packages) || req.packages.length === 0) return xspError('UNKNOWN_EVENT_PACKAGE', 'no event package given');
  const unknown = req.packages.find((p) => !XSI_EVENT_PACKAGES.includes(p));
  if (unknown !== undefined) return xspError('UNKNOWN_EVENT_PACKAGE', String(unknown));
  if (req.packages.includes('Call Recording')) return xspError('EVENT_PACKAGE_DEPRECATED', 'Call Recording');

  const isAdmin = req.asUser === d.s.adminUserId;
  const given = [req.targetUserId, req.groupId, req.serviceProviderId].filter((x) => x !== undefined).length;
  if (given !== 1) return xspError('SCHEMA_VIOLATION', 'give exactly one of targetUserId, groupId and serviceProviderId');
  let target: SubscriptionTarget;
  if (req.targetUserId !== undefined) {
    if (!isAdmin && req.asUser !== req.targetUserId) return xspError('OUT_OF_SCOPE', req.targetUserId);
    if (!d.user(req.targetUserId)) return xspError('UNKNOWN_USER', req.targetUserId);
    target = { kind: 'user', userId: req.targetUserId };
  } else if (req.groupId !== undefined) {
    if (!isAdmin || req.groupId !== d.s.groupId) return xspError('OUT_OF_SCOPE', `group ${req.groupId}`);
    target = { kind: 'group', groupId: req.groupId };
  } else {
    const sp = req.serviceProviderId as string;
    if (!isAdmin || sp !== d.s.serviceProviderId) return xspError('OUT_OF_SCOPE', `enterprise/service provider ${sp}`);
    target = { kind: 'serviceProvider', serviceProviderId: sp };
  }

  const expires = grantExpires(req.expires);
  const subscriptionIds: string[] = [];
  for (const pkg of req.packages) {
    const same = Object.values(d.s.subscriptions).find(
      (x) => x.subscriberId === req.asUser && x.package === pkg && x.channelSetId === req.channelSetId && sameTarget(x.target, target),
    );
    let sub: SubscriptionRecord;
    if (same) {
      sub = d.subscriptionMut(same.subscriptionId);
    } else {
      sub = {
        subscriptionId: d.uuid(), subscriberId: req.asUser, target: { ...target }, package: pkg,
        channelSetId: req.channelSetId, expires, nextSequenceNumber: 1,
      };
      d.putSubscription(sub);
    }
    if (req.applicationId !== undefined) sub.applicationId = req.applicationId;
    setExpiry(d, sub, expires, now);
    subscriptionIds.push(sub.subscriptionId);
  }
  // Initial events follow the 200 (they are delivered through the agenda, after the answer).
  for (const id of subscriptionIds) {
    const sub = d.subscription(id);
    if (sub) emitInitialEvent(d, sub, now);
  }
  return { status: 200, body: { kind: 'Subscriptions', subscriptionIds } };
}

/** POST subscription (user or group target). */
export function subscribe(s: XspState, req: SubscribeRequest, now: number): { state: XspState; outcome: XsiOutcome } {
  const d = new Draft(s);
  const outcome = subscribeIn(d, req, now);
  return 'status' in outcome && outcome.status === 200 ? { state: d.finish(), outcome } : { state: s, outcome };
}

/** Looks a subscription up for an owner (or the admin); every failure is 403 (reference §5.5). */
function ownSubscription(d: Draft, asUser: string, subscriptionId: string): SubscriptionRecord | undefined {
  const sub = d.subscription(subscriptionId);
  if (!sub) return undefined;
  return sub.subscriberId === asUser || asUser === d.s.adminUserId ? sub : undefined;
}

/** PUT subscription/<id>: new lifetime, and fresh initial events for a user target. */
export function refreshSubscription(
  s: XspState,
  req: { asUser: string; subscriptionId: string; expires?: number },
  now: number,
): { state: XspState; outcome: XsiOutcome } {
  const d = new Draft(s);
  if (!ownSubscription(d, req.asUser, req.subscriptionId)) return { state: s, outcome: xspError('SUBSCRIPTION_NOT_FOUND', req.subscriptionId) };
  const sub = d.subscriptionMut(req.subscriptionId);
  setExpiry(d, sub, grantExpires(req.expires), now);
  emitInitialEvent(d, sub, now);
  return { state: d.finish(), outcome: { status: 200, body: { kind: 'Subscriptions', subscriptionIds: [sub.subscriptionId] } } };
}

/** Emits SubscriptionTerminatedEvent on the subscription, then removes it. */
export function terminateSubscription(d: Draft, subscriptionId: string, now: number): void {
  const sub = d.subscription(subscriptionId);
  if (!sub) return;
  emitOnSubscription(d, sub, targetIdOf(sub.target), { type: 'SubscriptionTerminatedEvent' }, now);
  d.deleteSubscription(subscriptionId);
  d.unschedule((i) => i.kind === 'subscriptionExpiry' && i.subscriptionId === subscriptionId);
}

/** DELETE subscription/<id>. */
export function deleteSubscription(
  s: XspState,
  req: { asUser: string; subscriptionId: string },
  now: number,
): { state: XspState; outcome: XsiOutcome } {
  const d = new Draft(s);
  if (!ownSubscription(d, req.asUser, req.subscriptionId)) return { state: s, outcome: xspError('SUBSCRIPTION_NOT_FOUND', req.subscriptionId) };
  terminateSubscription(d, req.subscriptionId, now);
  return { state: d.finish(), outcome: { status: 200 } };
}

/** Agenda item `subscriptionExpiry`: expires unless refreshed since. */
export function expireSubscription(d: Draft, subscriptionId: string, expiresAt: number, at: number): void {
  if (d.subscription(subscriptionId)?.expiresAt === expiresAt) terminateSubscription(d, subscriptionId, at);
}

export function getSubscription(s: XspState, subscriptionId: string): SubscriptionRecord | undefined {
  return Object.hasOwn(s.subscriptions, subscriptionId) ? s.subscriptions[subscriptionId] : undefined;
}
