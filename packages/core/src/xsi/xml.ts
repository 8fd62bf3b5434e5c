/**
 * Safe XML for Xsi: parse one untrusted document into a small namespace-resolved element tree,
 * and the escaping helpers the hand-written encoders use.
 *
 * Theory of operation
 * 1. Bound before looking: a document longer than `maxChars` is refused outright.
 * 2. No markup declarations: any `<!` that does not open a comment or CDATA section (`<!DOCTYPE`,
 *    `<!ENTITY`, …) is refused, so no DTD is ever processed and entity expansion attacks
 *    ("billion laughs", external entities) cannot start.
 * 3. Well-formedness is checked by fast-xml-parser's validator, then the document is parsed
 *    with entity processing OFF; this file decodes character data itself, allowing only the five
 *    predefined entities and numeric character references. CDATA content is kept verbatim.
 * 4. Namespaces are resolved properly (xmlns / xmlns:p scoping) so callers can match elements
 *    by local name whatever prefix the peer chose, and can recognise `xsi:nil` / `xsi1:type` by
 *    the XMLSchema-instance namespace rather than by prefix (reference/xsi.md §1.5: Actions
 *    bodies use `xsi` for XMLSchema-instance, event documents use `xsi1`).
 * 5. Depth is bounded by the parser (`maxNestedTags`); every failure is a `{ error }` value.
 * The caller decodes bytes to a string first (honouring the charset of the HTTP header / XML
 * declaration: BroadWorks profile documents may be ISO-8859-1).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createDocumentSplitter, feedDocuments } from './stream.js';

export const XSI_NAMESPACE = 'http://schema.broadsoft.com/xsi';
export const XML_SCHEMA_INSTANCE_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** A failure anywhere in the codec: always a value, never a throw. */
export interface XsiCodecError {
  error: string;
}

export interface XmlLimits {
  /** Longest accepted document, in UTF-16 code units (default 1 MiB). */
  maxChars: number;
  /** Deepest accepted element nesting (default 32; Xsi documents are at most ~6 deep). */
  maxDepth: number;
}

export const DEFAULT_XML_LIMITS: Readonly<XmlLimits> = { maxChars: 1_048_576, maxDepth: 32 };

export interface XmlAttribute {
  readonly local: string;
  /** Undefined for unprefixed attributes (they are in no namespace). */
  readonly namespace: string | undefined;
  readonly value: string;
}

export interface XmlElement {
  readonly local: string;
  readonly namespace: string | undefined;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** Character data directly inside this element, entities decoded, untrimmed. */
  readonly text: string;
}

export function isCodecError(x: unknown): x is XsiCodecError {
  return typeof x === 'object' && x !== null && 'error' in x && typeof (x as { error: unknown }).error === 'string';
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parse exactly one XML document (optional declaration, one root element). */
export function parseXmlDocument(xml: string, limits: XmlLimits = DEFAULT_XML_LIMITS): XmlElement | XsiCodecError {
  if (typeof xml !== 'string') return { error: 'XML document is not a string' };
  if (xml.length > limits.maxChars) {
    return { error: `XML document too large: ${xml.length} characters, limit ${limits.maxChars}` };
  }
  const declaration = /<!(?!--|\[CDATA\[)/.exec(xml);
  if (declaration !== null) {
    const what = /^<!\s*([A-Za-z]*)/.exec(xml.slice(declaration.index))?.[1] ?? '';
    return { error: `XML markup declarations are not allowed (found <!${what || '…'} at offset ${declaration.index})` };
  }
  if (xml.trim() === '') return { error: 'empty XML document' };
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true) {
    return { error: `malformed XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})` };
  }
  const outside = outsideRoot(xml);
  if (outside !== undefined) return { error: `malformed XML: ${outside}` };
  let parsed: unknown;
  try {
    parsed = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      processEntities: false,
      htmlEntities: false,
      cdataPropName: '#cdata',
      commentPropName: false,
      maxNestedTags: limits.maxDepth,
    }).parse(xml);
  } catch (e) {
    // The parser throws on nesting beyond maxNestedTags and on names like __proto__.
    return { error: `malformed XML: ${e instanceof Error ? e.message : String(e)}` };
  }
  const roots = elementNodes(parsed);
  if (roots.length !== 1) return { error: `an XML document needs exactly one root element, found ${roots.length}` };
  return buildElement(roots[0]!, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), undefined, 1, limits);
}

/**
 * Around the root element XML allows only blanks, comments and PIs, but the validator passes
 * text and CDATA there and the parser drops them silently. The stream splitter knows where the
 * root ends. Blanks are XML's four (the splitter, made for streams, also skips a BOM anywhere).
 */
function outsideRoot(xml: string): string | undefined {
  const r = feedDocuments(createDocumentSplitter({ maxDocumentChars: xml.length + 1 }), xml);
  if (r.error !== undefined) return 'character data outside the root element';
  const doc = r.documents[0];
  if (doc === undefined || r.documents.length > 1) return undefined; // the root count says so
  const start = xml.indexOf(doc);
  if (!LEAD.test(xml.slice(0, start)) || !PROLOG.test(doc) || !EPILOG.test(xml.slice(start + doc.length))) {
    return 'character data outside the root element';
  }
  return undefined;
}

/** An optional byte-order mark, then blanks. */
const LEAD = /^\uFEFF?[ \t\r\n]*$/;
/** Blanks, comments and PIs (the declaration is a PI here), then a start tag. */
const PROLOG = /^(?:[ \t\r\n]+|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*<[^!?]/;
const EPILOG = /^(?:[ \t\r\n]+|<!--[\s\S]*?-->|<\?[\s\S]*?\?>)*$/;

/** A preserveOrder node: `{ name: children[], ':@'?: attrs }` or `{ '#text': s }` / `{ '#cdata': [...] }`. */
type OrderedNode = Record<string, unknown>;

function elementNodes(nodes: unknown): OrderedNode[] {
  if (!Array.isArray(nodes)) return [];
  return nodes.filter((n): n is OrderedNode => typeof n === 'object' && n !== null && nodeName(n as OrderedNode) !== undefined);
}

function nodeName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@' && k !== '#text' && k !== '#cdata');
}

function buildElement(
  node: OrderedNode,
  parentScope: ReadonlyMap<string, string>,
  parentDefault: string | undefined,
  depth: number,
  limits: XmlLimits,
): XmlElement | XsiCodecError {
  if (depth > limits.maxDepth) return { error: `XML nested deeper than ${limits.maxDepth} elements` };
  const qname = nodeName(node)!;
  const rawAttributes = (node[':@'] ?? {}) as Record<string, unknown>;

  // Namespace declarations first: they apply to the element's own name and attributes.
  const scope = new Map(parentScope);
  let defaultNs = parentDefault;
  const plain: [string, string][] = [];
  for (const [name, raw] of Object.entries(rawAttributes)) {
    const value = decodeCharacterData(String(raw), true);
    if (isCodecError(value)) return { error: `attribute ${name} of <${qname}>: ${value.error}` };
    if (name === 'xmlns') defaultNs = value === '' ? undefined : value;
    else if (name.startsWith('xmlns:')) {
      const prefix = name.slice(6);
      if (prefix === '' || prefix.includes(':') || value === '') return { error: `bad namespace declaration ${name} on <${qname}>` };
      scope.set(prefix, value);
    } else plain.push([name, value]);
  }

  const name = splitQName(qname);
  if (name === undefined) return { error: `bad element name <${qname}>` };
  let namespace = defaultNs;
  if (name.prefix !== undefined) {
    namespace = scope.get(name.prefix);
    if (namespace === undefined) return { error: `element <${qname}> uses undeclared namespace prefix '${name.prefix}'` };
  }

  const attributes: XmlAttribute[] = [];
  for (const [attrName, value] of plain) {
    const an = splitQName(attrName);
    if (an === undefined) return { error: `bad attribute name ${attrName} on <${qname}>` };
    let attrNs: string | undefined;
    if (an.prefix !== undefined) {
      attrNs = scope.get(an.prefix);
      if (attrNs === undefined) return { error: `attribute ${attrName} on <${qname}> uses undeclared namespace prefix '${an.prefix}'` };
    }
    attributes.push({ local: an.local, namespace: attrNs, value });
  }

  const children: XmlElement[] = [];
  let text = '';
  const content = node[qname];
  for (const child of Array.isArray(content) ? (content as OrderedNode[]) : []) {
    if (typeof child !== 'object' || child === null) continue;
    if ('#text' in child) {
      const decoded = decodeCharacterData(String(child['#text']), false);
      if (isCodecError(decoded)) return { error: `text of <${qname}>: ${decoded.error}` };
      text += decoded;
    } else if ('#cdata' in child) {
      for (const part of Array.isArray(child['#cdata']) ? (child['#cdata'] as OrderedNode[]) : []) {
        if (typeof part === 'object' && part !== null && '#text' in part) text += String(part['#text']);
      }
    } else if (nodeName(child) !== undefined) {
      const built = buildElement(child, scope, defaultNs, depth + 1, limits);
      if (isCodecError(built)) return built;
      children.push(built);
    }
  }
  return { local: name.local, namespace, attributes, children, text };
}

function splitQName(qname: string): { prefix: string | undefined; local: string } | undefined {
  const parts = qname.split(':');
  if (parts.length === 1 && parts[0] !== '') return { prefix: undefined, local: qname };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { prefix: parts[0], local: parts[1]! };
  return undefined;
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Decode the five predefined entities and numeric character references; anything else after
 * `&` is an error (there is no DTD that could define it). Attribute values may not contain `<`.
 */
function decodeCharacterData(raw: string, inAttribute: boolean): string | XsiCodecError {
  if (inAttribute && raw.includes('<')) return { error: "'<' is not allowed in an attribute value" };
  if (!raw.includes('&')) return raw;
  let out = '';
  let at = 0;
  const reference = /&(?:#x([0-9A-Fa-f]{1,6})|#([0-9]{1,7})|([A-Za-z][A-Za-z0-9]*));/y;
  while (at < raw.length) {
    const amp = raw.indexOf('&', at);
    if (amp < 0) {
      out += raw.slice(at);
      break;
    }
    out += raw.slice(at, amp);
    reference.lastIndex = amp;
    const m = reference.exec(raw);
    if (m === null) return { error: `bare '&' or unterminated reference at "${raw.slice(amp, amp + 12)}"` };
    if (m[3] !== undefined) {
      const replacement = PREDEFINED_ENTITIES[m[3]];
      if (replacement === undefined) return { error: `undefined entity &${m[3]};` };
      out += replacement;
    } else {
      const codePoint = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2]!, 10);
      if (!isXmlChar(codePoint)) return { error: `character reference ${m[0]} is not an XML character` };
      out += String.fromCodePoint(codePoint);
    }
    at = reference.lastIndex;
  }
  return out;
}

function isXmlChar(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

// ---------------------------------------------------------------------------------------------
// Reading helpers shared by the document decoders

/** `xsi:nil="true"` under any prefix bound to the XMLSchema-instance namespace. */
export function isNil(el: XmlElement): boolean {
  return el.attributes.some(
    (a) => a.local === 'nil' && a.namespace === XML_SCHEMA_INSTANCE_NAMESPACE && (a.value.trim() === 'true' || a.value.trim() === '1'),
  );
}

/** The local part of the `xsi1:type` QName value (prefix ignored, as for element names). */
export function schemaType(el: XmlElement): string | undefined {
  const attr = el.attributes.find((a) => a.local === 'type' && a.namespace === XML_SCHEMA_INSTANCE_NAMESPACE);
  if (attr === undefined) return undefined;
  const value = attr.value.trim();
  const colon = value.indexOf(':');
  return colon < 0 ? value : value.slice(colon + 1);
}

export function child(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c) => c.local === local);
}

/** Text of a simple-typed element, whitespace-collapsed at the ends (XSD token types). */
export function simpleText(el: XmlElement): string | XsiCodecError {
  if (el.children.length > 0) return { error: `<${el.local}> must hold text, not elements` };
  return el.text.trim();
}

export function parseBoolean(el: XmlElement): boolean | XsiCodecError {
  const t = simpleText(el);
  if (isCodecError(t)) return t;
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return { error: `<${el.local}> must be a boolean (true/false), got "${t}"` };
}

export function parseInteger(el: XmlElement, min: number, max: number): number | XsiCodecError {
  const t = simpleText(el);
  if (isCodecError(t)) return t;
  if (!/^[+-]?[0-9]{1,16}$/.test(t)) return { error: `<${el.local}> must be an integer, got "${t}"` };
  const n = Number(t);
  if (n < min || n > max) return { error: `<${el.local}> must be in ${min}..${max}, got ${n}` };
  return n;
}

export function parseNonEmpty(el: XmlElement, maxLength = 256): string | XsiCodecError {
  const t = simpleText(el);
  if (isCodecError(t)) return t;
  if (t === '') return { error: `<${el.local}> must not be empty` };
  if (t.length > maxLength) return { error: `<${el.local}> longer than ${maxLength} characters` };
  return t;
}

// ---------------------------------------------------------------------------------------------
// Writing helpers

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}

/** `<name>text</name>` with the text escaped; `prefix` is `'xsi:'` for event documents. */
export function textElement(name: string, value: string | number | boolean, prefix = ''): string {
  return `<${prefix}${name}>${escapeText(String(value))}</${prefix}${name}>`;
}
