/**
 * Shared checks of the route conformance suite (routes.*.test.ts): each route's answer is read
 * as XML and compared with the shape reference/xsi.md and the BroadWorks XSD give it — the root
 * element in the Xsi namespace, which children it has, and their order.
 */
import { isXsiCodecError } from '@csta-bw/core';
import { parseXmlDocument, XSI_NAMESPACE, type XmlElement } from '../../../core/src/xsi/xml.js';
import { expect } from 'vitest';
import type { Answer } from '../server/helpers.js';

/** A 200 XML answer whose root is `root` in the Xsi namespace; returns the root element. */
export function xmlDocument(answer: Answer, root: string): XmlElement {
  expect(answer.status, answer.text).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^application\/xml/);
  const doc = parseXmlDocument(answer.text);
  if (isXsiCodecError(doc)) throw new Error(`${doc.error}: ${answer.text}`);
  expect(doc.local).toBe(root);
  expect(doc.namespace).toBe(XSI_NAMESPACE);
  return doc;
}

export const names = (el: XmlElement): string[] => el.children.map((c) => c.local);

/**
 * The children of `el` appear in schema order: each is one of `order`, none repeats out of place,
 * and every name of `required` is there.
 */
export function expectSchemaOrder(el: XmlElement, order: readonly string[], required: readonly string[] = []): void {
  const seen = names(el);
  for (const n of seen) expect(order, `<${el.local}> has an unexpected <${n}>`).toContain(n);
  const positions = seen.map((n) => order.indexOf(n));
  expect(positions, `<${el.local}> children out of schema order: ${seen.join(', ')}`).toEqual([...positions].sort((a, b) => a - b));
  for (const r of required) expect(seen, `<${el.local}> lacks required <${r}>`).toContain(r);
}

export const textOf = (el: XmlElement, name: string): string | undefined => el.children.find((c) => c.local === name)?.text.trim();
