import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startXspServer, type XspServer } from '../../src/index.js';
import { ACTIONS, call, desk, start } from './helpers.js';

let servers: XspServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('startXspServer', () => {
  it('listens on loopback, any free port with 0, and reports its url', async () => {
    const s = await start();
    servers.push(s);
    expect(s.port).toBeGreaterThan(0);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
  });

  it('rejects with a clear Error when the port is busy', async () => {
    const s = await start();
    servers.push(s);
    await expect(startXspServer({ port: s.port })).rejects.toThrow(`cannot listen on 127.0.0.1:${s.port}: the port is already in use`);
  });

  it('rejects bad options', async () => {
    await expect(startXspServer({ port: 70_000 })).rejects.toThrow(/port must be an integer/);
    await expect(startXspServer({ port: 0, eventTimeoutSeconds: 0 })).rejects.toThrow(/eventTimeoutSeconds/);
  });

  it('logs one line per request, without credentials', async () => {
    const lines: string[] = [];
    const s = await start({ log: (l) => lines.push(l) });
    servers.push(s);
    await call(s, 'GET', `${ACTIONS}/user/${desk(110)}/services/CallCenter`);
    await new Promise((r) => setTimeout(r, 20));
    expect(lines.some((l) => /^GET \/com\.broadsoft\.xsi-actions\/v2\.0\/user\/desk-110@example\.com\/services\/CallCenter 200 \d+ ms$/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/secret|Basic/);
  });

  it('answers garbage that is not HTTP with 400 and keeps serving', async () => {
    const s = await start();
    servers.push(s);
    const reply = await new Promise<string>((resolve) => {
      const sock = createConnection(s.port, '127.0.0.1', () => sock.write('\x00\x01 not http at all\r\n\r\n'));
      let text = '';
      sock.on('data', (d) => (text += d.toString()));
      sock.on('close', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await call(s, 'GET', `${ACTIONS}/user/${desk(110)}/services/CallCenter`)).status).toBe(200);
  });
});
