/**
 * HotelingLogout — the agent (guest G) leaves the desk (host H). DESIGN §4.5.
 *
 * Theory of operation
 * -------------------
 *   1     PUT CallCenter(G) Sign-Out                    — skipped if G is already signed out
 *   2     restore H's forwarding to its pre-login value — skipped unless it still points at G
 *   3     PUT HotelingGuest(G) hostUserId nil           — skipped if G is not associated with H
 *   done  the connector answers SetAgentStateResponse
 *
 * Rules:
 *   R1 A logout moves forward only. Transient failures are retried by the connector until the
 *      saga deadline (steps are `persistent`); a step that still fails, or the saga timeout,
 *      ends the saga in `stalled`: the client gets the error and the steps not yet done become
 *      repair work, resumed after the next resync or repair tick.
 *   R2 The same machine finishes an association released elsewhere (DESIGN §4.6): the release
 *      already happened (`released`), and G is signed out only if it sits at no desk now.
 *   R3 Repair work re-runs this machine: skipping (connector R1 of HotelingLogin) makes it
 *      idempotent, so a repair never undoes a change made since.
 *
 * The stall edges sit once on the parent `leaving`; the output is a `logout` pairing effect with
 * the steps still owed (none when it got through).
 */
import { assign, setup } from 'xstate';
import { CstaErrors, type CstaError } from '../../csta/types.js';
import type { ForwardingInfo } from '../../xsi/types.js';
import type { SagaEvent, SagaOutput, SendParams } from './step.js';
import { restoreForwardingCommand } from './restoreForwarding.js';

export interface LogoutInput {
  hostUserId: string;
  guestUserId: string;
  /** What H was forwarded to at login (G's number), to recognise "still points at G". */
  forwardTo: string;
  /** H's forwarding before the login; undefined → active=false. */
  restoreTo: ForwardingInfo | undefined;
  signOutGuest: boolean;
  released: boolean;
}

interface LogoutContext extends LogoutInput {
  error: CstaError | undefined;
  /** The step under way: where a stall starts owing. */
  current: Step;
  unfinished: SendParams[];
}

type Step = 'signOutGuest' | 'restoreForwarding' | 'release';

function stepParams(step: Step, c: LogoutContext): SendParams {
  switch (step) {
    case 'signOutGuest':
      return { step, persistent: true, command: { op: 'PUT CallCenter', userId: c.guestUserId, body: { agentACDState: 'Sign-Out' } } };
    case 'restoreForwarding':
      return restoreForwardingCommand(step, c.hostUserId, c.forwardTo, c.restoreTo);
    case 'release':
      return { step, persistent: true, command: { op: 'PUT HotelingGuest', userId: c.guestUserId, body: { hostUserId: null } } };
  }
}

/** The step that failed and every later one (R1). */
function remaining(from: Step, c: LogoutContext): SendParams[] {
  const order: Step[] = ['signOutGuest', 'restoreForwarding', ...(c.released ? [] : ['release' as const])];
  return order.slice(order.indexOf(from)).map((s) => stepParams(s, c));
}

export const hotelingLogout = setup({
  types: { input: {} as LogoutInput, context: {} as LogoutContext, events: {} as SagaEvent, output: {} as SagaOutput },
  actions: {
    /** Carried out by the connector (connector/step.ts), never by XState. */
    send: (_: unknown, _params: SendParams) => {},
    working: assign((_, p: { step: Step }) => ({ current: p.step })),
    stall: assign(({ context, event }) => ({
      error: context.error ?? (event.type === 'STEP_FAILED' ? event.error : CstaErrors.networkOutOfService),
      unfinished: remaining(context.current, context),
    })),
  },
  guards: {
    signOutGuest: ({ context }) => context.signOutGuest,
    released: ({ context }) => context.released,
  },
}).createMachine({
  id: 'logout',
  // Spelled out, not extend(input, …): a literal of one shape is built far faster (hotelingLogin).
  context: ({ input }): LogoutContext => ({
    hostUserId: input.hostUserId, guestUserId: input.guestUserId, forwardTo: input.forwardTo, restoreTo: input.restoreTo,
    signOutGuest: input.signOutGuest, released: input.released, error: undefined, current: 'signOutGuest', unfinished: [],
  }),
  initial: 'leaving',
  states: {
    leaving: {
      initial: 'choosingFirstStep',
      on: {
        STEP_FAILED: { target: 'stalled', actions: 'stall' },
        SAGA_TIMEOUT: { target: 'stalled', actions: 'stall' },
      },
      states: {
        choosingFirstStep: { always: [{ guard: 'signOutGuest', target: 'signingOutGuest' }, { target: 'restoringForwarding' }] },
        signingOutGuest: {
          entry: [{ type: 'working', params: { step: 'signOutGuest' } }, { type: 'send', params: ({ context }) => stepParams('signOutGuest', context) }],
          on: { STEP_OK: 'restoringForwarding', STEP_SKIPPED: 'restoringForwarding' },
        },
        restoringForwarding: {
          entry: [{ type: 'working', params: { step: 'restoreForwarding' } }, { type: 'send', params: ({ context }) => stepParams('restoreForwarding', context) }],
          on: { STEP_OK: 'afterForwarding', STEP_SKIPPED: 'afterForwarding' },
        },
        afterForwarding: { always: [{ guard: 'released', target: '#logout.done' }, { target: 'releasing' }] },
        releasing: {
          entry: [{ type: 'working', params: { step: 'release' } }, { type: 'send', params: ({ context }) => stepParams('release', context) }],
          on: { STEP_OK: '#logout.done', STEP_SKIPPED: '#logout.done' },
        },
      },
    },
    done: { type: 'final' },
    stalled: { type: 'final' },
  },
  output: ({ context }): SagaOutput => {
    const effect = { kind: 'logout' as const, host: context.hostUserId, guest: context.guestUserId, owed: context.unfinished };
    return context.error === undefined ? { ok: true, effect } : { ok: false, error: context.error, effect };
  },
});
