/**
 * The ledger of our own writes (DESIGN §4.6, §4.7): one record per service and user of the PUTs
 * we made there — to tell their echoes from changes made elsewhere, and to know when the cache
 * cannot be trusted.
 *
 * Theory of operation
 * -------------------
 * Per (service, user), `state.writes[service][user]` holds:
 *   pending    our writes on their way to being echoed, oldest first, each open for `echoWindowMs`
 *              (from the send, and again from its 200): `{ value, acked, until }`.
 *   awaiting   the value of our latest write whose echo has not been seen, with no time limit —
 *              while set, a change of that service is ours, not made elsewhere.
 *   uncertain  a PUT of ours went unanswered and the XSP has not shown the service since: no step
 *              is skipped on it (jobs.ts `effectHolds`).
 *   lost       the writes of ours that went unanswered, for `lateWriteWindowMs`: an XSP slower than
 *              the step deadline may still apply one, after newer writes (`{ value, seq, until }`).
 *   latest     while a write is lost: our newest write, if it was answered 200 (`{ seq, command }`).
 *   reassert   `latest.seq` while a job puts it back over a late landing (`jobs.ts` `reassert`).
 *              A newer step of ours on the service — a PUT sent, or one skipped because its effect
 *              holds — clears both: it is the newer intent (`writeSent`, `writeSkipped`).
 *
 *   event                          pending               awaiting        uncertain
 *   -----------------------------  --------------------  --------------  ------------------------
 *   PUT sent (first try or retry)  + { value, unacked }   = value
 *   its 200                        acked, window anew                     cleared
 *   refused (HTTP error)           its own unacked gone   cleared         set if an observation had
 *                                                                         taken it for its echo
 *   lost (no answer) while an                                             set
 *     unacked write is pending
 *   observation admitted           consumed up to match   cleared on the  cleared once none pending
 *                                                          matching value
 *
 * Late landings: with no write of ours pending, an observation equal to a lost write of ours that
 * differs from the newest write we saw answered after it is that lost write applied late — ours,
 * not a change made elsewhere (so it does not forget a restore plan, §4.6), and it undid a newer
 * write: the newest write is put back (`Turn.reasserts`, turned into a job by jobs.ts `pump`) —
 * except a release landing over our newer association, left to §4.6 like any release.
 * A change made elsewhere to the very value of a lost write, within the window, is taken the same
 * way; the window keeps that rare.
 *
 * Echoes: BroadWorks keeps per-user event order, so the events of a service echo our writes in
 * the order we made them. An event equal to a pending write is its echo (older pending writes will
 * never echo); an event equal to none was emitted before our writes and does not overwrite what a
 * 200 told us. A read is not on the event stream: it may confirm our latest answered write but
 * consumes no echo. Whatever is set aside is re-read when the window closes, so a change made
 * elsewhere meanwhile is learnt. Nested by service, not keyed by a built `service|userId` string:
 * building and hashing that key on every event and answer cost a tenth of the connector's time.
 */
import type { ForwardingInfo, XsiCommand } from '../xsi/types.js';
import { normaliseNumber } from './identity.js';
import type { ConnectorState } from './state.js';
import type { Turn } from './turn.js';

/** The services whose changes the connector makes and then hears echoed. */
export type EchoService = 'CallCenter' | 'CallForwardingAlways' | 'HotelingGuest';

/** One write of ours on its way to being echoed: the value we expect, until when. */
export interface Echo { value: string; acked: boolean; until: number }

/** What the ledger holds for one service of one user. */
/** A write of ours that went unanswered: it may still be applied until `until`. `seq` is its command id. */
export interface LostWrite { value: string; seq: number; until: number }

export interface WriteRecord {
  pending: Echo[];
  awaiting?: string | undefined;
  uncertain?: true | undefined;
  lost?: LostWrite[] | undefined;
  latest?: { seq: number; command: XsiCommand } | undefined;
  reassert?: number | undefined;
  /** After a restart: until when an event that is no echo of ours is held for a re-read (`fenceRead`). */
  fence?: number | undefined;
}

export type WriteLedger = Record<EchoService, Record<string, WriteRecord>>;

export const emptyLedger = (): WriteLedger => ({ CallCenter: {}, CallForwardingAlways: {}, HotelingGuest: {} });

/** The echoed service a PUT writes (`PUT CallCenter` → `CallCenter`); undefined for anything else,
 *  PUT HotelingHost included (its effect shows as the guest's HotelingGuest change). */
export function putService(op: XsiCommand['op']): EchoService | undefined {
  return op === 'PUT CallCenter' ? 'CallCenter' : op === 'PUT CallForwardingAlways' ? 'CallForwardingAlways' : op === 'PUT HotelingGuest' ? 'HotelingGuest' : undefined;
}

export const forwardingKey = (f: ForwardingInfo): string => (f.active ? `on:${normaliseNumber(f.forwardToPhoneNumber ?? '')}` : 'off');

/** An event comes down the per-user ordered stream; a read's answer does not (its order is unknown). */
export type Source = 'event' | 'read';

// ---- queries ---------------------------------------------------------------------------------

/** A PUT of ours on this service went unanswered and the XSP has not shown the service since. */
export function isUncertain(s: ConnectorState, service: EchoService, userId: string): boolean {
  return s.writes[service][userId]?.uncertain === true;
}

/** A read of the service now would be admitted as the truth: no echo of ours is awaited within its window. */
export function readWouldSettle(s: ConnectorState, service: EchoService, userId: string, now: number): boolean {
  return s.writes[service][userId]?.pending.every((e) => e.until <= now) ?? true;
}

// ---- our writes ----------------------------------------------------------------------------------

function recordOf(s: ConnectorState, service: EchoService, userId: string): WriteRecord {
  // Every field present from the start and cleared by `undefined`, never `delete`d: records of one
  // shape keep the ledger's reads fast (it is consulted on every event and answer).
  return (s.writes[service][userId] ??= { pending: [], awaiting: undefined, uncertain: undefined, lost: undefined, latest: undefined, reassert: undefined, fence: undefined });
}

/** Drop a record that holds nothing any more (keeps the state bounded by what is in flight). */
function tidy(s: ConnectorState, service: EchoService, userId: string): void {
  const r = s.writes[service][userId];
  if (r && r.pending.length === 0 && r.awaiting === undefined && r.uncertain === undefined && r.fence === undefined
    && r.lost === undefined && r.reassert === undefined) delete s.writes[service][userId];
}

/** Forget lost writes whose window has closed (and, with none left, the newest answered write). */
function pruneLost(r: WriteRecord, now: number): void {
  if (r.lost === undefined) return;
  const live = r.lost.filter((l) => l.until > now);
  if (live.length > 0) {
    if (live.length !== r.lost.length) r.lost = live;
    return;
  }
  r.lost = undefined;
  r.latest = undefined;
}

/** The value a write asks for, as its echo will show it. */
function writtenValue(s: ConnectorState, command: XsiCommand): { service: EchoService; value: string } | undefined {
  switch (command.op) {
    case 'PUT CallCenter':
      return { service: 'CallCenter', value: command.body.agentACDState };
    case 'PUT CallForwardingAlways': {
      const to = command.body.forwardToPhoneNumber;
      const number = to === null ? undefined : to ?? s.users[command.userId]?.forwarding?.forwardToPhoneNumber;
      return { service: 'CallForwardingAlways', value: forwardingKey({ active: command.body.active, ...(number !== undefined ? { forwardToPhoneNumber: number } : {}) }) };
    }
    case 'PUT HotelingGuest':
      return { service: 'HotelingGuest', value: command.body.hostUserId ?? '' };
    default:
      return undefined;
  }
}

/** The echoes whose window is still open: the same array when none has closed (no copy per event). */
function stillOpen(list: Echo[] | undefined, now: number): Echo[] {
  if (list === undefined) return [];
  for (const e of list) if (e.until <= now) return list.filter((x) => x.until > now);
  return list;
}

/** The newest echo passing `test` (findLast, which ES2022 lacks). */
function latest(list: Echo[], test: (e: Echo) => boolean): Echo | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i]!)) return list[i];
  return undefined;
}

/** A write is on its way (`acked` false) or was answered 200 (`acked` true). */
function openEchoWindow(t: Turn, userId: string, service: EchoService, value: string, acked: boolean): WriteRecord {
  const r = recordOf(t.s, service, userId);
  const list = (r.pending = stillOpen(r.pending, t.now));
  const until = t.now + t.s.config.echoWindowMs;
  // The 200 answers our latest send of this value (an older one may have been lost).
  let sent: Echo | undefined;
  if (acked) for (let i = list.length - 1; i >= 0 && sent === undefined; i--) if (!list[i]!.acked && list[i]!.value === value) sent = list[i];
  if (sent) {
    sent.acked = true;
    sent.until = until;
  } else {
    list.push({ value, acked, until });
  }
  return r;
}

/**
 * We are sending a PUT: from now on the service's next value is ours, so the window opens
 * already (an echo may overtake the 200), expecting the value we asked for.
 */
export function writeSent(t: Turn, command: XsiCommand): void {
  const w = writtenValue(t.s, command);
  if (!w) return;
  const r = openEchoWindow(t, command.userId, w.service, w.value, false);
  if (w.service !== 'CallCenter') r.awaiting = w.value;
  // A newer write of ours supersedes the older one as what to put back (until it is answered
  // itself: one unanswered may have been applied, and is then our newest intent) and any pending
  // re-assertion of it.
  r.latest = undefined;
  r.reassert = undefined;
}

/**
 * A step of ours on this service needed no PUT (its effect already holds, or it no longer applies):
 * a newer intent of ours, decided without a write. Like a write sent, it supersedes the older write
 * as what to put back, and any re-assertion of it still queued — else a logout whose restore found
 * the desk already off would be followed by our old forward to the agent put back (explore I2).
 */
export function writeSkipped(t: Turn, command: XsiCommand): void {
  const service = putService(command.op);
  const r = service ? t.s.writes[service][command.userId] : undefined;
  if (!service || !r) return;
  r.latest = undefined;
  r.reassert = undefined;
  tidy(t.s, service, command.userId);
}

/** A PUT (command `seq`) answered 200: while a lost write may land, it is the value to put back. */
export function writeSettled(t: Turn, command: XsiCommand, seq: number): void {
  const service = putService(command.op);
  const r = service ? t.s.writes[service][command.userId] : undefined;
  if (!service || !r) return;
  pruneLost(r, t.now);
  if (r.lost !== undefined && (r.latest === undefined || r.latest.seq < seq)) r.latest = { seq, command };
  tidy(t.s, service, command.userId);
}

/** The PUT was answered 200 with the service now holding `value`: a fresh window, certain again. */
export function writeAnswered(t: Turn, service: EchoService, userId: string, value: string | undefined): void {
  const r = t.s.writes[service][userId];
  if (r) r.uncertain = undefined;
  if (value !== undefined) openEchoWindow(t, userId, service, value, true);
  tidy(t.s, service, userId);
}

/** The PUT was refused (an HTTP error status): no echo will come, and the change is not ours. */
export function writeRefused(t: Turn, command: XsiCommand): void {
  const w = writtenValue(t.s, command);
  if (!w) return;
  const service = w.service;
  // No record left at all: it was settled by an observation taken for this write's echo (below).
  const r = recordOf(t.s, service, command.userId);
  // Its own pending entry if still there, else (as before) the oldest unanswered one.
  let i = r.pending.findIndex((e) => !e.acked && e.value === w.value);
  if (i < 0) i = r.pending.findIndex((e) => !e.acked);
  if (i >= 0) r.pending.splice(i, 1);
  // None left: an observation was taken for this write's echo (or its window closed) — but a
  // refused write has no echo, so that observation was older news (a late subscription event
  // equal to the value we asked for): what the service holds is unknown until it shows again.
  else r.uncertain = true;
  r.awaiting = undefined;
  // Fenced after a restart, an event taken for this write's echo may have been a redelivery of the
  // same value from before the crash: what the service holds is unknown until it shows again.
  if (r.fence !== undefined && r.fence > t.now) r.uncertain = true;
  tidy(t.s, service, command.userId);
}

/**
 * The PUT (command `seq`) went unanswered: uncertain only while an unanswered write of ours has
 * not been echoed; and remembered as lost, as it may yet be applied late.
 */
export function writeLost(t: Turn, command: XsiCommand, seq: number): void {
  const w = writtenValue(t.s, command);
  const r = w ? t.s.writes[w.service][command.userId] : undefined;
  if (!w || !r) return;
  if (r.pending.some((e) => !e.acked)) r.uncertain = true;
  pruneLost(r, t.now);
  (r.lost ??= []).push({ value: w.value, seq, until: t.now + t.s.config.lateWriteWindowMs });
}

/** Whether the write `seq` is still to be put back over a late landing (no newer write of ours since). */
export function reassertDue(s: ConnectorState, command: XsiCommand, seq: number): boolean {
  const service = putService(command.op);
  return service !== undefined && s.writes[service][command.userId]?.reassert === seq;
}

/** The re-assertion `seq` is over (done, skipped or given up). */
export function reassertEnded(t: Turn, command: XsiCommand, seq: number): void {
  const service = putService(command.op);
  const r = service ? t.s.writes[service][command.userId] : undefined;
  if (!service || r?.reassert !== seq) return;
  r.reassert = undefined;
  tidy(t.s, service, command.userId);
}

/**
 * With no write of ours pending, an observation of `value`: is it a lost write of ours landing
 * late over the newer write we saw answered? Then that newer write is put back.
 */
function landedLate(t: Turn, r: WriteRecord, service: EchoService, value: string): void {
  pruneLost(r, t.now);
  const latest = r.latest;
  if (r.lost === undefined || latest === undefined) return;
  const i = r.lost.findIndex((l) => l.value === value && l.seq < latest.seq);
  if (i < 0) return;
  const newest = writtenValue(t.s, latest.command);
  if (newest === undefined || newest.value === value) return;
  // A release of ours landing over our newer association ends the pairing like a release made
  // elsewhere (§4.6 cleanup: sign out, restore the forward) — safer than seating the agent again.
  if (service === 'HotelingGuest' && newest.value !== '') return;
  r.lost.splice(i, 1);
  // Ours, not a change made elsewhere: observers must not take it as the user's intent (§4.6).
  if (service !== 'CallCenter') r.awaiting ??= value;
  if (r.reassert === latest.seq) return;
  r.reassert = latest.seq;
  t.reasserts.push({ seq: latest.seq, command: latest.command });
}

/**
 * After a restart (DESIGN §9), a fresh read fences the service until `until`: an event that is no
 * echo of a write of ours may be the XSP redelivering one the crashed process had already seen
 * (its acknowledgement lost), so it is not applied; the service is read again when the fence ends.
 */
export function fenceRead(t: Turn, userId: string, service: string, until: number): void {
  if (service !== 'CallCenter' && service !== 'CallForwardingAlways' && service !== 'HotelingGuest') return;
  if (!t.s.users[userId]) return;
  recordOf(t.s, service, userId).fence = until;
}

// ---- observations ----------------------------------------------------------------------------------

/**
 * Whether an observation may update the cache. Our writes of a service are echoed in the order we
 * made them (per-user order), so an observation equal to a pending write is its echo — and every
 * older pending write will never echo (it changed nothing, or was overtaken); it updates the cache
 * unless a newer write was already answered. An observation matching no pending write is older
 * than them (or a change made elsewhere). An observation not applied is checked by a re-read at
 * the end of the window: a change made elsewhere may equal a write of ours whose own echo was
 * lost (a channel gone meanwhile).
 */
export function admit(t: Turn, userId: string, service: EchoService, value: string, source: Source): boolean {
  const r = t.s.writes[service][userId];
  if (!r) return true;
  const pending = stillOpen(r.pending, t.now);
  if (r.fence !== undefined && r.fence <= t.now) r.fence = undefined;
  if (pending.length === 0) {
    r.pending = pending;
    if (r.fence !== undefined && source === 'event') {
      rereadAfter(t, userId, service, [{ value, acked: false, until: r.fence }]);
      return false;
    }
    r.uncertain = undefined;
    landedLate(t, r, service, value);
    tidy(t.s, service, userId);
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
    r.pending = newer;
    if (newer.length === 0) {
      r.uncertain = undefined;
      tidy(t.s, service, userId);
    }
    if (!newer.some((e) => e.acked)) return true;
    rereadAfter(t, userId, service, newer);
    return false;
  }
  r.pending = pending;
  rereadAfter(t, userId, service, pending);
  return false;
}

/** Re-read the service once the pending echoes' window has closed. */
function rereadAfter(t: Turn, userId: string, service: EchoService, pending: Echo[]): void {
  t.s.rereads[`GET ${service}|${userId}`] ??= 1;
  t.setTimer({ kind: 'reread', op: `GET ${service}`, userId }, Math.max(...pending.map((e) => e.until)));
}

/**
 * An admitted observation of `value`: was a write of ours awaiting its echo? True while one was
 * (whatever the value: the change is then ours, or older than ours); the record is settled when
 * the value is the one we wrote.
 */
export function awaitedWrite(t: Turn, service: EchoService, userId: string, value: string): boolean {
  const r = t.s.writes[service][userId];
  if (r?.awaiting === undefined) return false;
  if (r.awaiting === value) {
    r.awaiting = undefined;
    tidy(t.s, service, userId);
  }
  return true;
}
