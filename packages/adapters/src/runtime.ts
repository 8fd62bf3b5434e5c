/**
 * ConnectorRuntime — the run loop of DESIGN §2 on real time and real I/O.
 *
 * It owns the connector state and honours the loop contract: every input (a CSTA request, an
 * XSP answer or event, a channel change, a timer) is fed to `step` alone, and all of its
 * outputs are carried out, in order, before the next input. Timers become `setTimeout`s,
 * commands go to an `XspTransport` (Xsi over HTTP for a real XSP or the simulator's server),
 * CSTA outputs go to whoever serves the CSTA links (the TCP gateway).
 */
import {
  createConnector, step, type ConnectorConfig, type ConnectorState, type CstaRequest, type Input, type Output,
  type XsiCommand, type XsiEvent, type XsiOutcome,
} from '@csta-bw/core';

/** Where commands go and where events come from. `execute` never rejects: failures are outcomes. */
export interface XspTransport {
  execute(command: XsiCommand): Promise<XsiOutcome>;
  start(sink: XspEventSink): void;
  stop(): Promise<void>;
}

export interface XspEventSink {
  event(event: XsiEvent): void;
  channel(status: 'up' | 'lost'): void;
}

export type CstaOutput = Extract<Output, { kind: 'csta.response' | 'csta.error' | 'csta.event' | 'csta.systemStatus' }>;

export interface RuntimeOptions {
  config?: Partial<ConnectorConfig>;
  transport: XspTransport;
  onCsta: (o: CstaOutput) => void;
  onAlarm?: (o: Extract<Output, { kind: 'alarm' }>) => void;
  /** Milliseconds; defaults to `performance.now()`. */
  clock?: () => number;
}

export class ConnectorRuntime {
  private state: ConnectorState;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly clock: () => number;
  private closed = false;
  /** Inputs fed so far (for benchmarks and health endpoints). */
  inputs = 0;

  constructor(private readonly opts: RuntimeOptions) {
    this.state = createConnector(opts.config);
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

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await this.opts.transport.stop();
  }

  private feed(input: Input): void {
    if (this.closed) return;
    this.inputs++;
    const { state, outputs } = step(this.state, input, this.clock());
    this.state = state;
    for (const o of outputs) this.carryOut(o);
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
      default:
        this.opts.onCsta(o);
    }
  }
}
