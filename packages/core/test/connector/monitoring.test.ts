/**
 * DESIGN §4.1 Monitoring, against the simulator: MonitorStart reads the user first and answers a
 * fresh monitorCrossRefID; several monitors per device; MonitorStop removes one; events name the
 * device the way the client did.
 */
import { describe, expect, it } from 'vitest';
import { ask, commandsSince, eventsSince, LINK, mark, monitor, newWorld, outcomeOf } from './support/world.js';

describe('§4.1 monitoring', () => {
  it('MonitorStart reads and subscribes the user, then answers a fresh monitorCrossRefID', () => {
    const w = newWorld();
    const m = mark(w);
    const a = ask(w, { service: 'MonitorStart', monitorObject: 'desk-101' });
    expect(commandsSince(w, m)).toEqual([
      'GET profile desk-101', 'SUBSCRIBE desk-101', 'GET CallCenter desk-101', 'GET CallForwardingAlways desk-101', 'GET HotelingGuest desk-101',
    ]);
    // The answer comes after every read was answered.
    const lastRead = w.commands.at(-1)!.at;
    expect(a.at).toBeGreaterThan(lastRead);
    expect(outcomeOf(a)).toBe('response:MonitorStartResponse');
    const b = ask(w, { service: 'MonitorStart', monitorObject: 'desk-101' });
    if (a.kind !== 'response' || b.kind !== 'response') throw new Error('expected responses');
    expect(a.response).not.toEqual(b.response);
  });

  it('a second MonitorStart on a known device sends nothing to the XSP', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    const m = mark(w);
    monitor(w, 'desk-101@example.com');
    expect(commandsSince(w, m)).toEqual([]);
  });

  it('several monitors per device each get the events; MonitorStop removes exactly one', () => {
    const w = newWorld();
    const m1 = monitor(w, 'desk-101');
    const m2 = monitor(w, 'desk-101');
    let m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: 'Available' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, m1)).toEqual(['AgentLoggedOnEvent desk-101 desk-101', 'AgentReadyEvent desk-101 desk-101']);
    expect(eventsSince(w, m, m2)).toEqual(eventsSince(w, m, m1));

    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: m1 }))).toBe('response:MonitorStopResponse');
    m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: 'Wrap-Up' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, m1)).toEqual([]);
    expect(eventsSince(w, m, m2)).toEqual(['AgentWorkingAfterCallEvent desk-101 desk-101']);
  });

  it('MonitorStop of an unknown id, of an id already stopped, or of another link → invalidMonitorCrossRefID', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: '999' }))).toBe('error:operation/invalidMonitorCrossRefID');
    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: id }, 'other-link'))).toBe('error:operation/invalidMonitorCrossRefID');
    expect(outcomeOf(ask(w, { service: 'MonitorStop' }))).toBe('error:operation/invalidMonitorCrossRefID');
    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: id }))).toBe('response:MonitorStopResponse');
    expect(outcomeOf(ask(w, { service: 'MonitorStop', monitorCrossRefID: id }))).toBe('error:operation/invalidMonitorCrossRefID');
  });

  it('events name the device as the client gave it: bare user, full id, extension once known', () => {
    const w = newWorld();
    const bare = monitor(w, 'desk-101');
    const full = monitor(w, 'desk-101@example.com');
    const ext = monitor(w, '2101'); // known from desk-101's profile now
    const m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: 'Available' });
    w.runUntilQuiet();
    expect(eventsSince(w, m, bare)).toEqual(['AgentLoggedOnEvent desk-101 desk-101', 'AgentReadyEvent desk-101 desk-101']);
    expect(eventsSince(w, m, full)).toEqual(['AgentLoggedOnEvent desk-101@example.com desk-101', 'AgentReadyEvent desk-101@example.com desk-101']);
    expect(eventsSince(w, m, ext)).toEqual(['AgentLoggedOnEvent 2101 desk-101', 'AgentReadyEvent 2101 desk-101']);
    expect(w.events.slice(m.events).every((e) => e.link === LINK)).toBe(true);
  });

  it('an extension nobody has read yet is an unknown device; a user the XSP lacks → invalidDeviceID', () => {
    const w = newWorld();
    expect(outcomeOf(ask(w, { service: 'MonitorStart', monitorObject: '2105' }))).toBe('error:operation/invalidDeviceID');
    expect(outcomeOf(ask(w, { service: 'MonitorStart', monitorObject: 'nobody' }))).toBe('error:operation/invalidDeviceID');
  });

  it('closing the link removes its monitors', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    w.closeLink(LINK);
    w.runUntilQuiet();
    expect(Object.keys(w.connector.monitors)).toEqual([]);
    const m = mark(w);
    w.external({ kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: 'Available' });
    w.runUntilQuiet();
    expect(eventsSince(w, m)).toEqual([]);
  });
});
