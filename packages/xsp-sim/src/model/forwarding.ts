/**
 * Call Forwarding Always (reference §3, DESIGN §3). The destination is accepted as an extension,
 * a number or a user id (a `tel:` prefix is stripped) and stored in that plain form: GET returns
 * it as stored; events carry `tel:<number>` (a user id as is). Activating needs a number, sent in
 * the same PUT or stored. An event is emitted only when something changed.
 */
import type { ForwardingInfo, XsiOutcome } from '@csta-bw/core';
import type { Draft } from './draft.js';
import { xspError } from './errors.js';
import { emitUserEvent } from './events.js';
import { forwardingEventInfo } from './views.js';

const PHONE = /^\+?[0-9*#][0-9*#-]{0,29}$/;
const USER_ID = /^[^\s@]+@[^\s@]+$/;

/** The plain stored form of a destination, or undefined if it is none of the accepted forms. */
export function normaliseDestination(raw: string): string | undefined {
  const v = raw.trim().replace(/^tel:/i, '');
  if (v.length > 161) return undefined;
  return PHONE.test(v) || USER_ID.test(v) ? v : undefined;
}

/** Writes the new settings; emits CallForwardingAlwaysEvent if they differ. */
export function applyForwarding(d: Draft, userId: string, next: ForwardingInfo, now: number): void {
  const cur = d.user(userId)?.forwarding;
  if (!cur || (cur.active === next.active && cur.forwardToPhoneNumber === next.forwardToPhoneNumber && cur.ringSplash === next.ringSplash)) return;
  const u = d.userMut(userId);
  u.forwarding = next;
  emitUserEvent(d, userId, 'Call Forwarding Always', { type: 'CallForwardingAlwaysEvent', info: forwardingEventInfo(next) }, now);
}

/** PUT CallForwardingAlways {active, forwardToPhoneNumber?: string | null}. */
export function putCallForwardingAlways(d: Draft, userId: string, body: unknown, now: number): XsiOutcome {
  const cur = d.user(userId)?.forwarding;
  if (!cur) return xspError('FORWARDING_NOT_ASSIGNED', userId);
  const b = (body ?? {}) as { active?: unknown; forwardToPhoneNumber?: unknown };
  if (b.active !== undefined && typeof b.active !== 'boolean') return xspError('SCHEMA_VIOLATION', 'active must be a boolean');
  const next: ForwardingInfo = { ...cur };
  if (typeof b.active === 'boolean') next.active = b.active;
  if (b.forwardToPhoneNumber === null) {
    delete next.forwardToPhoneNumber;
  } else if (typeof b.forwardToPhoneNumber === 'string') {
    const n = normaliseDestination(b.forwardToPhoneNumber);
    if (n === undefined) return xspError('FORWARDING_DESTINATION_INVALID', JSON.stringify(b.forwardToPhoneNumber));
    next.forwardToPhoneNumber = n;
  } else if (b.forwardToPhoneNumber !== undefined) {
    return xspError('SCHEMA_VIOLATION', 'forwardToPhoneNumber must be a string or nil');
  }
  if (next.active && next.forwardToPhoneNumber === undefined) return xspError('FORWARDING_NUMBER_REQUIRED', userId);
  applyForwarding(d, userId, next, now);
  return { status: 200 };
}
