/**
 * Pairings — what the connector owns at each desk it paired, and the one place that changes it
 * (DESIGN §9). The XSP is the truth for everything it stores; a pairing is what it cannot tell us:
 * the guest we seat or seated at a desk, the desk's forwarding before that login, and the undo or
 * logout steps still owed there. Records are `pairingRecord.ts`; `state.pairings` maps desk → record.
 *
 * Theory of operation
 * -------------------
 * Phases (a desk without a record is `none`):
 *
 *   phase      event                                                     next       work
 *   ---------  --------------------------------------------------------  ---------  -------------------------
 *   none|owed  a login is about to change the desk (claim)                claimed    restore plan written first
 *   seat|rel   a login of the same guest, seen gone from the desk (stale) claimed    its leave carried as owed
 *   claimed    login done, H forwarded or G associated by it             seated     (restore only if forwarded)
 *   claimed    login done or failed, nothing of it left at H             none       (owed, if steps carried;
 *                                                                                  plan kept if a restore is)
 *   owed       a login again where logged in (R7) over G's own steps     seated     adopted: steps dropped
 *   claimed    login failed, undo steps left at H                        owed       alarm, repair tick
 *   seated     logout starts; a move starts leaving the desk             releasing
 *   releasing  logout or move left the desk                              none       (owed: the restart's
 *                                                                                  restore, if unsettled)
 *   releasing  logout or move stalled while leaving                      releasing  steps owed, repair tick
 *   seat|rel   our own release of G answered 200                         owed       the running job ends it
 *   seat|rel   G seen at another desk or none, not by our write          owed       cleanup job (§4.6)
 *   owed|rel   cleanup or repair done                                    none
 *   seat|clm   repair done (steps an earlier guest left)                 same       owed cleared
 *   any        repair failed again                                       same       rounds+1, alarm, tick
 *   any        H's forwarding changed elsewhere                          same       restore forgotten (§4.6);
 *                                                                                  claimed: restored to the change
 *   any        a later login/logout of G got through (not a repair)      same       G's old steps dropped
 *   saved      restart: claimed → owed (the login's whole undo), releasing → owed (the logout's
 *              steps); each step skips where it no longer applies; seated is checked once read
 *
 * Rules:
 *   P1 "Ours" (the association we made and still believe in) is phase seated or releasing.
 *   P2 Every change of a record is emitted at once as `pairings.save`, before any later output of
 *      the step — in particular before the PUT it prepares (write-ahead, step.ts loop contract).
 *   P3 Nothing outside this file reads or writes `state.pairings`: the rest of the connector asks
 *      the queries below and reports events through the transitions.
 *   P4 A record is never changed in place: each transition stores a new one (so a saved record,
 *      shared with the `pairings.save` output, stays as it was saved).
 */
import type { ForwardingInfo } from '../xsi/types.js';
import { isSignedIn } from './agentStates.js';
import { normaliseNumber } from './identity.js';
import { restoreForwardingCommand } from './sagas/restoreForwarding.js';
import type { AlarmCode } from './io.js';
import type { DeskBefore, Pairing, SavedPairings } from './pairingRecord.js';
import type { PairingEffect, SendParams } from './sagas/step.js';
import type { ConnectorState } from './state.js';
import type { Turn } from './turn.js';

/** Work a pairing change leaves for the job layer to do. */
export type PairingWork =
  | { kind: 'cleanup'; host: string; guest: string }
  | { kind: 'alarm'; code: AlarmCode; message: string; userIds: string[] }
  | { kind: 'repairTick' };

// ---- queries ---------------------------------------------------------------------------------

/** The desk's pairing, read-only. */
export function pairingAt(s: ConnectorState, host: string): Readonly<Pairing> | undefined {
  return s.pairings[host];
}

/** P1: the guest whose association with `host` this connector made and still believes in. */
export function ourGuestAt(s: ConnectorState, host: string): string | undefined {
  const p = s.pairings[host];
  return p && (p.phase === 'seated' || p.phase === 'releasing') ? p.guest : undefined;
}

/**
 * The record at `host` is `guest`'s and still owes steps of that pairing (a crash before the
 * restart settled it, a stalled compensation): a login of `guest` there continues a pairing we
 * made — it adopts the record, and with it the forward the desk must carry (R7).
 */
export function adoptableBy(s: ConnectorState, host: string, guest: string): boolean {
  const p = s.pairings[host];
  return p?.guest === guest && (p.phase === 'claimed' || p.phase === 'owed') && p.owed.some((st) => st.command.userId === guest || st.command.userId === host);
}

/** How to undo our forward of `host` to `guest`: what it pointed at and what it was before. */
export function restorePlan(s: ConnectorState, host: string, guest: string): { forwardTo: string; before: ForwardingInfo | undefined } | undefined {
  const p = s.pairings[host];
  return p?.guest === guest && p.restore ? { forwardTo: p.restore.forwardTo, before: p.restore.forwarding } : undefined;
}

/** The desk's own forwarding, as a restore plan held for it knows it (whichever guest's plan). */
export function deskOwnForwarding(s: ConnectorState, host: string): { known: boolean; forwarding: ForwardingInfo | undefined } {
  const r = s.pairings[host]?.restore;
  return r ? { known: true, forwarding: r.forwarding } : { known: false, forwarding: undefined };
}

/** Every desk with a pairing record, in the order the records were made. */
export function pairedDesks(s: ConnectorState): string[] {
  return Object.keys(s.pairings);
}

/** Every association we made and still believe in: desk → guest. */
export function ourAssociations(s: ConnectorState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const host in s.pairings) {
    const g = ourGuestAt(s, host);
    if (g !== undefined) out[host] = g;
  }
  return out;
}

/** Desks with steps owed, in the order the records were made. */
export function desksOwing(s: ConnectorState): string[] {
  const out: string[] = [];
  for (const host in s.pairings) if (s.pairings[host]!.owed.length > 0) out.push(host);
  return out;
}

/** No pairing has work owed. */
export function nothingOwed(s: ConnectorState): boolean {
  for (const host in s.pairings) if (s.pairings[host]!.owed.length > 0) return false;
  return true;
}

/** The users a desk's owed steps touch (a repair locks them all). */
export function owedUsers(s: ConnectorState, host: string): string[] {
  const p = s.pairings[host];
  if (!p) return [host];
  return [host, p.guest, ...p.owed.flatMap((st) => [st.command.userId, ...conditionUsers(st)])];
}

function conditionUsers(st: SendParams): string[] {
  const c = st.onlyIf;
  if (!c) return [];
  return 'forwardingPointsTo' in c ? [c.forwardingPointsTo.userId] : [c.guestAt.userId];
}

/** The steps a repair of `host` replays now. */
export function owedSteps(s: ConnectorState, host: string): SendParams[] {
  return s.pairings[host]?.owed ?? [];
}

// ---- writing (P2) ------------------------------------------------------------------------------

/** Records are never changed in place (every transition builds a new one), so the output can
 *  share the record with the state: no copy per save. */
function put(t: Turn, p: Pairing): void {
  t.s.pairings[p.host] = p;
  t.emit({ kind: 'pairings.save', changes: [{ host: p.host, pairing: p }] });
}

function drop(t: Turn, host: string): void {
  if (!t.s.pairings[host]) return;
  delete t.s.pairings[host];
  t.emit({ kind: 'pairings.save', changes: [{ host, pairing: null }] });
}

function withPhase(p: Pairing, phase: Pairing['phase']): Pairing {
  return { ...p, phase };
}

// ---- transitions: logins, logouts ---------------------------------------------------------------

/**
 * A login of `guest` is about to change `host`: write down the desk's settings first. A pairing
 * of this guest there that is ours stays as it is (a login again where logged in); steps still
 * owed there are carried (they skip once moot), and a restore plan held knows the desk's own setting.
 */
export function claim(t: Turn, host: string, guest: string, before: DeskBefore): PairingWork[] {
  const old = t.s.pairings[host];
  const oursBefore = old?.guest === guest && (old.phase === 'seated' || old.phase === 'releasing');
  if (oursBefore && t.s.users[guest]?.guest?.hostUserId === host) return [];
  // Ours on record but the agent sits elsewhere or nowhere now (released while a restart had not
  // yet settled it): that pairing is over, and its leave is carried like any unlisted one below —
  // a login that fails must not leave the desk forwarded to an agent seated nowhere (explore I2).
  // A plan already held for the desk knows its own forwarding better than the desk does now.
  const restore = old?.restore ? { ...before, forwarding: old.restore.forwarding } : before;
  // A leave not yet listed (its cleanup job queued, a logout under way) would die with a crash, or
  // with this claim dropped when its login fails, once this record replaces it: keep it as owed
  // steps, as a restart would — also this guest's own (seen gone, now logging in again: explore I2).
  // A login that gets through supersedes the guest's own; guarded, they skip where moot.
  const pending = old && ((old.phase !== 'seated' && old.phase !== 'claimed') || oursBefore) && old.owed.length === 0
    ? finishLogout(old).map((st) => ({ ...st, for: old.guest })) : [];
  put(t, { host, guest, phase: 'claimed', restore, guestTarget: before.forwardTo, owed: [...(old?.owed ?? []), ...pending], rounds: old?.rounds ?? 0 });
  // Steps owed need a repair to run them: that guest's cleanup or logout may never come (a failed
  // login's record whose carried steps ran), and nothing else would replay them (explore I6).
  return pending.length > 0 ? [{ kind: 'repairTick' }] : [];
}

/** A logout, or a move, starts leaving `host`: the pairing is being released. */
export function beginRelease(t: Turn, host: string, guest: string): void {
  const p = t.s.pairings[host];
  if (p?.guest === guest && p.phase === 'seated') put(t, withPhase(p, 'releasing'));
}

/** Our own PUT HotelingGuest moved `guest` off `host` (its 200): the association is ours no more. */
export function ownReleaseApplied(t: Turn, host: string, guest: string): void {
  const p = t.s.pairings[host];
  if (p?.guest === guest && (p.phase === 'seated' || p.phase === 'releasing')) put(t, withPhase(p, 'owed'));
}

/**
 * The XSP shows `guest` no longer at `host`. If that association was ours and this is not the echo
 * of our own write, its termination side effects are ours to finish (§4.6): a cleanup job.
 */
export function guestLeft(t: Turn, host: string, guest: string, ourWrite: boolean): PairingWork[] {
  const p = t.s.pairings[host];
  if (p?.guest !== guest || (p.phase !== 'seated' && p.phase !== 'releasing')) return [];
  put(t, withPhase(p, 'owed'));
  return ourWrite ? [] : [{ kind: 'cleanup', host, guest }];
}

/** `host`'s forwarding changed elsewhere: the new setting is the user's intent, never restored over. */
export function forwardingChangedElsewhere(t: Turn, host: string, now: ForwardingInfo): void {
  const p = t.s.pairings[host];
  if (!p?.restore) return;
  // Our own forward to the guest, seen late (a PUT of a crashed process landing), is no one's intent.
  const ours = now.active && now.forwardToPhoneNumber !== undefined && normaliseNumber(now.forwardToPhoneNumber) === normaliseNumber(p.restore.forwardTo);
  if (ours) return;
  // A login still claimed may yet forward the desk over this change (its PUT may be on the wire):
  // a crash must still be able to undo that forward, back to this newer intent.
  if (p.phase === 'claimed') put(t, { ...p, restore: { ...p.restore, forwarding: now } });
  else put(t, { ...p, restore: undefined });
}

/**
 * A later login, logout or repair of `guest` got through: its old steps on itself and on `hosts`
 * are superseded (replaying an old "release" or "restore the forward" would undo it). Steps at the
 * guest's other desks stay owed: a forward to it left there still dangles (I2).
 */
function supersede(t: Turn, guest: string, hosts: string[]): void {
  for (const host in t.s.pairings) {
    const p = t.s.pairings[host]!;
    if (p.owed.length === 0 || (p.guest !== guest && !p.owed.some((st) => st.for === guest))) continue;
    // Steps of an earlier guest at the desk stay: this login does not undo what that one left.
    const owed = p.owed.filter((st) => st.command.userId !== guest && !(hosts.includes(st.command.userId) && (st.for ?? p.guest) === guest));
    if (owed.length === p.owed.length) continue;
    if (owed.length === 0 && p.phase === 'owed') drop(t, host);
    else put(t, { ...p, owed });
  }
}

// ---- transitions: a saga's output -----------------------------------------------------------------

/**
 * Apply what a saga did to the pairings; returns the work it leaves (cleanup jobs, alarms, a repair
 * tick). `repairOf` names the repaired desk and its guest for a repair saga.
 */
export function applySagaOutput(t: Turn, ok: boolean, effect: PairingEffect, repairOf?: { host: string; guest: string; rounds: number }): PairingWork[] {
  switch (effect.kind) {
    case 'login':
      return ok ? loginDone(t, effect) : loginFailed(t, effect);
    case 'logout':
      return ok ? leftDesk(t, effect.host, effect.guest) : logoutStalled(t, effect.host, effect.guest, effect.owed);
    case 'repair':
      return repairOf ? repaired(t, repairOf, effect.owed) : [];
  }
}

type LoginEffect = Extract<PairingEffect, { kind: 'login' }>;

function loginDone(t: Turn, e: LoginEffect): PairingWork[] {
  // A claim that took over steps this agent still owed at the desk (a stalled compensation, a
  // crash before the restart settled it) continues a pairing we made: confirming it keeps it ours.
  // A login again where logged in (R7) claims nothing: the record is still the owed undo a restart
  // or a stalled compensation left — the login adopts it too, so the supersede below keeps it.
  const held = t.s.pairings[e.host];
  const inherited = adoptableBy(t.s, e.host, e.guest);
  if (inherited && held?.phase === 'owed') put(t, withPhase(held, 'claimed'));
  // Any login that got through supersedes the agent's old steps on it and its desks — also one
  // that only re-confirmed a pairing a stalled logout left in place (its "release" would undo it).
  supersede(t, e.guest, [e.host, ...(e.left ? [e.left.host] : [])]);
  const p = t.s.pairings[e.host];
  const mine = p?.guest === e.guest ? p : undefined;
  if (!e.forwarded && !e.associated) {
    // Re-confirming an association made elsewhere leaves it to whoever made it (§4.6).
    if (mine?.phase === 'claimed' && !inherited) settleUnused(t, mine);
    else if (mine && mine.phase !== 'seated') return seat(t, { ...mine, phase: 'seated' });
    return [];
  }
  // Only a forward we made has a plan to restore; a claim's plan stands for a forward not sent.
  // An adopted claim's plan stands for the forward the agent's earlier login made (its undo was owed).
  const restore = e.forwarded ? { ...mine?.restore, forwardTo: e.forwardTo, forwarding: e.before } : mine?.phase === 'claimed' && !inherited ? undefined : mine?.restore;
  const seated: Pairing = { host: e.host, guest: e.guest, phase: 'seated', restore, guestTarget: e.forwardTo, owed: mine?.owed ?? [], rounds: mine?.rounds ?? 0 };
  if (e.left) forget(t, e.left.host, e.guest);
  return seat(t, seated);
}

/** The pairing is ours now — unless the guest was released elsewhere meanwhile (while step 5 was
 *  on the wire, or before a login again answered): then the termination is ours to finish (§4.6). */
function seat(t: Turn, seated: Pairing): PairingWork[] {
  put(t, seated);
  if (t.s.users[seated.guest]?.guest?.hostUserId === seated.host) return [];
  put(t, withPhase(seated, 'owed'));
  return [{ kind: 'cleanup', host: seated.host, guest: seated.guest }];
}

function loginFailed(t: Turn, e: LoginEffect): PairingWork[] {
  // A move that failed may or may not have left the previous desk.
  if (e.left && t.s.users[e.guest]?.guest?.hostUserId !== e.left.host) forget(t, e.left.host, e.guest);
  const p = t.s.pairings[e.host];
  if (p?.guest === e.guest && p.phase === 'claimed' && !(e.owed.length > 0 && e.owedAt === e.host)) settleUnused(t, p);
  if (e.owed.length === 0) return [];
  owe(t, e.owedAt, e.guest, e.owed, 0);
  return [alarm('compensation-failed', e.owed, e.owedAt, e.guest), { kind: 'repairTick' }];
}

/**
 * A claim whose login left nothing at the desk: gone, unless it carries steps still owed. Steps
 * that put the desk's forwarding back (a crashed login's forward may be there) keep the plan: it
 * knows the desk's own setting, which a later login there must not take from the desk as it is.
 */
function settleUnused(t: Turn, p: Pairing): void {
  if (p.owed.length === 0) return drop(t, p.host);
  const forwardOwed = p.owed.some((st) => st.command.userId === p.host && st.command.op === 'PUT CallForwardingAlways');
  put(t, { ...p, phase: 'owed', restore: forwardOwed ? p.restore : undefined });
}

/**
 * A logout, cleanup or move left the desk: the pairing is over. Before a restart has settled, a
 * forward PUT of the crashed process may still land after the reads this leave went by: the
 * restart's own guarded restore of the desk stays owed, replayed once settled (it skips unless the
 * desk points at the agent then — explore I2, seed 3472276061).
 */
function leftDesk(t: Turn, host: string, guest: string): PairingWork[] {
  const p = t.s.pairings[host];
  const unsettled = t.s.restart !== undefined && !t.s.restart.settled;
  const keep = unsettled && p?.guest === guest ? p.owed.filter((st) => st.step === 'restart.restoreForwarding') : [];
  forget(t, host, guest);
  supersede(t, guest, [host]);
  if (keep.length === 0) return [];
  owe(t, host, guest, keep, 0);
  return [{ kind: 'repairTick' }];
}

function logoutStalled(t: Turn, host: string, guest: string, owed: SendParams[]): PairingWork[] {
  if (owed.length === 0) return [];
  owe(t, host, guest, owed, 0);
  return [{ kind: 'repairTick' }];
}

function repaired(t: Turn, r: { host: string; guest: string; rounds: number }, left: SendParams[]): PairingWork[] {
  const p = t.s.pairings[r.host];
  if (left.length === 0) {
    if (p && (p.phase === 'owed' || p.phase === 'releasing') && p.guest === r.guest) drop(t, r.host);
    else if (p && p.owed.length > 0) put(t, { ...p, owed: [], rounds: 0 });
    // Finishing old steps is no later login or logout: the guest's steps at other desks stay (a
    // crashed move's release at its new desk must still run — crashtest round 20).
    return [];
  }
  if (p) put(t, { ...p, owed: left, rounds: r.rounds + 1 });
  else put(t, { host: r.host, guest: r.guest, phase: 'owed', restore: undefined, owed: left, rounds: r.rounds + 1 });
  return [alarm('repair-failed', left, r.host, r.guest), { kind: 'repairTick' }];
}

/** Steps owed at `host` (appended to any already owed there). */
function owe(t: Turn, host: string, guest: string, owedSteps: SendParams[], rounds: number): void {
  const steps = owedSteps.map((st) => (st.for === undefined ? { ...st, for: guest } : st));
  const p = t.s.pairings[host];
  if (p) put(t, { ...p, owed: [...p.owed, ...steps], rounds: Math.max(p.rounds, rounds) });
  else put(t, { host, guest, phase: 'owed', restore: undefined, owed: steps, rounds });
}

/** The pairing of `guest` at `host` is over (another guest's record there stays). */
function forget(t: Turn, host: string, guest: string): void {
  if (t.s.pairings[host]?.guest === guest) drop(t, host);
}

function alarm(code: AlarmCode, steps: SendParams[], host: string, guest: string): PairingWork {
  return {
    kind: 'alarm', code,
    message: `${steps.map((s) => s.step).join(', ')} could not be done for ${guest} at ${host}; retried after the next resync`,
    userIds: [host, guest],
  };
}

// ---- restart ---------------------------------------------------------------------------------

/**
 * The pairings a restarted connector starts from. What was in flight is turned into owed steps,
 * each guarded by its skip rule so it changes only what the crash may have left behind:
 *   claimed    a login whose answer never went out: undone — the agent signed out and released
 *              only while it sits at the desk, the desk's forward put back only while it points
 *              at the agent, the desk's own agent state put back.
 *   releasing  a logout (or a move's leave) under way, and owed with nothing listed (a cleanup
 *              that was queued): finished — sign out unless seated elsewhere, restore, release.
 *   seated     kept; checked once the users are read (`restartChecks`).
 */
export function restoredPairings(saved: SavedPairings | undefined): SavedPairings {
  const out: SavedPairings = {};
  for (const [host, p] of Object.entries(structuredClone(saved ?? {}))) {
    if (p.phase === 'seated' || (p.phase === 'owed' && p.owed.length > 0)) out[host] = p;
    else out[host] = { ...p, phase: 'owed', owed: [...p.owed, ...(p.phase === 'claimed' ? undoLogin(p) : finishLogout(p)).map((st) => ({ ...st, for: p.guest }))] };
  }
  return out;
}

function signOut(guest: string, hosts: (string | null)[]): SendParams {
  return { step: 'restart.signOutGuest', persistent: true, command: { op: 'PUT CallCenter', userId: guest, body: { agentACDState: 'Sign-Out' } }, onlyIf: { guestAt: { userId: guest, hosts } } };
}

function release(p: Pairing): SendParams {
  return { step: 'restart.release', persistent: true, command: { op: 'PUT HotelingGuest', userId: p.guest, body: { hostUserId: null } }, onlyIf: { guestAt: { userId: p.guest, hosts: [p.host] } } };
}

function restoreForward(p: Pairing): SendParams[] {
  // No plan (the forward was not ours, or was changed elsewhere): as a logout does, the desk is
  // turned off (forwarding undefined) only while it still points at the agent (explore I9, seed 3666209210).
  const target = p.restore?.forwardTo ?? p.guestTarget;
  return target === undefined ? [] : [restoreForwardingCommand('restart.restoreForwarding', p.host, target, p.restore?.forwarding)];
}

function undoLogin(p: Pairing): SendParams[] {
  const hostState = p.restore?.agentState;
  const backIn: SendParams[] = hostState !== undefined && isSignedIn(hostState)
    ? [{ step: 'restart.undoSignOutHost', persistent: true, command: { op: 'PUT CallCenter', userId: p.host, body: { agentACDState: hostState } } }] : [];
  // The login's own undo order (hotelingLogin R3): guest state, association, forward, host state.
  return [signOut(p.guest, [p.host]), release(p), ...restoreForward(p), ...backIn];
}

function finishLogout(p: Pairing): SendParams[] {
  return [signOut(p.guest, [p.host, null]), ...restoreForward(p), release(p)];
}

/** After a restart, once the channel is up: the users to read, and the seated pairings to check. */
export function restartChecks(s: ConnectorState): { users: string[]; seated: { host: string; guest: string }[] } {
  const users = new Set<string>();
  const seated: { host: string; guest: string }[] = [];
  for (const host in s.pairings) {
    for (const u of owedUsers(s, host)) users.add(u);
    const p = s.pairings[host]!;
    if (p.phase === 'seated') seated.push({ host, guest: p.guest });
  }
  return { users: [...users], seated };
}

/** A seated pairing checked after a restart, on fresh reads: gone → finish its termination (§4.6). */
export function checkSeated(t: Turn, host: string, guest: string): PairingWork[] {
  if (t.s.users[guest]?.guest?.hostUserId === host) return [];
  return guestLeft(t, host, guest, false);
}
