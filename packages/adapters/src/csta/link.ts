/**
 * One CSTA client connection ("link") over TCP or TLS: framing, decoding, the ECMA-354 session,
 * system services, keep-alive, and a bounded write path. The connector never sees bytes or
 * sessions; it gets decoded requests under the link's id (`tcp:<n>`, `tls:<n>`) and hands back
 * outputs, which this file encodes and frames.
 *
 * Theory of operation
 *   In:  bytes → `feedFrames` (8-byte header, reference/csta.md §8.1). A frame header that breaks
 *        the rules (non-zero first bytes, a length below 8, non-digit invoke ID) means the stream
 *        is out of step: the link is closed, nothing else is affected. A body is decoded in the
 *        encoding it declares; bytes invalid for it cost that frame a `CSTAErrorCode` under its
 *        invoke ID, and the link goes on (issue 12 item 7). Each frame → `decodeCstaMessage`; a
 *        failure is answered `CSTAErrorCode` with the frame's invoke ID. Then, in order:
 *          - replies to our own requests (SystemStatusResponse, …) are consumed;
 *          - ECMA-354 session requests are answered here (session.ts);
 *          - SystemStatus from the client (a heartbeat) → SystemStatusResponse;
 *          - system services (system.ts): SystemRegister / Cancel / Abort, and the register ID of
 *            RequestSystemStatus, are the link's own business;
 *          - with `requireSession` and no session → `operation/securityViolation`;
 *          - everything else goes to the connector, which answers every request exactly once.
 *   Namespaces (DESIGN §8; issue 12 item 2):
 *        - an answer goes back in the namespace its request used ('' stays '': no xmlns);
 *        - a monitor's events go in the namespace of its MonitorStart (remembered from the
 *          MonitorStartResponse we encode, forgotten at MonitorStopResponse);
 *        - what has no request — our SystemStatus, probes — uses the session's protocol version
 *          reduced to its edition (`…/ed3/priv7` → `…/ed3`), else the namespace of the client's
 *          latest CSTA request ('' included), else ed6.
 *   Start-up (item 1): after the first answer on the link, one SystemStatus with the current
 *        system status (normal unless the XSP is down), as Genesys T-Server requires; with
 *        `statusOnConnect`, also one as soon as the link opens (OpenScape Voice). The client may
 *        answer SystemStatusResponse or stay silent.
 *   Our own requests use invoke IDs from `allocateServerInvokeId`: 9998 downwards, never one the
 *        client has outstanding on this link (item 8).
 *   On open the link asks the connector RequestSystemStatus under the internal id `LINK_OPEN`, so
 *        the connector knows the link (and sends it every later SystemStatus change) and we learn
 *        the current status; that answer is never written to the client.
 *   Keep-alive (item 9): after `keepaliveMs` without a complete frame from the client, a probe
 *        (SystemStatus); the link is closed only when a probe finds `keepaliveTolerance` probes
 *        already unanswered. Any complete frame from the client counts as an answer. TCP
 *        keep-alive is on as well, and a reset or closed socket is noticed at once.
 *   Sessions (item 4): when the duration runs out without a reset, ApplicationSessionTerminated
 *        (sessionTimerExpired) is sent, then the link is closed; `shutdown` says the same with a
 *        server reason.
 *   Backpressure: when `socket.write` says the kernel buffer is full, later frames wait in a
 *        queue bounded by `maxQueuedBytes`; past the bound the link is closed — a client that
 *        does not read must not make the gateway grow without bound.
 *   Closing tells the connector (`closed`), which drops the monitors.
 */
import type { Socket } from 'node:net';
import {
  allocateServerInvokeId, createFrameDecoder, createServerInvokeIdAllocator, decodeCstaMessage, DEFAULT_CSTA_NAMESPACE,
  editionNamespace, encodeApplicationSessionTerminated, encodeCstaError, encodeCstaEvent, encodeCstaResponse, encodeFrame,
  encodeSystemStatus, EVENT_INVOKE_ID, feedFrames, isCstaReplyName, type CstaError, type CstaFrame, type CstaRequest,
  type FrameDecoderState, type ServerInvokeIdAllocator, type SessionTermReason, type SystemStatusValue,
} from '@csta-bw/core';
import type { CstaOutput } from '../runtime.js';
import { decideSession, isSessionRequest, type ApplicationSession, type SessionPolicy } from './session.js';
import { isSystemRequest, SystemRegistrations } from './system.js';

export interface LinkOptions {
  requireSession: boolean;
  session: SessionPolicy;
  /** Probe after this long without a frame from the client (0 = never probe, never close a quiet link). */
  keepaliveMs: number;
  /** Close when a probe is due and this many probes are already unanswered. */
  keepaliveTolerance: number;
  /** Send SystemStatus as soon as the link opens (OpenScape Voice clients wait for it). */
  statusOnConnect: boolean;
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

/** The invoke ID of the link's own RequestSystemStatus to the connector; never on the wire (not four digits). */
export const LINK_OPEN = 'link-open';

/** What we remember of a client request until the connector answers it. */
interface Pending {
  ns: string;
  /** For MonitorStop: the monitor whose namespace to forget once stopped. */
  stops?: string;
}

export class CstaLink {
  private decoder: FrameDecoderState = createFrameDecoder();
  private allocator: ServerInvokeIdAllocator = createServerInvokeIdAllocator();
  private session: ApplicationSession | undefined;
  private sessionTimer: ReturnType<typeof setTimeout> | undefined;
  private keepaliveTimer: ReturnType<typeof setTimeout> | undefined;
  private unansweredProbes = 0;
  /** The namespace of the client's latest CSTA request ('' for none; ECMA-354 messages do not count). */
  private clientNamespace: string | undefined;
  /** Client requests the connector has not answered yet, by invoke ID. */
  private readonly pending = new Map<string, Pending>();
  /** The namespace of each live monitor's MonitorStart, by monitorCrossRefID. */
  private readonly monitorNamespace = new Map<string, string>();
  /** Invoke IDs of our own requests (SystemStatus) still waiting for the client's reply. */
  private readonly ourRequests = new Set<string>();
  private readonly registrations = new SystemRegistrations();
  private systemStatus: SystemStatusValue = 'normal';
  private startupSent = false;
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
    if (opts.keepaliveMs > 0) socket.setKeepAlive(true, opts.keepaliveMs);
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('drain', () => this.drain());
    socket.on('error', (err) => { this.closeReason = `socket error: ${err.message}`; });
    socket.on('close', () => this.onClose());
  }

  /** Once the server can route outputs to the link: introduce it, greet if asked, start probing. */
  open(): void {
    // The connector's answer to LINK_OPEN sets `systemStatus` (synchronously, before the greeting).
    this.hooks.request(this.id, LINK_OPEN, { service: 'RequestSystemStatus' });
    if (this.opts.statusOnConnect) this.sendSystemStatus();
    this.armKeepalive();
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
    this.stopTimers();
    if (!flush) {
      this.socket.destroy();
      return;
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /** The gateway is stopping: end the session with a server reason (ECMA-354), then close. */
  shutdown(reason: string): void {
    if (this.closing) return;
    this.terminateSession({ serverTermReason: reason });
    this.close(reason, true);
  }

  // ---- in ------------------------------------------------------------------------------------

  private received(chunk: Buffer): void {
    if (this.closing) return;
    const fed = feedFrames(this.decoder, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.decoder = fed.state;
    if (fed.frames.length > 0) {
      // The client is alive: whatever it sent answers our probes.
      this.unansweredProbes = 0;
      this.armKeepalive();
    }
    for (const frame of fed.frames) {
      if (this.closing) return;
      this.handleFrame(frame);
    }
    if (fed.error) this.close(`framing error: ${fed.error.reason}`, true);
  }

  private handleFrame(frame: CstaFrame): void {
    const { invokeId } = frame;
    if ('undecodable' in frame) {
      this.hooks.log(`${this.id} #${invokeId}: refused: ${frame.undecodable}`);
      this.answer(invokeId, encodeCstaError({ category: 'operation', value: 'invalidParameterValue' }, this.namespace()));
      return;
    }
    const decoded = decodeCstaMessage(frame.xml);
    if (!decoded.ok) {
      this.hooks.log(`${this.id} #${invokeId}: refused: ${decoded.reason}`);
      this.answer(invokeId, encodeCstaError(decoded.error, this.namespace()));
      return;
    }
    const { message, namespace } = decoded;
    if (message.service === 'Unsupported' && isCstaReplyName(message.name)) {
      // A reply to one of our requests (or a stray one): nothing to answer.
      this.ourRequests.delete(invokeId);
      return;
    }
    if (isSessionRequest(message)) {
      const before = this.session;
      const decision = decideSession(before, message, this.opts.session, this.hooks.freshSessionId);
      this.session = decision.session;
      this.answer(invokeId, encodeCstaResponse(decision.response, namespace));
      if (decision.session) this.armSession(decision.session);
      else if (before) {
        // Stopping a session ends what it owned: the connector drops the link's monitors.
        this.clearSessionTimer();
        this.hooks.forget(this.id);
      }
      return;
    }
    this.clientNamespace = namespace;
    if (message.service === 'SystemStatus') {
      this.answer(invokeId, encodeCstaResponse({ service: 'SystemStatusResponse' }, namespace));
      return;
    }
    if (this.opts.requireSession && !this.session) {
      this.answer(invokeId, encodeCstaError(SESSION_REQUIRED_ERROR, namespace));
      return;
    }
    if (isSystemRequest(message)) {
      const decision = this.registrations.decide(message);
      if ('response' in decision) this.answer(invokeId, encodeCstaResponse(decision.response, namespace));
      else if ('error' in decision) this.answer(invokeId, encodeCstaError(decision.error, namespace));
      return;
    }
    if (message.service === 'RequestSystemStatus') {
      const refused = this.registrations.check(message.sysStatRegisterID);
      if (refused) {
        this.answer(invokeId, encodeCstaError(refused, namespace));
        return;
      }
    }
    this.pending.set(invokeId, message.service === 'MonitorStop' && message.monitorCrossRefID !== undefined
      ? { ns: namespace, stops: message.monitorCrossRefID }
      : { ns: namespace });
    this.hooks.request(this.id, invokeId, message);
  }

  // ---- out -----------------------------------------------------------------------------------

  deliver(o: CstaOutput): void {
    if (this.closing) return;
    switch (o.kind) {
      case 'csta.response':
      case 'csta.error': {
        if (o.invokeId === LINK_OPEN) {
          if (o.kind === 'csta.response' && o.response.service === 'RequestSystemStatusResponse') this.systemStatus = o.response.systemStatus;
          return;
        }
        const pending = this.pending.get(o.invokeId);
        this.pending.delete(o.invokeId);
        const ns = pending?.ns ?? this.namespace();
        if (o.kind === 'csta.response') {
          if (o.response.service === 'MonitorStartResponse') this.monitorNamespace.set(o.response.monitorCrossRefID, ns);
          if (o.response.service === 'MonitorStopResponse' && pending?.stops !== undefined) this.monitorNamespace.delete(pending.stops);
          if (o.response.service === 'RequestSystemStatusResponse') this.systemStatus = o.response.systemStatus;
        }
        this.answer(o.invokeId, o.kind === 'csta.response' ? encodeCstaResponse(o.response, ns) : encodeCstaError(o.error, ns));
        return;
      }
      case 'csta.event':
        this.send(EVENT_INVOKE_ID, encodeCstaEvent(o.event, o.monitorCrossRefId, this.monitorNamespace.get(o.monitorCrossRefId) ?? this.namespace()));
        return;
      case 'csta.systemStatus':
        this.systemStatus = o.status;
        this.sendSystemStatus();
        return;
    }
  }

  /** The namespace for what answers no request (see the header). */
  private namespace(): string {
    if (this.session) return editionNamespace(this.session.protocolVersion);
    return this.clientNamespace ?? DEFAULT_CSTA_NAMESPACE;
  }

  /** An answer under a client's invoke ID; the first one on the link is followed by SystemStatus (item 1). */
  private answer(invokeId: string, xml: string): void {
    this.send(invokeId, xml);
    if (!this.startupSent) {
      this.startupSent = true;
      this.sendSystemStatus();
    }
  }

  /** Our own SystemStatus request: one per registration (system.ts rule 4). */
  private sendSystemStatus(): void {
    for (const registerId of this.registrations.addressees()) {
      const { allocator, invokeId } = allocateServerInvokeId(this.allocator, (id) => this.pending.has(id) || this.ourRequests.has(id));
      this.allocator = allocator;
      if (invokeId === undefined) {
        this.hooks.log(`${this.id}: no free invoke ID for SystemStatus; not sent`);
        return;
      }
      // Bounded: a client that never answers keeps at most the IDs of 9000–9998 busy.
      if (this.ourRequests.size >= 512) this.ourRequests.delete(this.ourRequests.values().next().value!);
      this.ourRequests.add(invokeId);
      this.send(invokeId, encodeSystemStatus(this.systemStatus, this.namespace(), registerId));
    }
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

  private armKeepalive(): void {
    if (this.opts.keepaliveMs <= 0 || this.closing) return;
    if (this.keepaliveTimer) clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = setTimeout(() => this.probe(), this.opts.keepaliveMs);
  }

  private probe(): void {
    if (this.unansweredProbes >= this.opts.keepaliveTolerance) {
      this.close(`keep-alive: ${this.unansweredProbes} SystemStatus probes unanswered`, true);
      return;
    }
    this.unansweredProbes++;
    this.sendSystemStatus();
    this.armKeepalive();
  }

  private armSession(session: ApplicationSession): void {
    this.clearSessionTimer();
    this.sessionTimer = setTimeout(() => {
      this.terminateSession({ definedTermReason: 'sessionTimerExpired' });
      this.close(`session ${session.sessionID} expired`, true);
    }, session.durationS * 1000);
  }

  /** ApplicationSessionTerminated (ECMA-354) for the link's session, if it has one. */
  private terminateSession(reason: SessionTermReason): void {
    if (!this.session) return;
    this.send(EVENT_INVOKE_ID, encodeApplicationSessionTerminated(this.session.sessionID, reason));
    this.session = undefined;
  }

  private clearSessionTimer(): void {
    if (this.sessionTimer) clearTimeout(this.sessionTimer);
    this.sessionTimer = undefined;
  }

  private stopTimers(): void {
    if (this.keepaliveTimer) clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
    this.clearSessionTimer();
  }

  private onClose(): void {
    this.closing = true;
    this.stopTimers();
    this.queue.length = 0;
    this.queuedBytes = 0;
    this.hooks.closed(this.id, this.closeReason);
  }
}
