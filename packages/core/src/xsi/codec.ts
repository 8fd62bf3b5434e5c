/**
 * The Xsi wire codec's public surface (reference/xsi.md §1–§6): everything the adapter (csta-bw
 * talking to a real XSP) and the simulator's HTTP server need, and nothing else.
 *
 * Files behind it, one concept each:
 *   xml.ts      safe parsing of untrusted XML into a namespace-resolved tree; escaping
 *   stream.ts   splitting the event-channel stream into whole documents
 *   services.ts the Actions service documents (CallCenter, CallForwardingAlways, Hoteling…)
 *   events.ts   channel / subscription / eventresponse bodies and event documents
 *   actions.ts  commands on HTTP: paths, methods, bodies, answers
 *   directory.ts Group/Enterprise directory search: query parameters and the paged answer
 * Every public function returns a value; failures are `{ error }` (or an `XsiOutcome`
 * transport error / a `{ kind: 'error' }` stream document), never a throw.
 */
export { XSI_NAMESPACE, XML_SCHEMA_INSTANCE_NAMESPACE, XML_DECLARATION as XSI_XML_DECLARATION, isCodecError as isXsiCodecError, textElement, escapeText, escapeAttribute, parseXmlDocument } from './xml.js';
export type { XmlElement, XmlAttribute } from './xml.js';
export type { XsiCodecError } from './xml.js';

export { createDocumentSplitter, feedDocuments, DEFAULT_MAX_DOCUMENT_CHARS } from './stream.js';
export type { DocumentSplitterState, DocumentSplitterOptions, DocumentFeedResult } from './stream.js';

export {
  encodeCallCenter,
  encodeForwarding,
  encodeHotelingGuest,
  encodeHotelingHost,
  encodeProfile,
  encodeHotelingHosts,
  encodeErrorInfo,
  decodeHotelingHosts,
  encodeDoNotDisturb,
  encodeRemoteOffice,
} from './services.js';
export type { CallCenterInfo, CallCenterUpdate, ForwardingUpdate, HotelingGuestUpdate, HotelingHostUpdate, DoNotDisturbUpdate, RemoteOfficeUpdate } from './services.js';

export { parseUnavailableCodesPath, encodeUnavailableCodes, decodeUnavailableCodes } from './unavailableCodes.js';
export type { AgentUnavailableCodes, UnavailableCodeDetail, UnavailableCodesPath } from './unavailableCodes.js';

export {
  encodeChannelRequest,
  encodeChannelUpdate,
  encodeSubscriptionRequest,
  encodeSubscriptionRefresh,
  encodeEventResponse,
  decodeChannelRequest,
  decodeChannelUpdate,
  decodeSubscriptionRequest,
  decodeSubscriptionRefresh,
  decodeEventResponse,
  encodeChannel,
  encodeSubscriptionResponse,
  encodeSubscription,
  HEARTBEAT_DOCUMENT,
  encodeChannelTerminated,
  encodeEvent,
  decodeStreamDocument,
  EVENT_RESPONSE_STATUS_CODES,
} from './events.js';
export type {
  ChannelRequest,
  SubscriptionRequest,
  DecodedSubscriptionRequest,
  SubscriptionInfo,
  EventResponse,
  EventResponseStatusCode,
  ChannelTerminatedReason,
  StreamDocument,
  EventEnvelopeExtras,
  SubscriptionTargetType,
} from './events.js';

export {
  encodeCommandRequest,
  decodeCommandResponse,
  parseActionsPath,
  decodeCommandBody,
  DEFAULT_ACTIONS_BASE_PATH,
  DEFAULT_EVENTS_BASE_PATH,
} from './actions.js';
export type { XsiHttpRequest, CommandRequestOptions, ActionsResource, ActionsPath, ActionsPathError, CommandBodies } from './actions.js';

export {
  DIRECTORY_NAMES,
  DIRECTORY_SEARCH_FIELDS,
  checkDirectoryQuery,
  directoryQueryString,
  directoryRequestPath,
  parseDirectoryQuery,
  queryParameters,
  encodeDirectory,
  readDirectory,
  decodeDirectory,
} from './directory.js';
export type { DirectoryPageBody } from './directory.js';
