import { describe, it, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import {
  HEARTBEAT_DOCUMENT,
  decodeChannelRequest,
  decodeChannelUpdate,
  decodeEventResponse,
  decodeStreamDocument,
  decodeSubscriptionRefresh,
  decodeSubscriptionRequest,
  encodeChannel,
  encodeChannelRequest,
  encodeChannelTerminated,
  encodeChannelUpdate,
  encodeEvent,
  encodeEventResponse,
  encodeSubscription,
  encodeSubscriptionRefresh,
  encodeSubscriptionRequest,
  encodeSubscriptionResponse,
} from '../../src/xsi/events.js';
import { isCodecError } from '../../src/xsi/xml.js';
import { eventPackage, userId, uuid, xsiEvent } from './arbitraries.js';

const ENVELOPE = { userId: 'admin@example.com', externalApplicationId: 'com.example.agentdesk', channelId: 'a61750ee-3bb3-4330-aaa5-4497322a8a35' };

/** Reference §5.8, AgentStateEvent, verbatim. */
const AGENT_STATE_EVENT = `<?xml version="1.0" encoding="UTF-8"?>
<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:SubscriptionEvent">
  <xsi:eventID>01c3bb60-cc07-4043-9c9d-9981ac480e3a</xsi:eventID>
  <xsi:sequenceNumber>27</xsi:sequenceNumber>
  <xsi:userId>admin@example.com</xsi:userId>
  <xsi:externalApplicationId>com.example.agentdesk</xsi:externalApplicationId>
  <xsi:subscriptionId>209389b3-f4f7-44b8-a662-209959cd8bb7</xsi:subscriptionId>
  <xsi:channelId>a61750ee-3bb3-4330-aaa5-4497322a8a35</xsi:channelId>
  <xsi:targetId>agent1@example.com</xsi:targetId>
  <xsi:eventData xsi1:type="xsi:AgentStateEvent">
    <xsi:agentStateInfo>
      <xsi:state>Unavailable</xsi:state>
      <xsi:stateTimestamp><xsi:value>1505395898803</xsi:value></xsi:stateTimestamp>
      <xsi:unavailableCode>1007</xsi:unavailableCode>
      <xsi:signInTimestamp>1505395341023</xsi:signInTimestamp>
      <xsi:totalAvailableTime>277</xsi:totalAvailableTime>
      <xsi:averageWrapUpTime><xsi:value>0</xsi:value></xsi:averageWrapUpTime>
    </xsi:agentStateInfo>
  </xsi:eventData>
</xsi:Event>`;

/** Wrap one of the reference's eventData fragments in a SubscriptionEvent envelope. */
function inEnvelope(eventData: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:SubscriptionEvent"><xsi:eventID>ev-1</xsi:eventID><xsi:sequenceNumber>5</xsi:sequenceNumber><xsi:userId>admin@example.com</xsi:userId><xsi:subscriptionId>sub-1</xsi:subscriptionId><xsi:channelId>ch-1</xsi:channelId>${extra}<xsi:targetId>agent-001@example.com</xsi:targetId>${eventData}</xsi:Event>`;
}
const ENV = { eventId: 'ev-1', sequenceNumber: 5, subscriptionId: 'sub-1', targetId: 'agent-001@example.com' };

describe('decodeStreamDocument: reference wire examples', () => {
  it('AgentStateEvent (§5.8): state and timestamp; extra AgentStateInformation ignored', () => {
    expect(decodeStreamDocument(AGENT_STATE_EVENT)).toEqual({
      kind: 'event',
      event: {
        eventId: '01c3bb60-cc07-4043-9c9d-9981ac480e3a',
        sequenceNumber: 27,
        subscriptionId: '209389b3-f4f7-44b8-a662-209959cd8bb7',
        targetId: 'agent1@example.com',
        type: 'AgentStateEvent',
        state: 'Unavailable',
        stateTimestamp: 1505395898803,
      },
    });
  });

  it('accepts the pre-R19 bare stateTimestamp', () => {
    const xml = inEnvelope('<xsi:eventData xsi1:type="xsi:AgentStateEvent"><xsi:agentStateInfo><xsi:state>Available</xsi:state><xsi:stateTimestamp>1412607268159</xsi:stateTimestamp></xsi:agentStateInfo></xsi:eventData>');
    expect(decodeStreamDocument(xml)).toEqual({ kind: 'event', event: { ...ENV, type: 'AgentStateEvent', state: 'Available', stateTimestamp: 1412607268159 } });
  });

  it('AgentSubscriptionEvent (§5.8) reads stateInfo, not agentStateInfo', () => {
    const xml = inEnvelope(`<xsi:eventData xsi1:type="xsi:AgentSubscriptionEvent">
  <xsi:joinData><xsi:joinInfos>
    <xsi:joinInfo><xsi:acdUserId>sales-cc@example.com</xsi:acdUserId><xsi:joined/><xsi:skillLevel>12</xsi:skillLevel></xsi:joinInfo>
  </xsi:joinInfos></xsi:joinData>
  <xsi:stateInfo><xsi:state>Sign-Out</xsi:state><xsi:stateTimestamp><xsi:value>1498714691974</xsi:value></xsi:stateTimestamp></xsi:stateInfo>
</xsi:eventData>`);
    expect(decodeStreamDocument(xml)).toEqual({ kind: 'event', event: { ...ENV, type: 'AgentSubscriptionEvent', state: 'Sign-Out', stateTimestamp: 1498714691974 } });
  });

  it('CallForwardingAlwaysEvent (§5.8): tel: normalised away', () => {
    const xml = inEnvelope(`<xsi:eventData xsi1:type="xsi:CallForwardingAlwaysEvent">
  <xsi:info><xsi:active>true</xsi:active><xsi:forwardToPhoneNumber>tel:1020</xsi:forwardToPhoneNumber><xsi:ringSplash>true</xsi:ringSplash></xsi:info>
</xsi:eventData>`);
    expect(decodeStreamDocument(xml)).toEqual({
      kind: 'event',
      event: { ...ENV, type: 'CallForwardingAlwaysEvent', info: { active: true, forwardToPhoneNumber: '1020', ringSplash: true } },
    });
  });

  it('HotelingGuestEvent (§5.8)', () => {
    const xml = inEnvelope(`<xsi:eventData xsi1:type="xsi:HotelingGuestEvent">
  <xsi:info><xsi:active>false</xsi:active><xsi:enableAssociationLimit>true</xsi:enableAssociationLimit><xsi:associationLimitHours>12</xsi:associationLimitHours></xsi:info>
</xsi:eventData>`);
    expect(decodeStreamDocument(xml)).toEqual({
      kind: 'event',
      event: { ...ENV, type: 'HotelingGuestEvent', info: { active: false, enableAssociationLimit: true, associationLimitHours: 12 } },
    });
  });

  it('SubscriptionTerminatedEvent (§5.8)', () => {
    const xml = inEnvelope('<xsi:eventData xsi1:type="xsi:SubscriptionTerminatedEvent"/>');
    expect(decodeStreamDocument(xml)).toEqual({ kind: 'event', event: { ...ENV, type: 'SubscriptionTerminatedEvent' } });
  });

  it('ChannelTerminatedEvent (§5.8), channel answer (§5.2) and heartbeat (§5.3)', () => {
    const terminated = `<?xml version="1.0" encoding="UTF-8"?>
<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:ChannelTerminatedEvent">
  <xsi:channelId>726bfd81-799c-473a-9e32-ed7063ef0b2f</xsi:channelId>
  <xsi:reason>ExplicitDelete</xsi:reason>
</xsi:Event>`;
    expect(decodeStreamDocument(terminated)).toEqual({ kind: 'channelTerminated', channelId: '726bfd81-799c-473a-9e32-ed7063ef0b2f', reason: 'ExplicitDelete' });
    const channel = '<?xml version="1.0" encoding="UTF-8"?>\n<Channel xmlns="http://schema.broadsoft.com/xsi"><channelId>64eddc79-b707-4827-aacd-487fb5cb8427</channelId><expires>86400</expires></Channel>';
    expect(decodeStreamDocument(channel)).toEqual({ kind: 'channel', channelId: '64eddc79-b707-4827-aacd-487fb5cb8427', expires: 86400 });
    expect(decodeStreamDocument('<?xml version="1.0" encoding="UTF-8"?><ChannelHeartBeat xmlns="http://schema.broadsoft.com/xsi"/>')).toEqual({ kind: 'heartbeat' });
  });

  it('unmodelled event types come back as unknownEvent with their eventID (so they can be acked)', () => {
    const join = inEnvelope('<xsi:eventData xsi1:type="xsi:ACDAgentJoinUpdateEvent"><xsi:ccAgentJoinUpdateData/></xsi:eventData>');
    expect(decodeStreamDocument(join)).toEqual({ kind: 'unknownEvent', eventId: 'ev-1', eventType: 'ACDAgentJoinUpdateEvent' });
    const errorEvent = '<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:ErrorEvent"><xsi:errorCode>1</xsi:errorCode></xsi:Event>';
    expect(decodeStreamDocument(errorEvent)).toEqual({ kind: 'unknownEvent', eventType: 'ErrorEvent' });
  });

  it('resolves namespaces, not prefixes', () => {
    const other =
      '<b:Event xmlns:b="http://schema.broadsoft.com/xsi" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:type="b:SubscriptionEvent"><b:eventID>ev-1</b:eventID><b:sequenceNumber>5</b:sequenceNumber><b:userId>admin@example.com</b:userId><b:subscriptionId>sub-1</b:subscriptionId><b:channelId>ch-1</b:channelId>' +
      '<targetId xmlns="http://schema.broadsoft.com/xsi">agent-001@example.com</targetId><b:eventData i:type="b:SubscriptionTerminatedEvent"/></b:Event>';
    expect(decodeStreamDocument(other)).toEqual({ kind: 'event', event: { ...ENV, type: 'SubscriptionTerminatedEvent' } });
  });

  it('uses userId as target when targetId is absent (self-subscription, §5.6)', () => {
    const xml = inEnvelope('<xsi:eventData xsi1:type="xsi:SubscriptionTerminatedEvent"/>').replace('<xsi:targetId>agent-001@example.com</xsi:targetId>', '');
    expect(decodeStreamDocument(xml)).toEqual({ kind: 'event', event: { ...ENV, targetId: 'admin@example.com', type: 'SubscriptionTerminatedEvent' } });
  });
});

describe('decodeStreamDocument: bad documents', () => {
  const errorOf = (xml: string) => decodeStreamDocument(xml);
  it('a modelled event with bad content is an error that still carries the eventID', () => {
    const badState = inEnvelope('<xsi:eventData xsi1:type="xsi:AgentStateEvent"><xsi:agentStateInfo><xsi:state>available</xsi:state></xsi:agentStateInfo></xsi:eventData>');
    expect(errorOf(badState)).toEqual({ kind: 'error', eventId: 'ev-1', error: expect.stringMatching(/AgentStateEvent: <state> must be an AgentState \(exact case\), got "available"/) });
    const unassigned = inEnvelope('<xsi:eventData xsi1:type="xsi:CallForwardingAlwaysEvent"><xsi:unassigned/></xsi:eventData>');
    expect(errorOf(unassigned)).toMatchObject({ kind: 'error', eventId: 'ev-1', error: expect.stringMatching(/unassigned/) });
    const badSeq = inEnvelope('<xsi:eventData xsi1:type="xsi:SubscriptionTerminatedEvent"/>').replace('<xsi:sequenceNumber>5<', '<xsi:sequenceNumber>0<');
    expect(errorOf(badSeq)).toMatchObject({ kind: 'error', eventId: 'ev-1', error: expect.stringMatching(/sequenceNumber> must be in 1..2147483647/) });
  });

  it('wrong root, missing type, missing eventID, truncated, DOCTYPE, oversize', () => {
    expect(errorOf('<CallCenter xmlns="http://schema.broadsoft.com/xsi"/>')).toEqual({ kind: 'error', error: 'unexpected document <CallCenter> on the event channel' });
    expect(errorOf('<xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi"/>')).toMatchObject({ kind: 'error', error: expect.stringMatching(/without an xsi:type/) });
    expect(errorOf(inEnvelope('<xsi:eventData xsi1:type="xsi:SubscriptionTerminatedEvent"/>').replace('<xsi:eventID>ev-1</xsi:eventID>', ''))).toMatchObject({ kind: 'error', error: expect.stringMatching(/without a valid <eventID>/) });
    expect(errorOf(AGENT_STATE_EVENT.slice(0, 400))).toMatchObject({ kind: 'error', error: expect.stringMatching(/malformed XML/) });
    expect(errorOf('<!DOCTYPE x><ChannelHeartBeat/>')).toMatchObject({ kind: 'error', error: expect.stringMatching(/markup declarations/) });
    expect(errorOf(`<Channel>${' '.repeat(2_000_000)}</Channel>`)).toMatchObject({ kind: 'error', error: expect.stringMatching(/too large/) });
  });
});

describe('encodeEvent', () => {
  test.prop([xsiEvent], { numRuns: 200 })('decodeStreamDocument ∘ encodeEvent is the identity on XsiEvent', (event) => {
    expect(decodeStreamDocument(encodeEvent(event, ENVELOPE))).toEqual({ kind: 'event', event });
  });

  it('writes the reference prefixes, XSD envelope order and tel: forwarding', () => {
    const xml = encodeEvent(
      { eventId: 'e1', sequenceNumber: 3, subscriptionId: 's1', targetId: 'desk-101@example.com', type: 'CallForwardingAlwaysEvent', info: { active: true, forwardToPhoneNumber: '3001', ringSplash: false } },
      ENVELOPE,
    );
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:SubscriptionEvent">' +
        '<xsi:eventID>e1</xsi:eventID><xsi:sequenceNumber>3</xsi:sequenceNumber><xsi:userId>admin@example.com</xsi:userId>' +
        '<xsi:externalApplicationId>com.example.agentdesk</xsi:externalApplicationId><xsi:subscriptionId>s1</xsi:subscriptionId>' +
        '<xsi:channelId>a61750ee-3bb3-4330-aaa5-4497322a8a35</xsi:channelId><xsi:targetId>desk-101@example.com</xsi:targetId>' +
        '<xsi:eventData xsi1:type="xsi:CallForwardingAlwaysEvent"><xsi:info><xsi:active>true</xsi:active><xsi:forwardToPhoneNumber>tel:3001</xsi:forwardToPhoneNumber><xsi:ringSplash>false</xsi:ringSplash></xsi:info></xsi:eventData></xsi:Event>',
    );
  });

  it('AgentStateEvent carries agentStateInfo{state, stateTimestamp{value}}; AgentSubscriptionEvent joinData then stateInfo', () => {
    const base = { eventId: 'e1', sequenceNumber: 1, subscriptionId: 's1', targetId: 'a@example.com' };
    expect(encodeEvent({ ...base, type: 'AgentStateEvent', state: 'Wrap-Up', stateTimestamp: 42 }, ENVELOPE)).toContain(
      '<xsi:eventData xsi1:type="xsi:AgentStateEvent"><xsi:agentStateInfo><xsi:state>Wrap-Up</xsi:state><xsi:stateTimestamp><xsi:value>42</xsi:value></xsi:stateTimestamp></xsi:agentStateInfo></xsi:eventData>',
    );
    expect(encodeEvent({ ...base, type: 'AgentSubscriptionEvent', state: 'Sign-Out' }, ENVELOPE)).toContain(
      '<xsi:eventData xsi1:type="xsi:AgentSubscriptionEvent"><xsi:joinData/><xsi:stateInfo><xsi:state>Sign-Out</xsi:state></xsi:stateInfo></xsi:eventData>',
    );
  });

  it('encodeChannelTerminated round-trips', () => {
    expect(decodeStreamDocument(encodeChannelTerminated('c-1', 'DuplicateChannelSet'))).toEqual({ kind: 'channelTerminated', channelId: 'c-1', reason: 'DuplicateChannelSet' });
  });

  it('encodeChannelTerminated writes xsi:-prefixed channelId then reason (§5.8)', () => {
    expect(encodeChannelTerminated('726bfd81-799c-473a-9e32-ed7063ef0b2f', 'ExplicitDelete')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:ChannelTerminatedEvent">' +
        '<xsi:channelId>726bfd81-799c-473a-9e32-ed7063ef0b2f</xsi:channelId><xsi:reason>ExplicitDelete</xsi:reason></xsi:Event>',
    );
  });

  it('omits externalApplicationId when the envelope has none, and prefixes HotelingGuestEvent info fields', () => {
    const xml = encodeEvent(
      { eventId: 'e1', sequenceNumber: 3, subscriptionId: 's1', targetId: 'guest@example.com', type: 'HotelingGuestEvent', info: { active: true, enableAssociationLimit: true, associationLimitHours: 12 } },
      { userId: 'admin@example.com', channelId: 'c1' },
    );
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:SubscriptionEvent">' +
        '<xsi:eventID>e1</xsi:eventID><xsi:sequenceNumber>3</xsi:sequenceNumber><xsi:userId>admin@example.com</xsi:userId>' +
        '<xsi:subscriptionId>s1</xsi:subscriptionId><xsi:channelId>c1</xsi:channelId><xsi:targetId>guest@example.com</xsi:targetId>' +
        '<xsi:eventData xsi1:type="xsi:HotelingGuestEvent"><xsi:info><xsi:active>true</xsi:active><xsi:enableAssociationLimit>true</xsi:enableAssociationLimit><xsi:associationLimitHours>12</xsi:associationLimitHours></xsi:info></xsi:eventData></xsi:Event>',
    );
  });
});

describe('channel and subscription documents', () => {
  it('encodeChannel is byte-identical to the captured 0xb5-byte first chunk (§5.2)', () => {
    const doc = encodeChannel('64eddc79-b707-4827-aacd-487fb5cb8427', 86400);
    expect(doc).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<Channel xmlns="http://schema.broadsoft.com/xsi"><channelId>64eddc79-b707-4827-aacd-487fb5cb8427</channelId><expires>86400</expires></Channel>');
    expect(new TextEncoder().encode(doc).length).toBe(0xb5);
  });

  it('HEARTBEAT_DOCUMENT is the exact 97-byte heartbeat (§5.3)', () => {
    expect(HEARTBEAT_DOCUMENT).toBe('<?xml version="1.0" encoding="UTF-8"?><ChannelHeartBeat xmlns="http://schema.broadsoft.com/xsi"/>');
    expect(HEARTBEAT_DOCUMENT.length).toBe(0x61);
  });

  it('decodes the reference Channel create body (§5.2)', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Channel xmlns="http://schema.broadsoft.com/xsi">
  <channelSetId>com.example.agentdesk/9f2c</channelSetId>
  <priority>1</priority>
  <weight>50</weight>
  <expires>3600</expires>
  <applicationId>com.example.agentdesk</applicationId>   <!-- optional -->
</Channel>`;
    expect(decodeChannelRequest(xml)).toEqual({ channelSetId: 'com.example.agentdesk/9f2c', priority: 1, weight: 50, expires: 3600, applicationId: 'com.example.agentdesk' });
  });

  test.prop([fc.record({ channelSetId: uuid, priority: fc.integer({ min: 1, max: 10 }), weight: fc.integer({ min: 1, max: 100 }), expires: fc.nat(), applicationId: userId }, { requiredKeys: ['channelSetId'] })], { numRuns: 200 })(
    'decodeChannelRequest ∘ encodeChannelRequest is the identity',
    (req) => {
      expect(decodeChannelRequest(encodeChannelRequest(req))).toEqual(req);
    },
  );

  it('channel update and subscription refresh bodies round-trip', () => {
    expect(encodeChannelUpdate(7200)).toBe('<?xml version="1.0" encoding="UTF-8"?><Channel xmlns="http://schema.broadsoft.com/xsi"><expires>7200</expires></Channel>');
    expect(decodeChannelUpdate(encodeChannelUpdate(7200))).toEqual({ expires: 7200 });
    expect(decodeSubscriptionRefresh(encodeSubscriptionRefresh(3600))).toEqual({ expires: 3600 });
    expect(decodeChannelUpdate('<Channel xmlns="http://schema.broadsoft.com/xsi"/>')).toEqual({ error: '<Channel> update without <expires>' });
  });

  it('decodes the reference Subscription body (§5.5) and tolerates owner/target elements', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Subscription xmlns="http://schema.broadsoft.com/xsi">
  <event>Call Center Agent</event>
  <expires>3600</expires>
  <channelSetId>com.example.agentdesk/9f2c</channelSetId>
  <applicationId>com.example.agentdesk</applicationId>
</Subscription>`;
    expect(decodeSubscriptionRequest(xml)).toEqual({ packages: ['Call Center Agent'], packageList: false, expires: 3600, channelSetId: 'com.example.agentdesk/9f2c', applicationId: 'com.example.agentdesk' });
    const chrome = '<Subscription xmlns="http://schema.broadsoft.com/xsi"><subscriberId>a@b</subscriberId><targetIdType>User</targetIdType><targetId>a@b</targetId><eventPackageList><event>Call Center Agent</event><event>Hoteling Guest</event></eventPackageList><channelSetId>x</channelSetId></Subscription>';
    expect(decodeSubscriptionRequest(chrome)).toEqual({ packages: ['Call Center Agent', 'Hoteling Guest'], packageList: true, channelSetId: 'x' });
  });

  test.prop([fc.uniqueArray(eventPackage, { minLength: 1 }), uuid, fc.integer({ min: 0, max: 2147483647 })], { numRuns: 200 })(
    'decodeSubscriptionRequest ∘ encodeSubscriptionRequest keeps packages, expires, channelSetId',
    (packages, channelSetId, expires) => {
      expect(decodeSubscriptionRequest(encodeSubscriptionRequest({ packages, channelSetId, expires }))).toEqual({ packages, packageList: packages.length > 1, channelSetId, expires });
    },
  );

  it('rejects unknown and unsupported packages, missing channelSetId, unknown elements', () => {
    const sub = (inner: string) => `<Subscription xmlns="http://schema.broadsoft.com/xsi">${inner}</Subscription>`;
    expect(decodeSubscriptionRequest(sub('<event>Call Centre Agent</event><channelSetId>x</channelSetId>'))).toEqual({ error: "unknown event package 'Call Centre Agent'" });
    expect(decodeSubscriptionRequest(sub('<eventPackageList><event>Hoteling Guest</event><event>Nope</event></eventPackageList><channelSetId>x</channelSetId>'))).toEqual({ error: "unknown event package 'Nope'" });
    expect(decodeSubscriptionRequest(sub('<event>Call Recording</event><channelSetId>x</channelSetId>'))).toEqual({ error: "event package 'Call Recording' is deprecated since R20 and refused" });
    expect(decodeSubscriptionRequest(sub('<event>Hoteling Guest</event><httpContact><uri>http://x</uri></httpContact>'))).toMatchObject({ error: expect.stringMatching(/without <channelSetId>/) });
    expect(decodeSubscriptionRequest(sub('<event>Hoteling Guest</event><channelSetId>x</channelSetId><colour>red</colour>'))).toEqual({ error: 'unknown element <colour> in <Subscription>' });
    expect(decodeSubscriptionRequest(sub('<channelSetId>x</channelSetId>'))).toMatchObject({ error: expect.stringMatching(/without <event>/) });
    expect(decodeSubscriptionRequest('<Channel/>')).toEqual({ error: 'expected <Subscription>, got <Channel>' });
  });

  it('subscription answers', () => {
    expect(encodeSubscriptionResponse('98ed3939-c113-419c-8012-092556b85c66', 86400)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<Subscription xmlns="http://schema.broadsoft.com/xsi"><subscriptionId>98ed3939-c113-419c-8012-092556b85c66</subscriptionId><expires>86400</expires></Subscription>',
    );
    expect(
      encodeSubscription({ subscriptionId: 's', subscriberId: 'admin@example.com', targetId: 'agent-001@example.com', packages: ['Hoteling Guest'], expires: 3600, channelSetId: 'set', applicationId: 'app' }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Subscription xmlns="http://schema.broadsoft.com/xsi"><subscriptionId>s</subscriptionId><subscriberId>admin@example.com</subscriberId><targetIdType>User</targetIdType><targetId>agent-001@example.com</targetId><event>Hoteling Guest</event><expires>3600</expires><channelSetId>set</channelSetId><applicationId>app</applicationId></Subscription>',
    );
  });

  it('a multi-package GET answer lists every package in <eventPackageList>; no applicationId, no element', () => {
    expect(
      encodeSubscription({ subscriptionId: 's', subscriberId: 'admin@example.com', targetId: 'agent-001@example.com', packages: ['Call Center Agent', 'Hoteling Guest'], expires: 3600, channelSetId: 'set' }),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Subscription xmlns="http://schema.broadsoft.com/xsi"><subscriptionId>s</subscriptionId><subscriberId>admin@example.com</subscriberId><targetIdType>User</targetIdType><targetId>agent-001@example.com</targetId>' +
        '<eventPackageList><event>Call Center Agent</event><event>Hoteling Guest</event></eventPackageList><expires>3600</expires><channelSetId>set</channelSetId></Subscription>',
    );
  });

  it('encodeSubscriptionRequest: several packages as an R23 <eventPackageList>, optional expires left out (§5.5)', () => {
    expect(encodeSubscriptionRequest({ packages: ['Call Center Agent', 'Hoteling Guest'], channelSetId: 'set', applicationId: 'app' })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Subscription xmlns="http://schema.broadsoft.com/xsi">' +
        '<eventPackageList><event>Call Center Agent</event><event>Hoteling Guest</event></eventPackageList><channelSetId>set</channelSetId><applicationId>app</applicationId></Subscription>',
    );
    expect(encodeSubscriptionRequest({ packages: ['Hoteling Guest'], expires: 3600, channelSetId: 'set' })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Subscription xmlns="http://schema.broadsoft.com/xsi"><event>Hoteling Guest</event><expires>3600</expires><channelSetId>set</channelSetId></Subscription>',
    );
  });

  it('accepts and ignores every other XSD Subscription element (§5.5)', () => {
    const full =
      '<Subscription xmlns="http://schema.broadsoft.com/xsi"><subscriptionId>old</subscriptionId><sharedSubscriptionId>shared</sharedSubscriptionId><clientId>client</clientId>' +
      '<targetIdType>Group</targetIdType><targetGrpParentId>ent</targetGrpParentId><targetId>grp</targetId><targetSubId>sub</targetSubId>' +
      '<event>Hoteling Guest</event><expires>60</expires><httpContact><uri>http://x</uri></httpContact><channelSetId>set</channelSetId><applicationId>app</applicationId></Subscription>';
    expect(decodeSubscriptionRequest(full)).toEqual({ packages: ['Hoteling Guest'], packageList: false, expires: 60, channelSetId: 'set', applicationId: 'app' });
  });
});

describe('EventResponse', () => {
  it('decodes the reference body (§5.7) and round-trips', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<EventResponse xmlns="http://schema.broadsoft.com/xsi">
  <eventID>957d0482-6cdd-4189-b477-19c6793f113a</eventID>
  <statusCode>200</statusCode>
  <reason>OK</reason>
</EventResponse>`;
    expect(decodeEventResponse(xml)).toEqual({ eventId: '957d0482-6cdd-4189-b477-19c6793f113a', statusCode: 200, reason: 'OK' });
    expect(decodeEventResponse(encodeEventResponse('e<&>', 481, 'unknown subscription'))).toEqual({ eventId: 'e<&>', statusCode: 481, reason: 'unknown subscription' });
  });

  it('rejects codes outside the XSD enum, empty reasons and the spec typo closing tag', () => {
    expect(decodeEventResponse(encodeEventResponse('e', 201 as 200, 'x'))).toEqual({ error: '<statusCode> must be one of 200, 400, 404, 481, 500; got 201' });
    expect(decodeEventResponse(encodeEventResponse('e', 200, ''))).toEqual({ error: '<reason> must not be empty' });
    const typo = '<EventResponse xmlns="http://schema.broadsoft.com/xsi"><eventID>e</eventID><statusCode>200</statusCode><reason>OK</reason></Channel>';
    expect(isCodecError(decodeEventResponse(typo))).toBe(true);
  });
});

describe('request bodies the simulator reads strictly, error by error', () => {
  const X = 'xmlns="http://schema.broadsoft.com/xsi"';
  const channel = (inner: string) => `<Channel ${X}>${inner}</Channel>`;
  const sub = (inner: string) => `<Subscription ${X}>${inner}</Subscription>`;

  it('Channel create: every optional field, bounds, and what is missing or repeated', () => {
    expect(decodeChannelRequest(channel('<channelId>ignored</channelId><channelSetId>s</channelSetId><priority>1</priority><weight>1</weight><expires>0</expires><applicationId>a</applicationId>')))
      .toEqual({ channelSetId: 's', priority: 1, weight: 1, expires: 0, applicationId: 'a' });
    expect(decodeChannelRequest(channel('<channelSetId>s</channelSetId>'))).toEqual({ channelSetId: 's' });
    expect(decodeChannelRequest(channel('<priority>1</priority>'))).toEqual({ error: '<Channel> without <channelSetId>' });
    expect(decodeChannelRequest(channel('<channelSetId> </channelSetId>'))).toEqual({ error: '<channelSetId> must not be empty' });
    expect(decodeChannelRequest(channel('<channelSetId>s</channelSetId><priority>0</priority>'))).toEqual({ error: '<priority> must be in 1..2147483647, got 0' });
    expect(decodeChannelRequest(channel('<channelSetId>s</channelSetId><weight>0</weight>'))).toEqual({ error: '<weight> must be in 1..2147483647, got 0' });
    expect(decodeChannelRequest(channel('<channelSetId>s</channelSetId><expires>-1</expires>'))).toEqual({ error: '<expires> must be in 0..2147483647, got -1' });
    expect(decodeChannelRequest(channel('<channelSetId>s</channelSetId><applicationId></applicationId>'))).toEqual({ error: '<applicationId> must not be empty' });
    expect(decodeChannelRequest(channel('<channelSetId>s</channelSetId><channelSetId>t</channelSetId>'))).toEqual({ error: 'element <channelSetId> repeated in <Channel>' });
    expect(decodeChannelRequest(channel('<channelSetId>s</channelSetId><colour/>'))).toEqual({ error: 'unknown element <colour> in <Channel>' });
    expect(decodeChannelRequest(`<Subscription ${X}/>`)).toEqual({ error: 'expected <Channel>, got <Subscription>' });
    expect(decodeChannelRequest('<Channel')).toHaveProperty('error');
  });

  it('malformed XML is reported as such by every request-body decoder', () => {
    const malformed = { error: expect.stringMatching(/^malformed XML: /) };
    expect(decodeChannelRequest('<Channel')).toEqual(malformed);
    expect(decodeChannelUpdate('<Channel')).toEqual(malformed);
    expect(decodeSubscriptionRequest('<Subscription')).toEqual(malformed);
    expect(decodeSubscriptionRefresh('<Subscription')).toEqual(malformed);
    expect(decodeEventResponse('<EventResponse')).toEqual(malformed);
  });

  it('optional elements that are absent stay absent in the decoded request (no undefined-valued keys)', () => {
    expect(Object.keys(decodeChannelRequest(channel('<channelSetId>s</channelSetId>')))).toEqual(['channelSetId']);
    expect(Object.keys(decodeSubscriptionRequest(sub('<event>Hoteling Guest</event><channelSetId>s</channelSetId>')))).toEqual(['packages', 'packageList', 'channelSetId']);
  });

  it('Channel update reads expires only, and requires it', () => {
    expect(decodeChannelUpdate(channel('<channelSetId>ignored</channelSetId><expires>7</expires>'))).toEqual({ expires: 7 });
    expect(decodeChannelUpdate(channel('<priority>1</priority>'))).toEqual({ error: '<Channel> update without <expires>' });
    expect(decodeChannelUpdate(channel('<expires>x</expires>'))).toEqual({ error: '<expires> must be an integer, got "x"' });
    expect(decodeChannelUpdate(channel('<nope/>'))).toEqual({ error: 'unknown element <nope> in <Channel>' });
    expect(decodeChannelUpdate(sub(''))).toEqual({ error: 'expected <Channel>, got <Subscription>' });
  });

  it('Subscription: one package or a de-duplicated list, never both, never none', () => {
    expect(decodeSubscriptionRequest(sub('<targetId>t</targetId><event>Hoteling Guest</event><expires>0</expires><channelSetId>s</channelSetId><applicationId>a</applicationId>')))
      .toEqual({ packages: ['Hoteling Guest'], packageList: false, channelSetId: 's', expires: 0, applicationId: 'a' });
    expect(decodeSubscriptionRequest(sub('<eventPackageList><event>Hoteling Guest</event><event>Call Center Agent</event><event>Hoteling Guest</event></eventPackageList><channelSetId>s</channelSetId>')))
      .toEqual({ packages: ['Hoteling Guest', 'Call Center Agent'], packageList: true, channelSetId: 's' });
    expect(decodeSubscriptionRequest(sub('<event>Hoteling Guest</event><eventPackageList><event>Hoteling Guest</event></eventPackageList><channelSetId>s</channelSetId>')))
      .toEqual({ error: '<Subscription> has both <event> and <eventPackageList>' });
    expect(decodeSubscriptionRequest(sub('<eventPackageList></eventPackageList><channelSetId>s</channelSetId>'))).toEqual({ error: '<eventPackageList> is empty' });
    expect(decodeSubscriptionRequest(sub('<eventPackageList><package>Hoteling Guest</package></eventPackageList><channelSetId>s</channelSetId>'))).toEqual({ error: 'unknown element <package> in <eventPackageList>' });
    expect(decodeSubscriptionRequest(sub('<event>Hoteling Guest</event><channelSetId>s</channelSetId>'))).toEqual({ packages: ['Hoteling Guest'], packageList: false, channelSetId: 's' });
    expect(decodeSubscriptionRequest(sub('<channelSetId>s</channelSetId>'))).toEqual({ error: '<Subscription> without <event> or <eventPackageList>' });
    expect(decodeSubscriptionRequest(sub('<event>Hoteling Guest</event>'))).toEqual({ error: '<Subscription> without <channelSetId> (httpContact delivery is not supported)' });
    expect(decodeSubscriptionRequest(sub('<event>Hoteling Guest</event><channelSetId></channelSetId>'))).toEqual({ error: '<channelSetId> must not be empty' });
    expect(decodeSubscriptionRequest(sub('<event>Hoteling Guest</event><expires>-5</expires><channelSetId>s</channelSetId>'))).toEqual({ error: '<expires> must be in 0..2147483647, got -5' });
    expect(decodeSubscriptionRequest(sub('<event>Hoteling Guest</event><channelSetId>s</channelSetId><applicationId/>'))).toEqual({ error: '<applicationId> must not be empty' });
    expect(decodeSubscriptionRequest(sub('<event><x/></event><channelSetId>s</channelSetId>'))).toEqual({ error: '<event> must hold text, not elements' });
    expect(decodeSubscriptionRequest(sub('<event>Hoteling Guest</event><event>Hoteling Guest</event>'))).toEqual({ error: 'element <event> repeated in <Subscription>' });
  });

  it('Subscription refresh reads expires only, and requires it', () => {
    expect(decodeSubscriptionRefresh(sub('<event>ignored</event><expires>60</expires>'))).toEqual({ expires: 60 });
    expect(decodeSubscriptionRefresh(sub('<event>x</event>'))).toEqual({ error: '<Subscription> refresh without <expires>' });
    expect(decodeSubscriptionRefresh(sub('<expires>1.5</expires>'))).toEqual({ error: '<expires> must be an integer, got "1.5"' });
    expect(decodeSubscriptionRefresh(sub('<bogus/>'))).toEqual({ error: 'unknown element <bogus> in <Subscription>' });
    expect(decodeSubscriptionRefresh(channel(''))).toEqual({ error: 'expected <Subscription>, got <Channel>' });
  });

  it('EventResponse: all three fields, a valid code, a reason of at most 1024 characters', () => {
    const er = (inner: string) => `<EventResponse ${X}>${inner}</EventResponse>`;
    expect(decodeEventResponse(er('<eventID>e</eventID><statusCode>404</statusCode>'))).toEqual({ error: '<EventResponse> needs <eventID>, <statusCode> and <reason>' });
    expect(decodeEventResponse(er('<statusCode>200</statusCode><reason>r</reason>'))).toEqual({ error: '<EventResponse> needs <eventID>, <statusCode> and <reason>' });
    expect(decodeEventResponse(er('<eventID>e</eventID><reason>r</reason>'))).toEqual({ error: '<EventResponse> needs <eventID>, <statusCode> and <reason>' });
    expect(decodeEventResponse(er('<eventID></eventID><statusCode>200</statusCode><reason>r</reason>'))).toEqual({ error: '<eventID> must not be empty' });
    expect(decodeEventResponse(er('<eventID>e</eventID><statusCode>600</statusCode><reason>r</reason>'))).toEqual({ error: '<statusCode> must be in 100..599, got 600' });
    expect(decodeEventResponse(er(`<eventID>e</eventID><statusCode>500</statusCode><reason>${'r'.repeat(1024)}</reason>`))).toEqual({ eventId: 'e', statusCode: 500, reason: 'r'.repeat(1024) });
    expect(decodeEventResponse(er(`<eventID>e</eventID><statusCode>500</statusCode><reason>${'r'.repeat(1025)}</reason>`))).toEqual({ error: '<reason> longer than 1024 characters' });
    expect(decodeEventResponse(er('<eventID>e</eventID><statusCode>400</statusCode><reason>r</reason><extra/>'))).toEqual({ error: 'unknown element <extra> in <EventResponse>' });
  });
});

describe('decodeStreamDocument: every way a stream document can be wrong', () => {
  const X = 'xmlns="http://schema.broadsoft.com/xsi"';
  const T = 'xmlns:i="http://www.w3.org/2001/XMLSchema-instance"';
  const data = (type: string, inner: string) => `<xsi:eventData xsi1:type="xsi:${type}">${inner}</xsi:eventData>`;
  const err = (error: string) => ({ kind: 'error', eventId: 'ev-1', error });

  it('channel answers need a non-empty id and a non-negative expires', () => {
    expect(decodeStreamDocument(`<Channel ${X}><channelId>c</channelId><expires>0</expires></Channel>`)).toEqual({ kind: 'channel', channelId: 'c', expires: 0 });
    expect(decodeStreamDocument(`<Channel ${X}><channelId>c</channelId></Channel>`)).toEqual({ kind: 'error', error: '<Channel> without <channelId> and <expires>' });
    expect(decodeStreamDocument(`<Channel ${X}><expires>1</expires></Channel>`)).toEqual({ kind: 'error', error: '<Channel> without <channelId> and <expires>' });
    expect(decodeStreamDocument(`<Channel ${X}><channelId></channelId><expires>1</expires></Channel>`)).toEqual({ kind: 'error', error: '<channelId> must not be empty' });
    expect(decodeStreamDocument(`<Channel ${X}><channelId>c</channelId><expires>-1</expires></Channel>`)).toEqual({ kind: 'error', error: '<expires> must be in 0..2147483647, got -1' });
  });

  it('heartbeats in both spellings', () => {
    expect(decodeStreamDocument(`<ChannelHeartBeat ${X}/>`)).toEqual({ kind: 'heartbeat' });
    expect(decodeStreamDocument(`<ChannelHeartbeat ${X}/>`)).toEqual({ kind: 'heartbeat' });
  });

  it('ChannelTerminatedEvent needs a channel id and a reason; other root types are unknown events without an id', () => {
    const ct = (inner: string) => `<Event ${X} ${T} i:type="ChannelTerminatedEvent">${inner}</Event>`;
    expect(decodeStreamDocument(ct('<channelId>c</channelId><reason>Expired</reason>'))).toEqual({ kind: 'channelTerminated', channelId: 'c', reason: 'Expired' });
    expect(decodeStreamDocument(ct('<channelId>c</channelId>'))).toEqual({ kind: 'error', error: 'ChannelTerminatedEvent without <channelId> and <reason>' });
    expect(decodeStreamDocument(ct('<reason>r</reason>'))).toEqual({ kind: 'error', error: 'ChannelTerminatedEvent without <channelId> and <reason>' });
    expect(decodeStreamDocument(ct('<channelId> </channelId><reason>r</reason>'))).toEqual({ kind: 'error', error: '<channelId> must not be empty' });
    expect(decodeStreamDocument(ct('<channelId>c</channelId><reason></reason>'))).toEqual({ kind: 'error', error: '<reason> must not be empty' });
    expect(decodeStreamDocument(`<Event ${X} ${T} i:type="ErrorEvent"/>`)).toEqual({ kind: 'unknownEvent', eventType: 'ErrorEvent' });
  });

  it('a SubscriptionEvent needs a valid eventID, typed eventData and a full envelope', () => {
    expect(decodeStreamDocument(inEnvelope(data('SubscriptionTerminatedEvent', '')).replace('>ev-1<', '><'))).toEqual({ kind: 'error', error: 'SubscriptionEvent without a valid <eventID>' });
    expect(decodeStreamDocument(inEnvelope(''))).toEqual(err('SubscriptionEvent without <eventData>'));
    expect(decodeStreamDocument(inEnvelope('<xsi:eventData/>'))).toEqual(err('<eventData> without an xsi:type (XMLSchema-instance) attribute'));
    expect(decodeStreamDocument(inEnvelope(data('CallParkEvent', '')))).toEqual({ kind: 'unknownEvent', eventId: 'ev-1', eventType: 'CallParkEvent' });
    const terminated = inEnvelope(data('SubscriptionTerminatedEvent', ''));
    expect(decodeStreamDocument(terminated)).toEqual({ kind: 'event', event: { ...ENV, type: 'SubscriptionTerminatedEvent' } });
    expect(decodeStreamDocument(terminated.replace('<xsi:sequenceNumber>5</xsi:sequenceNumber>', ''))).toEqual(err('SubscriptionEvent without <sequenceNumber>'));
    expect(decodeStreamDocument(terminated.replace('<xsi:subscriptionId>sub-1</xsi:subscriptionId>', ''))).toEqual(err('SubscriptionEvent without <subscriptionId>'));
    expect(decodeStreamDocument(terminated.replace('>sub-1<', '><'))).toEqual(err('<subscriptionId> must not be empty'));
    expect(decodeStreamDocument(terminated.replace('<xsi:targetId>agent-001@example.com</xsi:targetId>', '').replace('<xsi:userId>admin@example.com</xsi:userId>', ''))).toEqual(err('SubscriptionEvent without <targetId> or <userId>'));
    expect(decodeStreamDocument(terminated.replace('>agent-001@example.com<', '><'))).toEqual(err('<targetId> must not be empty'));
  });

  it('agent state data: the info block, a state in exact case, a timestamp bare or in <value>', () => {
    const agent = (inner: string, type = 'AgentStateEvent', info = 'agentStateInfo') => inEnvelope(data(type, `<xsi:${info}>${inner}</xsi:${info}>`));
    expect(decodeStreamDocument(inEnvelope(data('AgentStateEvent', '')))).toEqual(err('AgentStateEvent: without <agentStateInfo>'));
    expect(decodeStreamDocument(inEnvelope(data('AgentSubscriptionEvent', '<xsi:agentStateInfo/>')))).toEqual(err('AgentSubscriptionEvent: without <stateInfo>'));
    expect(decodeStreamDocument(agent('<xsi:stateTimestamp>1</xsi:stateTimestamp>'))).toEqual(err('AgentStateEvent: agent state information without <state>'));
    expect(decodeStreamDocument(agent('<xsi:state><xsi:x/></xsi:state>'))).toEqual(err('AgentStateEvent: <state> must hold text, not elements'));
    expect(decodeStreamDocument(agent('<xsi:state>Available</xsi:state><xsi:stateTimestamp><xsi:other>1</xsi:other></xsi:stateTimestamp>'))).toEqual(err('AgentStateEvent: <stateTimestamp> without <value>'));
    expect(decodeStreamDocument(agent('<xsi:state>Available</xsi:state><xsi:stateTimestamp>-1</xsi:stateTimestamp>'))).toEqual(err(`AgentStateEvent: <stateTimestamp> must be in 0..${Number.MAX_SAFE_INTEGER}, got -1`));
    expect(decodeStreamDocument(agent('<xsi:state>Wrap-Up</xsi:state><xsi:stateTimestamp><xsi:value>0</xsi:value></xsi:stateTimestamp>', 'AgentSubscriptionEvent', 'stateInfo')))
      .toEqual({ kind: 'event', event: { ...ENV, type: 'AgentSubscriptionEvent', state: 'Wrap-Up', stateTimestamp: 0 } });
    expect(decodeStreamDocument(agent('<xsi:state>Sign-Out</xsi:state>'))).toEqual({ kind: 'event', event: { ...ENV, type: 'AgentStateEvent', state: 'Sign-Out' } });
  });

  it('forwarding and guest data: unassigned, missing info, invalid info', () => {
    expect(decodeStreamDocument(inEnvelope(data('HotelingGuestEvent', '<xsi:unassigned/>')))).toEqual(err('HotelingGuestEvent: the service is unassigned from the target'));
    expect(decodeStreamDocument(inEnvelope(data('HotelingGuestEvent', '')))).toEqual(err('HotelingGuestEvent: without <info>'));
    expect(decodeStreamDocument(inEnvelope(data('CallForwardingAlwaysEvent', '')))).toEqual(err('CallForwardingAlwaysEvent: without <info>'));
    expect(decodeStreamDocument(inEnvelope(data('CallForwardingAlwaysEvent', '<xsi:info><xsi:ringSplash>true</xsi:ringSplash></xsi:info>')))).toEqual(err('CallForwardingAlwaysEvent: <info> without <active>'));
    expect(decodeStreamDocument(inEnvelope(data('HotelingGuestEvent', '<xsi:info><xsi:active>maybe</xsi:active></xsi:info>')))).toEqual(err('HotelingGuestEvent: <active> must be a boolean (true/false), got "maybe" (in <info>)'));
  });
});

describe('issue 13: schema-complete events, every package, self-subscriptions', () => {
  const base = { eventId: 'e1', sequenceNumber: 1, subscriptionId: 's1', targetId: 'a@example.com' };

  it('AgentStateInformation in XSD order: state, stateTimestamp{value}, unavailableCode, signInTimestamp', () => {
    expect(encodeEvent({ ...base, type: 'AgentStateEvent', state: 'Unavailable', stateTimestamp: 1_505_395_898_803, unavailableCode: '1007', signInTimestamp: 1_505_395_341_023 }, ENVELOPE)).toContain(
      '<xsi:agentStateInfo><xsi:state>Unavailable</xsi:state><xsi:stateTimestamp><xsi:value>1505395898803</xsi:value></xsi:stateTimestamp>' +
        '<xsi:unavailableCode>1007</xsi:unavailableCode><xsi:signInTimestamp>1505395341023</xsi:signInTimestamp></xsi:agentStateInfo>',
    );
  });

  it('AgentSubscriptionEvent: joinData/joinInfos/joinInfo{acdUserId, joined} before stateInfo', () => {
    expect(encodeEvent({ ...base, type: 'AgentSubscriptionEvent', state: 'Sign-Out', stateTimestamp: 7, joins: [{ acdUserId: 'sales-cc@example.com', joined: true }, { acdUserId: 'b@example.com', joined: false }] }, ENVELOPE)).toContain(
      '<xsi:joinData><xsi:joinInfos><xsi:joinInfo><xsi:acdUserId>sales-cc@example.com</xsi:acdUserId><xsi:joined/></xsi:joinInfo>' +
        '<xsi:joinInfo><xsi:acdUserId>b@example.com</xsi:acdUserId></xsi:joinInfo></xsi:joinInfos></xsi:joinData>' +
        '<xsi:stateInfo><xsi:state>Sign-Out</xsi:state><xsi:stateTimestamp><xsi:value>7</xsi:value></xsi:stateTimestamp></xsi:stateInfo>',
    );
  });

  it('DoNotDisturbEvent, RemoteOfficeEvent (number as tel:) and the call packages’ CallSubscriptionEvent', () => {
    expect(encodeEvent({ ...base, type: 'DoNotDisturbEvent', info: { active: true, ringSplash: false } }, ENVELOPE)).toContain(
      '<xsi:eventData xsi1:type="xsi:DoNotDisturbEvent"><xsi:info><xsi:active>true</xsi:active><xsi:ringSplash>false</xsi:ringSplash></xsi:info></xsi:eventData>',
    );
    expect(encodeEvent({ ...base, type: 'RemoteOfficeEvent', info: { active: true, remoteOfficeNumber: '5550100' } }, ENVELOPE)).toContain(
      '<xsi:eventData xsi1:type="xsi:RemoteOfficeEvent"><xsi:info><xsi:active>true</xsi:active><xsi:remoteOfficeNumber>tel:5550100</xsi:remoteOfficeNumber></xsi:info></xsi:eventData>',
    );
    expect(encodeEvent({ ...base, type: 'CallSubscriptionEvent', hookStatus: 'On-Hook' }, ENVELOPE)).toContain(
      '<xsi:eventData xsi1:type="xsi:CallSubscriptionEvent"><xsi:hookStatus>On-Hook</xsi:hookStatus></xsi:eventData>',
    );
  });

  it('a self-subscription’s event has no targetId (as the captured XSP); the client reads the owner as target', () => {
    const xml = encodeEvent({ ...base, targetId: 'admin@example.com', type: 'AgentStateEvent', state: 'Available', stateTimestamp: 1 }, ENVELOPE);
    expect(xml).not.toContain('targetId');
    expect(decodeStreamDocument(xml)).toMatchObject({ kind: 'event', event: { targetId: 'admin@example.com' } });
    expect(encodeEvent({ ...base, type: 'AgentStateEvent', state: 'Available', stateTimestamp: 1 }, ENVELOPE)).toContain('<xsi:targetId>a@example.com</xsi:targetId>');
  });

  it('accepts every XSD package but Call Recording (deprecated in R20)', () => {
    const sub = (inner: string) => `<Subscription xmlns="http://schema.broadsoft.com/xsi">${inner}<channelSetId>x</channelSetId></Subscription>`;
    for (const p of ['Basic Call', 'Advanced Call', 'Standard Call', 'Do Not Disturb', 'Remote Office', 'Call Center Queue']) {
      expect(decodeSubscriptionRequest(sub(`<event>${p}</event>`)), p).toEqual({ packages: [p], packageList: false, channelSetId: 'x' });
    }
    expect(decodeSubscriptionRequest(sub('<event>Call Recording</event>'))).toEqual({ error: "event package 'Call Recording' is deprecated since R20 and refused" });
    expect(decodeSubscriptionRequest(sub('<event>basic call</event>'))).toEqual({ error: "unknown event package 'basic call'" });
  });

  it('GET subscription names the target type: Group with its parent, ServiceProvider', () => {
    const info = { subscriptionId: 's', subscriberId: 'admin@example.com', targetId: 'example-group', packages: ['Basic Call' as const], expires: 86400, channelSetId: 'set' };
    expect(encodeSubscription({ ...info, targetIdType: 'Group', targetGrpParentId: 'example.com' })).toContain(
      '<subscriberId>admin@example.com</subscriberId><targetIdType>Group</targetIdType><targetGrpParentId>example.com</targetGrpParentId><targetId>example-group</targetId><event>Basic Call</event>',
    );
    expect(encodeSubscription({ ...info, targetIdType: 'ServiceProvider', targetId: 'example.com' })).toContain('<targetIdType>ServiceProvider</targetIdType><targetId>example.com</targetId>');
  });
});
