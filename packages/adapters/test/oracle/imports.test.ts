/**
 * The oracle's independence (issue 16, blind spot 1): the files that judge the connector —
 * src/oracle/** and src/invariants.ts — take nothing but types from the core. A value import
 * (a table, a predicate, a normaliser) would let one misreading of DESIGN §4 be both the code's
 * behaviour and the oracle's truth.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const ORACLE_FILES = [
  join(SRC, 'invariants.ts'),
  ...readdirSync(join(SRC, 'oracle')).filter((f) => f.endsWith('.ts')).map((f) => join(SRC, 'oracle', f)),
];

/** Every `import … from '…'` / `export … from '…'` statement of a file, whole. */
function importStatements(text: string): string[] {
  return [...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+['"][^'"]+['"];?/gms)].map((m) => m[0]);
}

const CORE = /from\s+['"](?:@csta-bw\/core(?:\/[^'"]*)?|[^'"]*core\/src[^'"]*|[^'"]*\/connector\/[^'"]*)['"]/;

/** A statement that brings in values: not `import type {…}` and not every specifier `type X`. */
function importsValues(statement: string): boolean {
  if (/^(?:import|export)\s+type\s/.test(statement)) return false;
  const braces = /\{([^}]*)\}/.exec(statement);
  if (!braces) return true; // a default or namespace import: values
  const names = braces[1]!.split(',').map((n) => n.trim()).filter(Boolean);
  return names.some((n) => !n.startsWith('type '));
}

describe('the oracle imports nothing but types from the core', () => {
  it('finds the oracle files', () => {
    expect(ORACLE_FILES.length).toBeGreaterThan(3);
  });

  it.each(ORACLE_FILES.map((f) => [f.slice(SRC.length + 1), f]))('%s', (_name, file) => {
    const offending = importStatements(readFileSync(file, 'utf8')).filter((s) => CORE.test(s) && importsValues(s));
    expect(offending).toEqual([]);
  });

  it('the rule itself tells a value import from a type import', () => {
    expect(importsValues("import { CSTA_STATE_OF, type AgentACDState } from '@csta-bw/core';")).toBe(true);
    expect(importsValues("import type { AgentACDState } from '@csta-bw/core';")).toBe(false);
    expect(importsValues("import { type AgentACDState, type CstaRequest } from '@csta-bw/core';")).toBe(false);
    expect(CORE.test("import { x } from '../../core/src/connector/agentStates.js';")).toBe(true);
    expect(CORE.test("import { userView } from '@csta-bw/xsp-sim';")).toBe(false);
  });
});
