/**
 * DESIGN §9 durability, driven by hand through `step`: the pairing is written down (`pairings.save`)
 * before the PUT that changes the desk, and a connector restarted from the saved pairings reads the
 * XSP again and finishes or undoes what was in flight. The test plays the XSP and the store: the
 * store holds exactly the `pairings.save` outputs of the crashed connector (`StepDriver.saved`).
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/connector/io.js';
import type { SavedPairings } from '../../src/index.js';
import { AGENT, commandsIn, DESK, StepDriver, type PretendUser } from './support/stepDriver.js';
import { describeCommand } from './support/world.js';

const H = 'desk-101@example.com';
const G = 'agent-001@example.com';
const short = (id: string) => id.replace('@example.com', '');
const puts = (outs: Output[]) => commandsIn(outs).map((c) => describeCommand(c.command)).filter((s) => s.startsWith('PUT'));

/** A process that died with no pairing saved: a restart all the same (its last PUTs may land). */
const CRASHED_EMPTY = { pairings: {}, crashed: true };

const OWN_FORWARD: PretendUser = { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '5555' } };

/** A login of agent-001 at desk-101 (its own forward to 5555) run until the forward PUT is on the wire. */
function loginUntilForwardSent(): { d: StepDriver; outs: Output[] } {
  const d = new StepDriver();
  const outs = [
    ...d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' }),
    ...d.answerFetch(H, OWN_FORWARD),
    ...d.answerFetch(G, AGENT),
  ];
  return { d, outs };
}

/** A restarted connector: channel up, then the pretend XSP answers every read from `truth`. */
function restart(saved: SavedPairings, truth: Record<string, PretendUser>): { d: StepDriver; outs: Output[] } {
  const d = new StepDriver({}, { pairings: saved });
  // The saved pairings are settled a step timeout after the channel is up.
  const outs = [...d.feed({ kind: 'xsp.channel', status: 'up' }), ...d.fire('restart')];
  for (const [userId, t] of Object.entries(truth)) outs.push(...d.answerFetch(userId, t));
  return { d, outs };
}

/** Answer every command on the wire with 200, oldest first, until none is left. */
function run(d: StepDriver): Output[] {
  const outs: Output[] = [];
  for (let i = 0; i < 30; i++) {
    const p = d.pending()[0];
    if (!p) break;
    outs.push(...d.result(p.commandId, { status: 200 }));
  }
  return outs;
}

describe('§9 write-ahead: the pairing is saved before the PUT that changes the desk', () => {
  it('the login\'s claim — guest, desk and the desk\'s own forwarding — precedes its forward PUT in the same step\'s outputs', () => {
    const { outs } = loginUntilForwardSent();
    const save = outs.findIndex((o) => o.kind === 'pairings.save');
    const forward = outs.findIndex((o) => o.kind === 'xsp.command' && o.command.op === 'PUT CallForwardingAlways');
    expect(forward).toBeGreaterThan(0);
    expect(save).toBeGreaterThanOrEqual(0);
    expect(save).toBeLessThan(forward);
    expect(outs[save]).toEqual({
      kind: 'pairings.save',
      changes: [{ host: H, pairing: { host: H, guest: G, phase: 'claimed', restore: { forwardTo: '3001', forwarding: { active: true, forwardToPhoneNumber: '5555' }, agentState: 'Sign-Out' }, guestTarget: '3001', owed: [], rounds: 0 } }],
    });
  });

  it('a login that got through is saved seated; its logout saves the desk as no longer paired', () => {
    const { d } = loginUntilForwardSent();
    run(d);
    d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } });
    run(d);
    expect(Object.values(d.saved()).map((p) => `${short(p.host)} ${short(p.guest)} ${p.phase}`)).toEqual(['desk-101 agent-001 seated']);
    d.request('out', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    run(d);
    expect(d.saved()).toEqual({});
  });
});

describe('§9 restart: a fresh connector settles every saved pairing after reading the XSP', () => {
  it('crash after the forward PUT of a login: the restarted connector puts the desk\'s own forward back, and forgets the pairing', () => {
    const { d: crashed } = loginUntilForwardSent();
    const saved = crashed.saved();
    // The forward was applied before the crash; nothing else of the login was.
    const { d, outs } = restart(saved, { [H]: { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }, [G]: AGENT });
    const all = [...outs, ...run(d)];
    expect(puts(all)).toEqual(['PUT CallForwardingAlways desk-101 active=true to=5555']);
    expect(d.saved()).toEqual({});
    expect(d.state.pairings).toEqual({});
  });

  it('crash after the association: the restarted connector releases the agent, signs it out and restores the desk', () => {
    const { d: crashed } = loginUntilForwardSent();
    const saved = crashed.saved();
    const seated: PretendUser = { ...AGENT, agentACDState: 'Unavailable', guest: { ...AGENT.guest!, hostUserId: H } };
    const { d, outs } = restart(saved, { [H]: { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }, [G]: seated });
    const all = [...outs, ...run(d)];
    expect(puts(all)).toEqual([
      'PUT CallCenter agent-001 Sign-Out', 'PUT HotelingGuest agent-001 host=null', 'PUT CallForwardingAlways desk-101 active=true to=5555',
    ]);
    expect(d.state.pairings).toEqual({});
  });

  it('crash before anything was applied: the restarted connector reads and sends nothing', () => {
    const { d: crashed } = loginUntilForwardSent();
    const { d, outs } = restart(crashed.saved(), { [H]: OWN_FORWARD, [G]: AGENT });
    expect(puts([...outs, ...run(d)])).toEqual([]);
    expect(d.state.pairings).toEqual({});
  });

  it('a pairing saved seated whose agent still sits at the desk is kept, and nothing is sent', () => {
    const saved: SavedPairings = { [H]: { host: H, guest: G, phase: 'seated', restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0 } };
    const seated: PretendUser = { ...AGENT, agentACDState: 'Unavailable', guest: { ...AGENT.guest!, hostUserId: H } };
    const { d, outs } = restart(saved, { [H]: { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }, [G]: seated });
    expect(puts([...outs, ...run(d)])).toEqual([]);
    expect(d.state.pairings[H]?.phase).toBe('seated');
  });

  it('a pairing saved seated whose agent was released while the connector was down: the termination is finished (§4.6)', () => {
    const saved: SavedPairings = { [H]: { host: H, guest: G, phase: 'seated', restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0 } };
    const { d, outs } = restart(saved, { [H]: { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }, [G]: { ...AGENT, agentACDState: 'Unavailable' } });
    expect(puts([...outs, ...run(d)])).toEqual(['PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null']);
    expect(d.state.pairings).toEqual({});
  });

  it('a logout in flight (saved releasing, the agent already signed out): the restarted connector restores the desk and releases', () => {
    const saved: SavedPairings = { [H]: { host: H, guest: G, phase: 'releasing', restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0 } };
    const seated: PretendUser = { ...AGENT, guest: { ...AGENT.guest!, hostUserId: H } };
    const { d, outs } = restart(saved, { [H]: { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }, [G]: seated });
    expect(puts([...outs, ...run(d)])).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null', 'PUT HotelingGuest agent-001 host=null']);
    expect(d.state.pairings).toEqual({});
  });

  it('is deterministic: the same saved pairings and the same answers give the same outputs', () => {
    const { d: crashed } = loginUntilForwardSent();
    const truth = { [H]: { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }, [G]: AGENT };
    const a = restart(crashed.saved(), truth);
    const b = restart(crashed.saved(), truth);
    expect([...b.outs, ...run(b.d)]).toEqual([...a.outs, ...run(a.d)]);
  });

  it('a stale redelivery after the restart (an event the crashed process had already seen) does not overwrite the fresh read: it is checked by a re-read', () => {
    const saved: SavedPairings = { [H]: { host: H, guest: G, phase: 'seated', restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0 } };
    const seated: PretendUser = { ...AGENT, agentACDState: 'Unavailable', guest: { ...AGENT.guest!, hostUserId: H } };
    const { d } = restart(saved, { [H]: { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }, [G]: seated });
    run(d);
    d.now = 5_000;
    // The XSP redelivers an event from before the crash (its ack was lost): the desk's forwarding as it was then.
    const outs = d.feed({ kind: 'xsp.event', event: { type: 'CallForwardingAlwaysEvent', eventId: 'old-1', sequenceNumber: 1, subscriptionId: 'old', targetId: H, info: { active: false } } });
    expect(puts(outs)).toEqual([]);
    const ask = d.request('f', { service: 'GetForwarding', device: 'desk-101' });
    expect(ask.flatMap((o) => (o.kind === 'csta.response' ? [o.response] : []))).toEqual([{ service: 'GetForwardingResponse', forwardingList: [{ forwardingType: 'forwardImmediate', forwardStatus: true, forwardDN: '3001' }] }]);
    // … and the desk is read again once redeliveries are over, so a change made meanwhile is learnt.
    expect([...d.timers.keys()]).toContain('reread:GET CallForwardingAlways|desk-101@example.com');
  });

  it('a PUT the crashed process left on the wire lands after the restarted connector first read the desk: the pairing is settled on reads made a step timeout later', () => {
    const { d: crashed } = loginUntilForwardSent();
    const d = new StepDriver({}, { pairings: crashed.saved() });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    // A client monitors the desk at once: the read shows the desk's own forward, the old PUT not applied yet.
    d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
    d.answerFetch(H, OWN_FORWARD);
    // The old PUT lands now: its event is no echo of ours, so the fence holds it.
    d.now = 500;
    d.feed({ kind: 'xsp.event', event: { type: 'CallForwardingAlwaysEvent', eventId: 'late', sequenceNumber: 2, subscriptionId: 's', targetId: H, info: { active: true, forwardToPhoneNumber: '3001' } } });
    const outs = [...d.fire('restart'), ...d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }), ...d.answerFetch(G, AGENT), ...run(d)];
    expect(puts(outs)).toEqual(['PUT CallForwardingAlways desk-101 active=true to=5555']);
    expect(d.state.pairings).toEqual({});
  });

  it('a login of an agent at a desk where it still owes steps claims the desk before its forward PUT (else a crash would leave that forward dangling)', () => {
    const release = { step: 'move.release', persistent: true, command: { op: 'PUT HotelingGuest' as const, userId: G, body: { hostUserId: null } } };
    const d = new StepDriver({}, { pairings: { [H]: { host: H, guest: G, phase: 'owed', restore: undefined, owed: [release], rounds: 0 } } });
    const outs = [
      ...d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' }),
      ...d.answerFetch(H, OWN_FORWARD), ...d.answerFetch(G, AGENT),
    ];
    const forward = outs.findIndex((o) => o.kind === 'xsp.command' && o.command.op === 'PUT CallForwardingAlways');
    const claim = outs.findIndex((o) => o.kind === 'pairings.save' && o.changes.some((c) => c.pairing?.phase === 'claimed'));
    expect(forward).toBeGreaterThan(0);
    expect(claim).toBeGreaterThanOrEqual(0);
    expect(claim).toBeLessThan(forward);
    expect(d.saved()[H]?.restore).toEqual({ forwardTo: '3001', forwarding: { active: true, forwardToPhoneNumber: '5555' }, agentState: 'Sign-Out' });
  });

  it('a logout without agentID on a desk of a saved pairing, before the agent is read again: the agent is read first, then logged out', () => {
    const saved: SavedPairings = { [H]: { host: H, guest: G, phase: 'seated', restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0 } };
    const seated: PretendUser = { ...AGENT, agentACDState: 'Unavailable', guest: { ...AGENT.guest!, hostUserId: H } };
    const d = new StepDriver({}, { pairings: saved });
    const outs = [
      ...d.request('out', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff' }),
      ...d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }),
      ...d.answerFetch(G, seated),
    ];
    outs.push(...run(d));
    expect(puts(outs)).toEqual(['PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null', 'PUT HotelingGuest agent-001 host=null']);
  });

  it('the same login again after a crash that only confirms what the crashed process had done: the pairing stays ours (a later release elsewhere is cleaned up)', () => {
    const { d: crashed } = loginUntilForwardSent();
    const seated: PretendUser = { ...AGENT, guest: { ...AGENT.guest!, hostUserId: H } };
    const d = new StepDriver({}, { pairings: crashed.saved() });
    const outs = [
      ...d.request('again', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' }),
      ...d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }), ...d.answerFetch(G, seated),
    ];
    outs.push(...run(d));
    expect(puts(outs)).toEqual(['PUT CallCenter agent-001 Unavailable']);
    expect(d.state.ours).toEqual({ [H]: G });
    expect(d.state.restore[H]).toEqual({ guestUserId: G, forwardTo: '3001', before: { active: true, forwardToPhoneNumber: '5555' } });
  });

  it('users read before the restarted connector\'s channel was up are read again when it settles (events before the channel are lost)', () => {
    const d = new StepDriver({}, CRASHED_EMPTY);
    d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
    d.answerFetch(H, DESK);
    d.feed({ kind: 'xsp.channel', status: 'up' });
    const outs = d.fire('restart');
    expect(commandsIn(outs).map((c) => `${c.command.op} ${short(c.command.userId)}`)).toEqual(expect.arrayContaining(['GET CallCenter desk-101', 'GET CallForwardingAlways desk-101']));
  });

  it('a read after the restart showing the crashed process\'s own forward to the agent is no change made elsewhere: the restore plan is kept', () => {
    const saved: SavedPairings = { [H]: { host: H, guest: G, phase: 'seated', restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0 } };
    const d = new StepDriver({}, { pairings: saved });
    d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
    d.answerFetch(H, DESK);
    d.now = 100;
    d.request('f', { service: 'GetForwarding', device: 'desk-101' });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    d.fire('restart');
    d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } });
    expect(d.state.pairings[H]?.restore).toEqual({ forwardTo: '3001', forwarding: { active: false } });
  });

  it('an agent\'s login at a desk keeps the steps an earlier agent still owes there (they are that agent\'s, not superseded)', () => {
    const restoreOld = { step: 'restart.restoreForwarding', persistent: true, for: 'agent-002@example.com', command: { op: 'PUT CallForwardingAlways' as const, userId: H, body: { active: false, forwardToPhoneNumber: null } }, onlyIf: { forwardingPointsTo: { userId: H, target: '3002' } } };
    const d = new StepDriver({}, { pairings: { [H]: { host: H, guest: 'agent-002@example.com', phase: 'owed', restore: undefined, owed: [restoreOld], rounds: 0 } } });
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    run(d);
    d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'e9', sequenceNumber: 9, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } });
    run(d);
    expect(d.state.pairings[H]?.owed.map((st) => st.step)).toEqual(['restart.restoreForwarding']);
  });

  it('a login claims a desk whose earlier agent\'s cleanup is still queued (force-released): the claim keeps that agent\'s leave as owed steps, so a crash before the cleanup ran still puts the desk back from the old forward (nodes pin I2, seed 3456862991)', () => {
    const G2 = 'agent-002@example.com';
    const d = new StepDriver();
    // agent-002 was seated here and force-released; its cleanup job waits behind this login.
    d.state.pairings[H] = { host: H, guest: G2, phase: 'owed', restore: { forwardTo: '3002', forwarding: { active: false } }, owed: [], rounds: 0 };
    const leftover: PretendUser = { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3002' } };
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, leftover);
    d.answerFetch(G, AGENT);
    // Crash now: the claim is saved, the cleanup never ran; the desk still forwards to agent-002.
    const { d: r, outs } = restart(d.saved(), { [H]: leftover, [G]: AGENT, [G2]: AGENT });
    const all = [...outs, ...run(r)];
    expect(puts(all).filter((c) => c.startsWith('PUT CallForwardingAlways desk-101'))).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null']);
  });

  it('a login again of an agent whose cleanup at the desk is still queued (moved elsewhere meanwhile) that fails keeps the leave owed: the record with the desk\'s restore plan is not dropped, so a crash before the cleanup ran still puts the desk back (explore I2, hostile seed 536824824)', () => {
    const d = new StepDriver();
    // agent-001 was seated here and moved to desk-102 on the portal; its cleanup job waits behind this login.
    d.state.pairings[H] = { host: H, guest: G, phase: 'owed', restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0 };
    const leftover: PretendUser = { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } };
    const elsewhere: PretendUser = { ...AGENT, agentACDState: 'Unavailable', guest: { ...AGENT.guest!, hostUserId: 'desk-102@example.com' } };
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, leftover);
    d.answerFetch(G, elsewhere);
    d.answerFetch('desk-102@example.com', DESK);
    // Every write of the login is refused: it fails, and the connector crashes before the cleanup runs.
    for (let i = 0; i < 10 && d.pending().length > 0; i++) d.result(d.pending()[0]!.commandId, { status: 400 });
    expect(d.saved()[H]?.owed.map((st) => st.command.userId)).toContain(H);
    const { d: r, outs } = restart(d.saved(), { [H]: leftover, [G]: elsewhere, 'desk-102@example.com': DESK });
    const all = [...outs, ...run(r)];
    expect(puts(all).filter((c) => c.startsWith('PUT CallForwardingAlways desk-101'))).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null']);
  });

  it('a login again over its own owed undo, the desk still forwarded to it and the agent released: it only associates, and keeps the restore plan (crashCounterexamples I2, seed 551686827; test drafted by C3)', () => {
    const c = new StepDriver();
    c.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    c.answerFetch(H, OWN_FORWARD);
    c.answerFetch(G, AGENT);
    const d = new StepDriver({}, { pairings: c.saved() });
    const outs = [
      ...d.request('again', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' }),
      ...d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }), ...d.answerFetch(G, AGENT),
    ];
    outs.push(...run(d));
    outs.push(...d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'in', sequenceNumber: 7, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } }));
    outs.push(...run(d));
    expect(puts(outs)).toEqual(['PUT HotelingGuest agent-001 host=desk-101', 'PUT CallCenter agent-001 Unavailable']);
    expect(d.saved()[H]).toMatchObject({ guest: G, phase: 'seated', restore: { forwardTo: '3001', forwarding: { active: true, forwardToPhoneNumber: '5555' } } });
  });

  it('a claim that keeps an earlier agent\'s leave as owed steps arms the repair: with no cleanup or logout of that agent queued (a failed login\'s record left after its owed steps ran), nothing else would ever run them and the connector never came to rest (explore I6, hostile seed 869099280)', () => {
    const G2 = 'agent-002@example.com';
    const d = new StepDriver();
    // agent-002's failed login left its record here; the steps it carried have run since.
    d.state.pairings[H] = { host: H, guest: G2, phase: 'owed', restore: { forwardTo: '3002', forwarding: { active: false } }, owed: [], rounds: 0 };
    const outs = [
      ...d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' }),
      ...d.answerFetch(H, DESK),
      ...d.answerFetch(G, AGENT),
    ];
    expect(d.state.pairings[H]?.owed.map((st) => st.for)).toContain(G2);
    expect(outs.filter((o) => o.kind === 'timer.set').map((o) => (o as { timerId: string }).timerId)).toContain('repair');
    run(d);
    d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'e1', sequenceNumber: 1, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } });
    run(d);
    // The repair replays agent-002's guarded leave (moot here) and the desk owes nothing more.
    d.fire('repair');
    run(d);
    expect(d.state.pairings[H]?.owed).toEqual([]);
    expect(d.state.pairings[H]?.guest).toBe(G);
  });

  it('while fenced, an event equal to an unanswered PUT of ours (a redelivery from before the crash) does not pass for its echo: a failed PUT is retried, not taken as done', () => {
    const d = new StepDriver({ retryBaseMs: 100, retryMaxMs: 100 }, CRASHED_EMPTY);
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    const fwd = d.pendingOne('PUT CallForwardingAlways', H);
    d.feed({ kind: 'xsp.event', event: { type: 'CallForwardingAlwaysEvent', eventId: 'old', sequenceNumber: 3, subscriptionId: 'old', targetId: H, info: { active: true, forwardToPhoneNumber: '3001' } } });
    d.result(fwd.commandId, { status: 503 });
    const retry = d.fire(`retry:${Object.values(d.state.jobs).find((j) => j.kind === 'request')!.id}`);
    expect(puts(retry)).toEqual(['PUT CallForwardingAlways desk-101 active=true to=3001']);
  });

  it('settling reads a user again even while an earlier read of it is still under way (its answers may predate a late PUT)', () => {
    const d = new StepDriver({}, CRASHED_EMPTY);
    d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    d.fire('restart');
    const second = d.answerFetch(H, DESK);
    expect(commandsIn(second).map((c) => `${c.command.op} ${short(c.command.userId)}`)).toEqual(expect.arrayContaining(['GET CallForwardingAlways desk-101']));
  });

  it('a channel lost and back before the restart has settled replays no owed step blindly: nothing is sent until the settling has read the users', () => {
    const { d: crashed } = loginUntilForwardSent();
    const d = new StepDriver({}, { pairings: crashed.saved() });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    d.feed({ kind: 'xsp.channel', status: 'lost' });
    const back = d.feed({ kind: 'xsp.channel', status: 'up' });
    expect(puts(back)).toEqual([]);
  });

  it('the restart timer firing while the channel is lost again settles nothing: reads made without a channel miss a late PUT of the crashed process, so settling waits a step timeout after the next up (nodes pin I2, seed 1159876357)', () => {
    const { d: crashed } = loginUntilForwardSent();
    const d = new StepDriver({}, { pairings: crashed.saved() });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    d.feed({ kind: 'xsp.channel', status: 'lost' });
    d.now = 4_000;
    const early = d.fire('restart');
    expect(d.state.restart?.settled).toBe(false);
    expect(puts(early)).toEqual([]);
    // Back: the old PUT has landed meanwhile (no channel saw it); the settling reads show it.
    d.now = 9_000;
    d.feed({ kind: 'xsp.channel', status: 'up' });
    d.now = 13_000;
    const outs = [...d.fire('restart'), ...d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }), ...d.answerFetch(G, AGENT), ...run(d)];
    expect(d.state.restart?.settled).toBe(true);
    expect(puts(outs)).toEqual(['PUT CallForwardingAlways desk-101 active=true to=5555']);
    expect(d.state.pairings).toEqual({});
  });

  it('a claimed login whose desk forwarding was changed elsewhere before its forward PUT: after a crash the forward to the agent is still undone (to the change made elsewhere)', () => {
    // explore --faults hostile, seed 4088315800: the change elsewhere dropped the whole restore
    // plan, so the restarted connector had no step for the forward the crashed login made (I2).
    const signedIn: PretendUser = { ...DESK, agentACDState: 'Available', forwarding: { active: true, forwardToPhoneNumber: '2199' } };
    const crashed = new StepDriver();
    crashed.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    crashed.answerFetch(H, signedIn);
    crashed.answerFetch(G, AGENT);
    const signOut = crashed.pendingOne('PUT CallCenter', H);
    crashed.feed({ kind: 'xsp.event', event: { type: 'CallForwardingAlwaysEvent', eventId: 'x1', sequenceNumber: 5, subscriptionId: 's', targetId: H, info: { active: false, forwardToPhoneNumber: '9999' } } });
    crashed.result(signOut.commandId, { status: 200 });
    crashed.pendingOne('PUT CallForwardingAlways', H);
    const { d, outs } = restart(crashed.saved(), { [H]: { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }, [G]: AGENT });
    const all = puts([...outs, ...run(d)]);
    expect(all.filter((p) => p.startsWith('PUT CallForwardingAlways desk-101'))).toEqual(['PUT CallForwardingAlways desk-101 active=false to=9999']);
    expect(d.state.pairings).toEqual({});
  });

  it('a move crashed after the new desk was forwarded and the agent associated there: settling the old desk\'s leave does not cancel the new desk\'s release', () => {
    // pnpm crashtest round 20: the leave at desk-102 finished first and superseded the agent's
    // steps at desk-101 (its release), so only the forward was undone — the agent stayed half seated.
    const H2 = 'desk-102@example.com';
    const saved: SavedPairings = {
      [H2]: { host: H2, guest: G, phase: 'releasing', restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0 },
      [H]: { host: H, guest: G, phase: 'claimed', restore: { forwardTo: '3001', forwarding: { active: false }, agentState: 'Sign-Out' }, owed: [], rounds: 0 },
    };
    const atNewDesk: PretendUser = { ...AGENT, guest: { ...AGENT.guest!, hostUserId: H } };
    const { d, outs } = restart(saved, { [H2]: DESK, [H]: { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }, [G]: atNewDesk });
    const all = puts([...outs, ...run(d)]);
    expect(all).toEqual(['PUT HotelingGuest agent-001 host=null', 'PUT CallForwardingAlways desk-101 active=false to=null']);
    expect(d.state.pairings).toEqual({});
  });

  it('a logout without agentID, before the restart has settled, on a desk whose saved logout was in flight: the agent is read first and logged out — not answered "nobody here"', () => {
    // explore --scenario hoteling, seed 3893449515: the saved `releasing` pairing became owed
    // steps, which the request did not count as the desk's guest; it answered OK while the desk
    // still forwarded to the agent (I9).
    const saved: SavedPairings = { [H]: { host: H, guest: G, phase: 'releasing', restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0 } };
    const seated: PretendUser = { ...AGENT, guest: { ...AGENT.guest!, hostUserId: H } };
    const d = new StepDriver({}, { pairings: saved });
    const outs = [
      ...d.request('out', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff' }),
      ...d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }),
    ];
    expect(outs.some((o) => o.kind === 'csta.response' || o.kind === 'csta.error')).toBe(false);
    outs.push(...d.answerFetch(G, seated), ...run(d));
    expect(puts(outs)).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null', 'PUT HotelingGuest agent-001 host=null']);
  });

  it('a login again where the crashed process had seated the agent (signed in: nothing to send) adopts the pairing: a later release elsewhere restores the desk', () => {
    // explore --faults hostile, seed 3352733817: the login superseded the restart's undo steps and
    // dropped the record, so the desk's forward, made by the crashed login, was nobody's (I2).
    const { d: crashed } = loginUntilForwardSent();
    const seated: PretendUser = { ...AGENT, agentACDState: 'Available', guest: { ...AGENT.guest!, hostUserId: H } };
    const d = new StepDriver({}, { pairings: crashed.saved() });
    const outs = [
      ...d.request('again', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' }),
      ...d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } }), ...d.answerFetch(G, seated),
    ];
    outs.push(...run(d));
    expect(puts(outs)).toEqual([]);
    expect(d.state.pairings[H]).toMatchObject({ guest: G, phase: 'seated', owed: [], restore: { forwardTo: '3001', forwarding: { active: true, forwardToPhoneNumber: '5555' } } });
    d.now = 60_000;
    const left = [
      ...d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'rel', sequenceNumber: 7, subscriptionId: 's', targetId: G, info: { ...AGENT.guest! } } }),
    ];
    left.push(...run(d));
    expect(puts(left)).toContain('PUT CallForwardingAlways desk-101 active=true to=5555');
  });

  it('a login that fails over a saved undo still owed keeps the desk\'s own forwarding on record: a later agent\'s login there does not take the crashed forward for the desk\'s own', () => {
    // explore --faults hostile, seed 3060432229: the failed login dropped the restore plan; the next
    // agent's login recorded the desk's forward to the first agent as the desk's own setting, and
    // its logout put that dangling forward back (I2).
    const { d: crashed } = loginUntilForwardSent();
    const d = new StepDriver({}, { pairings: crashed.saved() });
    d.request('again', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } });
    d.answerFetch(G, AGENT);
    const associate = d.pendingOne('PUT HotelingGuest', G);
    d.result(associate.commandId, { status: 400, body: { kind: 'ErrorInfo', error: { summaryEnglish: 'association refused', errorCode: 110999 } } });
    run(d);
    const G2 = 'agent-002@example.com';
    d.request('other', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-002' });
    d.answerFetch(G2, { ...AGENT, extension: '3002' });
    expect(d.saved()[H]).toMatchObject({ guest: G2, phase: 'claimed', restore: { forwardTo: '3002', forwarding: { active: true, forwardToPhoneNumber: '5555' } } });
  });

  it('a login again where the crashed process had associated the agent but the desk has lost its forward: the login puts the forward back before it adopts the pairing (I3)', () => {
    // invariants.nodes pin, seed 2529279909: the adopted pairing was seated ours with the desk not forwarded.
    const { d: crashed } = loginUntilForwardSent();
    const seated: PretendUser = { ...AGENT, agentACDState: 'Available', guest: { ...AGENT.guest!, hostUserId: H } };
    const d = new StepDriver({}, { pairings: crashed.saved() });
    const outs = [
      ...d.request('again', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' }),
      ...d.answerFetch(H, OWN_FORWARD), ...d.answerFetch(G, seated),
    ];
    outs.push(...run(d));
    expect(puts(outs)).toEqual(['PUT CallForwardingAlways desk-101 active=true to=3001']);
    expect(d.state.pairings[H]).toMatchObject({ guest: G, phase: 'seated', restore: { forwardTo: '3001', forwarding: { active: true, forwardToPhoneNumber: '5555' } } });
  });

  it('a login again of an agent whose saved seated pairing is stale (released elsewhere before the restart settled) that fails still restores the desk: the claim carries the old pairing\'s leave as owed steps (explore I2, hostile seed 3721958622 run 2743399482)', () => {
    const saved: SavedPairings = { [H]: { host: H, guest: G, phase: 'seated', restore: { forwardTo: '3001', forwarding: { active: true, forwardToPhoneNumber: '5555' } }, owed: [], rounds: 0 } };
    const d = new StepDriver({}, { pairings: saved });
    // Released on the portal while the connector was down; the desk still carries our forward.
    const released: PretendUser = { ...AGENT, agentACDState: 'Unavailable' };
    const seatedAgain: PretendUser = { ...released, guest: { ...AGENT.guest!, hostUserId: H } };
    const ourForward: PretendUser = { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } };
    const outs = [
      ...d.request('again', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' }),
      ...d.answerFetch(H, ourForward), ...d.answerFetch(G, released),
    ];
    // The forward holds (skipped); the association is answered 200, but its event never comes.
    outs.push(...d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 }));
    // The restart settles meanwhile, on reads that show the agent seated again: nothing to clean up.
    outs.push(...d.feed({ kind: 'xsp.channel', status: 'up' }), ...d.fire('restart'));
    outs.push(...d.answerFetch(H, ourForward), ...d.answerFetch(G, seatedAgain), ...run(d));
    // The login times out waiting for the event and undoes only what it sent: the association.
    const sagaTimer = [...d.timers.keys()].find((k) => k.startsWith('saga:'));
    expect(sagaTimer).toBeDefined();
    outs.push(...d.fire(sagaTimer!), ...run(d));
    expect(puts(outs)).toContain('PUT HotelingGuest agent-001 host=null');
    // The old pairing is over too (its agent sits nowhere now): its leave is owed, and a repair puts the desk back.
    if (d.timers.has('repair')) outs.push(...d.fire('repair'), ...run(d));
    expect(puts(outs)).toContain('PUT CallForwardingAlways desk-101 active=true to=5555');
    expect(d.saved()[H]).toBeUndefined();
  });

  it('a desk forwarded to the agent\'s own number before its login (the forward skipped) comes back off even when the logout is finished by a restart (explore I9, hostile seed 3666209210 run 715155111)', () => {
    // The desk user had forwarded desk-101 to 3001, agent-001's own extension: the login skips the forward.
    const toAgent: PretendUser = { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } };
    const d = new StepDriver();
    const login = [
      ...d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' }),
      ...d.answerFetch(H, toAgent), ...d.answerFetch(G, AGENT), ...run(d),
    ];
    login.push(...d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'as', sequenceNumber: 7, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } }));
    login.push(...run(d));
    expect(puts(login)).toEqual(['PUT HotelingGuest agent-001 host=desk-101', 'PUT CallCenter agent-001 Unavailable']);
    // The logout signs the agent out, and the connector dies with that PUT on the wire.
    d.request('out', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    expect(describeCommand(d.pendingOne('PUT CallCenter', G).command)).toBe('PUT CallCenter agent-001 Sign-Out');
    const seatedOut: PretendUser = { ...AGENT, agentACDState: 'Sign-Out', guest: { ...AGENT.guest!, hostUserId: H } };
    const { d: r, outs } = restart(d.saved(), { [H]: toAgent, [G]: seatedOut });
    const all = [...outs, ...run(r)];
    // As a logout without the crash would: the forward to the agent who left is turned off (I2).
    expect(puts(all)).toContain('PUT CallForwardingAlways desk-101 active=false to=null');
  });

  it('a logout before the restart has settled keeps the restart\'s guarded restore of the desk: the crashed login\'s forward may land after the reads the logout went by (explore I2, hostile seed 3472276061)', () => {
    // agent-001 already sits at desk-101 (signed out); a login there forwards the desk and the process dies with that PUT on the wire.
    const seatedOut: PretendUser = { ...AGENT, guest: { ...AGENT.guest!, hostUserId: H } };
    const c = new StepDriver();
    c.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    c.answerFetch(H, OWN_FORWARD);
    c.answerFetch(G, seatedOut);
    expect(describeCommand(c.pendingOne('PUT CallForwardingAlways', H).command)).toBe('PUT CallForwardingAlways desk-101 active=true to=3001');
    const d = new StepDriver({}, { pairings: c.saved() });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    // Before the restart settles, the desk is logged off; the crashed forward has not landed yet.
    const outs = [...d.request('out', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff' })];
    outs.push(...d.answerFetch(H, OWN_FORWARD), ...d.answerFetch(G, seatedOut), ...run(d));
    expect(puts(outs)).toEqual(['PUT HotelingGuest agent-001 host=null']);
    // Now it lands; the restart settles on reads made after it, and the desk gets its own forward back.
    const landed: PretendUser = { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } };
    const later = [...d.fire('restart')];
    later.push(...d.answerFetch(H, landed), ...d.answerFetch(G, AGENT), ...run(d));
    if (d.timers.has('repair')) later.push(...d.fire('repair'), ...run(d));
    expect(puts(later)).toContain('PUT CallForwardingAlways desk-101 active=true to=5555');
  });

  it('a start with an empty store is no restart: no redelivery fence, nothing to settle', () => {
    const d = new StepDriver({}, { pairings: {} });
    expect(d.state.restart).toBeUndefined();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    expect([...d.timers.keys()]).not.toContain('restart');
    expect(new StepDriver({}, CRASHED_EMPTY).state.restart).toEqual({ fence: 'pending', settled: false });
  });
});

