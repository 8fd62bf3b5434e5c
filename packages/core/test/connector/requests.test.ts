/**
 * DESIGN §4.7 Forwarding and agent queries — SetForwarding (forwardImmediate or absent only),
 * GetForwarding and GetAgentState shapes — and the §4.8 / §3 answers to bad domain input.
 */
import { describe, expect, it } from 'vitest';
import type { ConnectorConfig, Input, Output, XsiCommand } from '../../src/index.js';
import { AGENT, answersIn, commandsIn, DESK, errorOf, StepDriver, type PretendUser } from './support/stepDriver.js';
import { answerTo, ask, commandsSince, describeCommand, directoryWith, eventsSince, isPut, login, logout, mark, monitor, newWorld, outcomeOf, runWithFault, send, setState, view } from './support/world.js';

describe('§4.7 forwarding and agent queries', () => {
  it('SetForwarding forwardImmediate → one PUT CallForwardingAlways; ForwardingEvent on the monitors', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    const m = mark(w);
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', forwardingType: 'forwardImmediate', activateForward: true, forwardDN: '3010' }))).toBe('response:SetForwardingResponse');
    expect(commandsSince(w, m)).toEqual(['PUT CallForwardingAlways desk-101 active=true to=3010']);
    expect(eventsSince(w, m, id)).toEqual(['ForwardingEvent desk-101 true 3010']);
    expect(view(w, 'desk-101').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3010' });
  });

  it('forwardingType absent means forwardImmediate; deactivating needs no forwardDN', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '3010' });
    const m = mark(w);
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: false }))).toBe('response:SetForwardingResponse');
    expect(commandsSince(w, m)).toEqual(['PUT CallForwardingAlways desk-101 active=false']);
    // Re-activating uses the stored number: no forwardDN needed.
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true }))).toBe('response:SetForwardingResponse');
    expect(view(w, 'desk-101').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3010' });
  });

  it('other forwarding types → operation/invalidForwardingType, nothing sent', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    const m = mark(w);
    for (const forwardingType of ['forwardBusy', 'forwardNoAns', 'forwardDND', 'bogus']) {
      expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', forwardingType, activateForward: true, forwardDN: '3010' }))).toBe('error:operation/invalidForwardingType');
    }
    expect(commandsSince(w, m)).toEqual([]);
  });

  it('activating without forwardDN and none stored → operation/invalidForwardingDestination, nothing sent', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    const m = mark(w);
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true }))).toBe('error:operation/invalidForwardingDestination');
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '  ' }))).toBe('error:operation/invalidForwardingDestination');
    expect(commandsSince(w, m)).toEqual([]);
  });

  it('a destination the XSP refuses → operation/invalidForwardingDestination', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: 'not a number!' }))).toBe('error:operation/invalidForwardingDestination');
  });

  it('a device without Call Forwarding Always → invalidDeviceID', () => {
    const w = newWorld({ directory: directoryWith((u) => { delete u.get('desk-105')!.forwarding; }) });
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-105', activateForward: false }))).toBe('error:operation/invalidDeviceID');
  });

  it('GetForwarding → one forwardImmediate item from the cache', () => {
    const w = newWorld();
    let a = ask(w, { service: 'GetForwarding', device: 'desk-101' });
    expect(a.kind === 'response' && a.response).toEqual({ service: 'GetForwardingResponse', forwardingList: [{ forwardingType: 'forwardImmediate', forwardStatus: false }] });
    ask(w, login('desk-101', 'agent-001'));
    const m = mark(w);
    a = ask(w, { service: 'GetForwarding', device: 'desk-101' });
    expect(a.kind === 'response' && a.response).toEqual({ service: 'GetForwardingResponse', forwardingList: [{ forwardingType: 'forwardImmediate', forwardStatus: true, forwardDN: '3001' }] });
    expect(commandsSince(w, m)).toEqual([]); // from the cache
  });

  it('GetAgentState → one entry: the guest on the desk, else the desk\'s own user', () => {
    const w = newWorld();
    let a = ask(w, { service: 'GetAgentState', device: 'desk-110' });
    expect(a.kind === 'response' && a.response).toEqual({
      service: 'GetAgentStateResponse', agentStateList: [{ agentID: 'desk-110', loggedOnState: true, agentInfo: [{ agentState: 'agentReady' }] }],
    });
    a = ask(w, { service: 'GetAgentState', device: 'desk-101' });
    expect(a.kind === 'response' && a.response).toEqual({
      service: 'GetAgentStateResponse', agentStateList: [{ agentID: 'desk-101', loggedOnState: false, agentInfo: [{ agentState: 'agentNull' }] }],
    });
    ask(w, login('desk-101', 'agent-001'));
    a = ask(w, { service: 'GetAgentState', device: 'desk-101' });
    expect(a.kind === 'response' && a.response).toEqual({
      service: 'GetAgentStateResponse', agentStateList: [{ agentID: 'agent-001', loggedOnState: true, agentInfo: [{ agentState: 'agentNotReady' }] }],
    });
  });
});

describe('§3 / §4.8 bad domain input through the simulator', () => {
  it('unknown device / agent → invalidDeviceID / invalidAgentIdentifier', () => {
    const w = newWorld();
    expect(outcomeOf(ask(w, login('nobody', 'agent-001')))).toBe('error:operation/invalidDeviceID');
    expect(outcomeOf(ask(w, login('desk-101', 'nobody')))).toBe('error:operation/invalidAgentIdentifier');
    expect(outcomeOf(ask(w, login('desk-101', '9999')))).toBe('error:operation/invalidAgentIdentifier'); // an unknown extension
    expect(outcomeOf(ask(w, { service: 'GetForwarding', device: 'x@elsewhere.org' }))).toBe('error:operation/invalidDeviceID');
  });

  it('unsupported requestedAgentState (busy) and missing fields → invalidParameterValue', () => {
    const w = newWorld();
    expect(outcomeOf(ask(w, { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'busy' }))).toBe('error:operation/invalidParameterValue');
    expect(outcomeOf(ask(w, { service: 'SetAgentState', device: 'desk-101' }))).toBe('error:operation/invalidParameterValue');
    expect(outcomeOf(ask(w, { service: 'SetAgentState', requestedAgentState: 'ready' }))).toBe('error:operation/invalidParameterValue');
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101' }))).toBe('error:operation/invalidParameterValue');
    expect(outcomeOf(ask(w, { service: 'MonitorStart' }))).toBe('error:operation/invalidParameterValue');
    expect(outcomeOf(ask(w, { service: 'GetAgentState', device: '' }))).toBe('error:operation/invalidParameterValue');
  });

  it('an unknown CSTA service → serviceNotSupported', () => {
    const w = newWorld();
    expect(outcomeOf(ask(w, { service: 'Unsupported', name: 'MakeCall' }))).toBe('error:operation/serviceNotSupported');
  });

  it('ready/notReady for a named agent not at that desk → invalidDeviceState', () => {
    const w = newWorld();
    expect(outcomeOf(ask(w, { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready', agentID: 'agent-001' }))).toBe('error:stateIncompatibility/invalidDeviceState');
  });
});

describe('§4.1 monitors and §4.8 reads behind a request', () => {
  it('RequestSystemStatus on a working channel → normal', () => {
    const w = newWorld();
    const a = ask(w, { service: 'RequestSystemStatus' });
    expect(a.kind === 'response' && a.response).toEqual({ service: 'RequestSystemStatusResponse', systemStatus: 'normal' });
  });

  it('fresh cross-ref ids per MonitorStart; MonitorStop removes one, the others keep reporting; a trimmed monitorObject', () => {
    const w = newWorld();
    const a = monitor(w, ' desk-101 ');
    const b = monitor(w, 'desk-101');
    expect([a, b]).toEqual(['1', '2']);
    let m = mark(w);
    ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: ' 3010 ' });
    expect(commandsSince(w, m)).toEqual(['PUT CallForwardingAlways desk-101 active=true to=3010']);
    expect(w.events.slice(m.events).map((e) => [e.monitorCrossRefId, e.event.name === 'ForwardingEvent' && e.event.device])).toEqual([['1', 'desk-101'], ['2', 'desk-101']]);
    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: a }))).toBe('response:MonitorStopResponse');
    m = mark(w);
    ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: false });
    expect(eventsSince(w, m, b)).toEqual(['ForwardingEvent desk-101 false 3010']);
    expect(eventsSince(w, m)).toEqual(['ForwardingEvent desk-101 false 3010']);
    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: b }))).toBe('response:MonitorStopResponse');
    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: b }))).toBe('error:operation/invalidMonitorCrossRefID');
    m = mark(w);
    ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true });
    expect(eventsSince(w, m)).toEqual([]);
    // A new monitor reports from the desk's current state on: the next change is an event again.
    const c = monitor(w, 'desk-101');
    m = mark(w);
    ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: false });
    expect([c, ...eventsSince(w, m, c)]).toEqual(['3', 'ForwardingEvent desk-101 false 3010']);
  });

  it('two requests for an unknown user at once → one read of it, both answered', () => {
    const w = newWorld();
    const m = mark(w);
    const i1 = send(w, { service: 'GetAgentState', device: 'desk-102' });
    const i2 = send(w, { service: 'GetForwarding', device: 'desk-102' });
    w.runUntilQuiet();
    expect(commandsSince(w, m)).toEqual(['GET profile desk-102', 'SUBSCRIBE desk-102', 'GET CallCenter desk-102', 'GET CallForwardingAlways desk-102', 'GET HotelingGuest desk-102']);
    expect([outcomeOf(answerTo(w, i1)!), outcomeOf(answerTo(w, i2)!)]).toEqual(['response:GetAgentStateResponse', 'response:GetForwardingResponse']);
  });

  it('a read that failed answers with its own mapped error (403 → privilegeViolationSpecifiedDevice); the next request reads the user again, once', () => {
    const w = newWorld();
    let m = mark(w);
    const i1 = send(w, { service: 'GetAgentState', device: 'desk-103' });
    runWithFault(w, { match: isPut('GET profile', 'desk-103'), outcome: { status: 403 }, times: 1 });
    expect(outcomeOf(answerTo(w, i1)!)).toBe('error:operation/privilegeViolationSpecifiedDevice');
    m = mark(w);
    const i2 = send(w, { service: 'GetAgentState', device: 'desk-103' });
    const i3 = send(w, { service: 'GetForwarding', device: 'desk-103' });
    w.runUntilQuiet();
    expect(commandsSince(w, m)).toEqual(['GET profile desk-103', 'SUBSCRIBE desk-103', 'GET CallCenter desk-103', 'GET CallForwardingAlways desk-103', 'GET HotelingGuest desk-103']);
    expect([outcomeOf(answerTo(w, i2)!), outcomeOf(answerTo(w, i3)!)]).toEqual(['response:GetAgentStateResponse', 'response:GetForwardingResponse']);
  });

  it('a request sets its saga timer and, one step timeout later, its hard deadline (§4.8)', () => {
    const d = new StepDriver({ sagaTimeoutMs: 10_000, stepTimeoutMs: 5_000 });
    d.now = 1_000;
    d.request('1', { service: 'GetAgentState', device: 'desk-101' });
    expect([...d.timers].filter(([id]) => /^(saga|deadline):/.test(id)).map(([id, at]) => [id.split(':')[0], at])).toEqual([['saga', 11_000], ['deadline', 16_000]]);
  });
});

describe('services a user lacks', () => {
  const w0 = () => newWorld({ directory: directoryWith((u) => {
    delete u.get('desk-105')!.callCenter;
    delete u.get('desk-106')!.forwarding;
    delete u.get('agent-009')!.callCenter;
    delete u.get('agent-009')!.hotelingGuest;
  }) });

  it('GetAgentState on a desk without Call Center → agentNull, not logged on; SetAgentState → invalidDeviceID', () => {
    const w = w0();
    const a = ask(w, { service: 'GetAgentState', device: 'desk-105' });
    expect(a.kind === 'response' && a.response).toEqual({ service: 'GetAgentStateResponse', agentStateList: [{ agentID: 'desk-105', loggedOnState: false, agentInfo: [{ agentState: 'agentNull' }] }] });
    expect(outcomeOf(ask(w, setState('desk-105', 'ready')))).toBe('error:operation/invalidDeviceID');
  });

  it('GetForwarding on a device without Call Forwarding Always → inactive, no forwardDN; SetForwarding → invalidDeviceID, no PUT', () => {
    const w = w0();
    const a = ask(w, { service: 'GetForwarding', device: 'desk-106' });
    expect(a.kind === 'response' && a.response).toStrictEqual({ service: 'GetForwardingResponse', forwardingList: [{ forwardingType: 'forwardImmediate', forwardStatus: false }] });
    const m = mark(w);
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-106', activateForward: false }))).toBe('error:operation/invalidDeviceID');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
  });

  it('loggedOff for a named agent without Call Center (and not a guest anywhere) → invalidAgentIdentifier', () => {
    expect(outcomeOf(ask(w0(), logout('desk-101', 'agent-009')))).toBe('error:operation/invalidAgentIdentifier');
  });
});

describe('§4.3–§4.5 which SetAgentState this is', () => {
  it('no agentID on a desk with a guest: ready goes to the guest (§4.3), loggedOff logs the guest out (§4.5)', () => {
    const w = newWorld();
    ask(w, login('desk-101', 'agent-001'));
    let m = mark(w);
    expect(outcomeOf(ask(w, setState('desk-101', 'ready')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual(['PUT CallCenter agent-001 Available']);
    m = mark(w);
    expect(outcomeOf(ask(w, logout('desk-101')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual(['PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null', 'PUT HotelingGuest agent-001 host=null']);
  });

  it('loggedOff naming a guest seated at another desk → invalidDeviceState, nothing sent; naming a signed-out agent seated nowhere → positive, nothing sent', () => {
    const w = newWorld();
    ask(w, login('desk-101', 'agent-001'));
    let m = mark(w);
    expect(outcomeOf(ask(w, logout('desk-102', 'agent-001')))).toBe('error:stateIncompatibility/invalidDeviceState');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
    m = mark(w);
    expect(outcomeOf(ask(w, logout('desk-102', 'agent-002')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
  });

  it('agentID naming the device\'s own user is a plain request (§4.3); a state already held sends nothing (§4.2)', () => {
    const w = newWorld();
    let m = mark(w);
    expect(outcomeOf(ask(w, setState('desk-110', 'notReady', 'desk-110')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual(['PUT CallCenter desk-110 Unavailable']);
    m = mark(w);
    expect(outcomeOf(ask(w, setState('desk-110', 'notReady')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
  });

  it('a guest moving desks is logged out of the old desk first (§4.4); logging in again where it is sends nothing', () => {
    const w = newWorld();
    ask(w, login('desk-103', 'agent-003'));
    let m = mark(w);
    expect(outcomeOf(ask(w, login('desk-105', 'agent-003')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([
      'PUT CallCenter agent-003 Sign-Out', 'PUT CallForwardingAlways desk-103 active=false to=null', 'PUT HotelingGuest agent-003 host=null',
      'PUT CallForwardingAlways desk-105 active=true to=3003', 'PUT HotelingGuest agent-003 host=desk-105', 'PUT CallCenter agent-003 Unavailable',
    ]);
    m = mark(w);
    expect(outcomeOf(ask(w, login('desk-105', 'agent-003')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
  });

  // §4.5 step 2: the desk's own forwarding comes back as it was — also a colleague's extension that
  // happens to be a hoteling guest's (agent-002, seated at desk-102): the desk's user chose it, and
  // I2 is about forwards the connector switched on, not about the desk's own setting.
  for (const [to, restored] of [['3002', 'active=true to=3002'], ['2105', 'active=true to=2105']] as const) {
    it(`logout restores the desk's forwarding from before the login: forwarded to ${to} → ${restored}`, () => {
      const w = newWorld();
      ask(w, login('desk-102', 'agent-002'));
      ask(w, { service: 'GetForwarding', device: 'desk-105' }); // known too, but no hoteling guest
      ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: to });
      const m = mark(w);
      ask(w, login('desk-101', 'agent-001'));
      expect(outcomeOf(ask(w, logout('desk-101', 'agent-001')))).toBe('response:SetAgentStateResponse');
      expect(commandsSince(w, m, { putsOnly: true })).toEqual([
        'PUT CallForwardingAlways desk-101 active=true to=3001', 'PUT HotelingGuest agent-001 host=desk-101', 'PUT CallCenter agent-001 Unavailable',
        'PUT CallCenter agent-001 Sign-Out', `PUT CallForwardingAlways desk-101 ${restored}`, 'PUT HotelingGuest agent-001 host=null',
      ]);
    });
  }
});

describe('§4.4 a failed login puts the desk\'s own forwarding back', () => {
  it('forwarded to a colleague who is a hoteling guest (agent-002, 3002): the undo restores that forward, not "off"', () => {
    const w = newWorld();
    ask(w, { service: 'MonitorStart', monitorObject: 'agent-002' }); // held, and known as a hoteling guest
    ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '3002' });
    const m = mark(w);
    const invokeId = send(w, login('desk-101', 'agent-001'));
    runWithFault(w, { match: isPut('PUT HotelingGuest', 'agent-001'), outcome: { status: 500 }, times: Infinity });
    expect(outcomeOf(answerTo(w, invokeId)!)).toBe('error:systemResourceAvailibility/networkOutOfService');
    expect(commandsSince(w, m, { putsOnly: true }).filter((c) => c.startsWith('PUT CallForwardingAlways'))).toEqual([
      'PUT CallForwardingAlways desk-101 active=true to=3001', 'PUT CallForwardingAlways desk-101 active=true to=3002',
    ]);
    expect(view(w, 'desk-101').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3002' });
  });
});

describe('§4.4 R7 only on an association the XSP has shown since our last write', () => {
  const G = 'agent-001@example.com';
  const H1 = 'desk-101@example.com';
  const guestEvent = (eventId: string, hostUserId: string | undefined): Input => ({
    kind: 'xsp.event',
    event: { type: 'HotelingGuestEvent', eventId, sequenceNumber: 1, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, ...(hostUserId === undefined ? {} : { hostUserId }) } },
  });
  const puts = (outs: Output[]) => commandsIn(outs).filter((c) => c.command.op.startsWith('PUT')).map((c) => describeCommand(c.command));

  /** agent-001 logged in at desk-101, then moved to desk-102: the move's release went unanswered,
   *  the move timed out. BroadWorks released the agent (the portal, or our PUT landing) — the
   *  event was lost — and the agent's phone signed it in again. */
  function afterLostRelease(config: Partial<ConnectorConfig> = {}): StepDriver {
    const d = new StepDriver(config);
    d.request('1', login('desk-101', 'agent-001'));
    d.answerFetch(H1, DESK);
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H1).commandId, { status: 200 });
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
    d.feed(guestEvent('e1', H1));
    d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
    d.now = 60_000;
    d.request('2', login('desk-102', 'agent-001'));
    d.answerFetch('desk-102@example.com', { ...DESK, extension: '2102' });
    d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
    d.result(d.pendingOne('PUT CallForwardingAlways', H1).commandId, { status: 200 });
    d.fire(`cmd:${d.pendingOne('PUT HotelingGuest', G).commandId}`);
    const move = Object.values(d.state.jobs).find((j) => j.client?.invokeId === '2')!;
    expect(errorOf(d.fire(`saga:${move.id}`), '2')).toBe('systemResourceAvailibility/networkOutOfService');
    d.feed({ kind: 'xsp.event', event: { type: 'AgentStateEvent', eventId: 'e2', sequenceNumber: 2, subscriptionId: 's', targetId: G, state: 'Unavailable' } });
    return d;
  }

  /** Play BroadWorks holding `truth` for the agent: reads answered from it, PUTs 200 (a PUT that
   *  changes nothing emits no event), timers fired — until request '3' is answered. */
  function playUntilAnswered(d: StepDriver, truth: PretendUser, onPut: (c: XsiCommand) => void = () => {}): Output[] {
    const start = d.log.length;
    for (let i = 0; i < 50 && !answersIn(d.log.slice(start)).some((a) => a.invokeId === '3'); i++) {
      const p = d.pending()[0];
      if (p?.command.userId === G && !p.command.op.startsWith('PUT')) d.answerFetch(G, truth);
      else if (p) {
        d.result(p.commandId, { status: 200 });
        onPut(p.command);
      } else d.fire([...d.timers.entries()].sort((a, b) => a[1] - b[1])[0]![0]);
    }
    return d.log.slice(start);
  }

  it('a login again at the desk our unanswered release left, the agent released meanwhile: it is seated again, not only the desk forwarded', () => {
    const d = afterLostRelease();
    const start = d.log.length;
    d.request('3', login('desk-101', 'agent-001'));
    const truth: PretendUser = { ...AGENT, agentACDState: 'Unavailable' };
    const outs = [...d.log.slice(start), ...playUntilAnswered(d, truth, (c) => {
      if (c.op === 'PUT HotelingGuest' && c.body.hostUserId === H1) d.feed(guestEvent('e3', H1));
    })];
    expect(puts(outs)).toEqual(['PUT CallForwardingAlways desk-101 active=true to=3001', 'PUT HotelingGuest agent-001 host=desk-101']);
    expect(answersIn(outs).map((a) => `${a.invokeId} ${a.kind}`)).toEqual(['3 csta.response']);
  });

  it('…and where BroadWorks still holds the association (our release never landed) the login again changes nothing there: positive answer, the agent not released', () => {
    const d = afterLostRelease();
    const start = d.log.length;
    d.request('3', login('desk-101', 'agent-001'));
    const outs = [...d.log.slice(start), ...playUntilAnswered(d, { ...AGENT, agentACDState: 'Unavailable', guest: { ...AGENT.guest!, hostUserId: H1 } })];
    expect(answersIn(outs).map((a) => `${a.invokeId} ${a.kind}`)).toEqual(['3 csta.response']);
    expect(puts(outs)).not.toContain('PUT HotelingGuest agent-001 host=null');
  });

  it('with an echo window longer than the step timeout (config), the agent is read at most once: a read inside the window would not settle anything', () => {
    const d = afterLostRelease({ echoWindowMs: 20_000 });
    const start = d.log.length;
    d.request('3', login('desk-101', 'agent-001'));
    const outs = [...d.log.slice(start), ...playUntilAnswered(d, { ...AGENT, agentACDState: 'Unavailable' }, (c) => {
      if (c.op === 'PUT HotelingGuest' && c.body.hostUserId === H1) d.feed(guestEvent('e3', H1));
    })];
    expect(answersIn(outs).map((a) => `${a.invokeId} ${a.kind}`)).toEqual(['3 csta.response']);
    expect(commandsIn(outs).filter((c) => c.command.op === 'GET HotelingGuest').length).toBeLessThanOrEqual(1);
  });
});

describe('§9 a login at a desk a restarted connector saved another agent\'s pairing for', () => {
  const H = 'desk-101@example.com';
  const G = 'agent-001@example.com';
  const G2 = 'agent-002@example.com';
  const putsOf = (outs: Output[]) => commandsIn(outs).map((c) => describeCommand(c.command)).filter((s) => s.startsWith('PUT'));

  it('reads that agent first; gone from the desk (force-released before the restart settled), its leave is owed before the login claims the desk — a crash before the login\'s forward still puts the desk back (explore I2, seed 1706470197)', () => {
    // agent-002 seated here by the crashed process (our forward to 3002); the portal has since
    // released it. The restart has not settled (nothing read yet) when a login of agent-001 comes.
    const saved = { [H]: { host: H, guest: G2, phase: 'seated' as const, restore: { forwardTo: '3002', forwarding: { active: false } }, owed: [], rounds: 0 } };
    const leftover: PretendUser = { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3002' } };
    const d = new StepDriver({}, { pairings: saved });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, leftover);
    d.answerFetch(G, AGENT);
    d.answerFetch(G2, AGENT);
    // The claim keeps agent-002's leave (its forward 3002 put back, guarded) beside agent-001's plan.
    expect(d.state.pairings[H]?.guest).toBe(G);
    expect(d.state.pairings[H]?.owed.filter((st) => st.for === G2).map((st) => st.command.op)).toContain('PUT CallForwardingAlways');
    // Crash now: the restarted connector puts the desk's forward back off.
    const r = new StepDriver({}, { pairings: d.saved() });
    const outs = [...r.feed({ kind: 'xsp.channel', status: 'up' }), ...r.fire('restart')];
    for (const [u, t] of Object.entries({ [H]: leftover, [G]: AGENT, [G2]: AGENT })) outs.push(...r.answerFetch(u, t));
    for (let i = 0; i < 30 && r.pending()[0]; i++) outs.push(...r.result(r.pending()[0]!.commandId, { status: 200 }));
    expect(putsOf(outs).filter((c) => c.startsWith('PUT CallForwardingAlways desk-101'))).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null']);
  });
});
