/**
 * restoreForwarding — put a host's CallForwardingAlways back to what it was before we pointed it
 * at a guest (active=false when we never knew), but only while it still points at that guest:
 * a change made elsewhere since then is the user's intent and wins (DESIGN §4.5 step 2).
 */
import type { ForwardingInfo } from '../../xsi/types.js';
import { normaliseNumber } from '../identity.js';
import type { SendParams } from './step.js';

export function restoreForwardingCommand(step: string, hostUserId: string, guestTarget: string, before: ForwardingInfo | undefined): SendParams {
  // A "before" that already pointed at this guest was a leftover of an earlier attempt, not the
  // desk's own setting: never restore a forward to the guest that is leaving.
  const leftover = before?.active === true && before.forwardToPhoneNumber !== undefined
    && normaliseNumber(before.forwardToPhoneNumber) === normaliseNumber(guestTarget);
  const body = before?.active && !leftover
    ? { active: true, forwardToPhoneNumber: before.forwardToPhoneNumber ?? null }
    : { active: false, forwardToPhoneNumber: before?.forwardToPhoneNumber ?? null };
  return {
    step,
    persistent: true,
    command: { op: 'PUT CallForwardingAlways', userId: hostUserId, body },
    onlyIf: { forwardingPointsTo: { userId: hostUserId, target: guestTarget } },
  };
}
