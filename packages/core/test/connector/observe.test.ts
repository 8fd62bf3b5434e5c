/**
 * DESIGN §4.6 Changes made elsewhere: associations created or ended outside the connector
 * (portal, host force-release, association-limit expiry), forwarding and agent-state changes
 * we did not cause — reported from the XSP's events, our side of a termination finished.
 */
import { describe, expect, it } from 'vitest';
import { ask, commandsSince, directoryWith, eventsSince, login, mark, monitor, newWorld, outcomeOf, view } from './support/world.js';
import type { ConnectorConfig, ForwardingInfo, Output, XsiCommand, XsiEvent, XsiEventData, XsiOutcome } from '../../src/index.js';
import { AGENT, DESK, StepDriver, type PretendUser } from './support/stepDriver.js';

describe('§4.6 changes made elsewhere', () => {
  it('an association created elsewhere is reported on the host\'s monitors; nothing is sent', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-103');
    monitor(w, 'agent-003');
    w.external({ kind: 'phoneSetAgentState', userId: 'agent-003@example.com', state: 'Available' });
    w.runUntilQuiet();
    const m = mark(w);
    w.external({ kind: 'portalAssociate', guestUserId: 'agent-003@example.com', hostUserId: 'desk-103@example.com' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOnEvent desk-103 agent-003', 'AgentReadyEvent desk-103 agent-003']);
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
    // GetAgentState on the desk names the guest now.
    const g = ask(w, { service: 'GetAgentState', device: 'desk-103' });
    expect(g.kind === 'response' && g.response.service === 'GetAgentStateResponse' && g.response.agentStateList[0]).toEqual({
      agentID: 'agent-003', loggedOnState: true, agentInfo: [{ agentState: 'agentReady' }],
    });
  });

  // Xsi has no host-side event package: this works through the connector's group subscription
  // to Hoteling Guest (config.groupEvents, on in the test world).
  it('an association created elsewhere with a guest the connector never read is reported on the host\'s monitors', () => {
    // DESIGN §4.6: "Association created elsewhere: report it on H's monitors".
    const w = newWorld();
    const id = monitor(w, 'desk-103');
    w.external({ kind: 'phoneSetAgentState', userId: 'agent-003@example.com', state: 'Available' });
    w.external({ kind: 'portalAssociate', guestUserId: 'agent-003@example.com', hostUserId: 'desk-103@example.com' });
    const m = mark(w);
    w.runUntilQuiet();
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOnEvent desk-103 agent-003', 'AgentReadyEvent desk-103 agent-003']);
  });

  it('our association released through the portal: guest signed out, forwarding restored, AgentLoggedOffEvent', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    ask(w, login('desk-101', 'agent-001'));
    const m = mark(w);
    w.external({ kind: 'portalRelease', guestUserId: 'agent-001@example.com' });
    w.runUntilQuiet();
    expect(commandsSince(w, m, { putsOnly: true })).toEqual(['PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null']);
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOffEvent desk-101 agent-001', 'ForwardingEvent desk-101 false']);
    expect(view(w, 'agent-001').agentACDState).toBe('Sign-Out');
    expect(view(w, 'desk-101').forwarding?.active).toBe(false);
    expect(w.connector.ours).toEqual({});
  });

  it('host force-release of our guest: the same termination side effects', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-102');
    ask(w, login('desk-102', 'agent-002'));
    const m = mark(w);
    w.external({ kind: 'hostForceRelease', hostUserId: 'desk-102@example.com' });
    w.runUntilQuiet();
    expect(commandsSince(w, m, { putsOnly: true })).toEqual(['PUT CallCenter agent-002 Sign-Out', 'PUT CallForwardingAlways desk-102 active=false to=null']);
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOffEvent desk-102 agent-002', 'ForwardingEvent desk-102 false']);
  });

  it('association-limit expiry (1 h) ends our association: the connector finishes the termination', () => {
    const w = newWorld({ directory: directoryWith((u) => { u.get('agent-006')!.hotelingGuest = { active: true, enableAssociationLimit: true, associationLimitHours: 1 }; }) });
    const id = monitor(w, 'desk-106');
    ask(w, login('desk-106', 'agent-006'));
    expect(view(w, 'agent-006').hotelingGuest?.hostUserId).toBe('desk-106@example.com');
    const m = mark(w);
    w.runUntil(w.now + 3_600_000 + 1_000);
    w.runUntilQuiet();
    expect(view(w, 'agent-006').hotelingGuest?.hostUserId).toBeUndefined();
    expect(view(w, 'agent-006').agentACDState).toBe('Sign-Out');
    expect(view(w, 'desk-106').forwarding?.active).toBe(false);
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOffEvent desk-106 agent-006', 'ForwardingEvent desk-106 false']);
  });

  it('a forwarding change elsewhere → ForwardingEvent; the restore plan is forgotten (a later release keeps it)', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    ask(w, login('desk-101', 'agent-001'));
    expect(w.connector.restore['desk-101@example.com']).toBeDefined();
    let m = mark(w);
    w.external({ kind: 'setForwarding', userId: 'desk-101@example.com', active: true, forwardToPhoneNumber: '2999' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, id)).toEqual(['ForwardingEvent desk-101 true 2999']);
    expect(w.connector.restore['desk-101@example.com']).toBeUndefined();
    m = mark(w);
    w.external({ kind: 'portalRelease', guestUserId: 'agent-001@example.com' });
    w.runUntilQuiet();
    expect(commandsSince(w, m, { putsOnly: true })).toEqual(['PUT CallCenter agent-001 Sign-Out']);
    expect(view(w, 'desk-101').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '2999' });
  });

  it('forwarding turned off elsewhere, its number kept, is a change too: the restore plan is forgotten', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    ask(w, login('desk-101', 'agent-001'));
    const m = mark(w);
    w.external({ kind: 'setForwarding', userId: 'desk-101@example.com', active: false, forwardToPhoneNumber: '3001' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, id)).toEqual(['ForwardingEvent desk-101 false 3001']);
    expect(w.connector.restore['desk-101@example.com']).toBeUndefined();
  });

  it('an agent-state change of the guest made on the phone is reported on the desk', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    ask(w, login('desk-101', 'agent-001'));
    const m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'agent-001@example.com', state: 'Available' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, id)).toEqual(['AgentReadyEvent desk-101 agent-001']);
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
    expect(outcomeOf(ask(w, { service: 'GetAgentState', device: 'desk-101' }))).toBe('response:GetAgentStateResponse');
  });
});

// ---- Echo windows and desk reports, driven by hand (DESIGN §4.7, observe.ts) -------------------
// The test plays the XSP: it answers our PUTs and sends the events, at chosen instants, and reads
// every output as one line: `2000: PUT CallForwardingAlways desk-101 | reread @6800`.

let eventSeq = 0;

function line(outs: Output[]): string {
  return outs.flatMap((o) => {
    if (o.kind === 'xsp.command') return [`${o.command.op} ${o.command.userId.split('@')[0]}`];
    if (o.kind === 'csta.response') return [`response ${o.response.service}`];
    if (o.kind === 'csta.error') return [`error ${o.error.category}/${o.error.value}`];
    if (o.kind === 'timer.set' && !/^(cmd|saga|deadline):/.test(o.timerId)) return [`${o.timerId.split('|')[0]} @${o.at}`];
    if (o.kind !== 'csta.event') return [];
    const e = o.event;
    if (e.name === 'ForwardingEvent') return [`m${o.monitorCrossRefId} ForwardingEvent ${e.forwardStatus}${e.forwardTo === undefined ? '' : ` to=${JSON.stringify(e.forwardTo)}`}`];
    return [`m${o.monitorCrossRefId} ${e.name} ${e.agentID}`];
  }).join(' | ');
}

/** Run the steps in order, each at its instant (or at the instant the step's timer was due). */
function play(d: StepDriver, steps: [number | 'timer', (d: StepDriver) => Output[]][]): string[] {
  return steps.map(([at, f]) => {
    if (at !== 'timer') d.now = at;
    const outs = f(d);
    return `${d.now}: ${line(outs)}`;
  });
}

const xspEvent = (userId: string, data: XsiEventData) => (d: StepDriver) =>
  d.feed({ kind: 'xsp.event', event: { eventId: `ev${++eventSeq}`, sequenceNumber: eventSeq, subscriptionId: 's1', targetId: `${userId}@example.com`, ...data } as XsiEvent });
const forwardingEvent = (active: boolean, to?: string) =>
  xspEvent('desk-101', { type: 'CallForwardingAlwaysEvent', info: to === undefined ? { active } : { active, forwardToPhoneNumber: to } });
const setForwarding = (invokeId: string, to: string | undefined) => (d: StepDriver) => d.request(invokeId, to === undefined
  ? { service: 'SetForwarding', device: 'desk-101', forwardingType: 'forwardImmediate', activateForward: false }
  : { service: 'SetForwarding', device: 'desk-101', forwardingType: 'forwardImmediate', activateForward: true, forwardDN: to });
const answerPut = (op: XsiCommand['op'], status: number) => (d: StepDriver) => d.result(d.pendingOne(op).commandId, status === 200
  ? { status }
  : { status, body: { kind: 'ErrorInfo', error: { summaryEnglish: 'refused', errorCode: 4000 } } });
const answerForwardingPut = (status: number) => answerPut('PUT CallForwardingAlways', status);
/** §4.9 channel lost and back: every held user is re-read; `truth` answers the reads. */
const resync = (truth: PretendUser) => (d: StepDriver) => [
  ...d.feed({ kind: 'xsp.channel', status: 'lost' }), ...d.feed({ kind: 'xsp.channel', status: 'up' }), ...d.answerFetch('desk-101@example.com', truth),
];

/** §4.9 channel lost and back, the desk's three reads answered (forwarding from `forwarding`), a PUT on the wire left unanswered. */
const readsOnly = (forwarding: ForwardingInfo) => (d: StepDriver) => {
  const outs = [...d.feed({ kind: 'xsp.channel', status: 'lost' }), ...d.feed({ kind: 'xsp.channel', status: 'up' })];
  const read = (op: XsiCommand['op'], outcome: XsiOutcome) => outs.push(...d.result(d.pendingOne(op).commandId, outcome));
  read('GET CallCenter', { status: 200, body: { kind: 'CallCenter', agentACDState: 'Sign-Out' } });
  read('GET CallForwardingAlways', { status: 200, body: { kind: 'CallForwardingAlways', info: forwarding } });
  read('GET HotelingGuest', { status: 400, body: { kind: 'ErrorInfo', error: { summaryEnglish: 'service not assigned', errorCode: 110101 } } });
  return outs;
};

/** desk-101 known and monitored (monitor 1), its forwarding off, its own agent signed out. */
function deskMonitored(truth: PretendUser = DESK, config: Partial<ConnectorConfig> = {}): StepDriver {
  const d = new StepDriver(config);
  d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
  d.answerFetch('desk-101@example.com', truth);
  return d;
}

describe('§4.7 echo windows: our writes, their echoes, and events older than them', () => {
  it('an event matching none of our pending writes predates them: not reported, and the service is re-read when the last window closes', () => {
    // Two SetForwarding on one desk: two PUTs, one after the other; the windows end 5 s after each 200.
    expect(play(deskMonitored(), [
      [1000, (d) => [...setForwarding('1', '3001')(d), ...setForwarding('2', '3002')(d)]],
      [1200, answerForwardingPut(200)],
      [1800, answerForwardingPut(200)],
      [2000, forwardingEvent(true, '2999')],
      // The echo of the first write: a newer write was answered since, so it is not news — but a
      // change made elsewhere could look the same, so the service is re-read when the window closes.
      [2100, forwardingEvent(true, '3001')],
      [2200, forwardingEvent(true, '3002')],
      ['timer', (d) => d.fire('reread:GET CallForwardingAlways|desk-101@example.com')],
      ['timer', (d) => d.answerFetch('desk-101@example.com', { forwarding: { active: true, forwardToPhoneNumber: '3002' } })],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '1200: response SetForwardingResponse | PUT CallForwardingAlways desk-101',
      '1800: response SetForwardingResponse',
      '2000: reread:GET CallForwardingAlways @6800',
      '2100: reread:GET CallForwardingAlways @6800',
      '2200: m1 ForwardingEvent true to="3002"',
      '6800: GET CallForwardingAlways desk-101',
      '6800: ',
    ]);
  });

  it('the echo of our first write is news while the second is still unanswered (reported after the response)', () => {
    expect(play(deskMonitored(), [
      [1000, (d) => [...setForwarding('1', '3001')(d), ...setForwarding('2', '3002')(d)]],
      [1200, answerForwardingPut(200)],
      [1700, forwardingEvent(true, '3001')],
      [1800, answerForwardingPut(200)],
      [1900, forwardingEvent(true, '3002')],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '1200: response SetForwardingResponse | PUT CallForwardingAlways desk-101',
      '1700: ',
      '1800: response SetForwardingResponse | m1 ForwardingEvent true to="3001"',
      '1900: m1 ForwardingEvent true to="3002"',
    ]);
  });

  it('the window closes echoWindowMs after the 200: an event at that instant is news', () => {
    expect(play(deskMonitored(), [
      [1000, setForwarding('1', '3001')],
      [1200, answerForwardingPut(200)],
      [6199, forwardingEvent(true, '2999')],
      [6200, forwardingEvent(true, '2999')],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '1200: response SetForwardingResponse',
      '6199: reread:GET CallForwardingAlways @6200',
      '6200: m1 ForwardingEvent true to="2999"',
    ]);
  });

  it('windows close one by one: when the first has closed, the one still open sets older events aside', () => {
    expect(play(deskMonitored(), [
      [1000, setForwarding('1', '3001')],
      [1200, answerForwardingPut(200)],
      [6100, setForwarding('2', '3002')],
      // The first window closed at 6200, the second is open until 11100.
      [6300, forwardingEvent(true, '2999')],
      // The first write's late echo is set aside too, but it agrees with what its 200 told us:
      // the desk is reported (once the request on the wire is answered).
      [6350, forwardingEvent(true, '3001')],
      [6400, answerForwardingPut(200)],
      [6500, forwardingEvent(true, '3002')],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '1200: response SetForwardingResponse',
      '6100: PUT CallForwardingAlways desk-101',
      '6300: reread:GET CallForwardingAlways @11100',
      '6350: reread:GET CallForwardingAlways @11100',
      '6400: response SetForwardingResponse | m1 ForwardingEvent true to="3001"',
      '6500: m1 ForwardingEvent true to="3002"',
    ]);
  });

  it.each([
    ['forwarding', setForwarding('1', '3001'), answerForwardingPut(200), xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Available' }),
      ['1000: PUT CallForwardingAlways desk-101', '1200: response SetForwardingResponse', '1300: m1 AgentLoggedOnEvent desk-101 | m1 AgentReadyEvent desk-101 | m1 ForwardingEvent true to="3001"']],
    ['agent state', (d: StepDriver) => d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' }), answerPut('PUT CallCenter', 200), forwardingEvent(true, '2999'),
      ['1000: PUT CallCenter desk-101', '1200: response SetAgentStateResponse', '1300: m1 AgentLoggedOnEvent desk-101 | m1 AgentReadyEvent desk-101 | m1 ForwardingEvent true to="2999"']],
  ] as const)('a 200 to our %s write opens the window of that service only: the other service\'s event is news', (_, request, answer, otherEvent, expected) => {
    // The desk is re-reported whole: what our 200 set (no echo yet) goes out with the news.
    expect(play(deskMonitored(), [[1000, request], [1200, answer], [1300, otherEvent]])).toEqual(expected);
  });

  it('a 200 to a guest\'s agent-state write opens no association window: the guest sitting down elsewhere is news', () => {
    const d = deskMonitored();
    d.request('m2', { service: 'MonitorStart', monitorObject: 'agent-001' });
    d.answerFetch('agent-001@example.com', { ...AGENT, agentACDState: 'Available' });
    expect(play(d, [
      [1000, (d) => d.request('1', { service: 'SetAgentState', device: 'agent-001', requestedAgentState: 'notReady' })],
      [1100, answerPut('PUT CallCenter', 200)],
      [1200, seated('agent-001', 'desk-101')],
    ])).toEqual([
      '1000: PUT CallCenter agent-001',
      '1100: response SetAgentStateResponse',
      '1200: m2 AgentNotReadyEvent agent-001 | m1 AgentLoggedOnEvent agent-001 | m1 AgentNotReadyEvent agent-001',
    ]);
  });

  it('an agent-state window also closes echoWindowMs after the 200', () => {
    expect(play(deskMonitored(), [
      [1000, (d) => d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' })],
      [1200, answerPut('PUT CallCenter', 200)],
      [6100, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Unavailable' })],
      [6200, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Unavailable' })],
    ])).toEqual([
      '1000: PUT CallCenter desk-101',
      '1200: response SetAgentStateResponse',
      '6100: reread:GET CallCenter @6200',
      '6200: m1 AgentLoggedOnEvent desk-101 | m1 AgentNotReadyEvent desk-101',
    ]);
  });

  it('a read confirms our latest answered write but consumes no echo; a read that contradicts it is set aside', () => {
    // The desk lacks Call Center here, so only the forwarding read can report the desk.
    const truth = (forwarding: ForwardingInfo): PretendUser => ({ extension: '2101', forwarding });
    expect(play(deskMonitored(), [
      [1000, setForwarding('1', '3001')],
      [1200, answerForwardingPut(200)],
      [1300, resync(truth({ active: false }))],
      [1400, resync(truth({ active: true, forwardToPhoneNumber: '3001' }))],
      // The echo is still awaited: an event before it is older than our write.
      [1500, forwardingEvent(true, '2999')],
      [1600, forwardingEvent(true, '3001')],
      [1700, forwardingEvent(true, '2999')],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '1200: response SetForwardingResponse',
      '1300: GET CallCenter desk-101 | GET CallForwardingAlways desk-101 | GET HotelingGuest desk-101 | reread:GET CallForwardingAlways @6200',
      '1400: GET CallCenter desk-101 | GET CallForwardingAlways desk-101 | GET HotelingGuest desk-101 | m1 ForwardingEvent true to="3001"',
      '1500: reread:GET CallForwardingAlways @6200',
      '1600: ',
      '1700: m1 ForwardingEvent true to="2999"',
    ]);
  });

  it('a read while a newer write is on its way confirms the older answered one (the newest answered, not the newest sent)', () => {
    expect(play(deskMonitored(), [
      [1000, setForwarding('1', '3001')],
      [1200, answerForwardingPut(200)],
      [1300, setForwarding('2', '3002')],
      // The channel drops and comes back: the reads are answered, the PUT is not yet.
      [1400, readsOnly({ active: true, forwardToPhoneNumber: '3001' })],
      [1500, answerForwardingPut(200)],
      [1600, forwardingEvent(true, '3001')],
      [1700, forwardingEvent(true, '3002')],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '1200: response SetForwardingResponse',
      '1300: PUT CallForwardingAlways desk-101',
      // Reported once the request on the wire is answered (its desk's events wait for it).
      '1400: GET CallCenter desk-101 | GET CallForwardingAlways desk-101 | GET HotelingGuest desk-101',
      '1500: response SetForwardingResponse | m1 ForwardingEvent true to="3001"',
      '1600: reread:GET CallForwardingAlways @6500',
      '1700: m1 ForwardingEvent true to="3002"',
    ]);
  });

  it('a read showing our write before its 200 is set aside (a read consumes no echo): the echo still reports it', () => {
    expect(play(deskMonitored(), [
      [1000, setForwarding('1', '3001')],
      [1100, readsOnly({ active: true, forwardToPhoneNumber: '3001' })],
      [1200, answerForwardingPut(200)],
      [1300, forwardingEvent(true, '3001')],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '1100: GET CallCenter desk-101 | GET CallForwardingAlways desk-101 | GET HotelingGuest desk-101 | reread:GET CallForwardingAlways @6000',
      '1200: response SetForwardingResponse',
      '1300: m1 ForwardingEvent true to="3001"',
    ]);
  });

  it('after the echo of our first write, an event older than our second (still on its way) is set aside', () => {
    expect(play(deskMonitored(), [
      [1000, (d) => [...setForwarding('1', '3001')(d), ...setForwarding('2', '3002')(d)]],
      [1200, answerForwardingPut(200)],
      [1300, forwardingEvent(true, '3001')],
      [1400, forwardingEvent(true, '2999')],
      [1500, answerForwardingPut(200)],
      [1600, forwardingEvent(true, '3002')],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '1200: response SetForwardingResponse | PUT CallForwardingAlways desk-101',
      '1300: ',
      '1400: reread:GET CallForwardingAlways @6200',
      '1500: response SetForwardingResponse | m1 ForwardingEvent true to="3001"',
      '1600: m1 ForwardingEvent true to="3002"',
    ]);
  });

  // The login's forward (§4.4 step 2) is skipped when the desk already forwards to the guest —
  // but not while an unanswered write of ours may have changed the desk's forwarding.
  const loginAgent001 = (d: StepDriver) => [
    ...d.request('login', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' }),
    ...d.answerFetch('agent-001@example.com', AGENT),
  ].filter((o) => o.kind !== 'xsp.command' || o.command.op.startsWith('PUT '));

  it('an unanswered write makes its service uncertain until its echo comes: then a login skips the forward that already holds', () => {
    // No retry, and a window longer than the step timeout: the echo comes while the window is open.
    expect(play(deskMonitored(DESK, { maxRetries: 0, echoWindowMs: 20_000 }), [
      [1000, setForwarding('1', '3001')],
      ['timer', (d) => d.fire(`cmd:${d.pendingOne('PUT CallForwardingAlways').commandId}`)],
      [6100, forwardingEvent(true, '3001')],
      [6200, loginAgent001],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '6000: error systemResourceAvailibility/networkOutOfService',
      '6100: m1 ForwardingEvent true to="3001"',
      '6200: PUT HotelingGuest agent-001',
    ]);
  });

  it('an unanswered write is settled by the 200 of its retry: then a login skips the forward that already holds', () => {
    expect(play(deskMonitored(), [
      [1000, setForwarding('1', '3001')],
      ['timer', (d) => d.fire(`cmd:${d.pendingOne('PUT CallForwardingAlways').commandId}`)],
      ['timer', (d) => d.fire([...d.timers.keys()].find((k) => k.startsWith('retry:'))!)],
      [6300, answerForwardingPut(200)],
      [6400, loginAgent001],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '6000: retry:j3 @6200',
      '6200: PUT CallForwardingAlways desk-101',
      '6300: response SetForwardingResponse',
      '6400: PUT HotelingGuest agent-001',
    ]);
  });

  it('a refused PUT expects no echo: the next event is news at once', () => {
    expect(play(deskMonitored(), [
      [1000, setForwarding('1', '3001')],
      [1100, answerForwardingPut(400)],
      [1200, forwardingEvent(true, '2999')],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '1100: error operation/invalidParameterValue',
      '1200: m1 ForwardingEvent true to="2999"',
    ]);
  });

  it('a refused PUT drops its own pending echo, not the answered one before it', () => {
    expect(play(deskMonitored(), [
      [1000, (d) => [...setForwarding('1', '3001')(d), ...setForwarding('2', undefined)(d)]],
      [1100, answerForwardingPut(200)],
      [1200, answerForwardingPut(400)],
      [1300, forwardingEvent(true, '3001')],
      // Both windows are gone: a change made elsewhere is news.
      [1400, forwardingEvent(true, '2999')],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '1100: response SetForwardingResponse | PUT CallForwardingAlways desk-101',
      '1200: error operation/invalidParameterValue',
      '1300: m1 ForwardingEvent true to="3001"',
      '1400: m1 ForwardingEvent true to="2999"',
    ]);
  });

  it('a refused agent-state PUT expects no echo either: the next event is news at once', () => {
    expect(play(deskMonitored(), [
      [1000, (d) => d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' })],
      [1100, answerPut('PUT CallCenter', 400)],
      [1200, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Unavailable' })],
    ])).toEqual([
      '1000: PUT CallCenter desk-101',
      '1100: error operation/invalidParameterValue',
      '1200: m1 AgentLoggedOnEvent desk-101 | m1 AgentNotReadyEvent desk-101',
    ]);
  });

  it('a refusal that comes after the window closed finds no echo to drop; the next event is news', () => {
    expect(play(deskMonitored(DESK, { echoWindowMs: 1_000 }), [
      [1000, setForwarding('1', '3001')],
      [2500, forwardingEvent(true, '2999')],
      [3000, answerForwardingPut(400)],
      [3100, forwardingEvent(true, '2998')],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '2500: ',
      '3000: error operation/invalidParameterValue | m1 ForwardingEvent true to="2999"',
      '3100: m1 ForwardingEvent true to="2998"',
    ]);
  });

  it('an agent-state event while our PUT is on its way predates it: set aside until the echo', () => {
    expect(play(deskMonitored(), [
      [1000, (d) => d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' })],
      [1100, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Unavailable' })],
      [1200, answerPut('PUT CallCenter', 200)],
      [1300, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Available' })],
    ])).toEqual([
      '1000: PUT CallCenter desk-101',
      '1100: reread:GET CallCenter @6000',
      '1200: response SetAgentStateResponse',
      '1300: m1 AgentLoggedOnEvent desk-101 | m1 AgentReadyEvent desk-101',
    ]);
  });

  it('activating forwarding without a number expects the stored number back: its echo may overtake the 200, an older event is set aside', () => {
    const d = deskMonitored({ ...DESK, forwarding: { active: false, forwardToPhoneNumber: '3001' } });
    expect(play(d, [
      [1000, (d) => d.request('1', { service: 'SetForwarding', device: 'desk-101', forwardingType: 'forwardImmediate', activateForward: true })],
      [1050, forwardingEvent(false, '2999')],
      [1100, forwardingEvent(true, '3001')],
      [1200, answerForwardingPut(200)],
    ])).toEqual([
      '1000: PUT CallForwardingAlways desk-101',
      '1050: reread:GET CallForwardingAlways @6000',
      '1100: ',
      '1200: response SetForwardingResponse | m1 ForwardingEvent true to="3001"',
    ]);
    // The 200 keeps the stored number: the desk forwards to it.
    d.request('2', { service: 'GetForwarding', device: 'desk-101' });
    const r = d.log.filter((o) => o.kind === 'csta.response').at(-1)!;
    expect(r.kind === 'csta.response' && r.response.service === 'GetForwardingResponse' && r.response.forwardingList).toEqual([
      { forwardingType: 'forwardImmediate', forwardStatus: true, forwardDN: '3001' },
    ]);
  });

  it('an agent-state write retried after a lost answer: the first echo reports the desk, the second is consumed', () => {
    // A window longer than the step timeout, so the lost try's window is still open at the echo.
    const d = deskMonitored(DESK, { echoWindowMs: 20_000 });
    expect(play(d, [
      [1000, (d) => d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' })],
      ['timer', (d) => d.fire(`cmd:${d.pendingOne('PUT CallCenter').commandId}`)],
      ['timer', (d) => d.fire([...d.timers.keys()].find((k) => k.startsWith('retry:'))!)],
      [6300, answerPut('PUT CallCenter', 200)],
      [6400, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Available' })],
      [6500, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Available' })],
      // No write pending any more: a change made on the phone is news.
      [6600, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Wrap-Up' })],
    ])).toEqual([
      '1000: PUT CallCenter desk-101',
      '6000: retry:j3 @6200',
      '6200: PUT CallCenter desk-101',
      '6300: response SetAgentStateResponse',
      '6400: reread:GET CallCenter @26300 | m1 AgentLoggedOnEvent desk-101 | m1 AgentReadyEvent desk-101',
      '6500: ',
      '6600: m1 AgentWorkingAfterCallEvent desk-101',
    ]);
  });
});

describe('§4.2 Sign-In is transient', () => {
  it('a compensation that puts the host back to Sign-In leaves it not ready: Sign-In lands on Unavailable', () => {
    const d = deskMonitored({ ...DESK, agentACDState: 'Sign-In' });
    expect(play(d, [
      [1000, (d) => [
        ...d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' }),
        ...d.answerFetch('agent-001@example.com', AGENT),
      ]],
      [1100, answerPut('PUT CallCenter', 200)],
      [1200, answerForwardingPut(400)],
      [1300, (d) => { const p = d.pendingOne('PUT CallCenter'); expect(p.command).toMatchObject({ body: { agentACDState: 'Sign-In' } }); return d.result(p.commandId, { status: 200 }); }],
      [1400, (d) => d.request('2', { service: 'GetAgentState', device: 'desk-101' })],
      // The XSP shows where Sign-In landed: that is the echo of our write (no re-read needed).
      [1500, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Unavailable' })],
    ])).toEqual([
      '1000: GET profile agent-001 | SUBSCRIBE agent-001 | GET CallCenter agent-001 | GET CallForwardingAlways agent-001 | GET HotelingGuest agent-001 | PUT CallCenter desk-101',
      '1100: PUT CallForwardingAlways desk-101',
      '1200: PUT CallCenter desk-101',
      '1300: error operation/invalidParameterValue',
      '1400: response GetAgentStateResponse',
      '1500: ',
    ]);
    const r = d.log.filter((o) => o.kind === 'csta.response').at(-1)!;
    expect(r.kind === 'csta.response' && r.response.service === 'GetAgentStateResponse' && r.response.agentStateList).toEqual([
      { agentID: 'desk-101', loggedOnState: true, agentInfo: [{ agentState: 'agentNotReady' }] },
    ]);
  });
});

describe('§4.2 desk reports: what the monitors were last told against what holds now', () => {
  it('forwarding: an empty number is no number; an inactive forward\'s number is not news; an active one\'s is', () => {
    expect(play(deskMonitored({ ...DESK, forwarding: { active: true, forwardToPhoneNumber: '2999' } }), [
      [1000, forwardingEvent(false, '')],
      [1100, forwardingEvent(false, '3001')],
      [1200, forwardingEvent(true, '3001')],
      [1300, forwardingEvent(true, '3001')],
      [1400, forwardingEvent(true, '3002')],
    ])).toEqual([
      '1000: m1 ForwardingEvent false',
      '1100: ',
      '1200: m1 ForwardingEvent true to="3001"',
      '1300: ',
      '1400: m1 ForwardingEvent true to="3002"',
    ]);
  });

  it('§4.2 a desk without Call Center that is given the service signed out: no change, no event', () => {
    const d = deskMonitored({ extension: '2101', forwarding: { active: false } });
    expect(play(d, [
      [1000, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Sign-Out' })],
      [1100, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Available' })],
    ])).toEqual([
      '1000: ',
      '1100: m1 AgentLoggedOnEvent desk-101 | m1 AgentReadyEvent desk-101',
    ]);
  });

  it('two guests claiming one desk (events out of order): the later association wins; when it ends the other is shown', () => {
    const d = new StepDriver();
    d.request('m1', { service: 'MonitorStart', monitorObject: 'desk-103' });
    d.answerFetch('desk-103@example.com', DESK);
    d.request('m2', { service: 'MonitorStart', monitorObject: 'agent-003' });
    d.answerFetch('agent-003@example.com', { ...AGENT, agentACDState: 'Available' });
    d.request('m3', { service: 'MonitorStart', monitorObject: 'agent-004' });
    d.answerFetch('agent-004@example.com', { ...AGENT, agentACDState: 'Unavailable' });
    const seat = (guest: string, at?: string) => xspEvent(guest, {
      type: 'HotelingGuestEvent', info: { active: true, ...(at === undefined ? {} : { hostUserId: 'desk-103@example.com', hostAssociationDateTime: at }) },
    });
    expect(play(d, [
      [1000, seat('agent-004', '2026-01-01T10:00:00Z')],
      [1100, seat('agent-003', '2026-01-01T09:00:00Z')],
      [1200, seat('agent-004')],
      [1300, xspEvent('agent-003', { type: 'AgentStateEvent', state: 'Wrap-Up' })],
      [1400, xspEvent('agent-004', { type: 'AgentStateEvent', state: 'Available' })],
      [1500, seat('agent-003')],
    ])).toEqual([
      '1000: m1 AgentLoggedOnEvent agent-004 | m1 AgentNotReadyEvent agent-004',
      '1100: ',
      '1200: m1 AgentLoggedOffEvent agent-004 | m1 AgentLoggedOnEvent agent-003 | m1 AgentReadyEvent agent-003',
      '1300: m2 AgentWorkingAfterCallEvent agent-003 | m1 AgentWorkingAfterCallEvent agent-003',
      '1400: m3 AgentReadyEvent agent-004',
      '1500: m1 AgentLoggedOffEvent agent-003',
    ]);
  });

  it.each([
    ['the later association claims second', ['agent-003', '2026-01-01T09:00:00Z'], ['agent-004', '2026-01-01T10:00:00Z'], 'agent-004'],
    ['an association of unknown time claims second', ['agent-004', '2026-01-01T10:00:00Z'], ['agent-003', undefined], 'agent-004'],
    ['an association of unknown time claims first', ['agent-003', undefined], ['agent-004', '2026-01-01T10:00:00Z'], 'agent-004'],
  ] as const)('two guests claiming one desk, %s: the desk shows the one with the latest known association time', (_, [first, firstAt], [second, secondAt], shown) => {
    const d = new StepDriver();
    d.request('m1', { service: 'MonitorStart', monitorObject: 'desk-103' });
    d.answerFetch('desk-103@example.com', DESK);
    for (const agent of ['agent-003', 'agent-004']) {
      d.request(agent, { service: 'MonitorStart', monitorObject: agent });
      d.answerFetch(`${agent}@example.com`, { ...AGENT, agentACDState: 'Available' });
    }
    const seat = (guest: string, at: string | undefined) => xspEvent(guest, {
      type: 'HotelingGuestEvent', info: { active: true, hostUserId: 'desk-103@example.com', ...(at === undefined ? {} : { hostAssociationDateTime: at }) },
    });
    expect(play(d, [
      [1000, seat(first, firstAt)],
      [1100, seat(second, secondAt)],
    ])).toEqual([
      `1000: m1 AgentLoggedOnEvent ${first} | m1 AgentReadyEvent ${first}`,
      shown === first ? '1100: ' : `1100: m1 AgentLoggedOffEvent ${first} | m1 AgentLoggedOnEvent ${shown} | m1 AgentReadyEvent ${shown}`,
    ]);
  });
});

describe('§4.1 monitor filters: a flag set suppresses that event on that monitor only', () => {
  it('a monitor filtering every agent event but agentReady hears only AgentReadyEvent and the forwarding', () => {
    const d = deskMonitored();
    d.request('m2', { service: 'MonitorStart', monitorObject: 'desk-101', filter: { agentLoggedOn: true, agentLoggedOff: true, agentNotReady: true, agentWorkingAfterCall: true } });
    const state = (s: 'Unavailable' | 'Available' | 'Wrap-Up' | 'Sign-Out') => xspEvent('desk-101', { type: 'AgentStateEvent', state: s });
    expect(play(d, [
      [1000, state('Unavailable')],
      [1100, state('Available')],
      [1200, state('Wrap-Up')],
      [1300, state('Sign-Out')],
      [1400, forwardingEvent(true, '3001')],
    ])).toEqual([
      '1000: m1 AgentLoggedOnEvent desk-101 | m1 AgentNotReadyEvent desk-101',
      '1100: m1 AgentReadyEvent desk-101 | m2 AgentReadyEvent desk-101',
      '1200: m1 AgentWorkingAfterCallEvent desk-101',
      '1300: m1 AgentLoggedOffEvent desk-101',
      '1400: m1 ForwardingEvent true to="3001" | m2 ForwardingEvent true to="3001"',
    ]);
  });

  it('a monitor filtering forwarding hears the agent events but no ForwardingEvent', () => {
    const d = deskMonitored();
    d.request('m2', { service: 'MonitorStart', monitorObject: 'desk-101', filter: { forwarding: true } });
    expect(play(d, [
      [1000, xspEvent('desk-101', { type: 'AgentStateEvent', state: 'Available' })],
      [1100, forwardingEvent(true, '3001')],
    ])).toEqual([
      '1000: m1 AgentLoggedOnEvent desk-101 | m2 AgentLoggedOnEvent desk-101 | m1 AgentReadyEvent desk-101 | m2 AgentReadyEvent desk-101',
      '1100: m1 ForwardingEvent true to="3001"',
    ]);
  });
});

// ---- Hoteling guest observations, driven by hand (DESIGN §4.4 step 4, §4.6, §4.7) -------------

/**
 * desk-101 monitored (m1); agent-001 signed in on its own (Available, at no desk). The login of
 * agent-001 on desk-101 has sent its forward (200 at 1100) and its association (200 at 1200);
 * the saga now waits for the HotelingGuestEvent (§4.4 step 4). No echo has come yet.
 */
function loginAwaitingAssociation(config: Partial<ConnectorConfig> = {}): StepDriver {
  const d = deskMonitored(DESK, config);
  d.now = 1000;
  d.request('login', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
  d.answerFetch('agent-001@example.com', { ...AGENT, agentACDState: 'Available' });
  d.now = 1100;
  answerForwardingPut(200)(d);
  d.now = 1200;
  answerPut('PUT HotelingGuest', 200)(d);
  return d;
}
const seated = (guest: string, host?: string) => xspEvent(guest, { type: 'HotelingGuestEvent', info: { active: true, ...(host === undefined ? {} : { hostUserId: `${host}@example.com` }) } });
/** §4.9 channel lost and back; the reads of `users` answered from `truth`. */
const resyncAll = (truth: Record<string, PretendUser>) => (d: StepDriver) => [
  ...d.feed({ kind: 'xsp.channel', status: 'lost' }), ...d.feed({ kind: 'xsp.channel', status: 'up' }),
  ...Object.entries(truth).flatMap(([u, t]) => d.answerFetch(`${u}@example.com`, t)),
];

describe('§4.4 step 4 and §4.7: the association\'s echo', () => {
  it('the echo of our association moves the login on to step 5; the desk shows the guest when the XSP does', () => {
    expect(play(loginAwaitingAssociation(), [
      [1300, seated('agent-001', 'desk-101')],
      [1400, answerPut('PUT CallCenter', 200)],
    ])).toEqual([
      '1300: PUT CallCenter agent-001',
      // The desk's events wait for the login's response.
      '1400: response SetAgentStateResponse | m1 AgentLoggedOnEvent agent-001 | m1 AgentReadyEvent agent-001 | m1 ForwardingEvent true to="3001"',
    ]);
  });

  it('a guest event older than our association, arriving while it is on its way, is set aside: the login goes on', () => {
    const d = deskMonitored();
    d.now = 1000;
    d.request('login', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch('agent-001@example.com', { ...AGENT, agentACDState: 'Available' });
    expect(play(d, [
      [1100, answerForwardingPut(200)],
      [1150, seated('agent-001')],
      [1200, answerPut('PUT HotelingGuest', 200)],
      [1300, seated('agent-001', 'desk-101')],
      [1400, answerPut('PUT CallCenter', 200)],
    ])).toEqual([
      '1100: PUT HotelingGuest agent-001',
      '1150: reread:GET HotelingGuest @6100',
      '1200: ',
      '1300: PUT CallCenter agent-001',
      '1400: response SetAgentStateResponse | m1 AgentLoggedOnEvent agent-001 | m1 AgentReadyEvent agent-001 | m1 ForwardingEvent true to="3001"',
    ]);
  });

  it('a refused association expects no echo: the guest\'s next event, seating it elsewhere, is news at once', () => {
    const d = deskMonitored();
    d.request('m2', { service: 'MonitorStart', monitorObject: 'desk-102' });
    d.answerFetch('desk-102@example.com', DESK);
    d.now = 1000;
    d.request('login', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch('agent-001@example.com', { ...AGENT, agentACDState: 'Available' });
    expect(play(d, [
      [1100, answerForwardingPut(200)],
      [1200, answerPut('PUT HotelingGuest', 400)],
      [1300, seated('agent-001', 'desk-102')],
    ])).toEqual([
      '1100: PUT HotelingGuest agent-001',
      '1200: PUT CallForwardingAlways desk-101',
      '1300: m2 AgentLoggedOnEvent agent-001 | m2 AgentReadyEvent agent-001',
    ]);
  });

  it('a logout whose echoes all come after its 200s: the desk hears AgentLoggedOffEvent with the agent\'s sign-out echo, as it still showed the agent; then no longer follows the agent', () => {
    const d = loginAwaitingAssociation();
    play(d, [[1300, seated('agent-001', 'desk-101')], [1400, answerPut('PUT CallCenter', 200)]]);
    expect(play(d, [
      [8000, (d) => d.request('logout', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' })],
      [8100, answerPut('PUT CallCenter', 200)],
      [8200, answerForwardingPut(200)],
      [8300, answerPut('PUT HotelingGuest', 200)],
      [8400, xspEvent('agent-001', { type: 'AgentStateEvent', state: 'Sign-Out' })],
      [8500, forwardingEvent(false)],
      [8600, seated('agent-001')],
      // Our release was echoed: the agent sitting down elsewhere next is news, not set aside.
      [8650, seated('agent-001', 'desk-102')],
      // The desk shows its own user again: the agent's events no longer re-report it.
      [8700, setForwarding('2', '3002')],
      [8800, answerForwardingPut(200)],
      [8900, xspEvent('agent-001', { type: 'AgentStateEvent', state: 'Available' })],
      [9000, forwardingEvent(true, '3002')],
    ])).toEqual([
      '8000: PUT CallCenter agent-001',
      '8100: PUT CallForwardingAlways desk-101',
      '8200: PUT HotelingGuest agent-001',
      '8300: response SetAgentStateResponse',
      // Our release's 200 already took the agent from the desk in the cache; the desk's report
      // still showed it, so the agent's event re-reports the desk — with what our 200s set.
      '8400: m1 AgentLoggedOffEvent agent-001 | m1 ForwardingEvent false',
      '8500: ',
      '8600: ',
      '8650: ',
      '8700: PUT CallForwardingAlways desk-101',
      '8800: response SetForwardingResponse',
      '8900: ',
      '9000: m1 ForwardingEvent true to="3002"',
    ]);
  });

  it('the XSP shows the guest at no desk once the association\'s window closed: the desk it was put at is re-reported', () => {
    expect(play(loginAwaitingAssociation(), [
      [6300, seated('agent-001')],
      ['timer', (d) => d.fire('saga:j4')],
      [11100, answerForwardingPut(200)],
    ])).toEqual([
      '6300: ',
      // The saga gives up; the desk's report (held for the login's answer) carries the forward our
      // 200 set, learnt when the guest left the desk it had been put at.
      '11000: PUT CallForwardingAlways desk-101',
      '11100: error systemResourceAvailibility/networkOutOfService | m1 ForwardingEvent true to="3001"',
    ]);
  });

  it('a read confirming our answered association is as good as its echo: step 5 goes out', () => {
    expect(play(loginAwaitingAssociation(), [
      [1300, resyncAll({ 'desk-101': { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }, 'agent-001': { ...AGENT, agentACDState: 'Available', guest: { ...AGENT.guest!, hostUserId: 'desk-101@example.com' } } })],
      [1400, answerPut('PUT CallCenter', 200)],
    ])).toEqual([
      '1300: GET CallCenter desk-101 | GET CallForwardingAlways desk-101 | GET HotelingGuest desk-101 | GET CallCenter agent-001 | GET CallForwardingAlways agent-001 | GET HotelingGuest agent-001 | PUT CallCenter agent-001',
      '1400: response SetAgentStateResponse | m1 AgentLoggedOnEvent agent-001 | m1 AgentReadyEvent agent-001 | m1 ForwardingEvent true to="3001"',
    ]);
  });

  it('an echo of our association arriving after the login gave up is set aside, yet what it shows is reported: the desk was the guest\'s, then free', () => {
    // The saga times out at 11000 with no echo: the release goes out. The association's window
    // (until 6200) is closed, so its late echo matches no pending write — but it agrees with what
    // our 200 told us, so the desk is reported from it; the release's echo then ends it.
    expect(play(loginAwaitingAssociation(), [
      ['timer', (d) => d.fire('saga:j4')],
      [11050, seated('agent-001', 'desk-101')],
      // The release's echo overtakes its 200.
      [11100, seated('agent-001')],
      [11150, answerPut('PUT HotelingGuest', 200)],
      [11200, answerForwardingPut(200)],
      [11300, forwardingEvent(false)],
    ])).toEqual([
      '11000: PUT HotelingGuest agent-001',
      '11050: reread:GET HotelingGuest @16000',
      '11100: ',
      '11150: PUT CallForwardingAlways desk-101',
      '11200: error systemResourceAvailibility/networkOutOfService | m1 AgentLoggedOnEvent agent-001 | m1 AgentReadyEvent agent-001 | m1 ForwardingEvent true to="3001" | m1 AgentLoggedOffEvent agent-001',
      '11300: m1 ForwardingEvent false',
    ]);
  });
});
