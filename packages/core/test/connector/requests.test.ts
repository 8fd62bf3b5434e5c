/**
 * DESIGN §4.7 Forwarding and agent queries — SetForwarding (forwardImmediate or absent only),
 * GetForwarding and GetAgentState shapes — and the §4.8 / §3 answers to bad domain input.
 */
import { describe, expect, it } from 'vitest';
import { ask, commandsSince, directoryWith, eventsSince, login, mark, monitor, newWorld, outcomeOf, view } from './support/world.js';

describe('§4.7 forwarding and agent queries', () => {
  it('SetForwarding forwardImmediate → one PUT CallForwardingAlways; ForwardingEvent on the monitors', () => {
    const w = newWorld();
    const id = monitor(w, 'desk-101');
    const m = mark(w);
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', forwardingType: 'forwardImmediate', activateForward: true, forwardDN: '3010' }))).toBe('response:SetForwardingResponse');
    expect(commandsSince(w, m)).toEqual(['PUT CallForwardingAlways desk-101 active=true to=3010']);
    expect(eventsSince(w, m, id)).toEqual(['ForwardingEvent desk-101 true 3010']);
    expect(view(w, 'desk-101').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3010' });
  });

  it('forwardingType absent means forwardImmediate; deactivating needs no forwardDN', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '3010' });
    const m = mark(w);
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: false }))).toBe('response:SetForwardingResponse');
    expect(commandsSince(w, m)).toEqual(['PUT CallForwardingAlways desk-101 active=false']);
    // Re-activating uses the stored number: no forwardDN needed.
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true }))).toBe('response:SetForwardingResponse');
    expect(view(w, 'desk-101').forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3010' });
  });

  it('other forwarding types → operation/invalidForwardingType, nothing sent', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    const m = mark(w);
    for (const forwardingType of ['forwardBusy', 'forwardNoAns', 'forwardDND', 'bogus']) {
      expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', forwardingType, activateForward: true, forwardDN: '3010' }))).toBe('error:operation/invalidForwardingType');
    }
    expect(commandsSince(w, m)).toEqual([]);
  });

  it('activating without forwardDN and none stored → operation/invalidForwardingDestination, nothing sent', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    const m = mark(w);
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true }))).toBe('error:operation/invalidForwardingDestination');
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: '  ' }))).toBe('error:operation/invalidForwardingDestination');
    expect(commandsSince(w, m)).toEqual([]);
  });

  it('a destination the XSP refuses → operation/invalidForwardingDestination', () => {
    const w = newWorld();
    monitor(w, 'desk-101');
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101', activateForward: true, forwardDN: 'not a number!' }))).toBe('error:operation/invalidForwardingDestination');
  });

  it('a device without Call Forwarding Always → invalidDeviceID', () => {
    const w = newWorld({ directory: directoryWith((u) => { delete u.get('desk-105')!.forwarding; }) });
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-105', activateForward: false }))).toBe('error:operation/invalidDeviceID');
  });

  it('GetForwarding → one forwardImmediate item from the cache', () => {
    const w = newWorld();
    let a = ask(w, { service: 'GetForwarding', device: 'desk-101' });
    expect(a.kind === 'response' && a.response).toEqual({ service: 'GetForwardingResponse', forwardingList: [{ forwardingType: 'forwardImmediate', forwardStatus: false }] });
    ask(w, login('desk-101', 'agent-001'));
    const m = mark(w);
    a = ask(w, { service: 'GetForwarding', device: 'desk-101' });
    expect(a.kind === 'response' && a.response).toEqual({ service: 'GetForwardingResponse', forwardingList: [{ forwardingType: 'forwardImmediate', forwardStatus: true, forwardDN: '3001' }] });
    expect(commandsSince(w, m)).toEqual([]); // from the cache
  });

  it('GetAgentState → one entry: the guest on the desk, else the desk\'s own user', () => {
    const w = newWorld();
    let a = ask(w, { service: 'GetAgentState', device: 'desk-110' });
    expect(a.kind === 'response' && a.response).toEqual({
      service: 'GetAgentStateResponse', agentStateList: [{ agentID: 'desk-110', loggedOnState: true, agentInfo: [{ agentState: 'agentReady' }] }],
    });
    a = ask(w, { service: 'GetAgentState', device: 'desk-101' });
    expect(a.kind === 'response' && a.response).toEqual({
      service: 'GetAgentStateResponse', agentStateList: [{ agentID: 'desk-101', loggedOnState: false, agentInfo: [{ agentState: 'agentNull' }] }],
    });
    ask(w, login('desk-101', 'agent-001'));
    a = ask(w, { service: 'GetAgentState', device: 'desk-101' });
    expect(a.kind === 'response' && a.response).toEqual({
      service: 'GetAgentStateResponse', agentStateList: [{ agentID: 'agent-001', loggedOnState: true, agentInfo: [{ agentState: 'agentNotReady' }] }],
    });
  });
});

describe('§3 / §4.8 bad domain input through the simulator', () => {
  it('unknown device / agent → invalidDeviceID / invalidAgentIdentifier', () => {
    const w = newWorld();
    expect(outcomeOf(ask(w, login('nobody', 'agent-001')))).toBe('error:operation/invalidDeviceID');
    expect(outcomeOf(ask(w, login('desk-101', 'nobody')))).toBe('error:operation/invalidAgentIdentifier');
    expect(outcomeOf(ask(w, login('desk-101', '9999')))).toBe('error:operation/invalidAgentIdentifier'); // an unknown extension
    expect(outcomeOf(ask(w, { service: 'GetForwarding', device: 'x@elsewhere.org' }))).toBe('error:operation/invalidDeviceID');
  });

  it('unsupported requestedAgentState (busy) and missing fields → invalidParameterValue', () => {
    const w = newWorld();
    expect(outcomeOf(ask(w, { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'busy' }))).toBe('error:operation/invalidParameterValue');
    expect(outcomeOf(ask(w, { service: 'SetAgentState', device: 'desk-101' }))).toBe('error:operation/invalidParameterValue');
    expect(outcomeOf(ask(w, { service: 'SetAgentState', requestedAgentState: 'ready' }))).toBe('error:operation/invalidParameterValue');
    expect(outcomeOf(ask(w, { service: 'SetForwarding', device: 'desk-101' }))).toBe('error:operation/invalidParameterValue');
    expect(outcomeOf(ask(w, { service: 'MonitorStart' }))).toBe('error:operation/invalidParameterValue');
    expect(outcomeOf(ask(w, { service: 'GetAgentState', device: '' }))).toBe('error:operation/invalidParameterValue');
  });

  it('an unknown CSTA service → serviceNotSupported', () => {
    const w = newWorld();
    expect(outcomeOf(ask(w, { service: 'Unsupported', name: 'MakeCall' }))).toBe('error:operation/serviceNotSupported');
  });

  it('ready/notReady for a named agent not at that desk → invalidDeviceState', () => {
    const w = newWorld();
    expect(outcomeOf(ask(w, { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready', agentID: 'agent-001' }))).toBe('error:stateIncompatibility/invalidDeviceState');
  });
});
