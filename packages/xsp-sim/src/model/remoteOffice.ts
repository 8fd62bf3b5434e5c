/**
 * Remote Office (XSD `RemoteOffice`: `active`, `remoteOfficeNumber` — an Address, nillable).
 * Calls to the user ring the remote number while active. Changed by Xsi (PUT) and by the user
 * elsewhere (portal, an external actor).
 *
 * Rules: activating needs a number (sent in the same PUT or stored), as Call Forwarding Always
 * does; the number is a phone number (`tel:` accepted and stripped), stored plain, shown plain on
 * GET and as `tel:` in RemoteOfficeEvent. Nil clears it (only while inactive). An event is
 * emitted only when something changed.
 */
import type { RemoteOfficeInfo, XsiOutcome } from '@csta-bw/core';
import type { Draft } from './draft.js';
import { xspError } from './errors.js';
import { emitUserEvent } from './events.js';
import { remoteOfficeEventInfo } from './views.js';

const PHONE = /^\+?[0-9][0-9-]{0,29}$/;

function applyRemoteOffice(d: Draft, userId: string, next: RemoteOfficeInfo, now: number): void {
  const cur = d.user(userId)?.remoteOffice;
  if (!cur || (cur.active === next.active && cur.remoteOfficeNumber === next.remoteOfficeNumber)) return;
  d.userMut(userId).remoteOffice = next;
  emitUserEvent(d, userId, 'Remote Office', { type: 'RemoteOfficeEvent', info: remoteOfficeEventInfo(next) }, now);
}

/** PUT RemoteOffice {active?, remoteOfficeNumber?: number | null}. */
export function putRemoteOffice(d: Draft, userId: string, body: unknown, now: number): XsiOutcome {
  const cur = d.user(userId)?.remoteOffice;
  if (!cur) return xspError('REMOTE_OFFICE_NOT_ASSIGNED', userId);
  const b = (body ?? {}) as { active?: unknown; remoteOfficeNumber?: unknown };
  if (b.active !== undefined && typeof b.active !== 'boolean') return xspError('SCHEMA_VIOLATION', 'active must be a boolean');
  const next: RemoteOfficeInfo = { ...cur };
  if (typeof b.active === 'boolean') next.active = b.active;
  if (b.remoteOfficeNumber === null) {
    delete next.remoteOfficeNumber;
  } else if (typeof b.remoteOfficeNumber === 'string') {
    const n = b.remoteOfficeNumber.trim().replace(/^tel:/i, '');
    if (!PHONE.test(n)) return xspError('REMOTE_OFFICE_NUMBER_INVALID', JSON.stringify(b.remoteOfficeNumber));
    next.remoteOfficeNumber = n;
  } else if (b.remoteOfficeNumber !== undefined) {
    return xspError('SCHEMA_VIOLATION', 'remoteOfficeNumber must be a string or nil');
  }
  if (next.active && next.remoteOfficeNumber === undefined) return xspError('REMOTE_OFFICE_NUMBER_REQUIRED', userId);
  applyRemoteOffice(d, userId, next, now);
  return { status: 200 };
}
