/** Issue 13 item 6 over HTTP: dates are real — today's by default, fixed with an epoch. */
import { afterEach, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, XSI_NS, agent, call, desk, start } from './helpers.js';

let server: XspServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function associationDate(s: XspServer): Promise<string | undefined> {
  await call(s, 'PUT', `${ACTIONS}/user/${agent(1)}/services/HotelingGuest`, { body: `<HotelingGuest ${XSI_NS}><hostUserId>${desk(101)}</hostUserId></HotelingGuest>` });
  const got = await call(s, 'GET', `${ACTIONS}/user/${agent(1)}/services/HotelingGuest`);
  return /<hostAssociationDateTime>([^<]+)</.exec(got.text)?.[1];
}

describe('epoch', () => {
  it('by default the association date is today (the server start time), not 1970', async () => {
    const before = new Date().toISOString().slice(0, 10);
    server = await start();
    const date = await associationDate(server);
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(date?.slice(0, 10));
  });

  it('a fixed epoch gives the same date on every run, and survives a reset', async () => {
    server = await start({ epoch: Date.parse('2030-01-02T03:04:05.000Z') });
    expect(await associationDate(server)).toMatch(/^2030-01-02T03:04:0[5-9]\.\d{3}Z$/);
    await fetch(`${server.url}/_sim/reset`, { method: 'POST' });
    expect(await associationDate(server)).toMatch(/^2030-01-02T03:04:0[5-9]\.\d{3}Z$/);
  });

  it('refuses an epoch that is not a ms timestamp', async () => {
    await expect(start({ epoch: 1.5 })).rejects.toThrow(/epoch must be an integer/);
    await expect(start({ epoch: Number.NaN })).rejects.toThrow(/epoch must be an integer/);
  });
});
