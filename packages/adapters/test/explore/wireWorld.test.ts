/**
 * The wire world (issue 16, blind spot 3): the connector and the simulator model on virtual time
 * with real bytes between them — CSTA frames through the link machine, Xsi as HTTP text, events
 * as a chunked stream acked by real eventresponse POSTs. Checked here: a scripted login crosses
 * every wire, the world is deterministic (I8), each wire invariant W1–W5 fires on a doctored
 * run, and the explorer runs schedules in it when asked (`--world wire`).
 */
import { describe, expect, it } from 'vitest';
import { isIdle } from '@csta-bw/core';
import { userView } from '@csta-bw/xsp-sim';
import { Exploration } from '../../src/explore/explorer.js';
import { generateSchedule, runSeed } from '../../src/explore/generate.js';
import { runWireSchedule } from '../../src/explore/wireRun.js';
import { WireWorld } from '../../src/explore/wireWorld.js';
import { checkWire, WIRE_TARGETS as WIRE_TARGETS_ALL } from '../../src/oracle/wire.js';
import { runSchedule } from '../../src/schedule.js';

const login = { service: 'SetAgentState', device: 'desk-101', requestedAgentState: 'loggedOn', agentID: 'agent-001' } as const;

function loggedIn(): WireWorld {
  const w = new WireWorld({ seed: 5 });
  w.request('L1', '0001', { service: 'MonitorStart', monitorObject: 'desk-101' });
  w.runUntilQuiet();
  w.request('L1', '0002', login);
  w.runUntilQuiet();
  return w;
}

describe('a scripted login through the wires', () => {
  it('is answered over the link, lands in BroadWorks, and every wire is used', () => {
    const w = loggedIn();
    expect(w.answers.map((a) => (a.kind === 'response' ? a.response.service : a.error.value))).toEqual(['MonitorStartResponse', 'SetAgentStateResponse']);
    expect(userView(w.xsp, 'agent-001@example.com')?.hotelingGuest?.hostUserId).toBe('desk-101@example.com');
    expect(userView(w.xsp, 'desk-101@example.com')?.forwarding?.active).toBe(true);
    // CSTA: two request frames, their answers under the same invoke IDs, the start-up SystemStatus.
    expect(w.wire.requests.map((r) => r.invokeId)).toEqual(['0001', '0002']);
    expect(w.wire.answers.map((a) => `${a.invokeId} ${a.name}`)).toEqual(['0001 MonitorStartResponse', '0002 SetAgentStateResponse']);
    expect(w.wire.statuses.map((s) => s.status)).toEqual(['normal']);
    expect(w.wire.replies.map((r) => r.invokeId)).toEqual([w.wire.statuses[0]!.invokeId]);
    // Events reached the client as CSTA events, decoded from frames.
    expect(w.events.map((e) => e.event.name)).toEqual(expect.arrayContaining(['ForwardingEvent', 'AgentLoggedOnEvent']));
    // Xsi: every event read off the stream was acked by an eventresponse the XSP answered 200.
    expect(w.wire.events.length).toBeGreaterThan(0);
    expect(w.wire.acks.filter((a) => a.answered === 200).map((a) => a.eventId)).toEqual(w.wire.events.map((e) => e.eventId));
    expect(Object.keys(w.xsp.pending)).toEqual([]);
    expect(w.wire.faults).toEqual([]);
    expect(checkWire(w, { final: true })).toEqual([]);
  });

  it('keeps a quiet link alive: probes after 60 s of silence, answered by the client, the link stays', () => {
    const w = loggedIn();
    const heard = w.wire.statuses.length;
    w.runUntil(w.now + 200_000);
    const probes = w.wire.statuses.slice(heard);
    expect(probes.length).toBeGreaterThanOrEqual(3);
    expect(probes.every((p) => p.probe && p.status === 'normal')).toBe(true);
    expect(w.wire.closed).toEqual([]);
    expect(w.wire.heartbeats.length).toBeGreaterThanOrEqual(12);
    expect(w.wire.heartbeats.every((h) => h.status === 200 && h.streamed)).toBe(true);
  });
});

describe('I8 in the wire world', () => {
  it('the same hostile schedule twice gives the same trace and the same wire log, byte for byte', () => {
    for (const i of [0, 1, 2]) {
      const s = generateSchedule(runSeed(99, i), 'hostile');
      const a = runWireSchedule(s);
      const b = runWireSchedule(s);
      expect(b.world.trace!.toJsonLines()).toBe(a.world.trace!.toJsonLines());
      expect(JSON.stringify((b.world as WireWorld).wire)).toBe(JSON.stringify((a.world as WireWorld).wire));
    }
  });
});

describe('the wire invariants fire on a doctored run', () => {
  const clean = () => loggedIn();

  it('W1: an answer frame under an invoke ID the client has not outstanding', () => {
    const w = clean();
    w.wire.answers.push({ n: 1e9, at: w.now, link: 'L1', invokeId: '0042', kind: 'response', name: 'SetAgentStateResponse' });
    expect(checkWire(w, { final: true }).map((v) => v.invariant)).toEqual(['W1']);
  });

  it('W1: a request never answered, at rest', () => {
    const w = clean();
    w.wire.requests.push({ n: 1e9, at: w.now, link: 'L1', invokeId: '0003', service: 'GetAgentState' });
    expect(checkWire(w, { final: true }).map((v) => v.message)).toEqual(['L1 request #0003 (GetAgentState) never got an answer frame']);
  });

  it('W2: a server SystemStatus under an invoke ID the client has outstanding', () => {
    const w = clean();
    w.wire.statuses.push({ n: 1e9, at: w.now, link: 'L1', invokeId: '0007', status: 'normal', outstanding: ['0007'], probe: false, beforeFirstChannel: false, channel: 'up' });
    expect(checkWire(w, { final: true }).map((v) => v.invariant)).toEqual(['W2']);
  });

  it('W3: disabled heard while the channel is up — at a resync\'s instant too (no known deviation left)', () => {
    const w = clean();
    w.wire.statuses.push({ n: 1e9, at: w.now, link: 'L1', invokeId: '9000', status: 'disabled', outstanding: [], probe: false, beforeFirstChannel: false, channel: 'up' });
    w.wire.statuses.push({ n: 1e9 + 1, at: w.now, link: 'L1', invokeId: '8999', status: 'normal', outstanding: [], probe: false, beforeFirstChannel: false, channel: 'up' });
    expect(checkWire(w, { final: true }).map((v) => v.invariant)).toEqual(['W3']);
    w.wire.resyncs.push({ at: w.now, why: 'sequence gap' });
    expect(checkWire(w, { final: true }).map((v) => v.message)).toEqual([`L1 heard SystemStatus disabled at ${w.now} ms while the event channel was up (a resync after a sequence gap)`]);
  });

  it('W3: normal heard while the channel is lost — from a process that never had a channel too', () => {
    const w = clean();
    w.wire.statuses.push({ n: 1e9, at: w.now, link: 'L1', invokeId: '9000', status: 'normal', outstanding: [], probe: false, beforeFirstChannel: true, channel: 'lost' });
    expect(checkWire(w, { final: true }).map((v) => v.message)).toEqual([`L1 heard SystemStatus normal at ${w.now} ms while the event channel was lost (from a process that never had a channel)`]);
  });

  it('W4: an event read off the stream and never acknowledged', () => {
    const w = clean();
    w.wire.events.push({ at: w.now, eventId: 'no-ack', channelId: 'c' });
    expect(checkWire(w, { final: true }).map((v) => v.message)).toEqual([`event no-ack read at ${w.now} ms was never acknowledged`]);
  });

  it('W5: a frame the client could not read', () => {
    const w = clean();
    w.wire.faults.push({ at: w.now, where: 'L1 (client side)', reason: 'framing: length below 8' });
    expect(checkWire(w, { final: true }).map((v) => v.invariant)).toEqual(['W5']);
  });
});

describe('the explorer in the wire world', () => {
  it('--world wire runs each schedule in a WireWorld and judges W1–W5; the default world stays VirtualWorld', () => {
    const wire = new Exploration({ seed: 3, faults: 'hostile', scenario: 'mixed', world: 'wire' }).next();
    expect(wire.run.world).toBeInstanceOf(WireWorld);
    expect([...wire.run.judged].some((t) => t.startsWith('wire:'))).toBe(true);
    const plain = new Exploration({ seed: 3, faults: 'hostile', scenario: 'mixed' }).next();
    expect(plain.run.world).not.toBeInstanceOf(WireWorld);
    expect(runSchedule(plain.schedule).world).not.toBeInstanceOf(WireWorld);
  });
});

describe('formerly a known deviation: the resync blip', () => {
  // A sequence gap on the Xsi stream (here: the first event after a new channel carries sequence 2)
  // made the HTTP transport resync as lost → up, and the core told every link disabled → normal
  // though the XSP never went away (DESIGN §4.9). The transport now says `resync`: the core
  // re-reads what it holds and tells the links nothing.
  it('a gap resync re-reads every held user and leaves every link without a disabled it should not hear', () => {
    const run = runWireSchedule(generateSchedule(runSeed(7, 20), 'flaky'));
    const w = run.world as WireWorld;
    expect(w.wire.resyncs.length).toBeGreaterThan(0);
    expect(checkWire(w, { final: true }).filter((v) => v.invariant === 'W3')).toEqual([]);
    expect(run.violations).toEqual([]);
    // The re-read happened: a GET CallCenter at the first resync's instant.
    const at = w.wire.resyncs[0]!.at;
    expect(w.trace!.toJsonLines().split('\n').some((l) => l.includes(`"at":${at},`) && l.includes('"msg":"GET CallCenter"'))).toBe(true);
  });
});

describe('formerly a known deviation: a process restarted while every XSP is down', () => {
  // Found by `pnpm explore --time 60s --world wire` (seed 2026, run #42), shrunk to: a logout,
  // both XSP nodes die, the connector crashes, node 0 is back 1.7 s later. The restarted process
  // never had a channel and greeted the reconnecting client `normal` while the XSP was
  // unreachable; told `lost` (as the HTTP transport does when no channel opens) it never settled
  // its restart (I6). Now a process without a channel says `disabled` and settles a step timeout
  // after its first channel up, whether it was told lost first or nothing.
  const restartWhileDown = {
    seed: 1457685827, faults: 'hostile' as const, nodes: 2,
    steps: [
      { wait: 926, kind: 'request' as const, link: 'L3', request: { service: 'SetAgentState' as const, device: 'desk-103', requestedAgentState: 'loggedOff' as const, agentID: 'agent-001' } },
      { wait: 284, kind: 'node' as const, node: 0, change: 'down' as const },
      { wait: 0, kind: 'node' as const, node: 1, change: 'down' as const },
      { wait: 0, kind: 'crash' as const, cut: 0 },
      { wait: 1658, kind: 'node' as const, node: 0, change: 'up' as const },
    ],
  };

  it('no link hears normal while the XSP is unreachable: greeted disabled, then normal when node 0 is back', () => {
    const run = runWireSchedule(restartWhileDown);
    expect(run.violations).toEqual([]);
    const w = run.world as WireWorld;
    const heard = w.wire.statuses.filter((s) => s.link.includes('~')).map((s) => `${s.status} ${s.channel}`);
    expect(heard[0]).toBe('disabled none'); // the binding has told the restarted process of no channel yet
    expect(heard.at(-1)).toBe('normal up');
  });

  it('told lost as the HTTP transport tells it, the restarted process still settles', () => {
    const run = runSchedule(restartWhileDown, {}, (o) => new WireWorld({ ...o, tellLostWhenNoChannel: true }));
    expect(run.violations).toEqual([]);
    expect(isIdle(run.world.connector)).toBe(true); // settled its restart, among the rest
  });
});

describe('W3 after a restart', () => {
  // Found by `pnpm explore --time 60s --world wire` (seed 2026, run #3) once a process without a
  // channel answered links disabled: the link reached the restarted process before its channel was
  // open, was greeted disabled — right — but W3 read the channel the dead process had held (up).
  it('a link greeted disabled by a restarted process before its channel is open is no violation', () => {
    const run = runWireSchedule({
      seed: 1013906252, faults: 'none', nodes: 2,
      steps: [
        { wait: 0, kind: 'crash', cut: 0 },
        { wait: 7, kind: 'node', node: 1, change: 'down' },
        { wait: 0, kind: 'request', link: 'L3', request: { service: 'SetAgentState', device: 'desk-102', requestedAgentState: 'ready' } },
      ],
    });
    const heard = (run.world as WireWorld).wire.statuses.filter((s) => s.link === 'L3').map((s) => `${s.status} ${s.channel}`);
    expect(heard.slice(0, 2)).toEqual(['disabled none', 'normal up']);
    expect(run.violations).toEqual([]);
  });

  // Found next (seed 2026, run #193): an idle process armed to crash dies outside any input, so the
  // crash was noticed only at the restarted process's channel up, which then counted as the dead one's.
  it('a crash noticed late still leaves the restarted process its own channel up', () => {
    const run = runWireSchedule({
      seed: 2845527210, faults: 'none',
      steps: [
        { wait: 6, kind: 'request', link: 'L1', request: { service: 'GetAgentState', device: 'desk-103' } },
        { wait: 0, kind: 'crash', cut: 3 },
      ],
    });
    const heard = (run.world as WireWorld).wire.statuses.filter((s) => s.link === 'L1~1').map((s) => `${s.status} ${s.channel}`);
    expect(heard[0]).toBe('normal up');
    expect(run.violations).toEqual([]);
  });
});

describe('a late subscription event equal to a write the XSP then refuses', () => {
  // Found by `pnpm explore --time 10m --faults hostile --world wire` (seed 2678819726, run #2302):
  // the desk's initial AgentSubscriptionEvent (Sign-Out, from before our writes) arrived while the
  // login's host sign-out was on the wire and was taken for its echo; the XSP refused the sign-out
  // (503) and its retry was skipped on that event — the desk was forwarded with its agent Available (I7).
  it('the refused sign-out is retried, not skipped: no violation', () => {
    const run = runWireSchedule({"seed":3092010875,"faults":"hostile","steps":[{"wait":0,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"ready"}},{"wait":634,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"loggedOn","agentID":"agent-003"}},{"wait":3919,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"loggedOff"}}]});
    expect(run.violations).toEqual([]);
  });
});

describe('known open: a restore PUT of a crashed process landing after a login again adopted the pairing', () => {
  // Found by `pnpm explore --time 10m --faults hostile --world wire` (seed 1366735570, run #334), not yet
  // fixed: a logout's restore of desk-103 (forward off) is on the wire when the connector crashes; the
  // restarted process takes a login again of the same agent before settling its saved pairings, reads
  // the desk still forwarded (skips the forward) and seats the agent — then the dead process's PUT lands
  // and the desk is off while the association is ours (I3). The fix belongs in the restart's fence: a
  // service a crashed process may still write is not to be skipped on until that PUT can no longer land.
  // it.fails: turns red when fixed — then move it to a passing case.
  it.fails('the seated agent\'s desk keeps its forward (I3)', () => {
    const run = runWireSchedule({"seed":530581007,"faults":"hostile","start":[{"kind":"agentState","userId":"desk-101@example.com","state":"Available"},{"kind":"associated","guestUserId":"agent-002@example.com","hostUserId":"desk-102@example.com"}],"steps":[{"wait":2332,"kind":"request","link":"L1","request":{"service":"GetAgentState","device":"desk-102"}},{"wait":134,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-101","requestedAgentState":"loggedOff"}},{"wait":54,"kind":"crash","cut":2},{"wait":177,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOn","agentID":"agent-003"}},{"wait":22,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOff"}},{"wait":2032,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOn","agentID":"agent-002"}},{"wait":166,"kind":"external","action":{"kind":"hostForceRelease","hostUserId":"desk-103@example.com"}},{"wait":5006,"kind":"request","link":"L1","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"loggedOn","agentID":"agent-003"}},{"wait":924,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"loggedOff","agentID":"agent-003"}},{"wait":29,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-102","requestedAgentState":"loggedOn","agentID":"agent-001"}},{"wait":5000,"kind":"request","link":"L2","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOff","agentID":"agent-003"}},{"wait":365,"kind":"crash","cut":3},{"wait":252,"kind":"request","link":"L3","request":{"service":"SetAgentState","device":"desk-103","requestedAgentState":"loggedOn","agentID":"agent-003"}}]});
    expect(run.violations).toEqual([]);
  });
});

describe('which wire targets an exploration must reach', () => {
  it('a redelivery needs faults: without them it is not required', async () => {
    const { wireTargets } = await import('../../src/oracle/wire.js');
    expect(wireTargets('none')).not.toContain('wire:redelivery-acked');
    expect(wireTargets('flaky')).toContain('wire:redelivery-acked');
    expect(wireTargets('hostile')).toEqual([...WIRE_TARGETS_ALL]);
  });
});
