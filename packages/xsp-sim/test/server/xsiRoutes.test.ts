import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { XspServer } from '../../src/index.js';
import {
  ACTIONS, ADMIN, agent, call, desk, errorCodeOf, EVENTS, eventResponseBody, openChannel, SET, sleep, start, subscriptionBody, XSI_NS,
  type Channel,
} from './helpers.js';

let server: XspServer;
beforeEach(async () => {
  server = await start();
});
afterEach(async () => {
  await server.close();
});

const guestPut = (host: string) => `<HotelingGuest ${XSI_NS}><hostUserId>${host}</hostUserId></HotelingGuest>`;

describe('Xsi-Actions', () => {
  it('GET and PUT CallCenter', async () => {
    const get = await call(server, 'GET', `${ACTIONS}/user/${desk(110)}/services/CallCenter`);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(get.text).toContain('<agentACDState>Available</agentACDState>');
    const put = await call(server, 'PUT', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, { user: agent(1), body: `<CallCenter ${XSI_NS}><agentACDState>Unavailable</agentACDState></CallCenter>` });
    expect(put).toMatchObject({ status: 200, text: '' });
    expect(server.state.users[agent(1)]?.agentACDState).toBe('Unavailable');
  });

  it('GET and PUT CallForwardingAlways', async () => {
    const put = await call(server, 'PUT', `${ACTIONS}/user/${desk(101)}/services/CallForwardingAlways`, { body: `<CallForwardingAlways ${XSI_NS}><active>true</active><forwardToPhoneNumber>3001</forwardToPhoneNumber></CallForwardingAlways>` });
    expect(put.status).toBe(200);
    const get = await call(server, 'GET', `${ACTIONS}/user/${desk(101)}/services/CallForwardingAlways`);
    expect(get.text).toContain('<active>true</active><forwardToPhoneNumber>3001</forwardToPhoneNumber>');
  });

  it('GET and PUT HotelingGuest / HotelingHost, and the host list', async () => {
    expect((await call(server, 'PUT', `${ACTIONS}/user/${agent(2)}/services/HotelingGuest`, { body: guestPut(desk(102)) })).status).toBe(200);
    const guest = await call(server, 'GET', `${ACTIONS}/user/${agent(2)}/services/HotelingGuest`);
    expect(guest.text).toContain(`<hostUserId>${desk(102)}</hostUserId>`);
    const host = await call(server, 'GET', `${ACTIONS}/user/${desk(102)}/services/HotelingHost`);
    expect(host.text).toContain('<guestLastName>Agent</guestLastName>');
    const hosts = await call(server, 'GET', `${ACTIONS}/user/${agent(3)}/directories/HotelingHosts`);
    expect(hosts.text).toContain(`<userID>${desk(101)}</userID>`);
    expect(hosts.text).not.toContain(`<userID>${desk(102)}</userID>`); // busy with agent-002
    const release = await call(server, 'PUT', `${ACTIONS}/user/${desk(102)}/services/HotelingHost`, { body: `<HotelingHost ${XSI_NS}><removeGuestAssociation>true</removeGuestAssociation></HotelingHost>` });
    expect(release.status).toBe(200);
    expect(server.state.users[agent(2)]?.guest?.hostUserId).toBeUndefined();
  });

  it('GET profile', async () => {
    const p = await call(server, 'GET', `${ACTIONS}/user/${agent(7)}/profile`, { user: agent(7) });
    expect(p.status).toBe(200);
    expect(p.text).toContain('<extension>3007</extension>');
  });

  it('matches fixed path words case-insensitively, ids as sent', async () => {
    const r = await call(server, 'GET', `/COM.BroadSoft.Xsi-Actions/V2.0/USER/${desk(110)}/Services/callcenter`);
    expect(r.status).toBe(200);
    const wrongCaseId = await call(server, 'GET', `${ACTIONS}/user/DESK-110@example.com/services/CallCenter`);
    expect(wrongCaseId.status).toBe(404);
    expect(errorCodeOf(wrongCaseId.text)).toBe(110001);
  });

  it('401 with the XtendedServicesInterface realm without or with bad credentials', async () => {
    for (const opts of [{ user: null }, { user: agent(1), password: 'wrong' }, { user: 'nobody@example.com' }]) {
      const r = await call(server, 'GET', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, opts);
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toBe('Basic realm="XtendedServicesInterface"');
      expect(errorCodeOf(r.text)).toBe(110004);
    }
  });

  it('403 for another user, before 404 (scope leaks no ids); the admin reaches everyone', async () => {
    const other = await call(server, 'GET', `${ACTIONS}/user/${agent(2)}/services/CallCenter`, { user: agent(1) });
    expect([other.status, errorCodeOf(other.text)]).toEqual([403, 110002]);
    const unknown = await call(server, 'GET', `${ACTIONS}/user/ghost@example.com/services/CallCenter`, { user: agent(1) });
    expect(unknown.status).toBe(403);
    const asAdmin = await call(server, 'GET', `${ACTIONS}/user/ghost@example.com/services/CallCenter`);
    expect([asAdmin.status, errorCodeOf(asAdmin.text)]).toEqual([404, 110001]);
  });

  it('ErrorInfo for unknown paths, wrong methods, malformed XML, wrong values, big bodies — and keeps serving', async () => {
    const cases: Array<[string, string, string | undefined, number, number]> = [
      ['GET', `${ACTIONS}/user/${agent(1)}/services/Nope`, undefined, 404, 110501],
      ['GET', '/favicon.ico', undefined, 404, 110501],
      ['POST', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, '<x/>', 405, 110502],
      ['PUT', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, '<CallCenter', 400, 110003],
      ['PUT', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, `<CallCenter ${XSI_NS}><agentACDState>Busy</agentACDState></CallCenter>`, 400, 110003],
      ['PUT', `${ACTIONS}/user/${agent(1)}/services/HotelingGuest`, guestPut(agent(1)), 400, 110307],
      ['PUT', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, `<CallCenter ${XSI_NS}>${'x'.repeat(70_000)}</CallCenter>`, 413, 110503],
      ['GET', `${ACTIONS}/user/%E0%A4%A/services/CallCenter`, undefined, 400, 110504],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await call(server, method, path, body === undefined ? {} : { body });
      expect([method, path.slice(0, 60), r.status, errorCodeOf(r.text)]).toEqual([method, path.slice(0, 60), status, code]);
    }
    expect((await call(server, 'GET', `${ACTIONS}/user/${desk(110)}/services/CallCenter`)).status).toBe(200);
  });

  it('a 10 MB body is refused with 413 and the server keeps serving', async () => {
    const r = await call(server, 'PUT', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, { body: 'x'.repeat(10_000_000) });
    expect(r.status).toBe(413);
    expect((await call(server, 'GET', `${ACTIONS}/user/${desk(110)}/services/CallCenter`)).status).toBe(200);
  });
});

describe('Xsi-Events', () => {
  let ch: Channel | undefined;
  afterEach(() => ch?.destroy());

  it('a channel streams the Channel document first, in its own chunk, as text/xml', async () => {
    ch = await openChannel(server);
    expect(ch.status).toBe(200);
    expect(ch.chunks[0]).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Channel xmlns="http:\/\/schema.broadsoft.com\/xsi"><channelId>[0-9a-f-]{36}<\/channelId><expires>86400<\/expires><\/Channel>$/);
    expect(Object.keys(server.state.channels)).toEqual([ch.channelId]);
  });

  it('heartbeat: 200, then a ChannelHeartBeat on the stream; unknown channel → 404', async () => {
    ch = await openChannel(server);
    const hb = await call(server, 'PUT', `${EVENTS}/channel/${ch.channelId}/heartbeat`);
    expect(hb).toMatchObject({ status: 200, text: '' });
    await ch.waitFor((d) => d.kind === 'heartbeat');
    expect(ch.raw).toContain('<?xml version="1.0" encoding="UTF-8"?><ChannelHeartBeat xmlns="http://schema.broadsoft.com/xsi"/>');
    const missing = await call(server, 'PUT', `${EVENTS}/channel/no-such-channel/heartbeat`);
    expect([missing.status, errorCodeOf(missing.text)]).toEqual([404, 110404]);
    const notYours = await call(server, 'PUT', `${EVENTS}/channel/${ch.channelId}/heartbeat`, { user: agent(1) });
    expect(notYours.status).toBe(404);
  });

  it('subscribe on /user/{id}: 200 with the id, then the initial events with xsi/xsi1 prefixes', async () => {
    ch = await openChannel(server);
    const sub = await call(server, 'POST', `${EVENTS}/user/${agent(1)}`, { body: subscriptionBody('Hoteling Guest') });
    expect(sub.status).toBe(200);
    const id = /<subscriptionId>([^<]+)<\/subscriptionId><expires>86400<\/expires>/.exec(sub.text)?.[1];
    expect(id).toBeDefined();
    const initial = await ch.waitFor((d) => d.kind === 'event');
    expect(initial).toMatchObject({ kind: 'event', event: { type: 'HotelingGuestEvent', subscriptionId: id, sequenceNumber: 1, targetId: agent(1) } });
    const raw = ch.raw.find((r) => r.includes('HotelingGuestEvent'))!;
    expect(raw).toContain('<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:SubscriptionEvent">');
    expect(raw).toContain(`<xsi:userId>${ADMIN}</xsi:userId>`);
    // a change after the subscription is reported on it
    await call(server, 'PUT', `${ACTIONS}/user/${agent(1)}/services/HotelingGuest`, { body: guestPut(desk(101)) });
    const change = await ch.waitFor((d) => d.kind === 'event' && d.event.type === 'HotelingGuestEvent' && d.event.info.hostUserId === desk(101));
    expect(change).toMatchObject({ event: { sequenceNumber: 2 } });
  });

  it('subscribe on /user/{id}/subscription and on a group target; GET/PUT/DELETE subscription/{id}', async () => {
    ch = await openChannel(server);
    const userSub = await call(server, 'POST', `${EVENTS}/user/${agent(4)}/subscription`, { user: agent(4), body: subscriptionBody('Call Center Agent', 'agent-4-set') });
    expect(userSub.status).toBe(200); // agent-004's set has no channel: its events are dropped, the subscription stands
    const group = await call(server, 'POST', `${EVENTS}/enterprise/ent/group/example-group`, { body: subscriptionBody('Call Center Agent') });
    expect(group.status).toBe(200);
    const id = /<subscriptionId>([^<]+)</.exec(group.text)![1]!;
    const got = await call(server, 'GET', `${EVENTS}/subscription/${id}`);
    expect(got.text).toContain('<targetId>example-group</targetId><event>Call Center Agent</event>');
    const forbidden = await call(server, 'GET', `${EVENTS}/subscription/${id}`, { user: agent(4) });
    expect([forbidden.status, errorCodeOf(forbidden.text)]).toEqual([403, 110401]);
    const notAdmin = await call(server, 'POST', `${EVENTS}/enterprise/ent/group/example-group`, { user: agent(4), body: subscriptionBody('Call Center Agent') });
    expect(notAdmin.status).toBe(403);
    // the group subscription sees a change of any agent (and had no initial events)
    expect(ch.events()).toHaveLength(0);
    await call(server, 'PUT', `${ACTIONS}/user/${agent(9)}/services/CallCenter`, { body: `<CallCenter ${XSI_NS}><agentACDState>Available</agentACDState></CallCenter>` });
    await ch.waitFor((d) => d.kind === 'event' && d.event.type === 'AgentStateEvent' && d.event.targetId === agent(9));
    const refreshed = await call(server, 'PUT', `${EVENTS}/subscription/${id}`, { body: `<Subscription ${XSI_NS}><expires>172800</expires></Subscription>` });
    expect(refreshed.text).toContain('<expires>172800</expires>');
    expect((await call(server, 'DELETE', `${EVENTS}/subscription/${id}`)).status).toBe(200);
    await ch.waitFor((d) => d.kind === 'event' && d.event.type === 'SubscriptionTerminatedEvent');
    expect((await call(server, 'GET', `${EVENTS}/subscription/${id}`)).status).toBe(403);
  });

  it('subscription errors: unknown package, no channelSetId, malformed XML, another user', async () => {
    const cases: Array<[string, string, number, number]> = [
      [agent(1), subscriptionBody('Basic Calls'), 400, 110403],
      [agent(1), `<Subscription ${XSI_NS}><event>Hoteling Guest</event></Subscription>`, 400, 110402],
      [agent(1), '<Subscription><event>', 400, 110003],
      [agent(2), subscriptionBody('Hoteling Guest'), 403, 110002],
    ];
    for (const [user, body, status, code] of cases) {
      const r = await call(server, 'POST', `${EVENTS}/user/${agent(1)}`, { user, body });
      expect([r.status, errorCodeOf(r.text)]).toEqual([status, code]);
    }
  });

  it('eventresponse: 200 settles; 500 redelivers; 400 drops; 481 deletes the subscription', async () => {
    ch = await openChannel(server);
    await call(server, 'POST', `${EVENTS}/user/${agent(1)}`, { body: subscriptionBody('Call Center Agent') });
    const first = await ch.waitFor((d) => d.kind === 'event');
    const eventId = first.kind === 'event' ? first.event.eventId : '';
    // 500: resent on the next channel of the set (the same one, it is alone)
    expect((await call(server, 'POST', `${EVENTS}/channel/eventresponse`, { body: eventResponseBody(eventId, 500) })).status).toBe(200);
    await ch.waitFor((d) => d.kind === 'event' && d.event.eventId === eventId, 3000, ch.documents.indexOf(first) + 1);
    // 200: settled
    expect((await call(server, 'POST', `${EVENTS}/channel/eventresponse`, { body: eventResponseBody(eventId, 200) })).status).toBe(200);
    expect(server.state.pending[eventId]).toBeUndefined();
    // an already settled event may be acked again
    expect((await call(server, 'POST', `${EVENTS}/channel/eventresponse`, { body: eventResponseBody(eventId, 200) })).status).toBe(200);
    // 400: dropped
    await call(server, 'PUT', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, { body: `<CallCenter ${XSI_NS}><agentACDState>Available</agentACDState></CallCenter>` });
    const second = await ch.waitFor((d) => d.kind === 'event' && d.event.type === 'AgentStateEvent');
    const secondId = second.kind === 'event' ? second.event.eventId : '';
    await call(server, 'POST', `${EVENTS}/channel/eventresponse`, { body: eventResponseBody(secondId, 400) });
    expect(server.state.pending[secondId]).toBeUndefined();
    // 481: the subscription goes
    await call(server, 'PUT', `${ACTIONS}/user/${agent(1)}/services/CallCenter`, { body: `<CallCenter ${XSI_NS}><agentACDState>Unavailable</agentACDState></CallCenter>` });
    const third = await ch.waitFor((d) => d.kind === 'event' && d.event.type === 'AgentStateEvent' && d.event.state === 'Unavailable');
    await call(server, 'POST', `${EVENTS}/channel/eventresponse`, { body: eventResponseBody(third.kind === 'event' ? third.event.eventId : '', 481) });
    expect(Object.keys(server.state.subscriptions)).toHaveLength(0);
    // malformed
    const bad = await call(server, 'POST', `${EVENTS}/channel/eventresponse`, { body: eventResponseBody(eventId, 302) });
    expect([bad.status, errorCodeOf(bad.text)]).toEqual([400, 110003]);
  });

  it('eventresponse 404: the channel is terminated (UnknownChannel) and its stream ends', async () => {
    ch = await openChannel(server);
    await call(server, 'POST', `${EVENTS}/user/${agent(1)}`, { body: subscriptionBody('Call Center Agent') });
    const first = await ch.waitFor((d) => d.kind === 'event');
    await call(server, 'POST', `${EVENTS}/channel/eventresponse`, { body: eventResponseBody(first.kind === 'event' ? first.event.eventId : '', 404) });
    await ch.ended;
    expect(ch.documents.at(-1)).toEqual({ kind: 'channelTerminated', channelId: ch.channelId, reason: 'UnknownChannel' });
  });

  it('channel PUT changes expires; DELETE: 200, ChannelTerminatedEvent (ExplicitDelete), end of stream', async () => {
    ch = await openChannel(server);
    const put = await call(server, 'PUT', `${EVENTS}/channel/${ch.channelId}`, { body: `<Channel ${XSI_NS}><expires>172800</expires></Channel>` });
    expect(put.text).toContain(`<channelId>${ch.channelId}</channelId><expires>172800</expires>`);
    const del = await call(server, 'DELETE', `${EVENTS}/channel/${ch.channelId}`);
    expect(del.status).toBe(200);
    await ch.ended;
    expect(ch.documents.at(-1)).toEqual({ kind: 'channelTerminated', channelId: ch.channelId, reason: 'ExplicitDelete' });
    expect(ch.raw.at(-1)).toContain('<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:ChannelTerminatedEvent">');
    expect(server.state.channels).toEqual({});
    expect((await call(server, 'DELETE', `${EVENTS}/channel/${ch.channelId}`)).status).toBe(404);
  });

  it('a dropped stream closes the channel; events of its set then wait for the next channel', async () => {
    ch = await openChannel(server);
    ch.destroy();
    for (let i = 0; i < 50 && Object.keys(server.state.channels).length > 0; i++) await sleep(10);
    expect(server.state.channels).toEqual({});
    const again = await openChannel(server, { set: SET });
    ch = again;
    expect(Object.keys(server.state.channels)).toEqual([again.channelId]);
  });
});
