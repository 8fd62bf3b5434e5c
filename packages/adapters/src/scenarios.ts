/**
 * Named scenarios on the default directory (DESIGN §6.5), run in a VirtualWorld: the stories
 * `pnpm trace` tells and the tests replay. Each schedules CSTA requests and external changes
 * and runs the world until it is quiet after each step.
 */
import type { CstaRequest } from '@csta-bw/core';
import { VirtualWorld, type VirtualWorldOptions } from './virtualWorld.js';

export interface Scenario {
  description: string;
  /** World options the scenario needs (e.g. several XSP nodes); the caller's own come on top. */
  world?: VirtualWorldOptions;
  run(world: VirtualWorld): void;
}

const LINK = 'client-1';

function act(w: VirtualWorld, invokeId: string, request: CstaRequest): void {
  w.request(LINK, invokeId, request);
  w.runUntilQuiet();
}

const login = (device: string, agentID: string): CstaRequest => ({ service: 'SetAgentState', device, requestedAgentState: 'loggedOn', agentID });
const logout = (device: string, agentID: string): CstaRequest => ({ service: 'SetAgentState', device, requestedAgentState: 'loggedOff', agentID });
const monitor = (device: string): CstaRequest => ({ service: 'MonitorStart', monitorObject: device });

export const SCENARIOS: Record<string, Scenario> = {
  seed: {
    description: 'desk-110, whose own agent is signed in, gets agent-001 logged in, then logged out (the seed)',
    run(w) {
      act(w, '0001', monitor('desk-110'));
      act(w, '0002', login('desk-110', 'agent-001'));
      act(w, '0003', logout('desk-110', 'agent-001'));
    },
  },
  'external-release': {
    description: 'agent-001 logs in at desk-101; the association is released through the portal; the connector finishes the termination',
    run(w) {
      act(w, '0001', monitor('desk-101'));
      act(w, '0002', login('desk-101', 'agent-001'));
      w.external({ kind: 'portalRelease', guestUserId: 'agent-001@example.com' });
      w.runUntilQuiet();
    },
  },
  'login-failure': {
    description: 'desk-103 was taken through the portal by agent-002; agent-001 logging in there fails at the association step and is rolled back',
    run(w) {
      w.external({ kind: 'portalAssociate', guestUserId: 'agent-002@example.com', hostUserId: 'desk-103@example.com' });
      w.runUntilQuiet();
      act(w, '0001', monitor('desk-103'));
      act(w, '0002', login('desk-103', 'agent-001'));
    },
  },
  'move-desk': {
    description: 'agent-001 logs in at desk-102 while logged in at desk-101: it leaves desk-101 first',
    run(w) {
      act(w, '0001', monitor('desk-101'));
      act(w, '0002', monitor('desk-102'));
      act(w, '0003', login('desk-101', 'agent-001'));
      act(w, '0004', login('desk-102', 'agent-001'));
    },
  },
};

SCENARIOS['failover'] = {
  description: 'two XSP nodes: node 0 dies while agent-001 logs in at desk-101, with a PUT of the login in flight on it; the core retries it through node 1 and the login completes — no SystemStatus disabled; node 0 comes back and its channel rejoins the set',
  world: { nodes: 2 },
  run(w) {
    act(w, '0001', monitor('desk-101'));
    w.nodeCondition(0, { latencyMs: 300 }); // node 0 slow, so the login's PUT is still in flight when it dies
    w.request(LINK, '0002', login('desk-101', 'agent-001'));
    w.nodeDown(0, w.now + FAILOVER_DOWN_AFTER_MS);
    w.runUntilQuiet();
    w.nodeCondition(0, { latencyMs: 0 });
    w.nodeUp(0);
    w.runUntilQuiet();
  },
};

/** When node 0 dies in `failover`: after the login's reads, during its first PUT (CallForwardingAlways). */
const FAILOVER_DOWN_AFTER_MS = 700;

export function runScenario(name: string, opts: VirtualWorldOptions = {}): VirtualWorld {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`unknown scenario "${name}" (known: ${Object.keys(SCENARIOS).join(', ')})`);
  const world = new VirtualWorld({ ...scenario.world, ...opts });
  scenario.run(world);
  return world;
}
