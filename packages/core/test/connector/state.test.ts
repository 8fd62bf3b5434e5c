/**
 * DESIGN §2: the connector's state is plain data. `createConnector` gives the documented
 * starting point; `cloneConnector` gives an independent copy (a replay tool or explorer keeps
 * old states while `step` moves on).
 */
import { describe, expect, it } from 'vitest';
import { cloneConnector, createConnector, step } from '../../src/index.js';
import { DEFAULT_CONFIG } from '../../src/connector/io.js';
import { putService } from '../../src/connector/state.js';

describe('§2 connector state', () => {
  it('ConnectorState stays small: fewer than 24 fields (issue 14)', () => {
    expect(Object.keys(createConnector()).length).toBeLessThan(24);
  });

  it('createConnector: channel down, nothing held, counters at 1, the group subscription not yet made', () => {
    expect(createConnector({ stepTimeoutMs: 1_000 })).toEqual({
      config: { ...DEFAULT_CONFIG, stepTimeoutMs: 1_000 },
      next: { command: 1, job: 1, monitor: 1 },
      channel: 'down',
      links: {}, users: {}, monitors: {}, reports: {}, monitorsOf: {}, shownAt: {}, seatedAt: {}, jobs: {}, queues: {}, commands: {},
      rereads: {},
      writes: { CallCenter: {}, CallForwardingAlways: {}, HotelingGuest: {} },
      groupSubscribed: false,
      repairTimerAt: undefined,
      recentEvents: { ring: [], next: 0, index: {} },
      plan: { index: {}, begun: false, learning: undefined, searches: {}, waiting: [] },
      names: {},
      pairings: {},
    });
  });

  it('with group events configured, the first channel up sends the group Hoteling Guest subscription, once', () => {
    const groupEvents = { subscriber: 'admin@example.com', serviceProviderId: 'sp', groupId: 'g' };
    // numberPlan off: the directory learn that also starts on the first up is numberPlan.test.ts's subject.
    let s = createConnector({ groupEvents, numberPlan: false });
    const up = step(s, { kind: 'xsp.channel', status: 'up' }, 0);
    s = up.state;
    expect(up.outputs.flatMap((o) => (o.kind === 'xsp.command' ? [o.command] : []))).toEqual([
      { op: 'SUBSCRIBE', userId: 'admin@example.com', packages: ['Hoteling Guest'], group: { serviceProviderId: 'sp', groupId: 'g' } },
    ]);
    expect(step(s, { kind: 'xsp.channel', status: 'up' }, 1).outputs).toEqual([]);
  });

  it('cloneConnector: a deep copy that later steps of the original leave untouched', () => {
    const s = createConnector();
    const copy = cloneConnector(s);
    expect(copy).toEqual(s);
    step(s, { kind: 'csta.request', link: 'L1', invokeId: '1', request: { service: 'GetAgentState', device: 'desk-101' } }, 0);
    expect(Object.keys(s.jobs).length).toBeGreaterThan(0);
    expect(copy).toEqual(createConnector());
  });

  it('putService: the service each PUT writes whose echo the connector awaits; none for PUT HotelingHost, reads and subscriptions', () => {
    expect(putService('PUT CallCenter')).toBe('CallCenter');
    expect(putService('PUT CallForwardingAlways')).toBe('CallForwardingAlways');
    expect(putService('PUT HotelingGuest')).toBe('HotelingGuest');
    // PUT HotelingHost (a host's release) is echoed as the guest's HotelingGuest change, so no window of its own.
    for (const op of ['PUT HotelingHost', 'GET CallCenter', 'GET CallForwardingAlways', 'GET HotelingGuest', 'GET profile', 'SUBSCRIBE'] as const) expect(putService(op), op).toBeUndefined();
  });
});

describe('§9 durable pairings: createConnector takes what was saved before a crash', () => {
  const saved = {
    'desk-101@example.com': {
      host: 'desk-101@example.com', guest: 'agent-001@example.com', phase: 'seated' as const,
      restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0,
    },
  };

  it('the saved pairings are the connector\'s own copy (a later step does not write through to the caller\'s object)', () => {
    const s = createConnector({}, { pairings: saved });
    expect(s.pairings).toEqual(saved);
    expect(s.pairings).not.toBe(saved);
    expect(s.pairings['desk-101@example.com']).not.toBe(saved['desk-101@example.com']);
  });

  it('without saved pairings the connector starts with none', () => {
    expect(createConnector().pairings).toEqual({});
  });
});
