/**
 * GET user/<id>/directories/{Group, Enterprise, GroupCommon, EnterpriseCommon, Personal, CallLogs[/…]}
 * and GET group/<groupId>/directories/{Group, Enterprise} (XSD Directory/XSIDirectories.xsd):
 * the paging counts first, then the entries, each in schema order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, ADMIN, agent, call, start } from '../server/helpers.js';
import { expectSchemaOrder, names, textOf, xmlDocument } from './routeHelpers.js';

let server: XspServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

const PAGED = ['startIndex', 'numberOfRecords', 'totalAvailableRecords'];
/** UserInfo, then UserDetails, then UserAdditionalEnterpriseGroupDetails. */
const DETAILS_ORDER = ['userId', 'externalId', 'firstName', 'lastName', 'hiranganaLastName', 'hiranganaFirstName', 'nameDialingName', 'groupId', 'serviceProvider', 'number', 'extension', 'additionalDetails'];

const user = (name: string, query = '') => call(server, 'GET', `${ACTIONS}/user/${agent(1)}/directories/${name}${query}`, { user: agent(1) });

describe('conformance: directories', () => {
  for (const [name, list] of [['Group', 'groupDirectory'], ['Enterprise', 'enterpriseDirectory']] as const) {
    it(`${name}: <${name}> with ${PAGED.join(', ')}, then <${list}> of <directoryDetails> in XSD order`, async () => {
      const doc = xmlDocument(await user(name), name);
      expect(names(doc)).toEqual([...PAGED, list]);
      const entries = doc.children[3]!.children;
      expect(entries.length).toBe(60);
      expect(textOf(doc, 'numberOfRecords')).toBe('60');
      expect(textOf(doc, 'totalAvailableRecords')).toBe('60');
      for (const e of entries) {
        expect(e.local).toBe('directoryDetails');
        expectSchemaOrder(e, DETAILS_ORDER, ['userId']);
      }
    });
  }

  it('Group?extension=3007 is exactly agent-007', async () => {
    const doc = xmlDocument(await user('Group', '?extension=3007'), 'Group');
    expect([textOf(doc, 'startIndex'), textOf(doc, 'numberOfRecords'), textOf(doc, 'totalAvailableRecords')]).toEqual(['1', '1', '1']);
    expect(doc.children[3]!.children.map((e) => textOf(e, 'userId'))).toEqual([agent(7)]);
  });

  for (const name of ['GroupCommon', 'EnterpriseCommon']) {
    it(`${name}: <${name}> with the paging counts (no common phone list is provisioned)`, async () => {
      const doc = xmlDocument(await user(name), name);
      expectSchemaOrder(doc, [...PAGED, 'commonPhoneEntry'], PAGED);
      expect(textOf(doc, 'totalAvailableRecords')).toBe('0');
    });
  }

  it('Personal: <Personal> with the paging counts, then entries', async () => {
    const doc = xmlDocument(await user('Personal', '?start=1&numberOfRecords=1'), 'Personal');
    expectSchemaOrder(doc, [...PAGED, 'entry']);
  });

  it('CallLogs: <CallLogs> of placed, received, missed (in that order); CallLogs/Missed only the missed list', async () => {
    const all = xmlDocument(await user('CallLogs'), 'CallLogs');
    expect(names(all)).toEqual(['placed', 'received', 'missed']);
    for (const [path, list] of [['Missed', 'missed'], ['Placed', 'placed'], ['Received', 'received']] as const) {
      const one = xmlDocument(await user(`CallLogs/${path}`), 'CallLogs');
      expect(names(one)).toEqual([list]);
    }
  });

  it('group level: GET group/<groupId>/directories/Group?serviceProviderId=… as the group admin', async () => {
    const r = await call(server, 'GET', `${ACTIONS}/group/example-group/directories/Group?serviceProviderId=${encodeURIComponent(server.state.serviceProviderId)}&extension=3007`, { user: ADMIN });
    const doc = xmlDocument(r, 'Group');
    expect(names(doc)).toEqual([...PAGED, 'groupDirectory']);
    expect(doc.children[3]!.children.map((e) => textOf(e, 'userId'))).toEqual([agent(7)]);
  });
});
