/**
 * Test harness for the CSTA gateway: starts `startGateway` (the wiring `pnpm start` uses) with
 * ports 0, connects raw TCP CSTA clients, and reaches the simulator — its external actors and
 * its truth — through one small interface (the simulator's `/_sim/` control API).
 */
import { CstaTcpClient, startGateway, type Gateway, type GatewayOptions, type ReceivedFrame } from '@csta-bw/adapters';
import type { CstaError, CstaEvent, CstaResponse } from '@csta-bw/core';
import type { ExternalAction, UserView } from '@csta-bw/xsp-sim';

export interface SimulatorHandle {
  external(action: ExternalAction): Promise<void>;
  view(userId: string): Promise<UserView | undefined>;
}

export interface Harness {
  gateway: Gateway;
  sim: SimulatorHandle;
  client(namespace?: string): Promise<CstaTcpClient>;
  close(): Promise<void>;
}

/**
 * The gateway as `pnpm start` wires it — the simulator's HTTP server and the connector talking
 * Xsi over HTTP to it — with every port 0. The simulator is reached through its `/_sim/` control
 * API, as any test harness would.
 */
export async function startHarness(opts: Partial<GatewayOptions> = {}): Promise<Harness> {
  const gateway = await startGateway({ cstaPort: 0, xsp: { kind: 'simulator', port: 0 }, ...opts });
  const simulator = gateway.simulator;
  if (!simulator) throw new Error('harness: the gateway started no simulator');
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const init: RequestInit = body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    const res = await fetch(`${simulator.url}/_sim/${path}`, init);
    const json: unknown = await res.json();
    if (res.status !== 200) throw new Error(`/_sim/${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  // Wait for the Xsi event channel: until then the connector cannot follow the XSP.
  await eventually(async () => ((await control('GET', 'health')) as { openChannels: number }).openChannels > 0 ? true : undefined);
  const clients: CstaTcpClient[] = [];
  return {
    gateway,
    sim: {
      external: async (action) => { await control('POST', 'external', action); },
      view: async (userId) => ((await control('GET', 'state')) as { users: Record<string, UserView> }).users[userId],
    },
    client: async (namespace) => {
      const c = await CstaTcpClient.connect(gateway.csta.host, gateway.csta.port, namespace);
      clients.push(c);
      return c;
    },
    close: async () => {
      await Promise.all(clients.map((c) => (c.closed ? undefined : c.close())));
      await gateway.close();
    },
  };
}

export function responseOf(f: ReceivedFrame): CstaResponse {
  if (!f.decoded.ok || f.decoded.kind !== 'response') throw new Error(`expected a response, got ${f.xml}`);
  return f.decoded.response;
}

export function errorOf(f: ReceivedFrame): CstaError {
  if (!f.decoded.ok || f.decoded.kind !== 'error') throw new Error(`expected a CSTAErrorCode, got ${f.xml}`);
  return f.decoded.error;
}

/** Events received so far, as (crossRef, event) pairs, in order. */
export function eventsOf(c: CstaTcpClient): { crossRef: string; event: CstaEvent }[] {
  const out: { crossRef: string; event: CstaEvent }[] = [];
  for (const f of c.received) {
    if (f.decoded.ok && f.decoded.kind === 'event') out.push({ crossRef: f.decoded.monitorCrossRefID, event: f.decoded.event });
  }
  return out;
}

export function waitForEvent(c: CstaTcpClient, name: CstaEvent['name'], crossRef: string, timeoutMs = 5000): Promise<ReceivedFrame> {
  return c.waitFor((f) => f.decoded.ok && f.decoded.kind === 'event' && f.decoded.event.name === name
    && f.decoded.monitorCrossRefID === crossRef && f.invokeId === '9999', timeoutMs);
}

/** Resolves when `check` holds (polling), or rejects after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One request, its answer. */
export async function ask(c: CstaTcpClient, request: Parameters<CstaTcpClient['send']>[0]): Promise<ReceivedFrame> {
  const { invokeId } = c.send(request);
  return c.answerTo(invokeId);
}
