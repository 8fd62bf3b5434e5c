/**
 * Fault profiles (DESIGN §6.4): how often and how badly the simulated XSP misbehaves. All draws
 * come from the state's PRNG through a `Draft`, so a fault plan is a function of the seed and the
 * sequence of calls: replayable.
 *
 * Per request: latency (applied BEFORE execution: the command runs at now + latency and its answer
 * leaves at that same instant), then at most one fault:
 *   '503' / '500'        — answered with that status, the command was NOT applied;
 *   'timeout-applied'    — the command was applied, its answer is never delivered;
 *   'timeout-lost'       — the command was not applied and no answer comes.
 * Per event: extra delivery delay (reorders events across users only, see state.ts) and
 * duplication (the same eventID delivered twice).
 * External actors: the mean interval between spontaneous changes; none under `none`.
 */
import type { Draft } from './draft.js';

export type FaultProfile = 'none' | 'flaky' | 'hostile';
export const FAULT_PROFILES: readonly FaultProfile[] = ['none', 'flaky', 'hostile'];

export type RequestFault = '503' | '500' | 'timeout-applied' | 'timeout-lost';

export interface FaultRates {
  /** Request latency, inclusive range in ms. */
  latencyMs: readonly [number, number];
  p503: number;
  p500: number;
  pTimeoutApplied: number;
  pTimeoutLost: number;
  /** Extra delay per event, inclusive range in ms. */
  eventDelayMs: readonly [number, number];
  pDuplicateEvent: number;
  /** Interval between spontaneous external actions, inclusive range in ms; undefined = none. */
  externalIntervalMs?: readonly [number, number];
  /** Share of external actions that terminate every channel. */
  pChannelTerminate: number;
}

export const FAULT_RATES: Readonly<Record<FaultProfile, FaultRates>> = {
  none: {
    latencyMs: [5, 5], p503: 0, p500: 0, pTimeoutApplied: 0, pTimeoutLost: 0,
    eventDelayMs: [0, 0], pDuplicateEvent: 0, pChannelTerminate: 0,
  },
  flaky: {
    latencyMs: [5, 200], p503: 0.02, p500: 0.01, pTimeoutApplied: 0.01, pTimeoutLost: 0.01,
    eventDelayMs: [0, 100], pDuplicateEvent: 0.02, externalIntervalMs: [5_000, 60_000], pChannelTerminate: 0,
  },
  hostile: {
    latencyMs: [5, 2_000], p503: 0.07, p500: 0.04, pTimeoutApplied: 0.04, pTimeoutLost: 0.04,
    eventDelayMs: [0, 1_500], pDuplicateEvent: 0.1, externalIntervalMs: [500, 10_000], pChannelTerminate: 0.03,
  },
};

/** Latency and the optional fault for one request. */
export function drawRequestFault(d: Draft): { latency: number; fault?: RequestFault } {
  const r = FAULT_RATES[d.s.faults];
  const latency = d.randomInt(r.latencyMs[0], r.latencyMs[1]);
  const total = r.p503 + r.p500 + r.pTimeoutApplied + r.pTimeoutLost;
  if (total <= 0) return { latency };
  const x = d.random() / 0x1_0000_0000;
  if (x < r.p503) return { latency, fault: '503' };
  if (x < r.p503 + r.p500) return { latency, fault: '500' };
  if (x < r.p503 + r.p500 + r.pTimeoutApplied) return { latency, fault: 'timeout-applied' };
  if (x < total) return { latency, fault: 'timeout-lost' };
  return { latency };
}

export function drawEventDelay(d: Draft): number {
  const [lo, hi] = FAULT_RATES[d.s.faults].eventDelayMs;
  return d.randomInt(lo, hi);
}

export function drawDuplicate(d: Draft): boolean {
  return d.chance(FAULT_RATES[d.s.faults].pDuplicateEvent);
}
