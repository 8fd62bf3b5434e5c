/**
 * The XML layer under the CSTA codec: a guarded parse into a small element tree, and escaping for
 * the hand-written serializer.
 *
 * Theory of operation. Every byte we parse comes from a CSTA client we do not control, so the
 * parse is a sequence of gates, cheapest first, each answering with a specific reason:
 *   1. size: at most 65,535 bytes of UTF-8 (the largest TCP frame, reference/csta.md §8.1);
 *   2. no `<!DOCTYPE` / `<!ENTITY` at all, nor any other `<!` that opens neither a comment nor
 *      CDATA: no DTD means no entity can be declared, so nothing beyond the five predefined
 *      entities and character references can ever expand;
 *   3. only characters XML 1.0 allows (no NUL, no lone surrogates);
 *   4. well-formedness (fast-xml-parser's validator: tags balance, attributes quoted, …);
 *   5. parse with entity processing OFF; we decode `&amp;`-style references ourselves, refusing any
 *      other name (an undeclared entity is a well-formedness error, not something to pass on);
 *   6. exactly one root element and nothing but whitespace, comments and PIs around it; nesting
 *      at most 32 deep.
 * The result keeps local names (prefix stripped) because CSTA clients disagree on prefixes and
 * namespaces (§1.2); the root's namespace URI is resolved and returned so the answer can echo it.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const MAX_XML_BYTES = 65_535;
export const MAX_XML_DEPTH = 32;

export interface XmlElement {
  /** Local name: `csta:SetAgentState` → `SetAgentState`. */
  readonly name: string;
  /** Attributes by qualified name (`typeOfNumber`, `xmlns:csta`), values decoded. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** Character data directly inside this element (text and CDATA, in order), decoded, untrimmed. */
  readonly text: string;
}

export type XmlParseResult =
  | { ok: true; root: XmlElement; namespace: string }
  | { ok: false; reason: string };

export function parseXmlDocument(xml: string): XmlParseResult {
  const bytes = utf8ByteLength(xml);
  if (bytes > MAX_XML_BYTES) return fail(`document is ${bytes} bytes, more than ${MAX_XML_BYTES}`);
  if (/<!DOCTYPE/i.test(xml)) return fail('DOCTYPE declarations are not accepted');
  if (/<!ENTITY/i.test(xml)) return fail('ENTITY declarations are not accepted');
  // Any other `<!` that opens neither a comment nor CDATA: the validator lets `<a>x<!</a>` through
  // and the parser then makes an element named `!</a` of it.
  const declaration = /<!(?!--|\[CDATA\[)/.exec(xml);
  if (declaration) return fail(`markup declaration at offset ${declaration.index} is not accepted: ${JSON.stringify(xml.slice(declaration.index, declaration.index + 12))}`);
  const badChar = FORBIDDEN_CHAR.exec(xml);
  if (badChar) return fail(`character U+${codePointHex(badChar[0])} is not allowed in XML`);
  // A byte-order mark may lead the document; the validator does not expect it.
  const text = xml.startsWith('\uFEFF') ? xml.slice(1) : xml;
  if (text.trim() === '') return fail('empty document');

  let verdict: ReturnType<typeof XMLValidator.validate>;
  try {
    verdict = XMLValidator.validate(text);
  } catch (e) {
    return fail(`not well-formed XML: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (verdict !== true) return fail(`not well-formed XML: ${verdict.err.msg} (line ${verdict.err.line})`);

  // Parsed inside a wrapper element so that text before or after the root shows up as a node:
  // the validator misses `<a/>junk`, and the parser drops such text at the top level.
  const body = text.replace(/^<\?xml[\s\S]*?\?>/, '');
  let nodes: RawNode[];
  try {
    const wrapped = new XMLParser(PARSER_OPTIONS).parse(`<${WRAPPER}>${body}</${WRAPPER}>`) as RawNode[];
    nodes = (wrapped[0]?.[WRAPPER] as RawNode[] | undefined) ?? [];
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return fail(/nested/i.test(message) ? `elements nested deeper than ${MAX_XML_DEPTH}` : `not parseable: ${message}`);
  }

  let rootNode: RawNode | undefined;
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag === undefined) {
      if (!isBlankText(node)) return fail('character data outside the root element');
    } else if (rootNode !== undefined) {
      return fail('more than one root element');
    } else {
      rootNode = node;
    }
  }
  if (rootNode === undefined) return fail('no root element');

  const root = toElement(rootNode, 1);
  if (typeof root === 'string') return fail(root);
  const rootTag = tagOf(rootNode) ?? '';
  const colon = rootTag.indexOf(':');
  const nsAttribute = colon < 0 ? 'xmlns' : `xmlns:${rootTag.slice(0, colon)}`;
  return { ok: true, root, namespace: root.attributes.get(nsAttribute) ?? '' };
}

/**
 * Escape for element content and attribute values alike. Characters XML 1.0 cannot carry at all
 * (C0 controls, lone surrogates) become U+FFFD: they can only come from a corrupt source, and an
 * unparseable message would be worse. CR, TAB and LF are written as references, so that neither
 * end-of-line handling nor attribute-value normalisation in the client's parser can change them.
 */
export function escapeXml(value: string): string {
  // Regex literals inside the function: a global regex carries lastIndex, so none lives at module level.
  const forbidden = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
  return value.replace(forbidden, '\uFFFD').replace(/[&<>"'\r\t\n]/g, (c) => ESCAPES[c] ?? c);
}

/** UTF-8 length of a string, counted without encoding it (a lone surrogate counts as U+FFFD: 3). */
export function utf8ByteLength(value: string): number {
  let bytes = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(value.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

// ------------------------------------------------------------------------------------------------

const ESCAPES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;', '\t': '&#9;', '\n': '&#10;',
};

/**
 * Anything outside XML 1.0 `Char` (with the `u` flag a lone surrogate is its own code point).
 * Not global, so `exec`/`test` neither read nor write its lastIndex.
 */
const FORBIDDEN_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const PREDEFINED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };


const WRAPPER = 'csta-bw-document';

const PARSER_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  cdataPropName: '#cdata',
  commentPropName: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // A guard for the parser's own recursion; our limit is checked on the tree (below).
  maxNestedTags: MAX_XML_DEPTH * 2,
} as const;

/** fast-xml-parser's preserveOrder node: `{ tag: children, ':@'?: attributes }` or `{ '#text': … }`. */
type RawNode = Record<string, unknown>;

function tagOf(node: RawNode): string | undefined {
  return Object.keys(node).find((key) => key !== ':@' && key !== '#text' && key !== '#cdata');
}

/** XML's blanks are space, tab, CR and LF (`trim` would also take U+00A0, U+FEFF, U+2028 …). */
function isBlankText(node: RawNode): boolean {
  const t = node['#text'];
  return typeof t === 'string' && /^[ \t\r\n]*$/.test(t);
}

/** Builds the element tree; a string return is the reason the document is refused. */
function toElement(node: RawNode, depth: number): XmlElement | string {
  if (depth > MAX_XML_DEPTH) return `elements nested deeper than ${MAX_XML_DEPTH}`;
  const tag = tagOf(node) ?? '';
  const attributes = new Map<string, string>();
  const rawAttributes = node[':@'];
  if (rawAttributes !== undefined && rawAttributes !== null && typeof rawAttributes === 'object') {
    for (const [name, raw] of Object.entries(rawAttributes as Record<string, unknown>)) {
      const value = decodeReferences(String(raw));
      if (value.error !== undefined) return value.error;
      attributes.set(name, value.text);
    }
  }
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[tag] as RawNode[] | undefined) ?? []) {
    if (typeof child['#text'] === 'string') {
      const value = decodeReferences(child['#text']);
      if (value.error !== undefined) return value.error;
      text += value.text;
    } else if (Array.isArray(child['#cdata'])) {
      // CDATA is literal: no reference decoding.
      for (const part of child['#cdata'] as RawNode[]) text += String(part['#text'] ?? '');
    } else {
      const element = toElement(child, depth + 1);
      if (typeof element === 'string') return element;
      children.push(element);
    }
  }
  const colon = tag.indexOf(':');
  return { name: colon < 0 ? tag : tag.slice(colon + 1), attributes, children, text };
}

function decodeReferences(raw: string): { text: string; error?: undefined } | { text?: undefined; error: string } {
  // One reference at a known `&`: hex char ref, decimal char ref, or a name. Sticky, so fresh per call.
  const reference = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|([A-Za-z_:][\w.:-]*));/y;
  let out = '';
  let from = 0;
  for (let at = raw.indexOf('&'); at >= 0; at = raw.indexOf('&', from)) {
    out += raw.slice(from, at);
    reference.lastIndex = at;
    const match = reference.exec(raw);
    if (!match) return { error: `malformed reference at "${raw.slice(at, at + 12)}"` };
    const [whole, hex, decimal, name] = match;
    if (name !== undefined) {
      const replacement = PREDEFINED_ENTITIES[name];
      if (replacement === undefined) return { error: `undeclared entity &${name};` };
      out += replacement;
    } else {
      const codePoint = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
      const char = codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '';
      if (char === '' || FORBIDDEN_CHAR.test(char)) return { error: `character reference ${whole} is not an XML character` };
      out += char;
    }
    from = at + whole.length;
  }
  return { text: out + raw.slice(from) };
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function codePointHex(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
