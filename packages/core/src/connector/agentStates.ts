/** The agent-state mapping of DESIGN §4.2, as two tables. */
import type { AgentState, RequestedAgentState } from '../csta/types.js';
import type { AgentACDState } from '../xsi/types.js';

/** BroadWorks `agentACDState` → CSTA agent state. */
export const CSTA_STATE_OF: Record<AgentACDState, AgentState> = {
  'Sign-In': 'agentNotReady',
  Available: 'agentReady',
  Unavailable: 'agentNotReady',
  'Wrap-Up': 'agentWorkingAfterCall',
  'Sign-Out': 'agentNull',
};

/** CSTA requestedAgentState → the BroadWorks state we set. A login always lands not-ready. */
export const ACD_STATE_FOR: Record<RequestedAgentState, AgentACDState> = {
  loggedOn: 'Unavailable',
  ready: 'Available',
  notReady: 'Unavailable',
  workingAfterCall: 'Wrap-Up',
  loggedOff: 'Sign-Out',
};

export function isRequestedAgentState(s: string): s is RequestedAgentState {
  return Object.hasOwn(ACD_STATE_FOR, s);
}

export function isSignedIn(state: AgentACDState | undefined): boolean {
  return state !== undefined && state !== 'Sign-Out';
}
