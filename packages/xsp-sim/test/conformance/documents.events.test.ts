/**
 * Document conformance, Xsi-Events: every stream document and Events answer the simulator emits,
 * parsed and checked against the element lists of reference/xsi.md §5 (documents.schema.ts) —
 * required elements present, children in schema order — driven over HTTP as a client would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXmlDocument, schemaType, type XmlElement } from '../../../core/src/xsi/xml.js';
import type { XspServer } from '../../src/index.js';
import { ACTIONS, ADMIN, EVENTS, XSI_NS, agent, call, desk, openChannel, start, subscriptionBody, type Channel } from '../server/helpers.js';
import { CHANNEL, CHANNEL_TERMINATED, ENVELOPE, EVENT_DATA, SUBSCRIPTION_ANSWER, SUBSCRIPTION_GET, checkShape } from './documents.schema.js';
import { textOf } from './routeHelpers.js';

let server: XspServer;
let admin: Channel;
let self: Channel;
const startedAt = Date.now();
const subscriptionIds: string[] = [];

function parse(xml: string): XmlElement {
  const doc = parseXmlDocument(xml);
  if ('error' in doc) throw new Error(`${doc.error}: ${xml}`);
  return doc;
}

const PACKAGES = ['Call Center Agent', 'Call Forwarding Always', 'Hoteling Guest', 'Do Not Disturb', 'Remote Office', 'Basic Call', 'Advanced Call', 'Standard Call'];

beforeAll(async () => {
  server = await start();
  admin = await openChannel(server);
  for (const pkg of PACKAGES) {
    const r = await call(server, 'POST', `${EVENTS}/user/${agent(1)}`, { body: subscriptionBody(pkg) });
    expect(r.status, r.text).toBe(200);
    checkShape(parse(r.text), SUBSCRIPTION_ANSWER);
    subscriptionIds.push(textOf(parse(r.text), 'subscriptionId')!);
  }
  self = await openChannel(server, { user: agent(2), set: 'agent-2-set' });
  expect((await call(server, 'POST', `${EVENTS}/user/${agent(2)}/subscription`, { user: agent(2), body: subscriptionBody('Call Center Agent', 'agent-2-set') })).status).toBe(200);
  const changes: Array<[string, string]> = [
    ['CallCenter', `<CallCenter ${XSI_NS}><agentACDState>Unavailable</agentACDState><agentUnavailableCode>1002</agentUnavailableCode></CallCenter>`],
    ['CallForwardingAlways', `<CallForwardingAlways ${XSI_NS}><active>true</active><forwardToPhoneNumber>2101</forwardToPhoneNumber></CallForwardingAlways>`],
    ['HotelingGuest', `<HotelingGuest ${XSI_NS}><hostUserId>${desk(101)}</hostUserId></HotelingGuest>`],
    ['DoNotDisturb', `<DoNotDisturb ${XSI_NS}><active>true</active></DoNotDisturb>`],
    ['RemoteOffice', `<RemoteOffice ${XSI_NS}><active>true</active><remoteOfficeNumber>5550100</remoteOfficeNumber></RemoteOffice>`],
  ];
  for (const [service, body] of changes) {
    const r = await call(server, 'PUT', `${ACTIONS}/user/${agent(1)}/services/${service}`, { body });
    expect(r.status, `${service}: ${r.text}`).toBe(200);
  }
  await call(server, 'PUT', `${ACTIONS}/user/${agent(2)}/services/CallCenter`, { user: agent(2), body: `<CallCenter ${XSI_NS}><agentACDState>Available</agentACDState></CallCenter>` });
  await self.waitFor((d) => d.kind === 'event' && d.event.type === 'AgentStateEvent');
  expect((await call(server, 'DELETE', `${EVENTS}/subscription/${subscriptionIds[0]}`)).status).toBe(200);
  await admin.waitFor((d) => d.kind === 'event' && d.event.type === 'SubscriptionTerminatedEvent');
});
afterAll(() => server.close());

describe('conformance: Xsi-Events documents', () => {
  it('Channel: declaration, newline, channelId then expires; ChannelHeartBeat is empty', async () => {
    expect(admin.raw[0]).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Channel /);
    checkShape(parse(admin.raw[0]!), CHANNEL);
    expect((await call(server, 'PUT', `${EVENTS}/channel/${admin.channelId}/heartbeat`)).status).toBe(200);
    await admin.waitFor((d) => d.kind === 'heartbeat');
    const beat = parse(admin.raw.find((r) => r.includes('ChannelHeartBeat'))!);
    expect([beat.local, beat.children.length]).toEqual(['ChannelHeartBeat', 0]);
  });

  it('every SubscriptionEvent: the §5.6 envelope, then eventData per its type — all eight modelled types seen', () => {
    const seen = new Set<string>();
    for (const raw of [...admin.raw, ...self.raw]) {
      const doc = parse(raw);
      if (doc.local !== 'Event' || schemaType(doc) !== 'SubscriptionEvent') continue;
      checkShape({ ...doc, children: doc.children.map((c) => (c.local === 'eventData' ? { ...c, children: [] } : c)) }, ENVELOPE, 'SubscriptionEvent');
      const data = doc.children.find((c) => c.local === 'eventData')!;
      const type = schemaType(data)!;
      expect(Object.keys(EVENT_DATA), `unexpected eventData type ${type}`).toContain(type);
      checkShape(data, EVENT_DATA[type]!, `eventData[${type}]`);
      seen.add(type);
    }
    expect([...seen].sort()).toEqual(Object.keys(EVENT_DATA).sort());
  });

  it('agent events carry real wall-clock times: stateTimestamp and signInTimestamp (ms) between start and now', () => {
    const values = admin.raw.filter((r) => r.includes('AgentStateEvent') || r.includes('AgentSubscriptionEvent'))
      .flatMap((r) => [...r.matchAll(/<xsi:(?:stateTimestamp><xsi:value|signInTimestamp)>(\d+)</g)].map((m) => Number(m[1])));
    expect(values.length).toBeGreaterThanOrEqual(3);
    for (const v of values) expect(v).toBeGreaterThanOrEqual(startedAt - 1_000);
    for (const v of values) expect(v).toBeLessThanOrEqual(Date.now());
    expect(admin.raw.find((r) => r.includes('AgentStateEvent'))).toContain('<xsi:unavailableCode>1002</xsi:unavailableCode>');
  });

  it('a self-subscription’s events carry no targetId; the admin’s carry the monitored user', () => {
    const own = self.raw.filter((r) => r.includes('SubscriptionEvent'));
    expect(own.length).toBeGreaterThan(0);
    for (const r of own) expect(r).not.toContain('<xsi:targetId>');
    expect(admin.raw.find((r) => r.includes('DoNotDisturbEvent'))).toContain(`<xsi:targetId>${agent(1)}</xsi:targetId>`);
  });

  it('GET subscription/<id>: the Subscription in XSD order with its target type', async () => {
    const r = await call(server, 'GET', `${EVENTS}/subscription/${subscriptionIds[5]}`);
    const doc = parse(r.text);
    checkShape(doc, SUBSCRIPTION_GET);
    expect([textOf(doc, 'targetIdType'), textOf(doc, 'targetId'), textOf(doc, 'event'), textOf(doc, 'subscriberId')]).toEqual(['User', agent(1), 'Basic Call', ADMIN]);
  });

  it('ChannelTerminatedEvent: channelId then reason, at the root', async () => {
    expect((await call(server, 'DELETE', `${EVENTS}/channel/${admin.channelId}`)).status).toBe(200);
    await admin.ended;
    const doc = parse(admin.raw[admin.raw.length - 1]!);
    expect(schemaType(doc)).toBe('ChannelTerminatedEvent');
    checkShape(doc, CHANNEL_TERMINATED);
  });
});
