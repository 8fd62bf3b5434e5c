/**
 * `pnpm crashtest [--rounds N] [--seed N]` — a real crash test of the durable pairings (DESIGN §9).
 *
 * Theory of operation: `pnpm sim` and the gateway (`pnpm start -- --xsp-url <sim> … --state-dir
 * <tmp>`) run as separate processes, each in its own process group. Each round reads the
 * simulator's truth, sends 1–3 seeded requests over a real CSTA TCP link — logins, logouts and
 * moves (a login of an agent seated at another desk) — and then, most rounds, `kill -9`s the
 * gateway's whole process group at a seeded moment — after the n-th change (PUT) the simulator
 * answered for this round's requests, plus a few milliseconds, so it lands between the steps of
 * a login, a logout or an undo — restarts it on the same state dir, and sometimes kills it again while it settles.
 * At quiescence (the simulator has seen no Xsi action for a while) it checks the truth:
 *   dangling forward   a desk forwards to an agent who is not seated there (I2)
 *   half seated        a desk hosts an agent but does not forward to it, or the agent is not
 *                      not-ready (an association we made must be finished: I3)
 *   left signed in     an agent we touched sits nowhere but is still signed in (a gone
 *                      association must be undone: logout signs out, an undo restores)
 * Only the crashtest drives the simulator (no faults, no external actors), so every forwarding
 * and association it finds is the connector's. Prints rounds, kills and violations (each distinct
 * violation once, with its round); exits 1 on any violation, 2 on a bad flag, 3 when the harness
 * itself cannot run (a process would not start).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CstaTcpClient } from '@csta-bw/adapters';
import type { CstaRequest } from '@csta-bw/core';
import { parseFlags, printHelp, usageFailure, wholeNumber, type Fail } from './flags.js';

const USAGE = `Usage: pnpm crashtest [-- options]

Runs \`pnpm sim\` and the gateway as separate processes, drives logins, logouts and moves over
CSTA, kill -9s the gateway at seeded moments, restarts it on the same state dir, and checks the
simulator's state at quiescence. Exits 1 on any violation.

Options:
  --rounds N     rounds to run (default 20)
  --seed N       seed of the requests, kill moments and the simulator (default 1)
  --quiet-ms N   quiescence: no Xsi action at the simulator for N ms (default 1500)
  --settle-ms N  and at least N ms since the gateway last started (default 7000: a restarted
                 connector settles its saved pairings a step timeout, 5 s, after its channel
                 comes up, so a PUT the killed process left on the wire has landed)
  --no-state     the control run: the gateway keeps its pairings in memory only (pnpm start
                 --no-state), so a crash loses them — this run should find violations
  --keep         keep the state dir and print its path
  --verbose      print each round's requests, kills and answers
  --help         this text
`;

const ROOT = path.resolve(import.meta.dirname, '..');
const DESKS = ['desk-101', 'desk-102', 'desk-103', 'desk-104', 'desk-110'].map((d) => `${d}@example.com`);
const AGENTS = ['agent-001', 'agent-002', 'agent-003', 'agent-004', 'agent-005', 'agent-006'].map((a) => `${a}@example.com`);
const START_TIMEOUT_MS = 60_000;
const QUIESCENCE_TIMEOUT_MS = 60_000;

const badFlag: Fail = usageFailure('pnpm crashtest', `\n${USAGE}`);

/** A bad flag (code 2) shows the usage; a run that cannot go on (code 3) only says why. */
function fail(message: string, code = 2): never {
  if (code === 2) badFlag(message);
  process.stderr.write(`pnpm crashtest: ${message}\n`);
  process.exit(code);
}

const whole = (value: string | undefined, flag: string, fallback: number, min: number, max: number): number => wholeNumber(fail, value, flag, fallback, min, max);

const flags = parseFlags(fail, {
  rounds: { type: 'string' }, seed: { type: 'string' }, 'quiet-ms': { type: 'string' }, 'settle-ms': { type: 'string' },
  keep: { type: 'boolean' }, 'no-state': { type: 'boolean' }, verbose: { type: 'boolean' }, help: { type: 'boolean' },
}).values;
if (flags.help) printHelp(USAGE);
const rounds = whole(flags.rounds, '--rounds', 20, 1, 100_000);
const seed = whole(flags.seed, '--seed', 1, 0, 2 ** 32 - 1);
const quietMs = whole(flags['quiet-ms'], '--quiet-ms', 1500, 100, 600_000);
const settleMs = whole(flags['settle-ms'], '--settle-ms', 7000, 0, 600_000);
const verbose = flags.verbose ? (line: string) => console.log(`  ${line}`) : () => {};

/** mulberry32: a small seeded PRNG, so a seed names a run's requests and kill moments. */
function prng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = prng(seed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- processes ------------------------------------------------------------------------------

interface Proc {
  child: ChildProcess;
  output: string;
  exited: Promise<void>;
  spawnError?: string;
}

/** Spawns `pnpm <args>` in its own process group (so kill -9 reaches tsx's node child too). */
function pnpm(args: string[]): Proc {
  const child = spawn('pnpm', args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, output: '', exited: new Promise((r) => { child.once('exit', () => r()); child.once('error', () => r()); }) };
  // A spawn that fails (pnpm not on PATH) is a clear start-up failure, not an unhandled 'error'.
  child.once('error', (e) => { p.spawnError = `could not run pnpm ${args[0]}: ${e.message}`; });
  child.stdout!.on('data', (b: Buffer) => { p.output += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { p.output += b.toString(); });
  return p;
}

async function killGroup(p: Proc, signal: NodeJS.Signals): Promise<void> {
  try {
    process.kill(-p.child.pid!, signal);
  } catch { /* already gone */ }
  await p.exited;
}

async function waitForOutput(p: Proc, re: RegExp, what: string): Promise<RegExpExecArray> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const m = re.exec(p.output);
    if (m) return m;
    if (p.spawnError !== undefined) throw new Error(`${what} did not start: ${p.spawnError}`);
    if (p.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${what} did not start (${p.child.exitCode !== null ? `exit ${p.child.exitCode}` : 'timeout'}):\n${p.output}`);
    }
    await sleep(50);
  }
}

// ---- the simulator's truth ------------------------------------------------------------------

interface UserView {
  agentACDState?: string;
  forwarding?: { active: boolean; forwardToPhoneNumber?: string };
  hotelingGuest?: { hostUserId?: string };
  hostedGuestUserId?: string;
}
type Truth = Record<string, UserView>;

async function simGet<T>(simUrl: string, route: string): Promise<T> {
  const r = await fetch(`${simUrl}/_sim/${route}`);
  if (!r.ok) throw new Error(`GET /_sim/${route}: ${r.status}`);
  return (await r.json()) as T;
}

const truthOf = async (simUrl: string): Promise<Truth> => (await simGet<{ users: Truth }>(simUrl, 'state')).users;

/** Empties the simulator's request journal: each round reads only its own requests. */
async function clearJournal(simUrl: string): Promise<void> {
  const r = await fetch(`${simUrl}/_sim/journal`, { method: 'DELETE' });
  if (!r.ok) throw new Error(`DELETE /_sim/journal: ${r.status}`);
}

/**
 * Waits until `n` PUTs (changes) were answered since the journal was cleared (or `maxMs`
 * passed): the kill then lands between saga steps — after the n-th change, before the next.
 */
async function afterPuts(simUrl: string, n: number, maxMs: number): Promise<string[]> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const { entries } = await simGet<{ entries: { method: string; path: string }[] }>(simUrl, 'journal');
    const puts = entries.filter((e) => e.method === 'PUT' && e.path.includes('xsi-actions'));
    const seen = puts.map((e) => e.path.replace(/^.*\/user\/([^/]+)%40[^/]+\/services\//, 'PUT $1 '));
    if (seen.length >= n || Date.now() > deadline) return seen;
    await sleep(3);
  }
}

/**
 * Quiescence: no Xsi action or subscription request reached the simulator for `quietMs`, no
 * event waits for its ack, and the gateway has been up for `settleMs` (its restart settling).
 */
async function quiescence(simUrl: string): Promise<void> {
  await sleep(Math.max(0, gatewayStartedAt + settleMs - Date.now()));
  const deadline = Date.now() + QUIESCENCE_TIMEOUT_MS;
  let lastKey = '';
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const { entries } = await simGet<{ entries: { at: string; method: string; path: string }[] }>(simUrl, 'journal');
    const actions = entries.filter((e) => !e.path.startsWith('/_sim/') && !/\/channel(\/|$)|eventresponse|heartbeat/i.test(e.path));
    const last = actions[actions.length - 1];
    const key = last ? `${actions.length}|${last.at}|${last.method} ${last.path}` : '';
    if (key !== lastKey) {
      lastKey = key;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= quietMs) {
      const state = await simGet<{ pendingEventIds: string[] }>(simUrl, 'state');
      if (state.pendingEventIds.length === 0) return;
    }
    await sleep(100);
  }
  throw new Error(`no quiescence within ${QUIESCENCE_TIMEOUT_MS / 1000} s (the connector keeps calling the XSP)`);
}

/** Who a forwarding number names: an agent by extension (3000+n), user part or user id. */
function agentNamed(forwardTo: string | undefined): string | undefined {
  if (!forwardTo) return undefined;
  const plain = forwardTo.replace(/^tel:/, '').replace(/^\+/, '');
  for (const a of AGENTS) {
    const n = Number(a.slice('agent-'.length, 'agent-'.length + 3));
    if (plain === a || plain === a.split('@')[0] || plain === String(3000 + n)) return a;
  }
  return undefined;
}

/** The violations in the simulator's truth (see the header). */
function violations(truth: Truth, touched: ReadonlySet<string>): string[] {
  const found: string[] = [];
  for (const desk of DESKS) {
    const d = truth[desk];
    if (!d) continue;
    const f = d.forwarding;
    const target = f?.active ? agentNamed(f.forwardToPhoneNumber) : undefined;
    if (target && truth[target]?.hotelingGuest?.hostUserId !== desk) {
      found.push(`dangling forward: ${desk} forwards to ${target} (${f!.forwardToPhoneNumber}), who sits ${truth[target]?.hotelingGuest?.hostUserId ?? 'nowhere'}`);
    }
    const guest = d.hostedGuestUserId;
    if (guest) {
      if (target !== guest) found.push(`half seated: ${guest} sits at ${desk}, which forwards ${f?.active ? `to ${f.forwardToPhoneNumber}` : 'nowhere'}`);
      const state = truth[guest]?.agentACDState;
      if (state !== 'Unavailable') found.push(`half seated: ${guest} sits at ${desk} but is ${state ?? 'no agent'}, not not-ready`);
    }
  }
  for (const agent of AGENTS) {
    const a = truth[agent];
    if (!a || !touched.has(agent) || a.hotelingGuest?.hostUserId) continue;
    if (a.agentACDState !== 'Sign-Out') found.push(`left signed in: ${agent} sits nowhere but is ${a.agentACDState ?? '?'}`);
  }
  return found;
}

/**
 * What the state dir last recorded for a desk (read-only: the journal's records naming it, or the
 * snapshot's record), to show with a violation. The live gateway owns the files; only read them.
 */
function savedRecordsOf(desk: string): string[] {
  const lines: string[] = [];
  const body = (line: string): unknown => JSON.parse(line.slice(line.indexOf(' ', 2) + 1)) as unknown;
  try {
    const snap = fs.readFileSync(path.join(stateDir, 'pairings.snapshot'), 'utf8').trim();
    const p = (body(snap) as { pairings: Record<string, unknown> }).pairings[desk];
    if (p) lines.push(`snapshot: ${JSON.stringify(p)}`);
  } catch { /* no snapshot yet */ }
  try {
    for (const line of fs.readFileSync(path.join(stateDir, 'pairings.journal'), 'utf8').split('\n')) {
      if (!line.includes(desk)) continue;
      try {
        const rec = body(line) as { seq: number; changes: { host: string; pairing: unknown }[] };
        for (const c of rec.changes) if (c.host === desk) lines.push(`journal seq ${rec.seq}: ${JSON.stringify(c.pairing)}`);
      } catch { /* a torn line */ }
    }
  } catch { /* no journal */ }
  return lines.slice(-4);
}

// ---- the run --------------------------------------------------------------------------------

interface Op { label: string; request: CstaRequest }

const bare = (id: string) => id.split('@')[0]!;
const login = (desk: string, agent: string): Op => ({
  label: `login ${bare(desk)} ${bare(agent)}`,
  request: { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOn', agentID: agent } as CstaRequest,
});
const logout = (desk: string, agent: string): Op => ({
  label: `logout ${bare(desk)} ${bare(agent)}`,
  request: { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOff', agentID: agent } as CstaRequest,
});

/** 1–3 requests chosen from the truth: logins of free agents, logouts and moves of seated ones. */
function chooseOps(truth: Truth): Op[] {
  const seated = AGENTS.filter((a) => truth[a]?.hotelingGuest?.hostUserId).map((a) => ({ agent: a, desk: truth[a]!.hotelingGuest!.hostUserId! }));
  const ops: Op[] = [];
  const n = 1 + Math.floor(random() * 3);
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.35 && seated.length > 0) {
      const s = pick(seated);
      ops.push(logout(s.desk, s.agent));
    } else if (r < 0.55 && seated.length > 0) {
      const s = pick(seated);
      ops.push(login(pick(DESKS.filter((d) => d !== s.desk)), s.agent));
    } else {
      ops.push(login(pick(DESKS), pick(AGENTS)));
    }
  }
  return ops;
}

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csta-bw-crashtest-'));
const stateDir = path.join(workDir, 'state');
let sim: Proc | undefined;
let gateway: Proc | undefined;
let gatewayPort = 0;
let gatewayStartedAt = 0;
/** SERVICEPROVIDER/GROUP of the simulator's directory (the embedded simulator's service provider is its domain). */
let xspGroup = '';

async function startGateway(simUrl: string): Promise<void> {
  gateway = pnpm(['start', '--', '--xsp-url', simUrl, '--xsp-user', 'admin@example.com', '--xsp-password', 'secret',
    '--xsp-group', xspGroup, ...(flags['no-state'] ? ['--no-state'] : ['--state-dir', stateDir]), '--csta-port', '0', '--keepalive', '0']);
  const m = await waitForOutput(gateway, /CSTA \(ECMA-323 XML over TCP\)\s+[0-9.]+:(\d+)/, 'the gateway (pnpm start)');
  gatewayPort = Number(m[1]);
  gatewayStartedAt = Date.now();
}

async function cleanup(): Promise<void> {
  if (gateway) await killGroup(gateway, 'SIGKILL');
  if (sim) await killGroup(sim, 'SIGTERM');
  if (!flags.keep) fs.rmSync(workDir, { recursive: true, force: true });
}
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

async function main(): Promise<number> {
  sim = pnpm(['sim', '--', '--port', '0', '--seed', String(seed), '--quiet']);
  const simUrl = (await waitForOutput(sim, /listening on (http:\/\/[0-9.]+:\d+)/, 'the simulator (pnpm sim)'))[1]!;
  const directory = await simGet<{ groupId: string; domain: string }>(simUrl, 'state');
  xspGroup = `${directory.domain}/${directory.groupId}`;
  console.log(`crashtest: seed ${seed}, ${rounds} rounds; simulator ${simUrl}; ${flags['no-state'] ? 'pairings in memory only (--no-state control run)' : `state dir ${stateDir}`}`);
  await startGateway(simUrl);

  const touched = new Set<string>();
  const seen = new Map<string, number>();
  let kills = 0;
  let answered = 0;
  let sent = 0;
  for (let round = 1; round <= rounds; round++) {
    const truth = await truthOf(simUrl);
    const ops = chooseOps(truth);
    for (const o of ops) touched.add((o.request as { agentID: string }).agentID);
    const client = await CstaTcpClient.connect('127.0.0.1', gatewayPort);
    await clearJournal(simUrl);
    const ids = ops.map((o) => client.send(o.request).invokeId);
    sent += ops.length;
    const kill = random() < 0.75;
    const killAfterPuts = 1 + Math.floor(random() * 4 * ops.length);
    const killAfterMs = Math.floor(random() * 10);
    verbose(`round ${round}: ${ops.map((o) => o.label).join(', ')}${kill ? `; kill -9 ${killAfterMs} ms after the ${killAfterPuts}. PUT` : ''}`);
    if (kill) {
      const seenPuts = await afterPuts(simUrl, killAfterPuts, 5_000);
      await sleep(killAfterMs);
      await killGroup(gateway!, 'SIGKILL');
      verbose(`  killed after ${seenPuts.length} PUT(s): ${seenPuts.join(', ')}`);
      kills++;
      await client.closedPromise;
      await startGateway(simUrl);
      // Sometimes crash again while the restarted connector settles what was in flight.
      if (random() < 0.25) {
        const again = Math.floor(random() * 300);
        verbose(`round ${round}: kill -9 again ${again} ms after the restart`);
        await sleep(again);
        await killGroup(gateway!, 'SIGKILL');
        kills++;
        await startGateway(simUrl);
      }
    } else {
      for (const id of ids) {
        const answer = await client.answerTo(id, 30_000);
        answered++;
        if (answer.decoded.ok) verbose(`  ${id}: ${answer.decoded.kind === 'error' ? 'error' : 'ok'}`);
      }
      await client.close();
    }
    await quiescence(simUrl);
    if (flags.verbose) verbose(`  PUTs this round: ${(await afterPuts(simUrl, 0, 0)).join(', ')}`);
    const after = await truthOf(simUrl);
    verbose(`  at quiescence: ${DESKS.map((d) => `${bare(d)}[${after[d]?.forwarding?.active ? `→${after[d]!.forwarding!.forwardToPhoneNumber}` : '-'} ${after[d]?.hostedGuestUserId ? bare(after[d]!.hostedGuestUserId!) : ''}]`).join(' ')}`);
    for (const v of violations(after, touched)) {
      if (seen.has(v)) continue;
      seen.set(v, round);
      console.log(`  VIOLATION (round ${round}): ${v}`);
      if (flags.verbose && !flags['no-state']) {
        const desk = /(desk-\d+@[^\s,]+)/.exec(v)?.[1];
        if (desk) for (const l of savedRecordsOf(desk.replace(/[,.]$/, ''))) console.log(`      saved ${l}`);
      }
    }
  }
  console.log(`crashtest: ${rounds} rounds, ${kills} kills (kill -9 of the gateway), ${sent} requests (${answered} answered before a kill-free quiescence), ${seen.size} violations`);
  if (flags.keep) console.log(`state dir kept: ${stateDir}`);
  return seen.size > 0 ? 1 : 0;
}

let code: number;
try {
  code = await main();
} catch (err) {
  await cleanup();
  fail(err instanceof Error ? err.message : String(err), 3);
}
await cleanup();
process.exit(code);
