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
import { decodeCommandBody, decodeCommandResponse, encodeCommandRequest } from '../../src/xsi/actions.js';
import { encodeDoNotDisturb, encodeRemoteOffice } from '../../src/xsi/services.js';
import { forwardingInfo, hotelingGuestInfo, hotelingHostInfo, profileInfo, text, userId } from './arbitraries.js';
import { fc } from '@fast-check/vitest';
import {
  decodeCallCenterUpdate,
  decodeForwardingUpdate,
  decodeHotelingGuestUpdate,
  decodeHotelingHostUpdate,
  normaliseAddress,
  readCallCenter,
  readErrorInfo,
  readForwarding,
  readHotelingGuest,
  readHotelingHost,
  readHotelingHosts,
  readProfile,
  writeFields,
  FORWARDING_FIELDS,
  HOTELING_GUEST_FIELDS,
} from '../../src/xsi/services.js';
import { parseXmlDocument, type XmlElement } from '../../src/xsi/xml.js';

const RUNS = { numRuns: 200 };
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
    expect(encodeHotelingHosts(['desk-101@example.com', 'desk-102@example.com'])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><AvailableHotelingHosts xmlns="http://schema.broadsoft.com/xsi"><hostUserIdList><userID>desk-101@example.com</userID><userID>desk-102@example.com</userID></hostUserIdList></AvailableHotelingHosts>',
    );
    expect(decodeHotelingHosts('<AvailableHotelingHosts xmlns="http://schema.broadsoft.com/xsi"><hostUserIdList><userid>a@b</userid><userID>c@d</userID></hostUserIdList></AvailableHotelingHosts>')).toEqual(['a@b', 'c@d']);
    expect(decodeHotelingHosts('<HotelingHosts/>')).toEqual({ error: 'expected <AvailableHotelingHosts>, got <HotelingHosts>' });
  });
});

// ---- strict PUT bodies (the simulator's side) and lenient GET/event bodies (csta-bw's side) ----


const XSI = 'xmlns="http://schema.broadsoft.com/xsi"';
const NIL = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const doc = (root: string, body: string, extra = '') => `<${root} ${XSI}${extra ? ` ${extra}` : ''}>${body}</${root}>`;
const el = (root: string, body: string, extra = ''): XmlElement => {
  const parsed = parseXmlDocument(doc(root, body, extra));
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed;
};

const DECODERS = { CallCenter: decodeCallCenterUpdate, CallForwardingAlways: decodeForwardingUpdate, HotelingGuest: decodeHotelingGuestUpdate, HotelingHost: decodeHotelingHostUpdate };

describe('strict PUT bodies: what the simulator accepts', () => {
  it('reads every writable field of each service, with nil where the XSD allows it', () => {
    expect(decodeCallCenterUpdate(doc('CallCenter', '<agentACDState>Unavailable</agentACDState><agentUnavailableCode>1007</agentUnavailableCode>'))).toEqual({ agentACDState: 'Unavailable', agentUnavailableCode: '1007' });
    expect(decodeCallCenterUpdate(doc('CallCenter', '<agentUnavailableCode xsi:nil="true"/>', NIL))).toEqual({ agentUnavailableCode: null });
    expect(decodeForwardingUpdate(doc('CallForwardingAlways', '<active>true</active><forwardToPhoneNumber>tel:3001;phone-context=x</forwardToPhoneNumber><ringSplash>false</ringSplash>'))).toEqual({ active: true, forwardToPhoneNumber: '3001', ringSplash: false });
    expect(decodeForwardingUpdate(doc('CallForwardingAlways', '<forwardToPhoneNumber xsi:nil="true"/>', NIL))).toEqual({ forwardToPhoneNumber: null });
    expect(decodeHotelingGuestUpdate(doc('HotelingGuest', '<active>true</active><enableAssociationLimit>true</enableAssociationLimit><associationLimitHours>999</associationLimitHours><hostUserId>desk-101@example.com</hostUserId>'))).toEqual({ active: true, enableAssociationLimit: true, associationLimitHours: 999, hostUserId: 'desk-101@example.com' });
    expect(decodeHotelingGuestUpdate(doc('HotelingGuest', '<hostUserId xsi:nil="true"/>', NIL))).toEqual({ hostUserId: null });
    expect(decodeHotelingHostUpdate(doc('HotelingHost', '<active>false</active><enforceAssociationLimit>true</enforceAssociationLimit><associationLimitHours>1</associationLimitHours><accessLevel>Group</accessLevel><removeGuestAssociation>true</removeGuestAssociation>'))).toEqual({ active: false, enforceAssociationLimit: true, associationLimitHours: 1, accessLevel: 'Group', removeGuestAssociation: true });
    expect(decodeHotelingHostUpdate(`<HotelingHost ${XSI}/>`)).toEqual({});
  });

  it('skips read-only elements (§1.6) but still checks their order', () => {
    expect(decodeHotelingGuestUpdate(doc('HotelingGuest', '<hostUserId>d@x</hostUserId><hostLastName>Desk</hostLastName><hostAssociationDateTime>x</hostAssociationDateTime>'))).toEqual({ hostUserId: 'd@x' });
    expect(decodeHotelingGuestUpdate(doc('HotelingGuest', '<hostLastName>Desk</hostLastName><hostUserId>d@x</hostUserId>'))).toEqual({ error: 'element <hostUserId> out of order in <HotelingGuest> (XSD sequence order required)' });
    expect(decodeHotelingHostUpdate(doc('HotelingHost', '<guestLastName>A</guestLastName><guestLocationDialingCode>1</guestLocationDialingCode>'))).toEqual({});
  });

  it.each<[keyof typeof DECODERS, string, unknown]>([
    ['CallCenter', doc('CallCenter', '<agentACDState>Available</agentACDState><colour>red</colour>'), { error: 'unknown element <colour> in <CallCenter>' }],
    ['CallCenter', doc('CallCenter', '<agentACDState>Available</agentACDState><agentACDState>Available</agentACDState>'), { error: 'element <agentACDState> repeated in <CallCenter>' }],
    ['CallCenter', doc('CallCenter', '<agentUnavailableCode>1</agentUnavailableCode><agentACDState>Available</agentACDState>'), { error: 'element <agentACDState> out of order in <CallCenter> (XSD sequence order required)' }],
    ['CallCenter', doc('CallCenter', '<agentACDState>available</agentACDState>'), { error: '<agentACDState> must be one of Sign-In, Available, Unavailable, Wrap-Up, Sign-Out; got "available" (in <CallCenter>)' }],
    ['CallCenter', doc('CallCenter', '<agentUnavailableCode></agentUnavailableCode>'), { error: '<agentUnavailableCode> must not be empty (in <CallCenter>)' }],
    ['CallCenter', doc('CallCenter', '<agentUnavailableCode>12345678901</agentUnavailableCode>'), { error: '<agentUnavailableCode> longer than 10 characters (in <CallCenter>)' }],
    ['CallCenter', doc('CallCenter', '<guardTimerSeconds>5</guardTimerSeconds>'), { error: 'element <guardTimerSeconds> of <CallCenter> is not supported by this XSP' }],
    ['CallCenter', doc('CallCenter', '<agentACDState xsi:nil="true"/>', NIL), { error: 'element <agentACDState> in <CallCenter> is not nillable' }],
    ['CallCenter', doc('CallCenter', 'text<agentACDState>Available</agentACDState>'), { error: '<CallCenter> must not contain text' }],
    ['CallForwardingAlways', doc('CallForwardingAlways', '<forwardToPhoneNumber>tel:</forwardToPhoneNumber>'), { error: '<forwardToPhoneNumber> has an empty tel: URI (in <CallForwardingAlways>)' }],
    ['CallForwardingAlways', doc('CallForwardingAlways', '<active>yes</active>'), { error: expect.stringMatching(/^<active>.*\(in <CallForwardingAlways>\)$/) }],
    ['HotelingGuest', doc('HotelingGuest', '<associationLimitHours>1000</associationLimitHours>'), { error: expect.stringMatching(/associationLimitHours.*\(in <HotelingGuest>\)$/) }],
    ['HotelingGuest', doc('HotelingGuest', '<associationLimitHours>0</associationLimitHours>'), { error: expect.stringMatching(/associationLimitHours.*\(in <HotelingGuest>\)$/) }],
    ['HotelingGuest', doc('HotelingGuest', '<hostUserId></hostUserId>'), { error: '<hostUserId> must not be empty (in <HotelingGuest>)' }],
    ['HotelingGuest', doc('HotelingGuest', `<hostUserId>${'u'.repeat(162)}</hostUserId>`), { error: '<hostUserId> longer than 161 characters (in <HotelingGuest>)' }],
    ['HotelingHost', doc('HotelingHost', '<accessLevel>group</accessLevel>'), { error: '<accessLevel> must be one of Enterprise, Group; got "group" (in <HotelingHost>)' }],
    ['HotelingGuest', doc('HotelingHost', '<active>true</active>'), { error: 'expected <HotelingGuest>, got <HotelingHost>' }],
  ])('%s refuses %s', (decoder, xml, expected) => {
    expect(DECODERS[decoder](xml)).toEqual(expected);
  });

  it('a 256-character name is accepted, 257 refused (read-only names are still validated on GET)', () => {
    expect(readHotelingGuest(el('HotelingGuest', `<active>true</active><hostLastName>${'n'.repeat(256)}</hostLastName>`))).toEqual({ active: true, hostLastName: 'n'.repeat(256) });
    expect(readHotelingGuest(el('HotelingGuest', `<active>true</active><hostLastName>${'n'.repeat(257)}</hostLastName>`))).toEqual({ error: '<hostLastName> longer than 256 characters (in <HotelingGuest>)' });
  });
});

describe('lenient GET and event bodies: what csta-bw accepts from an XSP', () => {
  it('ignores unknown, repeated, out-of-order, write-only and discarded elements, but validates what it reads', () => {
    expect(readCallCenter(el('CallCenter', '<new>x</new><agentUnavailableCode>7</agentUnavailableCode><agentACDState>Unavailable</agentACDState><agentACDState>Available</agentACDState><guardTimerSeconds>5</guardTimerSeconds>'))).toEqual({ agentACDState: 'Unavailable', agentUnavailableCode: '7' });
    expect(readHotelingHost(el('HotelingHost', '<active>true</active><removeGuestAssociation>true</removeGuestAssociation><guestLocationDialingCode>1</guestLocationDialingCode><guestLastName>G</guestLastName>'))).toEqual({ active: true, guestLastName: 'G' });
    expect(readCallCenter(el('CallCenter', '<agentACDState>Gone</agentACDState>'))).toEqual({ error: '<agentACDState> must be one of Sign-In, Available, Unavailable, Wrap-Up, Sign-Out; got "Gone" (in <CallCenter>)' });
    expect(readCallCenter(el('CallCenter', '<agentACDState xsi:nil="true"/>', NIL))).toEqual({ error: 'element <agentACDState> in <CallCenter> is not nillable' });
  });

  it('requires the one field each document cannot lack', () => {
    expect(readCallCenter(el('CallCenter', '<agentUnavailableCode>7</agentUnavailableCode>'))).toEqual({ error: '<CallCenter> without <agentACDState>' });
    expect(readForwarding(el('CallForwardingAlways', '<ringSplash>true</ringSplash>'))).toEqual({ error: '<CallForwardingAlways> without <active>' });
    expect(readHotelingGuest(el('HotelingGuest', '<hostUserId>d@x</hostUserId>'))).toEqual({ error: '<HotelingGuest> without <active>' });
    expect(readHotelingHost(el('HotelingHost', '<accessLevel>Group</accessLevel>'))).toEqual({ error: '<HotelingHost> without <active>' });
  });

  it('drops nil fields from guest and host data; a nil forwarding number is no number', () => {
    expect(readHotelingGuest(el('HotelingGuest', '<active>true</active><hostUserId xsi:nil="true"/>', NIL))).toEqual({ active: true });
    expect(readHotelingHost(el('HotelingHost', '<active>false</active>'))).toEqual({ active: false });
    expect(readForwarding(el('CallForwardingAlways', '<active>false</active><forwardToPhoneNumber xsi:nil="true"/>', NIL))).toEqual({ active: false });
    expect(readForwarding(el('CallForwardingAlways', '<active>true</active><forwardToPhoneNumber>sip:3001@x</forwardToPhoneNumber><ringSplash>true</ringSplash>'))).toEqual({ active: true, forwardToPhoneNumber: 'sip:3001@x', ringSplash: true });
    expect(readCallCenter(el('CallCenter', '<agentACDState>Available</agentACDState><agentUnavailableCode xsi:nil="true"/>', NIL))).toEqual({ agentACDState: 'Available' });
  });

  it('Profile: details fields, empty ones dropped, userId required; a bare body is read as details', () => {
    expect(readProfile(el('Profile', '<details><userId>a@x</userId><firstName>A</firstName><lastName></lastName><number>3001</number><extension>1</extension><groupId>g</groupId></details>'))).toEqual({ userId: 'a@x', firstName: 'A', number: '3001', extension: '1', groupId: 'g' });
    expect(readProfile(el('Profile', '<userId>b@x</userId>'))).toEqual({ userId: 'b@x' });
    expect(readProfile(el('Profile', '<details><firstName>A</firstName></details>'))).toEqual({ error: '<Profile> without <details><userId>' });
    expect(readProfile(el('Profile', '<details><userId>a@x</userId><firstName><b/></firstName></details>'))).toHaveProperty('error');
  });

  it('AvailableHotelingHosts: no list is an empty list; an empty id is refused', () => {
    expect(readHotelingHosts(el('AvailableHotelingHosts', ''))).toEqual([]);
    expect(readHotelingHosts(el('AvailableHotelingHosts', '<hostUserIdList><other>x</other><USERID>a@x</USERID></hostUserIdList>'))).toEqual(['a@x']);
    expect(readHotelingHosts(el('AvailableHotelingHosts', '<hostUserIdList><userID></userID></hostUserIdList>'))).toHaveProperty('error');
  });

  it('ErrorInfo: summaryEnglish (or summary) and errorCode are required; summary is kept', () => {
    expect(readErrorInfo(el('ErrorInfo', '<summary>S</summary><errorCode>4008</errorCode>'))).toEqual({ summaryEnglish: 'S', summary: 'S', errorCode: 4008 });
    expect(readErrorInfo(el('ErrorInfo', '<summaryEnglish>E</summaryEnglish><errorCode>-1</errorCode>'))).toEqual({ summaryEnglish: 'E', errorCode: -1 });
    expect(readErrorInfo(el('ErrorInfo', '<summaryEnglish>E</summaryEnglish>'))).toEqual({ error: '<ErrorInfo> without <summaryEnglish> and <errorCode>' });
    expect(readErrorInfo(el('ErrorInfo', '<errorCode>1</errorCode>'))).toEqual({ error: '<ErrorInfo> without <summaryEnglish> and <errorCode>' });
    expect(readErrorInfo(el('ErrorInfo', '<summaryEnglish>E</summaryEnglish><errorCode>x</errorCode>'))).toHaveProperty('error');
    expect(readErrorInfo(el('ErrorInfo', '<summaryEnglish>E</summaryEnglish><errorCode>2147483648</errorCode>'))).toHaveProperty('error');
  });

  it('normaliseAddress: tel: stripped with its parameters, other schemes and plain numbers kept', () => {
    expect(normaliseAddress('TEL: 3001 ;x=y')).toBe('3001');
    expect(normaliseAddress('sip:3001@x')).toBe('sip:3001@x');
    expect(normaliseAddress('+1 555')).toBe('+1 555');
    expect(normaliseAddress('tel:;x', 'destination')).toEqual({ error: '<destination> has an empty tel: URI' });
  });

  it('normaliseAddress: only a leading tel: scheme counts; the error names forwardToPhoneNumber by default', () => {
    expect(normaliseAddress('sip:3001@hotel:5060')).toBe('sip:3001@hotel:5060');
    expect(normaliseAddress('tel:')).toEqual({ error: '<forwardToPhoneNumber> has an empty tel: URI' });
  });

  it('forwarding and host data: an invalid element is reported as itself, not as a missing <active>', () => {
    expect(readForwarding(el('CallForwardingAlways', '<active>yes</active>'))).toEqual({ error: '<active> must be a boolean (true/false), got "yes" (in <CallForwardingAlways>)' });
    expect(readHotelingHost(el('HotelingHost', '<active>true</active><accessLevel>group</accessLevel>'))).toEqual({ error: '<accessLevel> must be one of Enterprise, Group; got "group" (in <HotelingHost>)' });
  });

  it('forwarding data without ringSplash or number has no such keys (not even undefined-valued)', () => {
    expect(readForwarding(el('CallForwardingAlways', '<active>false</active>'))).toStrictEqual({ active: false });
    expect(readForwarding(el('CallForwardingAlways', '<active>true</active><forwardToPhoneNumber>tel:3001</forwardToPhoneNumber>'))).toStrictEqual({ active: true, forwardToPhoneNumber: '3001' });
  });

  it('ErrorInfo: a summaryEnglish or summary holding elements is refused', () => {
    expect(readErrorInfo(el('ErrorInfo', '<summaryEnglish><b/></summaryEnglish><errorCode>1</errorCode>'))).toEqual({ error: '<summaryEnglish> must hold text, not elements' });
    expect(readErrorInfo(el('ErrorInfo', '<summary><b/></summary><summaryEnglish>E</summaryEnglish><errorCode>1</errorCode>'))).toEqual({ error: '<summary> must hold text, not elements' });
  });
});

describe('writeFields', () => {
  it('writes table order with a prefix, nil for null, tel: URIs when asked', () => {
    expect(writeFields({ ringSplash: true, forwardToPhoneNumber: '3001', active: true }, FORWARDING_FIELDS, { prefix: 'xsi:', telUri: true }))
      .toBe('<xsi:active>true</xsi:active><xsi:forwardToPhoneNumber>tel:3001</xsi:forwardToPhoneNumber><xsi:ringSplash>true</xsi:ringSplash>');
    expect(writeFields({ forwardToPhoneNumber: 'sip:a@b' }, FORWARDING_FIELDS, { telUri: true })).toBe('<forwardToPhoneNumber>sip:a@b</forwardToPhoneNumber>');
    expect(writeFields({ forwardToPhoneNumber: '3001' }, FORWARDING_FIELDS)).toBe('<forwardToPhoneNumber>3001</forwardToPhoneNumber>');
    expect(writeFields({ hostUserId: null, unknown: 1 }, HOTELING_GUEST_FIELDS)).toBe('<hostUserId xsi:nil="true"/>');
  });

  it('a tel: URI is added unless the address starts with a scheme; a later colon is no scheme', () => {
    expect(writeFields({ forwardToPhoneNumber: '+1 555 0100 ext:12' }, FORWARDING_FIELDS, { telUri: true })).toBe('<forwardToPhoneNumber>tel:+1 555 0100 ext:12</forwardToPhoneNumber>');
    expect(writeFields({ forwardToPhoneNumber: 'tel:3001' }, FORWARDING_FIELDS, { telUri: true })).toBe('<forwardToPhoneNumber>tel:3001</forwardToPhoneNumber>');
  });

  it('an Actions document with a nil binds xsi; one without does not; an empty one is self-closing', () => {
    expect(encodeHotelingGuest({ active: true, hostUserId: null } as never)).toBe('<?xml version="1.0" encoding="UTF-8"?><HotelingGuest xmlns="http://schema.broadsoft.com/xsi" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><active>true</active><hostUserId xsi:nil="true"/></HotelingGuest>');
    expect(encodeForwarding({} as never)).toBe('<?xml version="1.0" encoding="UTF-8"?><CallForwardingAlways xmlns="http://schema.broadsoft.com/xsi"/>');
  });

  it('Profile and ErrorInfo documents in XSD order', () => {
    expect(encodeProfile({ extension: '1', userId: 'a@x', number: '3001', groupId: 'g', lastName: 'L', firstName: 'F' }))
      .toBe('<?xml version="1.0" encoding="UTF-8"?><Profile xmlns="http://schema.broadsoft.com/xsi"><details><userId>a@x</userId><firstName>F</firstName><lastName>L</lastName><groupId>g</groupId><number>3001</number><extension>1</extension></details><additionalDetails/></Profile>');
    expect(encodeErrorInfo({ summaryEnglish: 'a<b', errorCode: 4008 })).toBe('<?xml version="1.0" encoding="UTF-8"?><ErrorInfo xmlns="http://schema.broadsoft.com/xsi"><summaryEnglish>a&lt;b</summaryEnglish><errorCode>4008</errorCode></ErrorInfo>');
    expect(encodeErrorInfo({ summary: 'S', summaryEnglish: 'E', errorCode: 1 })).toContain('<ErrorInfo xmlns="http://schema.broadsoft.com/xsi"><summary>S</summary><summaryEnglish>E</summaryEnglish>');
  });
});

describe('issue 13: Do Not Disturb and Remote Office documents', () => {
  const ns = 'xmlns="http://schema.broadsoft.com/xsi"';
  it('GET/PUT on the wire, both ways, in XSD order', () => {
    const dnd = encodeCommandRequest({ op: 'PUT DoNotDisturb', userId: 'a@example.com', body: { active: true, ringSplash: false } });
    expect(dnd).toEqual([{ method: 'PUT', path: '/com.broadsoft.xsi-actions/v2.0/user/a%40example.com/services/DoNotDisturb', body: `<?xml version="1.0" encoding="UTF-8"?><DoNotDisturb ${ns}><active>true</active><ringSplash>false</ringSplash></DoNotDisturb>` }]);
    expect(decodeCommandBody('DoNotDisturb', `<DoNotDisturb ${ns}><active>false</active></DoNotDisturb>`)).toEqual({ active: false });
    expect(decodeCommandBody('RemoteOffice', `<RemoteOffice ${ns}><active>true</active><remoteOfficeNumber>tel:+1-555-0100</remoteOfficeNumber></RemoteOffice>`)).toEqual({ active: true, remoteOfficeNumber: '+1-555-0100' });
    expect(decodeCommandBody('RemoteOffice', `<RemoteOffice ${ns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><remoteOfficeNumber xsi:nil="true"/></RemoteOffice>`)).toEqual({ remoteOfficeNumber: null });
    expect(decodeCommandBody('DoNotDisturb', `<DoNotDisturb ${ns}><ringSplash>true</ringSplash><active>true</active></DoNotDisturb>`)).toMatchObject({ error: expect.stringMatching(/out of order/) });
    expect(decodeCommandBody('DoNotDisturb', `<DoNotDisturb ${ns}><active xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></DoNotDisturb>`)).toMatchObject({ error: expect.stringMatching(/not nillable/) });
    expect(encodeDoNotDisturb({ active: false, ringSplash: true })).toBe(`<?xml version="1.0" encoding="UTF-8"?><DoNotDisturb ${ns}><active>false</active><ringSplash>true</ringSplash></DoNotDisturb>`);
    expect(encodeRemoteOffice({ active: true, remoteOfficeNumber: '5550100' })).toBe(`<?xml version="1.0" encoding="UTF-8"?><RemoteOffice ${ns}><active>true</active><remoteOfficeNumber>5550100</remoteOfficeNumber></RemoteOffice>`);
    expect(decodeCommandResponse({ op: 'GET RemoteOffice', userId: 'a@example.com' }, 200, 'application/xml', encodeRemoteOffice({ active: false }))).toEqual({ status: 200, body: { kind: 'RemoteOffice', info: { active: false } } });
    expect(decodeCommandResponse({ op: 'GET DoNotDisturb', userId: 'a@example.com' }, 200, 'application/xml', encodeDoNotDisturb({ active: true, ringSplash: false }))).toEqual({ status: 200, body: { kind: 'DoNotDisturb', info: { active: true, ringSplash: false } } });
  });
});
