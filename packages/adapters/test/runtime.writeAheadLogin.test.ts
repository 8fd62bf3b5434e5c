/**
 * Write-ahead on the real connector (src/runtime.ts with the core's own pairings.save outputs):
 * a hoteling login and logout through the run loop, with a store that logs each durable write
 * into the same log as each command the transport sends. The desk's restore plan must be on
 * disk before the PUT that forwards the desk goes out, and the forgotten pairing after the
 * logout is durable too.
 */
import type { PairingChange, XsiCommand } from '@csta-bw/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelTransport } from '../src/modelTransport.js';
import { ConnectorRuntime, type CstaOutput, type XspTransport } from '../src/runtime.js';
import { foldChanges, type PairingStore } from '../src/store/pairingStore.js';

const DESK = 'desk-101@example.com';
const AGENT = 'agent-001@example.com';
const runtimes: ConnectorRuntime[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.close();
});

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('ConnectorRuntime write-ahead on the real connector', () => {
  it('the desk\'s restore plan is durable before the forward PUT; the logout\'s forgetting is durable too', async () => {
    const log: string[] = [];
    let saved = {};
    const store: PairingStore = {
      load: () => ({}),
      append: (changes: PairingChange[]) => {
        saved = foldChanges(saved, changes);
        for (const c of changes) log.push(`durable ${c.host} ${c.pairing ? `${c.pairing.phase} restore=${c.pairing.restore ? 'yes' : 'no'}` : 'forgotten'}`);
      },
      compact: () => {},
    };
    const model = new ModelTransport();
    const transport: XspTransport = {
      execute: (c: XsiCommand) => {
        if (c.op.startsWith('PUT')) log.push(`send ${c.op} ${c.userId}`);
        return model.execute(c);
      },
      start: (sink) => model.start(sink),
      stop: () => model.stop(),
    };
    const out: CstaOutput[] = [];
    const runtime = await ConnectorRuntime.open({ transport, store, onCsta: (o) => out.push(o) });
    runtimes.push(runtime);
    const answered = (id: string) => out.some((o) => (o.kind === 'csta.response' || o.kind === 'csta.error') && o.invokeId === id);

    runtime.request('L1', '1', { service: 'SetAgentState', device: DESK, requestedAgentState: 'loggedOn', agentID: AGENT } as never);
    await until(() => answered('1'), 10_000, 'the login answer');
    const forward = log.indexOf(`send PUT CallForwardingAlways ${DESK}`);
    expect(forward).toBeGreaterThan(0);
    // Some durable record of the desk, with its restore plan, precedes the forward PUT.
    expect(log.slice(0, forward).some((l) => l.startsWith(`durable ${DESK}`) && l.endsWith('restore=yes'))).toBe(true);
    expect(Object.keys(saved)).toEqual([DESK]);

    runtime.request('L1', '2', { service: 'SetAgentState', device: DESK, requestedAgentState: 'loggedOff', agentID: AGENT } as never);
    await until(() => answered('2'), 10_000, 'the logout answer');
    await until(() => Object.keys(saved).length === 0, 5_000, 'the pairing forgotten in the store');
    expect(log.at(-1)).toBe(`durable ${DESK} forgotten`);
  });
});
