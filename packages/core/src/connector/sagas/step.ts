/**
 * What a saga machine says to the connector and hears back. A saga never performs I/O: its
 * entry actions are `send` requests (custom XState actions with params) that `step` turns into
 * `xsp.command` outputs, and the connector answers with one of the events below.
 */
import type { CstaError } from '../../csta/types.js';
import type { XsiCommand } from '../../xsi/types.js';

/** Precondition checked against the connector's cache right before sending; false → STEP_SKIPPED. */
export type SendCondition =
  /** Send only if `userId`'s forwarding is active towards `target` (someone else's change wins). */
  | { forwardingPointsTo: { userId: string; target: string } };

export interface SendParams {
  step: string;
  command: XsiCommand;
  /** Undo and logout steps are retried until the saga deadline, not just `maxRetries` times. */
  persistent?: boolean;
  onlyIf?: SendCondition;
}

export type SagaEvent =
  | { type: 'STEP_OK' }
  /** The step's effect already held (or its precondition failed): nothing was sent. */
  | { type: 'STEP_SKIPPED' }
  | { type: 'STEP_FAILED'; error: CstaError }
  /** The guest's HotelingGuestEvent (or a GET) shows the association this saga asked for. */
  | { type: 'GUEST_ASSOCIATED' }
  /** The guest's data shows it at another desk or none: an earlier GUEST_ASSOCIATED no longer holds. */
  | { type: 'GUEST_LEFT' }
  | { type: 'SAGA_TIMEOUT' };

export type SagaOutput =
  | { ok: true }
  | {
    ok: false; error: CstaError; /** Undo/logout steps that could not be done: repair work. */ unfinished: SendParams[];
    /** The desk that work is about when it is not the saga's own (a move stalled while leaving). */
    owedAt?: string;
  };
