/**
 * Coverage of an exploration: how many runs, invariant checks, distinct abstract states
 * (connector × simulator, see abstractState.ts) and how often each "sometimes" target was reached.
 *
 * One `Coverage` lives for the whole exploration; `probeFor()` gives each run a fresh probe that
 * records the abstract state after every instant of virtual time and the targets the run reached,
 * and `finishRun()` folds them in.
 */
import type { Input, Output } from '@csta-bw/core';
import type { Delivery } from '@csta-bw/xsp-sim';
import type { VirtualWorld, WorldProbe } from '../virtualWorld.js';
import { coverageKey, hashText } from './abstractState.js';
import { missingTargets, SometimesProbe } from './sometimes.js';

/** One run's probe: sometimes detection plus abstract-state sampling after each instant. */
export class RunProbe implements WorldProbe {
  readonly sometimes = new SometimesProbe();

  constructor(private readonly states: Set<string>) {}

  input(w: VirtualWorld, input: Input, outputs: readonly Output[]): void {
    this.sometimes.input(w, input, outputs);
  }

  delivery(w: VirtualWorld, d: Delivery): void {
    this.sometimes.delivery(w, d);
  }

  tick(w: VirtualWorld): void {
    this.sometimes.tick(w);
    this.states.add(hashText(coverageKey(w)));
  }
}

export class Coverage {
  runs = 0;
  invariantChecks = 0;
  readonly states = new Set<string>();
  /** Target → number of runs that reached it. */
  readonly reached = new Map<string, number>();

  probeFor(): RunProbe {
    return new RunProbe(this.states);
  }

  /** `judged`: the oracle's own targets this run reached (cases its checks judged). */
  finishRun(probe: RunProbe, invariantChecks: number, judged: Iterable<string> = []): void {
    this.runs++;
    this.invariantChecks += invariantChecks;
    for (const t of new Set([...probe.sometimes.reached, ...judged])) this.reached.set(t, (this.reached.get(t) ?? 0) + 1);
  }

  missing(required: readonly string[]): string[] {
    return missingTargets(this.reached, required);
  }
}
