/**
 * Property: a channel set survives any sequence of node failures as long as one of its channels
 * is open (reference §5.9, issue 15). Whatever nodes die and come back, with events in flight
 * and acknowledgements late:
 *   - no event is ever put on a channel of a node that is down (the set's subscriptions move);
 *   - every event of every subscription reaches the client, so at the end the sequence numbers
 *     each subscription delivered (duplicates dropped by eventID) run 1…n without a gap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ackEvent, advance, createXsp, defaultDirectory, nextDueAt, nodeViews, openChannel, setNodeDown, setNodeUp, type Delivery, type XspState,
} from '../../src/index.js';
import { ADMIN, agent, run, SET } from './helpers.js';

const NODES = 3;
const USERS = 3;

type Op =
  | { kind: 'down'; node: number }
  | { kind: 'up'; node: number }
  | { kind: 'change'; user: number; available: boolean }
  | { kind: 'ack' }
  | { kind: 'wait'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('down' as const), node: fc.integer({ min: 0, max: NODES - 1 }) }),
  fc.record({ kind: fc.constant('up' as const), node: fc.integer({ min: 0, max: NODES - 1 }) }),
  fc.record({ kind: fc.constant('change' as const), user: fc.integer({ min: 1, max: USERS }), available: fc.boolean() }),
  fc.constant({ kind: 'ack' as const }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 15_000 }) }),
);

class Client {
  state: XspState;
  now = 0;
  /** channelId → node, for every channel ever opened. */
  readonly nodeOfChannel = new Map<string, number>();
  /** Delivered, not yet acknowledged (acks are late on purpose). */
  private unacked: { channelId: string; eventId: string }[] = [];
  readonly seen = new Set<string>();
  readonly sequences = new Map<string, number[]>();
  readonly problems: string[] = [];

  constructor() {
    this.state = createXsp({ directory: defaultDirectory(), seed: 11, faults: 'none', nodes: NODES });
    for (let n = 0; n < NODES; n++) this.open(n);
    for (let u = 1; u <= USERS; u++) this.state = run(this.state, { op: 'SUBSCRIBE', userId: agent(u), packages: ['Call Center Agent'] }, 0).state;
  }

  private open(node: number): void {
    const r = openChannel(this.state, { asUser: ADMIN, channelSetId: SET, expires: 2_147_483_647, node }, this.now);
    if (!('state' in r)) throw new Error(r.error.summaryEnglish);
    this.state = r.state;
    this.nodeOfChannel.set(r.channelId, node);
  }

  private upNodes(): number[] {
    return nodeViews(this.state).filter((n) => n.up).map((n) => n.index);
  }

  apply(o: Op): void {
    switch (o.kind) {
      case 'down':
        // Keep one channel of the set open: the property is about surviving, not about total loss.
        if (this.upNodes().length <= 1 || !this.upNodes().includes(o.node)) return;
        this.state = setNodeDown(this.state, o.node, this.now);
        return this.collect(advance(this.state, this.now));
      case 'up':
        if (this.upNodes().includes(o.node)) return;
        this.state = setNodeUp(this.state, o.node);
        return this.open(o.node);
      case 'change':
        this.state = run(this.state, { op: 'PUT CallCenter', userId: agent(o.user), body: { agentACDState: o.available ? 'Available' : 'Unavailable' } }, this.now).state;
        return this.collect(advance(this.state, this.now));
      case 'ack':
        for (const a of this.unacked) this.state = ackEvent(this.state, a.channelId, a.eventId, 200, this.now);
        this.unacked = [];
        return;
      case 'wait':
        // A client acknowledges within its ack timeout; only what came since is still open.
        this.apply({ kind: 'ack' });
        this.now += o.ms;
        return this.collect(advance(this.state, this.now));
    }
  }

  private collect(r: { state: XspState; deliveries: Delivery[] }): void {
    this.state = r.state;
    const up = new Set(this.upNodes());
    for (const d of r.deliveries) {
      if (d.kind !== 'event') continue;
      const node = this.nodeOfChannel.get(d.channelId);
      if (node === undefined || !up.has(node)) this.problems.push(`event ${d.event.sequenceNumber} of ${d.event.targetId} put on channel ${d.channelId} of node ${String(node)}, which is down`);
      this.unacked.push({ channelId: d.channelId, eventId: d.event.eventId });
      if (this.seen.has(d.event.eventId)) continue;
      this.seen.add(d.event.eventId);
      const list = this.sequences.get(d.event.subscriptionId) ?? [];
      list.push(d.event.sequenceNumber);
      this.sequences.set(d.event.subscriptionId, list);
    }
  }

  /** Ack everything and let time run until nothing is due but expiries. */
  settle(): void {
    for (let i = 0; i < 50; i++) {
      this.apply({ kind: 'ack' });
      const due = nextDueAt(this.state);
      if (due === undefined || due > this.now + 60_000) return;
      this.now = Math.max(this.now, due);
      this.collect(advance(this.state, this.now));
    }
  }
}

describe('a channel set across failing nodes (property)', () => {
  it('never uses a dead node, and loses no event while one channel of the set is open', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const c = new Client();
        for (const o of ops) c.apply(o);
        c.settle();
        expect(c.problems).toEqual([]);
        for (const [sub, seqs] of c.sequences) {
          const sorted = [...seqs].sort((a, b) => a - b);
          expect({ sub, seqs: sorted }).toEqual({ sub, seqs: sorted.map((_, i) => i + 1) });
        }
      }),
      { numRuns: 200 },
    );
  });
});
