/**
 * "Sometimes" bookkeeping (src/explore/sometimes.ts, coverage.ts): each target is detected when it
 * happens, and an exploration that cannot reach a target names it as missing.
 */
import { describe, expect, it } from 'vitest';
import { runSchedule, type Schedule } from '../../src/schedule.js';
import { Coverage } from '../../src/explore/coverage.js';
import { Exploration } from '../../src/explore/explorer.js';
import { BRANCH_TARGETS, CRASH_TARGETS, FAULT_TARGETS, NODE_TARGETS, ORACLE_FAULT_TARGETS, ORACLE_TARGETS, missingTargets, requiredTargets, SometimesProbe } from '../../src/explore/sometimes.js';

const login = (desk: string, agent: string, wait = 0) =>
  ({ wait, kind: 'request', link: 'L1', request: { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOn', agentID: agent } }) as const;
const logout = (desk: string, wait = 0) => ({ wait, kind: 'request', link: 'L1', request: { service: 'SetAgentState', device: desk, requestedAgentState: 'loggedOff' } }) as const;

function reached(s: Schedule): Set<string> {
  const probe = new SometimesProbe();
  runSchedule(s, { probe });
  return probe.reached;
}

describe('sometimes targets are detected', () => {
  it('host sign-out skipped on a free desk, logout restores forwarding; nothing else on a quiet login/logout', () => {
    const r = reached({ seed: 1, faults: 'none', steps: [login('desk-101', 'agent-001'), logout('desk-101', 5_000)] });
    expect([...r].sort()).toEqual(['login:host-sign-out-skipped', 'logout:restore-forwarding']);
  });

  it('host sign-out taken when the desk\'s own agent is signed in', () => {
    const r = reached({ seed: 1, faults: 'none', steps: [{ wait: 0, kind: 'external', action: { kind: 'phoneSetAgentState', userId: 'desk-101@example.com', state: 'Available' } }, login('desk-101', 'agent-001', 1_000)] });
    expect(r.has('login:host-sign-out-taken')).toBe(true);
    expect(r.has('login:host-sign-out-skipped')).toBe(false);
  });

  it('move-desk, compensation, external release, expiry, channel loss and resync', () => {
    const move = reached({ seed: 1, faults: 'none', steps: [login('desk-101', 'agent-001'), login('desk-102', 'agent-001', 5_000)] });
    expect(move.has('login:move-desk')).toBe(true);
    // desk-103 taken through the portal: the login fails at the association and is undone.
    const comp = reached({ seed: 1, faults: 'none', steps: [{ wait: 0, kind: 'external', action: { kind: 'portalAssociate', guestUserId: 'agent-002@example.com', hostUserId: 'desk-103@example.com' } }, login('desk-103', 'agent-001', 1_000)] });
    expect(comp.has('login:compensation')).toBe(true);
    const rel = reached({ seed: 1, faults: 'none', steps: [login('desk-101', 'agent-001'), { wait: 5_000, kind: 'external', action: { kind: 'portalRelease', guestUserId: 'agent-001@example.com' } }] });
    expect(rel.has('external-release:cleanup')).toBe(true);
    // agent-003 is limited to one hour (scheduleDirectory).
    const exp = reached({ seed: 1, faults: 'none', steps: [login('desk-101', 'agent-003'), logout('desk-102', 2 * 3_600_000)] });
    expect(exp.has('association:expiry')).toBe(true);
    const ch = reached({ seed: 1, faults: 'none', steps: [login('desk-101', 'agent-001'), { wait: 5_000, kind: 'external', action: { kind: 'channelTerminate' } }] });
    expect(ch.has('fault:channel-terminated')).toBe(true);
    expect(ch.has('channel:resync')).toBe(true);
  });

  it('request and event faults under the hostile profile, none without faults', () => {
    const steps = Array.from({ length: 12 }, (_, i) => (i % 2 ? logout('desk-10' + (1 + (i % 3)), 200) : login('desk-10' + (1 + (i % 3)), 'agent-00' + (1 + (i % 3)), 200)));
    const quiet = reached({ seed: 1, faults: 'none', steps });
    expect(FAULT_TARGETS.filter((t) => quiet.has(t))).toEqual([]);
    const all = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) for (const t of reached({ seed, faults: 'hostile', steps })) all.add(t);
    expect(['fault:503', 'fault:500', 'fault:timeout-applied', 'fault:timeout-lost', 'fault:event-delay', 'fault:duplicate-event'].filter((t) => !all.has(t))).toEqual([]);
  });
});

describe('sometimes checks fail when a target is unreachable', () => {
  it('missingTargets names exactly the targets never counted', () => {
    const counts = new Map([['fault:503', 3], ['fault:500', 0], ['login:move-desk', 1]]);
    expect(missingTargets(counts, ['fault:503', 'fault:500', 'login:move-desk', 'association:expiry'])).toEqual(['fault:500', 'association:expiry']);
    expect(requiredTargets('none')).toEqual([...BRANCH_TARGETS, ...ORACLE_TARGETS]);
    // Hostile mixed runs a share of its worlds on two XSP nodes with node faults (explore/generate.ts).
    expect(requiredTargets('hostile')).toEqual([...FAULT_TARGETS, ...BRANCH_TARGETS, ...ORACLE_TARGETS, ...ORACLE_FAULT_TARGETS, ...CRASH_TARGETS, ...NODE_TARGETS]);
    expect(requiredTargets('hostile', 'failover')).toEqual(requiredTargets('hostile'));
    // A job outliving its response deadline needs a chain of failing steps flaky's rates all but
    // never give (seed 99: 1 flaky run in 7,589, 27 hostile runs in 500): hostile only.
    expect(requiredTargets('flaky')).toEqual([...FAULT_TARGETS, ...BRANCH_TARGETS, ...ORACLE_TARGETS]);
    expect(requiredTargets('flaky')).not.toContain('deadline:job-past-response-deadline');
    expect(requiredTargets('flaky', 'failover')).toEqual([...requiredTargets('flaky'), ...NODE_TARGETS]);
  });

  it('an exploration without external actors or faults never reaches their branches, and says so', () => {
    const ex = new Exploration({ seed: 4, faults: 'none', scenario: 'hoteling' });
    for (let i = 0; i < 60; i++) expect(ex.next().run.violations).toEqual([]);
    const missing = ex.coverage.missing(requiredTargets('hostile'));
    expect(missing).toEqual(expect.arrayContaining([...FAULT_TARGETS, 'external-release:cleanup', 'association:expiry', 'channel:resync']));
    expect(missing).not.toContain('login:move-desk');
    expect(ex.coverage.runs).toBe(60);
    expect(ex.coverage.states.size).toBeGreaterThan(10);
    expect(ex.coverage.invariantChecks).toBeGreaterThanOrEqual(60 * 9);
  });

  it('the failover exploration reaches the node-fault targets (failover mid-login, mid-logout, all nodes down then back)', () => {
    const ex = new Exploration({ seed: 1, faults: 'hostile', scenario: 'failover' });
    for (let i = 0; i < 150 && ex.coverage.missing([...NODE_TARGETS]).length > 0; i++) ex.next();
    expect(ex.coverage.missing([...NODE_TARGETS])).toEqual([]);
  });

  it('the mixed hostile exploration reaches every target within the default length', () => {
    const ex = new Exploration({ seed: 1, faults: 'hostile', scenario: 'mixed' });
    while (ex.coverage.runs < 1000 && ex.coverage.missing(requiredTargets('hostile')).length > 0) ex.next();
    expect(ex.coverage.missing(requiredTargets('hostile'))).toEqual([]);
  });

  it('Coverage counts runs per target', () => {
    const cov = new Coverage();
    const p1 = cov.probeFor();
    p1.sometimes.reached.add('fault:503');
    cov.finishRun(p1, 9);
    const p2 = cov.probeFor();
    p2.sometimes.reached.add('fault:503');
    p2.sometimes.reached.add('login:move-desk');
    cov.finishRun(p2, 11);
    expect(cov.reached.get('fault:503')).toBe(2);
    expect(cov.reached.get('login:move-desk')).toBe(1);
    expect(cov.runs).toBe(2);
    expect(cov.invariantChecks).toBe(20);
  });
});
