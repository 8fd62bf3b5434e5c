/**
 * I9 The desk gets its own settings back (DESIGN §4.5 step 2): when the logout that ends a
 * successful hoteling login is answered positively — all its steps done — the desk's forwarding is
 * what it was before the login: the number, user or "off" it had, ring splash included, not merely
 * "off". Judged where nothing else could re-point the desk meanwhile (no SetForwarding on it, no
 * other login naming the desk or the agent, no external change to them — rivalRequest below)
 * and where the login started clean (nobody seated there, the agent seated nowhere, no repair owed).
 * A desk forwarded to a colleague who is a hoteling guest too gets that forward back like any
 * other: the desk user chose it (the connector once turned it "off" — issue 16; no longer tolerated).
 * One exception, from I2: a desk that forwarded to the very agent who logs in there comes back
 * "off" — restoring it would leave the connector's PUT forwarding H to G once G has left H.
 */
import { userView, type ExternalAction } from '@csta-bw/xsp-sim';
import type { Violation, WorldHistory } from '../invariants.js';
import type { VirtualWorld } from '../virtualWorld.js';
import { destinationKey, forwardingWord, sameForwarding } from './numbers.js';
import { answerOf, usersOf, userIdOf } from './requests.js';

/** Users an external action changes. */
export function usersTouched(a: ExternalAction): string[] {
  switch (a.kind) {
    case 'portalAssociate': return [a.guestUserId, a.hostUserId];
    case 'portalRelease': return [a.guestUserId];
    case 'hostForceRelease': return [a.hostUserId];
    case 'channelTerminate': return [];
    default: return [a.userId];
  }
}

/**
 * A request that may legitimately change the desk's forwarding between the login's arrival and
 * the logout's answer: a SetForwarding on the desk, or another login naming the desk or the agent
 * (it may re-point the desk, or move the agent). Agent-state requests and other logouts leave the
 * desk's forwarding to the pair's own sagas.
 */
function rivalRequest(w: VirtualWorld, from: number, until: number, hostId: string, pairUsers: ReadonlySet<string>, except: ReadonlySet<string>): boolean {
  for (const [k, o] of w.requests) {
    if (except.has(k) || o.at > until) continue;
    const end = answerOf(w, k)?.at ?? Infinity;
    if (end < from) continue;
    const r = o.request;
    const named = usersOf(w, r);
    if (r.service === 'SetForwarding' && named.includes(hostId)) return true;
    if (r.service === 'SetAgentState' && r.requestedAgentState === 'loggedOn' && named.some((u) => pairUsers.has(u))) return true;
  }
  return false;
}

/** DESIGN §3: the number a desk is forwarded to for a guest — its extension, else number, else user id. */
function guestTarget(w: VirtualWorld, guestId: string): string {
  const u = w.xsp.users[guestId];
  return u?.extension ?? u?.number ?? guestId;
}

/**
 * What the desk's forwarding comes back to when `guestId` leaves it (I9 here, I5 for a failed
 * login): what it was — unless it pointed at that guest itself, which I2 turns "off".
 */
export function homeSetting<F extends { active: boolean; forwardToPhoneNumber?: string | undefined }>(w: VirtualWorld, was: F | undefined, guestId: string): { setting: F | undefined; toGuestItself: boolean } {
  const toGuestItself = was?.active === true && was.forwardToPhoneNumber !== undefined && destinationKey(was.forwardToPhoneNumber) === destinationKey(guestTarget(w, guestId));
  return { setting: toGuestItself ? undefined : was, toGuestItself };
}

export function checkRestore(w: VirtualWorld, h: WorldHistory, judged?: Set<string>): Violation[] {
  const out: Violation[] = [];
  const logins = [...w.requests.entries()].filter(([, r]) => r.request.service === 'SetAgentState' && r.request.requestedAgentState === 'loggedOn' && r.request.agentID !== undefined);
  for (const [outKey, o] of w.requests) {
    const req = o.request;
    if (req.service !== 'SetAgentState' || req.requestedAgentState !== 'loggedOff' || answerOf(w, outKey)?.kind !== 'response') continue;
    const hostId = userIdOf(w, req.device)!;
    // The login this logout ends: the latest successful one at this desk before it (of the named agent).
    const pair = logins.filter(([k, l]) => l.at <= o.at && l.request.service === 'SetAgentState' && userIdOf(w, l.request.device) === hostId
      && (req.agentID === undefined || userIdOf(w, l.request.agentID) === userIdOf(w, req.agentID)) && answerOf(w, k)?.kind === 'response').pop();
    if (!pair) continue;
    const [inKey, l] = pair;
    const before = h.beforeLogin.get(inKey);
    if (!before || before.unsettled || before.host === undefined) continue;
    const guestId = usersOf(w, l.request)[1];
    if (!guestId || guestId === hostId) continue;
    if (before.guest?.hotelingGuest?.hostUserId !== undefined || before.host.hostedGuestUserId !== undefined) continue;
    const pairUsers = new Set([hostId, guestId]);
    const logoutAnswer = answerOf(w, outKey)!;
    if (rivalRequest(w, l.at, logoutAnswer.at, hostId, pairUsers, new Set([inKey, outKey]))) continue;
    // External changes: any shortly before or during the login (its effects may still be on their
    // way), and afterwards any to the pair's users.
    const loginAnswered = answerOf(w, inKey)!.at;
    if (h.externals.some((e) => e.action.kind !== 'channelTerminate' && e.at >= l.at - 60_000
      && (e.at <= loginAnswered || (e.at <= logoutAnswer.at && usersTouched(e.action).some((u) => pairUsers.has(u)))))) continue;
    const was = before.host.forwarding;
    const now = userView(logoutAnswer.truth, hostId)?.forwarding;
    const home = homeSetting(w, was, guestId);
    if (was?.active) judged?.add(home.toGuestItself ? 'restore:forwarded-to-the-guest-itself' : 'restore:forwarded-desk');
    if (!sameForwarding(home.setting, now)) {
      out.push({ invariant: 'I9', message: `${hostId} forwarding ${forwardingWord(now)} after ${guestId} logged out (${outKey}); before the login (${inKey}) it was ${forwardingWord(was)}` });
    } else if ((was?.ringSplash ?? false) !== (now?.ringSplash ?? false)) {
      out.push({ invariant: 'I9', message: `${hostId} ring splash ${now?.ringSplash ?? false} after ${guestId} logged out (${outKey}); before the login (${inKey}) it was ${was?.ringSplash ?? false}` });
    }
  }
  return out;
}
