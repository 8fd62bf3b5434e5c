/**
 * The gateway on a two-node XSP (issue 15): node 0 dies in the middle of a hoteling login, the
 * login finishes (or is undone) through node 1 and the CSTA client is never told the system is
 * down; only when both nodes are down does it get SystemStatus disabled, and normal (with a
 * resync of what the connector holds) when one comes back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CstaTcpClient, ReceivedFrame } from '@csta-bw/adapters';
import { ask, eventually, responseOf, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface NodeList { nodes: { index: number; up: boolean; channels: { channelId: string }[] }[] }

async function control(method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${h!.gateway.simulator!.url}/_sim/${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return res.json();
}

const bothChannels = (): Promise<true> =>
  eventually(async () => ((await control('GET', 'nodes')) as NodeList).nodes.every((n) => n.channels.length === 1) ? true : undefined, 10_000);

function statuses(c: CstaTcpClient): string[] {
  return c.received.flatMap((f: ReceivedFrame) => (f.decoded.ok && f.decoded.kind === 'request' && f.decoded.request.service === 'SystemStatus' ? [f.decoded.request.systemStatus ?? ''] : []));
}

const login = { service: 'SetAgentState', device: 'desk-110', requestedAgentState: 'loggedOn', agentID: 'agent-001' } as const;

describe('gateway on a two-node XSP', () => {
  it('node 0 down mid-login: the login ends cleanly through node 1, no SystemStatus disabled; node 0 back: its channel rejoins', async () => {
    h = await startHarness({ xsp: { kind: 'simulator', port: 0, nodes: 2 } });
    await bothChannels();
    const c = await h.client();
    expect(responseOf(await ask(c, { service: 'MonitorStart', monitorObject: 'desk-110' }))).toMatchObject({ service: 'MonitorStartResponse' });
    await control('PUT', 'nodes/0', { latencyMs: 400 }); // so the login's PUTs stay in flight on node 0 a while
    const sent = c.send(login);
    // Node 0 dies with a PUT of the login in flight: applied or not, nobody can tell.
    await eventually(async () => ((await control('GET', 'nodes')).nodes[0].inFlight as { method: string }[]).some((r) => r.method === 'PUT') ? true : undefined, 10_000);
    await control('POST', 'nodes/0/down');
    const answer = await c.answerTo(sent.invokeId, 30_000);
    expect(answer.decoded.ok).toBe(true);
    const guest = await h.sim.view('agent-001@example.com');
    const host = await h.sim.view('desk-110@example.com');
    if (answer.decoded.ok && answer.decoded.kind === 'response') {
      expect(guest?.hotelingGuest?.hostUserId).toBe('desk-110@example.com'); // I3: the login holds
      expect(host?.forwarding?.active).toBe(true);
    } else {
      await eventually(async () => ((await h!.sim.view('agent-001@example.com'))?.hotelingGuest?.hostUserId === undefined ? true : undefined), 15_000); // I5
    }
    // The Actions after node 0 died went through node 1.
    const journal = (await control('GET', 'journal')).entries as { method: string; path: string; node: number; status: number }[];
    expect(journal.some((e) => e.method === 'PUT' && e.node === 0 && e.status === 0)).toBe(true); // the PUT cut off with node 0
    expect(journal.some((e) => e.method === 'PUT' && e.node === 1 && e.status === 200)).toBe(true);
    expect(statuses(c)).not.toContain('disabled');
    await control('POST', 'nodes/0/up');
    await bothChannels();
    expect(statuses(c)).not.toContain('disabled');
  }, 60_000);

  it('both nodes down: SystemStatus disabled; one back: normal, and the connector re-reads what it holds', async () => {
    h = await startHarness({ xsp: { kind: 'simulator', port: 0, nodes: 2 } });
    await bothChannels();
    const c = await h.client();
    await ask(c, { service: 'MonitorStart', monitorObject: 'desk-110' });
    await control('POST', 'nodes/0/down');
    await new Promise((r) => setTimeout(r, 300));
    expect(statuses(c)).not.toContain('disabled');
    await control('POST', 'nodes/1/down');
    await c.waitFor((f) => f.decoded.ok && f.decoded.kind === 'request' && f.decoded.request.service === 'SystemStatus' && f.decoded.request.systemStatus === 'disabled', 10_000);
    await fetch(`${h.gateway.simulator!.url}/_sim/journal`, { method: 'DELETE' });
    await control('POST', 'nodes/1/up');
    await c.waitFor((f) => f.decoded.ok && f.decoded.kind === 'request' && f.decoded.request.service === 'SystemStatus' && f.decoded.request.systemStatus === 'normal'
      && statuses(c).lastIndexOf('normal') > statuses(c).indexOf('disabled'), 15_000);
    // Resync (DESIGN §4.9): desk-110's state read again, through node 1.
    await eventually(async () => ((await control('GET', 'journal')).entries as { method: string; path: string; node: number }[])
      .some((e) => e.method === 'GET' && e.path.includes('desk-110') && e.node === 1) ? true : undefined, 10_000);
  }, 60_000);
});
