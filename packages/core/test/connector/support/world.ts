/**
 * Test support: the connector in a VirtualWorld (connector + simulator model on virtual time),
 * with short helpers that read like the DESIGN's prose — ask a request and get its answer,
 * list the XSP commands and CSTA events since a mark as one-line strings, and inject a fault
 * on exactly the commands a test names.
 *
 * Fault injection works on the simulator's plain-data agenda: a submitted command is an
 * `execute` item; replacing it with a `reply` item answers it with the given outcome without
 * applying it (exactly what the model does for a drawn 503/500).
 */
import type { CstaRequest, XsiCommand, XsiOutcome } from '@csta-bw/core';
import { VirtualWorld, type ClientAnswer, type VirtualWorldOptions } from '@csta-bw/adapters';
import { defaultDirectory, userView, type Directory, type DirectoryUser, type UserView } from '@csta-bw/xsp-sim';
import { withLegacyFields, type LegacyState } from './legacyView.js';

export const LINK = 'client-1';
const DOMAIN = '@example.com';

const invokeCounters = new WeakMap<VirtualWorld, number>();

/** A VirtualWorld whose `connector` also shows the old `ours` / `restore` / `repairs` (legacyView.ts). */
export type World = VirtualWorld & { connector: LegacyState };

export function newWorld(opts: VirtualWorldOptions = {}): World {
  const w = new VirtualWorld({ seed: 7, ...opts });
  return new Proxy(w, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (prop === 'connector') return withLegacyFields(v as VirtualWorld['connector']);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as World;
}

/** Schedule a request now and return its invokeId (does not run the world). */
export function send(w: VirtualWorld, request: CstaRequest, link = LINK): string {
  const n = (invokeCounters.get(w) ?? 0) + 1;
  invokeCounters.set(w, n);
  const invokeId = String(n).padStart(4, '0');
  w.request(link, invokeId, request);
  return invokeId;
}

/** The answer to one request, or undefined if none came (yet). */
export function answerTo(w: VirtualWorld, invokeId: string, link = LINK): ClientAnswer | undefined {
  const all = w.answers.filter((a) => a.invokeId === invokeId && a.link === link);
  if (all.length > 1) throw new Error(`invoke ${invokeId} was answered ${all.length} times (I6)`);
  return all[0];
}

/** Send a request, run the world until quiet, return the one answer. */
export function ask(w: VirtualWorld, request: CstaRequest, link = LINK): ClientAnswer {
  const invokeId = send(w, request, link);
  w.runUntilQuiet();
  const a = answerTo(w, invokeId, link);
  if (!a) throw new Error(`no answer to ${request.service} (${invokeId})`);
  return a;
}

/** `response:SetAgentStateResponse` or `error:operation/invalidDeviceID`. */
export function outcomeOf(a: ClientAnswer): string {
  return a.kind === 'response' ? `response:${a.response.service}` : `error:${a.error.category}/${a.error.value}`;
}

export function monitor(w: VirtualWorld, device: string, link = LINK): string {
  const a = ask(w, { service: 'MonitorStart', monitorObject: device }, link);
  if (a.kind !== 'response' || a.response.service !== 'MonitorStartResponse') throw new Error(`MonitorStart ${device}: ${outcomeOf(a)}`);
  return a.response.monitorCrossRefID;
}

export const login = (device: string, agentID?: string): CstaRequest =>
  agentID === undefined ? { service: 'SetAgentState', device, requestedAgentState: 'loggedOn' } : { service: 'SetAgentState', device, requestedAgentState: 'loggedOn', agentID };
export const logout = (device: string, agentID?: string): CstaRequest =>
  agentID === undefined ? { service: 'SetAgentState', device, requestedAgentState: 'loggedOff' } : { service: 'SetAgentState', device, requestedAgentState: 'loggedOff', agentID };
export const setState = (device: string, requestedAgentState: string, agentID?: string): CstaRequest =>
  agentID === undefined ? { service: 'SetAgentState', device, requestedAgentState } : { service: 'SetAgentState', device, requestedAgentState, agentID };

const short = (id: string) => (id.endsWith(DOMAIN) ? id.slice(0, -DOMAIN.length) : id);

/** One line per command: `PUT CallForwardingAlways desk-110 active=true to=3001`. */
export function describeCommand(c: XsiCommand): string {
  const head = `${c.op} ${short(c.userId)}`;
  switch (c.op) {
    case 'PUT CallCenter':
      return `${head} ${c.body.agentACDState}`;
    case 'PUT CallForwardingAlways': {
      const to = c.body.forwardToPhoneNumber;
      return `${head} active=${c.body.active}${to === undefined ? '' : ` to=${to}`}`;
    }
    case 'PUT HotelingGuest':
      return `${head} host=${c.body.hostUserId === null ? 'null' : short(c.body.hostUserId)}`;
    default:
      return head;
  }
}

/** Marks to take "since" slices of the world's records. */
export interface Mark { commands: number; events: number; answers: number }
export const mark = (w: VirtualWorld): Mark => ({ commands: w.commands.length, events: w.events.length, answers: w.answers.length });

export function commandsSince(w: VirtualWorld, m: Mark, opts: { putsOnly?: boolean } = {}): string[] {
  return w.commands.slice(m.commands).map((c) => describeCommand(c.command)).filter((s) => !opts.putsOnly || s.startsWith('PUT'));
}

/** `AgentLoggedOnEvent desk-110 agent-001` / `ForwardingEvent desk-110 true 3001`. */
export function eventsSince(w: VirtualWorld, m: Mark, crossRefId?: string): string[] {
  return w.events
    .slice(m.events)
    .filter((e) => crossRefId === undefined || e.monitorCrossRefId === crossRefId)
    .map(({ event: e }) => (e.name === 'ForwardingEvent' ? `ForwardingEvent ${e.device} ${e.forwardStatus}${e.forwardTo === undefined ? '' : ` ${e.forwardTo}`}` : `${e.name} ${e.agentDevice} ${e.agentID ?? '-'}`));
}

export function view(w: VirtualWorld, id: string): UserView {
  const v = userView(w.xsp, id.includes('@') ? id : `${id}${DOMAIN}`);
  if (!v) throw new Error(`no user ${id}`);
  return v;
}

/** The BroadWorks truth of several users, without timestamps (for "exactly as before", I5). */
export function truth(w: VirtualWorld, ids: string[]): Record<string, UserView> {
  const out: Record<string, UserView> = {};
  for (const id of ids) {
    const v = structuredClone(view(w, id));
    if (v.hotelingGuest) delete v.hotelingGuest.hostAssociationDateTime;
    out[id] = v;
  }
  return out;
}

/** The default directory with some users changed or added. */
export function directoryWith(change: (users: Map<string, DirectoryUser>) => void): Directory {
  const d = defaultDirectory();
  const byId = new Map(d.users.map((u) => [short(u.userId), u] as const));
  change(byId);
  d.users = [...byId.values()];
  return d;
}

export interface FaultRule {
  /** Which submitted commands to hit. */
  match: (c: XsiCommand) => boolean;
  /** The answer instead of execution; `lost` = never executed, never answered (a timeout). */
  outcome: XsiOutcome | 'lost';
  /** How many of the matching commands (in submission order); Infinity for a storm. */
  times: number;
}

/**
 * Run the world until quiet (or `limit` ms), answering the commands `rule` matches with its
 * outcome instead of executing them. Returns how many commands were hit.
 */
export function runWithFault(w: VirtualWorld, rule: FaultRule, limit = 600_000): number {
  let hit = 0;
  const end = w.now + limit;
  const rewrite = () => {
    let changed = false;
    const queue = w.xsp.queue.flatMap((item) => {
      if (item.kind !== 'execute' || hit >= rule.times || !rule.match(item.command)) return [item];
      hit++;
      changed = true;
      return rule.outcome === 'lost' ? [] : [{ kind: 'reply' as const, requestId: item.requestId, outcome: rule.outcome, at: item.at, seq: item.seq }];
    });
    if (changed) w.xsp = { ...w.xsp, queue };
  };
  for (;;) {
    rewrite();
    if (w.isQuiet()) return hit;
    const at = w.nextAt();
    if (at === undefined || at > end) return hit;
    w.runUntil(at);
  }
}

export const isPut = (op: XsiCommand['op'], user: string) => (c: XsiCommand) => c.op === op && short(c.userId) === short(user);
