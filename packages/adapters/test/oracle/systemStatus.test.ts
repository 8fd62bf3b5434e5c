/**
 * I12 (src/oracle/systemStatus.ts): SystemStatus follows the event channel as the binding reported
 * it — judged on stub worlds, and on the explorer's counterexample where a channel came up and
 * went again within one instant (two XSP nodes).
 */
import { describe, expect, it } from 'vitest';
import { checkSystemStatus } from '../../src/oracle/systemStatus.js';
import { runSchedule, type Schedule } from '../../src/schedule.js';
import type { VirtualWorld } from '../../src/virtualWorld.js';

type Stub = Pick<VirtualWorld, 'channelLog' | 'systemStatus' | 'crashes'> & { requests: Map<string, { link: string; at: number }> };
const world = (s: Partial<Stub>) => ({ channelLog: [], systemStatus: [], crashes: [], requests: new Map([['L1#1', { link: 'L1', at: 0 }]]), ...s }) as unknown as VirtualWorld;

describe('I12 SystemStatus follows the event channel', () => {
  it('a channel back and lost again at one instant: normal then disabled at that instant is the truth, in order', () => {
    const w = world({
      channelLog: [{ at: 0, status: 'up' }, { at: 600, status: 'lost' }, { at: 1000, status: 'up' }, { at: 1000, status: 'lost' }, { at: 2000, status: 'up' }],
      systemStatus: [{ at: 600, link: 'L1', status: 'disabled' }, { at: 1000, link: 'L1', status: 'normal' }, { at: 1000, link: 'L1', status: 'disabled' }, { at: 2000, link: 'L1', status: 'normal' }],
    });
    expect(checkSystemStatus(w, true)).toEqual([]);
  });

  it('still catches a normal told while the channel is lost all that instant', () => {
    const w = world({
      channelLog: [{ at: 0, status: 'up' }, { at: 600, status: 'lost' }, { at: 2000, status: 'up' }],
      systemStatus: [{ at: 600, link: 'L1', status: 'disabled' }, { at: 1000, link: 'L1', status: 'normal' }, { at: 2000, link: 'L1', status: 'normal' }],
    });
    expect(checkSystemStatus(w, true).map((v) => v.message)).toContain('L1 told normal at 1000 ms while the event channel was lost');
  });

  it('a link that first spoke to a restarted process before its first channel up was answered disabled: normal at that up is owed, not a violation', () => {
    const w = world({
      channelLog: [{ at: 0, status: 'up' }, { at: 3000, status: 'up' }],
      crashes: [{ at: 1000, sagas: [] }],
      requests: new Map([['L1#1', { link: 'L1', at: 0 }], ['L1~1#1', { link: 'L1~1', at: 2000 }], ['L2#1', { link: 'L2', at: 2500 }], ['L3#1', { link: 'L3', at: 3200 }]]),
      systemStatus: [{ at: 3000, link: 'L1~1', status: 'normal' }, { at: 3000, link: 'L2', status: 'normal' }],
    });
    expect(checkSystemStatus(w, true)).toEqual([]);
    // A link that spoke once that process's channel was up was told nothing of an outage.
    const late = world({ ...w, systemStatus: [{ at: 3500, link: 'L3', status: 'normal' }] } as Partial<Stub>);
    expect(checkSystemStatus(late, true).map((v) => v.message)).toEqual(['L3 told normal at 3500 ms without having been told disabled']);
  });

  it('a channel back and lost again at one instant: the "back" owed after that loss is the next up, not the up just before it', () => {
    // pnpm explore --replay 1505972923 (a crash at 864 ms, L1~1 first speaks at 961 ms during the
    // outage, the channel up and terminated at 1000 ms, up again at 1864 ms): L1~1 hears disabled at
    // 1000 and normal at 1864 — the up at 1000 came before that loss, so it does not end it.
    const w = world({
      channelLog: [{ at: 0, status: 'up' }, { at: 0, status: 'lost' }, { at: 1000, status: 'up' }, { at: 1000, status: 'lost' }, { at: 1864, status: 'up' }],
      crashes: [{ at: 864, sagas: [] }],
      requests: new Map([['L1#1', { link: 'L1', at: 0 }], ['L1~1#1', { link: 'L1~1', at: 961 }]]),
      systemStatus: [{ at: 0, link: 'L1', status: 'disabled' }, { at: 1000, link: 'L1~1', status: 'disabled' }, { at: 1864, link: 'L1~1', status: 'normal' }],
    });
    expect(checkSystemStatus(w, true)).toEqual([]);
    // Still owed: without the normal at 1864, that loss was never ended.
    const silent = world({ ...w, systemStatus: w.systemStatus.slice(0, 2) } as Partial<Stub>);
    expect(checkSystemStatus(silent, true).map((v) => v.message)).toContain('L1~1 was not told normal when the event channel came back at 1864 ms');
  });

  it('the explorer\'s counterexample (node 1 back and down again at 1000 ms, node 0 down before): no I12', () => {
    const s: Schedule = JSON.parse('{"seed":222525644,"faults":"none","nodes":2,"steps":[{"wait":0,"kind":"node","node":1,"change":"down"},{"wait":0,"kind":"node","node":1,"change":"up"},{"wait":239,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOff"}},{"wait":72,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-002"}},{"wait":262,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOn","agentID":"agent-002"}},{"wait":38,"kind":"node","node":0,"change":"down"},{"wait":389,"kind":"node","node":1,"change":"down"}]}');
    expect(runSchedule(s).violations).toEqual([]);
  });
});
