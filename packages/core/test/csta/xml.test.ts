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

  it('refuses any other <! that opens neither a comment nor CDATA (the validator lets these through)', () => {
    expect(parseXmlDocument('<a>x<!</a>')).toEqual({ ok: false, reason: 'markup declaration at offset 4 is not accepted: "<!</a>"' });
    expect(parseXmlDocument('<a>x<!b</a>')).toEqual({ ok: false, reason: 'markup declaration at offset 4 is not accepted: "<!b</a>"' });
    expect(parseXmlDocument('<a><!- x --></a>')).toEqual({ ok: false, reason: 'markup declaration at offset 3 is not accepted: "<!- x --></a"' });
    expect(parseXmlDocument('<!ELEMENT a ANY><a/>')).toEqual({ ok: false, reason: 'markup declaration at offset 0 is not accepted: "<!ELEMENT a "' });
    // Comments and CDATA stay welcome.
    expect(parseXmlDocument('<!-- c --><a><![CDATA[<x>]]><!-- d --></a>')).toMatchObject({ ok: true, root: { name: 'a', text: '<x>' } });
  });
});

describe('escapeXml', () => {
  it('escapes the five markup characters, CR, TAB and LF', () => {
    expect(escapeXml(`&<>"'\r\t\n`)).toBe('&amp;&lt;&gt;&quot;&apos;&#13;&#9;&#10;');
  });

  test.prop([fc.string({ unit: 'binary', maxLength: 40 })], { numRuns: 200 })(
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
  test.prop([fc.string({ unit: 'binary', maxLength: 40 })], { numRuns: 200 })('agrees with TextEncoder', (value) => {
    expect(utf8ByteLength(value)).toBe(new TextEncoder().encode(value).length);
  });
});

describe('utf8ByteLength at every encoding boundary', () => {
  it.each<[string, string, number]>([
    ['U+007F', '\u007F', 1],
    ['U+0080', '\u0080', 2],
    ['U+07FF', '\u07FF', 2],
    ['U+0800', '\u0800', 3],
    ['U+D7FF', '\uD7FF', 3],
    ['the first astral pair', '\uD800\uDC00', 4],
    ['the last astral pair', '\uDBFF\uDFFF', 4],
    ['a lone high surrogate', '\uD800', 3],
    ['a lone high surrogate before ASCII', '\uD800x', 4],
    ['a lone low surrogate', '\uDFFF', 3],
    ['a reversed pair', '\uDC00\uD800', 6],
    ['a high surrogate before U+E000', '\uDBFF\uE000', 6],
    ['a high surrogate before U+DBFF', '\uDBFF\uDBFF', 6],
    ['U+0800 before a low surrogate', '\u0800\uDC00', 6],
    ['two low surrogates', '\uDC00\uDC00', 6],
    ['U+FFFD before a low surrogate', '\uFFFD\uDC00', 6],
    ['the empty string', '', 0],
  ])('%s', (_what, value, bytes) => {
    expect(utf8ByteLength(value)).toBe(bytes);
    expect(utf8ByteLength(value)).toBe(new TextEncoder().encode(value).length);
  });
});

describe('parseXmlDocument: limits and edges, reason by reason', () => {
  const fill = (bytes: number) => `<a>${'x'.repeat(bytes - 7)}</a>`;
  it('accepts exactly 65,535 UTF-8 bytes and refuses one more, counting bytes, not characters', () => {
    expect(parseXmlDocument(fill(65_535))).toMatchObject({ ok: true });
    expect(parseXmlDocument(fill(65_536))).toEqual({ ok: false, reason: 'document is 65536 bytes, more than 65535' });
    const multi = `<a>${'é'.repeat(32_765)}</a>`; // 32,772 characters, 65,537 bytes
    expect(parseXmlDocument(multi)).toEqual({ ok: false, reason: 'document is 65537 bytes, more than 65535' });
  });

  it('names the forbidden character', () => {
    expect(parseXmlDocument('<a>\u0001</a>')).toEqual({ ok: false, reason: 'character U+0001 is not allowed in XML' });
    expect(parseXmlDocument('<a>\uFFFF</a>')).toEqual({ ok: false, reason: 'character U+FFFF is not allowed in XML' });
  });

  it('refuses an empty or blank document, and one with no root element', () => {
    expect(parseXmlDocument('')).toEqual({ ok: false, reason: 'empty document' });
    expect(parseXmlDocument('\uFEFF  \n')).toEqual({ ok: false, reason: 'empty document' });
    expect(parseXmlDocument('<?xml version="1.0"?><!-- nothing -->')).toMatchObject({ ok: false });
  });

  it('strips only the leading declaration: processing instructions inside the root stay harmless', () => {
    const r = parseXmlDocument('<?xml version="1.0"?><a><?pi one?>t<?pi two?></a>');
    expect(r).toMatchObject({ ok: true, root: { name: 'a', text: 't' } });
  });

  it('refuses a second root and text outside the root, naming which', () => {
    expect(parseXmlDocument('<a/><b/>')).toMatchObject({ ok: false });
    expect(parseXmlDocument('<?xml version="1.0"?><a/>\n<b/>')).toMatchObject({ ok: false });
  });

  it('decodes every kind of reference in attributes; refuses malformed and undeclared ones there too', () => {
    const r = parseXmlDocument('<a k="&#65;&#x42;&amp;&quot;&apos;&lt;&gt;"/>');
    expect(r).toMatchObject({ ok: true });
    if (r.ok) expect(r.root.attributes.get('k')).toBe(`AB&"'<>`);
    expect(parseXmlDocument('<a k="&#x;"/>')).toEqual({ ok: false, reason: 'malformed reference at "&#x;"' });
    expect(parseXmlDocument('<a k="&nbsp;"/>')).toEqual({ ok: false, reason: 'undeclared entity &nbsp;' });
    expect(parseXmlDocument('<a k="&#1;"/>')).toEqual({ ok: false, reason: 'character reference &#1; is not an XML character' });
    expect(parseXmlDocument('<a>&#1114111;&#x10FFFF;</a>')).toMatchObject({ ok: true, root: { text: '\u{10FFFF}\u{10FFFF}' } });
    expect(parseXmlDocument('<a>&#1114112;</a>')).toEqual({ ok: false, reason: 'character reference &#1114112; is not an XML character' });
    expect(parseXmlDocument('<a>x&amp;y&lt;z</a>')).toMatchObject({ ok: true, root: { text: 'x&y<z' } });
  });

  it('keeps CDATA literal and concatenates it with text in order', () => {
    expect(parseXmlDocument('<a>1<![CDATA[&amp;<]]>2</a>')).toMatchObject({ ok: true, root: { text: '1&amp;<2' } });
  });

  it('nests up to 32 elements and refuses 33', () => {
    const nest = (n: number) => '<e>'.repeat(n) + '</e>'.repeat(n);
    expect(parseXmlDocument(nest(32))).toMatchObject({ ok: true });
    expect(parseXmlDocument(nest(33))).toEqual({ ok: false, reason: 'elements nested deeper than 32' });
  });

  it('the namespace is the one the root prefix is bound to, or the default one', () => {
    expect(parseXmlDocument('<x:a xmlns="urn:d" xmlns:x="urn:x"/>')).toMatchObject({ ok: true, namespace: 'urn:x', root: { name: 'a' } });
    expect(parseXmlDocument('<a xmlns="urn:d" xmlns:x="urn:x"/>')).toMatchObject({ ok: true, namespace: 'urn:d' });
    expect(parseXmlDocument('<x:a xmlns:x="urn:x" xmlns:y="urn:y"/>')).toMatchObject({ ok: true, namespace: 'urn:x' });
  });

  it('names what is outside the root: character data (text or CDATA), or a second root', () => {
    expect(parseXmlDocument('<a/>junk')).toEqual({ ok: false, reason: 'character data outside the root element' });
    expect(parseXmlDocument('<![CDATA[x]]><a/>')).toEqual({ ok: false, reason: 'character data outside the root element' });
    expect(parseXmlDocument('<a/><![CDATA[x]]>')).toEqual({ ok: false, reason: 'character data outside the root element' });
    // Only space, tab, CR and LF are blanks in XML; U+00A0, a late BOM or U+2028 are character data.
    for (const junk of ['\u00A0', '\uFEFF', '\u2028']) {
      expect(parseXmlDocument(`<a/>${junk}`)).toEqual({ ok: false, reason: 'character data outside the root element' });
    }
    expect(parseXmlDocument('\uFEFF<a/> \t\r\n')).toMatchObject({ ok: true });
    expect(parseXmlDocument('<a/>\n<b/>')).toEqual({ ok: false, reason: 'more than one root element' });
  });

  it('an empty prefix is still a prefix: <:a> is named a, and its namespace comes from xmlns:, not the default', () => {
    const r = parseXmlDocument('<:a xmlns="urn:d" xmlns:="urn:e"><:b/></:a>');
    expect(r).toMatchObject({ ok: true, namespace: 'urn:e', root: { name: 'a', children: [{ name: 'b' }] } });
    expect(parseXmlDocument('<:a xmlns="urn:d"/>')).toMatchObject({ ok: true, namespace: '', root: { name: 'a' } });
  });

  it('keeps CDATA literal even when it quotes an XML declaration', () => {
    expect(parseXmlDocument('<a><![CDATA[<?xml version="1.0"?>x]]></a>')).toMatchObject({ ok: true, root: { text: '<?xml version="1.0"?>x' } });
  });

  it('quotes at most 12 characters from a malformed reference', () => {
    expect(parseXmlDocument('<a k="x &bad reference in a long value"/>')).toEqual({ ok: false, reason: 'malformed reference at "&bad referen"' });
    expect(parseXmlDocument('<a>x &#x; more text</a>')).toEqual({ ok: false, reason: 'malformed reference at "&#x; more te"' });
  });
});
