/**
 * The simulator's ErrorInfo codes. BroadWorks does not publish its hoteling / call-center error
 * codes (reference/xsi.md §11), so the simulator uses its own private range 110001… . These
 * numbers are a public contract (README table, connector error mapping, tests): never renumber,
 * only add.
 */
import type { ErrorInfo } from '@csta-bw/core';

export const XSP_ERRORS = {
  // general
  UNKNOWN_USER: { code: 110001, status: 404, text: 'User not found' },
  OUT_OF_SCOPE: { code: 110002, status: 403, text: 'Target is outside the scope of the authenticated user' },
  SCHEMA_VIOLATION: { code: 110003, status: 400, text: 'Request does not match the schema' },
  NOT_AUTHENTICATED: { code: 110004, status: 401, text: 'Authentication failed' },
  SERVICE_UNAVAILABLE: { code: 110005, status: 503, text: 'Service temporarily unavailable' },
  INTERNAL_ERROR: { code: 110006, status: 500, text: 'Internal server error' },
  GROUP_NOT_FOUND: { code: 110007, status: 404, text: 'No such group or enterprise/service provider' },
  // Call Center agent
  CALL_CENTER_NOT_ASSIGNED: { code: 110101, status: 400, text: 'Call Center agent service not assigned to the user' },
  UNAVAILABLE_CODE_NOT_UNAVAILABLE: { code: 110102, status: 400, text: 'agentUnavailableCode applies to the Unavailable state only' },
  UNAVAILABLE_CODE_UNKNOWN: { code: 110103, status: 400, text: 'agentUnavailableCode is not an active unavailable code of the group' },
  // Call Forwarding Always
  FORWARDING_NOT_ASSIGNED: { code: 110201, status: 400, text: 'Call Forwarding Always service not assigned to the user' },
  FORWARDING_NUMBER_REQUIRED: { code: 110202, status: 400, text: 'forwardToPhoneNumber is required to activate Call Forwarding Always' },
  FORWARDING_DESTINATION_INVALID: { code: 110203, status: 400, text: 'forwardToPhoneNumber is not a valid destination' },
  // Hoteling
  GUEST_NOT_ASSIGNED: { code: 110301, status: 400, text: 'Hoteling Guest service not assigned to the user' },
  GUEST_INACTIVE: { code: 110302, status: 400, text: 'Hoteling Guest service is not active' },
  HOST_UNKNOWN: { code: 110303, status: 400, text: 'Hoteling host user not found' },
  HOST_NOT_ASSIGNED: { code: 110304, status: 400, text: 'Hoteling Host service not assigned to the host' },
  HOST_INACTIVE: { code: 110305, status: 400, text: 'Hoteling Host service is not active on the host' },
  HOST_BUSY: { code: 110306, status: 400, text: 'Host is already associated with another guest' },
  SELF_ASSOCIATION: { code: 110307, status: 400, text: 'A user cannot be its own hoteling host' },
  GUEST_LIMIT_ABOVE_HOST_LIMIT: { code: 110308, status: 400, text: "Guest association limit exceeds the host's enforced limit" },
  // Xsi-Events
  SUBSCRIPTION_NOT_FOUND: { code: 110401, status: 403, text: 'Subscription not found' },
  CHANNEL_SET_REQUIRED: { code: 110402, status: 400, text: 'channelSetId is required' },
  UNKNOWN_EVENT_PACKAGE: { code: 110403, status: 400, text: 'Unknown or unsupported event package' },
  CHANNEL_NOT_FOUND: { code: 110404, status: 404, text: 'Channel not found' },
  EVENT_PACKAGE_DEPRECATED: { code: 110405, status: 400, text: 'Event package deprecated since R20' },
  // Do Not Disturb, Remote Office
  DND_NOT_ASSIGNED: { code: 110701, status: 400, text: 'Do Not Disturb service not assigned to the user' },
  REMOTE_OFFICE_NOT_ASSIGNED: { code: 110702, status: 400, text: 'Remote Office service not assigned to the user' },
  REMOTE_OFFICE_NUMBER_REQUIRED: { code: 110703, status: 400, text: 'remoteOfficeNumber is required to activate Remote Office' },
  REMOTE_OFFICE_NUMBER_INVALID: { code: 110704, status: 400, text: 'remoteOfficeNumber is not a valid phone number' },
} as const satisfies Record<string, { code: number; status: number; text: string }>;

export type XspErrorName = keyof typeof XSP_ERRORS;

/** An error outcome: HTTP status + ErrorInfo body; `detail` makes the message specific. */
export type XspErrorOutcome = { status: number; body: { kind: 'ErrorInfo'; error: ErrorInfo } };

export function xspError(name: XspErrorName, detail?: string): XspErrorOutcome {
  const e = XSP_ERRORS[name];
  const text = detail === undefined ? e.text : `${e.text}: ${detail}`;
  const error: ErrorInfo = { summary: text, summaryEnglish: text, errorCode: e.code };
  return { status: e.status, body: { kind: 'ErrorInfo', error } };
}
