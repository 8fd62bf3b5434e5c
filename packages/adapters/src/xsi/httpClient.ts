/**
 * One Xsi HTTP exchange with an XSP: Basic auth, redirects, a deadline, a bounded body.
 *
 * Theory of operation (reference/xsi.md §1.3, §1.4, §6, §8)
 * - Every request carries `Authorization: Basic …`, built once from the credentials; the header
 *   is never logged and never appears in an error text.
 * - An XSP behind a load-balanced FQDN answers 302 with the node to use: we follow up to
 *   MAX_REDIRECTS hops, re-sending the credentials, and report the final URL so the event
 *   channel can pin its node (heartbeats and acks must reach the node that holds the stream).
 * - `requestHead` resolves once the status line and headers are in (the event channel keeps
 *   reading the body as a stream); `sendRequest` also reads the body, bounded by
 *   `maxBodyBytes` (a 10 MB answer is cut off at once, not buffered) and by the same deadline
 *   as the head, so a stalled answer ends as `{ transportError }` rather than a hang.
 * - Nothing here rejects: failures are `{ transportError }` values with a readable reason.
 */
import http from 'node:http';
import https from 'node:https';

export interface XsiConnection {
  baseUrl: URL;
  /** `Basic base64(user:password)`; kept here so no caller handles the password again. */
  authorization: string;
  requestTimeoutMs: number;
  maxBodyBytes: number;
  /** Keep-alive pool for commands; the event stream uses a connection of its own. */
  agent: http.Agent;
  httpsAgent: https.Agent;
}

export interface XsiConnectionOptions {
  baseUrl: string;
  user: string;
  password: string;
  requestTimeoutMs?: number;
  maxBodyBytes?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;
export const MAX_REDIRECTS = 5;

export type TransportFailure = { transportError: string };

export interface HttpHead {
  status: number;
  contentType: string | undefined;
  /** Where the request finally landed, after redirects. */
  url: URL;
  response: http.IncomingMessage;
  request: http.ClientRequest;
}

export interface HttpAnswer {
  status: number;
  contentType: string | undefined;
  body: string;
  url: URL;
}

export function createXsiConnection(opts: XsiConnectionOptions): XsiConnection | TransportFailure {
  let baseUrl: URL;
  try {
    baseUrl = new URL(opts.baseUrl);
  } catch {
    return { transportError: `bad XSP base URL "${opts.baseUrl}"` };
  }
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    return { transportError: `XSP base URL must be http: or https:, got ${baseUrl.protocol}` };
  }
  // Credentials travel only in the Authorization header, never in a URL that may be logged.
  baseUrl.username = '';
  baseUrl.password = '';
  return {
    baseUrl,
    authorization: `Basic ${Buffer.from(`${opts.user}:${opts.password}`, 'utf8').toString('base64')}`,
    requestTimeoutMs: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    agent: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
}

export function closeXsiConnection(conn: XsiConnection): void {
  conn.agent.destroy();
  conn.httpsAgent.destroy();
}

export function isTransportFailure(x: unknown): x is TransportFailure {
  return typeof x === 'object' && x !== null && 'transportError' in x;
}

export interface RequestSpec {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  url: URL;
  body?: string;
  /** A dedicated connection (the event stream) instead of the keep-alive pool. */
  ownConnection?: boolean;
  /** Overrides the connection's deadline for reaching the head. */
  timeoutMs?: number;
}

/** Send a request and wait for status and headers, following redirects. */
export function requestHead(conn: XsiConnection, spec: RequestSpec): Promise<HttpHead | TransportFailure> {
  const deadline = Date.now() + (spec.timeoutMs ?? conn.requestTimeoutMs);
  return followRedirects(conn, spec, spec.url, deadline, 0);
}

async function followRedirects(conn: XsiConnection, spec: RequestSpec, url: URL, deadline: number, hops: number): Promise<HttpHead | TransportFailure> {
  const head = await oneRequest(conn, spec, url, deadline);
  if (isTransportFailure(head)) return head;
  if (![301, 302, 303, 307, 308].includes(head.status)) return head;
  const location = head.response.headers.location;
  head.response.resume(); // a redirect's body is not ours to read
  if (location === undefined) return { transportError: `bad XSP answer: ${head.status} without a Location header` };
  if (hops >= MAX_REDIRECTS) return { transportError: `bad XSP answer: more than ${MAX_REDIRECTS} redirects` };
  let next: URL;
  try {
    next = new URL(location, url);
  } catch {
    return { transportError: `bad XSP answer: unusable redirect Location "${location.slice(0, 100)}"` };
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return { transportError: `bad XSP answer: redirect to ${next.protocol}` };
  const redirected: RequestSpec = head.status === 303 ? { ...spec, method: 'GET', url: next } : { ...spec, url: next };
  if (head.status === 303) delete redirected.body;
  return followRedirects(conn, redirected, next, deadline, hops + 1);
}

function oneRequest(conn: XsiConnection, spec: RequestSpec, url: URL, deadline: number): Promise<HttpHead | TransportFailure> {
  return new Promise((resolve) => {
    const body = spec.body === undefined ? undefined : Buffer.from(spec.body, 'utf8');
    const headers: http.OutgoingHttpHeaders = { authorization: conn.authorization, accept: 'application/xml, text/xml' };
    if (body !== undefined) {
      headers['content-type'] = 'application/xml; charset=UTF-8';
      headers['content-length'] = body.length;
    } else if (spec.method === 'PUT' || spec.method === 'POST') {
      headers['content-length'] = 0;
    }
    const secure = url.protocol === 'https:';
    const agent = spec.ownConnection ? false : secure ? conn.httpsAgent : conn.agent;
    let settled = false;
    const settle = (v: HttpHead | TransportFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const request = (secure ? https : http).request(url, { method: spec.method, headers, agent });
    const timer = setTimeout(() => {
      settle({ transportError: `no answer from the XSP within ${Math.round(spec.timeoutMs ?? conn.requestTimeoutMs)} ms (${spec.method} ${url.pathname})` });
      request.destroy();
    }, Math.max(0, deadline - Date.now()));
    request.on('error', (err) => settle({ transportError: `${spec.method} ${url.pathname}: ${describeError(err)}` }));
    request.on('response', (response) => {
      const contentType = response.headers['content-type'];
      settle({ status: response.statusCode ?? 0, contentType, url, response, request });
    });
    request.end(body);
  });
}

/** Send a request and read its whole (bounded) answer before the deadline. */
export async function sendRequest(conn: XsiConnection, spec: RequestSpec): Promise<HttpAnswer | TransportFailure> {
  const started = Date.now();
  const head = await requestHead(conn, spec);
  if (isTransportFailure(head)) return head;
  const left = (spec.timeoutMs ?? conn.requestTimeoutMs) - (Date.now() - started);
  const body = await readBody(head, conn.maxBodyBytes, left);
  if (isTransportFailure(body)) return body;
  return { status: head.status, contentType: head.contentType, body, url: head.url };
}

/** The body as text, or a failure once it exceeds `maxBytes`, stalls past `timeoutMs`, or breaks. */
export function readBody(head: HttpHead, maxBytes: number, timeoutMs: number): Promise<string | TransportFailure> {
  const { response, request } = head;
  return new Promise((resolve) => {
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      request.destroy();
      resolve(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (v: string | TransportFailure): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const timer = setTimeout(() => {
      settle({ transportError: `the XSP's answer stalled (body not complete within the request timeout)` });
      request.destroy();
    }, Math.max(0, timeoutMs));
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        settle(tooLarge(maxBytes));
        request.destroy(); // stop reading now: memory stays bounded
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => settle(decodeText(Buffer.concat(chunks), head.contentType)));
    response.on('error', (err) => settle({ transportError: `reading the XSP's answer: ${describeError(err)}` }));
    // 'close' after 'end' is a no-op; 'close' before it means the connection broke mid-answer.
    response.on('close', () => settle({ transportError: `the XSP closed the connection mid-answer` }));
  });
}

function tooLarge(maxBytes: number): TransportFailure {
  return { transportError: `bad XSP answer: body larger than ${maxBytes} bytes` };
}

/**
 * Actions answers may be ISO-8859-1 (reference/xsi.md §1.4): honour the charset of the
 * Content-Type, else of the XML declaration, else UTF-8.
 */
export function decodeText(bytes: Buffer, contentType: string | undefined): string {
  const fromHeader = /charset\s*=\s*"?([A-Za-z0-9._:-]+)/i.exec(contentType ?? '')?.[1];
  const fromDeclaration = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(bytes.subarray(0, 200).toString('latin1'))?.[1];
  const charset = (fromHeader ?? fromDeclaration ?? 'utf-8').toLowerCase();
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8'); // an unknown charset label: UTF-8 is the Xsi default
  }
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code !== undefined ? `${code} ${err.message}` : err.message;
  }
  return String(err);
}

/** `base` + an absolute Xsi path; the path is already URL-encoded by the codec. */
export function xsiUrl(base: URL, path: string): URL {
  const prefix = base.pathname.endsWith('/') ? base.pathname.slice(0, -1) : base.pathname;
  const url = new URL(base.href);
  const [p, q] = path.split('?', 2) as [string, string | undefined];
  url.pathname = prefix + p;
  url.search = q === undefined ? '' : `?${q}`;
  return url;
}
