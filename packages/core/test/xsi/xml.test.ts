import { describe, it, expect } from 'vitest';
import { isCodecError, isNil, parseXmlDocument, schemaType, escapeText, type XmlElement } from '../../src/xsi/xml.js';

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

  it('turns parser exceptions (prototype-polluting names) into errors', () => {
    expect(errorOf('<a><__proto__>x</__proto__></a>')).toMatch(/malformed XML/);
  });

  it('does not accept a non-string', () => {
    expect(errorOf(42 as unknown as string)).toMatch(/not a string/);
  });
});

describe('escapeText', () => {
  it('escapes markup characters so any string round-trips', () => {
    const s = `a<b>&c"d'`;
    expect(escapeText(s)).toBe('a&lt;b&gt;&amp;c"d\'');
    expect(parsed(`<v>${escapeText(s)}</v>`).text).toBe(s);
  });
});
