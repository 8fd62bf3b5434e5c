/**
 * ConnectorRuntime — the run loop of DESIGN §2 on real time and real I/O.
 *
 * It owns the connector state and honours the loop contract: every input (a CSTA request, an
 * XSP answer or event, a channel change, a timer) is fed to `step` alone, and all of its
 * outputs are carried out, in order, before the next input. Timers become `setTimeout`s,
 * commands go to an `XspTransport` (Xsi over HTTP for a real XSP or the simulator's server),
 * CSTA outputs go to whoever serves the CSTA links (the TCP gateway).
 *
 * Write-ahead (DESIGN §9): a `pairings.save` output goes to the `PairingStore` and the outputs
 * after it wait until the store says it is durable — so the PUT that changes a desk is never sent
 * before the desk's restore plan is on disk. A store that answers with a promise pauses the
 * loop: later outputs and new inputs queue until it resolves. A store that fails stops the loop
 * for good (`onStoreFailure`): acting without a durable record is what a crash could not undo.
 * `ConnectorRuntime.open` loads the pairings saved before a crash and starts the connector on them;
 * unless the store says its previous run closed it cleanly, the start is a restart (`crashed`): the
 * dead process's last PUTs and unacknowledged events may still land, even with nothing saved.
 */
import {
  createConnector, step, writesOnTheWire, type ChannelStatusInput, type ConnectorConfig, type ConnectorState, type CstaRequest, type Input,
  type Output, type PairingChange, type SavedPairings, type XsiCommand, type XsiEvent, type XsiOutcome,
} from '@csta-bw/core';
import type { PairingStore } from './store/pairingStore.js';

/** Where commands go and where events come from. `execute` never rejects: failures are outcomes. */
export interface XspTransport {
  execute(command: XsiCommand): Promise<XsiOutcome>;
  start(sink: XspEventSink): void;
  stop(): Promise<void>;
}

export interface XspEventSink {
  event(event: XsiEvent): void;
  /** `resync`: events were missed while the channel stayed up (a sequence gap). */
  channel(status: ChannelStatusInput): void;
}

export type CstaOutput = Extract<Output, { kind: 'csta.response' | 'csta.error' | 'csta.event' | 'csta.systemStatus' }>;

export interface RuntimeOptions {
  config?: Partial<ConnectorConfig>;
  transport: XspTransport;
  onCsta: (o: CstaOutput) => void;
  onAlarm?: (o: Extract<Output, { kind: 'alarm' }>) => void;
  /** Milliseconds; defaults to `performance.now()`. */
  clock?: () => number;
  /** Where pairings are made durable before the loop acts on them. Without one they live in memory. */
  store?: PairingStore;
  /** The pairings saved before a crash (what `store.load()` gave); `open` reads them for you. */
  pairings?: SavedPairings;
  /** The previous process died mid-run (`open` asks the store; a store that cannot tell = true). */
  crashed?: boolean;
  /**
   * The store could not make a save durable: the loop has stopped (no later output carried out,
   * no input fed) and the owner should shut down. Without a handler the error is thrown.
   */
  onStoreFailure?: (err: Error) => void;
}

export class ConnectorRuntime {
  private state: ConnectorState;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly clock: () => number;
  private closed = false;
  private quiet: boolean | undefined;
  /** An asynchronous save is in flight: inputs wait in `waiting`, in arrival order. */
  private saving = false;
  private readonly waiting: Input[] = [];
  /** Inputs fed so far (for benchmarks and health endpoints). */
  inputs = 0;

  /** Loads the store's saved pairings (if any) and starts the loop on them. */
  static async open(opts: RuntimeOptions): Promise<ConnectorRuntime> {
    const pairings = opts.pairings ?? (opts.store ? await opts.store.load() : undefined);
    const crashed = opts.crashed ?? (opts.store ? !((await opts.store.lastRunClosedCleanly?.()) ?? false) : false);
    return new ConnectorRuntime({ ...opts, ...(pairings ? { pairings } : {}), crashed });
  }

  constructor(private readonly opts: RuntimeOptions) {
    this.state = createConnector(opts.config, { ...(opts.pairings ? { pairings: opts.pairings } : {}), ...(opts.crashed ? { crashed: true } : {}) });
    this.clock = opts.clock ?? (() => performance.now());
    opts.transport.start({
      event: (event) => this.feed({ kind: 'xsp.event', event }),
      channel: (status) => this.feed({ kind: 'xsp.channel', status }),
    });
  }

  /** A read-only look at the connector (for health/status endpoints and tests). */
  get connector(): Readonly<ConnectorState> {
    return this.state;
  }

  request(link: string, invokeId: string, request: CstaRequest): void {
    this.feed({ kind: 'csta.request', link, invokeId, request });
  }

  linkClosed(link: string): void {
    this.feed({ kind: 'csta.linkClosed', link });
  }

  /**
   * After `close`: whether no PUT of ours was on the wire then (none can still land). A store is
   * marked cleanly closed only then (`PairingStore.close({ quiet })`); undefined before `close`.
   */
  get closedQuietly(): boolean | undefined {
    return this.quiet;
  }

  async close(): Promise<void> {
    if (!this.closed) this.quiet = writesOnTheWire(this.state) === 0;
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.opts.transport.stop();
  }

  private feed(input: Input): void {
    if (this.closed) return;
    if (this.saving) {
      this.waiting.push(input);
      return;
    }
    this.inputs++;
    const { state, outputs } = step(this.state, input, this.clock());
    this.state = state;
    this.carryOutFrom(outputs, 0);
  }

  /** Carries out `outputs[i…]` in order, pausing at a save until it is durable. */
  private carryOutFrom(outputs: Output[], i: number): void {
    for (; i < outputs.length; i++) {
      if (this.closed) return;
      const o = outputs[i]!;
      if (o.kind !== 'pairings.save') {
        this.carryOut(o);
        continue;
      }
      const pending = this.save(o.changes);
      if (pending === 'failed') return;
      if (pending) {
        const rest = i + 1;
        this.saving = true;
        pending.then(() => {
          this.saving = false;
          this.carryOutFrom(outputs, rest);
          this.feedWaiting();
        }, (err: unknown) => this.storeFailed(err));
        return;
      }
    }
  }

  /** undefined: durable now; a promise: durable when it resolves; 'failed': the loop stopped. */
  private save(changes: PairingChange[]): Promise<void> | undefined | 'failed' {
    const store = this.opts.store;
    if (!store) return undefined;
    try {
      const r = store.append(changes);
      return r instanceof Promise ? r : undefined;
    } catch (err) {
      this.storeFailed(err);
      return 'failed';
    }
  }

  private feedWaiting(): void {
    while (!this.saving && !this.closed && this.waiting.length > 0) this.feed(this.waiting.shift()!);
  }

  private storeFailed(err: unknown): void {
    this.closed = true;
    this.waiting.length = 0;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    const error = new Error(`pairings could not be saved: ${err instanceof Error ? err.message : String(err)} — stopped before acting on them`, { cause: err });
    if (!this.opts.onStoreFailure) throw error;
    this.opts.onStoreFailure(error);
  }

  private carryOut(o: Output): void {
    switch (o.kind) {
      case 'xsp.command': {
        const { commandId, command } = o;
        void this.opts.transport.execute(command).then(
          (outcome) => this.feed({ kind: 'xsp.result', commandId, outcome }),
          (err: unknown) => this.feed({ kind: 'xsp.result', commandId, outcome: { transportError: String(err) } }),
        );
        return;
      }
      case 'timer.set': {
        const old = this.timers.get(o.timerId);
        if (old) clearTimeout(old);
        const delay = Math.max(0, o.at - this.clock());
        this.timers.set(o.timerId, setTimeout(() => {
          this.timers.delete(o.timerId);
          this.feed({ kind: 'timer.fired', timerId: o.timerId });
        }, delay));
        return;
      }
      case 'timer.clear': {
        const t = this.timers.get(o.timerId);
        if (t) clearTimeout(t);
        this.timers.delete(o.timerId);
        return;
      }
      case 'alarm':
        this.opts.onAlarm?.(o);
        return;
      case 'pairings.save':
        return; // handled by carryOutFrom before we get here
      default:
        this.opts.onCsta(o);
    }
  }
}
