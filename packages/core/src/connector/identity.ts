/**
 * Naming users (DESIGN §3). A CSTA `device`/`agentID` is a full user id, a bare user part
 * (we append `@defaultDomain`), or an extension/number found in the connector's number index
 * (numberPlan.ts: learnt from the XSP's directory and from profiles).
 */
import type { UserRecord } from './state.js';

/** `number` (normalised) is set when the id is a dialling number the index does not know yet. */
export type Resolution = { userId: string } | { unknown: true; number?: string };

/** Normalised number or extension → user id (numberPlan.ts keeps it). */
export type NumberIndex = Record<string, string>;

/** A dialling number in any form `normaliseNumber` reads: an optional tel:/sip:, an optional +,
 *  digits, and - ( ) . or spaces between them. Anything with a letter is a user part. */
const DIALLING_NUMBER = /^(?:tel:|sip:)?\+?[\s().-]*[0-9][0-9\s().-]*$/i;

export function resolveUserId(id: string, numbers: NumberIndex, defaultDomain: string): Resolution {
  const trimmed = id.trim();
  if (trimmed === '') return { unknown: true };
  if (trimmed.includes('@')) return { userId: trimmed };
  if (DIALLING_NUMBER.test(trimmed)) {
    const digits = normaliseNumber(trimmed);
    // Own-property check: a number is never a key like `constructor`, but the index is a plain object.
    return Object.hasOwn(numbers, digits) ? { userId: numbers[digits]! } : { unknown: true, number: digits };
  }
  return { userId: `${trimmed}@${defaultDomain}` };
}

/** Whether a client's id is written as a dialling number (then it expects numbers back). */
export function isDiallingNumber(id: string): boolean {
  return DIALLING_NUMBER.test(id.trim());
}

/** The index keys a profile or directory entry gives its user: extension and number, normalised. */
export function numberKeys(p: { extension?: string | undefined; number?: string | undefined }): string[] {
  const keys: string[] = [];
  for (const n of [p.extension, p.number]) {
    const k = n === undefined ? '' : normaliseNumber(n);
    if (k !== '' && !keys.includes(k)) keys.push(k);
  }
  return keys;
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
