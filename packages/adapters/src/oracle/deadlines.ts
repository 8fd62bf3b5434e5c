/**
 * I11 No job lives longer than its deadline (DESIGN §4.8, jobs.ts J4–J5). A request is answered
 * by sagaTimeout + stepTimeout after it arrives (I6); after that a job may still finish what it
 * must — a compensation's remaining steps, each with at most one command in flight for a step
 * timeout — and then ends, leaving anything still owed as repair work. So no job, of any kind,
 * outlives sagaTimeout + stepTimeout + MAX_SAGA_STEPS × stepTimeout from its arrival; one that does
 * is stuck, or retries without end, whatever else the run shows.
 *
 * Jobs are sampled after every instant of virtual time (a WorldProbe), so a job that overstays
 * between two schedule steps is seen too.
 */
import type { VirtualWorld, WorldProbe } from '../virtualWorld.js';
import { liveJobs, timeouts } from './connectorView.js';
import type { Violation } from '../invariants.js';

/** The most steps a saga has (a login: sign the host out, forward, associate, guest not ready). */
export const MAX_SAGA_STEPS = 4;

export function jobDeadlineMs(w: VirtualWorld): number {
  const { sagaTimeoutMs, stepTimeoutMs } = timeouts(w.connector);
  return sagaTimeoutMs + stepTimeoutMs + MAX_SAGA_STEPS * stepTimeoutMs;
}

export class JobLifetimes implements WorldProbe {
  /** job id → kind, arrival, last instant seen alive. */
  private readonly seen = new Map<string, { kind: string; arrivedAt: number; lastSeen: number }>();

  tick(w: VirtualWorld): void {
    // A connector restarted after a crash numbers its jobs from j1 again: its jobs are others.
    const life = w.crashes.length === 0 ? '' : `${w.crashes.length}/`;
    for (const j of liveJobs(w.connector)) {
      const id = `${life}${j.id}`;
      const s = this.seen.get(id);
      if (s) s.lastSeen = w.now;
      else this.seen.set(id, { kind: j.kind, arrivedAt: j.arrivedAt, lastSeen: w.now });
    }
  }

  check(w: VirtualWorld, judged?: Set<string>): Violation[] {
    const out: Violation[] = [];
    const limit = jobDeadlineMs(w);
    const { sagaTimeoutMs, stepTimeoutMs } = timeouts(w.connector);
    for (const [id, s] of this.seen) {
      const lived = s.lastSeen - s.arrivedAt;
      if (lived > limit) out.push({ invariant: 'I11', message: `job ${id} (${s.kind}) lived ${lived} ms, past its deadline of ${limit} ms` });
      else if (lived > sagaTimeoutMs + stepTimeoutMs) judged?.add('deadline:job-past-response-deadline');
    }
    return out;
  }
}
