/**
 * The Xsi HTTP transport carries the connector's `GET directory` (issue 12 item 3, issue 13 item 3):
 * the group-level search and the paged read go to the simulator's HTTP server through the core
 * codec and come back as directory pages; and a fresh ConnectorRuntime over HTTP resolves a
 * number it has never seen (MonitorStart 2107) with no warm-up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CstaOutput } from '../../src/runtime.js';
import { defaultDirectory, startXspServer, type XspServer } from '@csta-bw/xsp-sim';
import { ConnectorRuntime } from '../../src/runtime.js';
import { createXsiHttpTransport, type XsiHttpTransport } from '../../src/xsi/transport.js';
import { until } from './fakeXsp.js';

const ADMIN = 'admin@example.com';
const directory = defaultDirectory();
// The group's service provider as the simulator names it (the domain when it names none).
const GROUP = { serviceProviderId: (directory as { serviceProviderId?: string }).serviceProviderId ?? directory.domain, groupId: directory.groupId };

const open: { server: XspServer; transport: XsiHttpTransport; runtime?: ConnectorRuntime }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.runtime?.close();
    await o.transport.stop();
    await o.server.close();
  }
});

async function loopback() {
  const server = await startXspServer({ port: 0, seed: 1, faults: 'none' });
  const transport = createXsiHttpTransport({ baseUrl: server.url, user: ADMIN, password: 'secret', channelSetId: 'csta-bw/directory-test' });
  const o: { server: XspServer; transport: XsiHttpTransport; runtime?: ConnectorRuntime } = { server, transport };
  open.push(o);
  return o;
}

describe('GET directory over Xsi HTTP', () => {
  it('a group-level search for extension 3007 answers exactly agent-007', async () => {
    const { transport } = await loopback();
    const outcome = await transport.execute({ op: 'GET directory', userId: ADMIN, directory: 'Group', query: { extension: '3007', number: '3007', anyCriterion: true }, group: GROUP });
    expect('status' in outcome && outcome.status).toBe(200);
    const body = 'status' in outcome ? outcome.body : undefined;
    expect(body?.kind === 'directory' && body.entries.map((e) => [e.userId, e.extension])).toEqual([['agent-007@example.com', '3007']]);
  });

  it('the read page by page: start/results give every user once, and total says how many', async () => {
    const { transport } = await loopback();
    const seen: string[] = [];
    let total = Infinity;
    for (let start = 1; start <= total; ) {
      const outcome = await transport.execute({ op: 'GET directory', userId: ADMIN, directory: 'Group', query: { start, results: 25 }, group: GROUP });
      const body = 'status' in outcome ? outcome.body : undefined;
      if (body?.kind !== 'directory') throw new Error(`page at ${start}: ${JSON.stringify(outcome)}`);
      expect(body.startIndex).toBe(start);
      seen.push(...body.entries.map((e) => e.userId));
      total = body.total;
      start += body.entries.length;
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const u of directory.users) expect(seen).toContain(u.userId);
  });

  it('a fresh runtime over HTTP: MonitorStart 2107, no request before, answered; the monitor names the device 2107', async () => {
    const o = await loopback();
    const out: CstaOutput[] = [];
    o.runtime = new ConnectorRuntime({
      transport: o.transport, onCsta: (x) => out.push(x),
      config: { defaultDomain: directory.domain, groupEvents: { subscriber: ADMIN, ...GROUP } },
    });
    o.runtime.request('L1', '1', { service: 'MonitorStart', monitorObject: '2107' });
    await until(() => out.some((x) => x.kind === 'csta.response' || x.kind === 'csta.error'), 10_000, 'the answer');
    // A link that spoke before the first channel was up hears SystemStatus normal when it is (linkStatus.ts).
    expect(out.filter((x) => x.kind !== 'csta.systemStatus')[0]).toMatchObject({ kind: 'csta.response', invokeId: '1', response: { service: 'MonitorStartResponse' } });
    expect(out.filter((x) => x.kind === 'csta.systemStatus').map((x) => x.kind === 'csta.systemStatus' && x.status)).not.toContain('disabled');
    expect(Object.values(o.runtime.connector.monitors).map((m) => [m.device, m.userId])).toEqual([['2107', 'desk-107@example.com']]);
  });
});
