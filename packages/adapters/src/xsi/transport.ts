/**
 * `createXsiHttpTransport` — the `XspTransport` of ConnectorRuntime for a real XSP (or the
 * simulator's HTTP server): Xsi-Actions commands over HTTP, events from an Xsi-Events channel.
 *
 * Theory of operation (reference/xsi.md §1–§6; DESIGN §2, §4.9)
 * - `execute(command)` turns one connector command into HTTP with the core's codec
 *   (`encodeCommandRequest`: ids URL-encoded, bodies in XSD order) and reads the answer back
 *   with `decodeCommandResponse`. It never rejects: a refused encoding, a timeout, a broken
 *   connection, a body over `maxBodyBytes`, a non-XML answer all become `{ transportError }`.
 * - SUBSCRIBE is one POST per event package, all bound to our stable channelSetId, sent in
 *   parallel. The command succeeds when every POST does (`Subscriptions` with all ids);
 *   otherwise its outcome is the first refusal. Granted subscriptions are refreshed before
 *   they expire (subscriptionRefresh.ts).
 * - `start(sink)` opens the event channel (eventChannel.ts). The sink hears `channel('up')`
 *   when a channel is up, `channel('lost')` when it is lost, and each new event once, already
 *   acknowledged. When events were missed while the channel stayed up — a sequence gap, a
 *   subscription that had to be re-created — the sink hears `lost` then `up`, which is exactly
 *   what makes the connector re-read every user it holds (§4.9).
 * - `log` gets one line per command and per channel change; credentials never reach it.
 */
import { decodeCommandResponse, encodeCommandRequest, isXsiCodecError, type XsiCommand, type XsiEvent, type XsiOutcome } from '@csta-bw/core';
import type { XspEventSink, XspTransport } from '../runtime.js';
import { DEFAULT_RECONNECT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { XsiEventChannel } from './eventChannel.js';
import { EventOrder } from './eventOrder.js';
import {
  closeXsiConnection, createXsiConnection, DEFAULT_MAX_BODY_BYTES, isTransportFailure, sendRequest, xsiUrl, type XsiConnection,
} from './httpClient.js';
import { SubscriptionRefresh, subscribeOne, type SubscriptionRecord } from './subscriptionRefresh.js';

export interface XsiHttpOptions {
  /** e.g. `http://127.0.0.1:8080` (a path prefix is kept: `https://xsp.example.com/proxy`). */
  baseUrl: string;
  user: string;
  password: string;
  /** Stable across restarts (reference/xsi.md §5.2): subscriptions belong to the set. */
  channelSetId: string;
  applicationId?: string;
  /** The XSP's eventTimeout; heartbeats every half of it. Default 30. */
  eventTimeoutSeconds?: number;
  /** Requested channel lifetime, seconds. Default 3600. */
  channelExpires?: number;
  /** Requested subscription lifetime, seconds. Default 86400 (§5.5 advice for servers). */
  subscriptionExpires?: number;
  /** Deadline for one command, ms. Default 10000. */
  requestTimeoutMs?: number;
  /** Largest answer body (and stream document) accepted, bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  log?: (line: string) => void;
  /** Channel re-creation pacing. Default 1 s doubling to 60 s, with jitter. (Addition to the brief's shape.) */
  reconnectBackoff?: BackoffPolicy;
  /** Random source for the jitter, in [0, 1). Default Math.random. (Addition.) */
  random?: () => number;
}

/** The transport plus a few handles for tests and health checks. */
export interface XsiHttpTransport extends XspTransport {
  /** The event channel's id while up. */
  readonly channelId: string | undefined;
  /** Subscriptions being kept alive. */
  subscriptions(): SubscriptionRecord[];
  /** Drop the event channel as if the network had (a new one follows the backoff). */
  dropChannel(reason?: string): void;
}

export function createXsiHttpTransport(opts: XsiHttpOptions): XsiHttpTransport {
  const log = opts.log ?? (() => {});
  const connection = createXsiConnection(opts);
  if (isTransportFailure(connection)) return brokenTransport(connection.transportError, log);
  return new XsiHttpClient(opts, connection, log);
}

class XsiHttpClient implements XsiHttpTransport {
  private readonly order = new EventOrder();
  private readonly channel: XsiEventChannel;
  private readonly refresh: SubscriptionRefresh;
  private readonly subscriptionExpires: number;
  private sink: XspEventSink | undefined;
  private stopped = false;

  constructor(private readonly opts: XsiHttpOptions, private readonly connection: XsiConnection, private readonly log: (line: string) => void) {
    this.subscriptionExpires = opts.subscriptionExpires ?? 86_400;
    this.refresh = new SubscriptionRefresh({
      connection, channelSetId: opts.channelSetId, subscriptionExpires: this.subscriptionExpires, log,
      ...(opts.applicationId !== undefined ? { applicationId: opts.applicationId } : {}),
      onReplaced: (old, created) => {
        this.order.forget(old.subscriptionId);
        if (created) this.order.expectFresh(created.subscriptionId);
        this.resync(`subscription ${old.subscriptionId} had to be re-created`);
      },
    });
    this.channel = new XsiEventChannel({
      connection,
      channelSetId: opts.channelSetId,
      ...(opts.applicationId !== undefined ? { applicationId: opts.applicationId } : {}),
      eventTimeoutSeconds: opts.eventTimeoutSeconds ?? 30,
      channelExpires: opts.channelExpires ?? 3_600,
      backoff: opts.reconnectBackoff ?? DEFAULT_RECONNECT_BACKOFF,
      random: opts.random ?? Math.random,
      maxDocumentChars: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      order: this.order,
      log,
      onUp: () => this.sink?.channel('up'),
      onLost: () => this.sink?.channel('lost'),
      onEvent: (event) => this.onEvent(event),
      onGap: (why) => this.resync(why),
    });
  }

  get channelId(): string | undefined {
    return this.channel.channelId;
  }

  subscriptions(): SubscriptionRecord[] {
    return this.refresh.list();
  }

  dropChannel(reason = 'dropped on request'): void {
    this.channel.drop(reason);
  }

  start(sink: XspEventSink): void {
    if (this.stopped) return;
    this.sink = sink;
    this.channel.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.sink = undefined;
    this.refresh.stop();
    await this.channel.stop();
    closeXsiConnection(this.connection);
  }

  async execute(command: XsiCommand): Promise<XsiOutcome> {
    if (this.stopped) return { transportError: 'the Xsi transport is stopped' };
    const started = performance.now();
    let outcome: XsiOutcome;
    try {
      outcome = command.op === 'SUBSCRIBE' ? await this.subscribe(command) : await this.action(command);
    } catch (err) {
      outcome = { transportError: `internal error: ${err instanceof Error ? err.message : String(err)}` };
    }
    const result = 'status' in outcome ? `HTTP ${outcome.status}` : outcome.transportError;
    this.log(`xsi: ${command.op} ${String(command.userId)} → ${result} (${Math.round(performance.now() - started)} ms)`);
    return outcome;
  }

  private async action(command: XsiCommand): Promise<XsiOutcome> {
    const requests = encodeCommandRequest(command);
    if (isXsiCodecError(requests)) return { transportError: `not sent: ${requests.error}` };
    const request = requests[0];
    if (!request) return { transportError: `not sent: ${command.op} has no HTTP form` };
    const answer = await sendRequest(this.connection, {
      method: request.method, url: xsiUrl(this.connection.baseUrl, request.path), ...(request.body !== undefined ? { body: request.body } : {}),
    });
    if (isTransportFailure(answer)) return answer;
    return decodeCommandResponse(command, answer.status, answer.contentType, answer.body);
  }

  private async subscribe(command: Extract<XsiCommand, { op: 'SUBSCRIBE' }>): Promise<XsiOutcome> {
    const settings = {
      connection: this.connection, channelSetId: this.opts.channelSetId, subscriptionExpires: this.subscriptionExpires,
      ...(this.opts.applicationId !== undefined ? { applicationId: this.opts.applicationId } : {}),
    };
    const count = Array.isArray(command.packages) ? command.packages.length : 0;
    if (count === 0) return { transportError: 'not sent: SUBSCRIBE with no event packages' };
    // Validate once up front so a bad command sends nothing at all.
    const check = encodeCommandRequest(command, { channelSetId: this.opts.channelSetId });
    if (isXsiCodecError(check)) return { transportError: `not sent: ${check.error}` };
    const results = await Promise.all(Array.from({ length: count }, (_, i) => subscribeOne(settings, command, i)));
    const ids: string[] = [];
    let refusal: XsiOutcome | undefined;
    for (const r of results) {
      if ('subscriptionId' in r) {
        if (this.stopped) continue;
        this.order.expectFresh(r.subscriptionId);
        this.refresh.add(r);
        ids.push(r.subscriptionId);
      } else {
        refusal ??= r;
      }
    }
    return refusal ?? { status: 200, body: { kind: 'Subscriptions', subscriptionIds: ids } };
  }

  private onEvent(event: XsiEvent): void {
    if (event.type === 'SubscriptionTerminatedEvent') this.refresh.remove(event.subscriptionId);
    this.sink?.event(event);
  }

  /** Events were missed on a live channel: make the connector re-read the truth (§4.9). */
  private resync(why: string): void {
    // With the channel down, the 'up' that follows its recovery resyncs anyway.
    if (this.channel.channelId === undefined) return this.log(`xsi: ${why} (resync when the channel is back)`);
    this.log(`xsi: resync: ${why}`);
    this.sink?.channel('lost');
    this.sink?.channel('up');
  }
}

/** A transport for options that can never work (bad base URL): every command says why. */
function brokenTransport(why: string, log: (line: string) => void): XsiHttpTransport {
  return {
    channelId: undefined,
    subscriptions: () => [],
    dropChannel: () => {},
    execute: () => Promise.resolve({ transportError: why }),
    start: (sink) => {
      log(`xsi: ${why}`);
      sink.channel('lost');
    },
    stop: () => Promise.resolve(),
  };
}
