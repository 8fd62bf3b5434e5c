/**
 * The journal store (src/store/journalStore.ts): durable appends, torn tails, corruption, and a
 * crash at every point of a compaction. A "crash" is abandoning the store object without close
 * and opening a new one on the same dir — what a restarted process does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/store/journalRecord.js';
import { JOURNAL_FILE, JournalCorruptError, JournalPairingStore, SNAPSHOT_FILE, type CompactionStep } from '../../src/store/journalStore.js';
import { forget, pairing, seat } from './fixtures.js';

const dirs: string[] = [];
function stateDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'csta-bw-store-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const journal = (dir: string) => path.join(dir, JOURNAL_FILE);

describe('JournalPairingStore', () => {
  it('starts empty in a new dir (which it creates) and gives back every append after a reopen', () => {
    const dir = path.join(stateDir(), 'nested', 'state');
    const a = JournalPairingStore.open({ dir });
    expect(a.load()).toEqual({});
    a.append([seat('desk-101', 'agent-001')]);
    a.append([seat('desk-102', 'agent-002'), forget('desk-101')]);
    // No close: an append is durable when it returns, so a second process sees it.
    const b = JournalPairingStore.open({ dir });
    expect(b.load()).toEqual({ 'desk-102': pairing('desk-102', 'agent-002') });
    expect(b.recovery).toEqual({ records: 2, tornBytes: 0 });
  });

  it('ignores and truncates a last record cut short, and appends after it cleanly', () => {
    const dir = stateDir();
    const a = JournalPairingStore.open({ dir });
    a.append([seat('desk-101', 'agent-001')]);
    const goodLength = fs.statSync(journal(dir)).size;
    const torn = encodeRecord('J', { seq: 2, changes: [seat('desk-102', 'agent-002')] });
    fs.appendFileSync(journal(dir), torn.subarray(0, torn.length - 7));

    const b = JournalPairingStore.open({ dir });
    expect(b.load()).toEqual({ 'desk-101': pairing('desk-101', 'agent-001') });
    expect(b.recovery.tornBytes).toBe(torn.length - 7);
    expect(fs.statSync(journal(dir)).size).toBe(goodLength);
    b.append([seat('desk-103', 'agent-003')]);
    expect(JournalPairingStore.open({ dir }).load()).toEqual({
      'desk-101': pairing('desk-101', 'agent-001'), 'desk-103': pairing('desk-103', 'agent-003'),
    });
  });

  it('ignores a complete last line whose checksum fails (a torn block), and a tail of zeros', () => {
    const dir = stateDir();
    const a = JournalPairingStore.open({ dir });
    a.append([seat('desk-101', 'agent-001')]);
    const bad = Buffer.from(encodeRecord('J', { seq: 2, changes: [forget('desk-101')] }));
    bad[bad.length - 5] = bad[bad.length - 5]! ^ 0x01;
    fs.appendFileSync(journal(dir), Buffer.concat([bad, Buffer.alloc(64)]));
    const b = JournalPairingStore.open({ dir });
    expect(b.load()).toEqual({ 'desk-101': pairing('desk-101', 'agent-001') });
    expect(b.recovery.tornBytes).toBe(bad.length + 64);
  });

  it('refuses a damaged record with good records after it: corruption, not a torn write', () => {
    const dir = stateDir();
    const a = JournalPairingStore.open({ dir });
    a.append([seat('desk-101', 'agent-001')]);
    a.append([seat('desk-102', 'agent-002')]);
    a.append([seat('desk-103', 'agent-003')]);
    const bytes = fs.readFileSync(journal(dir));
    bytes[bytes.indexOf('agent-002')] = 'A'.charCodeAt(0);
    fs.writeFileSync(journal(dir), bytes);
    expect(() => JournalPairingStore.open({ dir })).toThrow(JournalCorruptError);
    expect(() => JournalPairingStore.open({ dir })).toThrow(/pairings\.journal line 2: checksum mismatch, and a good record follows at line 3/);
    // Refusing must not repair anything behind the operator's back.
    expect(fs.readFileSync(journal(dir))).toEqual(bytes);
  });

  it('refuses a missing record (sequence gap) and a damaged snapshot', () => {
    const gap = stateDir();
    fs.writeFileSync(journal(gap), Buffer.concat([
      encodeRecord('J', { seq: 1, changes: [seat('desk-101', 'agent-001')] }),
      encodeRecord('J', { seq: 3, changes: [forget('desk-101')] }),
    ]));
    expect(() => JournalPairingStore.open({ dir: gap })).toThrow(/line 2: record seq 3 where 2 belongs/);

    const snap = stateDir();
    fs.writeFileSync(path.join(snap, SNAPSHOT_FILE), 'S 00000000 {"seq":1,"pairings":{}}\n');
    expect(() => JournalPairingStore.open({ dir: snap })).toThrow(/pairings\.snapshot: checksum mismatch/);

    const shape = stateDir();
    fs.writeFileSync(journal(shape), encodeRecord('J', { seq: 1, changes: [{ desk: 'desk-101' }] }));
    expect(() => JournalPairingStore.open({ dir: shape })).toThrow(/line 1: expected \{"seq": n, "changes"/);
  });

  it('compacts every N appends into the snapshot and an empty journal', () => {
    const dir = stateDir();
    const a = JournalPairingStore.open({ dir, compactEvery: 2 });
    a.append([seat('desk-101', 'agent-001')]);
    expect(fs.existsSync(path.join(dir, SNAPSHOT_FILE))).toBe(false);
    a.append([seat('desk-102', 'agent-002')]);
    expect(fs.statSync(journal(dir)).size).toBe(0);
    a.append([forget('desk-101')]);
    const b = JournalPairingStore.open({ dir });
    expect(b.load()).toEqual({ 'desk-102': pairing('desk-102', 'agent-002') });
    expect(b.recovery.records).toBe(1);
  });

  it.each<CompactionStep>(['snapshot-written', 'snapshot-renamed', 'journal-truncated'])(
    'a crash after "%s" of a compaction loses nothing, and the store goes on from there',
    (crashAt) => {
      const dir = stateDir();
      const a = JournalPairingStore.open({ dir, onCompactionStep: (s) => { if (s === crashAt) throw new Error(`crash at ${s}`); } });
      a.append([seat('desk-101', 'agent-001')]);
      a.append([seat('desk-102', 'agent-002')]);
      a.append([forget('desk-101')]);
      // The process dies inside the compaction: nothing after that step happens.
      expect(() => a.compact()).toThrow(`crash at ${crashAt}`);

      const b = JournalPairingStore.open({ dir, compactEvery: 3 });
      expect(b.load()).toEqual({ 'desk-102': pairing('desk-102', 'agent-002') });
      expect(fs.existsSync(path.join(dir, 'pairings.snapshot.tmp'))).toBe(false);
      b.append([seat('desk-103', 'agent-003')]);
      b.append([forget('desk-102')]);
      expect(JournalPairingStore.open({ dir }).load()).toEqual({ 'desk-103': pairing('desk-103', 'agent-003') });
    },
  );

  it('reports a failed periodic compaction without failing the append that was already durable', () => {
    const dir = stateDir();
    const errors: string[] = [];
    const a = JournalPairingStore.open({
      dir, compactEvery: 1, onCompactionError: (e) => errors.push(e.message), onCompactionStep: () => { throw new Error('disk full'); },
    });
    a.append([seat('desk-101', 'agent-001')]);
    expect(errors).toEqual(['disk full']);
    expect(JournalPairingStore.open({ dir }).load()).toEqual({ 'desk-101': pairing('desk-101', 'agent-001') });
  });

  it('refuses appends after close, and a bad compactEvery up front', () => {
    const a = JournalPairingStore.open({ dir: stateDir() });
    a.close();
    expect(() => a.append([seat('desk-101', 'agent-001')])).toThrow(/is closed/);
    expect(() => JournalPairingStore.open({ dir: stateDir(), compactEvery: 0 })).toThrow(/compactEvery must be a whole number ≥ 1, got 0/);
  });
});
