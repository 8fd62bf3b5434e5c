/**
 * The clean-shutdown marker (src/store/journalStore.ts, pairingStore.ts; DESIGN §9): a store says
 * whether the process that used it before closed it gracefully, and ConnectorRuntime.open starts
 * the connector as a restart (a fence against redeliveries and late PUTs) whenever it did not —
 * even with no pairings saved (`kill -9` with an empty store). A "crash" here is abandoning the
 * store without close and opening a new one on the same dir, as a restarted process does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectorRuntime, type XspTransport } from '../../src/runtime.js';
import { JournalPairingStore } from '../../src/store/journalStore.js';
import { MemoryPairingStore, type PairingStore } from '../../src/store/pairingStore.js';
import { forget, seat } from './fixtures.js';

const dirs: string[] = [];
function stateDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'csta-bw-clean-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const transport: XspTransport = { execute: () => new Promise(() => {}), start: () => {}, stop: async () => {} };

async function restartOn(store: PairingStore) {
  const runtime = await ConnectorRuntime.open({ transport, onCsta: () => {}, store });
  await runtime.close();
  return runtime.connector.restart;
}

describe('JournalPairingStore clean-shutdown marker', () => {
  it('a new state dir has no previous run: clean', () => {
    const s = JournalPairingStore.open({ dir: stateDir() });
    expect(s.lastRunClosedCleanly()).toBe(true);
    s.close();
  });

  it('closed gracefully: the next open says clean; left open (a crash): the next open says not', () => {
    const dir = stateDir();
    const a = JournalPairingStore.open({ dir });
    a.append([seat('desk-101@example.com', 'agent-001@example.com')]);
    a.close();
    const b = JournalPairingStore.open({ dir });
    expect(b.lastRunClosedCleanly()).toBe(true);
    b.append([forget('desk-101@example.com')]);
    // b dies without close: its marker was cleared at open, so the next process knows.
    const c = JournalPairingStore.open({ dir });
    expect(c.load()).toEqual({});
    expect(c.lastRunClosedCleanly()).toBe(false);
    c.close();
  });

  it('a crash right after open (before any append) still reads as a crash', () => {
    const dir = stateDir();
    JournalPairingStore.open({ dir }).close();
    JournalPairingStore.open({ dir }); // dies at once
    const c = JournalPairingStore.open({ dir });
    expect(c.lastRunClosedCleanly()).toBe(false);
    c.close();
  });

  it('a store whose append failed is not marked clean at close (the loop stopped mid-run)', () => {
    const dir = stateDir();
    const a = JournalPairingStore.open({ dir });
    (a as unknown as { broken: Error }).broken = new Error('disk full');
    a.close();
    const b = JournalPairingStore.open({ dir });
    expect(b.lastRunClosedCleanly()).toBe(false);
    b.close();
  });
});

describe('ConnectorRuntime.open and the marker', () => {
  it('kill -9 with an empty store: the next start is a restart with a redelivery fence', async () => {
    const dir = stateDir();
    JournalPairingStore.open({ dir }).close();
    JournalPairingStore.open({ dir }); // the process that was killed
    expect(await restartOn(JournalPairingStore.open({ dir }))).toEqual({ fence: 'pending', settled: false });
  });

  it('after a graceful stop with an empty store: a fresh start, no fence', async () => {
    const dir = stateDir();
    JournalPairingStore.open({ dir }).close();
    expect(await restartOn(JournalPairingStore.open({ dir }))).toBeUndefined();
  });

  it("an integrator's store that cannot tell counts as crashed (the safe side)", async () => {
    const store: PairingStore = { load: () => ({}), append: () => {}, compact: () => {} };
    expect(await restartOn(store)).toEqual({ fence: 'pending', settled: false });
  });

  it('a new in-memory store has no previous run', async () => {
    expect(await restartOn(new MemoryPairingStore())).toBeUndefined();
  });
});
