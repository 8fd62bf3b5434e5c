/**
 * `startXspServer({nodes})`: one model behind N HTTP endpoints, and the `/_sim/nodes` control
 * API that takes a node down, up, slow or overloaded (issue 15).
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, agent, call, errorCodeOf, EVENTS, openChannel, start, subscriptionBody } from './helpers.js';

let server: XspServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The same server seen through node `i`'s endpoint, for the helpers that take a server. */
const via = (s: XspServer, i: number): XspServer => ({ ...s, url: s.urls[i]! }) as XspServer;

async function control(s: XspServer, i: number, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${s.urls[i]}/_sim/${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: await res.json() };
}

/** A raw request whose connection failure is reported rather than thrown. */
function rawGet(url: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', agent: false, headers: { authorization: `Basic ${Buffer.from('admin@example.com:secret').toString('base64')}` } });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end();
  });
}

describe('the simulator as a cluster', () => {
  it('serves one model on N ports: a change made through node 0 is read through node 1', async () => {
    server = await start({ nodes: 2 });
    expect(server.urls).toHaveLength(2);
    expect(server.urls[0]).toBe(server.url);
    expect(new Set(server.ports).size).toBe(2);
    const put = await call(via(server, 0), 'PUT', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, { body: '<CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Available</agentACDState></CallCenter>' });
    expect(put.status).toBe(200);
    const get = await call(via(server, 1), 'GET', `${ACTIONS}/user/${agent(1)}/services/CallCenter`);
    expect(get.text).toContain('<agentACDState>Available</agentACDState>');
  });

  it('refuses a bad node list: --node-ports of the wrong length, a count below 1', async () => {
    await expect(start({ nodes: 2, nodePorts: [0] })).rejects.toThrow(/nodePorts.*2/);
    await expect(start({ nodes: 0 })).rejects.toThrow(/nodes must be/);
  });

  it('GET /_sim/nodes lists every node with its URL, state and channels, on every port', async () => {
    server = await start({ nodes: 2 });
    const ch = await openChannel(via(server, 1));
    for (const i of [0, 1]) {
      const { status, json } = await control(server, i, 'GET', 'nodes');
      expect(status).toBe(200);
      expect(json.nodes).toMatchObject([
        { index: 0, url: server.urls[0], up: true, latencyMs: 0, unavailable: false, channels: [] },
        { index: 1, url: server.urls[1], up: true, channels: [{ channelId: ch.channelId, channelSetId: 'test-set' }] },
      ]);
    }
    ch.destroy();
  });

  it('node down: its stream is cut without a ChannelTerminatedEvent, Xsi requests to it are reset, the control API still answers there; events flow to the other node', async () => {
    server = await start({ nodes: 2 });
    const a = await openChannel(via(server, 0));
    const b = await openChannel(via(server, 1));
    for (const i of [1, 2, 3, 4, 5, 6]) {
      expect((await call(via(server, 1), 'POST', `${EVENTS}/user/${agent(i)}`, { body: subscriptionBody('Call Center Agent') })).status).toBe(200);
    }
    const down = await control(server, 0, 'POST', 'nodes/0/down');
    expect(down).toMatchObject({ status: 200, json: { index: 0, up: false } });
    await a.ended;
    expect(a.documents.some((d) => d.kind === 'channelTerminated')).toBe(false);
    expect(await rawGet(`${server.urls[0]}${ACTIONS}/user/${agent(1)}/services/CallCenter`)).toMatchObject({ error: expect.stringMatching(/ECONNRESET|socket hang up/) });
    expect((await control(server, 0, 'GET', 'nodes')).json.nodes[0]).toMatchObject({ up: false, channels: [] });
    // Every subscription's next event reaches the surviving channel.
    const before = b.events().length;
    for (const i of [1, 2, 3, 4, 5, 6]) {
      await call(via(server, 1), 'PUT', `${ACTIONS}/user/${agent(i)}/services/CallCenter`, { body: '<CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Available</agentACDState></CallCenter>' });
    }
    await b.waitFor(() => b.events().length >= before + 6, 3000);
    expect(b.events().slice(before).filter((e) => e.type === 'AgentStateEvent')).toHaveLength(6);
    b.destroy();
  });

  it('a request in flight on a node that goes down is reset', async () => {
    server = await start({ nodes: 2 });
    expect((await control(server, 1, 'PUT', 'nodes/0', { latencyMs: 2_000 })).status).toBe(200);
    const pending = rawGet(`${server.urls[0]}${ACTIONS}/user/${agent(1)}/services/CallCenter`);
    await new Promise((r) => setTimeout(r, 100));
    expect((await control(server, 1, 'GET', 'nodes')).json.nodes[0].inFlight).toEqual([{ method: 'GET', path: `${ACTIONS}/user/${agent(1)}/services/CallCenter` }]);
    await control(server, 1, 'POST', 'nodes/0/down');
    expect((await control(server, 1, 'GET', 'nodes')).json.nodes[0].inFlight).toEqual([]);
    expect(await pending).toMatchObject({ error: expect.stringMatching(/ECONNRESET|socket hang up/) });
  });

  it('node partitioned: its stream goes silent (not cut), its requests get no answer, what was in flight is applied; up: served again', async () => {
    server = await start({ nodes: 2 });
    const a = await openChannel(via(server, 0));
    await control(server, 1, 'PUT', 'nodes/0', { latencyMs: 500 });
    const put = call(via(server, 0), 'PUT', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, { body: '<CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Available</agentACDState></CallCenter>' }).catch(() => 'no answer');
    await new Promise((r) => setTimeout(r, 100));
    expect(await control(server, 1, 'POST', 'nodes/0/partition')).toMatchObject({ status: 200, json: { index: 0, up: false, partitioned: true } });
    const get = await Promise.race([rawGet(`${server.urls[0]}${ACTIONS}/user/${agent(1)}/services/CallCenter`), new Promise((r) => setTimeout(() => r('no answer'), 800))]);
    expect(get).toBe('no answer');
    expect(a.isEnded()).toBe(false);
    await new Promise((r) => setTimeout(r, 600));
    expect(server.state.users[agent(1)]!.agentACDState).toBe('Available'); // applied behind the partition
    await control(server, 1, 'POST', 'nodes/0/up');
    expect(await rawGet(`${server.urls[0]}${ACTIONS}/user/${agent(2)}/services/CallCenter`)).toEqual({ status: 200 });
    a.destroy();
    void put;
  });

  it('node up: it serves again and takes a new channel of the set', async () => {
    server = await start({ nodes: 2 });
    await control(server, 0, 'POST', 'nodes/0/down');
    expect(await control(server, 0, 'POST', 'nodes/0/up')).toMatchObject({ status: 200, json: { index: 0, up: true } });
    expect(await rawGet(`${server.urls[0]}${ACTIONS}/user/${agent(1)}/services/CallCenter`)).toEqual({ status: 200 });
    const ch = await openChannel(via(server, 0));
    expect((await control(server, 0, 'GET', 'nodes')).json.nodes[0].channels).toMatchObject([{ channelId: ch.channelId }]);
    ch.destroy();
  });

  it('PUT /_sim/nodes/{i}: unavailable answers 503 ErrorInfo to every Xsi request; latencyMs slows it', async () => {
    server = await start({ nodes: 2 });
    await control(server, 0, 'PUT', 'nodes/1', { unavailable: true });
    const r = await call(via(server, 1), 'GET', `${ACTIONS}/user/${agent(1)}/services/CallCenter`);
    expect(r.status).toBe(503);
    expect(errorCodeOf(r.text)).toBe(110005);
    expect((await call(via(server, 1), 'POST', `${EVENTS}/user/${agent(1)}`, { body: subscriptionBody('Call Center Agent') })).status).toBe(503);
    await control(server, 0, 'PUT', 'nodes/1', { unavailable: false, latencyMs: 400 });
    const t0 = performance.now();
    expect((await call(via(server, 1), 'GET', `${ACTIONS}/user/${agent(1)}/services/CallCenter`)).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(350);
  });

  it('control errors are specific: unknown node 404, bad body 400, wrong method 405', async () => {
    server = await start({ nodes: 2 });
    expect(await control(server, 0, 'POST', 'nodes/2/down')).toMatchObject({ status: 404, json: { error: expect.stringMatching(/no node 2.*0\.\.1/) } });
    expect(await control(server, 0, 'POST', 'nodes/x/down')).toMatchObject({ status: 404 });
    expect(await control(server, 0, 'PUT', 'nodes/0', { latencyMs: -1 })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/latencyMs/) } });
    expect(await control(server, 0, 'PUT', 'nodes/0', { unavailable: 'yes' })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/unavailable/) } });
    expect(await control(server, 0, 'PUT', 'nodes/0', { bogus: 1 })).toMatchObject({ status: 400, json: { error: expect.stringMatching(/bogus/) } });
    expect(await control(server, 0, 'GET', 'nodes/0/down')).toMatchObject({ status: 405 });
  });

  it('a channel lives on its node: a heartbeat sent to another node is 404, to its own node 200', async () => {
    server = await start({ nodes: 2 });
    const ch = await openChannel(via(server, 1));
    expect((await call(via(server, 0), 'PUT', `${EVENTS}/channel/${ch.channelId}/heartbeat`)).status).toBe(404);
    expect((await call(via(server, 1), 'PUT', `${EVENTS}/channel/${ch.channelId}/heartbeat`)).status).toBe(200);
    ch.destroy();
  });

  it('a single-node server still lists its one node', async () => {
    server = await start();
    expect(server.urls).toEqual([server.url]);
    expect((await control(server, 0, 'GET', 'nodes')).json.nodes).toMatchObject([{ index: 0, url: server.url, up: true }]);
  });
});
