/**
 * The HTTP plumbing the simulator's routes share: reading a bounded request body, reading Basic
 * credentials, and writing XML / ErrorInfo / JSON answers.
 *
 * Theory of operation
 * - A body larger than `MAX_BODY_BYTES` is drained (so the client can read our answer instead of
 *   seeing a reset) and answered 413; past `DRAIN_LIMIT_BYTES` we stop draining and drop the
 *   connection, so a hostile client cannot keep us busy forever.
 * - Every Xsi error answer carries an `ErrorInfo` body. The model's codes (model/errors.ts) cover
 *   the BroadWorks rules; the few answers that only the HTTP layer gives (unknown path, wrong
 *   method, body too large) have codes of their own in `HTTP_ERRORS`, also documented in the README.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeErrorInfo, type ErrorInfo } from '@csta-bw/core';
import { xspError, type XspErrorName, type XspErrorOutcome } from '../model/errors.js';
import { xmlToBadgerFish } from './badgerFish.js';
import { isJsonAnswer } from './jsonFormat.js';

export const MAX_BODY_BYTES = 64 * 1024;
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

export const XML_CONTENT_TYPE = 'application/xml;charset=UTF-8';
export const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';
export const REALM_CHALLENGE = 'Basic realm="XtendedServicesInterface"';

/** ErrorInfo codes of the HTTP layer (stable, never renumbered). */
export const HTTP_ERRORS = {
  NO_SUCH_RESOURCE: { code: 110501, status: 404, text: 'No Xsi resource at this path' },
  METHOD_NOT_ALLOWED: { code: 110502, status: 405, text: 'Method not allowed on this resource' },
  BODY_TOO_LARGE: { code: 110503, status: 413, text: `Request body larger than ${MAX_BODY_BYTES} bytes` },
  MALFORMED_REQUEST: { code: 110504, status: 400, text: 'Malformed request' },
} as const;

export type HttpErrorName = keyof typeof HTTP_ERRORS;

export function httpError(name: HttpErrorName, detail?: string): XspErrorOutcome {
  const e = HTTP_ERRORS[name];
  const text = detail === undefined ? e.text : `${e.text}: ${detail}`;
  return { status: e.status, body: { kind: 'ErrorInfo', error: { summary: text, summaryEnglish: text, errorCode: e.code } } };
}

export { xspError, type XspErrorName };

export type BodyResult = { ok: true; text: string } | { ok: false; tooLarge: true };

/** Reads the whole body as UTF-8, up to MAX_BODY_BYTES (see the header for larger bodies). */
export function readBody(req: IncomingMessage): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (r: BodyResult): void => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) {
        finish({ ok: false, tooLarge: true });
        req.socket.destroy();
      }
    });
    req.on('end', () => finish(size > MAX_BODY_BYTES ? { ok: false, tooLarge: true } : { ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => finish({ ok: false, tooLarge: true }));
    req.on('close', () => finish(size > MAX_BODY_BYTES ? { ok: false, tooLarge: true } : { ok: true, text: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** `Authorization: Basic …` → user and password; undefined when absent or malformed. */
export function basicCredentials(req: IncomingMessage): { userId: string; password: string } | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { userId: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function canWrite(res: ServerResponse): boolean {
  return !res.headersSent && !res.writableEnded && !res.destroyed;
}

/** An XML answer — in BadgerFish JSON when the request asked for JSON (jsonFormat.ts). */
export function sendXml(res: ServerResponse, status: number, xml: string): void {
  if (!canWrite(res)) return;
  if (isJsonAnswer(res)) {
    const json = xmlToBadgerFish(xml);
    // Our own documents always parse; should one not, the XML goes out rather than nothing.
    if (!('error' in json && typeof json.error === 'string')) {
      const text = JSON.stringify(json);
      res.writeHead(status, { 'Content-Type': JSON_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
      return void res.end(text);
    }
  }
  res.writeHead(status, { 'Content-Type': XML_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(xml) });
  res.end(xml);
}

/** 200 with no body (successful PUT/DELETE/heartbeat/eventresponse, reference §6). */
export function sendEmpty(res: ServerResponse, status = 200): void {
  if (!canWrite(res)) return;
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

export function sendErrorInfo(res: ServerResponse, status: number, error: ErrorInfo): void {
  if (!canWrite(res)) return;
  if (status === 401) res.setHeader('WWW-Authenticate', REALM_CHALLENGE);
  sendXml(res, status, encodeErrorInfo(error));
}

export function sendOutcomeError(res: ServerResponse, outcome: XspErrorOutcome): void {
  sendErrorInfo(res, outcome.status, outcome.body.error);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (!canWrite(res)) return;
  const text = `${JSON.stringify(value, null, 2)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** The path without query, split into segments (URL-decoding is left to the caller). */
export function pathSegments(path: string): string[] {
  const segments = path.split(/[?#]/)[0]!.split('/').slice(1);
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop();
  return segments;
}
