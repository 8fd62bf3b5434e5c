import { describe, expect, it } from 'vitest';
import { advance, createXsp, defaultDirectory, type Directory, type DirectoryUser, nextDueAt, userView, XSP_ERRORS } from '../../src/index.js';
import { agent, desk, eventsOf, fresh, ok, run, statusOf, subscribed, withChannel } from './helpers.js';

const HOUR = 3_600_000;

function directoryWith(change: (u: DirectoryUser) => void, ...userIds: string[]): Directory {
  const dir = defaultDirectory();
  for (const u of dir.users) if (userIds.includes(u.userId)) change(u);
  return dir;
}
const associate = (guest: string, host: string) => ({ op: 'PUT HotelingGuest' as const, userId: guest, body: { hostUserId: host } });
const release = (guest: string) => ({ op: 'PUT HotelingGuest' as const, userId: guest, body: { hostUserId: null } });

describe('PUT HotelingGuest', () => {
  it('associates: both sides filled, hostAssociationDateTime from now, one HotelingGuestEvent', () => {
    let { state } = withChannel(fresh());
    state = subscribed(state, agent(1));
    state = ok(state, associate(agent(1), desk(101)), 1_000);
    const v = userView(state, agent(1));
    expect(v?.hotelingGuest).toEqual({
      active: true, enableAssociationLimit: false, associationLimitHours: 24,
      hostUserId: desk(101), hostLastName: 'Desk', hostFirstName: '101', hostAssociationDateTime: '2025-01-01T00:00:01.000Z',
      hostEnforcesAssociationLimit: false, hostAssociationLimitHours: 24,
    });
    expect(userView(state, desk(101))?.hostedGuestUserId).toBe(agent(1));
    const host = run(state, { op: 'GET HotelingHost', userId: desk(101) }, 1_000).outcome;
    expect(host).toMatchObject({ status: 200, body: { info: { guestFirstName: '001', guestLastName: 'Agent', guestExtension: '3001' } } });
    const evs = eventsOf(advance(state, 1_000).deliveries);
    expect(evs).toHaveLength(1);
    expect(evs[0]).toMatchObject({ type: 'HotelingGuestEvent', targetId: agent(1), info: { hostUserId: desk(101) } });
  });

  it('a PUT that changes nothing answers 200 and emits nothing', () => {
    let { state } = withChannel(fresh());
    state = ok(state, associate(agent(1), desk(101)));
    state = subscribed(state, agent(1));
    state = ok(state, associate(agent(1), desk(101)));
    state = ok(state, release(agent(2)));
    expect(eventsOf(advance(state, 0).deliveries)).toEqual([]);
  });

  it('releases with nil: both sides cleared, event without host fields', () => {
    let { state } = withChannel(fresh());
    state = ok(state, associate(agent(1), desk(101)));
    state = subscribed(state, agent(1));
    state = ok(state, release(agent(1)));
    expect(userView(state, desk(101))?.hostedGuestUserId).toBeUndefined();
    const [ev] = eventsOf(advance(state, 0).deliveries);
    expect(ev).toMatchObject({ type: 'HotelingGuestEvent' });
    expect(ev?.type === 'HotelingGuestEvent' && ev.info.hostUserId).toBe(undefined);
  });

  it('moves a guest associated elsewhere: the old host is freed', () => {
    let s = ok(fresh(), associate(agent(1), desk(101)));
    s = ok(s, associate(agent(1), desk(102)));
    expect(userView(s, desk(101))?.hostedGuestUserId).toBeUndefined();
    expect(userView(s, desk(102))?.hostedGuestUserId).toBe(agent(1));
    expect(userView(s, agent(1))?.hotelingGuest?.hostUserId).toBe(desk(102));
  });

  it('refuses a busy host (another guest)', () => {
    const s = ok(fresh(), associate(agent(1), desk(101)));
    const r = run(s, associate(agent(2), desk(101)));
    expect(statusOf(r.outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.HOST_BUSY.code });
    expect(r.state).toBe(s);
  });

  it('refuses self-association', () => {
    const dir = directoryWith((u) => { u.hotelingHost = { active: true, enforceAssociationLimit: false, associationLimitHours: 24 }; }, agent(1));
    const s = createXsp({ directory: dir, seed: 1, faults: 'none' });
    expect(statusOf(run(s, associate(agent(1), agent(1))).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.SELF_ASSOCIATION.code });
  });

  it('refuses an unknown host, a host without Hoteling Host, an inactive host', () => {
    const dir = directoryWith((u) => { if (u.hotelingHost) u.hotelingHost.active = false; }, desk(102));
    const s = createXsp({ directory: dir, seed: 1, faults: 'none' });
    expect(statusOf(run(s, associate(agent(1), 'nobody@example.com')).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.HOST_UNKNOWN.code });
    expect(statusOf(run(s, associate(agent(1), agent(2))).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.HOST_NOT_ASSIGNED.code });
    expect(statusOf(run(s, associate(agent(1), desk(102))).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.HOST_INACTIVE.code });
  });

  it('refuses a guest without the service, or with it inactive — unless the PUT activates it', () => {
    const dir = directoryWith((u) => { if (u.hotelingGuest) u.hotelingGuest.active = false; }, agent(2));
    const s = createXsp({ directory: dir, seed: 1, faults: 'none' });
    expect(statusOf(run(s, associate(desk(103), desk(101))).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.GUEST_NOT_ASSIGNED.code });
    expect(statusOf(run(s, { op: 'GET HotelingGuest', userId: desk(103) }).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.GUEST_NOT_ASSIGNED.code });
    expect(statusOf(run(s, associate(agent(2), desk(101))).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.GUEST_INACTIVE.code });
    const activated = ok(s, { op: 'PUT HotelingGuest', userId: agent(2), body: { hostUserId: desk(101), active: true } });
    expect(userView(activated, agent(2))?.hotelingGuest).toMatchObject({ active: true, hostUserId: desk(101) });
  });

  it('refuses a guest limit above the enforcing host limit; accepts one at or below it', () => {
    const dir = directoryWith((u) => { if (u.hotelingHost) Object.assign(u.hotelingHost, { enforceAssociationLimit: true, associationLimitHours: 8 }); }, desk(101));
    for (const u of dir.users) if (u.userId === agent(1) && u.hotelingGuest) Object.assign(u.hotelingGuest, { enableAssociationLimit: true, associationLimitHours: 12 });
    for (const u of dir.users) if (u.userId === agent(2) && u.hotelingGuest) Object.assign(u.hotelingGuest, { enableAssociationLimit: true, associationLimitHours: 8 });
    const s = createXsp({ directory: dir, seed: 1, faults: 'none' });
    expect(statusOf(run(s, associate(agent(1), desk(101))).outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.GUEST_LIMIT_ABOVE_HOST_LIMIT.code });
    expect(statusOf(run(s, associate(agent(2), desk(101))).outcome)).toEqual({ status: 200 });
  });

  it('ends an association by itself after the limit (virtual clock), with an event', () => {
    const dir = directoryWith((u) => { if (u.hotelingGuest) Object.assign(u.hotelingGuest, { enableAssociationLimit: true, associationLimitHours: 2 }); }, agent(1));
    let { state } = withChannel(createXsp({ directory: dir, seed: 1, faults: 'none' }));
    state = ok(state, associate(agent(1), desk(101)), 1_000);
    state = subscribed(state, agent(1), 1_000);
    expect(nextDueAt(state)).toBe(1_000 + 2 * HOUR);
    const early = advance(state, 1_000 + 2 * HOUR - 1);
    expect(userView(early.state, agent(1))?.hotelingGuest?.hostUserId).toBe(desk(101));
    const due = advance(early.state, 1_000 + 2 * HOUR);
    expect(userView(due.state, agent(1))?.hotelingGuest?.hostUserId).toBeUndefined();
    expect(userView(due.state, desk(101))?.hostedGuestUserId).toBeUndefined();
    expect(eventsOf(due.deliveries)).toMatchObject([{ type: 'HotelingGuestEvent', info: { active: true } }]);
  });

  it('a re-association restarts the limit: the old timer does not release the new association', () => {
    const dir = directoryWith((u) => { if (u.hotelingGuest) Object.assign(u.hotelingGuest, { enableAssociationLimit: true, associationLimitHours: 1 }); }, agent(1));
    let s = createXsp({ directory: dir, seed: 1, faults: 'none' });
    s = ok(s, associate(agent(1), desk(101)), 0);
    s = ok(s, associate(agent(1), desk(102)), 30 * 60_000);
    s = advance(s, HOUR).state;
    expect(userView(s, agent(1))?.hotelingGuest?.hostUserId).toBe(desk(102));
    s = advance(s, HOUR + 30 * 60_000).state;
    expect(userView(s, agent(1))?.hotelingGuest?.hostUserId).toBeUndefined();
  });
});

describe('PUT HotelingHost', () => {
  it('removeGuestAssociation force-releases the guest with a guest event', () => {
    let { state } = withChannel(fresh());
    state = ok(state, associate(agent(5), desk(105)));
    state = subscribed(state, agent(5));
    state = ok(state, { op: 'PUT HotelingHost', userId: desk(105), body: { removeGuestAssociation: true } });
    expect(userView(state, agent(5))?.hotelingGuest?.hostUserId).toBeUndefined();
    expect(userView(state, desk(105))?.hostedGuestUserId).toBeUndefined();
    expect(eventsOf(advance(state, 0).deliveries)).toMatchObject([{ type: 'HotelingGuestEvent', targetId: agent(5) }]);
  });

  it('answers 400 for a user without Hoteling Host', () => {
    expect(statusOf(run(fresh(), { op: 'PUT HotelingHost', userId: agent(1), body: { removeGuestAssociation: true } }).outcome))
      .toEqual({ status: 400, errorCode: XSP_ERRORS.HOST_NOT_ASSIGNED.code });
  });
});
