/** The store contract's fold and the in-memory store (src/store/pairingStore.ts). */
import { describe, expect, it } from 'vitest';
import { foldChanges, MemoryPairingStore } from '../../src/store/pairingStore.js';
import { forget, pairing, seat } from './fixtures.js';

describe('foldChanges', () => {
  it('applies whole-record changes in order: the last change of a desk wins, null forgets it', () => {
    const folded = foldChanges({}, [seat('desk-101', 'agent-001'), seat('desk-102', 'agent-002'), forget('desk-101'), seat('desk-102', 'agent-003')]);
    expect(folded).toEqual({ 'desk-102': pairing('desk-102', 'agent-003') });
  });

  it('does not change its input or share records with the changes', () => {
    const before = { 'desk-101': pairing('desk-101', 'agent-001') };
    const change = seat('desk-102', 'agent-002');
    const after = foldChanges(before, [change]);
    expect(before).toEqual({ 'desk-101': pairing('desk-101', 'agent-001') });
    expect(after['desk-102']).not.toBe(change.pairing);
  });
});

describe('MemoryPairingStore', () => {
  it('load returns the fold of the appends, and compaction changes nothing', () => {
    const store = new MemoryPairingStore();
    store.append([seat('desk-101', 'agent-001')]);
    store.append([seat('desk-102', 'agent-002'), forget('desk-101')]);
    store.compact();
    expect(store.load()).toEqual({ 'desk-102': pairing('desk-102', 'agent-002') });
  });
});
