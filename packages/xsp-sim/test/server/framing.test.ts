/**
 * Request framing on the raw socket: lines ending in a bare LF are served (RFC 9112 §2.2 lets a
 * server accept them; a BroadWorks R20 bash client sends them), while request smuggling stays
 * refused — a conflicting Content-Length/Transfer-Encoding is a 400 with an ErrorInfo body.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, agent, errorCodeOf, start } from './helpers.js';

let server: XspServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

const auth = (user: string) => `Authorization: Basic ${Buffer.from(`${user}:secret`).toString('base64')}`;

/** Writes `raw` and reads until the server closes the connection (or 3 s pass). */
function exchange(raw: string): Promise<{ statusLine: string; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.write(raw));
    let data = '';
    const timer = setTimeout(() => socket.destroy(), 3000);
    socket.on('data', (d) => (data += d.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      const split = data.indexOf('\r\n\r\n');
      const head = split < 0 ? data : data.slice(0, split);
      resolve({ statusLine: head.split('\r\n')[0] ?? '', head, body: split < 0 ? '' : data.slice(split + 4) });
    });
  });
}

const lf = (lines: string[]) => lines.join('\n') + '\n\n';
const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n\r\n';

describe('bare-LF requests', () => {
  it('a GET whose lines end in LF gets the Profile', async () => {
    const r = await exchange(lf([`GET ${ACTIONS}/user/${agent(7)}/profile HTTP/1.1`, 'Host: sim', auth(agent(7)), 'Connection: close']));
    expect(r.statusLine).toBe('HTTP/1.1 200 OK');
    expect(r.body).toContain('<Profile xmlns="http://schema.broadsoft.com/xsi">');
    expect(r.body).toContain(`<userId>${agent(7)}</userId>`);
  });

  it('a PUT with an LF head and a Content-Length body is applied', async () => {
    const body = '<CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Available</agentACDState></CallCenter>';
    const r = await exchange(lf([`PUT ${ACTIONS}/user/${agent(8)}/services/CallCenter HTTP/1.1`, 'Host: sim', auth(agent(8)), `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close']) + body);
    expect(r.statusLine).toBe('HTTP/1.1 200 OK');
    expect(server.state.users[agent(8)]?.agentACDState).toBe('Available');
  });
});

describe('request smuggling stays refused, with an ErrorInfo body', () => {
  const smuggled = `GET ${ACTIONS}/user/${agent(1)}/profile HTTP/1.1\r\nHost: sim\r\n${auth(agent(1))}\r\n\r\n`;
  const cases: Array<[string, string]> = [
    ['Content-Length with Transfer-Encoding (CRLF)', crlf(['POST /com.broadsoft.xsi-events/v2.0/channel/eventresponse HTTP/1.1', 'Host: sim', auth(agent(1)), `Content-Length: 4`, 'Transfer-Encoding: chunked']) + '0\r\n\r\n' + smuggled],
    ['Content-Length with Transfer-Encoding (LF)', lf(['POST /com.broadsoft.xsi-events/v2.0/channel/eventresponse HTTP/1.1', 'Host: sim', auth(agent(1)), `Content-Length: 4`, 'Transfer-Encoding: chunked']) + '0\n\n' + smuggled],
    ['two different Content-Lengths', crlf([`PUT ${ACTIONS}/user/${agent(1)}/services/CallCenter HTTP/1.1`, 'Host: sim', auth(agent(1)), 'Content-Length: 3', 'Content-Length: 5']) + 'abcde'],
    ['a Transfer-Encoding other than chunked', crlf([`PUT ${ACTIONS}/user/${agent(1)}/services/CallCenter HTTP/1.1`, 'Host: sim', auth(agent(1)), 'Transfer-Encoding: chunked, identity']) + '0\r\n\r\n'],
  ];
  for (const [what, raw] of cases) {
    it(`${what}: 400, ErrorInfo 110504, connection closed, nothing smuggled through`, async () => {
      const r = await exchange(raw);
      expect(r.statusLine).toBe('HTTP/1.1 400 Bad Request');
      expect(r.head.toLowerCase()).toContain('content-type: application/xml');
      expect(errorCodeOf(r.body)).toBe(110504);
      expect(r.body).not.toContain('<Profile');
      expect(r.head.toLowerCase()).toContain('connection: close');
    });
  }

  it('a request hidden behind the refused one is never executed', async () => {
    const put = '<CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Available</agentACDState></CallCenter>';
    const hidden = `PUT ${ACTIONS}/user/${agent(9)}/services/CallCenter HTTP/1.1\r\nHost: sim\r\n${auth(agent(9))}\r\nContent-Length: ${put.length}\r\n\r\n${put}`;
    const r = await exchange(crlf([`GET ${ACTIONS}/user/${agent(9)}/profile HTTP/1.1`, 'Host: sim', auth(agent(9)), 'Content-Length: 5', 'Transfer-Encoding: chunked']) + '0\r\n\r\n' + hidden);
    expect(r.statusLine).toBe('HTTP/1.1 400 Bad Request');
    await new Promise((done) => setTimeout(done, 50));
    expect(server.state.users[agent(9)]?.agentACDState).toBe('Sign-Out');
  });

  it('bytes that are not HTTP: 400 with an ErrorInfo body, and the journal records it', async () => {
    const r = await exchange('\x16\x03\x01 hello\r\n\r\n');
    expect(r.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(errorCodeOf(r.body)).toBe(110504);
    const { entries } = (await (await fetch(`${server.url}/_sim/journal`)).json()) as { entries: Array<{ status: number; method: string }> };
    expect(entries.at(-1)).toMatchObject({ method: '?', status: 400 });
  });
});
