/**
 * The pairing record: what the connector owns about one desk it paired (DESIGN §9), as plain
 * JSON data. The XSP is the truth for everything it stores; the connector owns only what the
 * XSP cannot tell it — who it seated at a desk, the desk's settings before that login, and the
 * undo steps it still owes there. The transitions live in pairings.ts; this file is the shape
 * that leaves the core (`pairings.save`) and comes back after a restart (`createConnector`).
 */
import type { AgentACDState, ForwardingInfo } from '../xsi/types.js';
import type { SendParams } from './sagas/step.js';

/**
 * The life of a pairing (none = no record):
 *   claimed    intent written down, nothing sent yet that changes the desk
 *   seated     the login's PUTs were sent/acknowledged: the guest sits at the desk by us
 *   releasing  a logout (or the cleanup of a release made elsewhere) is under way
 *   owed       undo/logout steps could not be done: they wait for the next resync or repair tick
 */
export type PairingPhase = 'claimed' | 'seated' | 'releasing' | 'owed';

/** The desk's settings before the login: what a logout or an undo puts back. */
export interface DeskBefore {
  /** What the desk was forwarded to for the guest (the guest's extension/number/user id). */
  forwardTo: string;
  /** The desk's CallForwardingAlways before the login; undefined → restore to inactive. */
  forwarding: ForwardingInfo | undefined;
  /** The desk's own agent state before the login signed it out. */
  agentState?: AgentACDState | undefined;
}

/** One desk's pairing. An owed step is the exact Xsi PUT still to be made, with its skip rule. */
export interface Pairing {
  /** The desk (Hoteling Host user id). */
  host: string;
  /** The agent (Hoteling Guest user id) this connector seats or seated there. */
  guest: string;
  phase: PairingPhase;
  /** Absent once the desk's forwarding was changed elsewhere: that change is the user's intent. */
  restore: DeskBefore | undefined;
  /**
   * What the desk is forwarded to for this guest (its extension, number or user id, DESIGN §3),
   * held also without a restore plan (the forward was not ours — the desk already pointed at the
   * agent — or was changed elsewhere): a leave finished after a restart turns the desk off while
   * it still points there, as a logout does (I2). Absent in records that never knew it.
   */
  guestTarget?: string | undefined;
  /** Undo or logout steps still owed, in order (phase `owed`, or carried while `releasing`). */
  owed: SendParams[];
  /** Repair rounds that failed so far (an alarm is raised after the first). */
  rounds: number;
}

/** The durable pairings: desk (host user id) → its pairing. What a store keeps and hands back. */
export type SavedPairings = Record<string, Pairing>;

/** One desk's new record, or `null`: the desk is no longer paired (forget it). */
export interface PairingChange {
  host: string;
  pairing: Pairing | null;
}
