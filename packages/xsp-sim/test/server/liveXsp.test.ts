import { afterEach, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, call, desk, EVENTS, openChannel, sleep, start } from './helpers.js';

let server: XspServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the model on real time', () => {
  it('a channel without heartbeats is terminated after eventTimeoutSeconds; heartbeats keep it', async () => {
    server = await start({ eventTimeoutSeconds: 0.3 });
    const kept = await openChannel(server, { set: 'kept' });
    const idle = await openChannel(server, { set: 'idle' });
    for (let i = 0; i < 5; i++) {
      await sleep(100);
      await call(server, 'PUT', `${EVENTS}/channel/${kept.channelId}/heartbeat`);
    }
    await idle.ended;
    expect(idle.documents.at(-1)).toEqual({ kind: 'channelTerminated', channelId: idle.channelId, reason: 'NonResponsiveChannel' });
    expect(kept.isEnded()).toBe(false);
    expect(Object.keys(server.state.channels)).toEqual([kept.channelId]);
    kept.destroy();
  });

  it('the fault profile applies to Actions: under hostile some answers are 503/500 ErrorInfo, and the server keeps answering', async () => {
    server = await start({ faults: 'hostile', seed: 3 });
    const statuses = new Set<number>();
    // Lost answers are held for a minute: bound each request so the test does not wait for them.
    const requests = Array.from({ length: 60 }, async () => {
      try {
        const res = await fetch(`${server!.url}${ACTIONS}/user/${desk(110)}/services/CallCenter`, {
          headers: { authorization: `Basic ${Buffer.from('admin@example.com:secret').toString('base64')}` },
          signal: AbortSignal.timeout(2500),
        });
        statuses.add(res.status);
        if (res.status >= 500) expect(await res.text()).toMatch(/<errorCode>11000[56]<\/errorCode>/);
      } catch {
        statuses.add(0);
      }
    });
    await Promise.all(requests);
    expect(statuses.has(200)).toBe(true);
    expect([...statuses].some((s) => s === 503 || s === 500 || s === 0)).toBe(true);
  }, 10_000);
});
