/**
 * "Sometimes" checks: things that must happen at least once in an exploration of the default
 * length, or the exploration proves little — every fault kind the simulator injects and every
 * branch of the sagas. An exploration that never reached one fails and names it.
 *
 * Each target is detected from the outside, by a read-only probe on the world (VirtualWorld
 * `WorldProbe`), never by changing connector behaviour:
 * - request faults: at the moment a command is submitted the simulator's agenda says what will
 *   become of it — a `reply` (503/500), an `execute` whose answer is lost (timeout-applied), or
 *   nothing at all (timeout-lost);
 * - event faults: a fresh event delivery scheduled later than now (delay); an eventId delivered
 *   a second time (duplicate); a channel termination delivered to the binding;
 * - saga branches: the step name of each command the connector sends (the core's `commandPurpose`:
 *   `signOutHost`, `undo.*`, `move.*`, …), the job kind (`cleanup`), resync reads, and a login saga
 *   seen past its sign-out step without having sent it (host sign-out skipped);
 * - association expiry: an `associationExpiry` agendum that fired while its association still held.
 * - node faults (several XSPs: failover, and hostile mixed): a node lost (crash or partition) while a login or a
 *   logout saga is in flight; every node down at once, then a channel of the set up again.
 */
import { commandPurpose, liveJobs, loginsPastHostSignOut, type Input, type Output } from '@csta-bw/core';
import { nodeViews, type Delivery } from '@csta-bw/xsp-sim';
import type { VirtualWorld, WorldProbe } from '../virtualWorld.js';

export const FAULT_TARGETS = [
  'fault:503', 'fault:500', 'fault:timeout-applied', 'fault:timeout-lost', 'fault:event-delay', 'fault:duplicate-event', 'fault:channel-terminated',
  'fault:ack-lost', 'fault:redelivered-after-lost-ack',
] as const;

export const BRANCH_TARGETS = [
  'login:host-sign-out-taken', 'login:host-sign-out-skipped', 'login:compensation', 'login:move-desk',
  'logout:restore-forwarding', 'external-release:cleanup', 'association:expiry', 'channel:resync',
] as const;

/** Cases the oracle itself reports having judged (run.judged): each new check shows it was exercised. */
export const ORACLE_TARGETS = [
  'restore:forwarded-desk', 'failed-login:forwarded-desk', 'failed-login:host-signed-in',
  'status:disabled-then-normal', 'answers:guest-seated', 'answers:forwarding-on',
  'order:sign-out-before-forward', 'order:forward-before-association', 'order:release-last', 'order:undo-reverse',
] as const;

/** Connector crashes (hostile profile, explore/generate.ts): the process dies with a saga of each kind under way. */
export const CRASH_TARGETS = ['crash:mid-login', 'crash:mid-logout', 'crash:mid-compensation'] as const;

/** Node faults: the `failover` scenario, and a share of hostile `mixed` runs, have several XSPs (explore/generate.ts). */
export const NODE_TARGETS = ['failover:mid-login', 'failover:mid-logout', 'failover:all-down-then-back'] as const;

/**
 * Oracle targets only hostile faults lead to: a job outlives its response deadline only when its
 * saga timed out and an undo step is still unanswered at the deadline — a chain of failing steps
 * flaky's rates (≤ 2 % per fault, ≤ 200 ms latency) all but never give (seed 99: 1 run in 7,589 of
 * a 60 s flaky exploration, none in its first 1,500; hostile: 27 runs in 500).
 */
export const ORACLE_FAULT_TARGETS = ['deadline:job-past-response-deadline'] as const;

export type SometimesTarget = (typeof FAULT_TARGETS)[number] | (typeof BRANCH_TARGETS)[number] | (typeof ORACLE_TARGETS)[number]
  | (typeof ORACLE_FAULT_TARGETS)[number] | (typeof NODE_TARGETS)[number] | (typeof CRASH_TARGETS)[number];

/**
 * What an exploration must reach: fault kinds only when the profile injects faults; a job past its
 * response deadline and crashes only under `hostile`; node faults in `failover` and under `hostile`.
 */
export function requiredTargets(faults: 'none' | 'flaky' | 'hostile', scenario: 'mixed' | 'failover' = 'mixed'): SometimesTarget[] {
  const base: SometimesTarget[] = faults === 'none' ? [...BRANCH_TARGETS, ...ORACLE_TARGETS] : [...FAULT_TARGETS, ...BRANCH_TARGETS, ...ORACLE_TARGETS];
  if (faults === 'hostile') base.push(...ORACLE_FAULT_TARGETS, ...CRASH_TARGETS);
  return scenario === 'failover' || faults === 'hostile' ? [...base, ...NODE_TARGETS] : base;
}

/** Targets in `required` that `reached` never counted. */
export function missingTargets(reached: ReadonlyMap<string, number>, required: readonly string[]): string[] {
  return required.filter((t) => (reached.get(t) ?? 0) === 0);
}

/** Per-run detection of sometimes targets; `reached` is the set this run reached. */
export class SometimesProbe implements WorldProbe {
  readonly reached = new Set<SometimesTarget>();
  private readonly signedOutHost = new Set<string>();
  private readonly seenEvents = new Set<string>();
  private readonly delayedEvents = new Set<string>();
  private channelLost = false;
  /** How much of the world's event log this probe has read; event ids whose ack was lost. */
  private eventLogRead = 0;
  private readonly lostAckIds = new Set<string>();
  /** associationExpiry agenda items whose association still held at the last instant. */
  private expiries: { guest: string; associatedAt: number; at: number }[] = [];
  /** Which XSP nodes were up at the last instant; whether every node has been down at once. */
  private nodesUp: boolean[] | undefined;
  private allNodesWentDown = false;
  /** How many of the world's crashes this probe has read. */
  private crashesRead = 0;

  input(w: VirtualWorld, _input: Input, outputs: readonly Output[]): void {
    const c = w.connector;
    for (const o of outputs) {
      if (o.kind !== 'xsp.command') continue;
      this.classifyRequestFault(w, w.requestIdOf(o.commandId));
      const purpose = commandPurpose(c, o.commandId);
      if (!purpose) continue;
      if (purpose.kind === 'resync') {
        if (this.channelLost) this.reached.add('channel:resync');
        continue;
      }
      if (purpose.kind === 'lookup') continue; // a directory look-up
      if (purpose.jobKind === 'cleanup') this.reached.add('external-release:cleanup');
      const step = purpose.step;
      if (step === undefined) continue;
      if (step === 'signOutHost') {
        this.signedOutHost.add(purpose.jobId);
        this.reached.add('login:host-sign-out-taken');
      } else if (step.startsWith('undo.')) this.reached.add('login:compensation');
      else if (step.startsWith('move.')) this.reached.add('login:move-desk');
      else if (step === 'restoreForwarding' && purpose.sagaKind === 'logout') this.reached.add('logout:restore-forwarding');
    }
    if (this.reached.has('login:host-sign-out-skipped')) return;
    for (const id of loginsPastHostSignOut(c)) if (!this.signedOutHost.has(id)) this.reached.add('login:host-sign-out-skipped');
  }

  delivery(_w: VirtualWorld, d: Delivery): void {
    if (d.kind === 'channelTerminated') {
      this.channelLost = true;
      this.reached.add('fault:channel-terminated');
    } else if (d.kind === 'event') {
      if (this.seenEvents.has(d.event.eventId)) this.reached.add('fault:duplicate-event');
      else this.seenEvents.add(d.event.eventId);
    }
  }

  tick(w: VirtualWorld): void {
    this.watchNodes(w);
    for (; this.crashesRead < w.crashes.length; this.crashesRead++) {
      const sagas = w.crashes[this.crashesRead]!.sagas;
      if (sagas.includes('login')) this.reached.add('crash:mid-login');
      if (sagas.includes('logout')) this.reached.add('crash:mid-logout');
      if (sagas.includes('compensation')) this.reached.add('crash:mid-compensation');
    }
    for (; this.eventLogRead < w.eventLog.length; this.eventLogRead++) {
      const e = w.eventLog[this.eventLogRead]!;
      if (e.redelivery && this.lostAckIds.has(e.eventId)) this.reached.add('fault:redelivered-after-lost-ack');
      if (e.ackLost) {
        this.lostAckIds.add(e.eventId);
        this.reached.add('fault:ack-lost');
      }
    }
    const users = w.xsp.users;
    for (const e of this.expiries) {
      if (e.at <= w.now && users[e.guest]?.guest?.associatedAt !== e.associatedAt) this.reached.add('association:expiry');
    }
    this.expiries = [];
    for (const q of w.xsp.queue) {
      if (q.kind === 'associationExpiry' && users[q.guestUserId]?.guest?.associatedAt === q.associatedAt) {
        this.expiries.push({ guest: q.guestUserId, associatedAt: q.associatedAt, at: q.at });
      } else if (q.kind === 'deliver' && !q.duplicate && q.channelId === undefined && q.at > w.now && !this.delayedEvents.has(q.event.eventId)) {
        this.delayedEvents.add(q.event.eventId);
        this.reached.add('fault:event-delay');
      }
    }
  }

  /** Node faults against the sagas in flight (several XSPs only). */
  private watchNodes(w: VirtualWorld): void {
    if (w.nodes < 2) return;
    const up = nodeViews(w.xsp).map((n) => n.up);
    const before = this.nodesUp ?? up;
    this.nodesUp = up;
    if (up.some((u, i) => !u && before[i])) {
      for (const job of liveJobs(w.connector)) {
        if (job.sagaKind === 'login') this.reached.add('failover:mid-login');
        if (job.sagaKind === 'logout') this.reached.add('failover:mid-logout');
      }
    }
    if (up.every((u) => !u)) this.allNodesWentDown = true;
    else if (this.allNodesWentDown && w.channelLog.at(-1)?.status === 'up') this.reached.add('failover:all-down-then-back');
  }

  /** What the simulator's agenda says will become of a command just submitted. */
  private classifyRequestFault(w: VirtualWorld, commandId: number): void {
    const q = w.xsp.queue.find((x) => (x.kind === 'execute' || x.kind === 'reply') && x.requestId === commandId);
    if (q === undefined) this.reached.add('fault:timeout-lost');
    else if (q.kind === 'execute' && !q.reply) this.reached.add('fault:timeout-applied');
    else if (q.kind === 'reply' && 'status' in q.outcome) {
      if (q.outcome.status === 503) this.reached.add('fault:503');
      else if (q.outcome.status === 500) this.reached.add('fault:500');
    }
  }
}
