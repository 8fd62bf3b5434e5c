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

/** `forwardingWord` with separators dropped from user ids too: a lenient key for matching a
 *  command's target to a guest (not for judging what a desk holds). */
export function squeezedWord(f: { active: boolean; forwardToPhoneNumber?: string | undefined } | undefined): string {
  return f?.active ? `on→${squeezed(f.forwardToPhoneNumber ?? '')}` : 'off';
}

/**
 * Whether two forwarding settings agree: numbers without their separators, user ids exactly (case
 * aside). (The connector once squeezed user-id destinations to `desk104@examplecom`; that is a
 * violation now, no longer a counted deviation.)
 */
export function sameForwarding(a: Parameters<typeof forwardingWord>[0], b: Parameters<typeof forwardingWord>[0]): boolean {
  return forwardingWord(a) === forwardingWord(b);
}
