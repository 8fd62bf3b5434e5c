/**
 * The simulated XSP as one plain, JSON-serialisable value. Nothing in it is a class, a Map, a
 * closure or a clock: the explorer can copy, hash, persist and replay it.
 *
 * Theory of operation
 * - `users` hold the BroadWorks truth (service settings). The host side of a hoteling association
 *   stores only `guestUserId`; everything else shown on GET is derived from the two users.
 * - `queue` is the virtual-time agenda, sorted by (`at`, `seq`): delayed command executions,
 *   event deliveries, ack timeouts, expiries. `seq` is insertion order, so two items due at the same
 *   instant come out in the order they were scheduled (causal order).
 * - `pending` holds events delivered on a channel and not yet acknowledged (reference §5.7).
 * - `userEventClock[userId]` is the latest instant an event about that user was scheduled for:
 *   later events about the same user are never scheduled earlier (per-user order, §5.6), while
 *   random delays still reorder events across users.
 * - `rng` is the whole PRNG state (rng.ts). Every random choice draws from it.
 */
import type { AgentACDState, DoNotDisturbInfo, ForwardingInfo, RemoteOfficeInfo, XsiCommand, XsiEvent, XsiEventPackage, XsiOutcome } from '@csta-bw/core';
import type { DirectoryCallCenter, UnavailableCodeSettings } from './directory.js';
import type { FaultProfile } from './faults.js';

export interface GuestRecord {
  active: boolean;
  enableAssociationLimit: boolean;
  associationLimitHours: number;
  hostUserId?: string;
  /** Virtual ms of the association; also the token that ties an expiry timer to it. */
  associatedAt?: number;
}

export interface HostRecord {
  active: boolean;
  enforceAssociationLimit: boolean;
  associationLimitHours: number;
  guestUserId?: string;
}

export interface UserRecord {
  userId: string;
  password: string;
  firstName: string;
  lastName: string;
  number?: string;
  extension?: string;
  /** absent = no Call Center agent service */
  agentACDState?: AgentACDState;
  /** Virtual ms of the last agent state change (stateTimestamp = epoch + this). */
  agentStateSince?: number;
  /** Virtual ms of the sign-in; absent while signed out (signInTimestamp). */
  signedInAt?: number;
  /** The reason code while Unavailable. */
  agentUnavailableCode?: string;
  /** absent = no Call Forwarding Always service; the number is stored in its plain form */
  forwarding?: ForwardingInfo;
  /** absent = no Do Not Disturb service */
  doNotDisturb?: DoNotDisturbInfo;
  /** absent = no Remote Office service; the number is stored in its plain form */
  remoteOffice?: RemoteOfficeInfo;
  guest?: GuestRecord;
  host?: HostRecord;
}

/** A user, the whole group, or the whole enterprise / service provider (`enterprise/<id>` ≡ `serviceprovider/<id>`). */
export type SubscriptionTarget =
  | { kind: 'user'; userId: string }
  | { kind: 'group'; groupId: string }
  | { kind: 'serviceProvider'; serviceProviderId: string };

export interface SubscriptionRecord {
  subscriptionId: string;
  /** The authenticated user that subscribed (envelope `userId`). */
  subscriberId: string;
  target: SubscriptionTarget;
  package: XsiEventPackage;
  channelSetId: string;
  applicationId?: string;
  /** Granted lifetime in seconds, as answered on the wire. */
  expires: number;
  /** Virtual ms; absent = never expires (expires 2147483647). */
  expiresAt?: number;
  /** The sequenceNumber the next event of this subscription gets: 1…2^31−1, then 1 again. */
  nextSequenceNumber: number;
}

export interface ChannelRecord {
  channelId: string;
  channelSetId: string;
  ownerId: string;
  expires: number;
  expiresAt?: number;
  /** The XSP node holding the stream (cluster, nodes.ts); absent = node 0. */
  node?: number;
  /** As asked on create (reference §5.9): lower number = preferred; absent = 1. */
  priority?: number;
  /** As asked on create: share among channels of equal priority; absent = 50. */
  weight?: number;
}

/**
 * One XSP node of a cluster (nodes.ts): up or down, extra latency, or answering 503 (overload).
 * Node conditions are inputs of the model like the clock: the caller decides, the model obeys.
 */
export interface XspNode {
  up: boolean;
  /** Down by a partition rather than a crash: alive, but nothing gets through (nodes.ts rule 5). */
  partitioned: boolean;
  latencyMs: number;
  unavailable: boolean;
}

/**
 * Whom an event goes to on the wire (the Xsi event envelope's userId and externalApplicationId):
 * fixed when the event is emitted, so a SubscriptionTerminatedEvent still has it once its
 * subscription is gone.
 */
export interface EventEnvelope {
  subscriberId: string;
  applicationId?: string;
}

export interface PendingEvent {
  event: XsiEvent;
  envelope: EventEnvelope;
  channelSetId: string;
  /** The channel of the latest delivery. */
  channelId: string;
  /** Deliveries so far (1 after the first). */
  attempt: number;
}

export type ChannelTerminationReason = 'ExplicitDelete' | 'Expired' | 'NonResponsiveChannel' | 'UserDeleted' | 'UnknownChannel';

/** What the agenda holds. */
export type Agendum =
  /** A submitted command, executed at `at`; `reply` false = its answer is lost (timeout-applied). */
  | { kind: 'execute'; requestId: number; asUser: string; channelSetId?: string; command: XsiCommand; reply: boolean; node?: number }
  /** An answer that needs no execution (injected 503/500, a reset from a dead node). */
  | { kind: 'reply'; requestId: number; outcome: XsiOutcome; node?: number }
  /** Put an event on a channel of the set; `duplicate` copies are not tracked for acks. */
  | { kind: 'deliver'; event: XsiEvent; envelope: EventEnvelope; channelSetId: string; channelId?: string; duplicate: boolean }
  | { kind: 'ackTimeout'; eventId: string; attempt: number }
  | { kind: 'channelTerminated'; channelId: string; reason: ChannelTerminationReason }
  | { kind: 'channelExpiry'; channelId: string; expiresAt: number }
  | { kind: 'subscriptionExpiry'; subscriptionId: string; expiresAt: number }
  | { kind: 'associationExpiry'; guestUserId: string; associatedAt: number };

export type Scheduled = Agendum & { at: number; seq: number };

export interface XspState {
  domain: string;
  /** The group's enterprise (a service provider in enterprise mode): `enterprise/<id>` ≡ `serviceprovider/<id>`. */
  serviceProviderId: string;
  groupId: string;
  /** Wall-clock ms (Unix epoch) at virtual time 0: every date the XSP prints is epoch + virtual time. */
  epoch: number;
  /** The group's Call Center agent unavailable codes. */
  unavailableCodes: UnavailableCodeSettings;
  /** Call centers and their agents (joinData of AgentSubscriptionEvent). */
  callCenters: DirectoryCallCenter[];
  adminUserId: string;
  adminPassword: string;
  users: Record<string, UserRecord>;
  postSignInState: AgentACDState;
  faults: FaultProfile;
  rng: number;
  /** Next insertion number for `queue`. */
  seq: number;
  queue: Scheduled[];
  subscriptions: Record<string, SubscriptionRecord>;
  channels: Record<string, ChannelRecord>;
  pending: Record<string, PendingEvent>;
  userEventClock: Record<string, number>;
  /** The nodes of a cluster (nodes.ts); absent = one node, always up (the single XSP). */
  nodes?: XspNode[];
  /**
   * Set by a holder that keeps no older state — the HTTP server: its transactions then write into
   * this state instead of copying each record they touch (users, subscriptions, … grow with the
   * directory, and a copy per write made the server O(users) per command). The explorer and
   * VirtualWorld leave it unset: they keep and branch from old states.
   */
  updateInPlace?: true;
}

/** A deep copy, for callers that want to keep a state while exploring a branch. */
export function cloneXsp(s: XspState): XspState {
  return structuredClone(s);
}

/** Node `i` of the XSP: a single XSP (no `nodes`) has node 0, always up; undefined = no such node. */
export function nodeOf(s: XspState, i: number): XspNode | undefined {
  if (!Number.isInteger(i) || i < 0) return undefined;
  if (s.nodes === undefined) return i === 0 ? SINGLE_NODE : undefined;
  return s.nodes[i];
}

const SINGLE_NODE: XspNode = Object.freeze({ up: true, partitioned: false, latencyMs: 0, unavailable: false }) as XspNode;
