import { describe, expect, it } from 'vitest';
import {
  XML_DECLARATION, encodeApplicationSessionTerminated, encodeCstaError, encodeCstaEvent, encodeCstaRequest, encodeCstaResponse, encodeSystemStatus,
} from '../../src/csta/encode.js';
import { CSTA_NAMESPACES, DEFAULT_CSTA_NAMESPACE, ECMA354_NAMESPACE } from '../../src/csta/namespaces.js';
import { CstaErrors } from '../../src/csta/types.js';

const ED3 = CSTA_NAMESPACES.ed3;
const ED4 = CSTA_NAMESPACES.ed4;
const ED6 = CSTA_NAMESPACES.ed6;

/** The reference's examples are pretty-printed; ours are one line. Compare the element structure. */
function wire(xml: string): string {
  return xml.replace(/^<\?xml[^?]*\?>/, '').replace(/>\s+</g, '><').trim();
}

function expectWire(actual: string, reference: string): void {
  expect(actual.startsWith(XML_DECLARATION)).toBe(true);
  expect(wire(actual)).toBe(wire(reference));
}

describe('responses, as in reference/csta.md', () => {
  it('§2.2 SetAgentStateResponse: the empty positive acknowledgement', () => {
    expectWire(encodeCstaResponse({ service: 'SetAgentStateResponse' }, ED6),
      '<SetAgentStateResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6"/>');
  });

  it('§3 GetAgentStateResponse (the example without acdGroup/pendingAgentState, which we do not model)', () => {
    const reference = `<GetAgentStateResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <agentStateList>
    <agentStateEntry>
      <agentID>4711</agentID>
      <loggedOnState>true</loggedOnState>
      <agentInfo>
        <agentInfoItem>
          <agentState>agentBusy</agentState>
        </agentInfoItem>
      </agentInfo>
    </agentStateEntry>
  </agentStateList>
</GetAgentStateResponse>`;
    expectWire(encodeCstaResponse({
      service: 'GetAgentStateResponse',
      agentStateList: [{ agentID: '4711', loggedOnState: true, agentInfo: [{ agentState: 'agentBusy' }] }],
    }, ED6), reference);
  });

  it('§3 logged-off agent: loggedOnState false, agentNull; no agentInfo when there is none', () => {
    expectWire(encodeCstaResponse({
      service: 'GetAgentStateResponse',
      agentStateList: [
        { agentID: 'agent-001@example.com', loggedOnState: false, agentInfo: [{ agentState: 'agentNull' }] },
        { loggedOnState: false, agentInfo: [] },
      ],
    }, ED6), `<GetAgentStateResponse xmlns="${ED6}"><agentStateList>
<agentStateEntry><agentID>agent-001@example.com</agentID><loggedOnState>false</loggedOnState><agentInfo><agentInfoItem><agentState>agentNull</agentState></agentInfoItem></agentInfo></agentStateEntry>
<agentStateEntry><loggedOnState>false</loggedOnState></agentStateEntry></agentStateList></GetAgentStateResponse>`);
  });

  it('§5.1 SetForwardingResponse (ed3)', () => {
    expectWire(encodeCstaResponse({ service: 'SetForwardingResponse' }, ED3),
      '<SetForwardingResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"/>');
  });

  it('§5.2 GetForwardingResponse (the example without ringCount)', () => {
    const reference = `<GetForwardingResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <forwardingList>
    <forwardListItem>
      <forwardingType>forwardImmediate</forwardingType>
      <forwardStatus>false</forwardStatus>
    </forwardListItem>
    <forwardListItem>
      <forwardingType>forwardNoAns</forwardingType>
      <forwardStatus>true</forwardStatus>
      <forwardDN>2002</forwardDN>
    </forwardListItem>
  </forwardingList>
</GetForwardingResponse>`;
    expectWire(encodeCstaResponse({
      service: 'GetForwardingResponse',
      forwardingList: [
        { forwardingType: 'forwardImmediate', forwardStatus: false },
        { forwardingType: 'forwardNoAns', forwardStatus: true, forwardDN: '2002' },
      ],
    }, ED6), reference);
  });

  it('§6.1 MonitorStartResponse (ed4)', () => {
    expectWire(encodeCstaResponse({ service: 'MonitorStartResponse', monitorCrossRefID: '17' }, ED4),
      `<MonitorStartResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4">
  <monitorCrossRefID>17</monitorCrossRefID>
</MonitorStartResponse>`);
  });

  it('§6.3 MonitorStopResponse, §6.4 SystemStatusResponse and RequestSystemStatusResponse', () => {
    expectWire(encodeCstaResponse({ service: 'MonitorStopResponse' }, ED6), `<MonitorStopResponse xmlns="${ED6}"/>`);
    expectWire(encodeCstaResponse({ service: 'SystemStatusResponse' }, ED4),
      '<SystemStatusResponse xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"/>');
    expectWire(encodeCstaResponse({ service: 'RequestSystemStatusResponse', systemStatus: 'normal' }, ED3),
      `<RequestSystemStatusResponse xmlns="${ED3}"><systemStatus>normal</systemStatus></RequestSystemStatusResponse>`);
  });

  it('§6.4 SystemStatus, the server-initiated request (ed4)', () => {
    expectWire(encodeSystemStatus('normal', ED4), `<SystemStatus xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4">
  <systemStatus>normal</systemStatus>
</SystemStatus>`);
    expectWire(encodeSystemStatus('disabled', ED6), `<SystemStatus xmlns="${ED6}"><systemStatus>disabled</systemStatus></SystemStatus>`);
  });

  it('§6.5 StartApplicationSessionPosResponse, always in the ECMA-354 namespace', () => {
    const reference = `<StartApplicationSessionPosResponse xmlns="http://www.ecma-international.org/standards/ecma-354/appl_session">
  <sessionID>5A3F</sessionID>
  <actualProtocolVersion>http://www.ecma-international.org/standards/ecma-323/csta/ed4</actualProtocolVersion>
  <actualSessionDuration>180</actualSessionDuration>
</StartApplicationSessionPosResponse>`;
    expectWire(encodeCstaResponse({
      service: 'StartApplicationSessionPosResponse', sessionID: '5A3F', actualProtocolVersion: ED4, actualSessionDuration: 180,
    }, ED4), reference);
  });

  it('§6.5 the other ECMA-354 responses', () => {
    const ns = ECMA354_NAMESPACE;
    expectWire(encodeCstaResponse({ service: 'StartApplicationSessionNegResponse', errorCode: { definedError: 'requestedProtocolVersionNotSupported' } }, ED6),
      `<StartApplicationSessionNegResponse xmlns="${ns}"><errorCode><definedError>requestedProtocolVersionNotSupported</definedError></errorCode></StartApplicationSessionNegResponse>`);
    expectWire(encodeCstaResponse({ service: 'StartApplicationSessionNegResponse', errorCode: { applError: 'bad password' } }, ED6),
      `<StartApplicationSessionNegResponse xmlns="${ns}"><errorCode><applError>bad password</applError></errorCode></StartApplicationSessionNegResponse>`);
    expectWire(encodeCstaResponse({ service: 'ResetApplicationSessionTimerPosResponse', actualSessionDuration: 60 }, ED6),
      `<ResetApplicationSessionTimerPosResponse xmlns="${ns}"><actualSessionDuration>60</actualSessionDuration></ResetApplicationSessionTimerPosResponse>`);
    expectWire(encodeCstaResponse({ service: 'ResetApplicationSessionTimerNegResponse', errorCode: { definedError: 'invalidSessionID' } }, ED6),
      `<ResetApplicationSessionTimerNegResponse xmlns="${ns}"><errorCode><definedError>invalidSessionID</definedError></errorCode></ResetApplicationSessionTimerNegResponse>`);
    expectWire(encodeCstaResponse({ service: 'StopApplicationSessionPosResponse' }, ED6), `<StopApplicationSessionPosResponse xmlns="${ns}"/>`);
    expectWire(encodeCstaResponse({ service: 'StopApplicationSessionNegResponse', errorCode: { definedError: 'invalidSessionID' } }, ED6),
      `<StopApplicationSessionNegResponse xmlns="${ns}"><errorCode><definedError>invalidSessionID</definedError></errorCode></StopApplicationSessionNegResponse>`);
  });
});

describe('events, as in reference/csta.md', () => {
  it('§4 AgentLoggedOnEvent (the example without acdGroup): SubjectDeviceID for agentDevice', () => {
    expectWire(encodeCstaEvent({ name: 'AgentLoggedOnEvent', agentDevice: '1001', agentID: '4711' }, '17', ED6),
      `<AgentLoggedOnEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <monitorCrossRefID>17</monitorCrossRefID>
  <agentDevice><deviceIdentifier>1001</deviceIdentifier></agentDevice>
  <agentID>4711</agentID>
</AgentLoggedOnEvent>`);
  });

  it('§4 AgentNotReadyEvent (without cause), and the other agent events', () => {
    expectWire(encodeCstaEvent({ name: 'AgentNotReadyEvent', agentDevice: '1001', agentID: '4711' }, '17', ED6),
      `<AgentNotReadyEvent xmlns="${ED6}"><monitorCrossRefID>17</monitorCrossRefID><agentDevice><deviceIdentifier>1001</deviceIdentifier></agentDevice><agentID>4711</agentID></AgentNotReadyEvent>`);
    for (const name of ['AgentLoggedOffEvent', 'AgentReadyEvent', 'AgentWorkingAfterCallEvent'] as const) {
      expectWire(encodeCstaEvent({ name, agentDevice: 'desk-101' }, '3', ED3),
        `<${name} xmlns="${ED3}"><monitorCrossRefID>3</monitorCrossRefID><agentDevice><deviceIdentifier>desk-101</deviceIdentifier></agentDevice></${name}>`);
    }
  });

  it('§5.3 ForwardingEvent: device as SubjectDeviceID, forwardTo (not forwardDN)', () => {
    expectWire(encodeCstaEvent({ name: 'ForwardingEvent', device: '1001', forwardingType: 'forwardImmediate', forwardStatus: true, forwardTo: '2002' }, '17', ED6),
      `<ForwardingEvent xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <monitorCrossRefID>17</monitorCrossRefID>
  <device><deviceIdentifier>1001</deviceIdentifier></device>
  <forwardingType>forwardImmediate</forwardingType>
  <forwardStatus>true</forwardStatus>
  <forwardTo>2002</forwardTo>
</ForwardingEvent>`);
    expectWire(encodeCstaEvent({ name: 'ForwardingEvent', device: '1001', forwardingType: 'forwardImmediate', forwardStatus: false }, '17', ED3),
      `<ForwardingEvent xmlns="${ED3}"><monitorCrossRefID>17</monitorCrossRefID><device><deviceIdentifier>1001</deviceIdentifier></device><forwardingType>forwardImmediate</forwardingType><forwardStatus>false</forwardStatus></ForwardingEvent>`);
  });
});

describe('errors, as in reference/csta.md §7', () => {
  it('the three examples', () => {
    expectWire(encodeCstaError({ category: 'operation', value: 'invalidAgentPassword' }, ED6),
      `<CSTAErrorCode xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <operation>invalidAgentPassword</operation>
</CSTAErrorCode>`);
    expectWire(encodeCstaError(CstaErrors.resourceBusy, ED6),
      `<CSTAErrorCode xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <systemResourceAvailibility>resourceBusy</systemResourceAvailibility>
</CSTAErrorCode>`);
    expectWire(encodeCstaError({ category: 'unspecified', value: '' }, ED6),
      `<CSTAErrorCode xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <unspecified/>
</CSTAErrorCode>`);
  });

  it('every error the connector produces, in the schema spelling', () => {
    for (const error of Object.values(CstaErrors)) {
      expectWire(encodeCstaError(error, ED6), `<CSTAErrorCode xmlns="${ED6}"><${error.category}>${error.value}</${error.category}></CSTAErrorCode>`);
    }
    expect(encodeCstaError(CstaErrors.networkOutOfService, ED6)).toContain('<systemResourceAvailibility>');
    expect(encodeCstaError(CstaErrors.networkOutOfService, ED6)).not.toContain('Availability');
  });

  it('ed6-only values become generic for older editions, and stay for ed6', () => {
    for (const value of ['conferenceResourceCannotBeSatisfied', 'maxDevicesExceeded', 'startTimeOutOfRange', 'durationExceeded']) {
      const error = { category: 'systemResourceAvailibility' as const, value };
      expect(encodeCstaError(error, ED3)).toContain('<systemResourceAvailibility>generic</systemResourceAvailibility>');
      expect(encodeCstaError(error, `${ED3}/priv5`)).toContain('>generic<');
      expect(encodeCstaError(error, ED6)).toContain(`>${value}<`);
    }
    expect(encodeCstaError(CstaErrors.resourceBusy, ED3)).toContain('>resourceBusy<');
  });

  it('privateErrorCode carries free text', () => {
    expectWire(encodeCstaError({ category: 'privateErrorCode', value: 'URM Denied' }, ED6),
      `<CSTAErrorCode xmlns="${ED6}"><privateErrorCode>URM Denied</privateErrorCode></CSTAErrorCode>`);
  });
});

describe('namespace echo and escaping', () => {
  it('answers in each edition the client used, or with no xmlns when it used none', () => {
    for (const ns of Object.values(CSTA_NAMESPACES)) {
      expect(encodeCstaResponse({ service: 'SetAgentStateResponse' }, ns)).toBe(`${XML_DECLARATION}<SetAgentStateResponse xmlns="${ns}"/>`);
    }
    expect(encodeCstaResponse({ service: 'SetAgentStateResponse' }, '')).toBe(`${XML_DECLARATION}<SetAgentStateResponse/>`);
    expect(DEFAULT_CSTA_NAMESPACE).toBe(ED6);
  });

  it('escapes &, <, >, quotes in text and in the namespace attribute', () => {
    const xml = encodeCstaEvent({ name: 'AgentReadyEvent', agentDevice: `a&b<c>"d'`, agentID: ']]>' }, '1&2', 'urn:"x"&y');
    expect(xml).toContain('<deviceIdentifier>a&amp;b&lt;c&gt;&quot;d&apos;</deviceIdentifier>');
    expect(xml).toContain('<agentID>]]&gt;</agentID>');
    expect(xml).toContain('<monitorCrossRefID>1&amp;2</monitorCrossRefID>');
    expect(xml).toContain('xmlns="urn:&quot;x&quot;&amp;y"');
  });

  it('replaces characters XML cannot carry, and writes CR as a reference', () => {
    const xml = encodeCstaResponse({ service: 'MonitorStartResponse', monitorCrossRefID: 'a\u0001b\rc' }, ED6);
    expect(xml).toContain('<monitorCrossRefID>a\uFFFDb&#13;c</monitorCrossRefID>');
  });
});

describe('requests, for test clients', () => {
  it('writes schema order and the filter under logicalDeviceFeature', () => {
    expectWire(encodeCstaRequest({ service: 'SetForwarding', forwardDN: '2002', activateForward: true, device: '1001', forwardingType: 'forwardImmediate' }, ED6),
      `<SetForwarding xmlns="${ED6}"><device>1001</device><forwardingType>forwardImmediate</forwardingType><activateForward>true</activateForward><forwardDN>2002</forwardDN></SetForwarding>`);
    expectWire(encodeCstaRequest({ service: 'MonitorStart', monitorObject: '1001', filter: { forwarding: true, agentReady: false } }, ED4),
      `<MonitorStart xmlns="${ED4}"><monitorObject><deviceObject>1001</deviceObject></monitorObject><requestedMonitorFilter><logicalDeviceFeature><agentReady>false</agentReady><forwarding>true</forwarding></logicalDeviceFeature></requestedMonitorFilter></MonitorStart>`);
  });

  it('writes session requests in the ECMA-354 namespace, as in §6.5', () => {
    expectWire(encodeCstaRequest({
      service: 'StartApplicationSession', applicationID: 'MyApp', userID: 'cti', password: 'secret',
      requestedProtocolVersion: ED4, requestedSessionDuration: 180,
    }, ED6), `<StartApplicationSession xmlns="http://www.ecma-international.org/standards/ecma-354/appl_session">
  <applicationInfo>
    <applicationID>MyApp</applicationID>
    <applicationSpecificInfo><user>cti</user><password>secret</password></applicationSpecificInfo>
  </applicationInfo>
  <requestedProtocolVersions>
    <protocolVersion>http://www.ecma-international.org/standards/ecma-323/csta/ed4</protocolVersion>
  </requestedProtocolVersions>
  <requestedSessionDuration>180</requestedSessionDuration>
</StartApplicationSession>`);
  });
});

describe('empty and absent parts (rule 3: absent fields left out, an empty element self-closes)', () => {
  it('an empty forwardingList is left out, so GetForwardingResponse self-closes', () => {
    expect(encodeCstaResponse({ service: 'GetForwardingResponse', forwardingList: [] }, ED6))
      .toBe(`${XML_DECLARATION}<GetForwardingResponse xmlns="${ED6}"/>`);
  });

  it('an empty agentStateList is written as a self-closing element (it is required)', () => {
    expect(encodeCstaResponse({ service: 'GetAgentStateResponse', agentStateList: [] }, ED6))
      .toBe(`${XML_DECLARATION}<GetAgentStateResponse xmlns="${ED6}"><agentStateList/></GetAgentStateResponse>`);
  });

  it('several agent states follow one another inside agentInfo', () => {
    expectWire(encodeCstaResponse({
      service: 'GetAgentStateResponse',
      agentStateList: [{ loggedOnState: true, agentInfo: [{ agentState: 'agentReady' }, { agentState: 'agentBusy' }] }],
    }, ED6), `<GetAgentStateResponse xmlns="${ED6}"><agentStateList><agentStateEntry><loggedOnState>true</loggedOnState><agentInfo>
<agentInfoItem><agentState>agentReady</agentState></agentInfoItem><agentInfoItem><agentState>agentBusy</agentState></agentInfoItem>
</agentInfo></agentStateEntry></agentStateList></GetAgentStateResponse>`);
  });

  it('session durations: absent or non-finite ones are left out, fractions are truncated', () => {
    const ns = ECMA354_NAMESPACE;
    expect(encodeCstaResponse({ service: 'ResetApplicationSessionTimerPosResponse' }, ED6))
      .toBe(`${XML_DECLARATION}<ResetApplicationSessionTimerPosResponse xmlns="${ns}"/>`);
    for (const duration of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(encodeCstaResponse({ service: 'ResetApplicationSessionTimerPosResponse', actualSessionDuration: duration }, ED6))
        .toBe(`${XML_DECLARATION}<ResetApplicationSessionTimerPosResponse xmlns="${ns}"/>`);
    }
    expectWire(encodeCstaResponse({ service: 'StartApplicationSessionPosResponse', sessionID: 's1', actualProtocolVersion: ED6, actualSessionDuration: 180.9 }, ED6),
      `<StartApplicationSessionPosResponse xmlns="${ns}"><sessionID>s1</sessionID><actualProtocolVersion>${ED6}</actualProtocolVersion><actualSessionDuration>180</actualSessionDuration></StartApplicationSessionPosResponse>`);
  });
});

describe('ed6-only error values (rule 4)', () => {
  it('only systemResourceAvailibility values are replaced: the same words in another category pass unchanged', () => {
    expectWire(encodeCstaError({ category: 'privateErrorCode', value: 'maxDevicesExceeded' }, ED3),
      `<CSTAErrorCode xmlns="${ED3}"><privateErrorCode>maxDevicesExceeded</privateErrorCode></CSTAErrorCode>`);
  });
});

describe('requests, for test clients: empty and absent parts', () => {
  it('MonitorStart leaves out an absent monitorObject and filter, and writes an empty filter as an empty element', () => {
    expect(encodeCstaRequest({ service: 'MonitorStart' }, ED6)).toBe(`${XML_DECLARATION}<MonitorStart xmlns="${ED6}"/>`);
    expectWire(encodeCstaRequest({ service: 'MonitorStart', filter: {} }, ED6),
      `<MonitorStart xmlns="${ED6}"><requestedMonitorFilter/></MonitorStart>`);
    expectWire(encodeCstaRequest({ service: 'MonitorStart', filter: { forwarding: false } }, ED6),
      `<MonitorStart xmlns="${ED6}"><requestedMonitorFilter><logicalDeviceFeature><forwarding>false</forwarding></logicalDeviceFeature></requestedMonitorFilter></MonitorStart>`);
  });

  it('RequestSystemStatus and an unsupported service are empty roots in the client namespace', () => {
    expect(encodeCstaRequest({ service: 'RequestSystemStatus' }, ED4)).toBe(`${XML_DECLARATION}<RequestSystemStatus xmlns="${ED4}"/>`);
    expect(encodeCstaRequest({ service: 'Unsupported', name: 'MakeCall' }, ED6)).toBe(`${XML_DECLARATION}<MakeCall xmlns="${ED6}"/>`);
  });

  it('GetForwarding and GetAgentState carry only the device', () => {
    expectWire(encodeCstaRequest({ service: 'GetForwarding', device: '1001' }, ED6), `<GetForwarding xmlns="${ED6}"><device>1001</device></GetForwarding>`);
    expectWire(encodeCstaRequest({ service: 'GetAgentState', device: '1001' }, ED6), `<GetAgentState xmlns="${ED6}"><device>1001</device></GetAgentState>`);
  });

  it('StartApplicationSession without credentials, version or duration: applicationInfo alone', () => {
    expectWire(encodeCstaRequest({ service: 'StartApplicationSession', applicationID: 'MyApp' }, ED6),
      `<StartApplicationSession xmlns="${ECMA354_NAMESPACE}"><applicationInfo><applicationID>MyApp</applicationID></applicationInfo></StartApplicationSession>`);
    expectWire(encodeCstaRequest({ service: 'StartApplicationSession' }, ED6),
      `<StartApplicationSession xmlns="${ECMA354_NAMESPACE}"><applicationInfo/></StartApplicationSession>`);
  });

  it('StopApplicationSession gives the normal end reason; ResetApplicationSessionTimer the duration', () => {
    expectWire(encodeCstaRequest({ service: 'StopApplicationSession', sessionID: '5A3F' }, ED6),
      `<StopApplicationSession xmlns="${ECMA354_NAMESPACE}"><sessionID>5A3F</sessionID><sessionEndReason><definedEndReason>normal</definedEndReason></sessionEndReason></StopApplicationSession>`);
    expectWire(encodeCstaRequest({ service: 'ResetApplicationSessionTimer', sessionID: '5A3F', requestedSessionDuration: 60 }, ED6),
      `<ResetApplicationSessionTimer xmlns="${ECMA354_NAMESPACE}"><sessionID>5A3F</sessionID><requestedSessionDuration>60</requestedSessionDuration></ResetApplicationSessionTimer>`);
  });
});

describe('a message outside the types', () => {
  it('is refused with an error naming it, not encoded as something else', () => {
    expect(() => encodeCstaResponse({ service: 'BogusResponse' } as unknown as Parameters<typeof encodeCstaResponse>[0], ED6))
      .toThrow('unhandled CSTA message {"service":"BogusResponse"}');
    expect(() => encodeCstaRequest({ service: 'Bogus' } as unknown as Parameters<typeof encodeCstaRequest>[0], ED6))
      .toThrow('unhandled CSTA message {"service":"Bogus"}');
  });
});

describe('system services and session termination (issue 12 items 4, 5)', () => {
  it('SystemStatus names the registration first when there is one (schema order)', () => {
    expectWire(encodeSystemStatus('disabled', ED4, '7'),
      `<SystemStatus xmlns="${ED4}"><sysStatRegisterID>7</sysStatRegisterID><systemStatus>disabled</systemStatus></SystemStatus>`);
  });

  it('SystemRegisterResponse carries the sysStatRegisterID; the cancel response is empty', () => {
    expectWire(encodeCstaResponse({ service: 'SystemRegisterResponse', sysStatRegisterID: '1' }, ED4),
      `<SystemRegisterResponse xmlns="${ED4}"><sysStatRegisterID>1</sysStatRegisterID></SystemRegisterResponse>`);
    expectWire(encodeCstaResponse({ service: 'SystemRegisterCancelResponse' }, ''), '<SystemRegisterCancelResponse/>');
  });

  it('ApplicationSessionTerminated in the ECMA-354 namespace, with a defined or a server reason', () => {
    expectWire(encodeApplicationSessionTerminated('S1', { definedTermReason: 'sessionTimerExpired' }),
      `<ApplicationSessionTerminated xmlns="${ECMA354_NAMESPACE}"><sessionID>S1</sessionID><sessionTermReason><definedTermReason>sessionTimerExpired</definedTermReason></sessionTermReason></ApplicationSessionTerminated>`);
    expectWire(encodeApplicationSessionTerminated('S2', { serverTermReason: 'shutting <down>' }),
      `<ApplicationSessionTerminated xmlns="${ECMA354_NAMESPACE}"><sessionID>S2</sessionID><sessionTermReason><serverTermReason>shutting &lt;down&gt;</serverTermReason></sessionTermReason></ApplicationSessionTerminated>`);
  });
});
