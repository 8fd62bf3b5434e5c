/**
 * The document conformance suite's expectations: for each document type the simulator emits, its
 * children in schema order, which are required, and the shapes of nested elements. Written from
 * reference/xsi.md (§1.7, §2–§5.8); Do Not Disturb, Remote Office, CallSubscriptionEvent and
 * ACDAgentUnavailableCodes from the BroadWorks XSD types named in the README (xsi.md names the
 * packages and routes but not their fields). `checkShape` walks a parsed document against one.
 */
import { expect } from 'vitest';
import type { XmlElement } from '../../../core/src/xsi/xml.js';
import { expectSchemaOrder, names } from './routeHelpers.js';

export interface Shape {
  /** Every allowed child, in schema order. */
  order: readonly string[];
  required?: readonly string[];
  /** Children that may repeat (maxOccurs > 1). */
  many?: readonly string[];
  children?: Readonly<Record<string, Shape>>;
}

/** Checks `el` against `shape`, recursively; `path` names the element in failure messages. */
export function checkShape(el: XmlElement, shape: Shape, path = el.local): void {
  expectSchemaOrder(el, shape.order, shape.required ?? []);
  const seen = names(el);
  for (const n of new Set(seen)) {
    if (!(shape.many ?? []).includes(n)) expect(seen.filter((x) => x === n), `${path}/<${n}> repeated`).toHaveLength(1);
  }
  for (const c of el.children) {
    const sub = shape.children?.[c.local];
    if (sub) checkShape(c, sub, `${path}/${c.local}`);
    else expect(c.children.map((x) => x.local), `${path}/${c.local} should be simple`).toEqual([]);
  }
}

const empty: Shape = { order: [] };

// ---- Xsi-Events (§5) ----------------------------------------------------------------------

export const CHANNEL: Shape = { order: ['channelId', 'expires'], required: ['channelId', 'expires'] };
export const SUBSCRIPTION_ANSWER: Shape = { order: ['subscriptionId', 'expires'], required: ['subscriptionId', 'expires'] };
export const SUBSCRIPTION_GET: Shape = {
  order: ['subscriptionId', 'sharedSubscriptionId', 'subscriberId', 'clientId', 'targetIdType', 'targetGrpParentId', 'targetId', 'targetSubId', 'event', 'eventPackageList', 'expires', 'httpContact', 'channelSetId', 'applicationId'],
  required: ['subscriptionId', 'subscriberId', 'targetIdType', 'targetId', 'expires', 'channelSetId'],
};
export const CHANNEL_TERMINATED: Shape = { order: ['channelId', 'reason'], required: ['channelId', 'reason'] };

/** §5.6: the SubscriptionEvent envelope; `eventData` is checked by its xsi1:type. */
export const ENVELOPE: Shape = {
  order: ['eventID', 'sequenceNumber', 'userId', 'clientId', 'externalApplicationId', 'subscriptionId', 'sharedSubscriptionId', 'channelId', 'httpContact', 'targetId', 'targetSubId', 'eventData'],
  required: ['eventID', 'sequenceNumber', 'userId', 'subscriptionId', 'channelId', 'eventData'],
};

const TIMESTAMP_WITH_SEVERITY: Shape = { order: ['value', 'severity', 'prevSeverity', 'threshold'], required: ['value'] };
/** §5.8 AgentStateInformation: state and stateTimestamp are required. */
const AGENT_STATE_INFORMATION: Shape = {
  order: ['state', 'stateTimestamp', 'unavailableCode', 'wrapUpCallId', 'signInTimestamp', 'totalAvailableTime', 'averageWrapUpTime', 'wrapUpCallCenterUserId'],
  required: ['state', 'stateTimestamp'],
  children: { stateTimestamp: TIMESTAMP_WITH_SEVERITY, averageWrapUpTime: TIMESTAMP_WITH_SEVERITY },
};
const JOIN_INFO: Shape = { order: ['acdUserId', 'joined', 'skillLevel'], required: ['acdUserId'], children: { joined: empty } };

const FORWARDING: Shape = { order: ['active', 'forwardToPhoneNumber', 'ringSplash'], required: ['active'] };
const HOTELING_GUEST: Shape = {
  order: ['active', 'enableAssociationLimit', 'associationLimitHours', 'hostUserId', 'hostLastName', 'hostFirstName', 'hostAssociationDateTime', 'hostEnforcesAssociationLimit', 'hostAssociationLimitHours'],
  required: ['active'],
};
const DO_NOT_DISTURB: Shape = { order: ['active', 'ringSplash'], required: ['active'] };
const REMOTE_OFFICE: Shape = { order: ['active', 'remoteOfficeNumber'], required: ['active'] };
const serviceEvent = (info: Shape): Shape => ({ order: ['unassigned', 'info'], children: { info, unassigned: empty } });

/** eventData per `xsi1:type` (§5.8; the service events extend ServiceEvent: `unassigned?`, `info?`). */
export const EVENT_DATA: Readonly<Record<string, Shape>> = {
  AgentStateEvent: { order: ['agentStateInfo'], required: ['agentStateInfo'], children: { agentStateInfo: AGENT_STATE_INFORMATION } },
  AgentSubscriptionEvent: {
    order: ['joinData', 'stateInfo'],
    required: ['joinData'],
    children: {
      joinData: { order: ['joinInfos'], children: { joinInfos: { order: ['joinInfo'], required: ['joinInfo'], many: ['joinInfo'], children: { joinInfo: JOIN_INFO } } } },
      stateInfo: AGENT_STATE_INFORMATION,
    },
  },
  CallForwardingAlwaysEvent: serviceEvent(FORWARDING),
  HotelingGuestEvent: serviceEvent(HOTELING_GUEST),
  DoNotDisturbEvent: serviceEvent(DO_NOT_DISTURB),
  RemoteOfficeEvent: serviceEvent(REMOTE_OFFICE),
  /** XSD CallSubscriptionEvent: calls?, conference?, hookStatus (required). */
  CallSubscriptionEvent: { order: ['calls', 'conference', 'hookStatus'], required: ['hookStatus'] },
  SubscriptionTerminatedEvent: empty,
};

// ---- Xsi-Actions (§1.7, §2–§4) -------------------------------------------------------------

export const ACTIONS_DOCUMENTS: Readonly<Record<string, Shape>> = {
  CallCenter: {
    order: [
      'agentACDState', 'agentUnavailableCode', 'useDefaultGuardTimer', 'enableGuardTimer', 'guardTimerSeconds', 'useSystemDefaultUnavailableSettings',
      'forceAgentUnavailableOnDNDActivation', 'forceUnavailableOnPersonalCalls', 'forceAgentUnavailableOnBouncedCallLimit',
      'numberConsecutiveBouncedCallsToForceAgentUnavailable', 'makeOutgoingCallsAsCallCenter', 'outgoingCallDNIS', 'callCenterList',
    ],
  },
  CallForwardingAlways: FORWARDING,
  HotelingGuest: HOTELING_GUEST,
  HotelingHost: {
    order: ['active', 'enforceAssociationLimit', 'associationLimitHours', 'accessLevel', 'removeGuestAssociation', 'guestLastName', 'guestFirstName', 'guestPhoneNumber', 'guestExtension', 'guestLocationDialingCode', 'guestAssociationDateTime'],
    required: ['active'],
  },
  DoNotDisturb: DO_NOT_DISTURB,
  RemoteOffice: REMOTE_OFFICE,
  ACDAgentUnavailableCodes: {
    order: ['enableAgentUnavailableCodes', 'defaultAgentUnavailableCodeOnDND', 'defaultAgentUnavailableCodeOnPersonalCalls', 'defaultAgentUnavailableCodeOnConsecutiveBounces', 'forceUseOfAgentUnavailableCodes', 'unavailableCodes'],
    required: ['enableAgentUnavailableCodes', 'forceUseOfAgentUnavailableCodes', 'unavailableCodes'],
    children: {
      unavailableCodes: { order: ['unavailableCodeDetail'], many: ['unavailableCodeDetail'], children: { unavailableCodeDetail: { order: ['active', 'code', 'description'], required: ['active', 'code', 'description'] } } },
    },
  },
  AvailableHotelingHosts: { order: ['hostUserIdList'], children: { hostUserIdList: { order: ['userID'], many: ['userID'] } } },
  ErrorInfo: { order: ['summary', 'summaryEnglish', 'errorCode'], required: ['summaryEnglish', 'errorCode'] },
};
