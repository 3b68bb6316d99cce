import fc from 'fast-check';
import { canonicalJson } from './json';

describe(canonicalJson, () => {
  describe('when objects differ only in key order', () => {
    it('should serialise them identically, at every depth', () => {
      expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
        canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }),
      );
      expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    });

    it('should hold for any JSON value whatever the insertion order', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const reversed = reverseKeys(value);
          return canonicalJson(value) === canonicalJson(reversed);
        }),
      );
    });
  });

  describe('when values differ anywhere, including nested fields', () => {
    it('should serialise them differently', () => {
      expect(canonicalJson({ a: { b: { c: 1 } } })).not.toBe(canonicalJson({ a: { b: { c: 2 } } }));
      expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
      expect(canonicalJson({ a: '1' })).not.toBe(canonicalJson({ a: 1 }));
    });
  });

  describe('when a value has no faithful JSON form', () => {
    it.each([
      ['NaN', { a: Number.NaN }],
      ['Infinity', [Number.POSITIVE_INFINITY]],
      ['a bigint', { a: 1n }],
      ['a function', { a: () => 1 }],
    ])('should refuse %s', (_name, value) => {
      expect(() => canonicalJson(value)).toThrow(TypeError);
    });

    it('should refuse a cycle', () => {
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;

      expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
    });
  });

  it('should drop undefined properties and honour toJSON, like JSON.stringify', () => {
    expect(canonicalJson({ a: undefined, b: new Date(0) })).toBe('{"b":"1970-01-01T00:00:00.000Z"}');
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .reverse()
        .map((key) => [key, reverseKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
