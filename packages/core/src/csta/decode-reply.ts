/**
 * Decoding what a CSTA *client* receives: responses, events, `CSTAErrorCode`, and the few requests
 * a server sends (SystemStatus, MonitorStop). Used by test clients and scripts, and to check the
 * server-side encoder by round trip.
 *
 * Theory of operation: the same guarded XML parse and local-name matching as the request decoder,
 * but strict about required fields, because here a missing field means the *server* is wrong.
 * Results are the plain types of types.ts, so a message that carries something those types cannot
 * hold (an AgentBusyEvent, a forwardNoAns ForwardingEvent) is refused with a reason, not bent.
 * Both spellings of the resource-error category are accepted: the schema's
 * `systemResourceAvailibility` and the correct `systemResourceAvailability` (reference/csta.md §1.2).
 */
import { catchMalformed, decodeRequestElement } from './decode.js';
import {
  AGENT_EVENT_NAMES, AGENT_STATES, ERROR_CATEGORIES, FORWARDING_TYPES, RESET_SESSION_DEFINED_ERRORS,
  START_SESSION_DEFINED_ERRORS, STOP_SESSION_DEFINED_ERRORS, SYSTEM_STATUS_VALUES,
} from './enumerations.js';
import {
  MalformedCsta, compact, enumValue, leafText, optionalChild, optionalCount, optionalDevice, optionalText, requiredBoolean,
  requiredChild, requiredDevice, requiredEnum, requiredText,
} from './fields.js';
import type {
  AgentStateEntry, CstaError, CstaEvent, CstaRequest, CstaResponse, ForwardListItem, SessionErrorCode,
} from './types.js';
import { parseXmlDocument } from './xml.js';
import type { XmlElement } from './xml.js';

export type CstaInbound =
  | { kind: 'response'; response: CstaResponse }
  | { kind: 'event'; event: CstaEvent; monitorCrossRefID: string }
  | { kind: 'error'; error: CstaError }
  /** A server-initiated request: SystemStatus or MonitorStop. */
  | { kind: 'request'; request: CstaRequest };

export type CstaInboundDecodeResult = ({ ok: true; namespace: string } & CstaInbound) | { ok: false; reason: string };

export function decodeCstaResponseOrEvent(xml: string): CstaInboundDecodeResult {
  const document = parseXmlDocument(xml);
  if (!document.ok) return document;
  const decoded = catchMalformed(() => inboundOf(document.root));
  return decoded.ok ? { ok: true, namespace: document.namespace, ...decoded.value } : { ok: false, reason: decoded.reason };
}

export function decodeCstaErrorCode(xml: string): { ok: true; error: CstaError; namespace: string } | { ok: false; reason: string } {
  const document = parseXmlDocument(xml);
  if (!document.ok) return document;
  if (document.root.name !== 'CSTAErrorCode') return { ok: false, reason: `root is ${document.root.name}, not CSTAErrorCode` };
  const decoded = catchMalformed(() => errorCodeOf(document.root));
  return decoded.ok ? { ok: true, error: decoded.value, namespace: document.namespace } : { ok: false, reason: decoded.reason };
}

// ------------------------------------------------------------------------------------------------

function inboundOf(root: XmlElement): CstaInbound {
  if (root.name === 'CSTAErrorCode') return { kind: 'error', error: errorCodeOf(root) };
  if (root.name === 'SystemStatus' || root.name === 'MonitorStop') return { kind: 'request', request: decodeRequestElement(root) };
  const agentEvent = AGENT_EVENT_NAMES.find((name) => name === root.name);
  if (agentEvent !== undefined) {
    return {
      kind: 'event',
      monitorCrossRefID: requiredText(root, 'monitorCrossRefID'),
      event: compact({ name: agentEvent, agentDevice: requiredDevice(root, 'agentDevice'), agentID: optionalText(root, 'agentID') }),
    };
  }
  if (root.name === 'ForwardingEvent') return { kind: 'event', monitorCrossRefID: requiredText(root, 'monitorCrossRefID'), event: forwardingEventOf(root) };
  const decode = RESPONSE_DECODERS.get(root.name);
  if (decode === undefined) throw new MalformedCsta(`${root.name} is not a response or event this library knows`);
  return { kind: 'response', response: decode(root) };
}

function forwardingEventOf(root: XmlElement): CstaEvent {
  const forwardingType = requiredText(root, 'forwardingType');
  if (forwardingType !== 'forwardImmediate') throw new MalformedCsta(`ForwardingEvent for ${forwardingType}: only forwardImmediate is modelled`);
  return compact({
    name: 'ForwardingEvent' as const,
    device: requiredDevice(root, 'device'),
    forwardingType: 'forwardImmediate' as const,
    forwardStatus: requiredBoolean(root, 'forwardStatus'),
    forwardTo: optionalDevice(root, 'forwardTo'),
  });
}

const RESPONSE_DECODERS: ReadonlyMap<string, (root: XmlElement) => CstaResponse> = new Map<string, (root: XmlElement) => CstaResponse>([
  ['MonitorStartResponse', (r) => ({ service: 'MonitorStartResponse', monitorCrossRefID: requiredText(r, 'monitorCrossRefID') })],
  ['MonitorStopResponse', () => ({ service: 'MonitorStopResponse' })],
  ['SetAgentStateResponse', () => ({ service: 'SetAgentStateResponse' })],
  ['GetAgentStateResponse', (r) => ({
    service: 'GetAgentStateResponse',
    agentStateList: childrenNamed(requiredChild(r, 'agentStateList'), 'agentStateEntry').map(agentStateEntryOf),
  })],
  ['SetForwardingResponse', () => ({ service: 'SetForwardingResponse' })],
  ['GetForwardingResponse', (r) => {
    const list = optionalChild(r, 'forwardingList');
    return { service: 'GetForwardingResponse', forwardingList: list ? childrenNamed(list, 'forwardListItem').map(forwardListItemOf) : [] };
  }],
  ['RequestSystemStatusResponse', (r) => ({
    service: 'RequestSystemStatusResponse', systemStatus: requiredEnum(r, 'systemStatus', SYSTEM_STATUS_VALUES),
  })],
  ['SystemStatusResponse', () => ({ service: 'SystemStatusResponse' })],
  ['StartApplicationSessionPosResponse', (r) => compact({
    service: 'StartApplicationSessionPosResponse' as const,
    sessionID: requiredText(r, 'sessionID'),
    actualProtocolVersion: requiredText(r, 'actualProtocolVersion'),
    actualSessionDuration: optionalCount(r, 'actualSessionDuration'),
  })],
  ['StartApplicationSessionNegResponse', (r) => ({
    service: 'StartApplicationSessionNegResponse', errorCode: sessionErrorCodeOf(r, START_SESSION_DEFINED_ERRORS),
  })],
  ['ResetApplicationSessionTimerPosResponse', (r) => compact({
    service: 'ResetApplicationSessionTimerPosResponse' as const,
    actualSessionDuration: optionalCount(r, 'actualSessionDuration'),
  })],
  ['ResetApplicationSessionTimerNegResponse', (r) => ({
    service: 'ResetApplicationSessionTimerNegResponse', errorCode: sessionErrorCodeOf(r, RESET_SESSION_DEFINED_ERRORS),
  })],
  ['StopApplicationSessionPosResponse', () => ({ service: 'StopApplicationSessionPosResponse' })],
  ['StopApplicationSessionNegResponse', (r) => ({
    service: 'StopApplicationSessionNegResponse', errorCode: sessionErrorCodeOf(r, STOP_SESSION_DEFINED_ERRORS),
  })],
]);

function agentStateEntryOf(entry: XmlElement): AgentStateEntry {
  const info = optionalChild(entry, 'agentInfo');
  return compact({
    agentID: optionalText(entry, 'agentID'),
    loggedOnState: requiredBoolean(entry, 'loggedOnState'),
    agentInfo: info ? childrenNamed(info, 'agentInfoItem').map((item) => ({ agentState: requiredEnum(item, 'agentState', AGENT_STATES) })) : [],
  });
}

function forwardListItemOf(item: XmlElement): ForwardListItem {
  return compact({
    forwardingType: requiredEnum(item, 'forwardingType', FORWARDING_TYPES),
    forwardStatus: requiredBoolean(item, 'forwardStatus'),
    forwardDN: optionalDevice(item, 'forwardDN'),
  });
}

function sessionErrorCodeOf<T extends string>(root: XmlElement, defined: readonly T[]): SessionErrorCode<T> {
  const code = requiredChild(root, 'errorCode');
  const definedError = optionalChild(code, 'definedError');
  if (definedError !== undefined) return { definedError: enumValue(definedError, defined) };
  const applError = optionalText(code, 'applError');
  if (applError !== undefined) return { applError };
  throw new MalformedCsta(`${root.name}/errorCode holds neither definedError nor applError`);
}

/** Exactly one child: its name is the category, its text the value. */
function errorCodeOf(root: XmlElement): CstaError {
  const [child, ...rest] = root.children;
  if (child === undefined || rest.length > 0) throw new MalformedCsta(`CSTAErrorCode must hold exactly one category, has ${root.children.length}`);
  const name = child.name === 'systemResourceAvailability' ? 'systemResourceAvailibility' : child.name;
  const category = ERROR_CATEGORIES.find((known) => known === name);
  if (category === undefined) throw new MalformedCsta(`CSTAErrorCode category ${child.name} is unknown`);
  if (category === 'unspecified') return { category, value: '' };
  const value = leafText(child);
  if (value === '') throw new MalformedCsta(`CSTAErrorCode ${child.name} has no value`);
  return { category, value };
}

function childrenNamed(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((child) => child.name === name);
}
