/**
 * VirtualWorld — the connector bound in-process to the simulator's model, on virtual time.
 *
 * Like str0m's netem, the whole world is sans-IO and seeded: a discrete-event loop moves a
 * virtual clock to the next thing due — an XSP delivery, a connector timer, or something the
 * caller scheduled (a client request, an external actor, a fault-profile switch) — and feeds
 * it in, honouring the connector's loop contract (one input, all its outputs carried out, then
 * the next). Same seed and same schedule → the same trace, byte for byte (I8).
 *
 * Ordering at one instant: XSP deliveries first (in the model's order), then scheduled items
 * (in scheduling order), then connector timers (by due time, then id).
 *
 * Several XSPs (`nodes` > 1, docs/redundancy.md): the binding keeps one channel per node in the
 * one channel set and tells the connector `lost` only when the last goes, `up` when the first
 * comes; commands go to the node that answered last unless it failed (a transport error or a
 * 5xx) within `reconnectDelayMs` or lost its channel (a node that only failed lately is tried
 * before one without its channel), as the HTTP transport's node choice does — without its
 * in-request failover, so every failure reaches the core. A channel lost with its node is
 * reopened `reconnectDelayMs` after the node is back (the transport's backoff, abstracted).
 */
import {
  cloneConnector, commandPurpose, createConnector, isIdle, openMonitors, sagasUnderWay, step, type SagaPhase, type SavedPairings, type ConnectorConfig, type ConnectorState, type CstaError, type CstaEvent, type CstaRequest,
  type CstaResponse, type Input, type Output, type SystemStatusValue, type XsiEvent,
} from '@csta-bw/core';
import {
  ackEvent, advance, applyExternal, closeChannel, createXsp, defaultDirectory, isQuiescent, nextDueAt, nodeOf, nodeViews, openChannel, setFaultProfile,
  setNodeCondition, setNodeDown, setNodeUp, submit,
  type Delivery, type Directory, type ExternalAction, type FaultProfile, type XspState,
} from '@csta-bw/xsp-sim';
import { Trace } from './trace.js';

export interface VirtualWorldOptions {
  seed?: number;
  /** Wall-clock ms of virtual time 0 for the simulator's dates (default: the model's fixed DEFAULT_EPOCH). */
  epoch?: number;
  faults?: FaultProfile;
  directory?: Directory;
  config?: Partial<ConnectorConfig>;
  /** How long after losing the event channel the binding opens a new one (ms). */
  reconnectDelayMs?: number;
  /** Record the trace (on by default; the explorer turns it off for speed). */
  trace?: boolean;
  /** Observes the run without changing it (the explorer's coverage and "sometimes" bookkeeping). */
  probe?: WorldProbe;
  /** Subscribe the directory's group to Hoteling Guest events (connector `groupEvents`); on by default. */
  groupEvents?: boolean;
  /**
   * Lose some event acknowledgements on their way to the XSP, as a network does: the XSP then
   * redelivers the event after its ack timeout, later than newer ones. The share follows the fault
   * profile (ACK_LOSS) and stops with it; which acks are lost follows from the seed. Off by default.
   */
  lostAcks?: boolean;
  /** XSP nodes in front of the simulator (default 1): one event channel on each. */
  nodes?: number;
}

/** Share of event acknowledgements lost per fault profile (with `lostAcks`). */
export const ACK_LOSS: Readonly<Record<FaultProfile, number>> = { none: 0, flaky: 0.02, hostile: 0.05 };

/** A uniform draw in [0, 1) from a text (FNV-1a): the same seed and event give the same answer. */
function drawOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h / 0x1_0000_0000;
}

/**
 * Read-only callbacks into the run. A probe must not change the world: it sees the connector state
 * after each input (saga states visited), each XSP delivery as it comes out of the model (results,
 * duplicates, channel terminations) and the world after each instant (the simulator's agenda).
 */
export interface WorldProbe {
  input?(world: VirtualWorld, input: Input, outputs: readonly Output[]): void;
  delivery?(world: VirtualWorld, delivery: Delivery): void;
  tick?(world: VirtualWorld): void;
}

/** `truth`: the simulator's state when the answer went out (immutable, so keeping it costs nothing). */
export type ClientAnswer =
  | { at: number; link: string; invokeId: string; kind: 'response'; response: CstaResponse; truth: XspState }
  | { at: number; link: string; invokeId: string; kind: 'error'; error: CstaError; truth: XspState };

export interface ClientEvent { at: number; link: string; monitorCrossRefId: string; event: CstaEvent }

type Scheduled =
  | { kind: 'request'; link: string; invokeId: string; request: CstaRequest }
  | { kind: 'linkClosed'; link: string }
  | { kind: 'external'; action: ExternalAction }
  | { kind: 'faults'; profile: FaultProfile }
  | { kind: 'reconnect'; node?: number }
  /** The connector process dies during the next input, after carrying out `cut` of its outputs. */
  | { kind: 'crash'; cut: number }
  /** The restarted process is up: its event channels open, its clients reconnect and monitor again. */
  | { kind: 'restart' }
  | { kind: 'node'; node: number; change: 'down' | 'partition' | 'up' | { latencyMs?: number; unavailable?: boolean } };

export const CHANNEL_SET_ID = 'csta-bw/in-process';

export class VirtualWorld {
  connector: ConnectorState;
  xsp: XspState;
  now = 0;
  readonly trace: Trace | undefined;
  readonly requests = new Map<string, { at: number; link: string; invokeId: string; request: CstaRequest }>();
  readonly answers: ClientAnswer[] = [];
  readonly events: ClientEvent[] = [];
  readonly systemStatus: { at: number; link: string; status: SystemStatusValue }[] = [];
  /** The event channel as the binding told the connector: up, or lost (I12 reads it). */
  readonly channelLog: { at: number; status: 'up' | 'lost' }[] = [];
  readonly alarms: Output[] = [];
  /** Every Xsi event delivery, and whether it was acknowledged (I10) — redeliveries flagged. */
  readonly eventLog: { at: number; eventId: string; channelId: string; acked: boolean; ackLost: boolean; redelivery: boolean }[] = [];
  /** Every command the connector sent, for order checks (I7). */
  /** `truth`: the simulator's state when the command was sent (I7 judges each step against it). */
  /** `job`: the kind of connector job that sent it (the core's `commandPurpose`), if a job did. */
  readonly commands: { at: number; commandId: number; command: import('@csta-bw/core').XsiCommand; truth: XspState; job?: string | undefined }[] = [];
  inputsFed = 0;
  /**
   * The connector's durable store (DESIGN §9): every `pairings.save` carried out, applied in order.
   * A crash keeps only this; the restarted connector starts from it.
   */
  readonly durable: SavedPairings = {};
  /** Each crash of the connector process: when, and the sagas it cut short (explore/sometimes.ts). */
  readonly crashes: { at: number; sagas: SagaPhase[] }[] = [];
  /** Requests whose client link died with a crashed process before they were answered (I6 exempts them). */
  readonly lostWithCrash = new Set<string>();

  private readonly timers = new Map<string, number>();
  private agenda: { at: number; seq: number; item: Scheduled }[] = [];
  private agendaSeq = 0;
  /** The binding's channel on each node (one entry without a cluster). */
  private channels: (string | undefined)[];
  private readonly nodeCount: number;
  /** Node choice for commands: the last that answered, unless it failed recently. */
  private preferredNode = 0;
  private nodeFailedUntil: number[];
  private readonly commandNodes = new Map<number, number>();
  /** Deliveries per event id so far: to flag redeliveries in `eventLog` (never to filter them). */
  private readonly deliveries = new Map<string, number>();
  private readonly seed: number;
  private readonly lostAcks: boolean;
  private faults: FaultProfile;
  private readonly admin: string;
  private readonly reconnectDelayMs: number;
  private readonly commandOps = new Map<number, string>();
  private readonly commandUsers = new Map<number, string>();
  private readonly probe: WorldProbe | undefined;
  private readonly connectorConfig: Partial<ConnectorConfig>;
  /** A crash waiting for the next input (`cut` outputs of it are carried out first). */
  private crashCut: number | undefined;
  /**
   * Request ids on the simulator are `commandBase + commandId`: a restarted connector counts its
   * commands from 1 again, and answers to the dead process's commands (ids ≤ base) are dropped.
   * Zero until the first crash, so a run without crashes is unchanged.
   */
  private commandBase = 0;
  private lastRequestId = 0;
  /** Client links as the schedule names them → the link of the client's current connection. */
  private readonly links = new Map<string, string>();
  private incarnation = 0;

  constructor(opts: VirtualWorldOptions = {}) {
    const directory = opts.directory ?? defaultDirectory();
    this.probe = opts.probe;
    this.admin = directory.adminUserId;
    this.seed = opts.seed ?? 1;
    this.faults = opts.faults ?? 'none';
    this.lostAcks = opts.lostAcks === true;
    this.nodeCount = Math.max(1, Math.trunc(opts.nodes ?? 1));
    this.channels = Array.from({ length: this.nodeCount }, () => undefined);
    this.nodeFailedUntil = Array.from({ length: this.nodeCount }, () => 0);
    this.xsp = createXsp({
      directory, seed: this.seed, faults: this.faults, ...(opts.epoch !== undefined ? { epoch: opts.epoch } : {}), ...(this.nodeCount > 1 ? { nodes: this.nodeCount } : {}),
    });
    // The group's service provider as the simulator names it: the directory's own, else its domain.
    const serviceProviderId = (directory as { serviceProviderId?: string }).serviceProviderId ?? directory.domain;
    const groupEvents = { subscriber: directory.adminUserId, serviceProviderId, groupId: directory.groupId };
    this.connectorConfig = { defaultDomain: directory.domain, ...(opts.groupEvents === false ? {} : { groupEvents }), ...opts.config };
    this.connector = createConnector(this.connectorConfig);
    this.trace = opts.trace === false ? undefined : new Trace();
    this.reconnectDelayMs = opts.reconnectDelayMs ?? 1000;
    for (let node = 0; node < this.nodeCount; node++) this.openEventChannel(node);
  }

  // ---- what the caller schedules -------------------------------------------------------------

  request(link: string, invokeId: string, request: CstaRequest, at = this.now): void {
    this.schedule(at, { kind: 'request', link, invokeId, request });
  }

  closeLink(link: string, at = this.now): void {
    this.schedule(at, { kind: 'linkClosed', link });
  }

  external(action: ExternalAction, at = this.now): void {
    this.schedule(at, { kind: 'external', action });
  }

  setFaults(profile: FaultProfile, at = this.now): void {
    this.schedule(at, { kind: 'faults', profile });
  }

  /**
   * The connector process dies (issue 14): during the first input fed at or after `at`, once `cut`
   * of its outputs are carried out. Everything not durable is lost — its state, timers, commands
   * in flight (the XSP may still apply them), its event channels and client links — the simulator
   * lives on, and a fresh connector starts from `durable` after `reconnectDelayMs`.
   */
  crash(cut: number, at = this.now): void {
    this.schedule(at, { kind: 'crash', cut: Math.max(0, Math.trunc(cut)) });
  }

  /** The link a client named `link` in the schedule is connected on now (a new one after each crash). */
  linkOf(link: string): string {
    return this.links.get(link) ?? link;
  }

  /** The simulator's request id of connector command `commandId` (they differ after a crash). */
  requestIdOf(commandId: number): number {
    return this.commandBase + commandId;
  }

  /** XSP node `node` dies at `at` (model/nodes.ts: its channels and in-flight requests go), or is partitioned away. */
  nodeDown(node: number, at = this.now, how: 'crash' | 'partition' = 'crash'): void {
    this.schedule(at, { kind: 'node', node, change: how === 'crash' ? 'down' : 'partition' });
  }

  nodeUp(node: number, at = this.now): void {
    this.schedule(at, { kind: 'node', node, change: 'up' });
  }

  /** Slows node `node` or makes it answer 503. */
  nodeCondition(node: number, change: { latencyMs?: number; unavailable?: boolean }, at = this.now): void {
    this.schedule(at, { kind: 'node', node, change });
  }

  /** How many XSP nodes the world has. */
  get nodes(): number {
    return this.nodeCount;
  }

  private schedule(at: number, item: Scheduled): void {
    this.agenda.push({ at: Math.max(at, this.now), seq: this.agendaSeq++, item });
    this.agenda.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /**
   * An independent copy of the whole world, for branching exploration: the connector is deep-copied
   * (`step` may reuse its state), the simulator state is immutable and shared, every record list is
   * copied. The copy keeps the trace setting; `probe` replaces the probe (undefined: none).
   */
  clone(probe?: WorldProbe): VirtualWorld {
    const c = Object.create(VirtualWorld.prototype) as VirtualWorld;
    const trace = this.trace ? Object.assign(new Trace(), { entries: this.trace.entries.slice() }) : undefined;
    Object.assign(c, {
      ...this,
      connector: cloneConnector(this.connector),
      trace,
      requests: new Map(this.requests),
      answers: this.answers.slice(),
      events: this.events.slice(),
      systemStatus: this.systemStatus.slice(),
      channelLog: this.channelLog.slice(),
      alarms: this.alarms.slice(),
      eventLog: this.eventLog.slice(),
      commands: this.commands.slice(),
      timers: new Map(this.timers),
      agenda: this.agenda.slice(),
      deliveries: new Map(this.deliveries),
      commandOps: new Map(this.commandOps),
      commandUsers: new Map(this.commandUsers),
      channels: this.channels.slice(),
      nodeFailedUntil: this.nodeFailedUntil.slice(),
      commandNodes: new Map(this.commandNodes),
      durable: { ...this.durable },
      crashes: this.crashes.slice(),
      lostWithCrash: new Set(this.lostWithCrash),
      links: new Map(this.links),
      probe,
    });
    return c;
  }

  // ---- running -------------------------------------------------------------------------------

  /** When the next thing happens, or undefined if nothing ever will. */
  nextAt(): number | undefined {
    let next = nextDueAt(this.xsp);
    const consider = (t: number | undefined) => {
      if (t !== undefined && (next === undefined || t < next)) next = t;
    };
    consider(this.agenda[0]?.at);
    for (const at of this.timers.values()) consider(at);
    return next;
  }

  /** When the connector's timers and the caller's scheduled items are due, sorted (for state hashing). */
  pendingTimes(): number[] {
    return [...this.timers.values(), ...this.agenda.map((a) => a.at)].sort((a, b) => a - b);
  }

  /** Process everything due at or before `until`. */
  runUntil(until: number): void {
    for (let at = this.nextAt(); at !== undefined && at <= until; at = this.nextAt()) this.tick(at);
    if (until > this.now) this.now = until;
  }

  /** Run until nothing is in flight anywhere (or `limit` ms of virtual time pass). */
  runUntilQuiet(limit = 600_000): boolean {
    const end = this.now + limit;
    for (;;) {
      if (this.isQuiet()) return true;
      if (this.crashCut !== undefined && this.quietBut()) {
        // A crash armed while nothing is going on: the idle process dies now.
        this.crashCut = undefined;
        this.die();
        continue;
      }
      const at = this.nextAt();
      if (at === undefined || at > end) return this.isQuiet();
      this.tick(at);
    }
  }

  /** No request, command or event in flight; no repair work owed. */
  isQuiet(): boolean {
    return this.crashCut === undefined && this.quietBut();
  }

  /** Quiet, a crash armed aside. */
  private quietBut(): boolean {
    return this.agenda.length === 0 && isQuiescent(this.xsp) && isIdle(this.connector) && this.channelsSettled();
  }

  /** Every node that is up holds our channel (a node down holds none; a single XSP is always up). */
  private channelsSettled(): boolean {
    const up = nodeViews(this.xsp).map((n) => n.up);
    return this.channels.every((c, i) => c !== undefined || up[i] === false) && (this.channels.some((c) => c !== undefined) || up.every((u) => !u));
  }

  /** One instant (protected: the wire world, explore/wireWorld.ts, adds its own timers first). */
  protected tick(at: number): void {
    this.now = at;
    const { state, deliveries } = advance(this.xsp, at);
    this.xsp = state;
    for (const d of deliveries) {
      this.probe?.delivery?.(this, d);
      if (d.kind === 'result') {
        if (d.requestId <= this.commandBase) {
          // The answer to a command of a process that crashed: nobody is there to read it.
          this.trace?.add(at, 'xsp', 'connector', 'result lost with the crash', { commandId: d.requestId });
          continue;
        }
        const node = this.commandNodes.get(d.requestId);
        this.trace?.result(at, d.requestId, this.commandOps.get(d.requestId), d.outcome, this.commandUsers.get(d.requestId), node);
        this.commandUsers.delete(d.requestId);
        this.commandOps.delete(d.requestId);
        this.commandNodes.delete(d.requestId);
        if (node !== undefined) this.nodeAnswered(node, 'status' in d.outcome && d.outcome.status < 500);
        this.feed({ kind: 'xsp.result', commandId: d.requestId - this.commandBase, outcome: d.outcome });
      } else if (d.kind === 'event') {
        // As the adapter does in production: acknowledge every delivery (duplicates too), then
        // hand it to the connector — a duplicate or a redelivery included, as production meets
        // them, so the connector's own dedupe is what is explored (issue 16, blind spot 3).
        const id = d.event.eventId;
        const times = (this.deliveries.get(id) ?? 0) + 1;
        this.deliveries.set(id, times);
        const lost = this.lostAcks && drawOf(`${this.seed}:${id}:${times}`) < ACK_LOSS[this.faults];
        if (!lost) this.acknowledge(d.channelId, d.event, at);
        this.eventLog.push({ at, eventId: id, channelId: d.channelId, acked: !Object.hasOwn(this.xsp.pending, id), ackLost: lost, redelivery: times > 1 });
        this.trace?.xsiEvent(at, d.event);
        this.feed({ kind: 'xsp.event', event: d.event });
      } else if (this.channels.includes(d.channelId)) {
        const node = this.channels.indexOf(d.channelId);
        this.channels[node] = undefined;
        this.trace?.add(at, 'xsp', 'connector', 'ChannelTerminatedEvent', { reason: d.reason, ...(this.nodeCount > 1 ? { node } : {}) });
        if (this.nodeCount > 1) this.nodeAnswered(node, false);
        if (this.channels.every((c) => c === undefined)) {
          this.channelLog.push({ at, status: 'lost' });
          this.feed({ kind: 'xsp.channel', status: 'lost' });
        }
        // A node that is down gets its channel back when it comes up (runScheduled 'node').
        if (nodeOf(this.xsp, node)?.up !== false) this.schedule(at + this.reconnectDelayMs, { kind: 'reconnect', node });
      }
    }
    while (this.agenda[0] && this.agenda[0].at <= at) {
      const { item } = this.agenda.shift()!;
      this.runScheduled(item);
    }
    const due = [...this.timers.entries()].filter(([, t]) => t <= at).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
    for (const [timerId, t] of due) {
      if (this.timers.get(timerId) !== t) continue; // cleared or re-set meanwhile
      this.timers.delete(timerId);
      this.feed({ kind: 'timer.fired', timerId });
    }
    this.probe?.tick?.(this);
  }

  private runScheduled(item: Scheduled): void {
    switch (item.kind) {
      case 'request': {
        const link = this.linkOf(item.link);
        this.requests.set(`${link}#${item.invokeId}`, { at: this.now, link, invokeId: item.invokeId, request: item.request });
        this.trace?.request(this.now, link, item.invokeId, item.request);
        this.feed({ kind: 'csta.request', link, invokeId: item.invokeId, request: item.request });
        return;
      }
      case 'crash':
        this.crashCut = item.cut;
        return;
      case 'restart':
        for (let node = 0; node < this.nodeCount; node++) {
          if (nodeOf(this.xsp, node)?.up !== false) this.openEventChannel(node);
        }
        return;
      case 'linkClosed':
        this.feed({ kind: 'csta.linkClosed', link: this.linkOf(item.link) });
        return;
      case 'external': {
        const { state, outcome } = applyExternal(this.xsp, item.action, this.now);
        this.xsp = state;
        const { kind, ...args } = item.action;
        this.trace?.add(this.now, 'xsp', 'xsp', `external ${kind}`, { ...args, status: 'status' in outcome ? outcome.status : 'transportError' });
        return;
      }
      case 'faults':
        this.faults = item.profile;
        this.xsp = setFaultProfile(this.xsp, item.profile);
        return;
      case 'reconnect':
        this.openEventChannel(item.node ?? 0);
        return;
      case 'node': {
        const { node, change } = item;
        if (change === 'down' || change === 'partition') this.xsp = setNodeDown(this.xsp, node, this.now, change === 'down' ? 'crash' : 'partition');
        else if (change === 'up') {
          const wasDown = nodeOf(this.xsp, node)?.up === false;
          this.xsp = setNodeUp(this.xsp, node);
          if (wasDown && this.channels[node] === undefined) this.schedule(this.now + this.reconnectDelayMs, { kind: 'reconnect', node });
        } else this.xsp = setNodeCondition(this.xsp, node, change);
        this.trace?.add(this.now, 'xsp', 'xsp', `node ${node} ${typeof change === 'string' ? change : 'condition'}`, typeof change === 'string' ? {} : { ...change });
        return;
      }
    }
  }

  /**
   * The binding's node choice (see the header): who answered last, unless it failed lately or
   * has lost its event channel — the transport's backoff keeps a node whose channel cannot be
   * reopened marked failed, and a partitioned node answers nothing that would tell it otherwise.
   */
  private pickNode(): number {
    const healthy = (i: number) => this.nodeFailedUntil[i]! <= this.now && this.channels[i] !== undefined;
    if (healthy(this.preferredNode)) return this.preferredNode;
    for (let i = 0; i < this.nodeCount; i++) if (healthy(i)) return i;
    // None healthy: a node that failed lately but holds its channel before one without (down or
    // partitioned — its stale failedUntil says nothing), then the soonest retry first.
    const rank = (i: number) => [this.channels[i] === undefined ? 1 : 0, this.nodeFailedUntil[i]!] as const;
    let best = 0;
    for (let i = 1; i < this.nodeCount; i++) {
      const [c, f] = rank(i);
      const [bc, bf] = rank(best);
      if (c < bc || (c === bc && f < bf)) best = i;
    }
    return best;
  }

  private nodeAnswered(node: number, ok: boolean): void {
    if (ok) {
      this.nodeFailedUntil[node] = 0;
      this.preferredNode = node;
    } else {
      this.nodeFailedUntil[node] = this.now + this.reconnectDelayMs;
    }
  }

  private openEventChannel(node: number): void {
    if (this.channels[node] !== undefined) return;
    const cluster = this.nodeCount > 1;
    const opened = openChannel(this.xsp, { asUser: this.admin, channelSetId: CHANNEL_SET_ID, ...(cluster ? { node } : {}) }, this.now);
    if (!('state' in opened)) {
      if (nodeOf(this.xsp, node)?.up === false) return; // reopened when the node is back
      throw new Error(`cannot open the event channel: ${opened.error.summaryEnglish}`);
    }
    this.xsp = opened.state;
    const first = this.channels.every((c) => c === undefined);
    this.channels[node] = opened.channelId;
    this.trace?.add(this.now, 'xsp', 'connector', 'Channel', { channelId: opened.channelId, ...(cluster ? { node } : {}) });
    if (cluster) this.nodeFailedUntil[node] = 0; // healthy again, but not preferred: that is for answers
    if (!first) return; // another channel of the set was up: the connector's link never went down
    this.channelLog.push({ at: this.now, status: 'up' });
    this.feed({ kind: 'xsp.channel', status: 'up' });
  }

  /** The binding acknowledges an event (the wire world sends a real eventresponse instead). */
  protected acknowledge(channelId: string, event: XsiEvent, at: number): void {
    this.xsp = ackEvent(this.xsp, channelId, event.eventId, 200, at);
  }

  /** The loop contract: one input, then every output carried out in order (protected: the wire world's seam). */
  protected feed(input: Input): void {
    this.inputsFed++;
    const { state, outputs } = step(this.connector, input, this.now);
    this.connector = state;
    if (this.crashCut !== undefined) {
      const done = outputs.slice(0, this.crashCut);
      this.crashCut = undefined;
      for (const o of done) this.carryOut(o);
      this.probe?.input?.(this, input, done);
      this.die();
      return;
    }
    for (const o of outputs) this.carryOut(o);
    this.probe?.input?.(this, input, outputs);
  }

  /**
   * The crash itself (see `crash`). The clients notice their links drop: each reconnects on a new
   * link when the process is back and starts its monitors again, as it had them; its requests
   * still unanswered are lost with the process.
   */
  private die(): void {
    const dead = this.connector;
    this.crashes.push({ at: this.now, sagas: sagasUnderWay(dead) });
    this.trace?.add(this.now, 'connector', 'connector', 'crash', { sagas: sagasUnderWay(dead).join(',') });
    const answered = new Set(this.answers.map((a) => `${a.link}#${a.invokeId}`));
    for (const key of this.requests.keys()) if (!answered.has(key)) this.lostWithCrash.add(key);
    for (let node = 0; node < this.nodeCount; node++) {
      const id = this.channels[node];
      if (id !== undefined) this.xsp = closeChannel(this.xsp, id, this.now);
      this.channels[node] = undefined;
    }
    // (channelLog records what the binding told a connector: this one was not told, it died.)
    this.timers.clear();
    this.commandOps.clear();
    this.commandUsers.clear();
    this.commandNodes.clear();
    this.commandBase = this.lastRequestId;
    this.incarnation++;
    // Every client reconnects on a new link, and starts its monitors again as it had them.
    const clientOf = (link: string) => link.split('~')[0]!;
    for (const name of new Set([...this.requests.values()].map((r) => clientOf(r.link)))) this.links.set(name, `${name}~${this.incarnation}`);
    const monitors = openMonitors(dead).map((m) => ({ client: clientOf(m.link), device: m.device }));
    // `crashed`: even with no pairings saved, its last PUTs and unacknowledged events may still land.
    this.connector = createConnector(this.connectorConfig, { pairings: this.durable, crashed: true });
    const back = this.now + this.reconnectDelayMs;
    this.schedule(back, { kind: 'restart' });
    monitors.forEach((m, i) => {
      this.schedule(back, { kind: 'request', link: m.client, invokeId: `restart${this.incarnation}-${i + 1}`, request: { service: 'MonitorStart', monitorObject: m.device } });
    });
  }

  protected carryOut(o: Output): void {
    const at = this.now;
    switch (o.kind) {
      case 'xsp.command': {
        const requestId = this.commandBase + o.commandId;
        this.lastRequestId = Math.max(this.lastRequestId, requestId);
        const purpose = commandPurpose(this.connector, o.commandId);
        this.commands.push({ at, commandId: requestId, command: o.command, truth: this.xsp, job: purpose?.kind === 'job' ? purpose.jobKind : undefined });
        this.commandOps.set(requestId, o.command.op);
        this.commandUsers.set(requestId, o.command.userId);
        if (this.nodeCount > 1) {
          const node = this.pickNode();
          this.commandNodes.set(requestId, node);
          this.trace?.command(at, requestId, o.command, node);
          this.xsp = submit(this.xsp, { requestId, asUser: this.admin, channelSetId: CHANNEL_SET_ID, command: o.command, node }, at);
          return;
        }
        this.trace?.command(at, requestId, o.command);
        this.xsp = submit(this.xsp, { requestId, asUser: this.admin, channelSetId: CHANNEL_SET_ID, command: o.command }, at);
        return;
      }
      case 'pairings.save':
        // Write-ahead: durable before the next output is carried out (step.ts loop contract).
        for (const c of o.changes) {
          if (c.pairing === null) delete this.durable[c.host];
          else this.durable[c.host] = c.pairing;
        }
        return;
      case 'csta.response':
        this.answers.push({ at, link: o.link, invokeId: o.invokeId, kind: 'response', response: o.response, truth: this.xsp });
        this.trace?.response(at, o.link, o.invokeId, o.response);
        return;
      case 'csta.error':
        this.answers.push({ at, link: o.link, invokeId: o.invokeId, kind: 'error', error: o.error, truth: this.xsp });
        this.trace?.error(at, o.link, o.invokeId, o.error);
        return;
      case 'csta.event':
        this.events.push({ at, link: o.link, monitorCrossRefId: o.monitorCrossRefId, event: o.event });
        this.trace?.event(at, o.link, o.monitorCrossRefId, o.event);
        return;
      case 'csta.systemStatus':
        this.systemStatus.push({ at, link: o.link, status: o.status });
        this.trace?.add(at, 'connector', 'csta', 'SystemStatus', { link: o.link, systemStatus: o.status });
        return;
      case 'timer.set':
        this.timers.set(o.timerId, o.at);
        return;
      case 'timer.clear':
        this.timers.delete(o.timerId);
        return;
      case 'alarm':
        this.alarms.push(o);
        this.trace?.add(at, 'connector', 'connector', 'alarm', { code: o.code, message: o.message });
        return;
    }
  }
}

export type { XsiEvent };
