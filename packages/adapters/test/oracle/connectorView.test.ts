/**
 * The verifier asks the connector, it does not read it (issue 14 item 7). The oracle, the
 * invariants, the explorer and the virtual world learn what the connector believes only through
 * the core's queries (`@csta-bw/core`, connector/queries.ts and pairings.ts), so the connector's
 * state can change shape behind them. A source scan: any `.field` of `ConnectorState` read on a
 * connector value (`w.connector.jobs`, or a name bound to one: `const c = w.connector`,
 * `c: ConnectorState`) fails here, naming the file and the line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');
const STATE = join(import.meta.dirname, '../../../core/src/connector/state.ts');

const tsIn = (dir: string) => readdirSync(join(SRC, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(SRC, dir, f));
const VERIFIER_FILES = [join(SRC, 'invariants.ts'), join(SRC, 'virtualWorld.ts'), ...tsIn('oracle'), ...tsIn('explore')];

/** The field names of `interface ConnectorState`, read from the core's source so a new field is covered at once. */
export function connectorFields(stateSource: string): string[] {
  const body = /export interface ConnectorState \{([\s\S]*?)\n\}/.exec(stateSource)?.[1];
  if (body === undefined) throw new Error('interface ConnectorState not found in state.ts');
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]!);
}

/** Lines of `text` that read a ConnectorState field on a connector value, as `line: text`. */
export function fieldReads(text: string, fields: readonly string[]): string[] {
  // Names bound to a connector: assigned from `<x>.connector`, or typed `ConnectorState`.
  const names = new Set<string>();
  for (const m of text.matchAll(/\b(?:const|let)\s+(\w+)\s*=\s*(?:\w+\.)?connector\b(?!\w|\s*\()/g)) names.add(m[1]!);
  for (const m of text.matchAll(/\b(\w+)\s*:\s*(?:Readonly<)?ConnectorState\b/g)) names.add(m[1]!);
  const holders = ['\\w+\\.connector', ...names].join('|');
  const read = new RegExp(`(?:^|[^\\w.])(?:${holders})\\s*(?:\\.|\\?\\.)\\s*(?:${fields.join('|')})\\b`);
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (/^\s*\*/.test(code)) return; // a doc comment line
    if (read.test(code)) out.push(`${i + 1}: ${line.trim()}`);
  });
  return out;
}

describe('the verifier reads no ConnectorState field', () => {
  const fields = connectorFields(readFileSync(STATE, 'utf8'));

  it('finds the fields and the files', () => {
    expect(fields).toEqual(expect.arrayContaining(['users', 'jobs', 'pairings', 'monitors', 'commands', 'config']));
    expect(VERIFIER_FILES.length).toBeGreaterThan(10);
  });

  it.each(VERIFIER_FILES.map((f) => [f.slice(SRC.length + 1), f]))('%s', (_name, file) => {
    expect(fieldReads(readFileSync(file, 'utf8'), fields)).toEqual([]);
  });

  it('the scan itself tells a field read from a query', () => {
    const f = ['users', 'jobs', 'pairings', 'config'];
    expect(fieldReads('for (const j of Object.values(w.connector.jobs)) {}', f)).toHaveLength(1);
    expect(fieldReads('const c = w.connector;\nconst owner = c.commands[1];\nconst u = c.users[id];', f)).toEqual(['3: const u = c.users[id];']);
    expect(fieldReads('function f(s: ConnectorState) { return s.pairings; }', f)).toHaveLength(1);
    expect(fieldReads('const dead = this.connector;\nObject.values(dead.config)', f)).toHaveLength(1);
    expect(fieldReads('const held = heldUsers(w.connector);\nconst t = w.xsp.users;\nd.users.find(x)', f)).toEqual([]);
    expect(fieldReads('// c.users is not read here\n * w.connector.jobs in a comment', f)).toEqual([]);
  });
});
