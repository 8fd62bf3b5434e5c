/**
 * ECMA-323 / ECMA-354 enumerations as runtime lists, so decoders can check a literal against the
 * schema (reference/csta.md §2–§7). Each list is typed against its union in types.ts, so the two
 * cannot drift apart silently.
 */
import type {
  AgentEventName, AgentState, CstaErrorCategory, ForwardingType, MonitorFilter, StartSessionDefinedError, SystemStatusValue,
} from './types.js';

export const SYSTEM_STATUS_VALUES = [
  'initializing', 'enabled', 'normal', 'messagesLost', 'disabled', 'partiallyDisabled',
  'overloadImminent', 'overloadReached', 'overloadRelieved',
] as const satisfies readonly SystemStatusValue[];

export const AGENT_STATES = [
  'agentNotReady', 'agentNull', 'agentReady', 'agentBusy', 'agentWorkingAfterCall',
] as const satisfies readonly AgentState[];

export const FORWARDING_TYPES = [
  'forwardImmediate', 'forwardBusy', 'forwardNoAns', 'forwardDND', 'forwardBusyInt', 'forwardBusyExt',
  'forwardNoAnsInt', 'forwardNoAnsExt', 'forwardImmInt', 'forwardImmExt', 'forwardDNDInt', 'forwardDNDExt',
] as const satisfies readonly ForwardingType[];

export const START_SESSION_DEFINED_ERRORS = [
  'invalidApplicationInfo', 'requestedProtocolVersionNotSupported', 'serverResourcesBusy', 'maxNumberSessions',
] as const satisfies readonly StartSessionDefinedError[];

export const RESET_SESSION_DEFINED_ERRORS = ['invalidSessionID', 'serverCannotResetSessionTimer'] as const;
export const STOP_SESSION_DEFINED_ERRORS = ['invalidSessionID'] as const;

/** `CSTAErrorCode` child names, schema spelling (`systemResourceAvailibility`, sic). */
export const ERROR_CATEGORIES = [
  'operation', 'security', 'stateIncompatibility', 'systemResourceAvailibility', 'subscribedResourceAvailability',
  'performanceManagement', 'privateData', 'privateErrorCode', 'unspecified',
] as const satisfies readonly CstaErrorCategory[];

/** systemResourceAvailibility values added in ed6; older editions get `generic` instead. */
export const ED6_ONLY_RESOURCE_ERRORS: readonly string[] = [
  'conferenceResourceCannotBeSatisfied', 'maxDevicesExceeded', 'startTimeOutOfRange', 'durationExceeded',
];

/**
 * The monitor filter flags we honour, in the schema order of `logicalDeviceFeature` (where all of
 * them live), so the client-side encoder can emit them in order.
 */
export const MONITOR_FILTER_FLAGS = [
  'agentLoggedOn', 'agentLoggedOff', 'agentNotReady', 'agentReady', 'agentWorkingAfterCall', 'forwarding',
] as const satisfies readonly (keyof MonitorFilter)[];

/** MonitorFilter's groups; each holds only boolean flags. */
export const MONITOR_FILTER_GROUPS: readonly string[] = [
  'callcontrol', 'callAssociated', 'mediaAttachment', 'physicalDeviceFeature', 'logicalDeviceFeature', 'maintenance', 'voice',
];

export const AGENT_EVENT_NAMES = [
  'AgentLoggedOnEvent', 'AgentLoggedOffEvent', 'AgentReadyEvent', 'AgentNotReadyEvent', 'AgentWorkingAfterCallEvent',
] as const satisfies readonly AgentEventName[];

// Compile-time completeness: adding a literal to a union in types.ts without adding it here fails the build.
type Complete<List extends readonly string[], Union extends string> = [Exclude<Union, List[number]>] extends [never] ? true : false;
void (true satisfies Complete<typeof SYSTEM_STATUS_VALUES, SystemStatusValue>);
void (true satisfies Complete<typeof AGENT_STATES, AgentState>);
void (true satisfies Complete<typeof FORWARDING_TYPES, ForwardingType>);
void (true satisfies Complete<typeof START_SESSION_DEFINED_ERRORS, StartSessionDefinedError>);
void (true satisfies Complete<typeof ERROR_CATEGORIES, CstaErrorCategory>);
void (true satisfies Complete<typeof MONITOR_FILTER_FLAGS, keyof MonitorFilter>);
void (true satisfies Complete<typeof AGENT_EVENT_NAMES, AgentEventName>);
