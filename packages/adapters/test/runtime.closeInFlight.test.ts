/**
 * A graceful close with a PUT of ours still on the wire is no clean stop (DESIGN §9): the XSP may
 * yet apply that PUT, so the next run must start as a restart (a fence against it and against
 * redeliveries). The run loop says whether it closed quietly; the journal store writes its
 * clean-shutdown marker only then.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { XsiCommand } from '@csta-bw/core';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelTransport } from '../src/modelTransport.js';
import { ConnectorRuntime, type CstaOutput, type XspTransport } from '../src/runtime.js';
import { JournalPairingStore } from '../src/store/journalStore.js';

const DESK = 'desk-101@example.com';
const AGENT = 'agent-001@example.com';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The simulator's model behind a transport that never answers the desk's forward PUT. */
function forwardNeverAnswered(): { transport: XspTransport; sent: () => boolean } {
  const model = new ModelTransport();
  let forwardSent = false;
  return {
    sent: () => forwardSent,
    transport: {
      execute: (c: XsiCommand) => {
        if (c.op === 'PUT CallForwardingAlways') {
          forwardSent = true;
          return new Promise(() => {});
        }
        return model.execute(c);
      },
      start: (sink) => model.start(sink),
      stop: () => model.stop(),
    },
  };
}

/** A journal store in a fresh dir, a runtime on it over `transport`, and a login sent to it. */
async function loginOn(transport: XspTransport) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csta-bw-close-'));
  dirs.push(dir);
  const store = JournalPairingStore.open({ dir });
  const out: CstaOutput[] = [];
  const runtime = await ConnectorRuntime.open({ transport, store, onCsta: (o) => out.push(o) });
  runtime.request('L1', '1', { service: 'SetAgentState', device: DESK, requestedAgentState: 'loggedOn', agentID: AGENT } as never);
  /** Stop as the gateway does (the runtime, then the store told how it closed); what the next open says of it. */
  const closeAndReopen = async (): Promise<{ quiet: boolean | undefined; cleanNextTime: boolean }> => {
    await runtime.close();
    store.close({ quiet: runtime.closedQuietly });
    const next = JournalPairingStore.open({ dir });
    const cleanNextTime = next.lastRunClosedCleanly();
    next.close();
    return { quiet: runtime.closedQuietly, cleanNextTime };
  };
  return { out, closeAndReopen };
}

describe('closing with a PUT on the wire', () => {
  it('the run loop did not close quietly, and the journal store is not marked clean: the next start is a restart', async () => {
    const { transport, sent } = forwardNeverAnswered();
    const { closeAndReopen } = await loginOn(transport);
    await until(sent, 10_000, 'the forward PUT on the wire');
    expect(await closeAndReopen()).toEqual({ quiet: false, cleanNextTime: false });
  });

  it('with nothing on the wire the close is quiet and the marker is written', async () => {
    const { out, closeAndReopen } = await loginOn(new ModelTransport());
    await until(() => out.some((o) => o.kind === 'csta.response' && o.invokeId === '1'), 10_000, 'the login answer');
    expect(await closeAndReopen()).toEqual({ quiet: true, cleanNextTime: true });
  });
});
