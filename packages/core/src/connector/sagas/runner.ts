/**
 * The one place the connector runs saga machines: start one, feed it an event, ask whether it
 * would take an event. Sagas are persisted in a job as plain data (`{ kind, value, context }`).
 *
 * Theory of operation
 * -------------------
 * XState's public `transition(machine, snapshot, event)` builds a throw-away actor for every call
 * (an actor system, and an eager initial snapshot of the machine) only to collect the actions it
 * would execute — that costs more than the transition itself. Here each machine gets one inert
 * actor scope, built once when this module loads, and each call points the scope's
 * `actionExecutor` at a fresh local list. The result is the same as `transition()`'s
 * (test/connector/sagas/runner.test.ts checks it on random event sequences):
 *
 *   - the scopes hold nothing between calls: the collector is replaced before every use, nothing
 *     is spawned (our sagas invoke no actors), and `step` is synchronous, so calls never overlap;
 *   - a persisted saga is turned back into a snapshot with `machine.resolveState`, as before.
 */
import { createActor, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import type { SagaKind } from '../state.js';
import { hotelingLogin } from './hotelingLogin.js';
import { hotelingLogout } from './hotelingLogout.js';
import { repairSteps } from './repairSteps.js';
import { singlePut } from './singlePut.js';
import type { SagaEvent } from './step.js';

export const MACHINES: Record<SagaKind, AnyStateMachine> = {
  login: hotelingLogin,
  logout: hotelingLogout,
  singlePut,
  repair: repairSteps,
};

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

/** An actor scope that executes nothing: actions go to `collect`, replaced per call. */
interface InertScope { scope: AnyActorScope; collect: SagaAction[] }

function inertScope(machine: AnyStateMachine): InertScope {
  const self = createActor(machine);
  const holder: InertScope = { scope: undefined as unknown as AnyActorScope, collect: [] };
  holder.scope = {
    self,
    defer: () => {},
    id: '',
    logger: () => {},
    sessionId: '',
    stopChild: () => {},
    system: self.system,
    emit: () => {},
    actionExecutor: (action: SagaAction) => { holder.collect.push(action); },
  } as unknown as AnyActorScope;
  return holder;
}

const SCOPES: Record<SagaKind, InertScope> = {
  login: inertScope(hotelingLogin),
  logout: inertScope(hotelingLogout),
  singlePut: inertScope(singlePut),
  repair: inertScope(repairSteps),
};

function result(kind: SagaKind, snap: AnyMachineSnapshot, actions: SagaAction[]): SagaResult {
  const r: SagaResult = { saga: { kind, value: snap.value, context: snap.context }, status: snap.status, actions };
  if (snap.status === 'done') r.output = snap.output;
  return r;
}

function resolve(saga: PersistedSaga): AnyMachineSnapshot {
  return MACHINES[saga.kind].resolveState({ value: saga.value as never, context: saga.context as never });
}

/** The saga's first state, and the actions its entry asks for (= `initialTransition`). */
export function sagaInitial(kind: SagaKind, input: unknown): SagaResult {
  const holder = SCOPES[kind];
  const actions: SagaAction[] = [];
  holder.collect = actions;
  const snap = MACHINES[kind].getInitialSnapshot(holder.scope, input) as AnyMachineSnapshot;
  holder.collect = [];
  return result(kind, snap, actions);
}

/** The saga after `event`, and the actions it asks for (= `transition`). */
export function sagaStep(saga: PersistedSaga, event: SagaEvent): SagaResult {
  const holder = SCOPES[saga.kind];
  const actions: SagaAction[] = [];
  holder.collect = actions;
  const snap = MACHINES[saga.kind].transition(resolve(saga), event, holder.scope) as AnyMachineSnapshot;
  holder.collect = [];
  return result(saga.kind, snap, actions);
}

/** Whether the saga is still running and has a transition for `event`. */
export function sagaCan(saga: PersistedSaga, event: SagaEvent): boolean {
  const snap = resolve(saga);
  return snap.status === 'active' && snap.can(event);
}
