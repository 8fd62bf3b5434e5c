/**
 * The Xsi-Events channel: one long-lived streaming HTTP answer that carries the XSP's events.
 *
 * Theory of operation (reference/xsi.md §5.2–§5.7, §8; DESIGN §4.9)
 * 1. Open: POST `/com.broadsoft.async/com.broadsoft.xsi-events/v2.0/channel` with the stable
 *    channelSetId (subscriptions belong to the set and survive the loss of any one channel).
 *    The answer must be 200 with an XML content type; its body is the stream. The channel is
 *    up when the stream's first document, `<Channel>`, gives us the channelId.
 * 2. Node affinity: heartbeats, acks and channel updates go to the node that answered the
 *    create (after any 302), not to the FQDN we were given.
 * 3. The stream is bytes → UTF-8 text (a streaming decoder, so a character split across chunks
 *    survives) → whole XML documents (the core's splitter: chunk boundaries mean nothing).
 * 4. Each event is acknowledged (POST channel/eventresponse, 200; 400 for one we cannot read)
 *    except ChannelTerminatedEvent, then filtered by `EventOrder`: duplicates dropped, a
 *    sequence gap or a stale event makes the connector resync (`onGap`).
 * 5. Liveness: a heartbeat PUT every eventTimeout/2 (the XSP answers with a ChannelHeartBeat
 *    document on the stream); a stream silent for a whole eventTimeout has stalled. A heartbeat
 *    answered 404/401 means the XSP forgot the channel. The channel is refreshed (PUT expires)
 *    at half its granted lifetime.
 * 6. Loss (stream end, stall, ChannelTerminatedEvent, desynchronised stream, refused create):
 *    report `onLost` once, then open a new channel after an exponential, jittered backoff. The
 *    attempt counter is reset only by a successful heartbeat — a channel that dies again at
 *    once keeps backing off, so many clients never storm the XSP.
 * Every asynchronous step carries the generation of the channel it belongs to; an answer that
 *    arrives for an older channel is ignored.
 */
import type { ClientRequest } from 'node:http';
import {
  decodeChannelUpdate, encodeChannelRequest, encodeChannelUpdate, encodeEventResponse, isXsiCodecError, type EventResponseStatusCode, type XsiEvent,
} from '@csta-bw/core';
import { reconnectDelay, type BackoffPolicy } from './backoff.js';
import { EventOrder } from './eventOrder.js';
import { EventStreamReader, type StreamStep } from './streamReader.js';
import {
  describeError, isTransportFailure, readBody, requestHead, sendRequest, xsiUrl, type XsiConnection,
} from './httpClient.js';

export const CHANNEL_CREATE_PATH = '/com.broadsoft.async/com.broadsoft.xsi-events/v2.0/channel';
const EVENTS_PATH = '/com.broadsoft.xsi-events/v2.0';
/** Timers longer than this overflow setTimeout's 32-bit delay. */
const MAX_TIMER_MS = 2_147_483_647;
const NEVER_EXPIRES = 2_147_483_647;

export interface EventChannelOptions {
  connection: XsiConnection;
  channelSetId: string;
  applicationId?: string;
  eventTimeoutSeconds: number;
  channelExpires: number;
  backoff: BackoffPolicy;
  random: () => number;
  maxDocumentChars: number;
  order: EventOrder;
  log: (line: string) => void;
  onUp: (channelId: string) => void;
  onLost: (reason: string) => void;
  onEvent: (event: XsiEvent) => void;
  /** Events were missed or came out of order: the connector must re-read what it holds. */
  onGap: (why: string) => void;
}

/** One open (or opening) channel. */
interface Stream {
  generation: number;
  request?: ClientRequest;
  /** Base URL of the node holding the stream (§5.1). */
  node: URL;
  channelId?: string;
  reader: EventStreamReader;
  decoder: TextDecoder;
  heartbeat?: ReturnType<typeof setInterval>;
  refresh?: ReturnType<typeof setTimeout>;
  watchdog?: ReturnType<typeof setTimeout>;
}

export class XsiEventChannel {
  private generation = 0;
  private stream: Stream | undefined;
  private reconnect: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  /** True while the connector believes the channel is up (so `onLost` is said once per loss). */
  private reportedUp = false;
  private reportedLost = false;
  private stopped = false;

  constructor(private readonly o: EventChannelOptions) {}

  /** The channel id while up (for tests and health checks). */
  get channelId(): string | undefined {
    return this.stream?.channelId;
  }

  start(): void {
    if (this.stopped || this.stream || this.reconnect) return;
    void this.open();
  }

  /** Close for good: DELETE the channel (best effort, short deadline) and end the stream. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.generation++;
    if (this.reconnect) clearTimeout(this.reconnect);
    this.reconnect = undefined;
    const s = this.stream;
    this.stream = undefined;
    if (!s) return;
    this.clearTimers(s);
    if (s.channelId !== undefined) {
      await sendRequest(this.o.connection, {
        method: 'DELETE', url: xsiUrl(s.node, `${EVENTS_PATH}/channel/${encodeURIComponent(s.channelId)}`), timeoutMs: 2_000,
      });
    }
    s.request?.destroy();
  }

  /** Drop the current channel as if lost (tests, operator action); a new one follows the backoff. */
  drop(reason: string): void {
    if (this.stream) this.fail(this.stream.generation, reason);
  }

  // ---- opening -------------------------------------------------------------------------------

  private async open(): Promise<void> {
    this.reconnect = undefined;
    const generation = ++this.generation;
    const o = this.o;
    const stream: Stream = {
      generation,
      node: o.connection.baseUrl,
      reader: new EventStreamReader(o.order, o.maxDocumentChars),
      decoder: new TextDecoder('utf-8'),
    };
    this.stream = stream;
    const body = encodeChannelRequest({
      channelSetId: o.channelSetId, priority: 1, weight: 50, expires: o.channelExpires,
      ...(o.applicationId !== undefined ? { applicationId: o.applicationId } : {}),
    });
    const head = await requestHead(o.connection, { method: 'POST', url: xsiUrl(o.connection.baseUrl, CHANNEL_CREATE_PATH), body, ownConnection: true });
    if (generation !== this.generation) {
      if (!isTransportFailure(head)) head.request.destroy();
      return;
    }
    if (isTransportFailure(head)) return this.fail(generation, `channel create: ${head.transportError}`);
    stream.request = head.request;
    if (head.status !== 200) {
      const text = await readBody(head, 4_096, 2_000);
      head.request.destroy();
      const detail = typeof text === 'string' ? errorSummary(text) : '';
      return this.fail(generation, `channel create answered HTTP ${head.status}${detail}`);
    }
    if (!isXmlMedia(head.contentType)) {
      head.request.destroy();
      return this.fail(generation, `bad XSP answer: content type "${String(head.contentType)}" on the event channel, expected XML`);
    }
    stream.node = nodeBase(head.url, o.connection.baseUrl);
    const response = head.response;
    response.on('data', (chunk: Buffer) => this.onBytes(generation, chunk));
    response.on('end', () => this.fail(generation, 'the XSP ended the event stream'));
    response.on('close', () => this.fail(generation, 'the event stream connection closed'));
    response.on('error', (err) => this.fail(generation, `event stream: ${describeError(err)}`));
    // Until the <Channel> document arrives, the create's own deadline applies.
    this.armWatchdog(stream, o.connection.requestTimeoutMs, 'no <Channel> document on the new event stream');
  }

  // ---- reading the stream --------------------------------------------------------------------

  private onBytes(generation: number, chunk: Buffer): void {
    const s = this.stream;
    if (!s || s.generation !== generation) return;
    if (s.channelId !== undefined) this.armWatchdog(s, this.o.eventTimeoutSeconds * 1000, 'event stream stalled (no heartbeat answer within eventTimeout)');
    // The reading itself is sans-IO (streamReader.ts); here only its steps are carried out.
    for (const step of s.reader.feed(s.decoder.decode(chunk, { stream: true }))) {
      this.carryOut(s, step);
      if (this.stream !== s) return; // the step ended this channel
    }
  }

  private carryOut(s: Stream, step: StreamStep): void {
    switch (step.kind) {
      case 'up':
        return this.onChannelUp(s, step.channelId, step.expires);
      case 'heartbeat':
        return;
      case 'ack':
        return this.acknowledge(s, step.eventId, step.statusCode, step.reason);
      case 'event':
        return this.o.onEvent(step.event);
      case 'gap':
        return this.o.onGap(step.why);
      case 'fail':
        return this.fail(s.generation, step.reason);
      case 'log':
        return this.o.log(step.line);
    }
  }

  private onChannelUp(s: Stream, channelId: string, expires: number): void {
    s.channelId = channelId;
    this.o.log(`xsi: event channel ${channelId} up at ${s.node.host}, expires in ${expires} s`);
    const heartbeatMs = Math.max(100, (this.o.eventTimeoutSeconds * 1000) / 2);
    s.heartbeat = setInterval(() => void this.sendHeartbeat(s), heartbeatMs);
    this.armWatchdog(s, this.o.eventTimeoutSeconds * 1000, 'event stream stalled (no heartbeat answer within eventTimeout)');
    this.scheduleRefresh(s, expires);
    this.reportedUp = true;
    this.reportedLost = false;
    this.o.onUp(channelId);
  }

  // ---- keeping the channel alive -------------------------------------------------------------

  private async sendHeartbeat(s: Stream): Promise<void> {
    if (s.channelId === undefined) return;
    const answer = await sendRequest(this.o.connection, {
      method: 'PUT', url: xsiUrl(s.node, `${EVENTS_PATH}/channel/${encodeURIComponent(s.channelId)}/heartbeat`),
    });
    if (this.stream !== s) return;
    if (isTransportFailure(answer)) return this.o.log(`xsi: heartbeat failed: ${answer.transportError}`);
    if (answer.status === 200) {
      this.attempt = 0; // a channel that lived long enough to beat once is healthy
      return;
    }
    // §5.3, §8: 404 (and 401) mean the XSP no longer knows the channel — open a new one.
    if (answer.status === 404 || answer.status === 401) return this.fail(s.generation, `heartbeat answered HTTP ${answer.status}: channel gone`);
    this.o.log(`xsi: heartbeat answered HTTP ${answer.status}`);
  }

  private scheduleRefresh(s: Stream, grantedSeconds: number): void {
    if (s.refresh) clearTimeout(s.refresh);
    if (grantedSeconds >= NEVER_EXPIRES) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(1_000, (grantedSeconds * 1000) / 2));
    s.refresh = setTimeout(() => void this.refresh(s, grantedSeconds / 2), delay);
  }

  private async refresh(s: Stream, secondsLeft: number): Promise<void> {
    if (s.channelId === undefined) return;
    const answer = await sendRequest(this.o.connection, {
      method: 'PUT', url: xsiUrl(s.node, `${EVENTS_PATH}/channel/${encodeURIComponent(s.channelId)}`), body: encodeChannelUpdate(this.o.channelExpires),
    });
    if (this.stream !== s) return;
    if (!isTransportFailure(answer) && answer.status === 200) {
      const update = decodeChannelUpdate(answer.body);
      return this.scheduleRefresh(s, isXsiCodecError(update) ? this.o.channelExpires : update.expires);
    }
    if (!isTransportFailure(answer) && answer.status === 404) return this.fail(s.generation, 'channel refresh answered 404: channel gone');
    // Try again in half the time that is left; the XSP ends the channel if we never succeed.
    this.o.log(`xsi: channel refresh failed: ${isTransportFailure(answer) ? answer.transportError : `HTTP ${answer.status}`}`);
    this.scheduleRefresh(s, secondsLeft);
  }

  private acknowledge(s: Stream, eventId: string, statusCode: EventResponseStatusCode, reason: string): void {
    void sendRequest(this.o.connection, {
      method: 'POST', url: xsiUrl(s.node, `${EVENTS_PATH}/channel/eventresponse`), body: encodeEventResponse(eventId, statusCode, reason),
    }).then((answer) => {
      // An ack that fails is not fatal: the XSP redelivers and the duplicate is dropped.
      if (isTransportFailure(answer)) this.o.log(`xsi: ack of ${eventId} failed: ${answer.transportError}`);
      else if (answer.status !== 200) this.o.log(`xsi: ack of ${eventId} answered HTTP ${answer.status}`);
    });
  }

  private armWatchdog(s: Stream, ms: number, why: string): void {
    if (s.watchdog) clearTimeout(s.watchdog);
    s.watchdog = setTimeout(() => this.fail(s.generation, why), ms);
  }

  private clearTimers(s: Stream): void {
    if (s.heartbeat) clearInterval(s.heartbeat);
    if (s.refresh) clearTimeout(s.refresh);
    if (s.watchdog) clearTimeout(s.watchdog);
  }

  // ---- loss and reconnection -----------------------------------------------------------------

  private fail(generation: number, reason: string): void {
    const s = this.stream;
    if (this.stopped || !s || s.generation !== generation) return;
    this.stream = undefined;
    this.generation++;
    this.clearTimers(s);
    s.request?.destroy();
    const delay = reconnectDelay(this.o.backoff, this.attempt++, this.o.random());
    this.o.log(`xsi: event channel lost: ${reason}; new channel in ${delay} ms`);
    this.reconnect = setTimeout(() => void this.open(), delay);
    if (this.reportedUp || !this.reportedLost) {
      this.reportedUp = false;
      this.reportedLost = true;
      this.o.onLost(reason);
    }
  }
}

/** The base URL of the node that answered (same path prefix as the configured base). */
function nodeBase(landed: URL, configured: URL): URL {
  const node = new URL(landed.href);
  const i = node.pathname.toLowerCase().lastIndexOf(CHANNEL_CREATE_PATH.toLowerCase());
  node.pathname = i >= 0 ? node.pathname.slice(0, i) : configured.pathname;
  node.search = '';
  return node;
}

function isXmlMedia(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  return media === 'application/xml' || media === 'text/xml' || media.endsWith('+xml');
}

function errorSummary(body: string): string {
  const m = /<summaryEnglish>([^<]{0,200})<\/summaryEnglish>/.exec(body);
  return m ? `: ${m[1]}` : '';
}
