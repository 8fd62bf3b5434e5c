/**
 * Xsi-Events channels (reference §5.2–§5.4, §5.9). A channel belongs to a channel set; the
 * subscriptions bind to the set, so closing a channel loses no subscription: its events flow to
 * another open channel of the set, or are dropped while the set has none (the connector resyncs).
 *
 * A terminated channel is removed at once and its `channelTerminated` delivery is put on the
 * agenda at the same instant, so it comes out of the next `advance` in causal order.
 */
import type { ErrorInfo } from '@csta-bw/core';
import { Draft } from './draft.js';
import { xspError } from './errors.js';
import { nodeOf, type ChannelRecord, type ChannelTerminationReason, type XspState } from './state.js';

/** Requested lifetimes below this are raised to it (reference §5.2). */
export const MIN_EXPIRES_SECONDS = 3600;
/** `expires` meaning "never". */
export const NEVER_EXPIRES = 2_147_483_647;

export function clampExpires(expires: number | undefined): number {
  if (expires === undefined || !Number.isFinite(expires)) return MIN_EXPIRES_SECONDS;
  return Math.min(NEVER_EXPIRES, Math.max(MIN_EXPIRES_SECONDS, Math.trunc(expires)));
}

/**
 * The lifetime a real XSP grants: a 2022 capture answered 86400 s to a channel asked 3600 s and
 * to a subscription asked 120 s (reference/xsi.md §5.2, §5.5; interop.md), so anything shorter is
 * raised to a day; longer asks are granted as asked, up to "never" (2147483647).
 */
export const GRANTED_MIN_EXPIRES_SECONDS = 86_400;
export function grantExpires(expires: number | undefined): number {
  return Math.max(GRANTED_MIN_EXPIRES_SECONDS, clampExpires(expires));
}
export const expiryInstant = (now: number, expires: number): number | undefined =>
  expires >= NEVER_EXPIRES ? undefined : now + expires * 1000;

export type ChannelRefusal = { status: number; error: ErrorInfo };

function refuse(name: Parameters<typeof xspError>[0], detail: string): ChannelRefusal {
  const o = xspError(name, detail);
  return { status: o.status, error: o.body.error };
}

export const isPrincipal = (s: XspState, userId: string): boolean =>
  userId === s.adminUserId || Object.hasOwn(s.users, userId);

export interface OpenChannelRequest {
  asUser: string;
  channelSetId: string;
  expires?: number;
  /** The cluster node that took the POST (nodes.ts); absent = node 0 of a single XSP. */
  node?: number;
  /** Reference §5.9: lower = preferred (default 1); share among equals by weight (default 50). */
  priority?: number;
  weight?: number;
}

/**
 * POST channel. The channelId comes from the PRNG. `expires` is in seconds, granted per
 * `grantExpires` (at least 86400); the granted value is returned. Refused (401/400) for an unknown user or an
 * empty/oversized channelSetId, 400 for a node the XSP does not have, 503 on a node that is down.
 */
export function openChannel(s: XspState, opts: OpenChannelRequest, now: number): { state: XspState; channelId: string; expires: number } | ChannelRefusal {
  if (!isPrincipal(s, opts.asUser)) return refuse('NOT_AUTHENTICATED', `unknown user "${opts.asUser}"`);
  if (typeof opts.channelSetId !== 'string' || opts.channelSetId.length === 0 || opts.channelSetId.length > 256) {
    return refuse('CHANNEL_SET_REQUIRED', 'channelSetId must be 1..256 characters');
  }
  if (opts.node !== undefined) {
    const node = nodeOf(s, opts.node);
    if (node === undefined) return refuse('SCHEMA_VIOLATION', `no XSP node ${String(opts.node)}`);
    if (!node.up) return refuse('SERVICE_UNAVAILABLE', `XSP node ${opts.node} is down`);
  }
  for (const name of ['priority', 'weight'] as const) {
    const v = opts[name];
    if (v !== undefined && !(Number.isSafeInteger(v) && v >= 1)) return refuse('SCHEMA_VIOLATION', `${name} must be a positive integer`);
  }
  const d = new Draft(s);
  const expires = grantExpires(opts.expires);
  const ch: ChannelRecord = { channelId: d.uuid(), channelSetId: opts.channelSetId, ownerId: opts.asUser, expires };
  if (opts.node !== undefined) ch.node = opts.node;
  if (opts.priority !== undefined) ch.priority = opts.priority;
  if (opts.weight !== undefined) ch.weight = opts.weight;
  const expiresAt = expiryInstant(now, expires);
  if (expiresAt !== undefined) {
    ch.expiresAt = expiresAt;
    d.schedule(expiresAt, { kind: 'channelExpiry', channelId: ch.channelId, expiresAt });
  }
  d.putChannel(ch);
  return { state: d.finish(), channelId: ch.channelId, expires };
}

/** PUT channel/<id>: only `expires` can change (reference §5.4). */
export function updateChannel(
  s: XspState,
  channelId: string,
  expires: number,
  now: number,
): { state: XspState; expires: number } | ChannelRefusal {
  const d = new Draft(s);
  const ch = d.channel(channelId);
  if (!ch) return refuse('CHANNEL_NOT_FOUND', channelId);
  const granted = grantExpires(expires);
  d.unschedule((i) => i.kind === 'channelExpiry' && i.channelId === channelId);
  const next: ChannelRecord = { ...ch, expires: granted };
  delete next.expiresAt;
  const expiresAt = expiryInstant(now, granted);
  if (expiresAt !== undefined) {
    next.expiresAt = expiresAt;
    d.schedule(expiresAt, { kind: 'channelExpiry', channelId, expiresAt });
  }
  d.putChannel(next);
  return { state: d.finish(), expires: granted };
}

/** Removes the channel now and queues its `channelTerminated` delivery at `at`. No-op if gone. */
export function terminateChannel(d: Draft, channelId: string, reason: ChannelTerminationReason, at: number): void {
  if (!d.channel(channelId)) return;
  d.deleteChannel(channelId);
  d.unschedule((i) => i.kind === 'channelExpiry' && i.channelId === channelId);
  d.schedule(at, { kind: 'channelTerminated', channelId, reason });
}

/**
 * DELETE channel/<id> (or a dropped stream). Unknown channel → the state unchanged (idempotent;
 * the HTTP server asks `channelInfo` first to answer 404).
 */
export function closeChannel(s: XspState, channelId: string, now: number, reason: ChannelTerminationReason = 'ExplicitDelete'): XspState {
  if (!Object.hasOwn(s.channels, channelId)) return s;
  const d = new Draft(s);
  terminateChannel(d, channelId, reason, now);
  return d.finish();
}

/** Terminates every open channel (the external actor `channelTerminate`). */
export function terminateAllChannels(d: Draft, reason: ChannelTerminationReason, at: number): void {
  for (const id of Object.keys(d.s.channels)) terminateChannel(d, id, reason, at);
}

/** An agenda item `channelExpiry` fired: the channel expires unless it was refreshed since. */
export function expireChannel(d: Draft, channelId: string, expiresAt: number, at: number): void {
  const ch = d.channel(channelId);
  if (ch && ch.expiresAt === expiresAt) terminateChannel(d, channelId, 'Expired', at);
}

export function channelInfo(s: XspState, channelId: string): ChannelRecord | undefined {
  return Object.hasOwn(s.channels, channelId) ? s.channels[channelId] : undefined;
}
