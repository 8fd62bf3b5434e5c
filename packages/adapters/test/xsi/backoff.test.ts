import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { DEFAULT_RECONNECT_BACKOFF, reconnectDelay } from '../../src/xsi/backoff.js';

describe('reconnectDelay', () => {
  test.prop([fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 600_000 }), fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true })])(
    'stays within [cap/2, cap] where cap = min(max, base·2^attempt)',
    (baseMs, maxMs, attempt, draw) => {
      const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
      const d = reconnectDelay({ baseMs, maxMs }, attempt, draw);
      expect(d).toBeGreaterThanOrEqual(Math.floor(cap / 2));
      expect(d).toBeLessThanOrEqual(Math.ceil(cap));
    },
  );

  it('grows exponentially until the cap, so repeated failures slow down', () => {
    const policy = { baseMs: 100, maxMs: 1_000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => reconnectDelay(policy, n, 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(reconnectDelay(policy, 3, 0)).toBe(400);
  });

  it('jitter spreads clients: different draws, different delays', () => {
    const a = reconnectDelay(DEFAULT_RECONNECT_BACKOFF, 4, 0.1);
    const b = reconnectDelay(DEFAULT_RECONNECT_BACKOFF, 4, 0.9);
    expect(a).not.toBe(b);
  });

  it('survives nonsense draws and attempts', () => {
    expect(reconnectDelay({ baseMs: 100, maxMs: 1000 }, -5, Number.NaN)).toBe(75);
    expect(reconnectDelay({ baseMs: 100, maxMs: 1000 }, 1e9, 2)).toBe(1000);
  });
});
