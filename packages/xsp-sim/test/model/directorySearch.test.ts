import type { DirectoryQuery, XsiOutcome, XsiResultBody } from '@csta-bw/core';
import { describe, expect, it } from 'vitest';
import { matchesSearchValue } from '../../src/model/directorySearch.js';
import { ADMIN, agent, desk, fresh, run, statusOf } from './helpers.js';

type Page = Extract<XsiResultBody, { kind: 'directory' }>;

function page(o: XsiOutcome): Page {
  expect(o).toMatchObject({ status: 200, body: { kind: 'directory' } });
  return (o as { body: Page }).body;
}

const search = (query: DirectoryQuery, asUser = agent(1), directory: 'Group' | 'Enterprise' = 'Group') =>
  run(fresh(), { op: 'GET directory', userId: asUser, directory, query }, 0, asUser).outcome;

const ids = (p: Page) => p.entries.map((e) => e.userId);

describe('directory search (GET directory)', () => {
  it('extension=3007 finds exactly agent-007, with its names, extension and group', () => {
    const p = page(search({ extension: '3007' }));
    expect(p).toMatchObject({ directory: 'Group', startIndex: 1, total: 1 });
    expect(p.entries).toEqual([{ userId: agent(7), firstName: '007', lastName: 'Agent', extension: '3007', groupId: 'example-group' }]);
  });

  it('no criterion lists every user of the group, sorted by last name, first name, user id', () => {
    const p = page(search({}));
    expect(p.total).toBe(60);
    expect(ids(p).slice(0, 2)).toEqual([agent(1), agent(2)]);
    expect(ids(p).at(-1)).toBe(desk(110));
    expect(ids(p)).not.toContain(ADMIN);
  });

  it('* is a wildcard, /i makes the match case-insensitive, without it case matters', () => {
    expect(page(search({ firstName: '10*' })).total).toBe(9); // 101…109
    expect(page(search({ lastName: 'desk' })).total).toBe(0);
    expect(page(search({ lastName: 'desk/i' })).total).toBe(10);
    expect(ids(page(search({ userId: '*-04*' })))).toEqual([agent(40), agent(41), agent(42), agent(43), agent(44), agent(45), agent(46), agent(47), agent(48), agent(49)]);
    expect(page(search({ extension: '30' })).total).toBe(0); // no wildcard = the whole value
  });

  it('criteria are AND-ed unless searchCriteriaModeOr (anyCriterion)', () => {
    expect(page(search({ extension: '3001', lastName: 'Desk' })).total).toBe(0);
    expect(ids(page(search({ extension: '3001', firstName: '101', anyCriterion: true })))).toEqual([agent(1), desk(101)]);
  });

  it('start/results page the sorted matches; total counts them all', () => {
    const p = page(search({ lastName: 'Agent', start: 11, results: 5 }));
    expect(p).toMatchObject({ startIndex: 11, total: 50 });
    expect(ids(p)).toEqual([agent(11), agent(12), agent(13), agent(14), agent(15)]);
    const past = page(search({ lastName: 'Agent', start: 60 }));
    expect(past).toMatchObject({ startIndex: 60, total: 50, entries: [] });
  });

  it('fields a user lacks never match (emailAddress is not provisioned)', () => {
    expect(page(search({ emailAddress: '*' })).total).toBe(0);
    expect(page(search({ number: '*' })).total).toBe(0);
  });

  it('the Enterprise directory lists the same users (one group in the enterprise)', () => {
    expect(page(search({ extension: '2105' }, agent(1), 'Enterprise'))).toMatchObject({ directory: 'Enterprise', total: 1, entries: [{ userId: desk(105) }] });
  });

  it('group level: the admin searches the group; anyone else is out of scope; an unknown group is 404', () => {
    const group = { serviceProviderId: 'example.com', groupId: 'example-group' };
    const admin = run(fresh(), { op: 'GET directory', userId: ADMIN, directory: 'Group', query: { extension: '3007' }, group }, 0, ADMIN).outcome;
    expect(ids(page(admin))).toEqual([agent(7)]);
    const byAgent = run(fresh(), { op: 'GET directory', userId: agent(1), directory: 'Group', query: {}, group }, 0, agent(1)).outcome;
    expect(statusOf(byAgent)).toEqual({ status: 403, errorCode: 110002 });
    const other = run(fresh(), { op: 'GET directory', userId: ADMIN, directory: 'Group', query: {}, group: { ...group, groupId: 'nope' } }, 0, ADMIN).outcome;
    expect(statusOf(other)).toEqual({ status: 404, errorCode: 110007 });
    const otherSp = run(fresh(), { op: 'GET directory', userId: ADMIN, directory: 'Group', query: {}, group: { ...group, serviceProviderId: 'nope' } }, 0, ADMIN).outcome;
    expect(statusOf(otherSp)).toEqual({ status: 404, errorCode: 110007 });
  });

  it('bad queries are refused with a schema violation that names the field', () => {
    for (const query of [{ start: 0 }, { results: 0 }, { start: 1.5 }, { firstName: '' }, { directory: 'x' } as unknown as DirectoryQuery]) {
      const o = search(query);
      expect(statusOf(o), JSON.stringify(query)).toEqual({ status: 400, errorCode: 110003 });
    }
    const o = run(fresh(), { op: 'GET directory', userId: agent(1), directory: 'Personal' as 'Group', query: {} }, 0, agent(1)).outcome;
    expect(statusOf(o)).toEqual({ status: 400, errorCode: 110003 });
  });

  it('a user searches through its own id only; an unknown user is 404', () => {
    expect(statusOf(search({}, agent(2)))).toMatchObject({ status: 200 });
    expect(statusOf(run(fresh(), { op: 'GET directory', userId: agent(2), directory: 'Group', query: {} }, 0, agent(1)).outcome)).toEqual({ status: 403, errorCode: 110002 });
    expect(statusOf(run(fresh(), { op: 'GET directory', userId: 'ghost@example.com', directory: 'Group', query: {} }, 0, ADMIN).outcome)).toEqual({ status: 404, errorCode: 110001 });
  });

  it('matchesSearchValue: regex characters are literal, only * is special', () => {
    expect(matchesSearchValue('a.b', 'a.b')).toBe(true);
    expect(matchesSearchValue('axb', 'a.b')).toBe(false);
    expect(matchesSearchValue('+1-555', '+1-5*')).toBe(true);
    expect(matchesSearchValue('ABC', 'a*/i')).toBe(true);
    expect(matchesSearchValue(undefined, '*')).toBe(false);
  });
});
