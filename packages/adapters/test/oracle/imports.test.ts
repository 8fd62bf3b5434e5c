/**
 * The oracle's independence (issue 16, blind spot 1): the files that judge the connector —
 * src/oracle/** and src/invariants.ts — take nothing but types from the core. A value import
 * (a table, a predicate, a normaliser) would let one misreading of DESIGN §4 be both the code's
 * behaviour and the oracle's truth. The one exception is the connector's queries (connector/queries.ts,
 * pairings.ts): what the connector believes is the very thing judged, asked rather than read out of
 * its fields (issue 14 item 7), and only src/oracle/connectorView.ts asks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const CORE_INDEX = join(import.meta.dirname, '../../../core/src/index.ts');
const VIEW = join(SRC, 'oracle', 'connectorView.ts');
const ORACLE_FILES = [
  join(SRC, 'invariants.ts'),
  ...readdirSync(join(SRC, 'oracle')).filter((f) => f.endsWith('.ts')).map((f) => join(SRC, 'oracle', f)),
];

/** Every `import … from '…'` / `export … from '…'` statement of a file, whole. */
function importStatements(text: string): string[] {
  return [...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+['"][^'"]+['"];?/gms)].map((m) => m[0]);
}

const CORE = /from\s+['"](?:@csta-bw\/core(?:\/[^'"]*)?|[^'"]*core\/src[^'"]*|[^'"]*\/connector\/[^'"]*)['"]/;

/** The value names a statement brings in: none for `import type {…}`; `*` for a default or namespace import. */
function valueNames(statement: string): string[] {
  if (/^(?:import|export)\s+type\s/.test(statement)) return [];
  const braces = /\{([^}]*)\}/.exec(statement);
  if (!braces) return ['*'];
  const names = braces[1]!.split(',').map((n) => n.trim()).filter(Boolean);
  return names.filter((n) => !n.startsWith('type ')).map((n) => n.split(/\s+as\s+/)[0]!);
}

const importsValues = (statement: string): boolean => valueNames(statement).length > 0;

/** The names the core's index exports from its query files (connector/queries.ts, pairings.ts). */
function coreQueries(indexSource: string): Set<string> {
  const out = new Set<string>();
  for (const m of indexSource.matchAll(/^export\s*\{([^}]*)\}\s*from\s*'\.\/connector\/(?:queries|pairings)\.js'/gm)) {
    for (const n of m[1]!.split(',').map((x) => x.trim()).filter((x) => x && !x.startsWith('type '))) out.add(n);
  }
  return out;
}

/** A core value import the oracle may make: queries only, from '@csta-bw/core', in connectorView.ts. */
function allowed(file: string, statement: string, queries: ReadonlySet<string>): boolean {
  return file === VIEW && /from\s+'@csta-bw\/core'/.test(statement) && valueNames(statement).every((n) => queries.has(n));
}

describe('the oracle imports nothing but types from the core', () => {
  it('finds the oracle files', () => {
    expect(ORACLE_FILES.length).toBeGreaterThan(3);
  });

  const queries = coreQueries(readFileSync(CORE_INDEX, 'utf8'));

  it.each(ORACLE_FILES.map((f) => [f.slice(SRC.length + 1), f]))('%s', (_name, file) => {
    const offending = importStatements(readFileSync(file, 'utf8')).filter((s) => CORE.test(s) && importsValues(s) && !allowed(file, s, queries));
    expect(offending).toEqual([]);
  });

  it('the queries the view may ask are the core\'s query exports, not its tables', () => {
    expect(queries.has('heldUsers')).toBe(true);
    expect(queries.has('CSTA_STATE_OF')).toBe(false);
    expect(allowed(VIEW, "import { heldUsers, type ConnectorState } from '@csta-bw/core';", queries)).toBe(true);
    expect(allowed(VIEW, "import { heldUsers, CSTA_STATE_OF } from '@csta-bw/core';", queries)).toBe(false);
    expect(allowed(join(SRC, 'invariants.ts'), "import { heldUsers } from '@csta-bw/core';", queries)).toBe(false);
  });

  it('the rule itself tells a value import from a type import', () => {
    expect(importsValues("import { CSTA_STATE_OF, type AgentACDState } from '@csta-bw/core';")).toBe(true);
    expect(importsValues("import type { AgentACDState } from '@csta-bw/core';")).toBe(false);
    expect(importsValues("import { type AgentACDState, type CstaRequest } from '@csta-bw/core';")).toBe(false);
    expect(CORE.test("import { x } from '../../core/src/connector/agentStates.js';")).toBe(true);
    expect(CORE.test("import { userView } from '@csta-bw/xsp-sim';")).toBe(false);
  });
});
