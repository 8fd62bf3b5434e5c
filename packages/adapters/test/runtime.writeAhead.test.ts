/**
 * The run loop's write-ahead rule (src/runtime.ts, DESIGN §9): a `pairings.save` output is made
 * durable before any later output of the same step is carried out, and inputs wait meanwhile.
 *
 * The loop mechanics are tested here on the real core with its `step` wrapped so every
 * `xsp.command` is preceded by a save naming that command — whatever the core's own pairing
 * logic emits, the loop must keep that order. Order is read from one log both sides write to.
 */
import type { Input, Output, PairingChange, SavedPairings, XsiCommand, XsiOutcome } from '@csta-bw/core';
import { describe, expect, it, vi } from 'vitest';
import { ConnectorRuntime, type CstaOutput, type XspTransport } from '../src/runtime.js';
import type { PairingStore } from '../src/store/pairingStore.js';

vi.mock('@csta-bw/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@csta-bw/core')>();
  const step = (state: Parameters<typeof core.step>[0], input: Input, now: number) => {
    const r = core.step(state, input, now);
    const outputs = r.outputs.flatMap((o): Output[] => (o.kind === 'xsp.command'
      ? [{ kind: 'pairings.save', changes: [{ host: `cmd-${o.commandId}`, pairing: null }] }, o]
      : [o]));
    return { state: r.state, outputs };
  };
  return { ...core, step };
});

const monitor = { service: 'MonitorStart', monitorObject: 'desk-101@example.com' } as const;

function world(store: PairingStore | undefined, onStoreFailure?: (e: Error) => void, log: string[] = []) {
  let nextSend = 1;
  const transport: XspTransport = {
    execute(command: XsiCommand): Promise<XsiOutcome> {
      log.push(`send ${nextSend++} ${command.op}`);
      return new Promise(() => {}); // never answers: only the order of what leaves matters here
    },
    start: () => {},
    stop: async () => {},
  };
  const csta: CstaOutput[] = [];
  const runtime = new ConnectorRuntime({
    transport, onCsta: (o) => csta.push(o), ...(store ? { store } : {}), ...(onStoreFailure ? { onStoreFailure } : {}),
  });
  return { runtime, log, csta };
}

/** A store that logs each durable append into the shared log. */
function loggingStore(log: () => string[]): PairingStore & { appended: PairingChange[][] } {
  const appended: PairingChange[][] = [];
  return {
    appended,
    load: () => ({}),
    append: (changes) => {
      appended.push(changes);
      log().push(`durable ${changes.map((c) => c.host).join(',')}`);
    },
    compact: () => {},
  };
}

describe('ConnectorRuntime write-ahead', () => {
  it('a synchronous store: each save is durable before the command after it is sent', () => {
    let w: ReturnType<typeof world> | undefined;
    const store = loggingStore(() => w!.log);
    w = world(store);
    w.runtime.request('L1', '1', monitor as never);
    const sends = w.log.filter((l) => l.startsWith('send'));
    expect(sends.length).toBeGreaterThan(0);
    // Every send is directly preceded by the durable save the (wrapped) step put before it.
    w.log.forEach((line, i) => {
      if (line.startsWith('send')) expect(w!.log[i - 1]).toMatch(/^durable cmd-/);
    });
    expect(store.appended.length).toBe(sends.length);
  });

  it('an asynchronous store: nothing after the save leaves, and no input is stepped, until it resolves', async () => {
    const resolvers: (() => void)[] = [];
    const log: string[] = [];
    const store: PairingStore = {
      load: () => ({}),
      append: (changes) => new Promise<void>((resolve) => resolvers.push(() => {
        log.push(`durable ${changes[0]!.host}`);
        resolve();
      })),
      compact: () => {},
    };
    const w = world(store, undefined, log);
    w.runtime.request('L1', '1', monitor as never);
    expect(w.log).toEqual([]);
    const fed = w.runtime.inputs;
    w.runtime.request('L1', '2', { service: 'MonitorStart', monitorObject: 'desk-102@example.com' } as never);
    expect(w.runtime.inputs).toBe(fed); // queued behind the save, not stepped
    let rounds = 0;
    while (resolvers.length > 0 && rounds++ < 100) {
      resolvers.shift()!();
      await new Promise((r) => setImmediate(r));
    }
    expect(w.runtime.inputs).toBe(fed + 1);
    // Both inputs' commands went out, each only after its own save was durable.
    const sends = w.log.filter((l) => l.startsWith('send'));
    expect(sends.length).toBeGreaterThan(1);
    w.log.forEach((line, i) => {
      if (line.startsWith('send')) expect(w.log[i - 1]).toMatch(/^durable cmd-/);
    });
  });

  it('a failed append stops the loop: nothing after it is carried out and the failure is reported', () => {
    const failures: string[] = [];
    const store: PairingStore = {
      load: () => ({}),
      append: () => { throw new Error('disk full'); },
      compact: () => {},
    };
    const w = world(store, (e) => failures.push(e.message));
    w.runtime.request('L1', '1', monitor as never);
    expect(w.log).toEqual([]);
    expect(failures).toEqual([expect.stringMatching(/pairings could not be saved: disk full/)]);
    const fed = w.runtime.inputs;
    w.runtime.request('L1', '2', monitor as never);
    expect(w.runtime.inputs).toBe(fed);
  });

  it('without a store, saves are not carried out and never reach the CSTA side', () => {
    const w = world(undefined);
    w.runtime.request('L1', '1', monitor as never);
    expect(w.log.some((l) => l.startsWith('send'))).toBe(true);
    expect(w.csta.some((o) => (o as { kind: string }).kind === 'pairings.save')).toBe(false);
  });

  it('open() hands the store\'s saved pairings to the connector', async () => {
    const saved: SavedPairings = {
      'desk-101@example.com': {
        host: 'desk-101@example.com', guest: 'agent-001@example.com', phase: 'seated',
        restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0,
      },
    };
    const store: PairingStore = { load: async () => structuredClone(saved), append: () => {}, compact: () => {} };
    const transport: XspTransport = { execute: () => new Promise(() => {}), start: () => {}, stop: async () => {} };
    const runtime = await ConnectorRuntime.open({ transport, onCsta: () => {}, store });
    expect(runtime.connector.pairings).toEqual(saved);
  });
});
