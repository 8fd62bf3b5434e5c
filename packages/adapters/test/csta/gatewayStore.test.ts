/**
 * `startGateway` with a pairing store (DESIGN §9): the connector starts from the pairings the
 * store saved before a crash, and closing the gateway closes the store.
 */
import type { SavedPairings } from '@csta-bw/core';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../../src/csta/gateway.js';
import { MemoryPairingStore, type PairingStore } from '../../src/store/pairingStore.js';

const saved: SavedPairings = {
  'desk-101@example.com': {
    host: 'desk-101@example.com', guest: 'agent-001@example.com', phase: 'seated',
    restore: { forwardTo: '3001', forwarding: { active: false } }, owed: [], rounds: 0,
  },
};

describe('gateway with a pairing store', () => {
  it('starts the connector on the saved pairings and closes the store on close', async () => {
    let closed = 0;
    const store: PairingStore = Object.assign(new MemoryPairingStore(saved), { close: () => { closed++; } });
    const gw = await startGateway({ cstaPort: 0, xsp: { kind: 'model' }, store });
    try {
      expect(gw.runtime.connector.pairings).toEqual(saved);
    } finally {
      await gw.close();
    }
    expect(closed).toBe(1);
  });

  it('a store that cannot load stops the start with its error', async () => {
    const store = new MemoryPairingStore();
    store.load = () => { throw new Error('state dir unreadable'); };
    await expect(startGateway({ cstaPort: 0, xsp: { kind: 'model' }, store })).rejects.toThrow('state dir unreadable');
  });
});
