import { describe, it, expect } from 'vitest';
import { DEFAULT_XML_LIMITS, child, escapeAttribute, escapeText, isCodecError, isNil, parseBoolean, parseInteger, parseNonEmpty, parseXmlDocument, schemaType, simpleText, textElement, type XmlElement } from '../../src/xsi/xml.js';

function parsed(xml: string): XmlElement {
  const el = parseXmlDocument(xml);
  if (isCodecError(el)) throw new Error(el.error);
  return el;
}

function errorOf(xml: string): string {
  const el = parseXmlDocument(xml);
  return isCodecError(el) ? el.error : 'no error';
}

describe('parseXmlDocument: namespaces', () => {
  it('resolves prefixed and default namespaces; matching is by local name', () => {
    const el = parsed(
      '<?xml version="1.0" encoding="UTF-8"?><xsi:Event xmlns:xsi="http://schema.broadsoft.com/xsi" xmlns:xsi1="http://www.w3.org/2001/XMLSchema-instance" xsi1:type="xsi:SubscriptionEvent"><xsi:eventID>e1</xsi:eventID></xsi:Event>',
    );
    expect(el.local).toBe('Event');
    expect(el.namespace).toBe('http://schema.broadsoft.com/xsi');
    expect(schemaType(el)).toBe('SubscriptionEvent');
    expect(el.children[0]?.local).toBe('eventID');
    expect(el.children[0]?.text).toBe('e1');
  });

  it('honours xsi:nil under any prefix bound to XMLSchema-instance, and only then', () => {
    const xs = parsed('<a xmlns:xs="http://www.w3.org/2001/XMLSchema-instance"><b xs:nil="true"/></a>');
    expect(isNil(xs.children[0]!)).toBe(true);
    const other = parsed('<a xmlns:xsi="urn:not-schema-instance"><b xsi:nil="true"/></a>');
    expect(isNil(other.children[0]!)).toBe(false);
  });

  it('rejects undeclared prefixes', () => {
    expect(errorOf('<a><b xsi:nil="true"/></a>')).toMatch(/undeclared namespace prefix 'xsi'/);
    expect(errorOf('<p:a/>')).toMatch(/undeclared namespace prefix 'p'/);
  });
});

describe('parseXmlDocument: character data', () => {
  it('decodes the five predefined entities and numeric references, keeps CDATA verbatim', () => {
    const el = parsed('<a t="&quot;&apos;&#x41;">&lt;&gt;&amp;&#65;&#x1F600;<![CDATA[&amp;<x>]]></a>');
    expect(el.text).toBe('<>&A😀&amp;<x>');
    expect(el.attributes[0]?.value).toBe('"\'A');
  });

  it('rejects undefined entities, bare ampersands and non-XML character references', () => {
    expect(errorOf('<a>&nbsp;</a>')).toMatch(/undefined entity &nbsp;/);
    expect(errorOf('<a b="x & y"/>')).toMatch(/bare '&'/);
    expect(errorOf('<a>&#0;</a>')).toMatch(/not an XML character/);
  });
});

describe('parseXmlDocument: hostile and broken input', () => {
  it('refuses a DOCTYPE', () => {
    expect(errorOf('<?xml version="1.0"?><!DOCTYPE CallCenter SYSTEM "http://evil/x.dtd"><CallCenter/>')).toMatch(/markup declarations are not allowed.*DOCTYPE/);
  });

  it('refuses the billion laughs document before expanding anything', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
      ']><lolz>&lol9;</lolz>';
    expect(errorOf(laughs)).toMatch(/markup declarations are not allowed/);
  });

  it('refuses truncated documents, several roots and empty input', () => {
    expect(errorOf('<CallCenter xmlns="http://schema.broadsoft.com/xsi"><agentACDState>Avail')).toMatch(/malformed XML/);
    expect(errorOf('<a/><b/>')).toMatch(/exactly one root element, found 2/);
    expect(errorOf('   ')).toMatch(/empty XML document/);
    expect(errorOf('<a><b></a>')).toMatch(/malformed XML/);
  });

  it('bounds size and depth', () => {
    const big = `<a>${'x'.repeat(2 * 1024 * 1024)}</a>`;
    expect(errorOf(big)).toMatch(/too large: 2097159 characters, limit 1048576/);
    const deep = '<a>'.repeat(100) + '</a>'.repeat(100);
    expect(errorOf(deep)).toMatch(/malformed XML|nested deeper/);
    expect(isCodecError(parseXmlDocument('<a>'.repeat(30) + '</a>'.repeat(30)))).toBe(false);
  });

  it('the size limit is inclusive and the depth limit counts the root as 1', () => {
    const limits = { maxChars: 7, maxDepth: 3 };
    expect(parseXmlDocument('<a>1</a>', limits)).toEqual({ error: 'XML document too large: 8 characters, limit 7' });
    expect(parseXmlDocument('<a></a>', limits)).toMatchObject({ local: 'a' });
    const deep = { ...DEFAULT_XML_LIMITS, maxDepth: 3 };
    expect(parseXmlDocument('<a><b><c/></b></a>', deep)).toMatchObject({ children: [{ local: 'b', children: [{ local: 'c' }] }] });
    expect(parseXmlDocument('<a><b><c><d/></c></b></a>', deep)).toEqual({ error: 'XML nested deeper than 3 elements' });
    expect(parseXmlDocument('<a><b><c><d></d></c></b></a>', deep)).toEqual({ error: 'XML nested deeper than 3 elements' });
  });

  it('turns parser exceptions (prototype-polluting names) into errors', () => {
    expect(errorOf('<a><__proto__>x</__proto__></a>')).toMatch(/malformed XML/);
  });

  it('does not accept a non-string', () => {
    expect(errorOf(42 as unknown as string)).toMatch(/not a string/);
  });
});

describe('parseXmlDocument: outside the root element', () => {
  it('refuses text, references and CDATA before or after the root', () => {
    for (const xml of ['<a/>x', '<a/>&amp;', '<a/>\n  x\n', '<![CDATA[x]]><a/>', '<!--c--><![CDATA[x]]><a/>', '<a/><![CDATA[x]]>', '<a/><!--c-->x', '<a/>\u00A0', '<a/>\uFEFF', '<a/>\u2028']) {
      expect(errorOf(xml), xml).toBe('malformed XML: character data outside the root element');
    }
  });

  it('accepts blanks, comments and processing instructions around the root', () => {
    for (const xml of [' <a/> ', '<a/><!--c-->', '<a/> <?pi x?>\n', '<?xml version="1.0"?>\n<!--c--><?pi?><a/><!--d-->\n', '\uFEFF<a/>']) {
      expect(parsed(xml).local, xml).toBe('a');
    }
  });

  it('still counts the roots when there are several', () => {
    expect(errorOf('<a/><b/>')).toBe('an XML document needs exactly one root element, found 2');
  });
});

describe('isCodecError', () => {
  it('is true only for objects with a string error', () => {
    expect([{ error: 'x' }, { error: '' }].map(isCodecError)).toEqual([true, true]);
    expect([null, undefined, 'error', 0, {}, { error: 1 }, { message: 'x' }].map(isCodecError)).toEqual([false, false, false, false, false, false, false]);
  });
});

describe('escapeText', () => {
  it('escapes markup characters so any string round-trips', () => {
    const s = `a<b>&c"d'`;
    expect(escapeText(s)).toBe('a&lt;b&gt;&amp;c"d\'');
    expect(parsed(`<v>${escapeText(s)}</v>`).text).toBe(s);
  });
});

describe('namespaces and names, error by error', () => {
  const X = 'xmlns="http://schema.broadsoft.com/xsi"';
  it.each<[string, string]>([
    [`<a ${X} xmlns:p=""/>`, 'bad namespace declaration xmlns:p on <a>'],
    [`<a ${X} p:x="1"/>`, "attribute p:x on <a> uses undeclared namespace prefix 'p'"],
    [`<q:a xmlns:q="urn:q"><q:b:c/></q:a>`, 'bad element name <q:b:c>'],
    [`<a ${X} x:y:z="1" xmlns:x="urn:x"/>`, 'bad attribute name x:y:z on <a>'],
    [`<a ${X}><b>&#0;</b></a>`, 'text of <b>: character reference &#0; is not an XML character'],
    [`<a ${X} t="&bogus;"/>`, 'attribute t of <a>: undefined entity &bogus;'],
    [`<a ${X} t="x &amp y"/>`, `attribute t of <a>: bare '&' or unterminated reference at "&amp y"`],
    [`<a ${X}>&#12345678;</a>`, `text of <a>: bare '&' or unterminated reference at "&#12345678;"`],
    [`<a ${X}>&#xFFFFFFF;</a>`, `text of <a>: bare '&' or unterminated reference at "&#xFFFFFFF;"`],
  ])('%s → %s', (xml, message) => {
    expect(parseXmlDocument(xml)).toEqual({ error: message });
  });

  it('an empty default namespace undeclares it for the children; prefixes are inherited', () => {
    const r = parseXmlDocument('<a xmlns="urn:a" xmlns:p="urn:p"><b xmlns=""><p:c/></b><d/></a>') as XmlElement;
    expect(r.namespace).toBe('urn:a');
    expect(r.children[0]!.namespace).toBeUndefined();
    expect(r.children[0]!.children[0]!.namespace).toBe('urn:p');
    expect(r.children[1]!.namespace).toBe('urn:a');
  });

  it('decodes references in attributes and text, hex and decimal, up to the last code point', () => {
    const r = parseXmlDocument('<a t="&lt;&#x41;&#66;&quot;&apos;&gt;">&#x10FFFF;&#9;x&amp;y&#xD7FF;&#xE000;&#xFFFD;&#x10000;</a>') as XmlElement;
    expect(r.attributes).toEqual([{ local: 't', namespace: undefined, value: `<AB"'>` }]);
    expect(r.text).toBe('\u{10FFFF}\tx&y\uD7FF\uE000\uFFFD\u{10000}');
    for (const bad of ['&#xD800;', '&#xFFFE;', '&#x110000;', '&#31;', '&#xDFFF;']) {
      expect(parseXmlDocument(`<a>${bad}</a>`)).toEqual({ error: `text of <a>: character reference ${bad} is not an XML character` });
    }
    expect((parseXmlDocument('<a>&#10;&#13;&#x20;</a>') as XmlElement).text).toBe('\n\r ');
  });

  it('keeps CDATA text verbatim next to decoded text', () => {
    expect((parseXmlDocument('<a>1&amp;<![CDATA[&amp;<b>]]>2</a>') as XmlElement).text).toBe('1&&amp;<b>2');
  });

  it('names the declaration it refuses and where', () => {
    expect(parseXmlDocument('<a/><!ENTITY x "y">')).toEqual({ error: 'XML markup declarations are not allowed (found <!ENTITY at offset 4)' });
    expect(parseXmlDocument('<!>')).toEqual({ error: 'XML markup declarations are not allowed (found <!… at offset 0)' });
    expect(parseXmlDocument('<a><!-- ok --><![CDATA[ok]]></a>')).toMatchObject({ local: 'a' });
  });

  it.each<[string, string]>([
    ['<a xmlns:="urn:x"/>', 'bad namespace declaration xmlns: on <a>'],
    ['<a xmlns:p:q="urn:x"/>', 'bad namespace declaration xmlns:p:q on <a>'],
    ['<:b/>', 'bad element name <:b>'],
    ['<a :x="1"/>', 'bad attribute name :x on <a>'],
    ['<p:a xmlns:p="urn:p" p:="1"/>', 'bad attribute name p: on <p:a>'],
    ['<a t="x<y"/>', "attribute t of <a>: '<' is not allowed in an attribute value"],
    ['<a b/>', "malformed XML: boolean attribute 'b' is not allowed. (line 1, column 4)"],
  ])('names with an empty part, "<" in attribute values, value-less attributes: %s → %s', (xml, message) => {
    expect(parseXmlDocument(xml)).toEqual({ error: message });
  });

  it('the xml: prefix is predeclared', () => {
    expect((parseXmlDocument('<a xml:lang="en"/>') as XmlElement).attributes).toEqual([{ local: 'lang', namespace: 'http://www.w3.org/XML/1998/namespace', value: 'en' }]);
  });

  it('keeps attribute values and text verbatim: no number parsing, no trimming', () => {
    const r = parseXmlDocument('<a t="1e3" u=" 007 "> 0x10 <b/> </a>') as XmlElement;
    expect(r.attributes).toEqual([
      { local: 't', namespace: undefined, value: '1e3' },
      { local: 'u', namespace: undefined, value: ' 007 ' },
    ]);
    expect(r.text).toBe(' 0x10  ');
  });

  it('skips processing instructions and comments inside the document', () => {
    const r = parseXmlDocument('<?xml version="1.0"?><?pi before?><a><?pi x?><!-- c --><b/></a>') as XmlElement;
    expect(r.children.map((c) => c.local)).toEqual(['b']);
  });

  it('counts the roots it found', () => {
    expect(parseXmlDocument('<?xml version="1.0"?>')).toEqual({ error: expect.stringMatching(/^malformed XML|exactly one root element, found 0/) });
    expect(parseXmlDocument('<a/><b/>')).toEqual({ error: expect.stringMatching(/^malformed XML|exactly one root element, found 2/) });
  });
});

describe('reading helpers', () => {
  const parse = (xml: string) => parseXmlDocument(xml) as XmlElement;
  const XS = 'xmlns:i="http://www.w3.org/2001/XMLSchema-instance"';

  it('isNil: true or 1 (trimmed), only in the XMLSchema-instance namespace', () => {
    expect(isNil(parse(`<a ${XS} i:nil=" true "/>`))).toBe(true);
    expect(isNil(parse(`<a ${XS} i:nil="1"/>`))).toBe(true);
    expect(isNil(parse(`<a ${XS} i:nil=" 1 "/>`))).toBe(true);
    expect(isNil(parse(`<a ${XS} i:nil="false"/>`))).toBe(false);
    expect(isNil(parse(`<a ${XS} i:null="true"/>`))).toBe(false);
    expect(isNil(parse('<a xmlns:i="urn:other" i:nil="true"/>'))).toBe(false);
  });

  it('schemaType: the local part of xsi:type, with or without a prefix', () => {
    expect(schemaType(parse(`<a ${XS} i:type=" xsi:HotelingGuestEvent "/>`))).toBe('HotelingGuestEvent');
    expect(schemaType(parse(`<a ${XS} i:type="Plain"/>`))).toBe('Plain');
    expect(schemaType(parse('<a xmlns:i="urn:other" i:type="x:Y"/>'))).toBeUndefined();
    expect(schemaType(parse('<a type="x:Y"/>'))).toBeUndefined();
    expect(schemaType(parse(`<a ${XS} i:nil="false" i:type="x:Y"/>`))).toBe('Y');
    expect(schemaType(parse(`<a ${XS} i:type=":Y"/>`))).toBe('Y');
  });

  it('child finds the first child by local name', () => {
    const a = parse('<a><b>1</b><c>2</c><b>3</b></a>');
    expect(child(a, 'b')!.text).toBe('1');
    expect(child(a, 'z')).toBeUndefined();
  });

  it('simpleText trims, and refuses element content', () => {
    expect(simpleText(parse('<a>  x y \n</a>'))).toBe('x y');
    expect(simpleText(parse('<a>x<b/></a>'))).toEqual({ error: '<a> must hold text, not elements' });
  });

  it('parseBoolean: true/false/1/0 only', () => {
    expect([parseBoolean(parse('<a> true </a>')), parseBoolean(parse('<a>1</a>')), parseBoolean(parse('<a>false</a>')), parseBoolean(parse('<a>0</a>'))]).toEqual([true, true, false, false]);
    expect(parseBoolean(parse('<a>TRUE</a>'))).toEqual({ error: '<a> must be a boolean (true/false), got "TRUE"' });
    expect(parseBoolean(parse('<a><b/></a>'))).toEqual({ error: '<a> must hold text, not elements' });
  });

  it('parseInteger: optional sign, digits only, bounds inclusive', () => {
    expect(parseInteger(parse('<a>+7</a>'), 1, 7)).toBe(7);
    expect(parseInteger(parse('<a>-3</a>'), -3, 0)).toBe(-3);
    expect(parseInteger(parse('<a>1</a>'), 1, 1)).toBe(1);
    expect(parseInteger(parse('<a>0</a>'), 1, 9)).toEqual({ error: '<a> must be in 1..9, got 0' });
    expect(parseInteger(parse('<a>10</a>'), 1, 9)).toEqual({ error: '<a> must be in 1..9, got 10' });
    expect(parseInteger(parse('<a>1.5</a>'), 0, 9)).toEqual({ error: '<a> must be an integer, got "1.5"' });
    expect(parseInteger(parse('<a>12345678901234567</a>'), 0, Infinity)).toEqual({ error: '<a> must be an integer, got "12345678901234567"' });
    expect(parseInteger(parse('<a>x1</a>'), 0, 9)).toEqual({ error: '<a> must be an integer, got "x1"' });
    expect(parseInteger(parse('<a>1x</a>'), 0, 9)).toEqual({ error: '<a> must be an integer, got "1x"' });
    expect(parseInteger(parse('<a></a>'), 0, 9)).toEqual({ error: '<a> must be an integer, got ""' });
    expect(parseInteger(parse('<a><b/></a>'), 0, 9)).toEqual({ error: '<a> must hold text, not elements' });
  });

  it('parseNonEmpty: not empty after trimming, at most maxLength (256 by default)', () => {
    expect(parseNonEmpty(parse(`<a>${'x'.repeat(256)}</a>`))).toBe('x'.repeat(256));
    expect(parseNonEmpty(parse(`<a>${'x'.repeat(257)}</a>`))).toEqual({ error: '<a> longer than 256 characters' });
    expect(parseNonEmpty(parse('<a>abc</a>'), 3)).toBe('abc');
    expect(parseNonEmpty(parse('<a>abcd</a>'), 3)).toEqual({ error: '<a> longer than 3 characters' });
    expect(parseNonEmpty(parse('<a>  </a>'))).toEqual({ error: '<a> must not be empty' });
    expect(parseNonEmpty(parse('<a><b/></a>'))).toEqual({ error: '<a> must hold text, not elements' });
  });
});

describe('writing helpers', () => {
  it('escapeText escapes &, < and > everywhere; escapeAttribute also "', () => {
    expect(escapeText('a&b<c>d&<>"')).toBe('a&amp;b&lt;c&gt;d&amp;&lt;&gt;"');
    expect(escapeAttribute('"a"&<>')).toBe('&quot;a&quot;&amp;&lt;&gt;');
  });

  it('textElement writes numbers and booleans as text, with an optional prefix', () => {
    expect(textElement('n', 5)).toBe('<n>5</n>');
    expect(textElement('b', false, 'xsi:')).toBe('<xsi:b>false</xsi:b>');
    expect(textElement('s', 'a<b')).toBe('<s>a&lt;b</s>');
  });
});
