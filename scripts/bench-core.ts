/**
 * `pnpm bench:core` — how fast the pure connector runs, next to a raw XState loop of the same
 * login saga, in one run (issue 2).
 *
 * Theory of operation
 * -------------------
 * Every figure is a rate measured with `performance.now()`: an untimed warm-up of WARM_UP_MS (JIT),
 * then several timed rounds, and the median round is reported (robust to a GC pause in one round).
 *
 *   connector inputs/s (VirtualWorld)  `step` driven by VirtualWorld against the simulator's model,
 *                                      faults none: 10 desk/agent pairs logging in and out in
 *                                      parallel; counts inputs fed per wall-clock second (the model's
 *                                      time is included — it is what exploration pays).
 *   login+logout cycles/s              the same run, in cycles.
 *   connector inputs/s (replay)        the inputs of such a run, recorded once with their instants,
 *                                      replayed in a tight loop into a fresh connector: `step` alone
 *                                      (30 replays a round, about as many inputs as XState's round).
 *   raw xstate transition()/s          `initialTransition` + `transition` of the `hotelingLogin`
 *                                      machine through its happy path (STEP_OK ×3, GUEST_ASSOCIATED,
 *                                      STEP_OK), carrying the snapshot — the public XState API, no
 *                                      connector around it.
 *
 * The functions are exported for `pnpm bench` (scripts/bench.ts); run directly, it prints them.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { step, type ConnectorState, type CstaRequest, type Input } from '@csta-bw/core';
import { VirtualWorld } from '@csta-bw/adapters';
import { hotelingLogin, type LoginInput } from '../packages/core/src/connector/sagas/hotelingLogin.js';
import { initialTransition, transition } from 'xstate';

// ---- measuring --------------------------------------------------------------------------------

export interface Rate {
  /** Units per second of the median round. */
  perSecond: number;
  /** Every timed round's rate, in order. */
  rounds: number[];
}

/** Warm-up: rounds of `work` until this much time has passed (at least one round). */
export const WARM_UP_MS = 1_500;

/**
 * Runs `work` (which returns how many units it did) untimed for WARM_UP_MS, then `rounds` timed
 * times. One untimed round was not enough: V8 was still re-optimising during the first timed
 * rounds, and the replay figure moved between 200,000 and 320,000 from one process to the next.
 */
export function measure(work: () => number, rounds = 5, prepare: () => void = () => {}): Rate {
  const warmUntil = performance.now() + WARM_UP_MS;
  do {
    prepare();
    work();
  } while (performance.now() < warmUntil);
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    prepare(); // untimed
    const t0 = performance.now();
    const units = work();
    const ms = performance.now() - t0;
    rates.push((units * 1000) / ms);
  }
  const sorted = [...rates].sort((a, b) => a - b);
  return { perSecond: sorted[Math.floor(sorted.length / 2)]!, rounds: rates };
}

// ---- in-process cycles ------------------------------------------------------------------------

export const PAIRS = 10;
const pair = (i: number) => ({ desk: `desk-${101 + i}`, agent: `agent-${String(i + 1).padStart(3, '0')}` });
const setState = (desk: string, agent: string, state: 'loggedOn' | 'loggedOff'): CstaRequest =>
  ({ service: 'SetAgentState', device: desk, requestedAgentState: state, agentID: agent });

export interface CycleRun {
  world: VirtualWorld;
  cycles: number;
  inputs: number;
  errors: number;
}

/**
 * `rounds` rounds of PAIRS parallel login+logout cycles on a fresh VirtualWorld (faults none).
 * desk-110 starts with its own agent signed in, so the login's host sign-out step is taken too.
 * The monitors are set up before `onStart` is called, so a timer can start there.
 */
export function cycleRun(rounds: number, onStart: () => void = () => {}): CycleRun {
  const w = new VirtualWorld({ seed: 1, faults: 'none', trace: false });
  for (let i = 0; i < PAIRS; i++) w.request('bench', `m${i}`, { service: 'MonitorStart', monitorObject: pair(i).desk });
  w.runUntilQuiet();
  const inputsBefore = w.inputsFed;
  onStart();
  for (let r = 0; r < rounds; r++) {
    for (const state of ['loggedOn', 'loggedOff'] as const) {
      for (let i = 0; i < PAIRS; i++) w.request('bench', `${r}-${state}-${i}`, setState(pair(i).desk, pair(i).agent, state));
      w.runUntilQuiet();
    }
  }
  const errors = w.answers.filter((a) => a.kind === 'error').length;
  return { world: w, cycles: rounds * PAIRS, inputs: w.inputsFed - inputsBefore, errors };
}

/**
 * Connector inputs/s and cycles/s through VirtualWorld (the same timed runs). Only the cycles are
 * timed, not building the world and its monitors; round 0 is the warm-up.
 */
export function benchVirtualWorld(rounds = 50, timedRounds = 5): { inputsPerSecond: Rate; cyclesPerSecond: Rate; errors: number } {
  const rates: number[] = [];
  let errors = 0;
  let cyclesPerInput = 0;
  for (let r = 0; r <= timedRounds; r++) {
    let t0 = 0;
    const run = cycleRun(rounds, () => { t0 = performance.now(); });
    const ms = performance.now() - t0;
    errors += run.errors;
    cyclesPerInput = run.cycles / run.inputs;
    if (r > 0) rates.push((run.inputs * 1000) / ms);
  }
  const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  return {
    inputsPerSecond: { perSecond: median, rounds: rates },
    cyclesPerSecond: { perSecond: median * cyclesPerInput, rounds: rates.map((x) => x * cyclesPerInput) },
    errors,
  };
}

// ---- replaying recorded inputs ------------------------------------------------------------------

export interface Recording {
  inputs: { input: Input; now: number }[];
  /** The connector as the recorded run created it, before its first input (asked of no field: a whole state). */
  initial: ConnectorState;
  /** How many commands the recorded run sent: the replay must send the same. */
  commands: number;
}

/**
 * Records every input VirtualWorld feeds the connector during `cycleRun(rounds)`. VirtualWorld has
 * no input hook, so its (TypeScript-private) `feed` is wrapped on this one instance.
 */
export function recordInputs(rounds = 20): Recording {
  const inputs: Recording['inputs'] = [];
  let initial: ConnectorState | undefined;
  let recording: VirtualWorld | undefined;
  const proto = VirtualWorld.prototype as unknown as { feed(this: VirtualWorld, input: Input): void };
  const original = proto.feed;
  proto.feed = function (this: VirtualWorld, input: Input) {
    if (this === recording || recording === undefined) {
      initial ??= structuredClone(this.connector);
      inputs.push({ input: structuredClone(input), now: this.now });
    }
    original.call(this, input);
  };
  try {
    const run = cycleRun(rounds, () => {});
    recording = run.world;
    if (initial === undefined) throw new Error('recordInputs: the world fed its connector nothing');
    return { inputs, initial, commands: run.world.commands.length };
  } finally {
    proto.feed = original;
  }
}

/** Feeds a recording into its connector as created (taking ownership of `rec.initial`); returns the number of commands it sent. */
export function replay(rec: Recording): number {
  let state = rec.initial;
  let commands = 0;
  for (const { input, now } of rec.inputs) {
    const r = step(state, input, now);
    state = r.state;
    for (const o of r.outputs) if (o.kind === 'xsp.command') commands++;
  }
  return commands;
}

/**
 * Each round replays the recording `perRound` times (about 100,000 inputs, like the raw XState
 * loop's round), so the JIT has warmed up as much as it has for XState: one replay of a few
 * thousand inputs is mostly cold code.
 */
export function benchReplay(rec: Recording, perRound = 30, rounds = 5): Rate {
  // A fresh copy for every replay, made before the round's clock starts: the connector keeps
  // references to the request objects it is given.
  let copies: Recording[] = [];
  const prepare = () => { copies = Array.from({ length: perRound }, () => structuredClone(rec)); };
  return measure(() => {
    let inputs = 0;
    for (let i = 0; i < perRound; i++) {
      const copy = copies[i]!;
      const sent = replay(copy);
      if (sent !== rec.commands) throw new Error(`replay diverged: ${sent} commands, the recorded run sent ${rec.commands}`);
      inputs += copy.inputs.length;
    }
    return inputs;
  }, rounds, prepare);
}

// ---- the raw XState loop ------------------------------------------------------------------------

export const LOGIN_INPUT: LoginInput = {
  hostUserId: 'desk-101@example.com',
  guestUserId: 'agent-001@example.com',
  forwardTo: '3001',
  hostStateBefore: 'Available',
  hostForwardingBefore: { active: false, ringSplash: false },
  guestStateBefore: 'Sign-Out',
  alreadyLoggedInHere: false,
};

/** The login saga's happy path, as the connector feeds it (five events after the initial state). */
export const LOGIN_EVENTS = [
  { type: 'STEP_OK' }, { type: 'STEP_OK' }, { type: 'STEP_OK' }, { type: 'GUEST_ASSOCIATED' }, { type: 'STEP_OK' },
] as const;

/** Transitions per second of the public `transition()` carrying the snapshot (counting each event). */
export function benchRawXstate(sagas = 20_000): Rate {
  return measure(() => {
    for (let i = 0; i < sagas; i++) {
      let [snap] = initialTransition(hotelingLogin, LOGIN_INPUT);
      for (const e of LOGIN_EVENTS) [snap] = transition(hotelingLogin, snap, e);
      if (snap.status !== 'done') throw new Error(`the login saga ended ${snap.status} in ${String(snap.value)}`);
    }
    return sagas * LOGIN_EVENTS.length;
  });
}

// ---- CLI ------------------------------------------------------------------------------------------

export interface CoreFigures {
  virtualWorld: { inputsPerSecond: number; cyclesPerSecond: number; errors: number };
  replay: { inputsPerSecond: number; inputs: number };
  rawXstate: { transitionsPerSecond: number };
}

export function benchCore(): CoreFigures {
  const vw = benchVirtualWorld();
  const rec = recordInputs();
  const rp = benchReplay(rec);
  const raw = benchRawXstate();
  return {
    virtualWorld: { inputsPerSecond: vw.inputsPerSecond.perSecond, cyclesPerSecond: vw.cyclesPerSecond.perSecond, errors: vw.errors },
    replay: { inputsPerSecond: rp.perSecond, inputs: rec.inputs.length },
    rawXstate: { transitionsPerSecond: raw.perSecond },
  };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const f = benchCore();
  console.log(`bench:core — median of 5 timed rounds after a warm-up (node ${process.version})`);
  console.log(`  connector inputs/s, VirtualWorld (step + simulator model): ${fmt(f.virtualWorld.inputsPerSecond)}`);
  console.log(`  connector inputs/s, replay of ${f.replay.inputs} recorded inputs (step alone): ${fmt(f.replay.inputsPerSecond)}`);
  console.log(`  login+logout cycles/s in process (VirtualWorld, faults none, ${PAIRS} pairs): ${fmt(f.virtualWorld.cyclesPerSecond)}`);
  console.log(`  raw xstate transition()/s, hotelingLogin happy path: ${fmt(f.rawXstate.transitionsPerSecond)}`);
  console.log(`  ratio connector (replay) ÷ raw xstate: ${(f.replay.inputsPerSecond / f.rawXstate.transitionsPerSecond).toFixed(2)}`);
  console.log(`  ratio connector (VirtualWorld) ÷ raw xstate: ${(f.virtualWorld.inputsPerSecond / f.rawXstate.transitionsPerSecond).toFixed(2)}`);
  if (f.virtualWorld.errors > 0) {
    console.error(`  ${f.virtualWorld.errors} requests were answered with an error`);
    process.exit(1);
  }
}
