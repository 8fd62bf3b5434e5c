/**
 * Random schedules for the explorer, drawn from one seed with the simulator's own PRNG (mulberry32,
 * `seedWord`/`nextWord`): run seed S always gives the same schedule, so "seed S" is a complete
 * name for a run and `--replay` needs nothing else.
 *
 * A scenario is the shape of the schedules drawn: which requests and external actors take part,
 * how many steps, how long the waits. `mixed` (the default) is the same mix as the property tests'
 * fast-check generator (packages/adapters/test/arbitraries.ts): several clients on three shared
 * desks and three agents, every external actor, waits long enough to pass agent-003's one-hour
 * association limit now and then, and now and then a whole stay at a desk (login, later logout). The others narrow the mix to one concern.
 *
 * `failover` is `mixed` on two XSP nodes with node faults woven in (docs/redundancy.md): right
 * after a request now and then, a node dies, is partitioned away or goes slow, and comes back a
 * step or two later; now and then both go down at once, then both return. They are drawn from a
 * stream of their own, so the requests and external actors of a seed stay those of `mixed`.
 * Under the `hostile` profile `mixed` itself runs a share of its worlds that way
 * (HOSTILE_CLUSTER_SHARE, chosen by a stream of its own too): node loss is one of the faults the
 * hostile profile injects (DESIGN §10), and a seed's other steps stay what they were.
 *
 * Under the `hostile` profile the connector process also crashes now and then (issue 14): shortly
 * after a request, during one of the next inputs, after some of its outputs — so a login, a logout
 * or a compensation is cut anywhere, a PUT sent and the pairing saved or not. Drawn from a stream
 * of their own too, so the rest of a seed's schedule is the same with or without them.
 *
 * A share of `mixed` runs (and so of `failover`) open with a lone failed login (drawLoneFailedLogin,
 * a stream of its own): a desk that starts forwarded and with its own agent signed in refuses an
 * agent's association limit, and nothing else in the run names that desk or agent — the case I5
 * judges, which the random mix reached about once in a thousand runs. A smaller share open with a
 * lone stay (drawLoneStay: a login and its logout at a desk that starts forwarded), the pair I9
 * judges for the forward put back. Every other seed's schedule is what it was.
 */
import type { CstaRequest } from '@csta-bw/core';
import { nextWord, seedWord, type ExternalAction, type FaultProfile } from '@csta-bw/xsp-sim';
import { usersTouched } from '../oracle/restore.js';
import { AGENTS, DESKS, LINKS, type NodeChange, type Schedule, type ScheduleStep } from '../schedule.js';
import { START_AGENT_STATES, type StartFact } from './startingWorld.js';

/** A stream of draws from one seed; the state is one uint32 word. */
export class Draws {
  private word: number;

  constructor(seed: number) {
    this.word = seedWord(seed);
  }

  /** A uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    const { value, word } = nextWord(this.word);
    this.word = word;
    return lo + Math.floor((value / 0x1_0000_0000) * (hi - lo + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }

  chance(p: number): boolean {
    return this.int(0, 999_999) < p * 1_000_000;
  }

  /** One of several choices, by integer weight. */
  weighted<T>(choices: readonly (readonly [number, () => T])[]): T {
    const total = choices.reduce((n, [w]) => n + w, 0);
    let x = this.int(0, total - 1);
    for (const [w, make] of choices) {
      if (x < w) return make();
      x -= w;
    }
    return choices[choices.length - 1]![1]();
  }
}

const full = (id: string) => `${id}@example.com`;

function request(d: Draws, only?: 'hoteling'): CstaRequest {
  const desk = () => d.pick(DESKS);
  const agent = () => d.pick(AGENTS);
  const choices: (readonly [number, () => CstaRequest])[] = [
    [5, () => ({ service: 'SetAgentState', device: desk(), requestedAgentState: 'loggedOn', agentID: agent() })],
    [4, () => (d.chance(0.5)
      ? { service: 'SetAgentState', device: desk(), requestedAgentState: 'loggedOff' }
      : { service: 'SetAgentState', device: desk(), requestedAgentState: 'loggedOff', agentID: agent() })],
  ];
  if (only !== 'hoteling') {
    choices.push(
      [2, () => ({ service: 'SetAgentState', device: desk(), requestedAgentState: d.pick(['ready', 'notReady', 'workingAfterCall'] as const) })],
      [1, () => ({ service: 'SetForwarding', device: desk(), forwardingType: 'forwardImmediate', activateForward: d.chance(0.5), forwardDN: d.pick(['9999', '2199']) })],
      [1, () => ({ service: 'GetAgentState', device: desk() })],
    );
  }
  return d.weighted(choices);
}

function external(d: Draws, channelWeight = 1): ExternalAction {
  const desk = () => full(d.pick(DESKS));
  const agent = () => full(d.pick(AGENTS));
  return d.weighted<ExternalAction>([
    [1, () => ({ kind: 'portalAssociate', guestUserId: agent(), hostUserId: desk() })],
    [1, () => ({ kind: 'portalRelease', guestUserId: agent() })],
    [1, () => ({ kind: 'hostForceRelease', hostUserId: desk() })],
    [1, () => ({ kind: 'phoneSetAgentState', userId: d.chance(0.5) ? agent() : desk(), state: d.pick(['Available', 'Unavailable', 'Sign-Out', 'Wrap-Up'] as const) })],
    [1, () => ({ kind: 'setForwarding', userId: desk(), active: d.chance(0.5), forwardToPhoneNumber: '9999' })],
    [channelWeight, () => ({ kind: 'channelTerminate' })],
  ]);
}

function wait(d: Draws, longWaits: boolean): number {
  return d.weighted([
    [6, () => d.int(0, 300)],
    [3, () => d.int(300, 6_000)],
    // Past agent-003's one-hour association limit (scheduleDirectory).
    [longWaits ? 1 : 0, () => 2 * 3_600_000],
  ]);
}

export interface ExploreScenario {
  description: string;
  steps(d: Draws): ScheduleStep[];
}

function stepsOf(d: Draws, n: number, make: () => ScheduleStep): ScheduleStep[] {
  return Array.from({ length: n }, make);
}

const req = (d: Draws, w: number, r: CstaRequest): ScheduleStep => ({ wait: w, kind: 'request', link: d.pick(LINKS), request: r });

/** An agent's stay at a desk: a login, then (after a while, from any client) its logout — the pair I9 judges. */
function session(d: Draws): ScheduleStep[] {
  const desk = d.pick(DESKS);
  const agent = d.pick(AGENTS);
  const logout: CstaRequest = d.chance(0.5)
    ? { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOff', agentID: agent }
    : { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOff' };
  return [req(d, wait(d, false), { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOn', agentID: agent }), req(d, d.int(500, 8_000), logout)];
}

export type ScenarioName = 'mixed' | 'hoteling' | 'external' | 'channel' | 'failover';

export const EXPLORE_SCENARIOS: Readonly<Record<ScenarioName, ExploreScenario>> = {
  mixed: {
    description: 'several clients on 3 shared desks and 3 agents, every request kind, every external actor, long waits (expiry)',
    steps: (d) => stepsOf(d, d.int(1, 14), () => (d.chance(0.8) ? req(d, wait(d, true), request(d)) : { wait: wait(d, true), kind: 'external', action: external(d) }))
      .flatMap((st) => (d.chance(0.12) ? session(d) : [st])),
  },
  hoteling: {
    description: 'logins and logouts only, from several clients on shared desks and agents; no external actor',
    steps: (d) => stepsOf(d, d.int(1, 14), () => req(d, wait(d, false), request(d, 'hoteling'))),
  },
  external: {
    description: 'logins and logouts raced by external actors (portal, force-release, phone, forwarding) half of the time',
    steps: (d) => stepsOf(d, d.int(1, 14), () => (d.chance(0.5) ? req(d, wait(d, true), request(d, 'hoteling')) : { wait: wait(d, true), kind: 'external', action: external(d, 0) })),
  },
  failover: {
    description: 'mixed, on two XSP nodes that die, are partitioned away or go slow mid-saga and come back; now and then both at once',
    steps: (d) => EXPLORE_SCENARIOS.mixed.steps(d),
  },
  channel: {
    description: 'logins and logouts with the event channel dropped often (resync after every loss)',
    steps: (d) => stepsOf(d, d.int(1, 14), () => (d.chance(0.7) ? req(d, wait(d, false), request(d, 'hoteling')) : { wait: wait(d, false), kind: 'external', action: { kind: 'channelTerminate' } })),
  },
};

/** Run `index` of an exploration seeded `baseSeed`: its own seed, so any run replays alone. */
export function runSeed(baseSeed: number, index: number): number {
  return ((baseSeed >>> 0) + Math.imul(index, 0x9e3779b1)) >>> 0 || 1;
}

/**
 * A starting world (startingWorld.ts): most runs start from desks that are not blank — forwarded
 * (to a number, another desk, an agent in play, by user id; with ring splash), with their own agent
 * signed in, an agent already seated (often with the desk forwarded to it), limits, DND, agents
 * without extensions.
 */
export function drawStart(d: Draws): StartFact[] {
  const facts: StartFact[] = [];
  if (d.chance(0.25)) return facts;
  const desk = () => full(d.pick(DESKS));
  const agent = () => full(d.pick(AGENTS));
  const n = d.int(1, 5);
  for (let i = 0; i < n; i++) {
    d.weighted<void>([
      [4, () => { facts.push({ kind: 'forwarded', userId: desk(), to: d.pick(['9999', '+1 202-555-0100', '2104', '3002', 'agent-002@example.com']), ringSplash: d.chance(0.5) }); }],
      [3, () => { facts.push({ kind: 'agentState', userId: d.chance(0.7) ? desk() : agent(), state: d.pick(START_AGENT_STATES) }); }],
      [3, () => {
        const guest = agent();
        const host = desk();
        facts.push({ kind: 'associated', guestUserId: guest, hostUserId: host });
        // As a connector (or the portal's user) left it: the desk forwarded to its guest, the guest signed in.
        if (d.chance(0.6)) facts.push({ kind: 'forwarded', userId: host, to: d.chance(0.8) ? `${3000 + AGENTS.indexOf(guest.split('@')[0]!) + 1}` : guest, ringSplash: false });
        if (d.chance(0.6)) facts.push({ kind: 'agentState', userId: guest, state: d.pick(START_AGENT_STATES) });
      }],
      [1, () => { facts.push({ kind: 'guestLimit', guestUserId: agent(), hours: d.int(1, 3) }); }],
      [1, () => {
        // Often with an agent whose own limit is longer: BroadWorks refuses that association (a failed login, no fault needed).
        facts.push({ kind: 'hostLimit', hostUserId: desk(), hours: d.int(1, 3) });
        if (d.chance(0.6)) facts.push({ kind: 'guestLimit', guestUserId: agent(), hours: d.int(4, 24) });
      }],
      [1, () => {
        const a = d.pick(AGENTS);
        facts.push(d.chance(0.5) ? { kind: 'noExtension', userId: full(a) } : { kind: 'noExtension', userId: full(a), number: `+1202555${a.slice(-4)}` });
      }],
      [1, () => { facts.push({ kind: 'doNotDisturb', userId: d.chance(0.5) ? desk() : agent() }); }],
    ]);
  }
  return facts;
}

/** XSP nodes of the `failover` scenario (and of the hostile `mixed` runs on a cluster). */
export const FAILOVER_NODES = 2;
/** Share of hostile `mixed` runs on FAILOVER_NODES nodes with node faults: enough to reach the failover targets in a default-length exploration. */
export const HOSTILE_CLUSTER_SHARE = 0.25;
/** Salt of the draw that puts a hostile `mixed` run on a cluster. */
const CLUSTER_STREAM = 0x434c5553;
/** Salt of the node-fault stream (so it is independent of the steps' stream). */
const NODE_STREAM = 0x4e4f4445;

/** Node faults woven into `steps` (see the header): a fault after a request, its recovery a step or two later. */
export function withNodeFaults(steps: ScheduleStep[], seed: number): ScheduleStep[] {
  const nd = new Draws((seed ^ NODE_STREAM) >>> 0 || 1);
  const out: ScheduleStep[] = [];
  /** Recoveries owed, and how many more steps before each. */
  let owed: { node: number; after: number }[] = [];
  const fault = (node: number, change: NodeChange): ScheduleStep => ({ wait: nd.int(0, 400), kind: 'node', node, change });
  for (const st of steps) {
    out.push(st);
    for (const o of owed) o.after--;
    for (const o of owed.filter((x) => x.after < 0)) out.push({ wait: nd.int(0, 3_000), kind: 'node', node: o.node, change: 'up' });
    owed = owed.filter((o) => o.after >= 0);
    if (st.kind !== 'request' || owed.length > 0) continue;
    nd.weighted<void>([
      [6, () => undefined],
      [3, () => {
        const node = nd.int(0, FAILOVER_NODES - 1);
        out.push(fault(node, nd.weighted<NodeChange>([[3, () => 'down'], [2, () => 'partition'], [1, () => 'slow']])));
        owed.push({ node, after: nd.int(0, 1) });
      }],
      [1, () => {
        for (let node = 0; node < FAILOVER_NODES; node++) {
          out.push(fault(node, 'down'));
          owed.push({ node, after: nd.int(0, 1) });
        }
      }],
    ]);
  }
  for (const o of owed) out.push({ wait: nd.int(0, 3_000), kind: 'node', node: o.node, change: 'up' });
  return out;
}

/** Salt of the crash stream. */
const CRASH_STREAM = 0x43524153;

/** Connector crashes woven into `steps` (hostile profile, see the header): now and then, shortly after a request. */
export function withCrashes(steps: ScheduleStep[], seed: number): ScheduleStep[] {
  const cd = new Draws((seed ^ CRASH_STREAM) >>> 0 || 1);
  const out: ScheduleStep[] = [];
  for (const st of steps) {
    out.push(st);
    if (st.kind === 'request' && cd.chance(0.2)) out.push({ wait: cd.int(0, 600), kind: 'crash', cut: cd.int(0, 6) });
  }
  return out;
}

/** Share of `mixed` (and `failover`) runs given a lone failed login (drawLoneFailedLogin): enough that a 60 s exploration, in either world, judges a few. */
export const LONE_FAILED_LOGIN_SHARE = 0.06;
/** Salt of the lone-failed-login stream (whether a run gets one, and its desk, agent and start). */
const FAILED_LOGIN_STREAM = 0x46414c47;

const bare = (id: string) => id.split('@')[0]!;

/** Does `st` name `desk` or `agent` (so it could change them, or race a login there)? */
function names(st: ScheduleStep, desk: string, agent: string): boolean {
  const r = st.kind === 'request' ? st.request : undefined;
  const users = r ? [('device' in r ? r.device : undefined), ('agentID' in r ? r.agentID : undefined)].filter((u) => u !== undefined)
    : st.kind === 'external' ? usersTouched(st.action) : [];
  return users.some((u) => bare(u) === desk || bare(u) === agent);
}

/** Time a lone opening's login gets to itself before the run goes on: past its saga timeout (10 s) and its hostile latencies. */
const LONE_LOGIN_ROOM = 15_000;

/** A run's opening at a desk and agent of its own: the starting facts there, and its steps (a login, maybe its logout). */
export interface LoneOpening { desk: string; agent: string; facts: StartFact[]; steps: ScheduleStep[] }

/**
 * Now and then (LONE_FAILED_LOGIN_SHARE of `mixed` and `failover` runs, its own stream) a run opens with a login
 * that fails at a desk that starts forwarded (to a number, not an agent) and with its own agent
 * signed in — the case I5 judges hardest ("put back what was there": the forward and the host's
 * state). BroadWorks refuses the association (the desk enforces a shorter limit than the agent's);
 * faults may break a step before that. See generateSchedule for how it joins the run.
 */
export function drawLoneFailedLogin(seed: number): LoneOpening | undefined {
  const fd = new Draws((seed ^ FAILED_LOGIN_STREAM) >>> 0 || 1);
  if (!fd.chance(LONE_FAILED_LOGIN_SHARE)) return undefined;
  const desk = fd.pick(DESKS);
  const agent = fd.pick(AGENTS);
  const forwarded = fd.chance(0.8);
  const signedIn = !forwarded || fd.chance(0.8);
  const facts: StartFact[] = [
    ...(forwarded ? [{ kind: 'forwarded', userId: full(desk), to: fd.pick(['9999', '+1 202-555-0100', '2104']), ringSplash: fd.chance(0.5) } as const] : []),
    ...(signedIn ? [{ kind: 'agentState', userId: full(desk), state: fd.pick(START_AGENT_STATES) } as const] : []),
    { kind: 'hostLimit', hostUserId: full(desk), hours: fd.int(1, 3) },
    { kind: 'guestLimit', guestUserId: full(agent), hours: fd.int(4, 24) },
  ];
  const login: ScheduleStep = { wait: fd.int(0, 300), kind: 'request', link: fd.pick(LINKS), request: { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOn', agentID: agent } };
  return { desk, agent, facts, steps: [login] };
}

/** Share of `mixed` (and `failover`) runs without a lone failed login given a lone stay (drawLoneStay). */
export const LONE_STAY_SHARE = 0.04;
/** Salt of the lone-stay stream. */
const STAY_STREAM = 0x53544159;

/**
 * Now and then (LONE_STAY_SHARE, its own stream) a run opens with a whole stay — a login, and its
 * logout once the login has had time to finish — at a desk that starts forwarded to a number (its
 * own agent signed in or not), nothing else naming that desk or agent: the pair I9 judges for
 * "the forward put back" (restore:forwarded-desk), which the random mix reached about once in 200 runs.
 */
export function drawLoneStay(seed: number): LoneOpening | undefined {
  const sd = new Draws((seed ^ STAY_STREAM) >>> 0 || 1);
  if (!sd.chance(LONE_STAY_SHARE)) return undefined;
  const desk = sd.pick(DESKS);
  const agent = sd.pick(AGENTS);
  const facts: StartFact[] = [
    { kind: 'forwarded', userId: full(desk), to: sd.pick(['9999', '+1 202-555-0100', '2104']), ringSplash: sd.chance(0.5) },
    ...(sd.chance(0.5) ? [{ kind: 'agentState', userId: full(desk), state: sd.pick(START_AGENT_STATES) } as const] : []),
  ];
  const link = sd.pick(LINKS);
  const logout: CstaRequest = sd.chance(0.5)
    ? { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOff', agentID: agent }
    : { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOff' };
  return {
    desk, agent, facts,
    steps: [
      { wait: sd.int(0, 300), kind: 'request', link, request: { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOn', agentID: agent } },
      { wait: LONE_LOGIN_ROOM + sd.int(0, 3_000), kind: 'request', link: sd.pick(LINKS), request: logout },
    ],
  };
}

/** Does a starting fact name `desk` or `agent`? */
function factNames(f: StartFact, desk: string, agent: string): boolean {
  const users = f.kind === 'associated' ? [f.guestUserId, f.hostUserId] : f.kind === 'guestLimit' ? [f.guestUserId] : f.kind === 'hostLimit' ? [f.hostUserId] : [f.userId];
  return users.some((u) => bare(u) === desk || bare(u) === agent);
}

/** The schedule of one run: the run seed drives its starting world, its steps and the simulator's faults. */
export function generateSchedule(seed: number, faults: FaultProfile, scenario: ScenarioName = 'mixed'): Schedule {
  const d = new Draws(seed);
  const drawnStart = drawStart(d);
  const drawnSteps = EXPLORE_SCENARIOS[scenario].steps(d);
  // A lone opening (a failed login, drawLoneFailedLogin, or a stay, drawLoneStay) has its desk and
  // agent to itself, as I5 and I9 need to judge it: the drawn facts and steps naming them are left
  // out, nothing crashes right after its steps, and the run goes on once it has had time to finish.
  const lone = scenario === 'mixed' || scenario === 'failover' ? drawLoneFailedLogin(seed) ?? drawLoneStay(seed) : undefined;
  const start = lone ? [...drawnStart.filter((f) => !factNames(f, lone.desk, lone.agent)), ...lone.facts] : drawnStart;
  const drawn = lone ? drawnSteps.filter((st) => !names(st, lone.desk, lone.agent)).map((st, i) => (i === 0 ? { ...st, wait: st.wait + LONE_LOGIN_ROOM } : st)) : drawnSteps;
  const failover = scenario === 'failover'
    || (scenario === 'mixed' && faults === 'hostile' && new Draws((seed ^ CLUSTER_STREAM) >>> 0 || 1).chance(HOSTILE_CLUSTER_SHARE));
  const crashing = faults === 'hostile' ? withCrashes(drawn, seed) : drawn;
  const opened = lone ? [...lone.steps, ...crashing] : crashing;
  const steps = failover ? withNodeFaults(opened, seed) : opened;
  return { seed, faults, ...(start.length > 0 ? { start } : {}), ...(failover ? { nodes: FAILOVER_NODES } : {}), steps };
}

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(EXPLORE_SCENARIOS, name);
}
