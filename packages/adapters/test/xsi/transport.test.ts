/**
 * The Xsi HTTP transport driving the simulator's real HTTP server through ConnectorRuntime
 * (issue #3 item 5): the seed's hoteling login and logout, a channel dropped in the middle of a
 * login, a 503 storm (fault profiles), duplicated and redelivered events. The oracle is the
 * simulator's truth (`userView` of `server.state`) against the connector's view (DESIGN §5).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nothingOwed, type CstaRequest, type XsiEvent } from '@csta-bw/core';
import { startXspServer, userView, type FaultProfile, type XspServer } from '@csta-bw/xsp-sim';
import { ConnectorRuntime, type CstaOutput, type XspTransport } from '../../src/runtime.js';
import { createXsiHttpTransport, type XsiHttpTransport } from '../../src/xsi/transport.js';
import { until } from './fakeXsp.js';

const HOST = 'desk-110@example.com';
const GUEST = 'agent-001@example.com';
const login: CstaRequest = { service: 'SetAgentState', device: 'desk-110', requestedAgentState: 'loggedOn', agentID: 'agent-001' };
const logout: CstaRequest = { service: 'SetAgentState', device: 'desk-110', requestedAgentState: 'loggedOff', agentID: 'agent-001' };

interface World {
  server: XspServer;
  transport: XsiHttpTransport;
  runtime: ConnectorRuntime;
  out: CstaOutput[];
  lines: string[];
  /** Every event the transport handed to the connector. */
  delivered: XsiEvent[];
  ask(invokeId: string, request: CstaRequest, ms?: number): Promise<CstaOutput>;
}

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    await w.runtime.close();
    await w.server.close();
  }
});

async function world(opts: { faults?: FaultProfile; seed?: number; onLog?: (line: string, t: XsiHttpTransport) => void } = {}): Promise<World> {
  const server = await startXspServer({ port: 0, seed: opts.seed ?? 1, faults: opts.faults ?? 'none', eventTimeoutSeconds: 4 });
  const lines: string[] = [];
  const delivered: XsiEvent[] = [];
  const transport = createXsiHttpTransport({
    baseUrl: server.url, user: 'admin@example.com', password: 'secret', channelSetId: 'csta-bw/loopback-test', applicationId: 'csta-bw',
    eventTimeoutSeconds: 4, requestTimeoutMs: 2_500, reconnectBackoff: { baseMs: 50, maxMs: 500 },
    log: (l) => {
      lines.push(l);
      opts.onLog?.(l, transport);
    },
  });
  // Watch what reaches the connector, without changing it.
  const watched: XspTransport = {
    execute: (c) => transport.execute(c),
    stop: () => transport.stop(),
    start: (sink) => transport.start({ channel: (s) => sink.channel(s), event: (e) => { delivered.push(e); sink.event(e); } }),
  };
  const out: CstaOutput[] = [];
  const runtime = new ConnectorRuntime({
    transport: watched, onCsta: (o) => out.push(o),
    config: { stepTimeoutMs: 3_000, sagaTimeoutMs: 9_000, retryBaseMs: 100, retryMaxMs: 500, repairIntervalMs: 500 },
  });
  const w: World = {
    server, transport, runtime, out, lines, delivered,
    async ask(invokeId, request, ms = 15_000) {
      runtime.request('L1', invokeId, request);
      let answer: CstaOutput | undefined;
      await until(() => (answer = out.find((o) => (o.kind === 'csta.response' || o.kind === 'csta.error') && o.invokeId === invokeId)) !== undefined, ms, `answer to ${invokeId}`);
      return answer!;
    },
  };
  worlds.push(w);
  await until(() => runtime.connector.channel === 'up', 5_000, 'channel up');
  return w;
}

/** No job, command or repair in flight in the connector. */
function connectorQuiet(w: World): boolean {
  const c = w.runtime.connector;
  return Object.keys(c.jobs).length === 0 && Object.keys(c.commands).length === 0 && nothingOwed(c) && c.channel === 'up';
}

/** I1: the connector's view of the users it holds equals the simulator's truth. */
function divergences(w: World): string[] {
  const out: string[] = [];
  for (const u of Object.values(w.runtime.connector.users)) {
    if (u.status !== 'known') continue;
    const truth = userView(w.server.state, u.userId);
    if (!truth) continue;
    if (u.agentState !== truth.agentACDState) out.push(`${u.userId} agent ${u.agentState} vs ${truth.agentACDState}`);
    if ((u.forwarding?.active ?? false) !== (truth.forwarding?.active ?? false)) out.push(`${u.userId} forwarding ${u.forwarding?.active} vs ${truth.forwarding?.active}`);
    if (u.guest?.hostUserId !== truth.hotelingGuest?.hostUserId) out.push(`${u.userId} host ${u.guest?.hostUserId} vs ${truth.hotelingGuest?.hostUserId}`);
  }
  return out;
}

/** I2/I3 for the seed pair: desk-110 forwards to agent-001 exactly while agent-001 sits there. */
function deskConsistent(w: World): boolean {
  const host = userView(w.server.state, HOST)!;
  const guest = userView(w.server.state, GUEST)!;
  const associated = guest.hotelingGuest?.hostUserId === HOST;
  const forwardsToGuest = host.forwarding?.active === true && /3001|agent-001/.test(host.forwarding.forwardToPhoneNumber ?? '');
  return associated === forwardsToGuest;
}

async function converged(w: World, ms = 20_000): Promise<void> {
  await until(() => connectorQuiet(w) && divergences(w).length === 0, ms, 'convergence');
}

const kinds = (w: World, name: string): number => w.out.filter((o) => o.kind === 'csta.event' && o.event.name === name).length;

describe('the seed over loopback HTTP (faults none)', () => {
  it('logs agent-001 in at desk-110 and out again; the simulator agrees at every step', async () => {
    const w = await world();
    expect(await w.ask('1', { service: 'MonitorStart', monitorObject: 'desk-110' })).toMatchObject({ kind: 'csta.response', response: { service: 'MonitorStartResponse' } });

    expect(await w.ask('2', login)).toMatchObject({ kind: 'csta.response', response: { service: 'SetAgentStateResponse' } });
    await converged(w);
    const host = userView(w.server.state, HOST)!;
    const guest = userView(w.server.state, GUEST)!;
    expect(guest.hotelingGuest?.hostUserId).toBe(HOST);
    expect(guest.agentACDState).toBe('Unavailable');
    expect(host.agentACDState).toBe('Sign-Out');
    expect(host.forwarding?.active).toBe(true);
    expect(deskConsistent(w)).toBe(true);
    await until(() => kinds(w, 'AgentLoggedOnEvent') === 1 && kinds(w, 'ForwardingEvent') >= 1, 5_000, 'CSTA events');

    expect(await w.ask('3', logout)).toMatchObject({ kind: 'csta.response', response: { service: 'SetAgentStateResponse' } });
    await converged(w);
    const after = userView(w.server.state, GUEST)!;
    expect(after.hotelingGuest?.hostUserId).toBeUndefined();
    expect(after.agentACDState).toBe('Sign-Out');
    expect(userView(w.server.state, HOST)!.forwarding?.active).toBe(false);
    await until(() => kinds(w, 'AgentLoggedOffEvent') >= 1, 5_000, 'AgentLoggedOffEvent');
    // Every event reached the connector once, and the transport kept the subscriptions it made.
    expect(new Set(w.delivered.map((e) => e.eventId)).size).toBe(w.delivered.length);
    expect(w.transport.subscriptions().length).toBeGreaterThanOrEqual(6);
    expect(w.lines.join('\n')).not.toContain('secret');
  });
});

describe('channel loss', () => {
  it('a channel dropped in the middle of a login: the saga still converges, no dangling forward', async () => {
    // Drop the channel the moment the host's forwarding is switched on: before the saga's
    // PUT HotelingGuest, so the association event it waits for cannot come on this channel.
    let dropped = false;
    const w = await world({
      onLog: (line, t) => {
        if (!dropped && line.startsWith('xsi: PUT CallForwardingAlways desk-110')) {
          dropped = true;
          t.dropChannel('test: cut mid-login');
        }
      },
    });
    await w.ask('1', { service: 'MonitorStart', monitorObject: 'desk-110' });
    const answer = await w.ask('2', login, 20_000);
    expect(dropped).toBe(true);
    await converged(w);
    expect(deskConsistent(w)).toBe(true);
    const guest = userView(w.server.state, GUEST)!;
    if (answer.kind === 'csta.response') {
      expect(guest.hotelingGuest?.hostUserId).toBe(HOST); // I3
    } else {
      expect(guest.hotelingGuest?.hostUserId).toBeUndefined(); // I5: a failed login leaves no trace
      expect(userView(w.server.state, HOST)!.forwarding?.active).toBe(false);
    }
    expect(w.lines.some((l) => l.includes('event channel lost: test: cut mid-login'))).toBe(true);
    // The connector heard the loss and the recovery (and told the CSTA link).
    expect(w.out.filter((o) => o.kind === 'csta.systemStatus').map((o) => (o.kind === 'csta.systemStatus' ? o.status : ''))).toEqual(expect.arrayContaining(['disabled', 'normal']));
    // The next logout works on the new channel.
    expect(await w.ask('3', logout)).toMatchObject({ kind: 'csta.response' });
    await converged(w);
    expect(deskConsistent(w)).toBe(true);
  });
});

describe('faults', () => {
  it('a 503 storm (hostile, then flaky): every request is answered, and the world converges once faults stop', async () => {
    const w = await world({ faults: 'hostile', seed: 7 });
    await w.ask('m', { service: 'MonitorStart', monitorObject: 'desk-110' }, 30_000);
    const answers: string[] = [];
    for (let i = 0; i < 3; i++) {
      answers.push((await w.ask(`in${i}`, login, 30_000)).kind);
      answers.push((await w.ask(`out${i}`, logout, 30_000)).kind);
    }
    expect(answers).toHaveLength(6); // I6: one answer each, none hung
    await fetch(`${w.server.url}/_sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'none' }) });
    // After the storm, a logout on a calm XSP settles the desk; repairs and resync finish the rest.
    expect(await w.ask('final', logout, 30_000)).toMatchObject({ kind: 'csta.response' });
    await converged(w, 30_000);
    expect(deskConsistent(w)).toBe(true);
    expect(w.lines.some((l) => / → HTTP 5\d\d /.test(l) || l.includes('no answer from the XSP'))).toBe(true);
  }, 120_000);

  it('duplicated and redelivered events are acked and reach the connector once', async () => {
    const w = await world({ faults: 'hostile', seed: 3 });
    await w.ask('m', { service: 'MonitorStart', monitorObject: 'desk-110' }, 30_000);
    for (let i = 0; i < 4; i++) {
      await w.ask(`in${i}`, login, 30_000);
      await w.ask(`out${i}`, logout, 30_000);
      if (i === 1) w.transport.dropChannel('test: redelivery'); // un-acked events come again on the next channel
    }
    const ids = w.delivered.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(w.lines.filter((l) => l.includes('duplicate event')).length).toBeGreaterThan(0);
    await fetch(`${w.server.url}/_sim/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ profile: 'none' }) });
    await w.ask('final', logout, 30_000);
    await converged(w, 30_000);
    expect(deskConsistent(w)).toBe(true);
  }, 180_000);
});
