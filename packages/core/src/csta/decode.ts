/**
 * Decoding a CSTA client's request (server side): ECMA-323 XML → `CstaRequest`.
 *
 * Theory of operation:
 *   - The XML layer (xml.ts) refuses anything unsafe or not well-formed; that, like a field with a
 *     malformed value, is answered `operation/invalidParameterValue` with a reason (DESIGN §4.8).
 *   - The root's local name selects the service; namespace and prefix are ignored, and kept only to
 *     be echoed in the answer (reference/csta.md §1.2).
 *   - Fields are read by name in any order. A required field that is missing is left `undefined`:
 *     the connector answers it with the error that fits the service (e.g. invalidDeviceID).
 *   - A root we do not implement, CSTA or not, becomes `{ service: 'Unsupported', name }` and the
 *     connector answers `operation/serviceNotSupported`. Replies from the client to our own
 *     requests (`SystemStatusResponse`) land there too; `isCstaReplyName` tells a shell to drop them.
 */
import { editionOf } from './namespaces.js';
import type { CstaEdition } from './namespaces.js';
import {
  MalformedCsta, booleanValue, compact, deviceText, leafText, optionalBoolean, optionalChild, optionalCount,
  optionalDevice, optionalEnum, optionalText,
} from './fields.js';
import { MONITOR_FILTER_FLAGS, MONITOR_FILTER_GROUPS, SYSTEM_STATUS_VALUES } from './enumerations.js';
import type { CstaError, CstaRequest, MonitorFilter } from './types.js';
import { CstaErrors } from './types.js';
import { parseXmlDocument } from './xml.js';
import { invertFilterOf, reasonCodeOf } from './private-data.js';
import type { XmlElement } from './xml.js';

export type CstaDecodeResult =
  | { ok: true; message: CstaRequest; namespace: string; edition?: CstaEdition }
  | { ok: false; error: CstaError; reason: string };

export function decodeCstaMessage(xml: string): CstaDecodeResult {
  const document = parseXmlDocument(xml);
  if (!document.ok) return { ok: false, error: CstaErrors.invalidParameterValue, reason: document.reason };
  const decoded = catchMalformed(() => decodeRequestElement(document.root));
  if (!decoded.ok) return decoded;
  const edition = editionOf(document.namespace);
  const result = { ok: true as const, message: decoded.value, namespace: document.namespace };
  return edition === undefined ? result : { ...result, edition };
}

/** Roots a CSTA client sends in answer to us, or that only a server sends: never a request. */
export function isCstaReplyName(name: string): boolean {
  return name.endsWith('Response') || name.endsWith('Event') || name === 'CSTAErrorCode';
}

/** The request in an already parsed root element; throws MalformedCsta (see fields.ts). */
export function decodeRequestElement(root: XmlElement): CstaRequest {
  const decode = REQUEST_DECODERS.get(root.name);
  return decode ? decode(root) : { service: 'Unsupported', name: root.name };
}

/** Runs a decoder, turning MalformedCsta (and, defensively, any other throw) into an error value. */
export function catchMalformed<T>(decode: () => T): { ok: true; value: T } | { ok: false; error: CstaError; reason: string } {
  try {
    return { ok: true, value: decode() };
  } catch (e) {
    if (e instanceof MalformedCsta) return { ok: false, error: e.error, reason: e.message };
    return { ok: false, error: CstaErrors.invalidParameterValue, reason: `undecodable: ${e instanceof Error ? e.message : String(e)}` };
  }
}

// ------------------------------------------------------------------------------------------------
// One decoder per service, fields as in reference/csta.md §2–§6.5.

const REQUEST_DECODERS: ReadonlyMap<string, (root: XmlElement) => CstaRequest> = new Map<string, (root: XmlElement) => CstaRequest>([
  ['MonitorStart', (r) => {
    const filter = optionalChild(r, 'requestedMonitorFilter');
    return compact({
      service: 'MonitorStart' as const,
      monitorObject: monitorObjectOf(optionalChild(r, 'monitorObject')),
      filter: filter === undefined ? undefined : monitorFilterOf(filter, invertFilterOf(r)),
    });
  }],
  ['MonitorStop', (r) => compact({ service: 'MonitorStop' as const, monitorCrossRefID: optionalText(r, 'monitorCrossRefID') })],
  ['SetAgentState', (r) => compact({
    service: 'SetAgentState' as const,
    device: optionalDevice(r, 'device'),
    requestedAgentState: optionalText(r, 'requestedAgentState'),
    agentID: optionalText(r, 'agentID'),
    reasonCode: reasonCodeOf(r),
  })],
  ['GetAgentState', (r) => compact({ service: 'GetAgentState' as const, device: optionalDevice(r, 'device') })],
  ['SetForwarding', (r) => compact({
    service: 'SetForwarding' as const,
    device: optionalDevice(r, 'device'),
    forwardingType: optionalText(r, 'forwardingType'),
    activateForward: optionalBoolean(r, 'activateForward'),
    forwardDN: optionalDevice(r, 'forwardDN'),
  })],
  ['GetForwarding', (r) => compact({ service: 'GetForwarding' as const, device: optionalDevice(r, 'device') })],
  ['RequestSystemStatus', (r) => compact({ service: 'RequestSystemStatus' as const, sysStatRegisterID: optionalText(r, 'sysStatRegisterID') })],
  // requestTypes / requestedStatusFilter are read past: we only ever report systemStatus.
  ['SystemRegister', () => ({ service: 'SystemRegister' })],
  ['SystemRegisterCancel', (r) => compact({ service: 'SystemRegisterCancel' as const, sysStatRegisterID: optionalText(r, 'sysStatRegisterID') })],
  ['SystemRegisterAbort', (r) => compact({ service: 'SystemRegisterAbort' as const, sysStatRegisterID: optionalText(r, 'sysStatRegisterID') })],
  ['SystemStatus', (r) => compact({
    service: 'SystemStatus' as const,
    systemStatus: optionalEnum(r, 'systemStatus', SYSTEM_STATUS_VALUES),
  })],
  ['StartApplicationSession', (r) => {
    const info = optionalChild(r, 'applicationInfo');
    const specific = info && optionalChild(info, 'applicationSpecificInfo');
    const versions = optionalChild(r, 'requestedProtocolVersions');
    return compact({
      service: 'StartApplicationSession' as const,
      applicationID: info && optionalText(info, 'applicationID'),
      requestedProtocolVersion: versions && preferredProtocolVersion(versions),
      // OSBiz: <user>/<password>; Avaya: <SessionLoginInfo><userName>/<password>.
      userID: specific && firstDescendantText(specific, ['user', 'userName', 'userID']),
      password: specific && firstDescendantText(specific, ['password']),
      requestedSessionDuration: optionalCount(r, 'requestedSessionDuration'),
    });
  }],
  ['ResetApplicationSessionTimer', (r) => compact({
    service: 'ResetApplicationSessionTimer' as const,
    sessionID: optionalText(r, 'sessionID'),
    requestedSessionDuration: optionalCount(r, 'requestedSessionDuration'),
  })],
  ['StopApplicationSession', (r) => compact({ service: 'StopApplicationSession' as const, sessionID: optionalText(r, 'sessionID') })],
]);

/** `<monitorObject><deviceObject>D</deviceObject>` or, leniently, `<monitorObject>D</monitorObject>`. */
function monitorObjectOf(monitorObject: XmlElement | undefined): string | undefined {
  if (monitorObject === undefined) return undefined;
  if (monitorObject.children.length === 0) return leafText(monitorObject);
  if (optionalChild(monitorObject, 'callObject') !== undefined) {
    throw new MalformedCsta('call monitors (monitorObject/callObject) are not supported', {
      category: 'operation', value: 'invalidMonitorObjectType',
    });
  }
  const device = optionalChild(monitorObject, 'deviceObject');
  if (device === undefined) throw new MalformedCsta('monitorObject holds neither deviceObject nor callObject');
  return deviceText(device);
}

/**
 * Every flag of the known filter groups must be a boolean; we keep the ones we honour. The agent
 * flags and `forwarding` belong to `logicalDeviceFeature`; `physicalDeviceFeature` is read too
 * because some clients put them there. ECMA: `true` (suppress) in either group wins. Inverted
 * (Avaya invertFilter): `true` means "report it", so every honoured flag not sent true anywhere
 * is suppressed — the client asked for exactly the events it listed.
 */
function monitorFilterOf(requested: XmlElement, inverted: boolean): MonitorFilter {
  const sentTrue: MonitorFilter = {};
  for (const group of requested.children) {
    if (!MONITOR_FILTER_GROUPS.includes(group.name)) continue;
    for (const flag of group.children) {
      const value = booleanValue(flag);
      const honoured = MONITOR_FILTER_FLAGS.find((name) => name === flag.name);
      if (honoured !== undefined && (group.name === 'logicalDeviceFeature' || group.name === 'physicalDeviceFeature')) {
        sentTrue[honoured] = (sentTrue[honoured] ?? false) || value;
      }
    }
  }
  if (!inverted) return sentTrue;
  const filter: MonitorFilter = {};
  for (const flag of MONITOR_FILTER_FLAGS) filter[flag] = sentTrue[flag] !== true;
  return filter;
}

/** The first listed protocolVersion naming an ECMA-323 edition we speak, else the first listed. */
function preferredProtocolVersion(versions: XmlElement): string | undefined {
  const listed = versions.children.filter((child) => child.name === 'protocolVersion').map(leafText);
  return listed.find((ns) => editionOf(ns) !== undefined) ?? listed[0];
}

/** applicationSpecificInfo is free-form XML: look for the first element with one of the names, depth first. */
function firstDescendantText(element: XmlElement, names: readonly string[]): string | undefined {
  for (const child of element.children) {
    if (names.includes(child.name)) return leafText(child);
    const nested = firstDescendantText(child, names);
    if (nested !== undefined) return nested;
  }
  return undefined;
}
