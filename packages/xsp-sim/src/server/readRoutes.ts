/**
 * The read-only Xsi-Actions routes real clients call besides the services themselves
 * (reference/interop.md "Xsi clients"):
 *   GET user/<id>/services                      the assigned services, name + uri
 *   GET user/<id>/profile/device                access devices: a desk's phone; a guest's host phone
 *   GET user/<id>/directories/Group|Enterprise  the search (model/directorySearch.ts), as a command
 *   GET group/<groupId>/directories/Group|Enterprise?serviceProviderId=…|enterpriseId=…  (group admin)
 *   GET user/<id>/directories/GroupCommon|EnterpriseCommon|Personal   empty (nothing provisioned)
 *   GET user/<id>/directories/CallLogs[/Missed|/Placed|/Received]     empty (calls not simulated)
 *
 * Theory of operation: `readRoute` recognises the path (fixed words case-insensitive, ids as sent)
 * and answers with a document, an error, or — for the searched directories — the `GET directory`
 * command, which the caller runs through the model like any Actions command (fault profile
 * included), so ModelTransport and HTTP clients see one behaviour. A path it does not know is
 * `undefined`: the service routes (actions.ts `parseActionsPath`) get their turn. Scope first,
 * then existence, as everywhere: another user's resources are 403 before an unknown user's 404.
 */
import { parseDirectoryQuery, isXsiCodecError, type DirectoryName, type XsiCommand } from '@csta-bw/core';
import type { UserRecord, XspState } from '../model/state.js';
import type { XspErrorOutcome } from '../model/errors.js';
import { httpError, pathSegments, xspError } from './httpIo.js';
import {
  encodeAccessDevices,
  encodeCallLogs,
  encodeEmptyDirectory,
  encodeServices,
  type AccessDeviceEntry,
  type CallLogList,
  type EmptyDirectoryName,
  type ServiceEntry,
} from './readDocuments.js';

export type ReadAnswer =
  | { command: XsiCommand }
  | { xml: string }
  | { error: XspErrorOutcome; allow?: string };

/**
 * The services a user record shows, by the record's fields. DND and Remote Office are read by
 * name so the list follows the model as it gains services.
 */
const SERVICE_LIST: ReadonlyArray<{ name: string; uri: string; has: (u: UserRecord) => boolean }> = [
  { name: 'Call Center - Standard', uri: 'callcenter', has: (u) => u.agentACDState !== undefined },
  { name: 'Call Forwarding Always', uri: 'callforwardingalways', has: (u) => u.forwarding !== undefined },
  { name: 'Do Not Disturb', uri: 'donotdisturb', has: (u) => field(u, 'doNotDisturb') },
  { name: 'Hoteling Guest', uri: 'hotelingguest', has: (u) => u.guest !== undefined },
  { name: 'Hoteling Host', uri: 'hotelinghost', has: (u) => u.host !== undefined },
  { name: 'Remote Office', uri: 'remoteoffice', has: (u) => field(u, 'remoteOffice') },
];

function field(u: UserRecord, name: string): boolean {
  return (u as unknown as Record<string, unknown>)[name] !== undefined;
}

const SEARCHED: Readonly<Record<string, DirectoryName>> = { group: 'Group', enterprise: 'Enterprise' };
const EMPTY: Readonly<Record<string, EmptyDirectoryName>> = { groupcommon: 'GroupCommon', enterprisecommon: 'EnterpriseCommon', personal: 'Personal' };
const CALL_LOGS: Readonly<Record<string, CallLogList>> = { missed: 'missed', placed: 'placed', received: 'received' };

/** The phone of a desk (a Hoteling Host): named after the desk's user part, its line port the desk's id. */
export function deskPhone(u: UserRecord): AccessDeviceEntry {
  const userPart = u.userId.split('@')[0] ?? u.userId;
  return { deviceName: `${userPart}-phone`, deviceLevel: 'Group', deviceType: 'Generic SIP Phone', deviceLinePort: u.userId };
}

function accessDevices(s: XspState, u: UserRecord): AccessDeviceEntry[] {
  const devices: AccessDeviceEntry[] = [];
  if (u.host) devices.push(deskPhone(u));
  const hostId = u.guest?.hostUserId;
  const host = hostId !== undefined && Object.hasOwn(s.users, hostId) ? s.users[hostId] : undefined;
  if (host?.host) devices.push(deskPhone(host)); // the guest's profile rides on the desk's phone
  return devices;
}

function decodeId(raw: string | undefined): string | { error: XspErrorOutcome } {
  if (raw === undefined || raw === '') return { error: httpError('NO_SUCH_RESOURCE', 'no id in the path') };
  try {
    const id = decodeURIComponent(raw);
    return id.includes('/') ? { error: httpError('MALFORMED_REQUEST', `'/' is not allowed in an id: "${id}"`) } : id;
  } catch {
    return { error: httpError('MALFORMED_REQUEST', `malformed URL encoding in id "${raw}"`) };
  }
}

/** `path` is the request URL; undefined = not one of these routes. */
export function readRoute(s: XspState, method: string, path: string, asUser: string): ReadAnswer | undefined {
  const segments = pathSegments(path).slice(2); // after com.broadsoft.xsi-actions/v2.0
  const w = segments.map((x) => x.toLowerCase());
  const query = path.includes('?') ? path.slice(path.indexOf('?') + 1) : '';
  let route: (() => ReadAnswer) | undefined;

  if (w[0] === 'user' && segments.length >= 3) {
    const tail = w.slice(2);
    if (tail.length === 1 && tail[0] === 'services') route = () => services(s, id, asUser);
    else if (tail.length === 2 && tail[0] === 'profile' && tail[1] === 'device') route = () => devices(s, id, asUser);
    else if (tail.length === 2 && tail[0] === 'directories' && SEARCHED[tail[1]!]) route = () => searched(id, SEARCHED[tail[1]!]!, query);
    else if (tail.length === 2 && tail[0] === 'directories' && EMPTY[tail[1]!]) route = () => empty(s, id, asUser, EMPTY[tail[1]!]!, query);
    else if (tail[0] === 'directories' && tail[1] === 'calllogs' && (tail.length === 2 || (tail.length === 3 && CALL_LOGS[tail[2]!]))) {
      route = () => callLogs(s, id, asUser, tail.length === 3 ? [CALL_LOGS[tail[2]!]!] : undefined);
    }
  } else if (w[0] === 'group' && segments.length === 4 && w[2] === 'directories' && SEARCHED[w[3]!]) {
    route = () => groupSearched(segments[1], SEARCHED[w[3]!]!, asUser, query);
  }
  if (route === undefined) return undefined;
  if (method !== 'GET') return { error: httpError('METHOD_NOT_ALLOWED', `${method} (allowed: GET)`), allow: 'GET' };
  const idOrError = w[0] === 'user' ? decodeId(segments[1]) : '';
  if (typeof idOrError !== 'string') return idOrError;
  const id = idOrError;
  return route();
}

/** Scope, then existence (the model's order). */
function userFor(s: XspState, userId: string, asUser: string): UserRecord | { error: XspErrorOutcome } {
  if (asUser !== userId && asUser !== s.adminUserId) return { error: xspError('OUT_OF_SCOPE', userId) };
  const u = Object.hasOwn(s.users, userId) ? s.users[userId] : undefined;
  return u ?? { error: xspError('UNKNOWN_USER', userId) };
}

function services(s: XspState, userId: string, asUser: string): ReadAnswer {
  const u = userFor(s, userId, asUser);
  if ('error' in u) return u;
  const list: ServiceEntry[] = SERVICE_LIST.filter((e) => e.has(u)).map((e) => ({ name: e.name, uri: `/v2.0/user/${userId}/services/${e.uri}` }));
  return { xml: encodeServices(list) };
}

function devices(s: XspState, userId: string, asUser: string): ReadAnswer {
  const u = userFor(s, userId, asUser);
  return 'error' in u ? u : { xml: encodeAccessDevices(accessDevices(s, u)) };
}

function searched(userId: string, directory: DirectoryName, queryString: string): ReadAnswer {
  const query = parseDirectoryQuery(queryString);
  if (isXsiCodecError(query)) return { error: xspError('SCHEMA_VIOLATION', query.error) };
  return { command: { op: 'GET directory', userId, directory, query } };
}

function groupSearched(rawGroupId: string | undefined, directory: DirectoryName, asUser: string, queryString: string): ReadAnswer {
  const groupId = decodeId(rawGroupId);
  if (typeof groupId !== 'string') return groupId;
  const query = parseDirectoryQuery(queryString);
  if (isXsiCodecError(query)) return { error: xspError('SCHEMA_VIOLATION', query.error) };
  // The group's parent: serviceProviderId or enterpriseId (enterpriseId wins, reference §2).
  const params = new URLSearchParams(queryString);
  const parent = params.get('enterpriseId') ?? params.get('serviceProviderId');
  if (parent === null || parent === '') return { error: xspError('SCHEMA_VIOLATION', 'a group-level request needs serviceProviderId or enterpriseId') };
  return { command: { op: 'GET directory', userId: asUser, directory, query, group: { serviceProviderId: parent, groupId } } };
}

function empty(s: XspState, userId: string, asUser: string, name: EmptyDirectoryName, queryString: string): ReadAnswer {
  const u = userFor(s, userId, asUser);
  if ('error' in u) return u;
  const query = parseDirectoryQuery(queryString);
  if (isXsiCodecError(query)) return { error: xspError('SCHEMA_VIOLATION', query.error) };
  return { xml: encodeEmptyDirectory(name, query.start ?? 1) };
}

function callLogs(s: XspState, userId: string, asUser: string, lists?: CallLogList[]): ReadAnswer {
  const u = userFor(s, userId, asUser);
  return 'error' in u ? u : { xml: encodeCallLogs(lists) };
}
