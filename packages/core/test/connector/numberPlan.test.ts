/**
 * Numbers without warm-up (DESIGN §3, §8 "Numbers"; issue 12 item 3): the connector learns the
 * number plan from the group directory when the channel first comes up (every page), learns it
 * again on a timer, and searches the directory when a request names a number it does not know —
 * the request waits for the search. `invalidDeviceID` / `invalidAgentIdentifier` only when the
 * directory has no such number. Driven by hand: the test plays the XSP.
 */
import { describe, expect, it } from 'vitest';
import type { DirectoryEntry, Output, XsiCommand, XsiOutcome } from '../../src/index.js';
import { AGENT, answersIn, commandsIn, DESK, errorOf, StepDriver } from './support/stepDriver.js';

const ADMIN = 'admin@example.com';
const GROUP = { subscriber: ADMIN, serviceProviderId: 'example.com', groupId: 'example-group' };
const SCOPE = { serviceProviderId: 'example.com', groupId: 'example-group' };
const D107 = 'desk-107@example.com';
const A007 = 'agent-007@example.com';

const page = (entries: DirectoryEntry[], startIndex: number, total: number): XsiOutcome =>
  ({ status: 200, body: { kind: 'directory', directory: 'Group', entries, startIndex, total } });
const entry = (userId: string, extension: string): DirectoryEntry => ({ userId, extension });

/** The unanswered directory commands, oldest first. */
function directoryCommands(d: StepDriver): { commandId: number; command: Extract<XsiCommand, { op: 'GET directory' }> }[] {
  return d.pending().flatMap((p) => (p.command.op === 'GET directory' ? [{ commandId: p.commandId, command: p.command }] : []));
}

/** A fresh connector whose start-up learn was refused (so it knows no number yet). */
function freshConnector(): StepDriver {
  const d = new StepDriver({ groupEvents: GROUP });
  d.feed({ kind: 'xsp.channel', status: 'up' });
  for (const p of d.pending()) d.result(p.commandId, p.command.op === 'GET directory' ? { status: 503 } : { status: 200 });
  for (const p of d.pending()) d.result(p.commandId, { status: 503 });
  for (const p of d.pending()) d.result(p.commandId, { status: 503 });
  for (const p of d.pending()) d.result(p.commandId, { status: 503 });
  expect(d.pending()).toEqual([]);
  return d;
}

describe('a number the connector has never seen is searched for, and the request waits (no warm-up)', () => {
  it('MonitorStart 2107 on a fresh connector: one directory search, then the user is read and the monitor answered', () => {
    const d = freshConnector();
    const outs = d.request('1', { service: 'MonitorStart', monitorObject: '2107' });
    expect(answersIn(outs)).toEqual([]);
    expect(commandsIn(outs).map((c) => c.command)).toEqual([
      { op: 'GET directory', userId: ADMIN, directory: 'Group', query: { extension: '2107', number: '2107', anyCriterion: true }, group: SCOPE },
    ]);
    const [search] = directoryCommands(d);
    const found = d.result(search!.commandId, page([entry(D107, '2107')], 1, 1));
    expect(answersIn(found)).toEqual([]);
    expect(commandsIn(found).map((c) => `${c.command.op} ${c.command.userId}`)).toContain(`GET profile ${D107}`);
    const answered = d.answerFetch(D107, { ...DESK, extension: '2107' });
    expect(answersIn(answered)).toEqual([{ kind: 'csta.response', link: 'L1', invokeId: '1', response: { service: 'MonitorStartResponse', monitorCrossRefID: '1' } }]);
    expect(d.state.monitors['1']!.device).toBe('2107');
  });

  it('a number the directory does not have → invalidDeviceID, after the search and only then', () => {
    const d = freshConnector();
    expect(answersIn(d.request('1', { service: 'MonitorStart', monitorObject: '2999' }))).toEqual([]);
    const outs = d.result(directoryCommands(d)[0]!.commandId, page([], 1, 0));
    expect(errorOf(outs, '1')).toBe('operation/invalidDeviceID');
    expect(d.pending()).toEqual([]);
  });

  it('an agentID number the directory does not have → invalidAgentIdentifier', () => {
    const d = freshConnector();
    d.request('1', { service: 'SetAgentState', device: '2107', requestedAgentState: 'loggedOn', agentID: '3999' });
    const outs: Output[] = [];
    for (const s of directoryCommands(d)) {
      const q = s.command.query.extension;
      outs.push(...d.result(s.commandId, q === '2107' ? page([entry(D107, '2107')], 1, 1) : page([], 1, 0)));
    }
    expect(errorOf(outs, '1')).toBe('operation/invalidAgentIdentifier');
  });

  it('a search that keeps failing is not "no such number": the client gets networkOutOfService within its deadline', () => {
    const d = freshConnector();
    d.request('1', { service: 'GetAgentState', device: '2107' });
    const outs: Output[] = [];
    for (let i = 0; i < 10 && directoryCommands(d).length > 0; i++) outs.push(...d.result(directoryCommands(d)[0]!.commandId, { status: 500 }));
    expect(errorOf(outs, '1')).toBe('systemResourceAvailibility/networkOutOfService');
    expect(d.pending()).toEqual([]);
  });

  it('requests for the same unknown number (in any form) share one search and keep their arrival order', () => {
    const d = freshConnector();
    d.request('1', { service: 'GetAgentState', device: '2107' });
    d.request('2', { service: 'GetForwarding', device: '+2107' });
    d.request('3', { service: 'GetForwarding', device: 'tel:21-07' });
    const searches = directoryCommands(d);
    expect(searches.map((s) => s.command.query)).toEqual([
      { extension: '2107', number: '2107', anyCriterion: true },
      { number: '+2107' },
    ]);
    const outs: Output[] = [];
    for (const s of searches) outs.push(...d.result(s.commandId, s.command.query.extension ? page([entry(D107, '2107')], 1, 1) : page([], 1, 0)));
    outs.push(...d.answerFetch(D107, { ...DESK, extension: '2107' }));
    expect(answersIn(outs).map((a) => `${a.invokeId} ${a.kind}`)).toEqual(['2 csta.error', '1 csta.response', '3 csta.response']);
  });

  it('a request waiting for a search whose link closes is dropped silently', () => {
    const d = freshConnector();
    d.request('1', { service: 'MonitorStart', monitorObject: '2107' });
    d.feed({ kind: 'csta.linkClosed', link: 'L1' });
    const outs = d.result(directoryCommands(d)[0]!.commandId, page([entry(D107, '2107')], 1, 1));
    expect(answersIn(outs)).toEqual([]);
    expect(d.state.links).toEqual({});
  });

  it('without a directory to search (numberPlan false), an unknown number is invalidDeviceID at once', () => {
    const d = new StepDriver({ groupEvents: GROUP, numberPlan: false });
    expect(errorOf(d.request('1', { service: 'MonitorStart', monitorObject: '2107' }), '1')).toBe('operation/invalidDeviceID');
  });
});

describe('the number plan is learnt at start-up, page by page, and again on a timer', () => {
  const learnQuery = (start: number) => ({ op: 'GET directory', userId: ADMIN, directory: 'Group', query: { start, results: 100 }, group: SCOPE });

  it('the first up reads every page (start/results, following total); the numbers then resolve with no search', () => {
    const d = new StepDriver({ groupEvents: GROUP });
    const up = d.feed({ kind: 'xsp.channel', status: 'up' });
    expect(commandsIn(up).map((c) => c.command)).toContainEqual(learnQuery(1));
    const firstPage = Array.from({ length: 100 }, (_, i) => entry(`user-${i}@example.com`, String(5000 + i)));
    const next = d.result(directoryCommands(d)[0]!.commandId, page(firstPage, 1, 102));
    expect(commandsIn(next).map((c) => c.command)).toEqual([learnQuery(101)]);
    const last = d.result(directoryCommands(d)[0]!.commandId, page([entry(D107, '2107'), entry(A007, '3007')], 101, 102));
    expect(commandsIn(last)).toEqual([]);
    expect(last).toContainEqual({ kind: 'timer.set', timerId: 'numberPlan', at: 900_000 });
    // A number from the last page: straight to reading the user, no search.
    const outs = d.request('1', { service: 'MonitorStart', monitorObject: '3007' });
    expect(commandsIn(outs).map((c) => c.command.op)).not.toContain('GET directory');
    expect(commandsIn(outs).map((c) => c.command.userId)).toContain(A007);
    expect(commandsIn(d.request('2', { service: 'GetForwarding', device: '5042' })).map((c) => c.command.userId)).toContain('user-42@example.com');
  });

  it('the refresh learns the plan again and replaces it: a number gone from the directory is searched for again', () => {
    const d = new StepDriver({ groupEvents: GROUP });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    for (const p of d.pending()) d.result(p.commandId, p.command.op === 'GET directory' ? page([entry(D107, '2107'), entry(A007, '3007')], 1, 2) : { status: 200 });
    expect(d.timers.get('numberPlan')).toBe(900_000);
    const refresh = d.fire('numberPlan');
    expect(commandsIn(refresh).map((c) => c.command)).toEqual([learnQuery(1)]);
    d.result(directoryCommands(d)[0]!.commandId, page([entry(A007, '3007')], 1, 1));
    expect(d.timers.get('numberPlan')).toBe(1_800_000);
    expect(commandsIn(d.request('1', { service: 'GetAgentState', device: '2107' })).map((c) => c.command.op)).toEqual(['GET directory']);
    expect(commandsIn(d.request('2', { service: 'GetAgentState', device: '3007' })).map((c) => c.command.op)).not.toContain('GET directory');
  });

  it('a number dropped by a refresh while a request waits on another is searched then; the finished search is not repeated', () => {
    const d = new StepDriver({ groupEvents: GROUP });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    for (const p of d.pending()) d.result(p.commandId, p.command.op === 'GET directory' ? page([entry(D107, '2107')], 1, 1) : { status: 200 });
    d.request('1', { service: 'SetAgentState', device: '2107', requestedAgentState: 'loggedOn', agentID: '3007' });
    const [search3007] = directoryCommands(d);
    expect(search3007!.command.query.extension).toBe('3007');
    d.fire('numberPlan');
    const learn = directoryCommands(d).find((c) => c.command.query.start === 1)!;
    d.result(learn.commandId, page([entry(A007, '3007')], 1, 1)); // 2107 is gone from the directory now
    const outs = d.result(search3007!.commandId, page([entry(A007, '3007')], 1, 1));
    expect(commandsIn(outs).map((c) => c.command.op === 'GET directory' && c.command.query.extension)).toEqual(['2107']);
    expect(errorOf(d.result(directoryCommands(d)[0]!.commandId, page([], 1, 0)), '1')).toBe('operation/invalidDeviceID');
  });

  it('a learn that fails keeps what was known and tries again at the next refresh', () => {
    const d = new StepDriver({ groupEvents: GROUP });
    d.feed({ kind: 'xsp.channel', status: 'up' });
    for (const p of d.pending()) d.result(p.commandId, p.command.op === 'GET directory' ? page([entry(D107, '2107')], 1, 1) : { status: 200 });
    d.fire('numberPlan');
    let outs: Output[] = [];
    for (let i = 0; i < 10 && directoryCommands(d).length > 0; i++) outs = d.result(directoryCommands(d)[0]!.commandId, { status: 503 });
    expect(directoryCommands(d)).toEqual([]);
    expect(outs).toContainEqual({ kind: 'timer.set', timerId: 'numberPlan', at: 1_800_000 });
    expect(commandsIn(d.request('1', { service: 'GetAgentState', device: '2107' })).map((c) => c.command.op)).not.toContain('GET directory');
  });

  it('numbers learnt from a profile read resolve too, and a user re-numbered is found under the new number only', () => {
    const d = new StepDriver({ numberPlan: false });
    d.request('1', { service: 'GetAgentState', device: 'agent-001' });
    d.answerFetch('agent-001@example.com', AGENT);
    expect(commandsIn(d.request('2', { service: 'GetAgentState', device: '3001' })).length).toBe(0);
    expect(answersIn(d.log).map((a) => a.invokeId)).toContain('2');
  });
});
