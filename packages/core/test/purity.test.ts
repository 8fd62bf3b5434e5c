/**
 * The core is pure by construction (DESIGN §1): no clock, no randomness, no I/O, no async, no
 * timers, no module-level mutable state — and it imports no package of ours.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const srcDir = join(dirname(fileURLToPath(import.meta.url)), '../src');
const FORBIDDEN = /\bDate\s*[.(]|new Date\b|Math\.random|setTimeout|setInterval|setImmediate|queueMicrotask|performance\.now|process\.|from ['"]node:|\bawait\b|\basync\s+(function|\(|[a-zA-Z_]+\s*\()|crypto\.|\bfetch\(|require\(/;
const ALLOWED_IMPORTS = /from ['"](\.{1,2}\/[^'"]+|xstate|fast-xml-parser)['"]/;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

it('packages/core/src reads no clock, draws no random number, does no I/O, keeps no module state', () => {
  const files = sources(srcDir);
  expect(files.length).toBeGreaterThan(20);
  for (const f of files) {
    const name = relative(srcDir, f);
    const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code.match(FORBIDDEN)?.[0], name).toBeUndefined();
    expect(code.match(/^(let|var)\s/m)?.[0], name).toBeUndefined();
    for (const line of code.split('\n').filter((l) => /^\s*(import|export)\b.*\bfrom\b/.test(l))) {
      expect(ALLOWED_IMPORTS.test(line), `${name}: ${line.trim()}`).toBe(true);
    }
  }
});
