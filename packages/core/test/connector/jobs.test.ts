/**
 * DESIGN §4.8 Concurrency and timeouts: per-user FIFO serialisation, unrelated users in
 * parallel, the queue limit, step timeout and retries with backoff (driven by hand through
 * `step`), and the saga timeout's compensation.
 */
import { describe, expect, it } from 'vitest';
import type { Input, Output } from '../../src/connector/io.js';
import type { XsiCommand } from '../../src/index.js';
import { AGENT, answersIn, commandsIn, DESK, errorOf, StepDriver, type PretendUser } from './support/stepDriver.js';
import { answerTo, login, newWorld, outcomeOf, send, setState, monitor } from './support/world.js';

const H = 'desk-101@example.com';

describe('§4.8 per-user serialisation', () => {
  it('two requests on one desk: the second waits until the first is answered', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    const first = send(w, setState('desk-101', 'ready'));
    const second = send(w, setState('desk-101', 'workingAfterCall'));
    w.runUntilQuiet();
    const puts = w.commands.filter((c) => c.command.op === 'PUT CallCenter');
    expect(puts.map((p) => p.command.op === 'PUT CallCenter' && p.command.body.agentACDState)).toEqual(['Available', 'Wrap-Up']);
    const a1 = answerTo(w, first)!;
    expect(outcomeOf(a1)).toBe('response:SetAgentStateResponse');
    expect(outcomeOf(answerTo(w, second)!)).toBe('response:SetAgentStateResponse');
    expect(puts[1]!.at).toBeGreaterThanOrEqual(a1.at);
    const seq = (pred: (e: { msg: string; args: Record<string, unknown> }) => boolean) => w.trace!.entries.find(pred)!.seq;
    expect(seq((e) => e.msg === 'SetAgentStateResponse' && e.args['invokeId'] === first))
      .toBeLessThan(seq((e) => e.msg === 'PUT CallCenter' && e.args['agentACDState'] === 'Wrap-Up'));
  });

  it('a login holds host and guest: a request on the guest waits for the whole saga', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    monitor(w, 'agent-001');
    const loginId = send(w, login('desk-101', 'agent-001'));
    send(w, setState('agent-001', 'ready'));
    w.runUntilQuiet();
    const ops = w.commands.filter((c) => c.command.op.startsWith('PUT')).map((c) => `${c.command.op} ${c.command.userId}`);
    expect(ops).toEqual([
      `PUT CallForwardingAlways ${H}`, 'PUT HotelingGuest agent-001@example.com', 'PUT CallCenter agent-001@example.com', 'PUT CallCenter agent-001@example.com',
    ]);
    expect(w.commands.at(-1)!.at).toBeGreaterThanOrEqual(answerTo(w, loginId)!.at);
  });

  it('unrelated users proceed in parallel: their commands interleave', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    monitor(w, 'desk-102');
    send(w, login('desk-101', 'agent-001'));
    send(w, login('desk-102', 'agent-002'));
    w.runUntilQuiet();
    const puts = w.commands.filter((c) => c.command.op.startsWith('PUT'));
    const hostOf = (userId: string) => (userId.includes('001') || userId.includes('101') ? 'A' : 'B');
    const pattern = puts.map((c) => hostOf(c.command.userId)).join('');
    expect(pattern).not.toMatch(/^A+B+$/); // not one after the other
    expect(pattern.split('').sort().join('')).toBe('AAABBB');
    // Both sagas' first PUTs go out at the same instant.
    const firsts = ['A', 'B'].map((k) => puts.find((c) => hostOf(c.command.userId) === k)!.at);
    expect(firsts[0]).toBe(firsts[1]);
  });

  it('queue full: on a user holding 16 requests (one running, 15 waiting), the 17th → resourceBusy', () => {
    const d = new StepDriver();
    d.request('0', { service: 'GetAgentState', device: 'desk-101' });
    d.answerFetch(H, DESK); // desk-101 is known now
    const outs: Output[] = [];
    for (let i = 1; i <= 17; i++) outs.push(...d.request(String(i), { service: 'SetAgentState', device: 'desk-101', requestedAgentState: i % 2 ? 'ready' : 'notReady' }));
    const errors = outs.flatMap((o) => (o.kind === 'csta.error' ? [`${o.invokeId}:${o.error.category}/${o.error.value}`] : []));
    expect(errors).toEqual(['17:systemResourceAvailibility/resourceBusy']);
    expect(d.state.queues[H]!.length).toBe(16);
    // Once the queue drains, the user takes requests again.
    for (let i = 0; i < 16; i++) d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 200 });
    expect(d.state.queues[H]).toBeUndefined();
    expect(errorOf(d.request('18', { service: 'GetAgentState', device: 'desk-101' }), '18')).toBeUndefined();
  });

  it('requests waiting for their users past the saga timeout are answered resourceBusy', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.answerFetch(H, DESK);
    d.request('2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'notReady' });
    // The first PUT hangs; request 2 never gets to run before its saga timer.
    const waiting = Object.values(d.state.jobs).find((j) => j.client?.invokeId === '2')!;
    const outs = d.fire(`saga:${waiting.id}`);
    expect(errorOf(outs, '2')).toBe('systemResourceAvailibility/resourceBusy');
  });
});

describe('§4.8 step timeout and retries (driven by hand)', () => {
  function plainPut(): { d: StepDriver; jobId: string; commandId: number } {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.answerFetch(H, DESK);
    const jobId = Object.values(d.state.jobs).find((j) => j.kind === 'request')!.id;
    return { d, jobId, commandId: d.pendingOne('PUT CallCenter', H).commandId };
  }

  it('every command gets a step timer (5 s by default)', () => {
    const { d, commandId } = plainPut();
    expect(d.timers.get(`cmd:${commandId}`)).toBe(d.now + 5_000);
  });

  it('503 three times: retries after 200, 400, 800 ms; the 4th 503 → resourceBusy', () => {
    const { d, jobId } = plainPut();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const put = d.pendingOne('PUT CallCenter', H);
      const outs = d.result(put.commandId, { status: 503 });
      const set = outs.find((o) => o.kind === 'timer.set' && o.timerId === `retry:${jobId}`);
      expect(set).toBeDefined();
      if (set?.kind === 'timer.set') delays.push(set.at - d.now);
      expect(commandsIn(outs)).toEqual([]); // nothing until the backoff ends
      const again = d.fire(`retry:${jobId}`);
      expect(commandsIn(again).map((c) => c.command)).toEqual([{ op: 'PUT CallCenter', userId: H, body: { agentACDState: 'Available' } }]);
    }
    expect(delays).toEqual([200, 400, 800]);
    const last = d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 503 });
    expect(errorOf(last, '1')).toBe('systemResourceAvailibility/resourceBusy');
    expect(last.some((o) => o.kind === 'timer.set' && o.timerId.startsWith('retry:'))).toBe(false);
    expect(Object.keys(d.state.jobs)).toEqual([]);
  });

  it('backoff is capped by retryMaxMs', () => {
    const d = new StepDriver({ maxRetries: 6, retryBaseMs: 500, retryMaxMs: 1_500 });
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.answerFetch(H, DESK);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const outs = d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 500 });
      const set = outs.find((o) => o.kind === 'timer.set' && o.timerId.startsWith('retry:'));
      if (set?.kind === 'timer.set') {
        delays.push(set.at - d.now);
        d.fire(set.timerId);
      }
    }
    expect(delays).toEqual([500, 1_000, 1_500, 1_500]);
  });

  it('a step timeout counts as a transport failure and is retried; a late answer to the old command is ignored', () => {
    const { d, commandId } = plainPut();
    d.fire(`cmd:${commandId}`);
    const retry = [...d.timers.keys()].find((t) => t.startsWith('retry:'))!;
    expect(retry).toBeDefined();
    d.fire(retry);
    const second = d.pendingOne('PUT CallCenter', H);
    expect(second.commandId).not.toBe(commandId);
    expect(d.result(commandId, { status: 200 })).toEqual([]); // late: ignored
    const outs = d.result(second.commandId, { status: 200 });
    expect(outs.some((o) => o.kind === 'csta.response' && o.invokeId === '1')).toBe(true);
  });

  it('transport errors on every attempt → networkOutOfService', () => {
    const { d, jobId } = plainPut();
    for (let i = 0; i < 4; i++) {
      d.result(d.pendingOne('PUT CallCenter', H).commandId, { transportError: 'ECONNREFUSED' });
      if (i < 3) d.fire(`retry:${jobId}`);
    }
    expect(errorOf(d.log, '1')).toBe('systemResourceAvailibility/networkOutOfService');
  });

  it('a 4xx is never retried', () => {
    const { d } = plainPut();
    const outs = d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 400 });
    expect(errorOf(outs, '1')).toBe('operation/invalidParameterValue');
    expect(outs.some((o) => o.kind === 'timer.set' && o.timerId.startsWith('retry:'))).toBe(false);
  });

  it('a retry whose effect already holds (the failed attempt was applied after all) sends nothing', () => {
    const { d, jobId } = plainPut();
    d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 503 });
    d.feed({ kind: 'xsp.event', event: { type: 'AgentStateEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: H, state: 'Available' } });
    const outs = d.fire(`retry:${jobId}`);
    expect(commandsIn(outs)).toEqual([]);
    expect(outs.some((o) => o.kind === 'csta.response' && o.invokeId === '1')).toBe(true);
  });
});

describe('§4.8 saga timeout', () => {
  it('a login stuck waiting for the guest event is compensated at the saga timeout and answered', () => {
    const d = new StepDriver();
    const G = 'agent-001@example.com';
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
    // The HotelingGuestEvent never comes. At +10 s the saga gives up and undoes, newest first.
    const sagaTimer = [...d.timers.keys()].find((t) => t.startsWith('saga:'))!;
    expect(d.timers.get(sagaTimer)).toBe(10_000);
    let outs = d.fire(sagaTimer);
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT HotelingGuest', userId: G, body: { hostUserId: null } }]);
    outs = d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallForwardingAlways', userId: H, body: { active: false, forwardToPhoneNumber: null } }]);
    outs = d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    expect(errorOf(outs, '1')).toBe('systemResourceAvailibility/networkOutOfService');
    expect(d.state.ours).toEqual({});
  });

  it('an undo that keeps failing: answered by the deadline with the first failure\'s error; the leftover becomes repair work and an alarm', () => {
    const d = new StepDriver();
    const G = 'agent-001@example.com';
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 400, body: { kind: 'ErrorInfo', error: { summaryEnglish: 'busy', errorCode: 110306 } } });
    // The undo of step 2 meets 503 until past the response deadline (+15 s).
    for (let i = 0; i < 100 && Object.keys(d.state.jobs).length > 0; i++) {
      const p = d.pending().find((x) => x.command.op === 'PUT CallForwardingAlways');
      if (p) d.result(p.commandId, { status: 503 });
      const next = [...d.timers.entries()].filter(([t]) => !t.startsWith('repair')).sort((a, b) => a[1] - b[1])[0];
      if (!next) break;
      d.fire(next[0]);
    }
    expect(d.log.filter((o) => o.kind === 'csta.error')).toHaveLength(1); // I6: one answer
    expect(d.now).toBeLessThanOrEqual(15_000); // answered by the deadline
    expect(d.log.filter((o) => o.kind === 'alarm').map((o) => o.kind === 'alarm' && o.code)).toEqual(['compensation-failed']);
    expect(d.state.repairs).toHaveLength(1);
    expect(d.timers.has('repair')).toBe(true);
    // DESIGN §4.4 / HotelingLogin R5: the answer is the error of the FIRST failure (the 400
    // host-busy of step 3), even when compensation is still retrying at the deadline.
    expect(errorOf(d.log, '1')).toBe('stateIncompatibility/invalidDeviceState');
  });
});

describe('§4.8 jobs: answers, J3 across and within jobs, saga and response deadlines (driven by hand)', () => {
  const G = 'agent-001@example.com';
  const jobOf = (d: StepDriver, invokeId: string) => Object.values(d.state.jobs).find((j) => j.client?.invokeId === invokeId)!;
  const seatedAgent = (agentACDState: NonNullable<PretendUser['agentACDState']>): PretendUser => ({ ...AGENT, agentACDState, guest: { ...AGENT.guest!, hostUserId: H } });

  it('a request answered from the cache: exactly its saga/deadline timers, the response, and both timers cleared', () => {
    const d = new StepDriver();
    d.request('0', { service: 'GetAgentState', device: 'desk-101' });
    d.answerFetch(H, DESK);
    // The fetch job (J2) had no client: it set and cleared no saga or deadline timer.
    expect(d.log.filter((o) => o.kind === 'timer.clear').map((o) => o.kind === 'timer.clear' && o.timerId))
      .toEqual(['cmd:1', 'cmd:2', 'cmd:3', 'cmd:4', 'cmd:5', 'saga:j2', 'deadline:j2']);
    const outs = d.request('1', { service: 'GetAgentState', device: 'desk-101' });
    expect(outs).toEqual([
      { kind: 'timer.set', timerId: 'saga:j3', at: 10_000 },
      { kind: 'timer.set', timerId: 'deadline:j3', at: 15_000 },
      {
        kind: 'csta.response', link: 'L1', invokeId: '1',
        response: { service: 'GetAgentStateResponse', agentStateList: [{ agentID: 'desk-101', loggedOnState: false, agentInfo: [{ agentState: 'agentNull' }] }] },
      },
      { kind: 'timer.clear', timerId: 'saga:j3' },
      { kind: 'timer.clear', timerId: 'deadline:j3' },
    ]);
  });

  it('J3 across jobs: a request that timed out with its retried PUT on the wire holds the desk until that PUT is answered', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.answerFetch(H, DESK);
    const job1 = jobOf(d, '1').id;
    d.fire(`cmd:${d.pendingOne('PUT CallCenter', H).commandId}`); // 5 000: step timeout
    d.fire(`retry:${job1}`); // 5 200: the retry goes out
    const retried = d.pendingOne('PUT CallCenter', H);
    d.now = 6_000;
    d.request('2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'notReady' });
    let outs = d.fire(`saga:${job1}`); // 10 000
    expect(d.now).toBe(10_000);
    expect(errorOf(outs, '1')).toBe('systemResourceAvailibility/networkOutOfService');
    expect(commandsIn(outs)).toEqual([]); // request 2 must not overtake the PUT still on the wire
    expect(d.pending().map((p) => p.commandId)).toEqual([retried.commandId]);
    d.now = 10_500;
    outs = d.result(retried.commandId, { status: 200 });
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallCenter', userId: H, body: { agentACDState: 'Unavailable' } }]);
    outs = d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 200 });
    expect(answersIn(outs).map((o) => o.invokeId)).toEqual(['2']);
  });

  it('J3 within a job: at the saga timeout a login with a PUT on the wire sends its undo only once that PUT is answered', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    const job = jobOf(d, '1').id;
    d.fire(`cmd:${d.pendingOne('PUT HotelingGuest', G).commandId}`); // 5 000: no answer
    d.fire(`retry:${job}`);
    const assoc = d.pendingOne('PUT HotelingGuest', G);
    let outs = d.fire(`saga:${job}`); // 10 000: compensate — but the association is on the wire
    expect(commandsIn(outs)).toEqual([]);
    expect(answersIn(outs)).toEqual([]);
    d.now = 10_500;
    outs = d.result(assoc.commandId, { status: 200 });
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT HotelingGuest', userId: G, body: { hostUserId: null } }]);
    expect(answersIn(outs)).toEqual([]);
    outs = d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallForwardingAlways', userId: H, body: { active: false, forwardToPhoneNumber: null } }]);
    outs = d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    expect(errorOf(outs, '1')).toBe('systemResourceAvailibility/networkOutOfService');
    expect(d.state.jobs).toEqual({});
  });

  it('J5: a retry pending at the saga timeout is dropped — its timer cleared, nothing more sent', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.answerFetch(H, DESK);
    const job = jobOf(d, '1').id;
    d.now = 9_900;
    d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 503 });
    expect(d.timers.get(`retry:${job}`)).toBe(10_100);
    const outs = d.fire(`saga:${job}`);
    expect(outs.filter((o) => o.kind === 'timer.clear').map((o) => o.kind === 'timer.clear' && o.timerId)).toContain(`retry:${job}`);
    expect(d.timers.has(`retry:${job}`)).toBe(false);
    expect(errorOf(outs, '1')).toBe('systemResourceAvailibility/networkOutOfService');
    expect(d.pending()).toEqual([]);
  });

  it('J4/J5: a persistent undo is retried past maxRetries until the response deadline (+15 s), not after it', () => {
    const d = new StepDriver({ retryBaseMs: 1_000, retryMaxMs: 1_000 });
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 400, body: { kind: 'ErrorInfo', error: { summaryEnglish: 'busy', errorCode: 110306 } } });
    const job = jobOf(d, '1').id;
    const sentAt: number[] = [];
    for (let i = 0; i < 30; i++) {
      const undo = d.pendingOne('PUT CallForwardingAlways', H);
      sentAt.push(d.now);
      d.result(undo.commandId, { status: 503 });
      if (!d.timers.has(`retry:${job}`)) break;
      d.fire(`retry:${job}`);
    }
    expect(sentAt).toEqual(Array.from({ length: 16 }, (_, i) => i * 1_000)); // 0 … 15 000
    expect(d.log.filter((o) => o.kind === 'alarm').map((o) => o.kind === 'alarm' && o.code)).toEqual(['compensation-failed']);
  });

  it('a 401 raises the xsp-credentials-rejected alarm naming the command\'s user, and the request gets securityGeneric', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.answerFetch(H, DESK);
    const outs = d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 401 });
    expect(outs.filter((o) => o.kind === 'alarm')).toEqual([
      { kind: 'alarm', code: 'xsp-credentials-rejected', message: 'the XSP rejected our credentials (401)', userIds: [H] },
    ]);
    expect(errorOf(outs, '1')).toBe('security/generic');
  });

  it('a 404 on the agent\'s PUT maps to invalidAgentIdentifier when the client named the agent, invalidDeviceID when it named only the desk', () => {
    const d = new StepDriver();
    d.request('0', { service: 'GetAgentState', device: 'desk-101' });
    d.answerFetch(H, DESK);
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready', agentID: 'agent-001' });
    d.answerFetch(G, seatedAgent('Unavailable'));
    let outs = d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 404 });
    expect(errorOf(outs, '1')).toBe('operation/invalidAgentIdentifier');
    d.request('2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' }); // the seated agent, not named
    outs = d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 404 });
    expect(errorOf(outs, '2')).toBe('operation/invalidDeviceID');
    d.request('3', { service: 'SetAgentState', device: 'desk-102', requestedAgentState: 'ready' });
    d.answerFetch('desk-102@example.com', DESK);
    outs = d.result(d.pendingOne('PUT CallCenter', 'desk-102@example.com').commandId, { status: 404 });
    expect(errorOf(outs, '3')).toBe('operation/invalidDeviceID');
  });
});

describe('§4.5 / §4.7 R1: a step is skipped only when the cache shows its effect already holds', () => {
  const G = 'agent-001@example.com';
  const seatedAgent = (agentACDState: NonNullable<PretendUser['agentACDState']>): PretendUser => ({ ...AGENT, agentACDState, guest: { ...AGENT.guest!, hostUserId: H } });
  function logoutWithDeskForwarding(forwarding: NonNullable<PretendUser['forwarding']>): StepDriver {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    d.answerFetch(H, { ...DESK, forwarding });
    d.answerFetch(G, seatedAgent('Available'));
    return d;
  }
  function logoutPuts(d: StepDriver): XsiCommand[] {
    const sent: XsiCommand[] = [];
    for (let p = d.pending(); p.length > 0; p = d.pending()) {
      sent.push(p[0]!.command);
      d.result(p[0]!.commandId, { status: 200 });
    }
    return sent;
  }
  const SIGN_OUT: XsiCommand = { op: 'PUT CallCenter', userId: G, body: { agentACDState: 'Sign-Out' } };
  const RELEASE: XsiCommand = { op: 'PUT HotelingGuest', userId: G, body: { hostUserId: null } };

  it('logout: the desk still forwarded to the agent is restored (DESIGN §4.5 step 2)', () => {
    const d = logoutWithDeskForwarding({ active: true, forwardToPhoneNumber: '3001' });
    expect(logoutPuts(d)).toEqual([SIGN_OUT, { op: 'PUT CallForwardingAlways', userId: H, body: { active: false, forwardToPhoneNumber: null } }, RELEASE]);
    expect(answersIn(d.log).map((o) => o.kind)).toEqual(['csta.response']);
  });

  it('logout: a desk forwarding changed elsewhere (to another number, or off) is left alone', () => {
    for (const forwarding of [{ active: true, forwardToPhoneNumber: '5555' }, { active: false, forwardToPhoneNumber: '3001' }]) {
      const d = logoutWithDeskForwarding(forwarding);
      expect(logoutPuts(d)).toEqual([SIGN_OUT, RELEASE]);
      expect(answersIn(d.log).map((o) => o.kind)).toEqual(['csta.response']);
    }
  });

  it('SetForwarding: off when already off is answered without a PUT; a new number when on to another is sent', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetForwarding', device: 'desk-101', activateForward: false });
    let outs = d.answerFetch(H, { ...DESK, forwarding: { active: false } });
    expect(commandsIn(outs).filter((c) => c.command.op.startsWith('PUT'))).toEqual([]);
    expect(answersIn(outs).map((o) => o.kind === 'csta.response' && o.response.service)).toEqual(['SetForwardingResponse']);
    d.feed({ kind: 'xsp.event', event: { type: 'CallForwardingAlwaysEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: H, info: { active: true, forwardToPhoneNumber: '4444' } } });
    outs = d.request('2', { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '5555' });
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallForwardingAlways', userId: H, body: { active: true, forwardToPhoneNumber: '5555' } }]);
  });

  it('an unanswered PUT makes the service uncertain: the next PUT is sent even though the cache says it holds', () => {
    const d = new StepDriver({ maxRetries: 0 });
    d.request('1', { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '5555' });
    d.answerFetch(H, { ...DESK, forwarding: { active: false } });
    let outs = d.fire(`cmd:${d.pendingOne('PUT CallForwardingAlways', H).commandId}`); // no answer, no echo
    expect(errorOf(outs, '1')).toBe('systemResourceAvailibility/networkOutOfService');
    // The cache still says "off", but the lost PUT may have turned it on.
    outs = d.request('2', { service: 'SetForwarding', device: 'desk-101', activateForward: false });
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallForwardingAlways', userId: H, body: { active: false } }]);
  });

  it('the same for a plain SetAgentState: after a lost PUT CallCenter, asking for the state the cache shows still sends the PUT', () => {
    const d = new StepDriver({ maxRetries: 0 });
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.answerFetch(H, DESK); // Sign-Out
    let outs = d.fire(`cmd:${d.pendingOne('PUT CallCenter', H).commandId}`); // no answer, no echo
    expect(errorOf(outs, '1')).toBe('systemResourceAvailibility/networkOutOfService');
    // The cache still says Sign-Out, but the lost PUT may have made the desk Available.
    outs = d.request('2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff' });
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallCenter', userId: H, body: { agentACDState: 'Sign-Out' } }]);
    expect(answersIn(outs)).toEqual([]);
    // Once answered, the state is certain again: the same request is answered from the cache.
    d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 200 });
    outs = d.request('3', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff' });
    expect(commandsIn(outs)).toEqual([]);
    expect(answersIn(outs).map((o) => o.kind === 'csta.response' && `${o.invokeId} ${o.response.service}`)).toEqual(['3 SetAgentStateResponse']);
  });
});

describe('§4.8 jobs without a client: the cleanup of an association released elsewhere (§4.6)', () => {
  const G = 'agent-001@example.com';
  const guestEvent = (eventId: string, hostUserId: string | undefined): Input => ({
    kind: 'xsp.event',
    event: { type: 'HotelingGuestEvent', eventId, sequenceNumber: 1, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, ...(hostUserId === undefined ? {} : { hostUserId }) } },
  });
  function loggedIn(): StepDriver {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
    d.feed(guestEvent('e1', H));
    const outs = d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
    expect(answersIn(outs).map((o) => o.kind)).toEqual(['csta.response']);
    return d;
  }

  it('released elsewhere: the agent is signed out and the desk forwarding restored', () => {
    const d = loggedIn();
    const outs = d.feed(guestEvent('e2', undefined));
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallCenter', userId: G, body: { agentACDState: 'Sign-Out' } }]);
    const next = d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
    expect(commandsIn(next).map((c) => c.command)).toEqual([{ op: 'PUT CallForwardingAlways', userId: H, body: { active: false, forwardToPhoneNumber: null } }]);
  });

  it('released elsewhere, the sign-out refused (400): the rest becomes repair work for the next repair tick, no client to answer', () => {
    const d = loggedIn();
    d.feed(guestEvent('e2', undefined));
    const outs = d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 400 });
    expect(commandsIn(outs)).toEqual([]);
    expect(answersIn(outs)).toEqual([]);
    expect(outs.filter((o) => o.kind === 'timer.set' && o.timerId === 'repair')).toEqual([{ kind: 'timer.set', timerId: 'repair', at: d.now + 30_000 }]);
    expect(d.state.repairs.map((r) => r.steps.map((s) => s.command.op))).toEqual([['PUT CallCenter', 'PUT CallForwardingAlways']]);
    expect(d.state.jobs).toEqual({});
  });
});

describe('§4.8 echoes and retries: what a lost or refused PUT leaves behind', () => {
  it('a PUT whose echo came before its step timeout is not uncertain: the retry finds the effect holds and sends nothing', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '5555' });
    d.answerFetch(H, { ...DESK, forwarding: { active: false } });
    const job = Object.values(d.state.jobs).find((j) => j.client?.invokeId === '1')!.id;
    const put = d.pendingOne('PUT CallForwardingAlways', H);
    d.feed({ kind: 'xsp.event', event: { type: 'CallForwardingAlwaysEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: H, info: { active: true, forwardToPhoneNumber: '5555' } } });
    d.fire(`cmd:${put.commandId}`); // the answer is lost, but the echo showed the change
    const outs = d.fire(`retry:${job}`);
    expect(commandsIn(outs)).toEqual([]);
    expect(answersIn(outs).map((o) => o.kind === 'csta.response' && o.response.service)).toEqual(['SetForwardingResponse']);
  });

  it('a refused PUT (400) expects no echo: a change made elsewhere right after is taken at once, with no re-read', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.answerFetch(H, DESK);
    expect(errorOf(d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 400 }), '1')).toBe('operation/invalidParameterValue');
    const outs = d.feed({ kind: 'xsp.event', event: { type: 'AgentStateEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: H, state: 'Unavailable' } });
    expect(outs.filter((o) => o.kind === 'timer.set')).toEqual([]);
    const answer = answersIn(d.request('2', { service: 'GetAgentState', device: 'desk-101' }))[0];
    expect(answer?.kind === 'csta.response' && answer.response).toEqual({
      service: 'GetAgentStateResponse', agentStateList: [{ agentID: 'desk-101', loggedOnState: true, agentInfo: [{ agentState: 'agentNotReady' }] }],
    });
  });
});

describe('§4.5 / §4.7 R1: which cached forwarding lets a PUT CallForwardingAlways be skipped', () => {
  const G = 'agent-001@example.com';
  const fwdEvent = (eventId: string, info: NonNullable<PretendUser['forwarding']>): Input => ({
    kind: 'xsp.event', event: { type: 'CallForwardingAlwaysEvent', eventId, sequenceNumber: 1, subscriptionId: 's', targetId: H, info },
  });
  const setForwarding = (cached: NonNullable<PretendUser['forwarding']>, forwardDN: string): Output[] => {
    const d = new StepDriver();
    d.request('1', { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN });
    return d.answerFetch(H, { ...DESK, forwarding: cached });
  };

  it('SetForwarding to the number the desk is already forwarded to: answered without a PUT (numbers compared normalised)', () => {
    for (const [stored, asked] of [['5555', '5555'], ['tel:55-55', '5555']] as const) {
      const outs = setForwarding({ active: true, forwardToPhoneNumber: stored }, asked);
      expect(commandsIn(outs).filter((c) => c.command.op.startsWith('PUT'))).toEqual([]);
      expect(answersIn(outs).map((o) => o.kind === 'csta.response' && o.response.service)).toEqual(['SetForwardingResponse']);
    }
  });

  it('SetForwarding to a number while the desk is forwarded without one: the PUT is sent', () => {
    const outs = setForwarding({ active: true }, '5555');
    expect(commandsIn(outs).filter((c) => c.command.op.startsWith('PUT')).map((c) => c.command))
      .toEqual([{ op: 'PUT CallForwardingAlways', userId: H, body: { active: true, forwardToPhoneNumber: '5555' } }]);
    expect(answersIn(outs)).toEqual([]);
  });

  it('a failed login restores a desk that was forwarded without a number: PUT active=true, forwardToPhoneNumber null', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, { ...DESK, forwarding: { active: true } });
    d.answerFetch(G, AGENT);
    expect(d.pendingOne('PUT CallForwardingAlways', H).command).toEqual({ op: 'PUT CallForwardingAlways', userId: H, body: { active: true, forwardToPhoneNumber: '3001' } });
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    const outs = d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 400, body: { kind: 'ErrorInfo', error: { summaryEnglish: 'busy', errorCode: 110306 } } });
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallForwardingAlways', userId: H, body: { active: true, forwardToPhoneNumber: null } }]);
    const last = d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    expect(errorOf(last, '1')).toBe('stateIncompatibility/invalidDeviceState');
  });

  it('logout: a desk forwarded elsewhere without a number does not point at the agent and is left alone', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    d.answerFetch(H, { ...DESK, forwarding: { active: true } });
    const outs = d.answerFetch(G, { ...AGENT, agentACDState: 'Available', guest: { ...AGENT.guest!, hostUserId: H } });
    expect(commandsIn(outs).filter((c) => c.command.op.startsWith('PUT')).map((c) => c.command)).toEqual([{ op: 'PUT CallCenter', userId: G, body: { agentACDState: 'Sign-Out' } }]);
    const next = d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
    expect(commandsIn(next).map((c) => c.command)).toEqual([{ op: 'PUT HotelingGuest', userId: G, body: { hostUserId: null } }]);
  });

  it('our own forwarding echo arriving before the 200 is recognised: the desk\'s previous forwarding is still restored at logout (§4.6)', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '7777' } });
    d.answerFetch(G, AGENT);
    d.feed(fwdEvent('e1', { active: true, forwardToPhoneNumber: '3001' })); // the echo overtakes the 200
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
    d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'e2', sequenceNumber: 2, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } });
    expect(answersIn(d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 })).map((o) => o.kind)).toEqual(['csta.response']);
    d.request('2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
    expect(d.pendingOne('PUT CallForwardingAlways', H).command).toEqual({ op: 'PUT CallForwardingAlways', userId: H, body: { active: true, forwardToPhoneNumber: '7777' } });
  });
});

describe('§4.8 J1: a job that needs another user re-queues behind the work on it', () => {
  const G = 'agent-001@example.com';
  const H2 = 'desk-102@example.com';

  it('an agent seated at a busy desk: its login at another desk waits until that desk\'s request is done, then leaves it first', () => {
    const d = new StepDriver();
    d.request('0', { service: 'SetAgentState', device: 'desk-102', requestedAgentState: 'ready' });
    d.answerFetch(H2, DESK);
    const busy = d.pendingOne('PUT CallCenter', H2);
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    let outs = d.answerFetch(G, { ...AGENT, agentACDState: 'Available', guest: { ...AGENT.guest!, hostUserId: H2 } });
    expect(commandsIn(outs).filter((c) => c.command.op.startsWith('PUT'))).toEqual([]);
    expect(answersIn(outs)).toEqual([]);
    expect(d.pending().map((p) => p.commandId)).toEqual([busy.commandId]);
    outs = d.result(busy.commandId, { status: 200 });
    expect(answersIn(outs).map((o) => o.invokeId)).toEqual(['0']);
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallCenter', userId: G, body: { agentACDState: 'Sign-Out' } }]);
  });
});

describe('§2 unexpected inputs are ignored: timers and results that belong to nothing', () => {
  it('a retry timer firing when no retry is pending (already answered) changes nothing', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.answerFetch(H, DESK);
    const jobId = Object.values(d.state.jobs).find((j) => j.kind === 'request')!.id;
    d.now = 100;
    const outs = d.feed({ kind: 'timer.fired', timerId: `retry:${jobId}` });
    expect(outs).toEqual([]);
    expect(d.pendingOne('PUT CallCenter', H).command).toEqual({ op: 'PUT CallCenter', userId: H, body: { agentACDState: 'Available' } });
  });
});

describe('§4.8 J3/J5: a login that ended with a PUT still on the wire', () => {
  const G = 'agent-001@example.com';
  const H2 = 'desk-102@example.com';

  it('leaving the previous desk stalls at the saga timeout: one answer, one alarm; a guest event meanwhile does not revive the ended saga', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, { ...AGENT, agentACDState: 'Available', guest: { ...AGENT.guest!, hostUserId: H2 } });
    d.answerFetch(H2, DESK);
    const signOut = d.pendingOne('PUT CallCenter', G); // move.signOutGuest, left unanswered
    const job = Object.values(d.state.jobs).find((j) => j.client?.invokeId === '1')!.id;
    d.now = 4_000;
    let outs = d.fire(`saga:${job}`);
    expect(errorOf(outs, '1')).toBe('systemResourceAvailibility/networkOutOfService');
    expect(outs.filter((o) => o.kind === 'alarm').map((o) => o.kind === 'alarm' && o.code)).toEqual(['compensation-failed']);
    outs = d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H2 } } });
    expect(outs.filter((o) => o.kind !== 'csta.event')).toEqual([]);
    outs = d.result(signOut.commandId, { status: 200 });
    expect(commandsIn(outs)).toEqual([]);
    expect(d.log.filter((o) => o.kind === 'alarm')).toHaveLength(1);
    expect(answersIn(d.log)).toHaveLength(1);
    expect(d.state.jobs).toEqual({});
  });

  it('a retry pending at the saga timeout is dropped while compensation goes on: the abandoned step is never re-sent', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    const job = Object.values(d.state.jobs).find((j) => j.client?.invokeId === '1')!.id;
    d.now = 9_900;
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 503 });
    expect(d.timers.get(`retry:${job}`)).toBe(10_100);
    let outs = d.fire(`saga:${job}`);
    // The association never happened, so only the forwarding is undone.
    expect(outs.filter((o) => o.kind === 'timer.clear' || o.kind === 'xsp.command').map((o) => (o.kind === 'timer.clear' ? o.timerId : o.kind === 'xsp.command' ? o.command : o)))
      .toEqual([`retry:${job}`, { op: 'PUT CallForwardingAlways', userId: H, body: { active: false, forwardToPhoneNumber: null } }]);
    expect(d.timers.has(`retry:${job}`)).toBe(false);
    outs = d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    expect(errorOf(outs, '1')).toBe('systemResourceAvailibility/networkOutOfService');
    expect(d.pending()).toEqual([]);
  });

  it('at the saga timeout with no retry pending, no retry timer is cleared', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    const job = Object.values(d.state.jobs).find((j) => j.client?.invokeId === '1')!.id;
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    d.now = 9_000;
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 }); // its event never comes
    const outs = d.fire(`saga:${job}`);
    expect(outs.filter((o) => o.kind === 'timer.clear')).toEqual([]);
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT HotelingGuest', userId: G, body: { hostUserId: null } }]);
  });
});

describe('§4.7 / §4.8 echoes: what a lost PUT leaves expected', () => {
  it('a lost PUT makes the service uncertain even while an earlier answered PUT\'s echo is still pending', () => {
    const d = new StepDriver({ maxRetries: 0 });
    d.request('1', { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '5555' });
    d.answerFetch(H, { ...DESK, forwarding: { active: false } });
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 }); // its echo has not come yet
    d.request('2', { service: 'SetForwarding', device: 'desk-101', activateForward: false });
    expect(errorOf(d.fire(`cmd:${d.pendingOne('PUT CallForwardingAlways', H).commandId}`), '2')).toBe('systemResourceAvailibility/networkOutOfService');
    // The cache says "on to 5555", but the lost PUT may have turned it off.
    const outs = d.request('3', { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '5555' });
    expect(commandsIn(outs).map((c) => c.command)).toEqual([{ op: 'PUT CallForwardingAlways', userId: H, body: { active: true, forwardToPhoneNumber: '5555' } }]);
  });

  it('a lost PUT\'s echo is still expected: arriving after a newer answered write, it is taken as ours and not applied; the service is re-read when the window closes (a change made elsewhere can look the same)', () => {
    const d = new StepDriver({ maxRetries: 0 });
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.answerFetch(H, DESK);
    expect(errorOf(d.result(d.pendingOne('PUT CallCenter', H).commandId, { transportError: 'ECONNRESET' }), '1')).toBe('systemResourceAvailibility/networkOutOfService');
    d.request('2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'notReady' });
    d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 200 });
    const outs = d.feed({ kind: 'xsp.event', event: { type: 'AgentStateEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: H, state: 'Available' } });
    expect(outs).toEqual([{ kind: 'timer.set', timerId: `reread:GET CallCenter|${H}`, at: d.now + d.state.config.echoWindowMs }]);
    expect(d.state.users[H]!.agentState).toBe('Unavailable');
  });
});

describe('§4.6 forwarding changes: ours or made elsewhere, and what the logout then restores', () => {
  const G = 'agent-001@example.com';
  const fwd = (eventId: string, info: NonNullable<PretendUser['forwarding']>): Input => ({
    kind: 'xsp.event', event: { type: 'CallForwardingAlwaysEvent', eventId, sequenceNumber: 1, subscriptionId: 's', targetId: H, info },
  });
  /** G logged in at H, whose own forwarding was on to 7777; every echo seen. */
  function loggedInOver7777(): StepDriver {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '7777' } });
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    d.feed(fwd('e0', { active: true, forwardToPhoneNumber: '3001' }));
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
    d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } });
    expect(answersIn(d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 })).map((o) => o.kind)).toEqual(['csta.response']);
    return d;
  }
  /** Log G out; the forwarding PUT it sends (after the sign-out). */
  function logoutRestore(d: StepDriver): XsiCommand {
    d.request('9', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    d.result(d.pendingOne('PUT CallCenter', G).commandId, { status: 200 });
    return d.pendingOne('PUT CallForwardingAlways', H).command;
  }

  it('our own SetForwarding whose echo overtakes its 200 is not a change made elsewhere: the logout still restores 7777', () => {
    const d = loggedInOver7777();
    for (const [invokeId, to, eventId] of [['2', '5555', 'e2'], ['3', '3001', 'e3']] as const) {
      d.request(invokeId, { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: to });
      d.feed(fwd(eventId, { active: true, forwardToPhoneNumber: to }));
      d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    }
    expect(logoutRestore(d)).toEqual({ op: 'PUT CallForwardingAlways', userId: H, body: { active: true, forwardToPhoneNumber: '7777' } });
  });

  it('after a refused SetForwarding, a change made elsewhere is the user\'s intent: the logout no longer restores 7777', () => {
    const d = loggedInOver7777();
    d.request('2', { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '5555' });
    expect(errorOf(d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 400 }), '2')).toBe('operation/invalidParameterValue');
    d.feed(fwd('e2', { active: true, forwardToPhoneNumber: '4444' })); // elsewhere
    d.feed(fwd('e3', { active: true, forwardToPhoneNumber: '3001' })); // elsewhere, back to the agent
    expect(logoutRestore(d)).toEqual({ op: 'PUT CallForwardingAlways', userId: H, body: { active: false, forwardToPhoneNumber: null } });
  });
});

describe('a logout\'s steps against where its agent sits now', () => {
  it('an agent seen seated at another desk before the logout\'s release goes out is not released from there (explore I2, hostile seed 66036992)', () => {
    const G = 'agent-001@example.com';
    const d = new StepDriver();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    const all: Output[] = [];
    const answerAll = () => {
      for (let i = 0; i < 20 && d.pending().length > 0; i++) all.push(...d.result(d.pending()[0]!.commandId, { status: 200 }));
    };
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    answerAll();
    d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'a1', sequenceNumber: 1, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } });
    answerAll();
    // The logout starts (sign-out on the wire); meanwhile the agent is seated at desk-102 on the portal.
    const out = d.request('out', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    expect(commandsIn(out).map((c) => c.command.op)).toEqual(['PUT CallCenter']);
    d.now += 6_000; // past the echo windows: the event is news
    d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'a2', sequenceNumber: 2, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: 'desk-102@example.com' } } });
    all.length = 0;
    answerAll();
    expect(commandsIn(all).filter((c) => c.command.op === 'PUT HotelingGuest')).toEqual([]);
  });
});
