/**
 * CSTA over TLS (issue 12 item 10): a second listener with the same link behaviour, the plain one
 * kept. The certificate is a throwaway self-signed one made with `openssl` for this test run, in
 * a temporary directory, and deleted afterwards; no key is committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ED4, startInteropGateway, textOf } from './interop/wire.js';

let dir: string;
let cert: string;
let key: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csta-bw-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Gateway = Awaited<ReturnType<typeof startInteropGateway>>;
let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

describe('CSTA over TLS', () => {
  it('serves the same CSTA on the TLS port as on the plain one, which stays', async () => {
    g = await startInteropGateway({ tls: { port: 0, cert, key } });
    expect(g.gateway.tls?.port).toBeGreaterThan(0);
    expect(g.gateway.tls?.port).not.toBe(g.gateway.csta.port);
    const secure = await g.wire({ tls: true });
    secure.send('0001', `<MonitorStart xmlns="${ED4}"><monitorObject><deviceObject>desk-101</deviceObject></monitorObject></MonitorStart>`);
    const answer = await secure.answerTo('0001');
    expect(answer.root).toBe('MonitorStartResponse');
    expect(answer.xmlns).toBe(ED4);
    const status = await secure.next((f) => f.root === 'SystemStatus');
    expect(textOf(status, 'systemStatus')).toBe('normal');
    expect([...g.gateway.server.links.keys()]).toEqual(['tls:1']);

    const plain = await g.wire();
    plain.send('0001', `<GetAgentState xmlns="${ED4}"><device>desk-101</device></GetAgentState>`);
    expect((await plain.answerTo('0001')).root).toBe('GetAgentStateResponse');
  });

  it('a plain-TCP client on the TLS port costs only its own connection', async () => {
    g = await startInteropGateway({ tls: { port: 0, cert, key } });
    const { WireClient } = await import('./interop/wire.js');
    const wrong = await WireClient.connect(g.gateway.tls!.port);
    wrong.send('0001', `<GetAgentState xmlns="${ED4}"><device>desk-101</device></GetAgentState>`);
    await wrong.closedPromise;
    expect(wrong.frames).toEqual([]);
    const secure = await g.wire({ tls: true });
    secure.send('0002', `<GetAgentState xmlns="${ED4}"><device>desk-101</device></GetAgentState>`);
    expect((await secure.answerTo('0002')).root).toBe('GetAgentStateResponse');
  });
});
