/**
 * Call Center agent state (reference §2, DESIGN §6.2). Any state may move to any state, as on
 * BroadWorks. `Sign-In` is transient: the agent lands on the configured post-sign-in state
 * (Unavailable by default), and the XSP reports both steps. An AgentStateEvent is emitted only
 * when the state really changes.
 */
import { AGENT_ACD_STATES, type AgentACDState, type XsiOutcome } from '@csta-bw/core';
import type { Draft } from './draft.js';
import { xspError } from './errors.js';
import { emitUserEvent } from './events.js';

function moveTo(d: Draft, userId: string, state: AgentACDState, now: number): void {
  const u = d.userMut(userId);
  if (u.agentACDState === state) return;
  u.agentACDState = state;
  emitUserEvent(d, userId, 'Call Center Agent', { type: 'AgentStateEvent', state }, now);
}

/** Sets the state of a user who has the service (caller checked). */
export function setAgentState(d: Draft, userId: string, state: AgentACDState, now: number): void {
  if (state !== 'Sign-In') return moveTo(d, userId, state, now);
  moveTo(d, userId, 'Sign-In', now);
  moveTo(d, userId, d.s.postSignInState, now);
}

/** PUT CallCenter {agentACDState}. */
export function putCallCenter(d: Draft, userId: string, body: unknown, now: number): XsiOutcome {
  const u = d.user(userId);
  if (u?.agentACDState === undefined) return xspError('CALL_CENTER_NOT_ASSIGNED', userId);
  const state = (body as { agentACDState?: unknown } | null)?.agentACDState;
  if (!AGENT_ACD_STATES.includes(state as AgentACDState)) {
    return xspError('SCHEMA_VIOLATION', `agentACDState must be one of ${AGENT_ACD_STATES.join(', ')}`);
  }
  setAgentState(d, userId, state as AgentACDState, now);
  return { status: 200 };
}
