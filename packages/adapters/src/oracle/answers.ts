/**
 * I4, answers half (DESIGN §4.7, §5 "clients see the truth"): at rest, what a client is told when it
 * asks — GetAgentState and GetForwarding on every desk — agrees with BroadWorks: the agent seated
 * at the desk (the guest, else the desk's own user), logged on or not and in the state §4.2 maps its
 * BroadWorks state to (the oracle's own table), and the desk's forwarding.
 *
 * The world is asked from a link of its own once it is quiet; the answers are then judged against
 * the simulator's truth at that moment.
 */
import { userView } from '@csta-bw/xsp-sim';
import type { Violation } from '../invariants.js';
import type { VirtualWorld } from '../virtualWorld.js';
import { EXPECTED_CSTA_VIEW } from './agentStates.js';
import { isHeld } from './connectorView.js';
import { forwardingWord, sameForwarding } from './numbers.js';
import { answerOf, userIdOf } from './requests.js';

export const ORACLE_LINK = 'oracle';

/** Asks every desk for its agent state and forwarding; returns the request keys to judge. */
export function askAtRest(w: VirtualWorld, desks: readonly string[]): { desk: string; agentKey: string; forwardingKey: string }[] {
  return desks.map((desk, i) => {
    const agentKey = `q${2 * i + 1}`;
    const forwardingKey = `q${2 * i + 2}`;
    w.request(ORACLE_LINK, agentKey, { service: 'GetAgentState', device: desk });
    w.request(ORACLE_LINK, forwardingKey, { service: 'GetForwarding', device: desk });
    return { desk, agentKey: `${ORACLE_LINK}#${agentKey}`, forwardingKey: `${ORACLE_LINK}#${forwardingKey}` };
  });
}

export function checkAnswers(w: VirtualWorld, asked: ReturnType<typeof askAtRest>, judged?: Set<string>): Violation[] {
  const out: Violation[] = [];
  for (const q of asked) {
    const deskId = userIdOf(w, q.desk)!;
    const desk = userView(w.xsp, deskId);
    const seated = desk?.hostedGuestUserId;
    const agentId = seated !== undefined && isHeld(w.connector, seated) ? seated : deskId;
    const state = userView(w.xsp, agentId)?.agentACDState;

    const a = answerOf(w, q.agentKey);
    if (a?.kind === 'response' && a.response.service === 'GetAgentStateResponse') {
      const entry = a.response.agentStateList[0];
      const expected = state === undefined ? undefined : EXPECTED_CSTA_VIEW[state];
      const told = `${userIdOf(w, entry?.agentID) ?? '-'} ${entry?.loggedOnState ? 'loggedOn' : 'loggedOff'} ${entry?.agentInfo[0]?.agentState ?? '-'}`;
      const truth = `${agentId} ${expected?.loggedOn ? 'loggedOn' : 'loggedOff'} ${expected?.state ?? 'agentNull'}`;
      if (told !== truth) out.push({ invariant: 'I4', message: `GetAgentState(${q.desk}) answered "${told}" but BroadWorks has ${agentId} ${state ?? 'without an agent'} ("${truth}")` });
      if (seated !== undefined) judged?.add('answers:guest-seated');
    } else if (desk?.agentACDState !== undefined) {
      out.push({ invariant: 'I4', message: `GetAgentState(${q.desk}) at rest was not answered positively: ${JSON.stringify(a ?? 'no answer')}` });
    }

    const f = answerOf(w, q.forwardingKey);
    if (f?.kind === 'response' && f.response.service === 'GetForwardingResponse') {
      const item = f.response.forwardingList[0];
      const told = { active: item?.forwardStatus ?? false, forwardToPhoneNumber: item?.forwardDN };
      if (!sameForwarding(told, desk?.forwarding)) {
        out.push({ invariant: 'I4', message: `GetForwarding(${q.desk}) answered ${forwardingWord(told)} but BroadWorks has ${forwardingWord(desk?.forwarding)}` });
      }
      if (desk?.forwarding?.active) judged?.add('answers:forwarding-on');
    } else if (desk?.forwarding !== undefined) {
      out.push({ invariant: 'I4', message: `GetForwarding(${q.desk}) at rest was not answered positively: ${JSON.stringify(f ?? 'no answer')}` });
    }
  }
  return out;
}
