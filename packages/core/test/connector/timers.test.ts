/**
 * Timers as typed data (connector/timers.ts): the id the shell sees is the one encoding of a
 * `Timer`, and `readTimerId` its exact inverse — an id the connector never makes is refused.
 */
import { describe, expect, it } from 'vitest';
import { readTimerId, timerId, type Timer } from '../../src/connector/timers.js';

const TIMERS: Timer[] = [
  { kind: 'cmd', commandId: 12 },
  { kind: 'retry', jobId: 'j3' },
  { kind: 'saga', jobId: 'j3' },
  { kind: 'deadline', jobId: 'j40' },
  { kind: 'reread', op: 'GET CallCenter', userId: 'desk-101@example.com' },
  { kind: 'reread', op: 'SUBSCRIBE', userId: 'admin@example.com' },
  { kind: 'repair' },
  { kind: 'numberPlan' },
];

describe('timers: typed data, one encoding', () => {
  it('the ids are the ones the shell has always seen', () => {
    expect(TIMERS.map(timerId)).toEqual([
      'cmd:12', 'retry:j3', 'saga:j3', 'deadline:j40', 'reread:GET CallCenter|desk-101@example.com', 'reread:SUBSCRIBE|admin@example.com', 'repair', 'numberPlan',
    ]);
  });

  it.each(TIMERS.map((t) => [timerId(t), t]))('%s reads back as the timer it encodes', (id, t) => {
    expect(readTimerId(id)).toEqual(t);
  });

  it.each([['cmd:'], ['cmd:x'], ['cmd:01'], ['cmd:-3'], ['saga:'], ['reread:GET CallCenter'], ['reread:PUT CallCenter|u'], ['later:1'], ['repair:1'], [''], [42], [null]])(
    'refuses %j, an id the connector never makes', (id) => {
      expect(readTimerId(id)).toBeUndefined();
    });
});
