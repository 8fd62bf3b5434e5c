/** Issue 13 item 3: Do Not Disturb (GET/PUT, events, the phone's DND key as an external actor). */
import { describe, expect, it } from 'vitest';
import { advance, applyExternal, createXsp, defaultDirectory, userView, XSP_ERRORS } from '../../src/index.js';
import { agent, eventsOf, fresh, ok, run, statusOf, withChannel } from './helpers.js';

describe('Do Not Disturb', () => {
  it('GET answers the settings; PUT is a partial update; each change emits one DoNotDisturbEvent; no change, no event', () => {
    let { state } = withChannel(fresh());
    expect(run(state, { op: 'GET DoNotDisturb', userId: agent(1) }).outcome).toEqual({ status: 200, body: { kind: 'DoNotDisturb', info: { active: false, ringSplash: false } } });
    state = ok(state, { op: 'SUBSCRIBE', userId: agent(1), packages: ['Do Not Disturb'] as never });
    state = advance(state, 0).state;
    state = ok(state, { op: 'PUT DoNotDisturb', userId: agent(1), body: { active: true } }, 1);
    state = ok(state, { op: 'PUT DoNotDisturb', userId: agent(1), body: { active: true } }, 2);
    state = ok(state, { op: 'PUT DoNotDisturb', userId: agent(1), body: { ringSplash: true } }, 3);
    expect(run(state, { op: 'GET DoNotDisturb', userId: agent(1) }).outcome).toMatchObject({ body: { info: { active: true, ringSplash: true } } });
    expect(eventsOf(advance(state, 3).deliveries).map((e) => e.type === 'DoNotDisturbEvent' && e.info)).toEqual([
      { active: true, ringSplash: false },
      { active: true, ringSplash: true },
    ]);
  });

  it('refuses a user without the service, a bad value, another user (403)', () => {
    const dir = defaultDirectory();
    delete dir.users.find((u) => u.userId === agent(1))!.doNotDisturb;
    const s = createXsp({ directory: dir, seed: 1, faults: 'none' });
    expect(statusOf(run(s, { op: 'GET DoNotDisturb', userId: agent(1) }).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.DND_NOT_ASSIGNED.code });
    expect(statusOf(run(s, { op: 'PUT DoNotDisturb', userId: agent(1), body: { active: true } }).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.DND_NOT_ASSIGNED.code });
    expect(statusOf(run(s, { op: 'PUT DoNotDisturb', userId: agent(2), body: { active: 'yes' as never } }).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.SCHEMA_VIOLATION.code });
    expect(statusOf(run(s, { op: 'GET DoNotDisturb', userId: agent(2) }, 0, agent(3)).outcome)).toEqual({ status: 403, errorCode: XSP_ERRORS.OUT_OF_SCOPE.code });
  });

  it('the phone sets DND (external actor): the same event as an Xsi PUT', () => {
    let { state } = withChannel(fresh());
    state = ok(state, { op: 'SUBSCRIBE', userId: agent(5), packages: ['Do Not Disturb'] as never });
    state = advance(state, 0).state;
    const r = applyExternal(state, { kind: 'phoneSetDoNotDisturb', userId: agent(5), active: true }, 1);
    expect(r.outcome).toEqual({ status: 200 });
    expect(userView(r.state, agent(5))?.doNotDisturb).toEqual({ active: true, ringSplash: false });
    expect(eventsOf(advance(r.state, 1).deliveries)).toEqual([expect.objectContaining({ type: 'DoNotDisturbEvent', info: { active: true, ringSplash: false } })]);
  });
});
