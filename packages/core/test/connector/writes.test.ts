/**
 * The write ledger (writes.ts) and a PUT of ours that lands late (issue 15, I2): an XSP slower
 * than the step deadline may apply a timed-out PUT after the newer writes that followed it. Its
 * event is the late echo of our own lost write — not someone else's change to respect — and it
 * contradicts what we wrote and saw answered since: the connector puts its newer write back.
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/connector/io.js';
import type { XsiCommand, XsiEvent, XsiOutcome } from '../../src/index.js';
import { AGENT, answersIn, commandsIn, DESK, StepDriver } from './support/stepDriver.js';
import { describeCommand } from './support/world.js';

const H = 'desk-101@example.com';
const G = 'agent-001@example.com';
const puts = (outs: Output[]) => commandsIn(outs).map((c) => describeCommand(c.command)).filter((c) => c.startsWith('PUT'));

let eventNo = 0;
type Stamp = 'eventId' | 'sequenceNumber' | 'subscriptionId';
/** An event without its stamps (a distributive Omit: each event type keeps its own fields). */
type Unstamped = XsiEvent extends infer E ? (E extends XsiEvent ? Omit<E, Stamp> : never) : never;
function event(d: StepDriver, e: Unstamped): Output[] {
  eventNo++;
  return d.feed({ kind: 'xsp.event', event: { ...e, eventId: `w${eventNo}`, sequenceNumber: eventNo, subscriptionId: 's' } as XsiEvent });
}

/** The XSP's echo of a write answered 200. */
function echo(d: StepDriver, c: XsiCommand): Output[] {
  switch (c.op) {
    case 'PUT CallForwardingAlways':
      return event(d, { type: 'CallForwardingAlwaysEvent', targetId: c.userId, info: c.body.active ? { active: true, forwardToPhoneNumber: `tel:${c.body.forwardToPhoneNumber}` } : { active: false } });
    case 'PUT HotelingGuest':
      return event(d, { type: 'HotelingGuestEvent', targetId: c.userId, info: { ...AGENT.guest!, ...(c.body.hostUserId === null ? {} : { hostUserId: c.body.hostUserId }) } });
    case 'PUT CallCenter':
      return event(d, { type: 'AgentStateEvent', targetId: c.userId, state: c.body.agentACDState });
    default:
      return [];
  }
}

/** Play the XSP until nothing is on the wire: each PUT answered `outcome` (200 by default) and, if 200, echoed. */
function run(d: StepDriver, outcome: (c: XsiCommand) => XsiOutcome | undefined = () => undefined): Output[] {
  const outs: Output[] = [];
  for (let i = 0; i < 50; i++) {
    const p = d.pending()[0];
    if (!p) {
      const retry = [...d.timers.keys()].find((k) => k.startsWith('retry:'));
      if (!retry) break;
      outs.push(...d.fire(retry));
      continue;
    }
    const o = outcome(p.command) ?? { status: 200 };
    outs.push(...d.result(p.commandId, o));
    if ('status' in o && o.status === 200) outs.push(...echo(d, p.command));
  }
  return outs;
}

/** SetForwarding desk-101 → 9999 whose first PUT went unanswered; its retry was answered. */
function forwardedAfterALostTry(): StepDriver {
  const d = new StepDriver();
  d.feed({ kind: 'xsp.channel', status: 'up' });
  d.request('1', { service: 'SetForwarding', device: 'desk-101', forwardingType: 'forwardImmediate', activateForward: true, forwardDN: '9999' });
  d.answerFetch(H, DESK);
  let lost = true;
  run(d, (c) => (c.op === 'PUT CallForwardingAlways' && lost ? ((lost = false), { transportError: 'ECONNRESET' }) : undefined));
  return d;
}

describe('a lost PUT of ours that lands late', () => {
  it('a login\'s timed-out forward of the desk, applied after the logout restored it, is put back (no dangling forward, I2)', () => {
    const d = new StepDriver();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    // Step 2's first attempt is not answered within the step timeout (a slow XSP): it may land later.
    let lost = true;
    const outs = run(d, (c) => (c.op === 'PUT CallForwardingAlways' && lost ? ((lost = false), { transportError: 'timeout: no answer within the step timeout' }) : undefined));
    expect(answersIn(outs).map((a) => a.kind)).toEqual(['csta.response']);
    const logout = [...d.request('out', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' }), ...run(d)];
    expect(puts(logout)).toEqual(['PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null', 'PUT HotelingGuest agent-001 host=null']);
    // Now the slow XSP applies the lost forward: the desk forwards to an agent that sits nowhere.
    d.now += 600;
    const late = event(d, { type: 'CallForwardingAlwaysEvent', targetId: H, info: { active: true, forwardToPhoneNumber: 'tel:3001' } });
    expect(puts(late)).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null']);
    run(d);
    expect(d.state.users[H]!.forwarding).toEqual({ active: false });
  });

  it('a failed login\'s unanswered association, applied after the undo released, is released again', () => {
    const d = new StepDriver();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    // Every attempt at step 3 goes unanswered; the undo (release, then the forward) gets through.
    const outs = run(d, (c) => (c.op === 'PUT HotelingGuest' && c.body.hostUserId !== null ? { transportError: 'ECONNRESET' } : undefined));
    expect(answersIn(outs).map((a) => a.kind)).toEqual(['csta.error']);
    d.now += 600;
    const late = event(d, { type: 'HotelingGuestEvent', targetId: G, info: { ...AGENT.guest!, hostUserId: H } });
    expect(puts(late)).toEqual(['PUT HotelingGuest agent-001 host=null']);
    run(d);
    expect(d.state.users[G]!.guest?.hostUserId).toBeUndefined();
  });

  it('a release of ours landing late over our newer association is left to the cleanup of a release made elsewhere (§4.6)', () => {
    const d = new StepDriver();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    d.answerFetch(G, AGENT);
    run(d);
    d.request('out', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    let lost = true;
    run(d, (c) => (c.op === 'PUT HotelingGuest' && lost ? ((lost = false), { transportError: 'ECONNRESET' }) : undefined));
    run(d, () => undefined);
    d.request('in2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    run(d);
    d.now += 600;
    const late = [...event(d, { type: 'HotelingGuestEvent', targetId: G, info: { ...AGENT.guest!} }), ...run(d)];
    // Not seated again: the agent is signed out and the desk's forward restored, as after any release.
    expect(puts(late)).toEqual(['PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null']);
  });

  it('a newer write of ours that went unanswered but showed applied is not undone by an older lost write\'s value seen again', () => {
    const d = new StepDriver();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    const setForwarding = (id: string, on: boolean) => d.request(id, { service: 'SetForwarding', device: 'desk-101', forwardingType: 'forwardImmediate', activateForward: on, forwardDN: '9999' });
    setForwarding('1', true);
    d.answerFetch(H, DESK);
    run(d);
    // Off, first attempt lost (never applied), the retry answered; then on again, answered.
    setForwarding('2', false);
    let lost = true;
    run(d, (c) => (lost ? ((lost = false), { transportError: 'ECONNRESET' }) : undefined));
    setForwarding('3', true);
    run(d);
    // Off once more: applied (its event comes) but its answer is lost with its node.
    setForwarding('4', false);
    const p = d.pendingOne('PUT CallForwardingAlways', H);
    event(d, { type: 'CallForwardingAlwaysEvent', targetId: H, info: { active: false } });
    d.result(p.commandId, { transportError: 'connection reset: XSP node 0 is down' });
    run(d, () => ({ transportError: 'connection reset: XSP node 0 is down' })); // its retries too
    // A resync's read shows "off" (the echo windows closed): our newest write, not the first lost
    // one landing over "on".
    d.now += 10_000;
    const seen = event(d, { type: 'CallForwardingAlwaysEvent', targetId: H, info: { active: false } });
    expect(puts(seen)).toEqual([]);
  });

  it('a late echo that agrees with our newest answered write changes nothing', () => {
    const d = forwardedAfterALostTry();
    d.now += 600;
    const late = event(d, { type: 'CallForwardingAlwaysEvent', targetId: H, info: { active: true, forwardToPhoneNumber: 'tel:9999' } });
    expect(puts(late)).toEqual([]);
  });

  it('a change made elsewhere that matches no lost write of ours is respected', () => {
    const d = forwardedAfterALostTry();
    d.request('2', { service: 'SetForwarding', device: 'desk-101', forwardingType: 'forwardImmediate', activateForward: false });
    run(d);
    d.now += 600;
    const other = event(d, { type: 'CallForwardingAlwaysEvent', targetId: H, info: { active: true, forwardToPhoneNumber: 'tel:5555' } });
    expect(puts(other)).toEqual([]);
    expect(d.state.users[H]!.forwarding).toEqual({ active: true, forwardToPhoneNumber: '5555' });
  });
});

describe('an event taken for the echo of a write the XSP then refuses', () => {
  it('was no echo of ours: the service is uncertain, so the retry is sent, not skipped on that event (explore --world wire I7, hostile seed 2678819726)', () => {
    const d = new StepDriver();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    // The desk's own agent is made ready; that PUT is answered but its event is still on its way.
    d.request('ready', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
    d.answerFetch(H, DESK);
    d.result(d.pendingOne('PUT CallCenter', H).commandId, { status: 200 });
    // A login there signs the desk's agent out first.
    d.request('login', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(G, AGENT);
    const signOut = d.pendingOne('PUT CallCenter', H);
    expect(describeCommand(signOut.command)).toBe('PUT CallCenter desk-101 Sign-Out');
    // A late subscription event from before both writes shows Sign-Out — the value of the pending sign-out.
    event(d, { type: 'AgentSubscriptionEvent', targetId: H, state: 'Sign-Out' } as Unstamped);
    // The XSP refuses the sign-out (503): the event above was no echo of it.
    const outs = d.result(signOut.commandId, { status: 503 });
    const retry = [...d.timers.keys()].find((k) => k.startsWith('retry:'));
    expect(retry).toBeDefined();
    outs.push(...d.fire(retry!));
    expect(puts(outs)).toEqual(['PUT CallCenter desk-101 Sign-Out']);
  });
});

describe('a re-assertion queued behind a newer intent of ours', () => {
  it('is dropped when that newer step needed no PUT: a logout whose restore was skipped (the desk already off) is not followed by our old forward put back (explore I2, hostile seed 2322028682)', () => {
    const d = new StepDriver();
    d.feed({ kind: 'xsp.channel', status: 'up' });
    // Turning desk-101's own forward (to 5555) off: every attempt goes unanswered (each may still land).
    d.request('off', { service: 'SetForwarding', device: 'desk-101', forwardingType: 'forwardImmediate', activateForward: false });
    d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '5555' } });
    run(d, (c) => (c.op === 'PUT CallForwardingAlways' ? { transportError: 'ECONNRESET' } : undefined));
    // A login forwards the desk to agent-001 (answered: our newest write there) and gets through.
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(G, AGENT);
    const login = run(d);
    expect(answersIn(login).map((a) => a.kind)).toContain('csta.response');
    // The logout starts; then the slow XSP applies one of the old "off" PUTs: a late landing over our
    // forward, so a re-assertion of the forward queues behind the logout.
    d.now += 6_000;
    d.request('out', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    event(d, { type: 'CallForwardingAlwaysEvent', targetId: H, info: { active: false } });
    expect(Object.values(d.state.jobs).map((j) => j.kind)).toContain('reassert');
    // The logout's restore finds the desk off (skipped): the agent leaves, the forward must stay off.
    const after = run(d);
    expect(puts(after)).not.toContain('PUT CallForwardingAlways desk-101 active=true to=3001');
    expect(d.state.users[H]!.forwarding).toEqual({ active: false });
  });
});
