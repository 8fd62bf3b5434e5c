/**
 * The service documents as a client sees them, derived from the stored users: GET bodies and
 * event `info`s. Host-side guest fields and guest-side host fields are computed from the other
 * user of the association, so the two sides can never disagree.
 */
import type { AgentJoinInfo, AgentStateInfo, ForwardingInfo, HotelingGuestInfo, HotelingHostInfo, ProfileInfo, RemoteOfficeInfo } from '@csta-bw/core';
import { isoFromMillis } from './isoTime.js';
import type { UserRecord, XspState } from './state.js';

const userIn = (s: XspState, id: string | undefined): UserRecord | undefined =>
  id !== undefined && Object.hasOwn(s.users, id) ? s.users[id] : undefined;

/** `HotelingGuest` GET body / HotelingGuestEvent info; host* fields only while associated. */
export function guestInfo(s: XspState, u: UserRecord): HotelingGuestInfo | undefined {
  const g = u.guest;
  if (!g) return undefined;
  const info: HotelingGuestInfo = {
    active: g.active,
    enableAssociationLimit: g.enableAssociationLimit,
    associationLimitHours: g.associationLimitHours,
  };
  const host = userIn(s, g.hostUserId);
  if (g.hostUserId !== undefined && host?.host) {
    info.hostUserId = g.hostUserId;
    info.hostLastName = host.lastName;
    info.hostFirstName = host.firstName;
    info.hostAssociationDateTime = isoFromMillis(s.epoch + (g.associatedAt ?? 0));
    info.hostEnforcesAssociationLimit = host.host.enforceAssociationLimit;
    info.hostAssociationLimitHours = host.host.associationLimitHours;
  }
  return info;
}

/** `HotelingHost` GET body; guest* fields only while a guest is associated. */
export function hostInfo(s: XspState, u: UserRecord): HotelingHostInfo | undefined {
  const h = u.host;
  if (!h) return undefined;
  const info: HotelingHostInfo = {
    active: h.active,
    enforceAssociationLimit: h.enforceAssociationLimit,
    associationLimitHours: h.associationLimitHours,
    accessLevel: 'Group',
  };
  const guest = userIn(s, h.guestUserId);
  if (guest?.guest) {
    info.guestLastName = guest.lastName;
    info.guestFirstName = guest.firstName;
    if (guest.number !== undefined) info.guestPhoneNumber = guest.number;
    if (guest.extension !== undefined) info.guestExtension = guest.extension;
    info.guestAssociationDateTime = isoFromMillis(s.epoch + (guest.guest.associatedAt ?? 0));
  }
  return info;
}

/**
 * The agent's AgentStateInformation: stateTimestamp always (the XSD requires it), the code while
 * Unavailable, signInTimestamp while signed in. Times are wall-clock ms: epoch + virtual time.
 */
export function agentStateInfo(s: XspState, u: UserRecord): AgentStateInfo | undefined {
  if (u.agentACDState === undefined) return undefined;
  const info: AgentStateInfo = { state: u.agentACDState, stateTimestamp: s.epoch + (u.agentStateSince ?? 0) };
  if (u.agentUnavailableCode !== undefined) info.unavailableCode = u.agentUnavailableCode;
  if (u.signedInAt !== undefined) info.signInTimestamp = s.epoch + u.signedInAt;
  return info;
}

/** The call centers the agent is joined to (the directory's call centers, all joined). */
export function agentJoins(s: XspState, userId: string): AgentJoinInfo[] {
  return s.callCenters.filter((c) => c.agentUserIds.includes(userId)).map((c) => ({ acdUserId: c.serviceUserId, joined: true }));
}

/** Remote Office in events: the number as a URI (`tel:`), as forwarding numbers are. */
export function remoteOfficeEventInfo(r: RemoteOfficeInfo): RemoteOfficeInfo {
  const info: RemoteOfficeInfo = { active: r.active };
  if (r.remoteOfficeNumber !== undefined) info.remoteOfficeNumber = `tel:${r.remoteOfficeNumber}`;
  return info;
}

/** Events carry the destination as a URI (`tel:1020`); a user id stays as it is. */
export function forwardingEventInfo(f: ForwardingInfo): ForwardingInfo {
  const info: ForwardingInfo = { active: f.active };
  const n = f.forwardToPhoneNumber;
  if (n !== undefined) info.forwardToPhoneNumber = n.includes('@') ? n : `tel:${n}`;
  // ringSplash completes the document, as a real XSP fills every element of the service.
  info.ringSplash = f.ringSplash ?? false;
  return info;
}

export function profileInfo(s: XspState, u: UserRecord): ProfileInfo {
  const p: ProfileInfo = { userId: u.userId, firstName: u.firstName, lastName: u.lastName, groupId: s.groupId };
  if (u.number !== undefined) p.number = u.number;
  if (u.extension !== undefined) p.extension = u.extension;
  return p;
}
