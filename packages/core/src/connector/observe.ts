/**
 * Observing the XSP's truth (DESIGN §4.2, §4.6, §4.7): an Xsi event or a GET result updates the
 * cache, and every monitored desk it touches is re-reported — the CSTA events are the difference
 * between what the desk's monitors were last told and what holds now. Events are therefore
 * derived from the XSP, never from our own requests, and changes made elsewhere look the same.
 *
 * Our own PUTs also update the cache when they succeed (`applyEffect`), so the next saga step
 * decides on fresh data, but they never re-report: the XSP's event does that when it comes.
 *
 * Whether an observation is the echo of our own write, older than it, or news is the ledger's
 * call (writes.ts `admit`, `awaitedWrite`).
 */
import type { AgentEventName, CstaEvent } from '../csta/types.js';
import type { AgentACDState, ForwardingInfo, HotelingGuestInfo, XsiCommand } from '../xsi/types.js';
import { CSTA_STATE_OF, isSignedIn } from './agentStates.js';
import { isDiallingNumber, normaliseNumber } from './identity.js';
import { agentName } from './naming.js';
import { forwardingChangedElsewhere, ownReleaseApplied } from './pairings.js';
import type { DeskReport, UserRecord } from './state.js';
import { admit, awaitedWrite, forwardingKey, writeAnswered, type Source } from './writes.js';
import type { Turn } from './turn.js';
import { extend } from './extend.js';

// ---- cache updates -------------------------------------------------------------------------

function setHost(t: Turn, guest: UserRecord, hostUserId: string | undefined): string | undefined {
  const prev = guest.guest?.hostUserId;
  if (guest.guest) {
    if (hostUserId === undefined) delete guest.guest.hostUserId;
    else guest.guest.hostUserId = hostUserId;
  }
  // The reverse index (host → guests claiming it) is kept whether or not we hold the host yet.
  if (prev !== undefined && prev !== hostUserId) {
    const rest = (t.s.seatedAt[prev] ?? []).filter((g) => g !== guest.userId);
    if (rest.length > 0) t.s.seatedAt[prev] = rest;
    else delete t.s.seatedAt[prev];
  }
  if (hostUserId !== undefined) {
    const claims = (t.s.seatedAt[hostUserId] ??= []);
    if (!claims.includes(guest.userId)) claims.push(guest.userId);
  }
  return prev;
}

function normaliseForwarding(info: ForwardingInfo): ForwardingInfo {
  const out: ForwardingInfo = { active: info.active };
  // Only a dialling number is squeezed to digits: a user id or SIP URI target (`desk-104@example.com`)
  // is kept as written, or restoring it later would write back `desk104@examplecom`.
  const to = info.forwardToPhoneNumber;
  if (to !== undefined && to !== '') out.forwardToPhoneNumber = isDiallingNumber(to) ? normaliseNumber(to) : to;
  if (info.ringSplash !== undefined) out.ringSplash = info.ringSplash;
  return out;
}

/** A PUT answered 200: the XSP now holds what we asked. */
export function applyEffect(t: Turn, command: XsiCommand): void {
  const u = t.s.users[command.userId];
  if (!u) return;
  // A 200 says what the service holds now, whatever happened to earlier unanswered writes.
  applyWrite(t, u, command);
  if (command.op === 'PUT CallCenter') writeAnswered(t, 'CallCenter', u.userId, u.agentState);
  if (command.op === 'PUT CallForwardingAlways') writeAnswered(t, 'CallForwardingAlways', u.userId, u.forwarding ? forwardingKey(u.forwarding) : undefined);
  if (command.op === 'PUT HotelingGuest') writeAnswered(t, 'HotelingGuest', u.userId, u.guest ? u.guest.hostUserId ?? '' : undefined);
}

function applyWrite(t: Turn, u: UserRecord, command: XsiCommand): void {
  switch (command.op) {
    case 'PUT CallCenter':
      u.agentState = command.body.agentACDState === 'Sign-In' ? 'Unavailable' : command.body.agentACDState;
      break;
    case 'PUT CallForwardingAlways': {
      const f: ForwardingInfo = extend(u.forwarding ?? { active: false }, { active: command.body.active });
      const to = command.body.forwardToPhoneNumber;
      if (to === null) delete f.forwardToPhoneNumber;
      else if (to !== undefined) f.forwardToPhoneNumber = isDiallingNumber(to) ? normaliseNumber(to) : to;
      u.forwarding = f;
      break;
    }
    case 'PUT HotelingGuest':
      if (u.guest) {
        if (command.body.active !== undefined) u.guest.active = command.body.active;
        const prev = setHost(t, u, command.body.hostUserId ?? undefined);
        // We ended (or moved) an association we made: it is ours no more. Its echo will show no
        // change, so this is the only place that can tell.
        if (prev !== undefined && prev !== command.body.hostUserId) ownReleaseApplied(t, prev, u.userId);
      }
      break;
    default:
      break;
  }
}

export function observeAgentState(t: Turn, userId: string, state: AgentACDState, source: Source = 'event'): void {
  const u = t.s.users[userId];
  if (!u) return;
  if (!admit(t, userId, 'CallCenter', state, source)) {
    // Not taken as news — but if it agrees with what our 200 already told us, the desks may now
    // be reported (events, not our requests, drive the reports).
    if (u.agentState === state) report(t, affectedBy(t, userId));
    return;
  }
  u.agentState = state;
  report(t, affectedBy(t, userId));
}

export function observeForwarding(t: Turn, userId: string, info: ForwardingInfo, source: Source = 'event'): void {
  const u = t.s.users[userId];
  if (!u) return;
  const next = normaliseForwarding(info);
  if (!admit(t, userId, 'CallForwardingAlways', forwardingKey(next), source)) {
    if (u.forwarding && forwardingKey(u.forwarding) === forwardingKey(next)) report(t, [userId]);
    return;
  }
  delete u.forwardingUnassigned;
  const prev = u.forwarding;
  u.forwarding = next;
  const ours = awaitedWrite(t, 'CallForwardingAlways', userId, forwardingKey(next));
  if (!ours && prev && !sameForwarding(prev, next)) {
    // Changed elsewhere: the new setting is the user's intent; never "restore" over it (§4.6).
    forwardingChangedElsewhere(t, userId, next);
  }
  report(t, [userId]);
}

export type GuestChange = { prevHost: string | undefined; nextHost: string | undefined; ours: boolean };

export function observeGuest(t: Turn, userId: string, info: HotelingGuestInfo, source: Source = 'event'): GuestChange | undefined {
  const u = t.s.users[userId];
  if (!u) return undefined;
  const nextHost = info.hostUserId;
  if (!admit(t, userId, 'HotelingGuest', nextHost ?? '', source)) {
    if ((u.guest?.hostUserId ?? '') === (nextHost ?? '')) report(t, [userId, ...(nextHost ? [nextHost] : []), ...reportsShowing(t, userId)]);
    return undefined;
  }
  const hadReports = reportsShowing(t, userId);
  const cachedHost = u.guest?.hostUserId;
  const { hostUserId: _next, ...rest } = info;
  u.guest = cachedHost === undefined ? rest : extend(rest, { hostUserId: cachedHost });
  const prevHost = setHost(t, u, nextHost);
  const ours = awaitedWrite(t, 'HotelingGuest', userId, nextHost ?? '');
  report(t, [userId, ...(prevHost ? [prevHost] : []), ...(nextHost ? [nextHost] : []), ...hadReports]);
  return { prevHost, nextHost, ours };
}

function sameForwarding(a: ForwardingInfo, b: ForwardingInfo): boolean {
  return a.active === b.active && (a.forwardToPhoneNumber ?? '') === (b.forwardToPhoneNumber ?? '');
}

// ---- desk reports ----------------------------------------------------------------------------

/** Monitored users whose report is about `userId` as the agent at their desk. */
function reportsShowing(t: Turn, userId: string): string[] {
  return t.s.shownAt[userId] ?? [];
}

/** Set (or drop) a desk's report, keeping the agent → desks index in step. */
export function setReport(s: Turn['s'], deskUserId: string, r: DeskReport | undefined): void {
  const old = s.reports[deskUserId];
  if (old && old.agentUserId !== r?.agentUserId) {
    const rest = (s.shownAt[old.agentUserId] ?? []).filter((d) => d !== deskUserId);
    if (rest.length === 0) delete s.shownAt[old.agentUserId];
    else s.shownAt[old.agentUserId] = rest;
  }
  if (!r) {
    delete s.reports[deskUserId];
    return;
  }
  if (!old || old.agentUserId !== r.agentUserId) (s.shownAt[r.agentUserId] ??= []).push(deskUserId);
  s.reports[deskUserId] = r;
}

/** Desks whose picture depends on `userId`: its own, the desk it sits at, desks showing it. */
function affectedBy(t: Turn, userId: string): string[] {
  const host = t.s.users[userId]?.guest?.hostUserId;
  return [userId, ...(host ? [host] : []), ...reportsShowing(t, userId)];
}

/**
 * The guest sitting at desk `hostUserId`. The reverse index is only a hint: the truth is the
 * guest's own HotelingGuest data (there is no host-side event package), so a stale entry — a
 * guest record re-read or dropped since — is checked and ignored.
 */
export function seatedGuest(s: Turn['s'], hostUserId: string): string | undefined {
  const claims = s.seatedAt[hostUserId];
  if (claims === undefined) return undefined;
  // Events of different users may arrive out of order, so two guests can briefly claim one
  // desk: the latest association wins. Claims the guest's own data no longer makes are dropped.
  let best: UserRecord | undefined;
  const valid: string[] = [];
  for (const id of claims) {
    const u = s.users[id];
    if (u?.guest?.hostUserId !== hostUserId) continue;
    valid.push(id);
    if (!best || (u.guest.hostAssociationDateTime ?? '') > (best.guest?.hostAssociationDateTime ?? '')) best = u;
  }
  if (valid.length === 0) delete s.seatedAt[hostUserId];
  else if (valid.length !== claims.length) s.seatedAt[hostUserId] = valid;
  return best?.userId;
}

/** Who sits at desk `userId` (its guest, else its own agent) and how its forwarding stands. */
export function deskReport(t: { s: Turn['s'] }, userId: string): DeskReport {
  const u = t.s.users[userId];
  const agentUserId = seatedGuest(t.s, userId) ?? userId;
  const f = u?.forwarding;
  return {
    agentUserId,
    state: t.s.users[agentUserId]?.agentState,
    forwarding: f ? { active: f.active, to: f.forwardToPhoneNumber } : undefined,
  };
}

const STATE_EVENT: Record<AgentACDState, AgentEventName> = {
  'Sign-In': 'AgentNotReadyEvent',
  Available: 'AgentReadyEvent',
  Unavailable: 'AgentNotReadyEvent',
  'Wrap-Up': 'AgentWorkingAfterCallEvent',
  'Sign-Out': 'AgentLoggedOffEvent',
};

const FILTER_KEY: Record<AgentEventName, 'agentLoggedOn' | 'agentLoggedOff' | 'agentReady' | 'agentNotReady' | 'agentWorkingAfterCall'> = {
  AgentLoggedOnEvent: 'agentLoggedOn',
  AgentLoggedOffEvent: 'agentLoggedOff',
  AgentReadyEvent: 'agentReady',
  AgentNotReadyEvent: 'agentNotReady',
  AgentWorkingAfterCallEvent: 'agentWorkingAfterCall',
};

/** The agent events that take a desk's monitors from `before` to `after` (DESIGN §4.2). */
export function agentEventsBetween(before: DeskReport, after: DeskReport): { name: AgentEventName; agentUserId: string }[] {
  const out: { name: AgentEventName; agentUserId: string }[] = [];
  const wasIn = isSignedIn(before.state);
  const isIn = isSignedIn(after.state);
  const loggedOn = () => {
    out.push({ name: 'AgentLoggedOnEvent', agentUserId: after.agentUserId });
    out.push({ name: STATE_EVENT[after.state!], agentUserId: after.agentUserId });
  };
  if (before.agentUserId !== after.agentUserId) {
    if (wasIn) out.push({ name: 'AgentLoggedOffEvent', agentUserId: before.agentUserId });
    if (isIn) loggedOn();
  } else if (!wasIn && isIn) {
    loggedOn();
  } else if (wasIn && !isIn) {
    out.push({ name: 'AgentLoggedOffEvent', agentUserId: after.agentUserId });
  } else if (wasIn && isIn && CSTA_STATE_OF[before.state!] !== CSTA_STATE_OF[after.state!]) {
    out.push({ name: STATE_EVENT[after.state!], agentUserId: after.agentUserId });
  }
  return out;
}

/** Re-report the given desks to their monitors. */
export function report(t: Turn, userIds: string[]): void {
  for (let i = 0; i < userIds.length; i++) {
    const id = userIds[i]!;
    // A handful of ids at most: a scan back beats building a Set on every event.
    if (i > 0 && userIds.lastIndexOf(id, i - 1) >= 0) continue;
    const before = t.s.reports[id];
    if (!before) continue; // not monitored
    const after = deskReport(t, id);
    setReport(t.s, id, after);
    const monitors = (t.s.monitorsOf[id] ?? []).map((x) => t.s.monitors[x]!);
    for (const e of agentEventsBetween(before, after)) {
      for (const m of monitors) {
        if (m.filter[FILTER_KEY[e.name]]) continue;
        t.cstaEvent(id, m.link, m.crossRefId, { name: e.name, agentDevice: m.device, agentID: agentName(t.s, m.link, m.device, id, e.agentUserId) });
      }
    }
    const fb = before.forwarding;
    const fa = after.forwarding;
    if (fa && (!fb || fb.active !== fa.active || (fa.active && fb.to !== fa.to))) {
      for (const m of monitors) {
        if (m.filter.forwarding) continue;
        const ev: CstaEvent = { name: 'ForwardingEvent', device: m.device, forwardingType: 'forwardImmediate', forwardStatus: fa.active };
        if (fa.to !== undefined) ev.forwardTo = fa.to;
        t.cstaEvent(id, m.link, m.crossRefId, ev);
      }
    }
  }
}
