/**
 * `pnpm start` and its state dir (DESIGN §9): refused with the embedded simulator (its world dies
 * with the process), and a damaged journal stops the start with a message naming the file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
function start(...args: string[]) {
  return spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'scripts/start.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
}

describe('pnpm start --state-dir', () => {
  it('is refused without --xsp-url: the embedded simulator starts afresh each run', () => {
    const r = start('--state-dir', '/tmp/x');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--state-dir and --no-state go with --xsp-url: the embedded simulator's state dies with this process/);
  });

  it('says where pairings go in --help, with the default', () => {
    const r = start('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--state-dir DIR[\s\S]*default\s+\.\/csta-bw-state/);
  });

  it('refuses a journal damaged in the middle, naming the file and line, before listening', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csta-bw-start-'));
    try {
      // A good record after the bad one makes it corruption rather than a torn tail.
      const good = `{"seq":1,"changes":[]}`;
      fs.writeFileSync(path.join(dir, 'pairings.journal'), `J 00000000 {"seq":1,"changes":[]}\nJ ${crc32(good).toString(16).padStart(8, '0')} ${good}\n`);
      const r = start('--xsp-url', 'http://127.0.0.1:9', '--xsp-user', 'admin@example.com', '--xsp-password', 'secret', '--csta-port', '0', '--state-dir', dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/cannot use state dir .*pairings\.journal line 1: checksum mismatch, and a good record follows at line 2/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
