/**
 * Test support: drive `step` directly with hand-made inputs — no simulator. The test plays the
 * XSP: it reads the commands the connector sent, answers them with `xsp.result`, feeds events
 * and fires timers, and sees every output. Timers are kept like a shell would (set/clear), so a
 * test can fire the next one due and read when it was due.
 */
import {
  createConnector, step, type AgentACDState, type ConnectorConfig, type ConnectorRestore, type SavedPairings, type ConnectorState, type CstaRequest,
  type ForwardingInfo, type HotelingGuestInfo, type Input, type Output, type XsiCommand, type XsiOutcome,
} from '../../../src/index.js';
import { withLegacyFields, type LegacyState } from './legacyView.js';

/** What the test's pretend-XSP knows about a user; an absent service answers 400 to its GET. */
export interface PretendUser {
  extension?: string;
  agentACDState?: AgentACDState;
  forwarding?: ForwardingInfo;
  guest?: HotelingGuestInfo;
}

export const LINK = 'L1';

export class StepDriver {
  private raw: ConnectorState;
  now = 0;
  readonly log: Output[] = [];
  readonly timers = new Map<string, number>();

  /** `restore`: the pairings a crashed connector saved (a restart). */
  constructor(config: Partial<ConnectorConfig> = {}, restore: ConnectorRestore = {}) {
    this.raw = createConnector({ defaultDomain: 'example.com', ...config }, restore);
  }

  /** What a store following the write-ahead contract holds now: every `pairings.save` so far, applied in order. */
  saved(): SavedPairings {
    const out: SavedPairings = {};
    for (const o of this.log) {
      if (o.kind !== 'pairings.save') continue;
      for (const c of o.changes) {
        if (c.pairing === null) delete out[c.host];
        else out[c.host] = structuredClone(c.pairing);
      }
    }
    return out;
  }

  /** The connector's state, with the old `ours` / `restore` / `repairs` readable (legacyView.ts). */
  get state(): LegacyState {
    return withLegacyFields(this.raw);
  }

  set state(s: ConnectorState) {
    this.raw = s;
  }

  feed(input: Input): Output[] {
    const { state, outputs } = step(this.raw, input, this.now);
    this.raw = state;
    for (const o of outputs) {
      if (o.kind === 'timer.set') this.timers.set(o.timerId, o.at);
      if (o.kind === 'timer.clear') this.timers.delete(o.timerId);
    }
    this.log.push(...outputs);
    return outputs;
  }

  request(invokeId: string, request: CstaRequest, link = LINK): Output[] {
    return this.feed({ kind: 'csta.request', link, invokeId, request });
  }

  result(commandId: number, outcome: XsiOutcome): Output[] {
    return this.feed({ kind: 'xsp.result', commandId, outcome });
  }

  /** Commands on the wire, unanswered, as the connector sees them. */
  pending(): { commandId: number; command: XsiCommand }[] {
    return Object.entries(this.state.commands).map(([id, c]) => ({ commandId: Number(id), command: c.command }));
  }

  /** The one unanswered command matching `op` (and user, if given). */
  pendingOne(op: XsiCommand['op'], userId?: string): { commandId: number; command: XsiCommand } {
    const found = this.pending().filter((p) => p.command.op === op && (userId === undefined || p.command.userId === userId));
    if (found.length !== 1) throw new Error(`expected one pending ${op} ${userId ?? ''}, found ${found.length}`);
    return found[0]!;
  }

  /** Answer every pending read of `userId` (profile, SUBSCRIBE, the three GETs) from `truth`. */
  answerFetch(userId: string, truth: PretendUser): Output[] {
    const out: Output[] = [];
    for (const { commandId, command } of this.pending()) {
      if (command.userId !== userId) continue;
      out.push(...this.result(commandId, readOutcome(userId, command, truth)));
    }
    return out;
  }

  /** Move the clock to `timerId`'s due time and fire it. */
  fire(timerId: string): Output[] {
    const at = this.timers.get(timerId);
    if (at === undefined) throw new Error(`timer ${timerId} is not set`);
    this.timers.delete(timerId);
    this.now = Math.max(this.now, at);
    return this.feed({ kind: 'timer.fired', timerId });
  }
}

function readOutcome(userId: string, c: XsiCommand, t: PretendUser): XsiOutcome {
  const missing: XsiOutcome = { status: 400, body: { kind: 'ErrorInfo', error: { summaryEnglish: 'service not assigned', errorCode: 110101 } } };
  switch (c.op) {
    case 'GET profile':
      return { status: 200, body: { kind: 'profile', info: t.extension === undefined ? { userId } : { userId, extension: t.extension } } };
    case 'SUBSCRIBE':
      return { status: 200, body: { kind: 'Subscriptions', subscriptionIds: ['s1', 's2', 's3'] } };
    case 'GET CallCenter':
      return t.agentACDState === undefined ? missing : { status: 200, body: { kind: 'CallCenter', agentACDState: t.agentACDState } };
    case 'GET CallForwardingAlways':
      return t.forwarding === undefined ? missing : { status: 200, body: { kind: 'CallForwardingAlways', info: t.forwarding } };
    case 'GET HotelingGuest':
      return t.guest === undefined ? missing : { status: 200, body: { kind: 'HotelingGuest', info: t.guest } };
    default:
      return { status: 200 };
  }
}

/** Output filters. */
export const commandsIn = (outs: Output[]) => outs.flatMap((o) => (o.kind === 'xsp.command' ? [o] : []));
export const answersIn = (outs: Output[]) => outs.flatMap((o) => (o.kind === 'csta.response' || o.kind === 'csta.error' ? [o] : []));
export const errorOf = (outs: Output[], invokeId: string) => {
  const o = outs.find((x) => x.kind === 'csta.error' && x.invokeId === invokeId);
  return o?.kind === 'csta.error' ? `${o.error.category}/${o.error.value}` : undefined;
};

export const DESK: PretendUser = { extension: '2101', agentACDState: 'Sign-Out', forwarding: { active: false } };
export const AGENT: PretendUser = { extension: '3001', agentACDState: 'Sign-Out', forwarding: { active: false }, guest: { active: true, enableAssociationLimit: false, associationLimitHours: 24 } };

/** desk-101 monitored (m1) and read (Sign-Out), channel up; the group subscription, if configured, answered. */
export function monitoredDesk(config: Partial<ConnectorConfig> = {}): StepDriver {
  const d = new StepDriver(config);
  d.feed({ kind: 'xsp.channel', status: 'up' });
  for (const p of d.pending()) d.result(p.commandId, { status: 200 });
  d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
  d.answerFetch('desk-101@example.com', DESK);
  return d;
}
