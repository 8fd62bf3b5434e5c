/**
 * DESIGN §4.2 restated for the oracle: what a client must be told for each BroadWorks agent
 * state, written from the specification and not from the connector's own table, so a misreading
 * of §4.2 in the connector cannot also become the oracle's truth.
 */
import type { AgentACDState, AgentState, AgentEventName } from '@csta-bw/core';

/** The CSTA view of one BroadWorks `agentACDState` (the first table of §4.2). */
export interface CstaAgentView { state: AgentState; loggedOn: boolean }

export const EXPECTED_CSTA_VIEW: Readonly<Record<AgentACDState, CstaAgentView>> = {
  // Sign-In is transient: the agent is already logged on, not yet ready.
  'Sign-In': { state: 'agentNotReady', loggedOn: true },
  Available: { state: 'agentReady', loggedOn: true },
  Unavailable: { state: 'agentNotReady', loggedOn: true },
  'Wrap-Up': { state: 'agentWorkingAfterCall', loggedOn: true },
  'Sign-Out': { state: 'agentNull', loggedOn: false },
};

/** Logged on in CSTA terms: any BroadWorks state but Sign-Out (absent: no agent at all). */
export function loggedOnIn(state: AgentACDState | undefined): boolean {
  return state !== undefined && EXPECTED_CSTA_VIEW[state].loggedOn;
}

/** The state an agent event announces (AgentLoggedOnEvent alone says only "logged on"). */
export const STATE_ANNOUNCED: Readonly<Record<AgentEventName, AgentState | 'loggedOn'>> = {
  AgentLoggedOnEvent: 'loggedOn',
  AgentLoggedOffEvent: 'agentNull',
  AgentReadyEvent: 'agentReady',
  AgentNotReadyEvent: 'agentNotReady',
  AgentWorkingAfterCallEvent: 'agentWorkingAfterCall',
};

/** The second table of §4.2: the BroadWorks state a CSTA request asks for. */
export const REQUESTED_ACD_STATE = {
  loggedOn: 'Unavailable',
  ready: 'Available',
  notReady: 'Unavailable',
  workingAfterCall: 'Wrap-Up',
  loggedOff: 'Sign-Out',
} as const satisfies Record<string, AgentACDState>;
