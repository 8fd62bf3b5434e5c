/**
 * A small CSTA client over TCP (the 8-byte framing): what `pnpm csta` and the gateway tests use
 * to play a contact-centre application.
 *
 * Theory of operation: requests get invoke IDs 0001…9998 (9999 is for events); every frame
 * received is decoded with the client-side decoder and kept, in arrival order, in `received`;
 * `waitFor` resolves with the first message (already received or still to come) that matches.
 * A server's own `SystemStatus` is answered with `SystemStatusResponse` under its invoke ID, as
 * OpenScape clients do.
 */
import { connect, type Socket } from 'node:net';
import {
  allocateInvokeId, createFrameDecoder, createInvokeIdAllocator, decodeCstaResponseOrEvent, DEFAULT_CSTA_NAMESPACE,
  encodeCstaRequest, encodeCstaResponse, encodeFrame, feedFrames, type CstaInboundDecodeResult, type CstaRequest,
  type FrameDecoderState, type InvokeIdAllocator,
} from '@csta-bw/core';

export interface ReceivedFrame {
  invokeId: string;
  xml: string;
  decoded: CstaInboundDecodeResult;
}

export class CstaTcpClient {
  readonly received: ReceivedFrame[] = [];
  closed = false;
  closedPromise: Promise<void>;
  private decoder: FrameDecoderState = createFrameDecoder();
  private allocator: InvokeIdAllocator = createInvokeIdAllocator();
  private waiters: { match: (f: ReceivedFrame) => boolean; resolve: (f: ReceivedFrame) => void }[] = [];
  /** Called for each frame as it arrives (scripts print it). */
  onFrame: ((f: ReceivedFrame) => void) | undefined;

  private constructor(private readonly socket: Socket, readonly namespace: string) {
    this.closedPromise = new Promise((resolve) => socket.on('close', () => {
      this.closed = true;
      resolve();
    }));
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('error', () => { /* surfaced through `closed` */ });
  }

  static connect(host: string, port: number, namespace = DEFAULT_CSTA_NAMESPACE): Promise<CstaTcpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new CstaTcpClient(socket, namespace));
      });
      socket.once('error', reject);
    });
  }

  /** Sends a request; returns its invoke ID and the XML sent. */
  send(request: CstaRequest, namespace = this.namespace): { invokeId: string; xml: string } {
    const xml = encodeCstaRequest(request, namespace);
    return { invokeId: this.sendXml(xml), xml };
  }

  sendXml(xml: string, invokeId?: string): string {
    const id = invokeId ?? this.nextInvokeId();
    const frame = encodeFrame(id, xml);
    if ('error' in frame) throw new Error(frame.error.reason);
    this.socket.write(frame);
    return id;
  }

  /** Bytes as they are, framed or not (tests of bad input). */
  sendRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Stop reading from the socket (tests of a slow client). */
  pauseReading(): void {
    this.socket.pause();
  }

  nextInvokeId(): string {
    const { allocator, invokeId } = allocateInvokeId(this.allocator);
    this.allocator = allocator;
    return invokeId;
  }

  /** The first frame (from the start of the link) that matches and was not yet taken. */
  waitFor(match: (f: ReceivedFrame) => boolean, timeoutMs = 5000): Promise<ReceivedFrame> {
    const found = this.received.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`no matching CSTA message within ${timeoutMs} ms; received: ${this.received.map((f) => f.xml).join('\n')}`));
      }, timeoutMs);
      const done = (f: ReceivedFrame) => {
        clearTimeout(timer);
        resolve(f);
      };
      this.waiters.push({ match, resolve: done });
    });
  }

  /** The answer (response or CSTAErrorCode) to a request. */
  answerTo(invokeId: string, timeoutMs = 5000): Promise<ReceivedFrame> {
    return this.waitFor((f) => f.invokeId === invokeId && f.decoded.ok && (f.decoded.kind === 'response' || f.decoded.kind === 'error'), timeoutMs);
  }

  close(): Promise<void> {
    this.socket.end();
    this.socket.destroySoon();
    return this.closedPromise;
  }

  private data(chunk: Buffer): void {
    const fed = feedFrames(this.decoder, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.decoder = fed.state;
    for (const raw of fed.frames) {
      const { invokeId } = raw;
      const xml = 'xml' in raw ? raw.xml : '';
      const frame: ReceivedFrame = {
        invokeId, xml,
        decoded: 'xml' in raw ? decodeCstaResponseOrEvent(xml) : { ok: false, reason: raw.undecodable },
      };
      this.received.push(frame);
      this.onFrame?.(frame);
      if (frame.decoded.ok && frame.decoded.kind === 'request' && frame.decoded.request.service === 'SystemStatus') {
        const reply = encodeFrame(invokeId, encodeCstaResponse({ service: 'SystemStatusResponse' }, frame.decoded.namespace));
        if (!('error' in reply)) this.socket.write(reply);
      }
      for (const w of [...this.waiters]) {
        if (w.match(frame)) {
          this.waiters = this.waiters.filter((x) => x !== w);
          w.resolve(frame);
        }
      }
    }
    if (fed.error) this.socket.destroy();
  }
}
