/**
 * `pnpm bench:gateway` — sustained hoteling logins+logouts through the whole production path:
 * CSTA client (TCP, ECMA-323) → gateway → connector → Xsi over HTTP → the simulator's server.
 *
 * The simulator gets a directory of 1,000 desks and 1,000 agents (agent i always sits at desk i,
 * so cycles never contend). `--concurrency` workers, spread over `--links` CSTA connections, each
 * loop over their own pairs: login, then logout, for `--seconds`. Prints cycles/s (one cycle =
 * one login + one logout), and login latency p50/p99 (request sent → SetAgentStateResponse).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CstaTcpClient, startGateway } from '@csta-bw/adapters';
import type { Directory, DirectoryUser } from '@csta-bw/xsp-sim';

function benchDirectory(n: number): Directory {
  const users: DirectoryUser[] = [];
  for (let i = 1; i <= n; i++) {
    const nnnn = String(i).padStart(4, '0');
    users.push({
      userId: `desk-${nnnn}@example.com`, password: 'secret', firstName: nnnn, lastName: 'Desk', extension: String(20000 + i),
      callCenter: { agentACDState: 'Sign-Out' }, forwarding: { active: false, ringSplash: false },
      hotelingHost: { active: true, enforceAssociationLimit: false, associationLimitHours: 24 },
    });
    users.push({
      userId: `agent-${nnnn}@example.com`, password: 'secret', firstName: nnnn, lastName: 'Agent', extension: String(30000 + i),
      callCenter: { agentACDState: 'Sign-Out' }, forwarding: { active: false, ringSplash: false },
      hotelingGuest: { active: true, enableAssociationLimit: false, associationLimitHours: 24 },
    });
  }
  return { domain: 'example.com', groupId: 'bench-group', adminUserId: 'admin@example.com', adminPassword: 'secret', users };
}

export interface GatewayBenchOptions { agents: number; concurrency: number; links: number; seconds: number }

/** Sustained cycles through the whole production path; exported for `pnpm bench`. */
export async function benchGateway(opts: GatewayBenchOptions): Promise<{ cyclesPerSecond: number; p50: number; p99: number; refused: number; logins: number }> {
  const { agents, seconds } = opts;
  const concurrency = Math.min(opts.concurrency, agents);
  const linkCount = Math.min(opts.links, concurrency);
  const gateway = await startGateway({ cstaPort: 0, xsp: { kind: 'simulator', port: 0, directory: benchDirectory(agents) }, idleTimeoutMs: 0 });
  const clients = await Promise.all(Array.from({ length: linkCount }, () => CstaTcpClient.connect(gateway.csta.host, gateway.csta.port)));

  /** One request and its answer; the client's `received` list is trimmed so it does not grow. */
  async function call(c: CstaTcpClient, device: string, state: 'loggedOn' | 'loggedOff', agentID: string): Promise<boolean> {
    const { invokeId } = c.send({ service: 'SetAgentState', device, requestedAgentState: state, agentID });
    const answer = await c.answerTo(invokeId, 30_000);
    const i = c.received.indexOf(answer);
    if (i >= 0) c.received.splice(i, 1);
    return answer.decoded.ok && answer.decoded.kind === 'response';
  }

  const loginMs: number[] = [];
  let cycles = 0;
  let refused = 0;
  let stop = false;

  async function worker(w: number): Promise<void> {
    const c = clients[w % linkCount]!;
    for (let k = w; !stop; k += concurrency) {
      const n = String((k % agents) + 1).padStart(4, '0');
      const desk = `desk-${n}`;
      const agent = `agent-${n}`;
      const t0 = performance.now();
      const inOk = await call(c, desk, 'loggedOn', agent);
      loginMs.push(performance.now() - t0);
      const outOk = await call(c, desk, 'loggedOff', agent);
      if (inOk && outOk) cycles++;
      else refused++;
    }
  }

  console.log(`bench:gateway — ${agents} desks + ${agents} agents; ${concurrency} workers over ${linkCount} CSTA links; ${seconds} s`);
  console.log('path: CSTA TCP → gateway → connector → Xsi HTTP → simulator HTTP server (all on loopback, one process)');
  // Warm-up: one cycle per worker (subscriptions and first reads of each user happen here).
  const warmStart = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    const n = String(w + 1).padStart(4, '0');
    await call(clients[w % linkCount]!, `desk-${n}`, 'loggedOn', `agent-${n}`);
    await call(clients[w % linkCount]!, `desk-${n}`, 'loggedOff', `agent-${n}`);
  }));
  console.log(`warm-up: ${concurrency} cycles in ${((performance.now() - warmStart) / 1000).toFixed(1)} s`);

  const started = performance.now();
  const timer = setTimeout(() => { stop = true; }, seconds * 1000);
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  clearTimeout(timer);
  const elapsedS = (performance.now() - started) / 1000;

  loginMs.sort((a, b) => a - b);
  const pct = (p: number) => loginMs[Math.min(loginMs.length - 1, Math.floor((p / 100) * loginMs.length))] ?? NaN;
  console.log(`cycles (login+logout): ${cycles} in ${elapsedS.toFixed(1)} s = ${(cycles / elapsedS).toFixed(1)} cycles/s` +
    ` (${((2 * cycles) / elapsedS).toFixed(1)} SetAgentState/s); refused: ${refused}`);
  console.log(`login latency: p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${(loginMs.at(-1) ?? NaN).toFixed(1)} ms (${loginMs.length} logins)`);
  console.log(`connector inputs: ${gateway.runtime.inputs}`);

  await Promise.all(clients.map((c) => c.close()));
  await gateway.close();
  return { cyclesPerSecond: cycles / elapsedS, p50: pct(50), p99: pct(99), refused, logins: loginMs.length };
}

async function main(): Promise<void> {
  const USAGE = `Usage: pnpm bench:gateway [-- --agents 1000 --concurrency 100 --links 10 --seconds 20]`;
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: process.argv.slice(2).filter((a) => a !== '--'),
      strict: true,
      options: { agents: { type: 'string' }, concurrency: { type: 'string' }, links: { type: 'string' }, seconds: { type: 'string' }, help: { type: 'boolean' } },
    }).values;
  } catch (err) {
    console.error(`bench:gateway: ${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  function positive(name: string, fallback: number): number {
    const raw = values[name];
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`bench:gateway: --${name} must be a positive integer\n${USAGE}`);
      process.exit(2);
    }
    return n;
  }
  const agents = positive('agents', 1000);
  const concurrency = Math.min(positive('concurrency', 100), agents);
  const linkCount = Math.min(positive('links', 10), concurrency);
  const seconds = positive('seconds', 20);
  const r = await benchGateway({ agents, concurrency, links: linkCount, seconds });
  process.exit(r.refused > 0 ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
