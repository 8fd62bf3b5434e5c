import { describe, expect, it } from 'vitest';
import { extend } from '../../src/connector/extend.js';

describe('extend', () => {
  it('builds what { ...base, ...extra } builds: the same keys in the same order, extra winning', () => {
    const base = { a: 1, b: { deep: true }, c: 'x' };
    const got = extend(base, { c: 'y', d: undefined });
    expect(got).toStrictEqual({ ...base, ...{ c: 'y', d: undefined } });
    expect(Object.keys(got)).toEqual(['a', 'b', 'c', 'd']);
    expect(JSON.stringify(got)).toBe(JSON.stringify({ ...base, c: 'y', d: undefined }));
  });

  it('copies: the base is left as it was, nested values are shared as with a spread', () => {
    const base = { a: 1, b: { deep: true } };
    const got = extend(base, { a: 2 });
    expect(base).toEqual({ a: 1, b: { deep: true } });
    expect(got).not.toBe(base);
    expect(got.b).toBe(base.b);
  });
});
