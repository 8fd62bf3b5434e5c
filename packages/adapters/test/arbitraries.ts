/** fast-check generators of schedules (shared by the property tests). */
import { fc } from '@fast-check/vitest';
import type { CstaRequest } from '@csta-bw/core';
import type { ExternalAction } from '@csta-bw/xsp-sim';
import { START_AGENT_STATES, type StartFact } from '../src/explore/startingWorld.js';
import { AGENTS, DESKS, LINKS, type Schedule, type ScheduleStep } from '../src/schedule.js';

const desk = fc.constantFrom(...DESKS);
const agent = fc.constantFrom(...AGENTS);
const full = (id: string) => `${id}@example.com`;

const request: fc.Arbitrary<CstaRequest> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(desk, agent).map(([d, a]) => ({ service: 'SetAgentState', device: d, requestedAgentState: 'loggedOn', agentID: a }) as CstaRequest) },
  { weight: 4, arbitrary: fc.tuple(desk, fc.option(agent, { nil: undefined })).map(([d, a]) => (a === undefined
    ? { service: 'SetAgentState', device: d, requestedAgentState: 'loggedOff' }
    : { service: 'SetAgentState', device: d, requestedAgentState: 'loggedOff', agentID: a }) as CstaRequest) },
  { weight: 2, arbitrary: fc.tuple(desk, fc.constantFrom('ready', 'notReady', 'workingAfterCall')).map(([d, s]) => ({ service: 'SetAgentState', device: d, requestedAgentState: s }) as CstaRequest) },
  { weight: 1, arbitrary: fc.tuple(desk, fc.boolean(), fc.constantFrom('9999', '2199')).map(([d, on, dn]) => ({ service: 'SetForwarding', device: d, forwardingType: 'forwardImmediate', activateForward: on, forwardDN: dn }) as CstaRequest) },
  { weight: 1, arbitrary: desk.map((d) => ({ service: 'GetAgentState', device: d }) as CstaRequest) },
);

const external: fc.Arbitrary<ExternalAction> = fc.oneof(
  fc.tuple(agent, desk).map(([a, d]) => ({ kind: 'portalAssociate', guestUserId: full(a), hostUserId: full(d) }) as ExternalAction),
  agent.map((a) => ({ kind: 'portalRelease', guestUserId: full(a) }) as ExternalAction),
  desk.map((d) => ({ kind: 'hostForceRelease', hostUserId: full(d) }) as ExternalAction),
  fc.tuple(fc.oneof(agent, desk), fc.constantFrom('Available', 'Unavailable', 'Sign-Out', 'Wrap-Up')).map(([u, s]) => ({ kind: 'phoneSetAgentState', userId: full(u), state: s }) as ExternalAction),
  fc.tuple(desk, fc.boolean()).map(([d, on]) => ({ kind: 'setForwarding', userId: full(d), active: on, forwardToPhoneNumber: '9999' }) as ExternalAction),
  fc.constant({ kind: 'channelTerminate' } as ExternalAction),
);

const wait = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 300 }) }, { weight: 3, arbitrary: fc.integer({ min: 300, max: 6_000 }) },
  { weight: 1, arbitrary: fc.constant(2 * 3_600_000) }); // past agent-003's one-hour association limit

const step: fc.Arbitrary<ScheduleStep> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(wait, fc.constantFrom(...LINKS), request).map(([w, link, r]) => ({ wait: w, kind: 'request', link, request: r }) as ScheduleStep) },
  { weight: 1, arbitrary: fc.tuple(wait, external).map(([w, action]) => ({ wait: w, kind: 'external', action }) as ScheduleStep) },
);

// Starting worlds (src/explore/startingWorld.ts): desks forwarded, agents signed in or seated, limits, DND, no extension.
const startFact: fc.Arbitrary<StartFact> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(desk, fc.constantFrom('9999', '+1 202-555-0100', '2104', '3002', 'agent-002@example.com'), fc.boolean())
    .map(([d, to, ringSplash]) => ({ kind: 'forwarded', userId: full(d), to, ringSplash }) as StartFact) },
  { weight: 3, arbitrary: fc.tuple(fc.oneof(desk, agent), fc.constantFrom(...START_AGENT_STATES)).map(([u, state]) => ({ kind: 'agentState', userId: full(u), state }) as StartFact) },
  { weight: 3, arbitrary: fc.tuple(agent, desk).map(([a, d]) => ({ kind: 'associated', guestUserId: full(a), hostUserId: full(d) }) as StartFact) },
  { weight: 1, arbitrary: fc.tuple(agent, fc.integer({ min: 1, max: 3 })).map(([a, hours]) => ({ kind: 'guestLimit', guestUserId: full(a), hours }) as StartFact) },
  { weight: 1, arbitrary: fc.tuple(desk, fc.integer({ min: 1, max: 3 })).map(([d, hours]) => ({ kind: 'hostLimit', hostUserId: full(d), hours }) as StartFact) },
  { weight: 1, arbitrary: fc.tuple(agent, fc.boolean()).map(([a, n]) => (n ? { kind: 'noExtension', userId: full(a), number: `+1202555${a.slice(-4)}` } : { kind: 'noExtension', userId: full(a) }) as StartFact) },
  { weight: 1, arbitrary: fc.oneof(desk, agent).map((u) => ({ kind: 'doNotDisturb', userId: full(u) }) as StartFact) },
);

export const schedule = (faults: fc.Arbitrary<Schedule['faults']> = fc.constantFrom('none', 'flaky', 'hostile')): fc.Arbitrary<Schedule> =>
  fc.record({ seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }), faults, start: fc.array(startFact, { maxLength: 5 }), steps: fc.array(step, { minLength: 1, maxLength: 14 }) });
