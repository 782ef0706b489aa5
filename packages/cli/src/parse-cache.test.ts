import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { jsonExact, nullPrototype } from './parse-cache.js';

describe('jsonExact', () => {
  it('is true only for values JSON carries exactly (objects come back with a null prototype)', () => {
    const nullProto = (x: unknown): unknown =>
      Array.isArray(x)
        ? x.map(nullProto)
        : typeof x === 'object' && x !== null
          ? Object.assign(
              Object.create(null) as object,
              Object.fromEntries(Object.entries(x).map(([k, y]) => [k, nullProto(y)])),
            )
          : x;
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withSparseArray: true, withObjectString: true }), (v) => {
        if (jsonExact(v))
          expect(isDeepStrictEqual(JSON.parse(JSON.stringify(v), nullPrototype), nullProto(v))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts plain JSON and refuses what the trip would change', () => {
    // Whatever JSON.parse returns is carried exactly.
    fc.assert(fc.property(fc.jsonValue(), (v) => jsonExact(JSON.parse(JSON.stringify(v)))));
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
