/**
 * The sans-IO link machine (csta/linkMachine.ts) on its own: bytes in any cuts, frames out, timers
 * and closing as requests to its shell — no socket, no clock. link.test.ts covers the same logic
 * behind a real socket.
 */
import { describe, expect, it } from 'vitest';
import {
  createFrameDecoder, decodeCstaResponseOrEvent, DEFAULT_CSTA_NAMESPACE, encodeCstaRequest, encodeFrame, feedFrames, type CstaRequest,
} from '@csta-bw/core';
import { CstaLinkMachine, LINK_OPEN, type LinkTimer } from '../../src/csta/linkMachine.js';
import { DEFAULT_SESSION_POLICY } from '../../src/csta/session.js';

function harness(keepaliveMs = 1000) {
  const sent: { invokeId: string; request: CstaRequest }[] = [];
  const frames: Uint8Array[] = [];
  const timers = new Map<LinkTimer, number>();
  const closed: { reason: string; flush: boolean }[] = [];
  const m = new CstaLinkMachine('mem:1', {
    requireSession: false, session: DEFAULT_SESSION_POLICY, keepaliveMs, keepaliveTolerance: 2, statusOnConnect: false, maxQueuedBytes: 1 << 20,
  }, {
    request: (_link, invokeId, request) => {
      sent.push({ invokeId, request });
      if (invokeId === LINK_OPEN) m.deliver({ kind: 'csta.response', link: 'mem:1', invokeId, response: { service: 'RequestSystemStatusResponse', systemStatus: 'normal' } });
    },
    forget: () => {},
    freshSessionId: () => 's1',
    log: () => {},
    transmit: (f) => frames.push(f),
    setTimer: (name, ms) => timers.set(name, ms),
    clearTimer: (name) => timers.delete(name),
    close: (reason, flush) => closed.push({ reason, flush }),
  });
  const read = () => {
    const bytes = new Uint8Array(frames.splice(0).flatMap((f) => [...f]));
    const fed = feedFrames(createFrameDecoder(), bytes);
    return fed.frames.map((f) => {
      const d = 'xml' in f ? decodeCstaResponseOrEvent(f.xml) : undefined;
      const what = !d?.ok ? '?' : d.kind === 'response' ? d.response.service : d.kind === 'request' ? `${d.request.service} ${'systemStatus' in d.request ? d.request.systemStatus : ''}` : d.kind;
      return `${f.invokeId} ${what}`;
    });
  };
  return { m, sent, timers, closed, read };
}

const frameOf = (invokeId: string, request: CstaRequest) => {
  const f = encodeFrame(invokeId, encodeCstaRequest(request, DEFAULT_CSTA_NAMESPACE));
  if ('error' in f) throw new Error(f.error.reason);
  return f;
};

describe('CstaLinkMachine', () => {
  it('reads a request cut anywhere, answers under its invoke ID, then greets once with a server invoke ID', () => {
    const h = harness();
    h.m.open();
    const bytes = frameOf('0007', { service: 'GetAgentState', device: 'desk-101' });
    for (let i = 0; i < bytes.length; i += 5) h.m.receive(bytes.subarray(i, i + 5));
    expect(h.sent.map((s) => `${s.invokeId} ${s.request.service}`)).toEqual([`${LINK_OPEN} RequestSystemStatus`, '0007 GetAgentState']);
    h.m.deliver({ kind: 'csta.response', link: 'mem:1', invokeId: '0007', response: { service: 'GetAgentStateResponse', agentStateList: [] } });
    expect(h.read()).toEqual(['0007 GetAgentStateResponse', '9998 SystemStatus normal']);
  });

  it('never gives its own request an invoke ID the client has outstanding', () => {
    const h = harness();
    h.m.open();
    h.m.receive(frameOf('9998', { service: 'GetAgentState', device: 'desk-101' }));
    h.m.deliver({ kind: 'csta.systemStatus', link: 'mem:1', status: 'disabled' });
    expect(h.read()).toEqual(['9997 SystemStatus disabled']);
  });

  it('asks for its keep-alive timer as data, probes when it fires, and asks to close past the tolerance', () => {
    const h = harness(1000);
    h.m.open();
    expect(h.timers.get('keepalive')).toBe(1000);
    h.m.timerFired('keepalive');
    h.m.timerFired('keepalive');
    expect(h.read()).toEqual(['9998 SystemStatus normal', '9997 SystemStatus normal']);
    h.m.timerFired('keepalive');
    expect(h.closed).toEqual([{ reason: 'keep-alive: 2 SystemStatus probes unanswered', flush: true }]);
    expect(h.timers.size).toBe(0);
    expect(h.m.closing).toBe(true);
  });

  it('asks to close (flushing) on a frame header out of step, and reads nothing after', () => {
    const h = harness();
    h.m.open();
    h.m.receive(new Uint8Array([1, 0, 0, 20, 48, 48, 48, 49]));
    expect(h.closed.map((c) => c.flush)).toEqual([true]);
    h.m.receive(frameOf('0002', { service: 'GetAgentState', device: 'desk-101' }));
    expect(h.sent.map((s) => s.invokeId)).toEqual([LINK_OPEN]);
  });
});
