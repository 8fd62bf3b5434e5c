import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, ADMIN, agent, call, desk, errorCodeOf, start } from './helpers.js';

let server: XspServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

const userIds = (xml: string): string[] => [...xml.matchAll(/<userId>([^<]*)<\/userId>/g)].map((m) => m[1]!);

describe('read routes: services, devices, directories — errors and search over HTTP', () => {
  it("another user's services, devices or directory: 403 before 404; an unknown user: 404 (for the admin)", async () => {
    for (const tail of ['services', 'profile/device', 'directories/Group', 'directories/Personal', 'directories/CallLogs']) {
      const other = await call(server, 'GET', `${ACTIONS}/user/${agent(2)}/${tail}`, { user: agent(1) });
      expect([tail, other.status, errorCodeOf(other.text)]).toEqual([tail, 403, 110002]);
      const ghost = await call(server, 'GET', `${ACTIONS}/user/ghost@example.com/${tail}`, { user: ADMIN });
      expect([tail, ghost.status, errorCodeOf(ghost.text)]).toEqual([tail, 404, 110001]);
    }
  });

  it('only GET: PUT on services is 405 with Allow: GET', async () => {
    const r = await call(server, 'PUT', `${ACTIONS}/user/${agent(1)}/services`, { body: '<Services/>' });
    expect([r.status, errorCodeOf(r.text), r.headers.get('allow')]).toEqual([405, 110502, 'GET']);
  });

  it('search parameters over HTTP: /i, wildcards, OR mode, paging; a bad parameter is 400 naming it', async () => {
    const desks = await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/directories/Group?lastName=desk/i&results=3&start=2`, { user: agent(1) });
    expect(desks.status).toBe(200);
    expect(desks.text).toContain('<startIndex>2</startIndex><numberOfRecords>3</numberOfRecords><totalAvailableRecords>10</totalAvailableRecords>');
    expect(userIds(desks.text)).toEqual([desk(102), desk(103), desk(104)]);
    const or = await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/directories/Enterprise?extension=3002&userId=desk-10*&searchCriteriaModeOr=true`, { user: agent(1) });
    expect(userIds(or.text)).toHaveLength(10); // desk-101…109 and agent-002
    const bad = await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/directories/Group?start=0`, { user: agent(1) });
    expect([bad.status, errorCodeOf(bad.text)]).toEqual([400, 110003]);
    expect(bad.text).toContain('start');
  });

  it('group level: admin only; serviceProviderId or enterpriseId required; an unknown group is 404', async () => {
    const path = `${ACTIONS}/group/example-group/directories/Group`;
    const sp = server.state.serviceProviderId;
    expect((await call(server, 'GET', `${path}?serviceProviderId=${sp}`, { user: ADMIN })).status).toBe(200);
    expect((await call(server, 'GET', `${path}?enterpriseId=${sp}`, { user: ADMIN })).status).toBe(200);
    const byAgent = await call(server, 'GET', `${path}?serviceProviderId=${sp}`, { user: agent(1) });
    expect([byAgent.status, errorCodeOf(byAgent.text)]).toEqual([403, 110002]);
    const noParent = await call(server, 'GET', path, { user: ADMIN });
    expect([noParent.status, errorCodeOf(noParent.text)]).toEqual([400, 110003]);
    const unknown = await call(server, 'GET', `${ACTIONS}/group/nope/directories/Group?serviceProviderId=${sp}`, { user: ADMIN });
    expect([unknown.status, errorCodeOf(unknown.text)]).toEqual([404, 110007]);
    const otherSp = await call(server, 'GET', `${path}?serviceProviderId=nope`, { user: ADMIN });
    expect([otherSp.status, errorCodeOf(otherSp.text)]).toEqual([404, 110007]);
  });

  it('an unknown directory or call-log list is 404, not an empty answer', async () => {
    for (const tail of ['directories/Nope', 'directories/CallLogs/Nope', 'profile/nope']) {
      const r = await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/${tail}`, { user: agent(1) });
      expect([tail, r.status, errorCodeOf(r.text)]).toEqual([tail, 404, 110501]);
    }
  });
});
