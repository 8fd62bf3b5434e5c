/**
 * Starting worlds (issue 16, blind spot 2): drawn from the run seed, applied to the directory the
 * simulator starts from, carried in schedule.json, shrunk fact by fact.
 */
import { describe, expect, it } from 'vitest';
import { userView } from '@csta-bw/xsp-sim';
import { parseSchedule, scheduleToJson } from '../../src/explore/counterexample.js';
import { generateSchedule, runSeed } from '../../src/explore/generate.js';
import { shrinkSchedule } from '../../src/explore/shrink.js';
import { applyStart, type StartFact } from '../../src/explore/startingWorld.js';
import { runSchedule, scheduleDirectory, type Schedule } from '../../src/schedule.js';
import { VirtualWorld } from '../../src/virtualWorld.js';

const D1 = 'desk-101@example.com';
const D2 = 'desk-102@example.com';
const A1 = 'agent-001@example.com';
const A2 = 'agent-002@example.com';

describe('starting worlds', () => {
  it('most runs start from desks that are not blank, reproducibly from the run seed', () => {
    const runs = Array.from({ length: 200 }, (_, i) => generateSchedule(runSeed(3, i), 'hostile'));
    const kinds = new Set(runs.flatMap((s) => (s.start ?? []).map((f) => f.kind)));
    expect([...kinds].sort()).toEqual(['agentState', 'associated', 'doNotDisturb', 'forwarded', 'guestLimit', 'hostLimit', 'noExtension']);
    expect(runs.filter((s) => s.start !== undefined).length).toBeGreaterThan(100);
    expect(generateSchedule(runSeed(3, 5), 'hostile')).toEqual(runs[5]);
  });

  it('applies each fact to the simulator the connector starts against', () => {
    const facts: StartFact[] = [
      { kind: 'forwarded', userId: D1, to: '9999', ringSplash: true },
      { kind: 'agentState', userId: D2, state: 'Wrap-Up' },
      { kind: 'associated', guestUserId: A1, hostUserId: D2 },
      { kind: 'associated', guestUserId: A2, hostUserId: D2 }, // the desk is taken: skipped
      { kind: 'hostLimit', hostUserId: D1, hours: 2 },
      { kind: 'noExtension', userId: A2, number: '+12025550002' },
      { kind: 'doNotDisturb', userId: A1 },
    ];
    const w = new VirtualWorld({ directory: applyStart(scheduleDirectory(), facts), trace: false });
    expect(userView(w.xsp, D1)?.forwarding).toEqual({ active: true, forwardToPhoneNumber: '9999', ringSplash: true });
    expect(userView(w.xsp, D2)?.agentACDState).toBe('Wrap-Up');
    expect(userView(w.xsp, D2)?.hostedGuestUserId).toBe(A1);
    expect(userView(w.xsp, A2)?.hotelingGuest?.hostUserId).toBeUndefined();
    expect(userView(w.xsp, A1)?.doNotDisturb?.active).toBe(true);
    expect(w.xsp.users[D1]?.host).toMatchObject({ enforceAssociationLimit: true, associationLimitHours: 2 });
    expect(w.xsp.users[A2]).toMatchObject({ number: '+12025550002' });
    expect(w.xsp.users[A2]?.extension).toBeUndefined();
    // The provisioned directory itself is left alone.
    expect(scheduleDirectory().users.find((u) => u.userId === D1)?.forwarding?.active).toBe(false);
  });

  it('travels in schedule.json, and a bad fact is named', () => {
    const s = generateSchedule(runSeed(3, 1), 'hostile');
    const withStart: Schedule = { ...s, start: [{ kind: 'forwarded', userId: D1, to: '9999', ringSplash: false }] };
    expect(parseSchedule(scheduleToJson(withStart))).toEqual(withStart);
    expect(parseSchedule(JSON.stringify({ ...withStart, start: [{ kind: 'hostLimit', hostUserId: D1, hours: 0 }] }))).toEqual({ error: 'start[0].hours must be an integer 1..999' });
    expect(parseSchedule(JSON.stringify({ ...withStart, start: [{ kind: 'teleport' }] }))).toMatchObject({ error: expect.stringContaining('start[0].kind must be one of') });
    expect(parseSchedule(JSON.stringify({ ...withStart, start: {} }))).toEqual({ error: 'start must be an array of starting facts' });
  });

  it('the shrinker drops starting facts the failure does not need', () => {
    const s: Schedule = {
      seed: 1, faults: 'none',
      start: [{ kind: 'doNotDisturb', userId: A1 }, { kind: 'forwarded', userId: D1, to: '9999', ringSplash: true }, { kind: 'agentState', userId: D2, state: 'Available' }],
      steps: [{ wait: 0, kind: 'request', link: 'L1', request: { service: 'GetAgentState', device: 'desk-101' } }],
    };
    // "Fails" while desk-101 starts forwarded.
    const fails = (c: Schedule) => (c.start ?? []).some((f) => f.kind === 'forwarded');
    expect(shrinkSchedule(s, fails).schedule.start).toEqual([{ kind: 'forwarded', userId: D1, to: '9999', ringSplash: true }]);
  });

  it('a run starts from its facts: the connector sees the desk forwarded before anything happens', () => {
    const run = runSchedule({ seed: 1, faults: 'none', start: [{ kind: 'forwarded', userId: D1, to: '9999', ringSplash: false }],
      steps: [{ wait: 0, kind: 'request', link: 'L1', request: { service: 'GetForwarding', device: 'desk-101' } }] });
    expect(run.violations).toEqual([]);
    const answer = run.world.answers.find((a) => a.kind === 'response' && a.response.service === 'GetForwardingResponse');
    expect(answer).toMatchObject({ response: { forwardingList: [{ forwardStatus: true, forwardDN: '9999' }] } });
  });
});
