/**
 * The node choice of the Xsi transport (src/xsi/xspNodes.ts, rule 2), without sockets: a clock
 * and the channels' state are given, `order()` is read.
 */
import { describe, expect, it } from 'vitest';
import type { XsiConnection } from '../../src/xsi/httpClient.js';
import { XspNodes } from '../../src/xsi/xspNodes.js';

const connection = (i: number) => ({ baseUrl: new URL(`http://xsp${i}.test`) }) as XsiConnection;

function cluster(channelUp: boolean[]) {
  let now = 10_000;
  const nodes = new XspNodes([0, 1].map(connection), {
    backoff: { baseMs: 1_000, maxMs: 60_000 }, random: () => 0.5, log: () => {}, now: () => now, channelUp: (i) => channelUp[i]!,
  });
  return { nodes, advance: (ms: number) => { now += ms; } };
}

describe('XspNodes order (rule 2)', () => {
  it('a node whose event channel is down comes after one that only failed lately: a partitioned XSP answers nothing, its backoff running out says nothing', () => {
    const { nodes, advance } = cluster([false, true]);
    nodes.markFailed(0, 'event channel lost');
    advance(5_000); // node 0's backoff has run out; its channel is still down
    nodes.markFailed(1, 'HTTP 500');
    expect(nodes.order().map((n) => n.index)).toEqual([1, 0]);
    advance(5_000); // node 1 healthy again: first, as it holds its channel
    expect(nodes.order().map((n) => n.index)).toEqual([1, 0]);
  });

  it('with no channel up anywhere (before start, or every XSP down) the channels say nothing: the last to answer, then the configured order', () => {
    const { nodes } = cluster([false, false]);
    expect(nodes.order().map((n) => n.index)).toEqual([0, 1]);
    nodes.prefer(1);
    expect(nodes.order().map((n) => n.index)).toEqual([1, 0]);
  });
});
