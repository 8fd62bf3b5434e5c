/**
 * XML ↔ JSON in the BadgerFish convention BroadWorks uses for Xsi-Actions JSON (reference/xsi.md
 * §1.4): an element is a property named after it; its text is `"$"`; an attribute is `"@name"`;
 * namespaces are `"@xmlns": {"$": default, "prefix": uri}` where they are declared; siblings of the
 * same name become an array. `<Profile xmlns="…xsi"><details><userId>u</userId>…` becomes
 * `{"Profile":{"@xmlns":{"$":"…xsi"},"details":{"userId":{"$":"u"},…}}}`.
 *
 * Theory of operation
 * - XML → JSON reads our own answer documents through the core's safe parser (namespaces
 *   resolved); a namespace is declared on the root and wherever an element's differs from its
 *   parent's; a namespaced attribute keeps a prefix (`xsi` for XMLSchema-instance). Text is kept
 *   as a string, as BadgerFish does (`"active":{"$":"true"}`); an empty element is `{}`.
 * - JSON → XML reads untrusted request bodies: one root property; values are objects, arrays of
 *   them (repeated elements), or — leniently — a bare string/number/boolean taken as the text.
 *   A root without `@xmlns` gets the Xsi namespace (every Xsi request body is in it). Names must
 *   be XML names; depth and size are bounded; every failure is a `{ error }` naming the path.
 */
import { XML_SCHEMA_INSTANCE_NAMESPACE, XSI_NAMESPACE, XSI_XML_DECLARATION, escapeAttribute, escapeText, isXsiCodecError, parseXmlDocument, type XmlElement } from '@csta-bw/core';

export type BadgerFish = { [name: string]: BadgerFishValue };
export type BadgerFishValue = string | BadgerFish | BadgerFish[] | Record<string, string>;

const MAX_DEPTH = 32;
const NAME = /^[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?$/;

// ---------------------------------------------------------------------------------------------
// XML → BadgerFish

function elementJson(el: XmlElement, parentNs: string | undefined): BadgerFish {
  const out: BadgerFish = {};
  const xmlns: Record<string, string> = {};
  if (el.namespace !== undefined && el.namespace !== parentNs) xmlns['$'] = el.namespace;
  for (const a of el.attributes) {
    const prefix = a.namespace === undefined ? undefined : a.namespace === XML_SCHEMA_INSTANCE_NAMESPACE ? 'xsi' : 'ns1';
    if (prefix !== undefined && a.namespace !== undefined) xmlns[prefix] = a.namespace;
    out[`@${prefix === undefined ? a.local : `${prefix}:${a.local}`}`] = a.value;
  }
  if (Object.keys(xmlns).length > 0) out['@xmlns'] = xmlns;
  if (el.children.length === 0) {
    if (el.text !== '') out['$'] = el.text;
    return out;
  }
  for (const c of el.children) {
    const value = elementJson(c, el.namespace);
    const prior = out[c.local];
    if (prior === undefined) out[c.local] = value;
    else if (Array.isArray(prior)) prior.push(value);
    else out[c.local] = [prior as BadgerFish, value];
  }
  return out;
}

/** One XML document → its BadgerFish form, or why it is not XML. */
export function xmlToBadgerFish(xml: string): BadgerFish | { error: string } {
  const root = parseXmlDocument(xml);
  if (isXsiCodecError(root)) return root;
  return { [root.local]: elementJson(root, undefined) };
}

// ---------------------------------------------------------------------------------------------
// BadgerFish → XML

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function elementXml(name: string, value: unknown, path: string, depth: number, isRoot: boolean): string | { error: string } {
  if (depth > MAX_DEPTH) return { error: `${path}: nested deeper than ${MAX_DEPTH} elements` };
  if (!NAME.test(name)) return { error: `${path}: "${name}" is not an XML element name` };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const ns = isRoot ? ` xmlns="${XSI_NAMESPACE}"` : '';
    return `<${name}${ns}>${escapeText(String(value))}</${name}>`;
  }
  if (!isObject(value)) return { error: `${path}: expected an object, a string, a number or a boolean, got ${value === null ? 'null' : typeof value}` };
  let attributes = '';
  let text = '';
  let children = '';
  let declaresDefault = false;
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}.${key}`;
    if (key === '$') {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return { error: `${at}: text must be a string, a number or a boolean` };
      text = escapeText(String(v));
    } else if (key === '@xmlns') {
      if (!isObject(v)) return { error: `${at}: expected {"$": uri, "prefix": uri}` };
      for (const [prefix, uri] of Object.entries(v)) {
        if (typeof uri !== 'string') return { error: `${at}.${prefix}: a namespace must be a string` };
        if (prefix === '$') {
          declaresDefault = true;
          attributes += ` xmlns="${escapeAttribute(uri)}"`;
        } else if (/^[A-Za-z_][A-Za-z0-9._-]*$/.test(prefix)) attributes += ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
        else return { error: `${at}: "${prefix}" is not a namespace prefix` };
      }
    } else if (key.startsWith('@')) {
      const attr = key.slice(1);
      if (!NAME.test(attr)) return { error: `${at}: "${attr}" is not an XML attribute name` };
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return { error: `${at}: an attribute must be a string, a number or a boolean` };
      attributes += ` ${attr}="${escapeAttribute(String(v))}"`;
    } else {
      for (const [i, item] of (Array.isArray(v) ? v : [v]).entries()) {
        const xml = elementXml(key, item, Array.isArray(v) ? `${at}[${i}]` : at, depth + 1, false);
        if (typeof xml !== 'string') return xml;
        children += xml;
      }
    }
  }
  if (isRoot && !declaresDefault) attributes = ` xmlns="${XSI_NAMESPACE}"${attributes}`;
  return `<${name}${attributes}>${text}${children}</${name}>`;
}

/** A request body in BadgerFish JSON → the XML document it stands for (decoded further as XML). */
export function badgerFishToXml(json: unknown): string | { error: string } {
  if (!isObject(json)) return { error: 'JSON body: expected an object with one root element' };
  const keys = Object.keys(json);
  if (keys.length !== 1) return { error: `JSON body: expected exactly one root element, got ${keys.length}` };
  const root = keys[0]!;
  if (Array.isArray(json[root])) return { error: `JSON body: the root element ${root} cannot repeat` };
  const xml = elementXml(root, json[root], root, 1, true);
  return typeof xml === 'string' ? `${XSI_XML_DECLARATION}${xml}` : { error: `JSON body: ${xml.error}` };
}

/** `text` parsed as JSON, then as BadgerFish. */
export function jsonBodyToXml(text: string): string | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `JSON body: ${e instanceof Error ? e.message : 'not JSON'}` };
  }
  return badgerFishToXml(json);
}
