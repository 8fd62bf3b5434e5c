/**
 * HotelingLogin — an agent (guest G) logs in at a desk (host H). DESIGN §4.4, the seed.
 *
 * Theory of operation
 * -------------------
 * The saga is a straight line of Xsi PUTs, each waiting for its 200 before the next:
 *
 *   move  leave G's previous desk H' first: sign G out, restore H' forwarding, release (§4.4)
 *   1     PUT CallCenter(H) Sign-Out               — only if an agent is signed in on H
 *   2     PUT CallForwardingAlways(H) → G's number — H's previous forwarding is in context
 *   3     PUT HotelingGuest(G) hostUserId=H
 *   4     wait for G's HotelingGuestEvent showing hostUserId=H (our own change, echoed)
 *   5     PUT CallCenter(G) Unavailable            — a login always lands not-ready
 *   done  the connector answers SetAgentStateResponse
 *
 * Rules:
 *   R1 Each `send` is checked by the connector against its cache first: a step whose effect
 *      already holds is answered STEP_SKIPPED and nothing goes on the wire (idempotent saga).
 *   R2 Step 5 is entered only after GUEST_ASSOCIATED, which may arrive before step 3's 200;
 *      a later GUEST_LEFT (released elsewhere meanwhile) cancels it: the saga waits for the
 *      association to show again and, if it does not, the saga timeout compensates (step 3 is
 *      not re-sent over whoever released it).
 *   R3 Any STEP_FAILED or SAGA_TIMEOUT before `done` starts compensation: undo, in reverse, every
 *      step that was *sent* (a timed-out PUT may have been applied): G's agent state, the
 *      association, H's forwarding (only while it still points at G), H's agent state.
 *   R4 Undo steps are persistent (retried until the deadline); one that still fails is recorded
 *      in `unfinished` and compensation goes on with the next; the connector turns leftovers
 *      into repair work and an alarm.
 *   R5 The answer is the error of the first failure.
 *   R6 Leaving the previous desk moves forward only; a failure there ends the saga (H untouched)
 *      and the leave steps not done become repair work, as for a stalled logout.
 *   R7 G already associated with H and signed in: nothing is sent — except, when the connector
 *      made that association, step 2, which R1 skips while H still forwards to G: a login again
 *      where logged in puts back a forward the desk lost (I3). G's agent state is left as it is;
 *      an association made elsewhere is left to whoever made it (§4.6).
 *
 * The `states` object below reads as a table: state → event → next state.
 */
import { assign, setup } from 'xstate';
import { CstaErrors, type CstaError } from '../../csta/types.js';
import type { AgentACDState, ForwardingInfo } from '../../xsi/types.js';
import type { SagaEvent, SagaOutput, SendParams } from './step.js';
import { restoreForwardingCommand } from './restoreForwarding.js';
import { extend } from '../extend.js';

export interface LoginInput {
  hostUserId: string;
  guestUserId: string;
  /** What H is forwarded to: G's extension, else number, else user id (DESIGN §3). */
  forwardTo: string;
  hostStateBefore: AgentACDState | undefined;
  hostForwardingBefore: ForwardingInfo | undefined;
  guestStateBefore: AgentACDState | undefined;
  /** G is already associated with H and signed in: logging in again changes nothing (R7). */
  alreadyLoggedInHere: boolean;
  /** That association is one this connector made (`state.ours`): H's forward is ours to keep (R7). */
  associationIsOurs?: boolean;
  /** G sits at another desk: leave it first. */
  previousDesk?: { hostUserId: string; forwardTo: string; restoreTo: ForwardingInfo | undefined };
}

type Step = 'signOutHost' | 'forwardHost' | 'associate' | 'setGuestNotReady';

interface LoginContext extends LoginInput {
  /** Steps sent (maybe applied) and not yet undone. */
  sent: Record<Step, boolean>;
  guestEventSeen: boolean;
  error: CstaError | undefined;
  unfinished: SendParams[];
  /** R6: a stall while leaving leaves work owed at the previous desk, not at H. */
  owedAt: string | undefined;
}

/** The PUT of each forward step and of its undo. */
function doStep(step: Step, c: LoginContext): SendParams {
  switch (step) {
    case 'signOutHost':
      return { step, command: { op: 'PUT CallCenter', userId: c.hostUserId, body: { agentACDState: 'Sign-Out' } } };
    case 'forwardHost':
      return { step, command: { op: 'PUT CallForwardingAlways', userId: c.hostUserId, body: { active: true, forwardToPhoneNumber: c.forwardTo } } };
    case 'associate':
      return { step, command: { op: 'PUT HotelingGuest', userId: c.guestUserId, body: { hostUserId: c.hostUserId } } };
    case 'setGuestNotReady':
      return { step, command: { op: 'PUT CallCenter', userId: c.guestUserId, body: { agentACDState: 'Unavailable' } } };
  }
}

function undoStep(step: Step, c: LoginContext): SendParams {
  switch (step) {
    case 'setGuestNotReady':
      return { step: 'undo.setGuestNotReady', persistent: true, command: { op: 'PUT CallCenter', userId: c.guestUserId, body: { agentACDState: c.guestStateBefore ?? 'Sign-Out' } } };
    case 'associate':
      return { step: 'undo.associate', persistent: true, command: { op: 'PUT HotelingGuest', userId: c.guestUserId, body: { hostUserId: null } } };
    case 'forwardHost':
      return restoreForwardingCommand('undo.forwardHost', c.hostUserId, c.forwardTo, c.hostForwardingBefore);
    case 'signOutHost':
      return { step: 'undo.signOutHost', persistent: true, command: { op: 'PUT CallCenter', userId: c.hostUserId, body: { agentACDState: c.hostStateBefore ?? 'Sign-Out' } } };
  }
}

type LeaveStep = 'signOutGuest' | 'restoreForwarding' | 'release';
const LEAVE_ORDER: LeaveStep[] = ['signOutGuest', 'restoreForwarding', 'release'];

function leaveStep(step: LeaveStep, c: LoginContext): SendParams {
  const prev = c.previousDesk!;
  switch (step) {
    case 'signOutGuest':
      return { step: 'move.signOutGuest', persistent: true, command: { op: 'PUT CallCenter', userId: c.guestUserId, body: { agentACDState: 'Sign-Out' } } };
    case 'restoreForwarding':
      return restoreForwardingCommand('move.restoreForwarding', prev.hostUserId, prev.forwardTo, prev.restoreTo);
    case 'release':
      return { step: 'move.release', persistent: true, command: { op: 'PUT HotelingGuest', userId: c.guestUserId, body: { hostUserId: null } } };
  }
}

const firstError = (c: LoginContext, e: SagaEvent): CstaError =>
  c.error ?? (e.type === 'STEP_FAILED' ? e.error : CstaErrors.networkOutOfService);

export const hotelingLogin = setup({
  types: { input: {} as LoginInput, context: {} as LoginContext, events: {} as SagaEvent, output: {} as SagaOutput },
  actions: {
    /** Carried out by the connector (connector/step.ts), never by XState. */
    send: (_: unknown, _params: SendParams) => {},
    markSent: assign(({ context }, p: { step: Step }) => ({ sent: extend(context.sent, { [p.step]: true }) })),
    unmarkSent: assign(({ context }, p: { step: Step }) => ({ sent: extend(context.sent, { [p.step]: false }) })),
    fail: assign(({ context, event }) => ({ error: firstError(context, event) })),
    recordUnfinished: assign(({ context }, p: { step: Step }) => ({ unfinished: [...context.unfinished, undoStep(p.step, context)] })),
    /** R6: the leave steps not done yet become repair work, as for a stalled logout. */
    stallLeave: assign(({ context, event }, p: { from: LeaveStep }) => ({
      error: firstError(context, event),
      unfinished: LEAVE_ORDER.slice(LEAVE_ORDER.indexOf(p.from)).map((s) => leaveStep(s, context)),
      owedAt: context.previousDesk!.hostUserId,
    })),
    seeGuestEvent: assign({ guestEventSeen: true }),
    forgetGuestEvent: assign({ guestEventSeen: false }),
  },
  guards: {
    movingDesks: ({ context }) => context.previousDesk !== undefined,
    alreadyLoggedInHere: ({ context }) => context.alreadyLoggedInHere,
    alreadyLoggedInHereByUs: ({ context }) => context.alreadyLoggedInHere && context.associationIsOurs === true,
    guestEventSeen: ({ context }) => context.guestEventSeen,
    sent: ({ context }, p: { step: Step }) => context.sent[p.step],
  },
}).createMachine({
  id: 'login',
  context: ({ input }) => extend(input, {
    sent: { signOutHost: false, forwardHost: false, associate: false, setGuestNotReady: false },
    guestEventSeen: false,
    error: undefined,
    unfinished: [] as SendParams[],
    owedAt: undefined,
  }),
  initial: 'start',
  // GUEST_ASSOCIATED may overtake step 3's 200 (R2): remember it wherever it lands.
  on: { GUEST_ASSOCIATED: { actions: 'seeGuestEvent' }, GUEST_LEFT: { actions: 'forgetGuestEvent' } },
  states: {
    start: {
      always: [
        { guard: 'alreadyLoggedInHereByUs', target: 'reforwardingHost' },
        { guard: 'alreadyLoggedInHere', target: 'done' },
        { guard: 'movingDesks', target: 'leavingPreviousDesk' },
        { target: 'signingOutHost' },
      ],
    },

    // R7: G already sits at H, signed in, by a login of ours. Only H's forward can be missing
    // (changed elsewhere, or restored by a logout that stalled before it released); R1 skips it
    // while it holds.
    reforwardingHost: {
      entry: [{ type: 'markSent', params: { step: 'forwardHost' } }, { type: 'send', params: ({ context }) => doStep('forwardHost', context) }],
      on: {
        STEP_OK: 'done',
        STEP_SKIPPED: { target: 'done', actions: { type: 'unmarkSent', params: { step: 'forwardHost' } } },
        STEP_FAILED: { target: 'compensating', actions: 'fail' },
        SAGA_TIMEOUT: { target: 'compensating', actions: 'fail' },
      },
    },

    leavingPreviousDesk: {
      initial: 'signingOutGuest',
      states: {
        signingOutGuest: {
          entry: { type: 'send', params: ({ context }) => leaveStep('signOutGuest', context) },
          on: {
            STEP_OK: 'restoringForwarding', STEP_SKIPPED: 'restoringForwarding',
            STEP_FAILED: { target: '#login.failed', actions: { type: 'stallLeave', params: { from: 'signOutGuest' } } },
            SAGA_TIMEOUT: { target: '#login.failed', actions: { type: 'stallLeave', params: { from: 'signOutGuest' } } },
          },
        },
        restoringForwarding: {
          entry: { type: 'send', params: ({ context }) => leaveStep('restoreForwarding', context) },
          on: {
            STEP_OK: 'releasing', STEP_SKIPPED: 'releasing',
            STEP_FAILED: { target: '#login.failed', actions: { type: 'stallLeave', params: { from: 'restoreForwarding' } } },
            SAGA_TIMEOUT: { target: '#login.failed', actions: { type: 'stallLeave', params: { from: 'restoreForwarding' } } },
          },
        },
        releasing: {
          entry: { type: 'send', params: ({ context }) => leaveStep('release', context) },
          on: {
            STEP_OK: '#login.signingOutHost', STEP_SKIPPED: '#login.signingOutHost',
            STEP_FAILED: { target: '#login.failed', actions: { type: 'stallLeave', params: { from: 'release' } } },
            SAGA_TIMEOUT: { target: '#login.failed', actions: { type: 'stallLeave', params: { from: 'release' } } },
          },
        },
      },
    },

    signingOutHost: {
      entry: [{ type: 'markSent', params: { step: 'signOutHost' } }, { type: 'send', params: ({ context }) => doStep('signOutHost', context) }],
      on: {
        STEP_OK: 'forwardingHost',
        STEP_SKIPPED: { target: 'forwardingHost', actions: { type: 'unmarkSent', params: { step: 'signOutHost' } } },
        STEP_FAILED: { target: 'compensating', actions: 'fail' },
        SAGA_TIMEOUT: { target: 'compensating', actions: 'fail' },
      },
    },
    forwardingHost: {
      entry: [{ type: 'markSent', params: { step: 'forwardHost' } }, { type: 'send', params: ({ context }) => doStep('forwardHost', context) }],
      on: {
        STEP_OK: 'associating',
        STEP_SKIPPED: { target: 'associating', actions: { type: 'unmarkSent', params: { step: 'forwardHost' } } },
        STEP_FAILED: { target: 'compensating', actions: 'fail' },
        SAGA_TIMEOUT: { target: 'compensating', actions: 'fail' },
      },
    },
    associating: {
      // Only what is seen after our PUT counts as its echo (R2): forget earlier sightings.
      entry: [{ type: 'markSent', params: { step: 'associate' } }, 'forgetGuestEvent', { type: 'send', params: ({ context }) => doStep('associate', context) }],
      on: {
        STEP_OK: 'awaitingGuestEvent',
        // Already associated with H: there is no event to wait for.
        STEP_SKIPPED: { target: 'settingGuestNotReady', actions: { type: 'unmarkSent', params: { step: 'associate' } } },
        STEP_FAILED: { target: 'compensating', actions: 'fail' },
        SAGA_TIMEOUT: { target: 'compensating', actions: 'fail' },
      },
    },
    awaitingGuestEvent: {
      always: { guard: 'guestEventSeen', target: 'settingGuestNotReady' },
      on: {
        GUEST_ASSOCIATED: 'settingGuestNotReady',
        SAGA_TIMEOUT: { target: 'compensating', actions: 'fail' },
      },
    },
    settingGuestNotReady: {
      entry: [{ type: 'markSent', params: { step: 'setGuestNotReady' } }, { type: 'send', params: ({ context }) => doStep('setGuestNotReady', context) }],
      on: {
        STEP_OK: 'done',
        STEP_SKIPPED: { target: 'done', actions: { type: 'unmarkSent', params: { step: 'setGuestNotReady' } } },
        STEP_FAILED: { target: 'compensating', actions: 'fail' },
        SAGA_TIMEOUT: { target: 'compensating', actions: 'fail' },
      },
    },
    done: { type: 'final' },

    // Compensation (R3, R4): undo every sent step, newest first.
    compensating: {
      always: [
        { guard: { type: 'sent', params: { step: 'setGuestNotReady' } }, target: 'undoingGuestState' },
        { guard: { type: 'sent', params: { step: 'associate' } }, target: 'releasing' },
        { guard: { type: 'sent', params: { step: 'forwardHost' } }, target: 'restoringForwarding' },
        { guard: { type: 'sent', params: { step: 'signOutHost' } }, target: 'undoingHostState' },
        { target: 'failed' },
      ],
    },
    undoingGuestState: {
      entry: { type: 'send', params: ({ context }) => undoStep('setGuestNotReady', context) },
      exit: { type: 'unmarkSent', params: { step: 'setGuestNotReady' } },
      on: { STEP_OK: 'compensating', STEP_SKIPPED: 'compensating',
        STEP_FAILED: { target: 'compensating', actions: { type: 'recordUnfinished', params: { step: 'setGuestNotReady' } } } },
    },
    releasing: {
      entry: { type: 'send', params: ({ context }) => undoStep('associate', context) },
      exit: { type: 'unmarkSent', params: { step: 'associate' } },
      on: { STEP_OK: 'compensating', STEP_SKIPPED: 'compensating',
        STEP_FAILED: { target: 'compensating', actions: { type: 'recordUnfinished', params: { step: 'associate' } } } },
    },
    restoringForwarding: {
      entry: { type: 'send', params: ({ context }) => undoStep('forwardHost', context) },
      exit: { type: 'unmarkSent', params: { step: 'forwardHost' } },
      on: { STEP_OK: 'compensating', STEP_SKIPPED: 'compensating',
        STEP_FAILED: { target: 'compensating', actions: { type: 'recordUnfinished', params: { step: 'forwardHost' } } } },
    },
    undoingHostState: {
      entry: { type: 'send', params: ({ context }) => undoStep('signOutHost', context) },
      exit: { type: 'unmarkSent', params: { step: 'signOutHost' } },
      on: { STEP_OK: 'compensating', STEP_SKIPPED: 'compensating',
        STEP_FAILED: { target: 'compensating', actions: { type: 'recordUnfinished', params: { step: 'signOutHost' } } } },
    },
    failed: { type: 'final' },
  },
  output: ({ context }): SagaOutput =>
    context.error === undefined ? { ok: true }
      : { ok: false, error: context.error, unfinished: context.unfinished, ...(context.owedAt === undefined ? {} : { owedAt: context.owedAt }) },
});
