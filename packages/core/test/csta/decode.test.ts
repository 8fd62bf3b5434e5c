import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { catchMalformed, decodeCstaMessage, isCstaReplyName } from '../../src/csta/decode.js';
import { decodeCstaErrorCode, decodeCstaResponseOrEvent } from '../../src/csta/decode-reply.js';
import { CSTA_NAMESPACES, ECMA354_NAMESPACE } from '../../src/csta/namespaces.js';
import type { CstaRequest } from '../../src/csta/types.js';

const ED3 = CSTA_NAMESPACES.ed3;
const ED6 = CSTA_NAMESPACES.ed6;

function decoded(xml: string): CstaRequest {
  const result = decodeCstaMessage(xml);
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}`);
  return result.message;
}

function refused(xml: string): { category: string; value: string; reason: string } {
  const result = decodeCstaMessage(xml);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.message)}`);
  return { ...result.error, reason: result.reason };
}

describe('wire examples of reference/csta.md', () => {
  it('§2.1 SetAgentState, full form with declaration: password and group are read past', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<SetAgentState xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed6">
  <device>1001</device>
  <requestedAgentState>loggedOn</requestedAgentState>
  <agentID>4711</agentID>
  <password>31323334</password>
  <group>8000</group>
</SetAgentState>`;
    expect(decodeCstaMessage(xml)).toEqual({
      ok: true,
      message: { service: 'SetAgentState', device: '1001', requestedAgentState: 'loggedOn', agentID: '4711' },
      namespace: ED6,
      edition: 'ed6',
    });
  });

  it('§2.1 SetAgentState, Avaya DMCC minimal form with attributes and a vendor namespace (ed3/priv6)', () => {
    const xml = `<!-- namespace = whichever DMCC protocol version was negotiated, e.g. .../ed3/priv6 -->
<SetAgentState xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3/priv6">
  <device typeOfNumber="other" mediaClass="notKnown">1001::10.0.0.1:0</device>
  <requestedAgentState>ready</requestedAgentState>
</SetAgentState>`;
    const result = decodeCstaMessage(xml);
    expect(result).toEqual({
      ok: true,
      message: { service: 'SetAgentState', device: '1001::10.0.0.1:0', requestedAgentState: 'ready' },
      namespace: 'http://www.ecma-international.org/standards/ecma-323/csta/ed3/priv6',
      edition: 'ed3',
    });
  });

  it('§3 GetAgentState (acdGroup ignored)', () => {
    expect(decoded(`<GetAgentState xmlns="${ED6}"><device>1001</device><acdGroup>8000</acdGroup></GetAgentState>`))
      .toEqual({ service: 'GetAgentState', device: '1001' });
  });

  it('§5.1 SetForwarding (ed3; ringCount read past)', () => {
    const xml = `<SetForwarding xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3">
  <device>1001</device>
  <forwardingType>forwardNoAns</forwardingType>
  <activateForward>true</activateForward>
  <forwardDN>2002</forwardDN>
  <ringCount>4</ringCount>
</SetForwarding>`;
    expect(decodeCstaMessage(xml)).toEqual({
      ok: true,
      message: { service: 'SetForwarding', device: '1001', forwardingType: 'forwardNoAns', activateForward: true, forwardDN: '2002' },
      namespace: ED3,
      edition: 'ed3',
    });
  });

  it('§5.2 GetForwarding', () => {
    expect(decoded(`<GetForwarding xmlns="${ED6}"><device>1001</device></GetForwarding>`))
      .toEqual({ service: 'GetForwarding', device: '1001' });
  });

  it('§6.1 MonitorStart, the psco-tech test vector (ed4, typeOfNumber, monitorType)', () => {
    const xml = '<MonitorStart xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4"><monitorObject><deviceObject typeOfNumber="dialingNumber">212700</deviceObject></monitorObject><monitorType>device</monitorType></MonitorStart>';
    expect(xml.length).toBe(227); // as recomputed in the reference: 0xEB = 227 + 8
    expect(decodeCstaMessage(xml)).toEqual({
      ok: true, message: { service: 'MonitorStart', monitorObject: '212700' }, namespace: CSTA_NAMESPACES.ed4, edition: 'ed4',
    });
  });

  it('§6.3 MonitorStop', () => {
    expect(decoded(`<MonitorStop xmlns="${ED6}"><monitorCrossRefID>17</monitorCrossRefID></MonitorStop>`))
      .toEqual({ service: 'MonitorStop', monitorCrossRefID: '17' });
  });

  it('§6.4 SystemStatus from the client (ed4) and RequestSystemStatus', () => {
    const xml = `<SystemStatus xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed4">
  <systemStatus>normal</systemStatus>
</SystemStatus>`;
    expect(decoded(xml)).toEqual({ service: 'SystemStatus', systemStatus: 'normal' });
    expect(decoded(`<RequestSystemStatus xmlns="${ED3}"><sysStatRegisterID>1</sysStatRegisterID></RequestSystemStatus>`))
      .toEqual({ service: 'RequestSystemStatus', sysStatRegisterID: '1' }); // issue 12 item 5: the register ID is kept
  });

  it('§6.5 StartApplicationSession (OSBiz credentials)', () => {
    const xml = `<StartApplicationSession xmlns="http://www.ecma-international.org/standards/ecma-354/appl_session">
  <applicationInfo>
    <applicationID>MyApp</applicationID>
    <applicationSpecificInfo><user>cti</user><password>secret</password></applicationSpecificInfo>
  </applicationInfo>
  <requestedProtocolVersions>
    <protocolVersion>http://www.ecma-international.org/standards/ecma-323/csta/ed4</protocolVersion>
  </requestedProtocolVersions>
  <requestedSessionDuration>180</requestedSessionDuration>
</StartApplicationSession>`;
    const result = decodeCstaMessage(xml);
    expect(result).toEqual({
      ok: true,
      message: {
        service: 'StartApplicationSession', applicationID: 'MyApp', requestedProtocolVersion: CSTA_NAMESPACES.ed4,
        userID: 'cti', password: 'secret', requestedSessionDuration: 180,
      },
      namespace: ECMA354_NAMESPACE,
    });
  });

  it('§6.5 StartApplicationSession, Avaya SessionLoginInfo; the first version we speak is chosen', () => {
    const xml = `<StartApplicationSession xmlns="${ECMA354_NAMESPACE}"><applicationInfo><applicationID>dmcc</applicationID>
<applicationSpecificInfo><SessionLoginInfo xmlns="http://www.avaya.com/csta"><userName>avaya</userName><password>pw</password></SessionLoginInfo></applicationSpecificInfo></applicationInfo>
<requestedProtocolVersions><protocolVersion>urn:unknown</protocolVersion><protocolVersion>http://www.ecma-international.org/standards/ecma-323/csta/ed3/priv5</protocolVersion></requestedProtocolVersions></StartApplicationSession>`;
    expect(decoded(xml)).toEqual({
      service: 'StartApplicationSession', applicationID: 'dmcc', userID: 'avaya', password: 'pw',
      requestedProtocolVersion: 'http://www.ecma-international.org/standards/ecma-323/csta/ed3/priv5',
    });
  });

  it('§6.5 ResetApplicationSessionTimer and StopApplicationSession', () => {
    expect(decoded(`<ResetApplicationSessionTimer xmlns="${ECMA354_NAMESPACE}"><sessionID>5A3F</sessionID><requestedSessionDuration>180</requestedSessionDuration></ResetApplicationSessionTimer>`))
      .toEqual({ service: 'ResetApplicationSessionTimer', sessionID: '5A3F', requestedSessionDuration: 180 });
    expect(decoded(`<StopApplicationSession xmlns="${ECMA354_NAMESPACE}"><sessionID>5A3F</sessionID><sessionEndReason><definedEndReason>normal</definedEndReason></sessionEndReason></StopApplicationSession>`))
      .toEqual({ service: 'StopApplicationSession', sessionID: '5A3F' });
  });
});

describe('robustness facts of §1.2', () => {
  it('reports the namespace and edition of every edition', () => {
    for (const [edition, ns] of Object.entries(CSTA_NAMESPACES)) {
      const result = decodeCstaMessage(`<GetForwarding xmlns="${ns}"><device>1</device></GetForwarding>`);
      expect(result).toMatchObject({ ok: true, namespace: ns, edition });
    }
  });

  it('accepts elements out of schema order', () => {
    const xml = `<SetForwarding xmlns="${ED6}"><forwardDN>2002</forwardDN><activateForward>false</activateForward><device>1001</device><forwardingType>forwardImmediate</forwardingType></SetForwarding>`;
    expect(decoded(xml)).toEqual({
      service: 'SetForwarding', device: '1001', forwardingType: 'forwardImmediate', activateForward: false, forwardDN: '2002',
    });
  });

  it('accepts prefixed elements and reports the prefix namespace', () => {
    const xml = `<csta:SetAgentState xmlns:csta="${ED3}"><csta:device>1001</csta:device><csta:requestedAgentState>ready</csta:requestedAgentState></csta:SetAgentState>`;
    expect(decodeCstaMessage(xml)).toEqual({
      ok: true, message: { service: 'SetAgentState', device: '1001', requestedAgentState: 'ready' }, namespace: ED3, edition: 'ed3',
    });
  });

  it('accepts a prefixed root with unqualified children (the OSV aps: style)', () => {
    const xml = `<aps:StopApplicationSession xmlns:aps="${ECMA354_NAMESPACE}"><sessionID>9</sessionID></aps:StopApplicationSession>`;
    expect(decodeCstaMessage(xml)).toMatchObject({ ok: true, message: { service: 'StopApplicationSession', sessionID: '9' }, namespace: ECMA354_NAMESPACE });
  });

  it('accepts no namespace at all: namespace "" and no edition', () => {
    const result = decodeCstaMessage('<GetAgentState><device>1001</device></GetAgentState>');
    expect(result).toEqual({ ok: true, message: { service: 'GetAgentState', device: '1001' }, namespace: '' });
  });

  it('accepts a SubjectDeviceID wrapper where a plain DeviceID belongs', () => {
    expect(decoded('<GetAgentState><device><deviceIdentifier>1001</deviceIdentifier></device></GetAgentState>'))
      .toEqual({ service: 'GetAgentState', device: '1001' });
  });

  it('decodes references in text: predefined entities and character references', () => {
    expect(decoded('<SetAgentState><device>a&amp;b&lt;&#65;&#x42;&quot;&apos;&gt;</device></SetAgentState>'))
      .toEqual({ service: 'SetAgentState', device: 'a&b<AB"\'>' });
    expect(decoded('<SetAgentState><device><![CDATA[x&amp;<y>]]></device></SetAgentState>'))
      .toEqual({ service: 'SetAgentState', device: 'x&amp;<y>' });
  });
});

describe('fields', () => {
  it('activateForward takes every xs:boolean literal', () => {
    const cases: [string, boolean][] = [['true', true], ['false', false], ['1', true], ['0', false], [' true ', true]];
    for (const [literal, value] of cases) {
      expect(decoded(`<SetForwarding><device>1</device><activateForward>${literal}</activateForward></SetForwarding>`))
        .toEqual({ service: 'SetForwarding', device: '1', activateForward: value });
    }
  });

  it('a boolean that is not one is refused with invalidParameterValue naming the field', () => {
    for (const literal of ['yes', 'TRUE', '', '2']) {
      const refusal = refused(`<SetForwarding><device>1</device><activateForward>${literal}</activateForward></SetForwarding>`);
      expect(refusal).toMatchObject({ category: 'operation', value: 'invalidParameterValue' });
      expect(refusal.reason).toContain('activateForward');
    }
  });

  it('leaves missing required elements undefined for the connector to answer', () => {
    expect(decoded('<SetAgentState/>')).toEqual({ service: 'SetAgentState' });
    expect(decoded('<SetForwarding><device>1</device></SetForwarding>')).toEqual({ service: 'SetForwarding', device: '1' });
    expect(decoded('<MonitorStart/>')).toEqual({ service: 'MonitorStart' });
    expect(decoded('<MonitorStop/>')).toEqual({ service: 'MonitorStop' });
  });

  it('refuses a field given twice, or an element where text belongs', () => {
    expect(refused('<SetAgentState><device>1</device><device>2</device></SetAgentState>').reason).toMatch(/device appears 2 times/);
    expect(refused('<SetAgentState><agentID><x/></agentID></SetAgentState>').reason).toMatch(/agentID must hold text/);
    expect(refused('<GetAgentState><device><notKnown/></device></GetAgentState>').reason).toMatch(/notKnown/);
  });

  it('refuses a systemStatus outside the enumeration and a session duration that is not a count', () => {
    expect(refused('<SystemStatus><systemStatus>fine</systemStatus></SystemStatus>').reason).toMatch(/systemStatus "fine"/);
    expect(refused(`<ResetApplicationSessionTimer><requestedSessionDuration>-1</requestedSessionDuration></ResetApplicationSessionTimer>`).value)
      .toBe('invalidParameterValue');
    expect(refused(`<ResetApplicationSessionTimer><requestedSessionDuration>1e3</requestedSessionDuration></ResetApplicationSessionTimer>`).value)
      .toBe('invalidParameterValue');
  });
});

describe('MonitorStart', () => {
  it('reads monitorObject as text too', () => {
    expect(decoded('<MonitorStart><monitorObject>1001</monitorObject></MonitorStart>')).toEqual({ service: 'MonitorStart', monitorObject: '1001' });
  });

  it('refuses a call monitor with invalidMonitorObjectType', () => {
    const refusal = refused('<MonitorStart><monitorObject><callObject><callID>1</callID></callObject></monitorObject></MonitorStart>');
    expect(refusal).toMatchObject({ category: 'operation', value: 'invalidMonitorObjectType' });
  });

  it('maps the agent and forwarding flags of logicalDeviceFeature, validates the rest', () => {
    const xml = `<MonitorStart xmlns="${ED6}"><monitorObject><deviceObject>1001</deviceObject></monitorObject>
<requestedMonitorFilter>
  <callcontrol><delivered>true</delivered></callcontrol>
  <logicalDeviceFeature><agentBusy>true</agentBusy><agentLoggedOn>false</agentLoggedOn><agentLoggedOff>1</agentLoggedOff>
    <agentNotReady>0</agentNotReady><agentReady>true</agentReady><agentWorkingAfterCall>false</agentWorkingAfterCall>
    <doNotDisturb>true</doNotDisturb><forwarding>true</forwarding><presenceState>false</presenceState></logicalDeviceFeature>
</requestedMonitorFilter><monitorType>device</monitorType></MonitorStart>`;
    expect(decoded(xml)).toEqual({
      service: 'MonitorStart',
      monitorObject: '1001',
      filter: {
        agentLoggedOn: false, agentLoggedOff: true, agentNotReady: false, agentReady: true, agentWorkingAfterCall: false, forwarding: true,
      },
    });
  });

  it('reads forwarding from physicalDeviceFeature too; suppression in either group wins', () => {
    expect(decoded('<MonitorStart><monitorObject><deviceObject>1</deviceObject></monitorObject><requestedMonitorFilter><physicalDeviceFeature><forwarding>true</forwarding></physicalDeviceFeature><logicalDeviceFeature><forwarding>false</forwarding></logicalDeviceFeature></requestedMonitorFilter></MonitorStart>'))
      .toEqual({ service: 'MonitorStart', monitorObject: '1', filter: { forwarding: true } });
  });

  it('an empty filter is an empty MonitorFilter; a non-boolean flag anywhere is refused', () => {
    expect(decoded('<MonitorStart><monitorObject><deviceObject>1</deviceObject></monitorObject><requestedMonitorFilter/></MonitorStart>'))
      .toEqual({ service: 'MonitorStart', monitorObject: '1', filter: {} });
    expect(refused('<MonitorStart><requestedMonitorFilter><callcontrol><delivered>maybe</delivered></callcontrol></requestedMonitorFilter></MonitorStart>').reason)
      .toMatch(/delivered/);
  });
});

describe('services we do not implement', () => {
  it('known CSTA services and unknown roots alike become Unsupported with their local name', () => {
    for (const name of ['MakeCall', 'ClearConnection', 'SetDoNotDisturb', 'Snapshot', 'ChangeMonitorFilter', 'Banana']) {
      expect(decodeCstaMessage(`<p:${name} xmlns:p="${ED6}"><device>1</device></p:${name}>`))
        .toEqual({ ok: true, message: { service: 'Unsupported', name }, namespace: ED6, edition: 'ed6' });
    }
  });

  it('isCstaReplyName picks out answers to our own requests', () => {
    expect(isCstaReplyName('SystemStatusResponse')).toBe(true);
    expect(isCstaReplyName('CSTAErrorCode')).toBe(true);
    expect(isCstaReplyName('AgentReadyEvent')).toBe(true);
    expect(isCstaReplyName('SystemStatus')).toBe(false);
    expect(isCstaReplyName('MakeCall')).toBe(false);
  });
});

describe('bad input is refused with operation/invalidParameterValue and a reason', () => {
  const cases: [string, string, RegExp][] = [
    ['not XML', 'hello, world', /not well-formed/],
    ['empty', '', /empty/],
    ['unbalanced tags', '<SetAgentState><device>1</SetAgentState>', /not well-formed/],
    ['two roots', '<GetAgentState/><GetAgentState/>', /more than one root/],
    ['text after the root', '<GetAgentState/>junk', /./],
    ['DOCTYPE', '<!DOCTYPE GetAgentState><GetAgentState/>', /DOCTYPE/],
    ['billion laughs', `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<SetAgentState><device>&lol3;</device></SetAgentState>`, /DOCTYPE/],
    ['external entity (XXE)', '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><GetAgentState><device>&xxe;</device></GetAgentState>', /DOCTYPE/],
    ['undeclared entity', '<GetAgentState><device>&xxe;</device></GetAgentState>', /undeclared entity &xxe;/],
    ['NUL character', '<GetAgentState><device>a\u0000</device></GetAgentState>', /U\+0000/],
    ['NUL by reference', '<GetAgentState><device>&#0;</device></GetAgentState>', /not an XML character/],
    ['depth bomb', `<SetAgentState>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</SetAgentState>`, /nested deeper than 32/],
    ['33 levels', `${'<a>'.repeat(33)}${'</a>'.repeat(33)}`, /nested deeper than 32/],
    ['over 65,535 bytes', `<GetAgentState><device>${'x'.repeat(65_535)}</device></GetAgentState>`, /more than 65535/],
    ['prototype-polluting name', '<GetAgentState><__proto__>1</__proto__></GetAgentState>', /./],
  ];
  for (const [what, xml, reason] of cases) {
    it(what, () => {
      const refusal = refused(xml);
      expect(refusal).toMatchObject({ category: 'operation', value: 'invalidParameterValue' });
      expect(refusal.reason).toMatch(reason);
    });
  }

  it('accepts exactly 32 levels', () => {
    expect(decodeCstaMessage(`${'<a>'.repeat(32)}${'</a>'.repeat(32)}`)).toMatchObject({ ok: true, message: { service: 'Unsupported', name: 'a' } });
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    const padding = 65_535 - '<GetAgentState><device></device></GetAgentState>'.length;
    const fits = `<GetAgentState><device>${'x'.repeat(padding)}</device></GetAgentState>`;
    expect(decodeCstaMessage(fits).ok).toBe(true);
    const tooBig = `<GetAgentState><device>${'é'.repeat(padding / 2 + 1)}</device></GetAgentState>`;
    expect(tooBig.length).toBeLessThan(65_535);
    expect(refused(tooBig).reason).toMatch(/more than 65535/);
  });
});

describe('never throws (pinned: seed 42, 200 runs)', () => {
  // XML-ish noise: fragments of real messages, markup characters, references, deep-ish nesting.
  const piece = fc.constantFrom(
    '<SetAgentState>', '</SetAgentState>', '<device>', '</device>', '<monitorObject>', '</monitorObject>', '<deviceObject>',
    '<requestedMonitorFilter>', '<logicalDeviceFeature>', '<agentReady>', 'true', '</agentReady>', '<activateForward>', '1',
    '<csta:MonitorStart xmlns:csta="x">', '</csta:MonitorStart>', '<a/>', '&amp;', '&#x41;', '&lol;', '&', '<', '>', '"',
    '<![CDATA[', ']]>', '<!--', '-->', '<?xml version="1.0"?>', '<?pi?>', '<!DOCTYPE', '\u0000', '\uD800', 'é', ' ', '\n',
    '<__proto__>', '<constructor>', '<toString>', 'xmlns="', '=',
  );
  const noise = fc.array(fc.oneof(piece, fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 40 }).map((parts) => parts.join(''));

  test.prop([noise], { numRuns: 200 })('decodeCstaMessage answers every input with a value', (xml) => {
    const result = decodeCstaMessage(xml);
    if (result.ok) expect(typeof result.message.service).toBe('string');
    else expect(result.error).toEqual({ category: 'operation', value: expect.any(String) });
  });

  test.prop([noise], { numRuns: 200 })('so do the client-side decoders', (xml) => {
    expect(typeof decodeCstaResponseOrEvent(xml).ok).toBe('boolean');
    expect(typeof decodeCstaErrorCode(xml).ok).toBe('boolean');
  });
});

describe('gaps found by mutation testing', () => {
  it('a namespace that names no edition gives no edition key at all', () => {
    const result = decodeCstaMessage('<GetAgentState xmlns="urn:other"><device>1</device></GetAgentState>');
    expect(result).toStrictEqual({ ok: true, message: { service: 'GetAgentState', device: '1' }, namespace: 'urn:other' });
  });

  it('catchMalformed turns any other throw into invalidParameterValue, "undecodable: …"', () => {
    expect(catchMalformed(() => { throw new Error('boom'); }))
      .toEqual({ ok: false, error: { category: 'operation', value: 'invalidParameterValue' }, reason: 'undecodable: boom' });
    expect(catchMalformed(() => { throw 'plain'; }))
      .toEqual({ ok: false, error: { category: 'operation', value: 'invalidParameterValue' }, reason: 'undecodable: plain' });
    expect(catchMalformed(() => 7)).toEqual({ ok: true, value: 7 });
  });

  it('StartApplicationSession without applicationInfo, and with the credential named userID', () => {
    expect(decoded(`<StartApplicationSession xmlns="${ECMA354_NAMESPACE}"><requestedSessionDuration>60</requestedSessionDuration></StartApplicationSession>`))
      .toEqual({ service: 'StartApplicationSession', requestedSessionDuration: 60 });
    expect(decoded(`<StartApplicationSession xmlns="${ECMA354_NAMESPACE}"><applicationInfo><applicationSpecificInfo><userID>u1</userID></applicationSpecificInfo></applicationInfo></StartApplicationSession>`))
      .toEqual({ service: 'StartApplicationSession', userID: 'u1' });
  });

  it('only protocolVersion elements are candidate versions', () => {
    expect(decoded(`<StartApplicationSession xmlns="${ECMA354_NAMESPACE}"><applicationInfo/><requestedProtocolVersions><note>${ED6}</note><protocolVersion>urn:unknown</protocolVersion></requestedProtocolVersions></StartApplicationSession>`))
      .toEqual({ service: 'StartApplicationSession', requestedProtocolVersion: 'urn:unknown' });
  });

  it('monitorObject refusals say why', () => {
    expect(refused('<MonitorStart><monitorObject><callObject><callID>1</callID></callObject></monitorObject></MonitorStart>').reason)
      .toBe('call monitors (monitorObject/callObject) are not supported');
    expect(refused('<MonitorStart><monitorObject><other>1</other></monitorObject></MonitorStart>'))
      .toEqual({ category: 'operation', value: 'invalidParameterValue', reason: 'monitorObject holds neither deviceObject nor callObject' });
  });

  it('filter groups we do not know are skipped unread; honoured flag names count only in the device-feature groups', () => {
    expect(decoded('<MonitorStart><requestedMonitorFilter><privateFilter><x>maybe</x></privateFilter></requestedMonitorFilter></MonitorStart>'))
      .toEqual({ service: 'MonitorStart', filter: {} });
    expect(decoded('<MonitorStart><requestedMonitorFilter><maintenance><forwarding>true</forwarding></maintenance></requestedMonitorFilter></MonitorStart>'))
      .toEqual({ service: 'MonitorStart', filter: {} });
  });
});

describe('system services (issue 12 item 5)', () => {
  it('SystemRegister (requestTypes read past), SystemRegisterCancel and SystemRegisterAbort with their register ID', () => {
    expect(decoded(`<SystemRegister xmlns="${ED3}"><requestTypes><systemStatus>true</systemStatus></requestTypes></SystemRegister>`))
      .toEqual({ service: 'SystemRegister' });
    expect(decoded(`<SystemRegisterCancel xmlns="${ED3}"><sysStatRegisterID>4</sysStatRegisterID></SystemRegisterCancel>`))
      .toEqual({ service: 'SystemRegisterCancel', sysStatRegisterID: '4' });
    expect(decoded(`<SystemRegisterAbort><sysStatRegisterID>5</sysStatRegisterID></SystemRegisterAbort>`))
      .toEqual({ service: 'SystemRegisterAbort', sysStatRegisterID: '5' });
  });
});
