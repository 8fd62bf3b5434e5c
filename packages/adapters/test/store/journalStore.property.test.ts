/**
 * Property: whatever sequence of appends, compactions and crashes (a torn append, a crash at any
 * step of a compaction, a plain restart) the store lives through, `load()` after reopening equals
 * the fold of the appends that returned — the durable ones — in order.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fc, test } from '@fast-check/vitest';
import type { PairingChange } from '@csta-bw/core';
import { describe, expect } from 'vitest';
import { encodeRecord } from '../../src/store/journalRecord.js';
import { JOURNAL_FILE, JournalPairingStore, type CompactionStep } from '../../src/store/journalStore.js';
import { foldChanges } from '../../src/store/pairingStore.js';
import { pairing } from './fixtures.js';

type Op =
  | { kind: 'append'; changes: PairingChange[] }
  | { kind: 'compact' }
  | { kind: 'tornAppend'; changes: PairingChange[]; keep: number }
  | { kind: 'crashInCompaction'; step: CompactionStep }
  | { kind: 'restart' };

const host = fc.constantFrom('desk-101', 'desk-102', 'desk-103');
const change: fc.Arbitrary<PairingChange> = fc.oneof(
  fc.record({ host, guest: fc.constantFrom('agent-001', 'agent-002'), phase: fc.constantFrom('claimed', 'seated', 'releasing', 'owed' as const) })
    .map(({ host: h, guest, phase }) => ({ host: h, pairing: pairing(h, guest, phase) })),
  host.map((h) => ({ host: h, pairing: null })),
);
const changes = fc.array(change, { minLength: 1, maxLength: 3 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: changes.map((c) => ({ kind: 'append' as const, changes: c })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
  { weight: 1, arbitrary: fc.record({ changes, keep: fc.double({ min: 0, max: 0.999, noNaN: true }) }).map((r) => ({ kind: 'tornAppend' as const, ...r })) },
  { weight: 1, arbitrary: fc.constantFrom<CompactionStep>('snapshot-written', 'snapshot-renamed', 'journal-truncated').map((step) => ({ kind: 'crashInCompaction' as const, step })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

describe('JournalPairingStore (property)', () => {
  test.prop([fc.array(op, { maxLength: 30 }), fc.integer({ min: 1, max: 4 })], { numRuns: 150 })(
    'load after any prefix of appends, compactions and crashes = the fold of the durable appends',
    (ops, compactEvery) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csta-bw-store-prop-'));
      try {
        let crashAt: CompactionStep | undefined;
        const open = () => JournalPairingStore.open({
          dir, compactEvery, onCompactionStep: (s) => { if (s === crashAt) throw new Error('crash'); },
        });
        let store = open();
        let durable = {};
        for (const o of ops) {
          switch (o.kind) {
            case 'append':
              store.append(o.changes);
              durable = foldChanges(durable, o.changes);
              break;
            case 'compact':
              store.compact();
              break;
            case 'tornAppend': {
              // The process dies inside write(): part of a record reaches the file, the call never returns.
              const rec = encodeRecord('J', { seq: 10_000, changes: o.changes });
              store.close();
              fs.appendFileSync(path.join(dir, JOURNAL_FILE), rec.subarray(0, Math.floor(o.keep * rec.length)));
              store = open();
              break;
            }
            case 'crashInCompaction':
              crashAt = o.step;
              expect(() => store.compact()).toThrow('crash');
              crashAt = undefined;
              store.close();
              store = open();
              break;
            case 'restart':
              store.close();
              store = open();
              break;
          }
          expect(store.load()).toEqual(durable);
        }
        store.close();
        expect(open().load()).toEqual(durable);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
