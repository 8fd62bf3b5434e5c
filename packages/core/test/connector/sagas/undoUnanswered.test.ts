/**
 * HotelingLogin R4 with an XSP that does not answer (issue 15, I7): a failed login's undo keeps
 * DESIGN §4.4's order — release the association, then restore the desk's forwarding, then the
 * desk's own agent — even when an undo step cannot be done now. An undo the XSP refuses (a 4xx)
 * is owed and compensation goes on (hotelingLogin.test.ts); one the XSP leaves unanswered ends
 * compensation there: it and every undo after it are owed, in order, for the repair after the
 * next resync. Restoring the forwarding while the association may still hold would leave an agent
 * seated at a desk that no longer rings it (and break I7's reverse order).
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../../src/connector/io.js';
import { AGENT, commandsIn, DESK, errorOf, StepDriver } from '../support/stepDriver.js';
import { describeCommand } from '../support/world.js';

const H = 'desk-101@example.com';
const G = 'agent-001@example.com';
const puts = (outs: Output[]) => commandsIn(outs).map((c) => describeCommand(c.command)).filter((c) => c.startsWith('PUT'));
const jobId = (d: StepDriver) => Object.keys(d.state.jobs).find((j) => d.state.jobs[j]!.kind === 'request')!;

/** Every PUT the XSP is sent from now on goes unanswered (connection reset), retries included. */
function failEveryPut(d: StepDriver): void {
  for (let i = 0; i < 50 && d.pending().some((p) => p.command.op.startsWith('PUT')); i++) {
    const p = d.pending().find((x) => x.command.op.startsWith('PUT'))!;
    d.result(p.commandId, { transportError: 'connection reset' });
    const retry = `retry:${jobId(d)}`;
    if (d.timers.has(retry)) d.fire(retry);
  }
}

/** A login whose association PUT was applied (200) but whose echo never came: the saga times out and releases. */
function loginTimedOutAfterAssociating(): { d: StepDriver; outs: Output[] } {
  const d = new StepDriver();
  d.feed({ kind: 'xsp.channel', status: 'up' });
  d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
  d.answerFetch(H, DESK);
  d.answerFetch(G, AGENT);
  d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
  d.result(d.pendingOne('PUT HotelingGuest', G).commandId, { status: 200 });
  // Every XSP goes away: the association's event is lost with the channel.
  d.feed({ kind: 'xsp.channel', status: 'lost' });
  const outs = d.fire(`saga:${jobId(d)}`);
  return { d, outs };
}

describe('R4: an undo the XSP leaves unanswered keeps the undo order', () => {
  it('the release goes unanswered until the deadline: the forwarding is not restored behind it; both are owed, release first', () => {
    const { d, outs } = loginTimedOutAfterAssociating();
    const sent = puts(outs);
    expect(sent).toEqual(['PUT HotelingGuest agent-001 host=null']);
    // Unanswered on every attempt, until past the response deadline (+15 s) and the job ends.
    for (let i = 0; i < 50 && d.pending().some((p) => p.command.op.startsWith('PUT')); i++) {
      const p = d.pending().find((x) => x.command.op.startsWith('PUT'))!;
      sent.push(...puts(d.result(p.commandId, { transportError: 'connection reset: XSP node 0 is down' })));
      const retry = `retry:${jobId(d)}`;
      if (d.timers.has(retry)) sent.push(...puts(d.fire(retry)));
    }
    expect(new Set(sent)).toEqual(new Set(['PUT HotelingGuest agent-001 host=null']));
    expect(errorOf(d.log, '1')).toBe('systemResourceAvailibility/networkOutOfService');
    expect(d.state.repairs.map((r) => r.steps.map((s) => s.step))).toEqual([['undo.associate', 'undo.forwardHost']]);
    expect(d.log.filter((o) => o.kind === 'alarm').map((o) => o.kind === 'alarm' && o.message)).toEqual([
      `undo.associate, undo.forwardHost could not be done for ${G} at ${H}; retried after the next resync`,
    ]);
  });

  it('after the resync the repair releases first, then restores the forwarding', () => {
    const { d } = loginTimedOutAfterAssociating();
    failEveryPut(d);
    const after: string[] = puts(d.feed({ kind: 'xsp.channel', status: 'up' }));
    // The re-reads show what the XSP holds: associated, forwarded to the agent (a PUT pending for
    // the user is answered 200 with them).
    after.push(...puts(d.answerFetch(H, { ...DESK, forwarding: { active: true, forwardToPhoneNumber: '3001' } })));
    after.push(...puts(d.answerFetch(G, { ...AGENT, guest: { ...AGENT.guest!, hostUserId: H } })));
    for (let i = 0; i < 5; i++) {
      const p = d.pending().find((x) => x.command.op.startsWith('PUT'));
      if (!p) break;
      after.push(...puts(d.result(p.commandId, { status: 200 })));
    }
    expect(after).toEqual(['PUT HotelingGuest agent-001 host=null', 'PUT CallForwardingAlways desk-101 active=false to=null']);
    expect(d.state.repairs).toEqual([]);
  });

  it('the owed release is not replayed once the agent is seen at another desk: that association is not ours (§4.6); the desk\'s forward still is', () => {
    const { d } = loginTimedOutAfterAssociating();
    failEveryPut(d);
    // Later the portal seats the agent at desk-102 (the event gets through, our echo windows closed).
    d.now += 6_000;
    d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: 'p1', sequenceNumber: 9, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: 'desk-102@example.com' } } });
    const outs = d.fire('repair');
    for (let i = 0; i < 5; i++) {
      const p = d.pending().find((x) => x.command.op.startsWith('PUT'));
      if (!p) break;
      outs.push(...d.result(p.commandId, { status: 200 }));
    }
    expect(puts(outs)).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null']);
    expect(d.state.repairs).toEqual([]);
  });
});
