import { describe, expect, it } from 'vitest';
import { nextWord, seedWord, uuidFromWords } from '../../src/model/rng.js';

describe('rng', () => {
  it('is a pure function of its word', () => {
    expect(nextWord(12345)).toEqual(nextWord(12345));
    expect(nextWord(12345).value).not.toBe(nextWord(12346).value);
  });
  it('normalises any seed to a uint32 word, neighbouring seeds far apart', () => {
    for (const seed of [0, 1, -1, 2 ** 40, 0.5, Number.NaN]) {
      const w = seedWord(seed);
      expect(Number.isInteger(w) && w >= 0 && w < 2 ** 32).toBe(true);
    }
    expect(seedWord(1)).not.toBe(seedWord(2));
  });
  it('draws roughly uniformly', () => {
    let w = seedWord(42);
    const buckets = new Array(8).fill(0) as number[];
    for (let i = 0; i < 8000; i++) {
      const r = nextWord(w);
      w = r.word;
      const b = Math.floor((r.value / 2 ** 32) * 8);
      buckets[b] = (buckets[b] ?? 0) + 1;
    }
    for (const n of buckets) expect(n).toBeGreaterThan(850);
  });
  it('formats v4 UUIDs', () => {
    expect(uuidFromWords(0, 0, 0, 0)).toBe('00000000-0000-4000-8000-000000000000');
    expect(uuidFromWords(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff)).toMatch(/^ffffffff-ffff-4fff-bfff-ffffffffffff$/);
  });
});
