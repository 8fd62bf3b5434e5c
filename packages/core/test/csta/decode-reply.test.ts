import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { decodeCstaMessage } from '../../src/csta/decode.js';
import { decodeCstaErrorCode, decodeCstaResponseOrEvent } from '../../src/csta/decode-reply.js';
import { encodeCstaError, encodeCstaEvent, encodeCstaRequest, encodeCstaResponse, encodeSystemStatus } from '../../src/csta/encode.js';
import {
  AGENT_EVENT_NAMES, AGENT_STATES, ERROR_CATEGORIES, FORWARDING_TYPES, MONITOR_FILTER_FLAGS, START_SESSION_DEFINED_ERRORS,
  SYSTEM_STATUS_VALUES,
} from '../../src/csta/enumerations.js';
import { CSTA_NAMESPACES, ECMA354_NAMESPACE } from '../../src/csta/namespaces.js';
import type { CstaError, CstaEvent, CstaRequest, CstaResponse, MonitorFilter } from '../../src/csta/types.js';

const ED6 = CSTA_NAMESPACES.ed6;

describe('client side: reference examples decode into the types', () => {
  it('§3 GetAgentStateResponse: acdGroup and pendingAgentState are read past', () => {
    const xml = `<GetAgentStateResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <agentStateList>
    <agentStateEntry>
      <agentID>4711</agentID>
      <loggedOnState>true</loggedOnState>
      <agentInfo>
        <agentInfoItem>
          <acdGroup>8000</acdGroup>
          <agentState>agentBusy</agentState>
          <pendingAgentState>agentNotReady</pendingAgentState>
        </agentInfoItem>
      </agentInfo>
    </agentStateEntry>
  </agentStateList>
</GetAgentStateResponse>`;
    expect(decodeCstaResponseOrEvent(xml)).toEqual({
      ok: true, namespace: ED6, kind: 'response',
      response: { service: 'GetAgentStateResponse', agentStateList: [{ agentID: '4711', loggedOnState: true, agentInfo: [{ agentState: 'agentBusy' }] }] },
    });
  });

  it('§5.2 GetForwardingResponse: ringCount is read past', () => {
    const xml = `<GetForwardingResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <forwardingList>
    <forwardListItem>
      <forwardingType>forwardImmediate</forwardingType>
      <forwardStatus>false</forwardStatus>
    </forwardListItem>
    <forwardListItem>
      <forwardingType>forwardNoAns</forwardingType>
      <forwardStatus>true</forwardStatus>
      <forwardDN>2002</forwardDN>
      <ringCount>4</ringCount>
    </forwardListItem>
  </forwardingList>
</GetForwardingResponse>`;
    expect(decodeCstaResponseOrEvent(xml)).toMatchObject({
      ok: true, kind: 'response',
      response: { service: 'GetForwardingResponse', forwardingList: [
        { forwardingType: 'forwardImmediate', forwardStatus: false },
        { forwardingType: 'forwardNoAns', forwardStatus: true, forwardDN: '2002' },
      ] },
    });
  });

  it('§2.2 SetAgentStateResponse with pendingAgentState, and §4 agent events with acdGroup and cause', () => {
    expect(decodeCstaResponseOrEvent(`<SetAgentStateResponse xmlns="${ED6}">
  <pendingAgentState>agentNotReady</pendingAgentState>
</SetAgentStateResponse>`)).toMatchObject({ ok: true, kind: 'response', response: { service: 'SetAgentStateResponse' } });
    expect(decodeCstaResponseOrEvent(`<AgentLoggedOnEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <monitorCrossRefID>17</monitorCrossRefID>
  <agentDevice><deviceIdentifier>1001</deviceIdentifier></agentDevice>
  <agentID>4711</agentID>
  <acdGroup>8000</acdGroup>
</AgentLoggedOnEvent>`)).toEqual({
      ok: true, namespace: ED6, kind: 'event', monitorCrossRefID: '17', event: { name: 'AgentLoggedOnEvent', agentDevice: '1001', agentID: '4711' },
    });
    expect(decodeCstaResponseOrEvent(`<AgentNotReadyEvent xmlns="${ED6}">
  <monitorCrossRefID>17</monitorCrossRefID>
  <agentDevice><deviceIdentifier>1001</deviceIdentifier></agentDevice>
  <agentID>4711</agentID>
  <cause>normal</cause>
</AgentNotReadyEvent>`)).toMatchObject({ ok: true, event: { name: 'AgentNotReadyEvent', agentDevice: '1001', agentID: '4711' } });
  });

  it('§4 AgentBusyEvent is refused: the types do not model it', () => {
    const result = decodeCstaResponseOrEvent(`<AgentBusyEvent xmlns="${ED6}">
  <monitorCrossRefID>17</monitorCrossRefID>
  <agentDevice><deviceIdentifier>1001</deviceIdentifier></agentDevice>
</AgentBusyEvent>`);
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('AgentBusyEvent') });
  });

  it('§8.4 DFKS-style plain device in an event is accepted', () => {
    expect(decodeCstaResponseOrEvent(`<ForwardingEvent xmlns="${CSTA_NAMESPACES.ed3}"><monitorCrossRefID>1</monitorCrossRefID><device>1001</device><forwardingType>forwardImmediate</forwardingType><forwardStatus>true</forwardStatus><forwardTo>tel:+15551234</forwardTo></ForwardingEvent>`))
      .toMatchObject({ ok: true, event: { name: 'ForwardingEvent', device: '1001', forwardStatus: true, forwardTo: 'tel:+15551234' } });
  });

  it('refuses responses missing a required field', () => {
    expect(decodeCstaResponseOrEvent('<MonitorStartResponse/>')).toMatchObject({ ok: false, reason: expect.stringContaining('monitorCrossRefID is missing') });
    expect(decodeCstaResponseOrEvent('<AgentReadyEvent><monitorCrossRefID>1</monitorCrossRefID></AgentReadyEvent>'))
      .toMatchObject({ ok: false, reason: expect.stringContaining('agentDevice') });
    expect(decodeCstaResponseOrEvent('<GetAgentStateResponse><agentStateList><agentStateEntry><loggedOnState>maybe</loggedOnState></agentStateEntry></agentStateList></GetAgentStateResponse>'))
      .toMatchObject({ ok: false });
    expect(decodeCstaResponseOrEvent('<MakeCallResponse/>')).toMatchObject({ ok: false });
  });

  it('server-initiated requests arrive as kind "request"', () => {
    expect(decodeCstaResponseOrEvent(encodeSystemStatus('normal', ED6))).toEqual({
      ok: true, namespace: ED6, kind: 'request', request: { service: 'SystemStatus', systemStatus: 'normal' },
    });
  });
});

describe('client side: exact reasons and skipped elements', () => {
  it('passes the XML layer\'s reason through', () => {
    expect(decodeCstaResponseOrEvent('')).toEqual({ ok: false, reason: 'empty document' });
    expect(decodeCstaErrorCode('')).toEqual({ ok: false, reason: 'empty document' });
  });

  it('a ForwardingEvent for another forwarding type is refused, naming it', () => {
    expect(decodeCstaResponseOrEvent(`<ForwardingEvent xmlns="${ED6}"><monitorCrossRefID>1</monitorCrossRefID><device>1001</device><forwardingType>forwardNoAns</forwardingType><forwardStatus>true</forwardStatus></ForwardingEvent>`))
      .toEqual({ ok: false, reason: 'ForwardingEvent for forwardNoAns: only forwardImmediate is modelled' });
  });

  it('MonitorStop from the server arrives as kind "request"', () => {
    expect(decodeCstaResponseOrEvent(encodeCstaRequest({ service: 'MonitorStop', monitorCrossRefID: '17' }, ED6))).toEqual({
      ok: true, namespace: ED6, kind: 'request', request: { service: 'MonitorStop', monitorCrossRefID: '17' },
    });
  });

  it('a session errorCode with neither definedError nor applError is refused', () => {
    expect(decodeCstaResponseOrEvent(`<StopApplicationSessionNegResponse xmlns="${ECMA354_NAMESPACE}"><errorCode/></StopApplicationSessionNegResponse>`))
      .toEqual({ ok: false, reason: 'StopApplicationSessionNegResponse/errorCode holds neither definedError nor applError' });
  });

  it('list elements other than the entries are read past', () => {
    expect(decodeCstaResponseOrEvent(`<GetAgentStateResponse xmlns="${ED6}"><agentStateList><agentStateEntry><loggedOnState>true</loggedOnState><agentInfo><note/><agentInfoItem><agentState>agentReady</agentState></agentInfoItem></agentInfo></agentStateEntry><extension/></agentStateList></GetAgentStateResponse>`))
      .toEqual({ ok: true, namespace: ED6, kind: 'response', response: { service: 'GetAgentStateResponse', agentStateList: [{ loggedOnState: true, agentInfo: [{ agentState: 'agentReady' }] }] } });
    expect(decodeCstaResponseOrEvent(`<GetForwardingResponse xmlns="${ED6}"><forwardingList><extension/><forwardListItem><forwardingType>forwardBusy</forwardingType><forwardStatus>false</forwardStatus></forwardListItem></forwardingList></GetForwardingResponse>`))
      .toEqual({ ok: true, namespace: ED6, kind: 'response', response: { service: 'GetForwardingResponse', forwardingList: [{ forwardingType: 'forwardBusy', forwardStatus: false }] } });
  });

  it('CSTAErrorCode refusals say why', () => {
    expect(decodeCstaErrorCode('<CSTAErrorCode/>')).toEqual({ ok: false, reason: 'CSTAErrorCode must hold exactly one category, has 0' });
    expect(decodeCstaErrorCode('<CSTAErrorCode><operation>generic</operation><security>generic</security></CSTAErrorCode>'))
      .toEqual({ ok: false, reason: 'CSTAErrorCode must hold exactly one category, has 2' });
    expect(decodeCstaErrorCode('<CSTAErrorCode><operation> </operation></CSTAErrorCode>')).toEqual({ ok: false, reason: 'CSTAErrorCode operation has no value' });
    expect(decodeCstaErrorCode(`<SetAgentStateResponse xmlns="${ED6}"/>`)).toEqual({ ok: false, reason: 'root is SetAgentStateResponse, not CSTAErrorCode' });
  });
});

describe('decodeCstaErrorCode (§7)', () => {
  it('accepts both spellings of systemResourceAvailibility', () => {
    for (const spelling of ['systemResourceAvailibility', 'systemResourceAvailability']) {
      expect(decodeCstaErrorCode(`<CSTAErrorCode xmlns="${ED6}"><${spelling}>resourceBusy</${spelling}></CSTAErrorCode>`))
        .toEqual({ ok: true, namespace: ED6, error: { category: 'systemResourceAvailibility', value: 'resourceBusy' } });
    }
  });

  it('decodes the reference examples, including <unspecified/> and the Yealink no-namespace form', () => {
    expect(decodeCstaErrorCode(`<CSTAErrorCode xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <operation>invalidAgentPassword</operation>
</CSTAErrorCode>`)).toMatchObject({ ok: true, error: { category: 'operation', value: 'invalidAgentPassword' } });
    expect(decodeCstaErrorCode('<CSTAErrorCode><unspecified/></CSTAErrorCode>'))
      .toEqual({ ok: true, namespace: '', error: { category: 'unspecified', value: '' } });
  });

  it('refuses zero or two categories, an unknown category, an empty value, another root', () => {
    expect(decodeCstaErrorCode('<CSTAErrorCode/>')).toMatchObject({ ok: false });
    expect(decodeCstaErrorCode('<CSTAErrorCode><operation>generic</operation><security>generic</security></CSTAErrorCode>')).toMatchObject({ ok: false });
    expect(decodeCstaErrorCode('<CSTAErrorCode><weather>rain</weather></CSTAErrorCode>')).toMatchObject({ ok: false, reason: expect.stringContaining('weather') });
    expect(decodeCstaErrorCode('<CSTAErrorCode><operation/></CSTAErrorCode>')).toMatchObject({ ok: false });
    expect(decodeCstaErrorCode('<SetAgentStateResponse/>')).toMatchObject({ ok: false });
  });
});

// ------------------------------------------------------------------------------------------------
// Round trips. Strings: XML-representable, without surrounding whitespace (leaf text is trimmed on
// input), and with the characters that need escaping well represented.

const text = fc
  .string({ unit: fc.oneof(fc.constantFrom('&', '<', '>', '"', "'", ']]>', ' ', 'é', '€', '😀', '\t', '\n'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 12 })
  .map((s) => s.replace(/[^\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '').trim());
const namespace = fc.oneof(fc.constantFrom(...Object.values(CSTA_NAMESPACES), ''), text);
const count = fc.nat({ max: 1_000_000 });
/** A record whose listed keys are optional: absent, never `undefined` (exactOptionalPropertyTypes). */
function message<R extends Record<string, fc.Arbitrary<unknown>>, O extends Record<string, fc.Arbitrary<unknown>>>(
  required: R, optional: O,
): fc.Arbitrary<{ [K in keyof R]: R[K] extends fc.Arbitrary<infer T> ? T : never } & { [K in keyof O]?: O[K] extends fc.Arbitrary<infer T> ? T : never }> {
  return fc.record({ ...required, ...optional }, { requiredKeys: Object.keys(required), noNullPrototype: true }) as never;
}

const response: fc.Arbitrary<CstaResponse> = fc.oneof(
  message({ service: fc.constant('MonitorStartResponse' as const), monitorCrossRefID: text }, {}),
  fc.constantFrom(
    { service: 'MonitorStopResponse' as const }, { service: 'SetAgentStateResponse' as const },
    { service: 'SetForwardingResponse' as const }, { service: 'SystemStatusResponse' as const },
    { service: 'StopApplicationSessionPosResponse' as const },
  ),
  message({
    service: fc.constant('GetAgentStateResponse' as const),
    agentStateList: fc.array(message(
      { loggedOnState: fc.boolean(), agentInfo: fc.array(message({ agentState: fc.constantFrom(...AGENT_STATES) }, {}), { maxLength: 3 }) },
      { agentID: text },
    ), { minLength: 1, maxLength: 3 }),
  }, {}),
  message({
    service: fc.constant('GetForwardingResponse' as const),
    forwardingList: fc.array(message({ forwardingType: fc.constantFrom(...FORWARDING_TYPES), forwardStatus: fc.boolean() }, { forwardDN: text }), { maxLength: 3 }),
  }, {}),
  message({ service: fc.constant('RequestSystemStatusResponse' as const), systemStatus: fc.constantFrom(...SYSTEM_STATUS_VALUES) }, {}),
  message({ service: fc.constant('StartApplicationSessionPosResponse' as const), sessionID: text, actualProtocolVersion: text }, { actualSessionDuration: count }),
  message({
    service: fc.constant('StartApplicationSessionNegResponse' as const),
    errorCode: fc.oneof(message({ definedError: fc.constantFrom(...START_SESSION_DEFINED_ERRORS) }, {}), message({ applError: text }, {})),
  }, {}),
  message({ service: fc.constant('ResetApplicationSessionTimerPosResponse' as const) }, { actualSessionDuration: count }),
  message({
    service: fc.constant('ResetApplicationSessionTimerNegResponse' as const),
    errorCode: fc.oneof(message({ definedError: fc.constantFrom('invalidSessionID' as const, 'serverCannotResetSessionTimer' as const) }, {}), message({ applError: text }, {})),
  }, {}),
  message({ service: fc.constant('StopApplicationSessionNegResponse' as const), errorCode: fc.constant({ definedError: 'invalidSessionID' as const }) }, {}),
);

const event: fc.Arbitrary<CstaEvent> = fc.oneof(
  message({ name: fc.constantFrom(...AGENT_EVENT_NAMES), agentDevice: text }, { agentID: text }),
  message({ name: fc.constant('ForwardingEvent' as const), device: text, forwardingType: fc.constant('forwardImmediate' as const), forwardStatus: fc.boolean() }, { forwardTo: text }),
);

const error: fc.Arbitrary<CstaError> = fc.oneof(
  message({ category: fc.constantFrom(...ERROR_CATEGORIES.filter((c) => c !== 'unspecified')), value: text.filter((v) => v !== '') }, {}),
  fc.constant({ category: 'unspecified' as const, value: '' }),
);

const filter: fc.Arbitrary<MonitorFilter> = message({}, Object.fromEntries(MONITOR_FILTER_FLAGS.map((flag) => [flag, fc.boolean()])) as Record<keyof MonitorFilter, fc.Arbitrary<boolean>>);

const request: fc.Arbitrary<CstaRequest> = fc.oneof(
  message({ service: fc.constant('MonitorStart' as const) }, { monitorObject: text, filter }),
  message({ service: fc.constant('MonitorStop' as const) }, { monitorCrossRefID: text }),
  message({ service: fc.constant('SetAgentState' as const) }, { device: text, requestedAgentState: text, agentID: text }),
  message({ service: fc.constantFrom('GetAgentState' as const, 'GetForwarding' as const) }, { device: text }),
  message({ service: fc.constant('SetForwarding' as const) }, { device: text, forwardingType: text, activateForward: fc.boolean(), forwardDN: text }),
  fc.constant({ service: 'RequestSystemStatus' as const }),
  message({ service: fc.constant('SystemStatus' as const) }, { systemStatus: fc.constantFrom(...SYSTEM_STATUS_VALUES) }),
  message({ service: fc.constant('StartApplicationSession' as const) }, {
    applicationID: text, requestedProtocolVersion: namespace, userID: text, password: text, requestedSessionDuration: count,
  }),
  message({ service: fc.constant('ResetApplicationSessionTimer' as const) }, { sessionID: text, requestedSessionDuration: count }),
  message({ service: fc.constant('StopApplicationSession' as const) }, { sessionID: text }),
  message({ service: fc.constant('Unsupported' as const), name: fc.constantFrom('MakeCall', 'SetDoNotDisturb', 'Snapshot', 'x') }, {}),
);

describe('round trips (pinned: seed 42, 200 runs)', () => {
  test.prop([response, namespace], { numRuns: 200 })('response → XML → response', (r, ns) => {
    const result = decodeCstaResponseOrEvent(encodeCstaResponse(r, ns));
    const expectedNs = r.service.includes('ApplicationSession') ? ECMA354_NAMESPACE : ns;
    expect(result).toStrictEqual({ ok: true, namespace: expectedNs, kind: 'response', response: r });
  });

  test.prop([event, text, namespace], { numRuns: 200 })('event → XML → event', (e, crossRef, ns) => {
    expect(decodeCstaResponseOrEvent(encodeCstaEvent(e, crossRef, ns)))
      .toStrictEqual({ ok: true, namespace: ns, kind: 'event', monitorCrossRefID: crossRef, event: e });
  });

  test.prop([error, fc.constantFrom(CSTA_NAMESPACES.ed6, '')], { numRuns: 200 })('error → XML → error', (err, ns) => {
    expect(decodeCstaErrorCode(encodeCstaError(err, ns))).toStrictEqual({ ok: true, namespace: ns, error: err });
    expect(decodeCstaResponseOrEvent(encodeCstaError(err, ns))).toStrictEqual({ ok: true, namespace: ns, kind: 'error', error: err });
  });

  test.prop([request, namespace], { numRuns: 200 })('request → XML → request (test clients against the server decoder)', (r, ns) => {
    const result = decodeCstaMessage(encodeCstaRequest(r, ns));
    expect(result.ok && result.message).toStrictEqual(r);
  });
});
