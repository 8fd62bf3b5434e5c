/**
 * The simulator's only source of "randomness": mulberry32, a 32-bit PRNG whose whole state is one
 * unsigned 32-bit number. The number lives in `XspState.rng`, so a state stays plain data, can be
 * hashed, serialised and replayed: same seed + same calls → same draws, byte for byte.
 *
 * Every function here is pure: it takes the current word and returns the drawn value with the
 * next word. `Draft` (draft.ts) threads the word through a transaction.
 */

/** Turns any seed (negative, fractional, huge) into a valid generator word. */
export function seedWord(seed: number): number {
  const n = Number.isFinite(seed) ? Math.trunc(seed) : 0;
  // Mix once so that neighbouring seeds (1, 2, 3…) do not start on neighbouring words.
  return (Math.imul((n ^ 0x9e3779b9) >>> 0, 0x85ebca6b) ^ (n >>> 16)) >>> 0;
}

/** One mulberry32 step: a uniform uint32 and the next word. */
export function nextWord(word: number): { value: number; word: number } {
  const next = (word + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: (t ^ (t >>> 14)) >>> 0, word: next };
}

/** Formats four uint32 draws as a version-4, variant-1 UUID string (eventID, channelId, …). */
export function uuidFromWords(a: number, b: number, c: number, d: number): string {
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  const h = hex(a) + hex(b) + hex(c) + hex(d);
  const version = '4' + h.slice(13, 16);
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16) + h.slice(17, 20);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${version}-${variant}-${h.slice(20, 32)}`;
}
