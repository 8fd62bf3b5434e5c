/**
 * The connector's state: plain, JSON-serialisable data (DESIGN §2). `step` owns it: it returns
 * the next state and may reuse (mutate) the one it was given, so a caller that wants to keep an
 * old state — a replay tool, a branching explorer — takes `cloneConnector` first.
 */
import type { CstaRequest, MonitorFilter } from '../csta/types.js';
import type { AgentACDState, ForwardingInfo, HotelingGuestInfo, XsiCommand } from '../xsi/types.js';
import { DEFAULT_CONFIG, type ConnectorConfig, type LinkId, type Output } from './io.js';
import type { SavedPairings } from './pairingRecord.js';
import { restoredPairings } from './pairings.js';
import { emptyLedger, type WriteLedger } from './writes.js';
import type { SendParams } from './sagas/step.js';

/** What the connector believes about one BroadWorks user. */
export interface UserRecord {
  userId: string;
  /** `fetching` until profile and services are read; `absent` if the XSP does not know the user. */
  status: 'fetching' | 'known' | 'absent' | 'failed';
  profile?: { number?: string; extension?: string };
  /** Absent = the user has no Call Center agent service. */
  agentState?: AgentACDState;
  /** Absent = no Call Forwarding Always service (`forwardingUnassigned`), or not read yet. */
  forwarding?: ForwardingInfo;
  /** The XSP said the user has no Call Forwarding Always service. */
  forwardingUnassigned?: boolean;
  /** Absent = no Hoteling Guest service; `hostUserId` is the association. */
  guest?: HotelingGuestInfo;
  subscribed: boolean;
  /** Why reading the user failed (status `failed`): the answer to requests that needed it. */
  fetchError?: import('../csta/types.js').CstaError;
}

export interface Monitor {
  crossRefId: string;
  link: LinkId;
  /** The device as the client named it in MonitorStart: events use this name (DESIGN §3). */
  device: string;
  userId: string;
  filter: MonitorFilter;
}

/** What the monitors of a device were last told: who sits at the desk and in what state. */
export interface DeskReport {
  agentUserId: string;
  state: AgentACDState | undefined;
  forwarding: { active: boolean; to: string | undefined } | undefined;
}

export type SagaKind = 'login' | 'logout' | 'singlePut' | 'repair';

/** The desk and guest a hoteling job concerns. */
export interface DeskOf { host: string; guest: string }

/** A CSTA request's client: answered exactly once (I6). */
export interface JobClient { link: LinkId; invokeId: string; request: CstaRequest; answered: boolean }

/** What every job has: its locks, its saga and the one command it has on the wire. */
interface JobCore {
  id: string;
  /** Users whose FIFO queue this job sits in; it runs when it heads all of them. */
  users: string[];
  arrivedAt: number;
  running: boolean;
  saga?: { kind: SagaKind; value: unknown; context: unknown };
  /** The one command of this job on the wire (a saga never has two). */
  inFlight?: { commandId: number; params: SendParams; attempt: number; failures: number; stale?: boolean } | undefined;
  /** The saga ended but a command is still on the wire: the job ends when it settles. */
  finishing?: boolean;
  /** The saga's next command, waiting for a stale one to settle (never two PUTs at once). */
  queuedSend?: SendParams | undefined;
  /** A retry waiting for its backoff timer. */
  retrying?: { params: SendParams; attempt: number; failures: number } | undefined;
  /** CSTA events caused while the client's answer is pending: sent right after it. */
  deferred: Output[];
}

/**
 * A unit of work holding per-user locks, by kind: a CSTA request, a fetch of an unknown user, the
 * cleanup of an association released elsewhere, repair work, or the check of a pairing saved
 * seated before a restart. Only a request has a client.
 */
export type Job =
  | (JobCore & { kind: 'request'; client: JobClient; /** Set once a login or logout saga runs. */ desk?: DeskOf })
  | (JobCore & { kind: 'fetch'; client?: undefined; /** Commands still unanswered, and retries used per read. */ pending: number[]; tries: Record<string, number> })
  | (JobCore & { kind: 'cleanup' | 'settle'; client?: undefined; desk: DeskOf })
  | (JobCore & { kind: 'repair'; client?: undefined; desk: DeskOf; /** Rounds that failed before this one. */ rounds: number })
  /** Put back our write `seq` over a lost write of ours that landed late (writes.ts). */
  | (JobCore & { kind: 'reassert'; client?: undefined; seq: number; command: XsiCommand });

export type RequestJob = Extract<Job, { kind: 'request' }>;
export type FetchJob = Extract<Job, { kind: 'fetch' }>;

/** What a new job is, before it has an id and a place in the queues. */
export type JobSpec =
  | { kind: 'request'; client: JobClient; arrivedAt: number }
  | { kind: 'fetch' }
  | { kind: 'cleanup' | 'settle'; desk: DeskOf }
  | { kind: 'repair'; desk: DeskOf; rounds: number }
  | { kind: 'reassert'; seq: number; command: XsiCommand };

export { putService, type Echo, type EchoService } from './writes.js';

/** A request waiting for directory searches of the numbers it names (numberPlan.ts). */
export interface ParkedRequest {
  link: LinkId;
  invokeId: string;
  request: CstaRequest;
  arrivedAt: number;
  /** Normalised numbers searched for it. */
  numbers: string[];
  /** What each finished search said: found, not in the directory, or the search failed. */
  settled: Record<string, 'found' | 'none' | import('../csta/types.js').CstaError>;
}

/** The number plan (DESIGN §8 "Numbers"): an index, the learn in progress, searches, waiters. */
export interface NumberPlan {
  /** Normalised number or extension → user id, from the directory and from profiles read. */
  index: Record<string, string>;
  /** The periodic learn has started once (first channel up). */
  begun: boolean;
  /** A learn in progress: entries of the pages read so far; retries of the current page. */
  learning: { found: Record<string, string>; tries: number } | undefined;
  /** Searches on the wire: normalised number → retries used. */
  searches: Record<string, number>;
  /** Requests waiting for searches, in arrival order. */
  waiting: ParkedRequest[];
}

export interface ConnectorState {
  config: ConnectorConfig;
  next: { command: number; job: number; monitor: number };
  channel: 'down' | 'up' | 'lost';
  links: Record<LinkId, true>;
  users: Record<string, UserRecord>;
  monitors: Record<string, Monitor>;
  /** Per monitored user: what its monitors were last told. */
  reports: Record<string, DeskReport>;
  /** Indexes (kept by observe.ts / requests.ts): user → its monitors; agent → desks reporting it;
   *  host → the guests whose HotelingGuest data put them there (checked against the guest). */
  monitorsOf: Record<string, string[]>;
  shownAt: Record<string, string[]>;
  seatedAt: Record<string, string[]>;
  jobs: Record<string, Job>;
  /** Per-user FIFO of job ids; the head holds the user. */
  queues: Record<string, string[]>;
  /** commandId → job id, or a resync read. */
  commands: Record<number, { jobId: string; command: XsiCommand } | { resync: string; command: XsiCommand; attempt?: number }
    | { lookup: 'learn'; command: XsiCommand } | { lookup: 'search'; number: string; command: XsiCommand }>;
  /** Reads and subscriptions waiting to be retried: `op|userId` → attempt (their timers: timers.ts). */
  rereads: Record<string, number>;
  /** When the repair tick is due, while one is set. */
  repairTimerAt: number | undefined;
  /** Our own writes, per service and user: their echoes, the value awaited, uncertainty (writes.ts). */
  writes: WriteLedger;
  /** The group "Hoteling Guest" subscription was sent (config.groupEvents). */
  groupSubscribed: boolean;
  /** Recent Xsi event ids, to drop redeliveries the adapter let through. */
  recentEvents: { ring: string[]; next: number; index: Record<string, true> };
  plan: NumberPlan;
  /** Per link: the form in which that client named each user (user id → its id), naming.ts. */
  names: Record<LinkId, Record<string, string>>;
  /** Desk → what this connector owns there (DESIGN §9); durable through `pairings.save`. */
  pairings: SavedPairings;
  /**
   * A restarted connector (DESIGN §9): until when reads fence off stale redeliveries (`pending`
   * until its first input), and whether its saved pairings have been taken up yet.
   */
  restart: { fence: number | 'pending'; settled: boolean } | undefined;
}

/**
 * What a restarted connector starts from: the pairings its store saved before the crash. A start
 * is a restart (settling, and a fence against redeliveries) only with saved pairings, or when the
 * caller knows the previous process died mid-run (`crashed`): its last PUTs may still land.
 */
export interface ConnectorRestore {
  pairings?: SavedPairings;
  crashed?: boolean;
}

export function createConnector(config: Partial<ConnectorConfig> = {}, restore: ConnectorRestore = {}): ConnectorState {
  return {
    config: { ...DEFAULT_CONFIG, ...config },
    next: { command: 1, job: 1, monitor: 1 },
    channel: 'down',
    links: {},
    users: {},
    monitors: {},
    reports: {},
    monitorsOf: {},
    shownAt: {},
    seatedAt: {},
    jobs: {},
    queues: {},
    commands: {},
    rereads: {},
    repairTimerAt: undefined,
    writes: emptyLedger(),
    groupSubscribed: false,
    recentEvents: { ring: [], next: 0, index: {} },
    plan: { index: {}, begun: false, learning: undefined, searches: {}, waiting: [] },
    names: {},
    pairings: restoredPairings(restore.pairings),
    // An empty store (a first start, or a clean stop) has nothing to settle and no PUT of ours on
    // the wire: no restart, no fence against redeliveries.
    restart: Object.keys(restore.pairings ?? {}).length === 0 && restore.crashed !== true ? undefined : { fence: 'pending', settled: false },
  };
}

export function cloneConnector(state: ConnectorState): ConnectorState {
  return structuredClone(state);
}
