import { describe, expect, it } from 'vitest';
import { LineIndex, parseHeader } from './locate.js';

describe('LineIndex', () => {
  it('parses quoted header keys', () => {
    expect(parseHeader('[policy."wasi-common:0.0.0@git:abc"]')).toEqual(['policy', 'wasi-common:0.0.0@git:abc']);
    expect(parseHeader("[[ audits . 'a b' ]] # c")).toEqual(['audits', 'a b']);
    expect(parseHeader('[broken')).toBeUndefined();
  });

  it('finds the n-th [[array]] element and keys under it, skipping text inside multi-line strings', () => {
    const text = [
      '[[audits.foo]]', // 1
      'notes = """', // 2
      '[[audits.foo]]', // 3: inside a string, not a header
      'version = "9"', // 4: inside a string, not a key
      '"""', // 5
      'version = "1.0.0"', // 6
      "notes2 = '''", // 7
      "[x]'''", // 8
      '', // 9
      '[[audits.foo]]', // 10
      'criteria = "a" # [[audits.foo]]', // 11
    ].join('\n');
    const idx = new LineIndex(text);
    expect(idx.table(['audits', 'foo'], 0)).toBe(1);
    expect(idx.table(['audits', 'foo'], 1)).toBe(10);
    expect(idx.table(['audits', 'foo'], 2)).toBeUndefined();
    expect(idx.table(['x'])).toBeUndefined();
    expect(idx.key(['audits', 'foo'], 'version', 0)).toBe(6);
    expect(idx.key(['audits', 'foo'], 'criteria', 1)).toBe(11);
    expect(idx.key(['audits', 'foo'], 'missing', 1)).toBe(10);
  });
});
