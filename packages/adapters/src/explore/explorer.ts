/**
 * The explorer's loop, sans-IO: run seeded random schedules of connector + simulator on virtual
 * time, check DESIGN §5 on each (runSchedule: I6, I7, I10, I12 after every step, I11 after every
 * instant, everything at quiescence once faults stop), collect coverage, and hand back the first
 * counterexample. The caller owns the clock (when to stop), the terminal and the files
 * (scripts/explore.ts).
 *
 * Run i of an exploration seeded S uses seed `runSeed(S, i)` for both its steps and the
 * simulator's faults, so a counterexample is named by its run seed alone. `world: 'wire'` runs
 * every schedule, and every shrinking candidate, in the wire world (explore/wireRun.ts).
 */
import type { FaultProfile } from '@csta-bw/xsp-sim';
import type { Violation } from '../invariants.js';
import type { Schedule, ScheduleRun } from '../schedule.js';
import { Coverage } from './coverage.js';
import { generateSchedule, runSeed, type ScenarioName } from './generate.js';
import { shrinkSchedule, type ShrinkResult } from './shrink.js';
import { runnerOf, type WorldKind } from './wireRun.js';

export interface ExploreOptions {
  seed: number;
  faults: FaultProfile;
  scenario: ScenarioName;
  /** Which world runs the schedules (default virtual). */
  world?: WorldKind;
}

export interface RunOutcome {
  index: number;
  schedule: Schedule;
  run: ScheduleRun;
}

/** Invariant evaluations runSchedule makes: I6, I7, I10, I12 after each step; all eleven (I1–I7, I9–I12) at the end. */
export function invariantChecksOf(s: Schedule): number {
  return 4 * s.steps.length + 11;
}

/** Runs one schedule with the coverage probe attached (the trace stays on: I7 reads it). */
export function runExplored(s: Schedule, coverage?: Coverage, world: WorldKind = 'virtual'): ScheduleRun {
  const run1 = runnerOf(world);
  if (!coverage) return run1(s);
  const probe = coverage.probeFor();
  const run = run1(s, { probe });
  coverage.finishRun(probe, invariantChecksOf(s), run.judged);
  return run;
}

export class Exploration {
  readonly coverage = new Coverage();
  private index = 0;
  /** The schedule of the latest run (to report a run that threw). */
  lastSchedule: Schedule | undefined;

  constructor(readonly options: ExploreOptions) {}

  /** The next run; `run.violations` non-empty means a counterexample. */
  next(): RunOutcome {
    const index = this.index++;
    const schedule = generateSchedule(runSeed(this.options.seed, index), this.options.faults, this.options.scenario);
    this.lastSchedule = schedule;
    return { index, schedule, run: runExplored(schedule, this.coverage, this.options.world) };
  }
}

/** "Fails the same way": some violation of an invariant the original broke. */
export function failsLike(original: readonly Violation[], world: WorldKind = 'virtual'): (s: Schedule) => boolean {
  const broken = new Set(original.map((v) => v.invariant));
  const run = runnerOf(world);
  return (s) => run(s).violations.some((v) => broken.has(v.invariant));
}

export function shrinkCounterexample(s: Schedule, violations: readonly Violation[], maxRuns?: number, world: WorldKind = 'virtual'): ShrinkResult {
  return shrinkSchedule(s, failsLike(violations, world), maxRuns);
}
