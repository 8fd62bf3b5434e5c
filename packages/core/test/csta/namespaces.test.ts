import { describe, expect, it } from 'vitest';
import { CSTA_NAMESPACES, DEFAULT_CSTA_NAMESPACE, ECMA354_NAMESPACE, editionNamespace, editionOf, isBeforeEd6 } from '../../src/csta/namespaces.js';

describe('editionOf', () => {
  it('reads every edition, including the old ecma.ch domain of ed2', () => {
    for (const [edition, ns] of Object.entries(CSTA_NAMESPACES)) expect(editionOf(ns)).toBe(edition);
  });

  it('reads vendor namespaces built on an edition (Avaya priv5/priv6, ed6 short_tags)', () => {
    expect(editionOf('http://www.ecma-international.org/standards/ecma-323/csta/ed3/priv5')).toBe('ed3');
    expect(editionOf('http://www.ecma-international.org/standards/ecma-323/csta/ed6/short_tags')).toBe('ed6');
  });

  it('knows nothing of other namespaces', () => {
    for (const ns of ['', ECMA354_NAMESPACE, 'http://www.avaya.com/csta', 'http://x/ecma-323/csta/ed7', 'http://x/ecma-323/csta/ed30']) {
      expect(editionOf(ns)).toBeUndefined();
    }
  });

  it('ed6 is the default; only ed2–ed5 are "before ed6"', () => {
    expect(DEFAULT_CSTA_NAMESPACE).toBe(CSTA_NAMESPACES.ed6);
    expect(['ed2', 'ed3', 'ed4', 'ed5', 'ed6'].map((e) => isBeforeEd6(CSTA_NAMESPACES[e as keyof typeof CSTA_NAMESPACES])))
      .toEqual([true, true, true, true, false]);
    expect(isBeforeEd6('')).toBe(false);
  });
});

describe('editionNamespace (issue 12 item 2: a vendor protocol version is not a namespace)', () => {
  it('reduces …/edN/privX to …/edN and leaves plain editions and other URIs alone', () => {
    expect(editionNamespace(`${CSTA_NAMESPACES.ed3}/priv7`)).toBe(CSTA_NAMESPACES.ed3);
    expect(editionNamespace(`${CSTA_NAMESPACES.ed6}/short_tags`)).toBe(CSTA_NAMESPACES.ed6);
    for (const ns of Object.values(CSTA_NAMESPACES)) expect(editionNamespace(ns)).toBe(ns);
    expect(editionNamespace('urn:other')).toBe('urn:other');
    expect(editionNamespace('')).toBe('');
  });
});
