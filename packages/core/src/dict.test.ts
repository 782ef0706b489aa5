import { describe, expect, it } from 'vitest';
import { cloneData, dict, dictFrom, own } from './dict.js';

describe('maps keyed by outside strings', () => {
  it('answer only for their own keys, __proto__ included', () => {
    const m = dictFrom<number>([
      ['__proto__', 1],
      ['constructor', 2],
    ]);
    expect(Object.keys(m)).toEqual(['__proto__', 'constructor']);
    expect(m['toString']).toBeUndefined();
    const plain: Record<string, unknown> = {};
    expect(own(plain, 'constructor')).toBeUndefined();
    expect(own(m, '__proto__')).toBe(1);
  });

  it('cloneData keeps null prototypes (structuredClone does not)', () => {
    const store = { exemptions: dict<string[]>() };
    store.exemptions['__proto__'] = ['1.0.0'];
    const copy = cloneData(store);
    expect(Object.getPrototypeOf(copy.exemptions)).toBeNull();
    expect(copy.exemptions['constructor']).toBeUndefined();
    expect(copy.exemptions['__proto__']).toEqual(['1.0.0']);
    expect(copy.exemptions['__proto__']).not.toBe(store.exemptions['__proto__']);
    expect(Object.getPrototypeOf(structuredClone(store).exemptions)).toBe(Object.prototype);
  });
});
