import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { EventOrder, MAX_SEQUENCE_NUMBER } from '../../src/xsi/eventOrder.js';

describe('EventOrder', () => {
  it('delivers an in-order run and drops a redelivered eventID', () => {
    const o = new EventOrder();
    expect(o.admit('e1', 's', 1)).toBe('deliver');
    expect(o.admit('e2', 's', 2)).toBe('deliver');
    expect(o.admit('e2', 's', 2)).toBe('duplicate');
    expect(o.admit('e3', 's', 3)).toBe('deliver');
  });

  it('reports a gap when numbers are skipped, then continues from the new number', () => {
    const o = new EventOrder();
    o.admit('e1', 's', 1);
    expect(o.admit('e4', 's', 4)).toBe('gap');
    expect(o.admit('e5', 's', 5)).toBe('deliver');
  });

  it('calls an older, unseen event stale', () => {
    const o = new EventOrder();
    o.admit('e5', 's', 5);
    expect(o.admit('e3', 's', 3)).toBe('stale');
  });

  it('keeps subscriptions apart', () => {
    const o = new EventOrder();
    expect(o.admit('a1', 'a', 7)).toBe('deliver');
    expect(o.admit('b1', 'b', 1)).toBe('deliver');
    expect(o.admit('a2', 'a', 8)).toBe('deliver');
  });

  it('wraps from 2147483647 to 1', () => {
    const o = new EventOrder();
    o.admit('x', 's', MAX_SEQUENCE_NUMBER - 1);
    expect(o.admit('y', 's', MAX_SEQUENCE_NUMBER)).toBe('deliver');
    expect(o.admit('z', 's', 1)).toBe('deliver');
    expect(o.admit('w', 's', 3)).toBe('gap');
  });

  it('a subscription we created must start at 1', () => {
    const o = new EventOrder();
    o.expectFresh('new');
    expect(o.admit('e', 'new', 2)).toBe('gap');
    const p = new EventOrder();
    p.expectFresh('new');
    expect(p.admit('e', 'new', 1)).toBe('deliver');
  });

  it('forgets the oldest eventIDs beyond its memory', () => {
    const o = new EventOrder(2);
    o.admit('e1', 's', 1);
    o.admit('e2', 's', 2);
    o.admit('e3', 's', 3);
    expect(o.admit('e3', 's', 3)).toBe('duplicate');
    expect(o.admit('e1', 's', 1)).toBe('stale'); // forgotten id, but old number: not delivered
  });

  test.prop([fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 60 })])(
    'every event id is admitted once: a replay of the whole stream is all duplicates',
    (seqs) => {
      const o = new EventOrder();
      seqs.forEach((n, i) => o.admit(`e${i}`, 's', n));
      expect(seqs.map((n, i) => o.admit(`e${i}`, 's', n)).every((v) => v === 'duplicate')).toBe(true);
    },
  );
});
