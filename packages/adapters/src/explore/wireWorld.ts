/**
 * WireWorld — the virtual world with real wires (issue 16, blind spot 3): the same connector and
 * simulator model on virtual time as VirtualWorld, but every CSTA and Xsi exchange crosses an
 * in-memory pipe as bytes, through the production code that handles those bytes:
 *
 *   CSTA client ──frames──▶ CstaLinkMachine (csta/linkMachine.ts) ──▶ connector
 *   connector ──▶ CstaLinkMachine ──frames──▶ CSTA client (decodes, answers SystemStatus)
 *   connector ──▶ encodeCommandRequest ──HTTP text──▶ XSP front (wireXsp.ts) ──▶ model submit
 *   model result ──▶ outcomeAnswer ──HTTP text──▶ decodeCommandResponse ──▶ connector
 *   model event ──chunked stream──▶ EventStreamReader (xsi/streamReader.ts) ──ack POST──▶ model
 *
 * So invoke IDs, SystemStatus (start-up, changes, keep-alive probes and their answers), framing,
 * HTTP, the event stream, acks, heartbeats and the client's EventOrder are explored too. The
 * world still records what VirtualWorld records — but from what the client *decoded*, so the
 * DESIGN §5 oracle judges what went over the wire — and keeps a wire log (`wire`) for the wire
 * invariants (oracle/wire.ts).
 *
 * Theory of operation
 * - Bytes are cut into 1–3 pieces at seeded points, and frames sent together arrive together:
 *   split and coalesced frames are the normal case. Same seed → same cuts → same trace (I8).
 * - A client's link opens on its first request (the machine asks the connector RequestSystemStatus).
 *   World invoke IDs that are four digits go on the wire as they are; others (a restarted
 *   client's MonitorStarts) get one from 5000 up. Answers are recorded under the world's id.
 * - A client answers a server SystemStatus at once, in the next pass of the same instant.
 * - Link timers (keep-alive), the Xsi heartbeat and the client's replies are wire agenda items;
 *   `tick` runs those due before the world's own instant. They never make the world busy:
 *   quiescence is the connector's and the simulator's.
 * - Xsi: a command's HTTP requests are read by the XSP front; a SUBSCRIBE's POSTs (one per
 *   package) become the one SUBSCRIBE the model takes, and each POST gets its own answer. A
 *   request the front refuses is answered in the next pass without reaching the model. A model
 *   transport error is a connection with no answer at all.
 * - Events: the `<Channel>` document opens each channel's stream; every delivery is written as
 *   a chunk, read by the client's EventStreamReader, acked by a real eventresponse POST unless
 *   the world's lost-ack fault took it (VirtualWorld decides that), and handed to the connector
 *   as the reader's EventOrder says: duplicates dropped, a gap or a stale event → resync
 *   (the `resync` channel input, as the HTTP transport gives).
 * - A crash of the connector process takes every link with it; clients reconnect on new links.
 *   A restarted process none of whose channels can open (every XSP down) stays `down`, as in
 *   VirtualWorld, unless `tellLostWhenNoChannel` (see there).
 * - No `clone`: the exhaustive explorer branches VirtualWorld only.
 */
import {
  createFrameDecoder, decodeCommandResponse, decodeCstaResponseOrEvent, DEFAULT_CSTA_NAMESPACE, encodeChannel, encodeCommandRequest,
  encodeCstaRequest, encodeCstaResponse, encodeEvent, encodeEventResponse, encodeFrame, encodeSubscriptionResponse, feedFrames,
  channelStatus, HEARTBEAT_DOCUMENT, type CstaRequest, type EventPackage, type FrameDecoderState, type Input, type Output, type SystemStatusValue,
  type XsiCommand, type XsiEvent, type XsiOutcome,
} from '@csta-bw/core';
import { ackEvent, channelInfo, getSubscription, nodeViews, outcomeAnswer } from '@csta-bw/xsp-sim';
import { CstaLinkMachine, type LinkTimer } from '../csta/linkMachine.js';
import { DEFAULT_SESSION_POLICY } from '../csta/session.js';
import { EventOrder } from '../xsi/eventOrder.js';
import { basicAuthorization, ChunkedBody, decodeHttpResponse, encodeChunk, encodeHttpRequest } from '../xsi/httpText.js';
import { EventStreamReader, type StreamStep } from '../xsi/streamReader.js';
import { CHANNEL_SET_ID, VirtualWorld, type VirtualWorldOptions } from '../virtualWorld.js';
import { answerBytes, readXspRequest } from './wireXsp.js';

export interface WireWorldOptions extends VirtualWorldOptions {
  /** The link's keep-alive: a probe after this long without a frame from the client (default 60 s, the gateway's). */
  keepaliveMs?: number;
  /** The Xsi heartbeat period (default 15 s: half the XSP's 30 s eventTimeout). */
  heartbeatMs?: number;
  /**
   * Tell a restarted process none of whose channels could open `lost`, as the HTTP transport
   * does (off by default). Either way the process answers links `disabled` until its first
   * channel is up, and settles its restart a step timeout after it (wireWorld.test.ts).
   */
  tellLostWhenNoChannel?: boolean;
}

/** What crossed the wires, for the wire invariants (oracle/wire.ts). */
export interface WireLog {
  /** Request frames a client sent: its invoke ID, and when (`n`: order across the CSTA lists). */
  requests: { n: number; at: number; link: string; invokeId: string; service: string }[];
  /** Answer frames a client read (response or CSTAErrorCode) under the invoke ID of the frame. */
  answers: { n: number; at: number; link: string; invokeId: string; kind: 'response' | 'error'; name: string }[];
  /**
   * Server SystemStatus requests a client read; `outstanding`: its own requests then unanswered;
   * `probe`: sent by the keep-alive; `beforeFirstChannel`: the connector process had never had
   * an event channel up (a restart while every XSP is down); `channel`: the event channel as the
   * binding held it for the running process when the frame was read (same-instant order matters: a
   * probe just before a loss), `none` for a restarted process the binding has told nothing yet.
   */
  statuses: {
    n: number; at: number; link: string; invokeId: string; status: SystemStatusValue; outstanding: string[]; probe: boolean; beforeFirstChannel: boolean;
    channel: 'up' | 'lost' | 'none';
  }[];
  /** Replies a client sent to the server's requests. */
  replies: { at: number; link: string; invokeId: string }[];
  /** Anything a side could not read: a framing error, an undecodable frame, bad HTTP, a broken stream. */
  faults: { at: number; where: string; reason: string }[];
  /** Events the client read off a stream, and the acks it sent (`lost`: the network lost it). */
  events: { at: number; eventId: string; channelId: string }[];
  acks: { at: number; eventId: string; statusCode: number; lost: boolean; answered?: number }[];
  heartbeats: { at: number; channelId: string; status: number; streamed: boolean }[];
  /** Links the gateway side closed (a client that answers every probe should never see one). */
  closed: { at: number; link: string; reason: string }[];
  /** Frames that arrived split across pieces, and pieces that carried several frames. */
  split: number;
  coalesced: number;
  /** Keep-alive probes answered; resyncs the client's EventOrder asked for (a gap or a stale event). */
  probesAnswered: number;
  resyncs: { at: number; why: string }[];
}

interface WireLink {
  machine: CstaLinkMachine;
  /** Client side. */
  decoder: FrameDecoderState;
  /** Wire invoke ID → world invoke ID, for the client's requests not yet answered. */
  outstanding: Map<string, string>;
  timers: Map<LinkTimer, number>;
  toClient: Uint8Array[];
  closed: boolean;
}

interface Stream {
  reader: EventStreamReader;
  body: ChunkedBody;
  text: TextDecoder;
}

interface PendingCommand {
  command: XsiCommand;
  /** The HTTP requests sent (method, path), one per answer owed. */
  sent: { method: string; path: string }[];
}

type WireItem =
  | { kind: 'linkTimer'; link: string; name: LinkTimer }
  | { kind: 'clientBytes'; link: string; bytes: Uint8Array }
  | { kind: 'heartbeat' }
  | { kind: 'result'; commandId: number; outcome: XsiOutcome }
  | { kind: 'linkClosed'; link: string };

const FIRST_SPARE_INVOKE_ID = 5000;

export class WireWorld extends VirtualWorld {
  readonly wire: WireLog = {
    requests: [], answers: [], statuses: [], replies: [], faults: [], events: [], acks: [], heartbeats: [], closed: [],
    split: 0, coalesced: 0, probesAnswered: 0, resyncs: [],
  };

  private readonly wireLinks = new Map<string, WireLink>();
  private wireAgenda: { at: number; seq: number; item: WireItem }[] = [];
  private wireSeq = 0;
  private draws = 0;
  private readonly wireSeed: number;
  private readonly keepaliveMs: number;
  private readonly heartbeatMs: number;
  private readonly tellLostWhenNoChannel: boolean;
  private readonly streams = new Map<string, Stream>();
  /** The client's EventOrder; a crashed process's memory of events dies with it. */
  private order = new EventOrder();
  private readonly pendingCommands = new Map<number, PendingCommand>();
  /** What the client read for a delivery whose ack went out (acknowledge runs before feed). */
  private readAhead: { eventId: string; steps: StreamStep[] } | undefined;
  private crashesSeen = 0;
  /** Order of CSTA records (WireLog `n`); true while a keep-alive timer runs. */
  private cstaN = 0;
  /** channelLog's length at the latest crash: later entries are what the running process was told. */
  private channelLogAtCrash = 0;
  private probing = false;
  /**
   * False while VirtualWorld's constructor runs (it opens the event channel, feeding the
   * connector before this class's fields exist): until then everything passes straight through.
   */
  private readonly ready: boolean = true;

  constructor(opts: WireWorldOptions = {}) {
    super(opts);
    this.wireSeed = opts.seed ?? 1;
    this.keepaliveMs = opts.keepaliveMs ?? 60_000;
    this.heartbeatMs = opts.heartbeatMs ?? 15_000;
    this.tellLostWhenNoChannel = opts.tellLostWhenNoChannel === true;
    this.later(this.heartbeatMs, { kind: 'heartbeat' });
  }

  override clone(): never {
    throw new Error('WireWorld cannot be cloned: the exhaustive explorer branches VirtualWorld only');
  }

  // ---- time ----------------------------------------------------------------------------------

  override nextAt(): number | undefined {
    const world = super.nextAt();
    const wire = this.wireAgenda[0]?.at;
    if (world === undefined) return wire;
    return wire === undefined ? world : Math.min(world, wire);
  }

  protected override tick(at: number): void {
    this.afterInput(); // a crash outside any input (an idle process dies) is noticed here
    this.now = at;
    let fed = false;
    while (this.wireAgenda[0] && this.wireAgenda[0].at <= at) {
      const { item } = this.wireAgenda.shift()!;
      fed ||= item.kind === 'result' || item.kind === 'linkClosed';
      this.runWire(item);
    }
    // An instant of wire chatter only (probes, heartbeats, replies) changes nothing the world's
    // probes sample: skip the world's instant, which keeps hours of virtual keep-alive cheap.
    const world = super.nextAt();
    if (!fed && (world === undefined || world > at)) return;
    super.tick(at);
  }

  private later(delay: number, item: WireItem): void {
    this.wireAgenda.push({ at: this.now + delay, seq: this.wireSeq++, item });
    this.wireAgenda.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  private runWire(item: WireItem): void {
    switch (item.kind) {
      case 'linkTimer': {
        const l = this.wireLinks.get(item.link);
        if (!l || l.closed || l.timers.get(item.name) !== this.now) return; // cleared or re-armed
        l.timers.delete(item.name);
        this.probing = item.name === 'keepalive';
        l.machine.timerFired(item.name);
        this.flushToClient(item.link, l);
        this.probing = false;
        return;
      }
      case 'clientBytes': {
        const l = this.wireLinks.get(item.link);
        if (!l || l.closed) return;
        for (const piece of this.chop(item.bytes)) l.machine.receive(piece);
        this.flushToClient(item.link, l);
        return;
      }
      case 'heartbeat':
        this.heartbeats();
        this.later(this.heartbeatMs, { kind: 'heartbeat' });
        return;
      case 'result':
        super.feed({ kind: 'xsp.result', commandId: item.commandId, outcome: item.outcome });
        return this.afterInput();
      case 'linkClosed':
        super.feed({ kind: 'csta.linkClosed', link: item.link });
        return this.afterInput();
    }
  }

  /** A uniform draw in [0, 1) from the seed and a counter (FNV-1a): same seed, same cuts. */
  private draw(): number {
    const text = `${this.wireSeed}:wire:${this.draws++}`;
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h / 0x1_0000_0000;
  }

  /** Bytes as a network delivers them: in 1–3 pieces cut at seeded points. */
  private chop(bytes: Uint8Array): Uint8Array[] {
    const cuts = Math.floor(this.draw() * 3);
    const points = Array.from({ length: cuts }, () => 1 + Math.floor(this.draw() * Math.max(1, bytes.byteLength - 1))).sort((a, b) => a - b);
    const pieces: Uint8Array[] = [];
    let from = 0;
    for (const p of [...points, bytes.byteLength]) {
      if (p > from) pieces.push(bytes.subarray(from, p));
      from = Math.max(from, p);
    }
    return pieces;
  }

  // ---- the connector's loop, through the wires -----------------------------------------------

  protected override feed(input: Input): void {
    if (!this.ready) return super.feed(input);
    switch (input.kind) {
      case 'csta.request':
        return this.clientSends(input.link, input.invokeId, input.request);
      case 'csta.linkClosed': {
        const l = this.wireLinks.get(input.link);
        if (l) {
          l.closed = true;
          l.machine.gone();
        }
        super.feed(input);
        return this.afterInput();
      }
      case 'xsp.result':
        return this.resultOverWire(input.commandId, input.outcome);
      case 'xsp.event':
        return this.eventOverWire(input.event);
      default:
        super.feed(input);
        return this.afterInput();
    }
  }

  protected override carryOut(o: Output): void {
    if (!this.ready) return super.carryOut(o);
    switch (o.kind) {
      case 'csta.response':
      case 'csta.error':
      case 'csta.event':
      case 'csta.systemStatus': {
        const l = this.wireLinks.get(o.link);
        // What the connector meant (I12); the wire log has what was heard.
        if (o.kind === 'csta.systemStatus') super.carryOut(o);
        if (!l || l.closed) {
          if (o.kind !== 'csta.systemStatus') super.carryOut(o);
          return;
        }
        l.machine.deliver(o);
        this.flushToClient(o.link, l);
        return;
      }
      case 'xsp.command':
        return this.commandOverWire(o);
      default:
        super.carryOut(o);
    }
  }

  /** A crash kills every link (VirtualWorld renames the clients' links). */
  private afterInput(): void {
    if (this.crashes.length === this.crashesSeen) return;
    this.crashesSeen = this.crashes.length;
    // A crash may be noticed late (an idle process dies in runUntilQuiet, outside any input):
    // what the binding told after the crash instant is the restarted process's.
    const crashAt = this.crashes[this.crashes.length - 1]!.at;
    let i = this.channelLog.length;
    while (i > 0 && this.channelLog[i - 1]!.at > crashAt) i--;
    this.channelLogAtCrash = i;
    for (const l of this.wireLinks.values()) {
      l.closed = true;
      l.machine.gone();
    }
    this.wireLinks.clear();
    // The process's event channels and its EventOrder die with it; the restarted one starts afresh.
    this.streams.clear();
    this.order = new EventOrder();
  }

  // ---- CSTA: the client side -----------------------------------------------------------------

  private linkFor(link: string): WireLink {
    const known = this.wireLinks.get(link);
    if (known) return known;
    const l: WireLink = {
      decoder: createFrameDecoder(), outstanding: new Map(), timers: new Map(), toClient: [], closed: false,
      machine: undefined as unknown as CstaLinkMachine,
    };
    l.machine = new CstaLinkMachine(link, {
      requireSession: false, session: DEFAULT_SESSION_POLICY, keepaliveMs: this.keepaliveMs, keepaliveTolerance: 3, statusOnConnect: false,
      maxQueuedBytes: 1 << 20,
    }, {
      request: (id, invokeId, request) => {
        super.feed({ kind: 'csta.request', link: id, invokeId, request });
        this.afterInput();
      },
      forget: (id) => {
        super.feed({ kind: 'csta.linkClosed', link: id });
        this.afterInput();
      },
      freshSessionId: () => `session-${this.draws++}`,
      log: (line) => {
        if (line.includes('refused')) this.wire.faults.push({ at: this.now, where: `${link} (gateway side)`, reason: line });
      },
      transmit: (frame) => l.toClient.push(frame),
      setTimer: (name, ms) => {
        l.timers.set(name, this.now + ms);
        this.later(ms, { kind: 'linkTimer', link, name });
      },
      clearTimer: (name) => l.timers.delete(name),
      close: (reason) => {
        l.closed = true;
        this.wire.closed.push({ at: this.now, link, reason });
        this.trace?.add(this.now, 'connector', 'csta', 'link closed', { link, reason });
        this.later(0, { kind: 'linkClosed', link });
      },
    });
    this.wireLinks.set(link, l);
    l.machine.open();
    this.flushToClient(link, l);
    return l;
  }

  private clientSends(link: string, worldId: string, request: CstaRequest): void {
    this.channelNeverOpened();
    const crashes = this.crashes.length;
    const l = this.linkFor(link);
    if (this.crashes.length !== crashes || l.closed) return; // the process died as the link opened
    let wireId = worldId;
    if (!/^\d{4}$/.test(wireId) || wireId === '9999' || l.outstanding.has(wireId)) {
      let n = FIRST_SPARE_INVOKE_ID;
      while (l.outstanding.has(String(n))) n++;
      wireId = String(n);
    }
    const frame = encodeFrame(wireId, encodeCstaRequest(request, DEFAULT_CSTA_NAMESPACE));
    if ('error' in frame) {
      this.wire.faults.push({ at: this.now, where: `${link} (client side)`, reason: `cannot frame ${request.service}: ${frame.error.reason}` });
      return;
    }
    l.outstanding.set(wireId, worldId);
    this.wire.requests.push({ n: this.cstaN++, at: this.now, link, invokeId: wireId, service: request.service });
    for (const piece of this.chop(frame)) {
      if (l.closed) break;
      l.machine.receive(piece);
    }
    this.flushToClient(link, l);
  }

  /**
   * As the HTTP transport does (transport.ts channelLost): a process none of whose channels could
   * open — a restart with every XSP down — is told `lost`, so what it tells a link that connects
   * now is that the XSP is unreachable. VirtualWorld leaves such a process `down`, which no live
   * transport does.
   */
  private channelNeverOpened(): void {
    if (!this.tellLostWhenNoChannel || channelStatus(this.connector) !== 'down' || this.crashes.length === 0) return;
    if (nodeViews(this.xsp).some((n) => n.up)) return;
    this.trace?.add(this.now, 'xsp', 'connector', 'no channel could open', {});
    this.channelLog.push({ at: this.now, status: 'lost' });
    super.feed({ kind: 'xsp.channel', status: 'lost' });
    this.afterInput();
  }

  /** Frames the link wrote since the last flush, read by the client as the network cuts them. */
  private flushToClient(link: string, l: WireLink): void {
    if (l.toClient.length === 0) return;
    const frames = l.toClient.splice(0);
    const total = frames.reduce((n, f) => n + f.byteLength, 0);
    const joined = new Uint8Array(total);
    let o = 0;
    for (const f of frames) { joined.set(f, o); o += f.byteLength; }
    for (const piece of this.chop(joined)) {
      const fed = feedFrames(l.decoder, piece);
      l.decoder = fed.state;
      if (fed.frames.length > 1) this.wire.coalesced++;
      if (fed.frames.length === 0 && !fed.error) this.wire.split++;
      for (const frame of fed.frames) this.clientReads(link, l, frame);
      if (fed.error) this.wire.faults.push({ at: this.now, where: `${link} (client side)`, reason: `framing: ${fed.error.reason}` });
    }
  }

  private clientReads(link: string, l: WireLink, frame: { invokeId: string; xml: string } | { invokeId: string; undecodable: string }): void {
    const at = this.now;
    if ('undecodable' in frame) {
      this.wire.faults.push({ at, where: `${link} (client side)`, reason: `frame #${frame.invokeId}: ${frame.undecodable}` });
      return;
    }
    const decoded = decodeCstaResponseOrEvent(frame.xml);
    if (!decoded.ok) {
      this.wire.faults.push({ at, where: `${link} (client side)`, reason: `frame #${frame.invokeId}: ${decoded.reason}` });
      return;
    }
    switch (decoded.kind) {
      case 'response':
      case 'error': {
        const name = decoded.kind === 'response' ? decoded.response.service : 'CSTAErrorCode';
        this.wire.answers.push({ n: this.cstaN++, at, link, invokeId: frame.invokeId, kind: decoded.kind, name });
        const worldId = l.outstanding.get(frame.invokeId);
        if (worldId === undefined) return; // an answer nobody asked for: W1 judges it from the log
        l.outstanding.delete(frame.invokeId);
        if (decoded.kind === 'response') super.carryOut({ kind: 'csta.response', link, invokeId: worldId, response: decoded.response });
        else super.carryOut({ kind: 'csta.error', link, invokeId: worldId, error: decoded.error });
        return;
      }
      case 'event':
        super.carryOut({ kind: 'csta.event', link, monitorCrossRefId: decoded.monitorCrossRefID, event: decoded.event });
        return;
      case 'request': {
        if (decoded.request.service !== 'SystemStatus') {
          this.wire.faults.push({ at, where: `${link} (client side)`, reason: `unexpected server request ${decoded.request.service}` });
          return;
        }
        const status = decoded.request.systemStatus;
        if (status === undefined) {
          this.wire.faults.push({ at, where: `${link} (client side)`, reason: `SystemStatus #${frame.invokeId} without a systemStatus` });
          return;
        }
        this.wire.statuses.push({ n: this.cstaN++, at, link, invokeId: frame.invokeId, status, outstanding: [...l.outstanding.keys()], probe: this.probing, beforeFirstChannel: channelStatus(this.connector) === 'down',
          channel: this.channelLog.length > this.channelLogAtCrash ? this.channelLog[this.channelLog.length - 1]!.status : 'none',
        });
        this.trace?.add(at, 'connector', 'csta', 'frame SystemStatus', { link, invokeId: frame.invokeId, systemStatus: decoded.request.systemStatus });
        // As OpenScape clients do: SystemStatusResponse under the server's invoke ID.
        const reply = encodeFrame(frame.invokeId, encodeCstaResponse({ service: 'SystemStatusResponse' }, decoded.namespace));
        if ('error' in reply) return;
        this.wire.replies.push({ at, link, invokeId: frame.invokeId });
        this.wire.probesAnswered++;
        this.later(0, { kind: 'clientBytes', link, bytes: reply });
        return;
      }
    }
  }

  // ---- Xsi: commands over HTTP ---------------------------------------------------------------

  private commandOverWire(o: Extract<Output, { kind: 'xsp.command' }>): void {
    const requests = encodeCommandRequest(o.command, { channelSetId: CHANNEL_SET_ID });
    if ('error' in requests) {
      this.later(0, { kind: 'result', commandId: o.commandId, outcome: { transportError: `not sent: ${requests.error}` } });
      return;
    }
    const authorization = basicAuthorization(this.xsp.adminUserId, this.xsp.adminPassword);
    let understood: XsiCommand | undefined;
    const packages: EventPackage[] = [];
    let refusal: Uint8Array | undefined;
    for (const r of requests) {
      const headers: Record<string, string> = { Host: 'xsp.wire', Authorization: authorization, Accept: 'application/xml, text/xml' };
      if (r.body !== undefined) headers['Content-Type'] = 'application/xml; charset=UTF-8';
      const d = readXspRequest(this.xsp, encodeHttpRequest({ method: r.method, target: r.path, headers, ...(r.body !== undefined ? { body: r.body } : {}) }));
      if (d.kind === 'answer') {
        refusal ??= answerBytes(d.answer);
      } else if (d.kind === 'command') {
        understood = d.command;
      } else if (d.kind === 'subscribe') {
        packages.push(...d.packages);
        understood = d.group
          ? { op: 'SUBSCRIBE', userId: d.asUser, packages, group: d.group }
          : { op: 'SUBSCRIBE', userId: d.userId ?? d.asUser, packages };
      } else {
        refusal ??= answerBytes({ status: 400, error: { summaryEnglish: `${r.method} ${r.path} is not a command`, errorCode: 110003 } });
      }
    }
    const sent = requests.map((r) => ({ method: r.method, path: r.path }));
    if (refusal !== undefined || understood === undefined) {
      // Answered by the front at once; the model never sees it.
      const bytes = refusal ?? answerBytes({ status: 400, error: { summaryEnglish: 'nothing to do', errorCode: 110003 } });
      this.later(0, { kind: 'result', commandId: o.commandId, outcome: this.clientDecodes(o.command, [bytes], sent) });
      return;
    }
    this.pendingCommands.set(o.commandId, { command: o.command, sent });
    super.carryOut({ ...o, command: understood });
  }

  /** The client's reading of the answers to one command (transport.ts's assembly for SUBSCRIBE). */
  private clientDecodes(command: XsiCommand, answers: Uint8Array[], sent: { method: string; path: string }[]): XsiOutcome {
    const ids: string[] = [];
    let refusal: XsiOutcome | undefined;
    for (const [i, bytes] of answers.entries()) {
      const r = decodeHttpResponse(bytes);
      if ('error' in r) {
        this.wire.faults.push({ at: this.now, where: 'Xsi client', reason: `${sent[i]?.method} ${sent[i]?.path}: ${r.error}` });
        return { transportError: `bad XSP answer: ${r.error}` };
      }
      const outcome = decodeCommandResponse(command, r.status, r.contentType, r.body);
      if (command.op !== 'SUBSCRIBE') return outcome;
      const id = 'status' in outcome && outcome.body?.kind === 'Subscriptions' ? outcome.body.subscriptionIds[0] : undefined;
      if (id === undefined || !('status' in outcome) || outcome.status > 299) refusal ??= outcome;
      else {
        ids.push(id);
        this.order.expectFresh(id);
      }
    }
    return refusal ?? { status: 200, body: { kind: 'Subscriptions', subscriptionIds: ids } };
  }

  private resultOverWire(commandId: number, outcome: XsiOutcome): void {
    const pending = this.pendingCommands.get(commandId);
    this.pendingCommands.delete(commandId);
    if (!pending) {
      super.feed({ kind: 'xsp.result', commandId, outcome });
      return this.afterInput();
    }
    let decoded: XsiOutcome;
    if (!('status' in outcome)) {
      // The model's transport errors are connections that never answer.
      decoded = { transportError: `${pending.sent[0]?.method} ${pending.sent[0]?.path}: connection reset, no HTTP answer` };
    } else if (pending.command.op === 'SUBSCRIBE') {
      const ids = outcome.body?.kind === 'Subscriptions' ? outcome.body.subscriptionIds : [];
      const answers = pending.sent.map((_, i) => answerBytes(outcomeAnswer(outcome, () => {
        const id = ids[i] ?? ids[0];
        const sub = id === undefined ? undefined : getSubscription(this.xsp, id);
        return sub && encodeSubscriptionResponse(sub.subscriptionId, sub.expires);
      })));
      decoded = this.clientDecodes(pending.command, answers, pending.sent);
    } else {
      decoded = this.clientDecodes(pending.command, [answerBytes(outcomeAnswer(outcome))], pending.sent);
    }
    super.feed({ kind: 'xsp.result', commandId, outcome: decoded });
    this.afterInput();
  }

  // ---- Xsi: the event stream, acks, heartbeats -----------------------------------------------

  /** The stream of a channel as the client reads it; the `<Channel>` document opens it. */
  private streamOf(channelId: string): Stream {
    const known = this.streams.get(channelId);
    if (known) return known;
    const s: Stream = { reader: new EventStreamReader(this.order), body: new ChunkedBody(), text: new TextDecoder('utf-8') };
    this.streams.set(channelId, s);
    const expires = channelInfo(this.xsp, channelId)?.expires ?? 3600;
    const steps = this.readStream(channelId, s, encodeChannel(channelId, expires));
    for (const st of steps) if (st.kind === 'fail') this.wire.faults.push({ at: this.now, where: `stream ${channelId}`, reason: st.reason });
    return s;
  }

  private readStream(channelId: string, s: Stream, document: string): StreamStep[] {
    const steps: StreamStep[] = [];
    for (const piece of this.chop(encodeChunk(document))) {
      const fed = s.body.feed(piece);
      if ('error' in fed) {
        this.wire.faults.push({ at: this.now, where: `stream ${channelId}`, reason: `chunked body: ${fed.error}` });
        continue;
      }
      if (fed.data.byteLength > 0) steps.push(...s.reader.feed(s.text.decode(fed.data, { stream: true })));
    }
    return steps;
  }

  /** The event as written on its channel's stream, read by the client; the steps it takes. */
  private readEvent(channelId: string, event: XsiEvent): StreamStep[] {
    const s = this.streamOf(channelId);
    this.wire.events.push({ at: this.now, eventId: event.eventId, channelId });
    const steps = this.readStream(channelId, s, encodeEvent(event, { userId: this.xsp.adminUserId, channelId }));
    for (const st of steps) if (st.kind === 'fail') this.wire.faults.push({ at: this.now, where: `stream ${channelId}`, reason: st.reason });
    return steps;
  }

  /** VirtualWorld acks here (unless the network lost the ack): read the stream, POST the ack. */
  protected override acknowledge(channelId: string, event: XsiEvent, at: number): void {
    if (!this.ready) return super.acknowledge(channelId, event, at);
    const steps = this.readEvent(channelId, event);
    this.readAhead = { eventId: event.eventId, steps };
    for (const st of steps) if (st.kind === 'ack') this.sendAck(st.eventId, st.statusCode, st.reason, false);
  }

  private sendAck(eventId: string, statusCode: 200 | 400 | 404 | 481 | 500, reason: string, lost: boolean): void {
    const record: WireLog['acks'][number] = { at: this.now, eventId, statusCode, lost };
    this.wire.acks.push(record);
    if (lost) return;
    const bytes = encodeHttpRequest({
      method: 'POST', target: '/com.broadsoft.xsi-events/v2.0/channel/eventresponse',
      headers: { Host: 'xsp.wire', Authorization: basicAuthorization(this.xsp.adminUserId, this.xsp.adminPassword), 'Content-Type': 'application/xml; charset=UTF-8' },
      body: encodeEventResponse(eventId, statusCode, reason),
    });
    const d = readXspRequest(this.xsp, bytes);
    if (d.kind !== 'ack') {
      record.answered = d.kind === 'answer' ? d.answer.status : 400;
      return;
    }
    const pending = Object.hasOwn(this.xsp.pending, d.eventId) ? this.xsp.pending[d.eventId] : undefined;
    if (pending) this.xsp = ackEvent(this.xsp, pending.channelId, d.eventId, d.statusCode, this.now);
    record.answered = 200;
  }

  private eventOverWire(event: XsiEvent): void {
    let steps: StreamStep[];
    if (this.readAhead?.eventId === event.eventId) {
      steps = this.readAhead.steps;
    } else {
      // The world lost this ack in the network: the client read the event and its ack never arrived.
      const channelId = Object.hasOwn(this.xsp.pending, event.eventId) ? this.xsp.pending[event.eventId]!.channelId : this.lastChannel();
      steps = channelId === undefined ? [{ kind: 'event', event }] : this.readEvent(channelId, event);
      for (const st of steps) if (st.kind === 'ack') this.sendAck(st.eventId, st.statusCode, st.reason, true);
    }
    this.readAhead = undefined;
    for (const st of steps) {
      if (st.kind === 'event') {
        super.feed({ kind: 'xsp.event', event: st.event });
        this.afterInput();
      } else if (st.kind === 'gap') {
        // As the HTTP transport's resync (transport.ts): the connector re-reads everything it
        // holds (DESIGN §4.9); the channel never went, so channelLog and the links hear nothing.
        this.wire.resyncs.push({ at: this.now, why: st.why });
        this.trace?.add(this.now, 'xsp', 'connector', 'resync', { why: st.why });
        super.feed({ kind: 'xsp.channel', status: 'resync' });
        this.afterInput();
      }
    }
  }

  private lastChannel(): string | undefined {
    return [...this.streams.keys()].pop();
  }

  private heartbeats(): void {
    for (const [channelId, s] of this.streams) {
      const held = channelInfo(this.xsp, channelId) !== undefined;
      if (!held) {
        this.streams.delete(channelId);
        continue;
      }
      const bytes = encodeHttpRequest({
        method: 'PUT', target: `/com.broadsoft.xsi-events/v2.0/channel/${encodeURIComponent(channelId)}/heartbeat`,
        headers: { Host: 'xsp.wire', Authorization: basicAuthorization(this.xsp.adminUserId, this.xsp.adminPassword) },
      });
      const d = readXspRequest(this.xsp, bytes);
      const status = d.kind === 'heartbeat' && channelInfo(this.xsp, d.channelId) !== undefined ? 200 : d.kind === 'answer' ? d.answer.status : 404;
      // The XSP answers a heartbeat on the stream too (reference/xsi.md §5.3).
      const steps = status === 200 ? this.readStream(channelId, s, HEARTBEAT_DOCUMENT) : [];
      this.wire.heartbeats.push({ at: this.now, channelId, status, streamed: steps.some((st) => st.kind === 'heartbeat') });
    }
  }
}

