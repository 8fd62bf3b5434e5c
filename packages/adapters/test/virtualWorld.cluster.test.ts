/**
 * VirtualWorld with several XSP nodes (issue 15): one channel per node in one set, the connector
 * told `lost` only when the last channel goes, commands moving off a node that failed, and the
 * `failover` scenario that `pnpm trace` tells.
 */
import { describe, expect, it } from 'vitest';
import { userView } from '@csta-bw/xsp-sim';
import { runScenario } from '../src/scenarios.js';
import { VirtualWorld } from '../src/virtualWorld.js';

const login = { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' } as const;
const monitor = { service: 'MonitorStart', monitorObject: 'desk-101' } as const;

describe('VirtualWorld on two XSP nodes', () => {
  it('failover: node 0 dies with a login PUT in flight; the PUT is retried through node 1, the login completes, no SystemStatus disabled, node 0 rejoins', () => {
    const w = runScenario('failover');
    const t = w.trace!.entries;
    const reset = t.findIndex((e) => e.msg === 'transportError' && e.args.node === 0 && String(e.args.op).startsWith('PUT'));
    expect(reset).toBeGreaterThan(0);
    const op = t[reset]!.args.op;
    expect(t.slice(reset).some((e) => e.msg === op && e.args.node === 1)).toBe(true);
    expect(w.answers.map((a) => a.kind)).toEqual(['response', 'response']);
    expect(w.systemStatus.map((s) => s.status)).not.toContain('disabled');
    expect(w.channelLog.map((c) => c.status)).toEqual(['up']);
    const downAt = t.findIndex((e) => e.msg === 'node 0 up');
    expect(t.slice(downAt).some((e) => e.msg === 'Channel' && e.args.node === 0)).toBe(true);
    expect(w.isQuiet()).toBe(true);
    const guest = userView(w.xsp, 'agent-001@example.com')!;
    expect(guest.hotelingGuest?.hostUserId).toBe('desk-101@example.com');
    expect(userView(w.xsp, 'desk-101@example.com')!.forwarding?.active).toBe(true);
  });

  it('every node down: the connector hears lost once and the links get disabled; one back: up, normal, and a resync', () => {
    const w = new VirtualWorld({ nodes: 2 });
    w.request('L', '1', monitor);
    w.runUntilQuiet();
    w.nodeDown(0);
    w.runUntilQuiet();
    expect(w.channelLog.map((c) => c.status)).toEqual(['up']);
    w.nodeDown(1);
    w.runUntilQuiet();
    expect(w.channelLog.map((c) => c.status)).toEqual(['up', 'lost']);
    expect(w.systemStatus.map((s) => s.status)).toContain('disabled');
    const before = w.commands.length;
    w.nodeUp(1);
    w.runUntilQuiet();
    expect(w.channelLog.map((c) => c.status)).toEqual(['up', 'lost', 'up']);
    expect(w.systemStatus.at(-1)!.status).toBe('normal');
    expect(w.commands.slice(before).some((c) => c.command.op === 'GET CallCenter' && c.command.userId === 'desk-101@example.com')).toBe(true);
    expect(w.isQuiet()).toBe(true);
  });

  it('same seed, same schedule: the same trace, byte for byte (I8)', () => {
    expect(runScenario('failover', { seed: 4 }).trace!.toJsonLines()).toBe(runScenario('failover', { seed: 4 }).trace!.toJsonLines());
  });

  it('a node without its channel (partitioned away) gets no command while another node has one, even one that failed lately', () => {
    const w = new VirtualWorld({ nodes: 2 });
    w.request('L', '1', monitor);
    w.runUntilQuiet();
    w.nodeDown(0, w.now, 'partition');
    // Node 1 answers 503: failed lately, but its channel is up — the partitioned node is the worse bet.
    w.nodeCondition(1, { unavailable: true });
    w.runUntil(w.now + 10); // the binding has seen node 0's channel go
    const from = w.trace!.entries.length;
    const asked = w.now;
    w.request('L', '2', login);
    w.runUntil(w.now + 3_000);
    const sent = w.trace!.entries.slice(from).filter((e) => e.from === 'connector' && e.to === 'xsp');
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.filter((e) => e.args.node === 0).map((e) => e.msg)).toEqual([]);
    // The 503s are answered at once: the login fails fast (resourceBusy) instead of waiting out a partition.
    const answer = w.answers.find((a) => a.invokeId === '2');
    expect(answer?.kind).toBe('error');
    expect(answer!.at - asked).toBeLessThan(1_000);
  });

  it('a single-node world is unchanged: commands and channels carry no node', () => {
    const w = runScenario('seed');
    expect(w.trace!.entries.some((e) => 'node' in e.args)).toBe(false);
  });
});
