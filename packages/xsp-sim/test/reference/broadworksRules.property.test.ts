/**
 * The simulator's model against the reference model of DESIGN §6.2 (broadworksRules.ts): random
 * sequences of the four PUTs the rules name, with time passing between them (association limits),
 * run through both. After every command both must agree on whether BroadWorks accepted it and on
 * every user's agent state, forwarding and association — so a slip in the model fails here, named
 * as the model's, instead of as a connector invariant in the explorer.
 */
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { XsiCommand } from '@csta-bw/core';
import { advance, createXsp, execute, userView, type Directory, type DirectoryUser, type XspState } from '../../src/index.js';
import { ACD_STATES, apply, elapse, guestAt, type RefCommand, type RefWorld } from './broadworksRules.js';

const deep = process.env.CSTA_BW_DEEP === '1';
const D = 'example.com';
const id = (n: string) => `${n}@${D}`;
const HOSTS = ['h1', 'h2', 'h3'].map(id);
const GUESTS = ['g1', 'g2', 'g3'].map(id);
const PLAIN = id('p1');
const ALL = [...HOSTS, ...GUESTS, PLAIN];

/** Both worlds start alike: hosts (one enforcing 2 h, one inactive), guests (one limited to 1 h, one inactive with 3 h), a plain user. */
function start(): { directory: Directory; ref: RefWorld } {
  const base = (userId: string): DirectoryUser => ({ userId, password: 'secret', firstName: userId, lastName: 'X', callCenter: { agentACDState: 'Sign-Out' }, forwarding: { active: false, ringSplash: false } });
  const users: DirectoryUser[] = [
    { ...base(HOSTS[0]!), hotelingHost: { active: true, enforceAssociationLimit: false, associationLimitHours: 24 } },
    { ...base(HOSTS[1]!), hotelingHost: { active: true, enforceAssociationLimit: true, associationLimitHours: 2 } },
    { ...base(HOSTS[2]!), hotelingHost: { active: false, enforceAssociationLimit: false, associationLimitHours: 24 } },
    { ...base(GUESTS[0]!), hotelingGuest: { active: true, enableAssociationLimit: false, associationLimitHours: 24 } },
    { ...base(GUESTS[1]!), hotelingGuest: { active: true, enableAssociationLimit: true, associationLimitHours: 1 } },
    { ...base(GUESTS[2]!), hotelingGuest: { active: false, enableAssociationLimit: true, associationLimitHours: 3 } },
    { ...base(PLAIN), callCenter: { agentACDState: 'Available' }, forwarding: { active: true, forwardToPhoneNumber: '555', ringSplash: false } },
  ];
  const ref: RefWorld = {};
  for (const u of users) {
    ref[u.userId] = {
      agent: u.callCenter!.agentACDState,
      forwarding: u.forwarding!.forwardToPhoneNumber === undefined ? { active: u.forwarding!.active } : { active: u.forwarding!.active, number: u.forwarding!.forwardToPhoneNumber },
      ...(u.hotelingGuest ? { guest: { active: u.hotelingGuest.active, limitOn: u.hotelingGuest.enableAssociationLimit, hours: u.hotelingGuest.associationLimitHours } } : {}),
      ...(u.hotelingHost ? { host: { active: u.hotelingHost.active, enforce: u.hotelingHost.enforceAssociationLimit, hours: u.hotelingHost.associationLimitHours } } : {}),
    };
  }
  return { directory: { domain: D, groupId: 'g', adminUserId: id('admin'), adminPassword: 'secret', users }, ref };
}

const user = fc.constantFrom(...ALL);
const command: fc.Arbitrary<RefCommand> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...GUESTS, PLAIN), fc.option(fc.constantFrom(...HOSTS, ...GUESTS, PLAIN, id('nobody')), { nil: null }), fc.option(fc.constant(true), { nil: undefined }))
    .map(([userId, hostUserId, active]) => ({ op: 'PUT HotelingGuest', userId, body: active === undefined ? { hostUserId } : { hostUserId, active } }) as RefCommand) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...HOSTS, PLAIN), fc.boolean()).map(([userId, removeGuestAssociation]) => ({ op: 'PUT HotelingHost', userId, body: { removeGuestAssociation } }) as RefCommand) },
  { weight: 3, arbitrary: fc.tuple(user, fc.constantFrom(...ACD_STATES, 'Lunch')).map(([userId, agentACDState]) => ({ op: 'PUT CallCenter', userId, body: { agentACDState } }) as RefCommand) },
  { weight: 3, arbitrary: fc.tuple(user, fc.boolean(), fc.option(fc.constantFrom('1001', '+12025550100'), { nil: undefined }))
    .map(([userId, active, n]) => ({ op: 'PUT CallForwardingAlways', userId, body: n === undefined ? { active } : { active, forwardToPhoneNumber: n } }) as RefCommand) },
);
const step = fc.oneof(
  { weight: 6, arbitrary: command.map((c) => ({ kind: 'command' as const, c })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 * 3_600_000 }).map((ms) => ({ kind: 'wait' as const, ms })) },
);

/** The reference's view of one user, and the model's, in the same words. */
function refView(w: RefWorld, userId: string): string {
  const u = w[userId]!;
  return JSON.stringify({ agent: u.agent, fwd: u.forwarding?.active ? `on→${u.forwarding.number}` : 'off', at: u.guest?.host ?? null, hosts: u.host ? guestAt(w, userId) ?? null : null });
}
function modelView(s: XspState, userId: string): string {
  const v = userView(s, userId)!;
  const isHost = s.users[userId]?.host !== undefined;
  return JSON.stringify({ agent: v.agentACDState, fwd: v.forwarding?.active ? `on→${v.forwarding.forwardToPhoneNumber}` : 'off', at: v.hotelingGuest?.hostUserId ?? null, hosts: isHost ? v.hostedGuestUserId ?? null : null });
}

describe('the simulator model follows the BroadWorks rules of DESIGN §6.2 (reference model)', () => {
  test.prop([fc.array(step, { minLength: 1, maxLength: 30 })], { numRuns: deep ? 3000 : 300 })('model and reference agree after every command', (steps) => {
    const { directory, ref: ref0 } = start();
    let model = createXsp({ directory, seed: 1, faults: 'none' });
    let ref = ref0;
    let now = 0;
    const log: string[] = [];
    for (const st of steps) {
      if (st.kind === 'wait') {
        now += st.ms;
        model = advance(model, now).state;
        ref = elapse(ref, now);
        log.push(`wait ${st.ms} ms`);
      } else {
        const { state, outcome } = execute(model, directory.adminUserId, st.c as XsiCommand, now);
        model = state;
        const next = apply(ref, st.c, now);
        const accepted = 'status' in outcome && outcome.status === 200;
        log.push(`${st.c.op} ${st.c.userId} ${JSON.stringify(st.c.body)} → model ${'status' in outcome ? outcome.status : 'error'}, reference ${next ? 200 : 'refused'}`);
        expect(accepted, `the model ${accepted ? 'accepted' : 'refused'} what the rules ${next ? 'accept' : 'refuse'}:\n${log.join('\n')}`).toBe(next !== undefined);
        if (next) ref = next;
      }
      for (const u of ALL) expect(modelView(model, u), `${u} after:\n${log.join('\n')}`).toBe(refView(ref, u));
    }
  });
});
