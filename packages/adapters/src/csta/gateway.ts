/**
 * The CSTA gateway assembled: an XSP side (a transport to a real XSP, or the simulator), the
 * connector's run loop, and the CSTA TCP server — the wiring `pnpm start` runs and the tests
 * drive with ports 0.
 *
 * Theory of operation: `ConnectorRuntime` owns the connector; its CSTA outputs go to the server,
 * which hands each to its link; requests and link closures come back the other way. The XSP
 * side is chosen by `xsp.kind`:
 *   - `model`      the simulator's pure model in process (ModelTransport): no HTTP at all;
 *   - `transport`  any XspTransport the caller built (Xsi over HTTP to the simulator's server or
 *                  a real XSP), with a line describing it.
 * Closing stops the CSTA server first (no new requests), then the run loop and its transport.
 */
import type { ConnectorConfig } from '@csta-bw/core';
import type { Directory, FaultProfile } from '@csta-bw/xsp-sim';
import { ModelTransport } from '../modelTransport.js';
import { ConnectorRuntime, type XspTransport } from '../runtime.js';
import { startCstaServer, type CstaServer, type CstaServerOptions } from './server.js';

export type XspSide =
  | { kind: 'model'; directory?: Directory; seed?: number; faults?: FaultProfile }
  | { kind: 'transport'; transport: XspTransport; description: string };

export interface GatewayOptions extends Omit<CstaServerOptions, 'host' | 'port'> {
  cstaHost?: string;
  /** 0 picks a free port; default 1040. */
  cstaPort?: number;
  xsp: XspSide;
  /** Appended to bare user parts (`desk-101` → `desk-101@<domain>`). */
  defaultDomain?: string;
  config?: Partial<ConnectorConfig>;
}

export interface Gateway {
  readonly csta: { host: string; port: number };
  /** What the connector talks to, for humans. */
  readonly xspDescription: string;
  /** Set for `xsp.kind = 'model'`: the in-process simulator (external changes, truth). */
  readonly model: ModelTransport | undefined;
  readonly runtime: ConnectorRuntime;
  readonly server: CstaServer;
  close(): Promise<void>;
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const log = opts.log ?? (() => {});
  const model = opts.xsp.kind === 'model'
    ? new ModelTransport({
      ...(opts.xsp.directory ? { directory: opts.xsp.directory } : {}),
      ...(opts.xsp.seed !== undefined ? { seed: opts.xsp.seed } : {}),
      ...(opts.xsp.faults ? { faults: opts.xsp.faults } : {}),
    })
    : undefined;
  const transport = model ?? (opts.xsp as Extract<XspSide, { kind: 'transport' }>).transport;
  const xspDescription = opts.xsp.kind === 'model' ? 'the simulator model, in process' : opts.xsp.description;
  const defaultDomain = opts.defaultDomain ?? (opts.xsp.kind === 'model' ? opts.xsp.directory?.domain : undefined);

  // The server is created after the runtime (it needs it), so outputs before that have nowhere
  // to go; there are none: no link exists before the server accepts one.
  let server: CstaServer | undefined;
  const runtime = new ConnectorRuntime({
    transport,
    config: { ...opts.config, ...(defaultDomain ? { defaultDomain } : {}) },
    onCsta: (o) => server?.deliver(o),
    onAlarm: (a) => log(`ALARM ${a.code}: ${a.message} (${a.userIds.join(', ')})`),
  });
  try {
    server = await startCstaServer(runtime, { ...opts, host: opts.cstaHost ?? '127.0.0.1', port: opts.cstaPort ?? 1040 });
  } catch (err) {
    await runtime.close();
    throw err;
  }
  const started = server;
  return {
    csta: { host: started.host, port: started.port },
    xspDescription,
    model,
    runtime,
    server: started,
    close: async () => {
      await started.close();
      await runtime.close();
    },
  };
}
