/**
 * The XSP's side of the wire world: HTTP request bytes in, a decision out, answers written back
 * as HTTP response bytes. It reads requests the way the simulator's server does — the same pure
 * Actions decision (xsp-sim `decideActions`), the same Basic check (`authenticate`), the core's
 * Events codecs — but leaves the model's state to the world, which owns the clock.
 *
 * Theory of operation
 * - Actions (`/com.broadsoft.xsi-actions/v2.0/…`): `decideActions` says command (for the
 *   model's `submit`, with its faults and latency), document (answered at once) or refusal.
 * - Events: a subscription POST (user or group target) becomes the SUBSCRIBE the model knows;
 *   `channel/eventresponse` is an ack; `channel/<id>/heartbeat` a heartbeat. Anything else is
 *   answered 404 — the connector has no business there in this world.
 * - A request that is not HTTP, lacks credentials, or carries a body the XSD refuses is answered
 *   at once with the ErrorInfo the server would send.
 */
import {
  decodeEventResponse, decodeSubscriptionRequest, encodeErrorInfo, isXsiCodecError, type EventPackage, type EventResponseStatusCode,
  type XsiCommand,
} from '@csta-bw/core';
import { authenticate, decideActions, xspError, type OutcomeAnswer, type XspState } from '@csta-bw/xsp-sim';
import { basicCredentialsOf, decodeHttpRequest, encodeHttpResponse } from '../xsi/httpText.js';

export type FrontDecision =
  | { kind: 'command'; command: XsiCommand; asUser: string }
  /** One subscription POST: the world gathers a SUBSCRIBE's POSTs into the one command the model takes. */
  | { kind: 'subscribe'; asUser: string; userId?: string; group?: { serviceProviderId: string; groupId: string }; packages: EventPackage[] }
  | { kind: 'ack'; eventId: string; statusCode: EventResponseStatusCode }
  | { kind: 'heartbeat'; channelId: string }
  | { kind: 'answer'; answer: OutcomeAnswer };

const refuse = (o: { status: number; body: { error: { summaryEnglish: string; errorCode: number; summary?: string } } }): FrontDecision =>
  ({ kind: 'answer', answer: { status: o.status, error: o.body.error } });

function segment(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

export function readXspRequest(s: XspState, bytes: Uint8Array): FrontDecision {
  const req = decodeHttpRequest(bytes);
  if ('error' in req) return refuse(xspError('SCHEMA_VIOLATION', `not an HTTP request: ${req.error}`));
  const creds = basicCredentialsOf(req.headers.get('authorization'));
  if (!creds || !authenticate(s, creds.userId, creds.password)) return refuse(xspError('NOT_AUTHENTICATED', 'HTTP Basic credentials required'));
  const asUser = creds.userId;
  const path = req.target.split('?')[0]!;
  const words = path.split('/').slice(1);
  const w = words.map((x) => x.toLowerCase());
  if (w[0] === 'com.broadsoft.xsi-actions') {
    const d = decideActions(s, req.method, req.target, asUser, req.body);
    if (d.kind === 'command') return { kind: 'command', command: d.command, asUser };
    if (d.kind === 'document') return { kind: 'answer', answer: { status: 200, xml: d.xml } };
    return refuse(d.outcome);
  }
  if (w[0] !== 'com.broadsoft.xsi-events' || w[1] !== 'v2.0') return refuse(xspError('SCHEMA_VIOLATION', `no Xsi resource at ${path}`));
  const rest = words.slice(2);
  const r = w.slice(2);
  if (req.method === 'POST' && r[0] === 'channel' && r[1] === 'eventresponse' && r.length === 2) {
    const ack = decodeEventResponse(req.body);
    if (isXsiCodecError(ack)) return refuse(xspError('SCHEMA_VIOLATION', ack.error));
    return { kind: 'ack', eventId: ack.eventId, statusCode: ack.statusCode };
  }
  if (req.method === 'PUT' && r[0] === 'channel' && r[2] === 'heartbeat' && r.length === 3) {
    const channelId = segment(rest[1]);
    if (channelId === undefined) return refuse(xspError('CHANNEL_NOT_FOUND', String(rest[1])));
    return { kind: 'heartbeat', channelId };
  }
  if (req.method === 'POST' && (r[0] === 'user' || r[0] === 'serviceprovider')) {
    const sub = decodeSubscriptionRequest(req.body);
    if (isXsiCodecError(sub)) return refuse(xspError('SCHEMA_VIOLATION', sub.error));
    const packages = sub.packages as EventPackage[];
    if (r[0] === 'user' && r.length === 2) {
      const userId = segment(rest[1]);
      if (userId !== undefined) return { kind: 'subscribe', asUser, userId, packages };
    }
    if (r[0] === 'serviceprovider' && r[2] === 'group' && r.length === 4) {
      const serviceProviderId = segment(rest[1]);
      const groupId = segment(rest[3]);
      if (serviceProviderId !== undefined && groupId !== undefined) return { kind: 'subscribe', asUser, group: { serviceProviderId, groupId }, packages };
    }
  }
  return refuse(xspError('SCHEMA_VIOLATION', `no Xsi-Events resource for ${req.method} ${path} in the wire world`));
}

/** An answer as the server writes it: XML with its length, or an empty 200. */
export function answerBytes(a: OutcomeAnswer): Uint8Array {
  if ('error' in a) {
    const headers: Record<string, string> = { 'Content-Type': 'application/xml;charset=UTF-8' };
    if (a.status === 401) headers['WWW-Authenticate'] = 'Basic realm="XtendedServicesInterface"';
    return encodeHttpResponse({ status: a.status, headers, body: encodeErrorInfo(a.error) });
  }
  if (a.xml === undefined) return encodeHttpResponse({ status: a.status, headers: {} });
  return encodeHttpResponse({ status: a.status, headers: { 'Content-Type': 'application/xml;charset=UTF-8' }, body: a.xml });
}
