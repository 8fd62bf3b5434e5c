/**
 * `step` — the whole connector as one pure function (DESIGN §2).
 *
 * API, grouped as in quinn-proto:
 *   queries   `state` is plain data: read `users`, `monitors`, `jobs` directly (see state.ts)
 *   inputs    csta.request · csta.linkClosed · xsp.result · xsp.event · xsp.channel · timer.fired
 *   outputs   xsp.command · csta.response · csta.error · csta.event · csta.systemStatus ·
 *             timer.set · timer.clear · alarm · pairings.save
 *   restart   createConnector(config, { pairings }) with the pairings saved before a crash
 *
 * Loop contract: feed one input, carry out every output in order, then feed the next input.
 * Write-ahead (DESIGN §9): a `pairings.save` output must be durable (written and synced to the
 * loop's store) BEFORE the loop carries out any later output of the same step — it precedes the
 * PUT that changes the desk it records, so a crash at any point leaves enough on disk to finish
 * or undo what was in flight. Outputs before it in the same step may already have gone out.
 * `step` takes ownership of `state` (it may update it in place and returns it); keep a copy
 * with `cloneConnector` if you need the old one. It never throws on bad domain input: a bad
 * request is answered with a CSTA error; an unexpected result, event or timer is ignored.
 */
import { CstaErrors, type CstaError } from '../csta/types.js';
import { EVENT_PACKAGES, type EventPackage, type XsiCommand, type XsiOutcome } from '../xsi/types.js';
import { cstaErrorFor, isRetryable, isSuccess } from './errorMapping.js';
import type { ChannelStatusInput, Input, Output } from './io.js';
import { backoff, feedSaga, finishJob, newJob, pump, queueWork, retryNow, runRepairs, sagaTimeout, sendCommand, settleCommand, startReassert, startSaga } from './jobs.js';
import { linkStatus } from './linkStatus.js';
import { forgetLink } from './naming.js';
import { beginLearning, dropWaiters, indexProfile, onLookupResult, onPlanTimer } from './numberPlan.js';
import { observeAgentState, observeForwarding, observeGuest } from './observe.js';
import { ensureKnown, logoutInput, onRequest, readAgain, removeMonitor, runRequest } from './requests.js';
import { checkSeated, guestLeft, owedSteps, restartChecks } from './pairings.js';
import type { LogoutInput } from './sagas/hotelingLogout.js';
import { sagaFailure } from './sagas/runner.js';
import type { ConnectorState, FetchJob, Job, ParkedRequest } from './state.js';
import { readTimerId } from './timers.js';
import { fenceRead } from './writes.js';
import { Turn } from './turn.js';

const RECENT_EVENT_IDS = 512;

export function step(state: ConnectorState, input: Input, now: number): { state: ConnectorState; outputs: Output[] } {
  const t = new Turn(state, now);
  // A restarted connector's first input starts its fence against stale redeliveries (writes.ts).
  if (state.restart?.fence === 'pending') state.restart.fence = now + state.config.redeliveryWindowMs;
  switch (input.kind) {
    case 'csta.request':
      onRequest(t, input.link, input.invokeId, input.request);
      break;
    case 'csta.linkClosed':
      delete state.links[input.link];
      dropWaiters(state, input.link);
      forgetLink(state, input.link);
      for (const m of Object.values(state.monitors)) if (m.link === input.link) removeMonitor(t, m.crossRefId);
      break;
    case 'xsp.result':
      onResult(t, input.commandId, input.outcome);
      break;
    case 'xsp.event':
      onEvent(t, input.event);
      break;
    case 'xsp.channel':
      onChannel(t, input.status);
      break;
    case 'timer.fired':
      onTimer(t, input.timerId);
      break;
    default:
      break;
  }
  pump(t, startJob);
  return { state, outputs: t.outputs };
}

// ---- jobs ------------------------------------------------------------------------------------

function startJob(t: Turn, job: Job): void {
  switch (job.kind) {
    case 'fetch':
      return startFetch(t, job);
    case 'request':
      return runRequest(t, job);
    case 'cleanup': {
      const { host, guest: guestUserId } = job.desk;
      const guest = t.s.users[guestUserId];
      if (!guest) return finishJob(t, job);
      // §4.6: sign the agent out only if it sits at no desk now.
      const input: LogoutInput = logoutInput(t, host, guest, true, guest.guest?.hostUserId === undefined);
      return startSaga(t, job, 'logout', input);
    }
    case 'repair': {
      const steps = owedSteps(t.s, job.desk.host);
      // Superseded while queued (a later login or logout of the agent): nothing left to replay.
      if (steps.length === 0) return finishJob(t, job);
      return startSaga(t, job, 'repair', { steps });
    }
    case 'settle':
      queueWork(t, checkSeated(t, job.desk.host, job.desk.guest));
      return finishJob(t, job);
    case 'reassert':
      return startReassert(t, job);
  }
}

/**
 * DESIGN §9: a connector started from saved pairings settles them (a step timeout after its
 * first channel up). Every user they touch, and every user held, is read afresh; seated pairings
 * are checked against those reads, owed steps replayed.
 */
function settleRestart(t: Turn): void {
  if (!t.s.restart || t.s.restart.settled) return;
  // Lost again since that up: reads now would follow no events and could miss a late PUT of the
  // crashed process still landing; the next up arms the timer again.
  if (t.s.channel !== 'up') return;
  t.s.restart.settled = true;
  const { users, seated } = restartChecks(t.s);
  // Users read before the channel was up may have missed events (and the crashed process's last
  // PUTs): every user held is read again, as after a channel loss (§4.9).
  const held = Object.values(t.s.users).filter((u) => u.status !== 'absent').map((u) => u.userId);
  for (const u of new Set([...users, ...held])) readAgain(t, u);
  for (const d of seated) newJob(t, [d.host, d.guest], { kind: 'settle', desk: d });
  runRepairs(t);
}

// ---- reading users (J2) and resync (§4.9) ----------------------------------------------------

// Users keep their own Hoteling Guest subscription even with the group's (config.groupEvents):
// a group subscription has no initial events, so while it is being (re)made a user's own is the
// only thing that sees its association change. The duplicates change nothing.
const userPackages = (): EventPackage[] => [...EVENT_PACKAGES];

const FETCH: ((userId: string) => XsiCommand)[] = [
  (userId) => ({ op: 'GET profile', userId }),
  (userId) => ({ op: 'SUBSCRIBE', userId, packages: userPackages() }),
  (userId) => ({ op: 'GET CallCenter', userId }),
  (userId) => ({ op: 'GET CallForwardingAlways', userId }),
  (userId) => ({ op: 'GET HotelingGuest', userId }),
];

function startFetch(t: Turn, job: FetchJob): void {
  const userId = job.users[0]!;
  job.pending = FETCH.map((make) => sendCommand(t, make(userId), { jobId: job.id }));
}

function onFetchResult(t: Turn, job: FetchJob, commandId: number, command: XsiCommand, outcome: XsiOutcome): void {
  const u = t.s.users[command.userId];
  job.pending = job.pending.filter((id) => id !== commandId);
  // J4 for reads: a transient failure is retried at once, `maxRetries` times per read.
  const tries = job.tries;
  if (u && !isSuccess(outcome) && isRetryable(outcome) && command.op !== 'SUBSCRIBE' && (tries[command.op] ?? 0) < t.s.config.maxRetries) {
    tries[command.op] = (tries[command.op] ?? 0) + 1;
    job.pending.push(sendCommand(t, command, { jobId: job.id }));
    return;
  }
  if (u) {
    const status = 'status' in outcome ? outcome.status : 0;
    if (command.op === 'GET profile') {
      if (status === 404) u.status = 'absent';
      else if (!isSuccess(outcome)) u.fetchError = cstaErrorFor(outcome, command, 'device');
    } else if (command.op === 'SUBSCRIBE') {
      u.subscribed = isSuccess(outcome);
      if (!u.subscribed) rereadLater(t, command, 1);
    } else if (!isSuccess(outcome) && (status === 400 || status === 404)) {
      // The user lacks the service.
      if (command.op === 'GET CallCenter') delete u.agentState;
      if (command.op === 'GET CallForwardingAlways') {
        delete u.forwarding;
        u.forwardingUnassigned = true;
      }
      if (command.op === 'GET HotelingGuest') delete u.guest;
    } else if (!isSuccess(outcome)) {
      u.fetchError ??= cstaErrorFor(outcome, command, 'device');
    }
    if (isSuccess(outcome) && 'status' in outcome) applyRead(t, command.userId, outcome);
  }
  if (job.pending.length > 0) return;
  if (u) {
    if (u.status !== 'absent') u.status = u.fetchError ? 'failed' : 'known';
  }
  finishJob(t, job);
}

/** A successful GET: the same truth an event brings. */
function applyRead(t: Turn, userId: string, outcome: { status: number; body?: import('../xsi/types.js').XsiResultBody }): void {
  const b = outcome.body;
  if (!b) return;
  switch (b.kind) {
    case 'profile': {
      const u = t.s.users[userId];
      if (u) {
        const before = u.profile;
        u.profile = {};
        if (b.info.number !== undefined) u.profile.number = b.info.number;
        if (b.info.extension !== undefined) u.profile.extension = b.info.extension;
        indexProfile(t.s, u, before);
      }
      return;
    }
    case 'CallCenter':
      observeAgentState(t, userId, b.agentACDState, 'read');
      break;
    case 'CallForwardingAlways':
      observeForwarding(t, userId, b.info, 'read');
      break;
    case 'HotelingGuest':
      onGuestObserved(t, userId, observeGuest(t, userId, b.info, 'read'));
      break;
    default:
      return;
  }
  const fence = t.s.restart?.fence;
  if (typeof fence === 'number' && t.now < fence) fenceRead(t, userId, b.kind, fence);
}

function groupSubscription(g: NonNullable<ConnectorState['config']['groupEvents']>): XsiCommand {
  return { op: 'SUBSCRIBE', userId: g.subscriber, packages: ['Hoteling Guest'], group: { serviceProviderId: g.serviceProviderId, groupId: g.groupId } };
}

/**
 * A read or subscription that must not be lost (without it the connector would stay blind to a
 * user): retried with backoff, for as long as it fails.
 */
function rereadLater(t: Turn, command: XsiCommand, attempt: number): void {
  const at = t.now + backoff(t.s, Math.min(attempt, 6));
  t.s.rereads[`${command.op}|${command.userId}`] = attempt;
  t.setTimer({ kind: 'reread', op: command.op, userId: command.userId }, at);
}

/**
 * §4.9: the channel as the transport reports it. Links hear only the edges of `linkStatus`:
 * `disabled` when an up channel is lost, `normal` when a channel is up after none was (lost, or
 * never up yet: links that spoke meanwhile were answered `disabled`). A `resync` — events missed
 * while the channel stayed up (a sequence gap) — re-reads like an up after a loss, told to nobody.
 */
function onChannel(t: Turn, status: ChannelStatusInput): void {
  const before = t.s.channel;
  if (status === 'resync') {
    // Not up: the coming up re-reads (or, never up, every user is still being read for the first time).
    if (before !== 'up') return;
    rereadHeld(t);
    runRepairs(t);
    return;
  }
  if (status === 'lost') {
    if (before === 'lost') return;
    t.s.channel = 'lost';
    if (linkStatus(before) !== 'disabled') for (const link of Object.keys(t.s.links)) t.emit({ kind: 'csta.systemStatus', link, status: 'disabled' });
    return;
  }
  t.s.channel = 'up';
  const g = t.s.config.groupEvents;
  if (g && !t.s.groupSubscribed) {
    t.s.groupSubscribed = true;
    sendCommand(t, groupSubscription(g), { resync: g.subscriber });
  }
  beginLearning(t);
  // Settled a step timeout after the latest up: by then every command the crashed process left on
  // the wire has landed or never will, so the reads the settling starts from show its effects. A
  // process restarted while every XSP was down may have been told lost first.
  if (before !== 'up' && t.s.restart !== undefined && !t.s.restart.settled) t.setTimer({ kind: 'restart' }, t.now + t.s.config.stepTimeoutMs);
  // §4.9: events may have been missed: re-read every user we hold, then resume repair work.
  if (before === 'lost') rereadHeld(t);
  if (linkStatus(before) !== 'normal') for (const link of Object.keys(t.s.links)) t.emit({ kind: 'csta.systemStatus', link, status: 'normal' });
  if (before === 'lost') runRepairs(t);
}

/** §4.9: re-read every user we hold: events may have been missed. */
function rereadHeld(t: Turn): void {
  for (const u of Object.values(t.s.users)) {
    // Users still being read, or whose reading failed, are re-read too: what we hold of them
    // may predate the loss.
    if (u.status === 'absent') continue;
    if (!u.subscribed) sendCommand(t, { op: 'SUBSCRIBE', userId: u.userId, packages: userPackages() }, { resync: u.userId });
    for (const op of ['GET CallCenter', 'GET CallForwardingAlways', 'GET HotelingGuest'] as const) {
      sendCommand(t, { op, userId: u.userId }, { resync: u.userId });
    }
  }
}

// ---- XSP results, events, timers ---------------------------------------------------------------

function onResult(t: Turn, commandId: number, outcome: XsiOutcome): void {
  const entry = t.s.commands[commandId];
  if (!entry) return; // late answer to a command we gave up on
  delete t.s.commands[commandId];
  t.clearTimer({ kind: 'cmd', commandId });
  if ('lookup' in entry) return onLookupResult(t, entry, outcome, rerunRequest);
  if ('resync' in entry) {
    if (entry.command.op === 'SUBSCRIBE' && entry.command.group) {
      if (!isSuccess(outcome)) rereadLater(t, entry.command, (entry.attempt ?? 0) + 1);
      return;
    }
    const u = t.s.users[entry.resync];
    if (entry.command.op === 'SUBSCRIBE' && u) u.subscribed = isSuccess(outcome);
    if (isSuccess(outcome) && 'status' in outcome) applyRead(t, entry.resync, outcome);
    else if (u && (entry.command.op === 'SUBSCRIBE' || isRetryable(outcome))) rereadLater(t, entry.command, (entry.attempt ?? 0) + 1);
    return;
  }
  const job = t.s.jobs[entry.jobId];
  if (!job) return;
  if (job.kind === 'fetch') return onFetchResult(t, job, commandId, entry.command, outcome);
  if (job.inFlight?.commandId === commandId) settleCommand(t, job, outcome);
}

function onEvent(t: Turn, event: import('../xsi/types.js').XsiEvent): void {
  if (!event || typeof event !== 'object' || typeof event.targetId !== 'string') return;
  if (typeof event.eventId === 'string' && event.eventId !== '') {
    // A ring of the last RECENT_EVENT_IDS ids, with an index so the check is O(1).
    const seen = t.s.recentEvents;
    if (Object.hasOwn(seen.index, event.eventId)) return;
    const old = seen.ring[seen.next];
    if (old !== undefined) delete seen.index[old];
    seen.ring[seen.next] = event.eventId;
    seen.index[event.eventId] = true;
    seen.next = (seen.next + 1) % RECENT_EVENT_IDS;
  }
  const userId = event.targetId;
  if (!t.s.users[userId]) {
    // A guest we do not hold sat down at a desk we do (group events): start holding it; its
    // reads will put it at the desk and the desk's monitors will hear of it (§4.6).
    if (event.type === 'HotelingGuestEvent' && event.info.hostUserId !== undefined && t.s.users[event.info.hostUserId]?.status === 'known') {
      ensureKnown(t, userId);
    }
    return;
  }
  switch (event.type) {
    case 'AgentStateEvent':
    case 'AgentSubscriptionEvent':
      return observeAgentState(t, userId, event.state);
    case 'CallForwardingAlwaysEvent':
      return observeForwarding(t, userId, event.info);
    case 'HotelingGuestEvent':
      return onGuestObserved(t, userId, observeGuest(t, userId, event.info));
    case 'SubscriptionTerminatedEvent': {
      const u = t.s.users[userId]!;
      u.subscribed = false;
      sendCommand(t, { op: 'SUBSCRIBE', userId, packages: userPackages() }, { resync: userId });
      return;
    }
    default:
      return;
  }
}

/** §4.4 step 4 and §4.6: a guest's association as the XSP now reports it. */
function onGuestObserved(t: Turn, guestUserId: string, change: ReturnType<typeof observeGuest>): void {
  if (!change) return;
  const { prevHost, nextHost, ours } = change;
  // A login of this guest in progress learns whether its association holds (§4.4 step 4).
  const head = t.s.queues[guestUserId]?.[0];
  const job = head === undefined ? undefined : t.s.jobs[head];
  if (job?.kind === 'request' && job.saga?.kind === 'login' && job.desk?.guest === guestUserId) {
    feedSaga(t, job, { type: job.desk.host === nextHost ? 'GUEST_ASSOCIATED' : 'GUEST_LEFT' });
  }
  if (prevHost === undefined || prevHost === nextHost) return;
  // An association we made has ended: by our own release, or elsewhere — then the termination
  // side effects that are ours are still to do (§4.6).
  queueWork(t, guestLeft(t, prevHost, guestUserId, ours));
}

/** A request whose number searches are over runs again (numberPlan.ts N3). */
function rerunRequest(t: Turn, p: ParkedRequest): void {
  onRequest(t, p.link, p.invokeId, p.request, p);
}

function onTimer(t: Turn, timerId: string): void {
  // An id this connector never makes: nothing to do. A timer cleared meanwhile finds the state moved on.
  const timer = readTimerId(timerId);
  if (!timer) return;
  switch (timer.kind) {
    case 'cmd': {
      const entry = t.s.commands[timer.commandId];
      if (entry) onResult(t, timer.commandId, { transportError: 'timeout: no answer within the step timeout' });
      return;
    }
    case 'retry': {
      const job = t.s.jobs[timer.jobId];
      if (job) retryNow(t, job);
      return;
    }
    case 'saga': {
      const job = t.s.jobs[timer.jobId];
      if (!job) return;
      if (!job.running) {
        // Still waiting for its users: the desk or agent is busy with other work.
        t.answer(job, { error: CstaErrors.resourceBusy });
        return finishJob(t, job);
      }
      return sagaTimeout(t, job);
    }
    case 'deadline': {
      // I6: answer now, with the first failure if the saga has one (R5), whatever it still does.
      const job = t.s.jobs[timer.jobId];
      const first = job?.saga ? sagaFailure(job.saga) : undefined;
      if (job) t.answer(job, { error: first ?? CstaErrors.networkOutOfService });
      return;
    }
    case 'reread': {
      const { op, userId } = timer;
      const key = `${op}|${userId}`;
      const attempt = t.s.rereads[key] ?? 1;
      delete t.s.rereads[key];
      const g = t.s.config.groupEvents;
      // A user the XSP does not have (its profile read 404) is not subscribed again and again.
      const u = t.s.users[userId];
      if ((u === undefined || u.status === 'absent') && userId !== g?.subscriber) return;
      const command = (op === 'SUBSCRIBE' && g && userId === g.subscriber ? groupSubscription(g)
        : op === 'SUBSCRIBE' ? { op, userId, packages: userPackages() } : { op, userId }) as XsiCommand;
      sendCommand(t, command, { resync: userId, attempt });
      return;
    }
    case 'repair':
      t.s.repairTimerAt = undefined;
      runRepairs(t);
      return;
    case 'numberPlan':
      return onPlanTimer(t);
    case 'restart':
      return settleRestart(t);
  }
}
