/**
 * Interop: OpenScape-style clients (interop.md). OpenScape Voice tools wait for the server's
 * SystemStatus on connect, answer it, then SystemRegister (invoke 0000) and expect a
 * sysStatRegisterID; captures use ed2 and ed4 namespaces, `ns3:` prefixes and xsi:schemaLocation.
 * OSBiz clients start a 60 s ed4 session and never reset it: they rely on the server to say when
 * it ends. Bytes asserted; messages written here from the reference facts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { APPL_SESSION, ED2, ED4, sleep, startInteropGateway, textOf } from './wire.js';

type Gateway = Awaited<ReturnType<typeof startInteropGateway>>;
let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

const systemRegister = (ns: string) =>
  `<SystemRegister xmlns="${ns}"><requestTypes><systemStatus>true</systemStatus></requestTypes></SystemRegister>`;

describe('OpenScape Voice start-up (issue 12 item 5)', () => {
  it('--status-on-connect: SystemStatus normal as soon as the link opens; SystemRegister gives a sysStatRegisterID', async () => {
    g = await startInteropGateway({ statusOnConnect: true });
    const c = await g.wire();
    const hello = await c.next((f) => f.root === 'SystemStatus', 2000);
    expect(c.frames[0]).toBe(hello);
    expect(textOf(hello, 'systemStatus')).toBe('normal');
    c.send(hello.invokeId, `<SystemStatusResponse xmlns="${ED4}"/>`);
    c.send('0000', systemRegister(ED4));
    const registered = await c.answerTo('0000');
    expect(registered.root).toBe('SystemRegisterResponse');
    expect(registered.xmlns).toBe(ED4);
    const id = textOf(registered, 'sysStatRegisterID');
    expect(id).toMatch(/^\S+$/);

    c.send('0001', `<RequestSystemStatus xmlns="${ED4}"><sysStatRegisterID>${id}</sysStatRegisterID></RequestSystemStatus>`);
    const status = await c.answerTo('0001');
    expect(status.root).toBe('RequestSystemStatusResponse');
    expect(textOf(status, 'systemStatus')).toBe('normal');

    c.send('0002', `<RequestSystemStatus xmlns="${ED4}"><sysStatRegisterID>no-such-id</sysStatRegisterID></RequestSystemStatus>`);
    const unknown = await c.answerTo('0002');
    expect(unknown.root).toBe('CSTAErrorCode');
    expect(textOf(unknown, 'operation')).toBe('invalidCrossRefID');

    c.send('0003', `<SystemRegisterCancel xmlns="${ED4}"><sysStatRegisterID>${id}</sysStatRegisterID></SystemRegisterCancel>`);
    expect((await c.answerTo('0003')).root).toBe('SystemRegisterCancelResponse');
    c.send('0004', `<SystemRegisterCancel xmlns="${ED4}"><sysStatRegisterID>${id}</sysStatRegisterID></SystemRegisterCancel>`);
    expect(textOf(await c.answerTo('0004'), 'operation')).toBe('invalidCrossRefID');
  });

  it('without --status-on-connect the gateway says nothing before the first request', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    await sleep(200);
    expect(c.frames).toEqual([]);
  });

  it('delivers SystemStatus to a registered client when the system changes, carrying its sysStatRegisterID', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    c.send('0000', systemRegister(ED4));
    const id = textOf(await c.answerTo('0000'), 'sysStatRegisterID');
    await g.sim.external({ kind: 'channelTerminate' });
    const disabled = await c.next((f) => f.root === 'SystemStatus' && textOf(f, 'systemStatus') === 'disabled', 10_000);
    expect(textOf(disabled, 'sysStatRegisterID')).toBe(id);
    const normal = await c.next((f) => f.root === 'SystemStatus' && textOf(f, 'systemStatus') === 'normal' && f.xml.includes('sysStatRegisterID'), 10_000);
    expect(textOf(normal, 'sysStatRegisterID')).toBe(id);
  });

  it('SystemRegisterAbort from the client ends its registration', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    c.send('0000', systemRegister(ED4));
    const id = textOf(await c.answerTo('0000'), 'sysStatRegisterID');
    c.send('0001', `<SystemRegisterAbort xmlns="${ED4}"><sysStatRegisterID>${id}</sysStatRegisterID></SystemRegisterAbort>`);
    await sleep(100);
    c.send('0002', `<RequestSystemStatus xmlns="${ED4}"><sysStatRegisterID>${id}</sysStatRegisterID></RequestSystemStatus>`);
    expect(textOf(await c.answerTo('0002'), 'operation')).toBe('invalidCrossRefID');
  });
});

describe('OpenScape namespaces and prefixes (issue 12 item 2)', () => {
  it('answers an ns3:-prefixed ed4 request in ed4', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    c.send('0001', `<ns3:GetAgentState xmlns:ns3="${ED4}"><ns3:device>desk-101</ns3:device></ns3:GetAgentState>`);
    const answer = await c.answerTo('0001');
    expect(answer.root).toBe('GetAgentStateResponse');
    expect(answer.xmlns).toBe(ED4);
  });

  it('answers an ed2 request with xsi:schemaLocation in ed2, and the monitor\'s events in ed2', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    c.send('0001', `<MonitorStart xmlns="${ED2}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="${ED2} monitor-start.xsd"><monitorObject><deviceObject>desk-102</deviceObject></monitorObject></MonitorStart>`);
    const started = await c.answerTo('0001');
    expect(started.xmlns).toBe(ED2);
    // Another request in ed4 on the same link must not change the ed2 monitor's events.
    c.send('0002', `<SetForwarding xmlns="${ED4}"><device>desk-102</device><activateForward>true</activateForward><forwardDN>2101</forwardDN></SetForwarding>`);
    expect((await c.answerTo('0002', 10_000)).xmlns).toBe(ED4);
    const event = await c.next((f) => f.root === 'ForwardingEvent');
    expect(event.xmlns).toBe(ED2);
  });
});

describe('OSBiz session that is never reset (issue 12 item 4)', () => {
  it('announces expiry with ApplicationSessionTerminated (sessionTimerExpired) before closing', async () => {
    g = await startInteropGateway({ session: { minDurationS: 1 } });
    const c = await g.wire();
    c.send('0001', `<StartApplicationSession xmlns="${APPL_SESSION}"><applicationInfo><applicationID>osbiz</applicationID><applicationSpecificInfo><user>cti</user><password>pw</password></applicationSpecificInfo></applicationInfo><requestedProtocolVersions><protocolVersion>${ED4}</protocolVersion></requestedProtocolVersions><requestedSessionDuration>1</requestedSessionDuration></StartApplicationSession>`);
    const pos = await c.answerTo('0001');
    const sessionID = textOf(pos, 'sessionID');
    await c.closedPromise;
    const last = c.frames[c.frames.length - 1]!;
    expect(last.root).toBe('ApplicationSessionTerminated');
    expect(last.xmlns).toBe(APPL_SESSION);
    expect(textOf(last, 'sessionID')).toBe(sessionID);
    expect(textOf(last, 'definedTermReason')).toBe('sessionTimerExpired');
  });

  it('terminates sessions with a server reason when the gateway shuts down', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    c.send('0001', `<StartApplicationSession xmlns="${APPL_SESSION}"><applicationInfo><applicationID>osbiz</applicationID></applicationInfo><requestedProtocolVersions><protocolVersion>${ED4}</protocolVersion></requestedProtocolVersions><requestedSessionDuration>60</requestedSessionDuration></StartApplicationSession>`);
    await c.answerTo('0001');
    await g.gateway.server.close();
    await c.closedPromise;
    const terminated = c.all('ApplicationSessionTerminated');
    expect(terminated).toHaveLength(1);
    expect(textOf(terminated[0]!, 'serverTermReason')).toMatch(/shut/);
  });
});
