/**
 * One call of `step`: the state being advanced, the virtual time, and the outputs produced so
 * far, in causal order. Helpers here are the only places outputs are created.
 */
import type { CstaError, CstaEvent, CstaResponse } from '../csta/types.js';
import type { XsiCommand } from '../xsi/types.js';
import type { Output } from './io.js';
import type { ConnectorState, Job } from './state.js';
import { timerId, type Timer } from './timers.js';

export class Turn {
  readonly outputs: Output[] = [];
  /** Users whose queue head may have changed: `pump` looks at these. */
  readonly dirty = new Set<string>();
  /** Writes of ours to put back over a lost write that landed late (writes.ts): jobs, at `pump`. */
  readonly reasserts: { seq: number; command: XsiCommand }[] = [];

  constructor(readonly s: ConnectorState, readonly now: number) {}

  emit(o: Output): void {
    this.outputs.push(o);
  }

  /** Set (or move) a timer (timers.ts: what it is for, and the id the shell knows it by). */
  setTimer(timer: Timer, at: number): void {
    this.emit({ kind: 'timer.set', timerId: timerId(timer), at });
  }

  clearTimer(timer: Timer): void {
    this.emit({ kind: 'timer.clear', timerId: timerId(timer) });
  }

  /** The job that holds `userId` and still owes its client an answer, if any. */
  private answeringJob(userId: string): Job | undefined {
    const head = this.s.queues[userId]?.[0];
    const job = head === undefined ? undefined : this.s.jobs[head];
    return job?.running && job.client && !job.client.answered ? job : undefined;
  }

  /**
   * A CSTA event for the monitors of `userId`. While a request on that user awaits its answer,
   * events are held and follow the answer (a response comes before the events it causes).
   */
  cstaEvent(userId: string, link: string, monitorCrossRefId: string, event: CstaEvent): void {
    const o: Output = { kind: 'csta.event', link, monitorCrossRefId, event };
    const job = this.answeringJob(userId);
    if (job) job.deferred.push(o);
    else this.emit(o);
  }

  /** Answer a job's client (once), then release the events held for it. */
  answer(job: Job, result: { response: CstaResponse } | { error: CstaError }): void {
    const client = job.client;
    if (!client || client.answered) return;
    client.answered = true;
    if (this.s.links[client.link]) {
      if ('response' in result) this.emit({ kind: 'csta.response', link: client.link, invokeId: client.invokeId, response: result.response });
      else this.emit({ kind: 'csta.error', link: client.link, invokeId: client.invokeId, error: result.error });
    }
    for (const o of job.deferred) if (o.kind !== 'csta.event' || this.s.links[o.link]) this.emit(o);
    job.deferred = [];
  }
}
