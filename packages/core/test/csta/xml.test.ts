import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { escapeXml, parseXmlDocument, utf8ByteLength } from '../../src/csta/xml.js';

describe('parseXmlDocument', () => {
  it('strips prefixes, resolves the root namespace, keeps attributes decoded', () => {
    const result = parseXmlDocument('<?xml version="1.0"?><p:Root xmlns:p="urn:a" xmlns="urn:b"><p:child k="&lt;v&gt;">t</p:child></p:Root>');
    expect(result).toMatchObject({ ok: true, namespace: 'urn:a', root: { name: 'Root' } });
    if (!result.ok) return;
    expect(result.root.children[0]?.name).toBe('child');
    expect(result.root.children[0]?.attributes.get('k')).toBe('<v>');
    expect(result.root.children[0]?.text).toBe('t');
  });

  it('allows comments, processing instructions, whitespace and a BOM around the root', () => {
    expect(parseXmlDocument('\uFEFF<!-- a --><Root/><!-- b -->\n<?pi x?>\n')).toMatchObject({ ok: true, root: { name: 'Root' }, namespace: '' });
  });

  it('refuses text after a self-closed root, even when followed by markup', () => {
    for (const xml of ['<Root/>junk', '<Root/>junk<!-- c -->', '<Root/>ju>nk', '<Root></Root>junk']) {
      expect(parseXmlDocument(xml)).toMatchObject({ ok: false });
    }
  });

  it('refuses a bare ampersand and a reference to a code point beyond Unicode', () => {
    expect(parseXmlDocument('<a>&</a>')).toMatchObject({ ok: false });
    expect(parseXmlDocument('<a>&#x110000;</a>')).toMatchObject({ ok: false });
    expect(parseXmlDocument('<a>&#xFFFE;</a>')).toMatchObject({ ok: false });
  });

  it('refuses DOCTYPE in any letter case and ENTITY anywhere', () => {
    expect(parseXmlDocument('<!doctype a><a/>')).toMatchObject({ ok: false, reason: expect.stringContaining('DOCTYPE') });
    expect(parseXmlDocument('<a><![CDATA[<!ENTITY x "y">]]></a>')).toMatchObject({ ok: false, reason: expect.stringContaining('ENTITY') });
  });
});

describe('escapeXml', () => {
  it('escapes the five markup characters, CR, TAB and LF', () => {
    expect(escapeXml(`&<>"'\r\t\n`)).toBe('&amp;&lt;&gt;&quot;&apos;&#13;&#9;&#10;');
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 40 })], { seed: 42, numRuns: 200 })(
    'whatever the string, the escaped text parses back (with forbidden characters as U+FFFD)',
    (value) => {
      const parsed = parseXmlDocument(`<a k="${escapeXml(value)}">${escapeXml(value)}</a>`);
      const expected = value.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
      expect(parsed).toMatchObject({ ok: true });
      if (!parsed.ok) return;
      expect(parsed.root.text).toBe(expected);
      expect(parsed.root.attributes.get('k')).toBe(expected);
    },
  );
});

describe('utf8ByteLength', () => {
  test.prop([fc.string({ unit: 'binary', maxLength: 40 })], { seed: 42, numRuns: 200 })('agrees with TextEncoder', (value) => {
    expect(utf8ByteLength(value)).toBe(new TextEncoder().encode(value).length);
  });
});
