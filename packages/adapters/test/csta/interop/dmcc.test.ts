/**
 * Interop: an Avaya DMCC-style client (interop.md). It starts an ECMA-354 session asking for the
 * protocol version `…/ed3/priv7`, then writes its requests in plain `…/ed3` (schema-bound C#) or
 * in the privX namespace itself (the Haskell library); it asks for agent events with Avaya's
 * invertFilter; some of its writers send Latin-1 bytes. Bytes asserted; messages written here.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { APPL_SESSION, ED3, PRIV6, PRIV7, sleep, startInteropGateway, textOf, type WireClient } from './wire.js';

type Gateway = Awaited<ReturnType<typeof startInteropGateway>>;
let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

const startSession = (version: string) =>
  `<?xml version="1.0" encoding="utf-8"?><StartApplicationSession xmlns="${APPL_SESSION}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
  '<applicationInfo><applicationID>dmcc-test</applicationID><applicationSpecificInfo>' +
  '<SessionLoginInfo xmlns="http://www.avaya.com/csta"><userName>cti</userName><password>secret</password><sessionCleanupDelay>60</sessionCleanupDelay></SessionLoginInfo>' +
  `</applicationSpecificInfo></applicationInfo><requestedProtocolVersions><protocolVersion>${version}</protocolVersion></requestedProtocolVersions>` +
  '<requestedSessionDuration>180</requestedSessionDuration></StartApplicationSession>';

const INVERTED_READY_NOT_READY =
  '<requestedMonitorFilter><callcontrol><delivered>true</delivered></callcontrol><logicalDeviceFeature>' +
  '<agentReady>true</agentReady><agentNotReady>true</agentNotReady><agentWorkingAfterCall>false</agentWorkingAfterCall>' +
  '</logicalDeviceFeature></requestedMonitorFilter>' +
  '<extensions><privateData><private><AvayaEvents xmlns="http://www.avaya.com/csta"><invertFilter>true</invertFilter></AvayaEvents></private></privateData></extensions>';

const monitorStart = (ns: string, device: string, rest = '') =>
  `<MonitorStart xmlns="${ns}"><monitorObject><deviceObject typeOfNumber="other" mediaClass="notKnown">${device}</deviceObject></monitorObject>${rest}</MonitorStart>`;
const setAgentState = (ns: string, device: string, state: string, agent?: string) =>
  `<SetAgentState xmlns="${ns}"><device typeOfNumber="other" mediaClass="notKnown">${device}</device><requestedAgentState>${state}</requestedAgentState>${agent ? `<agentID>${agent}</agentID>` : ''}</SetAgentState>`;

async function session(c: WireClient, version = PRIV7): Promise<void> {
  c.send('0001', startSession(version));
  const pos = await c.answerTo('0001');
  expect(pos.root).toBe('StartApplicationSessionPosResponse');
  expect(pos.xmlns).toBe(APPL_SESSION);
  expect(textOf(pos, 'actualProtocolVersion')).toBe(version);
}

describe('DMCC session with ed3/priv7 (issue 12 item 2: a protocol version is not a namespace)', () => {
  it('answers ed3 requests in ed3, sends the monitor\'s events in ed3, and the unsolicited SystemStatus in ed3', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    await session(c);
    const startup = await c.next((f) => f.root === 'SystemStatus');
    expect(startup.xmlns).toBe(ED3);
    c.send('0002', monitorStart(ED3, 'desk-108'));
    const started = await c.answerTo('0002');
    expect(started.root).toBe('MonitorStartResponse');
    expect(started.xmlns).toBe(ED3);
    c.send('0003', setAgentState(ED3, 'desk-108', 'loggedOn', 'agent-008'));
    const answer = await c.answerTo('0003', 10_000);
    expect(answer.root).toBe('SetAgentStateResponse');
    expect(answer.xmlns).toBe(ED3);
    const event = await c.next((f) => f.root === 'AgentNotReadyEvent');
    expect(event.xmlns).toBe(ED3);
    expect(c.frames.filter((f) => f.xmlns.includes('priv7'))).toEqual([]);
  });

  it('answers requests written in the privX namespace itself in that namespace (Haskell style)', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    await session(c, PRIV6);
    c.send('0002', monitorStart(PRIV6, 'desk-109'));
    const started = await c.answerTo('0002');
    expect(started.xmlns).toBe(PRIV6);
    c.send('0003', `<GetAgentState xmlns="${PRIV6}"><device>desk-109</device></GetAgentState>`);
    expect((await c.answerTo('0003')).xmlns).toBe(PRIV6);
    c.send('0004', `<MakeCall xmlns="${PRIV6}"><callingDevice>desk-109</callingDevice><calledDirectoryNumber>2101</calledDirectoryNumber></MakeCall>`);
    const refused = await c.answerTo('0004');
    expect(refused.root).toBe('CSTAErrorCode');
    expect(refused.xmlns).toBe(PRIV6);
    expect(textOf(refused, 'operation')).toBe('serviceNotSupported');
  });

  it('refuses the other services DMCC clients try early with serviceNotSupported, by invoke ID', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    await session(c);
    const early = ['SnapshotDevice', 'GetSwitchingFunctionDevices', 'GetPhysicalDeviceInformation', 'GetDeviceId', 'RegisterTerminal'];
    early.forEach((name, i) => c.send(`00${10 + i}`, `<${name} xmlns="${ED3}"><device>desk-101</device></${name}>`));
    for (const [i] of early.entries()) {
      const answer = await c.answerTo(`00${10 + i}`);
      expect(answer.root).toBe('CSTAErrorCode');
      expect(textOf(answer, 'operation')).toBe('serviceNotSupported');
    }
  });
});

describe('DMCC invertFilter (issue 12 item 6)', () => {
  it('with invertFilter, the flags sent true are the agent events reported, and only those', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    await session(c);
    c.send('0002', monitorStart(ED3, 'desk-105', INVERTED_READY_NOT_READY));
    expect((await c.answerTo('0002')).root).toBe('MonitorStartResponse');
    c.send('0003', setAgentState(ED3, 'desk-105', 'loggedOn', 'agent-005'));
    expect((await c.answerTo('0003', 10_000)).root).toBe('SetAgentStateResponse');
    await c.next((f) => f.root === 'AgentNotReadyEvent');
    c.send('0004', setAgentState(ED3, 'desk-105', 'ready'));
    expect((await c.answerTo('0004', 10_000)).root).toBe('SetAgentStateResponse');
    await c.next((f) => f.root === 'AgentReadyEvent');
    c.send('0005', setAgentState(ED3, 'desk-105', 'workingAfterCall'));
    expect((await c.answerTo('0005', 10_000)).root).toBe('SetAgentStateResponse');
    await sleep(300);
    // loggedOn and workingAfterCall were not asked for (flag absent / false): not reported.
    expect(c.all('AgentLoggedOnEvent')).toEqual([]);
    expect(c.all('AgentWorkingAfterCallEvent')).toEqual([]);
    expect(c.all('ForwardingEvent')).toEqual([]);
  });
});

describe('DMCC Latin-1 writers (issue 12 item 7)', () => {
  const latin1 = (text: string) => Uint8Array.from([...text].map((ch) => ch.charCodeAt(0)));

  it('a Latin-1 byte under a UTF-8 declaration costs its own request a CSTAErrorCode; the link and its monitors live on', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    await session(c);
    c.send('0002', monitorStart(ED3, 'desk-106'));
    const crossRef = textOf(await c.answerTo('0002'), 'monitorCrossRefID');
    c.send('0003', latin1(`<?xml version="1.0" encoding="utf-8"?><GetAgentState xmlns="${ED3}"><!-- M\u00fcller --><device>desk-106</device></GetAgentState>`));
    const refused = await c.answerTo('0003');
    expect(refused.root).toBe('CSTAErrorCode');
    expect(textOf(refused, 'operation')).toBe('invalidParameterValue');
    expect(c.closed).toBe(false);
    c.send('0004', `<SetForwarding xmlns="${ED3}"><device>desk-106</device><activateForward>true</activateForward><forwardDN>2101</forwardDN></SetForwarding>`);
    expect((await c.answerTo('0004', 10_000)).root).toBe('SetForwardingResponse');
    const forwarding = await c.next((f) => f.root === 'ForwardingEvent');
    expect(textOf(forwarding, 'monitorCrossRefID')).toBe(crossRef);
  });

  it('a document declared ISO-8859-1 is read in that encoding and answered', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    c.send('0001', latin1(`<?xml version="1.0" encoding="ISO-8859-1"?><GetAgentState xmlns="${ED3}"><!-- Gr\u00fc\u00dfe --><device>desk-101</device></GetAgentState>`));
    expect((await c.answerTo('0001')).root).toBe('GetAgentStateResponse');
    c.send('0002', latin1(`<?xml version="1.0" encoding="ISO-8859-1"?><GetAgentState xmlns="${ED3}"><device>d\u00e9sk-101</device></GetAgentState>`));
    const unknown = await c.answerTo('0002');
    expect(textOf(unknown, 'operation')).toBe('invalidDeviceID');
  });
});
