/**
 * The provisioned users the simulated XSP starts with: the default directory of DESIGN §6.5 and
 * the validator for a directory loaded from a file (`--directory FILE`).
 *
 * A directory is the provisioning view: which services a user has and their initial settings.
 * A service absent from a user means "not assigned" (GET → 400, no initial event).
 */
import {
  AGENT_ACD_STATES, type AgentACDState, type AgentUnavailableCodes, type DoNotDisturbInfo, type ForwardingInfo, type RemoteOfficeInfo,
  type UnavailableCodeDetail,
} from '@csta-bw/core';

export interface DirectoryUser {
  userId: string;
  password: string;
  firstName: string;
  lastName: string;
  number?: string;
  extension?: string;
  /** absent = no Call Center agent service */
  callCenter?: { agentACDState: AgentACDState };
  /** absent = no Call Forwarding Always service */
  forwarding?: ForwardingInfo;
  /** absent = no Do Not Disturb service */
  doNotDisturb?: DoNotDisturbInfo;
  /** absent = no Remote Office service */
  remoteOffice?: RemoteOfficeInfo;
  hotelingGuest?: { active: boolean; enableAssociationLimit: boolean; associationLimitHours: number; hostUserId?: string };
  hotelingHost?: { active: boolean; enforceAssociationLimit: boolean; associationLimitHours: number };
}

/** A call center (a service user) and the agents joined to it; informational, shown in snapshots. */
export interface DirectoryCallCenter {
  serviceUserId: string;
  agentUserIds: string[];
}

/** One agent unavailable code of the group (XSD `unavailableCodeDetail`). */
export type UnavailableCode = UnavailableCodeDetail;

/**
 * The group's `ACDAgentUnavailableCodes` settings (reference/xsi.md §2). With
 * `enableAgentUnavailableCodes` false any code (1..10 characters) is accepted; with it true, only
 * an active code of the list.
 */
export type UnavailableCodeSettings = AgentUnavailableCodes;

export interface Directory {
  domain: string;
  /**
   * The group's enterprise (a service provider in enterprise mode), named by both
   * `enterprise/<id>` and `serviceprovider/<id>` paths. Absent = the domain.
   */
  serviceProviderId?: string;
  groupId: string;
  adminUserId: string;
  adminPassword: string;
  users: DirectoryUser[];
  /** Optional (added beyond the brief's shape, backward compatible). */
  callCenters?: DirectoryCallCenter[];
  /** Absent = codes disabled, an empty list. */
  unavailableCodes?: UnavailableCodeSettings;
}

/** The codes of the default directory: four active, one retired (to show that an inactive code is refused). */
export function defaultUnavailableCodes(): UnavailableCodeSettings {
  return {
    enableAgentUnavailableCodes: true,
    forceUseOfAgentUnavailableCodes: false,
    codes: [
      { code: '1001', description: 'Lunch', active: true },
      { code: '1002', description: 'Meeting', active: true },
      { code: '1003', description: 'Training', active: true },
      { code: '1004', description: 'Break', active: true, isDefault: true },
      { code: '1005', description: 'Retired code', active: false },
    ],
  };
}

/** DESIGN §6.5: 10 desks (hosts) and 50 agents (guests) in example.com, password `secret`. */
export function defaultDirectory(): Directory {
  const users: DirectoryUser[] = [];
  for (let i = 101; i <= 110; i++) {
    users.push({
      userId: `desk-${i}@example.com`,
      password: 'secret',
      firstName: String(i),
      lastName: 'Desk',
      extension: String(2000 + i),
      // desk-110 has an agent signed in at the desk itself (a non-hoteling agent).
      callCenter: { agentACDState: i === 110 ? 'Available' : 'Sign-Out' },
      forwarding: { active: false, ringSplash: false },
      doNotDisturb: { active: false, ringSplash: false },
      remoteOffice: { active: false },
      hotelingHost: { active: true, enforceAssociationLimit: false, associationLimitHours: 24 },
    });
  }
  for (let i = 1; i <= 50; i++) {
    const nn = String(i).padStart(3, '0');
    users.push({
      userId: `agent-${nn}@example.com`,
      password: 'secret',
      firstName: nn,
      lastName: 'Agent',
      extension: String(3000 + i),
      callCenter: { agentACDState: 'Sign-Out' },
      forwarding: { active: false, ringSplash: false },
      doNotDisturb: { active: false, ringSplash: false },
      remoteOffice: { active: false },
      hotelingGuest: { active: true, enableAssociationLimit: false, associationLimitHours: 24 },
    });
  }
  return {
    domain: 'example.com',
    serviceProviderId: 'example.com',
    groupId: 'example-group',
    adminUserId: 'admin@example.com',
    adminPassword: 'secret',
    users,
    callCenters: [{ serviceUserId: 'sales-cc@example.com', agentUserIds: users.map((u) => u.userId) }],
    unavailableCodes: defaultUnavailableCodes(),
  };
}

// ---------------------------------------------------------------------------------------------
// Validation: every problem is reported with the JSON path that has it.

type Check<T> = T | { error: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= 256;
const isLimitHours = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 999;
const USER_ID = /^[^\s@]+@[^\s@]+$/;
const DIGITS = /^\+?[0-9][0-9-]{0,29}$/;

function str(o: Record<string, unknown>, key: string, path: string, re?: RegExp): Check<string> {
  const v = o[key];
  if (!isNonEmptyString(v)) return { error: `${path}.${key}: expected a non-empty string (max 256 chars)` };
  if (re && !re.test(v)) return { error: `${path}.${key}: "${v}" does not match ${re}` };
  return v;
}
function optStr(o: Record<string, unknown>, key: string, path: string, re: RegExp): Check<string | undefined> {
  return o[key] === undefined ? undefined : str(o, key, path, re);
}
function bool(o: Record<string, unknown>, key: string, path: string): Check<boolean> {
  return typeof o[key] === 'boolean' ? (o[key] as boolean) : { error: `${path}.${key}: expected a boolean` };
}
function hours(o: Record<string, unknown>, key: string, path: string): Check<number> {
  return isLimitHours(o[key]) ? (o[key] as number) : { error: `${path}.${key}: expected an integer 1..999` };
}
const failed = (c: unknown): c is { error: string } => isRecord(c) && typeof c['error'] === 'string';

function validateUser(v: unknown, path: string): Check<DirectoryUser> {
  if (!isRecord(v)) return { error: `${path}: expected an object` };
  const userId = str(v, 'userId', path, USER_ID);
  const password = str(v, 'password', path);
  const firstName = str(v, 'firstName', path);
  const lastName = str(v, 'lastName', path);
  const number = optStr(v, 'number', path, DIGITS);
  const extension = optStr(v, 'extension', path, DIGITS);
  for (const c of [userId, password, firstName, lastName, number, extension]) if (failed(c)) return c;
  const user: DirectoryUser = {
    userId: userId as string, password: password as string, firstName: firstName as string, lastName: lastName as string,
  };
  if (typeof number === 'string') user.number = number;
  if (typeof extension === 'string') user.extension = extension;

  const cc = v['callCenter'];
  if (cc !== undefined) {
    const p = `${path}.callCenter`;
    if (!isRecord(cc)) return { error: `${p}: expected an object` };
    const state = cc['agentACDState'];
    if (!AGENT_ACD_STATES.includes(state as AgentACDState)) {
      return { error: `${p}.agentACDState: expected one of ${AGENT_ACD_STATES.join(', ')}` };
    }
    user.callCenter = { agentACDState: state as AgentACDState };
  }
  const fw = v['forwarding'];
  if (fw !== undefined) {
    const p = `${path}.forwarding`;
    if (!isRecord(fw)) return { error: `${p}: expected an object` };
    const active = bool(fw, 'active', p);
    if (failed(active)) return active;
    const info: ForwardingInfo = { active };
    if (fw['forwardToPhoneNumber'] !== undefined) {
      const n = str(fw, 'forwardToPhoneNumber', p);
      if (failed(n)) return n;
      if (!DIGITS.test(n) && !USER_ID.test(n)) return { error: `${p}.forwardToPhoneNumber: "${n}" is neither a number nor a user id` };
      info.forwardToPhoneNumber = n;
    }
    if (fw['ringSplash'] !== undefined) {
      const r = bool(fw, 'ringSplash', p);
      if (failed(r)) return r;
      info.ringSplash = r;
    }
    if (info.active && info.forwardToPhoneNumber === undefined) return { error: `${p}: active forwarding needs forwardToPhoneNumber` };
    user.forwarding = info;
  }
  const dnd = v['doNotDisturb'];
  if (dnd !== undefined) {
    const p = `${path}.doNotDisturb`;
    if (!isRecord(dnd)) return { error: `${p}: expected an object` };
    const active = bool(dnd, 'active', p);
    if (failed(active)) return active;
    user.doNotDisturb = { active };
    if (dnd['ringSplash'] !== undefined) {
      const r = bool(dnd, 'ringSplash', p);
      if (failed(r)) return r;
      user.doNotDisturb.ringSplash = r;
    }
  }
  const ro = v['remoteOffice'];
  if (ro !== undefined) {
    const p = `${path}.remoteOffice`;
    if (!isRecord(ro)) return { error: `${p}: expected an object` };
    const active = bool(ro, 'active', p);
    if (failed(active)) return active;
    user.remoteOffice = { active };
    if (ro['remoteOfficeNumber'] !== undefined) {
      const n = str(ro, 'remoteOfficeNumber', p, DIGITS);
      if (failed(n)) return n;
      user.remoteOffice.remoteOfficeNumber = n;
    }
    if (active && user.remoteOffice.remoteOfficeNumber === undefined) return { error: `${p}: active Remote Office needs remoteOfficeNumber` };
  }
  const g = v['hotelingGuest'];
  if (g !== undefined) {
    const p = `${path}.hotelingGuest`;
    if (!isRecord(g)) return { error: `${p}: expected an object` };
    const active = bool(g, 'active', p);
    const enable = bool(g, 'enableAssociationLimit', p);
    const h = hours(g, 'associationLimitHours', p);
    const host = optStr(g, 'hostUserId', p, USER_ID);
    for (const c of [active, enable, h, host]) if (failed(c)) return c;
    user.hotelingGuest = { active: active as boolean, enableAssociationLimit: enable as boolean, associationLimitHours: h as number };
    if (typeof host === 'string') user.hotelingGuest.hostUserId = host;
  }
  const hh = v['hotelingHost'];
  if (hh !== undefined) {
    const p = `${path}.hotelingHost`;
    if (!isRecord(hh)) return { error: `${p}: expected an object` };
    const active = bool(hh, 'active', p);
    const enforce = bool(hh, 'enforceAssociationLimit', p);
    const h = hours(hh, 'associationLimitHours', p);
    for (const c of [active, enforce, h]) if (failed(c)) return c;
    user.hotelingHost = { active: active as boolean, enforceAssociationLimit: enforce as boolean, associationLimitHours: h as number };
  }
  return user;
}

/**
 * Checks a parsed JSON document is a usable directory: shapes and enums, unique user ids and
 * extensions, and consistent pre-provisioned associations (an existing active host, one guest
 * per host, not the guest itself, the guest's service active). Returns the first problem found.
 */
export function validateDirectory(json: unknown): Directory | { error: string } {
  if (!isRecord(json)) return { error: 'directory: expected an object' };
  const domain = str(json, 'domain', 'directory');
  const groupId = str(json, 'groupId', 'directory');
  const adminUserId = str(json, 'adminUserId', 'directory', USER_ID);
  const adminPassword = str(json, 'adminPassword', 'directory');
  for (const c of [domain, groupId, adminUserId, adminPassword]) if (failed(c)) return c;
  if (!Array.isArray(json['users'])) return { error: 'directory.users: expected an array' };

  const users: DirectoryUser[] = [];
  const byId = new Map<string, DirectoryUser>();
  const extensions = new Map<string, string>();
  for (const [i, raw] of json['users'].entries()) {
    const u = validateUser(raw, `directory.users[${i}]`);
    if (failed(u)) return u;
    if (byId.has(u.userId) || u.userId === adminUserId) return { error: `directory.users[${i}].userId: duplicate user id "${u.userId}"` };
    if (u.extension !== undefined) {
      const other = extensions.get(u.extension);
      if (other !== undefined) return { error: `directory.users[${i}].extension: ${u.extension} is already used by ${other}` };
      extensions.set(u.extension, u.userId);
    }
    byId.set(u.userId, u);
    users.push(u);
  }
  const hosted = new Map<string, string>();
  for (const [i, u] of users.entries()) {
    const hostId = u.hotelingGuest?.hostUserId;
    if (hostId === undefined) continue;
    const p = `directory.users[${i}].hotelingGuest.hostUserId`;
    const host = byId.get(hostId);
    if (!u.hotelingGuest?.active) return { error: `${p}: the guest service is inactive, it cannot be associated` };
    if (hostId === u.userId) return { error: `${p}: a user cannot host itself` };
    if (!host?.hotelingHost) return { error: `${p}: "${hostId}" is not a user with Hoteling Host` };
    if (!host.hotelingHost.active) return { error: `${p}: host "${hostId}" has Hoteling Host inactive` };
    const prior = hosted.get(hostId);
    if (prior !== undefined) return { error: `${p}: host "${hostId}" already hosts ${prior}` };
    hosted.set(hostId, u.userId);
  }
  const directory: Directory = {
    domain: domain as string, groupId: groupId as string, adminUserId: adminUserId as string, adminPassword: adminPassword as string, users,
  };
  if (json['serviceProviderId'] !== undefined) {
    const sp = str(json, 'serviceProviderId', 'directory');
    if (failed(sp)) return sp;
    if (sp.includes('/')) return { error: `directory.serviceProviderId: '/' is not allowed in an id` };
    directory.serviceProviderId = sp;
  }
  if (json['unavailableCodes'] !== undefined) {
    const codes = validateUnavailableCodes(json['unavailableCodes'], 'directory.unavailableCodes');
    if (failed(codes)) return codes;
    directory.unavailableCodes = codes;
  }
  const ccs = json['callCenters'];
  if (ccs !== undefined) {
    if (!Array.isArray(ccs)) return { error: 'directory.callCenters: expected an array' };
    directory.callCenters = [];
    for (const [i, cc] of ccs.entries()) {
      const p = `directory.callCenters[${i}]`;
      if (!isRecord(cc)) return { error: `${p}: expected an object` };
      const id = str(cc, 'serviceUserId', p, USER_ID);
      if (failed(id)) return id;
      const agents = cc['agentUserIds'];
      if (!Array.isArray(agents) || !agents.every((a) => typeof a === 'string' && byId.has(a))) {
        return { error: `${p}.agentUserIds: expected an array of user ids of this directory` };
      }
      directory.callCenters.push({ serviceUserId: id, agentUserIds: agents as string[] });
    }
  }
  return directory;
}

const UNAVAILABLE_CODE = /^\S{1,10}$/;

function validateUnavailableCodes(v: unknown, path: string): Check<UnavailableCodeSettings> {
  if (!isRecord(v)) return { error: `${path}: expected an object` };
  const enable = bool(v, 'enableAgentUnavailableCodes', path);
  const force = bool(v, 'forceUseOfAgentUnavailableCodes', path);
  for (const c of [enable, force]) if (failed(c)) return c;
  if (!Array.isArray(v['codes'])) return { error: `${path}.codes: expected an array` };
  const codes: UnavailableCode[] = [];
  for (const [i, raw] of v['codes'].entries()) {
    const p = `${path}.codes[${i}]`;
    if (!isRecord(raw)) return { error: `${p}: expected an object` };
    const code = str(raw, 'code', p, UNAVAILABLE_CODE);
    const description = str(raw, 'description', p);
    const active = bool(raw, 'active', p);
    for (const c of [code, description, active]) if (failed(c)) return c;
    if (codes.some((x) => x.code === code)) return { error: `${p}.code: duplicate code "${code as string}"` };
    const entry: UnavailableCode = { code: code as string, description: description as string, active: active as boolean };
    if (raw['isDefault'] !== undefined) {
      const d = bool(raw, 'isDefault', p);
      if (failed(d)) return d;
      entry.isDefault = d;
    }
    codes.push(entry);
  }
  return { enableAgentUnavailableCodes: enable as boolean, forceUseOfAgentUnavailableCodes: force as boolean, codes };
}
