/**
 * CSTA (ECMA-269 services, ECMA-323 XML) as plain data: requests the connector accepts,
 * responses, events and errors it emits. Element names follow ECMA-323 (reference/csta.md).
 * `csta/codec.ts` maps these to XML; the core never sees XML.
 */

export type RequestedAgentState = 'loggedOn' | 'loggedOff' | 'notReady' | 'ready' | 'workingAfterCall';
export type AgentState = 'agentNotReady' | 'agentNull' | 'agentReady' | 'agentBusy' | 'agentWorkingAfterCall';
export type ForwardingType =
  | 'forwardImmediate' | 'forwardBusy' | 'forwardNoAns' | 'forwardDND' | 'forwardBusyInt' | 'forwardBusyExt'
  | 'forwardNoAnsInt' | 'forwardNoAnsExt' | 'forwardImmInt' | 'forwardImmExt' | 'forwardDNDInt' | 'forwardDNDExt';
export type SystemStatusValue =
  | 'initializing' | 'enabled' | 'normal' | 'messagesLost' | 'disabled' | 'partiallyDisabled'
  | 'overloadImminent' | 'overloadReached' | 'overloadRelieved';

/** Monitor filter flags we honour: `true` suppresses the event (ECMA-269 §12.2.14). */
export interface MonitorFilter {
  agentLoggedOn?: boolean;
  agentLoggedOff?: boolean;
  agentReady?: boolean;
  agentNotReady?: boolean;
  agentWorkingAfterCall?: boolean;
  forwarding?: boolean;
}

/**
 * A decoded CSTA request. Fields are as the client sent them: the connector validates them
 * (a missing `device` is answered with a CSTA error, not a crash), so they are optional here.
 */
export type CstaRequest =
  | { service: 'MonitorStart'; monitorObject?: string; filter?: MonitorFilter }
  | { service: 'MonitorStop'; monitorCrossRefID?: string }
  | { service: 'SetAgentState'; device?: string; requestedAgentState?: string; agentID?: string }
  | { service: 'GetAgentState'; device?: string }
  | { service: 'SetForwarding'; device?: string; forwardingType?: string; activateForward?: boolean; forwardDN?: string }
  | { service: 'GetForwarding'; device?: string }
  | { service: 'RequestSystemStatus' }
  /** A service name the codec recognised as CSTA but the connector does not implement. */
  | { service: 'Unsupported'; name: string };

export type CstaService = CstaRequest['service'];

export interface AgentStateEntry {
  agentID?: string;
  loggedOnState: boolean;
  agentInfo: { agentState: AgentState }[];
}

export interface ForwardListItem {
  forwardingType: ForwardingType;
  forwardStatus: boolean;
  forwardDN?: string;
}

export type CstaResponse =
  | { service: 'MonitorStartResponse'; monitorCrossRefID: string }
  | { service: 'MonitorStopResponse' }
  | { service: 'SetAgentStateResponse' }
  | { service: 'GetAgentStateResponse'; agentStateList: AgentStateEntry[] }
  | { service: 'SetForwardingResponse' }
  | { service: 'GetForwardingResponse'; forwardingList: ForwardListItem[] }
  | { service: 'RequestSystemStatusResponse'; systemStatus: SystemStatusValue };

/** Agent events carry `agentDevice` as a SubjectDeviceID (reference/csta.md §4). */
export type AgentEventName =
  | 'AgentLoggedOnEvent' | 'AgentLoggedOffEvent' | 'AgentReadyEvent' | 'AgentNotReadyEvent' | 'AgentWorkingAfterCallEvent';

export type CstaEvent =
  | { name: AgentEventName; agentDevice: string; agentID?: string }
  | { name: 'ForwardingEvent'; device: string; forwardingType: 'forwardImmediate'; forwardStatus: boolean; forwardTo?: string };

/** `CSTAErrorCode` categories (ECMA-323 UniversalFailure; schema spelling kept). */
export type CstaErrorCategory =
  | 'operation' | 'security' | 'stateIncompatibility' | 'systemResourceAvailibility'
  | 'subscribedResourceAvailability' | 'performanceManagement' | 'privateData' | 'unspecified';

export interface CstaError {
  category: CstaErrorCategory;
  value: string;
}

/** The errors the connector produces (DESIGN §4.8). */
export const CstaErrors = {
  invalidDeviceID: { category: 'operation', value: 'invalidDeviceID' },
  invalidAgentIdentifier: { category: 'operation', value: 'invalidAgentIdentifier' },
  invalidMonitorCrossRefID: { category: 'operation', value: 'invalidMonitorCrossRefID' },
  invalidForwardingType: { category: 'operation', value: 'invalidForwardingType' },
  invalidForwardingDestination: { category: 'operation', value: 'invalidForwardingDestination' },
  invalidParameterValue: { category: 'operation', value: 'invalidParameterValue' },
  serviceNotSupported: { category: 'operation', value: 'serviceNotSupported' },
  privilegeViolation: { category: 'operation', value: 'privilegeViolationSpecifiedDevice' },
  invalidDeviceState: { category: 'stateIncompatibility', value: 'invalidDeviceState' },
  securityGeneric: { category: 'security', value: 'generic' },
  resourceBusy: { category: 'systemResourceAvailibility', value: 'resourceBusy' },
  networkOutOfService: { category: 'systemResourceAvailibility', value: 'networkOutOfService' },
} as const satisfies Record<string, CstaError>;
