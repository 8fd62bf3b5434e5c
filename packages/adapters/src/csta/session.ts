/**
 * ECMA-354 application sessions on one CSTA link (reference/csta.md §6.5), as plain decisions:
 * given the link's current session and a session request, what is the answer and what is the
 * session afterwards. The TCP link carries them out (timers, closing the link).
 *
 * Rules:
 *   1. Sessions are optional for clients unless the gateway is configured with `requireSession`.
 *   2. StartApplicationSession: refused (NegResponse) when the link already has a session
 *      (applError), when credentials are configured and the client's `user`/`password` do not
 *      match (invalidApplicationInfo), or when the requested protocol version names no ECMA-323
 *      edition (requestedProtocolVersionNotSupported). Otherwise a fresh sessionID; the
 *      negotiated version (the requested one, else the default namespace) is what every later
 *      CSTA message on the link is written in.
 *   3. The duration is the requested one clamped to [min, max] seconds (default when absent).
 *      When it runs out without ResetApplicationSessionTimer, the link is closed.
 *   4. Reset and Stop must name the link's session, else NegResponse invalidSessionID.
 */
import { DEFAULT_CSTA_NAMESPACE, editionOf, type CstaRequest, type CstaResponse } from '@csta-bw/core';

export interface SessionPolicy {
  /** When set, StartApplicationSession must carry exactly these (applicationSpecificInfo user/password). */
  credentials?: { user: string; password: string };
  defaultDurationS: number;
  minDurationS: number;
  maxDurationS: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { defaultDurationS: 180, minDurationS: 10, maxDurationS: 3600 };

export interface ApplicationSession {
  sessionID: string;
  /** The CSTA namespace negotiated for the link. */
  protocolVersion: string;
  durationS: number;
}

type SessionRequest = Extract<CstaRequest, { service: 'StartApplicationSession' | 'ResetApplicationSessionTimer' | 'StopApplicationSession' }>;

export function isSessionRequest(request: CstaRequest): request is SessionRequest {
  return request.service === 'StartApplicationSession' || request.service === 'ResetApplicationSessionTimer'
    || request.service === 'StopApplicationSession';
}

export interface SessionDecision {
  response: CstaResponse;
  /** The link's session after the request (undefined: none). */
  session: ApplicationSession | undefined;
}

export function decideSession(
  current: ApplicationSession | undefined,
  request: SessionRequest,
  policy: SessionPolicy,
  freshSessionId: () => string,
): SessionDecision {
  switch (request.service) {
    case 'StartApplicationSession': {
      const refuse = (errorCode: Extract<CstaResponse, { service: 'StartApplicationSessionNegResponse' }>['errorCode']) =>
        ({ response: { service: 'StartApplicationSessionNegResponse' as const, errorCode }, session: current });
      if (current) return refuse({ applError: `a session (${current.sessionID}) is already active on this link` });
      const { credentials } = policy;
      if (credentials && (request.userID !== credentials.user || request.password !== credentials.password)) {
        return refuse({ definedError: 'invalidApplicationInfo' });
      }
      const requested = request.requestedProtocolVersion;
      if (requested !== undefined && editionOf(requested) === undefined) return refuse({ definedError: 'requestedProtocolVersionNotSupported' });
      const session: ApplicationSession = {
        sessionID: freshSessionId(),
        protocolVersion: requested ?? DEFAULT_CSTA_NAMESPACE,
        durationS: clampDuration(request.requestedSessionDuration, policy),
      };
      return {
        session,
        response: {
          service: 'StartApplicationSessionPosResponse',
          sessionID: session.sessionID,
          actualProtocolVersion: session.protocolVersion,
          actualSessionDuration: session.durationS,
        },
      };
    }
    case 'ResetApplicationSessionTimer': {
      if (!current || request.sessionID !== current.sessionID) {
        return { session: current, response: { service: 'ResetApplicationSessionTimerNegResponse', errorCode: { definedError: 'invalidSessionID' } } };
      }
      const session = { ...current, durationS: clampDuration(request.requestedSessionDuration ?? current.durationS, policy) };
      return { session, response: { service: 'ResetApplicationSessionTimerPosResponse', actualSessionDuration: session.durationS } };
    }
    case 'StopApplicationSession': {
      if (!current || request.sessionID !== current.sessionID) {
        return { session: current, response: { service: 'StopApplicationSessionNegResponse', errorCode: { definedError: 'invalidSessionID' } } };
      }
      return { session: undefined, response: { service: 'StopApplicationSessionPosResponse' } };
    }
  }
}

function clampDuration(requested: number | undefined, policy: SessionPolicy): number {
  if (requested === undefined || !Number.isFinite(requested)) return policy.defaultDurationS;
  return Math.min(policy.maxDurationS, Math.max(policy.minDurationS, Math.trunc(requested)));
}
