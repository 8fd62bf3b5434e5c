import { describe, it, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import {
  decodeHotelingHosts,
  encodeCallCenter,
  encodeErrorInfo,
  encodeForwarding,
  encodeHotelingGuest,
  encodeHotelingHost,
  encodeHotelingHosts,
  encodeProfile,
} from '../../src/xsi/services.js';
import { decodeCommandResponse } from '../../src/xsi/actions.js';
import { forwardingInfo, hotelingGuestInfo, hotelingHostInfo, profileInfo, text, userId } from './arbitraries.js';
import { fc } from '@fast-check/vitest';

const RUNS = { seed: 42, numRuns: 200 };
const get = (op: 'GET CallForwardingAlways' | 'GET HotelingGuest' | 'GET HotelingHost' | 'GET profile') => ({ op, userId: 'u@example.com' }) as const;

describe('GET body encoders round-trip through the client decoder', () => {
  test.prop([forwardingInfo], RUNS)('CallForwardingAlways', (info) => {
    expect(decodeCommandResponse(get('GET CallForwardingAlways'), 200, 'application/xml', encodeForwarding(info))).toEqual({ status: 200, body: { kind: 'CallForwardingAlways', info } });
  });
  test.prop([hotelingGuestInfo], RUNS)('HotelingGuest', (info) => {
    expect(decodeCommandResponse(get('GET HotelingGuest'), 200, 'application/xml', encodeHotelingGuest(info))).toEqual({ status: 200, body: { kind: 'HotelingGuest', info } });
  });
  test.prop([hotelingHostInfo], RUNS)('HotelingHost', (info) => {
    expect(decodeCommandResponse(get('GET HotelingHost'), 200, 'application/xml', encodeHotelingHost(info))).toEqual({ status: 200, body: { kind: 'HotelingHost', info } });
  });
  test.prop([profileInfo], RUNS)('profile', (info) => {
    expect(decodeCommandResponse(get('GET profile'), 200, 'application/xml', encodeProfile(info))).toEqual({ status: 200, body: { kind: 'profile', info } });
  });
  test.prop([fc.array(userId, { maxLength: 5 })], RUNS)('AvailableHotelingHosts', (ids) => {
    expect(decodeHotelingHosts(encodeHotelingHosts(ids))).toEqual(ids);
  });
  test.prop([text, fc.option(text, { nil: undefined }), fc.integer({ min: 1, max: 99999 })], RUNS)('ErrorInfo', (summaryEnglish, summary, errorCode) => {
    const error = summary === undefined ? { summaryEnglish, errorCode } : { summary, summaryEnglish, errorCode };
    expect(decodeCommandResponse(get('GET profile'), 400, 'application/xml', encodeErrorInfo(error))).toEqual({ status: 400, body: { kind: 'ErrorInfo', error } });
  });
});

describe('GET body encoders write XSD order exactly', () => {
  it('CallCenter', () => {
    expect(encodeCallCenter('Sign-Out')).toBe('<?xml version="1.0" encoding="UTF-8"?><CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Sign-Out</agentACDState></CallCenter>');
    expect(encodeCallCenter({ agentUnavailableCode: '1007', agentACDState: 'Unavailable' })).toContain('<agentACDState>Unavailable</agentACDState><agentUnavailableCode>1007</agentUnavailableCode>');
  });

  it('HotelingGuest: fields in XSD order whatever the object key order', () => {
    const xml = encodeHotelingGuest({ hostUserId: 'desk-101@example.com', associationLimitHours: 12, active: true, hostLastName: 'D&<' });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><HotelingGuest xmlns="http://schema.broadsoft.com/xsi"><active>true</active><associationLimitHours>12</associationLimitHours><hostUserId>desk-101@example.com</hostUserId><hostLastName>D&amp;&lt;</hostLastName></HotelingGuest>',
    );
  });

  it('CallForwardingAlways GET keeps numbers plain and omits an absent number', () => {
    expect(encodeForwarding({ active: false, ringSplash: false })).toBe('<?xml version="1.0" encoding="UTF-8"?><CallForwardingAlways xmlns="http://schema.broadsoft.com/xsi"><active>false</active><ringSplash>false</ringSplash></CallForwardingAlways>');
    expect(encodeForwarding({ active: true, forwardToPhoneNumber: '3001' })).toContain('<forwardToPhoneNumber>3001</forwardToPhoneNumber>');
  });

  it('AvailableHotelingHosts uses userID; the decoder also accepts the spec example spelling userid', () => {
    expect(encodeHotelingHosts(['desk-101@example.com'])).toContain('<hostUserIdList><userID>desk-101@example.com</userID></hostUserIdList>');
    expect(decodeHotelingHosts('<AvailableHotelingHosts xmlns="http://schema.broadsoft.com/xsi"><hostUserIdList><userid>a@b</userid><userID>c@d</userID></hostUserIdList></AvailableHotelingHosts>')).toEqual(['a@b', 'c@d']);
    expect(decodeHotelingHosts('<HotelingHosts/>')).toEqual({ error: 'expected <AvailableHotelingHosts>, got <HotelingHosts>' });
  });
});
