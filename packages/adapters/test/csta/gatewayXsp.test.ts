/**
 * `startGateway` against an XSP it did not start (`pnpm start -- --xsp-url …`): where the
 * connector learns the number plan. With the group the Xsi user administers (`--xsp-group`) it
 * reads the group-level directory; with a plain user account, that user's own Group directory.
 * Either way a number resolves on first use, with no warm-up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startXspServer, type XspServer } from '@csta-bw/xsp-sim';
import { CstaTcpClient } from '../../src/csta/client.js';
import { startGateway, type Gateway } from '../../src/csta/gateway.js';
import { ask, eventually, responseOf } from './harness.js';

let sim: XspServer | undefined;
let gateway: Gateway | undefined;
let client: CstaTcpClient | undefined;
afterEach(async () => {
  if (client && !client.closed) await client.close();
  await gateway?.close();
  await sim?.close();
  client = gateway = sim = undefined;
});

async function journal(): Promise<string[]> {
  const res = await fetch(`${sim!.url}/_sim/journal`);
  return ((await res.json()) as { entries: { path: string }[] }).entries.map((e) => e.path);
}

describe('gateway on an XSP it did not start', () => {
  it('with the admin and its group: the group directory is read and 2107 resolves at once', async () => {
    sim = await startXspServer({ port: 0 });
    gateway = await startGateway({
      cstaPort: 0,
      xsp: { kind: 'xsp', url: sim.url, user: 'admin@example.com', password: 'secret', group: { serviceProviderId: 'example.com', groupId: 'example-group' } },
    });
    await eventually(async () => ((await journal()).some((p) => p.includes('/group/example-group/directories/Group')) ? true : undefined));
    client = await CstaTcpClient.connect(gateway.csta.host, gateway.csta.port);
    const answer = responseOf(await ask(client, { service: 'GetAgentState', device: '2107' }));
    expect(answer).toMatchObject({ service: 'GetAgentStateResponse' });
    expect(JSON.stringify(answer)).toContain('"2107"');
  });

  it('with a user account and no group: that user\'s own Group directory is searched', async () => {
    sim = await startXspServer({ port: 0 });
    gateway = await startGateway({ cstaPort: 0, xsp: { kind: 'xsp', url: sim.url, user: 'agent-001@example.com', password: 'secret' } });
    await eventually(async () => ((await journal()).some((p) => /\/user\/agent-001(%40|@)example\.com\/directories\/Group/.test(p)) ? true : undefined));
    expect((await journal()).some((p) => p.includes('/group/'))).toBe(false);
  });
});
