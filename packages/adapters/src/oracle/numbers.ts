/**
 * How the oracle compares forwarding destinations: BroadWorks stores a number plainly and shows it
 * as a `tel:` URI in events (reference/xsi.md), clients may write separators; a user id stays a
 * user id. Two destinations are the same when their keys are equal.
 */

/** `tel:+1 (202) 555-01` → `+120255501`; `desk-101@example.com` stays as it is (lower case). */
export function destinationKey(n: string): string {
  const bare = n.trim().replace(/^(?:tel|sip):/i, '');
  return bare.includes('@') ? bare.toLowerCase() : bare.replace(/[\s\-().]/g, '');
}

/** `on→KEY` or `off`: a forwarding setting as one comparable word. */
export function forwardingWord(f: { active: boolean; forwardToPhoneNumber?: string | undefined } | undefined): string {
  return f?.active ? `on→${destinationKey(f.forwardToPhoneNumber ?? '')}` : 'off';
}
