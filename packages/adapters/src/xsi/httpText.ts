/**
 * HTTP/1.1 messages as bytes, without sockets: what the Xsi client and the XSP say to each other
 * when nothing but an in-memory pipe is between them (the explorer's wire world). The live path
 * uses node:http; this is the same protocol written out, so an exchange explored on virtual time
 * is real HTTP text — request line, headers, Content-Length or chunked bodies.
 *
 * Theory of operation (RFC 9112, the parts Xsi uses)
 * - A message is a start line, header lines, an empty line, then the body: `Content-Length`
 *   bytes, or (a streaming answer: the event channel) `Transfer-Encoding: chunked` — hex size,
 *   CRLF, data, CRLF, ended by a zero-size chunk.
 * - Decoding is strict: a missing CRLFCRLF, a bad start line, a header without a colon, a body
 *   shorter or longer than declared is an error with a reason, never a guess.
 * - `ChunkedBody` reads a chunked body fed in arbitrary pieces (a chunk header split across two
 *   reads is kept until it is whole).
 */

export interface HttpMessageHead {
  /** Request: method and target; response: status. */
  method?: string;
  target?: string;
  status?: number;
  /** Header names lower-cased. */
  headers: Map<string, string>;
}

export interface HttpRequestText { method: string; target: string; headers: Record<string, string>; body?: string }
export interface HttpResponseText { status: number; headers: Record<string, string>; body?: string }

const CRLF = '\r\n';
const REASONS: Record<number, string> = { 200: 'OK', 302: 'Found', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 500: 'Internal Server Error', 503: 'Service Unavailable' };
const utf8 = new TextEncoder();

function headerLines(headers: Record<string, string>, body: string | undefined, chunked = false): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  if (chunked) lines.push('Transfer-Encoding: chunked');
  else lines.push(`Content-Length: ${body === undefined ? 0 : utf8.encode(body).byteLength}`);
  return lines.join(CRLF);
}

export function encodeHttpRequest(r: HttpRequestText): Uint8Array {
  return utf8.encode(`${r.method} ${r.target} HTTP/1.1${CRLF}${headerLines(r.headers, r.body)}${CRLF}${CRLF}${r.body ?? ''}`);
}

export function encodeHttpResponse(r: HttpResponseText): Uint8Array {
  return utf8.encode(`HTTP/1.1 ${r.status} ${REASONS[r.status] ?? 'Status'}${CRLF}${headerLines(r.headers, r.body)}${CRLF}${CRLF}${r.body ?? ''}`);
}

/** The head of a streaming answer: the body follows as chunks (`encodeChunk`). */
export function encodeChunkedResponseHead(status: number, headers: Record<string, string>): Uint8Array {
  return utf8.encode(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Status'}${CRLF}${headerLines(headers, undefined, true)}${CRLF}${CRLF}`);
}

export function encodeChunk(text: string): Uint8Array {
  const data = utf8.encode(text);
  const head = utf8.encode(`${data.byteLength.toString(16)}${CRLF}`);
  const out = new Uint8Array(head.byteLength + data.byteLength + 2);
  out.set(head, 0);
  out.set(data, head.byteLength);
  out.set(utf8.encode(CRLF), head.byteLength + data.byteLength);
  return out;
}

export type Decoded<T> = T | { error: string };

/** Splits a whole message into its head and body bytes (the body checked against Content-Length). */
function splitMessage(bytes: Uint8Array): Decoded<{ startLine: string; headers: Map<string, string>; body: string }> {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const end = text.indexOf(`${CRLF}${CRLF}`);
  if (end < 0) return { error: 'no end of headers (CRLFCRLF)' };
  const [startLine, ...lines] = text.slice(0, end).split(CRLF);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `bad header line "${line.slice(0, 60)}"` };
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const bodyBytes = bytes.subarray(utf8.encode(text.slice(0, end + 4)).byteLength);
  const declared = headers.get('content-length');
  if (declared === undefined) {
    if (bodyBytes.byteLength > 0) return { error: 'a body without Content-Length' };
  } else if (!/^\d+$/.test(declared) || Number(declared) !== bodyBytes.byteLength) {
    return { error: `Content-Length ${declared} but ${bodyBytes.byteLength} body bytes` };
  }
  return { startLine: startLine!, headers, body: new TextDecoder().decode(bodyBytes) };
}

export function decodeHttpRequest(bytes: Uint8Array): Decoded<{ method: string; target: string; headers: Map<string, string>; body: string }> {
  const m = splitMessage(bytes);
  if ('error' in m) return m;
  const start = /^([A-Z]+) (\S+) HTTP\/1\.1$/.exec(m.startLine);
  if (!start) return { error: `bad request line "${m.startLine.slice(0, 80)}"` };
  return { method: start[1]!, target: start[2]!, headers: m.headers, body: m.body };
}

export function decodeHttpResponse(bytes: Uint8Array): Decoded<{ status: number; headers: Map<string, string>; contentType: string | undefined; body: string }> {
  const m = splitMessage(bytes);
  if ('error' in m) return m;
  const start = /^HTTP\/1\.1 (\d{3})(?: .*)?$/.exec(m.startLine);
  if (!start) return { error: `bad status line "${m.startLine.slice(0, 80)}"` };
  return { status: Number(start[1]), headers: m.headers, contentType: m.headers.get('content-type'), body: m.body };
}

/** A chunked body read in arbitrary pieces: `feed` returns the data bytes now complete. */
export class ChunkedBody {
  private buffer = new Uint8Array(0);
  private ended = false;

  /** The zero-size chunk came: the body (the stream) is over. */
  get done(): boolean {
    return this.ended;
  }

  feed(piece: Uint8Array): Decoded<{ data: Uint8Array }> {
    const joined = new Uint8Array(this.buffer.byteLength + piece.byteLength);
    joined.set(this.buffer, 0);
    joined.set(piece, this.buffer.byteLength);
    const parts: Uint8Array[] = [];
    let at = 0;
    while (!this.ended) {
      const lineEnd = indexOfCrlf(joined, at);
      if (lineEnd < 0) break;
      const sizeText = new TextDecoder().decode(joined.subarray(at, lineEnd));
      if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) return { error: `bad chunk size "${sizeText.slice(0, 20)}"` };
      const size = parseInt(sizeText, 16);
      const dataStart = lineEnd + 2;
      if (joined.byteLength < dataStart + size + 2) break;
      if (joined[dataStart + size] !== 13 || joined[dataStart + size + 1] !== 10) return { error: 'chunk data not followed by CRLF' };
      if (size === 0) this.ended = true;
      else parts.push(joined.subarray(dataStart, dataStart + size));
      at = dataStart + size + 2;
    }
    this.buffer = joined.slice(at);
    const total = parts.reduce((n, p) => n + p.byteLength, 0);
    const data = new Uint8Array(total);
    let o = 0;
    for (const p of parts) { data.set(p, o); o += p.byteLength; }
    return { data };
  }
}

function indexOfCrlf(b: Uint8Array, from: number): number {
  for (let i = from; i + 1 < b.byteLength; i++) if (b[i] === 13 && b[i + 1] === 10) return i;
  return -1;
}

/** `Authorization` for HTTP Basic (reference/xsi.md §1.3). */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** The credentials of a Basic `Authorization` header, or undefined. */
export function basicCredentialsOf(header: string | undefined): { userId: string; password: string } | undefined {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon <= 0 ? undefined : { userId: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
