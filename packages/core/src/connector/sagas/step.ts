/**
 * What a saga machine says to the connector and hears back. A saga never performs I/O: its
 * entry actions are `send` requests (custom XState actions with params) that `step` turns into
 * `xsp.command` outputs, and the connector answers with one of the events below.
 */
import type { CstaError } from '../../csta/types.js';
import type { ForwardingInfo, XsiCommand } from '../../xsi/types.js';

/** Precondition checked against the connector's cache right before sending; false → STEP_SKIPPED. */
export type SendCondition =
  /** Send only if `userId`'s forwarding is active towards `target` (someone else's change wins). */
  | { forwardingPointsTo: { userId: string; target: string } }
  /** Send only if guest `userId` sits at one of `hosts` (null: at no desk), as far as we know. */
  | { guestAt: { userId: string; hosts: (string | null)[] } };

export interface SendParams {
  step: string;
  command: XsiCommand;
  /** Undo and logout steps are retried until the saga deadline, not just `maxRetries` times. */
  persistent?: boolean;
  onlyIf?: SendCondition;
  /** An owed step: the guest whose pairing owes it (pairings.ts keeps steps of earlier guests apart). */
  for?: string;
}

export type SagaEvent =
  | { type: 'STEP_OK' }
  /** The step's effect already held (or its precondition failed): nothing was sent. */
  | { type: 'STEP_SKIPPED' }
  /**
   * `unanswered`: the XSP never answered the last attempt (transport error, step timeout) — the
   * step may or may not have been applied, and nothing else is likely to get through now either.
   */
  | { type: 'STEP_FAILED'; error: CstaError; unanswered?: true }
  /** The guest's HotelingGuestEvent (or a GET) shows the association this saga asked for. */
  | { type: 'GUEST_ASSOCIATED' }
  /** The guest's data shows it at another desk or none: an earlier GUEST_ASSOCIATED no longer holds. */
  | { type: 'GUEST_LEFT' }
  | { type: 'SAGA_TIMEOUT' };

/**
 * How a saga ended, and what it did to the desks' pairings — as data: the connector applies it to
 * the pairing records in one place (pairings.ts `applySagaOutput`). `error` is the first failure.
 */
export interface SagaOutput {
  ok: boolean;
  error?: CstaError;
  /** Absent: the saga touched no pairing (a plain PUT). */
  effect?: PairingEffect;
}

/** What a saga did to a pairing (DESIGN §9). Owed steps are the PUTs still to be made, in order. */
export type PairingEffect =
  | {
    kind: 'login'; host: string; guest: string;
    /** What H was forwarded to and H's forwarding before (the restore plan, if `forwarded`). */
    forwardTo: string; before: ForwardingInfo | undefined;
    /** Steps 2 and 3 were sent (maybe applied) and not undone: the pairing is ours. */
    forwarded: boolean; associated: boolean;
    /** A move: the desk it left, and whether the leave got through. */
    left?: { host: string; done: boolean };
    /** Undo or leave steps that could not be done, owed at `owedAt`. */
    owed: SendParams[]; owedAt: string;
  }
  /** A logout, or the cleanup of an association released elsewhere (§4.6). */
  | { kind: 'logout'; host: string; guest: string; owed: SendParams[] }
  /** Owed steps replayed: those still owed. */
  | { kind: 'repair'; owed: SendParams[] };
