/**
 * Encoding CSTA messages: `CstaResponse` / `CstaEvent` / `CstaError` / SystemStatus → ECMA-323 XML
 * (server side), and `CstaRequest` → XML for test clients and scripts that play the CSTA client.
 *
 * Theory of operation: XML is written by hand so elements come out in exact schema
 * (`xs:sequence`) order, which strict clients check (reference/csta.md §2–§7). Rules:
 *   1. The root carries the namespace the client used (`ns`; '' writes no xmlns at all), except
 *      ECMA-354 session messages, which always use the ECMA-354 namespace.
 *   2. Events name devices with SubjectDeviceID (`<agentDevice><deviceIdentifier>…`); requests and
 *      responses with a plain DeviceID (`<device>…`). ForwardingEvent says `forwardTo`, not forwardDN.
 *   3. Optional fields that are `undefined` are left out; an empty message is a self-closing root.
 *   4. Values that an older edition does not know are not sent to it (ed6-only error values become
 *      `generic` for ed2–ed5).
 *   5. Every text and attribute value goes through `escapeXml`.
 * Output is one line, prefixed by an XML declaration (OpenScape Voice frames carry one; every
 * client we know accepts it).
 */
import { ED6_ONLY_RESOURCE_ERRORS, MONITOR_FILTER_FLAGS } from './enumerations.js';
import { ECMA354_NAMESPACE, isBeforeEd6 } from './namespaces.js';
import type {
  AgentStateEntry, CstaError, CstaEvent, CstaRequest, CstaResponse, ForwardListItem, MonitorFilter, SessionErrorCode,
  SessionTermReason, SystemStatusValue,
} from './types.js';
import { escapeXml } from './xml.js';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export function encodeCstaResponse(response: CstaResponse, ns: string): string {
  switch (response.service) {
    case 'MonitorStartResponse':
      return message(response.service, ns, leaf('monitorCrossRefID', response.monitorCrossRefID));
    case 'GetAgentStateResponse':
      return message(response.service, ns, element('agentStateList', response.agentStateList.map(agentStateEntry).join('')));
    case 'GetForwardingResponse':
      return message(response.service, ns,
        response.forwardingList.length === 0 ? '' : element('forwardingList', response.forwardingList.map(forwardListItem).join('')));
    case 'RequestSystemStatusResponse':
      return message(response.service, ns, leaf('systemStatus', response.systemStatus));
    case 'SystemRegisterResponse':
      return message(response.service, ns, leaf('sysStatRegisterID', response.sysStatRegisterID));
    case 'SystemRegisterCancelResponse':
    case 'MonitorStopResponse':
    case 'SetAgentStateResponse':
    case 'SetForwardingResponse':
    case 'SystemStatusResponse':
      return message(response.service, ns, '');
    case 'StartApplicationSessionPosResponse':
      return message(response.service, ECMA354_NAMESPACE,
        leaf('sessionID', response.sessionID) +
        leaf('actualProtocolVersion', response.actualProtocolVersion) +
        count('actualSessionDuration', response.actualSessionDuration));
    case 'ResetApplicationSessionTimerPosResponse':
      return message(response.service, ECMA354_NAMESPACE, count('actualSessionDuration', response.actualSessionDuration));
    case 'StopApplicationSessionPosResponse':
      return message(response.service, ECMA354_NAMESPACE, '');
    case 'StartApplicationSessionNegResponse':
    case 'ResetApplicationSessionTimerNegResponse':
    case 'StopApplicationSessionNegResponse':
      return message(response.service, ECMA354_NAMESPACE, sessionErrorCode(response.errorCode));
    default:
      return unreachable(response);
  }
}

export function encodeCstaEvent(event: CstaEvent, monitorCrossRefID: string, ns: string): string {
  const crossRef = leaf('monitorCrossRefID', monitorCrossRefID);
  if (event.name === 'ForwardingEvent') {
    return message(event.name, ns,
      crossRef +
      subjectDevice('device', event.device) +
      leaf('forwardingType', event.forwardingType) +
      leaf('forwardStatus', String(event.forwardStatus)) +
      optionalLeaf('forwardTo', event.forwardTo));
  }
  return message(event.name, ns, crossRef + subjectDevice('agentDevice', event.agentDevice) + optionalLeaf('agentID', event.agentID));
}

/** `CSTAErrorCode`: exactly one child naming the category, its text the value (reference/csta.md §7). */
export function encodeCstaError(error: CstaError, ns: string): string {
  if (error.category === 'unspecified') return message('CSTAErrorCode', ns, '<unspecified/>');
  const value =
    error.category === 'systemResourceAvailibility' && isBeforeEd6(ns) && ED6_ONLY_RESOURCE_ERRORS.includes(error.value)
      ? 'generic'
      : error.value;
  return message('CSTAErrorCode', ns, leaf(error.category, value));
}

/**
 * The server-initiated `SystemStatus` request (DESIGN §4.9); the client answers SystemStatusResponse.
 * `sysStatRegisterID` names the client's registration (SystemRegister) when it has one.
 */
export function encodeSystemStatus(status: SystemStatusValue, ns: string, sysStatRegisterID?: string): string {
  return message('SystemStatus', ns, optionalLeaf('sysStatRegisterID', sysStatRegisterID) + leaf('systemStatus', status));
}

/** ECMA-354 `ApplicationSessionTerminated` (server → client): the session ends, and why. */
export function encodeApplicationSessionTerminated(sessionID: string, reason: SessionTermReason): string {
  return message('ApplicationSessionTerminated', ECMA354_NAMESPACE,
    leaf('sessionID', sessionID) +
    element('sessionTermReason', 'definedTermReason' in reason
      ? leaf('definedTermReason', reason.definedTermReason)
      : leaf('serverTermReason', reason.serverTermReason)));
}

/** Client side: a request as a CSTA client would send it (test clients, scripts). */
export function encodeCstaRequest(request: CstaRequest, ns: string): string {
  switch (request.service) {
    case 'MonitorStart':
      return message(request.service, ns,
        (request.monitorObject === undefined ? '' : element('monitorObject', leaf('deviceObject', request.monitorObject))) +
        (request.filter === undefined ? '' : element('requestedMonitorFilter', monitorFilter(request.filter))));
    case 'MonitorStop':
      return message(request.service, ns, optionalLeaf('monitorCrossRefID', request.monitorCrossRefID));
    case 'SetAgentState':
      return message(request.service, ns,
        optionalLeaf('device', request.device) +
        optionalLeaf('requestedAgentState', request.requestedAgentState) +
        optionalLeaf('agentID', request.agentID));
    case 'GetAgentState':
    case 'GetForwarding':
      return message(request.service, ns, optionalLeaf('device', request.device));
    case 'SetForwarding':
      return message(request.service, ns,
        optionalLeaf('device', request.device) +
        optionalLeaf('forwardingType', request.forwardingType) +
        optionalLeaf('activateForward', request.activateForward === undefined ? undefined : String(request.activateForward)) +
        optionalLeaf('forwardDN', request.forwardDN));
    case 'RequestSystemStatus':
      return message(request.service, ns, optionalLeaf('sysStatRegisterID', request.sysStatRegisterID));
    case 'SystemRegister':
      return message(request.service, ns, element('requestTypes', leaf('systemStatus', 'true')));
    case 'SystemRegisterCancel':
    case 'SystemRegisterAbort':
      return message(request.service, ns, optionalLeaf('sysStatRegisterID', request.sysStatRegisterID));
    case 'SystemStatus':
      return message(request.service, ns, optionalLeaf('systemStatus', request.systemStatus));
    case 'StartApplicationSession': {
      const credentials = optionalLeaf('user', request.userID) + optionalLeaf('password', request.password);
      return message(request.service, ECMA354_NAMESPACE,
        element('applicationInfo',
          optionalLeaf('applicationID', request.applicationID) +
          (credentials === '' ? '' : element('applicationSpecificInfo', credentials))) +
        (request.requestedProtocolVersion === undefined
          ? ''
          : element('requestedProtocolVersions', leaf('protocolVersion', request.requestedProtocolVersion))) +
        count('requestedSessionDuration', request.requestedSessionDuration));
    }
    case 'ResetApplicationSessionTimer':
      return message(request.service, ECMA354_NAMESPACE,
        optionalLeaf('sessionID', request.sessionID) + count('requestedSessionDuration', request.requestedSessionDuration));
    case 'StopApplicationSession':
      return message(request.service, ECMA354_NAMESPACE,
        optionalLeaf('sessionID', request.sessionID) + element('sessionEndReason', leaf('definedEndReason', 'normal')));
    case 'Unsupported':
      return message(request.name, ns, '');
    default:
      return unreachable(request);
  }
}

// ------------------------------------------------------------------------------------------------

function message(root: string, ns: string, body: string): string {
  const xmlns = ns === '' ? '' : ` xmlns="${escapeXml(ns)}"`;
  return body === '' ? `${XML_DECLARATION}<${root}${xmlns}/>` : `${XML_DECLARATION}<${root}${xmlns}>${body}</${root}>`;
}

function element(name: string, body: string): string {
  return body === '' ? `<${name}/>` : `<${name}>${body}</${name}>`;
}

function leaf(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

function optionalLeaf(name: string, text: string | undefined): string {
  return text === undefined ? '' : leaf(name, text);
}

/** xs:integer; a non-finite number cannot be written and is left out like an absent field. */
function count(name: string, value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '' : leaf(name, String(Math.trunc(value)));
}

function subjectDevice(name: string, device: string): string {
  return element(name, leaf('deviceIdentifier', device));
}

function agentStateEntry(entry: AgentStateEntry): string {
  const items = entry.agentInfo.map((info) => element('agentInfoItem', leaf('agentState', info.agentState))).join('');
  return element('agentStateEntry',
    optionalLeaf('agentID', entry.agentID) +
    leaf('loggedOnState', String(entry.loggedOnState)) +
    (items === '' ? '' : element('agentInfo', items)));
}

function forwardListItem(item: ForwardListItem): string {
  return element('forwardListItem',
    leaf('forwardingType', item.forwardingType) +
    leaf('forwardStatus', String(item.forwardStatus)) +
    optionalLeaf('forwardDN', item.forwardDN));
}

function monitorFilter(filter: MonitorFilter): string {
  const flags = MONITOR_FILTER_FLAGS.map((flag) => {
    const suppress = filter[flag];
    return suppress === undefined ? '' : leaf(flag, String(suppress));
  }).join('');
  return flags === '' ? '' : element('logicalDeviceFeature', flags);
}

function sessionErrorCode(code: SessionErrorCode<string>): string {
  return element('errorCode', 'definedError' in code ? leaf('definedError', code.definedError) : leaf('applError', code.applError));
}

function unreachable(value: never): never {
  throw new Error(`unhandled CSTA message ${JSON.stringify(value)}`);
}
