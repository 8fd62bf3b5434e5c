/**
 * The simulator as a real XSP over HTTP (`node:http`, no framework): Xsi-Actions, Xsi-Events
 * with streaming channels, and the `/_sim/` control API, over the pure model driven by real time
 * (liveXsp.ts).
 *
 * Theory of operation
 * - One `LiveXsp` holds the model state; routes read it and replace it with the model's pure
 *   functions, then let it pump (deliver what is due).
 * - `/_sim/…` goes to controlRoutes.ts; the Xsi paths to xsiRoutes.ts; anything else is 404 with
 *   an ErrorInfo body.
 * - Every request is journaled (method, path, status, ms) when its answer ends — a channel when
 *   its stream starts — and logged through `log`. Credentials are never journaled or logged.
 * - A handler that throws is answered 500 (ErrorInfo) and logged: the server keeps serving.
 * - Cluster (`nodes` > 1): one listener per node, ports P…P+N−1 (or `nodePorts`), all over the
 *   same `LiveXsp` — N XSPs in front of one Application Server. Each listener tells the routes
 *   which node took the request; `/_sim/` answers on every port whatever the node's state.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { defaultDirectory, type Directory } from '../model/directory.js';
import type { FaultProfile } from '../model/faults.js';
import type { XspState } from '../model/state.js';
import { handleControl, JOURNAL_LIMIT, type Cluster, type JournalEntry } from './controlRoutes.js';
import { clientErrorAnswer, framingProblem, isPoisoned, poison } from './framing.js';
import { httpError, sendOutcomeError, xspError } from './httpIo.js';
import { LiveXsp } from './liveXsp.js';
import { handleXsi, isXsiPath } from './xsiRoutes.js';

export interface XspServerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 8080; 0 = any free port). */
  port?: number;
  /** PRNG seed of the model (default 1). */
  seed?: number;
  /** Users and services (default: defaultDirectory(), DESIGN §6.5). */
  directory?: Directory;
  /** Fault profile (default none). */
  faults?: FaultProfile;
  /** A channel with no heartbeat for this long is terminated (default 30 s). */
  eventTimeoutSeconds?: number;
  /** One line per request and per notable event (default: silent). */
  log?: (line: string) => void;
  /**
   * Wall-clock ms (Unix epoch) of the model's virtual time 0: every date the simulator prints is
   * epoch + virtual time. Default: the real start time (and the real time of each reset).
   */
  epoch?: number;
  /** XSP nodes in front of the one model (default 1; at most MAX_NODES). */
  nodes?: number;
  /** One port per node (default: `port`, `port`+1, …; all 0 when `port` is 0). */
  nodePorts?: number[];
}

/** Largest cluster the simulator serves. */
export const MAX_NODES = 16;

export interface XspServer {
  /** `http://HOST:PORT` of node 0. */
  url: string;
  port: number;
  /** Every node's URL, node 0 first. */
  urls: string[];
  ports: number[];
  close(): Promise<void>;
  /** Current model state (read-only), for tests. */
  readonly state: XspState;
}

export { LOST_ANSWER_MS } from './liveXsp.js';
export { decideActions, encodeResultBody, outcomeAnswer, type ActionsDecision, type OutcomeAnswer } from './actionsRequest.js';
export { HTTP_ERRORS, MAX_BODY_BYTES } from './httpIo.js';
export { parseExternalAction, JOURNAL_LIMIT, type JournalEntry } from './controlRoutes.js';

/** Starts listening; rejects with a clear Error when the port is busy or the options are bad. */
export function startXspServer(opts: XspServerOptions = {}): Promise<XspServer> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 8080;
  const nodes = opts.nodes ?? 1;
  const eventTimeoutSeconds = opts.eventTimeoutSeconds ?? 30;
  const validPort = (p: unknown): boolean => Number.isInteger(p) && (p as number) >= 0 && (p as number) <= 65535;
  if (!validPort(port)) return Promise.reject(new Error(`port must be an integer from 0 to 65535, got ${String(port)}`));
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_NODES) return Promise.reject(new Error(`nodes must be an integer from 1 to ${MAX_NODES}, got ${String(nodes)}`));
  if (opts.nodePorts !== undefined && opts.nodePorts.length !== nodes) return Promise.reject(new Error(`nodePorts must give one port per node (${nodes}), got ${opts.nodePorts.length}`));
  const ports = opts.nodePorts ?? Array.from({ length: nodes }, (_, i) => (port === 0 ? 0 : port + i));
  const badPort = ports.find((p) => !validPort(p));
  if (badPort !== undefined) return Promise.reject(new Error(`node ports must be integers from 0 to 65535, got ${String(badPort)}`));
  if (!(eventTimeoutSeconds > 0)) return Promise.reject(new Error(`eventTimeoutSeconds must be positive, got ${String(eventTimeoutSeconds)}`));
  if (opts.epoch !== undefined && !(Number.isSafeInteger(opts.epoch) && Math.abs(opts.epoch) <= 8.64e15)) return Promise.reject(new Error(`epoch must be an integer count of ms since 1970 within the Date range, got ${String(opts.epoch)}`));
  const log = opts.log ?? (() => {});
  const live = new LiveXsp({
    directory: opts.directory ?? defaultDirectory(),
    seed: opts.seed ?? 1,
    faults: opts.faults ?? 'none',
    eventTimeoutSeconds,
    log,
    nodes,
    ...(opts.epoch !== undefined ? { epoch: opts.epoch } : {}),
  });
  const journal: JournalEntry[] = [];
  const servers: Server[] = [];
  const urls: string[] = [];
  const cluster: Cluster = {
    urls,
    down(i, how = 'crash') {
      live.nodeDown(i, how);
      if (how === 'crash') servers[i]?.closeIdleConnections(); // kept-alive sockets die with the node too
    },
    up: (i) => live.nodeUp(i),
    condition: (i, change) => live.nodeCondition(i, change),
  };

  /** Journals the request when its answer ends; the returned function journals it now (streams). */
  const record = (req: IncomingMessage, res: ServerResponse, startedAt: number, arrived: Date, node: number): (() => void) => {
    let done = false;
    const write = (): void => {
      if (done) return;
      done = true;
      const entry: JournalEntry = {
        at: arrived.toISOString(),
        method: req.method ?? '?',
        path: req.url ?? '/',
        status: res.headersSent ? res.statusCode : 0,
        ms: Math.round(performance.now() - startedAt),
        ...(nodes > 1 ? { node } : {}),
      };
      journal.push(entry);
      if (journal.length > JOURNAL_LIMIT) journal.splice(0, journal.length - JOURNAL_LIMIT);
      log(`${nodes > 1 ? `[node ${entry.node ?? 0}] ` : ''}${entry.method} ${entry.path} ${entry.status || 'dropped'} ${entry.ms} ms`);
    };
    res.on('finish', write);
    res.on('close', write);
    return write;
  };

  const serve = (node: number) => (req: IncomingMessage, res: ServerResponse): void => {
    if (isPoisoned(req.socket)) return void req.socket.destroy(); // read behind a refused request
    const journalNow = record(req, res, performance.now(), new Date(), node);
    const path = req.url ?? '/';
    const problem = framingProblem(req);
    if (problem !== undefined) {
      poison(req.socket);
      res.shouldKeepAlive = false;
      res.on('finish', () => req.socket.destroy());
      return sendOutcomeError(res, httpError('MALFORMED_REQUEST', problem));
    }
    const route = path.toLowerCase().startsWith('/_sim/') || path.toLowerCase() === '/_sim'
      ? handleControl(live, journal, req, res, cluster)
      : isXsiPath(path)
        ? handleXsi(live, req, res, journalNow, node)
        : Promise.resolve(sendOutcomeError(res, httpError('NO_SUCH_RESOURCE', path.split('?')[0])));
    route.catch((e: unknown) => {
      log(`internal error on ${req.method ?? '?'} ${path}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      sendOutcomeError(res, xspError('INTERNAL_ERROR', 'the simulator failed on this request (see its log)'));
      if (!res.writableEnded) res.end();
    });
  };

  for (let node = 0; node < nodes; node++) {
    // Lenient parsing serves bare-LF requests; framing.ts refuses the ambiguous lengths it lets in.
    const server = createServer({ noDelay: true, insecureHTTPParser: true }, serve(node));
    // Bytes the parser refuses get a 400 with an ErrorInfo (framing.ts), are journaled, and the
    // connection closes; nothing else is affected.
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      const entry: JournalEntry = { at: new Date().toISOString(), method: '?', path: '?', status: socket.writable ? 400 : 0, ms: 0 };
      journal.push(entry);
      if (journal.length > JOURNAL_LIMIT) journal.splice(0, journal.length - JOURNAL_LIMIT);
      log(`unparsable request ${entry.status || 'dropped'}: ${err.code ?? err.message}`);
      if (socket.writable) socket.end(clientErrorAnswer(err.code ?? 'parse error'));
      else socket.destroy();
    });
    servers.push(server);
  }

  const closeAll = (): Promise<void> =>
    Promise.all(servers.map((server) => new Promise<void>((done) => {
      if (!server.listening) return done();
      server.close(() => done());
      server.closeAllConnections();
    }))).then(() => undefined);

  const listen = (server: Server, p: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        if (err.code === 'EADDRINUSE') reject(new Error(`cannot listen on ${host}:${p}: the port is already in use`));
        else if (err.code === 'EACCES') reject(new Error(`cannot listen on ${host}:${p}: permission denied`));
        else reject(new Error(`cannot listen on ${host}:${p}: ${err.message}`));
      };
      server.once('error', onError);
      server.listen(p, host, () => {
        server.off('error', onError);
        server.on('error', (err) => log(`server error: ${err.message}`));
        resolve((server.address() as AddressInfo).port);
      });
    });

  return (async () => {
    const bound: number[] = [];
    try {
      for (let i = 0; i < nodes; i++) bound.push(await listen(servers[i]!, ports[i]!));
    } catch (err) {
      live.shutdown();
      await closeAll();
      throw err;
    }
    const urlHost = host.includes(':') ? `[${host}]` : host;
    urls.push(...bound.map((p) => `http://${urlHost}:${p}`));
    return {
      url: urls[0]!,
      port: bound[0]!,
      urls: [...urls],
      ports: bound,
      get state() {
        return live.state;
      },
      close: async () => {
        live.shutdown();
        await closeAll();
      },
    };
  })();
}
