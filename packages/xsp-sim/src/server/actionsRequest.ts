/**
 * An Xsi-Actions request, decided without sockets: what a request (method, path, caller, body)
 * becomes — a command for the model, a document answered at once, or a refusal — and how a
 * model outcome is written back as an answer (status + document). xsiRoutes.ts runs these
 * behind node:http; the explorer's wire world (packages/adapters explore/wireXsp.ts) runs the
 * very same decisions over in-memory HTTP text, so both worlds map requests to the model alike.
 *
 * Theory of operation — the order of checks is the server's (xsiRoutes.ts header, steps 4–6):
 * the group's unavailable codes, the read-only routes (readRoutes.ts), the Actions path (404 /
 * 405 / 400), scope (403 before 404, so scope leaks no user ids), the hosts directory, then the
 * body's XML strictly against the XSD shape (400).
 */
import {
  decodeCommandBody, encodeCallCenter, encodeDirectory, encodeDoNotDisturb, encodeForwarding, encodeHotelingGuest, encodeHotelingHost,
  encodeHotelingHosts, encodeProfile, encodeRemoteOffice, encodeUnavailableCodes, isXsiCodecError, parseActionsPath, parseUnavailableCodesPath,
  type ActionsResource, type ErrorInfo, type XsiCommand, type XsiOutcome, type XsiResultBody,
} from '@csta-bw/core';
import { xspError, type XspErrorOutcome } from '../model/errors.js';
import { availableHotelingHosts } from '../model/hostDirectory.js';
import type { XspState } from '../model/state.js';
import { groupUnavailableCodes } from '../model/unavailableCodes.js';
import { httpError } from './httpIo.js';
import { readRoute } from './readRoutes.js';

export type ActionsDecision =
  | { kind: 'command'; command: XsiCommand }
  | { kind: 'document'; xml: string }
  | { kind: 'refused'; outcome: XspErrorOutcome; allow?: string };

const GET_OP: Readonly<Record<ActionsResource, XsiCommand['op'] | undefined>> = {
  CallCenter: 'GET CallCenter',
  CallForwardingAlways: 'GET CallForwardingAlways',
  HotelingGuest: 'GET HotelingGuest',
  HotelingHost: 'GET HotelingHost',
  DoNotDisturb: 'GET DoNotDisturb',
  RemoteOffice: 'GET RemoteOffice',
  profile: 'GET profile',
  'directories/HotelingHosts': undefined,
};

/** `body`: the request's XML (JSON already turned into XML), '' for GET. */
export function decideActions(s: XspState, method: string, path: string, asUser: string, body: string): ActionsDecision {
  // The group's Call Center unavailable codes (model/unavailableCodes.ts): read-only, any user of the group.
  const codes = parseUnavailableCodesPath(method, path);
  if (codes !== undefined) {
    if (isXsiCodecError(codes)) {
      return codes.status === 405
        ? { kind: 'refused', outcome: httpError('METHOD_NOT_ALLOWED', codes.error), allow: 'GET' }
        : { kind: 'refused', outcome: httpError('MALFORMED_REQUEST', codes.error) };
    }
    const list = groupUnavailableCodes(s, { asUser, ...codes });
    return 'codes' in list ? { kind: 'document', xml: encodeUnavailableCodes(list) } : { kind: 'refused', outcome: list };
  }
  const read = readRoute(s, method, path, asUser);
  if (read !== undefined) {
    if ('command' in read) return { kind: 'command', command: read.command };
    if ('xml' in read) return { kind: 'document', xml: read.xml };
    return { kind: 'refused', outcome: read.error, ...(read.allow !== undefined ? { allow: read.allow } : {}) };
  }
  const parsed = parseActionsPath(method, path);
  if (isXsiCodecError(parsed)) {
    if (parsed.status === 405) {
      return { kind: 'refused', outcome: httpError('METHOD_NOT_ALLOWED', parsed.error), allow: parsed.error.includes('GET, PUT') ? 'GET, PUT' : 'GET' };
    }
    return { kind: 'refused', outcome: parsed.status === 400 ? httpError('MALFORMED_REQUEST', parsed.error) : httpError('NO_SUCH_RESOURCE', parsed.error) };
  }
  const { userId, resource } = parsed;
  if (asUser !== userId && asUser !== s.adminUserId) return { kind: 'refused', outcome: xspError('OUT_OF_SCOPE', userId) };

  if (resource === 'directories/HotelingHosts') {
    const hosts = availableHotelingHosts(s, userId);
    return 'hostUserIds' in hosts ? { kind: 'document', xml: encodeHotelingHosts(hosts.hostUserIds) } : { kind: 'refused', outcome: hosts };
  }
  if (method === 'GET') return { kind: 'command', command: { op: GET_OP[resource], userId } as XsiCommand };
  const update = decodeCommandBody(resource, body);
  if (isXsiCodecError(update)) return { kind: 'refused', outcome: xspError('SCHEMA_VIOLATION', update.error) };
  // PUT bodies are partial updates; the model's rules read them field by field (absent = unchanged).
  return { kind: 'command', command: { op: `PUT ${resource}`, userId, body: update } as XsiCommand };
}

export function encodeResultBody(body: XsiResultBody): string | undefined {
  switch (body.kind) {
    case 'CallCenter':
      return encodeCallCenter(body.agentUnavailableCode === undefined ? body.agentACDState : { agentACDState: body.agentACDState, agentUnavailableCode: body.agentUnavailableCode });
    case 'DoNotDisturb':
      return encodeDoNotDisturb(body.info);
    case 'RemoteOffice':
      return encodeRemoteOffice(body.info);
    case 'CallForwardingAlways':
      return encodeForwarding(body.info);
    case 'HotelingGuest':
      return encodeHotelingGuest(body.info);
    case 'HotelingHost':
      return encodeHotelingHost(body.info);
    case 'profile':
      return encodeProfile(body.info);
    case 'directory':
      return encodeDirectory(body);
    default:
      return undefined;
  }
}

/** What an answer carries: a document (or nothing) on success, an ErrorInfo on failure. */
export type OutcomeAnswer = { status: number; xml?: string } | { status: number; error: ErrorInfo };

/** A model outcome as an HTTP answer: 200 with the document (or empty), or the ErrorInfo. */
export function outcomeAnswer(outcome: XsiOutcome, ok?: (body: XsiResultBody | undefined) => string | undefined): OutcomeAnswer {
  const refusal = (o: XspErrorOutcome): OutcomeAnswer => ({ status: o.status, error: o.body.error });
  if (!('status' in outcome)) return refusal(xspError('INTERNAL_ERROR', outcome.transportError));
  if (outcome.status >= 400) {
    if (outcome.body?.kind === 'ErrorInfo') return { status: outcome.status, error: outcome.body.error };
    return refusal(outcome.status === 503 ? xspError('SERVICE_UNAVAILABLE') : xspError('INTERNAL_ERROR', `status ${outcome.status}`));
  }
  const xml = ok ? ok(outcome.body) : outcome.body && encodeResultBody(outcome.body);
  return xml === undefined ? { status: outcome.status } : { status: outcome.status, xml };
}
