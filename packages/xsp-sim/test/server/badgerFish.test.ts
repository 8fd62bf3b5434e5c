import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { badgerFishToXml, jsonBodyToXml, xmlToBadgerFish } from '../../src/server/badgerFish.js';

const NS = 'http://schema.broadsoft.com/xsi';

describe('BadgerFish', () => {
  it('XML → JSON: $ for text, @xmlns where declared, arrays for repeated siblings, {} for empty', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?><Services xmlns="${NS}"><service><name>Hoteling Guest</name><uri>/v2.0/a</uri></service><service><name>Call Center</name><uri>/v2.0/b</uri></service><none/></Services>`;
    expect(xmlToBadgerFish(xml)).toEqual({
      Services: {
        '@xmlns': { $: NS },
        service: [{ name: { $: 'Hoteling Guest' }, uri: { $: '/v2.0/a' } }, { name: { $: 'Call Center' }, uri: { $: '/v2.0/b' } }],
        none: {},
      },
    });
  });

  it('XML → JSON: attributes as @name, a namespaced one with its prefix declared', () => {
    const xml = `<X xmlns="${NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" a="1"><n i:nil="true"/></X>`;
    expect(xmlToBadgerFish(xml)).toEqual({ X: { '@a': '1', '@xmlns': { $: NS }, n: { '@xsi:nil': 'true', '@xmlns': { xsi: 'http://www.w3.org/2001/XMLSchema-instance' } } } });
  });

  it('JSON → XML: the BroadWorks request form, and the lenient bare values', () => {
    expect(badgerFishToXml({ CallForwardingAlways: { '@xmlns': { $: NS }, active: { $: 'true' }, forwardToPhoneNumber: { $: '3001' } } })).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><CallForwardingAlways xmlns="${NS}"><active>true</active><forwardToPhoneNumber>3001</forwardToPhoneNumber></CallForwardingAlways>`,
    );
    expect(badgerFishToXml({ CallCenter: { agentACDState: 'Available', n: 3, b: false } })).toBe(
      `<?xml version="1.0" encoding="UTF-8"?><CallCenter xmlns="${NS}"><agentACDState>Available</agentACDState><n>3</n><b>false</b></CallCenter>`,
    );
    expect(badgerFishToXml({ HotelingGuest: { hostUserId: { '@xsi:nil': 'true', '@xmlns': { xsi: 'http://www.w3.org/2001/XMLSchema-instance' } } } })).toContain(
      '<hostUserId xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"></hostUserId>',
    );
    expect(badgerFishToXml({ A: { b: { $: '<&>' } } })).toContain('<b>&lt;&amp;&gt;</b>');
  });

  it('JSON → XML refuses, naming where: not one root, bad names, null, deep nesting, bad text, bad JSON', () => {
    expect(badgerFishToXml([])).toEqual({ error: expect.stringContaining('one root') });
    expect(badgerFishToXml({ A: {}, B: {} })).toEqual({ error: expect.stringContaining('exactly one root') });
    expect(badgerFishToXml({ A: { 'b c': {} } })).toEqual({ error: expect.stringContaining('A.b c') });
    expect(badgerFishToXml({ A: { b: null } })).toEqual({ error: expect.stringContaining('A.b: expected an object') });
    expect(badgerFishToXml({ A: { b: { $: {} } } })).toEqual({ error: expect.stringContaining('A.b.$') });
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(badgerFishToXml({ A: deep })).toEqual({ error: expect.stringContaining('deeper') });
    expect(jsonBodyToXml('{"A":')).toEqual({ error: expect.stringContaining('JSON body') });
  });
});

/** Element trees in the Xsi namespace: names, text leaves, repeated siblings. */
const name = fc.constantFrom('a', 'b', 'c', 'userId', 'x.y', 'n-1');
const leafText = fc.string({ unit: fc.constantFrom(...'ab 1<&>"\'é'.split('')), minLength: 1, maxLength: 8 }).filter((s) => s.trim() === s && s !== '');
type Tree = { name: string; text?: string; children: Tree[] };
const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ name, text: leafText, children: fc.constant([] as Tree[]) }),
    fc.record({ name, children: fc.array(tie('node'), { maxLength: 4 }) }),
  ),
})).node;

function toXml(t: Tree, root = false): string {
  const ns = root ? ` xmlns="${NS}"` : '';
  const text = t.text === undefined ? '' : t.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<${t.name}${ns}>${text}${t.children.map((c) => toXml(c)).join('')}</${t.name}>`;
}

/** Sibling order only matters within a name (BadgerFish groups by name), so compare that way. */
function canonical(t: Tree): unknown {
  const groups: Record<string, unknown[]> = {};
  for (const c of t.children) (groups[c.name] ??= []).push(canonical(c));
  return { name: t.name, text: t.children.length === 0 ? (t.text ?? '') : '', groups };
}
function fromXml(xml: string): Tree {
  const parse = (s: string): { node: Tree; rest: string } => {
    const open = /^<([^ >/]+)[^>]*>/.exec(s)!;
    let rest = s.slice(open[0].length);
    const node: Tree = { name: open[1]!, children: [] };
    const textEnd = rest.indexOf('<');
    const raw = rest.slice(0, textEnd);
    if (raw !== '') node.text = raw.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    rest = rest.slice(textEnd);
    while (!rest.startsWith(`</`)) {
      const c = parse(rest);
      node.children.push(c.node);
      rest = c.rest;
    }
    return { node, rest: rest.slice(rest.indexOf('>') + 1) };
  };
  return parse(xml.replace(/^<\?xml[^>]*\?>/, '')).node;
}

describe('BadgerFish round trip', () => {
  test.prop([tree])('XML → JSON → XML keeps every element, its text and the order of same-named siblings', (t) => {
    const json = xmlToBadgerFish(toXml(t, true));
    if ('error' in json && typeof json.error === 'string') throw new Error(json.error);
    const back = badgerFishToXml(JSON.parse(JSON.stringify(json)));
    if (typeof back !== 'string') throw new Error(back.error);
    expect(canonical(fromXml(back))).toEqual(canonical(t));
  });
});
