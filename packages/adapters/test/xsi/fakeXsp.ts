/**
 * A tiny scriptable XSP over node:http for the transport's unit tests: it answers channel
 * creation with a stream the test writes to byte by byte, records heartbeats, acks and
 * subscriptions, and lets each test replace any route to misbehave (non-XML, wrong content
 * type, huge or stalled bodies, redirects).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeChannel, encodeSubscriptionResponse, HEARTBEAT_DOCUMENT } from '@csta-bw/core';

export interface Recorded {
  method: string;
  path: string;
  body: string;
  authorization: string | undefined;
}

export type Route = (req: IncomingMessage, res: ServerResponse, body: string) => boolean | void;

export class FakeXsp {
  url = '';
  readonly requests: Recorded[] = [];
  /** Open channel streams, newest last. */
  readonly streams: ServerResponse[] = [];
  channelCount = 0;
  /** Lifetime granted to new channels, seconds. */
  channelExpires = 3600;
  subscriptionCount = 0;
  /** Checked first; return true when the route answered. */
  override: Route | undefined;
  /** Answer PUT/GET on Actions paths. */
  actions: Route = (_req, res) => {
    res.writeHead(200).end();
  };
  private server: Server | undefined;

  async start(): Promise<this> {
    this.server = createServer({ noDelay: true }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', body, authorization: req.headers.authorization });
        if (this.override?.(req, res, body) === true) return;
        this.route(req, res, body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.streams) s.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The newest channel stream. */
  get stream(): ServerResponse {
    const s = this.streams[this.streams.length - 1];
    if (!s) throw new Error('no channel stream open');
    return s;
  }

  write(text: string | Buffer): void {
    this.stream.write(text);
  }

  acks(): string[] {
    return this.requests.filter((r) => r.path.endsWith('/channel/eventresponse')).map((r) => /<eventID>([^<]*)</.exec(r.body)?.[1] ?? '?');
  }

  count(pathPart: string, method?: string): number {
    return this.requests.filter((r) => r.path.includes(pathPart) && (method === undefined || r.method === method)).length;
  }

  private route(req: IncomingMessage, res: ServerResponse, _body: string): void {
    const path = req.url ?? '';
    if (req.method === 'POST' && path.endsWith('/com.broadsoft.async/com.broadsoft.xsi-events/v2.0/channel')) {
      this.channelCount++;
      res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      res.write(encodeChannel(`channel-${this.channelCount}`, this.channelExpires));
      this.streams.push(res);
      return;
    }
    if (req.method === 'PUT' && path.endsWith('/heartbeat')) {
      res.writeHead(200).end();
      const live = this.streams[this.streams.length - 1];
      if (live && !live.writableEnded && !live.destroyed) live.write(HEARTBEAT_DOCUMENT);
      return;
    }
    if (req.method === 'POST' && path.endsWith('/channel/eventresponse')) {
      res.writeHead(200).end();
      return;
    }
    if (req.method === 'POST' && path.startsWith('/com.broadsoft.xsi-events/v2.0/user/')) {
      this.subscriptionCount++;
      res.writeHead(200, { 'content-type': 'application/xml' }).end(encodeSubscriptionResponse(`sub-${this.subscriptionCount}`, 86400));
      return;
    }
    if (path.startsWith('/com.broadsoft.xsi-events/v2.0/')) {
      res.writeHead(200).end();
      return;
    }
    this.actions(req, res, _body);
  }
}

/** Wait until `check` holds (polling), or fail after `ms`. */
export async function until(check: () => boolean, ms = 5_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
