/**
 * The Xsi transport in front of several XSPs (issue 15): one channel per XSP in one channel set,
 * the connector told `lost` only when every channel is down, Actions moving to a healthy XSP, and
 * a PUT whose outcome is unknown handed back to the core rather than repeated elsewhere.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { XsiEvent } from '@csta-bw/core';
import { startXspServer, type JournalEntry, type XspServer } from '@csta-bw/xsp-sim';
import { createXsiHttpTransport, type XsiHttpTransport } from '../../src/xsi/transport.js';
import { sleep, until } from './fakeXsp.js';

const SET = 'csta-bw/cluster-test';
const AGENT = 'agent-001@example.com';
const available = { op: 'PUT CallCenter', userId: AGENT, body: { agentACDState: 'Available' } } as const;

interface Rig {
  server: XspServer;
  transport: XsiHttpTransport;
  said: ('up' | 'lost' | 'resync')[];
  events: XsiEvent[];
  lines: string[];
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.transport.stop();
    await r.server.close();
  }
});

async function rig(opts: { nodes?: number; urls?: (s: XspServer) => string[]; requestTimeoutMs?: number } = {}): Promise<Rig> {
  const server = await startXspServer({ port: 0, seed: 1, nodes: opts.nodes ?? 2, eventTimeoutSeconds: 4 });
  const lines: string[] = [];
  const transport = createXsiHttpTransport({
    baseUrl: opts.urls ? opts.urls(server) : server.urls, user: 'admin@example.com', password: 'secret', channelSetId: SET,
    eventTimeoutSeconds: 4, requestTimeoutMs: opts.requestTimeoutMs ?? 2_500, reconnectBackoff: { baseMs: 50, maxMs: 300 }, random: () => 0.5,
    log: (l) => lines.push(l),
  });
  const r: Rig = { server, transport, said: [], events: [], lines };
  transport.start({ channel: (s) => r.said.push(s), event: (e) => r.events.push(e) });
  rigs.push(r);
  return r;
}

async function control(server: XspServer, path: string, method = 'POST', body?: unknown): Promise<any> {
  const res = await fetch(`${server.url}/_sim/${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return res.json();
}

async function nodes(server: XspServer): Promise<{ index: number; up: boolean; channels: { channelId: string; channelSetId: string }[] }[]> {
  return (await control(server, 'nodes', 'GET')).nodes;
}

async function journal(server: XspServer): Promise<JournalEntry[]> {
  return (await control(server, 'journal', 'GET')).entries;
}

const allChannelsUp = async (r: Rig, n = 2): Promise<void> => {
  await until(() => r.transport.channels().filter((c) => c.channelId !== undefined).length === n, 5_000, `${n} channels up`);
};

describe('one channel per XSP, one channel set', () => {
  it('opens a channel on every node, all in the same set; the connector hears one "up"', async () => {
    const r = await rig();
    await allChannelsUp(r);
    const listed = await nodes(r.server);
    expect(listed.map((n) => n.channels.map((c) => c.channelSetId))).toEqual([[SET], [SET]]);
    expect(r.said).toEqual(['up']);
  });

  it('one node down: no "lost" for the connector, events keep coming through the other; back up: its channel rejoins the set', async () => {
    const r = await rig();
    await allChannelsUp(r);
    expect(await r.transport.execute({ op: 'SUBSCRIBE', userId: AGENT, packages: ['Call Center Agent'] })).toMatchObject({ status: 200 });
    await until(() => r.events.length >= 1, 3_000, 'initial event');
    await control(r.server, 'nodes/0/down');
    await until(() => r.transport.channels()[0]!.channelId === undefined, 3_000, 'node 0 channel gone');
    expect(await r.transport.execute(available)).toMatchObject({ status: 200 });
    await until(() => r.events.some((e) => e.type === 'AgentStateEvent'), 3_000, 'the state event via node 1');
    expect(r.said).toEqual(['up']);
    await control(r.server, 'nodes/0/up');
    await allChannelsUp(r);
    expect((await nodes(r.server))[0]!.channels).toHaveLength(1);
    expect(r.said).toEqual(['up']);
  });

  it('every node down: "lost" once; one back: "up" once', async () => {
    const r = await rig();
    await allChannelsUp(r);
    await control(r.server, 'nodes/0/down');
    await sleep(100);
    expect(r.said).toEqual(['up']);
    await control(r.server, 'nodes/1/down');
    await until(() => r.said.length === 2, 3_000, 'lost');
    expect(r.said).toEqual(['up', 'lost']);
    await control(r.server, 'nodes/1/up');
    await until(() => r.said.length === 3, 5_000, 'up again');
    await sleep(300);
    expect(r.said).toEqual(['up', 'lost', 'up']);
  });

  it('the same event on two channels reaches the connector once (eventID)', async () => {
    const r = await rig();
    await allChannelsUp(r);
    expect(await r.transport.execute({ op: 'SUBSCRIBE', userId: AGENT, packages: ['Call Center Agent'] })).toMatchObject({ status: 200 });
    await until(() => r.events.length >= 1, 3_000, 'initial event');
    // Node 0 dies with events unacknowledged on it (acks to it are reset): they come again on node 1.
    await control(r.server, 'nodes/0/down');
    for (let i = 0; i < 3; i++) await r.transport.execute({ ...available, body: { agentACDState: i % 2 === 0 ? 'Available' : 'Unavailable' } });
    await sleep(300);
    expect(new Set(r.events.map((e) => e.eventId)).size).toBe(r.events.length);
  });
});

describe('Actions across XSPs', () => {
  it('a node answering 503 (not applied): the request moves to the next node and succeeds', async () => {
    const r = await rig();
    await allChannelsUp(r);
    await control(r.server, 'nodes/0', 'PUT', { unavailable: true });
    await fetch(`${r.server.url}/_sim/journal`, { method: 'DELETE' });
    expect(await r.transport.execute(available)).toEqual({ status: 200 });
    const puts = (await journal(r.server)).filter((e) => e.method === 'PUT' && e.path.includes('/services/CallCenter'));
    expect(puts.map((e) => [e.node, e.status])).toEqual([[0, 503], [1, 200]]);
  });

  it('an XSP that refuses connections: the request goes to the next one', async () => {
    const closed = await freePort();
    const r = await rig({ urls: (s) => [`http://127.0.0.1:${closed}`, s.urls[1]!] });
    await until(() => r.said.includes('up'), 5_000, 'up via node 1');
    expect(r.said).toEqual(['up']); // one XSP refusing at start-up is not the link down
    expect(await r.transport.execute(available)).toEqual({ status: 200 });
    expect(await r.transport.execute({ op: 'GET CallCenter', userId: AGENT })).toMatchObject({ status: 200 });
  });

  it('a PUT whose answer never came is handed back as a transport error, not repeated on another node; the next request avoids that node', async () => {
    const r = await rig({ requestTimeoutMs: 600 });
    await allChannelsUp(r);
    await control(r.server, 'nodes/0', 'PUT', { latencyMs: 2_000 });
    await fetch(`${r.server.url}/_sim/journal`, { method: 'DELETE' });
    // Which node goes first is the transport's choice: make node 0 the only healthy-looking one.
    r.transport.preferNode(0);
    const outcome = await r.transport.execute(available);
    expect(outcome).toMatchObject({ transportError: expect.stringMatching(/no answer/) });
    const before = (await journal(r.server)).filter((e) => e.method === 'PUT');
    expect(before.every((e) => e.node === 0)).toBe(true);
    expect(await r.transport.execute({ op: 'GET CallCenter', userId: AGENT })).toMatchObject({ status: 200 });
    const gets = (await journal(r.server)).filter((e) => e.method === 'GET' && e.path.includes('/services/CallCenter'));
    expect(gets.map((e) => e.node)).toEqual([1]);
  });

  it('a GET that times out is repeated on the next node', async () => {
    const r = await rig({ requestTimeoutMs: 600 });
    await allChannelsUp(r);
    await control(r.server, 'nodes/0', 'PUT', { latencyMs: 2_000 });
    r.transport.preferNode(0);
    expect(await r.transport.execute({ op: 'GET CallCenter', userId: AGENT })).toMatchObject({ status: 200 });
  });

  it('a bad URL in the list is refused with its position', async () => {
    const t = createXsiHttpTransport({ baseUrl: ['http://127.0.0.1:1', 'not a url'], user: 'u', password: 'p', channelSetId: SET });
    expect(await t.execute({ op: 'GET CallCenter', userId: AGENT })).toEqual({ transportError: expect.stringMatching(/XSP #2.*not a url/) });
    const empty = createXsiHttpTransport({ baseUrl: [], user: 'u', password: 'p', channelSetId: SET });
    expect(await empty.execute({ op: 'GET CallCenter', userId: AGENT })).toEqual({ transportError: expect.stringMatching(/no XSP URL/) });
  });
});

/** A port nobody listens on (bound, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
