/**
 * The one place the connector runs saga machines: start one, feed it an event, ask whether it
 * would take an event. Sagas are persisted in a job as plain data (`{ kind, value, context }`).
 *
 * Theory of operation
 * -------------------
 * The machines are XState machines; they are evaluated by `statechart.ts`, compiled once when
 * this module loads. XState's public `transition(machine, snapshot, event)` builds a throw-away
 * actor (an actor system, an eager initial snapshot) for every call and runs its general
 * algorithm; for our small machines that cost several times the connector's own work per input.
 * The results are XState's — state value, context, status, output and the actions asked for, in
 * order: test/connector/sagas/runner.test.ts checks them against `initialTransition`,
 * `transition` and `snapshot.can` on random inputs and event sequences, and `compile` refuses
 * any machine feature outside the evaluated subset.
 */
import type { AnyStateMachine } from 'xstate';
import type { SagaKind } from '../state.js';
import { hotelingLogin } from './hotelingLogin.js';
import { hotelingLogout } from './hotelingLogout.js';
import { repairSteps } from './repairSteps.js';
import { singlePut } from './singlePut.js';
import { can, compile, initial, isDone, next, type Chart, type ChartResult } from './statechart.js';
import type { CstaError } from '../../csta/types.js';
import type { SagaEvent } from './step.js';

export const MACHINES: Record<SagaKind, AnyStateMachine> = {
  login: hotelingLogin,
  logout: hotelingLogout,
  singlePut,
  repair: repairSteps,
};

const CHARTS = Object.fromEntries(Object.entries(MACHINES).map(([kind, m]) => [kind, compile(m)])) as Record<SagaKind, Chart>;

/** A saga as a job keeps it: plain, JSON-serialisable data. */
export interface PersistedSaga { kind: SagaKind; value: unknown; context: unknown }

/** An action a saga asked the connector to carry out (only `send` exists today). */
export interface SagaAction { type: string; params?: unknown }

export interface SagaResult {
  saga: PersistedSaga;
  status: string;
  output?: unknown;
  actions: SagaAction[];
}

function result(kind: SagaKind, r: ChartResult): SagaResult {
  const out: SagaResult = { saga: { kind, value: r.value, context: r.context }, status: r.status, actions: r.actions };
  if (r.status === 'done') out.output = r.output;
  return out;
}

/** The saga's first state, and the actions its entry asks for (= `initialTransition`). */
export function sagaInitial(kind: SagaKind, input: unknown): SagaResult {
  return result(kind, initial(CHARTS[kind], input));
}

/** The saga after `event`, and the actions it asks for (= `transition`); `saga` is not written to. */
export function sagaStep(saga: PersistedSaga, event: SagaEvent): SagaResult {
  return result(saga.kind, next(CHARTS[saga.kind], saga, event));
}

/**
 * `sagaStep` for a saga the caller gives up (a job's, which `step` owns with the rest of the
 * state): the same result, but its context is updated in place — no copy of a login's fifteen
 * fields on every step that assigns.
 */
export function sagaAdvance(saga: PersistedSaga, event: SagaEvent): SagaResult {
  return result(saga.kind, next(CHARTS[saga.kind], saga, event, true));
}

/** Whether the saga is still running and has a transition for `event`. */
export function sagaCan(saga: PersistedSaga, event: SagaEvent): boolean {
  const chart = CHARTS[saga.kind];
  return !isDone(chart, saga) && can(chart, saga, event);
}

/** The first failure a running saga has met, if any (every saga keeps it as `error`). */
export function sagaFailure(saga: PersistedSaga): CstaError | undefined {
  const c: unknown = saga.context;
  if (typeof c !== 'object' || c === null || !('error' in c)) return undefined;
  const e: unknown = c.error;
  return typeof e === 'object' && e !== null && 'category' in e && 'value' in e ? (e as CstaError) : undefined;
}
