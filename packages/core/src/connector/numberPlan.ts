/**
 * The number plan: any extension or number BroadWorks knows resolves on first use, with no
 * warm-up (DESIGN §3, §8 "Numbers").
 *
 * Theory of operation
 * -------------------
 * N1 One index maps each normalised extension and number to its user id. Lookups are one hash
 *    probe (identity.ts `resolveUserId`), so resolving costs the same with 50 users or 50 000.
 * N2 Learn: on the first channel `up`, the connector reads the whole directory of its source
 *    (config.numberPlan, by default the group of config.groupEvents, as its admin), page by page
 *    (`start`/`results`, following `startIndex` and `total`). A complete learn replaces the index
 *    (a number removed from BroadWorks stops resolving), keeping numbers from profiles read since;
 *    an incomplete one only adds what it read. Either way the next learn is `refreshMs` later
 *    (the `numberPlan` timer): time is an input, like every timer of the connector.
 * N3 Search: a request naming a number the index lacks waits — parked, in arrival order — for a
 *    directory search of that number (one search per number, shared by its waiters; every entry
 *    returned goes into the index). When all of a request's searches are over it runs again:
 *    a number found resolves; a number the directory does not have is `invalidDeviceID` /
 *    `invalidAgentIdentifier`; a search that could not be made answers the error it met
 *    (`networkOutOfService`, `resourceBusy`, …) — never "no such number".
 * N4 Searches and pages are GETs: transient failures are retried at once, `maxRetries` times —
 *    a search only while its oldest waiter is within its saga timeout, so the waiter's answer
 *    still comes within saga + step timeout (I6); the job it then becomes keeps that arrival time.
 * N5 Profiles read (GET profile) index their user's extension and number too, replacing the
 *    user's previous ones.
 */
import { CstaErrors, type CstaError } from '../csta/types.js';
import type { DirectoryEntry, DirectoryQuery, XsiCommand, XsiOutcome } from '../xsi/types.js';
import { cstaErrorFor, isRetryable, isSuccess } from './errorMapping.js';
import { numberKeys } from './identity.js';
import type { ConnectorConfig, NumberPlanSource } from './io.js';
import { sendCommand } from './jobs.js';
import type { ConnectorState, ParkedRequest, UserRecord } from './state.js';
import type { Turn } from './turn.js';

export const DEFAULT_REFRESH_MS = 15 * 60_000;
export const DEFAULT_PAGE_SIZE = 100;
/** Requests that may wait for searches at once; beyond, `resourceBusy` (a flood of unknown numbers). */
export const MAX_WAITING = 256;
/** A directory of more pages than this is read no further (a server ignoring `start` loops). */
const MAX_PAGES = 1_000;

/** Where numbers are looked up, if anywhere. */
export function planSource(config: ConnectorConfig): NumberPlanSource | undefined {
  if (config.numberPlan === false) return undefined;
  if (config.numberPlan) return config.numberPlan;
  const g = config.groupEvents;
  return g ? { requester: g.subscriber, group: { serviceProviderId: g.serviceProviderId, groupId: g.groupId } } : undefined;
}

function directoryCommand(src: NumberPlanSource, query: DirectoryQuery): XsiCommand {
  const c: Extract<XsiCommand, { op: 'GET directory' }> = { op: 'GET directory', userId: src.requester, directory: src.directory ?? 'Group', query };
  if (src.group) c.group = src.group;
  return c;
}

function add(index: Record<string, string>, entries: DirectoryEntry[]): void {
  for (const e of entries) {
    if (typeof e?.userId !== 'string' || e.userId === '') continue;
    for (const k of numberKeys(e)) index[k] = e.userId;
  }
}

// ---- N2 learn --------------------------------------------------------------------------------

/** The first channel `up` starts the learning (N2); later ones change nothing. */
export function beginLearning(t: Turn): void {
  if (t.s.plan.begun || !planSource(t.s.config)) return;
  t.s.plan.begun = true;
  learn(t);
}

/** The `numberPlan` timer: learn again, unless a learn is still on its way. */
export function onPlanTimer(t: Turn): void {
  if (t.s.plan.learning === undefined) learn(t);
}

function learn(t: Turn): void {
  const src = planSource(t.s.config);
  if (!src) return;
  t.s.plan.learning = { found: {}, tries: 0 };
  sendCommand(t, directoryCommand(src, { start: 1, results: src.pageSize ?? DEFAULT_PAGE_SIZE }), { lookup: 'learn' });
}

function onPage(t: Turn, command: XsiCommand, outcome: XsiOutcome): void {
  const learning = t.s.plan.learning;
  const src = planSource(t.s.config);
  if (!learning || !src || command.op !== 'GET directory') return;
  const body = 'status' in outcome ? outcome.body : undefined;
  if (isSuccess(outcome) && body?.kind === 'directory') {
    add(learning.found, body.entries);
    const asked = command.query.start ?? 1;
    const next = body.startIndex + body.entries.length;
    const size = src.pageSize ?? DEFAULT_PAGE_SIZE;
    if (body.entries.length > 0 && next > asked && next <= body.total && next <= MAX_PAGES * size) {
      learning.tries = 0;
      sendCommand(t, directoryCommand(src, { start: next, results: size }), { lookup: 'learn' });
      return;
    }
    return finishLearning(t, true);
  }
  if (isRetryable(outcome) && learning.tries < t.s.config.maxRetries) {
    learning.tries++;
    sendCommand(t, command, { lookup: 'learn' });
    return;
  }
  finishLearning(t, false);
}

function finishLearning(t: Turn, complete: boolean): void {
  const plan = t.s.plan;
  const found = plan.learning!.found;
  plan.learning = undefined;
  if (complete) {
    // The directory is the truth as of now; profiles read meanwhile are as true (N5).
    for (const u of Object.values(t.s.users)) {
      if (u.profile) for (const k of numberKeys(u.profile)) found[k] ??= u.userId;
    }
    plan.index = found;
  } else {
    Object.assign(plan.index, found);
  }
  const src = planSource(t.s.config)!;
  t.setTimer({ kind: 'numberPlan' }, t.now + (src.refreshMs ?? DEFAULT_REFRESH_MS));
}

// ---- N3 search on a miss ---------------------------------------------------------------------

/**
 * Park a request until the directory has been searched for `numbers` (N3). False when too many
 * requests wait already: the caller answers `resourceBusy`.
 */
export function park(t: Turn, waiter: Omit<ParkedRequest, 'settled'>, settled: ParkedRequest['settled'] = {}): boolean {
  const plan = t.s.plan;
  const src = planSource(t.s.config);
  if (!src || plan.waiting.length >= MAX_WAITING) return false;
  for (const n of waiter.numbers) {
    // Already on the wire, or already answered for this request (it is back for another number).
    if (Object.hasOwn(plan.searches, n) || Object.hasOwn(settled, n)) continue;
    plan.searches[n] = 0;
    // A number with a + is no extension: ask for the number only.
    const query: DirectoryQuery = n.startsWith('+') ? { number: n } : { extension: n, number: n, anyCriterion: true };
    sendCommand(t, directoryCommand(src, query), { lookup: 'search', number: n });
  }
  plan.waiting.push({ ...waiter, settled });
  return true;
}

function onSearch(t: Turn, number: string, command: XsiCommand, outcome: XsiOutcome, rerun: (t: Turn, p: ParkedRequest) => void): void {
  const plan = t.s.plan;
  if (!Object.hasOwn(plan.searches, number)) return;
  const body = 'status' in outcome ? outcome.body : undefined;
  let verdict: ParkedRequest['settled'][string];
  if (isSuccess(outcome) && body?.kind === 'directory') {
    add(plan.index, body.entries);
    verdict = body.entries.some((e) => numberKeys(e).includes(number)) ? 'found' : 'none';
  } else if (isRetryable(outcome)) {
    const oldest = Math.min(...plan.waiting.filter((p) => p.numbers.includes(number)).map((p) => p.arrivedAt));
    if (plan.searches[number]! < t.s.config.maxRetries && t.now < oldest + t.s.config.sagaTimeoutMs) {
      plan.searches[number]!++;
      sendCommand(t, command, { lookup: 'search', number });
      return;
    }
    verdict = cstaErrorFor(outcome, command, 'device');
  } else {
    verdict = searchRefused(outcome);
  }
  delete plan.searches[number];
  const ready: ParkedRequest[] = [];
  const still: ParkedRequest[] = [];
  for (const p of plan.waiting) {
    if (p.numbers.includes(number)) p.settled[number] = verdict;
    (p.numbers.every((n) => Object.hasOwn(p.settled, n)) ? ready : still).push(p);
  }
  plan.waiting = still;
  for (const p of ready) if (t.s.links[p.link]) rerun(t, p);
}

/**
 * A search answered with an error that is not transient. Credentials and scope are ours to fix
 * (the client hears so); any other refusal — an XSP without directory search, say — leaves the
 * number as unknown as it was before numbers were searched.
 */
function searchRefused(outcome: XsiOutcome): 'none' | CstaError {
  if (!('status' in outcome)) return CstaErrors.networkOutOfService;
  if (outcome.status === 401) return CstaErrors.securityGeneric;
  if (outcome.status === 403) return CstaErrors.privilegeViolation;
  // A 2xx without a directory in it is an answer we cannot read, not an empty directory.
  if (isSuccess(outcome)) return CstaErrors.networkOutOfService;
  return 'none';
}

/** An answer (or step timeout) for a learn page or a search. */
export function onLookupResult(
  t: Turn, entry: { lookup: 'learn'; command: XsiCommand } | { lookup: 'search'; number: string; command: XsiCommand },
  outcome: XsiOutcome, rerun: (t: Turn, p: ParkedRequest) => void,
): void {
  if (entry.lookup === 'learn') onPage(t, entry.command, outcome);
  else onSearch(t, entry.number, entry.command, outcome, rerun);
}

/** A link closed: its waiting requests will never be answered (N3). Searches finish anyway. */
export function dropWaiters(s: ConnectorState, link: string): void {
  if (s.plan.waiting.length > 0) s.plan.waiting = s.plan.waiting.filter((p) => p.link !== link);
}

// ---- N5 profiles -------------------------------------------------------------------------------

/** A profile was read: index its numbers in place of the user's previous ones. */
export function indexProfile(s: ConnectorState, u: UserRecord, before: UserRecord['profile']): void {
  const index = s.plan.index;
  if (before) for (const k of numberKeys(before)) if (index[k] === u.userId) delete index[k];
  if (u.profile) for (const k of numberKeys(u.profile)) index[k] = u.userId;
}
