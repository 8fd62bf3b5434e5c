/**
 * Shrinking a failing schedule: delta debugging (Zeller's ddmin) over its steps, then a plainer
 * starting world (facts dropped one by one), then simpler waits, then a gentler fault profile —
 * keeping the seed, so every candidate is an ordinary, replayable schedule. A candidate is kept only if it still fails the same way: a violation of
 * one of the invariants the original broke (so shrinking cannot wander off to another bug).
 *
 * Shrinking is deterministic (same schedule and predicate → same result) and bounded by
 * `maxRuns` candidate runs; the result is 1-minimal in steps when the bound is not hit.
 */
import type { FaultProfile } from '@csta-bw/xsp-sim';
import type { Schedule } from '../schedule.js';

export interface ShrinkResult {
  schedule: Schedule;
  /** Candidate schedules tried. */
  tried: number;
  /** Candidates that still failed (each one replaced the current best). */
  accepted: number;
}

function withoutStart(s: Schedule): Schedule {
  const { start: _dropped, ...rest } = s;
  return rest;
}

/** `fails(s)` runs a schedule and says whether it still fails the same way. */
export function shrinkSchedule(original: Schedule, fails: (s: Schedule) => boolean, maxRuns = 2_000): ShrinkResult {
  let best = original;
  let tried = 0;
  let accepted = 0;
  const attempt = (s: Schedule): boolean => {
    if (tried >= maxRuns) return false;
    tried++;
    if (!fails(s)) return false;
    best = s;
    accepted++;
    return true;
  };

  for (let progress = true; progress && tried < maxRuns;) {
    progress = false;
    // ddmin: remove chunks of steps, halving the chunk size when nothing can go.
    for (let chunk = Math.max(1, Math.floor(best.steps.length / 2)); chunk >= 1; chunk = Math.floor(chunk / 2)) {
      for (let i = 0; i < best.steps.length;) {
        const steps = [...best.steps.slice(0, i), ...best.steps.slice(i + chunk)];
        if (steps.length > 0 && attempt({ ...best, steps })) progress = true;
        else i += chunk;
      }
    }
    // A plainer starting world: drop starting facts one at a time.
    for (let i = 0; i < (best.start?.length ?? 0);) {
      const start = best.start!.filter((_, j) => j !== i);
      if (attempt(start.length > 0 ? { ...best, start } : withoutStart(best))) progress = true;
      else i++;
    }
    // Shorter waits: zero if that still fails, else halve while it still fails.
    for (let i = 0; i < best.steps.length; i++) {
      const withWait = (wait: number): Schedule => ({ ...best, steps: best.steps.map((s, j) => (j === i ? { ...s, wait } : s)) });
      if (best.steps[i]!.wait === 0) continue;
      if (attempt(withWait(0))) {
        progress = true;
        continue;
      }
      while (best.steps[i]!.wait > 1 && attempt(withWait(Math.floor(best.steps[i]!.wait / 2)))) progress = true;
    }
    // A gentler fault profile.
    const gentler: FaultProfile[] = best.faults === 'hostile' ? ['none', 'flaky'] : best.faults === 'flaky' ? ['none'] : [];
    for (const faults of gentler) {
      if (attempt({ ...best, faults })) {
        progress = true;
        break;
      }
    }
  }
  return { schedule: best, tried, accepted };
}
