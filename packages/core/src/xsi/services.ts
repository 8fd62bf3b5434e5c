/**
 * The Xsi-Actions service documents csta-bw uses — CallCenter, CallForwardingAlways,
 * HotelingGuest, HotelingHost, Profile, AvailableHotelingHosts, ErrorInfo — as field tables in
 * XSD sequence order (reference/xsi.md §1.6–§4), with their encoders and decoders.
 *
 * Theory of operation
 * - One table per document lists its simple elements in XSD order with their type, whether
 *   they are nillable, read-only (ignored on PUT, §1.6), write-only (`removeGuestAssociation`)
 *   or valid Xsi that csta-bw does not support (refused on PUT rather than silently dropped).
 * - Two reading modes over the same table:
 *   `strict`  — the simulator reading a PUT body: unknown or duplicated elements, elements out
 *               of XSD order, bad values and `xsi:nil` on a non-nillable element are errors;
 *               read-only elements are skipped.
 *   `lenient` — csta-bw reading an XSP's GET body or event `info`: unknown elements (newer
 *               releases add some) are ignored, but every element we do read must be valid.
 * - Writing walks the table in order, so output always has XSD element order. `null` becomes
 *   `<e xsi:nil="true"/>` with `xsi` bound to XMLSchema-instance (the Actions convention, §1.5).
 *   Event `info` blocks are written with the `xsi:` (BroadSoft) prefix and forwarding numbers
 *   in `tel:` form (§3); that is `events.ts`'s choice, passed in as options.
 * - Forwarding numbers are normalised on read: `tel:1020` → `1020`; `sip:` URIs are kept.
 */
import {
  AGENT_ACD_STATES,
  type AgentACDState,
  type DoNotDisturbInfo,
  type ErrorInfo,
  type ForwardingInfo,
  type RemoteOfficeInfo,
  type HotelingGuestInfo,
  type HotelingHostInfo,
  type ProfileInfo,
} from './types.js';
import {
  XML_DECLARATION,
  XML_SCHEMA_INSTANCE_NAMESPACE,
  XSI_NAMESPACE,
  child,
  escapeText,
  isCodecError,
  isNil,
  parseBoolean,
  parseInteger,
  parseNonEmpty,
  parseXmlDocument,
  simpleText,
  textElement,
  type XmlElement,
  type XsiCodecError,
} from './xml.js';

// ---------------------------------------------------------------------------------------------
// Partial updates (PUT bodies as the simulator reads them) and GET shapes not in types.ts

/** `CallCenter` GET body: the state, and the unavailable code while Unavailable with one. */
export interface CallCenterInfo {
  agentACDState: AgentACDState;
  agentUnavailableCode?: string;
}

export interface CallCenterUpdate {
  agentACDState?: AgentACDState;
  agentUnavailableCode?: string | null;
}

export interface ForwardingUpdate {
  active?: boolean;
  forwardToPhoneNumber?: string | null;
  ringSplash?: boolean;
}

export interface DoNotDisturbUpdate {
  active?: boolean;
  ringSplash?: boolean;
}

export interface RemoteOfficeUpdate {
  active?: boolean;
  remoteOfficeNumber?: string | null;
}

export interface HotelingGuestUpdate {
  active?: boolean;
  enableAssociationLimit?: boolean;
  associationLimitHours?: number;
  hostUserId?: string | null;
}

export interface HotelingHostUpdate {
  active?: boolean;
  enforceAssociationLimit?: boolean;
  associationLimitHours?: number;
  accessLevel?: 'Enterprise' | 'Group';
  removeGuestAssociation?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Field tables

type FieldType =
  | { kind: 'boolean' }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'string'; minLength: number; maxLength: number }
  /** A forwarding destination: plain number, `tel:` (normalised away) or `sip:` URI. */
  | { kind: 'address' };

interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly nillable?: boolean;
  /** Ignored on PUT (§1.6). */
  readonly readOnly?: boolean;
  /** Only meaningful on PUT (never read from a GET body). */
  readonly writeOnly?: boolean;
  /** Read for validation on GET but not part of our data model. */
  readonly discard?: boolean;
  /** Valid Xsi, refused on PUT: csta-bw does not implement it. */
  readonly unsupported?: boolean;
}

const BOOLEAN: FieldType = { kind: 'boolean' };
const NAME: FieldType = { kind: 'string', minLength: 0, maxLength: 256 };
const USER_ID: FieldType = { kind: 'string', minLength: 1, maxLength: 161 };
const ASSOCIATION_LIMIT_HOURS: FieldType = { kind: 'int', min: 1, max: 999 };

export const CALL_CENTER_FIELDS: readonly FieldSpec[] = [
  { name: 'agentACDState', type: { kind: 'enum', values: AGENT_ACD_STATES } },
  { name: 'agentUnavailableCode', type: { kind: 'string', minLength: 1, maxLength: 10 }, nillable: true },
  ...[
    'useDefaultGuardTimer',
    'enableGuardTimer',
    'guardTimerSeconds',
    'useSystemDefaultUnavailableSettings',
    'forceAgentUnavailableOnDNDActivation',
    'forceUnavailableOnPersonalCalls',
    'forceAgentUnavailableOnBouncedCallLimit',
    'numberConsecutiveBouncedCallsToForceAgentUnavailable',
    'makeOutgoingCallsAsCallCenter',
    'outgoingCallDNIS',
    'callCenterList',
  ].map((name): FieldSpec => ({ name, type: NAME, unsupported: true, discard: true })),
];

export const FORWARDING_FIELDS: readonly FieldSpec[] = [
  { name: 'active', type: BOOLEAN },
  { name: 'forwardToPhoneNumber', type: { kind: 'address' }, nillable: true },
  { name: 'ringSplash', type: BOOLEAN },
];

/** XSD DoNotDisturb: ActivatableServiceInfo (`active`) then `ringSplash`. */
export const DO_NOT_DISTURB_FIELDS: readonly FieldSpec[] = [
  { name: 'active', type: BOOLEAN },
  { name: 'ringSplash', type: BOOLEAN },
];

/** XSD RemoteOffice: `active`, then `remoteOfficeNumber` (an Address, nillable). */
export const REMOTE_OFFICE_FIELDS: readonly FieldSpec[] = [
  { name: 'active', type: BOOLEAN },
  { name: 'remoteOfficeNumber', type: { kind: 'address' }, nillable: true },
];

export const HOTELING_GUEST_FIELDS: readonly FieldSpec[] = [
  { name: 'active', type: BOOLEAN },
  { name: 'enableAssociationLimit', type: BOOLEAN },
  { name: 'associationLimitHours', type: ASSOCIATION_LIMIT_HOURS },
  { name: 'hostUserId', type: USER_ID, nillable: true },
  { name: 'hostLastName', type: NAME, readOnly: true },
  { name: 'hostFirstName', type: NAME, readOnly: true },
  { name: 'hostAssociationDateTime', type: NAME, readOnly: true },
  { name: 'hostEnforcesAssociationLimit', type: BOOLEAN, readOnly: true },
  { name: 'hostAssociationLimitHours', type: ASSOCIATION_LIMIT_HOURS, readOnly: true },
];

export const HOTELING_HOST_FIELDS: readonly FieldSpec[] = [
  { name: 'active', type: BOOLEAN },
  { name: 'enforceAssociationLimit', type: BOOLEAN },
  { name: 'associationLimitHours', type: ASSOCIATION_LIMIT_HOURS },
  { name: 'accessLevel', type: { kind: 'enum', values: ['Enterprise', 'Group'] } },
  { name: 'removeGuestAssociation', type: BOOLEAN, writeOnly: true },
  { name: 'guestLastName', type: NAME, readOnly: true },
  { name: 'guestFirstName', type: NAME, readOnly: true },
  { name: 'guestPhoneNumber', type: NAME, readOnly: true },
  { name: 'guestExtension', type: NAME, readOnly: true },
  { name: 'guestLocationDialingCode', type: NAME, readOnly: true, discard: true },
  { name: 'guestAssociationDateTime', type: NAME, readOnly: true },
];

// ---------------------------------------------------------------------------------------------
// Reading

type FieldValues = Record<string, string | number | boolean | null>;

/** Read the simple children of `el` per `fields` (see the header for the two modes). */
export function readFields(el: XmlElement, fields: readonly FieldSpec[], mode: 'strict' | 'lenient'): FieldValues | XsiCodecError {
  const out: FieldValues = {};
  let lastIndex = -1;
  const seen = new Set<string>();
  for (const c of el.children) {
    const index = fields.findIndex((f) => f.name === c.local);
    const spec = fields[index];
    if (spec === undefined) {
      if (mode === 'strict') return { error: `unknown element <${c.local}> in <${el.local}>` };
      continue;
    }
    if (seen.has(spec.name)) {
      if (mode === 'strict') return { error: `element <${spec.name}> repeated in <${el.local}>` };
      continue;
    }
    seen.add(spec.name);
    if (mode === 'strict') {
      if (index < lastIndex) return { error: `element <${spec.name}> out of order in <${el.local}> (XSD sequence order required)` };
      lastIndex = index;
      if (spec.unsupported) return { error: `element <${spec.name}> of <${el.local}> is not supported by this XSP` };
      if (spec.readOnly) continue;
    } else if (spec.writeOnly || spec.discard) {
      continue;
    }
    if (isNil(c)) {
      if (!spec.nillable) return { error: `element <${spec.name}> in <${el.local}> is not nillable` };
      out[spec.name] = null;
      continue;
    }
    const value = readValue(c, spec.type);
    if (isCodecError(value)) return { error: `${value.error} (in <${el.local}>)` };
    out[spec.name] = value;
  }
  return out;
}

function readValue(el: XmlElement, type: FieldType): string | number | boolean | XsiCodecError {
  switch (type.kind) {
    case 'boolean':
      return parseBoolean(el);
    case 'int':
      return parseInteger(el, type.min, type.max);
    case 'enum': {
      const t = simpleText(el);
      if (isCodecError(t)) return t;
      // Exact case: BroadWorks enums are case-sensitive (reference/xsi.md §2).
      return type.values.includes(t) ? t : { error: `<${el.local}> must be one of ${type.values.join(', ')}; got "${t}"` };
    }
    case 'string': {
      const t = simpleText(el);
      if (isCodecError(t)) return t;
      if (t.length < type.minLength) return { error: `<${el.local}> must not be empty` };
      if (t.length > type.maxLength) return { error: `<${el.local}> longer than ${type.maxLength} characters` };
      return t;
    }
    case 'address': {
      const t = parseNonEmpty(el, 161);
      if (isCodecError(t)) return t;
      return normaliseAddress(t, el.local);
    }
  }
}

/** `tel:1020` → `1020`; plain numbers and `sip:` URIs unchanged. */
export function normaliseAddress(address: string, element = 'forwardToPhoneNumber'): string | XsiCodecError {
  const tel = /^tel:(.*)$/i.exec(address);
  if (tel === null) return address;
  const number = tel[1]!.split(';')[0]!.trim();
  return number === '' ? { error: `<${element}> has an empty tel: URI` } : number;
}

/** Parse a document and check its root's local name (prefixes and namespaces are not compared). */
export function parseRoot(xml: string, root: string): XmlElement | XsiCodecError {
  const el = parseXmlDocument(xml);
  if (isCodecError(el)) return el;
  if (el.local !== root) return { error: `expected <${root}>, got <${el.local}>` };
  return el;
}

// ---------------------------------------------------------------------------------------------
// PUT bodies, strict (simulator side)

export function decodeCallCenterUpdate(xml: string): CallCenterUpdate | XsiCodecError {
  return decodeUpdate(xml, 'CallCenter', CALL_CENTER_FIELDS) as CallCenterUpdate | XsiCodecError;
}

export function decodeForwardingUpdate(xml: string): ForwardingUpdate | XsiCodecError {
  return decodeUpdate(xml, 'CallForwardingAlways', FORWARDING_FIELDS) as ForwardingUpdate | XsiCodecError;
}

export function decodeDoNotDisturbUpdate(xml: string): DoNotDisturbUpdate | XsiCodecError {
  return decodeUpdate(xml, 'DoNotDisturb', DO_NOT_DISTURB_FIELDS) as DoNotDisturbUpdate | XsiCodecError;
}

export function decodeRemoteOfficeUpdate(xml: string): RemoteOfficeUpdate | XsiCodecError {
  return decodeUpdate(xml, 'RemoteOffice', REMOTE_OFFICE_FIELDS) as RemoteOfficeUpdate | XsiCodecError;
}

export function decodeHotelingGuestUpdate(xml: string): HotelingGuestUpdate | XsiCodecError {
  return decodeUpdate(xml, 'HotelingGuest', HOTELING_GUEST_FIELDS) as HotelingGuestUpdate | XsiCodecError;
}

export function decodeHotelingHostUpdate(xml: string): HotelingHostUpdate | XsiCodecError {
  return decodeUpdate(xml, 'HotelingHost', HOTELING_HOST_FIELDS) as HotelingHostUpdate | XsiCodecError;
}

function decodeUpdate(xml: string, root: string, fields: readonly FieldSpec[]): FieldValues | XsiCodecError {
  const el = parseRoot(xml, root);
  if (isCodecError(el)) return el;
  if (el.text.trim() !== '') return { error: `<${root}> must not contain text` };
  return readFields(el, fields, 'strict');
}

// ---------------------------------------------------------------------------------------------
// GET bodies and event `info`, lenient (csta-bw side)

export function readCallCenter(el: XmlElement): CallCenterInfo | XsiCodecError {
  const v = readFields(el, CALL_CENTER_FIELDS, 'lenient');
  if (isCodecError(v)) return v;
  if (typeof v['agentACDState'] !== 'string') return { error: '<CallCenter> without <agentACDState>' };
  const info: CallCenterInfo = { agentACDState: v['agentACDState'] as AgentACDState };
  if (typeof v['agentUnavailableCode'] === 'string') info.agentUnavailableCode = v['agentUnavailableCode'];
  return info;
}

export function readForwarding(el: XmlElement): ForwardingInfo | XsiCodecError {
  const v = readFields(el, FORWARDING_FIELDS, 'lenient');
  if (isCodecError(v)) return v;
  if (typeof v['active'] !== 'boolean') return { error: `<${el.local}> without <active>` };
  const info: ForwardingInfo = { active: v['active'] };
  if (typeof v['forwardToPhoneNumber'] === 'string') info.forwardToPhoneNumber = v['forwardToPhoneNumber'];
  if (typeof v['ringSplash'] === 'boolean') info.ringSplash = v['ringSplash'];
  return info;
}

export function readDoNotDisturb(el: XmlElement): DoNotDisturbInfo | XsiCodecError {
  const v = readFields(el, DO_NOT_DISTURB_FIELDS, 'lenient');
  if (isCodecError(v)) return v;
  if (typeof v['active'] !== 'boolean') return { error: `<${el.local}> without <active>` };
  return withoutNulls(v) as unknown as DoNotDisturbInfo;
}

export function readRemoteOffice(el: XmlElement): RemoteOfficeInfo | XsiCodecError {
  const v = readFields(el, REMOTE_OFFICE_FIELDS, 'lenient');
  if (isCodecError(v)) return v;
  if (typeof v['active'] !== 'boolean') return { error: `<${el.local}> without <active>` };
  return withoutNulls(v) as unknown as RemoteOfficeInfo;
}

export function readHotelingGuest(el: XmlElement): HotelingGuestInfo | XsiCodecError {
  const v = readFields(el, HOTELING_GUEST_FIELDS, 'lenient');
  if (isCodecError(v)) return v;
  if (typeof v['active'] !== 'boolean') return { error: `<${el.local}> without <active>` };
  // A nil hostUserId on GET means "not associated": drop it like every other absent field.
  return withoutNulls(v) as unknown as HotelingGuestInfo;
}

export function readHotelingHost(el: XmlElement): HotelingHostInfo | XsiCodecError {
  const v = readFields(el, HOTELING_HOST_FIELDS, 'lenient');
  if (isCodecError(v)) return v;
  if (typeof v['active'] !== 'boolean') return { error: `<${el.local}> without <active>` };
  return withoutNulls(v) as unknown as HotelingHostInfo;
}

function withoutNulls(v: FieldValues): FieldValues {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null));
}

/** `Profile` GET body: `details` holds the user fields (XSD UserDetails). */
export function readProfile(el: XmlElement): ProfileInfo | XsiCodecError {
  const details = child(el, 'details') ?? el;
  const info: Partial<ProfileInfo> = {};
  for (const name of ['userId', 'firstName', 'lastName', 'number', 'extension', 'groupId'] as const) {
    const c = child(details, name);
    if (c === undefined) continue;
    const t = simpleText(c);
    if (isCodecError(t)) return t;
    if (t !== '') info[name] = t;
  }
  if (info.userId === undefined) return { error: '<Profile> without <details><userId>' };
  return info as ProfileInfo;
}

/** `AvailableHotelingHosts`: accepts the XSD's `userID` and the spec example's `userid` (§4.3). */
export function readHotelingHosts(el: XmlElement): string[] | XsiCodecError {
  const list = child(el, 'hostUserIdList');
  if (list === undefined) return [];
  const ids: string[] = [];
  for (const c of list.children) {
    if (c.local.toLowerCase() !== 'userid') continue;
    const t = parseNonEmpty(c, 161);
    if (isCodecError(t)) return t;
    ids.push(t);
  }
  return ids;
}

/** A whole `AvailableHotelingHosts` document (no XsiCommand fetches it; kept for symmetry and tests). */
export function decodeHotelingHosts(xml: string): string[] | XsiCodecError {
  const el = parseRoot(xml, 'AvailableHotelingHosts');
  return isCodecError(el) ? el : readHotelingHosts(el);
}

export function readErrorInfo(el: XmlElement): ErrorInfo | XsiCodecError {
  const english = child(el, 'summaryEnglish') ?? child(el, 'summary');
  const code = child(el, 'errorCode');
  if (english === undefined || code === undefined) return { error: '<ErrorInfo> without <summaryEnglish> and <errorCode>' };
  const summaryEnglish = simpleText(english);
  if (isCodecError(summaryEnglish)) return summaryEnglish;
  const errorCode = parseInteger(code, -2147483648, 2147483647);
  if (isCodecError(errorCode)) return errorCode;
  const info: ErrorInfo = { summaryEnglish, errorCode };
  const summary = child(el, 'summary');
  if (summary !== undefined) {
    const s = simpleText(summary);
    if (isCodecError(s)) return s;
    info.summary = s;
  }
  return info;
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface WriteOptions {
  /** Element prefix: '' for Actions documents, 'xsi:' inside events. */
  prefix?: string;
  /** Write forwarding numbers as `tel:` URIs (events, §3). */
  telUri?: boolean;
}

/** The fields of `values` present in `fields`, in table (= XSD) order. `null` → xsi:nil. */
export function writeFields(values: object, fields: readonly FieldSpec[], options: WriteOptions = {}): string {
  const prefix = options.prefix ?? '';
  const record = values as Record<string, unknown>;
  let out = '';
  for (const spec of fields) {
    const value = record[spec.name];
    if (value === undefined) continue;
    if (value === null) out += `<${prefix}${spec.name} xsi:nil="true"/>`;
    else if (spec.type.kind === 'address' && options.telUri) out += textElement(spec.name, asTelUri(String(value)), prefix);
    else out += textElement(spec.name, value as string | number | boolean, prefix);
  }
  return out;
}

function asTelUri(address: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(address) ? address : `tel:${address}`;
}

/** A whole Actions document: declaration, root in the Xsi default namespace, fields. */
export function actionsDocument(root: string, values: object, fields: readonly FieldSpec[]): string {
  const hasNil = Object.values(values).some((v) => v === null);
  const nilNs = hasNil ? ` xmlns:xsi="${XML_SCHEMA_INSTANCE_NAMESPACE}"` : '';
  const body = writeFields(values, fields);
  return `${XML_DECLARATION}<${root} xmlns="${XSI_NAMESPACE}"${nilNs}${body === '' ? '/>' : `>${body}</${root}>`}`;
}

export function encodeCallCenter(state: AgentACDState | CallCenterInfo): string {
  const info = typeof state === 'string' ? { agentACDState: state } : state;
  return actionsDocument('CallCenter', info, CALL_CENTER_FIELDS);
}

export function encodeForwarding(info: ForwardingInfo): string {
  return actionsDocument('CallForwardingAlways', info, FORWARDING_FIELDS);
}

export function encodeDoNotDisturb(info: DoNotDisturbInfo): string {
  return actionsDocument('DoNotDisturb', info, DO_NOT_DISTURB_FIELDS);
}

export function encodeRemoteOffice(info: RemoteOfficeInfo): string {
  return actionsDocument('RemoteOffice', info, REMOTE_OFFICE_FIELDS);
}

export function encodeHotelingGuest(info: HotelingGuestInfo): string {
  return actionsDocument('HotelingGuest', info, HOTELING_GUEST_FIELDS);
}

export function encodeHotelingHost(info: HotelingHostInfo): string {
  return actionsDocument('HotelingHost', info, HOTELING_HOST_FIELDS);
}

/** `Profile` with `details` in UserDetails order (userId, names, groupId, number, extension). */
export function encodeProfile(info: ProfileInfo): string {
  let details = textElement('userId', info.userId);
  for (const name of ['firstName', 'lastName', 'groupId', 'number', 'extension'] as const) {
    const value = info[name];
    if (value !== undefined) details += textElement(name, value);
  }
  return `${XML_DECLARATION}<Profile xmlns="${XSI_NAMESPACE}"><details>${details}</details><additionalDetails/></Profile>`;
}

export function encodeHotelingHosts(userIds: readonly string[]): string {
  const ids = userIds.map((id) => textElement('userID', id)).join('');
  return `${XML_DECLARATION}<AvailableHotelingHosts xmlns="${XSI_NAMESPACE}"><hostUserIdList>${ids}</hostUserIdList></AvailableHotelingHosts>`;
}

export function encodeErrorInfo(err: ErrorInfo): string {
  const summary = err.summary !== undefined ? textElement('summary', err.summary) : '';
  return (
    `${XML_DECLARATION}<ErrorInfo xmlns="${XSI_NAMESPACE}">${summary}` +
    `<summaryEnglish>${escapeText(err.summaryEnglish)}</summaryEnglish>${textElement('errorCode', err.errorCode)}</ErrorInfo>`
  );
}
