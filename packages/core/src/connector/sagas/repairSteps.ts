/**
 * RepairSteps — replay undo or logout steps that could not be done earlier (DESIGN §4.4
 * "retried again after the next resync", §4.5 "queued as repair work"). Runs after a resync
 * or on the repair tick, on fresh cache: the connector's skip rule (effect already holds,
 * forwarding no longer points at the guest) keeps a repair from undoing later changes.
 * A step that fails again is kept for the next round; one the XSP leaves unanswered ends the
 * round — it and every step after it are kept, in order (nothing else gets through now, and a
 * release must not overtake the restore of the desk's forwarding).
 */
import { assign, setup } from 'xstate';
import type { SagaEvent, SagaOutput, SendParams } from './step.js';
import { CstaErrors } from '../../csta/types.js';
import { extend } from '../extend.js';

export interface RepairInput { steps: SendParams[] }

interface RepairContext extends RepairInput { index: number; unfinished: SendParams[] }

export const repairSteps = setup({
  types: { input: {} as RepairInput, context: {} as RepairContext, events: {} as SagaEvent, output: {} as SagaOutput },
  actions: {
    /** Carried out by the connector (connector/step.ts), never by XState. */
    send: (_: unknown, _params: SendParams) => {},
    next: assign(({ context }) => ({ index: context.index + 1 })),
    keep: assign(({ context }) => ({ unfinished: [...context.unfinished, context.steps[context.index]!], index: context.index + 1 })),
    keepRest: assign(({ context }) => ({ unfinished: [...context.unfinished, ...context.steps.slice(context.index)], index: context.steps.length })),
  },
  guards: {
    more: ({ context }) => context.index < context.steps.length,
    unanswered: ({ event }) => event.type === 'STEP_FAILED' && event.unanswered === true,
  },
}).createMachine({
  id: 'repair',
  context: ({ input }) => extend(input, { index: 0, unfinished: [] as SendParams[] }),
  initial: 'next',
  states: {
    next: { always: [{ guard: 'more', target: 'repairing' }, { target: 'done' }] },
    repairing: {
      entry: { type: 'send', params: ({ context }) => extend(context.steps[context.index]!, { persistent: true }) },
      on: {
        STEP_OK: { target: 'next', actions: 'next' },
        STEP_SKIPPED: { target: 'next', actions: 'next' },
        STEP_FAILED: [{ guard: 'unanswered', target: 'next', actions: 'keepRest' }, { target: 'next', actions: 'keep' }],
        SAGA_TIMEOUT: { target: 'next', actions: 'keepRest' },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }): SagaOutput => {
    const effect = { kind: 'repair' as const, owed: context.unfinished };
    return context.unfinished.length === 0 ? { ok: true, effect } : { ok: false, error: CstaErrors.networkOutOfService, effect };
  },
});
