/**
 * A schedule run in the wire world (`pnpm explore --world wire`): runSchedule with WireWorld,
 * judged by every DESIGN §5 invariant as usual and then by the wire invariants W1–W5
 * (oracle/wire.ts) over the whole wire log — the log is timestamped, so judging it once at the
 * end finds what judging it after every step would.
 */
import { checkWire } from '../oracle/wire.js';
import { runSchedule, type Schedule, type ScheduleRun } from '../schedule.js';
import type { VirtualWorldOptions } from '../virtualWorld.js';
import { WireWorld } from './wireWorld.js';

export type WorldKind = 'virtual' | 'wire';
export const WORLD_KINDS: readonly WorldKind[] = ['virtual', 'wire'];

export function isWorldKind(x: string): x is WorldKind {
  return (WORLD_KINDS as readonly string[]).includes(x);
}

export function runWireSchedule(s: Schedule, opts: Partial<VirtualWorldOptions> = {}): ScheduleRun {
  const run = runSchedule(s, opts, (o) => new WireWorld(o));
  const wire = checkWire(run.world as WireWorld, { final: run.quiet && run.violations.length === 0 }, run.judged);
  const seen = new Set(run.violations.map((v) => v.message));
  return { ...run, violations: [...run.violations, ...wire.filter((v) => !seen.has(v.message))] };
}

/** The runner of a world kind. */
export function runnerOf(world: WorldKind): (s: Schedule, opts?: Partial<VirtualWorldOptions>) => ScheduleRun {
  return world === 'wire' ? runWireSchedule : runSchedule;
}
