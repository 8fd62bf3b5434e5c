/**
 * The XSP as a cluster: N nodes in front of one Application Server (issue 15, reference/xsi.md
 * §5.1, §5.9). Which node a request or a channel came through is part of the input, and whether
 * a node is up, slow or overloaded is an input too — the model stays pure and seeded.
 *
 * Theory of operation
 * 1. A channel lives on the node that took its POST (`openChannel({node})`); subscriptions bind
 *    to the channel set, never to a node, so they survive any one node.
 * 2. A node going down (`setNodeDown`) loses its channels at once. Events delivered on them and
 *    not yet acknowledged are resent at once on a surviving channel of the set (the AS sees the
 *    XSP go and routes the set's events elsewhere); later events follow the set's other channels.
 * 3. Requests in flight through that node are answered with a reset connection, and each was
 *    either applied (its answer lost) or lost unapplied — a draw from the seed, as the fault
 *    rules do for timeouts. The caller cannot tell which: that is what "uncertain" means.
 * 4. A request to a down node fails at once with a reset and changes nothing; a node in
 *    `unavailable` mode answers 503 without applying; `latencyMs` slows every request through it.
 * 5. A partition (`setNodeDown(…, 'partition')`) cuts the node off without killing it: its
 *    channels go as in a crash, but the requests in flight are all applied and none is answered,
 *    and later requests get no answer at all — the caller learns only from its own timeout.
 */
import { terminateChannel } from './channels.js';
import { Draft } from './draft.js';
import { nodeOf, type XspNode, type XspState } from './state.js';

export { nodeOf };

/** How `GET /_sim/nodes` and the tests see a node. */
export interface NodeView extends XspNode {
  index: number;
  /** The open channels this node holds. */
  channelIds: string[];
}

/** A cluster's node list for `createXsp({nodes})`: all up, no extra latency. */
export function initialNodes(count: number): XspNode[] {
  return Array.from({ length: count }, () => ({ up: true, partitioned: false, latencyMs: 0, unavailable: false }));
}

export function nodeCount(s: XspState): number {
  return s.nodes?.length ?? 1;
}

export function nodeViews(s: XspState): NodeView[] {
  return Array.from({ length: nodeCount(s) }, (_, index) => ({
    index,
    ...nodeOf(s, index)!,
    channelIds: Object.values(s.channels).filter((c) => (c.node ?? 0) === index).map((c) => c.channelId),
  }));
}

/** Writes node `i` (copying the list; a single XSP gets its list now). */
function withNode(s: XspState, i: number, change: (n: XspNode) => XspNode): XspState {
  const nodes = (s.nodes ?? initialNodes(1)).map((n) => ({ ...n }));
  nodes[i] = change(nodes[i]!);
  if (s.updateInPlace) {
    s.nodes = nodes;
    return s;
  }
  return { ...s, nodes };
}

/** Node `i` fails (rules 2, 3, 5). Unknown node or already down: the state unchanged. */
export function setNodeDown(s: XspState, i: number, now: number, how: 'crash' | 'partition' = 'crash'): XspState {
  if (nodeOf(s, i)?.up !== true) return s;
  const partition = how === 'partition';
  const d = new Draft(withNode(s, i, (n) => ({ ...n, up: false, partitioned: partition })));
  const dead = Object.values(d.s.channels).filter((c) => (c.node ?? 0) === i).map((c) => c.channelId);
  for (const id of dead) terminateChannel(d, id, 'NonResponsiveChannel', now);
  // Rule 2: the dead channel is named as the "preferred" one, so the resend picks another and is void if acked meanwhile.
  for (const p of Object.values(d.s.pending)) {
    if (dead.includes(p.channelId)) {
      d.schedule(now, { kind: 'deliver', event: p.event, envelope: p.envelope, channelSetId: p.channelSetId, channelId: p.channelId, duplicate: false });
    }
  }
  // Rule 3: requests in flight through the node.
  const inFlight = d.s.queue.filter((q) => (q.kind === 'execute' || q.kind === 'reply') && q.node === i);
  for (const item of inFlight) {
    if (item.kind !== 'execute' && item.kind !== 'reply') continue;
    d.unschedule((q) => q.seq === item.seq);
    if (partition) {
      // Rule 5: the node still works; only its answers cannot get out.
      if (item.kind === 'execute') {
        const { at: _at, seq: _seq, ...rest } = item;
        d.schedule(item.at, { ...rest, reply: false });
      }
      continue;
    }
    if (item.kind === 'execute' && d.chance(0.5)) {
      const { at: _at, seq: _seq, ...rest } = item;
      d.schedule(item.at, { ...rest, reply: false }); // applied; its answer dies with the node
    }
    if (item.kind === 'reply' || item.reply) {
      d.schedule(now, { kind: 'reply', requestId: item.requestId, outcome: { transportError: `connection reset: XSP node ${i} went down` }, node: i });
    }
  }
  return d.finish();
}

/** Node `i` is back: it takes requests and channels again (it holds none yet). */
export function setNodeUp(s: XspState, i: number): XspState {
  const n = nodeOf(s, i);
  if (n === undefined || n.up) return s;
  return withNode(s, i, (x) => ({ ...x, up: true, partitioned: false }));
}

/** Makes node `i` slow (`latencyMs` added to every request) or overloaded (`unavailable`: 503). */
export function setNodeCondition(s: XspState, i: number, change: { latencyMs?: number; unavailable?: boolean }): XspState {
  if (nodeOf(s, i) === undefined) return s;
  return withNode(s, i, (n) => ({
    ...n,
    ...(change.latencyMs !== undefined && Number.isFinite(change.latencyMs) ? { latencyMs: Math.max(0, Math.trunc(change.latencyMs)) } : {}),
    ...(change.unavailable !== undefined ? { unavailable: change.unavailable } : {}),
  }));
}
