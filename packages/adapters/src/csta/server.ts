/**
 * The CSTA server: accepts client connections on TCP and, when configured, on TLS (node:tls; issue
 * 12 item 10), gives each a link id (`tcp:1`, `tls:2`, …), and routes between links and the
 * connector's run loop.
 *
 * Theory of operation: everything per connection lives in `CstaLink` (link.ts); a TLS link is the
 * same link over a TLSSocket. The server only (1) accepts and numbers links, (2) hands the
 * connector's CSTA outputs to the link they name (outputs for a link that is gone are dropped —
 * its monitors die with it), and (3) tells the connector when a link closes, so one bad or slow
 * client never affects another. Closing ends every link's ECMA-354 session with a server reason
 * (ApplicationSessionTerminated) before the sockets close.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { CstaRequest } from '@csta-bw/core';
import type { CstaOutput } from '../runtime.js';
import { CstaLink, type LinkOptions } from './link.js';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from './session.js';

/** The part of the run loop the server drives (ConnectorRuntime fits). */
export interface CstaConnector {
  request(link: string, invokeId: string, request: CstaRequest): void;
  linkClosed(link: string): void;
}

export interface CstaServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  requireSession?: boolean;
  /** Checked on StartApplicationSession when set. */
  credentials?: { user: string; password: string };
  session?: Partial<Omit<SessionPolicy, 'credentials'>>;
  /** Probe a link quiet for this long with SystemStatus (default 60 s; 0 disables probing). */
  keepaliveMs?: number;
  /** Close a link when a probe is due and this many are unanswered (default 3). */
  keepaliveTolerance?: number;
  /** Send SystemStatus as soon as a link opens (default off). */
  statusOnConnect?: boolean;
  /** A TLS listener besides the plain one: port (0 picks one), PEM certificate chain and key. */
  tls?: { port: number; cert: string | Buffer; key: string | Buffer };
  /**
   * Deprecated: the 10-minute idle drop was replaced by keep-alive probes. Only `0` is still
   * honoured, meaning "never close a quiet link" (= keepaliveMs 0).
   */
  idleTimeoutMs?: number;
  /** Default 1 MiB. */
  maxQueuedBytes?: number;
  log?: (line: string) => void;
}

export interface CstaServer {
  readonly host: string;
  readonly port: number;
  /** The TLS listener, when configured. */
  readonly tls: { host: string; port: number } | undefined;
  /** Hand one of the connector's CSTA outputs to its link. */
  deliver(output: CstaOutput): void;
  /** Open links by id (tests, status). */
  readonly links: ReadonlyMap<string, CstaLink>;
  close(): Promise<void>;
}

export const DEFAULT_KEEPALIVE_MS = 60_000;
export const DEFAULT_KEEPALIVE_TOLERANCE = 3;
export const DEFAULT_MAX_QUEUED_BYTES = 1 << 20;

/** Listens and resolves once bound; rejects with the listen error (e.g. EADDRINUSE). */
export async function startCstaServer(connector: CstaConnector, opts: CstaServerOptions = {}): Promise<CstaServer> {
  const log = opts.log ?? (() => {});
  const linkOptions: LinkOptions = {
    requireSession: opts.requireSession ?? false,
    session: {
      ...DEFAULT_SESSION_POLICY,
      ...opts.session,
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
    },
    keepaliveMs: opts.keepaliveMs ?? (opts.idleTimeoutMs === 0 ? 0 : DEFAULT_KEEPALIVE_MS),
    keepaliveTolerance: opts.keepaliveTolerance ?? DEFAULT_KEEPALIVE_TOLERANCE,
    statusOnConnect: opts.statusOnConnect ?? false,
    maxQueuedBytes: opts.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
  };
  const links = new Map<string, CstaLink>();
  let linkCount = 0;

  const accept = (kind: 'tcp' | 'tls') => (socket: Socket) => {
    const id = `${kind}:${++linkCount}`;
    log(`${id} connected from ${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`);
    const link = new CstaLink(id, socket, linkOptions, {
      request: (link, invokeId, request) => connector.request(link, invokeId, request),
      forget: (link) => connector.linkClosed(link),
      closed: (link, reason) => {
        links.delete(link);
        log(`${link} closed: ${reason}`);
        connector.linkClosed(link);
      },
      freshSessionId: () => randomUUID(),
      log,
    });
    links.set(id, link);
    link.open();
  };
  const server: Server = createServer(accept('tcp'));
  let tlsServer: Server | undefined;
  if (opts.tls) {
    tlsServer = createTlsServer({ cert: opts.tls.cert, key: opts.tls.key }, accept('tls'));
    // A handshake that fails (plain TCP on the TLS port, a bad client) costs only that connection.
    tlsServer.on('tlsClientError', (err) => log(`TLS handshake failed: ${err.message}`));
  }
  const host = opts.host ?? '127.0.0.1';
  const listen = (s: Server, port: number) => new Promise<number>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    s.once('error', onError);
    s.listen(port, host, () => {
      s.off('error', onError);
      s.on('error', (err) => log(`CSTA server error: ${err.message}`));
      const address = s.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
  const closeServer = (s: Server | undefined) => new Promise<void>((done) => (s ? s.close(() => done()) : done()));

  const port = await listen(server, opts.port ?? 1040);
  let tlsPort: number | undefined;
  if (tlsServer && opts.tls) {
    try {
      tlsPort = await listen(tlsServer, opts.tls.port);
    } catch (err) {
      await closeServer(server);
      throw err;
    }
  }
  return {
    host,
    port,
    tls: tlsPort === undefined ? undefined : { host, port: tlsPort },
    links,
    deliver: (output) => links.get(output.link)?.deliver(output),
    close: async () => {
      for (const link of links.values()) link.shutdown('gateway shutting down');
      await Promise.all([closeServer(server), closeServer(tlsServer)]);
    },
  };
}
