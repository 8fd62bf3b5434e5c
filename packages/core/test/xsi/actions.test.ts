import { describe, it, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { decodeCommandBody, decodeCommandResponse, encodeCommandRequest, parseActionsPath, type XsiHttpRequest } from '../../src/xsi/actions.js';
import { isCodecError } from '../../src/xsi/xml.js';
import type { XsiCommand } from '../../src/xsi/types.js';
import { putCommand } from './arbitraries.js';

function requests(cmd: XsiCommand, opts = {}): XsiHttpRequest[] {
  const r = encodeCommandRequest(cmd, opts);
  if (isCodecError(r)) throw new Error(r.error);
  return r;
}

const RESOURCE_OF = {
  'PUT CallCenter': 'CallCenter',
  'PUT CallForwardingAlways': 'CallForwardingAlways',
  'PUT HotelingGuest': 'HotelingGuest',
  'PUT HotelingHost': 'HotelingHost',
  'PUT DoNotDisturb': 'DoNotDisturb',
  'PUT RemoteOffice': 'RemoteOffice',
} as const;

describe('encodeCommandRequest', () => {
  it('PUT CallCenter: URL-encoded id, Xsi default namespace', () => {
    expect(requests({ op: 'PUT CallCenter', userId: 'agent 1+x@example.com', body: { agentACDState: 'Unavailable' } })).toEqual([
      {
        method: 'PUT',
        path: '/com.broadsoft.xsi-actions/v2.0/user/agent%201%2Bx%40example.com/services/CallCenter',
        body: '<?xml version="1.0" encoding="UTF-8"?><CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Unavailable</agentACDState></CallCenter>',
      },
    ]);
  });

  it('PUT HotelingGuest release: xsi:nil with xsi bound to XMLSchema-instance, XSD order', () => {
    expect(requests({ op: 'PUT HotelingGuest', userId: 'g@example.com', body: { hostUserId: null, active: true } }, { basePath: '/x/' })[0]).toEqual({
      method: 'PUT',
      path: '/x/user/g%40example.com/services/HotelingGuest',
      body: '<?xml version="1.0" encoding="UTF-8"?><HotelingGuest xmlns="http://schema.broadsoft.com/xsi" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><active>true</active><hostUserId xsi:nil="true"/></HotelingGuest>',
    });
  });

  it('GETs and profile', () => {
    expect(requests({ op: 'GET HotelingHost', userId: 'desk-101@example.com' })).toEqual([{ method: 'GET', path: '/com.broadsoft.xsi-actions/v2.0/user/desk-101%40example.com/services/HotelingHost' }]);
    expect(requests({ op: 'GET profile', userId: 'desk-101@example.com' })).toEqual([{ method: 'GET', path: '/com.broadsoft.xsi-actions/v2.0/user/desk-101%40example.com/profile' }]);
  });

  it('SUBSCRIBE: one Events POST per package', () => {
    const r = requests({ op: 'SUBSCRIBE', userId: 'a@example.com', packages: ['Call Center Agent', 'Hoteling Guest'] }, { channelSetId: 'set-1', expires: 3600, applicationId: 'csta-bw' });
    expect(r).toEqual(
      ['Call Center Agent', 'Hoteling Guest'].map((p) => ({
        method: 'POST',
        path: '/com.broadsoft.xsi-events/v2.0/user/a%40example.com',
        body: `<?xml version="1.0" encoding="UTF-8"?><Subscription xmlns="http://schema.broadsoft.com/xsi"><event>${p}</event><expires>3600</expires><channelSetId>set-1</channelSetId><applicationId>csta-bw</applicationId></Subscription>`,
      })),
    );
  });

  it('refuses commands that cannot be sent', () => {
    expect(encodeCommandRequest({ op: 'SUBSCRIBE', userId: 'a@example.com', packages: ['Hoteling Guest'] })).toEqual({ error: 'SUBSCRIBE needs opts.channelSetId' });
    expect(encodeCommandRequest({ op: 'SUBSCRIBE', userId: 'a@example.com', packages: [] }, { channelSetId: 's' })).toEqual({ error: 'SUBSCRIBE with no event packages' });
    expect(encodeCommandRequest({ op: 'GET CallCenter', userId: '' })).toEqual({ error: 'GET CallCenter: empty userId' });
    expect(encodeCommandRequest({ op: 'PUT CallCenter', userId: 'a@b', body: { agentACDState: 'available' as 'Available' } })).toEqual({ error: 'PUT CallCenter: bad agentACDState "available"' });
    expect(encodeCommandRequest({ op: 'DELETE everything', userId: 'a@b' } as unknown as XsiCommand)).toEqual({ error: 'unknown Xsi command DELETE everything' });
  });

  it('every GET service command maps to its services/{name} resource', () => {
    const base = '/com.broadsoft.xsi-actions/v2.0/user/a%40example.com/services';
    expect(requests({ op: 'GET CallCenter', userId: 'a@example.com' })).toEqual([{ method: 'GET', path: `${base}/CallCenter` }]);
    expect(requests({ op: 'GET CallForwardingAlways', userId: 'a@example.com' })).toEqual([{ method: 'GET', path: `${base}/CallForwardingAlways` }]);
    expect(requests({ op: 'GET HotelingGuest', userId: 'a@example.com' })).toEqual([{ method: 'GET', path: `${base}/HotelingGuest` }]);
  });

  it('SUBSCRIBE: optional expires and applicationId are left out; a group target uses the serviceprovider/group path', () => {
    expect(requests({ op: 'SUBSCRIBE', userId: 'a@example.com', packages: ['Call Forwarding Always'] }, { channelSetId: 'set-1' })).toEqual([
      {
        method: 'POST',
        path: '/com.broadsoft.xsi-events/v2.0/user/a%40example.com',
        body: '<?xml version="1.0" encoding="UTF-8"?><Subscription xmlns="http://schema.broadsoft.com/xsi"><event>Call Forwarding Always</event><channelSetId>set-1</channelSetId></Subscription>',
      },
    ]);
    const grp = requests(
      { op: 'SUBSCRIBE', userId: 'admin@example.com', packages: ['Hoteling Guest'], group: { serviceProviderId: 'SP 1', groupId: 'G/1' } },
      { channelSetId: 'set-1', eventsBasePath: '/ev/' },
    );
    expect(grp.map((r) => [r.method, r.path])).toEqual([['POST', '/ev/serviceprovider/SP%201/group/G%2F1']]);
  });

  it('refuses SUBSCRIBE with an empty channel set, an unknown or a repeated package, and a missing userId', () => {
    expect(encodeCommandRequest({ op: 'SUBSCRIBE', userId: 'a@example.com', packages: ['Hoteling Guest'] }, { channelSetId: '' })).toEqual({ error: 'SUBSCRIBE needs opts.channelSetId' });
    expect(
      encodeCommandRequest({ op: 'SUBSCRIBE', userId: 'a@example.com', packages: ['Hoteling Guest', 'Do Not Disturb' as 'Hoteling Guest'] }, { channelSetId: 's' }),
    ).toEqual({ error: 'SUBSCRIBE: unknown event package "Do Not Disturb"' });
    expect(encodeCommandRequest({ op: 'SUBSCRIBE', userId: 'a@example.com', packages: ['Hoteling Guest', 'Call Center Agent', 'Hoteling Guest'] }, { channelSetId: 's' })).toEqual({
      error: 'SUBSCRIBE: event package "Hoteling Guest" listed twice',
    });
    expect(encodeCommandRequest({ op: 'GET profile', userId: undefined as unknown as string })).toEqual({ error: 'GET profile: empty userId' });
  });

  test.prop([putCommand], { numRuns: 200 })('decodeCommandBody ∘ encodeCommandRequest round-trips every PUT body', (cmd) => {
    const [req] = requests(cmd);
    const route = parseActionsPath(req!.method, req!.path);
    expect(route).toEqual({ userId: cmd.userId, resource: RESOURCE_OF[cmd.op] });
    expect(decodeCommandBody(RESOURCE_OF[cmd.op], req!.body!)).toEqual(cmd.body);
  });
});

describe('decodeCommandResponse', () => {
  const getCC: XsiCommand = { op: 'GET CallCenter', userId: 'a@example.com' };

  it('GET CallCenter, the reference body (§2), ISO-8859-1 declaration, unknown elements ignored', () => {
    const body = `<?xml version="1.0" encoding="ISO-8859-1"?>
<CallCenter xmlns="http://schema.broadsoft.com/xsi">
  <agentACDState>Available</agentACDState>
  <useDefaultGuardTimer>true</useDefaultGuardTimer>
  <enableGuardTimer>false</enableGuardTimer>
  <guardTimerSeconds>5</guardTimerSeconds>
  <useSystemDefaultUnavailableSettings>true</useSystemDefaultUnavailableSettings>
  <forceAgentUnavailableOnDNDActivation>false</forceAgentUnavailableOnDNDActivation>
  <forceUnavailableOnPersonalCalls>false</forceUnavailableOnPersonalCalls>
  <forceAgentUnavailableOnBouncedCallLimit>false</forceAgentUnavailableOnBouncedCallLimit>
  <numberConsecutiveBouncedCallsToForceAgentUnavailable>3</numberConsecutiveBouncedCallsToForceAgentUnavailable>
  <makeOutgoingCallsAsCallCenter>false</makeOutgoingCallsAsCallCenter>
  <callCenterList>
    <callCenterDetails>
      <serviceUserId>sales-cc@example.com</serviceUserId>
      <available>true</available>
      <phoneNumber>9728880010</phoneNumber>
      <extension>0010</extension>
      <isLogOffAllowed>true</isLogOffAllowed>
      <skillLevel>9</skillLevel>
    </callCenterDetails>
  </callCenterList>
</CallCenter>`;
    expect(decodeCommandResponse(getCC, 200, 'text/xml;charset=ISO-8859-1', body)).toEqual({ status: 200, body: { kind: 'CallCenter', agentACDState: 'Available' } });
  });

  it('GET CallForwardingAlways (§3): plain, tel: and sip: forms; absent number', () => {
    const cmd: XsiCommand = { op: 'GET CallForwardingAlways', userId: 'a@example.com' };
    const cfa = (n: string) =>
      `<?xml version="1.0" encoding="ISO-8859-1"?>\n<CallForwardingAlways xmlns="http://schema.broadsoft.com/xsi">\n  <active>true</active>\n  <forwardToPhoneNumber>${n}</forwardToPhoneNumber>\n  <ringSplash>false</ringSplash>\n</CallForwardingAlways>`;
    expect(decodeCommandResponse(cmd, 200, 'application/xml', cfa('+1-2025550123'))).toEqual({ status: 200, body: { kind: 'CallForwardingAlways', info: { active: true, forwardToPhoneNumber: '+1-2025550123', ringSplash: false } } });
    expect(decodeCommandResponse(cmd, 200, 'application/xml', cfa('tel:1020'))).toMatchObject({ body: { info: { forwardToPhoneNumber: '1020' } } });
    expect(decodeCommandResponse(cmd, 200, 'application/xml', cfa('sip:3001@example.com'))).toMatchObject({ body: { info: { forwardToPhoneNumber: 'sip:3001@example.com' } } });
    const inactive = '<CallForwardingAlways xmlns="http://schema.broadsoft.com/xsi"><active>false</active><ringSplash>false</ringSplash></CallForwardingAlways>';
    expect(decodeCommandResponse(cmd, 200, undefined, inactive)).toEqual({ status: 200, body: { kind: 'CallForwardingAlways', info: { active: false, ringSplash: false } } });
  });

  it('GET HotelingGuest while associated (§4.1)', () => {
    const body = `<?xml version="1.0" encoding="ISO-8859-1"?>
<HotelingGuest xmlns="http://schema.broadsoft.com/xsi">
  <active>true</active>
  <enableAssociationLimit>true</enableAssociationLimit>
  <associationLimitHours>12</associationLimitHours>
  <hostUserId>desk-101@example.com</hostUserId>
  <hostLastName>Desk</hostLastName>
  <hostFirstName>101</hostFirstName>
  <hostAssociationDateTime>2010-04-06T14:11:10.918+05:30</hostAssociationDateTime>
  <hostEnforcesAssociationLimit>true</hostEnforcesAssociationLimit>
  <hostAssociationLimitHours>24</hostAssociationLimitHours>
</HotelingGuest>`;
    expect(decodeCommandResponse({ op: 'GET HotelingGuest', userId: 'g@example.com' }, 200, 'application/xml', body)).toEqual({
      status: 200,
      body: {
        kind: 'HotelingGuest',
        info: {
          active: true,
          enableAssociationLimit: true,
          associationLimitHours: 12,
          hostUserId: 'desk-101@example.com',
          hostLastName: 'Desk',
          hostFirstName: '101',
          hostAssociationDateTime: '2010-04-06T14:11:10.918+05:30',
          hostEnforcesAssociationLimit: true,
          hostAssociationLimitHours: 24,
        },
      },
    });
  });

  it('ErrorInfo on error statuses (§1.7); non-XML error bodies give the bare status', () => {
    const errorInfo = `<?xml version="1.0" encoding="ISO-8859-1"?>
<ErrorInfo xmlns="http://schema.broadsoft.com/xsi">
  <summary>Phone Number already exists +1123456789.</summary>   <!-- optional, localized -->
  <summaryEnglish>Phone Number already exists +1123456789.</summaryEnglish> <!-- required -->
  <errorCode>8251</errorCode>                                     <!-- required xs:int -->
</ErrorInfo>`;
    expect(decodeCommandResponse({ op: 'PUT CallCenter', userId: 'a@b', body: { agentACDState: 'Available' } }, 400, 'application/xml', errorInfo)).toEqual({
      status: 400,
      body: { kind: 'ErrorInfo', error: { summary: 'Phone Number already exists +1123456789.', summaryEnglish: 'Phone Number already exists +1123456789.', errorCode: 8251 } },
    });
    expect(decodeCommandResponse(getCC, 503, 'text/html', '<html><body>busy</body></html>')).toEqual({ status: 503 });
    expect(decodeCommandResponse(getCC, 401, undefined, '')).toEqual({ status: 401 });
    expect(decodeCommandResponse(getCC, 404, 'application/xml', '<ErrorInfo')).toEqual({ status: 404 });
  });

  it('PUT success is the bare status; SUBSCRIBE yields its subscriptionId', () => {
    expect(decodeCommandResponse({ op: 'PUT HotelingHost', userId: 'h@b', body: { removeGuestAssociation: true } }, 200, undefined, '')).toEqual({ status: 200 });
    const sub = '<?xml version="1.0" encoding="UTF-8"?>\n<Subscription xmlns="http://schema.broadsoft.com/xsi"><subscriptionId>98ed3939-c113-419c-8012-092556b85c66</subscriptionId><expires>86400</expires></Subscription>';
    expect(decodeCommandResponse({ op: 'SUBSCRIBE', userId: 'a@b', packages: ['Hoteling Guest'] }, 200, 'text/xml;charset=UTF-8', sub)).toEqual({
      status: 200,
      body: { kind: 'Subscriptions', subscriptionIds: ['98ed3939-c113-419c-8012-092556b85c66'] },
    });
  });

  it('a 200 whose body is not the expected XML is a clear transport error', () => {
    expect(decodeCommandResponse(getCC, 200, 'application/json', '{"CallCenter":{}}')).toEqual({ transportError: 'bad XSP answer: content type "application/json" for GET CallCenter, expected XML' });
    expect(decodeCommandResponse(getCC, 200, 'application/xml', '<HotelingGuest xmlns="http://schema.broadsoft.com/xsi"><active>true</active></HotelingGuest>')).toEqual({
      transportError: 'bad XSP answer: GET CallCenter: expected <CallCenter>, got <HotelingGuest>',
    });
    expect(decodeCommandResponse(getCC, 200, 'application/xml', '<CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Busy</agentACDState></CallCenter>')).toMatchObject({
      transportError: expect.stringMatching(/^bad XSP answer: GET CallCenter: <agentACDState> must be one of/),
    });
    expect(decodeCommandResponse(getCC, 200, 'application/xml', '<CallCenter xmlns="http://schema.broadsoft.com/xsi"/>')).toEqual({ transportError: 'bad XSP answer: GET CallCenter: <CallCenter> without <agentACDState>' });
    expect(decodeCommandResponse(getCC, 200, 'application/xml', '<CallCenter><agentACD')).toMatchObject({ transportError: expect.stringMatching(/^bad XSP answer: GET CallCenter: malformed XML/) });
    expect(decodeCommandResponse(getCC, 200, 'application/xml', '<!DOCTYPE x [<!ENTITY a "b">]><CallCenter/>')).toMatchObject({ transportError: expect.stringMatching(/markup declarations are not allowed/) });
    expect(decodeCommandResponse(getCC, 200, 'application/xml', `<CallCenter>${'x'.repeat(2_000_000)}</CallCenter>`)).toMatchObject({ transportError: expect.stringMatching(/too large/) });
    expect(decodeCommandResponse(getCC, 999, undefined, '')).toEqual({ transportError: 'bad XSP answer: HTTP status 999' });
  });
});

describe('decodeCommandResponse: statuses, content types and bodies', () => {
  const getCC: XsiCommand = { op: 'GET CallCenter', userId: 'a@example.com' };
  const sub: XsiCommand = { op: 'SUBSCRIBE', userId: 'a@b', packages: ['Hoteling Guest'] };
  const ns = 'xmlns="http://schema.broadsoft.com/xsi"';
  const ccBody = `<CallCenter ${ns}><agentACDState>Available</agentACDState></CallCenter>`;

  it('HTTP status must be an integer in 100..599', () => {
    expect(decodeCommandResponse(getCC, 99, undefined, '')).toEqual({ transportError: 'bad XSP answer: HTTP status 99' });
    expect(decodeCommandResponse(getCC, 600, undefined, '')).toEqual({ transportError: 'bad XSP answer: HTTP status 600' });
    expect(decodeCommandResponse(getCC, 200.5, 'application/xml', ccBody)).toEqual({ transportError: 'bad XSP answer: HTTP status 200.5' });
    expect(decodeCommandResponse(getCC, 100, undefined, '')).toEqual({ status: 100 });
    expect(decodeCommandResponse(getCC, 599, undefined, '')).toEqual({ status: 599 });
  });

  it('1xx and 3xx answers are the bare status, whatever the body', () => {
    expect(decodeCommandResponse(getCC, 199, 'application/xml', ccBody)).toEqual({ status: 199 });
    expect(decodeCommandResponse(getCC, 300, 'application/xml', ccBody)).toEqual({ status: 300 });
    expect(decodeCommandResponse(getCC, 302, undefined, '')).toEqual({ status: 302 });
    expect(decodeCommandResponse(getCC, 299, 'application/xml', ccBody)).toEqual({ status: 299, body: { kind: 'CallCenter', agentACDState: 'Available' } });
  });

  it('a missing body reads as empty', () => {
    expect(decodeCommandResponse(getCC, 500, 'application/xml', undefined as unknown as string)).toEqual({ status: 500 });
    expect(decodeCommandResponse(getCC, 200, 'application/xml', undefined as unknown as string)).toEqual({ transportError: 'bad XSP answer: GET CallCenter: empty XML document' });
  });

  it('error statuses read ErrorInfo only from an XML <ErrorInfo> document that is complete', () => {
    const info = (root: string) => `<${root} ${ns}><summaryEnglish>No such user</summaryEnglish><errorCode>4008</errorCode></${root}>`;
    expect(decodeCommandResponse(getCC, 404, 'text/xml; charset=UTF-8', info('ErrorInfo'))).toEqual({
      status: 404,
      body: { kind: 'ErrorInfo', error: { summaryEnglish: 'No such user', errorCode: 4008 } },
    });
    expect(decodeCommandResponse(getCC, 404, 'text/html', info('ErrorInfo'))).toEqual({ status: 404 });
    expect(decodeCommandResponse(getCC, 404, 'application/xml', info('Error'))).toEqual({ status: 404 });
    expect(decodeCommandResponse(getCC, 404, 'application/xml', `<ErrorInfo ${ns}><summaryEnglish>No such user</summaryEnglish></ErrorInfo>`)).toEqual({ status: 404 });
  });

  it('XML content types: parameters and surrounding blanks ignored, case-insensitive, any +xml suffix', () => {
    const ok = { status: 200, body: { kind: 'CallCenter', agentACDState: 'Available' } };
    expect(decodeCommandResponse(getCC, 200, ' text/xml ; charset=UTF-8', ccBody)).toEqual(ok);
    expect(decodeCommandResponse(getCC, 200, 'Application/XML', ccBody)).toEqual(ok);
    expect(decodeCommandResponse(getCC, 200, 'application/vnd.broadsoft.xsi+xml', ccBody)).toEqual(ok);
    expect(decodeCommandResponse(getCC, 200, 'application/xml+json', ccBody)).toEqual({ transportError: 'bad XSP answer: content type "application/xml+json" for GET CallCenter, expected XML' });
  });

  it('SUBSCRIBE answers: <Subscription> holding a text <subscriptionId>, wherever it sits', () => {
    expect(decodeCommandResponse(sub, 200, 'application/xml', `<Subscription ${ns}><expires>3600</expires><subscriptionId> s-1 </subscriptionId></Subscription>`)).toEqual({
      status: 200,
      body: { kind: 'Subscriptions', subscriptionIds: ['s-1'] },
    });
    expect(decodeCommandResponse(sub, 200, 'application/xml', `<Channel ${ns}><subscriptionId>s-1</subscriptionId></Channel>`)).toEqual({
      transportError: 'bad XSP answer: SUBSCRIBE: expected <Subscription>, got <Channel>',
    });
    const missing = { transportError: 'bad XSP answer: SUBSCRIBE: <Subscription> without <subscriptionId>' };
    expect(decodeCommandResponse(sub, 200, 'application/xml', `<Subscription ${ns}><expires>3600</expires></Subscription>`)).toEqual(missing);
    expect(decodeCommandResponse(sub, 200, 'application/xml', `<Subscription ${ns}><subscriptionId>  </subscriptionId></Subscription>`)).toEqual(missing);
    expect(decodeCommandResponse(sub, 200, 'application/xml', `<Subscription ${ns}><subscriptionId><x>s-1</x></subscriptionId></Subscription>`)).toEqual(missing);
  });

  it('a 2xx body for a command that expects none is a transport error', () => {
    expect(decodeCommandResponse({ op: 'DELETE x', userId: 'a@b' } as unknown as XsiCommand, 200, 'application/xml', `<Foo ${ns}/>`)).toEqual({
      transportError: 'bad XSP answer: DELETE x: no response body expected',
    });
  });
});

describe('parseActionsPath', () => {
  it('matches fixed words case-insensitively and URL-decodes the id', () => {
    expect(parseActionsPath('PUT', '/com.broadsoft.xsi-actions/v2.0/user/agent-001%40example.com/services/callcenter')).toEqual({ userId: 'agent-001@example.com', resource: 'CallCenter' });
    expect(parseActionsPath('GET', '/COM.BROADSOFT.XSI-ACTIONS/V2.0/User/Desk-101@Example.com/Services/CallForwardingAlways/?x=1')).toEqual({ userId: 'Desk-101@Example.com', resource: 'CallForwardingAlways' });
    expect(parseActionsPath('GET', '/com.broadsoft.xsi-actions/v2.0/user/g@example.com/directories/HotelingHosts')).toEqual({ userId: 'g@example.com', resource: 'directories/HotelingHosts' });
    expect(parseActionsPath('GET', '/com.broadsoft.xsi-actions/v2.0/user/g@example.com/profile')).toEqual({ userId: 'g@example.com', resource: 'profile' });
    expect(parseActionsPath('PUT', '/com.broadsoft.xsi-actions/v2.0/user/g@example.com/services/hotelinghost?validate=true')).toEqual({ userId: 'g@example.com', resource: 'HotelingHost' });
  });

  it('404 for unknown paths, 405 for methods a resource lacks, 400 for bad ids', () => {
    expect(parseActionsPath('GET', '/com.broadsoft.xsi-actions/v2.0/user/a@b/services/CallForwardingBusy')).toMatchObject({ status: 404 });
    expect(parseActionsPath('GET', '/com.broadsoft.xsi-events/v2.0/user/a@b')).toMatchObject({ status: 404 });
    expect(parseActionsPath('GET', '/com.broadsoft.xsi-actions/v2.0/user//services/CallCenter')).toMatchObject({ status: 404 });
    expect(parseActionsPath('PUT', '/com.broadsoft.xsi-actions/v2.0/user/a@b/profile')).toEqual({ error: 'method PUT not allowed on profile (allowed: GET)', status: 405 });
    expect(parseActionsPath('DELETE', '/com.broadsoft.xsi-actions/v2.0/user/a@b/services/CallCenter')).toMatchObject({ status: 405 });
    expect(parseActionsPath('GET', '/com.broadsoft.xsi-actions/v2.0/user/a%E0%A4%A@b/services/CallCenter')).toMatchObject({ status: 400, error: expect.stringMatching(/malformed URL encoding/) });
    expect(parseActionsPath('GET', '/com.broadsoft.xsi-actions/v2.0/user/a%2Fb@c/services/CallCenter')).toMatchObject({ status: 400, error: expect.stringMatching(/'\/' is not allowed/) });
    expect(parseActionsPath('GET', 'relative/path')).toMatchObject({ status: 404 });
  });
});

describe('parseActionsPath: exact matching and error texts', () => {
  const base = '/com.broadsoft.xsi-actions/v2.0/user/a@b';

  it('only absolute paths', () => {
    expect(parseActionsPath('GET', 'com.broadsoft.xsi-actions/v2.0/user/a@b/profile')).toEqual({ error: 'not an absolute path: com.broadsoft.xsi-actions/v2.0/user/a@b/profile', status: 404 });
    expect(parseActionsPath('GET', undefined as unknown as string)).toEqual({ error: 'not an absolute path: undefined', status: 404 });
  });

  it('a trailing slash is ignored', () => {
    expect(parseActionsPath('GET', `${base}/profile/`)).toEqual({ userId: 'a@b', resource: 'profile' });
  });

  it('app, version and "user" must all match, and an id must follow', () => {
    const notFound = (path: string) => ({ error: `no Xsi-Actions resource at ${path}`, status: 404 });
    for (const path of [
      '/com.broadsoft.xsi-events/v2.0/user/a@b/profile',
      '/com.broadsoft.xsi-actions/v1.0/user/a@b/profile',
      '/com.broadsoft.xsi-actions/v2.0/group/a@b/profile',
      '/',
      '/com.broadsoft.xsi-actions',
      '/com.broadsoft.xsi-actions/v2.0',
      '/com.broadsoft.xsi-actions/v2.0/user',
      '/com.broadsoft.xsi-actions/v2.0/user/',
    ]) {
      expect(parseActionsPath('GET', path)).toEqual(notFound(path));
    }
  });

  it('resources are exactly services/{known}, profile and directories/HotelingHosts', () => {
    for (const tail of ['', '/services', '/profile/x', '/foo', '/services/CallCenter/x', '/directories', '/directories/Other', '/foo/HotelingHosts', '/directories/HotelingHosts/x']) {
      expect(parseActionsPath('GET', `${base}${tail}`)).toEqual({ error: `no Xsi-Actions resource at ${base}${tail}`, status: 404 });
    }
  });

  it('405 names the method and the allowed ones; methods are case-insensitive', () => {
    expect(parseActionsPath('PUT', `${base}/directories/HotelingHosts`)).toEqual({ error: 'method PUT not allowed on directories/HotelingHosts (allowed: GET)', status: 405 });
    expect(parseActionsPath('DELETE', `${base}/services/CallCenter`)).toEqual({ error: 'method DELETE not allowed on CallCenter (allowed: GET, PUT)', status: 405 });
    expect(parseActionsPath(undefined as unknown as string, `${base}/services/CallCenter`)).toEqual({ error: 'method undefined not allowed on CallCenter (allowed: GET, PUT)', status: 405 });
    expect(parseActionsPath('put', `${base}/services/HotelingGuest`)).toEqual({ userId: 'a@b', resource: 'HotelingGuest' });
  });
});

describe('decodeCommandBody (strict, simulator side)', () => {
  const ns = 'xmlns="http://schema.broadsoft.com/xsi"';

  it('reads the reference PUT bodies', () => {
    expect(decodeCommandBody('CallCenter', `<?xml version="1.0" encoding="UTF-8"?>\n<CallCenter ${ns}><agentACDState>Unavailable</agentACDState><agentUnavailableCode>1007</agentUnavailableCode></CallCenter>`)).toEqual({
      agentACDState: 'Unavailable',
      agentUnavailableCode: '1007',
    });
    expect(
      decodeCommandBody(
        'CallForwardingAlways',
        `<?xml version="1.0" encoding="UTF-8"?>\n<CallForwardingAlways ${ns}><active>false</active><forwardToPhoneNumber xs:nil="true" xmlns:xs="http://www.w3.org/2001/XMLSchema-instance"/><ringSplash>false</ringSplash></CallForwardingAlways>`,
      ),
    ).toEqual({ active: false, forwardToPhoneNumber: null, ringSplash: false });
    expect(
      decodeCommandBody(
        'HotelingHost',
        `<HotelingHost ${ns}>\n  <active>true</active><enforceAssociationLimit>true</enforceAssociationLimit>\n  <associationLimitHours>14</associationLimitHours><accessLevel>Group</accessLevel>\n  <removeGuestAssociation>true</removeGuestAssociation>\n</HotelingHost>`,
      ),
    ).toEqual({ active: true, enforceAssociationLimit: true, associationLimitHours: 14, accessLevel: 'Group', removeGuestAssociation: true });
    expect(decodeCommandBody('HotelingGuest', `<HotelingGuest ${ns}><hostUserId>host@example.com</hostUserId></HotelingGuest>`)).toEqual({ hostUserId: 'host@example.com' });
    expect(
      decodeCommandBody('HotelingGuest', `<HotelingGuest ${ns}><hostUserId xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></HotelingGuest>`),
    ).toEqual({ hostUserId: null });
  });

  it('skips read-only elements (§1.6) and normalises tel: numbers', () => {
    expect(decodeCommandBody('HotelingGuest', `<HotelingGuest ${ns}><active>true</active><hostLastName>Desk</hostLastName></HotelingGuest>`)).toEqual({ active: true });
    expect(decodeCommandBody('CallForwardingAlways', `<CallForwardingAlways ${ns}><active>true</active><forwardToPhoneNumber>tel:3001</forwardToPhoneNumber></CallForwardingAlways>`)).toEqual({ active: true, forwardToPhoneNumber: '3001' });
  });

  it('schema violations are specific errors', () => {
    const cc = (inner: string) => `<CallCenter ${ns}>${inner}</CallCenter>`;
    const hg = (inner: string) => `<HotelingGuest ${ns}>${inner}</HotelingGuest>`;
    expect(decodeCommandBody('CallCenter', cc('<agentACDState>available</agentACDState>'))).toEqual({
      error: '<agentACDState> must be one of Sign-In, Available, Unavailable, Wrap-Up, Sign-Out; got "available" (in <CallCenter>)',
    });
    expect(decodeCommandBody('CallCenter', cc('<agentACDState>Available</agentACDState><colour>red</colour>'))).toEqual({ error: 'unknown element <colour> in <CallCenter>' });
    expect(decodeCommandBody('CallCenter', cc('<agentUnavailableCode>1</agentUnavailableCode><agentACDState>Available</agentACDState>'))).toMatchObject({ error: expect.stringMatching(/out of order/) });
    expect(decodeCommandBody('CallCenter', cc('<agentACDState>Available</agentACDState><agentACDState>Available</agentACDState>'))).toMatchObject({ error: expect.stringMatching(/repeated/) });
    expect(decodeCommandBody('CallCenter', cc('<callCenterList><callCenterDetails><serviceUserId>sales-cc@example.com</serviceUserId><available>false</available></callCenterDetails></callCenterList>'))).toEqual({
      error: 'element <callCenterList> of <CallCenter> is not supported by this XSP',
    });
    expect(decodeCommandBody('CallCenter', cc('<agentACDState><x/></agentACDState>'))).toMatchObject({ error: expect.stringMatching(/must hold text/) });
    expect(decodeCommandBody('HotelingGuest', hg('<active>yes</active>'))).toMatchObject({ error: expect.stringMatching(/<active> must be a boolean/) });
    expect(decodeCommandBody('HotelingGuest', hg('<associationLimitHours>0</associationLimitHours>'))).toMatchObject({ error: expect.stringMatching(/in 1\.\.999, got 0/) });
    expect(decodeCommandBody('HotelingGuest', hg('<associationLimitHours>1000</associationLimitHours>'))).toMatchObject({ error: expect.stringMatching(/in 1\.\.999, got 1000/) });
    expect(decodeCommandBody('HotelingGuest', hg('<associationLimitHours>1.5</associationLimitHours>'))).toMatchObject({ error: expect.stringMatching(/must be an integer/) });
    expect(decodeCommandBody('HotelingGuest', hg('<active xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'))).toMatchObject({ error: expect.stringMatching(/not nillable/) });
    expect(decodeCommandBody('HotelingGuest', hg('<hostUserId></hostUserId>'))).toMatchObject({ error: expect.stringMatching(/must not be empty/) });
    expect(decodeCommandBody('HotelingHost', `<HotelingHost ${ns}><accessLevel>group</accessLevel></HotelingHost>`)).toMatchObject({ error: expect.stringMatching(/accessLevel/) });
    expect(decodeCommandBody('HotelingGuest', cc('<agentACDState>Available</agentACDState>'))).toEqual({ error: 'expected <HotelingGuest>, got <CallCenter>' });
    expect(decodeCommandBody('profile', cc(''))).toEqual({ error: 'profile takes no request body (GET only)' });
    expect(decodeCommandBody('CallCenter', '<?xml version="1.0"?><!DOCTYPE CallCenter [<!ENTITY x "y">]><CallCenter/>')).toMatchObject({ error: expect.stringMatching(/markup declarations/) });
    expect(decodeCommandBody('CallCenter', cc('<agentACDState>Avail'))).toMatchObject({ error: expect.stringMatching(/malformed XML/) });
  });
});

describe('CallCenter agentUnavailableCode (issue 13 item 3)', () => {
  const path = '/com.broadsoft.xsi-actions/v2.0/user/a%40example.com/services/CallCenter';

  it('PUT CallCenter carries the unavailable code right after agentACDState (XSD order); null clears it with xsi:nil', () => {
    expect(requests({ op: 'PUT CallCenter', userId: 'a@example.com', body: { agentACDState: 'Unavailable', agentUnavailableCode: '1007' } })).toEqual([
      {
        method: 'PUT',
        path,
        body: '<?xml version="1.0" encoding="UTF-8"?><CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Unavailable</agentACDState><agentUnavailableCode>1007</agentUnavailableCode></CallCenter>',
      },
    ]);
    const nil = requests({ op: 'PUT CallCenter', userId: 'a@example.com', body: { agentACDState: 'Available', agentUnavailableCode: null } })[0]!;
    expect(nil.body).toContain('<agentACDState>Available</agentACDState><agentUnavailableCode xsi:nil="true"/>');
    expect(decodeCommandBody('CallCenter', nil.body!)).toEqual({ agentACDState: 'Available', agentUnavailableCode: null });
  });

  it('refuses a code the XSD token type does not allow (1..10 characters, no blanks)', () => {
    const put = (code: string) => encodeCommandRequest({ op: 'PUT CallCenter', userId: 'a@example.com', body: { agentACDState: 'Unavailable', agentUnavailableCode: code } });
    expect(put('')).toEqual({ error: 'PUT CallCenter: agentUnavailableCode must be 1..10 characters without blanks, got ""' });
    expect(put('12345678901')).toEqual({ error: 'PUT CallCenter: agentUnavailableCode must be 1..10 characters without blanks, got "12345678901"' });
    expect(put('10 07')).toEqual({ error: 'PUT CallCenter: agentUnavailableCode must be 1..10 characters without blanks, got "10 07"' });
    expect(put('1234567890')).not.toHaveProperty('error');
  });

  it('GET CallCenter answers the code when the XSP gives one', () => {
    const body = '<CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Unavailable</agentACDState><agentUnavailableCode>lunch</agentUnavailableCode></CallCenter>';
    expect(decodeCommandResponse({ op: 'GET CallCenter', userId: 'a@example.com' }, 200, 'application/xml', body)).toEqual({
      status: 200,
      body: { kind: 'CallCenter', agentACDState: 'Unavailable', agentUnavailableCode: 'lunch' },
    });
  });
});
