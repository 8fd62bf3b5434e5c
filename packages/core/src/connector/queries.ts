/**
 * Queries for the verifier (explorer, virtual world): what it needs to know about a connector,
 * asked rather than read out of its fields, so the state can change shape behind them (issue 14
 * item 7). All are pure reads of a `ConnectorState`.
 *
 *   isIdle            nothing to do: no job, no command on the wire, no read waiting, nothing owed,
 *                     a restart's saved pairings taken up
 *   coverageFacts     the connector's half of "the situation": users as held, sagas and where
 *   branchFacts       plus everything that decides what can still happen, ids and times abstracted
 *   commandPurpose    what a command on the wire is for: a saga's step, a resync, a look-up
 *   loginsPastHostSignOut  jobs whose login has gone past step 1 (sign-out of the host)
 *   sagasUnderWay     every saga under way, by phase (the explorer's crash targets)
 *   heldUsers, isHeld the users it holds, as it believes them (I1 compares exactly that)
 *   openMonitors      the monitors clients have open (a restarted client starts them again)
 *   liveJobs          the jobs alive, when each arrived and whether a client waits (deadlines)
 *   owesWork          repair or cleanup work still owed (the desks concerned will change yet)
 *   timeouts, defaultDomain  the configuration the oracle's deadlines and names depend on
 *   channelStatus     the Xsi event channel as the connector holds it: down (never up yet), up, lost
 *   writesOnTheWire   PUTs of ours sent and not yet answered (or timed out): the XSP may still apply
 *                     them, so a run loop closing now does not close quietly (DESIGN §9)
 * The associations it stands behind are pairings.ts's `ourAssociations`.
 */
import type { AgentACDState, ForwardingInfo } from '../xsi/types.js';
import { nothingOwed, pairedDesks, pairingAt } from './pairings.js';
import type { SagaKind } from './state.js';
import type { ConnectorState } from './state.js';

export function isIdle(s: ConnectorState): boolean {
  return Object.keys(s.jobs).length === 0 && Object.keys(s.commands).length === 0 && nothingOwed(s) && rereadsDue(s).length === 0
    && (s.restart === undefined || s.restart.settled);
}

export function writesOnTheWire(s: ConnectorState): number {
  let n = 0;
  for (const id in s.commands) if (s.commands[id]!.command.op.startsWith('PUT ')) n++;
  return n;
}

/** Reads and subscriptions waiting to be retried. */
function rereadsDue(s: ConnectorState): string[] {
  return Object.keys(s.rereads);
}

/** Each user as held (status, agent state, forwarding on/off, association), each saga's state, the channel. */
export function coverageFacts(s: ConnectorState): string {
  let text = `${s.channel}\n`;
  for (const id of Object.keys(s.users).sort()) {
    const u = s.users[id]!;
    text += `${id}:${u.status}:${u.agentState ?? '-'}:${u.forwarding ? (u.forwarding.active ? 'on' : 'off') : '-'}:${u.guest ? u.guest.hostUserId ?? 'none' : '-'}\n`;
  }
  const sagas: string[] = [];
  for (const j of Object.values(s.jobs)) sagas.push(`${j.kind}/${j.saga ? `${j.saga.kind}:${JSON.stringify(j.saga.value)}` : '-'}`);
  return text + sagas.sort().join(',');
}

/** What decides the connector's next moves: jobs in detail, pairings, awaited writes, reads due, reports, commands. */
export function branchFacts(s: ConnectorState): string {
  const jobs = Object.values(s.jobs).map((j) => [j.kind, j.users.join('+'), j.running, j.client?.answered ?? '-', j.inFlight?.params.step ?? '-',
    j.inFlight?.attempt ?? '-', j.retrying?.params.step ?? '-', j.queuedSend?.step ?? '-', JSON.stringify(j.saga?.context ?? null)].join(':'));
  const pairings = pairedDesks(s).map((h) => {
    const p = pairingAt(s, h)!;
    return [h, p.guest, p.phase, p.restore, p.owed.length];
  });
  const awaited = (['HotelingGuest', 'CallForwardingAlways'] as const).map((service) =>
    Object.entries(s.writes[service]).filter(([, r]) => r.awaiting !== undefined).map(([u, r]) => `${u}=${r.awaiting}`).sort().join(','));
  const commands = Object.values(s.commands).map((x) => `${'resync' in x ? 'resync' : 'job'}:${x.command.op}:${x.command.userId}`).sort().join(',');
  return [jobs.sort().join(','), JSON.stringify([pairings, awaited, rereadsDue(s).sort(), s.reports]), commands].join('\n');
}

/** What a command on the wire is for. */
export type CommandPurpose =
  | { kind: 'resync' }
  | { kind: 'lookup' }
  | { kind: 'job'; jobId: string; jobKind: string; sagaKind: SagaKind | undefined; step: string | undefined };

export function commandPurpose(s: ConnectorState, commandId: number): CommandPurpose | undefined {
  const owner = s.commands[commandId];
  if (!owner) return undefined;
  if ('resync' in owner) return { kind: 'resync' };
  if (!('jobId' in owner)) return { kind: 'lookup' };
  const job = s.jobs[owner.jobId];
  if (!job) return undefined;
  const step = job.inFlight?.commandId === commandId ? job.inFlight.params.step : undefined;
  return { kind: 'job', jobId: job.id, jobKind: job.kind, sagaKind: job.saga?.kind, step };
}

/** Login steps 2–5: the states a login is in once step 1 (host sign-out) is behind it. */
const PAST_HOST_SIGN_OUT = new Set(['forwardingHost', 'associating', 'awaitingGuestEvent', 'settingGuestNotReady']);

/** Jobs whose login is past step 1 (whether it sent the host's sign-out or skipped it). */
export function loginsPastHostSignOut(s: ConnectorState): string[] {
  const out: string[] = [];
  for (const j of Object.values(s.jobs)) {
    const v = j.saga?.kind === 'login' ? j.saga.value : undefined;
    const seating = typeof v === 'object' && v !== null && 'seating' in v ? (v as { seating: unknown }).seating : undefined;
    if (typeof seating === 'string' && PAST_HOST_SIGN_OUT.has(seating)) out.push(j.id);
  }
  return out;
}

/** What a saga under way is doing (the explorer's crash targets). */
export type SagaPhase = 'login' | 'compensation' | 'logout' | 'repair' | 'other';

/** Every saga under way, by phase: a login seating or leaving a desk, a login undoing its steps, a logout or cleanup, a repair. */
export function sagasUnderWay(s: ConnectorState): SagaPhase[] {
  const out: SagaPhase[] = [];
  for (const j of Object.values(s.jobs)) {
    const saga = j.saga;
    // A saga that ended, its job only waiting for its last command to settle, is under way no more.
    if (!saga || saga.value === 'done' || saga.value === 'failed' || saga.value === 'stalled') continue;
    if (saga.kind === 'login') {
      const v = saga.value;
      out.push(v === 'compensating' || (typeof v === 'object' && v !== null && 'undoing' in v) ? 'compensation' : 'login');
    } else if (saga.kind === 'logout') out.push('logout');
    else if (saga.kind === 'repair') out.push('repair');
    else out.push('other');
  }
  return out;
}

/** One user as the connector holds it. */
export interface HeldUser {
  userId: string;
  /** The connector has read the user (its beliefs below are meaningful). */
  known: boolean;
  agentState: AgentACDState | undefined;
  forwarding: ForwardingInfo | undefined;
  /** Undefined: the user is no Hoteling Guest (as far as the connector knows). */
  guest: { hostUserId: string | undefined } | undefined;
  /** Every form a forward to this user may take: extension, number, user id. */
  names: string[];
}

export function heldUsers(s: ConnectorState): HeldUser[] {
  return Object.values(s.users).map((u) => ({
    userId: u.userId,
    known: u.status === 'known',
    agentState: u.agentState,
    forwarding: u.forwarding,
    guest: u.guest ? { hostUserId: u.guest.hostUserId } : undefined,
    names: [u.profile?.extension, u.profile?.number, u.userId].filter((x): x is string => x !== undefined),
  }));
}

export const isHeld = (s: ConnectorState, userId: string): boolean => Object.hasOwn(s.users, userId);

export interface OpenMonitor { crossRefId: string; link: string; device: string; userId: string }

export function openMonitors(s: ConnectorState): OpenMonitor[] {
  return Object.values(s.monitors).map((m) => ({ crossRefId: m.crossRefId, link: m.link, device: m.device, userId: m.userId }));
}

export interface LiveJob { id: string; kind: string; arrivedAt: number; hasClient: boolean; sagaKind: SagaKind | undefined }

export function liveJobs(s: ConnectorState): LiveJob[] {
  return Object.values(s.jobs).map((j) => ({ id: j.id, kind: j.kind, arrivedAt: j.arrivedAt, hasClient: j.client !== undefined, sagaKind: j.saga?.kind }));
}

/** Repair or cleanup work is still owed: the desks it concerns will change whatever comes next. */
export function owesWork(s: ConnectorState): boolean {
  return !nothingOwed(s) || Object.values(s.jobs).some((j) => j.kind === 'repair' || j.kind === 'cleanup');
}

export function timeouts(s: ConnectorState): { sagaTimeoutMs: number; stepTimeoutMs: number } {
  return { sagaTimeoutMs: s.config.sagaTimeoutMs, stepTimeoutMs: s.config.stepTimeoutMs };
}

export const defaultDomain = (s: ConnectorState): string => s.config.defaultDomain;

/** The event channel as the connector holds it: `down` until the first channel is up. */
export const channelStatus = (s: ConnectorState): ConnectorState['channel'] => s.channel;
