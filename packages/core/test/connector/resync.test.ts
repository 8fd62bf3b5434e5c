/**
 * DESIGN §4.9 Channel loss and resync: SystemStatus `disabled` when the event channel is lost;
 * on `up`, a re-read of every held user, CSTA events for what changed meanwhile, SystemStatus
 * `normal`, and queued repair work resumed.
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/connector/io.js';
import { AGENT, commandsIn, DESK, LINK, StepDriver, monitoredDesk } from './support/stepDriver.js';
import { ask, login, mark, monitor, newWorld, view } from './support/world.js';

const H = 'desk-101@example.com';
const G = 'agent-001@example.com';


const kinds = (outs: Output[]) => outs.map((o) => (o.kind === 'csta.systemStatus' ? `SystemStatus ${o.status}` : o.kind === 'csta.event' ? o.event.name : o.kind === 'xsp.command' ? `${o.command.op} ${o.command.userId}` : o.kind));

describe('§4.9 channel loss and resync', () => {
  it('lost → SystemStatus disabled to every link, once; RequestSystemStatus says disabled meanwhile', () => {
    const d = monitoredDesk();
    d.request('x', { service: 'GetForwarding', device: 'desk-101' }, 'L2');
    const outs = d.feed({ kind: 'xsp.channel', status: 'lost' });
    expect(outs.filter((o) => o.kind === 'csta.systemStatus')).toEqual([
      { kind: 'csta.systemStatus', link: LINK, status: 'disabled' }, { kind: 'csta.systemStatus', link: 'L2', status: 'disabled' },
    ]);
    expect(d.feed({ kind: 'xsp.channel', status: 'lost' })).toEqual([]);
    const r = d.request('s', { service: 'RequestSystemStatus' });
    expect(r).toEqual([{ kind: 'csta.response', link: LINK, invokeId: 's', response: { service: 'RequestSystemStatusResponse', systemStatus: 'disabled' } }]);
  });

  it('up after a loss → GETs of every held user, SystemStatus normal, events for the differences', () => {
    const d = monitoredDesk();
    d.feed({ kind: 'xsp.channel', status: 'lost' });
    const up = d.feed({ kind: 'xsp.channel', status: 'up' });
    expect(kinds(up).filter((k) => k.startsWith('GET') || k.startsWith('SystemStatus'))).toEqual([
      `GET CallCenter ${H}`, `GET CallForwardingAlways ${H}`, `GET HotelingGuest ${H}`, 'SystemStatus normal',
    ]);
    // Meanwhile the agent signed in on the phone and forwarding was switched on elsewhere.
    const get = (op: string) => commandsIn(up).find((c) => c.command.op === op)!.commandId;
    const a = d.result(get('GET CallCenter'), { status: 200, body: { kind: 'CallCenter', agentACDState: 'Available' } });
    expect(kinds(a)).toEqual(['timer.clear', 'AgentLoggedOnEvent', 'AgentReadyEvent']);
    const f = d.result(get('GET CallForwardingAlways'), { status: 200, body: { kind: 'CallForwardingAlways', info: { active: true, forwardToPhoneNumber: 'tel:+4930123' } } });
    expect(f.filter((o) => o.kind === 'csta.event').map((o) => o.kind === 'csta.event' && o.event)).toEqual([
      { name: 'ForwardingEvent', device: 'desk-101', forwardingType: 'forwardImmediate', forwardStatus: true, forwardTo: '+4930123' },
    ]);
    // What did not change brings no event.
    const g = d.result(get('GET HotelingGuest'), { status: 400 });
    expect(g.filter((o) => o.kind === 'csta.event')).toEqual([]);
  });

  it('an up without a preceding loss re-reads nothing', () => {
    const d = monitoredDesk();
    expect(commandsIn(d.feed({ kind: 'xsp.channel', status: 'up' }))).toEqual([]);
  });

  it('queued repair work resumes after the resync', () => {
    const d = new StepDriver();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    // agent-001 sits at desk-101 with our forwarding; the logout cannot restore the forwarding.
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
    d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } });
    d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
    d.request('2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
    d.feed({ kind: 'xsp.channel', status: 'lost' });
    for (let i = 0; i < 200 && Object.keys(d.state.jobs).length > 0; i++) {
      const p = d.pending().find((x) => x.command.op === 'PUT CallForwardingAlways');
      if (p) d.result(p.commandId, { transportError: 'ECONNREFUSED' });
      const next = [...d.timers.entries()].filter(([t]) => t !== 'repair').sort((a, b) => a[1] - b[1])[0];
      if (!next) break;
      d.fire(next[0]);
    }
    expect(d.log.some((o) => o.kind === 'csta.error' && o.invokeId === '2')).toBe(true);
    expect(d.state.repairs.map((r) => r.steps.map((s) => s.step))).toEqual([['restoreForwarding', 'release']]);
    const up = d.feed({ kind: 'xsp.channel', status: 'up' });
    // The repair goes out right after the re-reads: restore the forwarding first.
    expect(commandsIn(up).map((c) => `${c.command.op} ${c.command.userId}`)).toContain(`PUT CallForwardingAlways ${H}`);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
    expect(d.state.repairs).toEqual([]);
  });

  it('in the simulator: channel terminated → disabled, reconnect → normal, and the monitors catch up', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    ask(w, login('desk-101', 'agent-001'));
    const m = mark(w);
    w.external({ kind: 'channelTerminate' });
    w.runUntilQuiet();
    expect(w.systemStatus.map((s) => s.status)).toEqual(['disabled', 'normal']);
    const reads = w.commands.slice(m.commands).map((c) => `${c.command.op} ${c.command.userId}`);
    for (const u of [H, G]) for (const op of ['GET CallCenter', 'GET CallForwardingAlways', 'GET HotelingGuest']) expect(reads).toContain(`${op} ${u}`);
    // After the resync the desk keeps working: the agent changes state on the phone and it is reported.
    const m2 = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: G, state: 'Available' });
    w.runUntilQuiet();
    expect(w.events.slice(m2.events).filter((e) => e.monitorCrossRefId === id).map((e) => e.event.name)).toEqual(['AgentReadyEvent']);
    expect(view(w, 'agent-001').agentACDState).toBe('Available');
  });
});

// ---- the re-reads of a resync, answered by hand ----------------------------------------------------

/** Commands and non-command timers as one line: `GET CallCenter desk-101 | reread:GET CallCenter @200`. */
function line(outs: Output[]): string {
  return outs.flatMap((o) => {
    if (o.kind === 'xsp.command') return [`${o.command.op} ${o.command.userId.split('@')[0]}`];
    if (o.kind === 'timer.set' && !/^(cmd|saga|deadline):/.test(o.timerId)) return [`${o.timerId.split('|')[0]} @${o.at}`];
    if (o.kind === 'csta.event') return [o.event.name];
    return [];
  }).join(' | ');
}

const answer = (d: StepDriver, op: string, userId: string, outcome: Parameters<StepDriver['result']>[1]) =>
  d.result(d.pendingOne(op as never, userId).commandId, outcome);

function lostAndUp(d: StepDriver): Output[] {
  d.feed({ kind: 'xsp.channel', status: 'lost' });
  return d.feed({ kind: 'xsp.channel', status: 'up' });
}

describe('§4.9 the re-reads of a resync', () => {
  it('the channel state integrators read follows the channel: down, up, lost, up', () => {
    const d = new StepDriver();
    const seen = [d.state.channel];
    for (const status of ['up', 'lost', 'up'] as const) {
      d.feed({ kind: 'xsp.channel', status });
      seen.push(d.state.channel);
    }
    expect(seen).toEqual(['down', 'up', 'lost', 'up']);
  });

  it('a user the XSP does not know is not re-read; one whose subscription failed is subscribed again', () => {
    const d = monitoredDesk();
    d.request('x', { service: 'MonitorStart', monitorObject: 'nobody' });
    answer(d, 'GET profile', 'nobody@example.com', { status: 404 });
    d.answerFetch('nobody@example.com', {});
    expect(d.state.users['nobody@example.com']!.status).toBe('absent');
    d.request('y', { service: 'MonitorStart', monitorObject: 'desk-102' });
    answer(d, 'SUBSCRIBE', 'desk-102@example.com', { status: 403 });
    d.answerFetch('desk-102@example.com', DESK);
    const up = lostAndUp(d);
    expect(line(up)).toBe([
      'GET CallCenter desk-101', 'GET CallForwardingAlways desk-101', 'GET HotelingGuest desk-101',
      'SUBSCRIBE desk-102', 'GET CallCenter desk-102', 'GET CallForwardingAlways desk-102', 'GET HotelingGuest desk-102',
    ].join(' | '));
    expect(commandsIn(up).find((c) => c.command.op === 'SUBSCRIBE')!.command).toEqual({
      op: 'SUBSCRIBE', userId: 'desk-102@example.com', packages: ['Call Center Agent', 'Call Forwarding Always', 'Hoteling Guest'],
    });
  });

  it('the resync SUBSCRIBE decides whether the user is subscribed, not the GETs beside it', () => {
    const d = monitoredDesk();
    d.feed({ kind: 'xsp.event', event: { type: 'SubscriptionTerminatedEvent', eventId: 't1', sequenceNumber: 1, subscriptionId: 's', targetId: H } });
    answer(d, 'SUBSCRIBE', H, { status: 500 });
    lostAndUp(d);
    // Still refused, while the GETs succeed: the next resync subscribes again.
    answer(d, 'SUBSCRIBE', H, { status: 403 });
    d.answerFetch(H, DESK);
    expect(line(lostAndUp(d))).toBe(`SUBSCRIBE desk-101 | GET CallCenter desk-101 | GET CallForwardingAlways desk-101 | GET HotelingGuest desk-101`);
    // Now accepted: the next resync only re-reads.
    d.answerFetch(H, DESK);
    expect(line(lostAndUp(d))).toBe(`GET CallCenter desk-101 | GET CallForwardingAlways desk-101 | GET HotelingGuest desk-101`);
  });

  it('a resync read that fails transiently is retried with backoff (200, 400, 800 ms) until it answers', () => {
    const d = monitoredDesk();
    lostAndUp(d);
    const lines: string[] = [];
    for (const outcome of [{ status: 503 }, { transportError: 'ECONNRESET' }, { status: 500 }]) {
      lines.push(line(answer(d, 'GET CallCenter', H, outcome)));
      const again = d.fire(`reread:GET CallCenter|${H}`);
      lines.push(`${d.now}: ${line(again)}`);
    }
    expect(lines).toEqual([
      'reread:GET CallCenter @200', '200: GET CallCenter desk-101', 'reread:GET CallCenter @600', '600: GET CallCenter desk-101',
      'reread:GET CallCenter @1400', '1400: GET CallCenter desk-101',
    ]);
    // The answer that finally comes is reported like any other difference.
    expect(line(answer(d, 'GET CallCenter', H, { status: 200, body: { kind: 'CallCenter', agentACDState: 'Available' } }))).toBe('AgentLoggedOnEvent | AgentReadyEvent');
    expect([...d.timers.keys()].filter((k) => k.startsWith('reread:'))).toEqual([]);
  });

  it('a resync read refused for good (400, 403) is not retried; a refused resync SUBSCRIBE is', () => {
    const d = monitoredDesk();
    d.feed({ kind: 'xsp.event', event: { type: 'SubscriptionTerminatedEvent', eventId: 't1', sequenceNumber: 1, subscriptionId: 's', targetId: H } });
    answer(d, 'SUBSCRIBE', H, { status: 503 });
    const up = lostAndUp(d);
    expect(line(up).startsWith('SUBSCRIBE desk-101 | GET CallCenter')).toBe(true);
    expect(line(answer(d, 'GET CallCenter', H, { status: 400 }))).toBe('');
    expect(line(answer(d, 'GET CallForwardingAlways', H, { status: 403 }))).toBe('');
    expect(line(answer(d, 'SUBSCRIBE', H, { status: 400 }))).toBe(`reread:SUBSCRIBE @${d.now + 200}`);
  });
});

describe('§4.9 a re-read showing a write of ours still on the wire', () => {
  // A read is not on the event stream: it cannot be the echo of our write, so it is not news
  // yet — the echo (or a re-read once the echo window closes) will tell.
  it('agent state: no CSTA event; a re-read is set for when the echo window closes', () => {
    const d = monitoredDesk();
    d.request('r', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.pendingOne('PUT CallCenter', H);
    lostAndUp(d);
    const outs = answer(d, 'GET CallCenter', H, { status: 200, body: { kind: 'CallCenter', agentACDState: 'Available' } });
    expect(line(outs)).toBe(`reread:GET CallCenter @${d.state.config.echoWindowMs}`);
  });

  it('forwarding: no ForwardingEvent yet', () => {
    const d = monitoredDesk();
    d.request('f', { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '5555' });
    d.pendingOne('PUT CallForwardingAlways', H);
    lostAndUp(d);
    const outs = answer(d, 'GET CallForwardingAlways', H, { status: 200, body: { kind: 'CallForwardingAlways', info: { active: true, forwardToPhoneNumber: '5555' } } });
    expect(line(outs)).toBe(`reread:GET CallForwardingAlways @${d.state.config.echoWindowMs}`);
  });

  it('association: a login does not go on to step 5 on a read (I7: only the HotelingGuestEvent counts)', () => {
    const d = monitoredDesk();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    d.pendingOne('PUT HotelingGuest', G);
    lostAndUp(d);
    const outs = answer(d, 'GET HotelingGuest', G, { status: 200, body: { kind: 'HotelingGuest', info: { ...AGENT.guest!, hostUserId: H } } });
    expect(line(outs)).toBe(`reread:GET HotelingGuest @${d.state.config.echoWindowMs}`);
    expect(d.pending().filter((p) => p.command.op === 'PUT CallCenter')).toEqual([]);
  });
});
