/**
 * Xsi over HTTP: the BroadWorks paths (reference/xsi.md §1.1, §2–§5) mapped onto the model.
 *
 * Theory of operation — every request goes through the same steps, in this order:
 *   1. the path family: Xsi-Actions `/com.broadsoft.xsi-actions/v2.0/…`, Xsi-Events
 *      `/com.broadsoft.xsi-events/v2.0/…`, or the streaming `/com.broadsoft.async/com.broadsoft.xsi-events/v2.0/…`
 *      (fixed words case-insensitive, ids case-preserving, §1.2); anything else → 404;
 *   2. HTTP Basic credentials → 401 with the `XtendedServicesInterface` realm;
 *   3. the body (PUT/POST), at most 64 KiB → 413;
 *   4. scope: a user acts on itself, the group admin on its group → else 403 (before 404, so
 *      scope leaks no user ids — the model's rule);
 *   5. the body's XML, strictly against the XSD shape → 400;
 *   6. the model: Actions commands through `submit` (fault profile, latency), Events operations
 *      (channels, subscriptions, acks) directly — they have no fault draw in the model.
 * Every error answer is an `ErrorInfo` with a stable code (model/errors.ts, httpIo.ts).
 *
 * Cluster (model/nodes.ts): the request came through node `node`. Before step 1, a down node
 * resets the connection (no answer at all, as a dead XSP), a partitioned one never answers (the
 * client's deadline fires); an overloaded one answers 503; a slow
 * one holds Events requests for its latency (Actions get it from the model). Channels live on
 * their node: heartbeats and channel updates sent to another node are 404, as on BroadWorks,
 * where they must reach the node holding the stream (reference §5.1). Acks are taken anywhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  decodeChannelRequest,
  decodeChannelUpdate,
  decodeEventResponse,
  decodeSubscriptionRefresh,
  decodeSubscriptionRequest,
  encodeChannel,
  encodeSubscription,
  encodeSubscriptionResponse,
  isXsiCodecError,
  type XsiCommand,
  type XsiOutcome,
  type XsiResultBody,
} from '@csta-bw/core';
import { channelInfo, closeChannel, openChannel, updateChannel } from '../model/channels.js';
import { nodeOf } from '../model/state.js';
import { ackEvent } from '../model/events.js';
import { authenticate } from '../model/queries.js';
import { deleteSubscription, getSubscription, refreshSubscription, subscribe, targetIdOf, type SubscribeRequest } from '../model/subscriptions.js';
import {
  basicCredentials,
  httpError,
  pathSegments,
  readBody,
  sendEmpty,
  sendErrorInfo,
  sendOutcomeError,
  sendXml,
  xspError,
} from './httpIo.js';
import { LOST_ANSWER_MS, type LiveXsp } from './liveXsp.js';
import { decideActions, outcomeAnswer } from './actionsRequest.js';
import { stampAnswer } from './answerHeaders.js';
import { jsonBodyToXml } from './badgerFish.js';
import { answerInJson, sendsJson, wantsJson } from './jsonFormat.js';

type Family = 'actions' | 'events' | 'async';

function familyOf(segments: string[]): { family: Family; rest: string[] } | undefined {
  const w = segments.map((s) => s.toLowerCase());
  if (w[0] === 'com.broadsoft.xsi-actions' && w[1] === 'v2.0') return { family: 'actions', rest: segments.slice(2) };
  if (w[0] === 'com.broadsoft.xsi-events' && w[1] === 'v2.0') return { family: 'events', rest: segments.slice(2) };
  if (w[0] === 'com.broadsoft.async' && w[1] === 'com.broadsoft.xsi-events' && w[2] === 'v2.0') return { family: 'async', rest: segments.slice(3) };
  return undefined;
}

/** True when the path belongs to Xsi (the server routes everything else elsewhere). */
export function isXsiPath(path: string): boolean {
  return familyOf(pathSegments(path)) !== undefined;
}

/** `onStreamStart` is called when a channel's stream begins (the journal records it then). */
export async function handleXsi(live: LiveXsp, req: IncomingMessage, res: ServerResponse, onStreamStart: () => void = () => {}, node = 0): Promise<void> {
  const path = req.url ?? '/';
  const method = (req.method ?? 'GET').toUpperCase();
  const condition = nodeOf(live.state, node);
  if (condition?.partitioned) return void req.resume(); // behind a partition: no answer ever comes
  if (!condition?.up) return void req.socket.destroy(); // a dead XSP: connection reset
  live.track(node, res, { method, path });
  if (condition.unavailable) {
    req.resume();
    return sendOutcomeError(res, xspError('SERVICE_UNAVAILABLE', `XSP node ${node} is overloaded`));
  }
  const found = familyOf(pathSegments(path));
  if (!found) return sendOutcomeError(res, httpError('NO_SUCH_RESOURCE', path.split('?')[0]));
  if (found.family !== 'actions' && condition.latencyMs > 0) {
    await new Promise((resolve) => setTimeout(resolve, condition.latencyMs));
    if (res.destroyed) return;
  }
  stampAnswer(live, req, res, found.family === 'actions' ? 'xsi-actions' : 'xsi-events');
  if (wantsJson(req)) answerInJson(res);

  const creds = basicCredentials(req);
  if (!creds || !authenticate(live.state, creds.userId, creds.password)) {
    req.resume();
    return sendOutcomeError(res, xspError('NOT_AUTHENTICATED', creds ? `bad credentials for "${creds.userId}"` : 'HTTP Basic credentials required'));
  }
  const asUser = creds.userId;

  let body = '';
  if (method === 'PUT' || method === 'POST') {
    const read = await readBody(req);
    if (!read.ok) return sendOutcomeError(res, httpError('BODY_TOO_LARGE'));
    body = read.text;
    if (body !== '' && sendsJson(req, body)) {
      const xml = jsonBodyToXml(body);
      if (typeof xml !== 'string') return sendOutcomeError(res, xspError('SCHEMA_VIOLATION', xml.error));
      body = xml;
    }
  } else {
    req.resume();
  }

  if (found.family === 'actions') return handleActions(live, res, method, path, asUser, body, node);
  return handleEvents(live, res, method, found.rest, asUser, body, onStreamStart, node);
}

// ---------------------------------------------------------------------------------------------
// Xsi-Actions

async function handleActions(live: LiveXsp, res: ServerResponse, method: string, path: string, asUser: string, body: string, node: number): Promise<void> {
  // The decision is pure (actionsRequest.ts), so the explorer's wire world makes the same one.
  const d = decideActions(live.state, method, path, asUser, body);
  if (d.kind === 'command') return runCommand(live, res, asUser, d.command, node);
  if (d.kind === 'document') return sendXml(res, 200, d.xml);
  if (d.allow !== undefined) res.setHeader('Allow', d.allow);
  return sendOutcomeError(res, d.outcome);
}

/** An Actions command through the model (fault profile included), answered when its outcome comes. */
async function runCommand(live: LiveXsp, res: ServerResponse, asUser: string, command: XsiCommand, node: number): Promise<void> {
  const pending = live.command(asUser, command, node);
  // The fault profile may lose the answer: hold the request, then drop it as a proxy would.
  const lost = setTimeout(() => res.destroy(), LOST_ANSWER_MS);
  res.on('close', () => {
    clearTimeout(lost);
    pending.cancel();
  });
  const outcome = await pending.outcome;
  clearTimeout(lost);
  // The model's transport errors are resets (a node that died with the request in flight).
  if (!('status' in outcome)) return void res.destroy();
  sendOutcome(res, outcome);
}

/** A model outcome as an HTTP answer (actionsRequest.ts decides it). */
function sendOutcome(res: ServerResponse, outcome: XsiOutcome, ok?: (body: XsiResultBody | undefined) => string | undefined): void {
  const a = outcomeAnswer(outcome, ok);
  if ('error' in a) return sendErrorInfo(res, a.status, a.error);
  return a.xml === undefined ? sendEmpty(res, a.status) : sendXml(res, a.status, a.xml);
}

// ---------------------------------------------------------------------------------------------
// Xsi-Events

function decodeSegment(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    const v = decodeURIComponent(raw);
    return v.includes('/') ? undefined : v;
  } catch {
    return undefined;
  }
}

function handleEvents(live: LiveXsp, res: ServerResponse, method: string, rest: string[], asUser: string, body: string, onStreamStart: () => void, node: number): void {
  const w = rest.map((s) => s.toLowerCase());
  const allow = (methods: string[]): boolean => {
    if (methods.includes(method)) return true;
    res.setHeader('Allow', methods.join(', '));
    sendOutcomeError(res, httpError('METHOD_NOT_ALLOWED', `${method} (allowed: ${methods.join(', ')})`));
    return false;
  };
  const badId = (): void => sendOutcomeError(res, httpError('MALFORMED_REQUEST', 'malformed id in the path'));

  if (w[0] === 'channel') {
    if (w.length === 1) return allow(['POST']) ? createChannel(live, res, asUser, body, onStreamStart, node) : undefined;
    if (w.length === 2 && w[1] === 'eventresponse') return allow(['POST']) ? acknowledge(live, res, asUser, body) : undefined;
    const channelId = decodeSegment(rest[1]);
    if (channelId === undefined) return badId();
    if (w.length === 2) return allow(['PUT', 'DELETE']) ? channelCommand(live, res, method, asUser, channelId, body, node) : undefined;
    if (w.length === 3 && w[2] === 'heartbeat') return allow(['PUT']) ? heartbeat(live, res, asUser, channelId, node) : undefined;
  } else if (w[0] === 'user' && (w.length === 2 || (w.length === 3 && w[2] === 'subscription'))) {
    const userId = decodeSegment(rest[1]);
    if (userId === undefined) return badId();
    return allow(['POST']) ? createSubscription(live, res, { asUser, targetUserId: userId }, body) : undefined;
  } else if ((w[0] === 'enterprise' || w[0] === 'serviceprovider') && w[2] === 'group' && (w.length === 4 || (w.length === 5 && w[4] === 'subscription'))) {
    const groupId = decodeSegment(rest[3]);
    if (groupId === undefined) return badId();
    return allow(['POST']) ? createSubscription(live, res, { asUser, groupId }, body) : undefined;
  } else if ((w[0] === 'enterprise' || w[0] === 'serviceprovider') && (w.length === 2 || (w.length === 3 && w[2] === 'subscription'))) {
    // The whole enterprise / service provider (the same object by either name, reference §5.5).
    const serviceProviderId = decodeSegment(rest[1]);
    if (serviceProviderId === undefined) return badId();
    return allow(['POST']) ? createSubscription(live, res, { asUser, serviceProviderId }, body) : undefined;
  } else if (w[0] === 'subscription' && w.length === 2) {
    const subscriptionId = decodeSegment(rest[1]);
    if (subscriptionId === undefined) return badId();
    return allow(['GET', 'PUT', 'DELETE']) ? subscriptionCommand(live, res, method, asUser, subscriptionId, body) : undefined;
  }
  return sendOutcomeError(res, httpError('NO_SUCH_RESOURCE', `/${rest.join('/')}`));
}

/** POST channel: 200, then the stream stays open; its first document is the `Channel` (§5.2). */
function createChannel(live: LiveXsp, res: ServerResponse, asUser: string, body: string, onStreamStart: () => void, node: number): void {
  const req = decodeChannelRequest(body);
  if (isXsiCodecError(req)) {
    const name = req.error.includes('channelSetId') ? 'CHANNEL_SET_REQUIRED' : 'SCHEMA_VIOLATION';
    return sendOutcomeError(res, xspError(name, req.error));
  }
  const opened = openChannel(live.state, {
    asUser, channelSetId: req.channelSetId, ...live.modelNode(node),
    ...(req.expires !== undefined ? { expires: req.expires } : {}),
    ...(req.priority !== undefined ? { priority: req.priority } : {}),
    ...(req.weight !== undefined ? { weight: req.weight } : {}),
  }, live.now());
  if (!('state' in opened)) return sendErrorInfo(res, opened.status, opened.error);
  live.state = opened.state;
  res.writeHead(200, { 'Content-Type': 'text/xml;charset=UTF-8', 'Cache-Control': 'no-cache' });
  res.write(encodeChannel(opened.channelId, opened.expires));
  onStreamStart();
  live.attachStream(opened.channelId, res);
  live.pump();
}

/** The caller's own channel (the admin sees all) held by this node; others' channels are "not found". */
function ownChannel(live: LiveXsp, asUser: string, channelId: string, node: number): boolean {
  const ch = channelInfo(live.state, channelId);
  return ch !== undefined && (ch.ownerId === asUser || asUser === live.state.adminUserId) && (ch.node ?? 0) === node;
}

function channelCommand(live: LiveXsp, res: ServerResponse, method: string, asUser: string, channelId: string, body: string, node: number): void {
  if (!ownChannel(live, asUser, channelId, node)) return sendOutcomeError(res, xspError('CHANNEL_NOT_FOUND', channelId));
  if (method === 'DELETE') {
    sendEmpty(res);
    // ChannelTerminatedEvent (ExplicitDelete) follows on the stream, which then ends (§5.4).
    return live.update((s, now) => closeChannel(s, channelId, now, 'ExplicitDelete'));
  }
  const update = decodeChannelUpdate(body);
  if (isXsiCodecError(update)) return sendOutcomeError(res, xspError('SCHEMA_VIOLATION', update.error));
  const r = updateChannel(live.state, channelId, update.expires, live.now());
  if (!('state' in r)) return sendErrorInfo(res, r.status, r.error);
  live.state = r.state;
  sendXml(res, 200, encodeChannel(channelId, r.expires));
  live.pump();
}

function heartbeat(live: LiveXsp, res: ServerResponse, asUser: string, channelId: string, node: number): void {
  if (!ownChannel(live, asUser, channelId, node)) return sendOutcomeError(res, xspError('CHANNEL_NOT_FOUND', channelId));
  sendEmpty(res);
  live.heartbeat(channelId);
}

/** POST channel/eventresponse (§5.7). An event already settled is acknowledged again harmlessly. */
function acknowledge(live: LiveXsp, res: ServerResponse, asUser: string, body: string): void {
  const ack = decodeEventResponse(body);
  if (isXsiCodecError(ack)) return sendOutcomeError(res, xspError('SCHEMA_VIOLATION', ack.error));
  const pending = Object.hasOwn(live.state.pending, ack.eventId) ? live.state.pending[ack.eventId] : undefined;
  if (pending) {
    const ch = channelInfo(live.state, pending.channelId);
    if (ch && ch.ownerId !== asUser && asUser !== live.state.adminUserId) {
      return sendOutcomeError(res, xspError('OUT_OF_SCOPE', `event ${ack.eventId} was delivered to another user's channel`));
    }
  }
  sendEmpty(res);
  if (pending) live.update((s, now) => ackEvent(s, pending.channelId, ack.eventId, ack.statusCode, now));
}

function createSubscription(live: LiveXsp, res: ServerResponse, target: { asUser: string; targetUserId?: string; groupId?: string; serviceProviderId?: string }, body: string): void {
  const decoded = decodeSubscriptionRequest(body);
  if (isXsiCodecError(decoded)) {
    const name = decoded.error.includes('deprecated') ? 'EVENT_PACKAGE_DEPRECATED'
      : decoded.error.includes('event package') ? 'UNKNOWN_EVENT_PACKAGE' : decoded.error.includes('channelSetId') ? 'CHANNEL_SET_REQUIRED' : 'SCHEMA_VIOLATION';
    return sendOutcomeError(res, xspError(name, decoded.error));
  }
  const req: SubscribeRequest = { ...target, packages: decoded.packages, channelSetId: decoded.channelSetId };
  if (decoded.expires !== undefined) req.expires = decoded.expires;
  if (decoded.applicationId !== undefined) req.applicationId = decoded.applicationId;
  const r = subscribe(live.state, req, live.now());
  live.state = r.state;
  // One subscription per package in the model; the answer names the first (README: list subscriptions).
  sendOutcome(res, r.outcome, (b) => {
    const id = b?.kind === 'Subscriptions' ? b.subscriptionIds[0] : undefined;
    const sub = id === undefined ? undefined : getSubscription(live.state, id);
    return sub && encodeSubscriptionResponse(sub.subscriptionId, sub.expires);
  });
  live.pump(); // initial events follow the 200
}

function subscriptionCommand(live: LiveXsp, res: ServerResponse, method: string, asUser: string, subscriptionId: string, body: string): void {
  if (method === 'GET') {
    const sub = getSubscription(live.state, subscriptionId);
    if (!sub || (sub.subscriberId !== asUser && asUser !== live.state.adminUserId)) return sendOutcomeError(res, xspError('SUBSCRIPTION_NOT_FOUND', subscriptionId));
    return sendXml(res, 200, encodeSubscription({
      subscriptionId: sub.subscriptionId,
      subscriberId: sub.subscriberId,
      targetIdType: sub.target.kind === 'user' ? 'User' : sub.target.kind === 'group' ? 'Group' : 'ServiceProvider',
      ...(sub.target.kind === 'group' ? { targetGrpParentId: live.state.serviceProviderId } : {}),
      targetId: targetIdOf(sub.target),
      packages: [sub.package],
      expires: sub.expires,
      channelSetId: sub.channelSetId,
      ...(sub.applicationId !== undefined ? { applicationId: sub.applicationId } : {}),
    }));
  }
  if (method === 'DELETE') {
    const r = deleteSubscription(live.state, { asUser, subscriptionId }, live.now());
    live.state = r.state;
    sendOutcome(res, r.outcome);
    return live.pump(); // SubscriptionTerminatedEvent
  }
  const refresh = decodeSubscriptionRefresh(body);
  if (isXsiCodecError(refresh)) return sendOutcomeError(res, xspError('SCHEMA_VIOLATION', refresh.error));
  const r = refreshSubscription(live.state, { asUser, subscriptionId, expires: refresh.expires }, live.now());
  live.state = r.state;
  sendOutcome(res, r.outcome, () => {
    const sub = getSubscription(live.state, subscriptionId);
    return sub && encodeSubscriptionResponse(sub.subscriptionId, sub.expires);
  });
  live.pump(); // fresh initial events
}
