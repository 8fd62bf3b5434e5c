/**
 * Property tests with several XSPs (issue 15): the hostile schedules of invariants.property.test.ts
 * on two XSP nodes, with node faults woven in anywhere — a node crashing, partitioned away or going
 * slow, mid-saga, coming back later or only when faults stop, both down at once. Every invariant
 * of DESIGN §5 (and the oracle's) must hold after convergence; a login in flight when its XSP dies
 * finishes or rolls back through the other (I3/I5 judge it). The counterexamples it found are
 * replayed at the end: those fixed as regressions, those still open with `it.fails`
 * (docs/redundancy.md, "What csta-bw cannot do").
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { describeSchedule, NODE_CHANGES, runSchedule, type NodeChange, type Schedule, type ScheduleStep } from '../src/schedule.js';
import { parseSchedule } from '../src/explore/counterexample.js';
import { schedule } from './arbitraries.js';

const deep = process.env.CSTA_BW_DEEP === '1';
const params = (runs: number) => ({ numRuns: deep ? runs * 10 : runs });

/** A node fault to weave in before step `at` (modulo the schedule's length). */
const nodeStep = (changes: readonly NodeChange[]) => fc.record({
  at: fc.nat(),
  wait: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 400 }) }, { weight: 1, arbitrary: fc.integer({ min: 400, max: 8_000 }) }),
  node: fc.integer({ min: 0, max: 1 }),
  change: fc.constantFrom(...changes),
});

/**
 * Node faults woven into a hostile schedule. `oneAtATime`: a fault on one node is dropped while the
 * other is faulted — some XSP always answers, the case redundancy is for.
 */
const clusterSchedule = (oneAtATime: boolean, changes: readonly NodeChange[] = NODE_CHANGES): fc.Arbitrary<Schedule> => fc.tuple(schedule(fc.constant('hostile')), fc.array(nodeStep(changes), { minLength: 1, maxLength: 8 }))
  .map(([s, faults]) => {
    const steps: ScheduleStep[] = [...s.steps];
    for (const f of faults) steps.splice(f.at % (steps.length + 1), 0, { wait: f.wait, kind: 'node', node: f.node, change: f.change });
    if (!oneAtATime) return { ...s, nodes: 2, steps };
    const faulted = new Set<number>();
    const kept = steps.filter((st) => {
      if (st.kind !== 'node') return true;
      if (st.change === 'up') return faulted.delete(st.node) || true;
      if (faulted.size > 0 && !faulted.has(st.node)) return false;
      faulted.add(st.node);
      return true;
    });
    return { ...s, nodes: 2, steps: kept };
  });

function explain(s: Schedule, run: ReturnType<typeof runSchedule>): string {
  const trace = run.world.trace?.toJsonLines().split('\n').filter((l) => !/"msg":"(GET |SUBSCRIBE)|"op":"(GET |SUBSCRIBE)/.test(l)) ?? [];
  return [
    'Invariant violated:',
    ...run.violations.map((v) => `  ${v.invariant}: ${v.message}`),
    'Schedule:', describeSchedule(s),
    `Replay: ${JSON.stringify(s)}`,
    `Trace (${trace.length} lines without reads):`, ...trace.slice(-120),
  ].join('\n');
}

describe('DESIGN §5 invariants with XSP nodes failing', () => {
  const holds = (s: Schedule): void => {
    const run = runSchedule(s);
    if (run.violations.length > 0) throw new Error(explain(s, run));
    expect(run.quiet).toBe(true);
  };

  test.prop([clusterSchedule(false, ['down', 'up'])], params(1000))('I1–I7, I9–I12 and M1 hold when XSPs crash mid-saga — one, or all at once — and come back', holds);
  test.prop([clusterSchedule(true, ['partition', 'up'])], params(400))('… when an XSP is partitioned away mid-saga while the other answers', holds);
  test.prop([clusterSchedule(true, ['slow', 'up'])], params(400))('… when an XSP goes slow mid-saga while the other answers', holds);

  // Found by these faults (shrunk, kept as found; the first by `pnpm explore --scenario failover`),
  // fixed in the connector core (the last, a logout's order judged on another desk, in the oracle):
  // each needed an XSP whose outcome stays unknown — lost with its node, behind a partition, or
  // applied after the step deadline (docs/redundancy.md).
  const replays = (_why: string, json: string) => {
    const s = parseSchedule(json);
    if ('error' in s) throw new Error(s.error);
    expect(runSchedule(s).violations).toEqual([]);
  };
  it.each([
    ['I7, both XSPs crash while a login\'s PUT HotelingGuest is in flight and was applied: the undo\'s release goes unanswered, so the forwarding restore waits behind it as owed work (HotelingLogin R4)',
      '{"seed":287933263,"faults":"hostile","nodes":2,"steps":[{"wait":175,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-003"}},{"wait":7200000,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-003"}},{"wait":150,"kind":"node","node":0,"change":"down"},{"wait":317,"kind":"node","node":1,"change":"down"},{"wait":28125,"kind":"external","action":{"kind":"setForwarding","userId":"desk-103@example.com","active":false,"forwardToPhoneNumber":"9999"}}]}'],
    ['I11, every XSP partitioned away for hours (one XSP alone does the same): repair jobs end by their deadline, their steps owed (no retry past the deadline; a round ends at its first unanswered step)',
      '{"seed":1,"faults":"hostile","start":[],"steps":[{"wait":0,"kind":"node","node":0,"change":"partition"},{"wait":0,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":7200000,"kind":"request","link":"L1","request":{"service":"GetAgentState","device":"desk-101"}},{"wait":0,"kind":"node","node":1,"change":"partition"},{"wait":0,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":0,"kind":"request","link":"L1","request":{"service":"GetAgentState","device":"desk-101"}},{"wait":7200000,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":7200000,"kind":"request","link":"L1","request":{"service":"SetForwarding","device":"desk-101","forwardingType":"forwardImmediate","activateForward":false,"forwardDN":"9999"}}],"nodes":2}'],
    ['I2, an XSP slower than the step deadline (4 s plus the profile\'s latency) applies a timed-out PUT CallForwardingAlways after the logout that followed: the late landing is put back, no dangling forward (core writes.ts, late landings)',
      '{"seed":1302550139,"faults":"hostile","start":[],"steps":[{"wait":300,"kind":"external","action":{"kind":"setForwarding","userId":"desk-101@example.com","active":false,"forwardToPhoneNumber":"9999"}},{"wait":0,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":300,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":0,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOff"}},{"wait":300,"kind":"request","link":"L1","request":{"service":"SetForwarding","device":"desk-101","forwardingType":"forwardImmediate","activateForward":false,"forwardDN":"9999"}},{"wait":0,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":857,"kind":"request","link":"L1","request":{"service":"SetForwarding","device":"desk-101","forwardingType":"forwardImmediate","activateForward":false,"forwardDN":"9999"}},{"wait":44,"kind":"node","node":1,"change":"slow","latencyMs":4000},{"wait":3491,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOff"}},{"wait":8,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-001"}}],"nodes":2}'],
    ['I7, every XSP down for minutes after a login\'s PUT HotelingGuest died with its node: the login is undone as owed work (release, then restore the desk), and a logout naming the agent that arrives as the XSPs return waits for it — that release, before the desk\'s forward is restored, is the undo\'s (4.4 order), not the logout\'s: the I7 oracle judges a logout\'s release only from its own desk (found by `pnpm explore --scenario failover`)',
      '{"seed":2685448087,"faults":"hostile","nodes":2,"steps":[{"wait":0,"kind":"external","action":{"kind":"channelTerminate"}},{"wait":2842,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":48,"kind":"node","node":1,"change":"down"},{"wait":192,"kind":"external","action":{"kind":"setForwarding","userId":"desk-102@example.com","active":false,"forwardToPhoneNumber":"9999"}},{"wait":699,"kind":"request","link":"L1","request":{"service":"GetAgentState","device":"desk-103"}},{"wait":690,"kind":"node","node":1,"change":"up"},{"wait":385,"kind":"node","node":0,"change":"down"},{"wait":0,"kind":"node","node":1,"change":"down"},{"wait":225000,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOff","agentID":"agent-001"}}]}'],
    ['I9 (fixed: a desk logout reads the guest of any saved pairing first), a connector crash right after an XSP partition swallowed the answer to a logout\'s PUT CallCenter (applied): the restarted connector answers a second logout of the desk positively — having read only the desk — before it has settled the saved pairing, so the desk still forwards to the agent when the logout is answered (found by `pnpm explore --scenario failover`; a crash core bug — with one XSP the same partition does it)',
      '{"seed":1211913301,"faults":"none","nodes":2,"steps":[{"wait":0,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":27,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"loggedOff","agentID":"agent-001"}},{"wait":0,"kind":"node","node":0,"change":"partition"},{"wait":0,"kind":"crash","cut":6},{"wait":9,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"loggedOff"}}]}'],
    ['I2 (fixed: a login again adopts the undo the restart owed), a connector crash while an agent seated at one desk is moving to another (its Sign-Out answered 500): the restarted connector answers a re-login at the first desk as done, the portal then force-releases that desk, and its forward to the agent stays (two XSPs, no node fault: the second channel changes the interleaving; a crash core bug, for C1; found by `pnpm explore --faults hostile`)',
      '{"seed":1549816519,"faults":"hostile","nodes":2,"steps":[{"wait":245,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":7200000,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":0,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":502,"kind":"crash","cut":3},{"wait":256,"kind":"node","node":0,"change":"up"},{"wait":415,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":1345,"kind":"external","action":{"kind":"hostForceRelease","hostUserId":"desk-103@example.com"}}]}'],
  ])('%s', replays);

  // Limits these faults exposed, still open.
  it.fails.each([
    ['I2, a logout\'s PUT CallForwardingAlways (restore, off) applied but its answer lost with its node, both XSPs down a moment: after the resync the logout releases the agent, answers, and then the connector PUTs the desk\'s forward to the agent back — its own applied restore taken for a late landing? (for C3, writes ledger; found by `pnpm explore --scenario failover --faults flaky`, no crash)',
      '{"seed":876597761,"faults":"flaky","nodes":2,"steps":[{"wait":131,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOff","agentID":"agent-002"}},{"wait":0,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-003"}},{"wait":0,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"loggedOn","agentID":"agent-003"}},{"wait":7200000,"kind":"external","action":{"kind":"setForwarding","userId":"desk-103@example.com","active":false,"forwardToPhoneNumber":"9999"}},{"wait":0,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOn","agentID":"agent-002"}},{"wait":0,"kind":"node","node":1,"change":"down"},{"wait":5344,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOff"}},{"wait":1069,"kind":"node","node":1,"change":"up"},{"wait":0,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOn","agentID":"agent-002"}},{"wait":196,"kind":"node","node":0,"change":"slow"},{"wait":0,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOff","agentID":"agent-002"}},{"wait":2385,"kind":"node","node":0,"change":"up"},{"wait":303,"kind":"node","node":0,"change":"down"},{"wait":235,"kind":"node","node":1,"change":"down"},{"wait":571,"kind":"node","node":0,"change":"up"},{"wait":1382,"kind":"node","node":1,"change":"up"},{"wait":1786,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":2925,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOff"}},{"wait":375,"kind":"node","node":0,"change":"down"},{"wait":0,"kind":"node","node":1,"change":"down"}]}'],
    ['I5, every XSP down for an hour while the desk forwards to an earlier agent whose association expires meanwhile: a later login at the desk fails, and the desk\'s forward to that earlier agent is gone (cleaned up, as I2 wants) where I5 expects the desk as it was — oracle vs cleanup since 9ea5c74 (for C2; one XSP down does the same; found by `pnpm explore --scenario failover`)',
      '{"seed":2000787562,"faults":"none","nodes":2,"steps":[{"wait":0,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOn","agentID":"agent-003"}},{"wait":30,"kind":"node","node":0,"change":"up"},{"wait":0,"kind":"node","node":0,"change":"down"},{"wait":0,"kind":"node","node":1,"change":"down"},{"wait":3600000,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOn","agentID":"agent-001"}}]}'],
    ['I7, both XSPs down for minutes after a login\'s association PUT died with its node: a login of the same agent at another desk (a move) carries out the owed undo — release, then the desk\'s restore — where the oracle judges a move\'s order (release last); the sibling of the I7 logout case above (for C3; found by `pnpm explore --scenario failover --faults flaky`)',
      '{"seed":2101218406,"faults":"flaky","nodes":2,"steps":[{"wait":0,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"loggedOn","agentID":"agent-002"}},{"wait":112,"kind":"node","node":0,"change":"down"},{"wait":387,"kind":"node","node":1,"change":"down"},{"wait":225000,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-002"}}]}'],
  ])('%s', replays);
});
