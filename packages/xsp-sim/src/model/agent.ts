/**
 * Call Center agent state (reference §2, DESIGN §6.2). Any state may move to any state, as on
 * BroadWorks. `Sign-In` is transient: the agent lands on the configured post-sign-in state
 * (Unavailable by default), and the XSP reports both steps.
 *
 * What the model keeps beside the state, for AgentStateInformation (views.ts):
 * - when the state last changed (`stateTimestamp`) and when the agent signed in
 *   (`signInTimestamp`, cleared by Sign-Out);
 * - the unavailable code, which belongs to the Unavailable state: leaving Unavailable clears it
 *   (unavailableCodes.ts says which codes are allowed).
 * An AgentStateEvent is emitted only when the state or the code really changes.
 */
import { AGENT_ACD_STATES, type AgentACDState, type XsiOutcome } from '@csta-bw/core';
import type { Draft } from './draft.js';
import { xspError } from './errors.js';
import { emitUserEvent } from './events.js';
import { refuseUnavailableCode } from './unavailableCodes.js';
import { agentStateInfo } from './views.js';

function emitAgentState(d: Draft, userId: string, now: number): void {
  const u = d.user(userId);
  const info = u && agentStateInfo(d.s, u);
  if (info) emitUserEvent(d, userId, 'Call Center Agent', { type: 'AgentStateEvent', ...info }, now);
}

function moveTo(d: Draft, userId: string, state: AgentACDState, now: number, code?: string): void {
  const cur = d.user(userId);
  if (cur?.agentACDState === state && cur.agentUnavailableCode === code) return;
  const u = d.userMut(userId);
  if (u.agentACDState !== state) {
    if (u.agentACDState === 'Sign-Out') u.signedInAt = now;
    if (state === 'Sign-Out') delete u.signedInAt;
    u.agentACDState = state;
    u.agentStateSince = now;
  }
  if (code === undefined) delete u.agentUnavailableCode;
  else u.agentUnavailableCode = code;
  emitAgentState(d, userId, now);
}

/** Sets the state of a user who has the service (caller checked). `code` only with Unavailable. */
export function setAgentState(d: Draft, userId: string, state: AgentACDState, now: number, code?: string): void {
  if (state !== 'Sign-In') return moveTo(d, userId, state, now, state === 'Unavailable' ? code : undefined);
  moveTo(d, userId, 'Sign-In', now);
  moveTo(d, userId, d.s.postSignInState, now);
}

/**
 * PUT CallCenter {agentACDState?, agentUnavailableCode?: code | null}. Without a state the PUT
 * changes the code of an Unavailable agent; with Unavailable and no code, a code already held
 * stays (partial update, reference §1.6).
 */
export function putCallCenter(d: Draft, userId: string, body: unknown, now: number): XsiOutcome {
  const u = d.user(userId);
  if (u?.agentACDState === undefined) return xspError('CALL_CENTER_NOT_ASSIGNED', userId);
  const b = (body ?? {}) as { agentACDState?: unknown; agentUnavailableCode?: unknown };
  const state = b.agentACDState === undefined ? u.agentACDState : b.agentACDState;
  if (!AGENT_ACD_STATES.includes(state as AgentACDState)) {
    return xspError('SCHEMA_VIOLATION', `agentACDState must be one of ${AGENT_ACD_STATES.join(', ')}`);
  }
  const code = b.agentUnavailableCode;
  if (code !== undefined && code !== null && typeof code !== 'string') return xspError('SCHEMA_VIOLATION', 'agentUnavailableCode must be a string or nil');
  if (typeof code === 'string') {
    if (state !== 'Unavailable') return xspError('UNAVAILABLE_CODE_NOT_UNAVAILABLE', `${userId} would be ${String(state)}`);
    const refused = refuseUnavailableCode(d.s, code);
    if (refused) return refused;
  }
  const kept = state === 'Unavailable' && u.agentACDState === 'Unavailable' ? u.agentUnavailableCode : undefined;
  setAgentState(d, userId, state as AgentACDState, now, code === null ? undefined : (code ?? kept));
  return { status: 200 };
}
