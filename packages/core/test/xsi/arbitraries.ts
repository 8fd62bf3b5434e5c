/** fast-check arbitraries for Xsi data, shared by the codec tests. */
import { fc } from '@fast-check/vitest';
import {
  AGENT_ACD_STATES,
  EVENT_PACKAGES,
  type ForwardingInfo,
  type HotelingGuestInfo,
  type HotelingHostInfo,
  type ProfileInfo,
  type XsiCommand,
  type XsiEvent,
} from '../../src/xsi/types.js';

/** Text that survives XML: includes the characters that need escaping and non-ASCII; no edge blanks (values are trimmed). */
export const text = fc
  .string({ unit: fc.constantFrom(...'abcXYZ019 -_.@+&<>"\'/é中😀'.split(/(?:)/u)), minLength: 1, maxLength: 16 })
  .filter((s) => s.trim() === s && s !== '');

export const userId = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9.+_-]{0,11}$/), fc.constantFrom('example.com', 'b.example.org'))
  .map(([u, d]) => `${u}@${d}`);

export const uuid = fc.uuid();
export const agentState = fc.constantFrom(...AGENT_ACD_STATES);
export const eventPackage = fc.constantFrom(...EVENT_PACKAGES);
export const phone = fc.oneof(fc.stringMatching(/^\+?[0-9][0-9-]{0,14}$/), userId.map((u) => `sip:${u}`));
const hours = fc.integer({ min: 1, max: 999 });

export const forwardingInfo: fc.Arbitrary<ForwardingInfo> = fc.record(
  { active: fc.boolean(), forwardToPhoneNumber: phone, ringSplash: fc.boolean() },
  { requiredKeys: ['active'] },
);

export const hotelingGuestInfo: fc.Arbitrary<HotelingGuestInfo> = fc.record(
  {
    active: fc.boolean(),
    enableAssociationLimit: fc.boolean(),
    associationLimitHours: hours,
    hostUserId: userId,
    hostLastName: text,
    hostFirstName: text,
    hostAssociationDateTime: fc.constantFrom('2010-04-06T14:11:10.918+05:30', '2024-01-01T00:00:00Z'),
    hostEnforcesAssociationLimit: fc.boolean(),
    hostAssociationLimitHours: hours,
  },
  { requiredKeys: ['active'] },
);

export const hotelingHostInfo: fc.Arbitrary<HotelingHostInfo> = fc.record(
  {
    active: fc.boolean(),
    enforceAssociationLimit: fc.boolean(),
    associationLimitHours: hours,
    accessLevel: fc.constantFrom('Enterprise' as const, 'Group' as const),
    guestLastName: text,
    guestFirstName: text,
    guestPhoneNumber: fc.stringMatching(/^[0-9]{4,10}$/),
    guestExtension: fc.stringMatching(/^[0-9]{2,6}$/),
    guestAssociationDateTime: fc.constant('2024-01-01T00:00:00Z'),
  },
  { requiredKeys: ['active'] },
);

export const profileInfo: fc.Arbitrary<ProfileInfo> = fc.record(
  { userId, firstName: text, lastName: text, number: fc.stringMatching(/^[0-9]{4,10}$/), extension: fc.stringMatching(/^[0-9]{2,6}$/), groupId: text },
  { requiredKeys: ['userId'] },
);

/** The commands that carry a body. */
export const putCommand: fc.Arbitrary<Extract<XsiCommand, { op: `PUT ${string}` }>> = fc.oneof(
  fc.record({ op: fc.constant('PUT CallCenter' as const), userId, body: fc.record({ agentACDState: agentState }) }),
  fc.record({
    op: fc.constant('PUT CallForwardingAlways' as const),
    userId,
    body: fc.record({ active: fc.boolean(), forwardToPhoneNumber: fc.option(phone, { nil: null }) }, { requiredKeys: ['active'] }),
  }),
  fc.record({
    op: fc.constant('PUT HotelingGuest' as const),
    userId,
    body: fc.record({ hostUserId: fc.option(userId, { nil: null }), active: fc.boolean() }, { requiredKeys: ['hostUserId'] }),
  }),
  fc.record({
    op: fc.constant('PUT HotelingHost' as const),
    userId,
    body: fc.record({ removeGuestAssociation: fc.boolean(), active: fc.boolean() }, { requiredKeys: [] }),
  }),
);

const envelope = fc.record({
  eventId: uuid,
  sequenceNumber: fc.integer({ min: 1, max: 2147483647 }),
  subscriptionId: uuid,
  targetId: userId,
});

const eventData = fc.oneof(
  fc.record(
    { type: fc.constant('AgentStateEvent' as const), state: agentState, stateTimestamp: fc.nat({ max: 4102444800000 }) },
    { requiredKeys: ['type', 'state'] },
  ),
  fc.record(
    { type: fc.constant('AgentSubscriptionEvent' as const), state: agentState, stateTimestamp: fc.nat({ max: 4102444800000 }) },
    { requiredKeys: ['type', 'state'] },
  ),
  fc.record({ type: fc.constant('CallForwardingAlwaysEvent' as const), info: forwardingInfo }),
  fc.record({ type: fc.constant('HotelingGuestEvent' as const), info: hotelingGuestInfo }),
  fc.record({ type: fc.constant('SubscriptionTerminatedEvent' as const) }),
);

export const xsiEvent: fc.Arbitrary<XsiEvent> = fc.tuple(envelope, eventData).map(([e, d]) => ({ ...e, ...d }) as XsiEvent);
