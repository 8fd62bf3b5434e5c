/**
 * The CSTA link's logic without sockets or clocks (sans-IO, like h11 or quinn-proto): bytes in,
 * frames out, timers as requests, closing as a decision. link.ts wraps it around a real socket and
 * real timers; the explorer's wire world (explore/wireWorld.ts) wraps it around an in-memory pipe
 * on virtual time, so both run exactly this code.
 *
 * Theory of operation
 *   In:  bytes → `receive` → `feedFrames` (8-byte header, reference/csta.md §8.1). A frame header
 *        that breaks the rules (non-zero first bytes, a length below 8, non-digit invoke ID) means
 *        the stream is out of step: the link is closed, nothing else is affected. A body is
 *        decoded in the encoding it declares; bytes invalid for it cost that frame a
 *        `CSTAErrorCode` under its invoke ID, and the link goes on (issue 12 item 7). Each frame →
 *        `decodeCstaMessage`; a failure is answered `CSTAErrorCode` with the frame's invoke ID.
 *        Then, in order:
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
 *        `statusOnConnect`, also one as soon as the link opens (OpenScape Voice).
 *   Our own requests use invoke IDs from `allocateServerInvokeId`: 9998 downwards, never one the
 *        client has outstanding on this link (item 8).
 *   On open the link asks the connector RequestSystemStatus under the internal id `LINK_OPEN`, so
 *        the connector knows the link and we learn the current status; that answer is never
 *        written to the client.
 *   Keep-alive (item 9): after `keepaliveMs` without a complete frame from the client, a probe
 *        (SystemStatus); the link is closed only when a probe finds `keepaliveTolerance` probes
 *        already unanswered. Any complete frame from the client counts as an answer.
 *   Sessions (item 4): when the duration runs out without a reset, ApplicationSessionTerminated
 *        (sessionTimerExpired) is sent, then the link is closed; `shutdown` says the same with a
 *        server reason.
 *   Out: every frame goes to `hooks.transmit`, in order; the shell owns buffering and
 *        backpressure. Timers are `hooks.setTimer(name, ms)` / `clearTimer(name)`; the shell calls
 *        `timerFired(name)` when one is due. `hooks.close(reason, flush)` asks the shell to close.
 */
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

/** The link's two timers. */
export type LinkTimer = 'keepalive' | 'session';

/** What the machine needs from its shell: the connector on one side, the byte pipe and the clock on the other. */
export interface LinkMachineHooks {
  request(link: string, invokeId: string, request: CstaRequest): void;
  /** The connector must forget the link's monitors (session stopped). */
  forget(link: string): void;
  freshSessionId(): string;
  log(line: string): void;
  /** One whole frame for the client, in order. */
  transmit(frame: Uint8Array): void;
  /** Arm timer `name` to fire in `ms` (replacing one already armed). */
  setTimer(name: LinkTimer, ms: number): void;
  clearTimer(name: LinkTimer): void;
  /** The link must close; `flush`: let what was transmitted reach the client first. */
  close(reason: string, flush: boolean): void;
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

export class CstaLinkMachine {
  private decoder: FrameDecoderState = createFrameDecoder();
  private allocator: ServerInvokeIdAllocator = createServerInvokeIdAllocator();
  private session: ApplicationSession | undefined;
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
  private closingNow = false;

  constructor(
    readonly id: string,
    private readonly opts: LinkOptions,
    private readonly hooks: LinkMachineHooks,
  ) {}

  /** Once the shell can route outputs to the link: introduce it, greet if asked, start probing. */
  open(): void {
    // The connector's answer to LINK_OPEN sets `systemStatus` (synchronously, before the greeting).
    this.hooks.request(this.id, LINK_OPEN, { service: 'RequestSystemStatus' });
    if (this.opts.statusOnConnect) this.sendSystemStatus();
    this.armKeepalive();
  }

  get hasSession(): boolean {
    return this.session !== undefined;
  }

  /** Closed, or closing: nothing more is read or written. */
  get closing(): boolean {
    return this.closingNow;
  }

  /** Invoke IDs of the client's requests the connector has not answered yet. */
  outstanding(): ReadonlySet<string> {
    return new Set(this.pending.keys());
  }

  /** Decide to close (see LinkMachineHooks.close); once only. */
  close(reason: string, flush = false): void {
    if (this.closingNow) return;
    this.closingNow = true;
    this.stopTimers();
    this.hooks.close(reason, flush);
  }

  /** The gateway is stopping: end the session with a server reason (ECMA-354), then close. */
  shutdown(reason: string): void {
    if (this.closingNow) return;
    this.terminateSession({ serverTermReason: reason });
    this.close(reason, true);
  }

  /** The pipe is gone (peer closed, reset): stop everything, say nothing. */
  gone(): void {
    this.closingNow = true;
    this.stopTimers();
  }

  timerFired(name: LinkTimer): void {
    if (this.closingNow) return;
    if (name === 'keepalive') this.probe();
    else this.sessionExpired();
  }

  // ---- in ------------------------------------------------------------------------------------

  receive(bytes: Uint8Array): void {
    if (this.closingNow) return;
    const fed = feedFrames(this.decoder, bytes);
    this.decoder = fed.state;
    if (fed.frames.length > 0) {
      // The client is alive: whatever it sent answers our probes.
      this.unansweredProbes = 0;
      this.armKeepalive();
    }
    for (const frame of fed.frames) {
      if (this.closingNow) return;
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
        this.hooks.clearTimer('session');
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
    if (this.closingNow) return;
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
    if (this.closingNow) return;
    const frame = encodeFrame(invokeId, xml);
    if ('error' in frame) {
      // Only a > 65,535-byte answer gets here; the client is owed something it can read.
      this.hooks.log(`${this.id} #${invokeId}: cannot frame the answer: ${frame.error.reason}`);
      const fallback = encodeFrame(invokeId, encodeCstaError({ category: 'systemResourceAvailibility', value: 'resourceLimitExceeded' }, this.namespace()));
      if (!('error' in fallback)) this.hooks.transmit(fallback);
      return;
    }
    this.hooks.transmit(frame);
  }

  // ---- timers --------------------------------------------------------------------------------

  private armKeepalive(): void {
    if (this.opts.keepaliveMs <= 0 || this.closingNow) return;
    this.hooks.setTimer('keepalive', this.opts.keepaliveMs);
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
    this.hooks.setTimer('session', session.durationS * 1000);
  }

  private sessionExpired(): void {
    const session = this.session;
    if (!session) return;
    this.terminateSession({ definedTermReason: 'sessionTimerExpired' });
    this.close(`session ${session.sessionID} expired`, true);
  }

  /** ApplicationSessionTerminated (ECMA-354) for the link's session, if it has one. */
  private terminateSession(reason: SessionTermReason): void {
    if (!this.session) return;
    this.send(EVENT_INVOKE_ID, encodeApplicationSessionTerminated(this.session.sessionID, reason));
    this.session = undefined;
  }

  private stopTimers(): void {
    this.hooks.clearTimer('keepalive');
    this.hooks.clearTimer('session');
  }
}
