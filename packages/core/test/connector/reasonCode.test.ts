/**
 * A not-ready reason (issue 13 item 3, "CallCenter unavailable codes"): a SetAgentState notReady
 * that carries a reason code sends it as BroadWorks `agentUnavailableCode` on PUT CallCenter. A
 * reason BroadWorks could not take (more than 10 characters, blank) is refused before anything is
 * sent; on other requested states the reason means nothing and is not sent.
 */
import { describe, expect, it } from 'vitest';
import type { CstaRequest } from '../../src/index.js';
import { commandsIn, DESK, errorOf, StepDriver } from './support/stepDriver.js';

const H = 'desk-101@example.com';

/** desk-101 read, its own agent in `state`; returns the commands the request sent. */
function setState(requestedAgentState: string, reasonCode: string | undefined, state: 'Available' | 'Unavailable' = 'Available') {
  const d = new StepDriver({ numberPlan: false });
  const request = { service: 'SetAgentState', device: 'desk-101', requestedAgentState, ...(reasonCode !== undefined ? { reasonCode } : {}) } as CstaRequest;
  const outs = [...d.request('1', request)];
  outs.push(...d.answerFetch(H, { ...DESK, agentACDState: state }));
  return { d, outs, puts: commandsIn(outs).filter((c) => c.command.op === 'PUT CallCenter').map((c) => c.command) };
}

describe('not-ready reason → agentUnavailableCode', () => {
  it('notReady with a reason code: PUT CallCenter Unavailable with agentUnavailableCode', () => {
    expect(setState('notReady', '17').puts).toEqual([{ op: 'PUT CallCenter', userId: H, body: { agentACDState: 'Unavailable', agentUnavailableCode: '17' } }]);
  });

  it('already not ready: a reason code still goes out (the reason may be new); without one nothing does', () => {
    expect(setState('notReady', 'Lunch', 'Unavailable').puts).toEqual([{ op: 'PUT CallCenter', userId: H, body: { agentACDState: 'Unavailable', agentUnavailableCode: 'Lunch' } }]);
    expect(setState('notReady', undefined, 'Unavailable').puts).toEqual([]);
  });

  it('a reason on another requested state is not sent', () => {
    expect(setState('ready', '17', 'Unavailable').puts).toEqual([{ op: 'PUT CallCenter', userId: H, body: { agentACDState: 'Available' } }]);
  });

  it.each([['longer than 10', '12345678901'], ['blank', '  ']])('a reason code %s → invalidParameterValue, nothing sent', (_why, code) => {
    const { outs } = setState('notReady', code);
    expect(errorOf(outs, '1')).toBe('operation/invalidParameterValue');
    expect(commandsIn(outs)).toEqual([]);
  });
});
