/**
 * Call Center agent unavailable codes (reference/xsi.md §2): the reason an agent gives for being
 * Unavailable, from the group's code list.
 *
 * Rules (checked by PUT CallCenter, agent.ts):
 *   1. a code is a token of 1..10 characters (XSD `AgentUnavailableCode`) — else schema violation;
 *   2. a code goes with the Unavailable state only (sent with it, or while the agent is in it);
 *   3. when the group has codes enabled, the code must be an active one of its list; when they are
 *      disabled, any well-formed code is kept as given.
 * The list itself is read with `GET group/<groupId>/services/CallCenter/UnavailableCodes` by any
 * user of the group or its admin (`?serviceProviderId=` or `?enterpriseId=`, the latter wins).
 */
import type { UnavailableCodeSettings } from './directory.js';
import { xspError, type XspErrorOutcome } from './errors.js';
import type { XspState } from './state.js';

const CODE = /^\S{1,10}$/;

export const isWellFormedCode = (code: string): boolean => CODE.test(code);

/** Why `code` may not be used in this group, or undefined when it may. */
export function refuseUnavailableCode(s: XspState, code: string): XspErrorOutcome | undefined {
  if (!isWellFormedCode(code)) return xspError('SCHEMA_VIOLATION', `agentUnavailableCode must be 1..10 characters without blanks, got ${JSON.stringify(code)}`);
  const settings = s.unavailableCodes;
  if (!settings.enableAgentUnavailableCodes) return undefined;
  const entry = settings.codes.find((c) => c.code === code);
  if (!entry) return xspError('UNAVAILABLE_CODE_UNKNOWN', `"${code}" is not a code of group ${s.groupId}`);
  if (!entry.active) return xspError('UNAVAILABLE_CODE_UNKNOWN', `"${code}" is not active in group ${s.groupId}`);
  return undefined;
}

/** Who asks for which group's list, under which parent (exactly one parent id given). */
export interface UnavailableCodesRequest {
  asUser: string;
  groupId: string;
  serviceProviderId?: string;
  enterpriseId?: string;
}

/**
 * The group's code list. A user of the group or the admin may read it; another group or
 * enterprise is 404 (the model holds one group), a missing parent id 400.
 */
export function groupUnavailableCodes(s: XspState, req: UnavailableCodesRequest): UnavailableCodeSettings | XspErrorOutcome {
  const parent = req.enterpriseId ?? req.serviceProviderId;
  if (parent === undefined || parent === '') return xspError('SCHEMA_VIOLATION', 'serviceProviderId or enterpriseId query parameter required');
  const member = req.asUser === s.adminUserId || Object.hasOwn(s.users, req.asUser);
  if (!member) return xspError('NOT_AUTHENTICATED', `unknown user "${req.asUser}"`);
  if (parent !== s.serviceProviderId || req.groupId !== s.groupId) return xspError('GROUP_NOT_FOUND', `group ${req.groupId} of ${parent}`);
  return { ...s.unavailableCodes, codes: s.unavailableCodes.codes.map((c) => ({ ...c })) };
}
