/**
 * DESIGN §4.1 Monitoring, against the simulator: MonitorStart reads the user first and answers a
 * fresh monitorCrossRefID; several monitors per device; MonitorStop removes one; events name the
 * device the way the client did.
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/connector/io.js';
import { cloneConnector } from '../../src/connector/state.js';
import type { XsiCommand, XsiOutcome } from '../../src/index.js';
import { AGENT, answersIn, commandsIn, DESK, errorOf, StepDriver } from './support/stepDriver.js';
import { ask, commandsSince, eventsSince, LINK, mark, monitor, newWorld, outcomeOf } from './support/world.js';

describe('§4.1 monitoring', () => {
  it('MonitorStart reads and subscribes the user, then answers a fresh monitorCrossRefID', () => {
    const w = newWorld();
    const m = mark(w);
    const a = ask(w, { service: 'MonitorStart', monitorObject: 'desk-101' });
    expect(commandsSince(w, m)).toEqual([
      'GET profile desk-101', 'SUBSCRIBE desk-101', 'GET CallCenter desk-101', 'GET CallForwardingAlways desk-101', 'GET HotelingGuest desk-101',
    ]);
    // The answer comes after every read was answered.
    const lastRead = w.commands.at(-1)!.at;
    expect(a.at).toBeGreaterThan(lastRead);
    expect(outcomeOf(a)).toBe('response:MonitorStartResponse');
    const b = ask(w, { service: 'MonitorStart', monitorObject: 'desk-101' });
    if (a.kind !== 'response' || b.kind !== 'response') throw new Error('expected responses');
    expect(a.response).not.toEqual(b.response);
  });

  it('a second MonitorStart on a known device sends nothing to the XSP', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    const m = mark(w);
    monitor(w, 'desk-101@example.com');
    expect(commandsSince(w, m)).toEqual([]);
  });

  it('several monitors per device each get the events; MonitorStop removes exactly one', () => {
    const w = newWorld();
    const m1 = monitor(w, 'desk-101');
    const m2 = monitor(w, 'desk-101');
    let m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: 'Available' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, m1)).toEqual(['AgentLoggedOnEvent desk-101 desk-101', 'AgentReadyEvent desk-101 desk-101']);
    expect(eventsSince(w, m, m2)).toEqual(eventsSince(w, m, m1));

    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: m1 }))).toBe('response:MonitorStopResponse');
    m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: 'Wrap-Up' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, m1)).toEqual([]);
    expect(eventsSince(w, m, m2)).toEqual(['AgentWorkingAfterCallEvent desk-101 desk-101']);
  });

  it('MonitorStop of an unknown id, of an id already stopped, or of another link → invalidMonitorCrossRefID', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: '999' }))).toBe('error:operation/invalidMonitorCrossRefID');
    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: id }, 'other-link'))).toBe('error:operation/invalidMonitorCrossRefID');
    expect(outcomeOf(ask(w, { service: 'MonitorStop' }))).toBe('error:operation/invalidMonitorCrossRefID');
    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: id }))).toBe('response:MonitorStopResponse');
    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: id }))).toBe('error:operation/invalidMonitorCrossRefID');
  });

  it('events name the device as the client gave it: bare user, full id, extension — and the desk\'s own agent the same way', () => {
    const w = newWorld();
    const bare = monitor(w, 'desk-101');
    const full = monitor(w, 'desk-101@example.com');
    const ext = monitor(w, '2101');
    const m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: 'Available' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, bare)).toEqual(['AgentLoggedOnEvent desk-101 desk-101', 'AgentReadyEvent desk-101 desk-101']);
    // Issue 12 item 3: the agent is named in the client's form too (was `desk-101` on every monitor).
    expect(eventsSince(w, m, full)).toEqual(['AgentLoggedOnEvent desk-101@example.com desk-101@example.com', 'AgentReadyEvent desk-101@example.com desk-101@example.com']);
    expect(eventsSince(w, m, ext)).toEqual(['AgentLoggedOnEvent 2101 2101', 'AgentReadyEvent 2101 2101']);
    expect(w.events.slice(m.events).every((e) => e.link === LINK)).toBe(true);
  });

  it('an extension nobody has read yet resolves (issue 12: no warm-up); a number or user the XSP lacks → invalidDeviceID', () => {
    const w = newWorld();
    expect(outcomeOf(ask(w, { service: 'MonitorStart', monitorObject: '2105' }))).toBe('response:MonitorStartResponse');
    expect(outcomeOf(ask(w, { service: 'MonitorStart', monitorObject: '2199' }))).toBe('error:operation/invalidDeviceID');
    expect(outcomeOf(ask(w, { service: 'MonitorStart', monitorObject: 'nobody' }))).toBe('error:operation/invalidDeviceID');
  });

  it('closing the link removes its monitors', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    w.closeLink(LINK);
    w.runUntilQuiet();
    expect(Object.keys(w.connector.monitors)).toEqual([]);
    const m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: 'Available' });
    w.runUntilQuiet();
    expect(eventsSince(w, m)).toEqual([]);
  });
});

// ---- J2: reading a user, driven by hand ----------------------------------------------------------
// The test plays the XSP for the five reads of a MonitorStart (profile, SUBSCRIBE, three GETs).

const H = 'desk-101@example.com';

/** Every output as one line: `GET CallCenter desk-101 | error operation/… | reread:SUBSCRIBE @200`. */
function line(outs: Output[]): string {
  return outs.flatMap((o) => {
    if (o.kind === 'xsp.command') return [`${o.command.op} ${o.command.userId.split('@')[0]}`];
    if (o.kind === 'csta.response') return [`response ${o.response.service}`];
    if (o.kind === 'csta.error') return [`error ${o.error.category}/${o.error.value}`];
    if (o.kind === 'timer.set' && !/^(cmd|saga|deadline):/.test(o.timerId)) return [`${o.timerId.split('|')[0]} @${o.at}`];
    return [];
  }).join(' | ');
}

/** Answer the pending read `op` of `userId`. */
const answer = (d: StepDriver, op: XsiCommand['op'], outcome: XsiOutcome, userId = H): Output[] => d.result(d.pendingOne(op, userId).commandId, outcome);

const READ_OK: Record<string, XsiOutcome> = {
  'GET profile': { status: 200, body: { kind: 'profile', info: { userId: H, extension: '2101' } } },
  SUBSCRIBE: { status: 200, body: { kind: 'Subscriptions', subscriptionIds: ['s1', 's2', 's3'] } },
  'GET CallCenter': { status: 200, body: { kind: 'CallCenter', agentACDState: 'Available' } },
  'GET CallForwardingAlways': { status: 200, body: { kind: 'CallForwardingAlways', info: { active: true, forwardToPhoneNumber: '5555' } } },
  'GET HotelingGuest': { status: 200, body: { kind: 'HotelingGuest', info: AGENT.guest! } },
};
const FETCH_OPS = Object.keys(READ_OK) as XsiCommand['op'][];
const E503: XsiOutcome = { status: 503 };
const E400: XsiOutcome = { status: 400, body: { kind: 'ErrorInfo', error: { summaryEnglish: 'service not assigned', errorCode: 110101 } } };

/** MonitorStart desk-101; answer the reads in order, `faults` replacing the answers to some. */
function monitorWith(faults: [XsiCommand['op'], XsiOutcome][]): { d: StepDriver; outs: Output[] } {
  const d = new StepDriver();
  d.feed({ kind: 'xsp.channel', status: 'up' });
  d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
  const outs: Output[] = [];
  for (const [op, outcome] of faults) outs.push(...answer(d, op, outcome));
  for (const op of FETCH_OPS) if (d.pending().some((p) => p.command.op === op)) outs.push(...answer(d, op, READ_OK[op]!));
  return { d, outs };
}

describe('J2 reading a user (driven by hand)', () => {
  it('a transient failure of a GET is retried at once, maxRetries (3) times, then the read fails with the mapped error', () => {
    const d = new StepDriver();
    d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
    for (const op of FETCH_OPS) if (op !== 'GET CallCenter') answer(d, op, READ_OK[op]!);
    const lines = [1, 2, 3, 4].map(() => line(answer(d, 'GET CallCenter', E503)));
    expect(lines).toEqual(['GET CallCenter desk-101', 'GET CallCenter desk-101', 'GET CallCenter desk-101', 'error systemResourceAvailibility/resourceBusy']);
    expect(d.state.users[H]!.status).toBe('failed');
  });

  it('retries are counted per read: two GETs failing three times each still succeed', () => {
    const d = new StepDriver();
    d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
    answer(d, 'GET profile', READ_OK['GET profile']!);
    answer(d, 'SUBSCRIBE', READ_OK['SUBSCRIBE']!);
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      sent.push(line(answer(d, 'GET CallCenter', { transportError: 'ECONNRESET' })));
      sent.push(line(answer(d, 'GET HotelingGuest', { status: 500 })));
    }
    expect(sent).toEqual(Array.from({ length: 3 }, () => ['GET CallCenter desk-101', 'GET HotelingGuest desk-101']).flat());
    answer(d, 'GET CallCenter', READ_OK['GET CallCenter']!);
    answer(d, 'GET HotelingGuest', READ_OK['GET HotelingGuest']!);
    expect(line(answer(d, 'GET CallForwardingAlways', READ_OK['GET CallForwardingAlways']!))).toBe('response MonitorStartResponse');
    expect(d.state.users[H]).toMatchObject({ status: 'known', agentState: 'Available', forwarding: { active: true, forwardToPhoneNumber: '5555' } });
  });

  it.each<[string, string, [XsiCommand['op'], XsiOutcome][]]>([
    ['profile 404: the XSP lacks the user', 'error operation/invalidDeviceID', [['GET profile', { status: 404 }]]],
    ['profile 403', 'error operation/privilegeViolationSpecifiedDevice', [['GET profile', { status: 403 }]]],
    ['GET CallForwardingAlways 403', 'error operation/privilegeViolationSpecifiedDevice', [['GET CallForwardingAlways', { status: 403 }]]],
    ['GET CallCenter 401', 'error security/generic', [['GET CallCenter', { status: 401 }]]],
    ['the first failed read decides: 403 then 401', 'error operation/privilegeViolationSpecifiedDevice', [['GET CallCenter', { status: 403 }], ['GET HotelingGuest', { status: 401 }]]],
    ['GET CallCenter 400: the user lacks the service', 'response MonitorStartResponse', [['GET CallCenter', E400]]],
    ['GET HotelingGuest 404: the user lacks the service', 'response MonitorStartResponse', [['GET HotelingGuest', { status: 404 }]]],
    ['SUBSCRIBE refused: retried later, not a read failure', 'response MonitorStartResponse', [['SUBSCRIBE', { status: 400 }]]],
    ['a 200 without a body', 'response MonitorStartResponse', [['GET CallCenter', { status: 200 }]]],
  ])('%s → %s', (_name, expected, faults) => {
    const { outs } = monitorWith(faults);
    expect(answersIn(outs).map((o) => line([o]))).toEqual([expected]);
  });

  it('what each read brings is kept: a service the XSP lacks is forgotten, a 200 is applied', () => {
    const { d } = monitorWith([['GET CallCenter', E400], ['GET HotelingGuest', { status: 404 }]]);
    const u = d.state.users[H]!;
    expect([u.status, u.profile, u.agentState, u.forwarding, u.forwardingUnassigned, u.guest, u.subscribed]).toEqual([
      'known', { extension: '2101' }, undefined, { active: true, forwardToPhoneNumber: '5555' }, undefined, undefined, true,
    ]);
  });

  it('a user read again after a failed read forgets each service the XSP now says it lacks, and keeps the rest', () => {
    const { d } = monitorWith([['GET profile', { status: 403 }]]);
    expect(d.state.users[H]).toMatchObject({ status: 'failed', agentState: 'Available', forwarding: { active: true }, guest: AGENT.guest });
    const cases: [XsiCommand['op'], string][] = [['GET CallCenter', 'agentState'], ['GET CallForwardingAlways', 'forwarding'], ['GET HotelingGuest', 'guest']];
    for (const [lacking, field] of cases) {
      // Each case from the same failed user: a new request reads it again.
      const fresh = new StepDriver();
      fresh.state = cloneConnector(d.state);
      fresh.request('q', { service: 'GetAgentState', device: 'desk-101' });
      // Last read first: a GET that lacks its service must not touch what another GET brought.
      for (const op of [...FETCH_OPS].reverse()) answer(fresh, op, op === lacking ? E400 : READ_OK[op]!);
      const u = fresh.state.users[H]!;
      const held = { agentState: u.agentState !== undefined, forwarding: u.forwarding !== undefined, guest: u.guest !== undefined };
      expect(held, lacking).toEqual({ agentState: field !== 'agentState', forwarding: field !== 'forwarding', guest: field !== 'guest' });
      expect(u.forwardingUnassigned, lacking).toBe(field === 'forwarding' ? true : undefined);
      expect(errorOf(fresh.log, 'q'), lacking).toBeUndefined();
    }
  });

  it('GetAgentState after a re-read without Call Center: agentNull, not the state held before the failed read', () => {
    const { d } = monitorWith([['GET profile', { status: 403 }]]);
    const outs = d.request('q', { service: 'GetAgentState', device: 'desk-101' });
    expect(commandsIn(outs).map((c) => c.command.op)).toEqual(FETCH_OPS);
    for (const op of FETCH_OPS) answer(d, op, op === 'GET CallCenter' ? E400 : READ_OK[op]!);
    expect(d.log.find((o) => o.kind === 'csta.response' && o.invokeId === 'q')).toMatchObject({
      response: { service: 'GetAgentStateResponse', agentStateList: [{ agentID: 'desk-101', loggedOnState: false, agentInfo: [{ agentState: 'agentNull' }] }] },
    });
  });

  it('the profile names the user by number and extension: either resolves as a device afterwards', () => {
    const d = new StepDriver();
    d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
    answer(d, 'GET profile', { status: 200, body: { kind: 'profile', info: { userId: H, number: '+4930555101', extension: '2101' } } });
    d.answerFetch(H, DESK);
    expect(d.state.users[H]!.profile).toEqual({ number: '+4930555101', extension: '2101' });
    expect(line(d.request('n', { service: 'GetForwarding', device: '+4930555101' }))).toBe('response GetForwardingResponse');
    expect(line(d.request('x', { service: 'GetForwarding', device: '2101' }))).toBe('response GetForwardingResponse');
  });

  it('a refused SUBSCRIBE is retried with backoff (200, 400, 800 ms …) as a resync command until it succeeds', () => {
    const d = new StepDriver();
    d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
    const first = answer(d, 'SUBSCRIBE', E503);
    expect(line(first)).toBe('reread:SUBSCRIBE @200'); // no immediate retry, unlike a GET
    d.answerFetch(H, DESK);
    expect(d.state.users[H]!.subscribed).toBe(false);
    const again = d.fire(`reread:SUBSCRIBE|${H}`);
    expect(commandsIn(again).map((c) => c.command)).toEqual([{ op: 'SUBSCRIBE', userId: H, packages: ['Call Center Agent', 'Call Forwarding Always', 'Hoteling Guest'] }]);
    expect(d.state.commands[commandsIn(again)[0]!.commandId]).toMatchObject({ resync: H, attempt: 1 });
    expect(line(answer(d, 'SUBSCRIBE', { status: 400 }))).toBe('reread:SUBSCRIBE @600');
    d.fire(`reread:SUBSCRIBE|${H}`);
    expect(line(answer(d, 'SUBSCRIBE', { transportError: 'ECONNRESET' }))).toBe('reread:SUBSCRIBE @1400');
    d.fire(`reread:SUBSCRIBE|${H}`);
    expect(line(answer(d, 'SUBSCRIBE', READ_OK['SUBSCRIBE']!))).toBe('');
    expect(d.state.users[H]!.subscribed).toBe(true);
    expect(d.timers.has(`reread:SUBSCRIBE|${H}`)).toBe(false);
  });
});
