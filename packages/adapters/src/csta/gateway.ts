/**
 * The CSTA gateway assembled: an XSP side (a transport to a real XSP, or the simulator), the
 * connector's run loop, and the CSTA TCP server — the wiring `pnpm start` runs and the tests
 * drive with ports 0.
 *
 * Theory of operation: `ConnectorRuntime` owns the connector; its CSTA outputs go to the server,
 * which hands each to its link; requests and link closures come back the other way. The XSP
 * side is chosen by `xsp.kind`:
 *   - `simulator`  the production path on the embedded simulator: the simulator's HTTP server,
 *                  and the connector talking Xsi over HTTP to it as the group admin;
 *   - `xsp`        a real XSP at `url`, over Xsi HTTP, with the given credentials;
 *   - `model`      the simulator's pure model in process (ModelTransport): no HTTP at all;
 *   - `transport`  any XspTransport the caller built, with a line describing it.
 * With a `store`, the run loop starts from the pairings it saved and writes ahead to it (§9).
 * Closing stops the CSTA server first (no new requests), then the run loop and its transport,
 * then the store and the embedded simulator.
 */
import type { ConnectorConfig } from '@csta-bw/core';
import { defaultDirectory, startXspServer, type Directory, type FaultProfile, type XspServer } from '@csta-bw/xsp-sim';
import { ModelTransport } from '../modelTransport.js';
import { createXsiHttpTransport } from '../xsi/transport.js';
import { ConnectorRuntime, type XspTransport } from '../runtime.js';
import type { PairingStore } from '../store/pairingStore.js';
import { startCstaServer, type CstaServer, type CstaServerOptions } from './server.js';

export type XspSide =
  /** `epoch`: the wall-clock ms virtual time 0 stands for (default: the real start time). */
  /** `nodes`: the simulator as a cluster of that many XSPs (ports `port`…), one channel on each. */
  | { kind: 'simulator'; host?: string; port?: number; directory?: Directory; seed?: number; faults?: FaultProfile; epoch?: number; nodes?: number }
  /** `group`: the group `user` administers — its Hoteling Guest events are followed and numbers
   *  are learnt from its directory; without it numbers are searched in `user`'s own Group directory. */
  /** `url`: one XSP, or one URL per XSP of a redundant deployment (one channel set over all). */
  | { kind: 'xsp'; url: string | readonly string[]; user: string; password: string; group?: { serviceProviderId: string; groupId: string } }
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
  /** Where pairings are made durable before they are acted on; the gateway closes it on close. */
  store?: PairingStore;
  /** The store failed a save: the connector has stopped acting; the owner should exit. Default: log. */
  onStoreFailure?: (err: Error) => void;
}

export interface Gateway {
  readonly csta: { host: string; port: number };
  /** The CSTA-over-TLS listener, when `tls` was given. */
  readonly tls: { host: string; port: number } | undefined;
  /** What the connector talks to, for humans. */
  readonly xspDescription: string;
  /** Set for `xsp.kind = 'model'`: the in-process simulator (external changes, truth). */
  readonly model: ModelTransport | undefined;
  /** Set for `xsp.kind = 'simulator'`: the embedded simulator's HTTP server (`/_sim/` control API). */
  readonly simulator: XspServer | undefined;
  readonly runtime: ConnectorRuntime;
  readonly server: CstaServer;
  close(): Promise<void>;
}

/** Stable across restarts, so a real XSP keeps our subscriptions in one set (reference/xsi.md §5.2). */
export const GATEWAY_CHANNEL_SET_ID = 'csta-bw-gateway';

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const log = opts.log ?? (() => {});
  const side = opts.xsp;
  let simulator: XspServer | undefined;
  let model: ModelTransport | undefined;
  let transport: XspTransport;
  let xspDescription: string;
  let domain: string | undefined;
  // With a known directory, follow the whole group's Hoteling Guest events (connector config.groupEvents).
  let groupEvents: ConnectorConfig['groupEvents'];
  // Where numbers are learnt when no group is known (the connector's default is groupEvents' group).
  let numberPlan: ConnectorConfig['numberPlan'];
  switch (side.kind) {
    case 'simulator': {
      const directory = side.directory ?? defaultDirectory();
      simulator = await startXspServer({
        host: side.host ?? '127.0.0.1',
        port: side.port ?? 8080,
        directory,
        ...(side.seed !== undefined ? { seed: side.seed } : {}),
        ...(side.faults ? { faults: side.faults } : {}),
        ...(side.epoch !== undefined ? { epoch: side.epoch } : {}),
        ...(side.nodes !== undefined ? { nodes: side.nodes } : {}),
      });
      transport = createXsiHttpTransport({
        baseUrl: simulator.urls, user: directory.adminUserId, password: directory.adminPassword, channelSetId: GATEWAY_CHANNEL_SET_ID,
      });
      xspDescription = `XSP simulator ${simulator.urls.join(', ')} (Xsi over HTTP as ${directory.adminUserId})`;
      domain = directory.domain;
      groupEvents = { subscriber: directory.adminUserId, serviceProviderId: directory.domain, groupId: directory.groupId };
      break;
    }
    case 'xsp':
      transport = createXsiHttpTransport({ baseUrl: side.url, user: side.user, password: side.password, channelSetId: GATEWAY_CHANNEL_SET_ID });
      xspDescription = `XSP ${typeof side.url === 'string' ? side.url : side.url.join(', ')} (Xsi over HTTP as ${side.user})`;
      // A user id's domain is the XSP's: bare ids get it unless --default-domain says otherwise.
      if (side.user.includes('@')) domain = side.user.slice(side.user.indexOf('@') + 1);
      if (side.group) groupEvents = { subscriber: side.user, ...side.group };
      else numberPlan = { requester: side.user };
      break;
    case 'model':
      model = new ModelTransport({
        ...(side.directory ? { directory: side.directory } : {}),
        ...(side.seed !== undefined ? { seed: side.seed } : {}),
        ...(side.faults ? { faults: side.faults } : {}),
      });
      transport = model;
      xspDescription = 'the simulator model, in process (no HTTP)';
      domain = side.directory?.domain;
      break;
    case 'transport':
      transport = side.transport;
      xspDescription = side.description;
      break;
  }
  const defaultDomain = opts.defaultDomain ?? domain;

  // The server is created after the runtime (it needs it), so outputs before that have nowhere
  // to go; there are none: no link exists before the server accepts one.
  let server: CstaServer | undefined;
  let runtime: ConnectorRuntime;
  try {
    runtime = await ConnectorRuntime.open({
      transport,
      config: { ...(groupEvents ? { groupEvents } : {}), ...(numberPlan ? { numberPlan } : {}), ...opts.config, ...(defaultDomain ? { defaultDomain } : {}) },
      onCsta: (o) => server?.deliver(o),
      onAlarm: (a) => log(`ALARM ${a.code}: ${a.message} (${a.userIds.join(', ')})`),
      ...(opts.store ? { store: opts.store } : {}),
      onStoreFailure: opts.onStoreFailure ?? ((e) => log(`FATAL ${e.message}`)),
    });
  } catch (err) {
    await simulator?.close();
    throw err;
  }
  try {
    server = await startCstaServer(runtime, { ...opts, host: opts.cstaHost ?? '127.0.0.1', port: opts.cstaPort ?? 1040 });
  } catch (err) {
    await runtime.close();
    await simulator?.close();
    throw err;
  }
  const started = server;
  return {
    csta: { host: started.host, port: started.port },
    tls: started.tls,
    xspDescription,
    model,
    simulator,
    runtime,
    server: started,
    close: async () => {
      await started.close();
      await runtime.close();
      await opts.store?.close?.({ quiet: runtime.closedQuietly });
      await simulator?.close();
    },
  };
}
