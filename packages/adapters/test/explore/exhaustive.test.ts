/**
 * Bounded exhaustive mode (src/explore/exhaustive.ts) on tiny alphabets, where the counts can be
 * reasoned about, plus VirtualWorld.clone, on which branching rests.
 */
import { describe, expect, it } from 'vitest';
import { ourAssociations } from '@csta-bw/core';
import { applyExternal, userView } from '@csta-bw/xsp-sim';
import { VirtualWorld } from '../../src/virtualWorld.js';
import { ACTIONS, exploreExhaustively, smallDirectory, type Action } from '../../src/explore/exhaustive.js';

const action = (name: string): Action => {
  const a = ACTIONS.find((x) => x.name === name);
  if (!a) throw new Error(`no action ${name}`);
  return a;
};

describe('VirtualWorld.clone', () => {
  it('gives an independent world: the copy runs on, the original is untouched, both replay alike', () => {
    const w = new VirtualWorld({ seed: 3, directory: smallDirectory() });
    w.request('L1', '1', { service: 'MonitorStart', monitorObject: 'desk-101' });
    w.runUntilQuiet();
    const before = w.trace!.toJsonLines();
    const c = w.clone();
    const d = w.clone();
    for (const x of [c, d]) {
      x.request('L1', '2', { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' });
      x.runUntilQuiet();
    }
    expect(w.trace!.toJsonLines()).toBe(before);
    expect(w.answers.length).toBe(1);
    expect(userView(w.xsp, 'agent-001@example.com')?.hotelingGuest?.hostUserId).toBeUndefined();
    expect(userView(c.xsp, 'agent-001@example.com')?.hotelingGuest?.hostUserId).toBe('desk-101@example.com');
    expect(c.answers.length).toBe(2);
    expect(d.trace!.toJsonLines()).toBe(c.trace!.toJsonLines());
    expect(ourAssociations(w.connector)).toEqual({});
  });
});

describe('exploreExhaustively', () => {
  it('counts on a one-action world: each depth adds one state', () => {
    const r = exploreExhaustively({ depth: 3, actions: [action('login desk-101 agent-001')] });
    // Each login of the same agent at the same desk is a new request (one more answer owed), so no two depths coincide.
    expect(r).toMatchObject({ complete: true, depth: 3, states: 4, transitions: 3, duplicates: 0, perDepth: [1, 1, 1, 1] });
    expect(r.counterexample).toBeUndefined();
  });

  it('deduplicates: two names for the same action reach one state', () => {
    const login = action('login desk-101 agent-001');
    const r = exploreExhaustively({ depth: 1, actions: [login, { ...login, name: 'the same login again' }] });
    expect(r).toMatchObject({ states: 2, transitions: 2, duplicates: 1, perDepth: [1, 1] });
  });

  it('a fault is used at most once per path, and only when something is in flight', () => {
    const r = exploreExhaustively({ depth: 3, actions: [action('fault 503')] });
    // Nothing is in flight in the settled start state: the fault never applies.
    expect(r).toMatchObject({ states: 1, transitions: 0, complete: true });
    const r2 = exploreExhaustively({ depth: 3, actions: [action('login desk-101 agent-001'), action('fault 503')] });
    // login, login+503, login+login, login+503+login, login+login+login, login+login+503, login+503+… (503 once per path)
    expect(r2.perDepth[1]).toBe(1);
    expect(r2.perDepth[2]).toBe(2);
    expect(r2.transitions).toBe(1 + 2 + 3);
    expect(r2.counterexample).toBeUndefined();
  });

  it('is deterministic and finds no violation in the full alphabet at depth 2', () => {
    const a = exploreExhaustively({ depth: 2 });
    const b = exploreExhaustively({ depth: 2 });
    expect(a).toEqual(b);
    expect(a.complete).toBe(true);
    expect(a.counterexample).toBeUndefined();
    expect(a.perDepth.reduce((x, y) => x + y, 0)).toBe(a.states);
    expect(a.transitions).toBe(a.states - 1 + a.duplicates);
    expect(a.perDepth[1]).toBeGreaterThan(3);
  });

  it('finds a planted violation and gives the path to it', () => {
    // Planted: a change the oracle is not told about — desk-101's forwarding switched off behind our back.
    const sabotage: Action = {
      name: 'sabotage desk-101 forwarding',
      apply: (n) => {
        if (ourAssociations(n.world.connector)['desk-101@example.com'] === undefined) return false;
        n.world.xsp = applyExternal(n.world.xsp, { kind: 'setForwarding', userId: 'desk-101@example.com', active: false }, n.world.now).state;
        return true;
      },
    };
    const r = exploreExhaustively({ depth: 8, actions: [action('login desk-101 agent-001'), action('tick'), sabotage] });
    expect(r.counterexample?.path.at(-1)).toBe('sabotage desk-101 forwarding');
    expect(r.counterexample?.path[0]).toBe('login desk-101 agent-001');
    expect(r.counterexample?.violations.map((v) => v.invariant)).toContain('I3');
  });

  it('stops when the progress callback says so, and says it is incomplete', () => {
    let calls = 0;
    const r = exploreExhaustively({ depth: 6, onProgress: () => ++calls >= 1 });
    expect(r.complete).toBe(false);
    expect(calls).toBe(1);
    expect(r.transitions).toBe(256);
  });
});
