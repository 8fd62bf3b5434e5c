import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  ackEvent, advance, applyExternal, createXsp, defaultDirectory, type Delivery, drawExternalAction, nextDueAt, openChannel,
  setFaultProfile, submit, userView, XSP_ERRORS, type XspState,
} from '../../src/index.js';
import { ADMIN, agent, fresh, run, SET, withChannel } from './helpers.js';

/** Advances to `now`, acking every delivered event at once, and appends the deliveries to `log`. */
function step(s: XspState, now: number, log: Delivery[]): XspState {
  const r = advance(s, now);
  log.push(...r.deliveries);
  let state = r.state;
  for (const d of r.deliveries) if (d.kind === 'event') state = ackEvent(state, d.channelId, d.event.eventId, 200, now);
  return state;
}

describe('submit', () => {
  it('under `none`: executes after 5 ms and answers at that instant, in order', () => {
    let s = submit(fresh(), { requestId: 1, asUser: ADMIN, command: { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } } }, 100);
    s = submit(s, { requestId: 2, asUser: ADMIN, command: { op: 'GET CallCenter', userId: agent(1) } }, 100);
    expect(advance(s, 104).deliveries).toEqual([]);
    expect(userView(s, agent(1))?.agentACDState).toBe('Sign-Out');
    const out = advance(s, 105);
    expect(out.deliveries).toEqual([
      { kind: 'result', requestId: 1, outcome: { status: 200 } },
      { kind: 'result', requestId: 2, outcome: { status: 200, body: { kind: 'CallCenter', agentACDState: 'Available' } } },
    ]);
  });

  it('under `hostile`: 503/500 are not applied, timeouts are applied or not, answers come within the latency bound', () => {
    const seen = { ok: 0, e503: 0, e500: 0, timeoutApplied: 0, timeoutLost: 0 };
    for (let seed = 1; seed <= 20; seed++) {
      let s = createXsp({ directory: defaultDirectory(), seed, faults: 'hostile' });
      for (let i = 1; i <= 50; i++) {
        s = submit(s, { requestId: i, asUser: ADMIN, command: { op: 'PUT CallCenter', userId: agent(i), body: { agentACDState: 'Available' } } }, 0);
      }
      const out = advance(s, 2_000);
      const answered = new Map(out.deliveries.flatMap((d) => (d.kind === 'result' ? [[d.requestId, d.outcome] as const] : [])));
      for (let i = 1; i <= 50; i++) {
        const applied = userView(out.state, agent(i))?.agentACDState === 'Available';
        const o = answered.get(i);
        if (o === undefined) {
          if (applied) seen.timeoutApplied++;
          else seen.timeoutLost++;
        } else if ('status' in o && o.status === 200) {
          expect(applied).toBe(true);
          seen.ok++;
        } else {
          expect(applied).toBe(false);
          const code = 'status' in o && o.body?.kind === 'ErrorInfo' ? o.body.error.errorCode : undefined;
          if ('status' in o && o.status === 503) {
            expect(code).toBe(XSP_ERRORS.SERVICE_UNAVAILABLE.code);
            seen.e503++;
          } else {
            expect(o).toMatchObject({ status: 500 });
            seen.e500++;
          }
        }
      }
    }
    for (const [kind, n] of Object.entries(seen)) expect(n, kind).toBeGreaterThan(0);
    expect(seen.ok).toBeGreaterThan(600); // ~80 % of 1000
  });
});

describe('per-user order', () => {
  const STATES = ['Available', 'Unavailable', 'Wrap-Up', 'Sign-Out'] as const;
  const USERS = [1, 2, 3, 4];

  test.prop(
    [fc.array(fc.record({ user: fc.constantFrom(...USERS), state: fc.constantFrom(...STATES), gap: fc.integer({ min: 0, max: 300 }) }), { minLength: 1, maxLength: 40 })],
    { numRuns: 200 },
  )('is kept under hostile event delays and duplicates', (changes) => {
    let { state: s } = withChannel(fresh());
    for (const u of USERS) s = run(s, { op: 'SUBSCRIBE', userId: agent(u), packages: ['Call Center Agent'] }).state;
    const log: Delivery[] = [];
    s = step(s, 0, log);
    s = setFaultProfile(s, 'hostile');
    const expected = new Map<string, string[]>(USERS.map((u) => [agent(u), []]));
    const current = new Map<string, string>(USERS.map((u) => [agent(u), 'Sign-Out']));
    let now = 0;
    for (const c of changes) {
      now += c.gap;
      s = step(s, now, log);
      const id = agent(c.user);
      s = applyExternal(s, { kind: 'phoneSetAgentState', userId: id, state: c.state }, now).state;
      if (current.get(id) !== c.state) expected.get(id)?.push(c.state);
      current.set(id, c.state);
    }
    s = step(s, now + 5_000, log);
    for (const u of USERS) {
      const seenIds = new Set<string>();
      const firsts = log.flatMap((d) => {
        if (d.kind !== 'event' || d.event.targetId !== agent(u) || d.event.type !== 'AgentStateEvent' || seenIds.has(d.event.eventId)) return [];
        seenIds.add(d.event.eventId);
        return [d.event];
      });
      expect(firsts.map((e) => e.type === 'AgentStateEvent' && e.state)).toEqual(expected.get(agent(u)));
      const seqs = firsts.map((e) => e.sequenceNumber);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
  });

  it('events about different users do get reordered, and duplicated, under hostile', () => {
    let { state: s } = withChannel(fresh());
    for (const u of USERS) s = run(s, { op: 'SUBSCRIBE', userId: agent(u), packages: ['Call Center Agent'] }).state;
    const log: Delivery[] = [];
    s = step(s, 0, log);
    s = setFaultProfile(s, 'hostile');
    log.length = 0;
    const emitted: string[] = [];
    for (let i = 0; i < 60; i++) {
      const id = agent(USERS[i % 4] as number);
      s = applyExternal(s, { kind: 'phoneSetAgentState', userId: id, state: STATES[Math.floor(i / 4) % 4] as (typeof STATES)[number] }, i).state;
      emitted.push(id);
    }
    s = step(s, 10_000, log);
    const ids = log.flatMap((d) => (d.kind === 'event' ? [d.event.eventId] : []));
    const targets = log.flatMap((d) => (d.kind === 'event' ? [d.event.targetId] : []));
    expect(new Set(ids).size).toBeLessThan(ids.length); // duplicates
    expect(targets.slice(0, emitted.length)).not.toEqual(emitted); // cross-user reordering
  });
});

describe('determinism', () => {
  /** A scripted hostile run: submits, external actions, channel, acks. */
  function scenario(seed: number): { deliveries: Delivery[]; state: XspState } {
    let s = createXsp({ directory: defaultDirectory(), seed, faults: 'hostile' });
    const ch = openChannel(s, { asUser: ADMIN, channelSetId: SET }, 0);
    if (!('state' in ch)) throw new Error('refused');
    s = ch.state;
    const log: Delivery[] = [];
    let id = 0;
    for (const u of [1, 2, 3]) s = submit(s, { requestId: ++id, asUser: ADMIN, channelSetId: SET, command: { op: 'SUBSCRIBE', userId: agent(u), packages: ['Call Center Agent', 'Hoteling Guest'] } }, 0);
    let nextExternal = drawExternalAction(s, 0);
    for (let now = 0; now <= 60_000; now += 250) {
      if (nextExternal && nextExternal.at <= now) {
        s = applyExternal(nextExternal.state, nextExternal.action, now).state;
        nextExternal = drawExternalAction(s, now);
      }
      if (now % 1_000 === 0) {
        s = submit(s, { requestId: ++id, asUser: ADMIN, command: { op: 'PUT HotelingGuest', userId: agent(1 + (now / 1_000) % 3), body: { hostUserId: `desk-${101 + (now / 1_000) % 2}@example.com` } } }, now);
      }
      s = step(s, now, log);
    }
    return { deliveries: log, state: s };
  }

  it('same seed + same calls → identical deliveries and state (JSON-equal)', () => {
    const a = scenario(42);
    const b = scenario(42);
    expect(a.deliveries.length).toBeGreaterThan(10);
    expect(JSON.stringify(a.deliveries)).toBe(JSON.stringify(b.deliveries));
    expect(JSON.stringify(a.state)).toBe(JSON.stringify(b.state));
    expect(JSON.parse(JSON.stringify(a.state))).toEqual(a.state); // plain data
  });

  it('another seed → another run', () => {
    expect(JSON.stringify(scenario(43).deliveries)).not.toBe(JSON.stringify(scenario(42).deliveries));
  });

  it('nextDueAt is undefined once nothing is scheduled', () => {
    expect(nextDueAt(fresh())).toBeUndefined();
  });
});
