/**
 * Bad input on one link: each answered with a CSTAErrorCode carrying the request's invoke ID, or
 * — for bytes that cannot be framed — the link closed; other links keep working throughout.
 * Also the link's timers (keep-alive, session) and its bounded write queue.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CSTA_NAMESPACES, ECMA354_NAMESPACE, encodeCstaRequest, MAX_FRAME_BYTES } from '@csta-bw/core';
import type { CstaTcpClient } from '@csta-bw/adapters';
import { ask, errorOf, eventually, responseOf, startHarness, type Harness } from './harness.js';
import { WireClient } from './interop/wire.js';

let h: Harness | undefined;
afterEach(async () => { await h?.close(); h = undefined; });

function header(total: number, invokeId: string): Uint8Array {
  return new Uint8Array([0, 0, total >> 8, total & 0xff, ...[...invokeId].map((c) => c.charCodeAt(0))]);
}
function frame(invokeId: string, xml: string, lengthDelta = 0): Uint8Array {
  const body = new TextEncoder().encode(xml);
  return new Uint8Array([...header(8 + body.length + lengthDelta, invokeId), ...body]);
}
const GET_STATE = encodeCstaRequest({ service: 'GetAgentState', device: 'desk-101' }, CSTA_NAMESPACES.ed6);

async function bystanderWorks(bystander: CstaTcpClient): Promise<void> {
  expect(responseOf(await ask(bystander, { service: 'GetAgentState', device: 'desk-101' })).service).toBe('GetAgentStateResponse');
}

async function errorFor(c: CstaTcpClient, invokeId: string): Promise<{ category: string; value: string }> {
  return errorOf(await c.answerTo(invokeId));
}

describe('bad input answered with CSTAErrorCode and the request invoke ID', () => {
  it.each([
    ['non-XML', 'this is not XML at all', 'invalidParameterValue'],
    ['a DTD', '<?xml version="1.0"?><!DOCTYPE GetAgentState [<!ELEMENT GetAgentState ANY>]><GetAgentState><device>desk-101</device></GetAgentState>', 'invalidParameterValue'],
    ['entity expansion', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><GetAgentState><device>&lol2;</device></GetAgentState>', 'invalidParameterValue'],
    ['an unknown element', `<MakeCall xmlns="${CSTA_NAMESPACES.ed6}"><callingDevice>desk-101</callingDevice></MakeCall>`, 'serviceNotSupported'],
    ['an unknown device', `<GetAgentState xmlns="${CSTA_NAMESPACES.ed6}"><device>nobody-here</device></GetAgentState>`, 'invalidDeviceID'],
    ['a missing device', `<SetAgentState xmlns="${CSTA_NAMESPACES.ed6}"><requestedAgentState>ready</requestedAgentState></SetAgentState>`, 'invalidParameterValue'],
  ])('%s', async (_name, xml, value) => {
    h = await startHarness();
    const bad = await h.client();
    const bystander = await h.client();
    const invokeId = bad.sendXml(xml, '4321');
    expect(await errorFor(bad, invokeId)).toEqual({ category: 'operation', value });
    expect(bad.closed).toBe(false);
    await bystanderWorks(bystander);
    await bystanderWorks(bad); // and the link that sent it still works
  });

  it('a 65,535-byte frame is read whole and answered under its invoke ID', async () => {
    h = await startHarness();
    const c = await h.client();
    const open = `<GetAgentState xmlns="${CSTA_NAMESPACES.ed6}"><device>desk-101</device>`;
    const close = '</GetAgentState>';
    const padding = ' '.repeat(MAX_FRAME_BYTES - 8 - open.length - close.length);
    const bytes = frame('0777', open + padding + close);
    expect(bytes.length).toBe(MAX_FRAME_BYTES);
    c.sendRaw(bytes);
    expect(responseOf(await c.answerTo('0777')).service).toBe('GetAgentStateResponse');
  });

  it('a length field too small cuts the XML: the cut frame is refused by invoke ID, then the out-of-step stream closes the link', async () => {
    h = await startHarness();
    const bad = await h.client();
    const bystander = await h.client();
    bad.sendRaw(frame('0042', GET_STATE, -20));
    expect(await errorFor(bad, '0042')).toEqual({ category: 'operation', value: 'invalidParameterValue' });
    await bad.closedPromise;
    await bystanderWorks(bystander);
  });

  it('a length field too large swallows the next frame\'s bytes: refused by invoke ID, then the link closes', async () => {
    h = await startHarness();
    const bad = await h.client();
    const bystander = await h.client();
    // Two bytes too many: the frame takes the next header's two zero bytes (still UTF-8, not XML).
    bad.sendRaw(new Uint8Array([...frame('0043', GET_STATE, 2), ...frame('0044', GET_STATE)]));
    expect(await errorFor(bad, '0043')).toEqual({ category: 'operation', value: 'invalidParameterValue' });
    await bad.closedPromise;
    expect(bad.received.some((f) => f.invokeId === '0044')).toBe(false);
    await bystanderWorks(bystander);
  });
});

describe('bytes that cannot be framed close only their link', () => {
  // Issue 12 item 7 changed this one: bytes invalid for the encoding cost only their frame an
  // error (before, the link was closed unanswered); the stream after it is still out of step.
  it('a length field too large whose swallowed bytes are not UTF-8: refused by invoke ID, then the out-of-step link closes', async () => {
    h = await startHarness();
    const bad = await h.client();
    const bystander = await h.client();
    // 20 bytes too many take the next header, whose length byte (0x9x) is not UTF-8 on its own.
    bad.sendRaw(new Uint8Array([...frame('0045', GET_STATE, 20), ...frame('0046', GET_STATE)]));
    await bad.closedPromise;
    expect(errorOf(bad.received[0]!)).toEqual({ category: 'operation', value: 'invalidParameterValue' });
    expect(bad.received[0]!.invokeId).toBe('0045');
    await bystanderWorks(bystander);
  });

  it('a body that is not UTF-8 is refused under its invoke ID and the link lives on (issue 12 item 7)', async () => {
    h = await startHarness();
    const c = await h.client();
    c.sendRaw(new Uint8Array([...header(10, '0777'), 0xff, 0xfe]));
    expect(await errorFor(c, '0777')).toEqual({ category: 'operation', value: 'invalidParameterValue' });
    expect(c.closed).toBe(false);
    await bystanderWorks(c);
  });

  it.each([
    ['a length below the 8-byte header', header(5, '0001')],
    ['a non-zero first header byte', new Uint8Array([1, 0, 0, 20, 0x30, 0x30, 0x30, 0x31])],
    ['a non-digit invoke ID', new Uint8Array([0, 0, 0, 20, 0x30, 0x41, 0x30, 0x31])],
  ])('%s', async (_name, bytes) => {
    h = await startHarness();
    const bad = await h.client();
    const bystander = await h.client();
    bad.sendRaw(bytes);
    await bad.closedPromise;
    expect(bad.received).toEqual([]);
    await bystanderWorks(bystander);
  });

  // Issue 12 item 9 replaced the silent idle drop with keep-alive probes: the quiet link is
  // probed and closed only once its probes go unanswered.
  it('a truncated frame is never answered; unanswered keep-alive probes close the link', async () => {
    h = await startHarness({ keepaliveMs: 100, keepaliveTolerance: 2 });
    const bad = await WireClient.connect(h.gateway.csta.port);
    const bystander = await h.client(); // answers every probe, as CstaTcpClient does
    bad.sendRaw(frame('0050', GET_STATE).subarray(0, 30)); // the rest of the frame never comes
    const started = Date.now();
    await bad.closedPromise;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(bad.frames.map((f) => f.root)).toEqual(['SystemStatus', 'SystemStatus']);
    await bystanderWorks(bystander);
    expect(bystander.closed).toBe(false);
  });
});

describe('ECMA-354 sessions', () => {
  const start = (c: CstaTcpClient, extra: { userID?: string; password?: string; requestedProtocolVersion?: string; requestedSessionDuration?: number } = {}) =>
    ask(c, { service: 'StartApplicationSession', applicationID: 'test', ...extra });

  it('refuses requests before a required session with operation/securityViolation, by invoke ID', async () => {
    h = await startHarness({ requireSession: true });
    const c = await h.client();
    const { invokeId } = c.send({ service: 'GetAgentState', device: 'desk-101' });
    expect(await errorFor(c, invokeId)).toEqual({ category: 'operation', value: 'securityViolation' });
    expect(c.closed).toBe(false);
  });

  it('checks credentials, negotiates the version, and answers later requests in it', async () => {
    h = await startHarness({ requireSession: true, credentials: { user: 'cti', password: 'pw' } });
    const c = await h.client();
    expect(responseOf(await start(c, { userID: 'cti', password: 'wrong' }))).toEqual({
      service: 'StartApplicationSessionNegResponse', errorCode: { definedError: 'invalidApplicationInfo' },
    });
    const pos = await start(c, { userID: 'cti', password: 'pw', requestedProtocolVersion: CSTA_NAMESPACES.ed4, requestedSessionDuration: 60 });
    expect(pos.xml).toContain(ECMA354_NAMESPACE);
    const r = responseOf(pos);
    expect(r).toMatchObject({ service: 'StartApplicationSessionPosResponse', actualProtocolVersion: CSTA_NAMESPACES.ed4, actualSessionDuration: 60 });
    const sessionID = r.service === 'StartApplicationSessionPosResponse' ? r.sessionID : '';
    expect(sessionID).not.toBe('');

    const answer = await ask(c, { service: 'GetAgentState', device: 'desk-101' }); // sent in ed6
    expect(responseOf(answer).service).toBe('GetAgentStateResponse');
    // Issue 12 item 2: answered in the request's namespace (was: the session's version, ed4).
    expect(answer.xml).toContain(`xmlns="${CSTA_NAMESPACES.ed6}"`);

    expect(responseOf(await ask(c, { service: 'ResetApplicationSessionTimer', sessionID, requestedSessionDuration: 120 })))
      .toEqual({ service: 'ResetApplicationSessionTimerPosResponse', actualSessionDuration: 120 });
    expect(responseOf(await ask(c, { service: 'ResetApplicationSessionTimer', sessionID: 'not-mine' })))
      .toEqual({ service: 'ResetApplicationSessionTimerNegResponse', errorCode: { definedError: 'invalidSessionID' } });
    expect(responseOf(await start(c, { userID: 'cti', password: 'pw' })).service).toBe('StartApplicationSessionNegResponse');
    expect(responseOf(await ask(c, { service: 'StopApplicationSession', sessionID })).service).toBe('StopApplicationSessionPosResponse');
    const { invokeId } = c.send({ service: 'GetAgentState', device: 'desk-101' });
    expect(await errorFor(c, invokeId)).toEqual({ category: 'operation', value: 'securityViolation' });
  });

  it('refuses a protocol version that names no ECMA-323 edition', async () => {
    h = await startHarness();
    const c = await h.client();
    expect(responseOf(await start(c, { requestedProtocolVersion: 'urn:something-else' }))).toEqual({
      service: 'StartApplicationSessionNegResponse', errorCode: { definedError: 'requestedProtocolVersionNotSupported' },
    });
  });

  it('closes the link when the session duration runs out without a reset', async () => {
    h = await startHarness({ session: { minDurationS: 1 } });
    const c = await h.client();
    expect(responseOf(await start(c, { requestedSessionDuration: 1 }))).toMatchObject({ actualSessionDuration: 1 });
    const started = Date.now();
    await c.closedPromise;
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  });
});

describe('backpressure', () => {
  it('closes a client that does not read once its queue passes the bound; others keep working', async () => {
    h = await startHarness({ maxQueuedBytes: 64 * 1024 });
    const slow = await h.client();
    const bystander = await h.client();
    slow.pauseReading();
    // Each answer is ~330 bytes; 60,000 of them is ~20 MB, far beyond the socket buffers.
    const one = frame('0001', `<RequestSystemStatus xmlns="${CSTA_NAMESPACES.ed6}"/>`);
    const batch = new Uint8Array(one.length * 1000);
    for (let i = 0; i < 1000; i++) batch.set(one, i * one.length);
    for (let i = 0; i < 60 && !slow.closed; i++) {
      slow.sendRaw(batch);
      await new Promise((r) => setTimeout(r, 5));
    }
    await eventually(() => (h!.gateway.server.links.size === 1 ? true : undefined), 10_000);
    expect([...h.gateway.server.links.keys()]).toEqual(['tcp:2']);
    await bystanderWorks(bystander);
  });
});
