/** Issue 13 item 3: the group's Call Center unavailable code list. */
import { describe, expect, it } from 'vitest';
import { createXsp, defaultDirectory, groupUnavailableCodes, validateDirectory, XSP_ERRORS } from '../../src/index.js';
import { ADMIN, agent, fresh, run, statusOf } from './helpers.js';

describe('unavailable codes', () => {
  it('any user of the group and the admin read the list, by serviceProviderId or enterpriseId (which wins)', () => {
    const s = fresh();
    const list = groupUnavailableCodes(s, { asUser: agent(1), groupId: 'example-group', serviceProviderId: 'example.com' });
    expect(list).toMatchObject({ enableAgentUnavailableCodes: true, forceUseOfAgentUnavailableCodes: false });
    expect('codes' in list && list.codes.map((c) => [c.code, c.active])).toEqual([['1001', true], ['1002', true], ['1003', true], ['1004', true], ['1005', false]]);
    expect(groupUnavailableCodes(s, { asUser: ADMIN, groupId: 'example-group', serviceProviderId: 'nope', enterpriseId: 'example.com' })).toHaveProperty('codes');
  });

  it('refuses a missing parent id, another group or enterprise', () => {
    const s = fresh();
    expect(statusOf(groupUnavailableCodes(s, { asUser: ADMIN, groupId: 'example-group' }) as never)).toEqual({ status: 400, errorCode: XSP_ERRORS.SCHEMA_VIOLATION.code });
    expect(statusOf(groupUnavailableCodes(s, { asUser: ADMIN, groupId: 'other', serviceProviderId: 'example.com' }) as never)).toEqual({ status: 404, errorCode: XSP_ERRORS.GROUP_NOT_FOUND.code });
    expect(statusOf(groupUnavailableCodes(s, { asUser: ADMIN, groupId: 'example-group', enterpriseId: 'other.com' }) as never)).toEqual({ status: 404, errorCode: XSP_ERRORS.GROUP_NOT_FOUND.code });
  });

  it('with codes disabled, any well-formed code is kept as given', () => {
    const dir = defaultDirectory();
    dir.unavailableCodes = { enableAgentUnavailableCodes: false, forceUseOfAgentUnavailableCodes: false, codes: [] };
    const s = createXsp({ directory: dir, seed: 1, faults: 'none' });
    const r = run(s, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Unavailable', agentUnavailableCode: 'anything' } });
    expect(r.outcome).toEqual({ status: 200 });
  });

  it('a directory file may give its codes; bad ones are named by JSON path', () => {
    const base = JSON.parse(JSON.stringify(defaultDirectory())) as Record<string, unknown>;
    expect(validateDirectory({ ...base, unavailableCodes: { enableAgentUnavailableCodes: true, forceUseOfAgentUnavailableCodes: false, codes: [{ code: '12345678901', description: 'x', active: true }] } }))
      .toMatchObject({ error: expect.stringMatching(/^directory\.unavailableCodes\.codes\[0\]\.code/) });
    expect(validateDirectory({ ...base, unavailableCodes: { enableAgentUnavailableCodes: true, forceUseOfAgentUnavailableCodes: false, codes: [{ code: '1', description: 'a', active: true }, { code: '1', description: 'b', active: true }] } }))
      .toMatchObject({ error: 'directory.unavailableCodes.codes[1].code: duplicate code "1"' });
    expect(validateDirectory({ ...base, serviceProviderId: 'a/b' })).toMatchObject({ error: expect.stringMatching(/serviceProviderId/) });
  });
});
