/**
 * Bounded exhaustive exploration of a small world: every interleaving of a bounded action
 * alphabet up to depth K, breadth first, deduplicated by state (abstractState.ts `branchKey`).
 *
 * The world: 2 hosts (desk-101 with nobody signed in, desk-102 with its own agent signed in),
 * 2 guests (agent-001, agent-002), both desks monitored, faults off — faults are actions here,
 * so the enumeration, not a PRNG, decides where they strike.
 *
 * Theory of operation
 * - A state is a VirtualWorld (cloned per branch: `VirtualWorld.clone`) plus the oracle's history
 *   and the faults already used on this path.
 * - An action is one of (see `ACTIONS`):
 *     client   login H G (4) · logout H (2) — fed at once
 *     actor    the portal releases G (2) — one external actor
 *     fault    503 · 500 · timeout-applied · timeout-lost on the earliest command in flight;
 *              event-delay (+1.5 s, with the later events about the same user) · duplicate on
 *              the earliest event in flight; channel-terminate — each at most once per path
 *     time     tick: deliver whatever is due next (a result, an event, a timer)
 *   An action that cannot apply (no command in flight, fault already used) is not enabled.
 * - Every new distinct state is checked: I6/I7 as it stands, then — on a copy, with nothing more
 *   injected — run until quiet and check I1–I7. So each state is also a leaf: "the schedule
 *   ends here".
 */
import type { CstaRequest } from '@csta-bw/core';
import { defaultDirectory, xspError, type Directory, type Scheduled, type XspState } from '@csta-bw/xsp-sim';
import { checkAlways, checkQuiescent, newHistory, noteLogin, type Violation, type WorldHistory } from '../invariants.js';
import { VirtualWorld } from '../virtualWorld.js';
import { branchKey } from './abstractState.js';

export const SMALL_HOSTS = ['desk-101@example.com', 'desk-102@example.com'];
export const SMALL_GUESTS = ['agent-001@example.com', 'agent-002@example.com'];

/** The small world's directory: the default users cut down to 2 hosts and 2 guests. */
export function smallDirectory(): Directory {
  const d = defaultDirectory();
  const keep = new Set([...SMALL_HOSTS, ...SMALL_GUESTS]);
  const users = d.users.filter((u) => keep.has(u.userId)).map((u) =>
    u.userId === 'desk-102@example.com' ? { ...u, callCenter: { agentACDState: 'Available' as const } } : u);
  return { ...d, users, callCenters: [{ serviceUserId: 'sales-cc@example.com', agentUserIds: [...keep] }] };
}

type FaultName = '503' | '500' | 'timeout-applied' | 'timeout-lost' | 'event-delay' | 'duplicate' | 'channel-terminate';
export const EXHAUSTIVE_FAULTS: readonly FaultName[] = ['503', '500', 'timeout-applied', 'timeout-lost', 'event-delay', 'duplicate', 'channel-terminate'];

/** One state of the enumeration: a world, the oracle's history, the faults this path used. */
export interface ExhaustiveNode {
  world: VirtualWorld;
  history: WorldHistory;
  faultsUsed: FaultName[];
  invoke: number;
  path: string[];
}

export interface Action {
  name: string;
  /** Applies the action to `n` (a private copy), or returns false when it is not enabled. */
  apply(n: ExhaustiveNode): boolean;
}

const LINK = 'L1';
const EVENT_DELAY_MS = 1_500;

function request(n: ExhaustiveNode, r: CstaRequest): boolean {
  const id = String(n.invoke++).padStart(4, '0');
  noteLogin(n.world, n.history, LINK, id, r);
  n.world.request(LINK, id, r);
  n.world.runUntil(n.world.now);
  return true;
}

function external(n: ExhaustiveNode, action: Parameters<VirtualWorld['external']>[0]): boolean {
  n.history.externals.push({ at: n.world.now, action });
  n.world.external(action);
  n.world.runUntil(n.world.now);
  return true;
}

const withQueue = (s: XspState, queue: Scheduled[], extra: Partial<XspState> = {}): XspState =>
  ({ ...s, ...extra, queue: queue.sort((a, b) => a.at - b.at || a.seq - b.seq) });

/** Rewrites the earliest command in flight (one that will be answered) with a request fault. */
function requestFault(n: ExhaustiveNode, fault: '503' | '500' | 'timeout-applied' | 'timeout-lost'): boolean {
  const s = n.world.xsp;
  const i = s.queue.findIndex((q) => q.kind === 'execute' && q.reply);
  const q = s.queue[i];
  if (q === undefined || q.kind !== 'execute') return false;
  const queue = [...s.queue];
  if (fault === 'timeout-lost') queue.splice(i, 1);
  else if (fault === 'timeout-applied') queue[i] = { ...q, reply: false };
  else queue[i] = { kind: 'reply', requestId: q.requestId, outcome: xspError(fault === '503' ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_ERROR'), at: q.at, seq: q.seq };
  n.world.xsp = withQueue(s, queue);
  return true;
}

/** Delays the earliest fresh event delivery, and every later one about the same user (per-user order). */
function eventDelay(n: ExhaustiveNode): boolean {
  const s = n.world.xsp;
  const first = s.queue.find((q) => q.kind === 'deliver' && !q.duplicate && q.channelId === undefined);
  if (first === undefined || first.kind !== 'deliver') return false;
  const target = first.event.targetId;
  const queue = s.queue.map((q) => (q.kind === 'deliver' && q.event.targetId === target && q.seq >= first.seq ? { ...q, at: q.at + EVENT_DELAY_MS } : q));
  const clock = Math.max(s.userEventClock[target] ?? 0, first.at + EVENT_DELAY_MS);
  n.world.xsp = withQueue(s, queue, { userEventClock: { ...s.userEventClock, [target]: clock } });
  return true;
}

/** Delivers the earliest fresh event twice. */
function duplicate(n: ExhaustiveNode): boolean {
  const s = n.world.xsp;
  const first = s.queue.find((q) => q.kind === 'deliver' && !q.duplicate && q.channelId === undefined);
  if (first === undefined || first.kind !== 'deliver') return false;
  n.world.xsp = withQueue(s, [...s.queue, { ...first, duplicate: true, seq: s.seq }], { seq: s.seq + 1 });
  return true;
}

function fault(name: FaultName, apply: (n: ExhaustiveNode) => boolean): Action {
  return {
    name: `fault ${name}`,
    apply: (n) => {
      if (n.faultsUsed.includes(name) || !apply(n)) return false;
      n.faultsUsed.push(name);
      return true;
    },
  };
}

const short = (id: string) => id.split('@')[0]!;

/** The action alphabet, in a fixed order (the enumeration order). */
export const ACTIONS: readonly Action[] = [
  ...SMALL_HOSTS.flatMap((h) => SMALL_GUESTS.map((g): Action => ({
    name: `login ${short(h)} ${short(g)}`,
    apply: (n) => request(n, { service: 'SetAgentState', device: short(h), requestedAgentState: 'loggedOn', agentID: short(g) }),
  }))),
  ...SMALL_HOSTS.map((h): Action => ({
    name: `logout ${short(h)}`,
    apply: (n) => request(n, { service: 'SetAgentState', device: short(h), requestedAgentState: 'loggedOff' }),
  })),
  ...SMALL_GUESTS.map((g): Action => ({ name: `portal releases ${short(g)}`, apply: (n) => external(n, { kind: 'portalRelease', guestUserId: g }) })),
  fault('503', (n) => requestFault(n, '503')),
  fault('500', (n) => requestFault(n, '500')),
  fault('timeout-applied', (n) => requestFault(n, 'timeout-applied')),
  fault('timeout-lost', (n) => requestFault(n, 'timeout-lost')),
  fault('event-delay', eventDelay),
  fault('duplicate', duplicate),
  fault('channel-terminate', (n) => external(n, { kind: 'channelTerminate' })),
  {
    name: 'tick',
    apply: (n) => {
      const at = n.world.nextAt();
      if (at === undefined) return false;
      n.world.runUntil(at);
      return true;
    },
  },
];

function cloneNode(n: ExhaustiveNode): ExhaustiveNode {
  return {
    world: n.world.clone(),
    history: { initial: n.history.initial, externals: n.history.externals.slice(), beforeLogin: new Map(n.history.beforeLogin) },
    faultsUsed: n.faultsUsed.slice(),
    invoke: n.invoke,
    path: n.path.slice(),
  };
}

/** The start: both desks monitored, everything settled. */
function initialNode(): ExhaustiveNode {
  const world = new VirtualWorld({ seed: 1, faults: 'none', directory: smallDirectory() });
  const n: ExhaustiveNode = { world, history: newHistory(world), faultsUsed: [], invoke: 1, path: [] };
  for (const h of SMALL_HOSTS) request(n, { service: 'MonitorStart', monitorObject: short(h) });
  world.runUntilQuiet();
  return n;
}

/** I6/I7 now; then, on a copy, quiescence and I1–I7 ("the schedule ends here"). */
function checkState(n: ExhaustiveNode): Violation[] {
  const now = checkAlways(n.world, false);
  if (now.length) return now;
  const end = cloneNode(n);
  const quiet = end.world.runUntilQuiet(30 * 60_000);
  if (!quiet) return [{ invariant: 'I6', message: 'the world never came to rest' }];
  return [...checkAlways(end.world, true), ...checkQuiescent(end.world, end.history)];
}

export interface ExhaustiveProgress {
  depth: number;
  states: number;
  transitions: number;
  frontier: number;
}

export interface ExhaustiveResult extends ExhaustiveProgress {
  /** Every interleaving up to `depth` was explored (false: stopped early). */
  complete: boolean;
  /** States whose key had been seen already (pruned). */
  duplicates: number;
  /** Distinct states per depth (index = depth). */
  perDepth: number[];
  counterexample?: { path: string[]; violations: Violation[] };
}

export interface ExhaustiveOptions {
  depth: number;
  /** Called now and then; return true to stop early (a time budget). */
  onProgress?: (p: ExhaustiveProgress) => boolean | void;
  /** The alphabet (tests pass a smaller one). */
  actions?: readonly Action[];
}

export function exploreExhaustively(opts: ExhaustiveOptions): ExhaustiveResult {
  const actions = opts.actions ?? ACTIONS;
  const keyOf = (n: ExhaustiveNode) => branchKey(n.world, n.faultsUsed.slice().sort().join(','));
  const root = initialNode();
  const seen = new Set<string>([keyOf(root)]);
  const result: ExhaustiveResult = { depth: 0, states: 1, transitions: 0, frontier: 1, complete: false, duplicates: 0, perDepth: [1] };
  const bad = checkState(root);
  if (bad.length) return { ...result, counterexample: { path: [], violations: bad } };

  let frontier: ExhaustiveNode[] = [root];
  for (let depth = 1; depth <= opts.depth; depth++) {
    const next: ExhaustiveNode[] = [];
    let distinct = 0;
    for (const node of frontier) {
      for (const action of actions) {
        const child = cloneNode(node);
        if (!action.apply(child)) continue;
        child.path.push(action.name);
        result.transitions++;
        if (result.transitions % 256 === 0 && opts.onProgress?.({ depth, states: result.states, transitions: result.transitions, frontier: frontier.length }) === true) {
          return { ...result, depth };
        }
        const key = keyOf(child);
        if (seen.has(key)) {
          result.duplicates++;
          continue;
        }
        seen.add(key);
        distinct++;
        result.states++;
        const violations = checkState(child);
        if (violations.length) return { ...result, depth, counterexample: { path: child.path, violations } };
        if (depth < opts.depth) next.push(child);
      }
    }
    result.perDepth.push(distinct);
    result.depth = depth;
    result.frontier = next.length;
    frontier = next;
  }
  return { ...result, complete: true };
}
