/**
 * The CSTA TCP server: accepts client connections, gives each a link id (`tcp:1`, `tcp:2`, …),
 * and routes between links and the connector's run loop.
 *
 * Theory of operation: everything per connection lives in `CstaLink` (link.ts). The server only
 * (1) accepts and numbers links, (2) hands the connector's CSTA outputs to the link they name
 * (outputs for a link that is gone are dropped — its monitors die with it), and (3) tells the
 * connector when a link closes, so one bad or slow client never affects another.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
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
  /** Default 10 minutes; 0 disables. */
  idleTimeoutMs?: number;
  /** Default 1 MiB. */
  maxQueuedBytes?: number;
  log?: (line: string) => void;
}

export interface CstaServer {
  readonly host: string;
  readonly port: number;
  /** Hand one of the connector's CSTA outputs to its link. */
  deliver(output: CstaOutput): void;
  /** Open links by id (tests, status). */
  readonly links: ReadonlyMap<string, CstaLink>;
  close(): Promise<void>;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 600_000;
export const DEFAULT_MAX_QUEUED_BYTES = 1 << 20;

/** Listens and resolves once bound; rejects with the listen error (e.g. EADDRINUSE). */
export function startCstaServer(connector: CstaConnector, opts: CstaServerOptions = {}): Promise<CstaServer> {
  const log = opts.log ?? (() => {});
  const linkOptions: LinkOptions = {
    requireSession: opts.requireSession ?? false,
    session: {
      ...DEFAULT_SESSION_POLICY,
      ...opts.session,
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
    },
    idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxQueuedBytes: opts.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
  };
  const links = new Map<string, CstaLink>();
  let linkCount = 0;

  const server: Server = createServer((socket: Socket) => {
    const id = `tcp:${++linkCount}`;
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
  });

  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(opts.port ?? 1040, opts.host ?? '127.0.0.1', () => {
      server.off('error', onError);
      server.on('error', (err) => log(`CSTA server error: ${err.message}`));
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : (opts.port ?? 1040);
      resolve({
        host: opts.host ?? '127.0.0.1',
        port,
        links,
        deliver: (output) => links.get(output.link)?.deliver(output),
        close: () => new Promise<void>((done) => {
          for (const link of links.values()) link.close('gateway shutting down');
          server.close(() => done());
        }),
      });
    });
  });
}
