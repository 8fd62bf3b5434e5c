/**
 * The connector's inputs and outputs (DESIGN §2). Everything is plain, JSON-serialisable data.
 *
 * Loop contract: feed one input to `step`, carry out every output in order, then feed the next
 * input. Outputs are in causal order; a CSTA response comes before the events it causes.
 */
import type { CstaError, CstaEvent, CstaRequest, CstaResponse, SystemStatusValue } from '../csta/types.js';
import type { DirectoryName, XsiCommand, XsiEvent, XsiOutcome } from '../xsi/types.js';
import type { PairingChange } from './pairingRecord.js';

/** A CSTA client connection, named by its shell (e.g. "tcp:3"). */
export type LinkId = string;

/** The event channel as the transport reports it (DESIGN §4.9). */
export type ChannelStatusInput = 'up' | 'lost' | 'resync';

export type Input =
  | { kind: 'csta.request'; link: LinkId; invokeId: string; request: CstaRequest }
  | { kind: 'csta.linkClosed'; link: LinkId }
  | { kind: 'xsp.result'; commandId: number; outcome: XsiOutcome }
  | { kind: 'xsp.event'; event: XsiEvent }
  /** `resync`: events were missed while the channel stayed up (a sequence gap): re-read, no status change. */
  | { kind: 'xsp.channel'; status: ChannelStatusInput }
  | { kind: 'timer.fired'; timerId: string };

export type Output =
  | { kind: 'xsp.command'; commandId: number; command: XsiCommand }
  | { kind: 'csta.response'; link: LinkId; invokeId: string; response: CstaResponse }
  | { kind: 'csta.error'; link: LinkId; invokeId: string; error: CstaError }
  | { kind: 'csta.event'; link: LinkId; monitorCrossRefId: string; event: CstaEvent }
  /** Unsolicited SystemStatus towards a link (DESIGN §4.9). */
  | { kind: 'csta.systemStatus'; link: LinkId; status: SystemStatusValue }
  | { kind: 'timer.set'; timerId: string; at: number }
  | { kind: 'timer.clear'; timerId: string }
  | { kind: 'alarm'; code: AlarmCode; message: string; userIds: string[] }
  /**
   * Write-ahead (DESIGN §9): these desks' pairings changed; make them durable BEFORE carrying out
   * any later output of the same step. Each change is the desk's whole new record (or null:
   * forget the desk), so applying changes in order to a `SavedPairings` map is all a store does.
   */
  | { kind: 'pairings.save'; changes: PairingChange[] };

export type AlarmCode = 'compensation-failed' | 'repair-failed' | 'xsp-credentials-rejected';

export interface ConnectorConfig {
  /** Appended to a bare user part: `desk-101` → `desk-101@example.com`. */
  defaultDomain: string;
  /** Per XSP command; a command unanswered by then counts as a transport failure. */
  stepTimeoutMs: number;
  /** Whole saga (login, logout); on expiry a login is compensated, a logout becomes repair work. */
  sagaTimeoutMs: number;
  /** Retries of one command on 503/5xx/transport error/timeout, after the first attempt. */
  maxRetries: number;
  /** Backoff before retry n is `min(retryBaseMs * 2^(n-1), retryMaxMs)`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How often pending repair work (failed compensations, unfinished logouts) is retried. */
  repairIntervalMs: number;
  /** Requests waiting per user beyond which `resourceBusy` is answered. */
  maxQueuePerUser: number;
  /** After our PUT's 200, how long events that contradict it count as stale (observe.ts). */
  echoWindowMs: number;
  /**
   * After a restart, how long an event that contradicts a fresh read may be the XSP redelivering
   * what the crashed process had already seen (its acknowledgement lost): such an event does not
   * overwrite the read, the service is read again when the window ends (writes.ts `fenceRead`).
   */
  redeliveryWindowMs: number;
  /**
   * How long a PUT of ours that went unanswered may still be applied by a slow XSP: an observation
   * of its value within that time, over a newer write of ours, is taken as its late landing and
   * the newer write is put back (writes.ts "Late landings").
   */
  lateWriteWindowMs: number;
  /**
   * Subscribe the whole group to "Hoteling Guest" (as `subscriber`, its group admin), so an
   * association made elsewhere for a guest we never read is seen on the desk (DESIGN §4.6).
   */
  groupEvents?: { subscriber: string; serviceProviderId: string; groupId: string };
  /**
   * Where numbers are looked up (DESIGN §8 "Numbers", numberPlan.ts). Absent: the group of
   * `groupEvents`, searched by its subscriber; `false`: numbers resolve only from profiles read.
   */
  numberPlan?: NumberPlanSource | false;
}

/** A directory the connector learns the number plan from and searches on a miss. */
export interface NumberPlanSource {
  /** Who asks: the group admin (with `group`), or a user whose own directory view is searched. */
  requester: string;
  /** Search the group-level directory of this group (as its admin). */
  group?: { serviceProviderId: string; groupId: string };
  /** Default `Group`; `Enterprise` for numbers across groups. */
  directory?: DirectoryName;
  /** How often the whole directory is read again, ms. Default 15 min. */
  refreshMs?: number;
  /** Entries per page of that read (`results`). Default 100. */
  pageSize?: number;
}

export const DEFAULT_CONFIG: ConnectorConfig = {
  defaultDomain: 'example.com',
  stepTimeoutMs: 5_000,
  sagaTimeoutMs: 10_000,
  maxRetries: 3,
  retryBaseMs: 200,
  retryMaxMs: 2_000,
  repairIntervalMs: 30_000,
  maxQueuePerUser: 16,
  echoWindowMs: 5_000,
  redeliveryWindowMs: 45_000,
  lateWriteWindowMs: 60_000,
};
