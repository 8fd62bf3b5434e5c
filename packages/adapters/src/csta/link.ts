/**
 * One CSTA client connection ("link") over TCP: framing, decoding, the ECMA-354 session, and a
 * bounded write path. The connector never sees bytes or sessions; it gets decoded requests under
 * the link's id (`tcp:<n>`) and hands back outputs, which this file encodes and frames.
 *
 * Theory of operation
 *   In:  bytes → `feedFrames` (8-byte header, reference/csta.md §8.1). A frame header that breaks
 *        the rules (non-zero first bytes, a length below 8, non-digit invoke ID, bad UTF-8) means
 *        the stream is out of step: the link is closed, nothing else is affected. Each complete
 *        frame → `decodeCstaMessage`; a failure is answered `CSTAErrorCode` with the frame's
 *        invoke ID. Then, in order:
 *          - replies to our own requests (SystemStatusResponse, …) are consumed;
 *          - ECMA-354 session requests are answered here (session.ts);
 *          - SystemStatus from the client (a heartbeat) → SystemStatusResponse;
 *          - with `requireSession` and no session → `operation/securityViolation` (the request is
 *            refused for lack of an authenticated session, not because it is malformed);
 *          - everything else goes to the connector, which answers every request exactly once.
 *   Out: responses and errors echo the request's invoke ID and are written in the namespace the
 *        request used — or, once a session is negotiated, in the session's version. Events use
 *        invoke ID 9999 and the link's namespace. The connector's SystemStatus becomes our own
 *        request with an invoke ID from the allocator (0001…9998, never 9999).
 *   Backpressure: when `socket.write` says the kernel buffer is full, later frames wait in a
 *        queue bounded by `maxQueuedBytes`; past the bound the link is closed — a client that
 *        does not read must not make the gateway grow without bound.
 *   Timers: an idle timeout (no byte received for `idleTimeoutMs`) and the session duration
 *        both close the link. Closing tells the connector (`closed`), which drops the monitors.
 */
import type { Socket } from 'node:net';
import {
  allocateInvokeId, createFrameDecoder, createInvokeIdAllocator, decodeCstaMessage, DEFAULT_CSTA_NAMESPACE,
  encodeCstaError, encodeCstaEvent, encodeCstaResponse, encodeFrame, encodeSystemStatus, EVENT_INVOKE_ID, feedFrames,
  isCstaReplyName, type CstaError, type CstaFrame, type CstaRequest, type FrameDecoderState, type InvokeIdAllocator,
} from '@csta-bw/core';
import type { CstaOutput } from '../runtime.js';
import { decideSession, isSessionRequest, type ApplicationSession, type SessionPolicy } from './session.js';

export interface LinkOptions {
  requireSession: boolean;
  session: SessionPolicy;
  /** Close the link after this long without a byte from the client (0 = never). */
  idleTimeoutMs: number;
  /** Bytes waiting for a slow client beyond which the link is closed. */
  maxQueuedBytes: number;
}

/** What a link needs from the rest of the gateway. */
export interface LinkHooks {
  request(link: string, invokeId: string, request: CstaRequest): void;
  /** The connector must forget the link's monitors (session stopped, or link gone). */
  forget(link: string): void;
  closed(link: string, reason: string): void;
  freshSessionId(): string;
  log(line: string): void;
}

/** Answer when a session is required and the link has none. */
export const SESSION_REQUIRED_ERROR: CstaError = { category: 'operation', value: 'securityViolation' };

export class CstaLink {
  private decoder: FrameDecoderState = createFrameDecoder();
  private allocator: InvokeIdAllocator = createInvokeIdAllocator();
  private session: ApplicationSession | undefined;
  private sessionTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The namespace of the client's latest CSTA request (ECMA-354 messages do not count). */
  private clientNamespace: string | undefined;
  /** Namespace per outstanding request, so the late answer echoes it. */
  private readonly requestNamespace = new Map<string, string>();
  /** Invoke IDs of our own requests (SystemStatus) still waiting for the client's reply. */
  private readonly ourRequests = new Set<string>();
  private readonly queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private congested = false;
  private closing = false;
  private closeReason = 'closed by peer';

  constructor(
    readonly id: string,
    private readonly socket: Socket,
    private readonly opts: LinkOptions,
    private readonly hooks: LinkHooks,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('drain', () => this.drain());
    socket.on('error', (err) => { this.closeReason = `socket error: ${err.message}`; });
    socket.on('close', () => this.onClose());
    this.armIdle();
  }

  get hasSession(): boolean {
    return this.session !== undefined;
  }

  /** Bytes waiting in our own queue (beyond what the socket buffers). */
  get pendingBytes(): number {
    return this.queuedBytes;
  }

  /**
   * `flush`: let what is already written reach the client (e.g. the CSTAErrorCode for the last
   * good frame before a framing fault), then close; a peer that does not read gets 1 s. Without
   * it (slow client), the socket is destroyed at once and its buffers freed.
   */
  close(reason: string, flush = false): void {
    if (this.closing) return;
    this.closing = true;
    this.closeReason = reason;
    if (!flush) {
      this.socket.destroy();
      return;
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  // ---- in ------------------------------------------------------------------------------------

  private received(chunk: Buffer): void {
    if (this.closing) return;
    this.armIdle();
    const fed = feedFrames(this.decoder, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.decoder = fed.state;
    for (const frame of fed.frames) {
      if (this.closing) return;
      this.handleFrame(frame);
    }
    if (fed.error) this.close(`framing error: ${fed.error.reason}`, true);
  }

  private handleFrame({ invokeId, xml }: CstaFrame): void {
    const decoded = decodeCstaMessage(xml);
    if (!decoded.ok) {
      this.hooks.log(`${this.id} #${invokeId}: refused: ${decoded.reason}`);
      this.send(invokeId, encodeCstaError(decoded.error, this.namespace()));
      return;
    }
    const { message, namespace } = decoded;
    if (message.service === 'Unsupported' && isCstaReplyName(message.name)) {
      // A reply to one of our requests (or a stray one): nothing to answer.
      this.ourRequests.delete(invokeId);
      return;
    }
    // Events go out in the namespace of the client's latest CSTA request (a session overrides it).
    if (namespace !== '' && !isSessionRequest(message)) this.clientNamespace = namespace;
    const answerNs = this.session?.protocolVersion ?? namespace;

    if (isSessionRequest(message)) {
      const before = this.session;
      const decision = decideSession(before, message, this.opts.session, this.hooks.freshSessionId);
      this.session = decision.session;
      this.send(invokeId, encodeCstaResponse(decision.response, answerNs));
      if (decision.session) this.armSession(decision.session);
      else if (before) {
        // Stopping a session ends what it owned: the connector drops the link's monitors.
        this.clearSessionTimer();
        this.hooks.forget(this.id);
      }
      return;
    }
    if (message.service === 'SystemStatus') {
      this.send(invokeId, encodeCstaResponse({ service: 'SystemStatusResponse' }, answerNs));
      return;
    }
    if (this.opts.requireSession && !this.session) {
      this.send(invokeId, encodeCstaError(SESSION_REQUIRED_ERROR, answerNs));
      return;
    }
    this.requestNamespace.set(invokeId, answerNs);
    this.hooks.request(this.id, invokeId, message);
  }

  // ---- out -----------------------------------------------------------------------------------

  deliver(o: CstaOutput): void {
    if (this.closing) return;
    switch (o.kind) {
      case 'csta.response':
      case 'csta.error': {
        const ns = this.requestNamespace.get(o.invokeId) ?? this.namespace();
        this.requestNamespace.delete(o.invokeId);
        const xml = o.kind === 'csta.response' ? encodeCstaResponse(o.response, ns) : encodeCstaError(o.error, ns);
        this.send(o.invokeId, xml);
        return;
      }
      case 'csta.event':
        this.send(EVENT_INVOKE_ID, encodeCstaEvent(o.event, o.monitorCrossRefId, this.namespace()));
        return;
      case 'csta.systemStatus': {
        const { allocator, invokeId } = allocateInvokeId(this.allocator);
        this.allocator = allocator;
        this.ourRequests.add(invokeId);
        this.send(invokeId, encodeSystemStatus(o.status, this.namespace()));
        return;
      }
    }
  }

  private namespace(): string {
    return this.session?.protocolVersion ?? this.clientNamespace ?? DEFAULT_CSTA_NAMESPACE;
  }

  private send(invokeId: string, xml: string): void {
    const frame = encodeFrame(invokeId, xml);
    if ('error' in frame) {
      // Only a > 65,535-byte answer gets here; the client is owed something it can read.
      this.hooks.log(`${this.id} #${invokeId}: cannot frame the answer: ${frame.error.reason}`);
      const fallback = encodeFrame(invokeId, encodeCstaError({ category: 'systemResourceAvailibility', value: 'resourceLimitExceeded' }, this.namespace()));
      if (!('error' in fallback)) this.write(fallback);
      return;
    }
    this.write(frame);
  }

  private write(frame: Uint8Array): void {
    if (this.closing) return;
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
    while (this.queue.length > 0 && !this.closing) {
      const frame = this.queue.shift()!;
      this.queuedBytes -= frame.byteLength;
      if (!this.socket.write(frame)) {
        this.congested = true;
        return;
      }
    }
  }

  // ---- timers and teardown -------------------------------------------------------------------

  private armIdle(): void {
    if (this.opts.idleTimeoutMs <= 0) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(`idle for ${this.opts.idleTimeoutMs} ms`, true), this.opts.idleTimeoutMs);
  }

  private armSession(session: ApplicationSession): void {
    this.clearSessionTimer();
    this.sessionTimer = setTimeout(() => this.close(`session ${session.sessionID} expired`, true), session.durationS * 1000);
  }

  private clearSessionTimer(): void {
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.sessionTimer = undefined;
  }

  private onClose(): void {
    this.closing = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.clearSessionTimer();
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.hooks.closed(this.id, this.closeReason);
  }
}
