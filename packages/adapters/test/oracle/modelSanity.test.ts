/** M1: the simulator's two sides of an association must agree; a slip is named as the model's. */
import { describe, expect, it } from 'vitest';
import { createXsp, defaultDirectory, execute } from '@csta-bw/xsp-sim';
import { modelInconsistencies } from '../../src/oracle/modelSanity.js';
import { runSchedule } from '../../src/schedule.js';

const A1 = 'agent-001@example.com';
const A2 = 'agent-002@example.com';
const D1 = 'desk-101@example.com';

describe('M1 simulator consistency', () => {
  it('a consistent model has nothing to report, associations included', () => {
    const s0 = createXsp({ directory: defaultDirectory(), seed: 1, faults: 'none' });
    const { state } = execute(s0, 'admin@example.com', { op: 'PUT HotelingGuest', userId: A1, body: { hostUserId: D1 } }, 0);
    expect(state.users[A1]?.guest?.hostUserId).toBe(D1);
    expect(modelInconsistencies(state)).toEqual([]);
  });

  it('names a desk handed to a second guest, and a side that does not match', () => {
    const s0 = createXsp({ directory: defaultDirectory(), seed: 1, faults: 'none' });
    const { state } = execute(s0, 'admin@example.com', { op: 'PUT HotelingGuest', userId: A1, body: { hostUserId: D1 } }, 0);
    // What a model that forgot "H hosts no other guest" would leave behind.
    const broken = structuredClone(state);
    broken.users[A2]!.guest!.hostUserId = D1;
    expect(modelInconsistencies(broken)).toEqual([
      `${A2} is associated with ${D1}, but ${D1} hosts ${A1}`,
      `${D1} hosts 2 guests at once: ${A1}, ${A2}`,
    ]);
  });

  it('runSchedule reports it under M1 with the instant', () => {
    const run = runSchedule({ seed: 1, faults: 'none', steps: [{ wait: 0, kind: 'request', link: 'L1', request: { service: 'GetAgentState', device: 'desk-101' } }] });
    expect(run.violations.filter((v) => v.invariant === 'M1')).toEqual([]);
  });
});
