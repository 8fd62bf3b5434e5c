/**
 * Interop: a Genesys T-Server link (genesys-bw-connector.md §13.3, interop.md "Link start-up").
 * T-Server sends one request on a new link and accepts the link only when SystemStatus normal
 * follows that request's answer; it addresses devices and agents by number (DN); it keeps links
 * alive on its own clock. Messages are written here from the reference facts, bytes asserted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ED3, sleep, startInteropGateway, textOf, type WireClient } from './wire.js';

type Gateway = Awaited<ReturnType<typeof startInteropGateway>>;
let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

const monitorStart = (device: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><MonitorStart xmlns="${ED3}"><monitorObject><deviceObject typeOfNumber="dialingNumber">${device}</deviceObject></monitorObject></MonitorStart>`;
const systemStatusResponse = `<SystemStatusResponse xmlns="${ED3}"/>`;

describe('T-Server link start-up (issue 12 item 1)', () => {
  it('sends SystemStatus normal right after the first response on a new link, in the link namespace, once', async () => {
    g = await startInteropGateway();
    const t = await g.wire();
    t.send('0001', monitorStart('desk-101'));
    const answer = await t.answerTo('0001');
    expect(answer.root).toBe('MonitorStartResponse');
    const status = await t.next((f) => f.root === 'SystemStatus');
    expect(t.frames.indexOf(status)).toBe(t.frames.indexOf(answer) + 1);
    expect(status.xmlns).toBe(ED3);
    expect(textOf(status, 'systemStatus')).toBe('normal');
    expect(['0001', '9999']).not.toContain(status.invokeId);
    t.send(status.invokeId, systemStatusResponse);
    // A second request: answered, and no second start-up SystemStatus.
    t.send('0002', monitorStart('desk-102'));
    expect((await t.answerTo('0002')).root).toBe('MonitorStartResponse');
    await sleep(100);
    expect(t.all('SystemStatus')).toHaveLength(1);
  });

  it('a client that never answers the start-up SystemStatus keeps a working link', async () => {
    g = await startInteropGateway();
    const t = await g.wire();
    t.send('0001', `<RequestSystemStatus xmlns="${ED3}"/>`);
    await t.next((f) => f.root === 'SystemStatus');
    t.send('0002', monitorStart('desk-103'));
    expect((await t.answerTo('0002')).root).toBe('MonitorStartResponse');
    expect(t.closed).toBe(false);
  });

  it('every new link gets its own start-up SystemStatus', async () => {
    g = await startInteropGateway();
    const a = await g.wire();
    const b = await g.wire();
    a.send('0001', `<RequestSystemStatus xmlns="${ED3}"/>`);
    b.send('0001', `<RequestSystemStatus xmlns="${ED3}"/>`);
    await a.next((f) => f.root === 'SystemStatus');
    await b.next((f) => f.root === 'SystemStatus');
  });
});

describe('T-Server DN addressing (issue 12 item 3, connector side: number resolution)', () => {
  // Depends on the connector's number resolution (item 3, owned by the connector engineer): on a
  // fresh gateway 2107 must resolve without warm-up and events must echo 2107 / 3007.
  it('MonitorStart 2107, SetAgentState 2107 loggedOn agentID 3007: response, then AgentLoggedOnEvent naming 2107 and 3007', async () => {
    g = await startInteropGateway();
    const t = await g.wire();
    t.send('0001', monitorStart('2107'));
    const started = await t.answerTo('0001');
    expect(started.root).toBe('MonitorStartResponse');
    const crossRef = textOf(started, 'monitorCrossRefID');
    t.send('0002', `<SetAgentState xmlns="${ED3}"><device typeOfNumber="dialingNumber">2107</device><requestedAgentState>loggedOn</requestedAgentState><agentID>3007</agentID></SetAgentState>`);
    expect((await t.answerTo('0002', 10_000)).root).toBe('SetAgentStateResponse');
    const loggedOn = await t.next((f) => f.root === 'AgentLoggedOnEvent');
    expect(loggedOn.invokeId).toBe('9999');
    expect(textOf(loggedOn, 'monitorCrossRefID')).toBe(crossRef);
    expect(textOf(loggedOn, 'deviceIdentifier')).toBe('2107');
    expect(textOf(loggedOn, 'agentID')).toBe('3007');
    expect((await g.sim.view('desk-107@example.com'))?.hostedGuestUserId).toBe('agent-007@example.com');
  });
});

describe('T-Server keep-alive (issue 12 item 9)', () => {
  const answering = (c: WireClient) => {
    let seen = 0;
    const timer = setInterval(() => {
      for (const f of c.all('SystemStatus').slice(seen)) c.send(f.invokeId, systemStatusResponse);
      seen = c.all('SystemStatus').length;
    }, 10);
    return () => clearInterval(timer);
  };

  it('probes a quiet link with SystemStatus normal and keeps it while the client answers', async () => {
    g = await startInteropGateway({ keepaliveMs: 100, keepaliveTolerance: 2 });
    const t = await g.wire();
    t.send('0001', `<RequestSystemStatus xmlns="${ED3}"/>`);
    await t.answerTo('0001');
    const stop = answering(t);
    await sleep(800);
    stop();
    expect(t.closed).toBe(false);
    // The start-up SystemStatus plus several probes, every one normal and none under 9999.
    const statuses = t.all('SystemStatus');
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    for (const s of statuses) {
      expect(textOf(s, 'systemStatus')).toBe('normal');
      expect(s.invokeId).not.toBe('9999');
    }
  });

  it('closes a link only after it left the tolerated number of probes unanswered', async () => {
    g = await startInteropGateway({ keepaliveMs: 100, keepaliveTolerance: 3 });
    const t = await g.wire();
    const opened = Date.now();
    await t.closedPromise;
    const quiet = Date.now() - opened;
    expect(t.all('SystemStatus')).toHaveLength(3);
    expect(quiet).toBeGreaterThanOrEqual(350);
  });

  it('notices a dead socket at once, without waiting for probes', async () => {
    g = await startInteropGateway({ keepaliveMs: 60_000 });
    const t = await g.wire();
    t.send('0001', monitorStart('desk-104'));
    await t.answerTo('0001');
    expect(g.gateway.server.links.size).toBe(1);
    t.destroy();
    const start = Date.now();
    while (g.gateway.server.links.size > 0 && Date.now() - start < 2000) await sleep(10);
    expect(g.gateway.server.links.size).toBe(0);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
