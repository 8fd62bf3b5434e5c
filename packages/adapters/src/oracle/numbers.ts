/**
 * How the oracle compares forwarding destinations. BroadWorks stores a number as it was written
 * and shows it as a `tel:` URI in events (reference/xsi.md); the same number may be written with
 * or without separators, so numbers compare by their characters without separators. A user id is
 * a name, not a number: it compares exactly (case aside) — `desk-104@example.com` and
 * `desk104@examplecom` are different users.
 */

const bare = (n: string): string => n.trim().replace(/^(?:tel|sip):/i, '');
const isUserId = (n: string): boolean => bare(n).includes('@');
const squeezed = (n: string): string => bare(n).replace(/[\s\-().]/g, '').toLowerCase();

/** `tel:+1 (202) 555-01` → `+120255501`; `Desk-104@Example.com` → `desk-104@example.com`. */
export function destinationKey(n: string): string {
  return isUserId(n) ? bare(n).toLowerCase() : squeezed(n);
}

/** `on→KEY` or `off`: a forwarding setting as one comparable word. */
export function forwardingWord(f: { active: boolean; forwardToPhoneNumber?: string | undefined } | undefined): string {
  return f?.active ? `on→${destinationKey(f.forwardToPhoneNumber ?? '')}` : 'off';
}

/**
 * `forwardingWord` with separators dropped from user ids too: equal for two settings that differ
 * only by a user id with its separators squeezed out — the connector's known mangling of user-id
 * destinations (it stores every destination as a number; issue 16), which the oracle counts.
 */
export function squeezedWord(f: { active: boolean; forwardToPhoneNumber?: string | undefined } | undefined): string {
  return f?.active ? `on→${squeezed(f.forwardToPhoneNumber ?? '')}` : 'off';
}

/** The deviation counted when two settings differ only by a squeezed user id. */
export const SQUEEZED_DEVIATION = 'deviation:user-id-destination-squeezed';

/**
 * Whether two forwarding settings agree. Settings that differ only by a squeezed user id agree
 * (the connector's known mangling), and `judged` counts that they did.
 */
export function sameForwarding(a: Parameters<typeof forwardingWord>[0], b: Parameters<typeof forwardingWord>[0], judged?: Set<string>): boolean {
  if (forwardingWord(a) === forwardingWord(b)) return true;
  if (squeezedWord(a) !== squeezedWord(b)) return false;
  judged?.add(SQUEEZED_DEVIATION);
  return true;
}
