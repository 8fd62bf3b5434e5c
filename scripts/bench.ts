/**
 * `pnpm bench` — every performance figure of csta-bw in one run: a table on stdout and
 * `bench/results.json` (issue 5, deliverable 4).
 *
 * Theory of operation
 * -------------------
 * Rates are medians of timed rounds after a warm-up (scripts/bench-core.ts `measure`).
 *
 *   connector inputs/s            recorded VirtualWorld inputs replayed into `step` (the core alone)
 *                                 and `step` driven live through VirtualWorld (core + simulator model)
 *   raw xstate transition()/s     the hotelingLogin machine through the public API (bench-core.ts)
 *   hand-written reducer/s        the same login saga as a plain `switch` on plain data (below): what
 *                                 the language does with no library at all — the physical limit
 *   login+logout cycles/s         VirtualWorld, faults none, 10 pairs in parallel
 *   explore schedules/s           `runSchedule` on schedules from the explorer's generator
 *                                 (`generateSchedule`, scenario mixed), faults none and hostile
 *   memory per monitored user     a directory of N desks (defaultDirectory's desk shape); each gets a
 *                                 MonitorStart through `step`, its reads answered from the directory
 *                                 (a responder here, not the simulator: the model is not the subject);
 *                                 heap delta after a full GC ÷ N, at N = 10,000 and 100,000
 *   loopback                      scripts/bench-http.ts (Xsi over HTTP to the simulator's server) and
 *                                 scripts/bench-gateway.ts (CSTA TCP → gateway → Xsi HTTP → simulator)
 *
 *   pnpm bench [--quick]          --quick: fewer rounds, no 100,000-user point, short loopback runs
 *
 * The benches run the built packages (`pnpm build` first, then without the `source` condition):
 * the JavaScript an integrator installs. Run from the TypeScript sources through tsx, the
 * connector is slower (esbuild's keepNames wraps every closure it creates in a naming call).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createConnector, openMonitors, step, type ConnectorState, type Input, type Output, type XsiOutcome } from '@csta-bw/core';
import { runSchedule } from '@csta-bw/adapters';
import { generateSchedule, runSeed } from '../packages/adapters/src/explore/generate.js';
import { benchRawXstate, benchReplay, benchVirtualWorld, LOGIN_EVENTS, LOGIN_INPUT, measure, recordInputs, type Rate } from './bench-core.js';
import { benchGateway } from './bench-gateway.js';
import { benchHttp } from './bench-http.js';

const quick = process.argv.includes('--quick');

// ---- the hand-written reducer: the login saga's happy path and failures, no library ----------------

type LoginValue = 'signingOutHost' | 'forwardingHost' | 'associating' | 'awaitingGuestEvent' | 'settingGuestNotReady' | 'done' | 'failed';
interface LoginSaga { value: LoginValue; sent: number; guestEventSeen: boolean; error: string | undefined }
type LoginEvent = { type: 'STEP_OK' | 'STEP_SKIPPED' | 'GUEST_ASSOCIATED' | 'GUEST_LEFT' | 'SAGA_TIMEOUT' } | { type: 'STEP_FAILED'; error: string };
interface Send { step: string; userId: string }

const NEXT: Record<string, LoginValue> = { signingOutHost: 'forwardingHost', forwardingHost: 'associating', associating: 'awaitingGuestEvent', settingGuestNotReady: 'done' };

/** One event: the next saga (a new object, like XState's) and what to send. */
function loginReducer(s: LoginSaga, e: LoginEvent, input: typeof LOGIN_INPUT, sends: Send[]): LoginSaga {
  if (e.type === 'GUEST_ASSOCIATED' && s.value === 'awaitingGuestEvent') return enter({ ...s, value: 'settingGuestNotReady', guestEventSeen: true }, input, sends);
  if (e.type === 'GUEST_ASSOCIATED') return { ...s, guestEventSeen: true };
  if (e.type === 'GUEST_LEFT') return { ...s, guestEventSeen: false };
  if (s.value === 'done' || s.value === 'failed') return s;
  if (e.type === 'STEP_FAILED' || e.type === 'SAGA_TIMEOUT') return { ...s, value: 'failed', error: s.error ?? (e.type === 'STEP_FAILED' ? e.error : 'timeout') };
  const next = NEXT[s.value];
  if (next === undefined) return s;
  return enter({ ...s, value: next }, input, sends);
}

function enter(s: LoginSaga, input: typeof LOGIN_INPUT, sends: Send[]): LoginSaga {
  switch (s.value) {
    case 'signingOutHost': sends.push({ step: 'signOutHost', userId: input.hostUserId }); return { ...s, sent: s.sent | 1 };
    case 'forwardingHost': sends.push({ step: 'forwardHost', userId: input.hostUserId }); return { ...s, sent: s.sent | 2 };
    case 'associating': sends.push({ step: 'associate', userId: input.guestUserId }); return { ...s, sent: s.sent | 4 };
    case 'awaitingGuestEvent': return s.guestEventSeen ? enter({ ...s, value: 'settingGuestNotReady' }, input, sends) : s;
    case 'settingGuestNotReady': sends.push({ step: 'setGuestNotReady', userId: input.guestUserId }); return { ...s, sent: s.sent | 8 };
    default: return s;
  }
}

function benchReducer(sagas = 200_000): Rate {
  return measure(() => {
    let sent = 0;
    for (let i = 0; i < sagas; i++) {
      const sends: Send[] = [];
      let s = enter({ value: 'signingOutHost', sent: 0, guestEventSeen: false, error: undefined }, LOGIN_INPUT, sends);
      for (const e of LOGIN_EVENTS) s = loginReducer(s, e, LOGIN_INPUT, sends);
      if (s.value !== 'done') throw new Error(`the reducer ended in ${s.value}`);
      sent += sends.length;
    }
    if (sent !== sagas * 4) throw new Error(`the reducer sent ${sent} PUTs for ${sagas} logins`);
    return sagas * LOGIN_EVENTS.length;
  });
}

// ---- explore schedules/s ----------------------------------------------------------------------------

function benchExplore(faults: 'none' | 'hostile', runs: number): { perSecond: number; violations: number } {
  let violations = 0;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const r = runSchedule(generateSchedule(runSeed(20261125, i), faults), { trace: false });
    violations += r.violations.length > 0 ? 1 : 0;
  }
  return { perSecond: (runs * 1000) / (performance.now() - t0), violations };
}

// ---- memory per monitored user ------------------------------------------------------------------------

function collectGarbage(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  // Not started with --expose-gc: switch it on now and fetch gc from a fresh context.
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** What the XSP would answer for a desk of defaultDirectory's shape (desk i, extension 2000+i). */
function answer(o: Extract<Output, { kind: 'xsp.command' }>, i: number): XsiOutcome {
  switch (o.command.op) {
    case 'GET profile': return { status: 200, body: { kind: 'profile', info: { userId: `desk-${100_000 + i}@example.com`, extension: String(2000 + i) } } };
    case 'GET CallCenter': return { status: 200, body: { kind: 'CallCenter', agentACDState: 'Sign-Out' } };
    case 'GET CallForwardingAlways': return { status: 200, body: { kind: 'CallForwardingAlways', info: { active: false, ringSplash: false } } };
    case 'SUBSCRIBE': return { status: 200, body: { kind: 'Subscriptions', subscriptionIds: [`sub-${i}`] } };
    default: return { status: 404 }; // a desk has no HotelingGuest service
  }
}

function monitorUsers(n: number): { state: ConnectorState; monitors: number } {
  let state = createConnector({ defaultDomain: 'example.com' });
  const feed = (input: Input): Output[] => {
    const r = step(state, input, 0);
    state = r.state;
    return r.outputs;
  };
  feed({ kind: 'xsp.channel', status: 'up' });
  for (let i = 0; i < n; i++) {
    const pending = feed({ kind: 'csta.request', link: 'bench', invokeId: String(i), request: { service: 'MonitorStart', monitorObject: `desk-${100_000 + i}` } });
    while (pending.length > 0) {
      const o = pending.shift()!;
      if (o.kind === 'xsp.command') pending.push(...feed({ kind: 'xsp.result', commandId: o.commandId, outcome: answer(o, i) }));
    }
  }
  return { state, monitors: openMonitors(state).length };
}

function benchMemory(n: number): { users: number; bytesPerUser: number; monitors: number } {
  const gc = collectGarbage();
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = monitorUsers(n);
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (kept.monitors !== n) throw new Error(`${kept.monitors} monitors for ${n} users`);
  return { users: n, bytesPerUser: (after - before) / n, monitors: kept.monitors };
}

// ---- the run -------------------------------------------------------------------------------------------

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows: [string, string][] = [];
const row = (name: string, value: string) => {
  rows.push([name, value]);
  console.log(`  ${name.padEnd(58)} ${value}`);
};

console.log(`pnpm bench — node ${process.version}${quick ? ' (--quick)' : ''}`);
const rec = recordInputs(20);
const replay = benchReplay(rec, quick ? 10 : 30, quick ? 3 : 5);
row(`connector inputs/s, replay of ${rec.inputs.length} recorded inputs (step)`, fmt(replay.perSecond));
const vw = benchVirtualWorld(quick ? 20 : 50, quick ? 3 : 5);
row('connector inputs/s, VirtualWorld (step + simulator model)', fmt(vw.inputsPerSecond.perSecond));
const raw = benchRawXstate(quick ? 5_000 : 20_000);
row('raw xstate transition()/s, hotelingLogin', fmt(raw.perSecond));
const reducer = benchReducer(quick ? 50_000 : 200_000);
row('hand-written reducer events/s, the same login saga', fmt(reducer.perSecond));
row('ratio connector (replay) ÷ raw xstate', fmt(replay.perSecond / raw.perSecond, 2));
row('ratio hand-written reducer ÷ connector (replay)', fmt(reducer.perSecond / replay.perSecond, 1));
row('login+logout cycles/s in process (VirtualWorld, faults none)', fmt(vw.cyclesPerSecond.perSecond));
const exploreNone = benchExplore('none', quick ? 20 : 100);
row('explore schedules/s (runSchedule, faults none)', fmt(exploreNone.perSecond, 1));
const exploreHostile = benchExplore('hostile', quick ? 20 : 100);
row('explore schedules/s (runSchedule, faults hostile)', fmt(exploreHostile.perSecond, 1));
const memory = (quick ? [10_000] : [10_000, 100_000]).map((n) => benchMemory(n));
for (const m of memory) row(`memory per monitored user at ${fmt(m.users)} users`, `${fmt(m.bytesPerUser)} bytes`);
const http = await benchHttp({ cycles: quick ? 50 : 200, parallel: 5 });
row('loopback HTTP login+logout cycles/s (5 pairs)', fmt(http.cyclesPerSecond, 1));
row('loopback HTTP login latency p50 / p99', `${fmt(http.p50, 1)} ms / ${fmt(http.p99, 1)} ms`);
const gateway = await benchGateway({ agents: 1000, concurrency: 100, links: 10, seconds: quick ? 5 : 20 });
row('CSTA TCP gateway login+logout cycles/s (1,000 agents, 100 workers)', fmt(gateway.cyclesPerSecond, 1));
row('CSTA TCP gateway login latency p50 / p99', `${fmt(gateway.p50, 1)} ms / ${fmt(gateway.p99, 1)} ms`);

const results = {
  at: new Date().toISOString(),
  node: process.version,
  quick,
  connector: {
    replayInputsPerSecond: replay.perSecond, replayInputs: rec.inputs.length,
    virtualWorldInputsPerSecond: vw.inputsPerSecond.perSecond,
    rawXstateTransitionsPerSecond: raw.perSecond,
    handWrittenReducerEventsPerSecond: reducer.perSecond,
  },
  inProcessCyclesPerSecond: vw.cyclesPerSecond.perSecond,
  exploreSchedulesPerSecond: { none: exploreNone.perSecond, hostile: exploreHostile.perSecond, violations: exploreNone.violations + exploreHostile.violations },
  memoryPerMonitoredUser: memory,
  loopbackHttp: http,
  cstaGateway: gateway,
  table: rows,
};
mkdirSync('bench', { recursive: true });
writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
console.log('written: bench/results.json');
process.exit(0);
