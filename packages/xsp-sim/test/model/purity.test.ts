/** The model is pure by construction: no clock, no randomness, no I/O, no async, no timers. */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const modelDir = join(dirname(fileURLToPath(import.meta.url)), '../../src/model');
const FORBIDDEN = /\bDate\s*[.(]|new Date\b|Math\.random|setTimeout|setInterval|setImmediate|performance\.now|process\.|from ['"]node:|\basync\b|\bawait\b|crypto\./;

it('src/model imports no clock, random source, I/O or timers', () => {
  const files = readdirSync(modelDir).filter((f) => f.endsWith('.ts'));
  expect(files.length).toBeGreaterThan(10);
  for (const f of files) {
    const code = readFileSync(join(modelDir, f), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(code.match(FORBIDDEN)?.[0], f).toBeUndefined();
    // Module-level mutable state: no top-level `let`/`var`.
    expect(code.match(/^(let|var)\s/m)?.[0], f).toBeUndefined();
  }
});
