/**
 * The pairing store: where the run loop makes the connector's pairings durable (DESIGN §9).
 *
 * Theory of operation: the core emits `pairings.save` outputs, each a list of whole-record
 * changes (a desk's new pairing, or null to forget it). A store keeps the fold of every change it
 * has acknowledged; `load()` after a restart hands that fold back for `createConnector`. The
 * contract an integrator's own store (a database, a replicated log) must keep:
 *   1. `append(changes)` is durable when it returns (or when its promise resolves): a crash
 *      after that point must not lose it. The run loop carries out nothing else of that step
 *      until then — that is the write-ahead rule.
 *   2. `load()` returns exactly `foldChanges({}, every acknowledged append, in order)`.
 *      An append that never returned may be there or not, but never half.
 *   3. `compact()` may rewrite the storage but never changes what `load()` returns.
 *   4. `lastRunClosedCleanly()` (optional) tells whether the process that used the store before
 *      this one reached `close()` quietly (no PUT of it on the wire): then none can still land.
 *      False, or a store without the method, counts as a crash — the connector then starts as a
 *      restart (a fence against redeliveries, DESIGN §9) even with no pairings saved, the safe side.
 * `journalStore.ts` is the default: an append-only file with fsync and snapshot compaction.
 */
import type { PairingChange, SavedPairings } from '@csta-bw/core';

export interface PairingStore {
  /** The pairings saved before this process started (the fold of all durable appends). */
  load(): SavedPairings | Promise<SavedPairings>;
  /** Make these changes durable; return (or resolve) only once they are. Throwing = not saved. */
  append(changes: PairingChange[]): void | Promise<void>;
  /** Collapse the history into the current pairings; `load()` is unchanged by it. */
  compact(): void | Promise<void>;
  /**
   * Release files/connections; no further calls follow. A graceful stop: the next run is told so —
   * unless `quiet` is false (a PUT of ours was still on the wire, `ConnectorRuntime.closedQuietly`):
   * that PUT may yet land, so the next run must start as after a crash.
   */
  close?(how?: { quiet?: boolean | undefined }): void | Promise<void>;
  /** Did the previous run close this store (a graceful stop)? Absent = unknown = crashed. */
  lastRunClosedCleanly?(): boolean | Promise<boolean>;
}

/** Applies changes in order: each names a desk's whole new record, or null to forget the desk. */
export function foldChanges(saved: SavedPairings, changes: readonly PairingChange[]): SavedPairings {
  const next: SavedPairings = { ...saved };
  for (const c of changes) {
    if (c.pairing === null) delete next[c.host];
    else next[c.host] = structuredClone(c.pairing);
  }
  return next;
}

/** A store that keeps the fold in memory only: for tests and for runs that must not persist. */
export class MemoryPairingStore implements PairingStore {
  private saved: SavedPairings;
  /** A memory store has no previous run unless a test says it had one that crashed. */
  constructor(initial: SavedPairings = {}, private readonly closedCleanly = true) {
    this.saved = structuredClone(initial);
  }
  lastRunClosedCleanly(): boolean {
    return this.closedCleanly;
  }
  load(): SavedPairings {
    return structuredClone(this.saved);
  }
  append(changes: PairingChange[]): void {
    this.saved = foldChanges(this.saved, changes);
  }
  compact(): void {}
}
