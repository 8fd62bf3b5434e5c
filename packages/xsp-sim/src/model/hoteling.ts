/**
 * Hoteling (reference §4, DESIGN §6.2): a guest associates with a host desk.
 *
 * Rules of PUT HotelingGuest hostUserId=H (checked in this order, first failure answered):
 *   1. the guest has Hoteling Guest, and it is active (or the same PUT sets active=true);
 *   2. H ≠ guest;  3. H exists;  4. H has Hoteling Host;  5. it is active;
 *   6. H hosts no other guest;
 *   7. if H enforces a limit and the guest's limit is enabled, the guest's hours ≤ H's hours.
 * A guest associated elsewhere moves (the old host is freed). hostUserId nil releases.
 * A PUT that changes nothing answers 200 and emits nothing; any change emits one
 * HotelingGuestEvent for the guest (there is no host event package).
 *
 * Association limit: the association ends by itself after the smallest of the guest's limit (if
 * enabled) and the host's limit (if enforced). A guest whose own limit is disabled may associate
 * with an enforcing host: the host's limit then applies.
 */
import type { XsiOutcome } from '@csta-bw/core';
import type { Draft } from './draft.js';
import { xspError } from './errors.js';
import { emitUserEvent } from './events.js';
import { guestInfo } from './views.js';

const HOUR_MS = 3_600_000;

function emitGuestEvent(d: Draft, guestUserId: string, now: number): void {
  const u = d.user(guestUserId);
  const info = u && guestInfo(d.s, u);
  if (info) emitUserEvent(d, guestUserId, 'Hoteling Guest', { type: 'HotelingGuestEvent', info }, now);
}

/** Clears both sides of the guest's association (no event). */
function clearAssociation(d: Draft, guestUserId: string): void {
  const g = d.userMut(guestUserId);
  const hostId = g.guest?.hostUserId;
  if (!g.guest || hostId === undefined) return;
  delete g.guest.hostUserId;
  delete g.guest.associatedAt;
  d.unschedule((i) => i.kind === 'associationExpiry' && i.guestUserId === guestUserId);
  const host = d.user(hostId);
  if (host?.host?.guestUserId === guestUserId) delete d.userMut(hostId).host?.guestUserId;
}

function associate(d: Draft, guestUserId: string, hostUserId: string, now: number): void {
  clearAssociation(d, guestUserId);
  const g = d.userMut(guestUserId);
  const h = d.userMut(hostUserId);
  if (!g.guest || !h.host) return;
  g.guest.hostUserId = hostUserId;
  g.guest.associatedAt = now;
  h.host.guestUserId = guestUserId;
  const limits: number[] = [];
  if (g.guest.enableAssociationLimit) limits.push(g.guest.associationLimitHours);
  if (h.host.enforceAssociationLimit) limits.push(h.host.associationLimitHours);
  if (limits.length > 0) {
    d.schedule(now + Math.min(...limits) * HOUR_MS, { kind: 'associationExpiry', guestUserId, associatedAt: now });
  }
}

/** Ends the guest's association (if any) and reports it; true if there was one. */
export function releaseGuest(d: Draft, guestUserId: string, now: number): boolean {
  if (d.user(guestUserId)?.guest?.hostUserId === undefined) return false;
  clearAssociation(d, guestUserId);
  emitGuestEvent(d, guestUserId, now);
  return true;
}

/** PUT HotelingGuest {hostUserId: H | null, active?}. */
export function putHotelingGuest(d: Draft, guestUserId: string, body: unknown, now: number): XsiOutcome {
  const guest = d.user(guestUserId)?.guest;
  if (!guest) return xspError('GUEST_NOT_ASSIGNED', guestUserId);
  const b = (body ?? {}) as { hostUserId?: unknown; active?: unknown };
  if (b.active !== undefined && typeof b.active !== 'boolean') return xspError('SCHEMA_VIOLATION', 'active must be a boolean');
  if (b.hostUserId !== undefined && b.hostUserId !== null && typeof b.hostUserId !== 'string') {
    return xspError('SCHEMA_VIOLATION', 'hostUserId must be a user id or nil');
  }
  const active = typeof b.active === 'boolean' ? b.active : guest.active;
  const hostUserId = b.hostUserId as string | null | undefined;

  if (typeof hostUserId === 'string') {
    if (!active) return xspError('GUEST_INACTIVE', guestUserId);
    if (hostUserId === guestUserId) return xspError('SELF_ASSOCIATION', guestUserId);
    const hostUser = d.user(hostUserId);
    if (!hostUser) return xspError('HOST_UNKNOWN', hostUserId);
    const host = hostUser.host;
    if (!host) return xspError('HOST_NOT_ASSIGNED', hostUserId);
    if (!host.active) return xspError('HOST_INACTIVE', hostUserId);
    if (host.guestUserId !== undefined && host.guestUserId !== guestUserId) return xspError('HOST_BUSY', `${hostUserId} hosts ${host.guestUserId}`);
    if (host.enforceAssociationLimit && guest.enableAssociationLimit && guest.associationLimitHours > host.associationLimitHours) {
      return xspError('GUEST_LIMIT_ABOVE_HOST_LIMIT', `${guest.associationLimitHours} h > ${host.associationLimitHours} h`);
    }
  }

  let changed = false;
  if (active !== guest.active) {
    const g = d.userMut(guestUserId).guest;
    if (g) g.active = active;
    changed = true;
  }
  const associated = guest.hostUserId !== undefined;
  if (associated && (hostUserId === null || !active)) {
    clearAssociation(d, guestUserId);
    changed = true;
  } else if (typeof hostUserId === 'string' && guest.hostUserId !== hostUserId) {
    associate(d, guestUserId, hostUserId, now);
    changed = true;
  }
  if (changed) emitGuestEvent(d, guestUserId, now);
  return { status: 200 };
}

/** PUT HotelingHost {removeGuestAssociation?, active?}: force-release, (de)activate. */
export function putHotelingHost(d: Draft, hostUserId: string, body: unknown, now: number): XsiOutcome {
  const host = d.user(hostUserId)?.host;
  if (!host) return xspError('HOST_NOT_ASSIGNED', hostUserId);
  const b = (body ?? {}) as { removeGuestAssociation?: unknown; active?: unknown };
  if (b.active !== undefined && typeof b.active !== 'boolean') return xspError('SCHEMA_VIOLATION', 'active must be a boolean');
  if (b.removeGuestAssociation !== undefined && typeof b.removeGuestAssociation !== 'boolean') {
    return xspError('SCHEMA_VIOLATION', 'removeGuestAssociation must be a boolean');
  }
  if (typeof b.active === 'boolean' && b.active !== host.active) {
    const h = d.userMut(hostUserId).host;
    if (h) h.active = b.active;
  }
  // An inactive host keeps no guest.
  const guestUserId = host.guestUserId;
  if (guestUserId !== undefined && (b.removeGuestAssociation === true || b.active === false)) releaseGuest(d, guestUserId, now);
  return { status: 200 };
}

/** Agenda item `associationExpiry`: ends the association unless it was replaced since. */
export function expireAssociation(d: Draft, guestUserId: string, associatedAt: number, at: number): void {
  const g = d.user(guestUserId)?.guest;
  if (g?.hostUserId !== undefined && g.associatedAt === associatedAt) releaseGuest(d, guestUserId, at);
}
