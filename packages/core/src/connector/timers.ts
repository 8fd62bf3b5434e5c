/**
 * The connector's timers as typed data (DESIGN §2: timers are outputs). A timer is set with what
 * it is for; the shell sees only its id (`cmd:12`, `retry:j3`, `reread:GET CallCenter|u`, `repair`)
 * and hands the id back when it fires. The state keeps id → timer, so a firing is looked up,
 * never parsed back from its id; a fired or cleared timer is gone (a late firing is ignored).
 */
import type { XsiCommand } from '../xsi/types.js';

export type Timer =
  /** A command's step timeout (J4). */
  | { kind: 'cmd'; commandId: number }
  /** A job's backoff before a retry, its saga deadline, its response deadline (J4, J5). */
  | { kind: 'retry' | 'saga' | 'deadline'; jobId: string }
  /** A read or subscription retried with backoff, `attempt` so far. */
  | { kind: 'reread'; op: XsiCommand['op']; userId: string; attempt: number }
  /** The repair tick (owed steps replayed). */
  | { kind: 'repair' }
  /** The number plan's periodic re-learn. */
  | { kind: 'numberPlan' };

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
      return t.kind;
  }
}
