/**
 * The crash fault (issue 14 item 5, VirtualWorld `crash`): the connector process dies in the middle
 * of an input — some of its outputs carried out, the rest lost with everything not durable — the
 * simulator lives on, and a fresh connector starts from the durable pairings. Swept over every
 * instant of a login and of a logout and every cut of the input's outputs: once the world is quiet,
 * the invariants hold and nothing is left owed.
 */
import { describe, expect, it } from 'vitest';
import { userView } from '@csta-bw/xsp-sim';
import { checkAlways, checkQuiescent, newHistory } from '../../src/invariants.js';
import { runSchedule, type Schedule } from '../../src/schedule.js';
import { VirtualWorld } from '../../src/virtualWorld.js';

const H = 'desk-101@example.com';
const G = 'agent-001@example.com';
const login = { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' } as const;
const logout = { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOff', agentID: 'agent-001' } as const;

/** A login (after `before`, if any) with a crash armed `after` ms into it, cutting `cut` outputs. */
function crashDuring(request: typeof login | typeof logout, after: number, cut: number, before?: typeof login): VirtualWorld {
  const w = new VirtualWorld({ seed: 11 });
  w.request('L1', 'm', { service: 'MonitorStart', monitorObject: 'desk-101' });
  w.runUntilQuiet();
  if (before) {
    w.request('L1', 'b', before);
    w.runUntilQuiet();
  }
  w.request('L1', 'x', request);
  w.crash(cut, w.now + after);
  w.runUntilQuiet();
  return w;
}

describe('issue 14: a connector crash at any point of a saga, restarted from the durable pairings', () => {
  const points = [0, 1, 2, 5, 10, 20, 40, 80, 160, 320];
  const cuts = [0, 1, 2, 4];

  it.each(points.flatMap((p) => cuts.map((c) => [p, c] as const)))('mid-login (+%i ms, %i outputs carried out): quiet, I1–I7 hold, nothing owed, no dangling forward', (after, cut) => {
    const w = crashDuring(login, after, cut);
    expect(w.isQuiet()).toBe(true);
    expect(w.crashes.length).toBe(1);
    expect([...checkAlways(w, true), ...checkQuiescent(w, newHistory())]).toEqual([]);
    const desk = userView(w.xsp, H)!;
    const seated = userView(w.xsp, G)?.hotelingGuest?.hostUserId === H;
    // Either the agent sits at the desk (and it forwards to it), or the desk is back as it was.
    expect(desk.forwarding?.active ?? false).toBe(seated);
  });

  it.each(points.flatMap((p) => cuts.map((c) => [p, c] as const)))('mid-logout (+%i ms, %i outputs carried out): the logout is finished after the restart', (after, cut) => {
    const w = crashDuring(logout, after, cut, login);
    expect(w.isQuiet()).toBe(true);
    expect([...checkAlways(w, true), ...checkQuiescent(w, newHistory())]).toEqual([]);
    // The pairing was durable, so the restarted connector finishes the logout whatever was cut.
    expect(userView(w.xsp, G)?.hotelingGuest?.hostUserId).toBeUndefined();
    expect(userView(w.xsp, H)?.forwarding?.active).toBe(false);
    expect(w.durable).toEqual({});
  });

  it('the store holds the pairing while the agent is seated, and nothing once it has left', () => {
    const w = new VirtualWorld({ seed: 11 });
    w.request('L1', '1', login);
    w.runUntilQuiet();
    expect(Object.values(w.durable).map((p) => `${p.host} ${p.guest} ${p.phase}`)).toEqual([`${H} ${G} seated`]);
    w.request('L1', '2', logout);
    w.runUntilQuiet();
    expect(w.durable).toEqual({});
  });

  it('a crash step in a schedule replays the same, byte for byte (I8)', () => {
    const s: Schedule = { seed: 5, faults: 'none', steps: [{ wait: 0, kind: 'request', link: 'L1', request: login }, { wait: 30, kind: 'crash', cut: 1 }] };
    const a = runSchedule(s);
    const b = runSchedule(s);
    expect(a.violations).toEqual([]);
    expect(a.world.crashes.length).toBe(1);
    expect(a.world.trace!.toJsonLines()).toBe(b.world.trace!.toJsonLines());
  });
});
