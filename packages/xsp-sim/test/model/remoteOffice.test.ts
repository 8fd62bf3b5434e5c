/** Issue 13 item 3: Remote Office (GET/PUT, events, changes made elsewhere). */
import { describe, expect, it } from 'vitest';
import { advance, applyExternal, userView, XSP_ERRORS } from '../../src/index.js';
import { agent, eventsOf, fresh, ok, run, statusOf, withChannel } from './helpers.js';

describe('Remote Office', () => {
  it('activating needs a number; the number is plain on GET and tel: in the event; nil clears it', () => {
    let { state } = withChannel(fresh());
    state = ok(state, { op: 'SUBSCRIBE', userId: agent(1), packages: ['Remote Office'] as never });
    state = advance(state, 0).state;
    expect(statusOf(run(state, { op: 'PUT RemoteOffice', userId: agent(1), body: { active: true } }).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.REMOTE_OFFICE_NUMBER_REQUIRED.code });
    state = ok(state, { op: 'PUT RemoteOffice', userId: agent(1), body: { active: true, remoteOfficeNumber: 'tel:+1-555-0100' } }, 1);
    expect(run(state, { op: 'GET RemoteOffice', userId: agent(1) }).outcome).toEqual({ status: 200, body: { kind: 'RemoteOffice', info: { active: true, remoteOfficeNumber: '+1-555-0100' } } });
    expect(statusOf(run(state, { op: 'PUT RemoteOffice', userId: agent(1), body: { remoteOfficeNumber: null } }).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.REMOTE_OFFICE_NUMBER_REQUIRED.code });
    state = ok(state, { op: 'PUT RemoteOffice', userId: agent(1), body: { active: false, remoteOfficeNumber: null } }, 2);
    expect(eventsOf(advance(state, 2).deliveries).map((e) => e.type === 'RemoteOfficeEvent' && e.info)).toEqual([
      { active: true, remoteOfficeNumber: 'tel:+1-555-0100' },
      { active: false },
    ]);
  });

  it('refuses a number that is not a phone number', () => {
    for (const n of ['', 'abc', 'sip:x@y', '12 34']) {
      expect(statusOf(run(fresh(), { op: 'PUT RemoteOffice', userId: agent(1), body: { remoteOfficeNumber: n } }).outcome), n)
        .toEqual({ status: 400, errorCode: XSP_ERRORS.REMOTE_OFFICE_NUMBER_INVALID.code });
    }
  });

  it('changed elsewhere (portal): setRemoteOffice goes through the same rules', () => {
    const s = fresh();
    expect(statusOf(applyExternal(s, { kind: 'setRemoteOffice', userId: agent(2), active: true }, 0).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.REMOTE_OFFICE_NUMBER_REQUIRED.code });
    const r = applyExternal(s, { kind: 'setRemoteOffice', userId: agent(2), active: true, remoteOfficeNumber: '5550101' }, 0);
    expect(userView(r.state, agent(2))?.remoteOffice).toEqual({ active: true, remoteOfficeNumber: '5550101' });
  });
});
