/**
 * XSP outcome → CSTA error (DESIGN §4.8). The ErrorInfo code refines the HTTP status where the
 * simulator's codes (xsi/errorCodes.ts) are recognised; otherwise the status row decides.
 */
import { CstaErrors, type CstaError } from '../csta/types.js';
import { XsiErrorCodes as C } from '../xsi/errorCodes.js';
import type { XsiCommand, XsiOutcome } from '../xsi/types.js';

/** Whether a failed attempt may be retried (idempotent PUTs and GETs only get these). */
export function isRetryable(outcome: XsiOutcome): boolean {
  return 'transportError' in outcome || outcome.status >= 500;
}

export function isSuccess(outcome: XsiOutcome): boolean {
  return !('transportError' in outcome) && outcome.status >= 200 && outcome.status < 300;
}

/**
 * `role` says what the command's URL user is to the CSTA request: the device (host) or the
 * agent (guest), so a 404 on it maps to invalidDeviceID or invalidAgentIdentifier.
 */
export function cstaErrorFor(outcome: XsiOutcome, command: XsiCommand, role: 'device' | 'agent'): CstaError {
  if ('transportError' in outcome) return CstaErrors.networkOutOfService;
  const { status } = outcome;
  const code = outcome.body?.kind === 'ErrorInfo' ? outcome.body.error.errorCode : undefined;
  if (status === 401) return CstaErrors.securityGeneric;
  if (status === 403) return CstaErrors.privilegeViolation;
  if (status === 503) return CstaErrors.resourceBusy;
  if (status >= 500) return CstaErrors.networkOutOfService;
  if (status === 404) return role === 'agent' ? CstaErrors.invalidAgentIdentifier : CstaErrors.invalidDeviceID;
  switch (code) {
    case C.hostBusy:
      return CstaErrors.invalidDeviceState;
    case C.hostUnknown:
    case C.hostNotAssigned:
    case C.hostInactive:
      return CstaErrors.invalidDeviceID;
    case C.guestNotAssigned:
    case C.guestInactive:
      return CstaErrors.invalidAgentIdentifier;
    case C.callCenterNotAssigned:
    case C.forwardingNotAssigned:
      return role === 'agent' ? CstaErrors.invalidAgentIdentifier : CstaErrors.invalidDeviceID;
    case C.forwardingNumberRequired:
    case C.forwardingDestinationInvalid:
      return CstaErrors.invalidForwardingDestination;
    default:
      return CstaErrors.invalidParameterValue;
  }
}
