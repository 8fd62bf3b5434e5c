/**
 * `pnpm start` — the main job: csta-bw as a runnable CTI gateway.
 *
 * Default: the XSP simulator with the default directory, the connector driving it, and CSTA
 * (ECMA-323 XML over TCP, 8-byte framing) on 127.0.0.1:1040. With `--xsp-url` it drives a real
 * XSP instead and starts no simulator, and keeps the connector's pairings durable in a state dir
 * (--state-dir, default ./csta-bw-state; DESIGN §9) so a crash or restart loses nothing.
 * Prints what listens where and how to try it; stops cleanly on SIGINT/SIGTERM; a bad flag, a
 * busy port or a damaged state dir exits non-zero with a clear message.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { JournalPairingStore, startGateway, type Gateway, type XspSide } from '@csta-bw/adapters';
import { parseEpoch } from './epoch.js';
import { parseFlags, portNumber, printHelp, usageFailure, wholeNumber, type Fail } from './flags.js';

const DEFAULT_STATE_DIR = './csta-bw-state';

const USAGE = `Usage: pnpm start [-- options]

Runs the csta-bw CSTA gateway.

Options:
  --csta-port N         CSTA TCP port (default 1040; host 127.0.0.1)
  --sim-port N          port of the embedded XSP simulator (default 8080)
  --epoch ISO           the embedded simulator's wall-clock instant for virtual time 0, e.g.
                        2025-06-30T09:00:00Z, so its dates are reproducible (default: now)
  --sim-nodes N         run the embedded simulator as a cluster of N XSP nodes (1-16, default 1) on
                        ports --sim-port.. --sim-port+N-1; the connector opens one event channel on
                        each, in one channel set, and fails over between them
  --xsp-url URL         drive a real XSP at URL instead of the simulator (no simulator started);
                        repeat it for a redundant deployment (one channel per XSP, one channel set)
  --xsp-user U          Xsi user for --xsp-url (or env XSP_USER)
  --xsp-password P      Xsi password for --xsp-url (or env XSP_PASSWORD)
  --xsp-group SP/GROUP  with --xsp-url: the service provider and group the Xsi user administers;
                        the group's Hoteling Guest events are followed and numbers are learnt
                        from its directory. Without it, numbers are searched in the Xsi user's
                        own Group directory
  --state-dir DIR       with --xsp-url: where the connector's pairings (each desk it seated an
                        agent at, its forwarding before, the undo still owed) are journalled
                        before it acts, so a crash or restart loses nothing (default
                        ${DEFAULT_STATE_DIR}). Not with the embedded simulator: its state dies with
                        this process, so saved pairings would describe a world that is gone —
                        run \`pnpm sim\` and point --xsp-url at it instead
  --no-state            with --xsp-url: keep pairings in memory only (a crash can leave a desk
                        forwarded to an agent who sits nowhere)
  --default-domain D    domain appended to bare user ids (default: the --xsp-user's domain, or
                        example.com on the simulator)
  --require-session     refuse CSTA requests before an ECMA-354 StartApplicationSession
  --status-on-connect   send SystemStatus normal as soon as a CSTA link opens (OpenScape Voice
                        clients wait for it); off by default. Either way every new link gets
                        SystemStatus right after its first answer (Genesys T-Server needs it)
  --keepalive S         probe a CSTA link quiet for S seconds with SystemStatus (default 60;
                        0 = never probe, never close a quiet link)
  --keepalive-tolerance N
                        close a link only when N probes went unanswered (default 3)
  --csta-tls-port N     also serve CSTA over TLS on port N (needs --tls-cert and --tls-key)
  --tls-cert FILE       PEM certificate (chain) for --csta-tls-port
  --tls-key FILE        PEM private key for --csta-tls-port
  --verbose             log every link opened and closed, and every refused frame
  --help                show this text
`;

const fail: Fail = usageFailure('pnpm start', `\n${USAGE}\n`);
const port = (value: string | undefined, flag: string, fallback: number): number => portNumber(fail, value, flag, fallback);
/** A whole number in [0, max], or the fallback when the flag is absent. */
const count = (value: string | undefined, flag: string, fallback: number, max: number): number => wholeNumber(fail, value, flag, fallback, 0, max);

/** --csta-tls-port with its certificate and key, read now so a bad file stops us before listening. */
function tlsOptions(): { port: number; cert: Buffer; key: Buffer } | undefined {
  const tlsPort = v['csta-tls-port'];
  const certFile = v['tls-cert'];
  const keyFile = v['tls-key'];
  if (tlsPort === undefined) {
    if (certFile !== undefined || keyFile !== undefined) fail('--tls-cert and --tls-key go with --csta-tls-port');
    return undefined;
  }
  if (certFile === undefined || keyFile === undefined) fail('--csta-tls-port needs both --tls-cert FILE and --tls-key FILE');
  const read = (file: string, flag: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      fail(`${flag} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
  };
  const cert = read(certFile, '--tls-cert');
  const key = read(keyFile, '--tls-key');
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    fail(`--tls-cert/--tls-key do not make a usable TLS certificate and key: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { port: port(tlsPort, '--csta-tls-port', 0), cert, key };
}

const args = parseFlags(fail, {
  'csta-port': { type: 'string' },
  'sim-port': { type: 'string' },
  'xsp-url': { type: 'string', multiple: true },
  'sim-nodes': { type: 'string' },
  'xsp-user': { type: 'string' },
  'xsp-group': { type: 'string' },
  epoch: { type: 'string' },
  'xsp-password': { type: 'string' },
  'default-domain': { type: 'string' },
  'state-dir': { type: 'string' },
  'no-state': { type: 'boolean' },
  'require-session': { type: 'boolean' },
  'status-on-connect': { type: 'boolean' },
  keepalive: { type: 'string' },
  'keepalive-tolerance': { type: 'string' },
  'csta-tls-port': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean' },
});
const v = args.values;
if (v.help) printHelp(`${USAGE}\n`);
const cstaPort = port(v['csta-port'], '--csta-port', 1040);
const simPort = port(v['sim-port'], '--sim-port', 8080);
const keepaliveS = count(v.keepalive, '--keepalive', 60, 86_400);
const keepaliveTolerance = count(v['keepalive-tolerance'], '--keepalive-tolerance', 3, 1000);
const tls = tlsOptions();
const log = v.verbose ? (line: string) => console.log(`[csta] ${line}`) : () => {};

let xsp: XspSide;
let xspLine: string;
if (v['xsp-url'] !== undefined) {
  const urls = v['xsp-url'].map((text) => {
    try {
      return new URL(text);
    } catch {
      fail(`--xsp-url "${text}" is not a URL`);
    }
  });
  const url = urls[0]!;
  if (v['sim-nodes'] !== undefined) fail('--sim-nodes sizes the embedded simulator; with --xsp-url give each XSP its own --xsp-url');
  if (v.epoch !== undefined) fail('--epoch sets the embedded simulator\'s clock; with --xsp-url give it to `pnpm sim` instead');
  const user = v['xsp-user'] ?? process.env.XSP_USER;
  const password = v['xsp-password'] ?? process.env.XSP_PASSWORD;
  if (!user || !password) fail('--xsp-url needs --xsp-user and --xsp-password (or XSP_USER / XSP_PASSWORD)');
  let group: { serviceProviderId: string; groupId: string } | undefined;
  if (v['xsp-group'] !== undefined) {
    const m = /^([^/\s]+)\/([^/\s]+)$/.exec(v['xsp-group']);
    if (!m) fail(`--xsp-group must be SERVICEPROVIDER/GROUP, got "${v['xsp-group']}"`);
    group = { serviceProviderId: m[1]!, groupId: m[2]! };
  }
  const bases = urls.map((u) => u.toString().replace(/\/$/, ''));
  xsp = { kind: 'xsp', url: bases.length === 1 ? bases[0]! : bases, user, password, ...(group ? { group } : {}) };
  xspLine = urls.length === 1 ? `${url.origin} (a real XSP; no simulator started)` : `${urls.map((u) => u.origin).join(', ')} (${urls.length} XSPs, one channel set; no simulator started)`;
} else {
  if (v['xsp-group'] !== undefined) fail('--xsp-group needs --xsp-url');
  let epoch: number | undefined;
  if (v.epoch !== undefined) {
    const parsed = parseEpoch(v.epoch);
    if (typeof parsed === 'object') fail(parsed.error);
    epoch = parsed;
  }
  const nodes = count(v['sim-nodes'], '--sim-nodes', 1, 16);
  if (nodes < 1) fail('--sim-nodes must be a whole number 1–16, got "0"');
  xsp = { kind: 'simulator', host: '127.0.0.1', port: simPort, ...(epoch !== undefined ? { epoch } : {}), ...(nodes > 1 ? { nodes } : {}) };
  xspLine = '';
}

// Pairings: journalled in a state dir with a real (or external simulated) XSP, in memory otherwise.
let store: JournalPairingStore | undefined;
let storeLine: string;
if (xsp.kind !== 'xsp') {
  if (v['state-dir'] !== undefined || v['no-state']) {
    fail('--state-dir and --no-state go with --xsp-url: the embedded simulator\'s state dies with this process, so saved pairings would describe a world that is gone (run `pnpm sim` and point --xsp-url at it)');
  }
  storeLine = 'in memory (the embedded simulator starts afresh each run)';
} else if (v['no-state']) {
  if (v['state-dir'] !== undefined) fail('--state-dir and --no-state contradict each other');
  storeLine = 'in memory only (--no-state: a crash can leave a desk forwarded to an agent who sits nowhere)';
} else {
  const dir = v['state-dir'] ?? DEFAULT_STATE_DIR;
  if (dir === '') fail('--state-dir must not be empty');
  try {
    store = JournalPairingStore.open({ dir, onCompactionError: (e) => console.error(`pnpm start: compacting ${dir} failed (the journal still holds everything; retried later): ${e.message}`) });
  } catch (err) {
    console.error(`pnpm start: cannot use state dir ${dir}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  const n = Object.keys(store.load()).length;
  const torn = store.recovery.tornBytes > 0 ? `; dropped a torn last record of ${store.recovery.tornBytes} bytes` : '';
  storeLine = `journal in ${dir} (${n} saved pairing${n === 1 ? '' : 's'} loaded${torn})`;
}

let gateway: Gateway;
try {
  gateway = await startGateway({
    cstaHost: '127.0.0.1',
    cstaPort,
    xsp,
    ...(v['default-domain'] ? { defaultDomain: v['default-domain'] } : {}),
    requireSession: v['require-session'] ?? false,
    statusOnConnect: v['status-on-connect'] ?? false,
    keepaliveMs: keepaliveS * 1000,
    keepaliveTolerance,
    ...(tls ? { tls } : {}),
    log,
    ...(store ? { store } : {}),
    onStoreFailure: (err) => {
      // The loop has stopped rather than act without a durable record: exit so a supervisor restarts us.
      console.error(`pnpm start: ${err.message}`);
      process.exit(1);
    },
  });
} catch (err) {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e.code === 'EADDRINUSE' && tls && e.port === tls.port) fail(`CSTA TLS port 127.0.0.1:${tls.port} is already in use (try another --csta-tls-port)`);
  if (e.code === 'EADDRINUSE' && e.port === cstaPort) fail(`CSTA port 127.0.0.1:${cstaPort} is already in use (another gateway running? try --csta-port)`);
  if (xsp.kind === 'simulator' && (e.code === 'EADDRINUSE' || /in use/i.test(e.message))) {
    fail(`simulator port 127.0.0.1:${simPort} is already in use (is \`pnpm sim\` running? try --sim-port): ${e.message}`);
  }
  if (e.code === 'EACCES') fail(`not allowed to listen on 127.0.0.1:${cstaPort} (try a port above 1023)`);
  fail(`cannot start: ${e.message}`);
}

if (gateway.simulator) {
  xspLine = `XSP simulator (default directory) at ${gateway.simulator.urls.join(', ')}, driven over Xsi HTTP as admin@example.com
                                control API: ${gateway.simulator.url}/_sim/health${gateway.simulator.urls.length > 1 ? `, ${gateway.simulator.url}/_sim/nodes (POST /_sim/nodes/{i}/down|up)` : ''}`;
}
console.log(`csta-bw gateway
  CSTA (ECMA-323 XML over TCP)  ${gateway.csta.host}:${gateway.csta.port}${v['require-session'] ? '  (ECMA-354 session required)' : ''}
${gateway.tls ? `  CSTA over TLS                 ${gateway.tls.host}:${gateway.tls.port}\n` : ''}  keep-alive                    ${keepaliveS > 0 ? `SystemStatus probe after ${keepaliveS} s quiet, close after ${keepaliveTolerance} unanswered` : 'off'}${v['status-on-connect'] ? '; SystemStatus on connect' : ''}
  XSP                           ${xspLine}
  pairings                      ${storeLine}

Try it (in another terminal):
  pnpm csta -- --port ${gateway.csta.port} watch desk-101          # monitor desk-101, print events
  pnpm csta -- --port ${gateway.csta.port} login desk-101 agent-001
  pnpm csta -- --port ${gateway.csta.port} logout desk-101 agent-001
Ctrl-C stops.`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: closing CSTA links and stopping…`);
  const forced = setTimeout(() => {
    console.error('shutdown took longer than 5 s; exiting');
    process.exit(1);
  }, 5000);
  forced.unref();
  await gateway.close();
  console.log('stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
