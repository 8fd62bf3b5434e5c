/**
 * When the simulator speaks JSON (reference/xsi.md §1.4): a request asks for JSON answers with
 * `?format=json` or an `Accept` that prefers `application/json` over XML; it sends a JSON body
 * with `Content-Type: application/json` (or `?format=json` and a body that is a JSON object).
 * A response marked here is converted from XML to BadgerFish at the last moment (httpIo.sendXml),
 * so every route — answers and ErrorInfo alike — follows without knowing. The event channel's
 * stream is written directly, never converted: events stay XML, as on BroadWorks.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const jsonAnswers = new WeakSet<ServerResponse>();

function formatParameter(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  return new URLSearchParams(url.slice(q + 1)).get('format')?.trim().toLowerCase();
}

const mediaType = (header: string | undefined): string => (header ?? '').split(';')[0]!.trim().toLowerCase();

/** `?format=json` (or `xml`) decides; else the first of JSON and XML the Accept header names. */
export function wantsJson(req: IncomingMessage): boolean {
  const format = formatParameter(req.url ?? '');
  if (format === 'json') return true;
  if (format === 'xml') return false;
  const accept = (req.headers.accept ?? '').toLowerCase();
  const json = accept.indexOf('application/json');
  if (json < 0) return false;
  const xml = [accept.indexOf('application/xml'), accept.indexOf('text/xml')].filter((i) => i >= 0);
  return xml.every((i) => json < i);
}

export function sendsJson(req: IncomingMessage, body: string): boolean {
  const type = mediaType(req.headers['content-type']);
  if (type === 'application/json' || type.endsWith('+json')) return true;
  if (type.includes('xml')) return false;
  return formatParameter(req.url ?? '') === 'json' && body.trimStart().startsWith('{');
}

export function answerInJson(res: ServerResponse): void {
  jsonAnswers.add(res);
}

export function isJsonAnswer(res: ServerResponse): boolean {
  return jsonAnswers.has(res);
}
