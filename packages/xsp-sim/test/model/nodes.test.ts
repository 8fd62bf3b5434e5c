/**
 * The XSP as a cluster (issue 15): several nodes in front of one model, channels of one set on
 * different nodes, delivery by priority then weight, and node loss as an input.
 */
import { describe, expect, it } from 'vitest';
import {
  ackEvent, advance, createXsp, defaultDirectory, nodeViews, openChannel, setNodeCondition, setNodeDown, setNodeUp, submit,
  type Delivery, type XspState,
} from '../../src/index.js';
import { ADMIN, agent, eventsOf, run, SET } from './helpers.js';

function cluster(nodes = 2, seed = 7): XspState {
  return createXsp({ directory: defaultDirectory(), seed, faults: 'none', nodes });
}

function channelOn(s: XspState, node: number, extra: { priority?: number; weight?: number } = {}, channelSetId = SET): { state: XspState; channelId: string } {
  const r = openChannel(s, { asUser: ADMIN, channelSetId, expires: 604_800, node, ...extra }, 0);
  if (!('state' in r)) throw new Error(`openChannel refused: ${r.error.summaryEnglish}`);
  return { state: r.state, channelId: r.channelId };
}

/** Subscribes agent-001..n to Call Center Agent on SET and returns the channel each initial event went to. */
function initialChannels(s: XspState, users: number): { state: XspState; bySubscription: Map<string, string> } {
  let state = s;
  for (let i = 1; i <= users; i++) state = run(state, { op: 'SUBSCRIBE', userId: agent(i), packages: ['Call Center Agent'] }).state;
  const out = advance(state, 0);
  state = out.state;
  const bySubscription = new Map<string, string>();
  for (const d of out.deliveries) {
    if (d.kind !== 'event') continue;
    bySubscription.set(d.event.subscriptionId, d.channelId);
    state = ackEvent(state, d.channelId, d.event.eventId, 200, 0);
  }
  return { state, bySubscription };
}

const results = (ds: Delivery[]) => ds.filter((d): d is Extract<Delivery, { kind: 'result' }> => d.kind === 'result');

describe('nodes', () => {
  it('a cluster starts with every node up and lists them', () => {
    expect(nodeViews(cluster(3))).toEqual([
      { index: 0, up: true, partitioned: false, latencyMs: 0, unavailable: false, channelIds: [] },
      { index: 1, up: true, partitioned: false, latencyMs: 0, unavailable: false, channelIds: [] },
      { index: 2, up: true, partitioned: false, latencyMs: 0, unavailable: false, channelIds: [] },
    ]);
    const a = channelOn(cluster(2), 1);
    expect(nodeViews(a.state)[1]!.channelIds).toEqual([a.channelId]);
  });

  it('refuses a channel on a node that is down or does not exist', () => {
    const down = setNodeDown(cluster(2), 0, 0);
    expect(openChannel(down, { asUser: ADMIN, channelSetId: SET, node: 0 }, 0)).toMatchObject({ status: 503 });
    expect(openChannel(cluster(2), { asUser: ADMIN, channelSetId: SET, node: 2 }, 0)).toMatchObject({ status: 400 });
  });

  it('a request to a down node fails like a reset connection, at once, and changes nothing', () => {
    const s = setNodeDown(cluster(2), 0, 0);
    const put = { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } } as const;
    const out = advance(submit(s, { requestId: 1, asUser: ADMIN, command: put, node: 0 }, 10), 10);
    expect(results(out.deliveries)).toMatchObject([{ requestId: 1, outcome: { transportError: expect.stringMatching(/node 0 is down/) } }]);
    expect(out.state.users[agent(1)]!.agentACDState).toBe('Sign-Out');
    // The other node serves it.
    const other = advance(submit(s, { requestId: 2, asUser: ADMIN, command: put, node: 1 }, 10), 100);
    expect(results(other.deliveries)).toMatchObject([{ requestId: 2, outcome: { status: 200 } }]);
  });

  it('a node going down answers its in-flight requests with a reset; each was applied or lost, by the seed', () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      let s = cluster(2, seed);
      s = setNodeCondition(s, 0, { latencyMs: 1_000 });
      s = submit(s, { requestId: 1, asUser: ADMIN, command: { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } }, node: 0 }, 0);
      const down = setNodeDown(s, 0, 100);
      const out = advance(down, 5_000);
      expect(results(out.deliveries)).toEqual([{ kind: 'result', requestId: 1, outcome: { transportError: expect.stringMatching(/node 0 went down/) } }]);
      seen.add(out.state.users[agent(1)]!.agentACDState!);
    }
    expect([...seen].sort()).toEqual(['Available', 'Sign-Out']); // both fates happen
  });

  it('a partitioned node: in-flight requests are applied but never answered, later ones get no answer at all; its channels go', () => {
    let s = setNodeCondition(cluster(2), 0, { latencyMs: 1_000 });
    const a = channelOn(s, 0);
    s = submit(a.state, { requestId: 1, asUser: ADMIN, command: { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } }, node: 0 }, 0);
    s = setNodeDown(s, 0, 100, 'partition');
    expect(s.channels[a.channelId]).toBeUndefined();
    expect(nodeViews(s)[0]).toMatchObject({ up: false, partitioned: true });
    s = submit(s, { requestId: 2, asUser: ADMIN, command: { op: 'GET CallCenter', userId: agent(1) }, node: 0 }, 200);
    const out = advance(s, 60_000);
    expect(results(out.deliveries)).toEqual([]);
    expect(out.state.users[agent(1)]!.agentACDState).toBe('Available');
    expect(nodeViews(setNodeUp(out.state, 0))[0]).toMatchObject({ up: true, partitioned: false });
  });

  it('a slow node adds its latency; a node in 503 mode answers 503 without applying', () => {
    let s = setNodeCondition(cluster(2), 1, { latencyMs: 2_000 });
    s = submit(s, { requestId: 1, asUser: ADMIN, command: { op: 'GET CallCenter', userId: agent(1) }, node: 1 }, 0);
    expect(results(advance(s, 2_004).deliveries)).toEqual([]);
    expect(results(advance(s, 2_005).deliveries)).toMatchObject([{ requestId: 1, outcome: { status: 200 } }]);

    let b = setNodeCondition(cluster(2), 0, { unavailable: true });
    b = submit(b, { requestId: 2, asUser: ADMIN, command: { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } }, node: 0 }, 0);
    const out = advance(b, 100);
    expect(results(out.deliveries)).toMatchObject([{ requestId: 2, outcome: { status: 503 } }]);
    expect(out.state.users[agent(1)]!.agentACDState).toBe('Sign-Out');
  });
});

describe('channel sets across nodes (reference §5.9)', () => {
  it('events go to the best priority (lowest number) channel of the set', () => {
    const a = channelOn(cluster(2), 0, { priority: 2 });
    const b = channelOn(a.state, 1, { priority: 1 });
    const { bySubscription } = initialChannels(b.state, 6);
    expect(new Set(bySubscription.values())).toEqual(new Set([b.channelId]));
  });

  it('equal priority: subscriptions are spread over the channels, each keeps its channel', () => {
    const a = channelOn(cluster(2), 0);
    const b = channelOn(a.state, 1);
    const first = initialChannels(b.state, 12);
    expect(new Set(first.bySubscription.values())).toEqual(new Set([a.channelId, b.channelId]));
    // A later event of each subscription goes where its first one went (per-subscription order).
    let s = first.state;
    for (let i = 1; i <= 12; i++) s = run(s, { op: 'PUT CallCenter', userId: agent(i), body: { agentACDState: 'Available' } }, 1).state;
    for (const d of advance(s, 1).deliveries) if (d.kind === 'event') expect(d.channelId).toBe(first.bySubscription.get(d.event.subscriptionId));
  });

  it('weight sets the share: a channel of weight 0-ish gets fewer subscriptions than a heavy one', () => {
    const a = channelOn(cluster(2), 0, { weight: 1 });
    const b = channelOn(a.state, 1, { weight: 99 });
    const { bySubscription } = initialChannels(b.state, 40);
    const onHeavy = [...bySubscription.values()].filter((c) => c === b.channelId).length;
    expect(onHeavy).toBeGreaterThan(30);
  });

  it('node down: its channels go, the set keeps its subscriptions and later events flow to the survivor', () => {
    const a = channelOn(cluster(2), 0);
    const b = channelOn(a.state, 1);
    const first = initialChannels(b.state, 12);
    const down = setNodeDown(first.state, 0, 5);
    expect(down.channels[a.channelId]).toBeUndefined();
    expect(Object.keys(down.subscriptions)).toHaveLength(12);
    let s = down;
    for (let i = 1; i <= 12; i++) s = run(s, { op: 'PUT CallCenter', userId: agent(i), body: { agentACDState: 'Available' } }, 6).state;
    const out = advance(s, 6);
    expect(eventsOf(out.deliveries)).toHaveLength(12);
    for (const d of out.deliveries) if (d.kind === 'event') expect(d.channelId).toBe(b.channelId);
  });

  it('node down: events delivered on its channel and not yet acknowledged are resent at once on a surviving channel', () => {
    const a = channelOn(cluster(2), 0, { priority: 1 });
    const b = channelOn(a.state, 1, { priority: 2 });
    const s = run(b.state, { op: 'SUBSCRIBE', userId: agent(1), packages: ['Call Center Agent'] }).state;
    const delivered = advance(s, 0);
    const [d] = delivered.deliveries;
    expect(d).toMatchObject({ kind: 'event', channelId: a.channelId });
    const down = setNodeDown(delivered.state, 0, 50);
    const out = advance(down, 50);
    expect(out.deliveries).toMatchObject([{ kind: 'channelTerminated', channelId: a.channelId }, { kind: 'event', channelId: b.channelId, event: { eventId: d!.kind === 'event' ? d!.event.eventId : '' } }]);
  });

  it('node up again: it serves requests and takes channels; the model is pure (the old state is untouched)', () => {
    const s0 = cluster(2);
    const down = setNodeDown(s0, 1, 0);
    expect(nodeViews(s0)[1]!.up).toBe(true);
    const up = setNodeUp(down, 1);
    expect(nodeViews(up)[1]!.up).toBe(true);
    expect(nodeViews(down)[1]!.up).toBe(false);
    expect('state' in openChannel(up, { asUser: ADMIN, channelSetId: SET, node: 1 }, 0)).toBe(true);
  });

  it('a single-node XSP (no nodes option) behaves as before: node 0, always up', () => {
    const s = createXsp({ directory: defaultDirectory(), seed: 7, faults: 'none' });
    expect(s.nodes).toBeUndefined();
    expect(nodeViews(s)).toEqual([{ index: 0, up: true, partitioned: false, latencyMs: 0, unavailable: false, channelIds: [] }]);
  });
});
