/**
 * Document conformance, Xsi-Actions: every service document the simulator answers (and ErrorInfo),
 * checked against the element lists of reference/xsi.md §1.7, §2–§4 (documents.schema.ts); plus
 * the routes issue 13 adds for them: Do Not Disturb, Remote Office, the group's unavailable
 * codes, enterprise / service-provider subscriptions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, EVENTS, XSI_NS, agent, call, desk, errorCodeOf, start, subscriptionBody } from '../server/helpers.js';
import { ACTIONS_DOCUMENTS, checkShape } from './documents.schema.js';
import { textOf, xmlDocument } from './routeHelpers.js';

let server: XspServer;
const put = (userId: string, service: string, inner: string, user?: string) =>
  call(server, 'PUT', `${ACTIONS}/user/${userId}/services/${service}`, { body: `<${service} ${XSI_NS}>${inner}</${service}>`, ...(user ? { user } : {}) });
const CODES = `${ACTIONS}/group/example-group/services/CallCenter/UnavailableCodes`;

beforeAll(async () => {
  server = await start();
  expect((await put(agent(1), 'HotelingGuest', `<hostUserId>${desk(101)}</hostUserId>`)).status).toBe(200);
  expect((await put(agent(1), 'CallCenter', '<agentACDState>Unavailable</agentACDState><agentUnavailableCode>1003</agentUnavailableCode>')).status).toBe(200);
  expect((await put(agent(1), 'CallForwardingAlways', '<active>true</active><forwardToPhoneNumber>2101</forwardToPhoneNumber>')).status).toBe(200);
});
afterAll(() => server.close());

describe('conformance: Xsi-Actions documents', () => {
  const cases: Array<[string, string, string]> = [
    ['CallCenter', `${ACTIONS}/user/agent-001@example.com/services/CallCenter`, 'CallCenter'],
    ['CallForwardingAlways', `${ACTIONS}/user/agent-001@example.com/services/CallForwardingAlways`, 'CallForwardingAlways'],
    ['HotelingGuest (associated)', `${ACTIONS}/user/agent-001@example.com/services/HotelingGuest`, 'HotelingGuest'],
    ['HotelingHost (hosting)', `${ACTIONS}/user/desk-101@example.com/services/HotelingHost`, 'HotelingHost'],
    ['DoNotDisturb', `${ACTIONS}/user/agent-001@example.com/services/DoNotDisturb`, 'DoNotDisturb'],
    ['RemoteOffice', `${ACTIONS}/user/agent-001@example.com/services/RemoteOffice`, 'RemoteOffice'],
    ['ACDAgentUnavailableCodes', `${CODES}?serviceProviderId=example.com`, 'ACDAgentUnavailableCodes'],
    ['AvailableHotelingHosts', `${ACTIONS}/user/agent-002@example.com/directories/HotelingHosts`, 'AvailableHotelingHosts'],
  ];
  for (const [what, path, root] of cases) {
    it(`${what}: required elements, schema order`, async () => {
      checkShape(xmlDocument(await call(server, 'GET', path), root), ACTIONS_DOCUMENTS[root]!);
    });
  }

  it('the documents are complete where the model knows the value: code while Unavailable, ringSplash, dates of today', async () => {
    const cc = xmlDocument(await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/services/CallCenter`), 'CallCenter');
    expect([textOf(cc, 'agentACDState'), textOf(cc, 'agentUnavailableCode')]).toEqual(['Unavailable', '1003']);
    const dnd = xmlDocument(await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/services/DoNotDisturb`), 'DoNotDisturb');
    expect([textOf(dnd, 'active'), textOf(dnd, 'ringSplash')]).toEqual(['false', 'false']);
    const today = new Date().toISOString().slice(0, 10);
    const guest = xmlDocument(await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/services/HotelingGuest`), 'HotelingGuest');
    expect(textOf(guest, 'hostAssociationDateTime')?.slice(0, 10)).toBe(today);
    const host = xmlDocument(await call(server, 'GET', `${ACTIONS}/user/${desk(101)}/services/HotelingHost`), 'HotelingHost');
    expect(textOf(host, 'guestAssociationDateTime')?.slice(0, 10)).toBe(today);
  });

  it('ErrorInfo: summary, summaryEnglish, errorCode', async () => {
    const r = await put(agent(2), 'CallCenter', '<agentACDState>Available</agentACDState><agentUnavailableCode>1001</agentUnavailableCode>');
    expect(r.status).toBe(400);
    const doc = xmlDocument({ ...r, status: 200 }, 'ErrorInfo');
    checkShape(doc, ACTIONS_DOCUMENTS['ErrorInfo']!);
    expect(textOf(doc, 'errorCode')).toBe('110102');
  });
});

describe('conformance: Do Not Disturb and Remote Office routes', () => {
  it('PUT then GET, fixed words case-insensitive; a user may change itself, not another (403)', async () => {
    expect((await call(server, 'PUT', `${ACTIONS}/user/${agent(3)}/services/donotdisturb`, { user: agent(3), body: `<DoNotDisturb ${XSI_NS}><active>true</active><ringSplash>true</ringSplash></DoNotDisturb>` })).status).toBe(200);
    const dnd = xmlDocument(await call(server, 'GET', `${ACTIONS}/User/${agent(3)}/Services/DoNotDisturb`, { user: agent(3) }), 'DoNotDisturb');
    expect([textOf(dnd, 'active'), textOf(dnd, 'ringSplash')]).toEqual(['true', 'true']);
    const other = await call(server, 'GET', `${ACTIONS}/user/${agent(3)}/services/RemoteOffice`, { user: agent(4) });
    expect([other.status, errorCodeOf(other.text)]).toEqual([403, 110002]);
    expect((await put(agent(3), 'RemoteOffice', '<active>true</active><remoteOfficeNumber>tel:5550123</remoteOfficeNumber>')).status).toBe(200);
    const ro = xmlDocument(await call(server, 'GET', `${ACTIONS}/user/${agent(3)}/services/remoteoffice`), 'RemoteOffice');
    expect([textOf(ro, 'active'), textOf(ro, 'remoteOfficeNumber')]).toEqual(['true', '5550123']);
  });

  it('errors: a bad body 400 (110003), activation without a number 400 (110703), POST 405', async () => {
    const bad = await put(agent(3), 'DoNotDisturb', '<active>maybe</active>');
    expect([bad.status, errorCodeOf(bad.text)]).toEqual([400, 110003]);
    const noNumber = await put(agent(4), 'RemoteOffice', '<active>true</active>');
    expect([noNumber.status, errorCodeOf(noNumber.text)]).toEqual([400, 110703]);
    const post = await call(server, 'POST', `${ACTIONS}/user/${agent(3)}/services/DoNotDisturb`, { body: '<DoNotDisturb/>' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, PUT']);
  });
});

describe('conformance: GET group/<groupId>/services/CallCenter/UnavailableCodes', () => {
  it('any user of the group reads the list (serviceProviderId or enterpriseId)', async () => {
    const doc = xmlDocument(await call(server, 'GET', `${CODES}?enterpriseId=example.com`, { user: agent(5) }), 'ACDAgentUnavailableCodes');
    const details = doc.children.find((c) => c.local === 'unavailableCodes')!.children;
    expect(details.map((d) => [textOf(d, 'code'), textOf(d, 'description'), textOf(d, 'active')])).toEqual([
      ['1001', 'Lunch', 'true'], ['1002', 'Meeting', 'true'], ['1003', 'Training', 'true'], ['1004', 'Break', 'true'], ['1005', 'Retired code', 'false'],
    ]);
  });

  it('errors: no parent id 400, another group 404, PUT 405', async () => {
    const none = await call(server, 'GET', CODES);
    expect([none.status, errorCodeOf(none.text)]).toEqual([400, 110003]);
    const other = await call(server, 'GET', `${ACTIONS}/group/other/services/CallCenter/UnavailableCodes?serviceProviderId=example.com`);
    expect([other.status, errorCodeOf(other.text)]).toEqual([404, 110007]);
    const putIt = await call(server, 'PUT', `${CODES}?serviceProviderId=example.com`, { body: '<x/>' });
    expect([putIt.status, putIt.headers.get('allow')]).toEqual([405, 'GET']);
  });
});

describe('conformance: enterprise / service-provider subscriptions', () => {
  it('the admin subscribes enterprise/<id> or serviceprovider/<id> (optional /subscription); others 403', async () => {
    for (const path of ['enterprise/example.com', 'serviceprovider/example.com/subscription']) {
      const r = await call(server, 'POST', `${EVENTS}/${path}`, { body: subscriptionBody('Call Center Agent') });
      expect(r.status, path).toBe(200);
      expect(r.text).toMatch(/<subscriptionId>[0-9a-f-]{36}<\/subscriptionId><expires>86400<\/expires>/);
    }
    const agentTry = await call(server, 'POST', `${EVENTS}/enterprise/example.com`, { user: agent(1), body: subscriptionBody('Call Center Agent') });
    expect([agentTry.status, errorCodeOf(agentTry.text)]).toEqual([403, 110002]);
    const wrong = await call(server, 'POST', `${EVENTS}/serviceprovider/nope`, { body: subscriptionBody('Call Center Agent') });
    expect([wrong.status, errorCodeOf(wrong.text)]).toEqual([403, 110002]);
  });
});
