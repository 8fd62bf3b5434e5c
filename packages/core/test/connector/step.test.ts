/**
 * `step` never throws on bad domain input (DESIGN §2, §4.8): garbage requests are answered with
 * a CSTA error; results, events and timers that match nothing are ignored. Plus a property:
 * any sequence of arbitrary inputs leaves `step` answering, never throwing.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Input } from '../../src/connector/io.js';
import { createConnector } from '../../src/connector/state.js';
import { step } from '../../src/connector/step.js';
import type { Output } from '../../src/connector/io.js';
import type { XsiEvent } from '../../src/index.js';
import { AGENT, answersIn, commandsIn, DESK, errorOf, StepDriver, monitoredDesk } from './support/stepDriver.js';

const garbage: [string, unknown][] = [
  ['null', null],
  ['undefined', undefined],
  ['a number', 42],
  ['a string', 'SetAgentState'],
  ['an array', []],
  ['no service', {}],
  ['service not a string', { service: 7 }],
  ['device not a string', { service: 'SetAgentState', device: 5, requestedAgentState: 'ready' }],
  ['requestedAgentState an object', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: { x: 1 } }],
  ['activateForward a string', { service: 'SetForwarding', device: 'desk-101', activateForward: 'yes' }],
  ['monitorObject an array', { service: 'MonitorStart', monitorObject: ['desk-101'] }],
];

describe('step never throws on bad domain input', () => {
  it.each(garbage)('request %s → invalidParameterValue', (_name, request) => {
    const d = new StepDriver();
    expect(() => d.request('1', request as never)).not.toThrow();
    expect(errorOf(d.log, '1')).toBe('operation/invalidParameterValue');
  });

  it('unknown device / agent, unsupported state and forwarding type, unknown service', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: '', requestedAgentState: 'ready' });
    d.request('2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'busy' });
    d.request('3', { service: 'SetForwarding', device: 'desk-101', forwardingType: 'forwardBusy', activateForward: true });
    d.request('4', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: '' });
    d.request('5', { service: 'SetAgentState', device: '12345', requestedAgentState: 'ready' }); // an extension nobody has
    d.request('6', { service: 'Unsupported', name: 'MakeCall' });
    d.request('7', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: '777' });
    expect(['1', '2', '3', '4', '5', '6', '7'].map((id) => errorOf(d.log, id))).toEqual([
      'operation/invalidParameterValue', 'operation/invalidParameterValue', 'operation/invalidForwardingType',
      'operation/invalidAgentIdentifier', 'operation/invalidDeviceID', 'operation/serviceNotSupported', 'operation/invalidAgentIdentifier',
    ]);
    expect(d.pending()).toEqual([]); // nothing asked of the XSP
  });

  it('unknown timer ids, results for unknown command ids, events for unknown users: ignored', () => {
    const d = new StepDriver();
    const inputs: Input[] = [
      { kind: 'timer.fired', timerId: 'nonsense' },
      { kind: 'timer.fired', timerId: 'cmd:999' },
      { kind: 'timer.fired', timerId: 'retry:j999' },
      { kind: 'timer.fired', timerId: 'saga:j999' },
      { kind: 'timer.fired', timerId: 'deadline:' },
      { kind: 'timer.fired', timerId: 'reread:GET CallCenter|stranger@example.com' },
      { kind: 'timer.fired', timerId: 'reread:SUBSCRIBE|stranger@example.com' },
      { kind: 'timer.fired', timerId: 42 as never },
      { kind: 'xsp.result', commandId: 999, outcome: { status: 200 } },
      { kind: 'xsp.result', commandId: -1, outcome: { transportError: 'x' } },
      { kind: 'xsp.event', event: { type: 'AgentStateEvent', eventId: 'e', sequenceNumber: 1, subscriptionId: 's', targetId: 'stranger@example.com', state: 'Available' } },
      { kind: 'xsp.event', event: null as never },
      { kind: 'xsp.event', event: { type: 'Bogus' } as never },
      { kind: 'bogus' } as never,
    ];
    for (const input of inputs) {
      let outs: unknown[] = [];
      expect(() => { outs = d.feed(input); }).not.toThrow();
      expect(outs).toEqual([]);
    }
    expect(d.state.users).toEqual({});
  });

  it('a result for a command of a finished job is ignored', () => {
    const d = new StepDriver();
    d.request('1', { service: 'GetAgentState', device: 'desk-101' });
    const ids = d.pending().map((p) => p.commandId);
    d.answerFetch('desk-101@example.com', DESK);
    for (const id of ids) expect(d.result(id, { status: 200 })).toEqual([]);
  });

  test.prop([fc.array(fc.oneof(
    fc.record({ kind: fc.constant('csta.request'), link: fc.constantFrom('a', 'b'), invokeId: fc.string(), request: fc.anything() }),
    fc.record({ kind: fc.constant('xsp.result'), commandId: fc.integer({ min: -1, max: 20 }), outcome: fc.oneof(fc.record({ status: fc.integer({ min: 100, max: 599 }) }), fc.record({ transportError: fc.string() }), fc.anything()) }),
    fc.record({ kind: fc.constant('xsp.event'), event: fc.anything() }),
    fc.record({ kind: fc.constant('xsp.channel'), status: fc.constantFrom('up', 'lost', 'sideways') }),
    fc.record({ kind: fc.constant('timer.fired'), timerId: fc.oneof(fc.string(), fc.constantFrom('cmd:1', 'cmd:2', 'retry:j1', 'saga:j1', 'deadline:j2', 'repair')) }),
    fc.record({ kind: fc.constant('csta.linkClosed'), link: fc.constantFrom('a', 'b') }),
  ), { maxLength: 40 })])('any sequence of arbitrary inputs: step never throws', (inputs) => {
    let s = createConnector();
    let now = 0;
    for (const input of inputs) {
      now += 100;
      const r = step(s, input as never, now);
      s = r.state;
      expect(Array.isArray(r.outputs)).toBe(true);
    }
  });
});

// ---- events from the XSP: redeliveries, initial events ---------------------------------------------

const H = 'desk-101@example.com';
const G = 'agent-001@example.com';


const agentEvent = (eventId: string | undefined, state: string, type = 'AgentStateEvent'): Input =>
  ({ kind: 'xsp.event', event: { type, eventId, sequenceNumber: 1, subscriptionId: 's', targetId: H, state } as unknown as XsiEvent });
const cstaEvents = (outs: Output[]) => outs.flatMap((o) => (o.kind === 'csta.event' ? [o.event.name] : []));

describe('Xsi events', () => {
  it('an event delivered again (same eventId) is dropped', () => {
    const d = monitoredDesk();
    expect(cstaEvents(d.feed(agentEvent('e1', 'Available')))).toEqual(['AgentLoggedOnEvent', 'AgentReadyEvent']);
    expect(cstaEvents(d.feed(agentEvent('e2', 'Unavailable')))).toEqual(['AgentNotReadyEvent']);
    expect(d.feed(agentEvent('e1', 'Available'))).toEqual([]);
    expect(d.state.users[H]!.agentState).toBe('Unavailable');
  });

  it.each([['without an eventId', undefined], ['with an empty eventId', '']])('events %s are never taken for redeliveries', (_name, id) => {
    const d = monitoredDesk();
    expect(cstaEvents(d.feed(agentEvent(id, 'Available')))).toEqual(['AgentLoggedOnEvent', 'AgentReadyEvent']);
    expect(cstaEvents(d.feed(agentEvent(id, 'Unavailable')))).toEqual(['AgentNotReadyEvent']);
    expect(cstaEvents(d.feed(agentEvent(id, 'Available')))).toEqual(['AgentReadyEvent']);
  });

  it('the last 512 eventIds are remembered, older ones forgotten — across a JSON round trip of the state (§2)', () => {
    const d = monitoredDesk();
    d.feed(agentEvent('e1', 'Unavailable'));
    d.feed(agentEvent('e2', 'Available'));
    d.state = JSON.parse(JSON.stringify(d.state)) as typeof d.state; // state is plain, JSON-serialisable data
    for (let i = 3; i <= 513; i++) d.feed(agentEvent(`e${i}`, 'Unavailable'));
    expect(d.feed(agentEvent('e2', 'Available'))).toEqual([]); // e2 is the 512th most recent: still known
    d.feed(agentEvent('e514', 'Unavailable'));
    expect(cstaEvents(d.feed(agentEvent('e2', 'Available')))).toEqual(['AgentReadyEvent']); // pushed out by e514
  });

  it('AgentSubscriptionEvent (the initial state after SUBSCRIBE) is reported like an AgentStateEvent', () => {
    const d = monitoredDesk();
    expect(cstaEvents(d.feed(agentEvent('s1', 'Wrap-Up', 'AgentSubscriptionEvent')))).toEqual(['AgentLoggedOnEvent', 'AgentWorkingAfterCallEvent']);
    expect(d.state.users[H]!.agentState).toBe('Wrap-Up');
  });
});

// ---- the response deadline (I6, J5) ----------------------------------------------------------------

describe('the response deadline answers, whatever the saga still does (I6)', () => {
  it('a login compensating after a failure: its first failure (R5)', () => {
    const d = new StepDriver();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    const failed = d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 403 });
    expect(answersIn(failed)).toEqual([]); // the undo of the forwarding is on the wire
    const deadline = [...d.timers.keys()].find((k) => k.startsWith('deadline:'))!;
    expect(d.timers.get(deadline)).toBe(15_000);
    expect(answersIn(d.fire(deadline))).toEqual([{ kind: 'csta.error', link: 'L1', invokeId: '1', error: { category: 'operation', value: 'privilegeViolationSpecifiedDevice' } }]);
    // The undo goes on, and its end answers nothing more.
    expect(answersIn(d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 }))).toEqual([]);
  });

  it('a request with no failure yet: networkOutOfService', () => {
    const d = new StepDriver();
    d.request('2', { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '5555' });
    d.answerFetch(H, DESK);
    d.pendingOne('PUT CallForwardingAlways', H); // unanswered
    const deadline = [...d.timers.keys()].find((k) => k.startsWith('deadline:'))!;
    expect(answersIn(d.fire(deadline))).toEqual([{ kind: 'csta.error', link: 'L1', invokeId: '2', error: { category: 'systemResourceAvailibility', value: 'networkOutOfService' } }]);
  });
});

// ---- a guest's association as the XSP reports it (§4.4 step 4, §4.6) ---------------------------------

let seq = 100;
const guestAt = (hostUserId: string | undefined, extra: Partial<NonNullable<typeof AGENT.guest>> = {}): Input => ({
  kind: 'xsp.event',
  event: { type: 'HotelingGuestEvent', eventId: `g${++seq}`, sequenceNumber: seq, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, ...extra, ...(hostUserId ? { hostUserId } : {}) } },
});
const puts = (outs: Output[]) => commandsIn(outs).filter((c) => c.command.op.startsWith('PUT')).map((c) => `${c.command.op} ${c.command.userId.split('@')[0]}`);

/** agent-001 logged in on desk-101 by us (step 1 skipped), desk monitored. */
function loggedIn(): StepDriver {
  const d = monitoredDesk();
  d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
  d.answerFetch(G, AGENT);
  d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
  d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
  d.feed(guestAt(H));
  d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
  d.feed({ kind: 'xsp.event', event: { type: 'AgentStateEvent', eventId: `a${++seq}`, sequenceNumber: seq, subscriptionId: 's', targetId: G, state: 'Unavailable' } });
  expect(answersIn(d.log).map((a) => a.kind === 'csta.response' && a.response.service)).toContain('SetAgentStateResponse');
  return d;
}

describe('HotelingGuestEvents and the login waiting for them', () => {
  it('R2: the guest shown gone again before step 3\'s 200 cancels the early association: no step 5 after the 200', () => {
    const d = monitoredDesk();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    const assoc = d.pendingOne('PUT HotelingGuest', G);
    expect(puts(d.feed(guestAt(H)))).toEqual([]);
    expect(puts(d.feed(guestAt(undefined)))).toEqual([]); // released elsewhere meanwhile
    expect(puts(d.result(assoc.commandId, { status: 200 }))).toEqual([]);
  });

  it('an event about the desk\'s own Hoteling Guest data during a login is not the guest\'s: step 5 still follows step 3\'s 200', () => {
    const d = new StepDriver();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, { ...DESK, guest: AGENT.guest! }); // the desk's user has the Hoteling Guest service too
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    const assoc = d.pendingOne('PUT HotelingGuest', G);
    d.feed(guestAt(H)); // the guest's echo overtakes step 3's 200
    d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'h1', sequenceNumber: 1, subscriptionId: 's', targetId: H, info: { ...AGENT.guest!, enableAssociationLimit: true } } });
    expect(puts(d.result(assoc.commandId, { status: 200 }))).toEqual(['PUT CallCenter agent-001']);
  });

  it('our own logout\'s release starts no cleanup: nothing is sent after the logout', () => {
    const d = loggedIn();
    d.request('2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    const release = d.pendingOne('PUT HotelingGuest', G);
    const outs = [...d.feed(guestAt(undefined)), ...d.result(release.commandId, { status: 200 })];
    expect(answersIn(outs).map((a) => a.kind === 'csta.response' && a.response.service)).toEqual(['SetAgentStateResponse']);
    expect(commandsIn(outs)).toEqual([]);
    expect(Object.keys(d.state.jobs)).toEqual([]);
  });

  it('§4.6 an association made elsewhere, then released elsewhere: reported, nothing sent', () => {
    const d = monitoredDesk();
    d.request('q', { service: 'GetAgentState', device: 'agent-001' });
    d.answerFetch(G, { ...AGENT, agentACDState: 'Available' });
    const seated = d.feed(guestAt(H));
    expect(cstaEvents(seated)).toEqual(['AgentLoggedOnEvent', 'AgentReadyEvent']);
    const released = d.feed(guestAt(undefined));
    expect(cstaEvents(released)).toEqual(['AgentLoggedOffEvent']);
    expect(commandsIn([...seated, ...released])).toEqual([]);
    expect(Object.keys(d.state.jobs)).toEqual([]);
  });

  it('§4.6 our association released elsewhere: we sign the agent out and restore the desk\'s forwarding', () => {
    const d = loggedIn();
    const outs = d.feed(guestAt(undefined));
    expect(cstaEvents(outs)).toEqual(['AgentLoggedOffEvent']);
    expect(puts(outs)).toEqual(['PUT CallCenter agent-001']);
    expect(puts(d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 }))).toEqual(['PUT CallForwardingAlways desk-101']);
  });

  it('our association confirmed again by an event (a setting changed elsewhere) stays ours: nothing sent, a later logout still restores', () => {
    const d = loggedIn();
    expect(puts(d.feed(guestAt(H, { enableAssociationLimit: true, associationLimitHours: 8 })))).toEqual([]);
    expect(Object.keys(d.state.jobs)).toEqual([]);
    d.request('2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    expect(puts(d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 }))).toEqual(['PUT CallForwardingAlways desk-101']);
  });
});
