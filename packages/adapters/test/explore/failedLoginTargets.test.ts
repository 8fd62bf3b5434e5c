/**
 * The two failed-login targets I5 reports (failed-login:forwarded-desk, failed-login:host-signed-in)
 * are reached often enough that a 60 s exploration never misses them: the generator gives a share
 * of `mixed` runs a login that fails at a desk that starts forwarded and with its own agent signed
 * in, with nothing else touching that desk or agent (src/explore/generate.ts, drawLoneFailedLogin).
 * Likewise restore:forwarded-desk (I9), from a share opening with a whole stay at a forwarded desk
 * (drawLoneStay).
 */
import { describe, expect, it } from 'vitest';
import { Exploration } from '../../src/explore/explorer.js';

function reachedIn(runs: number, world: 'virtual' | 'wire', faults: 'none' | 'flaky' | 'hostile'): Map<string, number> {
  const ex = new Exploration({ seed: 1, faults, scenario: 'mixed', world });
  for (let i = 0; i < runs; i++) ex.next();
  return ex.coverage.reached;
}

describe('failed-login targets', () => {
  it('400 hostile runs reach failed-login:forwarded-desk, failed-login:host-signed-in and restore:forwarded-desk at least 5 times each', () => {
    const reached = reachedIn(400, 'virtual', 'hostile');
    expect(reached.get('failed-login:forwarded-desk') ?? 0).toBeGreaterThanOrEqual(5);
    expect(reached.get('failed-login:host-signed-in') ?? 0).toBeGreaterThanOrEqual(5);
    // And the forward put back after a whole stay at a forwarded desk (drawLoneStay): was 2 in these 400.
    expect(reached.get('restore:forwarded-desk') ?? 0).toBeGreaterThanOrEqual(5);
  }, 30_000);

  it('100 hostile runs in the wire world (slower: ~400 in 60 s) reach each of them at least 3 times', () => {
    const reached = reachedIn(100, 'wire', 'hostile');
    expect(reached.get('failed-login:forwarded-desk') ?? 0).toBeGreaterThanOrEqual(3);
    expect(reached.get('failed-login:host-signed-in') ?? 0).toBeGreaterThanOrEqual(3);
  }, 40_000);
});
