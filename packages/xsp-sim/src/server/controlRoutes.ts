/**
 * The control API for test harnesses, under `/_sim/` (in the spirit of LocalStack's and
 * WireMock's admin endpoints). JSON in, JSON out; errors are `{ "error": "…" }` with 400/404/405.
 *
 * No credentials: the API is meant for a simulator bound to loopback (the default host). Anyone
 * who can reach the port can reset it — do not expose `pnpm sim` on a shared network.
 *
 *   GET  /_sim/health          {status, now, faults, seed, openChannels}
 *   POST /_sim/reset           fresh model from the start-up directory, same seed, clock at 0
 *   POST /_sim/directory       load a directory JSON (validateDirectory) and reset to it
 *   GET  /_sim/state           the model snapshot, plus `now`
 *   GET  /_sim/journal         the request journal (method, path, status, ms) — never credentials
 *   DELETE /_sim/journal       clear it
 *   PUT  /_sim/faults          {"profile": "none" | "flaky" | "hostile"}
 *   POST /_sim/clock/advance   {"ms": n} — moves virtual time forward (association expiry, …)
 *   POST /_sim/external        an ExternalAction, e.g. {"kind":"portalRelease","guestUserId":"…"}
 *   GET  /_sim/nodes           the XSP nodes: index, url, up, latencyMs, unavailable, channels,
 *                              inFlight (requests not answered yet, streams left out)
 *   POST /_sim/nodes/{i}/down  node i dies: its streams and in-flight requests are cut, Xsi
 *                              requests to it are reset (model/nodes.ts); /_sim/ still answers there
 *   POST /_sim/nodes/{i}/partition  node i cut off but alive: its streams go silent, nothing it
 *                              gets is answered, what was in flight is applied
 *   POST /_sim/nodes/{i}/up    node i is back (empty: clients open their channels again)
 *   PUT  /_sim/nodes/{i}       {"latencyMs": n, "unavailable": bool} — slow, or answering 503
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AGENT_ACD_STATES, type AgentACDState } from '@csta-bw/core';
import { validateDirectory } from '../model/directory.js';
import { applyExternal, type ExternalAction } from '../model/external.js';
import { FAULT_PROFILES, type FaultProfile } from '../model/faults.js';
import { nodeViews } from '../model/nodes.js';
import { snapshot } from '../model/queries.js';
import { pathSegments, readBody, sendJson } from './httpIo.js';
import type { LiveXsp } from './liveXsp.js';

export interface JournalEntry {
  /** ISO time the request arrived. */
  at: string;
  method: string;
  /** The path as requested (query included); credentials travel in headers and are never kept. */
  path: string;
  status: number;
  ms: number;
  /** The node whose port took the request (clusters only). */
  node?: number;
}

/** What the control API can do to the nodes (index.ts wires it to the listeners). */
export interface Cluster {
  urls: readonly string[];
  down(node: number, how?: 'crash' | 'partition'): void;
  up(node: number): void;
  condition(node: number, change: { latencyMs?: number; unavailable?: boolean }): void;
}

/** Largest latency a node can be given (10 minutes): enough to outlast any client deadline. */
const MAX_NODE_LATENCY_MS = 600_000;

/** The newest entries are kept; older ones fall off. */
export const JOURNAL_LIMIT = 1000;

/** Largest single clock advance (10 years), so a typo cannot overflow the virtual clock. */
const MAX_ADVANCE_MS = 10 * 365 * 24 * 3_600_000;

export async function handleControl(live: LiveXsp, journal: JournalEntry[], req: IncomingMessage, res: ServerResponse, cluster?: Cluster): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const route = pathSegments(req.url ?? '/').slice(1).join('/').toLowerCase();
  const fail = (status: number, error: string): void => sendJson(res, status, { error });
  const only = (...methods: string[]): boolean => {
    if (methods.includes(method)) return true;
    res.setHeader('Allow', methods.join(', '));
    fail(405, `${method} not allowed on /_sim/${route} (allowed: ${methods.join(', ')})`);
    return false;
  };
  /** The JSON body, or undefined after answering 400/413. */
  const json = async (): Promise<unknown> => {
    const body = await readBody(req);
    if (!body.ok) return fail(413, 'request body larger than 64 KiB');
    try {
      return JSON.parse(body.text === '' ? 'null' : body.text) as unknown;
    } catch (e) {
      return fail(400, `body is not JSON: ${(e as Error).message}`);
    }
  };
  if (method === 'GET' || method === 'DELETE') req.resume();

  switch (route) {
    case 'health':
      if (!only('GET')) return;
      return sendJson(res, 200, { status: 'ok', now: live.now(), faults: live.state.faults, seed: live.seed, openChannels: live.openStreamCount() });
    case 'reset':
      if (!only('POST')) return;
      req.resume();
      live.reset();
      return sendJson(res, 200, { status: 'reset', users: Object.keys(live.state.users).length, seed: live.seed });
    case 'directory': {
      if (!only('POST')) return;
      const body = await json();
      if (body === undefined) return;
      const directory = validateDirectory(body);
      if ('error' in directory) return fail(400, directory.error);
      live.reset(directory);
      return sendJson(res, 200, { status: 'loaded', users: directory.users.length });
    }
    case 'state':
      if (!only('GET')) return;
      return sendJson(res, 200, { now: live.now(), ...(snapshot(live.state) as object) });
    case 'journal':
      if (!only('GET', 'DELETE')) return;
      if (method === 'DELETE') journal.length = 0;
      return sendJson(res, 200, { entries: journal });
    case 'faults': {
      if (!only('PUT')) return;
      const body = await json();
      if (body === undefined) return;
      const profile = isRecord(body) ? body['profile'] : undefined;
      if (!FAULT_PROFILES.includes(profile as FaultProfile)) return fail(400, `"profile" must be one of ${FAULT_PROFILES.join(', ')}`);
      live.setFaults(profile as FaultProfile);
      return sendJson(res, 200, { faults: live.state.faults });
    }
    case 'clock/advance': {
      if (!only('POST')) return;
      const body = await json();
      if (body === undefined) return;
      const ms = isRecord(body) ? body['ms'] : undefined;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_ADVANCE_MS) {
        return fail(400, `"ms" must be an integer from 0 to ${MAX_ADVANCE_MS}`);
      }
      live.advanceClock(ms);
      return sendJson(res, 200, { now: live.now() });
    }
    case 'external': {
      if (!only('POST')) return;
      const body = await json();
      if (body === undefined) return;
      const action = parseExternalAction(body);
      if ('error' in action) return fail(400, action.error);
      const r = applyExternal(live.state, action, live.now());
      live.state = r.state;
      live.pump();
      const outcome = r.outcome;
      if ('status' in outcome && outcome.status === 200) return sendJson(res, 200, { applied: action.kind });
      // Refused by the BroadWorks rules (busy host, …): 409 with the ErrorInfo the XSP would give.
      const errorInfo = 'status' in outcome && outcome.body?.kind === 'ErrorInfo' ? outcome.body.error : undefined;
      return sendJson(res, 409, { error: errorInfo?.summaryEnglish ?? 'refused', status: 'status' in outcome ? outcome.status : 0, errorInfo });
    }
    case 'nodes':
      if (!only('GET')) return;
      return sendJson(res, 200, { nodes: nodesView(live, cluster) });
    default: {
      const m = /^nodes\/([^/]+)(?:\/(down|up|partition))?$/.exec(route);
      if (!m) return fail(404, `no control endpoint /_sim/${route}`);
      const count = cluster?.urls.length ?? 1;
      const node = /^\d+$/.test(m[1]!) ? Number(m[1]) : -1;
      if (node < 0 || node >= count) return fail(404, `no node ${m[1]}: nodes are 0..${count - 1}`);
      if (!cluster) return fail(404, 'this server has no node control');
      if (m[2] !== undefined) {
        if (!only('POST')) return;
        req.resume();
        if (m[2] === 'up') cluster.up(node);
        else cluster.down(node, m[2] === 'partition' ? 'partition' : 'crash');
        return sendJson(res, 200, nodesView(live, cluster)[node]);
      }
      if (!only('PUT')) return;
      const body = await json();
      if (body === undefined) return;
      const change = parseNodeCondition(body);
      if ('error' in change) return fail(400, change.error);
      cluster.condition(node, change);
      return sendJson(res, 200, nodesView(live, cluster)[node]);
    }
  }
}

function nodesView(live: LiveXsp, cluster: Cluster | undefined): unknown[] {
  return nodeViews(live.state).map(({ channelIds, ...n }) => ({
    ...n,
    url: cluster?.urls[n.index],
    channels: channelIds.map((id) => {
      const c = live.state.channels[id]!;
      return { channelId: id, channelSetId: c.channelSetId, priority: c.priority ?? 1, weight: c.weight ?? 50 };
    }),
    inFlight: live.inFlight(n.index),
  }));
}

/** `{"latencyMs": n, "unavailable": bool}`, both optional, nothing else. */
export function parseNodeCondition(json: unknown): { latencyMs?: number; unavailable?: boolean } | { error: string } {
  if (!isRecord(json)) return { error: 'expected {"latencyMs": n, "unavailable": true|false}' };
  const unknown = Object.keys(json).find((k) => k !== 'latencyMs' && k !== 'unavailable');
  if (unknown !== undefined) return { error: `unknown field "${unknown}" (expected latencyMs, unavailable)` };
  const change: { latencyMs?: number; unavailable?: boolean } = {};
  if (json['latencyMs'] !== undefined) {
    const ms = json['latencyMs'];
    if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_NODE_LATENCY_MS) return { error: `"latencyMs" must be an integer from 0 to ${MAX_NODE_LATENCY_MS}` };
    change.latencyMs = ms;
  }
  if (json['unavailable'] !== undefined) {
    if (typeof json['unavailable'] !== 'boolean') return { error: '"unavailable" must be true or false' };
    change.unavailable = json['unavailable'];
  }
  return change;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Validates an ExternalAction JSON (model/external.ts) field by field. */
export function parseExternalAction(json: unknown): ExternalAction | { error: string } {
  if (!isRecord(json)) return { error: 'expected an ExternalAction object with a "kind"' };
  const str = (name: string): string | { error: string } => {
    const v = json[name];
    return typeof v === 'string' && v !== '' ? v : { error: `${String(json['kind'])}: "${name}" must be a non-empty string` };
  };
  const fields = <T extends ExternalAction>(names: string[], build: (v: string[]) => T): T | { error: string } => {
    const values: string[] = [];
    for (const n of names) {
      const v = str(n);
      if (typeof v !== 'string') return v;
      values.push(v);
    }
    return build(values);
  };
  switch (json['kind']) {
    case 'portalAssociate':
      return fields(['guestUserId', 'hostUserId'], ([g, h]) => ({ kind: 'portalAssociate', guestUserId: g!, hostUserId: h! }));
    case 'portalRelease':
      return fields(['guestUserId'], ([g]) => ({ kind: 'portalRelease', guestUserId: g! }));
    case 'hostForceRelease':
      return fields(['hostUserId'], ([h]) => ({ kind: 'hostForceRelease', hostUserId: h! }));
    case 'phoneSetAgentState': {
      const state = json['state'];
      if (!AGENT_ACD_STATES.includes(state as AgentACDState)) return { error: `phoneSetAgentState: "state" must be one of ${AGENT_ACD_STATES.join(', ')}` };
      return fields(['userId'], ([u]) => ({ kind: 'phoneSetAgentState', userId: u!, state: state as AgentACDState }));
    }
    case 'setForwarding': {
      const active = json['active'];
      if (typeof active !== 'boolean') return { error: 'setForwarding: "active" must be a boolean' };
      const to = json['forwardToPhoneNumber'];
      if (to !== undefined && (typeof to !== 'string' || to === '')) return { error: 'setForwarding: "forwardToPhoneNumber" must be a non-empty string' };
      return fields(['userId'], ([u]) => ({ kind: 'setForwarding', userId: u!, active, ...(to !== undefined ? { forwardToPhoneNumber: to } : {}) }));
    }
    case 'channelTerminate':
      return { kind: 'channelTerminate' };
    default:
      return { error: `"kind" must be one of portalAssociate, portalRelease, hostForceRelease, phoneSetAgentState, setForwarding, channelTerminate` };
  }
}
