/**
 * Jobs, per-user queues, sagas and commands (DESIGN §4.8).
 *
 * Theory of operation
 * -------------------
 * J1 Every piece of work is a job queued on each user it touches; a job runs when it heads all
 *    of its queues (jobs are enqueued atomically, in arrival order, so there are no cycles).
 *    A job that discovers mid-way that it needs another user (the guest already at the desk,
 *    the desk an agent moves from) leaves every queue and joins again at the back with the
 *    wider set, rather than waiting while holding — that keeps the lock order acyclic.
 * J2 A user the connector does not know is read first by a `fetch` job queued ahead.
 * J3 A job drives at most one saga; a saga has at most one command on the wire.
 * J4 Every command has a step timer; transient failures (503, 5xx, transport, timeout) are
 *    retried with capped exponential backoff, `maxRetries` times — or, for persistent steps
 *    (undo, logout, repair), until the response deadline has passed. Never after it: a step
 *    still failing then is given up at once (the saga leaves it owed), so no job outlives its
 *    deadline by more than a step timeout per step left while nothing answers (I11).
 * J5 A request's saga deadline and response deadline run from its arrival: SAGA_TIMEOUT at
 *    +sagaTimeout, the answer at the latest at +sagaTimeout+stepTimeout (I6), whatever the
 *    saga is still doing (a login that answered an error always compensates).
 */
import { CstaErrors, type CstaError } from '../csta/types.js';
import type { XsiCommand, XsiOutcome } from '../xsi/types.js';
import { cstaErrorFor, isRetryable, isSuccess } from './errorMapping.js';
import { normaliseNumber } from './identity.js';
import { applyEffect } from './observe.js';
import { applySagaOutput, desksOwing, owedUsers, pairingAt, type PairingWork } from './pairings.js';
import { sagaAdvance, sagaCan, sagaInitial, type SagaResult } from './sagas/runner.js';
import type { SagaEvent, SagaOutput, SendParams } from './sagas/step.js';
import type { ConnectorState, Job, JobSpec, SagaKind } from './state.js';
import type { Turn } from './turn.js';
import { isUncertain, putService, reassertDue, reassertEnded, writeLost, writeRefused, writeSent, writeSettled, writeSkipped } from './writes.js';

export { MACHINES } from './sagas/runner.js';

// ---- queues --------------------------------------------------------------------------------

export function newJob(t: Turn, users: string[], spec: JobSpec): Job {
  const id = `j${t.s.next.job++}`;
  const held = [...new Set(users)];
  // Spelled out per kind, fields in one order: jobs are read on every input, and objects of one
  // shape keep those reads fast (a spread of the spec gave each kind its own field order).
  let job: Job;
  switch (spec.kind) {
    case 'request':
      job = { id, kind: 'request', users: held, arrivedAt: spec.arrivedAt, running: false, deferred: [], client: spec.client };
      break;
    case 'fetch':
      job = { id, kind: 'fetch', users: held, arrivedAt: t.now, running: false, deferred: [], pending: [], tries: {} };
      break;
    case 'repair':
      job = { id, kind: 'repair', users: held, arrivedAt: t.now, running: false, deferred: [], desk: spec.desk, rounds: spec.rounds };
      break;
    case 'reassert':
      job = { id, kind: 'reassert', users: held, arrivedAt: t.now, running: false, deferred: [], seq: spec.seq, command: spec.command };
      break;
    default:
      job = { id, kind: spec.kind, users: held, arrivedAt: t.now, running: false, deferred: [], desk: spec.desk };
  }
  t.s.jobs[id] = job;
  for (const u of job.users) {
    (t.s.queues[u] ??= []).push(id);
    t.dirty.add(u);
  }
  return job;
}

export function queueLength(s: ConnectorState, userId: string): number {
  return s.queues[userId]?.length ?? 0;
}

function leaveQueues(t: Turn, job: Job): void {
  for (const u of job.users) {
    const q = t.s.queues[u];
    if (!q) continue;
    const i = q.indexOf(job.id);
    if (i >= 0) q.splice(i, 1);
    if (q.length === 0) delete t.s.queues[u];
    t.dirty.add(u);
  }
}

/** J1: make sure `job` also holds `extra`; false means it re-queued and must stop for now. */
export function widen(t: Turn, job: Job, extra: string[], ensureKnown: (t: Turn, userId: string) => void): boolean {
  const missing = extra.filter((u) => !job.users.includes(u));
  if (missing.length === 0) return true;
  leaveQueues(t, job);
  job.running = false;
  for (const u of missing) ensureKnown(t, u);
  job.users = [...job.users, ...missing];
  requeue(t, job);
  return false;
}

/** J1: `job` steps back behind a fresh read of `userId` it already holds (it must stop for now). */
export function readFirst(t: Turn, job: Job, userId: string, readAgain: (t: Turn, userId: string) => void): void {
  leaveQueues(t, job);
  job.running = false;
  readAgain(t, userId);
  requeue(t, job);
}

function requeue(t: Turn, job: Job): void {
  for (const u of job.users) {
    (t.s.queues[u] ??= []).push(job.id);
    t.dirty.add(u);
  }
}

export function isRunnable(s: ConnectorState, job: Job): boolean {
  return !job.running && job.users.every((u) => s.queues[u]?.[0] === job.id);
}

/** Start every job that has become runnable; `start` may finish jobs, which frees more. */
export function pump(t: Turn, start: (t: Turn, job: Job) => void): void {
  // Late landings the ledger found in this step (writes.ts): each queues its re-assertion.
  if (t.reasserts.length > 0) for (const r of t.reasserts.splice(0)) newJob(t, [r.command.userId], { kind: 'reassert', seq: r.seq, command: r.command });
  while (t.dirty.size > 0) {
    const users = [...t.dirty];
    t.dirty.clear();
    for (const u of users) {
      const head = t.s.queues[u]?.[0];
      const job = head === undefined ? undefined : t.s.jobs[head];
      if (job && isRunnable(t.s, job)) {
        job.running = true;
        start(t, job);
      }
    }
  }
}

export function finishJob(t: Turn, job: Job, fallback: CstaError = CstaErrors.networkOutOfService): void {
  if (job.client && !job.client.answered) t.answer(job, { error: fallback });
  if (job.inFlight) {
    // J3 across jobs: a saga that ended with a command still on the wire keeps its users until
    // that command is answered (or times out), so the next job's PUTs cannot overtake it.
    job.finishing = true;
    return;
  }
  // No command of the job is left in `commands`: a saga's is settled first (above), a fetch job
  // ends with its last answer, and every answer or step timeout deletes its entry.
  leaveQueues(t, job);
  delete t.s.jobs[job.id];
  if (job.client) {
    t.clearTimer({ kind: 'saga', jobId: job.id });
    t.clearTimer({ kind: 'deadline', jobId: job.id });
  }
  if (job.retrying) t.clearTimer({ kind: 'retry', jobId: job.id });
}

// ---- sagas -----------------------------------------------------------------------------------

export function startSaga(t: Turn, job: Job, kind: SagaKind, input: unknown): void {
  settleSaga(t, job, sagaInitial(kind, input));
}

export function feedSaga(t: Turn, job: Job, event: SagaEvent): void {
  const saga = job.saga;
  // A job waiting only for its last command to settle has no saga left to drive.
  if (!saga || !t.s.jobs[job.id] || job.finishing) return;
  settleSaga(t, job, sagaAdvance(saga, event));
}

function settleSaga(t: Turn, job: Job, r: SagaResult): void {
  job.saga = r.saga;
  if (r.status === 'done') {
    sagaEnded(t, job, r.output as SagaOutput);
    return;
  }
  for (const a of r.actions) if (a.type === 'send') sendStep(t, job, a.params as SendParams);
}

/**
 * A saga ended: its effect on the pairings is applied (pairings.ts), the client answered, and the
 * work the pairings leave is queued — in that order, as a response precedes the events it causes.
 */
function sagaEnded(t: Turn, job: Job, output: SagaOutput): void {
  if (job.kind === 'reassert') {
    reassertEnded(t, job.command, job.seq);
    if (!output.ok) t.emit({ kind: 'alarm', code: 'repair-failed', message: `a late-applied write of ours on ${job.command.userId} could not be undone (${job.command.op} again failed)`, userIds: [job.command.userId] });
  }
  const repairOf = job.kind === 'repair' ? { host: job.desk.host, guest: job.desk.guest, rounds: job.rounds } : undefined;
  const work = output.effect ? applySagaOutput(t, output.ok, output.effect, repairOf) : [];
  t.answer(job, output.ok ? { response: responseFor(job) } : { error: output.error ?? CstaErrors.networkOutOfService });
  for (const w of work) carryOut(t, w);
  finishJob(t, job);
}

function responseFor(job: Job) {
  const service = job.client?.request.service;
  return service === 'SetForwarding' ? { service: 'SetForwardingResponse' as const } : { service: 'SetAgentStateResponse' as const };
}

function carryOut(t: Turn, w: PairingWork): void {
  switch (w.kind) {
    case 'cleanup':
      newJob(t, [w.host, w.guest], { kind: 'cleanup', desk: { host: w.host, guest: w.guest } });
      return;
    case 'alarm':
      t.emit({ kind: 'alarm', code: w.code, message: w.message, userIds: w.userIds });
      return;
    case 'repairTick':
      return scheduleRepair(t);
  }
}

/** Cleanup work found by an observation (pairings.ts `guestLeft`). */
export function queueWork(t: Turn, work: PairingWork[]): void {
  for (const w of work) carryOut(t, w);
}

// ---- repair work (DESIGN §4.4 "retried after the next resync", §4.5) ----------------------------

function scheduleRepair(t: Turn): void {
  if (t.s.repairTimerAt !== undefined) return;
  t.s.repairTimerAt = t.now + t.s.config.repairIntervalMs;
  t.setTimer({ kind: 'repair' }, t.s.repairTimerAt);
}

/** Queue a repair job for every desk with steps owed and none queued yet. */
export function runRepairs(t: Turn): void {
  // A restarted connector replays nothing before it has settled (and read) its saved pairings.
  if (t.s.restart !== undefined && !t.s.restart.settled) return;
  const queued = new Set<string>();
  for (const id in t.s.jobs) {
    const j = t.s.jobs[id]!;
    if (j.kind === 'repair') queued.add(j.desk.host);
  }
  for (const host of desksOwing(t.s)) {
    if (queued.has(host)) continue;
    // Lock every user the steps touch (a failed move's leave steps concern the previous desk).
    const p = pairingAt(t.s, host)!;
    newJob(t, owedUsers(t.s, host), { kind: 'repair', desk: { host, guest: p.guest }, rounds: p.rounds });
  }
}

/**
 * Put our write back over a lost write of ours that landed late (writes.ts "Late landings") —
 * unless a newer write of ours has gone out since, which decides instead.
 */
export function startReassert(t: Turn, job: Extract<Job, { kind: 'reassert' }>): void {
  if (!reassertDue(t.s, job.command, job.seq)) return finishJob(t, job);
  startSaga(t, job, 'singlePut', { step: 'reassert', command: job.command });
}

// ---- commands ------------------------------------------------------------------------------

/**
 * Whether sending `p` would change nothing the connector knows of (R1 of HotelingLogin).
 * `owedAt`: the desk a repair job replays its steps for, or a logout leaves.
 */
export function effectHolds(s: ConnectorState, p: SendParams, owedAt?: string): boolean {
  // A PUT of ours on this service went unanswered: it may have been applied, so the cache
  // cannot be trusted to skip anything until the XSP shows the service again.
  const service = putService(p.command.op);
  if (service && isUncertain(s, service, p.command.userId)) return false;
  const only = p.onlyIf;
  if (only && 'forwardingPointsTo' in only) {
    const { userId, target } = only.forwardingPointsTo;
    if (isUncertain(s, 'CallForwardingAlways', userId)) return false;
    const f = s.users[userId]?.forwarding;
    // Unknown (never read, or the read failed): a dangling forward is worse than a redundant PUT.
    // A user without the service has nothing to restore.
    if (f === undefined) return s.users[userId]?.forwardingUnassigned === true;
    const pointsAt = !!f?.active && f.forwardToPhoneNumber !== undefined && normaliseNumber(f.forwardToPhoneNumber) === normaliseNumber(target);
    if (!pointsAt) return true;
  }
  if (only && 'guestAt' in only) {
    // The guest has moved on (someone else seated it, or released it): not ours to change.
    const g = s.users[only.guestAt.userId]?.guest;
    if (g !== undefined && !isUncertain(s, 'HotelingGuest', only.guestAt.userId) && !only.guestAt.hosts.includes(g.hostUserId ?? null)) return true;
  }
  const c = p.command;
  const u = s.users[c.userId];
  if (!u) return false;
  // A release or sign-out of the agent leaving `owedAt` is ours only from that desk: seen seated
  // elsewhere since, its association is another application's (§4.6) and it is working there.
  const release = c.op === 'PUT HotelingGuest' && c.body.hostUserId === null;
  const signOut = c.op === 'PUT CallCenter' && c.body.agentACDState === 'Sign-Out' && c.userId !== owedAt;
  if (owedAt !== undefined && (release || signOut)) {
    const at = u.guest?.hostUserId;
    if (at !== undefined && at !== owedAt && !isUncertain(s, 'HotelingGuest', c.userId)) return true;
  }
  switch (c.op) {
    case 'PUT CallCenter':
      // A reason code is not cached: the reason may be new even where the state is not.
      if (c.body.agentUnavailableCode !== undefined) return false;
      return u.agentState === c.body.agentACDState || (u.agentState === undefined && c.body.agentACDState === 'Sign-Out');
    case 'PUT CallForwardingAlways': {
      const f = u.forwarding;
      if (!f || f.active !== c.body.active) return false;
      const to = c.body.forwardToPhoneNumber;
      if (to === undefined) return true;
      if (to === null) return f.forwardToPhoneNumber === undefined;
      return f.forwardToPhoneNumber !== undefined && normaliseNumber(f.forwardToPhoneNumber) === normaliseNumber(to);
    }
    case 'PUT HotelingGuest':
      return u.guest !== undefined && (u.guest.hostUserId ?? null) === c.body.hostUserId;
    default:
      return false;
  }
}

/**
 * The desk a job's steps leave: a repair's, or a logout's (request or cleanup). Its agent seen
 * seated at another desk by the time a step goes out (a login of it elsewhere ran first, queued
 * ahead on the agent) is not signed out or released by them (explore I2, seed 66036992).
 */
const owedAt = (job: Job): string | undefined =>
  (job.kind === 'repair' ? job.desk.host : job.saga?.kind === 'logout' && (job.kind === 'request' || job.kind === 'cleanup') ? job.desk?.host : undefined);

function sendStep(t: Turn, job: Job, p: SendParams): void {
  // J3: the machine moved on (SAGA_TIMEOUT) while a command is on the wire: wait for it.
  if (job.inFlight) {
    job.queuedSend = p;
    return;
  }
  if (effectHolds(t.s, p, owedAt(job))) {
    writeSkipped(t, p.command);
    feedSaga(t, job, { type: 'STEP_SKIPPED' });
    return;
  }
  expectWrite(t, p.command);
  dispatch(t, job, p, 0, 0);
}

/** A write goes out (first try or retry): the ledger expects its echo, to tell it from changes made elsewhere. */
function expectWrite(t: Turn, c: XsiCommand): void {
  writeSent(t, c);
}

export type CommandOwner = { jobId: string } | { resync: string; attempt?: number } | { lookup: 'learn' } | { lookup: 'search'; number: string };

export function sendCommand(t: Turn, command: XsiCommand, owner: CommandOwner): number {
  const commandId = t.s.next.command++;
  // Spelled out rather than extend(owner, …): the owner has one of a few shapes, and this is the
  // busiest write the connector makes (one per command).
  t.s.commands[commandId] = 'jobId' in owner ? { jobId: owner.jobId, command }
    : 'lookup' in owner ? (owner.lookup === 'learn' ? { lookup: 'learn', command } : { lookup: 'search', number: owner.number, command })
    : owner.attempt === undefined ? { resync: owner.resync, command } : { resync: owner.resync, attempt: owner.attempt, command };
  t.emit({ kind: 'xsp.command', commandId, command });
  t.setTimer({ kind: 'cmd', commandId }, t.now + t.s.config.stepTimeoutMs);
  return commandId;
}

function dispatch(t: Turn, job: Job, params: SendParams, attempt: number, failures: number): void {
  const commandId = sendCommand(t, params.command, { jobId: job.id });
  job.inFlight = { commandId, params, attempt, failures };
}

export function backoff(s: ConnectorState, attempt: number): number {
  return Math.min(s.config.retryBaseMs * 2 ** (attempt - 1), s.config.retryMaxMs);
}

export function responseDeadline(s: ConnectorState, job: Job): number {
  return job.arrivedAt + s.config.sagaTimeoutMs + s.config.stepTimeoutMs;
}

/** Which CSTA role the command's user plays, for the 404 mapping. */
function roleOf(job: Job, userId: string): 'device' | 'agent' {
  const r = job.client?.request;
  if (r && r.service === 'SetAgentState' && r.agentID !== undefined && job.users[0] !== userId) return 'agent';
  return 'device';
}

/** The answer (or the step timeout) for the job's in-flight command. */
export function settleCommand(t: Turn, job: Job, outcome: XsiOutcome): void {
  const inFlight = job.inFlight;
  if (!inFlight) return;
  job.inFlight = undefined;
  const { params, attempt } = inFlight;
  const ok = isSuccess(outcome);
  if ('transportError' in outcome) writeLost(t, params.command, inFlight.commandId);
  if (ok) {
    applyEffect(t, params.command);
    writeSettled(t, params.command, inFlight.commandId);
  }
  else if (!('transportError' in outcome)) {
    // An HTTP error status means the XSP refused the write (only a missing answer is ambiguous):
    // no echo will come, so a later event is not ours. A retry expects it again.
    writeRefused(t, params.command);
  }
  if (!ok && !('transportError' in outcome) && outcome.status === 401) {
    t.emit({ kind: 'alarm', code: 'xsp-credentials-rejected', message: 'the XSP rejected our credentials (401)', userIds: [params.command.userId] });
  }
  if (inFlight.stale || job.finishing) {
    // The saga gave up on this step meanwhile; its next command was waiting for this answer.
    const next = job.queuedSend;
    job.queuedSend = undefined;
    if (job.finishing) finishJob(t, job);
    else if (next) sendStep(t, job, next);
    return;
  }
  if (ok) {
    feedSaga(t, job, { type: 'STEP_OK' });
    return;
  }
  const mayRetry = isRetryable(outcome) && t.now < responseDeadline(t.s, job)
    && (attempt < t.s.config.maxRetries || params.persistent === true);
  if (mayRetry) {
    job.retrying = { params, attempt: attempt + 1, failures: inFlight.failures + 1 };
    t.setTimer({ kind: 'retry', jobId: job.id }, t.now + backoff(t.s, attempt + 1));
    return;
  }
  const error = cstaErrorFor(outcome, params.command, roleOf(job, params.command.userId));
  feedSaga(t, job, 'transportError' in outcome ? { type: 'STEP_FAILED', error, unanswered: true } : { type: 'STEP_FAILED', error });
}

export function retryNow(t: Turn, job: Job): void {
  const r = job.retrying;
  if (!r) return;
  job.retrying = undefined;
  if (effectHolds(t.s, r.params, owedAt(job))) {
    // The failed attempt was applied after all (or someone else did the same).
    feedSaga(t, job, { type: 'STEP_OK' });
    return;
  }
  expectWrite(t, r.params.command);
  dispatch(t, job, r.params, r.attempt, r.failures);
}

function sagaAccepts(job: Job, event: SagaEvent): boolean {
  return job.saga !== undefined && sagaCan(job.saga, event);
}

/**
 * J5: the saga deadline. The machine moves on at once (to compensation, or stalls); a command
 * still on the wire becomes stale and the next one waits for it (J3); a pending retry of a
 * step the machine abandoned is dropped.
 */
export function sagaTimeout(t: Turn, job: Job): void {
  const event: SagaEvent = { type: 'SAGA_TIMEOUT' };
  if (!sagaAccepts(job, event)) return; // already compensating: let it finish
  if (job.inFlight) job.inFlight.stale = true;
  if (job.retrying) {
    t.clearTimer({ kind: 'retry', jobId: job.id });
    job.retrying = undefined;
  }
  feedSaga(t, job, event);
}
