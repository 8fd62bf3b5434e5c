/**
 * Request framing: which requests the server reads, and which it refuses because their length is
 * ambiguous (request smuggling, RFC 9112 §6.1, §6.3).
 *
 * Theory of operation
 * - Node's strict parser refuses request lines and headers that end in a bare LF, which a
 *   BroadWorks R20 raw-socket client sends (RFC 9112 §2.2 allows a server to accept them). The
 *   server therefore runs Node's lenient parser (`insecureHTTPParser`). Being lenient, that parser
 *   also accepts Content-Length together with Transfer-Encoding (and then reads the body as
 *   chunked), and Transfer-Encodings other than `chunked`: the two ways one request can hide
 *   another. `framingProblem` puts that check back: such a request is answered 400 with an
 *   ErrorInfo and its connection is closed — and marked, so that a request the parser already
 *   read behind it on the same connection is dropped unanswered, never executed.
 * - What the parser still refuses (two different Content-Lengths, bytes that are not HTTP) ends in
 *   `clientError`; `clientErrorAnswer` gives it an ErrorInfo body too.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { encodeErrorInfo } from '@csta-bw/core';
import { httpError, XML_CONTENT_TYPE } from './httpIo.js';

/** Connections that carried an ambiguous request: nothing more is read from them. */
const poisoned = new WeakSet<Socket>();

/** Why the request's length is ambiguous, or undefined when it is not. */
export function framingProblem(req: IncomingMessage): string | undefined {
  const lengths: string[] = [];
  const encodings: string[] = [];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'content-length') lengths.push(raw[i + 1]!.trim());
    else if (name === 'transfer-encoding') encodings.push(raw[i + 1]!.trim().toLowerCase());
  }
  if (encodings.length > 0 && lengths.length > 0) return 'Content-Length and Transfer-Encoding together make the body length ambiguous';
  if (encodings.length > 0 && (encodings.length > 1 || encodings[0] !== 'chunked')) {
    return `Transfer-Encoding "${encodings.join(', ')}" is not supported (only chunked)`;
  }
  if (lengths.some((l) => !/^[0-9]+$/.test(l)) || new Set(lengths).size > 1) return `conflicting or malformed Content-Length: ${lengths.join(', ')}`;
  return undefined;
}

export function poison(socket: Socket): void {
  poisoned.add(socket);
}

export function isPoisoned(socket: Socket): boolean {
  return poisoned.has(socket);
}

/** The raw answer to a request the parser refused: 400, an ErrorInfo naming the parser's reason, close. */
export function clientErrorAnswer(reason: string): string {
  const xml = encodeErrorInfo(httpError('MALFORMED_REQUEST', `not a valid HTTP/1.1 request (${reason})`).body.error);
  return (
    'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n' +
    `Content-Type: ${XML_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(xml)}\r\n\r\n${xml}`
  );
}
