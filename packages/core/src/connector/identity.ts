/**
 * Naming users (DESIGN §3). A CSTA `device`/`agentID` is a full user id, a bare user part
 * (we append `@defaultDomain`), or an extension/number learnt from an XSP profile.
 */
import type { UserRecord } from './state.js';

export type Resolution = { userId: string } | { unknown: true };

/** A dialling number in any form `normaliseNumber` reads: an optional tel:/sip:, an optional +,
 *  digits, and - ( ) . or spaces between them. Anything with a letter is a user part. */
const DIALLING_NUMBER = /^(?:tel:|sip:)?\+?[\s().-]*[0-9][0-9\s().-]*$/i;

export function resolveUserId(id: string, users: Record<string, UserRecord>, defaultDomain: string): Resolution {
  const trimmed = id.trim();
  if (trimmed === '') return { unknown: true };
  if (trimmed.includes('@')) return { userId: trimmed };
  if (DIALLING_NUMBER.test(trimmed)) {
    const digits = normaliseNumber(trimmed);
    for (const u of Object.values(users)) {
      if (u.profile && (normaliseNumber(u.profile.extension ?? '') === digits || normaliseNumber(u.profile.number ?? '') === digits)) {
        return { userId: u.userId };
      }
    }
    return { unknown: true };
  }
  return { userId: `${trimmed}@${defaultDomain}` };
}

/** `tel:+1-202-555` → `+1202555`: the form in which numbers are compared. */
export function normaliseNumber(n: string): string {
  return n.replace(/^(tel:|sip:)/i, '').replace(/[-\s().]/g, '');
}

/** How the connector names a user to CSTA clients when it has no client-given name. */
export function displayId(userId: string, defaultDomain: string): string {
  const suffix = `@${defaultDomain}`;
  return userId.endsWith(suffix) ? userId.slice(0, -suffix.length) : userId;
}

/** Where a host is forwarded for a guest: extension, else number, else user id (DESIGN §3). */
export function forwardTargetOf(user: UserRecord): string {
  return user.profile?.extension ?? user.profile?.number ?? user.userId;
}

/** Whether a forwarding number designates `target` (compared in normalised form). */
export function sameNumber(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && normaliseNumber(a) === normaliseNumber(b);
}
