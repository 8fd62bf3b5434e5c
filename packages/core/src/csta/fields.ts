/**
 * Reading typed CSTA fields out of the element tree (see xml.ts), by local name and in any order
 * (reference/csta.md §1.2: real clients send fields out of order and with assorted prefixes).
 *
 * Theory of operation: each reader returns the value, or `undefined` when the element is absent,
 * and throws `MalformedCsta` when the element is there but wrong (appears twice, holds elements
 * where text belongs, a boolean that is not one, …). The throw never leaves the codec: the decode
 * entry points catch it and answer with an error value naming the field. This keeps the per-message
 * decoders a flat list of fields, readable against the schema tables.
 */
import type { CstaError } from './types.js';
import { CstaErrors } from './types.js';
import type { XmlElement } from './xml.js';

/** A message that parsed as XML but is not acceptable CSTA; `error` defaults to invalidParameterValue. */
export class MalformedCsta extends Error {
  constructor(
    reason: string,
    readonly error: CstaError = CstaErrors.invalidParameterValue,
  ) {
    super(reason);
    this.name = 'MalformedCsta';
  }
}

/** The child named `name`; a second one is a schema violation, not something to guess about. */
export function optionalChild(parent: XmlElement, name: string): XmlElement | undefined {
  const found = parent.children.filter((child) => child.name === name);
  if (found.length > 1) throw new MalformedCsta(`${parent.name}/${name} appears ${found.length} times`);
  return found[0];
}

export function requiredChild(parent: XmlElement, name: string): XmlElement {
  const child = optionalChild(parent, name);
  if (child === undefined) throw new MalformedCsta(`${parent.name}/${name} is missing`);
  return child;
}

/** Text content of an element that must not contain elements; surrounding whitespace dropped. */
export function leafText(element: XmlElement): string {
  if (element.children.length > 0) {
    throw new MalformedCsta(`${element.name} must hold text, not <${element.children[0]?.name}>`);
  }
  return element.text.trim();
}

export function optionalText(parent: XmlElement, name: string): string | undefined {
  const child = optionalChild(parent, name);
  return child === undefined ? undefined : leafText(child);
}

export function requiredText(parent: XmlElement, name: string): string {
  return leafText(requiredChild(parent, name));
}

/**
 * A device: plain DeviceID text (requests, responses) or a SubjectDeviceID wrapper
 * `<deviceIdentifier>` (events). Both are accepted everywhere: BroadWorks DFKS, for one, sends
 * plain text in events (§8.4). `notKnown` / `restricted` name no device we can act on.
 */
export function deviceText(element: XmlElement): string {
  const wrapped = element.children[0];
  if (wrapped === undefined) return leafText(element);
  if (element.children.length > 1) throw new MalformedCsta(`${element.name} must hold one device identifier`);
  if (wrapped.name === 'deviceIdentifier') return leafText(wrapped);
  if (wrapped.name === 'notKnown' || wrapped.name === 'restricted') {
    throw new MalformedCsta(`${element.name} is ${wrapped.name}, not a device identifier`);
  }
  throw new MalformedCsta(`${element.name} holds <${wrapped.name}>, not a device identifier`);
}

export function optionalDevice(parent: XmlElement, name: string): string | undefined {
  const child = optionalChild(parent, name);
  return child === undefined ? undefined : deviceText(child);
}

export function requiredDevice(parent: XmlElement, name: string): string {
  return deviceText(requiredChild(parent, name));
}

/** xs:boolean: `true`/`false` and also `1`/`0` (reference/csta.md §1.1). */
export function booleanValue(element: XmlElement): boolean {
  const text = leafText(element);
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new MalformedCsta(`${element.name} must be a boolean (true/false/1/0), got "${text}"`);
}

export function optionalBoolean(parent: XmlElement, name: string): boolean | undefined {
  const child = optionalChild(parent, name);
  return child === undefined ? undefined : booleanValue(child);
}

export function requiredBoolean(parent: XmlElement, name: string): boolean {
  return booleanValue(requiredChild(parent, name));
}

/** A non-negative xs:integer small enough to be exact in a JS number (durations in seconds). */
export function optionalCount(parent: XmlElement, name: string): number | undefined {
  const text = optionalText(parent, name);
  if (text === undefined) return undefined;
  const value = /^\+?[0-9]{1,15}$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(value)) throw new MalformedCsta(`${name} must be a non-negative integer, got "${text}"`);
  return value;
}

/** A value from a schema enumeration; literals are compared exactly, schema typos included. */
export function enumValue<T extends string>(element: XmlElement, allowed: readonly T[]): T {
  const text = leafText(element);
  if (!(allowed as readonly string[]).includes(text)) {
    throw new MalformedCsta(`${element.name} "${text}" is not one of ${allowed.join(', ')}`);
  }
  return text as T;
}

export function optionalEnum<T extends string>(parent: XmlElement, name: string, allowed: readonly T[]): T | undefined {
  const child = optionalChild(parent, name);
  return child === undefined ? undefined : enumValue(child, allowed);
}

export function requiredEnum<T extends string>(parent: XmlElement, name: string, allowed: readonly T[]): T {
  return enumValue(requiredChild(parent, name), allowed);
}

/**
 * Drops `undefined` members, so that a decoded message has a key only for a field that was sent
 * (exactOptionalPropertyTypes: `{ agentID: undefined }` is not `{ agentID?: string }`).
 */
export function compact<T extends Record<string, unknown>>(fields: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out as Compact<T>;
}

type Compact<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};
