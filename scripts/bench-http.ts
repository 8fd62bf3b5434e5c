/**
 * `pnpm bench:http` — hoteling login+logout cycles over loopback HTTP, next to the in-process
 * figure from the same run.
 *
 * Loopback: the simulator's HTTP server (port 0, faults none) and ConnectorRuntime with the Xsi
 * HTTP transport; `--parallel` desk/agent pairs (desk-101/agent-001, desk-102/agent-002, …) each
 * run login, logout, login, … until `--cycles` cycles are done in total. Login latency is wall
 * clock from the request to its SetAgentStateResponse.
 * In-process: VirtualWorld (connector + the simulator's model on virtual time) runs the same
 * cycles, the pairs in parallel; its figure is wall-clock cycles per second of computing them.
 *
 *   pnpm bench:http [--cycles 200] [--parallel 5]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { channelStatus, type CstaRequest } from '@csta-bw/core';
import { ConnectorRuntime, createXsiHttpTransport, VirtualWorld, type CstaOutput } from '@csta-bw/adapters';
import { startXspServer } from '@csta-bw/xsp-sim';

const pair = (i: number) => ({ desk: `desk-${101 + i}`, agent: `agent-${String(i + 1).padStart(3, '0')}` });
const setState = (desk: string, agent: string, state: 'loggedOn' | 'loggedOff'): CstaRequest =>
  ({ service: 'SetAgentState', device: desk, requestedAgentState: state, agentID: agent });

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface HttpBenchOptions { cycles: number; parallel: number }

/** Login+logout cycles over loopback HTTP; exported for `pnpm bench`. */
export async function benchHttp({ cycles, parallel }: HttpBenchOptions): Promise<{ cyclesPerSecond: number; p50: number; p99: number; errors: number }> {
  const server = await startXspServer({ port: 0, seed: 1, faults: 'none' });
  const transport = createXsiHttpTransport({ baseUrl: server.url, user: 'admin@example.com', password: 'secret', channelSetId: 'csta-bw/bench-http' });
  const waiting = new Map<string, (o: CstaOutput) => void>();
  const runtime = new ConnectorRuntime({
    transport,
    onCsta: (o) => {
      if (o.kind !== 'csta.response' && o.kind !== 'csta.error') return;
      waiting.get(o.invokeId)?.(o);
      waiting.delete(o.invokeId);
    },
  });
  let invoke = 0;
  const ask = (request: CstaRequest): Promise<CstaOutput> =>
    new Promise((resolve) => {
      const id = String(++invoke);
      waiting.set(id, resolve);
      runtime.request('bench', id, request);
    });
  while (channelStatus(runtime.connector) !== 'up') await new Promise((r) => setTimeout(r, 5));

  const latencies: number[] = [];
  let errors = 0;
  let remaining = cycles;
  for (let i = 0; i < parallel; i++) await ask({ service: 'MonitorStart', monitorObject: pair(i).desk });
  const started = performance.now();
  await Promise.all(Array.from({ length: parallel }, async (_, i) => {
    const { desk, agent } = pair(i);
    while (remaining > 0) {
      remaining--;
      const t0 = performance.now();
      const inAnswer = await ask(setState(desk, agent, 'loggedOn'));
      latencies.push(performance.now() - t0);
      const outAnswer = await ask(setState(desk, agent, 'loggedOff'));
      if (inAnswer.kind !== 'csta.response' || outAnswer.kind !== 'csta.response') errors++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  await runtime.close();
  await server.close();
  latencies.sort((a, b) => a - b);
  return { cyclesPerSecond: cycles / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors };
}

export function benchInProcess({ cycles, parallel }: HttpBenchOptions): { cyclesPerSecond: number; errors: number } {
  const w = new VirtualWorld({ seed: 1, faults: 'none', trace: false });
  for (let i = 0; i < parallel; i++) w.request('bench', `m${i}`, { service: 'MonitorStart', monitorObject: pair(i).desk });
  w.runUntilQuiet();
  const started = performance.now();
  let done = 0;
  let round = 0;
  while (done < cycles) {
    const batch = Math.min(parallel, cycles - done);
    for (const state of ['loggedOn', 'loggedOff'] as const) {
      for (let i = 0; i < batch; i++) w.request('bench', `${round}-${state}-${i}`, setState(pair(i).desk, pair(i).agent, state));
      w.runUntilQuiet();
    }
    done += batch;
    round++;
  }
  const seconds = (performance.now() - started) / 1000;
  const errors = w.answers.filter((a) => a.kind === 'error').length;
  return { cyclesPerSecond: cycles / seconds, errors };
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${name} needs a positive integer, got ${String(process.argv[i + 1])}`);
    process.exit(2);
  }
  return v;
}

async function main(): Promise<void> {
  const cycles = flag('cycles', 200);
  const parallel = flag('parallel', 5);
  if (process.argv.includes('--help')) {
    console.log('usage: pnpm bench:http [--cycles N] [--parallel K]   (K ≤ 10: desk-101…desk-110)');
    process.exit(0);
  }
  if (parallel > 10) {
    console.error('--parallel is at most 10 (the default directory has desks desk-101…desk-110)');
    process.exit(2);
  }
  const http = await benchHttp({ cycles, parallel });
  const local = benchInProcess({ cycles, parallel });
  const fmt = (n: number, d = 1): string => n.toFixed(d);
  console.log(`hoteling login+logout cycles: ${cycles}, ${parallel} desk/agent pairs in parallel`);
  console.log(`  loopback HTTP (simulator server, faults none): ${fmt(http.cyclesPerSecond)} cycles/s, login latency p50 ${fmt(http.p50)} ms, p99 ${fmt(http.p99)} ms, errors ${http.errors}`);
  console.log(`  in-process (VirtualWorld, wall clock):         ${fmt(local.cyclesPerSecond)} cycles/s, errors ${local.errors}`);
  process.exit(http.errors + local.errors > 0 ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
