/**
 * How a finished saga ends its job (step.ts `sagaDone`): what the connector then owns (`ours`,
 * `restore`), the cleanup of an association released elsewhere (DESIGN §4.6), and repair work —
 * the steps a stalled logout or a failed compensation could not do (§4.4, §4.5), replayed on the
 * repair tick or after a resync (sagas/repairSteps.ts), superseded by a later login or logout of
 * the same agent. Driven by hand through `step`: the test plays the XSP.
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/connector/io.js';
import type { XsiCommand, XsiOutcome } from '../../src/index.js';
import { AGENT, answersIn, commandsIn, DESK, errorOf, LINK, StepDriver, type PretendUser } from './support/stepDriver.js';

const H = 'desk-101@example.com';
const H2 = 'desk-102@example.com';
const G = 'agent-001@example.com';
const G2 = 'agent-002@example.com';
const AGENT2: PretendUser = { ...AGENT, extension: '3002' };
const REFUSED: XsiOutcome = { status: 400 };

const short = (id: string) => id.replace('@example.com', '');
/** `PUT CallForwardingAlways desk-101 active=false to=null`, like the world support's lines. */
function line(c: XsiCommand): string {
  const head = `${c.op} ${short(c.userId)}`;
  switch (c.op) {
    case 'PUT CallCenter':
      return `${head} ${c.body.agentACDState}`;
    case 'PUT CallForwardingAlways':
      return `${head} active=${c.body.active}${c.body.forwardToPhoneNumber === undefined ? '' : ` to=${c.body.forwardToPhoneNumber}`}`;
    case 'PUT HotelingGuest':
      return `${head} host=${c.body.hostUserId === null ? 'null' : short(c.body.hostUserId)}`;
    default:
      return head;
  }
}
const puts = (outs: Output[]) => commandsIn(outs).map((c) => line(c.command)).filter((s) => s.startsWith('PUT'));
const alarms = (outs: Output[]) => outs.filter((o) => o.kind === 'alarm');
const repairTimer = (outs: Output[]) => outs.filter((o) => o.kind === 'timer.set' && o.timerId === 'repair');

let eventNo = 0;
/** G's HotelingGuestEvent: at `host`, or at no desk. */
function guestAt(d: StepDriver, guest: string, host: string | undefined): Output[] {
  return d.feed({
    kind: 'xsp.event',
    event: { type: 'HotelingGuestEvent', eventId: `e${++eventNo}`, sequenceNumber: eventNo, subscriptionId: 's', targetId: guest, info: { ...AGENT.guest!, ...(host === undefined ? {} : { hostUserId: host }) } },
  });
}

/**
 * Play the XSP until nothing is on the wire: answer each command, oldest first, with
 * `outcome(command)` (200 by default); a successful association is echoed by its event.
 * Returns every output meanwhile.
 */
function run(d: StepDriver, outcome: (c: XsiCommand) => XsiOutcome | undefined = () => undefined): Output[] {
  const outs: Output[] = [];
  for (let i = 0; i < 50; i++) {
    const p = d.pending()[0];
    if (!p) break;
    const o = outcome(p.command) ?? { status: 200 };
    outs.push(...d.result(p.commandId, o));
    if (p.command.op === 'PUT HotelingGuest' && p.command.body.hostUserId !== null && 'status' in o && o.status === 200) {
      outs.push(...guestAt(d, p.command.userId, p.command.body.hostUserId));
    }
  }
  return outs;
}
const refuse = (op: XsiCommand['op'], userId: string) => (c: XsiCommand) => (c.op === op && c.userId === userId ? REFUSED : undefined);

function loginReq(d: StepDriver, invokeId: string, desk: string, agent: string): Output[] {
  return d.request(invokeId, { service: 'SetAgentState', device: short(desk), requestedAgentState: 'loggedOn', agentID: short(agent) });
}
function logoutReq(d: StepDriver, invokeId: string, desk: string, agent: string): Output[] {
  return d.request(invokeId, { service: 'SetAgentState', device: short(desk), requestedAgentState: 'loggedOff', agentID: short(agent) });
}

/** agent-001 logged in at desk-101 by us (the desk's own forwarding as given). */
function loggedIn(desk: PretendUser = DESK): StepDriver {
  const d = new StepDriver();
  loginReq(d, 'in', H, G);
  d.answerFetch(H, desk);
  d.answerFetch(G, AGENT);
  const outs = run(d);
  expect(answersIn(outs).map((o) => o.kind)).toEqual(['csta.response']);
  return d;
}

/** …and then its logout stalled: the desk's forwarding could not be restored (400). */
function stalledLogout(): { d: StepDriver; outs: Output[] } {
  const d = loggedIn();
  const outs = [...logoutReq(d, 'out', H, G), ...run(d, refuse('PUT CallForwardingAlways', H))];
  return { d, outs };
}

describe('§4.5 a stalled logout becomes repair work, replayed on the repair tick', () => {
  it('the client gets the error; the steps not done are queued (no alarm for a logout) and the repair tick is set +30 s', () => {
    const { d, outs } = stalledLogout();
    expect(puts(outs)).toEqual(['PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null']);
    expect(errorOf(outs, 'out')).toBe('operation/invalidParameterValue');
    expect(alarms(outs)).toEqual([]);
    expect(repairTimer(outs)).toEqual([{ kind: 'timer.set', timerId: 'repair', at: d.now + 30_000 }]);
    expect(d.state.repairs.map((r) => ({ ...r, steps: r.steps.map((s) => s.step) }))).toEqual([
      { hostUserId: H, guestUserId: G, steps: ['restoreForwarding', 'release'], rounds: 0 },
    ]);
    // The pairing is still ours to finish: the desk still forwards to the agent.
    expect(d.state.ours).toEqual({ [H]: G });
    expect(d.state.restore[H]?.guestUserId).toBe(G);
  });

  it('the tick replays the remaining steps in order; once all are done the pairing is no longer ours', () => {
    const { d } = stalledLogout();
    const tick = d.fire('repair');
    expect(d.now).toBe(30_000);
    expect(puts(tick)).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null']);
    const outs = run(d);
    expect(puts(outs)).toEqual(['PUT HotelingGuest agent-001 host=null']);
    expect(answersIn(outs)).toEqual([]); // no client
    expect(alarms(outs)).toEqual([]);
    expect(repairTimer(outs)).toEqual([]);
    expect(d.state.repairs).toEqual([]);
    expect(d.state.ours).toEqual({});
    expect(d.state.restore).toEqual({});
    expect(d.state.jobs).toEqual({});
  });
});

describe('repair work that fails again (sagas/repairSteps.ts)', () => {
  it('a step refused again is kept and the repair goes on with the next; the leftover gets a repair-failed alarm, a new tick and one more round', () => {
    const { d } = stalledLogout();
    const rounds: { at: number; puts: string[]; alarms: Output[]; timer: Output[]; repairs: unknown }[] = [];
    for (let i = 0; i < 2; i++) {
      const outs = [...d.fire('repair'), ...run(d, refuse('PUT CallForwardingAlways', H))];
      rounds.push({
        at: d.now, puts: puts(outs), alarms: alarms(outs), timer: repairTimer(outs),
        repairs: d.state.repairs.map((r) => ({ ...r, steps: r.steps.map((s) => s.step) })),
      });
    }
    const alarm: Output = {
      kind: 'alarm', code: 'repair-failed', userIds: [H, G],
      message: `restoreForwarding could not be done for ${G} at ${H}; retried after the next resync`,
    };
    expect(rounds).toEqual([
      {
        at: 30_000, puts: ['PUT CallForwardingAlways desk-101 active=false to=null', 'PUT HotelingGuest agent-001 host=null'],
        alarms: [alarm], timer: [{ kind: 'timer.set', timerId: 'repair', at: 60_000 }],
        repairs: [{ hostUserId: H, guestUserId: G, steps: ['restoreForwarding'], rounds: 1 }],
      },
      {
        at: 60_000, puts: ['PUT CallForwardingAlways desk-101 active=false to=null'], // the release is done: not replayed
        alarms: [alarm], timer: [{ kind: 'timer.set', timerId: 'repair', at: 90_000 }],
        repairs: [{ hostUserId: H, guestUserId: G, steps: ['restoreForwarding'], rounds: 2 }],
      },
    ]);
    // The third round gets through: nothing is left, no alarm, no further tick.
    const outs = [...d.fire('repair'), ...run(d)];
    expect(puts(outs)).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null']);
    expect(alarms(outs)).toEqual([]);
    expect(repairTimer(outs)).toEqual([]);
    expect(d.state.repairs).toEqual([]);
    expect(d.state.ours).toEqual({});
  });

  it('J4: a repair step meeting transient failures is retried until the repair job\'s response deadline (tick +15 s), then kept for the next round', () => {
    const d = new StepDriver({ retryBaseMs: 1_000, retryMaxMs: 1_000 });
    loginReq(d, 'in', H, G);
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    run(d);
    logoutReq(d, 'out', H, G);
    run(d, refuse('PUT CallForwardingAlways', H));
    d.fire('repair');
    const job = Object.values(d.state.jobs).find((j) => j.kind === 'repair')!.id;
    const sentAt: number[] = [];
    for (let i = 0; i < 30; i++) {
      sentAt.push(d.now - 30_000);
      d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 503 });
      if (!d.timers.has(`retry:${job}`)) break;
      d.fire(`retry:${job}`);
    }
    expect(sentAt).toEqual(Array.from({ length: 16 }, (_, i) => i * 1_000)); // 0 … 15 000 after the tick, past maxRetries (3)
    // Given up on: the repair goes on with the release, and keeps the restore for the next round.
    expect(d.pending().map((p) => line(p.command))).toEqual(['PUT HotelingGuest agent-001 host=null']);
    run(d);
    expect(d.state.repairs.map((r) => [r.steps.map((s) => s.step), r.rounds])).toEqual([[['restoreForwarding'], 1]]);
  });

  it('all repair items of a tick run, each as its own job; a failing one does not hold up the other agent\'s', () => {
    const d = loggedIn();
    loginReq(d, 'in2', H2, G2);
    d.answerFetch(H2, DESK);
    d.answerFetch(G2, AGENT2);
    run(d);
    logoutReq(d, 'out', H, G);
    run(d, refuse('PUT CallForwardingAlways', H));
    logoutReq(d, 'out2', H2, G2);
    const outs = run(d, refuse('PUT CallForwardingAlways', H2));
    expect(repairTimer(outs)).toEqual([]); // one tick for all the repair work
    expect(d.state.repairs.map((r) => r.guestUserId)).toEqual([G, G2]);
    const tick = d.fire('repair');
    // Both repairs start at once: they share no user.
    expect(puts(tick)).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null', 'PUT CallForwardingAlways desk-102 active=false to=null']);
    const rest = run(d, refuse('PUT CallForwardingAlways', H));
    expect(puts(rest)).toEqual(['PUT HotelingGuest agent-001 host=null', 'PUT HotelingGuest agent-002 host=null']);
    expect(alarms(rest).map((a) => a.kind === 'alarm' && a.message)).toEqual([`restoreForwarding could not be done for ${G} at ${H}; retried after the next resync`]);
    expect(d.state.repairs.map((r) => [r.guestUserId, r.rounds])).toEqual([[G, 1]]);
    // Both releases ended our pairings; desk-101's restore plan is kept for the next round.
    expect(d.state.ours).toEqual({});
    expect(Object.keys(d.state.restore)).toEqual([H]);
  });
});

describe('a later successful login or logout of the same agent supersedes its old repair work', () => {
  it('a logout that gets through drops the agent\'s queued repair work, not another agent\'s, and forgets the pairing at once', () => {
    const d = loggedIn();
    loginReq(d, 'in2', H2, G2);
    d.answerFetch(H2, DESK);
    d.answerFetch(G2, AGENT2);
    run(d);
    logoutReq(d, 'out', H, G);
    run(d, refuse('PUT CallForwardingAlways', H));
    logoutReq(d, 'out2', H2, G2);
    run(d, refuse('PUT CallForwardingAlways', H2));
    expect(d.state.repairs.map((r) => r.guestUserId)).toEqual([G, G2]);
    // agent-001 logs out again, and this time it gets through.
    const outs = [...logoutReq(d, 'again', H, G)];
    const p = d.pendingOne('PUT CallForwardingAlways', H);
    outs.push(...d.result(p.commandId, { status: 200 }));
    const q = d.pendingOne('PUT HotelingGuest', G);
    outs.push(...d.result(q.commandId, { status: 200 }));
    expect(puts(outs)).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null', 'PUT HotelingGuest agent-001 host=null']);
    expect(answersIn(outs).map((o) => o.kind === 'csta.response' && `${o.invokeId} ${o.response.service}`)).toEqual(['again SetAgentStateResponse']);
    expect(d.state.ours).toEqual({ [H2]: G2 });
    expect(Object.keys(d.state.restore)).toEqual([H2]);
    expect(d.state.repairs.map((r) => r.guestUserId)).toEqual([G2]);
    // The tick replays agent-002's work only.
    expect(puts(d.fire('repair'))).toEqual(['PUT CallForwardingAlways desk-102 active=false to=null']);
  });

  it('a login at the same desk after a stalled logout supersedes the repair work even when it only re-confirms the pairing', () => {
    // The logout stalled before undoing anything at the desk: still associated, still forwarded.
    const { d } = stalledLogout();
    const outs = [...loginReq(d, 'again', H, G), ...run(d)];
    expect(puts(outs)).toEqual(['PUT CallCenter agent-001 Unavailable']);
    expect(answersIn(outs).map((o) => o.kind === 'csta.response' && `${o.invokeId} ${o.response.service}`)).toEqual(['again SetAgentStateResponse']);
    expect(d.state.repairs).toEqual([]);
    // The pairing stays ours, with the desk's own forwarding to restore at the next logout.
    expect(d.state.ours).toEqual({ [H]: G });
    expect(d.state.restore[H]?.guestUserId).toBe(G);
    // No old "restore, release" replayed over the agent the client was just told is logged on.
    expect(puts(d.fire('repair'))).toEqual([]);
  });

  it('a login at another desk leaves the agent\'s repair work at the first desk owed: a forward to it left there still dangles (I2)', () => {
    const d = new StepDriver();
    // A login at desk-102 whose association is refused, and whose undo of the desk's forward is refused too.
    let outs = [...loginReq(d, 'in2', H2, G), ...d.answerFetch(H2, DESK), ...d.answerFetch(G, AGENT)];
    outs.push(...run(d, (c) => (c.op === 'PUT HotelingGuest' && c.body.hostUserId === H2) || (c.op === 'PUT CallForwardingAlways' && c.userId === H2 && !c.body.active) ? REFUSED : undefined));
    expect(errorOf(outs, 'in2')).toBe('operation/invalidParameterValue');
    expect(d.state.repairs.map((r) => [short(r.hostUserId), r.steps.map((s) => s.step)])).toEqual([['desk-102', ['undo.forwardHost']]]);
    // The agent logs in at desk-101 instead, and that gets through.
    outs = [...loginReq(d, 'in1', H, G), ...d.answerFetch(H, DESK), ...run(d)];
    expect(answersIn(outs).map((o) => o.kind === 'csta.response' && `${o.invokeId} ${o.response.service}`)).toEqual(['in1 SetAgentStateResponse']);
    expect(d.state.repairs.map((r) => [short(r.hostUserId), r.steps.map((s) => s.step)])).toEqual([['desk-102', ['undo.forwardHost']]]);
    // The tick takes desk-102's forward to the agent away; desk-101's stays.
    expect(puts([...d.fire('repair'), ...run(d)])).toEqual(['PUT CallForwardingAlways desk-102 active=false to=null']);
    expect(d.state.repairs).toEqual([]);
    expect(d.state.ours).toEqual({ [H]: G });
  });

  it('a repair job of the agent queued behind its login elsewhere keeps its steps at the other desk, and runs them once the login is done', () => {
    const d = new StepDriver();
    let outs = [...loginReq(d, 'in2', H2, G), ...d.answerFetch(H2, DESK), ...d.answerFetch(G, AGENT)];
    outs.push(...run(d, (c) => (c.op === 'PUT HotelingGuest' && c.body.hostUserId === H2) || (c.op === 'PUT CallForwardingAlways' && c.userId === H2 && !c.body.active) ? REFUSED : undefined));
    expect(d.state.repairs.map((r) => [short(r.hostUserId), r.steps.map((s) => s.step)])).toEqual([['desk-102', ['undo.forwardHost']]]);
    // The agent logs in at desk-101; the repair tick comes while that login runs: its job queues behind it.
    outs = [...loginReq(d, 'in1', H, G), ...d.answerFetch(H, DESK), ...d.fire('repair')];
    expect(Object.values(d.state.jobs).map((j) => `${j.kind} ${j.running}`)).toEqual(['request true', 'repair false']);
    outs.push(...run(d));
    expect(puts(outs)).toEqual([
      'PUT CallForwardingAlways desk-101 active=true to=3001', 'PUT HotelingGuest agent-001 host=desk-101', 'PUT CallCenter agent-001 Unavailable',
      'PUT CallForwardingAlways desk-102 active=false to=null',
    ]);
    expect(d.state.jobs).toEqual({});
    expect(d.state.repairs).toEqual([]);
    expect(d.state.ours).toEqual({ [H]: G });
  });

  it('a move to another desk drops a repair job of the agent still queued behind it: the old "release" is not replayed over the new association', () => {
    // The logout stalls on the release: the desk's forwarding is restored, the agent stays associated.
    const d = loggedIn();
    logoutReq(d, 'out', H, G);
    run(d, refuse('PUT HotelingGuest', G));
    expect(d.state.repairs.map((r) => r.steps.map((s) => s.step))).toEqual([['release']]);
    // Shortly before the tick the agent logs in at desk-102: it first leaves desk-101 (§4.4).
    d.now = 29_000;
    const outs = [...loginReq(d, 'move', H2, G), ...d.answerFetch(H2, DESK)];
    const release = d.pendingOne('PUT HotelingGuest', G);
    outs.push(...d.fire('repair')); // 30 000: the repair job queues behind the move (it needs the agent)
    expect(Object.values(d.state.jobs).map((j) => `${j.kind} ${j.running}`)).toEqual(['request true', 'repair false']);
    outs.push(...d.result(release.commandId, { status: 200 }), ...run(d));
    expect(puts(outs)).toEqual([
      'PUT HotelingGuest agent-001 host=null', // move: leave desk-101
      'PUT CallForwardingAlways desk-102 active=true to=3001',
      'PUT HotelingGuest agent-001 host=desk-102',
      'PUT CallCenter agent-001 Unavailable',
    ]);
    expect(answersIn(outs).map((o) => o.kind === 'csta.response' && `${o.invokeId} ${o.response.service}`)).toEqual(['move SetAgentStateResponse']);
    expect(d.state.jobs).toEqual({});
    expect(d.state.repairs).toEqual([]);
    expect(d.state.ours).toEqual({ [H2]: G });
    expect(Object.keys(d.state.restore)).toEqual([H2]);
  });
});

describe('§4.6 what a login makes ours, and the cleanup when it is released elsewhere', () => {
  const SEATED: PretendUser = { ...AGENT, guest: { ...AGENT.guest!, hostUserId: H } };
  const FORWARDED_TO_AGENT: PretendUser = { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } };
  /** The agent, associated with desk-101 elsewhere or not, is logged in there through us. */
  function loginOver(desk: PretendUser, agent: PretendUser): { d: StepDriver; outs: Output[] } {
    const d = new StepDriver();
    loginReq(d, 'in', H, G);
    d.answerFetch(H, desk);
    const outs = [...d.answerFetch(G, agent), ...run(d)];
    expect(answersIn(outs).map((o) => o.kind)).toEqual(['csta.response']);
    return { d, outs };
  }

  it('a login that only re-confirms an association and forward made elsewhere leaves it to its owner: its release sends nothing', () => {
    const { d, outs } = loginOver(FORWARDED_TO_AGENT, SEATED);
    expect(puts(outs)).toEqual(['PUT CallCenter agent-001 Unavailable']);
    expect(d.state.ours).toEqual({});
    expect(d.state.restore).toEqual({});
    expect(puts(guestAt(d, G, undefined))).toEqual([]);
    expect(d.state.jobs).toEqual({});
  });

  it('a login that only forwarded the desk (association made elsewhere) makes the pairing ours: its release is cleaned up', () => {
    const { d, outs } = loginOver(DESK, SEATED);
    expect(puts(outs)).toEqual(['PUT CallForwardingAlways desk-101 active=true to=3001', 'PUT CallCenter agent-001 Unavailable']);
    expect(d.state.ours).toEqual({ [H]: G });
    expect(d.state.restore).toEqual({ [H]: { guestUserId: G, forwardTo: '3001', before: { active: false } } });
    const cleanup = [...guestAt(d, G, undefined), ...run(d)];
    expect(puts(cleanup)).toEqual(['PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null']);
    expect(d.state.restore).toEqual({});
  });

  it('a login that only associated (the desk already forwarded to the agent) makes the pairing ours but keeps no restore plan', () => {
    const { d, outs } = loginOver(FORWARDED_TO_AGENT, AGENT);
    expect(puts(outs)).toEqual(['PUT HotelingGuest agent-001 host=desk-101', 'PUT CallCenter agent-001 Unavailable']);
    expect(d.state.ours).toEqual({ [H]: G });
    expect(d.state.restore).toEqual({});
  });

  it('released elsewhere while step 5 was on the wire: the client still gets its response, then the termination is finished (§4.6)', () => {
    const d = new StepDriver();
    loginReq(d, 'in', H, G);
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
    d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
    guestAt(d, G, H);
    const step5 = d.pendingOne('PUT CallCenter', G);
    expect(puts(guestAt(d, G, undefined))).toEqual([]); // the portal releases the agent meanwhile
    const outs = d.result(step5.commandId, { status: 200 });
    expect(answersIn(outs).map((o) => o.kind === 'csta.response' && `${o.invokeId} ${o.response.service}`)).toEqual(['in SetAgentStateResponse']);
    expect(puts(outs)).toEqual(['PUT CallCenter agent-001 Sign-Out']);
    expect(d.state.ours).toEqual({}); // released: no longer ours, from the moment the login ends
    expect(puts(run(d))).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null']);
    expect(d.state.ours).toEqual({});
    expect(d.state.restore).toEqual({});
    expect(d.state.jobs).toEqual({});
  });

  it('our association moved to another desk elsewhere: the old desk\'s forwarding is restored, the agent stays signed in and where it is', () => {
    const d = loggedIn();
    const outs = [...guestAt(d, G, 'desk-103@example.com'), ...run(d)];
    expect(puts(outs)).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null']);
    expect(d.state.ours).toEqual({});
    expect(d.state.restore).toEqual({});
  });
});

describe('§4.4 a move between desks: what happens to the previous desk\'s pairing', () => {
  it('the move succeeds: the previous desk is forgotten, the new one is ours', () => {
    const d = loggedIn();
    const outs = [...loginReq(d, 'move', H2, G), ...d.answerFetch(H2, DESK), ...run(d)];
    expect(puts(outs)).toEqual([
      'PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null', 'PUT HotelingGuest agent-001 host=null',
      'PUT CallForwardingAlways desk-102 active=true to=3001', 'PUT HotelingGuest agent-001 host=desk-102', 'PUT CallCenter agent-001 Unavailable',
    ]);
    expect(d.state.ours).toEqual({ [H2]: G });
    expect(Object.keys(d.state.restore)).toEqual([H2]);
  });

  it('the move fails after leaving the previous desk: that desk\'s pairing is forgotten, nothing is owed', () => {
    const d = loggedIn();
    const outs = [...loginReq(d, 'move', H2, G), ...d.answerFetch(H2, DESK), ...run(d, refuse('PUT CallForwardingAlways', H2))];
    expect(puts(outs)).toEqual([
      'PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null', 'PUT HotelingGuest agent-001 host=null',
      'PUT CallForwardingAlways desk-102 active=true to=3001',
    ]);
    expect(errorOf(outs, 'move')).toBe('operation/invalidParameterValue');
    expect(d.state.ours).toEqual({});
    expect(d.state.restore).toEqual({});
    expect(d.state.repairs).toEqual([]);
    expect(alarms(outs)).toEqual([]);
  });

  it('the move fails while leaving (release refused): the agent still sits at the previous desk, whose restore plan is kept; the release is owed, with an alarm', () => {
    const d = loggedIn({ ...DESK, forwarding: { active: true, forwardToPhoneNumber: '5555' } });
    const outs = [...loginReq(d, 'move', H2, G), ...d.answerFetch(H2, DESK), ...run(d, refuse('PUT HotelingGuest', G))];
    expect(puts(outs)).toEqual(['PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=true to=5555', 'PUT HotelingGuest agent-001 host=null']);
    expect(errorOf(outs, 'move')).toBe('operation/invalidParameterValue');
    expect(alarms(outs)).toEqual([{
      kind: 'alarm', code: 'compensation-failed', userIds: [H, G],
      message: `move.release could not be done for ${G} at ${H}; retried after the next resync`,
    }]);
    expect(d.state.ours).toEqual({ [H]: G });
    expect(d.state.restore[H]?.guestUserId).toBe(G);
    expect(d.state.repairs.map((r) => ({ ...r, steps: r.steps.map((s) => s.step) }))).toEqual([{ hostUserId: H, guestUserId: G, steps: ['move.release'], rounds: 0 }]);
    expect(puts([...d.fire('repair'), ...run(d)])).toEqual(['PUT HotelingGuest agent-001 host=null']);
    expect(d.state.repairs).toEqual([]);
    // The repair finished the previous desk's pairing: nothing of it is left to own or restore.
    expect(d.state.ours).toEqual({});
    expect(d.state.restore).toEqual({});
  });
});

describe('repair work meets a desk that has moved on', () => {
  it('§4.4 R6: a move whose first leave step is refused owes all three leave steps, named in one alarm', () => {
    const d = loggedIn();
    const outs = [...loginReq(d, 'move', H2, G), ...d.answerFetch(H2, DESK), ...run(d, refuse('PUT CallCenter', G))];
    expect(puts(outs)).toEqual(['PUT CallCenter agent-001 Sign-Out']);
    expect(alarms(outs).map((a) => a.kind === 'alarm' && a.message)).toEqual([
      `move.signOutGuest, move.restoreForwarding, move.release could not be done for ${G} at ${H}; retried after the next resync`,
    ]);
    expect(d.state.ours).toEqual({ [H]: G });
  });

  it('a repair locks every user its steps touch: a request on the previous desk waits until the repair is done', () => {
    const d = loggedIn();
    loginReq(d, 'move', H2, G);
    d.answerFetch(H2, DESK);
    run(d, refuse('PUT CallForwardingAlways', H)); // the move stalls restoring desk-101
    expect(d.state.repairs.map((r) => [r.hostUserId, r.steps.map((s) => s.step)])).toEqual([[H, ['move.restoreForwarding', 'move.release']]]);
    expect(puts(d.fire('repair'))).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null']);
    const asked = d.request('fw', { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '7777' });
    expect(puts(asked)).toEqual([]); // desk-101 is held by the repair
    const outs = run(d);
    expect(puts(outs)).toEqual(['PUT HotelingGuest agent-001 host=null', 'PUT CallForwardingAlways desk-101 active=true to=7777']);
    expect(answersIn(outs).map((o) => o.kind === 'csta.response' && `${o.invokeId} ${o.response.service}`)).toEqual(['fw SetForwardingResponse']);
  });

  it('the old pairing\'s repair after another agent sat down at the desk: it skips the desk and leaves the new pairing ours, with its restore plan', () => {
    // agent-001 sits at desk-101, which had its own forward to 5555; the portal releases it and
    // our cleanup cannot sign it out (400): the sign-out and the restore are owed.
    const d = loggedIn({ ...DESK, forwarding: { active: true, forwardToPhoneNumber: '5555' } });
    const cleanup = [...guestAt(d, G, undefined), ...run(d, refuse('PUT CallCenter', G))];
    expect(puts(cleanup)).toEqual(['PUT CallCenter agent-001 Sign-Out']);
    expect(d.state.repairs.map((r) => r.steps.map((s) => s.step))).toEqual([['signOutGuest', 'restoreForwarding']]);
    // agent-002 logs in at desk-101 before the tick.
    loginReq(d, 'in2', H, G2);
    const login2 = [...d.answerFetch(G2, AGENT2), ...run(d)];
    expect(puts(login2)).toEqual(['PUT CallForwardingAlways desk-101 active=true to=3002', 'PUT HotelingGuest agent-002 host=desk-101', 'PUT CallCenter agent-002 Unavailable']);
    // The tick: agent-001 is signed out; desk-101 no longer forwards to it, so it is left alone.
    const repair = [...d.fire('repair'), ...run(d)];
    expect(puts(repair)).toEqual(['PUT CallCenter agent-001 Sign-Out']);
    expect(d.state.ours).toEqual({ [H]: G2 });
    expect(d.state.restore).toEqual({ [H]: { guestUserId: G2, forwardTo: '3002', before: { active: true, forwardToPhoneNumber: '5555' } } });
    // agent-002's logout puts the desk's own forward back.
    const out = [...logoutReq(d, 'out2', H, G2), ...run(d)];
    expect(puts(out)).toEqual(['PUT CallCenter agent-002 Sign-Out', 'PUT CallForwardingAlways desk-101 active=true to=5555', 'PUT HotelingGuest agent-002 host=null']);
  });
});

describe('step dispatch', () => {
  it('a closed CSTA link loses its own monitors only: another link\'s monitor of the same desk still gets events', () => {
    const d = new StepDriver();
    d.request('m1', { service: 'MonitorStart', monitorObject: 'desk-101' }, LINK);
    d.answerFetch(H, DESK);
    d.request('m2', { service: 'MonitorStart', monitorObject: 'desk-101' }, 'L2');
    d.feed({ kind: 'csta.linkClosed', link: 'L2' });
    expect(Object.values(d.state.monitors).map((m) => m.link)).toEqual([LINK]);
    const outs = d.feed({ kind: 'xsp.event', event: { type: 'AgentStateEvent', eventId: 'a1', sequenceNumber: 1, subscriptionId: 's', targetId: H, state: 'Available' } });
    expect(outs.flatMap((o) => (o.kind === 'csta.event' ? [`${o.link} ${o.event.name}`] : []))).toEqual([`${LINK} AgentLoggedOnEvent`, `${LINK} AgentReadyEvent`]);
  });
});
