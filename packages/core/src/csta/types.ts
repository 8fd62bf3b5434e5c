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
  /**
   * `reasonCode`: a not-ready reason from private data (BroadWorks `AgentNotReadyReasonValue`,
   * Avaya `reasonCode`), as text; the connector maps it to BroadWorks agentUnavailableCode.
   */
  | { service: 'SetAgentState'; device?: string; requestedAgentState?: string; agentID?: string; reasonCode?: string }
  | { service: 'GetAgentState'; device?: string }
  | { service: 'SetForwarding'; device?: string; forwardingType?: string; activateForward?: boolean; forwardDN?: string }
  | { service: 'GetForwarding'; device?: string }
  /** `sysStatRegisterID`: a registration of this link (SystemRegister); the link checks it. */
  | { service: 'RequestSystemStatus'; sysStatRegisterID?: string }
  /** System services (ECMA-269 §12.2): registering for SystemStatus; answered by the link, not the connector. */
  | { service: 'SystemRegister' }
  | { service: 'SystemRegisterCancel'; sysStatRegisterID?: string }
  /** Unconfirmed: ends a registration, no answer (sent by either side). */
  | { service: 'SystemRegisterAbort'; sysStatRegisterID?: string }
  /** A client's own SystemStatus (heartbeat); answered with SystemStatusResponse. */
  | { service: 'SystemStatus'; systemStatus?: SystemStatusValue }
  /**
   * ECMA-354 session start. `requestedProtocolVersion` is the first listed version that names an
   * ECMA-323 edition (else the first listed); `userID`/`password` come from applicationSpecificInfo
   * (OSBiz `user`/`password`, Avaya `SessionLoginInfo/userName`).
   */
  | {
      service: 'StartApplicationSession';
      applicationID?: string;
      requestedProtocolVersion?: string;
      userID?: string;
      password?: string;
      requestedSessionDuration?: number;
    }
  | { service: 'ResetApplicationSessionTimer'; sessionID?: string; requestedSessionDuration?: number }
  | { service: 'StopApplicationSession'; sessionID?: string }
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
  | { service: 'RequestSystemStatusResponse'; systemStatus: SystemStatusValue }
  | { service: 'SystemStatusResponse' }
  | { service: 'SystemRegisterResponse'; sysStatRegisterID: string }
  | { service: 'SystemRegisterCancelResponse' }
  // ECMA-354 session responses (sent in the ECMA-354 namespace, whatever the CSTA edition).
  | { service: 'StartApplicationSessionPosResponse'; sessionID: string; actualProtocolVersion: string; actualSessionDuration?: number }
  | { service: 'StartApplicationSessionNegResponse'; errorCode: SessionErrorCode<StartSessionDefinedError> }
  | { service: 'ResetApplicationSessionTimerPosResponse'; actualSessionDuration?: number }
  | { service: 'ResetApplicationSessionTimerNegResponse'; errorCode: SessionErrorCode<'invalidSessionID' | 'serverCannotResetSessionTimer'> }
  | { service: 'StopApplicationSessionPosResponse' }
  | { service: 'StopApplicationSessionNegResponse'; errorCode: SessionErrorCode<'invalidSessionID'> };

export type StartSessionDefinedError =
  | 'invalidApplicationInfo' | 'requestedProtocolVersionNotSupported' | 'serverResourcesBusy' | 'maxNumberSessions';

/** ECMA-354 negative responses carry either a defined error or free application text. */
export type SessionErrorCode<Defined extends string> = { definedError: Defined } | { applError: string };

/** Agent events carry `agentDevice` as a SubjectDeviceID (reference/csta.md §4). */
/** ECMA-354 ApplicationSessionTerminated: why the server ended the session. */
export type SessionTermReason = { definedTermReason: 'sessionTimerExpired' | 'resourceLimitation' } | { serverTermReason: string };

export type AgentEventName =
  | 'AgentLoggedOnEvent' | 'AgentLoggedOffEvent' | 'AgentReadyEvent' | 'AgentNotReadyEvent' | 'AgentWorkingAfterCallEvent';

export type CstaEvent =
  | { name: AgentEventName; agentDevice: string; agentID?: string }
  | { name: 'ForwardingEvent'; device: string; forwardingType: 'forwardImmediate'; forwardStatus: boolean; forwardTo?: string };

/** `CSTAErrorCode` categories (ECMA-323 UniversalFailure; schema spelling kept). */
export type CstaErrorCategory =
  | 'operation' | 'security' | 'stateIncompatibility' | 'systemResourceAvailibility'
  | 'subscribedResourceAvailability' | 'performanceManagement' | 'privateData' | 'privateErrorCode' | 'unspecified';

export interface CstaError {
  category: CstaErrorCategory;
  value: string;
}

/** The errors the connector produces (DESIGN §4.8). */
export const CstaErrors = {
  invalidDeviceID: { category: 'operation', value: 'invalidDeviceID' },
  invalidAgentIdentifier: { category: 'operation', value: 'invalidAgentIdentifier' },
  invalidMonitorCrossRefID: { category: 'operation', value: 'invalidMonitorCrossRefID' },
  /** An unknown sysStatRegisterID (RequestSystemStatus, SystemRegisterCancel/Abort). */
  invalidCrossRefID: { category: 'operation', value: 'invalidCrossRefID' },
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
