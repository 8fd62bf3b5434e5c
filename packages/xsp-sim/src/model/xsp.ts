/**
 * The XSP model's API: create, submit and execute commands, advance virtual time.
 *
 * Loop contract (the caller owns the clock): `submit` requests and call `advance(now)` with a
 * non-decreasing `now`; `advance` processes every agenda item due at or before `now` in
 * (time, insertion) order and returns what came out — command results, events on channels,
 * channel terminations — in that order. `nextDueAt` says when to call `advance` next.
 * Every function is pure: it returns a new state and leaves the given one untouched.
 *
 * API by kind
 * - create:   createXsp, setFaultProfile, cloneXsp (state.ts)
 * - inputs:   submit (with faults and latency), execute (synchronous, no faults), applyExternal,
 *             openChannel / updateChannel / closeChannel, ackEvent, subscribe / refreshSubscription /
 *             deleteSubscription
 * - time:     advance, nextDueAt, drawExternalAction
 * - queries:  userView, snapshot, stateHash, channelInfo, getSubscription, authenticate (queries.ts)
 */
import type { AgentACDState, XsiCommand, XsiOutcome } from '@csta-bw/core';
import { expireChannel } from './channels.js';
import { executeIn } from './commands.js';
import type { Directory } from './directory.js';
import { Draft } from './draft.js';
import { xspError } from './errors.js';
import { type Delivery, processAckTimeout, processDeliver } from './events.js';
import { drawRequestFault, FAULT_PROFILES, type FaultProfile } from './faults.js';
import { expireAssociation } from './hoteling.js';
import { seedWord } from './rng.js';
import { initialNodes } from './nodes.js';
import { nodeOf, type UserRecord, type XspState } from './state.js';
import { expireSubscription } from './subscriptions.js';

export interface XspOptions {
  directory: Directory;
  seed: number;
  faults: FaultProfile;
  /** Where `Sign-In` lands (default Unavailable). */
  postSignInState?: AgentACDState;
  /**
   * Wall-clock ms (Unix epoch) of virtual time 0; every date the XSP prints is epoch + virtual
   * time. Default `DEFAULT_EPOCH`, so a run without one is still reproducible and its dates real.
   * (The HTTP server passes its real start time.)
   */
  epoch?: number;
  /** XSP nodes in front of this one model (nodes.ts); default 1, a single XSP. */
  nodes?: number;
}

/** 2025-01-01T00:00:00.000Z: the epoch of runs that give none (traces, the explorer, tests). */
export const DEFAULT_EPOCH = 1_735_689_600_000;

const HOUR_MS = 3_600_000;

/**
 * A fresh XSP at virtual time 0 from a (validated, see validateDirectory) directory.
 * Pre-provisioned associations and agent states are dated at time 0 (= the epoch) and expire from there.
 */
export function createXsp(opts: XspOptions): XspState {
  const users: Record<string, UserRecord> = {};
  for (const du of opts.directory.users) {
    const u: UserRecord = { userId: du.userId, password: du.password, firstName: du.firstName, lastName: du.lastName };
    if (du.number !== undefined) u.number = du.number;
    if (du.extension !== undefined) u.extension = du.extension;
    if (du.callCenter) {
      u.agentACDState = du.callCenter.agentACDState;
      u.agentStateSince = 0;
      if (u.agentACDState !== 'Sign-Out') u.signedInAt = 0;
    }
    if (du.forwarding) u.forwarding = { ...du.forwarding };
    if (du.doNotDisturb) u.doNotDisturb = { ...du.doNotDisturb };
    if (du.remoteOffice) u.remoteOffice = { ...du.remoteOffice };
    if (du.hotelingGuest) {
      const { active, enableAssociationLimit, associationLimitHours } = du.hotelingGuest;
      u.guest = { active, enableAssociationLimit, associationLimitHours };
    }
    if (du.hotelingHost) u.host = { ...du.hotelingHost };
    users[u.userId] = u;
  }
  const epoch = opts.epoch !== undefined && Number.isFinite(opts.epoch) ? Math.trunc(opts.epoch) : DEFAULT_EPOCH;
  const codes = opts.directory.unavailableCodes;
  const s: XspState = {
    domain: opts.directory.domain,
    serviceProviderId: opts.directory.serviceProviderId ?? opts.directory.domain,
    groupId: opts.directory.groupId,
    epoch,
    unavailableCodes: codes
      ? { ...codes, codes: codes.codes.map((c) => ({ ...c })) }
      : { enableAgentUnavailableCodes: false, forceUseOfAgentUnavailableCodes: false, codes: [] },
    callCenters: (opts.directory.callCenters ?? []).map((c) => ({ serviceUserId: c.serviceUserId, agentUserIds: [...c.agentUserIds] })),
    adminUserId: opts.directory.adminUserId,
    adminPassword: opts.directory.adminPassword,
    users,
    postSignInState: opts.postSignInState ?? 'Unavailable',
    faults: FAULT_PROFILES.includes(opts.faults) ? opts.faults : 'none',
    rng: seedWord(opts.seed),
    seq: 0,
    queue: [],
    subscriptions: {},
    channels: {},
    pending: {},
    userEventClock: {},
  };
  if (opts.nodes !== undefined && Number.isSafeInteger(opts.nodes) && opts.nodes > 1) s.nodes = initialNodes(opts.nodes);
  const d = new Draft(s);
  for (const du of opts.directory.users) {
    const hostId = du.hotelingGuest?.hostUserId;
    const guest = users[du.userId]?.guest;
    const host = hostId === undefined ? undefined : users[hostId]?.host;
    if (hostId === undefined || !guest || !host) continue;
    guest.hostUserId = hostId;
    guest.associatedAt = 0;
    host.guestUserId = du.userId;
    const limits = [guest.enableAssociationLimit ? guest.associationLimitHours : Infinity, host.enforceAssociationLimit ? host.associationLimitHours : Infinity];
    const hours = Math.min(...limits);
    if (hours !== Infinity) d.schedule(hours * HOUR_MS, { kind: 'associationExpiry', guestUserId: du.userId, associatedAt: 0 });
  }
  return d.finish();
}

/** Switches the fault profile at any time (tests switch to `none` to reach quiescence). */
export function setFaultProfile(s: XspState, faults: FaultProfile): XspState {
  return FAULT_PROFILES.includes(faults) && faults !== s.faults ? { ...s, faults } : s;
}

export interface SubmitRequest {
  /** The caller's correlation id, echoed in the `result` delivery. */
  requestId: number;
  /** The authenticated user. */
  asUser: string;
  /** The caller's channel set (needed by SUBSCRIBE). */
  channelSetId?: string;
  command: XsiCommand;
  /** The cluster node the request came through (nodes.ts); absent = the single XSP. */
  node?: number;
}

/**
 * Queues a command under the fault profile: it executes at now + latency and its answer is
 * delivered at that instant, unless the drawn fault says otherwise (faults.ts).
 */
export function submit(s: XspState, req: SubmitRequest, now: number): XspState {
  const d = new Draft(s);
  const via = req.node === undefined ? {} : { node: req.node };
  const node = nodeOf(s, req.node ?? 0);
  if (node?.partitioned === true) return s; // nothing gets through a partition: no answer ever comes
  if (node === undefined || !node.up) {
    // A dead node: the connection is reset at once and nothing reaches the Application Server.
    const why = node === undefined ? `no XSP node ${String(req.node)}` : `XSP node ${String(req.node ?? 0)} is down`;
    d.schedule(now, { kind: 'reply', requestId: req.requestId, outcome: { transportError: `connection reset: ${why}` }, ...via });
    return d.finish();
  }
  const { latency, fault } = drawRequestFault(d);
  const at = now + latency + node.latencyMs;
  if (node.unavailable) {
    d.schedule(at, { kind: 'reply', requestId: req.requestId, outcome: xspError('SERVICE_UNAVAILABLE', `XSP node ${String(req.node ?? 0)} is overloaded`), ...via });
    return d.finish();
  }
  const exec = { kind: 'execute' as const, requestId: req.requestId, asUser: req.asUser, command: req.command, ...via };
  const withSet = req.channelSetId === undefined ? exec : { ...exec, channelSetId: req.channelSetId };
  switch (fault) {
    case undefined:
      d.schedule(at, { ...withSet, reply: true });
      break;
    case 'timeout-applied':
      d.schedule(at, { ...withSet, reply: false });
      break;
    case '503':
      d.schedule(at, { kind: 'reply', requestId: req.requestId, outcome: xspError('SERVICE_UNAVAILABLE'), ...via });
      break;
    case '500':
      d.schedule(at, { kind: 'reply', requestId: req.requestId, outcome: xspError('INTERNAL_ERROR'), ...via });
      break;
    case 'timeout-lost':
      break;
  }
  return d.finish();
}

/** Executes now, without faults or latency (the HTTP server's path, tests). */
export function execute(s: XspState, asUser: string, command: XsiCommand, now: number, channelSetId?: string): { state: XspState; outcome: XsiOutcome } {
  const d = new Draft(s);
  const outcome = executeIn(d, asUser, command, now, channelSetId);
  return 'status' in outcome && outcome.status === 200 ? { state: d.finish(), outcome } : { state: s, outcome };
}

/** Processes everything due at or before `now`; see the loop contract above. */
export function advance(s: XspState, now: number): { state: XspState; deliveries: Delivery[] } {
  const head = s.queue[0];
  if (head === undefined || head.at > now) return { state: s, deliveries: [] };
  const d = new Draft(s);
  const out: Delivery[] = [];
  for (let item = d.takeDue(now); item !== undefined; item = d.takeDue(now)) {
    switch (item.kind) {
      case 'execute': {
        const outcome = executeIn(d, item.asUser, item.command, item.at, item.channelSetId);
        if (item.reply) out.push({ kind: 'result', requestId: item.requestId, outcome });
        break;
      }
      case 'reply':
        out.push({ kind: 'result', requestId: item.requestId, outcome: item.outcome });
        break;
      case 'deliver':
        processDeliver(d, item, out);
        break;
      case 'ackTimeout':
        processAckTimeout(d, item, out);
        break;
      case 'channelTerminated':
        out.push({ kind: 'channelTerminated', channelId: item.channelId, reason: item.reason });
        break;
      case 'channelExpiry':
        expireChannel(d, item.channelId, item.expiresAt, item.at);
        break;
      case 'subscriptionExpiry':
        expireSubscription(d, item.subscriptionId, item.expiresAt, item.at);
        break;
      case 'associationExpiry':
        expireAssociation(d, item.guestUserId, item.associatedAt, item.at);
        break;
    }
  }
  return { state: d.finish(), deliveries: out };
}

/** When the next agenda item is due, or undefined when nothing is scheduled. */
export function nextDueAt(s: XspState): number | undefined {
  return s.queue[0]?.at;
}
