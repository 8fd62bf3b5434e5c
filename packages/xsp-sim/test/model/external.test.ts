import { describe, expect, it } from 'vitest';
import { advance, applyExternal, drawExternalAction, setFaultProfile, userView, XSP_ERRORS } from '../../src/index.js';
import { agent, desk, eventsOf, fresh, statusOf, subscribed, withChannel } from './helpers.js';

describe('external actors', () => {
  it('portal associate / release emit the same HotelingGuestEvents as Xsi would', () => {
    let { state } = withChannel(fresh());
    state = subscribed(state, agent(1));
    state = applyExternal(state, { kind: 'portalAssociate', guestUserId: agent(1), hostUserId: desk(101) }, 1).state;
    state = applyExternal(state, { kind: 'portalRelease', guestUserId: agent(1) }, 2).state;
    expect(eventsOf(advance(state, 2).deliveries).map((e) => e.type === 'HotelingGuestEvent' && (e.info.hostUserId ?? null)))
      .toEqual([desk(101), null]);
  });

  it('host force-release, phone state change and forwarding change', () => {
    let s = applyExternal(fresh(), { kind: 'portalAssociate', guestUserId: agent(2), hostUserId: desk(102) }, 0).state;
    s = applyExternal(s, { kind: 'hostForceRelease', hostUserId: desk(102) }, 1).state;
    expect(userView(s, agent(2))?.hotelingGuest?.hostUserId).toBeUndefined();
    s = applyExternal(s, { kind: 'phoneSetAgentState', userId: agent(2), state: 'Wrap-Up' }, 2).state;
    expect(userView(s, agent(2))?.agentACDState).toBe('Wrap-Up');
    s = applyExternal(s, { kind: 'setForwarding', userId: desk(102), active: true, forwardToPhoneNumber: '3002' }, 3).state;
    expect(userView(s, desk(102))?.forwarding).toMatchObject({ active: true, forwardToPhoneNumber: '3002' });
  });

  it('a refused action reports the rule and leaves the state unchanged', () => {
    const s = applyExternal(fresh(), { kind: 'portalAssociate', guestUserId: agent(1), hostUserId: desk(101) }, 0).state;
    const r = applyExternal(s, { kind: 'portalAssociate', guestUserId: agent(2), hostUserId: desk(101) }, 1);
    expect(statusOf(r.outcome)).toEqual({ status: 400, errorCode: XSP_ERRORS.HOST_BUSY.code });
    expect(r.state).toBe(s);
  });

  it('channelTerminate ends every channel with NonResponsiveChannel', () => {
    const a = withChannel(fresh());
    const b = withChannel(a.state, 0, 'other-set');
    const out = advance(applyExternal(b.state, { kind: 'channelTerminate' }, 5).state, 5);
    expect(out.deliveries).toEqual([
      { kind: 'channelTerminated', channelId: a.channelId, reason: 'NonResponsiveChannel' },
      { kind: 'channelTerminated', channelId: b.channelId, reason: 'NonResponsiveChannel' },
    ]);
  });

  it('draws nothing under `none`; under flaky/hostile draws a future action, deterministically', () => {
    expect(drawExternalAction(fresh(), 0)).toBeUndefined();
    const hostile = setFaultProfile(fresh(), 'hostile');
    const a = drawExternalAction(hostile, 1_000);
    const b = drawExternalAction(hostile, 1_000);
    expect(a).toEqual(b);
    expect(a?.at).toBeGreaterThan(1_000);
    const kinds = new Set<string>();
    let s = hostile;
    for (let i = 0; i < 200; i++) {
      const d = drawExternalAction(s, 0);
      if (!d) break;
      kinds.add(d.action.kind);
      s = applyExternal(d.state, d.action, d.at).state;
    }
    expect([...kinds].sort()).toEqual([
      'channelTerminate', 'hostForceRelease', 'phoneSetAgentState', 'phoneSetDoNotDisturb', 'portalAssociate', 'portalRelease', 'setForwarding', 'setRemoteOffice',
    ]);
  });
});
