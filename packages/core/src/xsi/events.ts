/**
 * Xsi-Events documents (reference/xsi.md §5): channel, heartbeat, subscription and
 * eventresponse bodies, and the event envelopes that arrive on the channel stream.
 *
 * Theory of operation
 * - Request bodies (Channel, Subscription, EventResponse) are Actions-style documents: default
 *   namespace `http://schema.broadsoft.com/xsi`, no prefixes.
 * - Stream documents are what the XSP writes on the channel: the `Channel` answer (declaration,
 *   newline, compact XML — byte-identical to the captured 0xb5-byte chunk), `ChannelHeartBeat`,
 *   and `xsi:Event` with `xsi` = BroadSoft and `xsi1` = XMLSchema-instance (§1.5). We emit
 *   exactly those prefixes, because field clients match on them; we read by local name and by
 *   resolved namespace, so any prefixes work on input.
 * - Envelope children are written in XSD order (§5.6): eventID, sequenceNumber, userId,
 *   externalApplicationId, subscriptionId, channelId, targetId, eventData.
 * - Decoding a stream document never fails silently: types we do not model come back as
 *   `unknownEvent` with their eventID (so the adapter can still acknowledge them), modelled
 *   types with bad content as `error` — also with the eventID when one could be read, so the
 *   adapter can answer 400 (§5.7).
 */
import {
  AGENT_ACD_STATES,
  XSI_EVENT_PACKAGES,
  type AgentACDState,
  type AgentStateInfo,
  type XsiEvent,
  type XsiEventEnvelope,
  type XsiEventPackage,
} from './types.js';
import {
  DO_NOT_DISTURB_FIELDS,
  FORWARDING_FIELDS,
  HOTELING_GUEST_FIELDS,
  REMOTE_OFFICE_FIELDS,
  readForwarding,
  readHotelingGuest,
  writeFields,
} from './services.js';
import {
  XML_DECLARATION,
  XML_SCHEMA_INSTANCE_NAMESPACE,
  XSI_NAMESPACE,
  child,
  isCodecError,
  parseInteger,
  parseNonEmpty,
  parseXmlDocument,
  schemaType,
  simpleText,
  textElement,
  type XmlElement,
  type XsiCodecError,
} from './xml.js';

const MAX_INT = 2147483647;
const EVENT_OPEN = `<xsi:Event xmlns:xsi="${XSI_NAMESPACE}" xmlns:xsi1="${XML_SCHEMA_INSTANCE_NAMESPACE}"`;

// ---------------------------------------------------------------------------------------------
// Types

/** `Channel` as sent on create (§5.2); the simulator reads the same shape back. */
export interface ChannelRequest {
  channelSetId: string;
  priority?: number;
  weight?: number;
  expires?: number;
  applicationId?: string;
}

/** `Subscription` as sent on create (§5.5). One package → `<event>`, several → `<eventPackageList>`. */
export interface SubscriptionRequest {
  packages: XsiEventPackage[];
  expires?: number;
  channelSetId: string;
  applicationId?: string;
}

/** What the simulator learns from a subscription POST body. */
export interface DecodedSubscriptionRequest extends SubscriptionRequest {
  /** True when the packages came as an `eventPackageList` (R23 list subscription, §5.5). */
  packageList: boolean;
}

/** XSD `EntityType`: what a subscription watches (§5.5). */
export type SubscriptionTargetType = 'User' | 'Group' | 'ServiceProvider' | 'System';

/** `GET subscription/{id}` answer. */
export interface SubscriptionInfo {
  subscriptionId: string;
  subscriberId: string;
  /** Default `User`. */
  targetIdType?: SubscriptionTargetType;
  /** The group's enterprise/service provider, for a Group target. */
  targetGrpParentId?: string;
  targetId: string;
  packages: XsiEventPackage[];
  expires: number;
  channelSetId: string;
  applicationId?: string;
}

/** XSD `EventResponseStatusCode` (§5.7). */
export type EventResponseStatusCode = 200 | 400 | 404 | 481 | 500;
export const EVENT_RESPONSE_STATUS_CODES: readonly EventResponseStatusCode[] = [200, 400, 404, 481, 500];

export interface EventResponse {
  eventId: string;
  statusCode: EventResponseStatusCode;
  reason: string;
}

/** XSD `ChannelTerminatedReason` (§5.8); other strings are passed through as received. */
export type ChannelTerminatedReason =
  | 'DuplicateChannelSet'
  | 'UserDeleted'
  | 'NonResponsiveChannel'
  | 'ExplicitDelete'
  | 'Expired'
  | 'UnknownChannel';

export type StreamDocument =
  | { kind: 'channel'; channelId: string; expires: number }
  | { kind: 'heartbeat' }
  | { kind: 'event'; event: XsiEvent }
  | { kind: 'channelTerminated'; channelId: string; reason: string }
  | { kind: 'unknownEvent'; eventId?: string; eventType: string }
  /** `eventId` is set when the document was an event whose ID could be read: ack it with 400. */
  | { kind: 'error'; error: string; eventId?: string };

/** Envelope fields that are not part of `XsiEvent` (they describe the subscription/channel). */
export interface EventEnvelopeExtras {
  /** The subscription owner (§5.6 item 3). */
  userId: string;
  externalApplicationId?: string;
  channelId: string;
}

// ---------------------------------------------------------------------------------------------
// Client → XSP request bodies

function xsiDocument(root: string, body: string): string {
  return `${XML_DECLARATION}<${root} xmlns="${XSI_NAMESPACE}">${body}</${root}>`;
}

export function encodeChannelRequest(req: ChannelRequest): string {
  let body = textElement('channelSetId', req.channelSetId);
  if (req.priority !== undefined) body += textElement('priority', req.priority);
  if (req.weight !== undefined) body += textElement('weight', req.weight);
  if (req.expires !== undefined) body += textElement('expires', req.expires);
  if (req.applicationId !== undefined) body += textElement('applicationId', req.applicationId);
  return xsiDocument('Channel', body);
}

/** `PUT channel/{id}` body: only `expires` is modifiable (§5.4). */
export function encodeChannelUpdate(expires: number): string {
  return xsiDocument('Channel', textElement('expires', expires));
}

export function encodeSubscriptionRequest(req: SubscriptionRequest): string {
  let body =
    req.packages.length === 1
      ? textElement('event', req.packages[0]!)
      : `<eventPackageList>${req.packages.map((p) => textElement('event', p)).join('')}</eventPackageList>`;
  if (req.expires !== undefined) body += textElement('expires', req.expires);
  body += textElement('channelSetId', req.channelSetId);
  if (req.applicationId !== undefined) body += textElement('applicationId', req.applicationId);
  return xsiDocument('Subscription', body);
}

/** `PUT subscription/{id}` body (refresh, §5.5). */
export function encodeSubscriptionRefresh(expires: number): string {
  return xsiDocument('Subscription', textElement('expires', expires));
}

export function encodeEventResponse(eventId: string, statusCode: EventResponseStatusCode, reason: string): string {
  return xsiDocument(
    'EventResponse',
    textElement('eventID', eventId) + textElement('statusCode', statusCode) + textElement('reason', reason),
  );
}

// ---------------------------------------------------------------------------------------------
// XSP side: request bodies read by the simulator (strict)

/** Children of `el` by local name; errors on names outside `allowed` and on repeats. */
function uniqueChildren(el: XmlElement, allowed: readonly string[]): Map<string, XmlElement> | XsiCodecError {
  const found = new Map<string, XmlElement>();
  for (const c of el.children) {
    if (!allowed.includes(c.local)) return { error: `unknown element <${c.local}> in <${el.local}>` };
    if (found.has(c.local)) return { error: `element <${c.local}> repeated in <${el.local}>` };
    found.set(c.local, c);
  }
  return found;
}

function parseRootElement(xml: string, root: string): XmlElement | XsiCodecError {
  const el = parseXmlDocument(xml);
  if (isCodecError(el)) return el;
  if (el.local !== root) return { error: `expected <${root}>, got <${el.local}>` };
  return el;
}

function optionalInt(fields: Map<string, XmlElement>, name: string, min: number): number | undefined | XsiCodecError {
  const el = fields.get(name);
  return el === undefined ? undefined : parseInteger(el, min, MAX_INT);
}

function optionalNonEmpty(fields: Map<string, XmlElement>, name: string): string | undefined | XsiCodecError {
  const el = fields.get(name);
  return el === undefined ? undefined : parseNonEmpty(el);
}

const CHANNEL_ELEMENTS = ['channelId', 'channelSetId', 'priority', 'weight', 'expires', 'applicationId'];

export function decodeChannelRequest(xml: string): ChannelRequest | XsiCodecError {
  const el = parseRootElement(xml, 'Channel');
  if (isCodecError(el)) return el;
  // channelId is server-assigned and ignored on create (§5.2).
  const f = uniqueChildren(el, CHANNEL_ELEMENTS);
  if (isCodecError(f)) return f;
  const setEl = f.get('channelSetId');
  if (setEl === undefined) return { error: '<Channel> without <channelSetId>' };
  const channelSetId = parseNonEmpty(setEl);
  if (isCodecError(channelSetId)) return channelSetId;
  const req: ChannelRequest = { channelSetId };
  for (const [name, min] of [['priority', 1], ['weight', 1], ['expires', 0]] as const) {
    const v = optionalInt(f, name, min);
    if (isCodecError(v)) return v;
    if (v !== undefined) req[name] = v;
  }
  const app = optionalNonEmpty(f, 'applicationId');
  if (isCodecError(app)) return app;
  if (app !== undefined) req.applicationId = app;
  return req;
}

/** `PUT channel/{id}`: `expires` is read, the other Channel elements are ignored (§5.4). */
export function decodeChannelUpdate(xml: string): { expires: number } | XsiCodecError {
  return decodeExpiresUpdate(xml, 'Channel', CHANNEL_ELEMENTS, '<Channel> update without <expires>');
}

/** A refresh body (channel or subscription): valid elements of `root`, of which only `expires` counts. */
function decodeExpiresUpdate(xml: string, root: string, allowed: readonly string[], missing: string): { expires: number } | XsiCodecError {
  const el = parseRootElement(xml, root);
  if (isCodecError(el)) return el;
  const f = uniqueChildren(el, allowed);
  if (isCodecError(f)) return f;
  const expires = optionalInt(f, 'expires', 0);
  if (isCodecError(expires)) return expires;
  if (expires === undefined) return { error: missing };
  return { expires };
}

const SUBSCRIPTION_ELEMENTS = [
  'subscriptionId',
  'sharedSubscriptionId',
  'subscriberId',
  'clientId',
  'targetIdType',
  'targetGrpParentId',
  'targetId',
  'targetSubId',
  'event',
  'eventPackageList',
  'expires',
  'httpContact',
  'channelSetId',
  'applicationId',
];

/**
 * Every XSD package is accepted (exact spelling), except `Call Recording`: deprecated in R20, an
 * error for unversioned requests (§5.5) — as on a current XSP.
 */
function readPackage(el: XmlElement): XsiEventPackage | XsiCodecError {
  const name = simpleText(el);
  if (isCodecError(name)) return name;
  if (name === 'Call Recording') return { error: "event package 'Call Recording' is deprecated since R20 and refused" };
  if ((XSI_EVENT_PACKAGES as readonly string[]).includes(name)) return name as XsiEventPackage;
  return { error: `unknown event package '${name}'` };
}

/**
 * A subscription POST body. Owner/target elements that clients send although they "should not"
 * are accepted and ignored (§5.5); httpContact delivery is not supported, so channelSetId is
 * required.
 */
export function decodeSubscriptionRequest(xml: string): DecodedSubscriptionRequest | XsiCodecError {
  const el = parseRootElement(xml, 'Subscription');
  if (isCodecError(el)) return el;
  const f = uniqueChildren(el, SUBSCRIPTION_ELEMENTS);
  if (isCodecError(f)) return f;
  const single = f.get('event');
  const list = f.get('eventPackageList');
  if (single !== undefined && list !== undefined) return { error: '<Subscription> has both <event> and <eventPackageList>' };
  const packages: XsiEventPackage[] = [];
  if (single !== undefined) {
    const p = readPackage(single);
    if (isCodecError(p)) return p;
    packages.push(p);
  } else if (list !== undefined) {
    for (const c of list.children) {
      if (c.local !== 'event') return { error: `unknown element <${c.local}> in <eventPackageList>` };
      const p = readPackage(c);
      if (isCodecError(p)) return p; // one unknown package rejects the whole subscription (§5.5)
      if (!packages.includes(p)) packages.push(p);
    }
    if (packages.length === 0) return { error: '<eventPackageList> is empty' };
  } else {
    return { error: '<Subscription> without <event> or <eventPackageList>' };
  }
  const setEl = f.get('channelSetId');
  if (setEl === undefined) return { error: '<Subscription> without <channelSetId> (httpContact delivery is not supported)' };
  const channelSetId = parseNonEmpty(setEl);
  if (isCodecError(channelSetId)) return channelSetId;
  const req: DecodedSubscriptionRequest = { packages, packageList: list !== undefined, channelSetId };
  const expires = optionalInt(f, 'expires', 0);
  if (isCodecError(expires)) return expires;
  if (expires !== undefined) req.expires = expires;
  const app = optionalNonEmpty(f, 'applicationId');
  if (isCodecError(app)) return app;
  if (app !== undefined) req.applicationId = app;
  return req;
}

/** `PUT subscription/{id}`: only `expires` is read. */
export function decodeSubscriptionRefresh(xml: string): { expires: number } | XsiCodecError {
  return decodeExpiresUpdate(xml, 'Subscription', SUBSCRIPTION_ELEMENTS, '<Subscription> refresh without <expires>');
}

export function decodeEventResponse(xml: string): EventResponse | XsiCodecError {
  const el = parseRootElement(xml, 'EventResponse');
  if (isCodecError(el)) return el;
  const f = uniqueChildren(el, ['eventID', 'statusCode', 'reason']);
  if (isCodecError(f)) return f;
  const idEl = f.get('eventID');
  const codeEl = f.get('statusCode');
  const reasonEl = f.get('reason');
  if (idEl === undefined || codeEl === undefined || reasonEl === undefined) {
    return { error: '<EventResponse> needs <eventID>, <statusCode> and <reason>' };
  }
  const eventId = parseNonEmpty(idEl);
  if (isCodecError(eventId)) return eventId;
  const code = parseInteger(codeEl, 100, 599);
  if (isCodecError(code)) return code;
  if (!(EVENT_RESPONSE_STATUS_CODES as readonly number[]).includes(code)) {
    return { error: `<statusCode> must be one of ${EVENT_RESPONSE_STATUS_CODES.join(', ')}; got ${code}` };
  }
  const reason = parseNonEmpty(reasonEl, 1024);
  if (isCodecError(reason)) return reason;
  return { eventId, statusCode: code as EventResponseStatusCode, reason };
}

// ---------------------------------------------------------------------------------------------
// XSP side: answers and stream documents

/** The channel answer, byte-identical in layout to the captured first chunk (§5.2). */
export function encodeChannel(channelId: string, expires: number): string {
  return `${XML_DECLARATION}\n<Channel xmlns="${XSI_NAMESPACE}">${textElement('channelId', channelId)}${textElement('expires', expires)}</Channel>`;
}

/** Answer to a subscription POST or PUT (§5.5). */
export function encodeSubscriptionResponse(subscriptionId: string, expires: number): string {
  return `${XML_DECLARATION}\n<Subscription xmlns="${XSI_NAMESPACE}">${textElement('subscriptionId', subscriptionId)}${textElement('expires', expires)}</Subscription>`;
}

/** Answer to `GET subscription/{id}`, XSD Subscription order. */
export function encodeSubscription(info: SubscriptionInfo): string {
  const events =
    info.packages.length === 1
      ? textElement('event', info.packages[0]!)
      : `<eventPackageList>${info.packages.map((p) => textElement('event', p)).join('')}</eventPackageList>`;
  const app = info.applicationId !== undefined ? textElement('applicationId', info.applicationId) : '';
  return xsiDocument(
    'Subscription',
    textElement('subscriptionId', info.subscriptionId) +
      textElement('subscriberId', info.subscriberId) +
      textElement('targetIdType', info.targetIdType ?? 'User') +
      (info.targetGrpParentId !== undefined ? textElement('targetGrpParentId', info.targetGrpParentId) : '') +
      textElement('targetId', info.targetId) +
      events +
      textElement('expires', info.expires) +
      textElement('channelSetId', info.channelSetId) +
      app,
  );
}

/** Exactly the 97-byte heartbeat of R21 Fig. 7 (§5.3). */
export const HEARTBEAT_DOCUMENT = `${XML_DECLARATION}<ChannelHeartBeat xmlns="${XSI_NAMESPACE}"/>`;

export function encodeChannelTerminated(channelId: string, reason: ChannelTerminatedReason | string): string {
  return (
    `${XML_DECLARATION}${EVENT_OPEN} xsi1:type="xsi:ChannelTerminatedEvent">` +
    textElement('channelId', channelId, 'xsi:') +
    textElement('reason', reason, 'xsi:') +
    '</xsi:Event>'
  );
}

/**
 * An event as the XSP writes it on the channel (§5.6, §5.8). `targetId` is left out when the
 * subscriber watches itself, as in the captured self-subscription (reference/interop.md).
 */
export function encodeEvent(event: XsiEvent, envelope: EventEnvelopeExtras): string {
  const x = 'xsi:';
  let out =
    `${XML_DECLARATION}${EVENT_OPEN} xsi1:type="xsi:SubscriptionEvent">` +
    textElement('eventID', event.eventId, x) +
    textElement('sequenceNumber', event.sequenceNumber, x) +
    textElement('userId', envelope.userId, x);
  if (envelope.externalApplicationId !== undefined) out += textElement('externalApplicationId', envelope.externalApplicationId, x);
  out += textElement('subscriptionId', event.subscriptionId, x) + textElement('channelId', envelope.channelId, x);
  if (event.targetId !== envelope.userId) out += textElement('targetId', event.targetId, x);
  return `${out}${encodeEventData(event)}</xsi:Event>`;
}

function encodeEventData(event: XsiEvent): string {
  const open = `<xsi:eventData xsi1:type="xsi:${event.type}">`;
  switch (event.type) {
    case 'AgentStateEvent':
      return `${open}<xsi:agentStateInfo>${agentStateInformation(event)}</xsi:agentStateInfo></xsi:eventData>`;
    case 'AgentSubscriptionEvent':
      // joinData is required by the XSD (joinInfos inside it only when there are joins).
      return `${open}${joinData(event.joins ?? [])}<xsi:stateInfo>${agentStateInformation(event)}</xsi:stateInfo></xsi:eventData>`;
    case 'CallForwardingAlwaysEvent':
      return `${open}<xsi:info>${writeFields(event.info, FORWARDING_FIELDS, { prefix: 'xsi:', telUri: true })}</xsi:info></xsi:eventData>`;
    case 'HotelingGuestEvent':
      return `${open}<xsi:info>${writeFields(event.info, HOTELING_GUEST_FIELDS, { prefix: 'xsi:' })}</xsi:info></xsi:eventData>`;
    case 'DoNotDisturbEvent':
      return `${open}<xsi:info>${writeFields(event.info, DO_NOT_DISTURB_FIELDS, { prefix: 'xsi:' })}</xsi:info></xsi:eventData>`;
    case 'RemoteOfficeEvent':
      return `${open}<xsi:info>${writeFields(event.info, REMOTE_OFFICE_FIELDS, { prefix: 'xsi:', telUri: true })}</xsi:info></xsi:eventData>`;
    case 'CallSubscriptionEvent':
      // No calls: `calls` and `conference` are optional and absent; `hookStatus` is required.
      return `${open}${textElement('hookStatus', event.hookStatus, 'xsi:')}</xsi:eventData>`;
    case 'SubscriptionTerminatedEvent':
      return `<xsi:eventData xsi1:type="xsi:SubscriptionTerminatedEvent"/>`;
  }
}

/**
 * XSD AgentStateInformation, the parts we model, in schema order: state, stateTimestamp{value}
 * (R19+ form, required), unavailableCode, signInTimestamp.
 */
function agentStateInformation(info: AgentStateInfo): string {
  const x = 'xsi:';
  let out = textElement('state', info.state, x);
  if (info.stateTimestamp !== undefined) out += `<xsi:stateTimestamp>${textElement('value', info.stateTimestamp, x)}</xsi:stateTimestamp>`;
  if (info.unavailableCode !== undefined) out += textElement('unavailableCode', info.unavailableCode, x);
  if (info.signInTimestamp !== undefined) out += textElement('signInTimestamp', info.signInTimestamp, x);
  return out;
}

/** `joinData{joinInfos?{joinInfo+{acdUserId, joined?}}}`: an empty `joined` element means joined. */
function joinData(joins: readonly { acdUserId: string; joined: boolean }[]): string {
  if (joins.length === 0) return '<xsi:joinData/>';
  const infos = joins.map((j) => `<xsi:joinInfo>${textElement('acdUserId', j.acdUserId, 'xsi:')}${j.joined ? '<xsi:joined/>' : ''}</xsi:joinInfo>`).join('');
  return `<xsi:joinData><xsi:joinInfos>${infos}</xsi:joinInfos></xsi:joinData>`;
}

// ---------------------------------------------------------------------------------------------
// Client side: one document from the channel stream

export function decodeStreamDocument(xml: string): StreamDocument {
  const root = parseXmlDocument(xml);
  if (isCodecError(root)) return { kind: 'error', error: root.error };
  switch (root.local) {
    case 'Channel':
      return decodeChannelDocument(root);
    case 'ChannelHeartBeat':
    case 'ChannelHeartbeat': // spelling in one place of the 2020 spec text (§5.3)
      return { kind: 'heartbeat' };
    case 'Event':
      return decodeEventDocument(root);
    default:
      return { kind: 'error', error: `unexpected document <${root.local}> on the event channel` };
  }
}

function decodeChannelDocument(root: XmlElement): StreamDocument {
  const idEl = child(root, 'channelId');
  const expiresEl = child(root, 'expires');
  if (idEl === undefined || expiresEl === undefined) return { kind: 'error', error: '<Channel> without <channelId> and <expires>' };
  const channelId = parseNonEmpty(idEl);
  if (isCodecError(channelId)) return { kind: 'error', error: channelId.error };
  const expires = parseInteger(expiresEl, 0, MAX_INT);
  if (isCodecError(expires)) return { kind: 'error', error: expires.error };
  return { kind: 'channel', channelId, expires };
}

function decodeEventDocument(root: XmlElement): StreamDocument {
  const rootType = schemaType(root);
  if (rootType === undefined) return { kind: 'error', error: '<Event> without an xsi:type (XMLSchema-instance) attribute' };
  if (rootType === 'ChannelTerminatedEvent') {
    const idEl = child(root, 'channelId');
    const reasonEl = child(root, 'reason');
    if (idEl === undefined || reasonEl === undefined) return { kind: 'error', error: 'ChannelTerminatedEvent without <channelId> and <reason>' };
    const channelId = parseNonEmpty(idEl);
    if (isCodecError(channelId)) return { kind: 'error', error: channelId.error };
    const reason = parseNonEmpty(reasonEl);
    if (isCodecError(reason)) return { kind: 'error', error: reason.error };
    return { kind: 'channelTerminated', channelId, reason };
  }
  if (rootType !== 'SubscriptionEvent') {
    // Root-level types we do not model (e.g. ErrorEvent): no eventID, nothing to acknowledge.
    return { kind: 'unknownEvent', eventType: rootType };
  }

  const idEl = child(root, 'eventID');
  const eventId = idEl === undefined ? idEl : parseNonEmpty(idEl);
  if (eventId === undefined || isCodecError(eventId)) return { kind: 'error', error: 'SubscriptionEvent without a valid <eventID>' };
  const fail = (error: string): StreamDocument => ({ kind: 'error', error, eventId });

  const dataEl = child(root, 'eventData');
  if (dataEl === undefined) return fail('SubscriptionEvent without <eventData>');
  const dataType = schemaType(dataEl);
  if (dataType === undefined) return fail('<eventData> without an xsi:type (XMLSchema-instance) attribute');
  if (!MODELLED_EVENT_TYPES.includes(dataType)) return { kind: 'unknownEvent', eventId, eventType: dataType };

  const envelope = readEnvelope(root, eventId);
  if (isCodecError(envelope)) return fail(envelope.error);
  const data = readEventData(dataEl, dataType);
  if (isCodecError(data)) return fail(`${dataType}: ${data.error}`);
  return { kind: 'event', event: { ...envelope, ...data } as XsiEvent };
}

const MODELLED_EVENT_TYPES: readonly string[] = [
  'AgentSubscriptionEvent',
  'AgentStateEvent',
  'CallForwardingAlwaysEvent',
  'HotelingGuestEvent',
  'SubscriptionTerminatedEvent',
];

function readEnvelope(root: XmlElement, eventId: string): XsiEventEnvelope | XsiCodecError {
  const seqEl = child(root, 'sequenceNumber');
  if (seqEl === undefined) return { error: 'SubscriptionEvent without <sequenceNumber>' };
  const sequenceNumber = parseInteger(seqEl, 1, MAX_INT);
  if (isCodecError(sequenceNumber)) return sequenceNumber;
  const subEl = child(root, 'subscriptionId');
  if (subEl === undefined) return { error: 'SubscriptionEvent without <subscriptionId>' };
  const subscriptionId = parseNonEmpty(subEl);
  if (isCodecError(subscriptionId)) return subscriptionId;
  // targetId is optional in the XSD and absent on self-subscriptions: the target is then the owner.
  const targetEl = child(root, 'targetId') ?? child(root, 'userId');
  if (targetEl === undefined) return { error: 'SubscriptionEvent without <targetId> or <userId>' };
  const targetId = parseNonEmpty(targetEl);
  if (isCodecError(targetId)) return targetId;
  return { eventId, sequenceNumber, subscriptionId, targetId };
}

type EventDataFields = Omit<XsiEvent, keyof XsiEventEnvelope>;

function readEventData(data: XmlElement, type: string): EventDataFields | XsiCodecError {
  switch (type) {
    case 'AgentStateEvent':
    case 'AgentSubscriptionEvent': {
      const infoName = type === 'AgentStateEvent' ? 'agentStateInfo' : 'stateInfo';
      const info = child(data, infoName);
      if (info === undefined) return { error: `without <${infoName}>` };
      const stateInfo = readAgentStateInformation(info);
      if (isCodecError(stateInfo)) return stateInfo;
      return { type, ...stateInfo } as EventDataFields;
    }
    case 'CallForwardingAlwaysEvent':
    case 'HotelingGuestEvent': {
      if (child(data, 'unassigned') !== undefined) return { error: 'the service is unassigned from the target' };
      const info = child(data, 'info');
      if (info === undefined) return { error: 'without <info>' };
      const read = type === 'CallForwardingAlwaysEvent' ? readForwarding(info) : readHotelingGuest(info);
      if (isCodecError(read)) return read;
      return { type, info: read } as EventDataFields;
    }
    default:
      return { type: 'SubscriptionTerminatedEvent' };
  }
}

function readAgentStateInformation(info: XmlElement): { state: AgentACDState; stateTimestamp?: number } | XsiCodecError {
  const stateEl = child(info, 'state');
  if (stateEl === undefined) return { error: 'agent state information without <state>' };
  const state = simpleText(stateEl);
  if (isCodecError(state)) return state;
  if (!(AGENT_ACD_STATES as readonly string[]).includes(state)) {
    return { error: `<state> must be an AgentState (exact case), got "${state}"` };
  }
  const out: { state: AgentACDState; stateTimestamp?: number } = { state: state as AgentACDState };
  const tsEl = child(info, 'stateTimestamp');
  if (tsEl !== undefined) {
    // R19+ wraps the milliseconds in <value>; older releases put the bare number (§1.1).
    const valueEl = tsEl.children.length > 0 ? child(tsEl, 'value') : tsEl;
    if (valueEl === undefined) return { error: '<stateTimestamp> without <value>' };
    const ts = parseInteger(valueEl, 0, Number.MAX_SAFE_INTEGER);
    if (isCodecError(ts)) return ts;
    out.stateTimestamp = ts;
  }
  return out;
}
