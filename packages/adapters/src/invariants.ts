/**
 * The oracle (DESIGN §5): checks a VirtualWorld against the invariants, from the outside —
 * what clients were told, what the connector sent, and the simulator's truth. Used by the
 * property tests and the explorer. Each check returns violations as readable strings.
 *
 *   quiescent (faults stopped, nothing in flight):  I1 convergence · I2 no dangling forward ·
 *     I3 association brings its forward · I4 clients see the truth · I5 failed login leaves no trace
 *   always:  I6 one answer within sagaTimeout+stepTimeout · I7 saga command order
 *   (I8 determinism is checked by running a schedule twice and comparing traces.)
 */
import type { AgentACDState, CstaRequest } from '@csta-bw/core';
import { userView, type ExternalAction, type UserView } from '@csta-bw/xsp-sim';
import { EXPECTED_CSTA_VIEW, loggedOnIn, STATE_ANNOUNCED } from './oracle/agentStates.js';
import { heldUsers, isHeld, openMonitors, ourAssociations, owesWork, timeouts } from './oracle/connectorView.js';
import { forwardingWord, sameForwarding, squeezedWord } from './oracle/numbers.js';
import { otherChangeSince, userIdOf, usersOf } from './oracle/requests.js';
import { checkRestore, homeSetting, usersTouched } from './oracle/restore.js';
import { checkSagaOrder } from './oracle/sagaOrder.js';
import { checkSystemStatus } from './oracle/systemStatus.js';
import type { VirtualWorld } from './virtualWorld.js';

/** I1–I12 judge the connector; M1 judges the simulator model (a slip there is the model's). */
/** W1–W5: the wire invariants (oracle/wire.ts), judged in the wire world only. */
export type InvariantId = 'I1' | 'I2' | 'I3' | 'I4' | 'I5' | 'I6' | 'I7' | 'I9' | 'I10' | 'I11' | 'I12' | 'M1' | 'W1' | 'W2' | 'W3' | 'W4' | 'W5';
export interface Violation { invariant: InvariantId; message: string }

/** What the schedule did besides CSTA requests: the oracle needs to know what happened elsewhere. */
export interface WorldHistory {
  /** The simulator's truth of every user before anything happened: what a desk had to begin with. */
  initial: Map<string, UserView>;
  externals: { at: number; action: ExternalAction }[];
  /** Sim truth of the users a login touches, at the moment each login request was issued. */
  beforeLogin: Map<string, { host: UserView | undefined; guest: UserView | undefined; unsettled: boolean }>;
}

export function newHistory(w?: VirtualWorld): WorldHistory {
  const initial = new Map<string, UserView>();
  if (w) for (const id of Object.keys(w.xsp.users)) initial.set(id, userView(w.xsp, id)!);
  return { initial, externals: [], beforeLogin: new Map() };
}

const fwdTo = (v: UserView | undefined): string => forwardingWord(v?.forwarding);
/** Whom a forward reaches, leniently: I2/I3 ask "does it point at that guest", not how it is spelt. */
const targetKey = (n: string): string => squeezedWord({ active: true, forwardToPhoneNumber: n });

/** I6, I7, I10 (acks) and I12 (SystemStatus): hold at every moment (I11, job deadlines, is sampled by oracle/deadlines.ts). */
export function checkAlways(w: VirtualWorld, final: boolean, judged?: Set<string>): Violation[] {
  const out: Violation[] = [];
  const { sagaTimeoutMs, stepTimeoutMs } = timeouts(w.connector);
  const count = new Map<string, number>();
  for (const a of w.answers) count.set(`${a.link}#${a.invokeId}`, (count.get(`${a.link}#${a.invokeId}`) ?? 0) + 1);
  for (const [key, r] of w.requests) {
    // A request whose client link died with a crashed connector process has no one to answer it.
    if (w.lostWithCrash.has(key)) continue;
    const n = count.get(key) ?? 0;
    if (n > 1) out.push({ invariant: 'I6', message: `${key} (${r.request.service}) answered ${n} times` });
    const answer = w.answers.find((a) => `${a.link}#${a.invokeId}` === key);
    if (answer && answer.at - r.at > sagaTimeoutMs + stepTimeoutMs) {
      out.push({ invariant: 'I6', message: `${key} answered after ${answer.at - r.at} ms (limit ${sagaTimeoutMs + stepTimeoutMs})` });
    }
    if (!answer && (final || w.now - r.at > sagaTimeoutMs + stepTimeoutMs)) {
      out.push({ invariant: 'I6', message: `${key} (${r.request.service}) never answered` });
    }
  }
  // I10: every Xsi event delivered is acknowledged at once (but for acks the network lost, on
  // purpose, which the XSP then redelivers), as the XSP requires (reference/xsi.md).
  for (const e of w.eventLog) {
    if (!e.acked && !e.ackLost) out.push({ invariant: 'I10', message: `event ${e.eventId} delivered at ${e.at} ms on ${e.channelId} was never acknowledged` });
  }
  if (final && Object.keys(w.xsp.pending).length > 0) {
    out.push({ invariant: 'I10', message: `the XSP still waits for acknowledgements of ${Object.keys(w.xsp.pending).join(', ')}` });
  }
  out.push(...checkSystemStatus(w, final, judged));
  // I7: step 5 (guest → Unavailable) only once the XSP has shown the guest associated after our
  // last PUT HotelingGuest — its echo (or a read, or a later association made elsewhere).
  // I7 reads the XSP's answers and events from the trace; a world run without one is not judged on it.
  if (!w.trace) return out;
  const trace = w.trace.entries;
  const seqOf = new Map<number, number>();
  for (const e of trace) if (e.from === 'connector' && e.to === 'xsp' && typeof e.args.commandId === 'number') seqOf.set(e.args.commandId, e.seq);
  for (const c of w.commands) {
    if (c.command.op !== 'PUT CallCenter' || c.command.body.agentACDState !== 'Unavailable') continue;
    const guest = c.command.userId;
    const puts = w.commands.filter((p) => p.commandId < c.commandId && p.command.op === 'PUT HotelingGuest' && p.command.userId === guest);
    let assoc = puts[puts.length - 1];
    if (!assoc || assoc.command.op !== 'PUT HotelingGuest' || assoc.command.body.hostUserId === null) continue;
    // Retries of the same association (an unanswered PUT sent again) echo once: count from the first.
    const host = assoc.command.body.hostUserId;
    for (let i = puts.length - 2; i >= 0; i--) {
      const p = puts[i]!;
      if (p.command.op !== 'PUT HotelingGuest' || p.command.body.hostUserId !== host) break;
      assoc = p;
    }
    const from = seqOf.get(assoc.commandId) ?? 0;
    const to = seqOf.get(c.commandId) ?? Number.MAX_SAFE_INTEGER;
    const shownAssociated = trace.some((e) => e.seq > from && e.seq < to && e.from === 'xsp' && typeof e.args.hostUserId === 'string'
      && ((e.msg === 'HotelingGuestEvent' && e.args.targetId === guest) || (e.msg === '200' && e.args.op === 'GET HotelingGuest' && e.args.userId === guest)));
    if (!shownAssociated) {
      out.push({ invariant: 'I7', message: `PUT CallCenter ${guest} Unavailable (command ${c.commandId}) sent before the HotelingGuestEvent showing host ${host}` });
    }
  }
  return out;
}

/**
 * I1–I5 and I9: hold once the world is quiet after faults stopped. `judged` collects the oracle's
 * own "sometimes" targets: cases a check actually judged (not skipped as disqualified).
 */
export function checkQuiescent(w: VirtualWorld, h: WorldHistory, judged?: Set<string>): Violation[] {
  const out: Violation[] = [];
  const c = w.connector;
  const truth = (id: string) => userView(w.xsp, id);

  // I1 convergence: the connector's view of every user it holds equals the simulator's.
  const held = heldUsers(c);
  for (const u of held) {
    if (!u.known) continue;
    const t = truth(u.userId);
    if (!t) continue;
    if (u.agentState !== t.agentACDState) out.push({ invariant: 'I1', message: `${u.userId} agent state: connector ${u.agentState}, XSP ${t.agentACDState}` });
    const cf = forwardingWord(u.forwarding);
    if (u.forwarding && !sameForwarding(u.forwarding, t.forwarding)) out.push({ invariant: 'I1', message: `${u.userId} forwarding: connector ${cf}, XSP ${fwdTo(t)}` });
    const ch = u.guest?.hostUserId;
    const th = t.hotelingGuest?.hostUserId;
    if (u.guest && ch !== th) out.push({ invariant: 'I1', message: `${u.userId} association: connector ${ch ?? 'none'}, XSP ${th ?? 'none'}` });
  }

  // Guests by forwarding target (extension, number, user id) to recognise "H forwarded to G".
  const guestByTarget = new Map<string, string>();
  for (const u of held) {
    if (!u.guest) continue;
    for (const k of u.names) guestByTarget.set(targetKey(k), u.userId);
  }
  // After a crash the connector may hold neither the desk nor the guest it forwarded it to: the
  // desks it forwarded (its commands) and the guests BroadWorks has are judged too (I2 below).
  const forwardedByUs = new Set(w.crashes.length === 0 ? [] : w.commands.flatMap((x) => (x.command.op === 'PUT CallForwardingAlways' && x.command.body.active ? [x.command.userId] : [])));
  if (w.crashes.length > 0) {
    for (const [id, u] of Object.entries(w.xsp.users)) {
      if (!u.guest) continue;
      for (const k of [u.extension, u.number, id]) if (k !== undefined && !guestByTarget.has(targetKey(k))) guestByTarget.set(targetKey(k), id);
    }
  }
  // Forwarding set elsewhere — by an external actor or by a client's SetForwarding — is the user's intent.
  const externallyForwarded = new Set(h.externals.filter((e) => e.action.kind === 'setForwarding').map((e) => (e.action as { userId: string }).userId));
  for (const r of w.requests.values()) if (r.request.service === 'SetForwarding') for (const u of usersOf(w, r.request)) externallyForwarded.add(u);

  // I2 no dangling forward: a host forwarded by us to a guest has that guest associated. A forward
  // someone chose — the desk's setting before the connector started, an external change, a
  // client's SetForwarding — is the user's intent, whatever it points at.
  const intended = (userId: string): Set<string> => {
    const keys = new Set<string>();
    const first = h.initial.get(userId)?.forwarding;
    if (first?.active && first.forwardToPhoneNumber !== undefined) keys.add(targetKey(first.forwardToPhoneNumber));
    for (const e of h.externals) {
      if (e.action.kind === 'setForwarding' && e.action.userId === userId && e.action.forwardToPhoneNumber !== undefined) keys.add(targetKey(e.action.forwardToPhoneNumber));
    }
    for (const r of w.requests.values()) {
      if (r.request.service === 'SetForwarding' && r.request.forwardDN !== undefined && usersOf(w, r.request).includes(userId)) keys.add(targetKey(r.request.forwardDN));
    }
    return keys;
  };
  /** Every hoteling guest BroadWorks has, by forwarding target (extension, number, user id). */
  let simGuests: Map<string, string> | undefined;
  const simGuestByTarget = (): Map<string, string> => {
    if (simGuests) return simGuests;
    simGuests = new Map();
    for (const [id, u] of Object.entries(w.xsp.users)) if (u.guest) for (const k of [u.extension, u.number, id]) if (k !== undefined) simGuests.set(targetKey(k), id);
    return simGuests;
  };
  for (const userId of new Set([...held.map((u) => u.userId), ...forwardedByUs])) {
    const t = truth(userId);
    const f = t?.forwarding;
    if (!f?.active || f.forwardToPhoneNumber === undefined) continue;
    const key = targetKey(f.forwardToPhoneNumber);
    const g = guestByTarget.get(key);
    if (!g || intended(userId).has(key)) continue;
    const at = truth(g)?.hotelingGuest?.hostUserId;
    if (at !== userId) out.push({ invariant: 'I2', message: `${userId} forwards to ${g}, which is associated with ${at ?? 'no host'}` });
  }

  // I3 association brings its forward.
  for (const [host, guest] of Object.entries(ourAssociations(c))) {
    if (externallyForwarded.has(host)) continue;
    if (truth(guest)?.hotelingGuest?.hostUserId !== host) continue;
    const f = truth(host)?.forwarding;
    const g = f?.active && f.forwardToPhoneNumber !== undefined ? guestByTarget.get(targetKey(f.forwardToPhoneNumber)) : undefined;
    if (g !== guest) out.push({ invariant: 'I3', message: `our association ${guest}@${host} but ${host} forwarding is ${fwdTo(truth(host))}` });
  }

  // I4 clients see the truth: last agent / forwarding event on each open monitor.
  for (const m of openMonitors(c)) {
    const evs = w.events.filter((e) => e.link === m.link && e.monitorCrossRefId === m.crossRefId);
    const host = truth(m.userId);
    // Xsi has no host-side event package: a desk's guest is visible through the guest's own
    // HotelingGuest data — the guests the connector holds, which with config.groupEvents include
    // any guest that sat down at a held desk after start-up (README, Limits).
    const seated = host?.hostedGuestUserId;
    const deskAgent = seated !== undefined && isHeld(c, seated) ? seated : m.userId;
    const state: AgentACDState | undefined = truth(deskAgent)?.agentACDState;
    const lastAgent = [...evs].reverse().find((e) => e.event.name !== 'ForwardingEvent');
    if (lastAgent) {
      const e = lastAgent.event;
      if (e.name === 'AgentLoggedOffEvent') {
        if (loggedOnIn(state)) out.push({ invariant: 'I4', message: `monitor ${m.crossRefId} (${m.device}) last told LoggedOff(${e.agentID}) but ${deskAgent} is ${state}` });
      } else if (e.name !== 'ForwardingEvent') {
        // §4.2: AgentLoggedOnEvent is always followed by the state's own event, so it is never the last word.
        const told = STATE_ANNOUNCED[e.name];
        const actual = state === undefined ? 'none' : EXPECTED_CSTA_VIEW[state].state;
        const agentOk = userIdOf(w, e.agentID) === deskAgent;
        if (!agentOk || told !== actual) out.push({ invariant: 'I4', message: `monitor ${m.crossRefId} (${m.device}) last told ${e.name}(${e.agentID}) but the desk shows ${deskAgent} ${state}` });
      }
    }
    const lastFwd = [...evs].reverse().find((e) => e.event.name === 'ForwardingEvent');
    if (lastFwd && lastFwd.event.name === 'ForwardingEvent') {
      const toldSetting = { active: lastFwd.event.forwardStatus, forwardToPhoneNumber: lastFwd.event.forwardTo };
      const told = forwardingWord(toldSetting);
      if (!sameForwarding(toldSetting, host?.forwarding)) out.push({ invariant: 'I4', message: `monitor ${m.crossRefId} (${m.device}) last told forwarding ${told} but XSP has ${fwdTo(host)}` });
    }
  }

  // I5 a failed login leaves no trace — where nothing else touched its users afterwards.
  for (const [key, r] of w.requests) {
    const req = r.request;
    if (req.service !== 'SetAgentState' || req.requestedAgentState !== 'loggedOn' || req.agentID === undefined) continue;
    const answer = w.answers.find((a) => `${a.link}#${a.invokeId}` === key);
    if (!answer || answer.kind !== 'error') continue;
    const before = h.beforeLogin.get(key);
    if (!before || before.unsettled) continue;
    const [hostId, guestId] = usersOf(w, req);
    if (!hostId || !guestId || hostId === guestId) continue;
    // Another change request issued after it, or still unanswered when it arrived, may have changed
    // these users legitimately (directly, or by moving an agent off a desk): only a login that had
    // the world to itself is judged.
    // (Only requests naming its desk or agent: a request elsewhere cannot reach them — an agent
    // seated at this desk before would have disqualified the login below.)
    const others = otherChangeSince(w, r.at, -1, new Set([hostId, guestId]), new Set([key]));
    // An external change shortly before may still be working its way through (delayed events, our
    // cleanup of it), so it disqualifies too.
    // Afterwards, only changes to its own users count.
    const externalAfter = h.externals.some((e) => e.at >= r.at - 60_000 && e.action.kind !== 'channelTerminate'
      && (e.at <= answer.at || usersTouched(e.action).some((u) => u === hostId || u === guestId)));
    // Requests already in flight when this one arrived also disqualify it. So does a desk another
    // agent sat at (the login is refused, nothing sent — hotelingLogin.test.ts pins that): the desk
    // changes when that pairing ends, by a logout, a release elsewhere or its association limit.
    if (others || externalAfter || before.guest?.hotelingGuest?.hostUserId !== undefined || before.host?.hostedGuestUserId !== undefined) continue;
    // Likewise a desk still forwarded by an earlier login of ours to an agent (a setting nobody
    // chose): that pairing's end — here or meanwhile, say its association limit running out while
    // the XSPs were down — is ours to clean up (§4.6), whatever this login does.
    const bf = before.host?.forwarding;
    if (bf?.active && bf.forwardToPhoneNumber !== undefined && !intended(hostId).has(targetKey(bf.forwardToPhoneNumber)) && simGuestByTarget().has(targetKey(bf.forwardToPhoneNumber))) continue;
    const now = { host: truth(hostId), guest: truth(guestId) };
    const diff: string[] = [];
    if (before.host?.agentACDState !== now.host?.agentACDState) diff.push(`${hostId} state ${before.host?.agentACDState}→${now.host?.agentACDState}`);
    // As it was; a desk forwarded to this very agent may also be left off, if the login's own forward
    // to it was sent (not skipped as already holding): its undo cannot tell the two apart (I2).
    const home = homeSetting(w, before.host?.forwarding, guestId);
    if (!sameForwarding(before.host?.forwarding, now.host?.forwarding) && !(home.toGuestItself && sameForwarding(home.setting, now.host?.forwarding))) diff.push(`${hostId} forwarding ${fwdTo(before.host)}→${fwdTo(now.host)}`);
    else if ((before.host?.forwarding?.ringSplash ?? false) !== (now.host?.forwarding?.ringSplash ?? false)) diff.push(`${hostId} ring splash ${before.host?.forwarding?.ringSplash ?? false}→${now.host?.forwarding?.ringSplash ?? false}`);
    if (before.host?.forwarding?.active) judged?.add('failed-login:forwarded-desk');
    if (before.host?.agentACDState !== undefined && before.host.agentACDState !== 'Sign-Out') judged?.add('failed-login:host-signed-in');
    if (before.guest?.agentACDState !== now.guest?.agentACDState) diff.push(`${guestId} state ${before.guest?.agentACDState}→${now.guest?.agentACDState}`);
    if (before.guest?.hotelingGuest?.hostUserId !== now.guest?.hotelingGuest?.hostUserId) diff.push(`${guestId} host ${before.guest?.hotelingGuest?.hostUserId}→${now.guest?.hotelingGuest?.hostUserId}`);
    if (diff.length) out.push({ invariant: 'I5', message: `failed login ${key} left a trace: ${diff.join('; ')}` });
  }
  out.push(...checkRestore(w, h, judged), ...checkSagaOrder(w, h, judged));
  return out;
}

/** Record the sim truth a login's I5 check compares against; call when scheduling the request. */
export function noteLogin(w: VirtualWorld, h: WorldHistory, link: string, invokeId: string, r: CstaRequest): void {
  if (r.service !== 'SetAgentState' || r.requestedAgentState !== 'loggedOn' || r.agentID === undefined) return;
  const [hostId, guestId] = usersOf(w, r);
  // Repair work or a cleanup still owed (after an earlier failure or a release elsewhere) will
  // change these desks whatever this login does: such a login is not judged by I5.
  const unsettled = owesWork(w.connector) || w.alarms.length > 0;
  h.beforeLogin.set(`${link}#${invokeId}`, { host: hostId ? userView(w.xsp, hostId) : undefined, guest: guestId ? userView(w.xsp, guestId) : undefined, unsettled });
}
