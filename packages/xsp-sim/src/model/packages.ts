/**
 * Which event package produces which events (reference/xsi.md §5.5, §5.8).
 *
 * Every value of the XSD `EventPackage` enum is accepted except `Call Recording` (deprecated in
 * R20). What each produces:
 *
 * | package                                   | initial event (user targets)   | on change            |
 * |-------------------------------------------|--------------------------------|----------------------|
 * | Call Center Agent                         | AgentSubscriptionEvent         | AgentStateEvent      |
 * | Call Forwarding Always                    | CallForwardingAlwaysEvent      | the same             |
 * | Hoteling Guest                            | HotelingGuestEvent             | the same             |
 * | Do Not Disturb                            | DoNotDisturbEvent              | the same             |
 * | Remote Office                             | RemoteOfficeEvent              | the same             |
 * | Basic Call, Advanced Call, Standard Call  | CallSubscriptionEvent (On-Hook, no calls) | — (calls are not simulated) |
 * | any other                                 | —                              | —                    |
 *
 * A service event is sent only when the user has the service; every subscription ends with
 * SubscriptionTerminatedEvent. Group and enterprise targets get no initial events (§5.5).
 */
import type { XsiEventData, XsiEventPackage } from '@csta-bw/core';
import { doNotDisturbView } from './doNotDisturb.js';
import type { UserRecord, XspState } from './state.js';
import { agentJoins, agentStateInfo, forwardingEventInfo, guestInfo, remoteOfficeEventInfo } from './views.js';

/** The call packages: until calls are simulated, their only event says the user has none. */
export const CALL_PACKAGES: readonly XsiEventPackage[] = ['Basic Call', 'Advanced Call', 'Standard Call'];

/** The packages that emit events in this simulator (the rest are accepted and stay silent). */
export const MODELLED_PACKAGES: readonly XsiEventPackage[] = [
  'Call Center Agent', 'Call Forwarding Always', 'Hoteling Guest', 'Do Not Disturb', 'Remote Office', ...CALL_PACKAGES,
];

/** The initial event of `pkg` for user `u`, or undefined when the package sends none for it. */
export function initialEvent(s: XspState, u: UserRecord, pkg: XsiEventPackage): XsiEventData | undefined {
  switch (pkg) {
    case 'Call Center Agent': {
      const info = agentStateInfo(s, u);
      return info && { type: 'AgentSubscriptionEvent', joins: agentJoins(s, u.userId), ...info };
    }
    case 'Call Forwarding Always':
      return u.forwarding && { type: 'CallForwardingAlwaysEvent', info: forwardingEventInfo(u.forwarding) };
    case 'Hoteling Guest': {
      const info = guestInfo(s, u);
      return info && { type: 'HotelingGuestEvent', info };
    }
    case 'Do Not Disturb':
      return u.doNotDisturb && { type: 'DoNotDisturbEvent', info: doNotDisturbView(u.doNotDisturb) };
    case 'Remote Office':
      return u.remoteOffice && { type: 'RemoteOfficeEvent', info: remoteOfficeEventInfo(u.remoteOffice) };
    case 'Basic Call':
    case 'Advanced Call':
    case 'Standard Call':
      return { type: 'CallSubscriptionEvent', hookStatus: 'On-Hook' };
    default:
      return undefined;
  }
}
