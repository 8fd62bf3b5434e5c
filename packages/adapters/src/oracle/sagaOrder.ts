/**
 * I7, the sagas' whole order (DESIGN §4.4–§4.5), judged step by step against BroadWorks' truth
 * at the moment each command was sent — every earlier step has had its 200 by then, so its effect
 * shows. Commands are told apart by what they do, not by the connector's bookkeeping:
 *
 *   O1 login, host sign-out before the forward: when a login forwards desk H to its agent G, H's
 *      own agent is signed out (step 1 ran, or had nothing to do).
 *   O2 login, forward before the association: when G is associated with H, H forwards to G.
 *   O3 logout, release last: when a logout releases G from its desk H, G is signed out and H no
 *      longer forwards to G (steps 1 and 2 ran, or had nothing to do). Leaving the previous desk
 *      when an agent moves follows the same order.
 *   O4 a failed login undoes in reverse: its restore of H's forwarding comes once G is released
 *      from H, and its restore of H's own agent once H no longer forwards to G.
 * (Step 5 only after the association's event is checked in invariants.ts.)
 *
 * A step is judged only where its request is the one change in progress on H and G, no external
 * change touched them in the minute before, and the forward in question is no one's choice (a
 * forward to G that was the desk's own setting, an external one or a client's may be restored).
 */
import type { XsiCommand } from '@csta-bw/core';
import { userView, type XspState } from '@csta-bw/xsp-sim';
import type { Violation, WorldHistory } from '../invariants.js';
import type { VirtualWorld } from '../virtualWorld.js';
import { loggedOnIn } from './agentStates.js';
import { heldUsers } from './connectorView.js';
import { jobDeadlineMs } from './deadlines.js';
import { squeezedWord } from './numbers.js';
import { answerOf, isReadOnly, userIdOf, usersOf } from './requests.js';
import { usersTouched } from './restore.js';

type Sent = VirtualWorld['commands'][number];
const key = (n: string) => squeezedWord({ active: true, forwardToPhoneNumber: n });

export function checkSagaOrder(w: VirtualWorld, h: WorldHistory, judged?: Set<string>): Violation[] {
  const out: Violation[] = [];
  const names = new Map(heldUsers(w.connector).map((u) => [u.userId, new Set(u.names.map(key))]));
  // After a crash the connector holds only what it has read since: BroadWorks names the rest.
  if (w.crashes.length > 0) {
    for (const [id, u] of Object.entries(w.xsp.users)) {
      const known = names.get(id) ?? names.set(id, new Set()).get(id)!;
      for (const n of [u.extension, u.number, id]) if (n !== undefined) known.add(key(n));
    }
  }
  const pointsAt = (truth: XspState, host: string, guest: string): boolean => {
    const f = userView(truth, host)?.forwarding;
    return f?.active === true && f.forwardToPhoneNumber !== undefined && (names.get(guest)?.has(key(f.forwardToPhoneNumber)) ?? false);
  };
  /** The one change request on these users in progress at `at`, if exactly one. */
  const soleRequest = (at: number, users: string[]) => {
    const running = [...w.requests.entries()].filter(([k, r]) => !isReadOnly(r.request) && r.at <= at
      && (answerOf(w, k)?.at ?? Infinity) >= at && usersOf(w, r.request).some((u) => users.includes(u)));
    // A request lost with a crashed process is finished or undone by the restarted one, in an
    // order its own rule does not describe: steps after that crash are not judged.
    if (running.some(([k, r]) => w.lostWithCrash.has(k) && w.crashes.some((c) => c.at >= r.at && c.at <= at))) return undefined;
    return running.length === 1 ? running[0]![1].request : undefined;
  };
  const quietBefore = (at: number, users: string[]) => !h.externals.some((e) => e.at >= at - 60_000 && e.at <= at && usersTouched(e.action).some((u) => users.includes(u)));
  const chosen = (host: string, n: string): boolean => {
    const k = key(n);
    const first = h.initial.get(host)?.forwarding;
    if (first?.forwardToPhoneNumber !== undefined && key(first.forwardToPhoneNumber) === k) return true;
    if (h.externals.some((e) => e.action.kind === 'setForwarding' && e.action.userId === host && e.action.forwardToPhoneNumber !== undefined && key(e.action.forwardToPhoneNumber) === k)) return true;
    return [...w.requests.values()].some((r) => r.request.service === 'SetForwarding' && r.request.forwardDN !== undefined && key(r.request.forwardDN) === k);
  };
  /** A login on these users failed lately: its undo (release first) may still be running after its answer. */
  const undoMayRun = (at: number, users: string[]) => [...w.requests.entries()].some(([k, r]) => {
    const a = answerOf(w, k);
    return r.request.service === 'SetAgentState' && r.request.requestedAgentState === 'loggedOn' && a?.kind === 'error'
      && a.at <= at && at - r.at <= jobDeadlineMs(w) && usersOf(w, r.request).some((u) => users.includes(u));
  });
  const login = (r: ReturnType<typeof soleRequest>) =>
    r?.service === 'SetAgentState' && r.requestedAgentState === 'loggedOn' && r.agentID !== undefined ? usersOf(w, r) : undefined;

  for (const c of w.commands as Sent[]) {
    const cmd: XsiCommand = c.command;
    if (cmd.op === 'PUT CallForwardingAlways' && cmd.body.active === true && typeof cmd.body.forwardToPhoneNumber === 'string') {
      // O1: a login's forward of H to its agent.
      const host = cmd.userId;
      const pair = login(soleRequest(c.at, [host]));
      if (!pair || pair[0] !== host || !names.get(pair[1]!)?.has(key(cmd.body.forwardToPhoneNumber)) || chosen(host, cmd.body.forwardToPhoneNumber)) continue;
      const r = soleRequest(c.at, pair);
      if (!r || !quietBefore(c.at, pair)) continue; // another request on its agent may be the one running
      // Known deviation (reported): logging in again an agent already seated there only puts the
      // forward back; the desk's own agent, signed in meanwhile, is left signed in. Counted.
      const before = h.beforeLogin.get([...w.requests.entries()].find(([, x]) => x.request === r)![0]);
      if (before?.guest?.hotelingGuest?.hostUserId === host) {
        if (loggedOnIn(userView(c.truth, host)?.agentACDState)) judged?.add('deviation:relogin-leaves-host-agent-signed-in');
        continue;
      }
      const hostState = userView(c.truth, host)?.agentACDState;
      if (loggedOnIn(hostState)) out.push({ invariant: 'I7', message: `${host} forwarded to ${pair[1]} (command ${c.commandId}) while its own agent was still ${hostState}: the host sign-out must come first` });
      else if (h.initial.get(host)?.agentACDState !== undefined && loggedOnIn(h.initial.get(host)!.agentACDState)) judged?.add('order:sign-out-before-forward');
    } else if (cmd.op === 'PUT HotelingGuest' && typeof cmd.body.hostUserId === 'string') {
      // O2: the association comes after the forward.
      const guest = cmd.userId;
      const host = cmd.body.hostUserId;
      const pair = login(soleRequest(c.at, [host, guest]));
      if (!pair || pair[0] !== host || pair[1] !== guest || !quietBefore(c.at, pair)) continue;
      if ([...w.requests.values()].some((r) => r.request.service === 'SetForwarding' && usersOf(w, r.request).includes(host))) continue;
      if (!pointsAt(c.truth, host, guest)) out.push({ invariant: 'I7', message: `${guest} associated with ${host} (command ${c.commandId}) before ${host} forwarded to it` });
      else judged?.add('order:forward-before-association');
    } else if (cmd.op === 'PUT HotelingGuest' && cmd.body.hostUserId === null) {
      // O3: a logout's release (or a move's leaving) comes last.
      const guest = cmd.userId;
      const host = userView(c.truth, guest)?.hotelingGuest?.hostUserId;
      // Owed work replayed (a failed login's undo: release first, §4.4) is no logout's or move's step.
      if (host === undefined || c.job === 'repair') continue;
      const r = soleRequest(c.at, [host, guest]);
      // A logout releases the agent from its own desk only: a release from another desk while it waits
      // for the agent (a failed login's owed undo, §4.4 order) is not its step.
      const isLogout = r?.service === 'SetAgentState' && r.requestedAgentState === 'loggedOff' && userIdOf(w, r.device) === host;
      const movePair = login(r);
      const isMove = movePair !== undefined && movePair[1] === guest && movePair[0] !== host;
      if ((!isLogout && !isMove) || !quietBefore(c.at, [host, guest]) || undoMayRun(c.at, [host, guest])) continue;
      const f = userView(c.truth, host)?.forwarding;
      const stillForwarded = pointsAt(c.truth, host, guest) && !(f?.forwardToPhoneNumber !== undefined && chosen(host, f.forwardToPhoneNumber));
      const guestState = userView(c.truth, guest)?.agentACDState;
      if (loggedOnIn(guestState) || stillForwarded) {
        out.push({ invariant: 'I7', message: `${guest} released from ${host} (command ${c.commandId}) while ${loggedOnIn(guestState) ? `still ${guestState}` : `${host} still forwarded to it`}: the release must come last` });
      } else judged?.add('order:release-last');
    } else if ((cmd.op === 'PUT CallForwardingAlways' || cmd.op === 'PUT CallCenter')) {
      // O4: a failed login's undo, in reverse.
      const host = cmd.userId;
      const r = soleRequest(c.at, [host]);
      const pair = login(r);
      if (!pair || pair[0] !== host) continue;
      const guest = pair[1]!;
      // Another request on its agent (a move leaving this desk, queued behind it) may be the one running.
      if (soleRequest(c.at, pair) !== r || !quietBefore(c.at, pair)) continue;
      // Only a login that started clean — nobody at the desk, the agent nowhere, nothing owed — and
      // with no other request on these users lately (whose leftover work may be what is running).
      const lk = [...w.requests.entries()].find(([, x]) => x.request === r)![0];
      const before = h.beforeLogin.get(lk);
      if (!before || before.unsettled || before.host?.hostedGuestUserId !== undefined || before.guest?.hotelingGuest?.hostUserId !== undefined) continue;
      if ([...w.requests.entries()].some(([k, x]) => k !== lk && !isReadOnly(x.request) && x.at < w.requests.get(lk)!.at
        && (answerOf(w, k)?.at ?? Infinity) >= w.requests.get(lk)!.at - jobDeadlineMs(w) && usersOf(w, x.request).some((u) => pair.includes(u)))) continue;
      if (cmd.op === 'PUT CallForwardingAlways') {
        if (cmd.body.active === true && typeof cmd.body.forwardToPhoneNumber === 'string' && names.get(guest)?.has(key(cmd.body.forwardToPhoneNumber))) continue; // the forward itself
        if (userView(c.truth, guest)?.hotelingGuest?.hostUserId === host) out.push({ invariant: 'I7', message: `undo: ${host}'s forwarding restored (command ${c.commandId}) while ${guest} was still associated with it` });
        else judged?.add('order:undo-reverse');
      } else if (cmd.body.agentACDState !== 'Sign-Out' && c.command.userId === host) {
        if (pointsAt(c.truth, host, guest) && !chosen(host, userView(c.truth, host)!.forwarding!.forwardToPhoneNumber!)) {
          out.push({ invariant: 'I7', message: `undo: ${host}'s own agent restored (command ${c.commandId}) while ${host} still forwarded to ${guest}` });
        }
      }
    }
  }
  return out;
}
