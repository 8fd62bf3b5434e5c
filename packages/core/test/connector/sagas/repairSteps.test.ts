/**
 * RepairSteps with an XSP that does not answer (issue 15, I11: every XSP partitioned away for
 * hours). DESIGN §4.4/§4.5: owed work is retried with backoff, and what still fails raises an
 * alarm and waits for the next resync or tick — a repair job ends by its deadline (jobs.ts J4–J5:
 * the response deadline, +15 s; no retry after it), it does not hold its users while nothing
 * answers. A step left unanswered ends the round: it and every step after it stay owed, in order
 * (a release must not overtake the restore of the desk's forwarding).
 */
import { describe, expect, it } from 'vitest';
import type { Output } from '../../../src/connector/io.js';
import type { XsiCommand } from '../../../src/index.js';
import { AGENT, answersIn, commandsIn, DESK, StepDriver } from '../support/stepDriver.js';
import { describeCommand } from '../support/world.js';

const H = 'desk-101@example.com';
const G = 'agent-001@example.com';
const puts = (outs: Output[]) => commandsIn(outs).map((c) => describeCommand(c.command)).filter((c) => c.startsWith('PUT'));

/** Play the XSP: PUTs matching `silent` are never answered (their step timers fire), the rest 200; retries fired. */
function run(d: StepDriver, silent: (c: XsiCommand) => boolean = () => false): Output[] {
  const outs: Output[] = [];
  for (let i = 0; i < 200; i++) {
    const p = d.pending()[0];
    if (p) {
      outs.push(...(silent(p.command) ? d.fire(`cmd:${p.commandId}`) : d.result(p.commandId, { status: 200 })));
      if (!silent(p.command) && p.command.op === 'PUT HotelingGuest' && p.command.body.hostUserId !== null) {
        outs.push(...d.feed({ kind: 'xsp.event', event: { type: 'HotelingGuestEvent', eventId: `e${i}`, sequenceNumber: i, subscriptionId: 's', targetId: G, info: { ...AGENT.guest!, hostUserId: H } } }));
      }
      continue;
    }
    const retry = [...d.timers.keys()].find((k) => k.startsWith('retry:'));
    if (!retry) break;
    outs.push(...d.fire(retry));
  }
  return outs;
}

/** agent-001 logged in at desk-101; then every XSP stops answering while its logout restores the desk's forwarding. */
function logoutStalledByASilentXsp(): StepDriver {
  const d = new StepDriver();
  d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
  d.answerFetch(H, DESK);
  d.answerFetch(G, AGENT);
  expect(answersIn(run(d)).map((a) => a.kind)).toEqual(['csta.response']);
  d.request('out', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
  run(d, (c) => c.op !== 'PUT CallCenter');
  expect(d.state.repairs.map((r) => r.steps.map((s) => s.step))).toEqual([['restoreForwarding', 'release']]);
  return d;
}

describe('repair work while nothing answers', () => {
  it('a round ends by the job\'s deadline at its first unanswered step: nothing after it is sent, everything stays owed, in order', () => {
    const d = logoutStalledByASilentXsp();
    const tick = d.timers.get('repair')!;
    const outs = [...d.fire('repair'), ...run(d, () => true)];
    expect(new Set(puts(outs))).toEqual(new Set(['PUT CallForwardingAlways desk-101 active=false to=null']));
    expect(Object.values(d.state.jobs).filter((j) => j.kind === 'repair')).toEqual([]);
    expect(d.now - tick).toBeLessThanOrEqual(10_000 + 5_000 + 5_000); // the response deadline, then one step timeout
    expect(d.state.repairs.map((r) => r.steps.map((s) => s.step))).toEqual([['restoreForwarding', 'release']]);
    expect(outs.filter((o) => o.kind === 'alarm').map((o) => o.kind === 'alarm' && o.code)).toEqual(['repair-failed']);
  });

  it('once the XSP answers again, the next round does the owed steps in order', () => {
    const d = logoutStalledByASilentXsp();
    d.fire('repair');
    run(d, () => true);
    const outs = [...d.fire('repair'), ...run(d)];
    expect(puts(outs)).toEqual(['PUT CallForwardingAlways desk-101 active=false to=null', 'PUT HotelingGuest agent-001 host=null']);
    expect(d.state.repairs).toEqual([]);
  });
});
