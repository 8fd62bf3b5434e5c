/**
 * The benches ask the connector through the core's queries, as the verifier does (issue 14
 * item 7): no `ConnectorState` field read on a connector value in scripts/bench*.ts, so the
 * state can change shape without breaking `pnpm bench`. A source scan: a field read on
 * `….connector`, or on a name bound to a connector (`= createConnector(…)`, `: ConnectorState`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPTS = join(import.meta.dirname, '..');
const STATE = join(import.meta.dirname, '../../packages/core/src/connector/state.ts');
const BENCHES = readdirSync(SCRIPTS).filter((f) => /^bench.*\.ts$/.test(f));

/** The field names of `interface ConnectorState`, from the core's source (a new field is covered at once). */
function connectorFields(): string[] {
  const body = /export interface ConnectorState \{([\s\S]*?)\n\}/.exec(readFileSync(STATE, 'utf8'))?.[1];
  if (body === undefined) throw new Error('interface ConnectorState not found in state.ts');
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1]!);
}

/** Lines of `text` reading a ConnectorState field on a connector value, as `line: text`. */
function fieldReads(text: string, fields: readonly string[]): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\b(?:const|let)\s+(\w+)\s*=\s*createConnector\(/g)) names.add(m[1]!);
  for (const m of text.matchAll(/\b(\w+)\s*:\s*(?:Readonly<)?ConnectorState\b/g)) names.add(m[1]!);
  const holders = ['\\.connector', ...[...names].map((n) => `(?<![\\w.])${n}`)].join('|');
  const read = new RegExp(`(?:${holders})\\s*(?:\\.|\\?\\.)\\s*(?:${fields.join('|')})\\b`);
  return text.split('\n').flatMap((line, i) => (read.test(line.replace(/\/\/.*$/, '')) ? [`${i + 1}: ${line.trim()}`] : []));
}

describe('the benches read no ConnectorState field', () => {
  const fields = connectorFields();

  it('finds the fields and the benches; the scan tells a field read from a query', () => {
    expect(fields).toEqual(expect.arrayContaining(['monitors', 'channel', 'config']));
    expect(BENCHES).toEqual(expect.arrayContaining(['bench.ts', 'bench-core.ts', 'bench-http.ts']));
    expect(fieldReads('x(run.world.connector.config)', fields)).toHaveLength(1);
    expect(fieldReads('while (runtime.connector.channel !== "up")', fields)).toHaveLength(1);
    expect(fieldReads('function f(): { state: ConnectorState } {\n  return Object.keys(state.monitors);\n}', fields)).toEqual(['2: return Object.keys(state.monitors);']);
    expect(fieldReads('x(channelStatus(run.world.connector)); openMonitors(state).length', fields)).toEqual([]);
  });

  it.each(BENCHES)('%s', (file) => {
    expect(fieldReads(readFileSync(join(SCRIPTS, file), 'utf8'), fields)).toEqual([]);
  });
});
