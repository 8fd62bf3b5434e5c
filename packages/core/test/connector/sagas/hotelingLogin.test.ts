/**
 * DESIGN §4.4 Hoteling login — the seed. Order 1→2→3→(event)→5, skipping of steps whose effect
 * holds, the busy desk, moving desks, and failure at each step: compensation in reverse, the
 * mapped error, and the simulator's users exactly as before (I5).
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../../src/connector/io.js';
import type { XsiOutcome } from '../../../src/xsi/types.js';
import { answersIn, AGENT, commandsIn, DESK, errorOf, StepDriver } from '../support/stepDriver.js';
import {
  answerTo, ask, commandsSince, describeCommand, directoryWith, eventsSince, isPut, login, logout, mark, monitor, newWorld, outcomeOf, runWithFault, send, truth, view,
} from '../support/world.js';

const ERROR_500: XsiOutcome = { status: 500 };
const ERROR_503: XsiOutcome = { status: 503 };

describe('§4.4 hoteling login', () => {
  it('the seed: 1 → 2 → 3 → HotelingGuestEvent → 5, then the response, then the events', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-110');
    const m = mark(w);
    const invokeId = send(w, login('desk-110', 'agent-001'));
    w.runUntilQuiet();
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([
      'PUT CallCenter desk-110 Sign-Out',
      'PUT CallForwardingAlways desk-110 active=true to=3001',
      'PUT HotelingGuest agent-001 host=desk-110',
      'PUT CallCenter agent-001 Unavailable',
    ]);
    // Step 5 goes out only after the guest's HotelingGuestEvent showing the host.
    const entries = w.trace!.entries;
    const step5 = entries.find((e) => e.msg === 'PUT CallCenter' && e.args['userId'] === 'agent-001@example.com')!;
    const echo = entries.find((e) => e.msg === 'HotelingGuestEvent' && e.args['hostUserId'] === 'desk-110@example.com')!;
    expect(echo.seq).toBeLessThan(step5.seq);
    const response = entries.find((e) => e.msg === 'SetAgentStateResponse' && e.args['invokeId'] === invokeId)!;
    const step5Ok = entries.find((e) => e.msg === '200' && e.args['commandId'] === step5.args['commandId'])!;
    expect(response.seq).toBeGreaterThan(step5Ok.seq);
    expect(outcomeOf(answerTo(w, invokeId)!)).toBe('response:SetAgentStateResponse');
    expect(eventsSince(w, m, id)).toEqual([
      'AgentLoggedOffEvent desk-110 desk-110',
      'ForwardingEvent desk-110 true 3001',
      'AgentLoggedOnEvent desk-110 agent-001',
      'AgentNotReadyEvent desk-110 agent-001',
    ]);
    expect(view(w, 'agent-001').hotelingGuest?.hostUserId).toBe('desk-110@example.com');
    expect(view(w, 'desk-110').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3001' });
  });

  it('step 5 waits for the matching HotelingGuestEvent even after step 3\'s 200 (driven by hand)', () => {
    const d = new StepDriver();
    const H = 'desk-101@example.com';
    const G = 'agent-001@example.com';
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    const fwd = d.pendingOne('PUT CallForwardingAlways', H); // host signed out: step 1 skipped
    d.result(fwd.commandId, { status: 200 });
    const assoc = d.pendingOne('PUT HotelingGuest', G);
    let outs = d.result(assoc.commandId, { status: 200 });
    expect(commandsIn(outs)).toEqual([]);
    // An event for another host is not ours to wait for.
    outs = d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: 'desk-109@example.com' } } });
    expect(commandsIn(outs).filter((c) => c.command.op === 'PUT CallCenter')).toEqual([]);
    outs = d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'e2', sequenceNumber: 2, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } });
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallCenter', userId: G, body: { agentACDState: 'Unavailable' } }]);
    outs = d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
    expect(answersIn(outs).map((a) => a.kind)).toEqual(['csta.response']);
  });

  it('the HotelingGuestEvent may overtake step 3\'s 200: step 5 follows the 200', () => {
    const d = new StepDriver();
    const H = 'desk-101@example.com';
    const G = 'agent-001@example.com';
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    const assoc = d.pendingOne('PUT HotelingGuest', G);
    let outs = d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'e2', sequenceNumber: 2, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } });
    expect(commandsIn(outs)).toEqual([]);
    outs = d.result(assoc.commandId, { status: 200 });
    expect(commandsIn(outs).map((c) => c.command.op)).toEqual(['PUT CallCenter']);
  });

  it('skips step 1 when no agent is signed in on the host', () => {
    const w = newWorld();
    const m = mark(w);
    expect(outcomeOf(ask(w, login('desk-101', 'agent-001')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([
      'PUT CallForwardingAlways desk-101 active=true to=3001',
      'PUT HotelingGuest agent-001 host=desk-101',
      'PUT CallCenter agent-001 Unavailable',
    ]);
  });

  it('logging in again where already logged in sends nothing and answers positively', () => {
    const w = newWorld();
    ask(w, login('desk-101', 'agent-001'));
    const m = mark(w);
    expect(outcomeOf(ask(w, login('desk-101', 'agent-001')))).toBe('response:SetAgentStateResponse');
    expect(outcomeOf(ask(w, login('2101', '3001')))).toBe('response:SetAgentStateResponse'); // by extension
    expect(commandsSince(w, m)).toEqual([]);
  });

  it('logging in again where already logged in puts back only a forward the desk lost (R1: each step is skipped only while its effect holds)', () => {
    const w = newWorld();
    ask(w, login('desk-101', 'agent-001'));
    // The forward is gone (turned off elsewhere, or restored by a logout that stalled before releasing).
    w.external({ kind: 'setForwarding', userId: 'desk-101@example.com', active: false });
    w.runUntilQuiet();
    let m = mark(w);
    expect(outcomeOf(ask(w, login('desk-101', 'agent-001')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual(['PUT CallForwardingAlways desk-101 active=true to=3001']);
    expect(view(w, 'desk-101').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3001' });
    expect(view(w, 'agent-001').agentACDState).toBe('Unavailable');
    // Its logout restores what the desk had when the forward was put back.
    m = mark(w);
    expect(outcomeOf(ask(w, logout('desk-101', 'agent-001')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([
      'PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=3001', 'PUT HotelingGuest agent-001 host=null',
    ]);
  });

  it('confirming an association made elsewhere sends nothing and leaves it to whoever made it (§4.6): its release is not ours to finish', () => {
    const w = newWorld();
    w.external({ kind: 'phoneSetAgentState', userId: 'agent-003@example.com', state: 'Available' });
    w.external({ kind: 'portalAssociate', guestUserId: 'agent-003@example.com', hostUserId: 'desk-103@example.com' });
    w.runUntilQuiet();
    monitor(w, 'agent-003');
    let m = mark(w);
    expect(outcomeOf(ask(w, login('desk-103', 'agent-003')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
    expect(w.connector.ours).toEqual({});
    expect(w.connector.restore).toEqual({});
    m = mark(w);
    w.external({ kind: 'portalRelease', guestUserId: 'agent-003@example.com' });
    w.runUntilQuiet();
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
    expect(view(w, 'agent-003').agentACDState).toBe('Available');
  });

  it('the host already hosts another known guest → stateIncompatibility/invalidDeviceState, nothing sent', () => {
    const w = newWorld();
    ask(w, login('desk-101', 'agent-001'));
    ask(w, { service: 'MonitorStart', monitorObject: 'agent-002' }); // know agent-002 too
    const before = truth(w, ['desk-101', 'agent-001', 'agent-002']);
    const m = mark(w);
    expect(outcomeOf(ask(w, login('desk-101', 'agent-002')))).toBe('error:stateIncompatibility/invalidDeviceState');
    expect(commandsSince(w, m)).toEqual([]);
    expect(truth(w, ['desk-101', 'agent-001', 'agent-002'])).toEqual(before);
  });

  it('move desk: the agent leaves its previous desk (logout order) before the login saga', () => {
    const w = newWorld();
    const d1 = monitor(w, 'desk-101');
    const d2 = monitor(w, 'desk-102');
    ask(w, login('desk-101', 'agent-001'));
    const m = mark(w);
    expect(outcomeOf(ask(w, login('desk-102', 'agent-001')))).toBe('response:SetAgentStateResponse');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([
      'PUT CallCenter agent-001 Sign-Out',
      'PUT CallForwardingAlways desk-101 active=false to=null',
      'PUT HotelingGuest agent-001 host=null',
      'PUT CallForwardingAlways desk-102 active=true to=3001',
      'PUT HotelingGuest agent-001 host=desk-102',
      'PUT CallCenter agent-001 Unavailable',
    ]);
    expect(eventsSince(w, m, d1)).toEqual(['AgentLoggedOffEvent desk-101 agent-001', 'ForwardingEvent desk-101 false']);
    expect(eventsSince(w, m, d2)).toEqual(['ForwardingEvent desk-102 true 3001', 'AgentLoggedOnEvent desk-102 agent-001', 'AgentNotReadyEvent desk-102 agent-001']);
    expect(view(w, 'desk-101').forwarding?.active).toBe(false);
    expect(view(w, 'agent-001').hotelingGuest?.hostUserId).toBe('desk-102@example.com');
  });

  it('a guest without Hoteling Guest → invalidAgentIdentifier, nothing sent', () => {
    const w = newWorld();
    const m = mark(w);
    expect(outcomeOf(ask(w, login('desk-101', 'desk-102')))).toBe('error:operation/invalidAgentIdentifier');
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
  });

  describe('failure at each step: compensation in reverse, mapped error, no trace (I5)', () => {
    const people = ['desk-109', 'agent-005'];
    /** desk-109 has its own agent signed in, so step 1 runs. */
    const busyDesk = (change: (u: Map<string, import('@csta-bw/xsp-sim').DirectoryUser>) => void = () => {}) =>
      newWorld({ directory: directoryWith((u) => { u.get('desk-109')!.callCenter = { agentACDState: 'Available' }; change(u); }) });

    it('step 1 fails (503 storm) → resourceBusy after retries; nothing else sent', () => {
      const w = busyDesk();
      monitor(w, 'desk-109');
      monitor(w, 'agent-005');
      const before = truth(w, people);
      const m = mark(w);
      const invokeId = send(w, login('desk-109', 'agent-005'));
      const hits = runWithFault(w, { match: isPut('PUT CallCenter', 'desk-109'), outcome: ERROR_503, times: Infinity });
      expect(hits).toBe(4); // first attempt + maxRetries
      expect(outcomeOf(answerTo(w, invokeId)!)).toBe('error:systemResourceAvailibility/resourceBusy');
      expect(commandsSince(w, m, { putsOnly: true })).toEqual(Array(4).fill('PUT CallCenter desk-109 Sign-Out'));
      expect(truth(w, people)).toEqual(before);
    });

    it('step 2 fails (host without Call Forwarding Always) → invalidDeviceID; host state restored', () => {
      const w = busyDesk((u) => { delete u.get('desk-109')!.forwarding; });
      const before = truth(w, people);
      const m = mark(w);
      expect(outcomeOf(ask(w, login('desk-109', 'agent-005')))).toBe('error:operation/invalidDeviceID');
      expect(commandsSince(w, m, { putsOnly: true })).toEqual([
        'PUT CallCenter desk-109 Sign-Out',
        'PUT CallForwardingAlways desk-109 active=true to=3005',
        'PUT CallCenter desk-109 Available',
      ]);
      expect(truth(w, people)).toEqual(before);
    });

    it('step 3 fails (host without Hoteling Host) → invalidDeviceID; forwarding then host state undone', () => {
      const w = busyDesk((u) => { delete u.get('desk-109')!.hotelingHost; });
      const before = truth(w, people);
      const m = mark(w);
      expect(outcomeOf(ask(w, login('desk-109', 'agent-005')))).toBe('error:operation/invalidDeviceID');
      expect(commandsSince(w, m, { putsOnly: true })).toEqual([
        'PUT CallCenter desk-109 Sign-Out',
        'PUT CallForwardingAlways desk-109 active=true to=3005',
        'PUT HotelingGuest agent-005 host=desk-109',
        'PUT CallForwardingAlways desk-109 active=false to=null',
        'PUT CallCenter desk-109 Available',
      ]);
      expect(truth(w, people)).toEqual(before);
    });

    it('step 3 fails (desk taken elsewhere, unknown to us) → invalidDeviceState; rolled back', () => {
      const w = newWorld();
      w.external({ kind: 'portalAssociate', guestUserId: 'agent-002@example.com', hostUserId: 'desk-103@example.com' });
      w.runUntilQuiet();
      const id = monitor(w, 'desk-103');
      const before = truth(w, ['desk-103', 'agent-001', 'agent-002']);
      const m = mark(w);
      expect(outcomeOf(ask(w, login('desk-103', 'agent-001')))).toBe('error:stateIncompatibility/invalidDeviceState');
      expect(commandsSince(w, m, { putsOnly: true })).toEqual([
        'PUT CallForwardingAlways desk-103 active=true to=3001',
        'PUT HotelingGuest agent-001 host=desk-103',
        'PUT CallForwardingAlways desk-103 active=false to=null',
      ]);
      expect(truth(w, ['desk-103', 'agent-001', 'agent-002'])).toEqual(before);
      // The monitors saw the forwarding come and go; nothing about agent-001.
      expect(eventsSince(w, m, id).filter((e) => e.includes('agent-001'))).toEqual([]);
    });

    it('step 5 fails (guest without Call Center) → invalidAgentIdentifier; release, forwarding, host state undone', () => {
      const w = busyDesk((u) => { delete u.get('agent-005')!.callCenter; });
      const before = truth(w, people);
      const m = mark(w);
      expect(outcomeOf(ask(w, login('desk-109', 'agent-005')))).toBe('error:operation/invalidAgentIdentifier');
      expect(commandsSince(w, m, { putsOnly: true })).toEqual([
        'PUT CallCenter desk-109 Sign-Out',
        'PUT CallForwardingAlways desk-109 active=true to=3005',
        'PUT HotelingGuest agent-005 host=desk-109',
        'PUT CallCenter agent-005 Unavailable',
        'PUT HotelingGuest agent-005 host=null',
        'PUT CallForwardingAlways desk-109 active=false to=null',
        'PUT CallCenter desk-109 Available',
      ]);
      expect(truth(w, people)).toEqual(before);
    });

    it('step 5 fails (500 storm) → networkOutOfService; everything undone', () => {
      const w = busyDesk();
      monitor(w, 'agent-005');
      const before = truth(w, people);
      const m = mark(w);
      const invokeId = send(w, login('desk-109', 'agent-005'));
      runWithFault(w, { match: isPut('PUT CallCenter', 'agent-005'), outcome: ERROR_500, times: 4 });
      expect(outcomeOf(answerTo(w, invokeId)!)).toBe('error:systemResourceAvailibility/networkOutOfService');
      const puts = commandsSince(w, m, { putsOnly: true });
      expect(puts.slice(-3)).toEqual([
        'PUT HotelingGuest agent-005 host=null',
        'PUT CallForwardingAlways desk-109 active=false to=null',
        'PUT CallCenter desk-109 Available',
      ]);
      expect(truth(w, people)).toEqual(before);
    });

    it('step 5 never answered → saga timeout → compensation, networkOutOfService within saga+step timeout (I6)', () => {
      const w = busyDesk();
      monitor(w, 'agent-005');
      const before = truth(w, people);
      const invokeId = send(w, login('desk-109', 'agent-005'));
      const sentAt = w.now;
      runWithFault(w, { match: isPut('PUT CallCenter', 'agent-005'), outcome: 'lost', times: 2 });
      const a = answerTo(w, invokeId)!;
      expect(outcomeOf(a)).toBe('error:systemResourceAvailibility/networkOutOfService');
      expect(a.at - sentAt).toBeLessThanOrEqual(15_000);
      expect(truth(w, people)).toEqual(before);
      expect(w.alarms).toEqual([]);
    });

    it('driven by hand: a 503 storm on step 3 retries with backoff, then undoes step 2 and answers resourceBusy', () => {
      const d = new StepDriver();
      const H = 'desk-101@example.com';
      const G = 'agent-001@example.com';
      d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
      d.answerFetch(H, DESK);
      d.answerFetch(G, AGENT);
      d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
      for (let i = 0; i < 4; i++) {
        const outs = d.result(d.pendingOne('PUT HotelingGuest', G).commandId, ERROR_503);
        if (i < 3) d.fire(`retry:${Object.keys(d.state.jobs).find((j) => d.state.jobs[j]!.kind === 'request')}`);
        else expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallForwardingAlways', userId: H, body: { active: false, forwardToPhoneNumber: null } }]);
      }
      const outs = d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
      expect(errorOf(outs, '1')).toBe('systemResourceAvailibility/resourceBusy');
    });
  });

  describe('R3/R4/R6: what is undone, and what cannot be undone or left becomes repair work named in an alarm', () => {
    const H = 'desk-101@example.com';
    const G = 'agent-001@example.com';
    const P = 'desk-102@example.com'; // the desk G sits at before a move
    const REFUSED: XsiOutcome = { status: 400 };
    const puts = (outs: Output[]) => commandsIn(outs).map((c) => describeCommand(c.command));
    const alarmsIn = (outs: Output[]) => outs.flatMap((o) => (o.kind === 'alarm' ? [{ code: o.code, message: o.message }] : []));
    const jobId = (d: StepDriver) => Object.keys(d.state.jobs).find((j) => d.state.jobs[j]!.kind === 'request')!;

    it('every undo refused: the answer is the first error; the four undo PUTs (persistent) become one repair item and one alarm', () => {
      const d = new StepDriver();
      d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
      d.answerFetch(H, { ...DESK, agentACDState: 'Available' }); // step 1 runs
      d.answerFetch(G, { ...AGENT, agentACDState: 'Available' }); // the guest's state to go back to
      d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 200 });
      d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
      d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
      d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } });
      // Step 5 goes unanswered on every attempt: it may have been applied, so it is undone too (R3).
      let outs: Output[] = [];
      for (let i = 0; i < 4; i++) {
        outs = d.result(d.pendingOne('PUT CallCenter', G).commandId, { transportError: 'ECONNRESET' });
        if (i < 3) d.fire(`retry:${jobId(d)}`);
      }
      const sent: string[] = puts(outs);
      for (let i = 0; i < 4; i++) {
        const next = d.pending().find((p) => p.command.op.startsWith('PUT '))!;
        outs = d.result(next.commandId, REFUSED); // 4xx: no retry, compensation goes on (R4)
        sent.push(...puts(outs));
      }
      expect(sent).toEqual([
        'PUT CallCenter agent-001 Available',
        'PUT HotelingGuest agent-001 host=null',
        'PUT CallForwardingAlways desk-101 active=false to=null',
        'PUT CallCenter desk-101 Available',
      ]);
      expect(d.pending()).toEqual([]);
      expect(errorOf(d.log, '1')).toBe('systemResourceAvailibility/networkOutOfService'); // R5: the first failure
      expect(alarmsIn(d.log)).toEqual([{
        code: 'compensation-failed',
        message: `undo.setGuestNotReady, undo.associate, undo.forwardHost, undo.signOutHost could not be done for ${G} at ${H}; retried after the next resync`,
      }]);
      expect(d.state.repairs).toEqual([{
        hostUserId: H, guestUserId: G, rounds: 0, steps: [
          { step: 'undo.setGuestNotReady', persistent: true, command: { op: 'PUT CallCenter', userId: G, body: { agentACDState: 'Available' } } },
          { step: 'undo.associate', persistent: true, command: { op: 'PUT HotelingGuest', userId: G, body: { hostUserId: null } } },
          {
            step: 'undo.forwardHost', persistent: true, command: { op: 'PUT CallForwardingAlways', userId: H, body: { active: false, forwardToPhoneNumber: null } },
            onlyIf: { forwardingPointsTo: { userId: H, target: '3001' } },
          },
          { step: 'undo.signOutHost', persistent: true, command: { op: 'PUT CallCenter', userId: H, body: { agentACDState: 'Available' } } },
        ],
      }]);
    });

    it('R3: only steps sent are undone, even for a service the cache cannot vouch for (an earlier PUT went unanswered)', () => {
      const d = new StepDriver();
      // An earlier plain request on the agent never got an answer: its CallCenter is uncertain.
      d.request('1', { service: 'SetAgentState', device: 'agent-001', requestedAgentState: 'ready' });
      d.answerFetch(G, AGENT);
      for (let i = 0; i < 4; i++) {
        d.result(d.pendingOne('PUT CallCenter', G).commandId, { transportError: 'ECONNRESET' });
        if (i < 3) d.fire(`retry:${jobId(d)}`);
      }
      expect(errorOf(d.log, '1')).toBe('systemResourceAvailibility/networkOutOfService');
      d.request('2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
      d.answerFetch(H, { ...DESK, agentACDState: 'Available' });
      const outs = d.result(d.pendingOne('PUT CallCenter', H).commandId, REFUSED); // step 1 refused
      // Step 1 was refused, so the host's state is as before (skipped); the guest's was never touched.
      expect(puts(outs)).toEqual([]);
      expect(d.pending()).toEqual([]);
      expect(errorOf(outs, '2')).toBe('operation/invalidParameterValue');
      expect(d.state.repairs).toEqual([]);
    });

    /** A move from P to H whose leave step `failing` is refused; the steps before it succeed. */
    function moveFailingAt(failing: 'PUT CallCenter' | 'PUT CallForwardingAlways' | 'PUT HotelingGuest') {
      const d = new StepDriver();
      d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
      d.answerFetch(H, DESK);
      d.answerFetch(G, { ...AGENT, agentACDState: 'Available', guest: { ...AGENT.guest!, hostUserId: P } });
      d.answerFetch(P, { ...DESK, extension: '2102', forwarding: { active: true, forwardToPhoneNumber: '3001' } }); // the move reads P
      const sent: string[] = [];
      for (;;) {
        const next = d.pending().find((p) => p.command.op.startsWith('PUT '))!;
        sent.push(describeCommand(next.command));
        const outs = d.result(next.commandId, next.command.op === failing ? REFUSED : { status: 200 });
        if (answersIn(outs).length > 0) break;
      }
      return { d, sent };
    }

    const signOutGuest = { step: 'move.signOutGuest', persistent: true, command: { op: 'PUT CallCenter', userId: G, body: { agentACDState: 'Sign-Out' } } };
    const restoreForwarding = {
      step: 'move.restoreForwarding', persistent: true, command: { op: 'PUT CallForwardingAlways', userId: P, body: { active: false, forwardToPhoneNumber: null } },
      onlyIf: { forwardingPointsTo: { userId: P, target: '3001' } },
    };
    const release = { step: 'move.release', persistent: true, command: { op: 'PUT HotelingGuest', userId: G, body: { hostUserId: null } } };

    it.each([
      ['signing the agent out', 'PUT CallCenter', 1, [signOutGuest, restoreForwarding, release]],
      ['restoring the old desk\'s forwarding', 'PUT CallForwardingAlways', 2, [restoreForwarding, release]],
      ['releasing the old desk', 'PUT HotelingGuest', 3, [release]],
    ] as const)('a move whose leave step fails at %s: error answered, the new desk untouched, the leave steps not done become repair work', (_c, failing, sentCount, left) => {
      const { d, sent } = moveFailingAt(failing);
      expect(sent).toEqual([
        'PUT CallCenter agent-001 Sign-Out',
        'PUT CallForwardingAlways desk-102 active=false to=null',
        'PUT HotelingGuest agent-001 host=null',
      ].slice(0, sentCount));
      expect(errorOf(d.log, '1')).toBe('operation/invalidParameterValue');
      expect(d.pending()).toEqual([]);
      // The work owed is about the previous desk's pairing, and the alarm names that desk.
      expect(d.state.repairs).toEqual([{ hostUserId: P, guestUserId: G, rounds: 0, steps: left }]);
      expect(alarmsIn(d.log)).toEqual([{
        code: 'compensation-failed',
        message: `${left.map((s) => s.step).join(', ')} could not be done for ${G} at ${P}; retried after the next resync`,
      }]);
    });
  });
});
