/** Test fixtures for the HTTP server: a server on port 0, an Xsi request helper, a channel-stream reader. */
import { request } from 'node:http';
import { createDocumentSplitter, decodeStreamDocument, feedDocuments, type StreamDocument, type XsiEvent } from '@csta-bw/core';
import { startXspServer, type XspServer, type XspServerOptions } from '../../src/index.js';

export const ADMIN = 'admin@example.com';
export const SET = 'test-set';
export const ACTIONS = '/com.broadsoft.xsi-actions/v2.0';
export const EVENTS = '/com.broadsoft.xsi-events/v2.0';
export const ASYNC_CHANNEL = '/com.broadsoft.async/com.broadsoft.xsi-events/v2.0/channel';
export const XSI_NS = 'xmlns="http://schema.broadsoft.com/xsi"';
export const agent = (n: number) => `agent-${String(n).padStart(3, '0')}@example.com`;
export const desk = (n: number) => `desk-${n}@example.com`;

export function start(opts: XspServerOptions = {}): Promise<XspServer> {
  return startXspServer({ port: 0, seed: 7, ...opts });
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** One request; `user` null = no credentials; a user without password gets "secret". */
export async function call(server: XspServer, method: string, path: string, opts: { user?: string | null; password?: string; body?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  const user = opts.user === undefined ? ADMIN : opts.user;
  if (user !== null) headers['authorization'] = `Basic ${Buffer.from(`${user}:${opts.password ?? 'secret'}`).toString('base64')}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/xml; charset=UTF-8';
  const res = await fetch(server.url + path, { method, headers, ...(opts.body !== undefined ? { body: opts.body } : {}) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export function errorCodeOf(text: string): number | undefined {
  const m = /<ErrorInfo [^>]*>.*<errorCode>(\d+)<\/errorCode>/s.exec(text);
  return m ? Number(m[1]) : undefined;
}

export const channelBody = (set = SET, expires = 3600) => `<?xml version="1.0" encoding="UTF-8"?><Channel ${XSI_NS}><channelSetId>${set}</channelSetId><expires>${expires}</expires></Channel>`;
export const subscriptionBody = (pkg: string, set = SET) => `<Subscription ${XSI_NS}><event>${pkg}</event><expires>3600</expires><channelSetId>${set}</channelSetId></Subscription>`;
export const eventResponseBody = (eventId: string, code: number) => `<EventResponse ${XSI_NS}><eventID>${eventId}</eventID><statusCode>${code}</statusCode><reason>test</reason></EventResponse>`;

/** An open event channel: every chunk received, the documents decoded, and when the stream ended. */
export interface Channel {
  channelId: string;
  status: number;
  chunks: string[];
  documents: StreamDocument[];
  raw: string[];
  ended: Promise<void>;
  isEnded(): boolean;
  /** Resolves with the first document (from `from` on) matching `pred`; rejects after `ms`. */
  waitFor(pred: (d: StreamDocument) => boolean, ms?: number, from?: number): Promise<StreamDocument>;
  events(): XsiEvent[];
  destroy(): void;
}

export function openChannel(server: XspServer, opts: { user?: string; set?: string } = {}): Promise<Channel> {
  const user = opts.user ?? ADMIN;
  const body = channelBody(opts.set ?? SET);
  return new Promise((resolve, reject) => {
    const req = request(server.url + ASYNC_CHANNEL, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${user}:secret`).toString('base64')}`, 'content-length': Buffer.byteLength(body) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      res.setEncoding('utf8');
      let splitter = createDocumentSplitter();
      let ended = false;
      const waiters: Array<() => void> = [];
      const ch: Channel = {
        channelId: '',
        status: res.statusCode ?? 0,
        chunks: [],
        documents: [],
        raw: [],
        ended: new Promise((done) => res.on('close', () => {
          ended = true;
          done();
          waiters.forEach((w) => w());
        })),
        isEnded: () => ended,
        waitFor(pred, ms = 3000, from = 0) {
          return new Promise((ok, ko) => {
            const check = (): boolean => {
              const d = ch.documents.slice(from).find(pred);
              if (d) ok(d);
              return d !== undefined;
            };
            if (check()) return;
            const timer = setTimeout(() => ko(new Error(`no matching document within ${ms} ms; got ${JSON.stringify(ch.documents.map((x) => x.kind))}`)), ms);
            waiters.push(() => {
              if (check()) clearTimeout(timer);
            });
          });
        },
        events: () => ch.documents.flatMap((d) => (d.kind === 'event' ? [d.event] : [])),
        destroy: () => req.destroy(),
      };
      res.on('data', (chunk: string) => {
        ch.chunks.push(chunk);
        const fed = feedDocuments(splitter, chunk);
        splitter = fed.state;
        for (const doc of fed.documents) {
          ch.raw.push(doc);
          const decoded = decodeStreamDocument(doc);
          ch.documents.push(decoded);
          if (decoded.kind === 'channel' && ch.channelId === '') {
            ch.channelId = decoded.channelId;
            resolve(ch);
          }
        }
        waiters.forEach((w) => w());
      });
      if (res.statusCode !== 200) {
        let text = '';
        res.on('data', (c: string) => (text += c));
        res.on('end', () => reject(new Error(`channel refused: ${res.statusCode} ${text}`)));
      }
    });
    req.end(body);
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
