/**
 * Observing the XSP's truth (DESIGN §4.2, §4.6, §4.7): an Xsi event or a GET result updates the
 * cache, and every monitored desk it touches is re-reported — the CSTA events are the difference
 * between what the desk's monitors were last told and what holds now. Events are therefore
 * derived from the XSP, never from our own requests, and changes made elsewhere look the same.
 *
 * Our own PUTs also update the cache when they succeed (`applyEffect`), so the next saga step
 * decides on fresh data, but they never re-report: the XSP's event does that when it comes.
 *
 * Echoes: BroadWorks keeps per-user event order, so the events of a service echo our writes in
 * the order we made them. Each PUT we send is a pending echo (`echoes`, for `echoWindowMs`); an
 * event equal to one of them is its echo (older pending writes will never echo); an event equal
 * to none was emitted before our writes and does not overwrite what a 200 told us. A read is not
 * on the event stream: it may confirm our latest answered write but consumes no echo. Whatever is
 * set aside is re-read when the window closes, so a change made elsewhere meanwhile is learnt.
 * An unanswered PUT whose echo has not come makes the service `uncertain`: no step is skipped on
 * it until the XSP shows it again (jobs.ts `effectHolds`).
 */
import type { AgentEventName, CstaEvent } from '../csta/types.js';
import type { AgentACDState, ForwardingInfo, HotelingGuestInfo, XsiCommand } from '../xsi/types.js';
import { CSTA_STATE_OF, isSignedIn } from './agentStates.js';
import { normaliseNumber } from './identity.js';
import { agentName } from './naming.js';
import { forwardingChangedElsewhere, ownReleaseApplied } from './pairings.js';
import { putService, type ConnectorState, type DeskReport, type Echo, type EchoService, type UserRecord } from './state.js';
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
  if (info.forwardToPhoneNumber !== undefined && info.forwardToPhoneNumber !== '') out.forwardToPhoneNumber = normaliseNumber(info.forwardToPhoneNumber);
  if (info.ringSplash !== undefined) out.ringSplash = info.ringSplash;
  return out;
}

const forwardingKey = (f: ForwardingInfo): string => (f.active ? `on:${normaliseNumber(f.forwardToPhoneNumber ?? '')}` : 'off');

/**
 * Whether an observation may update the cache (see "Echo window" above). Our writes of a
 * service are echoed in the order we made them (per-user order), so an observation equal to a
 * pending write is its echo — and every older pending write will never echo (it changed
 * nothing, or was overtaken); it updates the cache unless a newer write was already answered.
 * An observation matching no pending write is older than them (or a change made elsewhere).
 * An observation not applied is checked by a re-read at the end of the window: a change made
 * elsewhere may equal a write of ours whose own echo was lost (a channel gone meanwhile).
 */
function admit(t: Turn, userId: string, service: EchoService, value: string, source: Source): boolean {
  const echoes = t.s.echoes[service];
  const pending = stillOpen(echoes[userId], t.now);
  if (pending.length === 0) {
    delete echoes[userId];
    delete t.s.uncertain[service][userId];
    return true;
  }
  // A read is not on the event stream: it may confirm our latest answered write, but older
  // events may still be on their way, so it consumes no pending echo.
  if (source === 'read') {
    if (latest(pending, (e) => e.acked)?.value === value) return true;
  }
  const i = source === 'read' ? -1 : pending.findIndex((e) => e.value === value);
  if (i >= 0) {
    const newer = pending.slice(i + 1);
    if (newer.length > 0) echoes[userId] = newer;
    else {
      delete echoes[userId];
      delete t.s.uncertain[service][userId];
    }
    if (!newer.some((e) => e.acked)) return true;
    rereadAfter(t, userId, service, newer);
    return false;
  }
  echoes[userId] = pending;
  rereadAfter(t, userId, service, pending);
  return false;
}

/** Re-read the service once the pending echoes' window has closed. */
function rereadAfter(t: Turn, userId: string, service: EchoService, pending: Echo[]): void {
  t.s.rereads[`GET ${service}|${userId}`] ??= 1;
  t.setTimer(`reread:GET ${service}|${userId}`, Math.max(...pending.map((e) => e.until)));
}

/** The echoes whose window is still open: the same array when none has closed (no copy per event). */
function stillOpen(list: Echo[] | undefined, now: number): Echo[] {
  if (list === undefined) return [];
  return list.every((e) => e.until > now) ? list : list.filter((e) => e.until > now);
}

/** The newest echo passing `test` (findLast, which ES2022 lacks). */
function latest(list: Echo[], test: (e: Echo) => boolean): Echo | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return list[i];
  return undefined;
}

/** A write is on its way (`acked` false) or was answered 200 (`acked` true). */
function openEchoWindow(t: Turn, userId: string, service: EchoService, value: string, acked = false): void {
  const echoes = t.s.echoes[service];
  const list = (echoes[userId] = stillOpen(echoes[userId], t.now));
  const until = t.now + t.s.config.echoWindowMs;
  // The 200 answers our latest send of this value (an older one may have been lost).
  const sent = acked ? latest(list, (e) => !e.acked && e.value === value) : undefined;
  if (sent) {
    sent.acked = true;
    sent.until = until;
  } else {
    list.push({ value, acked, until });
  }
}

/**
 * We are sending a PUT: from now on the service's next value is ours, so the window opens
 * already (an echo may overtake the 200), expecting the value we asked for.
 */
export function expectEcho(t: Turn, command: XsiCommand): void {
  const u = t.s.users[command.userId];
  switch (command.op) {
    case 'PUT CallCenter':
      return openEchoWindow(t, command.userId, 'CallCenter', command.body.agentACDState);
    case 'PUT CallForwardingAlways': {
      const to = command.body.forwardToPhoneNumber;
      const number = to === null ? undefined : to ?? u?.forwarding?.forwardToPhoneNumber;
      return openEchoWindow(t, command.userId, 'CallForwardingAlways', forwardingKey({ active: command.body.active, ...(number !== undefined ? { forwardToPhoneNumber: number } : {}) }));
    }
    case 'PUT HotelingGuest':
      return openEchoWindow(t, command.userId, 'HotelingGuest', command.body.hostUserId ?? '');
    default:
      return;
  }
}

/** The PUT was refused: no echo will come. */
export function dropEcho(t: Turn, command: XsiCommand): void {
  const service = putService(command.op);
  const list = service ? t.s.echoes[service][command.userId] : undefined;
  const i = list?.findIndex((e) => !e.acked) ?? -1;
  if (list && i >= 0) list.splice(i, 1);
}

/** A PUT answered 200: the XSP now holds what we asked. */
export function applyEffect(t: Turn, command: XsiCommand): void {
  const u = t.s.users[command.userId];
  if (!u) return;
  // A 200 says what the service holds now, whatever happened to earlier unanswered writes.
  const service = putService(command.op);
  if (service) delete t.s.uncertain[service][command.userId];
  applyWrite(t, u, command);
  if (command.op === 'PUT CallCenter' && u.agentState !== undefined) openEchoWindow(t, u.userId, 'CallCenter', u.agentState, true);
  if (command.op === 'PUT CallForwardingAlways' && u.forwarding) openEchoWindow(t, u.userId, 'CallForwardingAlways', forwardingKey(u.forwarding), true);
  if (command.op === 'PUT HotelingGuest' && u.guest) openEchoWindow(t, u.userId, 'HotelingGuest', u.guest.hostUserId ?? '', true);
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
      else if (to !== undefined) f.forwardToPhoneNumber = normaliseNumber(to);
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

/** An event comes down the per-user ordered stream; a read's answer does not (its order is unknown). */
export type Source = 'event' | 'read';

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
  const expected = t.s.expectForwarding[userId];
  const matches = (e: { active: boolean; to: string | undefined }) =>
    e.active === next.active && (!e.active || e.to === next.forwardToPhoneNumber);
  if (expected && matches(expected)) {
    delete t.s.expectForwarding[userId];
  } else if (!expected && prev && !sameForwarding(prev, next)) {
    // Changed elsewhere: the new setting is the user's intent; never "restore" over it (§4.6).
    forwardingChangedElsewhere(t, userId);
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
  const expected = t.s.expectGuest[userId];
  const ours = expected !== undefined && (expected ?? undefined) === nextHost;
  if (ours) delete t.s.expectGuest[userId];
  report(t, [userId, ...(prevHost ? [prevHost] : []), ...(nextHost ? [nextHost] : []), ...hadReports]);
  return { prevHost, nextHost, ours: ours || expected !== undefined };
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
  const seen = new Set<string>();
  for (const id of userIds) {
    if (seen.has(id)) continue;
    seen.add(id);
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
