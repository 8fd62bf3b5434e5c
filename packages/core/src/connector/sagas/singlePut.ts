/**
 * SinglePut — one idempotent PUT on behalf of a CSTA request: a plain agent's state change
 * (DESIGN §4.3) or SetForwarding (§4.7). Retried by the connector on transient failures; the
 * first lasting failure or the saga timeout is the answer.
 */
import { assign, setup } from 'xstate';
import { CstaErrors, type CstaError } from '../../csta/types.js';
import type { XsiCommand } from '../../xsi/types.js';
import type { SagaEvent, SagaOutput, SendParams } from './step.js';
import { extend } from '../extend.js';

export interface SinglePutInput { step: string; command: XsiCommand }

interface SinglePutContext extends SinglePutInput { error: CstaError | undefined }

export const singlePut = setup({
  types: { input: {} as SinglePutInput, context: {} as SinglePutContext, events: {} as SagaEvent, output: {} as SagaOutput },
  actions: {
    /** Carried out by the connector (connector/step.ts), never by XState. */
    send: (_: unknown, _params: SendParams) => {},
    fail: assign(({ event }) => ({ error: event.type === 'STEP_FAILED' ? event.error : CstaErrors.networkOutOfService })),
  },
}).createMachine({
  id: 'singlePut',
  context: ({ input }) => extend(input, { error: undefined }),
  initial: 'putting',
  states: {
    putting: {
      entry: { type: 'send', params: ({ context }) => ({ step: context.step, command: context.command }) },
      on: {
        STEP_OK: 'done',
        STEP_SKIPPED: 'done',
        STEP_FAILED: { target: 'failed', actions: 'fail' },
        SAGA_TIMEOUT: { target: 'failed', actions: 'fail' },
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }): SagaOutput =>
    context.error === undefined ? { ok: true } : { ok: false, error: context.error },
});
