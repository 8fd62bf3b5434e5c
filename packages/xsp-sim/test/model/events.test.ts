import { describe, expect, it } from 'vitest';
import { ACK_TIMEOUT_MS, ackEvent, advance, isQuiescent, MAX_DELIVERY_ATTEMPTS, nextDueAt, type XspState } from '../../src/index.js';
import { agent, eventsOf, fresh, ok, run, withChannel } from './helpers.js';

/** A state with one Call Center Agent subscription on agent-001, two channels, one event just delivered. */
function oneDelivered(): { state: XspState; first: string; second: string; eventId: string; subscriptionId: string } {
  const a = withChannel(fresh());
  const b = withChannel(a.state, 0);
  let state = run(b.state, { op: 'SUBSCRIBE', userId: agent(1), packages: ['Call Center Agent'] }).state;
  const out = advance(state, 0);
  const [d] = out.deliveries;
  if (d?.kind !== 'event') throw new Error('expected the initial event');
  state = out.state;
  // Equal priority and weight: the set's choice for this subscription (nodes.test.ts covers the rule).
  expect([a.channelId, b.channelId]).toContain(d.channelId);
  const [first, second] = d.channelId === a.channelId ? [a.channelId, b.channelId] : [b.channelId, a.channelId];
  return { state, first, second, eventId: d.event.eventId, subscriptionId: d.event.subscriptionId };
}

describe('acknowledgements (reference §5.7)', () => {
  it('200 settles the event: nothing is redelivered and the model is quiescent', () => {
    const { state, first, eventId } = oneDelivered();
    expect(isQuiescent(state)).toBe(false);
    const acked = ackEvent(state, first, eventId, 200, 5);
    expect(isQuiescent(acked)).toBe(true);
    expect(advance(acked, 60_000).deliveries.filter((d) => d.kind === 'event')).toEqual([]);
  });

  it('no ack: redelivered after the ack timeout on the next channel, then the channel is declared non-responsive', () => {
    const { state, second, eventId } = oneDelivered();
    expect(nextDueAt(state)).toBe(ACK_TIMEOUT_MS);
    const again = advance(state, ACK_TIMEOUT_MS);
    expect(again.deliveries).toMatchObject([{ kind: 'event', channelId: second, event: { eventId } }]);
    let s = again.state;
    for (let i = 2; i < MAX_DELIVERY_ATTEMPTS; i++) s = advance(s, i * ACK_TIMEOUT_MS).state;
    const last = advance(s, MAX_DELIVERY_ATTEMPTS * ACK_TIMEOUT_MS);
    expect(last.deliveries).toMatchObject([{ kind: 'channelTerminated', reason: 'NonResponsiveChannel' }]);
    expect(last.state.pending[eventId]).toBeUndefined();
  });

  it('400 drops the event', () => {
    const { state, first, eventId } = oneDelivered();
    const s = ackEvent(state, first, eventId, 400, 5);
    expect(s.pending[eventId]).toBeUndefined();
    expect(advance(s, 60_000).deliveries).toEqual([]);
  });

  it('404 deletes the channel (UnknownChannel) and resends on another channel of the set', () => {
    const { state, first, second, eventId } = oneDelivered();
    const out = advance(ackEvent(state, first, eventId, 404, 5), 5);
    expect(out.deliveries).toMatchObject([
      { kind: 'channelTerminated', channelId: first, reason: 'UnknownChannel' },
      { kind: 'event', channelId: second, event: { eventId } },
    ]);
    expect(out.state.channels[first]).toBeUndefined();
  });

  it('481 deletes the subscription and drops the event', () => {
    const { state, first, eventId, subscriptionId } = oneDelivered();
    let s = ackEvent(state, first, eventId, 481, 5);
    expect(s.subscriptions[subscriptionId]).toBeUndefined();
    s = ok(s, { op: 'PUT CallCenter', userId: agent(1), body: { agentACDState: 'Available' } }, 6);
    expect(eventsOf(advance(s, 60_000).deliveries)).toEqual([]);
  });

  it('500 resends on the next channel, at most MAX_DELIVERY_ATTEMPTS times in all', () => {
    const { state, first, second, eventId } = oneDelivered();
    let s = state;
    const channels: string[] = [];
    let channel = first;
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS + 2; i++) {
      s = ackEvent(s, channel, eventId, 500, 5);
      const out = advance(s, 5);
      s = out.state;
      const [d] = out.deliveries;
      if (d?.kind !== 'event') break;
      channels.push(d.channelId);
      channel = d.channelId;
    }
    expect(channels).toEqual([second, first].slice(0, MAX_DELIVERY_ATTEMPTS - 1));
    expect(s.pending[eventId]).toBeUndefined();
  });

  it('an ack for an unknown or settled event leaves the state untouched', () => {
    const { state, first, eventId } = oneDelivered();
    expect(ackEvent(state, first, 'not-an-event', 200, 5)).toBe(state);
    const acked = ackEvent(state, first, eventId, 200, 5);
    expect(ackEvent(acked, first, eventId, 200, 6)).toBe(acked);
  });
});
