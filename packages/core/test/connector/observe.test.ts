/**
 * DESIGN §4.6 Changes made elsewhere: associations created or ended outside the connector
 * (portal, host force-release, association-limit expiry), forwarding and agent-state changes
 * we did not cause — reported from the XSP's events, our side of a termination finished.
 */
import { describe, expect, it } from 'vitest';
import { ask, commandsSince, directoryWith, eventsSince, login, mark, monitor, newWorld, outcomeOf, view } from './support/world.js';

describe('§4.6 changes made elsewhere', () => {
  it('an association created elsewhere is reported on the host\'s monitors; nothing is sent', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-103');
    monitor(w, 'agent-003');
    w.external({ kind: 'phoneSetAgentState', userId: 'agent-003@example.com', state: 'Available' });
    w.runUntilQuiet();
    const m = mark(w);
    w.external({ kind: 'portalAssociate', guestUserId: 'agent-003@example.com', hostUserId: 'desk-103@example.com' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOnEvent desk-103 agent-003', 'AgentReadyEvent desk-103 agent-003']);
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
    // GetAgentState on the desk names the guest now.
    const g = ask(w, { service: 'GetAgentState', device: 'desk-103' });
    expect(g.kind === 'response' && g.response.service === 'GetAgentStateResponse' && g.response.agentStateList[0]).toEqual({
      agentID: 'agent-003', loggedOnState: true, agentInfo: [{ agentState: 'agentReady' }],
    });
  });

  // Xsi has no host-side event package: this works through the connector's group subscription
  // to Hoteling Guest (config.groupEvents, on in the test world).
  it('an association created elsewhere with a guest the connector never read is reported on the host\'s monitors', () => {
    // DESIGN §4.6: "Association created elsewhere: report it on H's monitors".
    const w = newWorld();
    const id = monitor(w, 'desk-103');
    w.external({ kind: 'phoneSetAgentState', userId: 'agent-003@example.com', state: 'Available' });
    w.external({ kind: 'portalAssociate', guestUserId: 'agent-003@example.com', hostUserId: 'desk-103@example.com' });
    const m = mark(w);
    w.runUntilQuiet();
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOnEvent desk-103 agent-003', 'AgentReadyEvent desk-103 agent-003']);
  });

  it('our association released through the portal: guest signed out, forwarding restored, AgentLoggedOffEvent', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    ask(w, login('desk-101', 'agent-001'));
    const m = mark(w);
    w.external({ kind: 'portalRelease', guestUserId: 'agent-001@example.com' });
    w.runUntilQuiet();
    expect(commandsSince(w, m, { putsOnly: true })).toEqual(['PUT CallCenter agent-001 Sign-Out', 'PUT CallForwardingAlways desk-101 active=false to=null']);
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOffEvent desk-101 agent-001', 'ForwardingEvent desk-101 false']);
    expect(view(w, 'agent-001').agentACDState).toBe('Sign-Out');
    expect(view(w, 'desk-101').forwarding?.active).toBe(false);
    expect(w.connector.ours).toEqual({});
  });

  it('host force-release of our guest: the same termination side effects', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-102');
    ask(w, login('desk-102', 'agent-002'));
    const m = mark(w);
    w.external({ kind: 'hostForceRelease', hostUserId: 'desk-102@example.com' });
    w.runUntilQuiet();
    expect(commandsSince(w, m, { putsOnly: true })).toEqual(['PUT CallCenter agent-002 Sign-Out', 'PUT CallForwardingAlways desk-102 active=false to=null']);
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOffEvent desk-102 agent-002', 'ForwardingEvent desk-102 false']);
  });

  it('association-limit expiry (1 h) ends our association: the connector finishes the termination', () => {
    const w = newWorld({ directory: directoryWith((u) => { u.get('agent-006')!.hotelingGuest = { active: true, enableAssociationLimit: true, associationLimitHours: 1 }; }) });
    const id = monitor(w, 'desk-106');
    ask(w, login('desk-106', 'agent-006'));
    expect(view(w, 'agent-006').hotelingGuest?.hostUserId).toBe('desk-106@example.com');
    const m = mark(w);
    w.runUntil(w.now + 3_600_000 + 1_000);
    w.runUntilQuiet();
    expect(view(w, 'agent-006').hotelingGuest?.hostUserId).toBeUndefined();
    expect(view(w, 'agent-006').agentACDState).toBe('Sign-Out');
    expect(view(w, 'desk-106').forwarding?.active).toBe(false);
    expect(eventsSince(w, m, id)).toEqual(['AgentLoggedOffEvent desk-106 agent-006', 'ForwardingEvent desk-106 false']);
  });

  it('a forwarding change elsewhere → ForwardingEvent; the restore plan is forgotten (a later release keeps it)', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    ask(w, login('desk-101', 'agent-001'));
    expect(w.connector.restore['desk-101@example.com']).toBeDefined();
    let m = mark(w);
    w.external({ kind: 'setForwarding', userId: 'desk-101@example.com', active: true, forwardToPhoneNumber: '2999' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, id)).toEqual(['ForwardingEvent desk-101 true 2999']);
    expect(w.connector.restore['desk-101@example.com']).toBeUndefined();
    m = mark(w);
    w.external({ kind: 'portalRelease', guestUserId: 'agent-001@example.com' });
    w.runUntilQuiet();
    expect(commandsSince(w, m, { putsOnly: true })).toEqual(['PUT CallCenter agent-001 Sign-Out']);
    expect(view(w, 'desk-101').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '2999' });
  });

  it('an agent-state change of the guest made on the phone is reported on the desk', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    ask(w, login('desk-101', 'agent-001'));
    const m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'agent-001@example.com', state: 'Available' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, id)).toEqual(['AgentReadyEvent desk-101 agent-001']);
    expect(commandsSince(w, m, { putsOnly: true })).toEqual([]);
    expect(outcomeOf(ask(w, { service: 'GetAgentState', device: 'desk-101' }))).toBe('response:GetAgentStateResponse');
  });
});
