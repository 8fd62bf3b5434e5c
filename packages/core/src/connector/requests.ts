/**
 * CSTA requests (DESIGN §4.1–§4.8): check what the client sent, name the users involved, queue
 * the job, and — once the job holds its users and knows them — decide what it means: a query
 * answered from the cache, a plain agent's PUT, a hoteling login or logout.
 */
import { CstaErrors, type CstaError, type CstaRequest, type ForwardListItem, type RequestedAgentState } from '../csta/types.js';
import { isUnavailableCode } from '../xsi/actions.js';
import { ACD_STATE_FOR, CSTA_STATE_OF, isRequestedAgentState, isSignedIn } from './agentStates.js';
import { forwardTargetOf, resolveUserId } from './identity.js';
import type { LinkId } from './io.js';
import { finishJob, newJob, queueLength, queueWork, readFirst, startSaga, widen } from './jobs.js';
import { agentName, rememberName } from './naming.js';
import { park, planSource } from './numberPlan.js';
import { deskReport, seatedGuest, setReport } from './observe.js';
import { isUncertain, readWouldSettle } from './writes.js';
import { adoptableBy, beginRelease, checkSeated, claim, deskOwnForwarding, ourGuestAt, pairingAt, restorePlan } from './pairings.js';
import type { LoginInput } from './sagas/hotelingLogin.js';
import type { LogoutInput } from './sagas/hotelingLogout.js';
import type { ParkedRequest, RequestJob, UserRecord } from './state.js';
import type { Turn } from './turn.js';
import { linkStatus } from './linkStatus.js';

const AGENT_ROLE = 1; // index of the agent (guest) in a SetAgentState job's users

/** A client's not-ready reason as BroadWorks takes it (1..10 characters, no blanks), else undefined. */
function unavailableCode(reason: unknown): string | undefined {
  const code = typeof reason === 'string' ? reason.trim() : '';
  return isUnavailableCode(code) ? code : undefined;
}

/** Queue a fetch (J2) unless the user is known or already being read. */
export function ensureKnown(t: Turn, userId: string): void {
  const u = t.s.users[userId];
  if (u && (u.status === 'known' || u.status === 'fetching')) return;
  readAgain(t, userId);
}

/** Queue a fresh read of the user (J2), even if known: what we hold may predate changes. */
export function readAgain(t: Turn, userId: string): void {
  // Even while a read is under way: its answers may predate what we need it to see.
  const u = t.s.users[userId];
  if (u) {
    // Keeping what we knew: a failed read must not make us forget a forwarding we set.
    u.status = 'fetching';
    delete u.fetchError;
  } else {
    t.s.users[userId] = { userId, status: 'fetching', subscribed: false };
  }
  newJob(t, [userId], { kind: 'fetch' });
}

function reject(t: Turn, link: LinkId, invokeId: string, error: CstaError): void {
  if (t.s.links[link]) t.emit({ kind: 'csta.error', link, invokeId, error });
}

function present(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

/** The ids a request names (device, monitored device, agent): the ones that may need a search. */
function namedIds(request: CstaRequest): string[] {
  const r = request as { service: string; monitorObject?: unknown; device?: unknown; agentID?: unknown };
  const ids: unknown[] = r.service === 'MonitorStart' ? [r.monitorObject]
    : r.service === 'SetAgentState' ? [r.device, r.agentID]
    : r.service === 'GetAgentState' || r.service === 'GetForwarding' || r.service === 'SetForwarding' ? [r.device] : [];
  return ids.filter(present);
}

/**
 * A CSTA request arrives: validate, resolve ids, queue. Never throws on bad input. A number the
 * index lacks is searched for first and the request waits (numberPlan.ts N3); it comes back here
 * as `parked`, with what each search said, and keeps its arrival time.
 */
export function onRequest(t: Turn, link: LinkId, invokeId: string, request: CstaRequest, parked?: ParkedRequest): void {
  t.s.links[link] = true;
  const r = request as Partial<Record<string, unknown>> & { service?: unknown };
  if (typeof r !== 'object' || r === null || typeof r.service !== 'string') return reject(t, link, invokeId, CstaErrors.invalidParameterValue);
  const domain = t.s.config.defaultDomain;
  const index = t.s.plan.index;
  const settled = parked?.settled;
  if (planSource(t.s.config)) {
    const unknown: string[] = [];
    for (const id of namedIds(request)) {
      const res = resolveUserId(id, index, domain);
      if ('unknown' in res && res.number !== undefined && !(settled && Object.hasOwn(settled, res.number)) && !unknown.includes(res.number)) unknown.push(res.number);
    }
    if (unknown.length > 0) {
      const waiter = { link, invokeId, request, arrivedAt: parked?.arrivedAt ?? t.now, numbers: [...(parked?.numbers ?? []), ...unknown] };
      if (!park(t, waiter, settled)) reject(t, link, invokeId, CstaErrors.resourceBusy);
      return;
    }
  }
  /** An id that did not resolve: what its search said, if it failed, else "no such id". */
  const unresolved = (res: { number?: string }, notFound: CstaError): CstaError => {
    const verdict = res.number !== undefined && settled && Object.hasOwn(settled, res.number) ? settled[res.number] : undefined;
    return typeof verdict === 'object' ? verdict : notFound;
  };
  const deviceUser = (id: unknown): string | CstaError => {
    if (!present(id)) return CstaErrors.invalidParameterValue;
    const res = resolveUserId(id, index, domain);
    return 'userId' in res ? res.userId : unresolved(res, CstaErrors.invalidDeviceID);
  };
  const arrivedAt = parked?.arrivedAt ?? t.now;
  /** Queue the request on its users; false if a queue is full (answered `resourceBusy`). */
  const enqueue = (users: string[]): boolean => {
    for (const u of users) {
      if (queueLength(t.s, u) >= t.s.config.maxQueuePerUser) {
        reject(t, link, invokeId, CstaErrors.resourceBusy);
        return false;
      }
    }
    for (const u of users) ensureKnown(t, u);
    const job = newJob(t, users, { kind: 'request', client: { link, invokeId, request, answered: false }, arrivedAt });
    t.setTimer({ kind: 'saga', jobId: job.id }, arrivedAt + t.s.config.sagaTimeoutMs);
    t.setTimer({ kind: 'deadline', jobId: job.id }, arrivedAt + t.s.config.sagaTimeoutMs + t.s.config.stepTimeoutMs);
    return true;
  };

  switch (request.service) {
    case 'MonitorStop': {
      const id = request.monitorCrossRefID;
      const m = present(id) ? t.s.monitors[id] : undefined;
      if (!m || m.link !== link) return reject(t, link, invokeId, CstaErrors.invalidMonitorCrossRefID);
      removeMonitor(t, m.crossRefId);
      t.emit({ kind: 'csta.response', link, invokeId, response: { service: 'MonitorStopResponse' } });
      return;
    }
    case 'RequestSystemStatus':
      t.emit({ kind: 'csta.response', link, invokeId, response: { service: 'RequestSystemStatusResponse', systemStatus: linkStatus(t.s.channel) } });
      return;
    case 'MonitorStart': {
      const u = deviceUser(request.monitorObject);
      return void (typeof u === 'string' ? enqueue([u]) : reject(t, link, invokeId, u));
    }
    case 'GetAgentState':
    case 'GetForwarding': {
      const u = deviceUser(request.device);
      return void (typeof u === 'string' ? enqueue([u]) : reject(t, link, invokeId, u));
    }
    case 'SetForwarding': {
      const u = deviceUser(request.device);
      if (typeof u !== 'string') return reject(t, link, invokeId, u);
      if (typeof request.activateForward !== 'boolean') return reject(t, link, invokeId, CstaErrors.invalidParameterValue);
      if (request.forwardingType !== undefined && request.forwardingType !== 'forwardImmediate') return reject(t, link, invokeId, CstaErrors.invalidForwardingType);
      if (request.forwardDN !== undefined && !present(request.forwardDN)) return reject(t, link, invokeId, CstaErrors.invalidForwardingDestination);
      return void enqueue([u]);
    }
    case 'SetAgentState': {
      const h = deviceUser(request.device);
      if (typeof h !== 'string') return reject(t, link, invokeId, h);
      if (!present(request.requestedAgentState) || !isRequestedAgentState(request.requestedAgentState)) return reject(t, link, invokeId, CstaErrors.invalidParameterValue);
      // A not-ready reason BroadWorks could not take is refused here, before anything is sent.
      if (request.requestedAgentState === 'notReady' && request.reasonCode !== undefined && unavailableCode(request.reasonCode) === undefined) {
        return reject(t, link, invokeId, CstaErrors.invalidParameterValue);
      }
      if (request.agentID === undefined) return void enqueue([h]);
      if (!present(request.agentID)) return reject(t, link, invokeId, CstaErrors.invalidAgentIdentifier);
      const g = resolveUserId(request.agentID, index, domain);
      if (!('userId' in g)) return reject(t, link, invokeId, unresolved(g, CstaErrors.invalidAgentIdentifier));
      // Events about this agent name it the way this client just did (naming.ts).
      if (enqueue(g.userId === h ? [h] : [h, g.userId])) rememberName(t.s, link, g.userId, request.agentID);
      return;
    }
    default:
      return reject(t, link, invokeId, CstaErrors.serviceNotSupported);
  }
}

export function removeMonitor(t: Turn, crossRefId: string): void {
  const m = t.s.monitors[crossRefId];
  if (!m) return;
  delete t.s.monitors[crossRefId];
  const rest = (t.s.monitorsOf[m.userId] ?? []).filter((x) => x !== crossRefId);
  if (rest.length > 0) t.s.monitorsOf[m.userId] = rest;
  else {
    delete t.s.monitorsOf[m.userId];
    setReport(t.s, m.userId, undefined);
  }
}

/** The request job holds its users and they have been read: decide and act. */
export function runRequest(t: Turn, job: RequestJob): void {
  const client = job.client;
  const request = client.request;
  // Users the XSP does not know, or that could not be read, end the request here.
  for (const [i, id] of job.users.entries()) {
    const u = t.s.users[id];
    if (!u || u.status === 'absent') return fail(t, job, i === AGENT_ROLE && request.service === 'SetAgentState' ? CstaErrors.invalidAgentIdentifier : CstaErrors.invalidDeviceID);
    if (u.status === 'failed') return fail(t, job, u.fetchError ?? CstaErrors.networkOutOfService);
  }
  const device = t.s.users[job.users[0]!]!;
  switch (request.service) {
    case 'MonitorStart': {
      const crossRefId = String(t.s.next.monitor++);
      t.s.monitors[crossRefId] = { crossRefId, link: client.link, device: request.monitorObject!.trim(), userId: device.userId, filter: request.filter ?? {} };
      (t.s.monitorsOf[device.userId] ??= []).push(crossRefId);
      if (!t.s.reports[device.userId]) setReport(t.s, device.userId, deskReport(t, device.userId));
      return succeed(t, job, { service: 'MonitorStartResponse', monitorCrossRefID: crossRefId });
    }
    case 'GetAgentState': {
      const r = deskReport(t, device.userId);
      const state = r.state === undefined ? 'agentNull' : CSTA_STATE_OF[r.state];
      return succeed(t, job, {
        service: 'GetAgentStateResponse',
        agentStateList: [{ agentID: agentName(t.s, client.link, request.device!, device.userId, r.agentUserId), loggedOnState: isSignedIn(r.state), agentInfo: [{ agentState: state }] }],
      });
    }
    case 'GetForwarding': {
      const f = device.forwarding;
      const item: ForwardListItem = { forwardingType: 'forwardImmediate', forwardStatus: f?.active ?? false };
      if (f?.forwardToPhoneNumber !== undefined) item.forwardDN = f.forwardToPhoneNumber;
      return succeed(t, job, { service: 'GetForwardingResponse', forwardingList: [item] });
    }
    case 'SetForwarding': {
      if (!device.forwarding) return fail(t, job, CstaErrors.invalidDeviceID);
      const dn = request.forwardDN?.trim();
      if (request.activateForward && dn === undefined && device.forwarding.forwardToPhoneNumber === undefined) {
        return fail(t, job, CstaErrors.invalidForwardingDestination);
      }
      const body = dn === undefined ? { active: request.activateForward! } : { active: request.activateForward!, forwardToPhoneNumber: dn };
      return startSaga(t, job, 'singlePut', { step: 'setForwarding', command: { op: 'PUT CallForwardingAlways', userId: device.userId, body } });
    }
    case 'SetAgentState':
      return setAgentState(t, job, request.requestedAgentState as RequestedAgentState);
    default:
      return fail(t, job, CstaErrors.serviceNotSupported);
  }
}

function succeed(t: Turn, job: RequestJob, response: Parameters<Turn['answer']>[1] extends infer R ? R extends { response: infer X } ? X : never : never): void {
  t.answer(job, { response });
  finishJob(t, job);
}

function fail(t: Turn, job: RequestJob, error: CstaError): void {
  t.answer(job, { error });
  finishJob(t, job);
}

/** DESIGN §4.3–§4.5: which of plain / login / logout this SetAgentState is. */
function setAgentState(t: Turn, job: RequestJob, requested: RequestedAgentState): void {
  const host = t.s.users[job.users[0]!]!;
  const named = job.users[AGENT_ROLE] !== undefined ? t.s.users[job.users[AGENT_ROLE]!]! : undefined;
  // The desk's guest shows only in the guest's own data: one we paired there but have not read
  // (a restarted connector, DESIGN §9) is read first, so the request sees who sits there — also
  // one whose saved login or logout was in flight (its record is now owed steps); and before a
  // login of another agent, the one we seated there, whose pairing that login's claim replaces.
  const paired = pairingAt(t.s, host.userId)?.guest;
  const ours = ourGuestAt(t.s, host.userId);
  const unread = !named ? paired : requested === 'loggedOn' && ours !== named.userId ? ours : undefined;
  if (unread !== undefined && unread !== host.userId && t.s.users[unread]?.status !== 'known' && !widen(t, job, [unread], ensureKnown)) return;
  const seated = seatedGuest(t.s, host.userId);

  if (!named) {
    // No agentID, or the device's own user: the agent sitting at the desk, else the desk's own.
    if (seated !== undefined && seated !== host.userId) {
      if (!widen(t, job, [seated], ensureKnown)) return;
      const guest = t.s.users[seated]!;
      if (requested === 'loggedOff') return logout(t, job, host, guest);
      return plain(t, job, guest, requested, 'agent');
    }
    return plain(t, job, host, requested, 'device');
  }

  const guest = named;
  const at = guest.guest?.hostUserId;
  switch (requested) {
    case 'loggedOn': {
      if (!guest.guest) return fail(t, job, CstaErrors.invalidAgentIdentifier);
      // A release of ours went unanswered (it may have landed): where the agent sits is read again
      // before deciding — a login "again where logged in" sends no association (R7). Only while a
      // read would be admitted (no echo window open; with the default windows the lost write's
      // closed at its step timeout), so this runs once; else the association is simply re-sent.
      if (isUncertain(t.s, 'HotelingGuest', guest.userId) && readWouldSettle(t.s, 'HotelingGuest', guest.userId, t.now)) return readFirst(t, job, guest.userId, readAgain);
      if (seated !== undefined && seated !== guest.userId) return fail(t, job, CstaErrors.invalidDeviceState);
      if (at !== undefined && at !== host.userId && !widen(t, job, [at], ensureKnown)) return;
      // A saved pairing of another agent here, that agent now read and gone (released while a
      // restart had not settled it): its leave is owed first (§4.6), so the claim keeps it.
      if (ours !== undefined && ours !== guest.userId && t.s.users[ours]?.status === 'known') queueWork(t, checkSeated(t, host.userId, ours));
      return login(t, job, host, guest);
    }
    case 'loggedOff':
      if (at === host.userId || ourGuestAt(t.s, host.userId) === guest.userId) return logout(t, job, host, guest);
      if (at !== undefined) return fail(t, job, CstaErrors.invalidDeviceState);
      return plain(t, job, guest, 'loggedOff', 'agent');
    default:
      if (at !== host.userId) return fail(t, job, CstaErrors.invalidDeviceState);
      return plain(t, job, guest, requested, 'agent');
  }
}

/**
 * DESIGN §4.3: one PUT CallCenter — or nothing, if the agent is already there: the saga's own
 * skip (R1, `effectHolds`) sees that, and that a lost PUT left the state uncertain (§4.7).
 */
function plain(t: Turn, job: RequestJob, agent: UserRecord, requested: RequestedAgentState, role: 'device' | 'agent'): void {
  if (agent.agentState === undefined) return fail(t, job, role === 'agent' ? CstaErrors.invalidAgentIdentifier : CstaErrors.invalidDeviceID);
  const target = ACD_STATE_FOR[requested];
  // loggedOn asks for any signed-in state, not only the Unavailable its PUT would set.
  if (requested === 'loggedOn' && isSignedIn(agent.agentState) && !isUncertain(t.s, 'CallCenter', agent.userId)) return succeed(t, job, { service: 'SetAgentStateResponse' });
  // A not-ready reason travels as BroadWorks' unavailable code (issue 13, CallCenter unavailable codes).
  const request = job.client?.request;
  const code = requested === 'notReady' && request?.service === 'SetAgentState' && request.reasonCode !== undefined ? unavailableCode(request.reasonCode) : undefined;
  const body = code === undefined ? { agentACDState: target } : { agentACDState: target, agentUnavailableCode: code };
  startSaga(t, job, 'singlePut', { step: `setAgentState.${requested}`, command: { op: 'PUT CallCenter', userId: agent.userId, body } });
}

function login(t: Turn, job: RequestJob, host: UserRecord, guest: UserRecord): void {
  const at = guest.guest?.hostUserId;
  const input: LoginInput = {
    hostUserId: host.userId,
    guestUserId: guest.userId,
    forwardTo: forwardTargetOf(guest),
    hostStateBefore: host.agentState,
    hostForwardingBefore: homeForwarding(t, host),
    guestStateBefore: guest.agentState,
    // Only on a certain association: a release of ours that went unanswered may have landed.
    alreadyLoggedInHere: at === host.userId && isSignedIn(guest.agentState) && !isUncertain(t.s, 'HotelingGuest', guest.userId),
    associationIsOurs: ourGuestAt(t.s, host.userId) === guest.userId || adoptableBy(t.s, host.userId, guest.userId),
  };
  if (at !== undefined && at !== host.userId) {
    const plan = restorePlan(t.s, at, guest.userId);
    input.previousDesk = { hostUserId: at, forwardTo: plan?.forwardTo ?? forwardTargetOf(guest), restoreTo: plan?.before };
    beginRelease(t, at, guest.userId);
  }
  // Write-ahead (DESIGN §9): the desk's settings are on record before the first PUT changes it.
  if (!input.alreadyLoggedInHere) {
    queueWork(t, claim(t, host.userId, guest.userId, { forwardTo: input.forwardTo, forwarding: input.hostForwardingBefore, agentState: input.hostStateBefore }));
  }
  job.desk = { host: host.userId, guest: guest.userId };
  startSaga(t, job, 'login', input);
}

/**
 * What a desk's forwarding should return to when its guest leaves: what it was before any guest
 * (DESIGN §4.4 step 2, §4.5 step 2). While a restore plan is held for the desk — this guest's,
 * whose login again puts back a forward the desk lost (R7), or an earlier guest's whose cleanup is
 * not done yet — the desk carries or carried our forward, and the plan knows the desk's own
 * setting. Otherwise what the desk has now is its own: a forward to a colleague who happens to be
 * a hoteling guest too is the desk user's choice (I2 is about forwards we switched on).
 */
function homeForwarding(t: Turn, host: UserRecord) {
  const own = deskOwnForwarding(t.s, host.userId);
  return own.known ? own.forwarding : host.forwarding;
}

export function logoutInput(t: Turn, hostUserId: string, guest: UserRecord, released: boolean, signOutGuest: boolean): LogoutInput {
  const mine = restorePlan(t.s, hostUserId, guest.userId);
  return {
    hostUserId,
    guestUserId: guest.userId,
    forwardTo: mine?.forwardTo ?? forwardTargetOf(guest),
    restoreTo: mine?.before,
    signOutGuest,
    released,
  };
}

function logout(t: Turn, job: RequestJob, host: UserRecord, guest: UserRecord): void {
  beginRelease(t, host.userId, guest.userId);
  job.desk = { host: host.userId, guest: guest.userId };
  startSaga(t, job, 'logout', logoutInput(t, host.userId, guest, false, true));
}
