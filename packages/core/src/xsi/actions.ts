/**
 * Xsi commands on HTTP: which method, path and body a command becomes, what its answer means
 * (csta-bw → XSP), and how an XSP reads an Actions request (simulator side).
 *
 * Theory of operation
 * - Client side: `encodeCommandRequest` turns one `XsiCommand` into HTTP requests — one for
 *   every Actions command, one POST per event package for SUBSCRIBE (reference/xsi.md §5.5).
 *   Ids are URL-encoded; bodies are Actions documents (services.ts) in the Xsi default
 *   namespace, `null` written as `xsi:nil` (§1.6). `decodeCommandResponse` maps the answer to
 *   an `XsiOutcome`: 2xx with the expected document → its `XsiResultBody`; an error status →
 *   the status, with the `ErrorInfo` when the body is one (§1.7); a 2xx that is not the
 *   expected XML → `{ transportError: 'bad XSP answer: …' }` (the XSP answered, but we cannot
 *   know what it did, which is what a transport error means to the connector).
 * - Server side: `parseActionsPath` matches the fixed words case-insensitively and keeps the
 *   user id as sent, URL-decoded (§1.2); `decodeCommandBody` validates a PUT body strictly
 *   against the XSD shape (services.ts, `strict` mode).
 */
import { EVENT_PACKAGES, AGENT_ACD_STATES, type XsiCommand, type XsiOutcome, type XsiResultBody } from './types.js';
import {
  CALL_CENTER_FIELDS,
  FORWARDING_FIELDS,
  HOTELING_GUEST_FIELDS,
  HOTELING_HOST_FIELDS,
  DO_NOT_DISTURB_FIELDS,
  REMOTE_OFFICE_FIELDS,
  actionsDocument,
  decodeDoNotDisturbUpdate,
  decodeRemoteOfficeUpdate,
  readDoNotDisturb,
  readRemoteOffice,
  type DoNotDisturbUpdate,
  type RemoteOfficeUpdate,
  decodeCallCenterUpdate,
  decodeForwardingUpdate,
  decodeHotelingGuestUpdate,
  decodeHotelingHostUpdate,
  readCallCenter,
  readErrorInfo,
  readForwarding,
  readHotelingGuest,
  readHotelingHost,
  readProfile,
  type CallCenterUpdate,
  type ForwardingUpdate,
  type HotelingGuestUpdate,
  type HotelingHostUpdate,
} from './services.js';
import { encodeSubscriptionRequest } from './events.js';
import { directoryRequestPath, readDirectory } from './directory.js';
import { isCodecError, parseXmlDocument, type XmlElement, type XsiCodecError } from './xml.js';

export const DEFAULT_ACTIONS_BASE_PATH = '/com.broadsoft.xsi-actions/v2.0';
export const DEFAULT_EVENTS_BASE_PATH = '/com.broadsoft.xsi-events/v2.0';

export interface XsiHttpRequest {
  method: 'GET' | 'PUT' | 'POST';
  path: string;
  body?: string;
}

export interface CommandRequestOptions {
  /** Xsi-Actions base path (default `/com.broadsoft.xsi-actions/v2.0`). */
  basePath?: string;
  /** Xsi-Events base path for SUBSCRIBE (default `/com.broadsoft.xsi-events/v2.0`). */
  eventsBasePath?: string;
  /** SUBSCRIBE: the stable channel set the subscriptions deliver to (required for SUBSCRIBE). */
  channelSetId?: string;
  /** SUBSCRIBE: requested lifetime in seconds. */
  expires?: number;
  /** SUBSCRIBE: our applicationId. */
  applicationId?: string;
}

// ---------------------------------------------------------------------------------------------
// Client side

const SERVICE_OF: Readonly<Record<string, string>> = {
  'PUT CallCenter': 'CallCenter',
  'GET CallCenter': 'CallCenter',
  'PUT CallForwardingAlways': 'CallForwardingAlways',
  'GET CallForwardingAlways': 'CallForwardingAlways',
  'PUT HotelingGuest': 'HotelingGuest',
  'GET HotelingGuest': 'HotelingGuest',
  'PUT HotelingHost': 'HotelingHost',
  'GET HotelingHost': 'HotelingHost',
  'PUT DoNotDisturb': 'DoNotDisturb',
  'GET DoNotDisturb': 'DoNotDisturb',
  'PUT RemoteOffice': 'RemoteOffice',
  'GET RemoteOffice': 'RemoteOffice',
};

/** The HTTP request(s) for one command; an error only for a command that cannot be sent. */
export function encodeCommandRequest(cmd: XsiCommand, opts: CommandRequestOptions = {}): XsiHttpRequest[] | XsiCodecError {
  if (typeof cmd.userId !== 'string' || cmd.userId === '') return { error: `${cmd.op}: empty userId` };
  const user = encodeURIComponent(cmd.userId);
  const actions = `${trimSlash(opts.basePath ?? DEFAULT_ACTIONS_BASE_PATH)}/user/${user}`;
  switch (cmd.op) {
    case 'GET CallCenter':
    case 'GET CallForwardingAlways':
    case 'GET HotelingGuest':
    case 'GET HotelingHost':
    case 'GET DoNotDisturb':
    case 'GET RemoteOffice':
      return [{ method: 'GET', path: `${actions}/services/${SERVICE_OF[cmd.op]}` }];
    case 'GET profile':
      return [{ method: 'GET', path: `${actions}/profile` }];
    case 'PUT CallCenter':
      if (!AGENT_ACD_STATES.includes(cmd.body.agentACDState)) return { error: `PUT CallCenter: bad agentACDState "${String(cmd.body.agentACDState)}"` };
      if (typeof cmd.body.agentUnavailableCode === 'string' && !isUnavailableCode(cmd.body.agentUnavailableCode)) {
        return { error: `PUT CallCenter: agentUnavailableCode must be 1..10 characters without blanks, got "${cmd.body.agentUnavailableCode}"` };
      }
      return [put(`${actions}/services/CallCenter`, actionsDocument('CallCenter', cmd.body, CALL_CENTER_FIELDS))];
    case 'PUT CallForwardingAlways':
      return [put(`${actions}/services/CallForwardingAlways`, actionsDocument('CallForwardingAlways', cmd.body, FORWARDING_FIELDS))];
    case 'PUT HotelingGuest':
      return [put(`${actions}/services/HotelingGuest`, actionsDocument('HotelingGuest', cmd.body, HOTELING_GUEST_FIELDS))];
    case 'PUT HotelingHost':
      return [put(`${actions}/services/HotelingHost`, actionsDocument('HotelingHost', cmd.body, HOTELING_HOST_FIELDS))];
    case 'PUT DoNotDisturb':
      return [put(`${actions}/services/DoNotDisturb`, actionsDocument('DoNotDisturb', cmd.body, DO_NOT_DISTURB_FIELDS))];
    case 'PUT RemoteOffice':
      return [put(`${actions}/services/RemoteOffice`, actionsDocument('RemoteOffice', cmd.body, REMOTE_OFFICE_FIELDS))];
    case 'GET directory': {
      const path = directoryRequestPath(cmd, trimSlash(opts.basePath ?? DEFAULT_ACTIONS_BASE_PATH));
      return isCodecError(path) ? path : [{ method: 'GET', path }];
    }
    case 'SUBSCRIBE': {
      if (opts.channelSetId === undefined || opts.channelSetId === '') return { error: 'SUBSCRIBE needs opts.channelSetId' };
      if (cmd.packages.length === 0) return { error: 'SUBSCRIBE with no event packages' };
      const events = trimSlash(opts.eventsBasePath ?? DEFAULT_EVENTS_BASE_PATH);
      const path = cmd.group
        ? `${events}/serviceprovider/${encodeURIComponent(cmd.group.serviceProviderId)}/group/${encodeURIComponent(cmd.group.groupId)}`
        : `${events}/user/${user}`;
      const requests: XsiHttpRequest[] = [];
      for (const [i, pkg] of cmd.packages.entries()) {
        if (!EVENT_PACKAGES.includes(pkg)) return { error: `SUBSCRIBE: unknown event package "${String(pkg)}"` };
        if (cmd.packages.indexOf(pkg) !== i) return { error: `SUBSCRIBE: event package "${pkg}" listed twice` };
        const body = encodeSubscriptionRequest({
          packages: [pkg],
          channelSetId: opts.channelSetId,
          ...(opts.expires !== undefined ? { expires: opts.expires } : {}),
          ...(opts.applicationId !== undefined ? { applicationId: opts.applicationId } : {}),
        });
        requests.push({ method: 'POST', path, body });
      }
      return requests;
    }
    default:
      return { error: `unknown Xsi command ${String((cmd as { op: unknown }).op)}` };
  }
}

/** XSD `AgentUnavailableCode`: a token of 1..10 characters (no blanks). */
export function isUnavailableCode(code: string): boolean {
  return /^\S{1,10}$/.test(code);
}

function put(path: string, body: string): XsiHttpRequest {
  return { method: 'PUT', path, body };
}

function trimSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * What an HTTP answer to `cmd` means. For SUBSCRIBE, call it once per POST: each yields the one
 * `subscriptionId` it created.
 */
export function decodeCommandResponse(cmd: XsiCommand, status: number, contentType: string | undefined, body: string): XsiOutcome {
  if (!Number.isInteger(status) || status < 100 || status > 599) return badAnswer(`HTTP status ${String(status)}`);
  const text = typeof body === 'string' ? body : '';
  if (status >= 400) {
    // ErrorInfo when there is one; an HTML error page from a proxy is just the status.
    if (text.trim() === '' || !isXmlContentType(contentType)) return { status };
    const root = parseXmlDocument(text);
    if (isCodecError(root) || root.local !== 'ErrorInfo') return { status };
    const error = readErrorInfo(root);
    return isCodecError(error) ? { status } : { status, body: { kind: 'ErrorInfo', error } };
  }
  if (status >= 300 || status < 200) return { status }; // redirects are the HTTP client's business
  if (cmd.op.startsWith('PUT ')) return { status }; // 200, empty body (§1.6)

  if (!isXmlContentType(contentType)) return badAnswer(`content type "${String(contentType)}" for ${cmd.op}, expected XML`);
  const root = parseXmlDocument(text);
  if (isCodecError(root)) return badAnswer(`${cmd.op}: ${root.error}`);
  const result = readResultBody(cmd, root);
  return isCodecError(result) ? badAnswer(`${cmd.op}: ${result.error}`) : { status, body: result };
}

function readResultBody(cmd: XsiCommand, root: XmlElement): XsiResultBody | XsiCodecError {
  const expect = (name: string): XsiCodecError | undefined =>
    root.local === name ? undefined : { error: `expected <${name}>, got <${root.local}>` };
  switch (cmd.op) {
    case 'GET CallCenter': {
      const info = expect('CallCenter') ?? readCallCenter(root);
      if (isCodecError(info)) return info;
      return info.agentUnavailableCode === undefined
        ? { kind: 'CallCenter', agentACDState: info.agentACDState }
        : { kind: 'CallCenter', agentACDState: info.agentACDState, agentUnavailableCode: info.agentUnavailableCode };
    }
    case 'GET CallForwardingAlways': {
      const info = expect('CallForwardingAlways') ?? readForwarding(root);
      return isCodecError(info) ? info : { kind: 'CallForwardingAlways', info };
    }
    case 'GET HotelingGuest': {
      const info = expect('HotelingGuest') ?? readHotelingGuest(root);
      return isCodecError(info) ? info : { kind: 'HotelingGuest', info };
    }
    case 'GET HotelingHost': {
      const info = expect('HotelingHost') ?? readHotelingHost(root);
      return isCodecError(info) ? info : { kind: 'HotelingHost', info };
    }
    case 'GET DoNotDisturb': {
      const info = expect('DoNotDisturb') ?? readDoNotDisturb(root);
      return isCodecError(info) ? info : { kind: 'DoNotDisturb', info };
    }
    case 'GET RemoteOffice': {
      const info = expect('RemoteOffice') ?? readRemoteOffice(root);
      return isCodecError(info) ? info : { kind: 'RemoteOffice', info };
    }
    case 'GET profile': {
      const info = expect('Profile') ?? readProfile(root);
      return isCodecError(info) ? info : { kind: 'profile', info };
    }
    case 'GET directory': {
      const page = readDirectory(root, cmd.directory);
      return isCodecError(page) ? page : { kind: 'directory', ...page };
    }
    case 'SUBSCRIBE': {
      const wrong = expect('Subscription');
      if (wrong) return wrong;
      const id = root.children.find((c) => c.local === 'subscriptionId');
      const value = id?.children.length === 0 ? id.text.trim() : '';
      return value === '' ? { error: '<Subscription> without <subscriptionId>' } : { kind: 'Subscriptions', subscriptionIds: [value] };
    }
    default:
      return { error: 'no response body expected' };
  }
}

/** `application/xml`, `text/xml` or any `+xml` type, parameters ignored; absent is given the benefit of the doubt. */
function isXmlContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  return media === 'application/xml' || media === 'text/xml' || media.endsWith('+xml');
}

function badAnswer(why: string): XsiOutcome {
  return { transportError: `bad XSP answer: ${why}` };
}

// ---------------------------------------------------------------------------------------------
// Server side

export type ActionsResource =
  | 'CallCenter'
  | 'CallForwardingAlways'
  | 'HotelingGuest'
  | 'HotelingHost'
  | 'DoNotDisturb'
  | 'RemoteOffice'
  | 'profile'
  | 'directories/HotelingHosts';

export interface ActionsPath {
  userId: string;
  resource: ActionsResource;
}

/** A path that is not ours (404), a method the resource lacks (405), a malformed id (400). */
export interface ActionsPathError extends XsiCodecError {
  status: 400 | 404 | 405;
}

const SERVICES: Readonly<Record<string, ActionsResource>> = {
  callcenter: 'CallCenter',
  callforwardingalways: 'CallForwardingAlways',
  hotelingguest: 'HotelingGuest',
  hotelinghost: 'HotelingHost',
  donotdisturb: 'DoNotDisturb',
  remoteoffice: 'RemoteOffice',
};

export function parseActionsPath(method: string, path: string): ActionsPath | ActionsPathError {
  if (typeof path !== 'string' || !path.startsWith('/')) return { error: `not an absolute path: ${String(path)}`, status: 404 };
  const segments = path.split(/[?#]/)[0]!.split('/').slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop(); // trailing slash
  const [app, version, user, rawId, ...rest] = segments;
  const notFound = (): ActionsPathError => ({ error: `no Xsi-Actions resource at ${path}`, status: 404 });
  if (app?.toLowerCase() !== 'com.broadsoft.xsi-actions' || version?.toLowerCase() !== 'v2.0' || user?.toLowerCase() !== 'user') {
    return notFound();
  }
  if (rawId === undefined || rawId === '') return notFound();
  let userId: string;
  try {
    userId = decodeURIComponent(rawId);
  } catch {
    return { error: `malformed URL encoding in user id "${rawId}"`, status: 400 };
  }
  if (userId.includes('/')) return { error: `'/' is not allowed in a user id: "${userId}"`, status: 400 };

  let resource: ActionsResource | undefined;
  const words = rest.map((s) => s.toLowerCase());
  if (words.length === 2 && words[0] === 'services') resource = SERVICES[words[1]!];
  else if (words.length === 1 && words[0] === 'profile') resource = 'profile';
  else if (words.length === 2 && words[0] === 'directories' && words[1] === 'hotelinghosts') resource = 'directories/HotelingHosts';
  if (resource === undefined) return notFound();

  const allowed = resource === 'profile' || resource === 'directories/HotelingHosts' ? ['GET'] : ['GET', 'PUT'];
  const verb = typeof method === 'string' ? method.toUpperCase() : '';
  if (!allowed.includes(verb)) return { error: `method ${String(method)} not allowed on ${resource} (allowed: ${allowed.join(', ')})`, status: 405 };
  return { userId, resource };
}

/** PUT bodies per resource, as partial updates (absent = unchanged, null = xsi:nil). */
export interface CommandBodies {
  CallCenter: CallCenterUpdate;
  CallForwardingAlways: ForwardingUpdate;
  HotelingGuest: HotelingGuestUpdate;
  HotelingHost: HotelingHostUpdate;
  DoNotDisturb: DoNotDisturbUpdate;
  RemoteOffice: RemoteOfficeUpdate;
}

export function decodeCommandBody<R extends keyof CommandBodies>(resource: R, xml: string): CommandBodies[R] | XsiCodecError;
export function decodeCommandBody(resource: ActionsResource, xml: string): CommandBodies[keyof CommandBodies] | XsiCodecError;
export function decodeCommandBody(resource: ActionsResource, xml: string): CommandBodies[keyof CommandBodies] | XsiCodecError {
  switch (resource) {
    case 'CallCenter':
      return decodeCallCenterUpdate(xml);
    case 'CallForwardingAlways':
      return decodeForwardingUpdate(xml);
    case 'HotelingGuest':
      return decodeHotelingGuestUpdate(xml);
    case 'HotelingHost':
      return decodeHotelingHostUpdate(xml);
    case 'DoNotDisturb':
      return decodeDoNotDisturbUpdate(xml);
    case 'RemoteOffice':
      return decodeRemoteOfficeUpdate(xml);
    default:
      return { error: `${String(resource)} takes no request body (GET only)` };
  }
}
