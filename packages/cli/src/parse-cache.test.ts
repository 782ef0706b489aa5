import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { exactJsonPaths, jsonExact, restoreNullPrototypes } from './parse-cache.js';

describe('jsonExact', () => {
  it('is true only for values JSON carries exactly (with the null-prototype paths beside them)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withSparseArray: true, withObjectString: true }), (v) => {
        if (!jsonExact(v)) return;
        const paths: unknown = JSON.parse(JSON.stringify(exactJsonPaths(v)));
        // isDeepStrictEqual compares prototypes too.
        expect(isDeepStrictEqual(restoreNullPrototypes(JSON.parse(JSON.stringify(v)), paths), v)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses paths that do not lead to an object JSON.parse made', () => {
    const parse = () => JSON.parse('{"a": {"b": [{"c": 1}]}, "n": 1}') as unknown;
    expect(restoreNullPrototypes(parse(), 'x')).toBeUndefined();
    expect(restoreNullPrototypes(parse(), [['a', 'missing']])).toBeUndefined();
    expect(restoreNullPrototypes(parse(), [['n']])).toBeUndefined();
    expect(restoreNullPrototypes(parse(), [['a', 'b']])).toBeUndefined(); // an array
    expect(restoreNullPrototypes(parse(), [['a', true]])).toBeUndefined();
    expect(restoreNullPrototypes(parse(), [['__proto__']])).toBeUndefined(); // inherited, not own
    expect(restoreNullPrototypes(parse(), [['constructor']])).toBeUndefined();
    const back = restoreNullPrototypes(parse(), [['a', 'b', 0], ['a'], []]) as { a: { b: object[] } };
    expect(Object.getPrototypeOf(back)).toBeNull();
    expect(Object.getPrototypeOf(back.a)).toBeNull();
    expect(Object.getPrototypeOf(back.a.b[0])).toBeNull();
    expect(Object.getPrototypeOf(back.a.b)).toBe(Array.prototype);
  });

  it('accepts plain JSON and refuses what the trip would change', () => {
    // Whatever JSON.parse returns is carried exactly, but for a `__proto__` key (refused below).
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        return jsonExact(JSON.parse(text)) || text.includes('"__proto__"');
      }),
    );
    expect(jsonExact({ a: [1, 'x', null, true, { b: {} }] })).toBe(true);
    for (const bad of [
      { a: undefined },
      [undefined],
      { a: -0 },
      { a: NaN },
      { a: new Date(0) },
      { a: new Map() },
      JSON.parse('{"__proto__": 1}') as unknown,
      { a: 1n },
      // eslint-disable-next-line no-sparse-arrays
      [1, , 2],
    ])
      expect(jsonExact(bad)).toBe(false);
  });
});
