/**
 * The default pairing store: an append-only journal file with a snapshot, in one state dir.
 *
 * Theory of operation (files in `dir`):
 *   pairings.snapshot       one S record: every pairing as of journal seq n (may be absent)
 *   pairings.journal        J records seq n+1, n+2, … — each one `append` call, fsynced before
 *                           `append` returns (that is what makes the run loop's write-ahead hold)
 *   pairings.snapshot.tmp   a compaction in progress; ignored and removed on open
 *   pairings.closed         the clean-shutdown marker: written (fsynced) by a graceful `close`,
 *                           removed (durably) by `open` — so a process killed at any point after
 *                           its open leaves no marker, and the next open reports a crash
 *                           (`lastRunClosedCleanly()` false) even with no pairings saved. A new dir
 *                           (no journal yet) had no previous run: clean. A store whose append
 *                           failed is not marked at close: its loop stopped mid-run; nor one
 *                           closed with `{ quiet: false }`: a PUT of ours was still on the wire.
 * Compaction (every `compactEvery` appends, or on `compact()`): write the fold to the temp file,
 * fsync it, rename it over the snapshot, fsync the dir, then truncate the journal and fsync it.
 * A crash between any two of those steps loses nothing: the old snapshot + journal, or the new
 * snapshot + a journal whose records it already holds (seq ≤ n is skipped on load), both fold
 * to the same pairings.
 * Open tolerates a torn tail — a last line cut short or failing its checksum, with nothing good
 * after it — by ignoring it and truncating it away: that append never returned, so nobody relied
 * on it. A bad record with good records after it, a sequence gap or a bad snapshot is corruption
 * and `open` refuses with a JournalCorruptError naming the file, line and reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PairingChange, SavedPairings } from '@csta-bw/core';
import { decodeRecord, encodeRecord } from './journalRecord.js';
import { foldChanges, type PairingStore } from './pairingStore.js';

export const JOURNAL_FILE = 'pairings.journal';
export const SNAPSHOT_FILE = 'pairings.snapshot';
export const CLOSED_FILE = 'pairings.closed';
const SNAPSHOT_TMP = 'pairings.snapshot.tmp';

/** The points inside a compaction, in order (tests crash the store at each). */
export type CompactionStep = 'snapshot-written' | 'snapshot-renamed' | 'journal-truncated';

export interface JournalStoreOptions {
  dir: string;
  /** Compact after this many appends since the last compaction (default 1000). */
  compactEvery?: number;
  /** A periodic compaction failed (the append itself was durable); it is retried next time. */
  onCompactionError?: (err: Error) => void;
  /** Test hook: called after each compaction step; throwing there simulates a crash. */
  onCompactionStep?: (step: CompactionStep) => void;
}

/** The state dir holds something this store did not write, or damage that is not a torn tail. */
export class JournalCorruptError extends Error {
  override name = 'JournalCorruptError';
}

/** What `open` found and repaired. */
export interface JournalRecovery {
  /** Journal records folded in on top of the snapshot. */
  records: number;
  /** Bytes of a torn last record that were ignored and truncated away (0: none). */
  tornBytes: number;
}

export class JournalPairingStore implements PairingStore {
  private saved: SavedPairings;
  private seq: number;
  private sinceCompaction: number;
  private journalBytes: number;
  private fd: number | undefined;
  private broken: Error | undefined;
  private readonly compactEvery: number;
  private readonly closedCleanly: boolean;

  private constructor(private readonly opts: JournalStoreOptions, loaded: Loaded, readonly recovery: JournalRecovery) {
    this.closedCleanly = loaded.closedCleanly;
    this.saved = loaded.saved;
    this.seq = loaded.seq;
    this.sinceCompaction = loaded.records;
    this.journalBytes = loaded.journalBytes;
    this.compactEvery = opts.compactEvery ?? 1000;
    this.fd = fs.openSync(this.file(JOURNAL_FILE), 'a');
  }

  /** Creates `dir` if needed, reads snapshot + journal, repairs a torn tail. Throws JournalCorruptError. */
  static open(opts: JournalStoreOptions): JournalPairingStore {
    if (opts.compactEvery !== undefined && (!Number.isInteger(opts.compactEvery) || opts.compactEvery < 1)) {
      throw new RangeError(`compactEvery must be a whole number ≥ 1, got ${opts.compactEvery}`);
    }
    fs.mkdirSync(opts.dir, { recursive: true });
    fs.rmSync(path.join(opts.dir, SNAPSHOT_TMP), { force: true });
    const fresh = !fs.existsSync(path.join(opts.dir, JOURNAL_FILE)) && !fs.existsSync(path.join(opts.dir, SNAPSHOT_FILE));
    const marker = path.join(opts.dir, CLOSED_FILE);
    const marked = fs.existsSync(marker);
    // Cleared before this run acts: from here on, only our own graceful close writes it again.
    if (marked) {
      fs.rmSync(marker);
      syncDir(opts.dir);
    }
    const loaded = { ...readState(opts.dir), closedCleanly: fresh || marked };
    return new JournalPairingStore(opts, loaded, { records: loaded.records, tornBytes: loaded.tornBytes });
  }

  load(): SavedPairings {
    return structuredClone(this.saved);
  }

  lastRunClosedCleanly(): boolean {
    return this.closedCleanly;
  }

  append(changes: PairingChange[]): void {
    if (this.broken) throw this.broken;
    const fd = this.openFd();
    const record = encodeRecord('J', { seq: this.seq + 1, changes });
    try {
      writeAll(fd, record);
      fs.fsyncSync(fd);
    } catch (err) {
      // Not durable: take the partial line back so later appends do not follow garbage, and
      // refuse further appends — the caller must not act as if this one was saved.
      try {
        fs.ftruncateSync(fd, this.journalBytes);
      } catch { /* the original error is the one to report */ }
      this.broken = new Error(`cannot append to ${this.file(JOURNAL_FILE)}: ${(err as Error).message}`);
      throw this.broken;
    }
    this.journalBytes += record.length;
    this.seq++;
    this.saved = foldChanges(this.saved, changes);
    if (++this.sinceCompaction >= this.compactEvery) {
      try {
        this.compact();
      } catch (err) {
        this.opts.onCompactionError?.(err as Error);
      }
    }
  }

  compact(): void {
    if (this.broken) throw this.broken;
    const fd = this.openFd();
    const step = this.opts.onCompactionStep ?? (() => {});
    const tmp = this.file(SNAPSHOT_TMP);
    const snap = encodeRecord('S', { seq: this.seq, pairings: this.saved });
    const out = fs.openSync(tmp, 'w');
    try {
      writeAll(out, snap);
      fs.fsyncSync(out);
    } finally {
      fs.closeSync(out);
    }
    step('snapshot-written');
    fs.renameSync(tmp, this.file(SNAPSHOT_FILE));
    syncDir(this.opts.dir);
    step('snapshot-renamed');
    fs.ftruncateSync(fd, 0);
    fs.fsyncSync(fd);
    this.journalBytes = 0;
    this.sinceCompaction = 0;
    step('journal-truncated');
  }

  close(how: { quiet?: boolean | undefined } = {}): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
    if (this.broken) return; // the loop stopped mid-run: the next start must treat it as a crash
    if (how.quiet === false) return; // a PUT of ours was on the wire: it may land after we are gone
    const out = fs.openSync(this.file(CLOSED_FILE), 'w');
    try {
      fs.fsyncSync(out);
    } finally {
      fs.closeSync(out);
    }
    syncDir(this.opts.dir);
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error(`pairing store ${this.opts.dir} is closed`);
    return this.fd;
  }

  private file(name: string): string {
    return path.join(this.opts.dir, name);
  }
}

interface Loaded {
  saved: SavedPairings;
  seq: number;
  records: number;
  journalBytes: number;
  tornBytes: number;
  closedCleanly: boolean;
}

function readState(dir: string): Omit<Loaded, 'closedCleanly'> {
  const snapFile = path.join(dir, SNAPSHOT_FILE);
  let saved: SavedPairings = {};
  let snapSeq = 0;
  if (fs.existsSync(snapFile)) {
    const text = fs.readFileSync(snapFile, 'utf8');
    // The snapshot only ever appears by rename of a fsynced file: any damage is real corruption.
    const decoded = text.endsWith('\n') && !text.slice(0, -1).includes('\n') ? decodeRecord('S', text.slice(0, -1)) : { error: 'not exactly one record line' };
    if ('error' in decoded) throw new JournalCorruptError(`${snapFile}: ${decoded.error}`);
    const body = decoded.body as { seq?: unknown; pairings?: unknown };
    if (!isSeq(body.seq) || !isRecordObject(body.pairings)) throw new JournalCorruptError(`${snapFile}: expected {"seq": n, "pairings": {…}}`);
    saved = body.pairings as SavedPairings;
    snapSeq = body.seq;
  }

  const journalFile = path.join(dir, JOURNAL_FILE);
  const created = !fs.existsSync(journalFile);
  if (created) {
    fs.closeSync(fs.openSync(journalFile, 'a'));
    syncDir(dir);
  }
  const bytes = fs.readFileSync(journalFile);
  const good: { line: number; seq: number; changes: PairingChange[] }[] = [];
  let goodEnd = 0;
  let firstBad: { line: number; offset: number; error: string } | undefined;
  let start = 0;
  let line = 0;
  while (start < bytes.length) {
    line++;
    const nl = bytes.indexOf(0x0a, start);
    if (nl < 0) {
      firstBad ??= { line, offset: start, error: 'cut short (no end of line)' };
      break;
    }
    const decoded = decodeRecord('J', bytes.subarray(start, nl).toString('utf8'));
    if ('error' in decoded) {
      firstBad ??= { line, offset: start, error: decoded.error };
    } else if (firstBad) {
      throw new JournalCorruptError(`${journalFile} line ${firstBad.line}: ${firstBad.error}, and a good record follows at line ${line} — not a torn last write; refusing to guess`);
    } else {
      const entry = journalEntry(decoded.body);
      if (!entry) throw new JournalCorruptError(`${journalFile} line ${line}: expected {"seq": n, "changes": [{"host", "pairing"}…]}`);
      good.push({ line, ...entry });
      goodEnd = nl + 1;
    }
    start = nl + 1;
  }

  let seq = snapSeq;
  let records = 0;
  for (const r of good) {
    if (r.seq <= snapSeq) continue; // folded into the snapshot already (crash before truncation)
    if (r.seq !== seq + 1) throw new JournalCorruptError(`${journalFile} line ${r.line}: record seq ${r.seq} where ${seq + 1} belongs (a record is missing)`);
    saved = foldChanges(saved, r.changes);
    seq = r.seq;
    records++;
  }
  const tornBytes = bytes.length - goodEnd;
  if (tornBytes > 0) {
    const fd = fs.openSync(journalFile, 'r+');
    try {
      fs.ftruncateSync(fd, goodEnd);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  return { saved, seq, records, journalBytes: goodEnd, tornBytes };
}

function journalEntry(body: unknown): { seq: number; changes: PairingChange[] } | undefined {
  if (!isRecordObject(body) || !isSeq(body['seq']) || !Array.isArray(body['changes'])) return undefined;
  for (const c of body['changes'] as unknown[]) {
    if (!isRecordObject(c) || typeof c['host'] !== 'string') return undefined;
    const p = c['pairing'];
    if (p !== null && !(isRecordObject(p) && typeof p['host'] === 'string' && typeof p['guest'] === 'string')) return undefined;
  }
  return { seq: body['seq'], changes: body['changes'] as PairingChange[] };
}

function isSeq(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function isRecordObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

/** Makes a rename or a new file in `dir` durable (POSIX: fsync the directory). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    // Some platforms (Windows) cannot open or fsync a directory; there the rename is what we have.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EACCES') throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
