/**
 * The typed field readers of fields.ts, seen through the request decoder: a device that is not one
 * device identifier is refused with a reason that says what was there, never guessed at
 * (reference/csta.md §1.2, §4). Added where mutation testing found the rules unpinned.
 */
import { describe, expect, it } from 'vitest';
import { decodeCstaMessage } from '../../src/csta/decode.js';
import { MalformedCsta } from '../../src/csta/fields.js';

function refusal(xml: string): { value: string; reason: string } {
  const result = decodeCstaMessage(xml);
  if (result.ok) throw new Error(`accepted: ${JSON.stringify(result.message)}`);
  return { value: result.error.value, reason: result.reason };
}

const getAgentState = (device: string) => `<GetAgentState><device>${device}</device></GetAgentState>`;

describe('a device field (plain DeviceID or SubjectDeviceID)', () => {
  it('reads plain text and a <deviceIdentifier> wrapper alike', () => {
    for (const device of ['desk-101', '<deviceIdentifier> desk-101 </deviceIdentifier>']) {
      const result = decodeCstaMessage(getAgentState(device));
      expect(result.ok && result.message).toEqual({ service: 'GetAgentState', device: 'desk-101' });
    }
  });

  it('refuses two device identifiers instead of taking the first', () => {
    const r = refusal(getAgentState('<deviceIdentifier>desk-101</deviceIdentifier><deviceIdentifier>desk-102</deviceIdentifier>'));
    expect(r).toEqual({ value: 'invalidParameterValue', reason: 'device must hold one device identifier' });
  });

  it.each(['notKnown', 'restricted'])('says a %s device names no device we can act on', (name) => {
    expect(refusal(getAgentState(`<${name}/>`))).toEqual({ value: 'invalidParameterValue', reason: `device is ${name}, not a device identifier` });
  });

  it('names any other element found where the identifier belongs', () => {
    expect(refusal(getAgentState('<callID>7</callID>'))).toEqual({ value: 'invalidParameterValue', reason: 'device holds <callID>, not a device identifier' });
  });
});

describe('reasons name the field and the value refused', () => {
  it('a session duration that is not a non-negative integer', () => {
    const r = refusal('<ResetApplicationSessionTimer><sessionID>s</sessionID><requestedSessionDuration>-1</requestedSessionDuration></ResetApplicationSessionTimer>');
    expect(r.reason).toBe('requestedSessionDuration must be a non-negative integer, got "-1"');
  });

  it('an enumeration value, listing what the schema allows', () => {
    const r = refusal('<SystemStatus><systemStatus>fine</systemStatus></SystemStatus>');
    expect(r.reason).toContain('systemStatus "fine" is not one of initializing, enabled, normal, messagesLost,');
  });
});

describe('MalformedCsta', () => {
  it('is an Error named MalformedCsta, carrying invalidParameterValue unless told otherwise', () => {
    const e = new MalformedCsta('device is missing');
    expect(e).toBeInstanceOf(Error);
    expect(String(e)).toBe('MalformedCsta: device is missing');
    expect(e.error).toEqual({ category: 'operation', value: 'invalidParameterValue' });
    expect(new MalformedCsta('x', { category: 'operation', value: 'invalidMonitorObjectType' }).error.value).toBe('invalidMonitorObjectType');
  });
});
