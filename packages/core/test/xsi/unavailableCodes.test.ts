/** Issue 13 item 3: the group's unavailable code list on the wire. */
import { describe, expect, it } from 'vitest';
import { decodeUnavailableCodes, encodeUnavailableCodes, parseUnavailableCodesPath } from '../../src/xsi/unavailableCodes.js';

const PATH = '/com.broadsoft.xsi-actions/v2.0/group/example-group/services/CallCenter/UnavailableCodes';

describe('GET group/<id>/services/CallCenter/UnavailableCodes', () => {
  it('matches fixed words case-insensitively, keeps ids, reads serviceProviderId / enterpriseId (first of each wins)', () => {
    expect(parseUnavailableCodesPath('GET', `${PATH}?serviceProviderId=example.com`)).toEqual({ groupId: 'example-group', serviceProviderId: 'example.com' });
    expect(parseUnavailableCodesPath('get', '/com.broadsoft.xsi-actions/v2.0/Group/My%20Group/services/callcenter/unavailablecodes/?enterpriseId=E&enterpriseId=F')).toEqual({ groupId: 'My Group', enterpriseId: 'E' });
    expect(parseUnavailableCodesPath('GET', PATH)).toEqual({ groupId: 'example-group' });
  });

  it('other paths are not this resource; PUT is 405; a bad group id is 400', () => {
    expect(parseUnavailableCodesPath('GET', '/com.broadsoft.xsi-actions/v2.0/user/a@b/services/CallCenter')).toBeUndefined();
    expect(parseUnavailableCodesPath('GET', '/com.broadsoft.xsi-actions/v2.0/group/g/services/CallCenter')).toBeUndefined();
    expect(parseUnavailableCodesPath('PUT', PATH)).toEqual({ error: 'method PUT not allowed on UnavailableCodes (allowed: GET)', status: 405 });
    expect(parseUnavailableCodesPath('GET', '/com.broadsoft.xsi-actions/v2.0/group/%E0%A4/services/CallCenter/UnavailableCodes')).toMatchObject({ status: 400 });
  });

  it('ACDAgentUnavailableCodes in XSD order, round trip', () => {
    const list = {
      enableAgentUnavailableCodes: true,
      forceUseOfAgentUnavailableCodes: false,
      codes: [{ code: '1001', description: 'Lunch & co', active: true, isDefault: true }, { code: '1005', description: 'Old', active: false }],
    };
    expect(encodeUnavailableCodes(list)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><ACDAgentUnavailableCodes xmlns="http://schema.broadsoft.com/xsi">' +
        '<enableAgentUnavailableCodes>true</enableAgentUnavailableCodes><forceUseOfAgentUnavailableCodes>false</forceUseOfAgentUnavailableCodes>' +
        '<unavailableCodes><unavailableCodeDetail isDefault="true"><active>true</active><code>1001</code><description>Lunch &amp; co</description></unavailableCodeDetail>' +
        '<unavailableCodeDetail isDefault="false"><active>false</active><code>1005</code><description>Old</description></unavailableCodeDetail></unavailableCodes></ACDAgentUnavailableCodes>',
    );
    expect(decodeUnavailableCodes(encodeUnavailableCodes(list))).toEqual(list);
    expect(decodeUnavailableCodes('<ACDAgentUnavailableCodes xmlns="http://schema.broadsoft.com/xsi"/>')).toEqual({ error: '<ACDAgentUnavailableCodes> without <enableAgentUnavailableCodes>' });
  });
});
