/** Durable pairings (DESIGN §9): the store interface the run loop writes ahead to, and the default journal. */
export * from './pairingStore.js';
export * from './journalStore.js';
