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
import { branchFacts, coverageFacts } from '@csta-bw/core';
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
  return `${truthHash(w.xsp)}|${coverageFacts(w.connector)}`;
}

/** `coverageKey` plus what is in flight and pending, ids and absolute times abstracted away. */
export function branchKey(w: VirtualWorld, extra = ''): string {
  const now = w.now;
  // The connector's jobs in detail (the step on the wire or waiting to be retried), its pairings,
  // awaited writes, reads due, reports and commands: asked of the core (connector/queries.ts).
  const parts: string[] = [coverageKey(w), extra, branchFacts(w.connector)];
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
