/**
 * The verifier's queries (queries.ts): what the explorer, the oracle and the virtual world learn
 * about a connector, asked of `step`-driven state — users as held, open monitors, live jobs, the
 * associations it stands behind, work still owed, its timeouts.
 */
import { describe, expect, it } from 'vitest';
import {
  channelStatus, defaultDomain, heldUsers, isHeld, liveJobs, openMonitors, ourAssociations, owesWork, timeouts, type Pairing,
} from '../../src/index.js';
import { AGENT, monitoredDesk, StepDriver } from './support/stepDriver.js';

const H = 'desk-101@example.com';
const G = 'agent-001@example.com';

function pairing(phase: Pairing['phase'], owed: Pairing['owed'] = []): Pairing {
  return { host: H, guest: G, phase, restore: { forwardTo: '3001', forwarding: { active: false } }, owed, rounds: 0 };
}

describe('queries', () => {
  it('heldUsers: each user as read, with every name a forward to it may take; isHeld', () => {
    const d = monitoredDesk();
    expect(heldUsers(d.state)).toEqual([
      { userId: H, known: true, agentState: 'Sign-Out', forwarding: { active: false }, guest: undefined, names: ['2101', H] },
    ]);
    expect(isHeld(d.state, H)).toBe(true);
    expect(isHeld(d.state, G)).toBe(false);
  });

  it('heldUsers: a user still being read is held but not known', () => {
    const d = monitoredDesk();
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    expect(heldUsers(d.state).find((u) => u.userId === G)).toMatchObject({ known: false, names: [G] });
    d.answerFetch(G, AGENT);
    expect(heldUsers(d.state).find((u) => u.userId === G)).toMatchObject({ known: true, guest: { hostUserId: undefined }, names: ['3001', G] });
  });

  it('openMonitors: the client link, device as named, and the user it watches', () => {
    const d = monitoredDesk();
    expect(openMonitors(d.state)).toEqual([{ crossRefId: expect.any(String), link: 'L1', device: 'desk-101', userId: H }]);
  });

  it('liveJobs: a login under way is a request job with a client and its saga kind', () => {
    const d = monitoredDesk();
    d.now = 40;
    d.request('in', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(G, AGENT);
    expect(liveJobs(d.state)).toEqual([{ id: expect.any(String), kind: 'request', arrivedAt: 40, hasClient: true, sagaKind: 'login' }]);
    expect(liveJobs(new StepDriver().state)).toEqual([]);
  });

  it('ourAssociations and owesWork follow the pairings: seated is ours and owes nothing; owed steps are work', () => {
    const seated = new StepDriver({}, { pairings: { [H]: pairing('seated') } });
    expect(ourAssociations(seated.state)).toEqual({ [H]: G });
    expect(owesWork(seated.state)).toBe(false);
    const step = { step: 'undo.forwardHost', command: { op: 'PUT CallForwardingAlways', userId: H, body: { active: false } } } as unknown as Pairing['owed'][number];
    const owed = new StepDriver({}, { pairings: { [H]: pairing('owed', [step]) } });
    expect(ourAssociations(owed.state)).toEqual({});
    expect(owesWork(owed.state)).toBe(true);
  });

  it('channelStatus: down until the first channel, up, lost', () => {
    const d = new StepDriver();
    expect(channelStatus(d.state)).toBe('down');
    d.feed({ kind: 'xsp.channel', status: 'up' });
    expect(channelStatus(d.state)).toBe('up');
    d.feed({ kind: 'xsp.channel', status: 'lost' });
    expect(channelStatus(d.state)).toBe('lost');
  });

  it('timeouts and defaultDomain come from the configuration', () => {
    const s = new StepDriver({ sagaTimeoutMs: 9000, stepTimeoutMs: 1500 }).state;
    expect(timeouts(s)).toEqual({ sagaTimeoutMs: 9000, stepTimeoutMs: 1500 });
    expect(defaultDomain(s)).toBe('example.com');
  });
});
