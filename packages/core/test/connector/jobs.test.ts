/**
 * DESIGN §4.8 Concurrency and timeouts: per-user FIFO serialisation, unrelated users in
 * parallel, the queue limit, step timeout and retries with backoff (driven by hand through
 * `step`), and the saga timeout's compensation.
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/connector/io.js';
import { AGENT, commandsIn, DESK, errorOf, StepDriver } from './support/stepDriver.js';
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
