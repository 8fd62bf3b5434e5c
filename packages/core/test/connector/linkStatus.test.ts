/**
 * What CSTA links hear of the XSP (DESIGN §4.9, §8; genesys §12.3: failure is reported only when
 * every link to BroadWorks is down): `disabled` until an event channel is up — before the first
 * one too — `normal` once it is, and nothing at all for a resync on a channel that never went
 * (the `xsp.channel` `resync` input: events were missed while the channel stayed up).
 */
import { describe, expect, it } from 'vitest';
import type { Input, Output } from '../../src/connector/io.js';
import { channelStatus } from '../../src/connector/queries.js';
import { DESK, LINK, StepDriver, monitoredDesk } from './support/stepDriver.js';

const H = 'desk-101@example.com';
const statuses = (outs: Output[]) => outs.flatMap((o) => (o.kind === 'csta.systemStatus' ? [`${o.link} ${o.status}`] : []));
const reads = (outs: Output[]) => outs.flatMap((o) => (o.kind === 'xsp.command' && o.command.op.startsWith('GET') ? [`${o.command.op} ${o.command.userId}`] : []));
const answered = (outs: Output[]) => outs.flatMap((o) => (o.kind === 'csta.response' && o.response.service === 'RequestSystemStatusResponse' ? [o.response.systemStatus] : []));
// The input the transport gives for a sequence gap (typed loosely so this file also runs against a core without it).
const RESYNC = { kind: 'xsp.channel', status: 'resync' } as unknown as Input;

describe('a resync on a live channel (a sequence gap): re-read, but no status change', () => {
  it('re-reads every held user and resumes repairs, tells no link anything, and the channel stays up', () => {
    const d = monitoredDesk();
    d.request('x', { service: 'GetForwarding', device: 'desk-101' }, 'L2');
    const outs = d.feed(RESYNC);
    expect(reads(outs)).toEqual([`GET CallCenter ${H}`, `GET CallForwardingAlways ${H}`, `GET HotelingGuest ${H}`]);
    expect(statuses(outs)).toEqual([]);
    expect(channelStatus(d.state)).toBe('up');
    expect(answered(d.request('s', { service: 'RequestSystemStatus' }))).toEqual(['normal']);
  });

  it('while the channel is lost (or never was up) it does nothing: the coming up re-reads anyway', () => {
    const d = monitoredDesk();
    d.feed({ kind: 'xsp.channel', status: 'lost' });
    expect(d.feed(RESYNC)).toEqual([]);
    expect(channelStatus(d.state)).toBe('lost');
    const fresh = new StepDriver();
    expect(fresh.feed(RESYNC)).toEqual([]);
    expect(channelStatus(fresh.state)).toBe('down');
  });
});

describe('before the first channel is up', () => {
  it('a link asking for the system status hears disabled; the first up tells it normal', () => {
    const d = new StepDriver();
    expect(answered(d.request('s', { service: 'RequestSystemStatus' }))).toEqual(['disabled']);
    expect(statuses(d.feed({ kind: 'xsp.channel', status: 'up' }))).toEqual([`${LINK} normal`]);
    expect(answered(d.request('t', { service: 'RequestSystemStatus' }))).toEqual(['normal']);
  });

  it('a link that first speaks once the channel is up hears normal (the interop start-up) and no extra status', () => {
    const d = new StepDriver();
    expect(statuses(d.feed({ kind: 'xsp.channel', status: 'up' }))).toEqual([]);
    expect(answered(d.request('s', { service: 'RequestSystemStatus' }))).toEqual(['normal']);
  });

  it('told lost before any up (every XSP unreachable at start), links hear disabled, then normal when one is up', () => {
    const d = new StepDriver();
    d.request('s', { service: 'RequestSystemStatus' });
    expect(statuses(d.feed({ kind: 'xsp.channel', status: 'lost' }))).toEqual([]);
    expect(answered(d.request('t', { service: 'RequestSystemStatus' }))).toEqual(['disabled']);
    expect(statuses(d.feed({ kind: 'xsp.channel', status: 'up' }))).toEqual([`${LINK} normal`]);
  });
});

describe('a process restarted while every XSP is down (DESIGN §9)', () => {
  it('greets a link disabled, and settles its restart once a channel is up — told lost first or not', () => {
    for (const toldLost of [false, true]) {
      const d = new StepDriver({}, { pairings: {}, crashed: true });
      expect(answered(d.request('s', { service: 'RequestSystemStatus' }))).toEqual(['disabled']);
      if (toldLost) d.feed({ kind: 'xsp.channel', status: 'lost' });
      expect(statuses(d.feed({ kind: 'xsp.channel', status: 'up' }))).toEqual([`${LINK} normal`]);
      expect(d.timers.has('restart')).toBe(true);
      d.fire('restart');
      expect(d.state.restart?.settled).toBe(true);
    }
  });

  it('a channel flapping before the settling pushes it a step timeout past the latest up', () => {
    const d = new StepDriver({}, { pairings: {}, crashed: true });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    const first = d.timers.get('restart')!;
    d.now += 1000;
    d.feed({ kind: 'xsp.channel', status: 'lost' });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    expect(d.timers.get('restart')).toBe(first + 1000);
    d.request('m', { service: 'MonitorStart', monitorObject: 'desk-101' });
    d.answerFetch(H, DESK);
    d.fire('restart');
    expect(d.state.restart?.settled).toBe(true);
  });
});
