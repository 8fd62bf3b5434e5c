/**
 * Executes one Xsi-Actions command against the model (the XsiCommand vocabulary of core).
 *
 * Authorisation first, then existence, then the service's own rules:
 *   unknown caller → 401 · target ≠ caller and caller ≠ group admin → 403 (before 404, so scope
 *   leaks no user ids) · unknown target → 404 · service rules (agent.ts, forwarding.ts,
 *   hoteling.ts, doNotDisturb.ts, remoteOffice.ts) → 400 with an ErrorInfo of errors.ts.
 * GET answers the service's current document; a user without the service → 400.
 */
import type { XsiCommand, XsiOutcome } from '@csta-bw/core';
import { putCallCenter } from './agent.js';
import { isPrincipal } from './channels.js';
import type { Draft } from './draft.js';
import { xspError } from './errors.js';
import { searchDirectory } from './directorySearch.js';
import { putCallForwardingAlways } from './forwarding.js';
import { doNotDisturbView, putDoNotDisturb } from './doNotDisturb.js';
import { putHotelingGuest, putHotelingHost } from './hoteling.js';
import { putRemoteOffice } from './remoteOffice.js';
import { subscribeIn, SUBSCRIBE_COMMAND_EXPIRES } from './subscriptions.js';
import { guestInfo, hostInfo, profileInfo } from './views.js';

export function executeIn(d: Draft, asUser: string, command: XsiCommand, now: number, channelSetId?: string): XsiOutcome {
  if (typeof command !== 'object' || command === null || typeof command.userId !== 'string') {
    return xspError('SCHEMA_VIOLATION', 'a command needs an op and a userId');
  }
  if (!isPrincipal(d.s, asUser)) return xspError('NOT_AUTHENTICATED', `unknown user "${asUser}"`);
  const userId = command.userId;
  if (command.op === 'GET directory') {
    // Its own scope rules: at group level `userId` is the requesting admin, not a user.
    const page = searchDirectory(d.s, asUser, command);
    return 'entries' in page ? { status: 200, body: { kind: 'directory', ...page } } : page;
  }
  if (asUser !== userId && asUser !== d.s.adminUserId) return xspError('OUT_OF_SCOPE', userId);
  if (command.op === 'SUBSCRIBE' && command.group) {
    return subscribeIn(d, { asUser, groupId: command.group.groupId, packages: command.packages, channelSetId: channelSetId ?? '', expires: SUBSCRIBE_COMMAND_EXPIRES }, now);
  }
  if (command.op === 'SUBSCRIBE') {
    return subscribeIn(d, { asUser, targetUserId: userId, packages: command.packages, channelSetId: channelSetId ?? '', expires: SUBSCRIBE_COMMAND_EXPIRES }, now);
  }
  const user = d.user(userId);
  if (!user) return xspError('UNKNOWN_USER', userId);

  switch (command.op) {
    case 'PUT CallCenter':
      return putCallCenter(d, userId, command.body, now);
    case 'PUT CallForwardingAlways':
      return putCallForwardingAlways(d, userId, command.body, now);
    case 'PUT HotelingGuest':
      return putHotelingGuest(d, userId, command.body, now);
    case 'PUT HotelingHost':
      return putHotelingHost(d, userId, command.body, now);
    case 'PUT DoNotDisturb':
      return putDoNotDisturb(d, userId, command.body, now);
    case 'PUT RemoteOffice':
      return putRemoteOffice(d, userId, command.body, now);
    case 'GET CallCenter':
      if (user.agentACDState === undefined) return xspError('CALL_CENTER_NOT_ASSIGNED', userId);
      return user.agentUnavailableCode === undefined
        ? { status: 200, body: { kind: 'CallCenter', agentACDState: user.agentACDState } }
        : { status: 200, body: { kind: 'CallCenter', agentACDState: user.agentACDState, agentUnavailableCode: user.agentUnavailableCode } };
    case 'GET DoNotDisturb':
      return user.doNotDisturb
        ? { status: 200, body: { kind: 'DoNotDisturb', info: doNotDisturbView(user.doNotDisturb) } }
        : xspError('DND_NOT_ASSIGNED', userId);
    case 'GET RemoteOffice':
      return user.remoteOffice
        ? { status: 200, body: { kind: 'RemoteOffice', info: { ...user.remoteOffice } } }
        : xspError('REMOTE_OFFICE_NOT_ASSIGNED', userId);
    case 'GET CallForwardingAlways':
      return user.forwarding
        ? { status: 200, body: { kind: 'CallForwardingAlways', info: { ...user.forwarding } } }
        : xspError('FORWARDING_NOT_ASSIGNED', userId);
    case 'GET HotelingGuest': {
      const info = guestInfo(d.s, user);
      return info ? { status: 200, body: { kind: 'HotelingGuest', info } } : xspError('GUEST_NOT_ASSIGNED', userId);
    }
    case 'GET HotelingHost': {
      const info = hostInfo(d.s, user);
      return info ? { status: 200, body: { kind: 'HotelingHost', info } } : xspError('HOST_NOT_ASSIGNED', userId);
    }
    case 'GET profile':
      return { status: 200, body: { kind: 'profile', info: profileInfo(d.s, user) } };
    default:
      return xspError('SCHEMA_VIOLATION', `unknown command ${JSON.stringify((command as { op?: unknown }).op)}`);
  }
}
