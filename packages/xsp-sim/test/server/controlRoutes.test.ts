import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseExternalAction, type XspServer } from '../../src/index.js';
import { ACTIONS, agent, call, desk, EVENTS, openChannel, start, subscriptionBody, XSI_NS } from './helpers.js';

let server: XspServer;
beforeEach(async () => {
  server = await start();
});
afterEach(async () => {
  await server.close();
});

const json = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(server.url + path, { method, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('/_sim/ control API', () => {
  it('health', async () => {
    const r = await json('GET', '/_sim/health');
    expect(r).toMatchObject({ status: 200, body: { status: 'ok', faults: 'none', seed: 7, openChannels: 0 } });
  });

  it('state is the model snapshot', async () => {
    const r = await json('GET', '/_sim/state');
    expect(r.status).toBe(200);
    expect((r.body['users'] as Record<string, unknown>)[desk(110)]).toEqual({
      agentACDState: 'Available', forwarding: { active: false, ringSplash: false }, doNotDisturb: { active: false, ringSplash: false }, remoteOffice: { active: false },
    });
  });

  it('journal lists method, path, status and ms — never credentials', async () => {
    await call(server, 'GET', `${ACTIONS}/user/${desk(110)}/services/CallCenter`);
    await call(server, 'GET', `${ACTIONS}/user/${desk(110)}/services/CallCenter`, { user: null });
    const r = await json('GET', '/_sim/journal');
    const entries = r.body['entries'] as Array<Record<string, unknown>>;
    expect(entries.map((e) => [e['method'], e['status']])).toEqual([['GET', 200], ['GET', 401]]);
    expect(entries[0]).toMatchObject({ path: `${ACTIONS}/user/${desk(110)}/services/CallCenter` });
    expect(typeof entries[0]?.['ms']).toBe('number');
    expect(JSON.stringify(r.body)).not.toMatch(/secret|Basic /);
    await json('DELETE', '/_sim/journal');
    expect(((await json('GET', '/_sim/journal')).body['entries'] as unknown[]).map((e) => (e as { path: string }).path)).toEqual(['/_sim/journal']);
  });

  it('reset restores the directory and ends open channels', async () => {
    const ch = await openChannel(server);
    await call(server, 'PUT', `${ACTIONS}/user/${agent(1)}/services/HotelingGuest`, { body: `<HotelingGuest ${XSI_NS}><hostUserId>${desk(101)}</hostUserId></HotelingGuest>` });
    expect(server.state.users[agent(1)]?.guest?.hostUserId).toBe(desk(101));
    expect((await json('POST', '/_sim/reset')).status).toBe(200);
    await ch.ended;
    expect(ch.documents.at(-1)).toMatchObject({ kind: 'channelTerminated' });
    expect(server.state.users[agent(1)]?.guest?.hostUserId).toBeUndefined();
    expect(server.state.channels).toEqual({});
  });

  it('directory: loads a valid one, refuses an invalid one with its JSON path', async () => {
    const directory = {
      domain: 'x.test', groupId: 'g', adminUserId: 'boss@x.test', adminPassword: 'pw',
      users: [{ userId: 'solo@x.test', password: 'pw', firstName: 'S', lastName: 'O', callCenter: { agentACDState: 'Available' } }],
    };
    expect((await json('POST', '/_sim/directory', directory)).status).toBe(200);
    const ok = await call(server, 'GET', `${ACTIONS}/user/solo@x.test/services/CallCenter`, { user: 'boss@x.test', password: 'pw' });
    expect(ok.text).toContain('Available');
    const bad = await json('POST', '/_sim/directory', { ...directory, users: [{ userId: 'solo@x.test' }] });
    expect(bad.status).toBe(400);
    expect(bad.body['error']).toMatch(/directory\.users\[0\]/);
    expect((await json('POST', '/_sim/directory', '{not json')).status).toBe(400);
  });

  it('faults: switches the profile; refuses unknown ones', async () => {
    expect(await json('PUT', '/_sim/faults', { profile: 'flaky' })).toEqual({ status: 200, body: { faults: 'flaky' } });
    expect(server.state.faults).toBe('flaky');
    expect((await json('PUT', '/_sim/faults', { profile: 'chaos' })).status).toBe(400);
    expect((await json('GET', '/_sim/faults')).status).toBe(405);
  });

  it('clock/advance: an association with a limit expires, with its HotelingGuestEvent', async () => {
    // A pre-provisioned association on a host that enforces 1 h, dated at virtual time 0.
    const dir = { domain: 'example.com', groupId: 'g', adminUserId: 'admin@example.com', adminPassword: 'secret', users: [
      { userId: 'h@example.com', password: 'secret', firstName: 'H', lastName: 'H', hotelingHost: { active: true, enforceAssociationLimit: true, associationLimitHours: 1 } },
      { userId: 'g@example.com', password: 'secret', firstName: 'G', lastName: 'G', hotelingGuest: { active: true, enableAssociationLimit: false, associationLimitHours: 24, hostUserId: 'h@example.com' } },
    ] };
    expect((await json('POST', '/_sim/directory', dir)).status).toBe(200);
    expect(server.state.users['g@example.com']?.guest?.hostUserId).toBe('h@example.com');
    const r = await json('POST', '/_sim/clock/advance', { ms: 3_600_000 });
    expect(r.status).toBe(200);
    expect(r.body['now']).toBeGreaterThanOrEqual(3_600_000);
    expect(server.state.users['g@example.com']?.guest?.hostUserId).toBeUndefined();
    for (const bad of [{ ms: -1 }, { ms: 1.5 }, { ms: '10' }, {}]) expect((await json('POST', '/_sim/clock/advance', bad)).status).toBe(400);
  });

  it('external: applies an action, answers 409 when the rules refuse it, 400 when malformed', async () => {
    const ch = await openChannel(server);
    await call(server, 'POST', `${EVENTS}/user/${agent(2)}`, { body: subscriptionBody('Hoteling Guest') });
    const ok = await json('POST', '/_sim/external', { kind: 'portalAssociate', guestUserId: agent(2), hostUserId: desk(103) });
    expect(ok).toEqual({ status: 200, body: { applied: 'portalAssociate' } });
    await ch.waitFor((d) => d.kind === 'event' && d.event.type === 'HotelingGuestEvent' && d.event.info.hostUserId === desk(103));
    const busy = await json('POST', '/_sim/external', { kind: 'portalAssociate', guestUserId: agent(3), hostUserId: desk(103) });
    expect(busy.status).toBe(409);
    expect((busy.body['errorInfo'] as { errorCode: number }).errorCode).toBe(110306);
    expect((await json('POST', '/_sim/external', { kind: 'phoneSetAgentState', userId: agent(2), state: 'Busy' })).status).toBe(400);
    expect((await json('POST', '/_sim/external', { kind: 'channelTerminate' })).status).toBe(200);
    await ch.ended;
    expect(ch.documents.at(-1)).toMatchObject({ kind: 'channelTerminated', reason: 'NonResponsiveChannel' });
  });

  it('unknown control paths are 404 JSON', async () => {
    expect(await json('GET', '/_sim/nope')).toEqual({ status: 404, body: { error: 'no control endpoint /_sim/nope' } });
  });
});

describe('parseExternalAction', () => {
  it('accepts every kind with its fields and names the missing one', () => {
    expect(parseExternalAction({ kind: 'setForwarding', userId: 'u', active: true, forwardToPhoneNumber: '3001' }))
      .toEqual({ kind: 'setForwarding', userId: 'u', active: true, forwardToPhoneNumber: '3001' });
    expect(parseExternalAction({ kind: 'hostForceRelease', hostUserId: 'h' })).toEqual({ kind: 'hostForceRelease', hostUserId: 'h' });
    expect(parseExternalAction({ kind: 'portalRelease' })).toEqual({ error: 'portalRelease: "guestUserId" must be a non-empty string' });
    expect(parseExternalAction({ kind: 'setForwarding', userId: 'u' })).toEqual({ error: 'setForwarding: "active" must be a boolean' });
    expect(parseExternalAction([])).toMatchObject({ error: expect.stringContaining('ExternalAction') });
    expect(parseExternalAction({ kind: 'explode' })).toMatchObject({ error: expect.stringContaining('"kind" must be one of') });
  });
});
