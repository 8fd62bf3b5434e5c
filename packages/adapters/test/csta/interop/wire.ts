/**
 * A raw CSTA-over-TCP client for the interop suite: it writes exactly the bytes a test gives it
 * (its own header, any encoding, any prefix) and keeps every frame it receives as bytes and text,
 * in order, so each test asserts on what was on the wire — not on our own decoder's reading of it.
 * Unlike CstaTcpClient it answers nothing by itself: a test that plays a client which answers the
 * gateway's SystemStatus says so.
 */
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { startHarness, type Harness } from '../harness.js';
import type { GatewayOptions } from '@csta-bw/adapters';

export const ED2 = 'http://www.ecma.ch/standards/ecma-323/csta/ed2';
export const ED3 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';
export const ED4 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed4';
export const ED6 = 'http://www.ecma-international.org/standards/ecma-323/csta/ed6';
export const PRIV6 = `${ED3}/priv6`;
export const PRIV7 = `${ED3}/priv7`;
export const APPL_SESSION = 'http://www.ecma-international.org/standards/ecma-354/appl_session';

export interface WireFrame {
  invokeId: string;
  /** The body as UTF-8 text (the gateway always writes UTF-8). */
  xml: string;
  /** Local name of the root element. */
  root: string;
  /** The root's default namespace, '' when it has none. */
  xmlns: string;
}

export class WireClient {
  readonly frames: WireFrame[] = [];
  closed = false;
  readonly closedPromise: Promise<void>;
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    this.closedPromise = new Promise((resolve) => socket.on('close', () => {
      this.closed = true;
      resolve();
      this.wake();
    }));
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('error', () => { /* seen as close */ });
  }

  static connect(port: number, opts: { tls?: boolean } = {}): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = opts.tls
        ? connectTls({ host: '127.0.0.1', port, rejectUnauthorized: false })
        : connectTcp({ host: '127.0.0.1', port });
      socket.once(opts.tls ? 'secureConnect' : 'connect', () => {
        socket.off('error', reject);
        resolve(new WireClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** One frame: 0x00 0x00, total length, four-digit invoke ID, then the body (text → UTF-8). */
  send(invokeId: string, body: string | Uint8Array): void {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    const header = Buffer.from([0, 0, (bytes.length + 8) >> 8, (bytes.length + 8) & 0xff, ...Buffer.from(invokeId, 'ascii')]);
    this.socket.write(Buffer.concat([header, bytes]));
  }

  /** Bytes as they are, framed or not. */
  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** The first frame (since the link opened) that matches; waits for it. */
  async next(match: (f: WireFrame) => boolean, timeoutMs = 5000): Promise<WireFrame> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (this.closed) throw new Error(`link closed; received:\n${this.dump()}`);
      const left = end - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; received:\n${this.dump()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** The answer to one of our requests: the first frame under its invoke ID. */
  answerTo(invokeId: string, timeoutMs = 5000): Promise<WireFrame> {
    return this.next((f) => f.invokeId === invokeId, timeoutMs);
  }

  /** Frames whose root is `root`, in arrival order. */
  all(root: string): WireFrame[] {
    return this.frames.filter((f) => f.root === root);
  }

  dump(): string {
    return this.frames.map((f) => `${f.invokeId} ${f.xml}`).join('\n');
  }

  destroy(): void {
    this.socket.destroy();
  }

  close(): Promise<void> {
    this.socket.end();
    this.socket.destroySoon();
    return this.closedPromise;
  }

  private data(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 8) {
      const total = this.buffer.readUInt16BE(2);
      if (this.buffer.length < total) break;
      const xml = this.buffer.subarray(8, total).toString('utf8');
      const root = /<(?:[\w.-]+:)?([\w.-]+)[\s/>]/.exec(xml.replace(/^<\?xml[^>]*\?>/, ''));
      const xmlns = /^<[^>]*?\sxmlns="([^"]*)"/.exec(xml.replace(/^<\?xml[^>]*\?>/, ''));
      this.frames.push({ invokeId: this.buffer.subarray(4, 8).toString('ascii'), xml, root: root?.[1] ?? '', xmlns: xmlns?.[1] ?? '' });
      this.buffer = this.buffer.subarray(total);
    }
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** The gateway as `pnpm start` wires it (simulator over HTTP), ports 0, plus raw clients. */
export async function startInteropGateway(opts: Partial<GatewayOptions> = {}): Promise<Harness & { wire(opts?: { tls?: boolean }): Promise<WireClient> }> {
  const harness = await startHarness(opts);
  const wires: WireClient[] = [];
  return {
    ...harness,
    wire: async (o = {}) => {
      const port = o.tls ? (harness.gateway.tls?.port ?? 0) : harness.gateway.csta.port;
      const w = await WireClient.connect(port, o);
      wires.push(w);
      return w;
    },
    close: async () => {
      for (const w of wires) w.destroy();
      await harness.close();
    },
  };
}

/** The text of the first element named `name` in a frame (by local name), or undefined. */
export function textOf(f: WireFrame, name: string): string | undefined {
  const m = new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([^<]*)</(?:[\\w.-]+:)?${name}>`).exec(f.xml);
  return m?.[1];
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
