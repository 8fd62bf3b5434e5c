/** Issue 13 item 6: `--epoch` on pnpm trace and pnpm sim; the trace stays reproducible by default. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseEpoch } from '../epoch.js';

const tsx = (script: string, args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--conditions=source', `scripts/${script}.ts`, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('--epoch', () => {
  it('parses ISO date-times with a zone; refuses the rest with a clear message', () => {
    expect(parseEpoch('2030-01-02T03:04:05Z')).toBe(Date.UTC(2030, 0, 2, 3, 4, 5));
    expect(parseEpoch('2030-01-02T03:04:05.678+02:00')).toBe(Date.UTC(2030, 0, 2, 1, 4, 5, 678));
    for (const bad of ['2030-01-02', '2030-01-02T03:04:05', 'yesterday', '2030-13-02T00:00:00Z', '']) {
      expect(parseEpoch(bad), bad).toEqual({ error: expect.stringMatching(/^--epoch must be an ISO 8601 date-time with a zone/) });
    }
  });

  it('pnpm trace: byte-identical twice by default (fixed default epoch, real dates); --epoch moves the dates', () => {
    const a = tsx('trace', ['--scenario', 'external-release']);
    const b = tsx('trace', ['--scenario', 'external-release']);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('"hostAssociationDateTime":"2025-01-01T');
    expect(a.stdout).not.toContain('1970-01-01');
    const c = tsx('trace', ['--scenario', 'external-release', '--epoch', '2030-01-02T00:00:00Z']);
    expect(c.status).toBe(0);
    expect(c.stdout).toContain('"hostAssociationDateTime":"2030-01-02T');
    expect(c.stdout.replaceAll('2030-01-02', '2025-01-01').replace(/1893542400(\d{3})/g, (_, ms: string) => `1735689600${ms}`)).toBe(a.stdout);
  });

  it('a bad --epoch exits 2 with the reason (trace and sim)', () => {
    const t = tsx('trace', ['--epoch', 'soon']);
    expect(t.status).toBe(2);
    expect(t.stderr).toContain('--epoch must be an ISO 8601 date-time with a zone');
    const s = tsx('sim', ['--port', '0', '--epoch', 'soon']);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain('--epoch must be an ISO 8601 date-time with a zone');
  });
});
