/**
 * ModelTransport — an `XspTransport` that runs the simulator's pure model in this process, on
 * real time. No HTTP: commands are `submit`ted to the model, the model is `advance`d by a single
 * `setTimeout` armed at `nextDueAt`, and its deliveries become command results, events (acked
 * at once, duplicates by eventID dropped, as the Xsi client does) and channel losses.
 *
 * Uses: developing the CSTA gateway without the HTTP server, and benchmarks that want the
 * gateway's cost without the Xsi HTTP cost. Tests reach the model through `external` (an
 * external actor's change) and `view` (the BroadWorks truth about a user).
 *
 * Time: the model's clock is milliseconds since this transport was created.
 */
import type { XsiCommand, XsiOutcome } from '@csta-bw/core';
import {
  ackEvent, advance, applyExternal, createXsp, defaultDirectory, nextDueAt, openChannel, submit, userView,
  type Directory, type ExternalAction, type FaultProfile, type UserView, type XspState,
} from '@csta-bw/xsp-sim';
import type { XspEventSink, XspTransport } from './runtime.js';

export interface ModelTransportOptions {
  directory?: Directory;
  seed?: number;
  faults?: FaultProfile;
  /** Delay before opening a new event channel after losing one (ms). */
  reconnectDelayMs?: number;
}

const CHANNEL_SET_ID = 'csta-bw/model-transport';

export class ModelTransport implements XspTransport {
  private xsp: XspState;
  private readonly admin: string;
  private readonly t0 = performance.now();
  private sink: XspEventSink | undefined;
  private channelId: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt: number | undefined;
  private nextRequestId = 1;
  private readonly waiting = new Map<number, (outcome: XsiOutcome) => void>();
  /** Event ids already fed; a redelivery is acked again but not fed twice. Bounded by pruning. */
  private readonly seenEventIds = new Set<string>();
  private stopped = false;
  private readonly reconnectDelayMs: number;

  constructor(opts: ModelTransportOptions = {}) {
    const directory = opts.directory ?? defaultDirectory();
    this.admin = directory.adminUserId;
    this.xsp = createXsp({ directory, seed: opts.seed ?? 1, faults: opts.faults ?? 'none' });
    this.reconnectDelayMs = opts.reconnectDelayMs ?? 1000;
  }

  private now(): number {
    return performance.now() - this.t0;
  }

  start(sink: XspEventSink): void {
    this.sink = sink;
    this.openEventChannel();
  }

  execute(command: XsiCommand): Promise<XsiOutcome> {
    if (this.stopped) return Promise.resolve({ transportError: 'transport stopped' });
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.waiting.set(requestId, resolve);
      this.xsp = submit(this.xsp, { requestId, asUser: this.admin, channelSetId: CHANNEL_SET_ID, command }, this.now());
      this.schedule();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const resolve of this.waiting.values()) resolve({ transportError: 'transport stopped' });
    this.waiting.clear();
  }

  /** A change made elsewhere (portal, phone, host force-release…), applied now. */
  external(action: ExternalAction): XsiOutcome {
    const { state, outcome } = applyExternal(this.xsp, action, this.now());
    this.xsp = state;
    this.schedule();
    return outcome;
  }

  /** The simulator's truth about one user. */
  view(userId: string): UserView | undefined {
    return userView(this.xsp, userId);
  }

  // ---- the model's clock -------------------------------------------------------------------

  /** Arms the one timer at the model's next due instant (re-arming only if that moved earlier). */
  private schedule(): void {
    if (this.stopped) return;
    const due = nextDueAt(this.xsp);
    if (due === undefined) return;
    if (this.timer !== undefined && this.timerAt !== undefined && this.timerAt <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = due;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - this.now()));
  }

  private tick(): void {
    this.timer = undefined;
    this.timerAt = undefined;
    if (this.stopped) return;
    const now = this.now();
    const { state, deliveries } = advance(this.xsp, now);
    this.xsp = state;
    for (const d of deliveries) {
      if (d.kind === 'result') {
        const resolve = this.waiting.get(d.requestId);
        this.waiting.delete(d.requestId);
        resolve?.(d.outcome);
      } else if (d.kind === 'event') {
        this.xsp = ackEvent(this.xsp, d.channelId, d.event.eventId, 200, now);
        if (this.seenEventIds.has(d.event.eventId)) continue;
        this.rememberEventId(d.event.eventId);
        this.sink?.event(d.event);
      } else if (d.channelId === this.channelId) {
        this.channelId = undefined;
        this.sink?.channel('lost');
        setTimeout(() => this.openEventChannel(), this.reconnectDelayMs);
      }
    }
    this.schedule();
  }

  private rememberEventId(eventId: string): void {
    this.seenEventIds.add(eventId);
    // Redeliveries arrive within seconds; the oldest ids can go (a Set iterates in insertion order).
    if (this.seenEventIds.size > 10_000) {
      const oldest = this.seenEventIds.values().next();
      if (!oldest.done) this.seenEventIds.delete(oldest.value);
    }
  }

  private openEventChannel(): void {
    if (this.stopped) return;
    const opened = openChannel(this.xsp, { asUser: this.admin, channelSetId: CHANNEL_SET_ID }, this.now());
    if (!('state' in opened)) {
      // The admin is in the directory, so this means a broken directory: retry, and say so.
      console.error(`model transport: cannot open the event channel: ${opened.error.summaryEnglish}`);
      setTimeout(() => this.openEventChannel(), this.reconnectDelayMs);
      return;
    }
    this.xsp = opened.state;
    this.channelId = opened.channelId;
    this.sink?.channel('up');
    this.schedule();
  }
}
