/**
 * One CSTA client connection ("link") over TCP or TLS: the socket and timer shell around the
 * sans-IO link machine (linkMachine.ts), which holds all of the link's logic — framing, decoding,
 * the ECMA-354 session, system services, keep-alive, namespaces, server invoke IDs. The connector
 * never sees bytes or sessions; it gets decoded requests under the link's id (`tcp:<n>`,
 * `tls:<n>`) and hands back outputs, which the machine encodes and frames.
 *
 * Theory of operation (what is left here is only what needs a real socket or a real clock)
 *   - socket data → `machine.receive`; the machine's frames → the socket;
 *   - the machine's timer requests → `setTimeout`, firing back into `machine.timerFired`;
 *   - TCP keep-alive is on as well, and a reset or closed socket is noticed at once;
 *   - Backpressure: when `socket.write` says the kernel buffer is full, later frames wait in a
 *     queue bounded by `maxQueuedBytes`; past the bound the link is closed — a client that
 *     does not read must not make the gateway grow without bound;
 *   - a close with `flush` ends the socket and gives a peer that does not read 1 s; without it
 *     (slow client) the socket is destroyed at once and its buffers freed;
 *   - closing tells the connector (`closed`), which drops the monitors.
 */
import type { Socket } from 'node:net';
import type { CstaRequest } from '@csta-bw/core';
import type { CstaOutput } from '../runtime.js';
import { CstaLinkMachine, type LinkOptions, type LinkTimer } from './linkMachine.js';

export { LINK_OPEN, SESSION_REQUIRED_ERROR, type LinkOptions } from './linkMachine.js';

/** What a link needs from the rest of the gateway. */
export interface LinkHooks {
  request(link: string, invokeId: string, request: CstaRequest): void;
  /** The connector must forget the link's monitors (session stopped, or link gone). */
  forget(link: string): void;
  closed(link: string, reason: string): void;
  freshSessionId(): string;
  log(line: string): void;
}

export class CstaLink {
  private readonly machine: CstaLinkMachine;
  private readonly timers = new Map<LinkTimer, ReturnType<typeof setTimeout>>();
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private congested = false;
  private closeReason = 'closed by peer';

  constructor(
    readonly id: string,
    private readonly socket: Socket,
    private readonly opts: LinkOptions,
    private readonly hooks: LinkHooks,
  ) {
    this.machine = new CstaLinkMachine(id, opts, {
      request: (link, invokeId, request) => hooks.request(link, invokeId, request),
      forget: (link) => hooks.forget(link),
      freshSessionId: () => hooks.freshSessionId(),
      log: (line) => hooks.log(line),
      transmit: (frame) => this.write(frame),
      setTimer: (name, ms) => this.setTimer(name, ms),
      clearTimer: (name) => this.clearTimer(name),
      close: (reason, flush) => this.closeSocket(reason, flush),
    });
    socket.setNoDelay(true);
    if (opts.keepaliveMs > 0) socket.setKeepAlive(true, opts.keepaliveMs);
    socket.on('data', (chunk: Buffer) => this.machine.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
    socket.on('drain', () => this.drain());
    socket.on('error', (err) => { this.closeReason = `socket error: ${err.message}`; });
    socket.on('close', () => this.onClose());
  }

  /** Once the server can route outputs to the link: introduce it, greet if asked, start probing. */
  open(): void {
    this.machine.open();
  }

  get hasSession(): boolean {
    return this.machine.hasSession;
  }

  /** Bytes waiting in our own queue (beyond what the socket buffers). */
  get pendingBytes(): number {
    return this.queuedBytes;
  }

  /** See the header: `flush` lets what is already written reach the client first. */
  close(reason: string, flush = false): void {
    this.machine.close(reason, flush);
  }

  /** The gateway is stopping: end the session with a server reason (ECMA-354), then close. */
  shutdown(reason: string): void {
    this.machine.shutdown(reason);
  }

  deliver(o: CstaOutput): void {
    this.machine.deliver(o);
  }

  // ---- the machine's effects -----------------------------------------------------------------

  private closeSocket(reason: string, flush: boolean): void {
    this.closeReason = reason;
    if (!flush) {
      this.socket.destroy();
      return;
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  private setTimer(name: LinkTimer, ms: number): void {
    this.clearTimer(name);
    this.timers.set(name, setTimeout(() => {
      this.timers.delete(name);
      this.machine.timerFired(name);
    }, ms));
  }

  private clearTimer(name: LinkTimer): void {
    const t = this.timers.get(name);
    if (t) clearTimeout(t);
    this.timers.delete(name);
  }

  private write(frame: Uint8Array): void {
    if (this.machine.closing) return;
    if (!this.congested) {
      if (!this.socket.write(frame)) this.congested = true;
      return;
    }
    this.queue.push(frame);
    this.queuedBytes += frame.byteLength;
    if (this.queuedBytes > this.opts.maxQueuedBytes) {
      this.close(`slow client: more than ${this.opts.maxQueuedBytes} bytes waiting`);
    }
  }

  private drain(): void {
    this.congested = false;
    while (this.queue.length > 0 && !this.machine.closing) {
      const frame = this.queue.shift()!;
      this.queuedBytes -= frame.byteLength;
      if (!this.socket.write(frame)) {
        this.congested = true;
        return;
      }
    }
  }

  private onClose(): void {
    this.machine.gone();
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.hooks.closed(this.id, this.closeReason);
  }
}
