/**
 * `pnpm sim` — the simulated BroadWorks XSP over HTTP, for integration tests of any Xsi client.
 *
 *   pnpm sim [--host 127.0.0.1] [--port 8080] [--seed N] [--directory FILE] [--faults none|flaky|hostile]
 *            [--event-timeout SECONDS] [--epoch ISO] [--nodes N] [--node-ports P,P,…] [--quiet]
 *
 * Prints where it listens, the admin credentials and an example curl; logs one line per request.
 * Exits 2 on a bad flag or directory file, 1 when it cannot listen (busy port); stops on
 * SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { FAULT_PROFILES, MAX_NODES, startXspServer, validateDirectory, type Directory, type FaultProfile, type XspServerOptions } from '@csta-bw/xsp-sim';
import { parseEpoch } from './epoch.js';
import { printHelp, usageFailure, type Fail } from './flags.js';

const USAGE = `Usage: pnpm sim [options]

A simulated BroadWorks XSP (Xsi-Actions, Xsi-Events, /_sim/ control API).

Options:
  --host HOST            interface to listen on (default 127.0.0.1)
  --port PORT            TCP port, 0 = any free port (default 8080)
  --seed N               PRNG seed: same seed + same requests = same ids and faults (default 1)
  --directory FILE       users and services as JSON (default: the built-in directory,
                         desk-101..110 and agent-001..050 @example.com, password "secret")
  --faults PROFILE       none | flaky | hostile (default none)
  --event-timeout S      close a channel after S seconds without heartbeat (default 30)
  --epoch ISO            the wall-clock instant virtual time 0 stands for, e.g. 2025-06-30T09:00:00Z:
                         every date the simulator prints counts from it (default: now, at start and
                         at each /_sim/reset). Same seed + epoch + requests = same bytes.
  --nodes N              serve the one model as a cluster of N XSP nodes (1-16, default 1), on
                         ports PORT..PORT+N-1: a channel set may hold one channel per node, and
                         /_sim/nodes/{i}/down|up takes a node down and back (see the README)
  --node-ports P,P,...   the nodes' ports, one per node (instead of PORT..PORT+N-1)
  --quiet                do not log each request
  --help                 this text
`;

const fail: Fail = usageFailure('pnpm sim', 'Try "pnpm sim --help".\n');

function parseArgs(argv: string[]): XspServerOptions & { quiet: boolean } {
  const opts: XspServerOptions & { quiet: boolean } = { quiet: false };
  const valueOf = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) fail(`${flag} needs a value`);
    return v;
  };
  const integer = (text: string, flag: string, min: number, max: number): number => {
    const n = Number(text);
    if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) fail(`${flag} must be an integer from ${min} to ${max}, got "${text}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // pnpm passes a literal "--" through when the user writes `pnpm sim -- --port 1`.
    if (arg === '--') continue;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = valueOf(i, flag);
      i++;
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        printHelp(USAGE);
      case '--host': {
        const v = value();
        if (v === '') fail('--host must not be empty');
        opts.host = v;
        break;
      }
      case '--port':
        opts.port = integer(value(), '--port', 0, 65535);
        break;
      case '--seed':
        opts.seed = integer(value(), '--seed', 0, 2 ** 32 - 1);
        break;
      case '--event-timeout':
        opts.eventTimeoutSeconds = integer(value(), '--event-timeout', 1, 86_400);
        break;
      case '--faults': {
        const v = value();
        if (!FAULT_PROFILES.includes(v as FaultProfile)) fail(`--faults must be one of ${FAULT_PROFILES.join(', ')}, got "${v}"`);
        opts.faults = v as FaultProfile;
        break;
      }
      case '--directory':
        opts.directory = loadDirectory(value());
        break;
      case '--epoch': {
        const epoch = parseEpoch(value());
        if (typeof epoch === 'object') fail(epoch.error);
        opts.epoch = epoch;
        break;
      }
      case '--nodes':
        opts.nodes = integer(value(), '--nodes', 1, MAX_NODES);
        break;
      case '--node-ports': {
        const v = value();
        opts.nodePorts = v.split(',').map((p) => integer(p.trim(), '--node-ports (each)', 0, 65535));
        break;
      }
      case '--quiet':
        opts.quiet = true;
        break;
      default:
        fail(`unknown option "${arg}"`);
    }
  }
  if (opts.nodePorts !== undefined) {
    opts.nodes ??= opts.nodePorts.length;
    if (opts.nodePorts.length !== opts.nodes) fail(`--node-ports gives ${opts.nodePorts.length} port(s) for --nodes ${opts.nodes}: give one per node`);
  }
  return opts;
}

function loadDirectory(file: string): Directory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read --directory ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`--directory ${file} is not JSON: ${(e as Error).message}`);
  }
  const directory = validateDirectory(json);
  if ('error' in directory) fail(`--directory ${file}: ${directory.error}`);
  return directory;
}

const opts = parseArgs(process.argv.slice(2));
const stamp = (): string => new Date().toISOString().slice(11, 23);
let server;
try {
  server = await startXspServer({ ...opts, log: opts.quiet ? () => {} : (line) => process.stdout.write(`${stamp()} ${line}\n`) });
} catch (e) {
  process.stderr.write(`pnpm sim: ${(e as Error).message}\n`);
  process.exit(1);
}
const admin = opts.directory?.adminUserId ?? 'admin@example.com';
const adminPassword = opts.directory?.adminPassword ?? 'secret';
process.stdout.write(
  `csta-bw XSP simulator listening on ${server.url}  (seed ${opts.seed ?? 1}, faults ${opts.faults ?? 'none'}, epoch ${new Date(opts.epoch ?? Date.now()).toISOString()}${opts.epoch === undefined ? ' = now' : ''})\n` +
    `  Xsi-Actions  ${server.url}/com.broadsoft.xsi-actions/v2.0/user/<userId>/...\n` +
    `  Xsi-Events   ${server.url}/com.broadsoft.xsi-events/v2.0/...   channel: ${server.url}/com.broadsoft.async/com.broadsoft.xsi-events/v2.0/channel\n` +
    (server.urls.length > 1 ? server.urls.map((u, i) => `  Node ${i}       ${u}\n`).join('') + `  Nodes        ${server.url}/_sim/nodes (GET), /_sim/nodes/{i}/down|up (POST), /_sim/nodes/{i} {"latencyMs","unavailable"} (PUT)\n` : '') +
    `  Control API  ${server.url}/_sim/health, /_sim/state, /_sim/journal, ... (no credentials; keep it on loopback)\n` +
    `  Admin        ${admin} / ${adminPassword}   (every user of the default directory: password "secret")\n` +
    `Try:\n  curl -u ${admin}:${adminPassword} ${server.url}/com.broadsoft.xsi-actions/v2.0/user/agent-001@example.com/services/HotelingGuest\n`,
);

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`${signal}: shutting down\n`);
  void server.close().then(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
