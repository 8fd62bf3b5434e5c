/**
 * The shrinker (src/explore/shrink.ts) on planted failures: a synthetic predicate, and a real run
 * whose "bug" is an observable outcome of the world (desk-101 ends up forwarded).
 */
import { describe, expect, it } from 'vitest';
import { userView } from '@csta-bw/xsp-sim';
import { runSchedule, type Schedule, type ScheduleStep } from '../../src/schedule.js';
import { shrinkSchedule } from '../../src/explore/shrink.js';
import { generateSchedule } from '../../src/explore/generate.js';

const login = (desk: string, agent: string, wait = 300): ScheduleStep =>
  ({ wait, kind: 'request', link: 'L1', request: { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOn', agentID: agent } });
const ext = (wait: number): ScheduleStep => ({ wait, kind: 'external', action: { kind: 'phoneSetAgentState', userId: 'desk-103@example.com', state: 'Available' } });

describe('shrinkSchedule', () => {
  it('reduces a planted two-step failure to exactly those two steps, with zero waits and no faults', () => {
    const noise = generateSchedule(99, 'hostile').steps;
    const culprit1 = login('desk-101', 'agent-001', 4000);
    const culprit2: ScheduleStep = { wait: 2500, kind: 'external', action: { kind: 'portalRelease', guestUserId: 'agent-001@example.com' } };
    const planted: Schedule = { seed: 5, faults: 'hostile', steps: [...noise.slice(0, 4), culprit1, ...noise.slice(4), culprit2, ext(10)] };
    // The "bug": a login at desk-101 followed, later, by a portal release of its agent.
    const fails = (s: Schedule) => {
      const i = s.steps.findIndex((x) => x.kind === 'request' && x.request.service === 'SetAgentState' && 'device' in x.request && x.request.device === 'desk-101');
      return i >= 0 && s.steps.slice(i + 1).some((x) => x.kind === 'external' && x.action.kind === 'portalRelease');
    };
    expect(fails(planted)).toBe(true);
    const { schedule, tried } = shrinkSchedule(planted, fails);
    expect(schedule.steps).toEqual([{ ...culprit1, wait: 0 }, { ...culprit2, wait: 0 }]);
    expect(schedule.faults).toBe('none');
    expect(schedule.seed).toBe(5);
    expect(tried).toBeGreaterThan(0);
  });

  it('shrinks a real run to the one step that causes the planted outcome', () => {
    // Planted "bug": desk-101 is forwarded once the world is quiet.
    const fails = (s: Schedule) => userView(runSchedule(s).world.xsp, 'desk-101@example.com')?.forwarding?.active === true;
    const planted: Schedule = {
      seed: 11, faults: 'none', // no faults: the planted outcome must not hang on a fault draw
      steps: [ext(100), login('desk-102', 'agent-002', 50), login('desk-101', 'agent-001', 700), ext(20), login('desk-103', 'agent-003', 3000)],
    };
    expect(fails(planted)).toBe(true);
    const { schedule } = shrinkSchedule(planted, fails);
    expect(schedule.steps).toEqual([login('desk-101', 'agent-001', 0)]);
    expect(schedule.faults).toBe('none');
    expect(fails(schedule)).toBe(true);
  });

  it('respects its run budget and returns the original when nothing smaller fails', () => {
    const s: Schedule = { seed: 1, faults: 'none', steps: [login('desk-101', 'agent-001', 0)] };
    const r = shrinkSchedule(s, () => false, 3);
    expect(r.schedule).toBe(s);
    expect(r.tried).toBeLessThanOrEqual(3);
    expect(r.accepted).toBe(0);
  });
});
