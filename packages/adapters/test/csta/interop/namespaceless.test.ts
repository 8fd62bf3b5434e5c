/**
 * Interop: a client that writes no namespace at all (the Go OSBiz/AES client's structs have none;
 * it matches frames by local name and by invoke ID first). Such a link gets one consistent form:
 * no namespace on answers, events and the gateway's own SystemStatus. The gateway's own requests
 * never reuse an invoke ID the client has outstanding (item 8). Bytes asserted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, startInteropGateway, textOf } from './wire.js';

type Gateway = Awaited<ReturnType<typeof startInteropGateway>>;
let g: Gateway | undefined;
afterEach(async () => { await g?.close(); g = undefined; });

describe('a namespace-less link (issue 12 item 2)', () => {
  it('gets answers, events and the start-up SystemStatus all without a namespace', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    c.send('0001', '<MonitorStart><monitorObject><deviceObject typeOfNumber="dialingNumber">desk-103</deviceObject></monitorObject><monitorType>device</monitorType></MonitorStart>');
    const started = await c.answerTo('0001');
    expect(started.root).toBe('MonitorStartResponse');
    const status = await c.next((f) => f.root === 'SystemStatus');
    c.send('0002', '<SetForwarding><device>desk-103</device><activateForward>true</activateForward><forwardDN>2101</forwardDN></SetForwarding>');
    expect((await c.answerTo('0002', 10_000)).root).toBe('SetForwardingResponse');
    const event = await c.next((f) => f.root === 'ForwardingEvent');
    for (const f of [started, status, event, ...c.frames]) expect(f.xml).not.toContain('xmlns');
  });

  it('an undeclared ns1: prefix (PHP style) is read by local name and answered without a namespace', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    c.send('0001', '<ns1:GetAgentState><ns1:device>desk-101</ns1:device></ns1:GetAgentState>');
    const answer = await c.answerTo('0001');
    expect(answer.root).toBe('GetAgentStateResponse');
    expect(answer.xml).not.toContain('xmlns');
  });
});

describe('server-initiated invoke IDs (issue 12 item 8)', () => {
  it('the gateway\'s SystemStatus never carries an invoke ID the client has outstanding', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    // Pipelined: slow MonitorStarts under the IDs the gateway would pick first, then a fast request.
    const ids = ['9998', '9997', '9996', '0001', '0002'];
    for (const id of ids.slice(0, 3)) c.send(id, `<MonitorStart><monitorObject><deviceObject>desk-10${Number(id) - 9990}</deviceObject></monitorObject></MonitorStart>`);
    c.send('0001', '<RequestSystemStatus/>');
    c.send('0002', '<GetAgentState><device>nobody</device></GetAgentState>');
    const status = await c.next((f) => f.root === 'SystemStatus');
    const before = c.frames.slice(0, c.frames.indexOf(status));
    const outstanding = ids.filter((id) => !before.some((f) => f.invokeId === id));
    expect(outstanding).not.toContain(status.invokeId);
    expect(status.invokeId).not.toBe('9999');
    // Every request still gets its own answer, each exactly once.
    for (const id of ids) await c.answerTo(id, 10_000);
    await sleep(50);
    for (const id of ids) expect(c.frames.filter((f) => f.invokeId === id && f.root !== 'SystemStatus')).toHaveLength(1);
  });
});

describe('unsupported services clients try early', () => {
  it('MakeCall, SnapshotDevice, GetSwitchingFunctionDevices: serviceNotSupported under the request invoke ID', async () => {
    g = await startInteropGateway();
    const c = await g.wire();
    c.send('0011', '<MakeCall><callingDevice>desk-101</callingDevice><calledDirectoryNumber>2102</calledDirectoryNumber></MakeCall>');
    c.send('0012', '<SnapshotDevice><snapshotObject>desk-101</snapshotObject></SnapshotDevice>');
    c.send('0013', '<GetSwitchingFunctionDevices/>');
    for (const id of ['0011', '0012', '0013']) {
      const answer = await c.answerTo(id);
      expect(answer.root).toBe('CSTAErrorCode');
      expect(textOf(answer, 'operation')).toBe('serviceNotSupported');
    }
  });
});
