/** The Xsi HTTP exchange against a scripted server: auth, ids, redirects, bounds, deadlines, bad answers. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeCallCenter } from '@csta-bw/core';
import { createXsiHttpTransport, type XsiHttpTransport } from '../../src/xsi/transport.js';
import { createXsiConnection, decodeText, isTransportFailure, sendRequest, xsiUrl } from '../../src/xsi/httpClient.js';
import { FakeXsp } from './fakeXsp.js';

let xsp: FakeXsp;
let transport: XsiHttpTransport | undefined;
const lines: string[] = [];

beforeEach(async () => {
  xsp = await new FakeXsp().start();
  lines.length = 0;
});
afterEach(async () => {
  await transport?.stop();
  transport = undefined;
  await xsp.close();
});

function client(extra: Partial<Parameters<typeof createXsiHttpTransport>[0]> = {}): XsiHttpTransport {
  transport = createXsiHttpTransport({
    baseUrl: xsp.url, user: 'admin@example.com', password: 'p@ss:wörd', channelSetId: 'set-1',
    requestTimeoutMs: 500, log: (l) => lines.push(l), ...extra,
  });
  return transport;
}

describe('Xsi-Actions commands over HTTP', () => {
  it('sends Basic credentials and a URL-encoded user id, and reads the answer with the codec', async () => {
    xsp.actions = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' }).end(encodeCallCenter({ agentACDState: 'Available' }));
    };
    const outcome = await client().execute({ op: 'GET CallCenter', userId: 'a b/c@example.com' });
    expect(outcome).toEqual({ status: 200, body: { kind: 'CallCenter', agentACDState: 'Available' } });
    const req = xsp.requests.at(-1)!;
    expect(req.path).toBe('/com.broadsoft.xsi-actions/v2.0/user/a%20b%2Fc%40example.com/services/CallCenter');
    expect(req.authorization).toBe(`Basic ${Buffer.from('admin@example.com:p@ss:wörd').toString('base64')}`);
  });

  it('never logs the credentials', async () => {
    await client({ baseUrl: xsp.url.replace('http://', 'http://admin:p%40ss@') }).execute({ op: 'PUT CallCenter', userId: 'u@example.com', body: { agentACDState: 'Sign-Out' } });
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/p@ss|p%40ss|wörd|Basic /);
  });

  it('PUT 200 with an empty body is success; ErrorInfo is kept on 400', async () => {
    const t = client();
    expect(await t.execute({ op: 'PUT CallCenter', userId: 'u@example.com', body: { agentACDState: 'Available' } })).toEqual({ status: 200 });
    expect(xsp.requests.at(-1)!.body).toContain('<agentACDState>Available</agentACDState>');
    xsp.actions = (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/xml' })
        .end('<?xml version="1.0"?><ErrorInfo xmlns="http://schema.broadsoft.com/xsi"><summaryEnglish>busy</summaryEnglish><errorCode>110001</errorCode></ErrorInfo>');
    };
    expect(await t.execute({ op: 'PUT HotelingGuest', userId: 'g@example.com', body: { hostUserId: 'h@example.com' } }))
      .toEqual({ status: 400, body: { kind: 'ErrorInfo', error: { summaryEnglish: 'busy', errorCode: 110001 } } });
  });

  it('follows a 302 to another node, re-sending the credentials', async () => {
    xsp.override = (req, res) => {
      if (!req.url?.startsWith('/lb/')) return false;
      res.writeHead(302, { location: req.url.slice(3) }).end();
      return true;
    };
    xsp.actions = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' }).end(encodeCallCenter({ agentACDState: 'Wrap-Up' }));
    };
    const outcome = await client({ baseUrl: `${xsp.url}/lb` }).execute({ op: 'GET CallCenter', userId: 'u@example.com' });
    expect(outcome).toEqual({ status: 200, body: { kind: 'CallCenter', agentACDState: 'Wrap-Up' } });
    expect(xsp.requests.map((r) => r.path)).toEqual([
      '/lb/com.broadsoft.xsi-actions/v2.0/user/u%40example.com/services/CallCenter',
      '/com.broadsoft.xsi-actions/v2.0/user/u%40example.com/services/CallCenter',
    ]);
    expect(xsp.requests[1]!.authorization).toMatch(/^Basic /);
  });

  it('gives up on a redirect loop with a clear error', async () => {
    xsp.actions = (req, res) => {
      res.writeHead(302, { location: req.url }).end();
    };
    const outcome = await client().execute({ op: 'GET CallCenter', userId: 'u@example.com' });
    expect(outcome).toEqual({ transportError: 'bad XSP answer: more than 5 redirects' });
  });

  it('a 10 MB body is cut off with a clear error, not buffered', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 'a');
    xsp.actions = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(big);
    };
    const outcome = await client({ maxBodyBytes: 64 * 1024 }).execute({ op: 'GET CallCenter', userId: 'u@example.com' });
    expect(outcome).toEqual({ transportError: 'bad XSP answer: body larger than 65536 bytes' });
  });

  it('a 10 MB chunked body (no Content-Length) is cut off too', async () => {
    xsp.actions = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      for (let i = 0; i < 160; i++) res.write(Buffer.alloc(64 * 1024, 'b'));
      res.end();
    };
    const outcome = await client().execute({ op: 'GET profile', userId: 'u@example.com' });
    expect(outcome).toEqual({ transportError: 'bad XSP answer: body larger than 1048576 bytes' });
  });

  it('a stalled answer (no head) ends as a timeout, not a hang', async () => {
    xsp.actions = () => {}; // never answers
    const started = Date.now();
    const outcome = await client({ requestTimeoutMs: 200 }).execute({ op: 'GET CallCenter', userId: 'u@example.com' });
    expect(outcome).toMatchObject({ transportError: expect.stringContaining('no answer from the XSP within 200 ms') });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a body that stalls half way ends as a transport error', async () => {
    xsp.actions = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.write('<?xml version="1.0"?><CallCenter xmlns="http://schema.broadsoft.com/xsi">');
    };
    const outcome = await client({ requestTimeoutMs: 200 }).execute({ op: 'GET CallCenter', userId: 'u@example.com' });
    expect(outcome).toMatchObject({ transportError: expect.stringContaining('stalled') });
  });

  it('non-XML and a wrong content type are bad XSP answers', async () => {
    xsp.actions = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' }).end('hello, I am not XML');
    };
    const t = client();
    expect(await t.execute({ op: 'GET CallCenter', userId: 'u@example.com' })).toMatchObject({ transportError: expect.stringMatching(/^bad XSP answer: GET CallCenter/) });
    xsp.actions = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Login</body></html>');
    };
    expect(await t.execute({ op: 'GET CallCenter', userId: 'u@example.com' })).toEqual({ transportError: 'bad XSP answer: content type "text/html" for GET CallCenter, expected XML' });
  });

  it('a refused connection is a transport error', async () => {
    const dead = new FakeXsp();
    await dead.start();
    const url = dead.url;
    await dead.close();
    const outcome = await client({ baseUrl: url }).execute({ op: 'GET CallCenter', userId: 'u@example.com' });
    expect(outcome).toMatchObject({ transportError: expect.stringContaining('ECONNREFUSED') });
  });

  it('a bad base URL answers every command with why', async () => {
    const t = client({ baseUrl: 'ftp://xsp' });
    expect(await t.execute({ op: 'GET CallCenter', userId: 'u@example.com' })).toEqual({ transportError: 'XSP base URL must be http: or https:, got ftp:' });
  });

  it('a command the codec refuses is not sent', async () => {
    const outcome = await client().execute({ op: 'GET CallCenter', userId: '' });
    expect(outcome).toEqual({ transportError: 'not sent: GET CallCenter: empty userId' });
    expect(xsp.requests).toHaveLength(0);
  });
});

describe('SUBSCRIBE', () => {
  it('is one POST per package on the stable channel set; all ids come back and are kept alive', async () => {
    const t = client({ applicationId: 'csta-bw' });
    const outcome = await t.execute({ op: 'SUBSCRIBE', userId: 'agent-001@example.com', packages: ['Call Center Agent', 'Call Forwarding Always', 'Hoteling Guest'] });
    expect(outcome).toEqual({ status: 200, body: { kind: 'Subscriptions', subscriptionIds: expect.arrayContaining(['sub-1', 'sub-2', 'sub-3']) } });
    const posts = xsp.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(3);
    for (const p of posts) {
      expect(p.path).toBe('/com.broadsoft.xsi-events/v2.0/user/agent-001%40example.com');
      expect(p.body).toContain('<channelSetId>set-1</channelSetId>');
      expect(p.body).toContain('<applicationId>csta-bw</applicationId>');
    }
    expect(t.subscriptions().map((s) => s.grantedSeconds)).toEqual([86400, 86400, 86400]);
  });

  it('one refused package makes the command fail with that refusal', async () => {
    let n = 0;
    xsp.override = (req, res) => {
      if (req.method !== 'POST' || !req.url?.includes('xsi-events/v2.0/user/')) return false;
      if (++n === 2) {
        res.writeHead(503).end();
        return true;
      }
      return false;
    };
    const outcome = await client().execute({ op: 'SUBSCRIBE', userId: 'u@example.com', packages: ['Call Center Agent', 'Hoteling Guest'] });
    expect(outcome).toEqual({ status: 503 });
  });

  it('refreshes a subscription at half its lifetime and re-creates one the XSP lost', async () => {
    xsp.override = (req, res) => {
      if (req.method === 'POST' && req.url?.includes('xsi-events/v2.0/user/')) {
        xsp.subscriptionCount++;
        res.writeHead(200, { 'content-type': 'application/xml' })
          .end(`<?xml version="1.0"?><Subscription xmlns="http://schema.broadsoft.com/xsi"><subscriptionId>sub-${xsp.subscriptionCount}</subscriptionId><expires>2</expires></Subscription>`);
        return true;
      }
      if (req.method === 'PUT' && req.url?.endsWith('/subscription/sub-1')) {
        res.writeHead(404).end();
        return true;
      }
      return false;
    };
    const t = client();
    await t.execute({ op: 'SUBSCRIBE', userId: 'u@example.com', packages: ['Hoteling Guest'] });
    const sink = { events: [] as unknown[], channel: [] as string[] };
    t.start({ event: (e) => sink.events.push(e), channel: (s) => sink.channel.push(s) });
    const { until } = await import('./fakeXsp.js');
    await until(() => xsp.count('/subscription/sub-1', 'PUT') === 1 && t.subscriptions()[0]?.subscriptionId === 'sub-2', 4_000, 'refresh and re-create');
    expect(xsp.requests.find((r) => r.method === 'PUT' && r.path.endsWith('/subscription/sub-1'))!.body).toContain('<expires>86400</expires>');
    // The re-created subscription made the connector resync, with no lost/up (the channel never went).
    await until(() => sink.channel.includes('resync'), 2_000, 'resync');
    expect(sink.channel).not.toContain('lost');
  });
});

describe('helpers', () => {
  it('decodes ISO-8859-1 answers by header or declaration', () => {
    const bytes = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>M\u00fcller</a>', 'latin1');
    expect(decodeText(bytes, 'application/xml')).toContain('Müller');
    expect(decodeText(bytes, 'application/xml; charset=ISO-8859-1')).toContain('Müller');
    expect(decodeText(Buffer.from('<a>Müller</a>', 'utf8'), undefined)).toBe('<a>Müller</a>');
  });

  it('keeps a base path prefix and the query', () => {
    expect(xsiUrl(new URL('http://h:1/proxy/'), '/com.broadsoft.xsi-actions/v2.0/user/a%40b?x=1').href).toBe('http://h:1/proxy/com.broadsoft.xsi-actions/v2.0/user/a%40b?x=1');
  });

  it('sendRequest answers with status, type and text', async () => {
    const conn = createXsiConnection({ baseUrl: xsp.url, user: 'u', password: 'p' });
    if (isTransportFailure(conn)) throw new Error(conn.transportError);
    const a = await sendRequest(conn, { method: 'GET', url: xsiUrl(conn.baseUrl, '/anything') });
    expect(a).toMatchObject({ status: 200, body: '' });
    conn.agent.destroy();
  });
});
