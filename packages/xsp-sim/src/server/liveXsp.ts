/**
 * The pure XSP model driven by real time: the one place where the simulator's state lives while
 * the HTTP server runs.
 *
 * Theory of operation
 * 1. Virtual clock: `now()` = ms since the last (re)start, plus the offset added by
 *    `/_sim/clock/advance`. It never goes backwards, as the model's loop contract requires.
 * 2. After every change (a command submitted, a channel opened, an ack, …) `pump()` calls
 *    `advance(state, now)` and hands each delivery to its consumer: a command result to the HTTP
 *    request waiting for it, an event or a ChannelTerminatedEvent to the channel's open stream.
 *    Then one timer is armed for the model's `nextDueAt` (or the external actor's next change).
 * 3. Commands go through `submit`, so the fault profile applies: latency, 503/500, and answers
 *    that never come ("timeout"). A request whose answer never comes is cut off after
 *    `LOST_ANSWER_MS` by dropping its connection — as a load balancer would.
 * 4. Channel streams: each open channel has a chunked response; one document per `write`, so one
 *    chunk per document. A channel with no heartbeat for `eventTimeoutSeconds` is terminated
 *    (ChannelTerminatedEvent, then the stream ends). A stream the client drops closes the channel.
 * 5. Under `flaky`/`hostile` the seeded external actor (`drawExternalAction`) changes things by
 *    itself at the instants it draws.
 * 6. Cluster (`nodes` > 1, model/nodes.ts): every Xsi request and stream is tracked under the
 *    node whose port took it. A node going down ends its streams and in-flight requests by
 *    destroying their sockets — a dead XSP sends no ChannelTerminatedEvent and no answer — and
 *    then tells the model, which moves the set's events to the surviving channels.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { encodeChannelTerminated, encodeEvent, HEARTBEAT_DOCUMENT, type XsiCommand, type XsiOutcome } from '@csta-bw/core';
import { closeChannel } from '../model/channels.js';
import { xspError } from '../model/errors.js';
import type { Directory } from '../model/directory.js';
import type { Delivery } from '../model/events.js';
import { applyExternal, drawExternalAction, type ExternalAction } from '../model/external.js';
import type { FaultProfile } from '../model/faults.js';
import type { XspState } from '../model/state.js';
import { setNodeCondition, setNodeDown, setNodeUp } from '../model/nodes.js';
import { advance, createXsp, nextDueAt, setFaultProfile, submit } from '../model/xsp.js';

/** How long a request whose answer the fault profile lost is held before its connection drops. */
export const LOST_ANSWER_MS = 60_000;
/** setTimeout cannot wait longer than 2^31−1 ms; we re-arm at least this often. */
const MAX_TIMER_MS = 60_000;

interface ChannelStream {
  res: ServerResponse;
  heartbeatTimer: NodeJS.Timeout;
}

export interface LiveXspOptions {
  directory: Directory;
  seed: number;
  faults: FaultProfile;
  eventTimeoutSeconds: number;
  log: (line: string) => void;
  /**
   * Wall-clock ms of virtual time 0 (model `epoch`): fixed for reproducible runs (`--epoch`);
   * absent = the real time of each (re)start, so dates are today's.
   */
  epoch?: number;
  /** XSP nodes in front of the model (default 1). */
  nodes?: number;
}

/** The server keeps only its latest state, so the model may update it in place (see Draft). */
function inPlace(s: XspState): XspState {
  s.updateInPlace = true;
  return s;
}

export class LiveXsp {
  state: XspState;
  directory: Directory;
  readonly seed: number;
  private readonly eventTimeoutMs: number;
  private readonly log: (line: string) => void;
  private readonly fixedEpoch: number | undefined;
  /** The model's epoch of the current run. */
  epoch: number;
  private startedAt = performance.now();
  private clockOffset = 0;
  private timer: NodeJS.Timeout | undefined;
  private nextRequestId = 1;
  private readonly waiting = new Map<number, (outcome: XsiOutcome) => void>();
  private readonly streams = new Map<string, ChannelStream>();
  private nextExternal: { at: number; action: ExternalAction } | undefined;
  private closed = false;
  /** Node count; above 1 the model is told which node each request and channel came through. */
  readonly nodes: number;
  /** Xsi answers (streams included) still open, per node: what a node going down cuts off. */
  private readonly openAnswers: Map<ServerResponse, { method: string; path: string }>[];

  constructor(opts: LiveXspOptions) {
    this.directory = opts.directory;
    this.seed = opts.seed;
    this.eventTimeoutMs = opts.eventTimeoutSeconds * 1000;
    this.log = opts.log;
    this.fixedEpoch = opts.epoch;
    this.epoch = opts.epoch ?? Date.now();
    this.nodes = opts.nodes ?? 1;
    this.openAnswers = Array.from({ length: this.nodes }, () => new Map());
    this.state = inPlace(createXsp({ directory: opts.directory, seed: opts.seed, faults: opts.faults, epoch: this.epoch, nodes: this.nodes }));
    this.drawNextExternal();
  }

  /** The node to name to the model: only a cluster names one, so a single XSP's state reads as before. */
  modelNode(node: number): { node?: number } {
    return this.nodes > 1 ? { node } : {};
  }

  // ----------------------------------------------------------------------------- clock & loop

  now(): number {
    return Math.floor(performance.now() - this.startedAt) + this.clockOffset;
  }

  advanceClock(ms: number): void {
    this.clockOffset += ms;
    this.pump();
  }

  /** Runs everything due, hands deliveries out, re-arms the timer. */
  pump(): void {
    if (this.closed) return;
    const now = this.now();
    if (this.nextExternal && this.nextExternal.at <= now) {
      const { action } = this.nextExternal;
      const r = applyExternal(this.state, action, now);
      this.state = r.state;
      this.log(`external ${action.kind}: ${'status' in r.outcome ? r.outcome.status : r.outcome.transportError}`);
      this.drawNextExternal();
    }
    const { state, deliveries } = advance(this.state, now);
    this.state = state;
    for (const d of deliveries) this.dispatch(d);
    this.armTimer();
  }

  private armTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const due = [nextDueAt(this.state), this.nextExternal?.at].filter((x): x is number => x !== undefined);
    if (due.length === 0) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, Math.min(...due) - this.now()));
    this.timer = setTimeout(() => this.pump(), wait);
    this.timer.unref();
  }

  private drawNextExternal(): void {
    const next = drawExternalAction(this.state, this.now());
    this.nextExternal = next ? { at: next.at, action: next.action } : undefined;
    if (next) this.state = next.state;
  }

  private dispatch(d: Delivery): void {
    switch (d.kind) {
      case 'result': {
        const resolve = this.waiting.get(d.requestId);
        this.waiting.delete(d.requestId);
        resolve?.(d.outcome);
        break;
      }
      case 'event': {
        const stream = this.streams.get(d.channelId);
        if (!stream) break; // stays pending: the ack timeout resends it elsewhere
        const env = d.envelope;
        const extras = {
          userId: env.subscriberId,
          channelId: d.channelId,
          ...(env.applicationId !== undefined ? { externalApplicationId: env.applicationId } : {}),
        };
        stream.res.write(encodeEvent(d.event, extras));
        break;
      }
      case 'channelTerminated':
        this.endStream(d.channelId, d.reason);
        break;
    }
  }

  // ----------------------------------------------------------------------------- commands

  /** Submits a command under the fault profile; resolves with its outcome, or never (lost). */
  command(asUser: string, command: XsiCommand, node = 0): { outcome: Promise<XsiOutcome>; cancel: () => void } {
    const requestId = this.nextRequestId++;
    const outcome = new Promise<XsiOutcome>((resolve) => this.waiting.set(requestId, resolve));
    this.state = submit(this.state, { requestId, asUser, command, ...this.modelNode(node) }, this.now());
    this.pump();
    return { outcome, cancel: () => this.waiting.delete(requestId) };
  }

  /** Applies a pure model step `(state, now) → state` and pumps. */
  update(step: (s: XspState, now: number) => XspState): void {
    this.state = step(this.state, this.now());
    this.pump();
  }

  // ----------------------------------------------------------------------------- channels

  /** Attaches the chunked response of a channel just opened in the model. */
  attachStream(channelId: string, res: ServerResponse): void {
    const heartbeatTimer = setTimeout(() => this.heartbeatMissed(channelId), this.eventTimeoutMs);
    heartbeatTimer.unref();
    this.streams.set(channelId, { res, heartbeatTimer });
    // The client went away: the channel is gone too (its events move to the set's other channels).
    res.on('close', () => {
      if (this.streams.get(channelId)?.res !== res) return;
      clearTimeout(heartbeatTimer);
      this.streams.delete(channelId);
      if (!this.closed) this.update((s, now) => closeChannel(s, channelId, now, 'NonResponsiveChannel'));
    });
  }

  /** PUT heartbeat: restart the channel's timeout and write a ChannelHeartBeat on its stream. */
  heartbeat(channelId: string): void {
    const stream = this.streams.get(channelId);
    if (!stream) return;
    stream.heartbeatTimer.refresh();
    stream.res.write(HEARTBEAT_DOCUMENT);
  }

  private heartbeatMissed(channelId: string): void {
    this.log(`channel ${channelId}: no heartbeat within ${this.eventTimeoutMs / 1000} s, terminating`);
    this.update((s, now) => closeChannel(s, channelId, now, 'NonResponsiveChannel'));
    // A channel already gone from the model (reset) still has its stream ended.
    if (this.streams.has(channelId)) this.endStream(channelId, 'NonResponsiveChannel');
  }

  private endStream(channelId: string, reason: string): void {
    const stream = this.streams.get(channelId);
    if (!stream) return;
    this.streams.delete(channelId);
    clearTimeout(stream.heartbeatTimer);
    if (!stream.res.writableEnded) stream.res.end(encodeChannelTerminated(channelId, reason));
  }

  openStreamCount(): number {
    return this.streams.size;
  }

  // ----------------------------------------------------------------------------- nodes

  /** Tracks an Xsi answer of `node` until it closes (rule 6). */
  track(node: number, res: ServerResponse, request: { method: string; path: string }): void {
    const open = this.openAnswers[node];
    if (!open) return;
    open.set(res, request);
    res.on('close', () => open.delete(res));
  }

  /** Requests `node` has not answered yet (event streams left out): what its death would cut. */
  inFlight(node: number): { method: string; path: string }[] {
    const streams = new Set([...this.streams.values()].map((s) => s.res));
    return [...(this.openAnswers[node] ?? new Map<ServerResponse, { method: string; path: string }>()).entries()]
      .filter(([res]) => !streams.has(res))
      .map(([, request]) => request);
  }

  /**
   * Node `node` dies (rule 6): streams and in-flight answers cut, then the model moves the set's
   * events. A partition cuts nothing: its streams just go silent and its answers never come (the
   * clients' own watchdogs and deadlines notice), while the model applies what was in flight.
   */
  nodeDown(node: number, how: 'crash' | 'partition' = 'crash'): void {
    for (const [channelId, stream] of [...this.streams]) {
      if ((this.state.channels[channelId]?.node ?? 0) !== node) continue;
      this.streams.delete(channelId); // before the socket goes: no ChannelTerminatedEvent is written
      clearTimeout(stream.heartbeatTimer);
    }
    if (how === 'crash') {
      for (const res of this.openAnswers[node]?.keys() ?? []) res.destroy();
      this.openAnswers[node]?.clear();
    }
    this.update((s, now) => setNodeDown(s, node, now, how));
    this.log(`node ${node} ${how === 'crash' ? 'down' : 'partitioned'}`);
  }

  nodeUp(node: number): void {
    this.update((s) => setNodeUp(s, node));
    this.log(`node ${node} up`);
  }

  nodeCondition(node: number, change: { latencyMs?: number; unavailable?: boolean }): void {
    this.update((s) => setNodeCondition(s, node, change));
  }

  // ----------------------------------------------------------------------------- control

  setFaults(profile: FaultProfile): void {
    this.state = setFaultProfile(this.state, profile);
    this.drawNextExternal();
    this.pump();
  }

  /**
   * A fresh model from `directory` with the same seed, the clock back at 0. Open streams end
   * with ChannelTerminatedEvent (ExplicitDelete); commands in flight are answered 503.
   */
  reset(directory: Directory = this.directory): void {
    const faults = this.state.faults;
    for (const id of [...this.streams.keys()]) this.endStream(id, 'ExplicitDelete');
    const unavailable: XsiOutcome = xspError('SERVICE_UNAVAILABLE', 'the simulator was reset');
    for (const resolve of this.waiting.values()) resolve(unavailable);
    this.waiting.clear();
    this.directory = directory;
    this.startedAt = performance.now();
    this.clockOffset = 0;
    this.epoch = this.fixedEpoch ?? Date.now();
    this.state = inPlace(createXsp({ directory, seed: this.seed, faults, epoch: this.epoch, nodes: this.nodes }));
    this.drawNextExternal();
    this.pump();
  }

  /** Stops the timers and ends every stream (server shutdown). */
  shutdown(): void {
    for (const id of [...this.streams.keys()]) this.endStream(id, 'ExplicitDelete');
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const resolve of this.waiting.values()) resolve(xspError('SERVICE_UNAVAILABLE', 'the simulator is shutting down'));
    this.waiting.clear();
  }
}
