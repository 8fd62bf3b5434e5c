/** What a real XSP sends on every Xsi answer (reference/interop.md, 2022 capture): TrackingID and a JSESSIONID cookie. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, agent, ASYNC_CHANNEL, call, channelBody, EVENTS, start, subscriptionBody } from './helpers.js';

let server: XspServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

async function get(path: string, headers: Record<string, string> = {}): Promise<Headers> {
  const auth = `Basic ${Buffer.from(`${agent(1)}:secret`).toString('base64')}`;
  const res = await fetch(server.url + path, { headers: { authorization: auth, ...headers } });
  await res.text();
  return res.headers;
}

describe('answer headers', () => {
  it('every Xsi answer carries a TrackingID — 200, 401, 404, PUT, Events commands — each one different', async () => {
    const answers = [
      await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/profile`),
      await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/profile`, { user: null }),
      await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/nothing`),
      await call(server, 'PUT', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, { body: '<CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Available</agentACDState></CallCenter>' }),
      await call(server, 'POST', `${EVENTS}/user/${agent(1)}`, { body: subscriptionBody('Hoteling Guest') }),
    ];
    const ids = answers.map((a) => a.headers.get('trackingid'));
    for (const id of ids) expect(id).toMatch(/^\S+$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("a client's own TrackingID is echoed", async () => {
    expect((await get(`${ACTIONS}/user/${agent(1)}/profile`, { TrackingID: 'WEBEX_abc:1' })).get('trackingid')).toBe('WEBEX_abc:1');
  });

  it('JSESSIONID: set (HttpOnly, path of the Xsi application) when the request has none; not again when it has one', async () => {
    const first = (await get(`${ACTIONS}/user/${agent(1)}/profile`)).get('set-cookie');
    expect(first).toMatch(/^JSESSIONID=[0-9A-F]+; Path=\/com\.broadsoft\.xsi-actions; HttpOnly$/);
    const cookie = first!.split(';')[0]!;
    expect((await get(`${ACTIONS}/user/${agent(1)}/profile`, { cookie })).get('set-cookie')).toBeNull();
  });

  it('the event channel stream carries both, with the xsi-events cookie path', async () => {
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
      const body = channelBody('hdr-set');
      const req = request(server.url + ASYNC_CHANNEL, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${agent(1)}:secret`).toString('base64')}`, 'content-length': Buffer.byteLength(body) } });
      req.on('error', reject);
      req.on('response', (res) => {
        resolve(res.headers);
        res.destroy();
      });
      req.end(body);
    });
    expect(headers['trackingid']).toMatch(/^\S+$/);
    expect(String(headers['set-cookie'])).toMatch(/^JSESSIONID=[0-9A-F]+; Path=\/com\.broadsoft\.xsi-events; HttpOnly$/);
  });
});
