/**
 * DESIGN §4.9 Channel loss and resync: SystemStatus `disabled` when the event channel is lost;
 * on `up`, a re-read of every held user, CSTA events for what changed meanwhile, SystemStatus
 * `normal`, and queued repair work resumed.
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/connector/io.js';
import { AGENT, commandsIn, DESK, LINK, StepDriver } from './support/stepDriver.js';
import { ask, login, mark, monitor, newWorld, view } from './support/world.js';

const H = 'desk-101@example.com';
const G = 'agent-001@example.com';

/** A connector with desk-101 monitored (link L1), channel up. */
function monitoredDesk(): StepDriver {
  const d = new StepDriver();
  d.feed({ kind: 'xsp.channel', status: 'up' });
  d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
  d.answerFetch(H, DESK);
  return d;
}

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
