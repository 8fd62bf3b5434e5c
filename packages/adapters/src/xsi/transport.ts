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
 *   subscription that had to be re-created — the sink hears `resync`: the connector re-reads
 *   every user it holds (§4.9) and tells its links nothing, since the XSP never went away.
 * - `log` gets one line per command and per channel change; credentials never reach it.
 * - Several XSPs (`baseUrl` a list; issue 15, DESIGN §10): one event channel per XSP, all in
 *   the one stable channel set, each with its own heartbeats and backoff. The sink hears `up`
 *   when the first channel of the set is up and `lost` only when the last one is gone — while
 *   one XSP still holds a channel, BroadWorks keeps the set's subscriptions flowing over it
 *   (reference §5.9), so nothing is missed and there is nothing to resync. Events from every
 *   channel pass one `EventOrder`: an event redelivered on another channel is dropped by its
 *   eventID. Actions go to a healthy XSP (xspNodes.ts, which says when a request moves on).
 */
import { decodeCommandResponse, encodeCommandRequest, isXsiCodecError, type XsiCommand, type XsiEvent, type XsiOutcome } from '@csta-bw/core';
import type { XspEventSink, XspTransport } from '../runtime.js';
import { DEFAULT_RECONNECT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { XsiEventChannel } from './eventChannel.js';
import { EventOrder } from './eventOrder.js';
import {
  closeXsiConnection, createXsiConnection, DEFAULT_MAX_BODY_BYTES, isTransportFailure, type XsiConnection,
} from './httpClient.js';
import { SubscriptionRefresh, subscribeOne, type SubscriptionRecord } from './subscriptionRefresh.js';
import { XspNodes } from './xspNodes.js';

export interface XsiHttpOptions {
  /**
   * e.g. `http://127.0.0.1:8080` (a path prefix is kept: `https://xsp.example.com/proxy`), or
   * one URL per XSP of a redundant deployment.
   */
  baseUrl: string | readonly string[];
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
  /** An event channel's id while one is up (the first XSP's, if several are). */
  readonly channelId: string | undefined;
  /** Each XSP (base URL host) with its channel id while that channel is up. */
  channels(): { node: string; channelId: string | undefined }[];
  /** Subscriptions being kept alive. */
  subscriptions(): SubscriptionRecord[];
  /** Drop the event channel(s) as if the network had — every XSP's, or only XSP `node` (0-based). */
  dropChannel(reason?: string, node?: number): void;
  /** Send the next Actions request to XSP `node` first (operators, tests). */
  preferNode(node: number): void;
}

export function createXsiHttpTransport(opts: XsiHttpOptions): XsiHttpTransport {
  const log = opts.log ?? (() => {});
  const urls = typeof opts.baseUrl === 'string' ? [opts.baseUrl] : [...opts.baseUrl];
  if (urls.length === 0) return brokenTransport('no XSP URL given', log);
  const connections: XsiConnection[] = [];
  for (const [i, baseUrl] of urls.entries()) {
    const connection = createXsiConnection({ ...opts, baseUrl });
    if (isTransportFailure(connection)) {
      connections.forEach(closeXsiConnection);
      return brokenTransport(urls.length > 1 ? `XSP #${i + 1}: ${connection.transportError}` : connection.transportError, log);
    }
    connections.push(connection);
  }
  return new XsiHttpClient(opts, connections, log);
}

class XsiHttpClient implements XsiHttpTransport {
  private readonly order = new EventOrder();
  private readonly nodes: XspNodes;
  private readonly eventChannels: XsiEventChannel[];
  /** XSPs whose channel is up; the sink hears `up`/`lost` on this set's edges. */
  private readonly upNodes = new Set<number>();
  private told: 'nothing' | 'up' | 'lost' = 'nothing';
  /** Before any channel was ever up: the XSPs that failed to give one (all must, before `lost`). */
  private readonly neverUp = new Set<number>();
  private readonly refresh: SubscriptionRefresh;
  private readonly subscriptionExpires: number;
  private sink: XspEventSink | undefined;
  private stopped = false;

  constructor(private readonly opts: XsiHttpOptions, private readonly connections: XsiConnection[], private readonly log: (line: string) => void) {
    this.subscriptionExpires = opts.subscriptionExpires ?? 86_400;
    const backoff = opts.reconnectBackoff ?? DEFAULT_RECONNECT_BACKOFF;
    const random = opts.random ?? Math.random;
    this.nodes = new XspNodes(connections, { backoff, random, log, channelUp: (i) => this.upNodes.has(i) });
    this.refresh = new SubscriptionRefresh({
      send: this.nodes.send, channelSetId: opts.channelSetId, subscriptionExpires: this.subscriptionExpires, log,
      ...(opts.applicationId !== undefined ? { applicationId: opts.applicationId } : {}),
      onReplaced: (old, created) => {
        this.order.forget(old.subscriptionId);
        if (created) this.order.expectFresh(created.subscriptionId);
        this.resync(`subscription ${old.subscriptionId} had to be re-created`);
      },
    });
    this.eventChannels = connections.map((connection, node) => new XsiEventChannel({
      connection,
      channelSetId: opts.channelSetId,
      ...(opts.applicationId !== undefined ? { applicationId: opts.applicationId } : {}),
      eventTimeoutSeconds: opts.eventTimeoutSeconds ?? 30,
      channelExpires: opts.channelExpires ?? 3_600,
      backoff,
      random,
      maxDocumentChars: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      order: this.order,
      log: connections.length > 1 ? (line) => log(line.replace(/^xsi: /, `xsi: [XSP #${node + 1}] `)) : log,
      onUp: () => this.channelUp(node),
      onLost: (reason) => this.channelLost(node, reason),
      onEvent: (event) => this.onEvent(event),
      onGap: (why) => this.resync(why),
    }));
  }

  get channelId(): string | undefined {
    return this.eventChannels.map((c) => c.channelId).find((id) => id !== undefined);
  }

  channels(): { node: string; channelId: string | undefined }[] {
    return this.eventChannels.map((c, i) => ({ node: this.connections[i]!.baseUrl.host, channelId: c.channelId }));
  }

  subscriptions(): SubscriptionRecord[] {
    return this.refresh.list();
  }

  dropChannel(reason = 'dropped on request', node?: number): void {
    this.eventChannels.forEach((c, i) => {
      if (node === undefined || node === i) c.drop(reason);
    });
  }

  preferNode(node: number): void {
    this.nodes.prefer(node);
  }

  /** The first channel of the set up: the connector's link is up (resync after a loss). */
  private channelUp(node: number): void {
    this.nodes.markHealthy(node);
    this.upNodes.add(node);
    if (this.told === 'up') return void this.log(`xsi: XSP #${node + 1}'s channel rejoined the set (${this.upNodes.size} of ${this.eventChannels.length} up)`);
    this.told = 'up';
    this.sink?.channel('up');
  }

  /** The last channel of the set gone: only now may events be missed. */
  private channelLost(node: number, reason: string): void {
    this.nodes.markFailed(node, `event channel lost: ${reason}`);
    this.upNodes.delete(node);
    if (this.upNodes.size > 0) return void this.log(`xsi: XSP #${node + 1}'s channel lost; the set goes on over ${this.upNodes.size} other channel(s)`);
    if (this.told === 'lost') return;
    // At start-up one XSP failing while another is still opening its channel is not "lost" yet.
    this.neverUp.add(node);
    if (this.told === 'nothing' && this.neverUp.size < this.eventChannels.length) return;
    this.told = 'lost';
    this.sink?.channel('lost');
  }

  start(sink: XspEventSink): void {
    if (this.stopped) return;
    this.sink = sink;
    for (const c of this.eventChannels) c.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.sink = undefined;
    this.refresh.stop();
    await Promise.all(this.eventChannels.map((c) => c.stop()));
    this.connections.forEach(closeXsiConnection);
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
    const answer = await this.nodes.send({
      method: request.method, path: request.path, ...(request.body !== undefined ? { body: request.body } : {}), repeatable: request.method === 'GET',
    });
    if (isTransportFailure(answer)) return { transportError: answer.transportError };
    return decodeCommandResponse(command, answer.status, answer.contentType, answer.body);
  }

  private async subscribe(command: Extract<XsiCommand, { op: 'SUBSCRIBE' }>): Promise<XsiOutcome> {
    const settings = {
      send: this.nodes.send, channelSetId: this.opts.channelSetId, subscriptionExpires: this.subscriptionExpires,
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
    // With every channel down, the 'up' that follows the recovery resyncs anyway.
    if (this.upNodes.size === 0) return this.log(`xsi: ${why} (resync when the channel is back)`);
    this.log(`xsi: resync: ${why}`);
    this.sink?.channel('resync');
  }
}

/** A transport for options that can never work (bad base URL): every command says why. */
function brokenTransport(why: string, log: (line: string) => void): XsiHttpTransport {
  return {
    channelId: undefined,
    channels: () => [],
    subscriptions: () => [],
    dropChannel: () => {},
    preferNode: () => {},
    execute: () => Promise.resolve({ transportError: why }),
    start: (sink) => {
      log(`xsi: ${why}`);
      sink.channel('lost');
    },
    stop: () => Promise.resolve(),
  };
}
