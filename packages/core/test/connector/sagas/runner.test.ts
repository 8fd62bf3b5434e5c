/**
 * The saga runner (the statechart evaluator behind it) against XState's public API: on random inputs and random
 * event sequences, `sagaInitial`/`sagaStep`/`sagaCan` give exactly what `initialTransition`,
 * `resolveState` + `transition` and `snapshot.can` give — state value, context, status, output
 * and the actions asked for, in order.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import { CstaErrors, type CstaError } from '../../../src/csta/types.js';
import { AGENT_ACD_STATES } from '../../../src/xsi/types.js';
import { MACHINES, sagaAdvance, sagaCan, sagaInitial, sagaStep, type PersistedSaga, type SagaResult } from '../../../src/connector/sagas/runner.js';
import type { SagaEvent, SendParams } from '../../../src/connector/sagas/step.js';
import type { SagaKind } from '../../../src/connector/state.js';

const userId = fc.constantFrom('desk-101@example.com', 'desk-102@example.com', 'agent-001@example.com', 'agent-002@example.com');
const acd = fc.option(fc.constantFrom(...AGENT_ACD_STATES), { nil: undefined });
const forwarding = fc.option(
  fc.record({ active: fc.boolean(), forwardToPhoneNumber: fc.option(fc.constantFrom('3001', '+1 555 0100', '9999'), { nil: undefined }) }, { requiredKeys: ['active'] }),
  { nil: undefined },
);
const number = fc.constantFrom('3001', '3002', '+15550100');
const error: fc.Arbitrary<CstaError> = fc.constantFrom(...Object.values(CstaErrors));
const sendParams: fc.Arbitrary<SendParams> = fc.record({
  step: fc.constantFrom('signOutGuest', 'restoreForwarding', 'release'),
  persistent: fc.boolean(),
  command: fc.tuple(userId, acd).map(([u, s]) => ({ op: 'PUT CallCenter' as const, userId: u, body: { agentACDState: s ?? 'Sign-Out' } })),
});

const inputs: Record<SagaKind, fc.Arbitrary<unknown>> = {
  login: fc.record({
    hostUserId: userId, guestUserId: userId, forwardTo: number, hostStateBefore: acd, hostForwardingBefore: forwarding,
    guestStateBefore: acd, alreadyLoggedInHere: fc.boolean(), associationIsOurs: fc.boolean(),
    previousDesk: fc.option(fc.record({ hostUserId: userId, forwardTo: number, restoreTo: forwarding }), { nil: undefined }),
  }).map((i) => {
    if (i.previousDesk === undefined) delete (i as { previousDesk?: unknown }).previousDesk;
    return i;
  }),
  logout: fc.record({ hostUserId: userId, guestUserId: userId, forwardTo: number, restoreTo: forwarding, signOutGuest: fc.boolean(), released: fc.boolean() }),
  singlePut: sendParams.map(({ step, command }) => ({ step, command })),
  repair: fc.record({ steps: fc.array(sendParams, { maxLength: 4 }) }),
};

const event: fc.Arbitrary<SagaEvent> = fc.oneof(
  fc.constantFrom<SagaEvent>({ type: 'STEP_OK' }, { type: 'STEP_SKIPPED' }, { type: 'GUEST_ASSOCIATED' }, { type: 'GUEST_LEFT' }, { type: 'SAGA_TIMEOUT' }),
  error.map((e): SagaEvent => ({ type: 'STEP_FAILED', error: e })),
  error.map((e): SagaEvent => ({ type: 'STEP_FAILED', error: e, unanswered: true })),
);

/** What the connector uses of a snapshot and its actions. */
function view(snap: AnyMachineSnapshot, actions: { type: string; params?: unknown }[]) {
  return {
    value: snap.value, context: snap.context, status: snap.status,
    output: snap.status === 'done' ? snap.output : undefined,
    actions: actions.map((a) => ({ type: a.type, params: a.params })),
  };
}
const viewOf = (r: SagaResult) => ({ value: r.saga.value, context: r.saga.context, status: r.status, output: r.output, actions: r.actions.map((a) => ({ type: a.type, params: a.params })) });

const kinds = Object.keys(MACHINES) as SagaKind[];
const run = fc.constantFrom(...kinds).chain((kind) => fc.tuple(fc.constant(kind), inputs[kind], fc.array(event, { maxLength: 14 })));

describe('saga runner ≡ XState public transition()', () => {
  test.prop([run], { numRuns: 400 })('initial state, every step and every can() agree', ([kind, input, events]) => {
    const machine = MACHINES[kind];
    const [snap0, actions0] = initialTransition(machine, input);
    const inputBefore = structuredClone(input);
    let ours = sagaInitial(kind, input);
    expect(viewOf(ours)).toEqual(view(snap0, actions0));
    expect(input, 'the input is not written to').toEqual(inputBefore);
    // A finished saga is fed too: XState still applies the root's transitions to it.
    for (const e of events) {
      const persisted: PersistedSaga = structuredClone(ours.saga);
      const current = machine.resolveState({ value: persisted.value as never, context: persisted.context as never });
      expect(sagaCan(persisted, e)).toBe(current.status === 'active' && current.can(e));
      const [next, actions] = transition(machine, current, e);
      const before = structuredClone(persisted);
      ours = sagaStep(persisted, e);
      expect(viewOf(ours)).toEqual(view(next, actions));
      // The step's context is its own copy (statechart.ts writes into it only after copying).
      expect(persisted, 'the snapshot stepped from is not written to').toEqual(before);
    }
  });

  test.prop([run], { numRuns: 200 })('sagaAdvance (the context updated in place) gives what sagaStep gives', ([kind, input, events]) => {
    let ours = sagaInitial(kind, input);
    for (const e of events) {
      const expected = sagaStep(structuredClone(ours.saga), e);
      const given = structuredClone(ours.saga);
      ours = sagaAdvance(given, e);
      expect(viewOf(ours)).toEqual(viewOf(expected));
      // In place: the result's context is the one handed in (no copy), written to where assigned.
      expect(ours.saga.context).toBe(given.context);
    }
  });

  it('reaches a final state on the login happy path, with the four PUTs asked for in order', () => {
    const input = {
      hostUserId: 'desk-101@example.com', guestUserId: 'agent-001@example.com', forwardTo: '3001', hostStateBefore: 'Available',
      hostForwardingBefore: undefined, guestStateBefore: 'Sign-Out', alreadyLoggedInHere: false,
    };
    let r = sagaInitial('login', input);
    const sent: string[] = [];
    const note = () => { for (const a of r.actions) sent.push((a.params as SendParams).step); };
    note();
    for (const type of ['STEP_OK', 'STEP_OK', 'STEP_OK', 'GUEST_ASSOCIATED', 'STEP_OK'] as const) {
      r = sagaStep(r.saga, { type });
      note();
    }
    expect(r.status).toBe('done');
    // The output says what happened to the pairing: H forwarded and G associated by us (sagas/step.ts).
    expect(r.output).toEqual({
      ok: true,
      effect: { kind: 'login', host: 'desk-101@example.com', guest: 'agent-001@example.com', forwardTo: '3001', before: undefined, forwarded: true, associated: true, owed: [], owedAt: 'desk-101@example.com' },
    });
    expect(sent).toEqual(['signOutHost', 'forwardHost', 'associate', 'setGuestNotReady']);
    expect(sagaCan(r.saga, { type: 'STEP_OK' })).toBe(false);
  });

  it('a result carries an output only once the saga is done (SagaResult.output)', () => {
    const command = { op: 'PUT CallCenter' as const, userId: 'desk-101@example.com', body: { agentACDState: 'Available' as const } };
    const running = sagaInitial('singlePut', { step: 'setAgentState.ready', command });
    expect(running.status).toBe('active');
    expect(Object.keys(running).sort()).toEqual(['actions', 'saga', 'status']);
    const done = sagaStep(running.saga, { type: 'STEP_OK' });
    expect(done.status).toBe('done');
    expect(done.output).toEqual({ ok: true });
  });
});
