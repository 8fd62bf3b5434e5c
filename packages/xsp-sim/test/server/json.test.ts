/** Xsi-Actions JSON (reference/xsi.md §1.4): ?format=json or Accept: application/json; BadgerFish bodies both ways; events stay XML. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, agent, channelBody, ASYNC_CHANNEL, call, desk, EVENTS, start, subscriptionBody } from './helpers.js';

let server: XspServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

const NS = 'http://schema.broadsoft.com/xsi';
const basic = (user: string) => `Basic ${Buffer.from(`${user}:secret`).toString('base64')}`;

async function json(method: string, path: string, opts: { user?: string; headers?: Record<string, string>; body?: string } = {}) {
  const res = await fetch(server.url + path, { method, headers: { authorization: basic(opts.user ?? 'admin@example.com'), ...opts.headers }, ...(opts.body !== undefined ? { body: opts.body } : {}) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: text === '' ? undefined : (JSON.parse(text) as any) };
}

describe('JSON (BadgerFish)', () => {
  it('GET profile?format=json: application/json with Profile.details.userId.$ and the Xsi namespace as @xmlns', async () => {
    const r = await json('GET', `${ACTIONS}/user/${agent(1)}/profile?format=json`, { user: agent(1) });
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^application\/json/);
    expect(r.body.Profile['@xmlns'].$).toBe(NS);
    expect(r.body.Profile.details.userId.$).toBe(agent(1));
  });

  it('Accept: application/json works as well (CallForwardingAlways.active.$)', async () => {
    const r = await json('GET', `${ACTIONS}/user/${desk(101)}/services/CallForwardingAlways`, { headers: { accept: 'application/json' } });
    expect(r.type).toMatch(/^application\/json/);
    expect(r.body.CallForwardingAlways.active.$).toBe('false');
  });

  it('repeated elements are arrays (Services.service[])', async () => {
    const r = await json('GET', `${ACTIONS}/user/${agent(1)}/services?format=json`, { user: agent(1) });
    expect(Array.isArray(r.body.Services.service)).toBe(true);
    expect(r.body.Services.service.map((s: any) => s.name.$)).toContain('Hoteling Guest');
  });

  it('errors are ErrorInfo in JSON (ErrorInfo.errorCode.$), 401 included', async () => {
    const r = await json('GET', `${ACTIONS}/user/ghost@example.com/profile?format=json`);
    expect([r.status, r.body.ErrorInfo.errorCode.$]).toEqual([404, '110001']);
    const res = await fetch(`${server.url}${ACTIONS}/user/${agent(1)}/profile`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(401);
    expect(JSON.parse(await res.text()).ErrorInfo.errorCode.$).toBe('110004');
  });

  it('a PUT body in JSON (Content-Type: application/json) is applied', async () => {
    const body = JSON.stringify({ CallForwardingAlways: { '@xmlns': { $: NS }, active: { $: 'true' }, forwardToPhoneNumber: { $: '3001' } } });
    const r = await json('PUT', `${ACTIONS}/user/${desk(102)}/services/CallForwardingAlways`, { headers: { 'content-type': 'application/json' }, body });
    expect(r.status).toBe(200);
    expect(server.state.users[desk(102)]?.forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3001' });
  });

  it('a JSON body that is not JSON or not BadgerFish: 400 ErrorInfo naming the problem', async () => {
    for (const body of ['{"CallCenter":', '{"A":{},"B":{}}', '{"CallCenter":{"agentACDState":null}}']) {
      const r = await json('PUT', `${ACTIONS}/user/${agent(1)}/services/CallCenter?format=json`, { headers: { 'content-type': 'application/json' }, body });
      expect([body, r.status, r.body?.ErrorInfo?.errorCode?.$]).toEqual([body, 400, '110003']);
      expect(r.body.ErrorInfo.summaryEnglish.$).toContain('JSON body');
    }
  });

  it('Events commands answer JSON too; the event channel itself stays XML', async () => {
    const chRes = await fetch(`${server.url}${ASYNC_CHANNEL}?format=json`, { method: 'POST', headers: { authorization: basic('admin@example.com'), accept: 'application/json' }, body: channelBody('json-set') });
    expect(chRes.headers.get('content-type')).toMatch(/^text\/xml/);
    const reader = chRes.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('<Channel xmlns=');
    const sub = await json('POST', `${EVENTS}/user/${agent(2)}?format=json`, { body: subscriptionBody('Hoteling Guest', 'json-set') });
    expect(sub.body.Subscription.subscriptionId.$).toMatch(/^[0-9a-f-]{36}$/);
    await reader.cancel();
  });

  it('without a JSON request, answers stay XML', async () => {
    const r = await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/profile`, { user: agent(1) });
    expect(r.headers.get('content-type')).toMatch(/^application\/xml/);
  });
});
