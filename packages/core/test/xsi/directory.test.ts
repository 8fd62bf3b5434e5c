import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { decodeCommandResponse, encodeCommandRequest } from '../../src/xsi/actions.js';
import { decodeDirectory, directoryQueryString, encodeDirectory, parseDirectoryQuery } from '../../src/xsi/directory.js';
import { isCodecError } from '../../src/xsi/xml.js';
import type { DirectoryEntry, DirectoryQuery, XsiCommand } from '../../src/xsi/types.js';
import { text, userId } from './arbitraries.js';

const XML = 'application/xml;charset=UTF-8';

const agent7: DirectoryEntry = { userId: 'agent-007@example.com', firstName: '007', lastName: 'Agent', groupId: 'example-group', extension: '3007' };

describe('GET directory on HTTP', () => {
  it('user level: GET /user/<id>/directories/<Name> with the search as query parameters', () => {
    const cmd: XsiCommand = { op: 'GET directory', userId: 'agent-001@example.com', directory: 'Group', query: { extension: '3007' } };
    expect(encodeCommandRequest(cmd)).toEqual([{ method: 'GET', path: '/com.broadsoft.xsi-actions/v2.0/user/agent-001%40example.com/directories/Group?extension=3007' }]);
    const all: XsiCommand = {
      op: 'GET directory',
      userId: 'a@x',
      directory: 'Enterprise',
      query: { lastName: 'O Brien*/i', number: '+1-555*', anyCriterion: true, start: 11, results: 5 },
    };
    expect(encodeCommandRequest(all)).toEqual([
      { method: 'GET', path: '/com.broadsoft.xsi-actions/v2.0/user/a%40x/directories/Enterprise?lastName=O%20Brien*/i&number=%2B1-555*&searchCriteriaModeOr=true&start=11&results=5' },
    ]);
  });

  it('group level: GET /group/<groupId>/directories/<Name>?serviceProviderId=<sp>&…', () => {
    const cmd: XsiCommand = {
      op: 'GET directory',
      userId: 'admin@example.com',
      directory: 'Group',
      query: { extension: '3007' },
      group: { serviceProviderId: 'sp 1', groupId: 'example-group' },
    };
    expect(encodeCommandRequest(cmd)).toEqual([
      { method: 'GET', path: '/com.broadsoft.xsi-actions/v2.0/group/example-group/directories/Group?serviceProviderId=sp%201&extension=3007' },
    ]);
  });

  it('refuses what cannot be sent: unknown directory, bad paging, empty search value', () => {
    for (const bad of [
      { directory: 'Personal', query: {} },
      { directory: 'Group', query: { start: 0 } },
      { directory: 'Group', query: { results: 2.5 } },
      { directory: 'Group', query: { firstName: '' } },
    ]) {
      const r = encodeCommandRequest({ op: 'GET directory', userId: 'a@x', ...bad } as XsiCommand);
      expect(isCodecError(r), JSON.stringify(bad)).toBe(true);
    }
  });

  it('decodes the Group document into the directory result body', () => {
    const cmd: XsiCommand = { op: 'GET directory', userId: 'a@x', directory: 'Group', query: { extension: '3007' } };
    const xml =
      '<?xml version="1.0" encoding="ISO-8859-1"?><Group xmlns="http://schema.broadsoft.com/xsi"><startIndex>1</startIndex><numberOfRecords>1</numberOfRecords>' +
      '<totalAvailableRecords>1</totalAvailableRecords><groupDirectory><directoryDetails><userId>agent-007@example.com</userId><firstName>007</firstName>' +
      '<lastName>Agent</lastName><groupId>example-group</groupId><serviceProvider>sp</serviceProvider><extension>3007</extension>' +
      '<additionalDetails><emailAddress>a7@example.com</emailAddress></additionalDetails></directoryDetails></groupDirectory></Group>';
    expect(decodeCommandResponse(cmd, 200, XML, xml)).toEqual({
      status: 200,
      body: { kind: 'directory', directory: 'Group', startIndex: 1, total: 1, entries: [{ ...agent7, emailAddress: 'a7@example.com' }] },
    });
  });

  it('a document of the wrong directory or without userId is a bad answer', () => {
    const cmd: XsiCommand = { op: 'GET directory', userId: 'a@x', directory: 'Group', query: {} };
    const enterprise = encodeDirectory({ directory: 'Enterprise', entries: [], startIndex: 1, total: 0 });
    expect(decodeCommandResponse(cmd, 200, XML, enterprise)).toMatchObject({ transportError: expect.stringContaining('<Group>') });
    const noId = '<Group xmlns="http://schema.broadsoft.com/xsi"><startIndex>1</startIndex><numberOfRecords>1</numberOfRecords><totalAvailableRecords>1</totalAvailableRecords><groupDirectory><directoryDetails><firstName>x</firstName></directoryDetails></groupDirectory></Group>';
    expect(decodeCommandResponse(cmd, 200, XML, noId)).toMatchObject({ transportError: expect.stringContaining('userId') });
  });

  it('encodes the XSD order: startIndex, numberOfRecords, totalAvailableRecords, <name>Directory/directoryDetails', () => {
    const xml = encodeDirectory({ directory: 'Enterprise', entries: [agent7], startIndex: 3, total: 9 });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Enterprise xmlns="http://schema.broadsoft.com/xsi"><startIndex>3</startIndex><numberOfRecords>1</numberOfRecords>' +
        '<totalAvailableRecords>9</totalAvailableRecords><enterpriseDirectory><directoryDetails><userId>agent-007@example.com</userId><firstName>007</firstName>' +
        '<lastName>Agent</lastName><groupId>example-group</groupId><extension>3007</extension></directoryDetails></enterpriseDirectory></Enterprise>',
    );
  });
});

describe('parseDirectoryQuery (server side)', () => {
  it('reads the BroadWorks parameters; the first of a repeated one wins; unknown ones are ignored', () => {
    expect(parseDirectoryQuery('firstName=Desk*%2Fi&firstName=x&extension=3007&searchCriteriaModeOr=TRUE&start=2&results=3&_=1699&format=json')).toEqual({
      firstName: 'Desk*/i',
      extension: '3007',
      anyCriterion: true,
      start: 2,
      results: 3,
    });
    expect(parseDirectoryQuery('')).toEqual({});
    expect(parseDirectoryQuery('lastName=O+Brien')).toEqual({ lastName: 'O Brien' }); // form encoding, as a servlet reads it
    expect(parseDirectoryQuery('numberOfRecords=1&start=1')).toEqual({ start: 1, results: 1 }); // what some clients send for a page size
  });

  it('names the parameter that is wrong', () => {
    expect(parseDirectoryQuery('start=0')).toEqual({ error: expect.stringContaining('start') });
    expect(parseDirectoryQuery('results=ten')).toEqual({ error: expect.stringContaining('results') });
    expect(parseDirectoryQuery('searchCriteriaModeOr=yes')).toEqual({ error: expect.stringContaining('searchCriteriaModeOr') });
    expect(parseDirectoryQuery('extension=')).toEqual({ error: expect.stringContaining('extension') });
    expect(parseDirectoryQuery('userId=%E0%A4%A')).toEqual({ error: expect.stringContaining('userId') });
  });
});

const searchValue = text.filter((s) => s !== '/i');
const query: fc.Arbitrary<DirectoryQuery> = fc.record({
  userId: searchValue,
  firstName: searchValue,
  lastName: searchValue,
  number: fc.stringMatching(/^\+?[0-9*][0-9*-]{0,9}$/),
  extension: fc.stringMatching(/^[0-9*]{1,6}$/),
  emailAddress: searchValue,
  anyCriterion: fc.boolean(),
  start: fc.integer({ min: 1, max: 100_000 }),
  results: fc.integer({ min: 1, max: 1000 }),
}, { requiredKeys: [] });

const entry: fc.Arbitrary<DirectoryEntry> = fc.record({
  userId,
  firstName: text,
  lastName: text,
  number: fc.stringMatching(/^\+?[0-9][0-9-]{0,9}$/),
  extension: fc.stringMatching(/^[0-9]{2,6}$/),
  groupId: text,
  emailAddress: userId,
}, { requiredKeys: ['userId'] });

describe('round trips', () => {
  test.prop([query])('a query survives the query string: parseDirectoryQuery(directoryQueryString(q)) = q', (q) => {
    const normalised = { ...q };
    if (normalised.anyCriterion === false) delete normalised.anyCriterion; // false is the default: not sent
    expect(parseDirectoryQuery(directoryQueryString(q))).toEqual(normalised);
  });

  test.prop([fc.constantFrom('Group' as const, 'Enterprise' as const), fc.array(entry, { maxLength: 4 }), fc.integer({ min: 1, max: 50 }), fc.nat(20)])(
    'a page survives the XML: decodeDirectory(encodeDirectory(p)) = p',
    (directory, entries, startIndex, extra) => {
      const page = { directory, entries, startIndex, total: startIndex - 1 + entries.length + extra };
      expect(decodeDirectory(encodeDirectory(page), directory)).toEqual(page);
    },
  );
});
