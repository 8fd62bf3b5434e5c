/**
 * restoreForwarding — put a host's CallForwardingAlways back to what it was before we pointed it
 * at a guest (active=false when we never knew), but only while it still points at that guest:
 * a change made elsewhere since then is the user's intent and wins (DESIGN §4.5 step 2).
 */
import type { ForwardingInfo } from '../../xsi/types.js';
import type { SendParams } from './step.js';

export function restoreForwardingCommand(step: string, hostUserId: string, guestTarget: string, before: ForwardingInfo | undefined): SendParams {
  const body = before?.active
    ? { active: true, forwardToPhoneNumber: before.forwardToPhoneNumber ?? null }
    : { active: false, forwardToPhoneNumber: before?.forwardToPhoneNumber ?? null };
  return {
    step,
    persistent: true,
    command: { op: 'PUT CallForwardingAlways', userId: hostUserId, body },
    onlyIf: { forwardingPointsTo: { userId: hostUserId, target: guestTarget } },
  };
}
