/** GET user/<id>/profile/device (XSD `AccessDevices`): `accessDevice{deviceName, deviceLevel, deviceType, deviceLinePort, …}`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, agent, call, desk, start, XSI_NS } from '../server/helpers.js';
import { expectSchemaOrder, names, textOf, xmlDocument } from './routeHelpers.js';

let server: XspServer;
beforeAll(async () => {
  server = await start();
});
afterAll(() => server.close());

const DEVICE_ORDER = ['deviceName', 'deviceLevel', 'deviceType', 'deviceLinePort', 'deviceTypeUrl', 'deviceUserNamePassword', 'version', 'allowTermination', 'endpointType'];
const DEVICE_REQUIRED = ['deviceName', 'deviceLevel', 'deviceType', 'deviceLinePort'];

describe('conformance: GET user/<id>/profile/device', () => {
  it("a desk: 200 application/xml <AccessDevices> with the desk's phone, required elements in XSD order", async () => {
    const doc = xmlDocument(await call(server, 'GET', `${ACTIONS}/user/${desk(101)}/profile/device`), 'AccessDevices');
    expect(names(doc)).toEqual(['accessDevice']);
    const d = doc.children[0]!;
    expectSchemaOrder(d, DEVICE_ORDER, DEVICE_REQUIRED);
    expect(['System', 'Service Provider', 'Group']).toContain(textOf(d, 'deviceLevel'));
    expect(textOf(d, 'deviceLinePort')).toBe(desk(101));
  });

  it("a guest has no device of its own; while it sits at a desk it lists that desk's phone", async () => {
    const before = xmlDocument(await call(server, 'GET', `${ACTIONS}/user/${agent(4)}/profile/device`, { user: agent(4) }), 'AccessDevices');
    expect(names(before)).toEqual([]);
    const put = await call(server, 'PUT', `${ACTIONS}/user/${agent(4)}/services/HotelingGuest`, { body: `<HotelingGuest ${XSI_NS}><hostUserId>${desk(104)}</hostUserId></HotelingGuest>` });
    expect(put.status).toBe(200);
    const at = xmlDocument(await call(server, 'GET', `${ACTIONS}/user/${agent(4)}/profile/device`, { user: agent(4) }), 'AccessDevices');
    expect(names(at)).toEqual(['accessDevice']);
    expectSchemaOrder(at.children[0]!, DEVICE_ORDER, DEVICE_REQUIRED);
    const own = xmlDocument(await call(server, 'GET', `${ACTIONS}/user/${desk(104)}/profile/device`), 'AccessDevices');
    expect(textOf(at.children[0]!, 'deviceName')).toBe(textOf(own.children[0]!, 'deviceName'));
  });
});
