/**
 * Random schedules for property tests and the explorer: several CSTA clients issuing requests
 * on shared desks and agents, external actors, a fault profile — run on a VirtualWorld, then
 * faults stop and the world must come to rest with every invariant holding.
 */
import type { CstaRequest } from '@csta-bw/core';
import { defaultDirectory, type Directory, type ExternalAction, type FaultProfile } from '@csta-bw/xsp-sim';
import { applyStart, describeFact, type StartFact } from './explore/startingWorld.js';
import { checkAlways, checkQuiescent, newHistory, noteLogin, type Violation, type WorldHistory } from './invariants.js';
import { askAtRest, checkAnswers } from './oracle/answers.js';
import { JobLifetimes } from './oracle/deadlines.js';
import { ModelSanity } from './oracle/modelSanity.js';
import { VirtualWorld, type VirtualWorldOptions, type WorldProbe } from './virtualWorld.js';

export type ScheduleStep =
  | { wait: number; kind: 'request'; link: string; request: CstaRequest }
  | { wait: number; kind: 'external'; action: ExternalAction }
  /** An XSP node fault (docs/redundancy.md): it dies, is partitioned away, goes slow, or is back. */
  | { wait: number; kind: 'node'; node: number; change: NodeChange; latencyMs?: number }
  /**
   * The connector process dies (issue 14) during the next input, once `cut` of its outputs are
   * carried out; a fresh one starts from the durable pairings (VirtualWorld `crash`).
   */
  | { wait: number; kind: 'crash'; cut: number };

export const NODE_CHANGES = ['down', 'partition', 'slow', 'up'] as const;
export type NodeChange = (typeof NODE_CHANGES)[number];
/**
 * What `slow` means unless the step says: slower than any fault profile, but with the profile's
 * own latency (≤ 2 s) still inside the connector's 5 s step deadline. A node slower than that
 * applies PUTs after the connector gave up on them — a limit pinned in
 * invariants.nodes.property.test.ts and written down in docs/redundancy.md.
 */
export const SLOW_NODE_MS = 2_500;

export interface Schedule {
  seed: number;
  faults: FaultProfile;
  /** How BroadWorks looks before the connector starts (absent: the directory as provisioned). */
  start?: StartFact[];
  /** XSP nodes in front of the simulator (absent: one); node steps name them 0…nodes−1. */
  nodes?: number;
  steps: ScheduleStep[];
}

export const DESKS = ['desk-101', 'desk-102', 'desk-103'];
export const AGENTS = ['agent-001', 'agent-002', 'agent-003'];
export const LINKS = ['L1', 'L2', 'L3'];

/** The default directory, with agent-003's associations limited to one hour (expiry paths). */
export function scheduleDirectory(): Directory {
  const d = defaultDirectory();
  const a3 = d.users.find((u) => u.userId === 'agent-003@example.com');
  if (a3?.hotelingGuest) a3.hotelingGuest = { ...a3.hotelingGuest, enableAssociationLimit: true, associationLimitHours: 1 };
  return d;
}

export interface ScheduleRun {
  world: VirtualWorld;
  history: WorldHistory;
  violations: Violation[];
  quiet: boolean;
  /** The oracle's "sometimes" targets: cases its checks judged in this run. */
  judged: Set<string>;
}

/** `makeWorld`: which world runs it (the explorer's `--world wire` passes WireWorld, explore/wireRun.ts). */
export function runSchedule(s: Schedule, opts: Partial<VirtualWorldOptions> = {}, makeWorld: (o: VirtualWorldOptions) => VirtualWorld = (o) => new VirtualWorld(o)): ScheduleRun {
  // The oracle watches job lifetimes after every instant (I11), beside the caller's probe.
  // … and the simulator's own consistency (M1), so a model slip is named as the model's.
  const lifetimes = new JobLifetimes();
  const model = new ModelSanity();
  const outer = opts.probe;
  const probe: WorldProbe = {
    input: (w, i, o) => outer?.input?.(w, i, o),
    delivery: (w, d) => outer?.delivery?.(w, d),
    tick: (w) => { model.tick(w); lifetimes.tick(w); outer?.tick?.(w); },
  };
  const world = makeWorld({
    seed: s.seed, faults: s.faults, directory: applyStart(scheduleDirectory(), s.start ?? []), lostAcks: true, ...(s.nodes !== undefined ? { nodes: s.nodes } : {}), ...opts, probe,
  });
  const history = newHistory(world);
  let invoke = 1;
  // Every desk is watched from the start, so I4 has something to check.
  for (const d of DESKS) world.request('L1', String(invoke++).padStart(4, '0'), { service: 'MonitorStart', monitorObject: d });
  const violations: Violation[] = [];
  for (const st of s.steps) {
    world.runUntil(world.now + st.wait);
    if (st.kind === 'request') {
      const id = String(invoke++).padStart(4, '0');
      noteLogin(world, history, world.linkOf(st.link), id, st.request);
      world.request(st.link, id, st.request);
    } else if (st.kind === 'node') {
      applyNodeChange(world, st.node, st.change, st.latencyMs);
    } else if (st.kind === 'crash') {
      world.crash(st.cut);
    } else {
      history.externals.push({ at: world.now, action: st.action });
      world.external(st.action);
    }
    violations.push(...model.check(), ...checkAlways(world, false));
    if (violations.length) break;
  }
  world.setFaults('none');
  // Faults stop: every node is back and at full speed.
  for (let n = 0; n < world.nodes; n++) applyNodeChange(world, n, 'up');
  let quiet = violations.length === 0 && world.runUntilQuiet(30 * 60_000);
  const judged = new Set<string>();
  if (violations.length === 0) {
    // At rest, a client asks every desk what it shows (I4, answers half).
    const asked = quiet ? askAtRest(world, DESKS) : [];
    if (quiet) quiet = world.runUntilQuiet(60_000);
    if (!quiet) violations.push({ invariant: 'I6', message: 'the world never came to rest after faults stopped' });
    violations.push(...model.check(), ...checkAlways(world, true, judged), ...lifetimes.check(world, judged));
    if (quiet) violations.push(...checkQuiescent(world, history, judged), ...checkAnswers(world, asked, judged));
  }
  return { world, history, violations: dedupe(violations), quiet, judged };
}

function applyNodeChange(world: VirtualWorld, node: number, change: NodeChange, latencyMs = SLOW_NODE_MS): void {
  if (node < 0 || node >= world.nodes) return; // a schedule written for more nodes: the step is void
  if (change === 'down' || change === 'partition') world.nodeDown(node, world.now, change === 'down' ? 'crash' : 'partition');
  else if (change === 'slow') world.nodeCondition(node, { latencyMs });
  else {
    world.nodeCondition(node, { latencyMs: 0, unavailable: false });
    world.nodeUp(node);
  }
}

function dedupe(v: Violation[]): Violation[] {
  const seen = new Set<string>();
  return v.filter((x) => (seen.has(x.message) ? false : (seen.add(x.message), true)));
}

export function describeSchedule(s: Schedule): string {
  const lines = [`seed=${s.seed} faults=${s.faults}${s.nodes !== undefined ? ` nodes=${s.nodes}` : ''}`];
  for (const f of s.start ?? []) lines.push(`  start: ${describeFact(f)}`);
  let t = 0;
  for (const st of s.steps) {
    t += st.wait;
    const what = st.kind === 'request' ? `${st.link} ${JSON.stringify(st.request)}`
      : st.kind === 'node' ? `XSP node ${st.node} ${st.change}${st.latencyMs !== undefined ? ` ${st.latencyMs} ms` : ''}`
      : st.kind === 'crash' ? `connector crash after ${st.cut} output(s) of the next input` : `external ${JSON.stringify(st.action)}`;
    lines.push(`  +${st.wait}ms (t≈${t}) ${what}`);
  }
  return lines.join('\n');
}
