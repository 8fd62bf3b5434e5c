/**
 * End to end through `startGateway` (the wiring of `pnpm start`): a raw TCP CSTA client drives
 * the seed's hoteling login and logout, an external release, forwarding, GetAgentState — and
 * the simulator's state is checked after each.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CSTA_NAMESPACES } from '@csta-bw/core';
import { ask, errorOf, eventsOf, eventually, responseOf, startHarness, waitForEvent, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => { await h.close(); });

async function monitor(c: Awaited<ReturnType<Harness['client']>>, device: string): Promise<string> {
  const r = responseOf(await ask(c, { service: 'MonitorStart', monitorObject: device }));
  if (r.service !== 'MonitorStartResponse') throw new Error(r.service);
  return r.monitorCrossRefID;
}

describe('gateway: the seed (hoteling login and logout on desk-110)', () => {
  it('logs agent-001 in and out; response before events; events carry the monitor cross-ref', async () => {
    const watcher = await h.client();
    const actor = await h.client();
    const deskRef = await monitor(watcher, 'desk-110');

    const login = actor.send({ service: 'SetAgentState', device: 'desk-110', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    expect(responseOf(await actor.answerTo(login.invokeId, 10_000)).service).toBe('SetAgentStateResponse');
    await waitForEvent(watcher, 'AgentNotReadyEvent', deskRef);
    await waitForEvent(watcher, 'ForwardingEvent', deskRef);
    const afterLogin = eventsOf(watcher).map((e) => e.event);
    // desk-110's own agent is signed out first, then agent-001 logs on and lands not ready.
    expect(afterLogin).toContainEqual({ name: 'AgentLoggedOffEvent', agentDevice: 'desk-110', agentID: 'desk-110' });
    expect(afterLogin).toContainEqual({ name: 'AgentLoggedOnEvent', agentDevice: 'desk-110', agentID: 'agent-001' });
    expect(afterLogin).toContainEqual({ name: 'ForwardingEvent', device: 'desk-110', forwardingType: 'forwardImmediate', forwardStatus: true, forwardTo: '3001' });
    expect(eventsOf(watcher).every((e) => e.crossRef === deskRef)).toBe(true);
    // The actor has no monitor: it gets the answer and nothing else.
    expect(eventsOf(actor)).toEqual([]);

    const desk = await h.sim.view('desk-110@example.com');
    const agent = await h.sim.view('agent-001@example.com');
    expect(desk?.agentACDState).toBe('Sign-Out');
    expect(desk?.forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3001' });
    expect(desk?.hostedGuestUserId).toBe('agent-001@example.com');
    expect(agent?.agentACDState).toBe('Unavailable');
    expect(agent?.hotelingGuest?.hostUserId).toBe('desk-110@example.com');

    const before = eventsOf(watcher).length;
    const logout = actor.send({ service: 'SetAgentState', device: 'desk-110', requestedAgentState: 'loggedOff', agentID: 'agent-001' });
    expect(responseOf(await actor.answerTo(logout.invokeId, 10_000)).service).toBe('SetAgentStateResponse');
    await waitForEvent(watcher, 'AgentLoggedOffEvent', deskRef);
    await eventually(() => eventsOf(watcher).slice(before).find((e) => e.event.name === 'ForwardingEvent'));
    expect(eventsOf(watcher).slice(before).map((e) => e.event)).toEqual(expect.arrayContaining([
      { name: 'AgentLoggedOffEvent', agentDevice: 'desk-110', agentID: 'agent-001' },
      { name: 'ForwardingEvent', device: 'desk-110', forwardingType: 'forwardImmediate', forwardStatus: false },
    ]));
    expect((await h.sim.view('desk-110@example.com'))?.forwarding?.active).toBe(false);
    expect((await h.sim.view('desk-110@example.com'))?.hostedGuestUserId).toBeUndefined();
    expect((await h.sim.view('agent-001@example.com'))?.agentACDState).toBe('Sign-Out');
  });

  it('writes the MonitorStart response before the events the monitor causes', async () => {
    const c = await h.client();
    const { invokeId } = c.send({ service: 'MonitorStart', monitorObject: 'desk-101' });
    c.send({ service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-002' });
    await waitForEvent(c, 'AgentNotReadyEvent', '1', 10_000).catch(() => undefined);
    const firstFromServer = c.received[0];
    expect(firstFromServer?.invokeId).toBe(invokeId);
    expect(c.received.findIndex((f) => f.invokeId === '9999')).toBeGreaterThan(0);
  });
});

describe('gateway: changes made elsewhere', () => {
  it('reports a portal release as AgentLoggedOffEvent and finishes the termination side effects', async () => {
    const c = await h.client();
    const ref = await monitor(c, 'desk-102');
    expect(responseOf(await ask(c, { service: 'SetAgentState', device: 'desk-102', requestedAgentState: 'loggedOn', agentID: 'agent-003' })).service)
      .toBe('SetAgentStateResponse');
    await waitForEvent(c, 'AgentNotReadyEvent', ref);

    await h.sim.external({ kind: 'portalRelease', guestUserId: 'agent-003@example.com' });
    // A release that lands within the echo window of our own association write (5 s) is taken for
    // a stale event and confirmed by a re-read when the window closes: allow for that.
    const off = await waitForEvent(c, 'AgentLoggedOffEvent', ref, 12_000);
    expect(off.decoded.ok && off.decoded.kind === 'event' && off.decoded.event).toMatchObject({ agentDevice: 'desk-102', agentID: 'agent-003' });
    // Ours to finish: the guest signed out, the host's forwarding restored.
    await eventually(async () => ((await h.sim.view('desk-102@example.com'))?.forwarding?.active === false ? true : undefined));
    await eventually(async () => ((await h.sim.view('agent-003@example.com'))?.agentACDState === 'Sign-Out' ? true : undefined));
  });
});

describe('gateway: forwarding and queries', () => {
  it('sets and clears forwarding, with ForwardingEvents and GetForwarding from the cache', async () => {
    const c = await h.client(CSTA_NAMESPACES.ed3);
    const ref = await monitor(c, 'desk-103');
    const set = await ask(c, { service: 'SetForwarding', device: 'desk-103', forwardingType: 'forwardImmediate', activateForward: true, forwardDN: '2105' });
    expect(responseOf(set).service).toBe('SetForwardingResponse');
    expect(set.xml).toContain(`xmlns="${CSTA_NAMESPACES.ed3}"`); // answered in the client's namespace
    const on = await waitForEvent(c, 'ForwardingEvent', ref);
    expect(on.xml).toContain(`xmlns="${CSTA_NAMESPACES.ed3}"`);
    expect(on.decoded.ok && on.decoded.kind === 'event' && on.decoded.event).toMatchObject({ forwardStatus: true, forwardTo: '2105' });
    expect((await h.sim.view('desk-103@example.com'))?.forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '2105' });
    expect(responseOf(await ask(c, { service: 'GetForwarding', device: 'desk-103' }))).toEqual({
      service: 'GetForwardingResponse', forwardingList: [{ forwardingType: 'forwardImmediate', forwardStatus: true, forwardDN: '2105' }],
    });

    expect(responseOf(await ask(c, { service: 'SetForwarding', device: 'desk-103', forwardingType: 'forwardImmediate', activateForward: false })).service)
      .toBe('SetForwardingResponse');
    await eventually(() => eventsOf(c).find((e) => e.event.name === 'ForwardingEvent' && !e.event.forwardStatus));
    expect((await h.sim.view('desk-103@example.com'))?.forwarding?.active).toBe(false);
  });

  it('answers GetAgentState for a signed-in plain agent and a free desk', async () => {
    const c = await h.client();
    expect(responseOf(await ask(c, { service: 'GetAgentState', device: 'desk-110' }))).toEqual({
      service: 'GetAgentStateResponse',
      agentStateList: [{ agentID: 'desk-110', loggedOnState: true, agentInfo: [{ agentState: 'agentReady' }] }],
    });
    const free = responseOf(await ask(c, { service: 'GetAgentState', device: 'desk-104' }));
    expect(free).toMatchObject({ service: 'GetAgentStateResponse', agentStateList: [{ loggedOnState: false }] });
  });

  it('answers RequestSystemStatus normal, and the client SystemStatus heartbeat with SystemStatusResponse', async () => {
    const c = await h.client();
    expect(responseOf(await ask(c, { service: 'RequestSystemStatus' }))).toEqual({ service: 'RequestSystemStatusResponse', systemStatus: 'normal' });
    const { invokeId } = c.send({ service: 'SystemStatus', systemStatus: 'normal' });
    expect(responseOf(await c.answerTo(invokeId))).toEqual({ service: 'SystemStatusResponse' });
  });

  it('sends SystemStatus disabled then normal to a link when the Xsi channel is lost and back, skipping 9999', async () => {
    const c = await h.client();
    await monitor(c, 'desk-105');
    await h.sim.external({ kind: 'channelTerminate' });
    const disabled = await c.waitFor((f) => f.decoded.ok && f.decoded.kind === 'request' && f.decoded.request.service === 'SystemStatus'
      && f.decoded.request.systemStatus === 'disabled');
    const normal = await c.waitFor((f) => f.decoded.ok && f.decoded.kind === 'request' && f.decoded.request.service === 'SystemStatus'
      && f.decoded.request.systemStatus === 'normal', 10_000);
    expect(disabled.invokeId).not.toBe('9999');
    expect(normal.invokeId).not.toBe(disabled.invokeId);
    // The link stays usable after answering our SystemStatus requests.
    expect(responseOf(await ask(c, { service: 'GetAgentState', device: 'desk-105' })).service).toBe('GetAgentStateResponse');
  });

  it('drops the monitors of a closed link (later events go nowhere, other links unaffected)', async () => {
    const a = await h.client();
    const b = await h.client();
    await monitor(a, 'desk-106');
    const refB = await monitor(b, 'desk-106');
    await a.close();
    await eventually(() => (h.gateway.server.links.size === 1 ? true : undefined));
    await ask(b, { service: 'SetForwarding', device: 'desk-106', activateForward: true, forwardDN: '2101' });
    await waitForEvent(b, 'ForwardingEvent', refB);
    expect(Object.values(h.gateway.runtime.connector.monitors).map((m) => m.link)).toEqual(['tcp:2']);
  });

  it('refuses an unknown device with invalidDeviceID, carrying the invoke ID', async () => {
    const c = await h.client();
    const { invokeId } = c.send({ service: 'GetAgentState', device: 'desk-999' });
    const answer = await c.answerTo(invokeId);
    expect(errorOf(answer)).toEqual({ category: 'operation', value: 'invalidDeviceID' });
  });
});
