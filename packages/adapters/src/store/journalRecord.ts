/**
 * One line of the pairing journal or snapshot: `<tag> <crc32 as 8 hex digits> <json>\n`.
 *
 * Why a checksum per line: a crash can leave the last append half-written (or, on some file
 * systems, a block of zeros); the checksum tells a torn record from a good one, so load can
 * ignore exactly the torn tail and nothing else. The JSON is one line (JSON.stringify escapes
 * newlines inside strings), so `\n` always ends a record.
 *   J  journal record  {"seq": n, "changes": PairingChange[]}
 *   S  snapshot        {"seq": n, "pairings": SavedPairings}   (n = last journal seq folded in)
 */
import { crc32 } from 'node:zlib';

export type RecordTag = 'J' | 'S';

export function encodeRecord(tag: RecordTag, body: unknown): Buffer {
  const json = JSON.stringify(body);
  const sum = crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0');
  return Buffer.from(`${tag} ${sum} ${json}\n`, 'utf8');
}

/** The record's JSON body, or why the line is not a good record of this tag. */
export function decodeRecord(tag: RecordTag, line: string): { body: unknown } | { error: string } {
  const m = /^([A-Z]) ([0-9a-f]{8}) (.*)$/s.exec(line);
  if (!m) return { error: 'not a record line' };
  if (m[1] !== tag) return { error: `record tag "${m[1]!}" where "${tag}" belongs` };
  const json = m[3]!;
  if (crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0') !== m[2]) return { error: 'checksum mismatch' };
  try {
    return { body: JSON.parse(json) as unknown };
  } catch (e) {
    return { error: `bad JSON (${(e as Error).message})` };
  }
}
