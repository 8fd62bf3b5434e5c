/**
 * DESIGN §4.8 XSP → CSTA error mapping: every row of the table, by `cstaErrorFor` and through
 * `step` (a hand-driven request whose PUT gets that outcome).
 */
import { describe, expect, it } from 'vitest';
import { cstaErrorFor, isRetryable, isSuccess } from '../../src/connector/errorMapping.js';
import { CstaErrors, type CstaError } from '../../src/csta/types.js';
import { XsiErrorCodes as C } from '../../src/xsi/errorCodes.js';
import type { XsiCommand, XsiOutcome } from '../../src/xsi/types.js';
import { AGENT, DESK, errorOf, StepDriver } from './support/stepDriver.js';

const H = 'desk-101@example.com';
const G = 'agent-001@example.com';
const assoc: XsiCommand = { op: 'PUT HotelingGuest', userId: G, body: { hostUserId: H } };
const fwd: XsiCommand = { op: 'PUT CallForwardingAlways', userId: H, body: { active: true, forwardToPhoneNumber: '3001' } };
const cc: XsiCommand = { op: 'PUT CallCenter', userId: H, body: { agentACDState: 'Available' } };
const info = (status: number, errorCode: number): XsiOutcome => ({ status, body: { kind: 'ErrorInfo', error: { summaryEnglish: 'x', errorCode } } });

/** [row, outcome, command, role, expected] */
const ROWS: [string, XsiOutcome, XsiCommand, 'device' | 'agent', CstaError][] = [
  ['400 host already has another guest', info(400, C.hostBusy), assoc, 'agent', CstaErrors.invalidDeviceState],
  ['400 host unknown', info(400, C.hostUnknown), assoc, 'agent', CstaErrors.invalidDeviceID],
  ['400 host without Hoteling Host', info(400, C.hostNotAssigned), assoc, 'agent', CstaErrors.invalidDeviceID],
  ['400 host with Hoteling Host inactive', info(400, C.hostInactive), assoc, 'agent', CstaErrors.invalidDeviceID],
  ['404 host unknown (device role)', info(404, C.unknownUser), fwd, 'device', CstaErrors.invalidDeviceID],
  ['400 guest without Hoteling Guest', info(400, C.guestNotAssigned), assoc, 'agent', CstaErrors.invalidAgentIdentifier],
  ['400 guest service inactive', info(400, C.guestInactive), assoc, 'agent', CstaErrors.invalidAgentIdentifier],
  ['404 guest unknown (agent role)', info(404, C.unknownUser), assoc, 'agent', CstaErrors.invalidAgentIdentifier],
  ['400 forwarding destination refused', info(400, C.forwardingDestinationInvalid), fwd, 'device', CstaErrors.invalidForwardingDestination],
  ['400 forwarding number required', info(400, C.forwardingNumberRequired), fwd, 'device', CstaErrors.invalidForwardingDestination],
  ['400 other validation (schema)', info(400, C.schemaViolation), cc, 'device', CstaErrors.invalidParameterValue],
  ['400 other validation (self association)', info(400, C.selfAssociation), assoc, 'agent', CstaErrors.invalidParameterValue],
  ['400 other validation (limit above host limit)', info(400, C.guestLimitAboveHostLimit), assoc, 'agent', CstaErrors.invalidParameterValue],
  ['400 without a body', { status: 400 }, cc, 'device', CstaErrors.invalidParameterValue],
  ['401', info(401, C.notAuthenticated), cc, 'device', CstaErrors.securityGeneric],
  ['403', info(403, C.outOfScope), cc, 'device', CstaErrors.privilegeViolation],
  ['503 after retries', { status: 503 }, cc, 'device', CstaErrors.resourceBusy],
  ['500 after retries', { status: 500 }, cc, 'device', CstaErrors.networkOutOfService],
  ['502 after retries', { status: 502 }, cc, 'device', CstaErrors.networkOutOfService],
  ['transport failure after retries', { transportError: 'ECONNRESET' }, cc, 'device', CstaErrors.networkOutOfService],
  ['timeout after retries', { transportError: 'timeout: no answer within the step timeout' }, cc, 'device', CstaErrors.networkOutOfService],
];

describe('§4.8 XSP → CSTA error mapping (cstaErrorFor)', () => {
  it.each(ROWS)('%s', (_row, outcome, command, role, expected) => {
    expect(cstaErrorFor(outcome, command, role)).toEqual(expected);
  });

  it('the role decides a 400 "service not assigned" on the command\'s user', () => {
    expect(cstaErrorFor(info(400, C.callCenterNotAssigned), cc, 'agent')).toEqual(CstaErrors.invalidAgentIdentifier);
    expect(cstaErrorFor(info(400, C.callCenterNotAssigned), cc, 'device')).toEqual(CstaErrors.invalidDeviceID);
    expect(cstaErrorFor(info(400, C.forwardingNotAssigned), fwd, 'device')).toEqual(CstaErrors.invalidDeviceID);
  });

  it('a guest-service refusal names the agent whatever the command\'s role', () => {
    expect(cstaErrorFor(info(400, C.guestNotAssigned), assoc, 'device')).toEqual(CstaErrors.invalidAgentIdentifier);
    expect(cstaErrorFor(info(400, C.guestInactive), assoc, 'device')).toEqual(CstaErrors.invalidAgentIdentifier);
  });

  it('only a 2xx status is a success; a transport failure never is', () => {
    expect([200, 201, 204, 299].map((status) => isSuccess({ status }))).toEqual([true, true, true, true]);
    expect([100, 199, 300, 302, 400, 503].map((status) => isSuccess({ status }))).toEqual([false, false, false, false, false, false]);
    expect(isSuccess({ transportError: 'ECONNRESET' })).toBe(false);
  });

  it('only 5xx and transport failures are retryable', () => {
    expect([503, 500, 599].map((status) => isRetryable({ status }))).toEqual([true, true, true]);
    expect([400, 401, 403, 404].map((status) => isRetryable({ status }))).toEqual([false, false, false, false]);
    expect(isRetryable({ transportError: 'x' })).toBe(true);
  });
});

/** A plain SetAgentState whose PUT CallCenter is answered with `outcome` on every attempt. */
function plainPutAnsweredWith(outcome: XsiOutcome): { error: string | undefined; attempts: number; alarms: number } {
  const d = new StepDriver();
  d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'ready' });
  d.answerFetch(H, DESK);
  let attempts = 0;
  for (let i = 0; i < 10; i++) {
    const put = d.pending().find((p) => p.command.op === 'PUT CallCenter');
    if (!put) break;
    attempts++;
    const outs = d.result(put.commandId, outcome);
    const error = errorOf(outs, '1');
    if (error) return { error, attempts, alarms: d.log.filter((o) => o.kind === 'alarm').length };
    const retry = [...d.timers.keys()].find((t) => t.startsWith('retry:'));
    if (retry) d.fire(retry);
  }
  return { error: errorOf(d.log, '1'), attempts, alarms: d.log.filter((o) => o.kind === 'alarm').length };
}

/** A login whose step 3 (PUT HotelingGuest) is answered with `outcome` (4xx: once). */
function loginStep3AnsweredWith(outcome: XsiOutcome): string | undefined {
  const d = new StepDriver();
  d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
  d.answerFetch(H, DESK);
  d.answerFetch(G, AGENT);
  d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 });
  d.result(d.pendingOne('PUT HotelingGuest', G).commandId, outcome);
  d.result(d.pendingOne('PUT CallForwardingAlways', H).commandId, { status: 200 }); // the undo
  return errorOf(d.log, '1');
}

describe('§4.8 XSP → CSTA error mapping through step', () => {
  it.each(ROWS.filter(([, , c]) => c === cc))('plain PUT CallCenter: %s', (_row, outcome, _c, _role, expected) => {
    const r = plainPutAnsweredWith(outcome);
    expect(r.error).toBe(`${expected.category}/${expected.value}`);
    const retryable = 'transportError' in outcome || outcome.status >= 500;
    expect(r.attempts).toBe(retryable ? 4 : 1); // first attempt + maxRetries (3)
  });

  it.each(ROWS.filter(([, o, c]) => c === assoc && 'status' in o && o.status < 500))('login step 3: %s', (_row, outcome, _c, _role, expected) => {
    expect(loginStep3AnsweredWith(outcome)).toBe(`${expected.category}/${expected.value}`);
  });

  it('401 also raises an alarm: our credentials are wrong', () => {
    const r = plainPutAnsweredWith(info(401, C.notAuthenticated));
    expect(r.error).toBe('security/generic');
    expect(r.alarms).toBe(1);
  });

  it('a 404 on the device\'s profile → invalidDeviceID; on the agent\'s → invalidAgentIdentifier', () => {
    const d = new StepDriver();
    d.request('1', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
    d.answerFetch(H, DESK);
    for (const p of d.pending().filter((x) => x.command.userId === G)) d.result(p.commandId, { status: 404 });
    expect(errorOf(d.log, '1')).toBe('operation/invalidAgentIdentifier');
    d.request('2', { service: 'GetAgentState', device: 'desk-999' });
    for (const p of d.pending()) d.result(p.commandId, { status: 404 });
    expect(errorOf(d.log, '2')).toBe('operation/invalidDeviceID');
  });
});
