import { fc, test } from '@fast-check/vitest';
import { expect, it } from 'vitest';
import { isoFromMillis } from '../../src/index.js';

it('formats known instants', () => {
  expect(isoFromMillis(0)).toBe('1970-01-01T00:00:00.000Z');
  expect(isoFromMillis(1_505_395_898_803)).toBe('2017-09-14T13:31:38.803Z');
  expect(isoFromMillis(951_782_400_000)).toBe('2000-02-29T00:00:00.000Z');
});

// The test may use Date as the oracle; the model may not.
test.prop([fc.integer({ min: -62_000_000_000_000, max: 253_402_300_799_999 })], { numRuns: 500 })(
  'agrees with Date#toISOString',
  (ms) => {
    expect(isoFromMillis(ms)).toBe(new Date(ms).toISOString());
  },
);
