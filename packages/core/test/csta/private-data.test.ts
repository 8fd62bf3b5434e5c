/**
 * Private data the decoder reads out of `extensions/privateData/private`: a not-ready reason code
 * on SetAgentState (BroadWorks and Avaya style) and Avaya's invertFilter on MonitorStart.
 */
import { describe, expect, it } from 'vitest';
import { decodeCstaMessage } from '../../src/csta/decode.js';
import { CSTA_NAMESPACES } from '../../src/csta/namespaces.js';
import type { CstaRequest } from '../../src/csta/types.js';

const ED3 = CSTA_NAMESPACES.ed3;
const BROADWORKS_PRIVATE = 'http://schema.broadsoft.com/CSTAPrivateData';

function decoded(xml: string): CstaRequest {
  const result = decodeCstaMessage(xml);
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}`);
  return result.message;
}

function setAgentState(privateBody: string): string {
  return `<SetAgentState xmlns="${ED3}"><device>2107</device><requestedAgentState>notReady</requestedAgentState>` +
    `<extensions><privateData><private>${privateBody}</private></privateData></extensions></SetAgentState>`;
}

describe('SetAgentState reason code from private data', () => {
  it('reads the BroadWorks pri:AgentNotReadyReasonValue', () => {
    expect(decoded(setAgentState(`<pri:AgentNotReadyReasonValue xmlns:pri="${BROADWORKS_PRIVATE}">42</pri:AgentNotReadyReasonValue>`)))
      .toEqual({ service: 'SetAgentState', device: '2107', requestedAgentState: 'notReady', reasonCode: '42' });
  });

  it('reads an Avaya-style reasonCode nested in a vendor element', () => {
    const body = '<ns1:LucentSetAgentState xmlns:ns1="http://www.avaya.com/csta"><ns1:workMode>manualIn</ns1:workMode>' +
      '<ns1:reasonCode> 7 </ns1:reasonCode></ns1:LucentSetAgentState>';
    expect(decoded(setAgentState(body))).toMatchObject({ service: 'SetAgentState', reasonCode: '7' });
  });

  it('leaves reasonCode out when the private data carries none', () => {
    expect(decoded(setAgentState('<other>x</other>'))).not.toHaveProperty('reasonCode');
    expect(decoded(`<SetAgentState xmlns="${ED3}"><device>2107</device><requestedAgentState>ready</requestedAgentState></SetAgentState>`))
      .not.toHaveProperty('reasonCode');
  });

  it('refuses an empty reason code with invalidParameterValue naming the field', () => {
    const result = decodeCstaMessage(setAgentState('<reasonCode/>'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toEqual({ category: 'operation', value: 'invalidParameterValue' });
      expect(result.reason).toMatch(/reasonCode/);
    }
  });
});

describe('MonitorStart with Avaya invertFilter (item 6: a flag true = report it)', () => {
  const AVAYA_INVERT = '<extensions><privateData><private><AvayaEvents xmlns="http://www.avaya.com/csta"><invertFilter>true</invertFilter></AvayaEvents></private></privateData></extensions>';
  const monitorStart = (filter: string, extensions: string) =>
    `<MonitorStart xmlns="${ED3}"><monitorObject><deviceObject typeOfNumber="other" mediaClass="notKnown">2107</deviceObject></monitorObject>` +
    `<requestedMonitorFilter>${filter}</requestedMonitorFilter>${extensions}</MonitorStart>`;
  const readyNotReady = '<callcontrol><delivered>true</delivered></callcontrol><logicalDeviceFeature><agentReady>true</agentReady>' +
    '<agentNotReady>true</agentNotReady><agentWorkingAfterCall>false</agentWorkingAfterCall></logicalDeviceFeature>';

  it('inverted: only the flags sent true are reported; everything else is suppressed', () => {
    expect(decoded(monitorStart(readyNotReady, AVAYA_INVERT))).toEqual({
      service: 'MonitorStart', monitorObject: '2107',
      filter: { agentLoggedOn: true, agentLoggedOff: true, agentReady: false, agentNotReady: false, agentWorkingAfterCall: true, forwarding: true },
    });
  });

  it('not inverted (ECMA): the same flags suppress ready and not-ready', () => {
    expect(decoded(monitorStart(readyNotReady, ''))).toEqual({
      service: 'MonitorStart', monitorObject: '2107', filter: { agentReady: true, agentNotReady: true, agentWorkingAfterCall: false },
    });
  });

  it('invertFilter false is the ECMA meaning; a non-boolean invertFilter is refused', () => {
    expect(decoded(monitorStart(readyNotReady, AVAYA_INVERT.replace('>true<', '>false<')))).toMatchObject({
      filter: { agentReady: true, agentNotReady: true, agentWorkingAfterCall: false },
    });
    const result = decodeCstaMessage(monitorStart(readyNotReady, AVAYA_INVERT.replace('>true<', '>yes<')));
    expect(result.ok ? 'ok' : result.reason).toMatch(/invertFilter must be a boolean/);
  });
});
