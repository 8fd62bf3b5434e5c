import { describe, expect, it } from 'vitest';
import { advance, normaliseDestination, userView, XSP_ERRORS } from '../../src/index.js';
import { agent, desk, eventsOf, fresh, ok, run, statusOf, subscribed, withChannel } from './helpers.js';

describe('PUT CallForwardingAlways', () => {
  it('activates with a number: GET shows the plain form, the event the tel: form', () => {
    let { state } = withChannel(fresh());
    state = subscribed(state, desk(101));
    state = ok(state, { op: 'PUT CallForwardingAlways', userId: desk(101), body: { active: true, forwardToPhoneNumber: '3001' } });
    expect(run(state, { op: 'GET CallForwardingAlways', userId: desk(101) }).outcome).toEqual({
      status: 200, body: { kind: 'CallForwardingAlways', info: { active: true, forwardToPhoneNumber: '3001', ringSplash: false } },
    });
    const [ev] = eventsOf(advance(state, 0).deliveries);
    expect(ev).toMatchObject({ type: 'CallForwardingAlwaysEvent', targetId: desk(101), info: { active: true, forwardToPhoneNumber: 'tel:3001' } });
  });

  it('keeps a user id destination as is in events (no tel:)', () => {
    let { state } = withChannel(fresh());
    state = subscribed(state, desk(102));
    state = ok(state, { op: 'PUT CallForwardingAlways', userId: desk(102), body: { active: true, forwardToPhoneNumber: agent(4) } });
    const [ev] = eventsOf(advance(state, 0).deliveries);
    expect(ev).toMatchObject({ info: { forwardToPhoneNumber: agent(4) } });
  });

  it('activates with the stored number when none is sent; refuses when none is stored', () => {
    let s = fresh();
    const refused = run(s, { op: 'PUT CallForwardingAlways', userId: desk(103), body: { active: true } });
    expect(statusOf(refused.outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.FORWARDING_NUMBER_REQUIRED.code });
    s = ok(s, { op: 'PUT CallForwardingAlways', userId: desk(103), body: { active: false, forwardToPhoneNumber: '+1-2025550123' } });
    s = ok(s, { op: 'PUT CallForwardingAlways', userId: desk(103), body: { active: true } });
    expect(userView(s, desk(103))?.forwarding).toEqual({ active: true, forwardToPhoneNumber: '+1-2025550123', ringSplash: false });
  });

  it('nil clears the number; clearing it while activating is refused', () => {
    let s = ok(fresh(), { op: 'PUT CallForwardingAlways', userId: desk(104), body: { active: true, forwardToPhoneNumber: '3002' } });
    expect(statusOf(run(s, { op: 'PUT CallForwardingAlways', userId: desk(104), body: { active: true, forwardToPhoneNumber: null } }).outcome))
      .toEqual({ status: 400, errorCode: XSP_ERRORS.FORWARDING_NUMBER_REQUIRED.code });
    s = ok(s, { op: 'PUT CallForwardingAlways', userId: desk(104), body: { active: false, forwardToPhoneNumber: null } });
    expect(userView(s, desk(104))?.forwarding).toEqual({ active: false, ringSplash: false });
  });

  it('refuses a destination that is neither number, extension nor user id', () => {
    const r = run(fresh(), { op: 'PUT CallForwardingAlways', userId: desk(105), body: { active: true, forwardToPhoneNumber: 'call me maybe' } });
    expect(statusOf(r.outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.FORWARDING_DESTINATION_INVALID.code });
  });

  it('emits no event when nothing changes', () => {
    let { state } = withChannel(fresh());
    state = subscribed(state, desk(106));
    state = ok(state, { op: 'PUT CallForwardingAlways', userId: desk(106), body: { active: false } });
    expect(eventsOf(advance(state, 0).deliveries)).toEqual([]);
  });

  it('normalises destinations', () => {
    expect(normaliseDestination('tel:2101')).toBe('2101');
    expect(normaliseDestination(' +1-202 ')).toBe('+1-202');
    expect(normaliseDestination('agent-001@example.com')).toBe('agent-001@example.com');
    expect(normaliseDestination('')).toBeUndefined();
    expect(normaliseDestination('12a')).toBeUndefined();
  });
});
