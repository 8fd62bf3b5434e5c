/**
 * Abstract states of a world (connector × simulator), for coverage and deduplication.
 *
 * Two levels:
 * - `coverageKey`: what a protocol engineer would call "the situation": each user the connector
 *   holds (agent state, forwarding on/off, association), each job's saga kind and XState state
 *   value, the channel status, and the simulator's `stateHash` (its BroadWorks truth). Counting
 *   distinct keys says how much of the state space a run of random schedules visited.
 * - `branchKey` (exhaustive mode): the coverage key plus everything that decides what can still
 *   happen — commands and events in flight and when they land, timers, the clients' last events,
 *   unanswered requests — with identifiers and absolute times abstracted away (ids are names, not
 *   behaviour; only times relative to now matter). Two states with the same branch key are
 *   explored once.
 */
import { hashText, stateHash, type XspState } from '@csta-bw/xsp-sim';
import type { VirtualWorld } from '../virtualWorld.js';

/** The simulator's cyrb53 string hash, re-exported for the explorer's keys. */
export { hashText };

// The simulator state is immutable and its `users` object is replaced only when a user changes:
// caching by that object makes the simulator half of the key almost free between changes.
const truthHashes = new WeakMap<object, string>();
function truthHash(xsp: XspState): string {
  let h = truthHashes.get(xsp.users);
  if (h === undefined) {
    h = stateHash(xsp);
    truthHashes.set(xsp.users, h);
  }
  return h;
}

/** The connector's view and sagas plus the simulator's truth. */
export function coverageKey(w: VirtualWorld): string {
  const c = w.connector;
  let text = `${c.channel}|${truthHash(w.xsp)}\n`;
  for (const id of Object.keys(c.users).sort()) {
    const u = c.users[id]!;
    text += `${id}:${u.status}:${u.agentState ?? '-'}:${u.forwarding ? (u.forwarding.active ? 'on' : 'off') : '-'}:${u.guest ? u.guest.hostUserId ?? 'none' : '-'}\n`;
  }
  const sagas: string[] = [];
  for (const j of Object.values(c.jobs)) sagas.push(`${j.kind}/${j.saga ? `${j.saga.kind}:${JSON.stringify(j.saga.value)}` : '-'}`);
  text += sagas.sort().join(',');
  return text;
}

/** `coverageKey` plus what is in flight and pending, ids and absolute times abstracted away. */
export function branchKey(w: VirtualWorld, extra = ''): string {
  const c = w.connector;
  const now = w.now;
  const parts: string[] = [coverageKey(w), extra];
  // Jobs in detail: which step is on the wire or waiting to be retried.
  const jobs = Object.values(c.jobs).map((j) => [j.kind, j.users.join('+'), j.running, j.client?.answered ?? '-', j.inFlight?.params.step ?? '-',
    j.inFlight?.attempt ?? '-', j.retrying?.params.step ?? '-', j.queuedSend?.step ?? '-', JSON.stringify(j.saga?.context ?? null)].join(':'));
  parts.push(jobs.sort().join(','));
  parts.push(JSON.stringify([Object.values(c.pairings).map((p) => [p.host, p.guest, p.phase, p.restore, p.owed.length]), c.expectGuest, c.expectForwarding, Object.keys(c.rereads).sort(), c.reports]));
  parts.push(Object.values(c.commands).map((x) => `${'resync' in x ? 'resync' : 'job'}:${x.command.op}:${x.command.userId}`).sort().join(','));
  // The simulator's agenda: what lands when, relative to now.
  parts.push(w.xsp.queue.map((q) => {
    const dt = q.at - now;
    switch (q.kind) {
      case 'execute': return `x${dt}:${q.command.op}:${q.command.userId}:${JSON.stringify('body' in q.command ? q.command.body : '')}:${q.reply}`;
      case 'reply': return `r${dt}:${'status' in q.outcome ? q.outcome.status : 'te'}`;
      case 'deliver': return `d${dt}:${q.event.type}:${q.event.targetId}:${q.duplicate}:${JSON.stringify('info' in q.event ? q.event.info : '')}`;
      case 'associationExpiry': return `e${dt}:${q.guestUserId}`;
      default: return `${q.kind}`;
    }
  }).join(','));
  // The world's timers and scheduled items, relative to now.
  parts.push(w.pendingTimes().map((t) => t - now).join(','));
  // What clients were told last, and how many requests still wait for an answer.
  const lastEvent = new Map<string, string>();
  for (const e of w.events) lastEvent.set(`${e.link}#${e.monitorCrossRefId}#${e.event.name === 'ForwardingEvent' ? 'f' : 'a'}`, JSON.stringify(e.event));
  parts.push([...lastEvent.entries()].sort().join(','));
  parts.push(String(w.requests.size - new Set(w.answers.map((a) => `${a.link}#${a.invokeId}`)).size));
  return hashText(parts.join('\n'));
}
