/**
 * Counterexample files and replay (src/explore/counterexample.ts): a schedule written as JSON
 * reads back equal, and replays to the same trace bytes (I8); bad schedule files get a specific
 * error, never a run of garbage.
 */
import { describe, expect, it } from 'vitest';
import { runSchedule, type Schedule } from '../../src/schedule.js';
import { counterexampleMarkdown, parseSchedule, scheduleToJson, traceText } from '../../src/explore/counterexample.js';
import { generateSchedule } from '../../src/explore/generate.js';

describe('replay', () => {
  it('a schedule read back from its JSON replays to the same trace, byte for byte', () => {
    for (const [seed, scenario] of [[3, 'mixed'], [17, 'mixed'], [2024, 'mixed'], [5, 'failover']] as const) {
      const s = generateSchedule(seed, 'hostile', scenario);
      const recorded = runSchedule(s).world.trace!.toJsonLines();
      const back = parseSchedule(scheduleToJson(s));
      expect(back).toEqual(s);
      expect(runSchedule(back as Schedule).world.trace!.toJsonLines()).toBe(recorded);
      expect(recorded.length).toBeGreaterThan(0);
    }
  });

  it('answers a specific error for each kind of bad schedule file', () => {
    const ok = { seed: 1, faults: 'none', steps: [{ wait: 0, kind: 'request', link: 'L1', request: { service: 'GetAgentState', device: 'desk-101' } }] };
    const err = (x: unknown) => (parseSchedule(typeof x === 'string' ? x : JSON.stringify(x)) as { error?: string }).error;
    expect(err(ok)).toBeUndefined();
    expect(err('{nope')).toMatch(/^not JSON/);
    expect(err([])).toMatch(/JSON object/);
    expect(err({ ...ok, seed: 1.5 })).toBe('seed must be an integer');
    expect(err({ ...ok, faults: 'evil' })).toBe('faults must be one of none, flaky, hostile');
    expect(err({ ...ok, steps: {} })).toBe('steps must be an array');
    expect(err({ ...ok, steps: [{ wait: -1, kind: 'request', link: 'L1', request: { service: 'X' } }] })).toBe('steps[0].wait must be a non-negative integer (ms)');
    expect(err({ ...ok, steps: [{ wait: 0, kind: 'request', link: '', request: { service: 'X' } }] })).toBe('steps[0].link must be a non-empty string');
    expect(err({ ...ok, steps: [{ wait: 0, kind: 'request', link: 'L1', request: 'X' }] })).toMatch(/steps\[0\]\.request/);
    expect(err({ ...ok, steps: [{ wait: 0, kind: 'external', action: { kind: 'meteor' } }] })).toMatch(/^steps\[0\]\.action\.kind must be one of/);
    expect(err({ ...ok, steps: [{ wait: 0, kind: 'external', action: { kind: 'portalRelease' } }] })).toBe('steps[0].action.guestUserId must be a string');
    expect(err({ ...ok, steps: [{ wait: 0, kind: 'external', action: { kind: 'phoneSetAgentState', userId: 'a@b', state: 'Asleep' } }] })).toMatch(/state must be one of/);
    expect(err({ ...ok, steps: [{ wait: 0, kind: 'teleport' }] })).toBe('steps[0].kind must be "request", "external", "node" or "crash"');
    expect(err({ ...ok, steps: [{ wait: 0, kind: 'node', node: 0, change: 'explode' }] })).toBe('steps[0].change must be one of down, partition, slow, up');
    expect(err({ ...ok, steps: [{ wait: 0, kind: 'node', node: -1, change: 'down' }] })).toBe('steps[0].node must be an integer from 0 to 15');
    expect(err({ ...ok, nodes: 0 })).toBe('nodes must be an integer from 1 to 16');
  });

  it('renders counterexample.md with the violations, the schedule and a Mermaid diagram of the trace', () => {
    const s = generateSchedule(8, 'none');
    const run = runSchedule(s);
    const md = counterexampleMarkdown({
      schedule: s, violations: [{ invariant: 'I3', message: 'planted' }], trace: run.world.trace!.entries, originalSteps: 9, replayCommand: 'pnpm explore --replay 8:x.json',
    });
    expect(md).toContain('- **I3**: planted');
    expect(md).toContain('```mermaid\nsequenceDiagram');
    expect(md).toContain('pnpm explore --replay 8:x.json');
    expect(md).toContain(`Shrunk from 9 to ${s.steps.length} step(s)`);
    expect(md.match(/^  (csta|connector|xsp)-/gm)?.length).toBe(run.world.trace!.entries.length);
    expect(traceText(run.world.trace!.entries).split('\n').length - 1).toBe(run.world.trace!.entries.length);
  });
});
