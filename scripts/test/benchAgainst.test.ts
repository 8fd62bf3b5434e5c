/**
 * `pnpm bench:against` (scripts/bench-against.ts): an older build's replay next to this tree's, in
 * one process. Refusals name what is wrong; the interleaving runs each side's own bench-core.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { interleave } from '../bench-against.js';
import * as core from '../bench-core.js';

const root = path.resolve(__dirname, '../..');
function against(...args: string[]) {
  return spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'scripts/bench-against.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
}

describe('pnpm bench:against', () => {
  it('wants exactly one of --rev and --old', () => {
    for (const args of [[], ['--rev', 'HEAD', '--old', '/tmp']]) {
      const r = against(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^bench:against: give exactly one of --rev REV and --old DIR\nusage: pnpm bench:against/);
    }
  });

  it('refuses a revision that names no commit, a directory that is no checkout, and a bad --limit', () => {
    const rev = against('--rev', 'no-such-revision-xyz');
    expect(rev.status).toBe(2);
    expect(rev.stderr).toMatch(/--rev no-such-revision-xyz names no commit of this repository/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csta-bw-against-'));
    try {
      const old = against('--old', dir);
      expect(old.status).toBe(2);
      expect(old.stderr).toContain(`${dir} has no scripts/bench-core.ts: not a checkout of csta-bw`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const limit = against('--old', root, '--limit', 'ten');
    expect(limit.status).toBe(2);
    expect(limit.stderr).toMatch(/--limit must be a ratio such as 0.9, got "ten"/);
  });

  it('interleaves the two builds round by round and gives new ÷ old of the medians', () => {
    // This tree against itself, one short round each: the figures are real replays of each side's own recording.
    const a = interleave(core, core, 1, 1, 1);
    expect(a.old).toHaveLength(1);
    expect(a.new).toHaveLength(1);
    expect(a.old[0]).toBeGreaterThan(0);
    expect(a.new[0]).toBeGreaterThan(0);
    expect(a.ratio).toBeCloseTo(a.new[0]! / a.old[0]!, 10);
  }, 30_000);
});
