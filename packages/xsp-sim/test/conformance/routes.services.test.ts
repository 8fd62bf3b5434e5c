/** GET user/<id>/services (reference/xsi.md §2 "Service presence"): `<Services>` of `service{name, uri}`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, agent, call, desk, start } from '../server/helpers.js';
import { expectSchemaOrder, names, textOf, xmlDocument } from './routeHelpers.js';

let server: XspServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

describe('conformance: GET user/<id>/services', () => {
  it('200 application/xml <Services>: one <service> per assigned service, each <name> then <uri> (lower-case path)', async () => {
    const doc = xmlDocument(await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/services`, { user: agent(1) }), 'Services');
    expect(new Set(names(doc))).toEqual(new Set(['service']));
    for (const s of doc.children) expectSchemaOrder(s, ['name', 'uri'], ['name', 'uri']);
    const list = doc.children.map((s) => [textOf(s, 'name'), textOf(s, 'uri')]);
    expect(list).toEqual(expect.arrayContaining([
      ['Call Forwarding Always', `/v2.0/user/${agent(1)}/services/callforwardingalways`],
      ['Hoteling Guest', `/v2.0/user/${agent(1)}/services/hotelingguest`],
      [expect.stringMatching(/^Call Center - (Basic|Standard|Premium)$/), `/v2.0/user/${agent(1)}/services/callcenter`],
    ]));
    expect(list.map(([n]) => n)).not.toContain('Hoteling Host'); // not assigned to an agent
  });

  it('a desk lists Hoteling Host, not Hoteling Guest', async () => {
    const doc = xmlDocument(await call(server, 'GET', `${ACTIONS}/user/${desk(101)}/services`), 'Services');
    const list = doc.children.map((s) => textOf(s, 'name'));
    expect(list).toContain('Hoteling Host');
    expect(list).not.toContain('Hoteling Guest');
  });
});
