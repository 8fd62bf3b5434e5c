/**
 * The repository's rule for property tests (vitest.setup.ts): one pinned seed in `pnpm test`, so a
 * red CI run reproduces as it is; a fresh seed in `pnpm test:deep`.
 */
import { expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';

const DEEP = process.env.CSTA_BW_DEEP === '1';
const PINNED_SEED = 20261125;

it('fast-check is configured with the pinned seed in pnpm test, none (fresh per run) in pnpm test:deep', () => {
  expect(fc.readConfigureGlobal().seed).toBe(DEEP ? undefined : PINNED_SEED);
});

// What a property without its own seed draws first is what the pinned seed draws first.
const firstDraws: string[] = [];
test.prop([fc.string({ minLength: 8 })], { numRuns: 1, endOnFailure: true })('(records the first draw of a property)', (s) => {
  firstDraws.push(s);
});

it.skipIf(DEEP)('a property that names no seed draws from the pinned one', () => {
  expect(firstDraws).toEqual(fc.sample(fc.string({ minLength: 8 }), { seed: PINNED_SEED, numRuns: 1 }));
});
