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
 *   R4 Undo steps are persistent (retried until the deadline); one that the XSP still refuses is
 *      recorded in `unfinished` and compensation goes on with the next; one the XSP leaves
 *      unanswered (it may yet be applied, and nothing else gets through now) ends compensation:
 *      it and every undo after it are recorded, in order — the forwarding is never restored
 *      while the association may still hold. The connector turns leftovers into repair work
 *      and an alarm.
 *   R5 The answer is the error of the first failure.
 *   R6 Leaving the previous desk moves forward only; a failure there ends the saga (H untouched)
 *      and the leave steps not done become repair work, as for a stalled logout.
 *   R7 G already associated with H and signed in: nothing is sent — except, when the connector
 *      made that association, step 2, which R1 skips while H still forwards to G: a login again
 *      where logged in puts back a forward the desk lost (I3). G's agent state is left as it is;
 *      an association made elsewhere is left to whoever made it (§4.6).
 *
 * The `states` object below reads as a table: state → event → next state. The failure edges
 * common to a phase sit on its parent state (`leavingPreviousDesk`, `seating`, `undoing`),
 * so each child lists only what is its own. Every state has its own name.
 *
 * The output says what happened to the pairings (sagas/step.ts `PairingEffect`): whether H was
 * forwarded and G associated by us (the pairing is ours), whether the previous desk was left,
 * and the undo or leave steps still owed, and where. pairings.ts applies it.
 */
import { assign, setup } from 'xstate';
import { CstaErrors, type CstaError } from '../../csta/types.js';
import type { AgentACDState, ForwardingInfo } from '../../xsi/types.js';
import type { PairingEffect, SagaEvent, SagaOutput, SendParams } from './step.js';
import { restoreForwardingCommand } from './restoreForwarding.js';

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
  associationIsOurs?: boolean | undefined;
  /** G sits at another desk: leave it first. */
  previousDesk?: { hostUserId: string; forwardTo: string; restoreTo: ForwardingInfo | undefined } | undefined;
}

type Step = 'signOutHost' | 'forwardHost' | 'associate' | 'setGuestNotReady';
type LeaveStep = 'signOutGuest' | 'restoreForwarding' | 'release';

interface LoginContext extends LoginInput {
  /** Steps sent (maybe applied) and not yet undone. */
  sent: Record<Step, boolean>;
  /** The step being undone, or the leave step under way: where a hoisted failure edge records its loss. */
  current: Step | LeaveStep | undefined;
  /** The previous desk was left (all leave steps done or skipped). */
  left: boolean;
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

/** R3: the order steps are undone in, newest first. */
const UNDO_ORDER: Step[] = ['setGuestNotReady', 'associate', 'forwardHost', 'signOutHost'];

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

const isLeaveStep = (s: Step | LeaveStep | undefined): s is LeaveStep => s !== undefined && (LEAVE_ORDER as string[]).includes(s);

export const hotelingLogin = setup({
  types: { input: {} as LoginInput, context: {} as LoginContext, events: {} as SagaEvent, output: {} as SagaOutput },
  actions: {
    /** Carried out by the connector (connector/step.ts), never by XState. */
    send: (_: unknown, _params: SendParams) => {},
    markSent: assign(({ context }, p: { step: Step }) => ({ sent: { ...context.sent, [p.step]: true } })),
    unmarkSent: assign(({ context }, p: { step: Step }) => ({ sent: { ...context.sent, [p.step]: false } })),
    working: assign((_, p: { step: Step | LeaveStep }) => ({ current: p.step })),
    fail: assign(({ context, event }) => ({ error: firstError(context, event) })),
    /** R4: the undo under way could not be done; compensation goes on with the next. */
    recordUnfinished: assign(({ context }) => ({
      unfinished: isLeaveStep(context.current) || context.current === undefined ? context.unfinished : [...context.unfinished, undoStep(context.current, context)],
    })),
    /** R4: the undo under way went unanswered: it and the undos after it are owed, in order. */
    oweRestOfUndo: assign(({ context }) => {
      const current = context.current as Step;
      const rest = UNDO_ORDER.filter((s) => s !== current && context.sent[s]);
      return {
        unfinished: [...context.unfinished, undoStep(current, context), ...rest.map((s) => undoStep(s, context))],
        sent: { signOutHost: false, forwardHost: false, associate: false, setGuestNotReady: false },
      };
    }),
    /** R6: the leave steps not done yet become repair work, as for a stalled logout. */
    stallLeave: assign(({ context, event }) => ({
      error: firstError(context, event),
      unfinished: LEAVE_ORDER.slice(isLeaveStep(context.current) ? LEAVE_ORDER.indexOf(context.current) : 0).map((s) => leaveStep(s, context)),
      owedAt: context.previousDesk!.hostUserId,
    })),
    leftPreviousDesk: assign({ left: true }),
    seeGuestEvent: assign({ guestEventSeen: true }),
    forgetGuestEvent: assign({ guestEventSeen: false }),
  },
  guards: {
    movingDesks: ({ context }) => context.previousDesk !== undefined,
    alreadyLoggedInHere: ({ context }) => context.alreadyLoggedInHere,
    alreadyLoggedInHereByUs: ({ context }) => context.alreadyLoggedInHere && context.associationIsOurs === true,
    guestEventSeen: ({ context }) => context.guestEventSeen,
    unanswered: ({ event }) => event.type === 'STEP_FAILED' && event.unanswered === true,
    sent: ({ context }, p: { step: Step }) => context.sent[p.step],
  },
}).createMachine({
  id: 'login',
  // Spelled out, not extend(input, …): a literal of one shape is built ~10× faster than copying
  // the input key by key, and a login builds one per request.
  context: ({ input }): LoginContext => ({
    hostUserId: input.hostUserId,
    guestUserId: input.guestUserId,
    forwardTo: input.forwardTo,
    hostStateBefore: input.hostStateBefore,
    hostForwardingBefore: input.hostForwardingBefore,
    guestStateBefore: input.guestStateBefore,
    alreadyLoggedInHere: input.alreadyLoggedInHere,
    associationIsOurs: input.associationIsOurs,
    previousDesk: input.previousDesk,
    sent: { signOutHost: false, forwardHost: false, associate: false, setGuestNotReady: false },
    current: undefined,
    left: false,
    guestEventSeen: false,
    error: undefined,
    unfinished: [],
    owedAt: undefined,
  }),
  initial: 'start',
  // GUEST_ASSOCIATED may overtake step 3's 200 (R2): remember it wherever it lands.
  on: { GUEST_ASSOCIATED: { actions: 'seeGuestEvent' }, GUEST_LEFT: { actions: 'forgetGuestEvent' } },
  states: {
    start: {
      always: [
        { guard: 'alreadyLoggedInHereByUs', target: 'seating.reforwardingHost' },
        { guard: 'alreadyLoggedInHere', target: 'done' },
        { guard: 'movingDesks', target: 'leavingPreviousDesk' },
        { target: 'seating' },
      ],
    },

    // R6: leave G's previous desk; any failure ends the saga there, the rest owed at that desk.
    leavingPreviousDesk: {
      initial: 'signingOutGuest',
      on: {
        STEP_FAILED: { target: 'failed', actions: 'stallLeave' },
        SAGA_TIMEOUT: { target: 'failed', actions: 'stallLeave' },
      },
      states: {
        signingOutGuest: {
          entry: [{ type: 'working', params: { step: 'signOutGuest' } }, { type: 'send', params: ({ context }) => leaveStep('signOutGuest', context) }],
          on: { STEP_OK: 'restoringPreviousForwarding', STEP_SKIPPED: 'restoringPreviousForwarding' },
        },
        restoringPreviousForwarding: {
          entry: [{ type: 'working', params: { step: 'restoreForwarding' } }, { type: 'send', params: ({ context }) => leaveStep('restoreForwarding', context) }],
          on: { STEP_OK: 'releasingPreviousDesk', STEP_SKIPPED: 'releasingPreviousDesk' },
        },
        releasingPreviousDesk: {
          entry: [{ type: 'working', params: { step: 'release' } }, { type: 'send', params: ({ context }) => leaveStep('release', context) }],
          on: {
            STEP_OK: { target: '#login.seating', actions: 'leftPreviousDesk' },
            STEP_SKIPPED: { target: '#login.seating', actions: 'leftPreviousDesk' },
          },
        },
      },
    },

    // Steps 1–5 (and R7's re-forward); any failure compensates (R3).
    seating: {
      initial: 'signingOutHost',
      on: {
        STEP_FAILED: { target: 'compensating', actions: 'fail' },
        SAGA_TIMEOUT: { target: 'compensating', actions: 'fail' },
      },
      states: {
        // R7: G already sits at H, signed in, by a login of ours. Only H's forward can be missing
        // (changed elsewhere, or restored by a logout that stalled before it released); R1 skips
        // it while it holds.
        reforwardingHost: {
          entry: [{ type: 'markSent', params: { step: 'forwardHost' } }, { type: 'send', params: ({ context }) => doStep('forwardHost', context) }],
          on: {
            STEP_OK: '#login.done',
            STEP_SKIPPED: { target: '#login.done', actions: { type: 'unmarkSent', params: { step: 'forwardHost' } } },
          },
        },
        signingOutHost: {
          entry: [{ type: 'markSent', params: { step: 'signOutHost' } }, { type: 'send', params: ({ context }) => doStep('signOutHost', context) }],
          on: {
            STEP_OK: 'forwardingHost',
            STEP_SKIPPED: { target: 'forwardingHost', actions: { type: 'unmarkSent', params: { step: 'signOutHost' } } },
          },
        },
        forwardingHost: {
          entry: [{ type: 'markSent', params: { step: 'forwardHost' } }, { type: 'send', params: ({ context }) => doStep('forwardHost', context) }],
          on: {
            STEP_OK: 'associating',
            STEP_SKIPPED: { target: 'associating', actions: { type: 'unmarkSent', params: { step: 'forwardHost' } } },
          },
        },
        associating: {
          // Only what is seen after our PUT counts as its echo (R2): forget earlier sightings.
          entry: [{ type: 'markSent', params: { step: 'associate' } }, 'forgetGuestEvent', { type: 'send', params: ({ context }) => doStep('associate', context) }],
          on: {
            STEP_OK: 'awaitingGuestEvent',
            // Already associated with H: there is no event to wait for.
            STEP_SKIPPED: { target: 'settingGuestNotReady', actions: { type: 'unmarkSent', params: { step: 'associate' } } },
          },
        },
        awaitingGuestEvent: {
          always: { guard: 'guestEventSeen', target: 'settingGuestNotReady' },
          on: { GUEST_ASSOCIATED: 'settingGuestNotReady' },
        },
        settingGuestNotReady: {
          entry: [{ type: 'markSent', params: { step: 'setGuestNotReady' } }, { type: 'send', params: ({ context }) => doStep('setGuestNotReady', context) }],
          on: {
            STEP_OK: '#login.done',
            STEP_SKIPPED: { target: '#login.done', actions: { type: 'unmarkSent', params: { step: 'setGuestNotReady' } } },
          },
        },
      },
    },
    done: { type: 'final' },

    // Compensation (R3, R4): undo every sent step, newest first (edges on the parent `undoing`).
    // An undo refused is recorded as owed and the next follows; one unanswered owes the rest too.
    compensating: {
      always: [
        { guard: { type: 'sent', params: { step: 'setGuestNotReady' } }, target: 'undoing.undoingGuestState' },
        { guard: { type: 'sent', params: { step: 'associate' } }, target: 'undoing.releasingGuest' },
        { guard: { type: 'sent', params: { step: 'forwardHost' } }, target: 'undoing.restoringHostForwarding' },
        { guard: { type: 'sent', params: { step: 'signOutHost' } }, target: 'undoing.undoingHostState' },
        { target: 'failed' },
      ],
    },
    undoing: {
      initial: 'undoingGuestState',
      on: {
        STEP_OK: 'compensating',
        STEP_SKIPPED: 'compensating',
        STEP_FAILED: [
          { guard: 'unanswered', target: 'failed', actions: 'oweRestOfUndo' },
          { target: 'compensating', actions: 'recordUnfinished' },
        ],
      },
      states: {
        undoingGuestState: {
          entry: [{ type: 'working', params: { step: 'setGuestNotReady' } }, { type: 'send', params: ({ context }) => undoStep('setGuestNotReady', context) }],
          exit: { type: 'unmarkSent', params: { step: 'setGuestNotReady' } },
        },
        releasingGuest: {
          entry: [{ type: 'working', params: { step: 'associate' } }, { type: 'send', params: ({ context }) => undoStep('associate', context) }],
          exit: { type: 'unmarkSent', params: { step: 'associate' } },
        },
        restoringHostForwarding: {
          entry: [{ type: 'working', params: { step: 'forwardHost' } }, { type: 'send', params: ({ context }) => undoStep('forwardHost', context) }],
          exit: { type: 'unmarkSent', params: { step: 'forwardHost' } },
        },
        undoingHostState: {
          entry: [{ type: 'working', params: { step: 'signOutHost' } }, { type: 'send', params: ({ context }) => undoStep('signOutHost', context) }],
          exit: { type: 'unmarkSent', params: { step: 'signOutHost' } },
        },
      },
    },
    failed: { type: 'final' },
  },
  output: ({ context }): SagaOutput => {
    const effect: PairingEffect = {
      kind: 'login', host: context.hostUserId, guest: context.guestUserId, forwardTo: context.forwardTo, before: context.hostForwardingBefore,
      forwarded: context.sent.forwardHost, associated: context.sent.associate,
      owed: context.unfinished, owedAt: context.owedAt ?? context.hostUserId,
    };
    if (context.previousDesk) effect.left = { host: context.previousDesk.hostUserId, done: context.left };
    return context.error === undefined ? { ok: true, effect } : { ok: false, error: context.error, effect };
  },
});
