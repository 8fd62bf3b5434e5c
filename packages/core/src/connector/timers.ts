/**
 * The connector's timers as typed data (DESIGN §2: timers are outputs). A timer is set with what
 * it is for; the shell sees only its id (`cmd:12`, `retry:j3`, `reread:GET CallCenter|u`, `repair`)
 * and hands the id back when it fires. `timerId` and `readTimerId` are the one encoding and its
 * exact inverse (test/connector/timers.test.ts), so the rest of the connector handles `Timer`
 * values only. Why not a table id → timer in the state: inserting and deleting a freshly built
 * string key per command cost 12% of the connector's replay throughput (measured, issue 14).
 * What a firing means is checked against the state (the command still on the wire, the job
 * still there): a late firing of a timer cleared meanwhile changes nothing.
 */
import type { XsiCommand } from '../xsi/types.js';

export type Timer =
  /** A command's step timeout (J4). */
  | { kind: 'cmd'; commandId: number }
  /** A job's backoff before a retry, its saga deadline, its response deadline (J4, J5). */
  | { kind: 'retry' | 'saga' | 'deadline'; jobId: string }
  /** A read or subscription retried with backoff (its attempt count is in `state.rereads`). */
  | { kind: 'reread'; op: XsiCommand['op']; userId: string }
  /** The repair tick (owed steps replayed). */
  | { kind: 'repair' }
  /** The number plan's periodic re-learn. */
  | { kind: 'numberPlan' }
  /** A restarted connector settles its saved pairings (step.ts `settleRestart`). */
  | { kind: 'restart' };

/** The id the shell knows the timer by: one per purpose, so setting it again moves it. */
export function timerId(t: Timer): string {
  switch (t.kind) {
    case 'cmd':
      return `cmd:${t.commandId}`;
    case 'retry':
    case 'saga':
    case 'deadline':
      return `${t.kind}:${t.jobId}`;
    case 'reread':
      return `reread:${t.op}|${t.userId}`;
    case 'repair':
    case 'numberPlan':
    case 'restart':
      return t.kind;
  }
}

const JOB_TIMERS = new Set(['retry', 'saga', 'deadline']);
const REREAD_OPS = new Set<string>(['GET profile', 'GET CallCenter', 'GET CallForwardingAlways', 'GET HotelingGuest', 'SUBSCRIBE']);

/** The timer an id names, or undefined for an id this connector never makes. */
export function readTimerId(id: unknown): Timer | undefined {
  if (typeof id !== 'string') return undefined;
  if (id === 'repair' || id === 'numberPlan' || id === 'restart') return { kind: id };
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const kind = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  if (kind === 'cmd') {
    const commandId = Number(rest);
    return Number.isSafeInteger(commandId) && commandId > 0 && String(commandId) === rest ? { kind: 'cmd', commandId } : undefined;
  }
  if (JOB_TIMERS.has(kind)) return rest === '' ? undefined : { kind: kind as 'retry' | 'saga' | 'deadline', jobId: rest };
  if (kind === 'reread') {
    const bar = rest.indexOf('|');
    const op = rest.slice(0, bar);
    const userId = rest.slice(bar + 1);
    return bar > 0 && userId !== '' && REREAD_OPS.has(op) ? { kind: 'reread', op: op as XsiCommand['op'], userId } : undefined;
  }
  return undefined;
}
