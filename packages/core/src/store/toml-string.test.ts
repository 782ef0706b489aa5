import { parse } from 'smol-toml';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteTomlKey, quoteTomlString, quoteTomlStringLegacy } from './toml-string.js';

/** What a TOML reader gets back from `v = <repr>`. */
function roundTrip(repr: string): unknown {
  return parse(`v = ${repr}\n`)['v'];
}

describe('quoteTomlString (toml_edit 0.22 / toml_write 0.1.1, spec §9.4)', () => {
  it.each([
    ['plain', '"plain"'],
    ['', '""'],
    ['a\tb', '"a\\tb"'],
    ['say "hi"', `'say "hi"'`],
    ['C:\\path', `'C:\\path'`],
    ['line one\nline two', '"""\nline one\nline two"""'],
    [`it's "quoted"`, `"""it's "quoted""""`],
    [`it's "q" \\ x`, `'''it's "q" \\ x'''`],
    ['a\u0001b', '"a\\u0001b"'],
    ["back\\slash\nand ''' triple", '"""\nback\\\\slash\nand \'\'\' triple"""'],
  ])('%j → %s', (input, expected) => {
    expect(quoteTomlString(input)).toBe(expected);
  });

  it('escapes a control character inside a multi-line string but keeps quotes readable', () => {
    // From a real imports.lock: `\b` (backspace) forces escapes, `"unsafe"` stays as is.
    expect(quoteTomlString('a \b b\n"unsafe"\n')).toBe('"""\na \\b b\n"unsafe"\n"""');
  });
});

describe('quoteTomlStringLegacy (toml_edit 0.14, spec §9.5)', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['C:\\path', `'C:\\path'`],
    [`it's C:\\x`, `'''it's C:\\x'''`],
    ['C:\\x\nnext', `'''\nC:\\x\nnext'''`],
    ["ends with quote \\'", '"ends with quote \\\\\'"'],
    ['line\n"q"', '"""\nline\n\\"q\\""""'],
    ['a\tb', '"a\\tb"'],
  ])('%j → %s', (input, expected) => {
    expect(quoteTomlStringLegacy(input)).toBe(expected);
  });
});

describe('quoteTomlKey', () => {
  it('keeps bare keys bare and quotes the rest', () => {
    expect(quoteTomlKey('serde_json-1')).toBe('serde_json-1');
    expect(quoteTomlKey('wasi-common:0.0.0@git:abc')).toBe('"wasi-common:0.0.0@git:abc"');
    expect(quoteTomlKey('a"b')).toBe(`'a"b'`);
    expect(quoteTomlKey('')).toBe('""');
  });
});

// TOML text cannot hold lone surrogates; everything else must survive a write → read.
const tomlText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', "'", '\\', '\n', '\t', '\r', '\u0000', '\u007f', '\u0008', 'é', '😀', '#', '='),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
});

describe('string quoting round-trips through a TOML parser (property)', () => {
  it('0.10.2 rules', () => {
    fc.assert(
      fc.property(tomlText, (s) => roundTrip(quoteTomlString(s)) === s),
      { numRuns: 2000 },
    );
  });
  it('legacy rules', () => {
    fc.assert(
      fc.property(tomlText, (s) => roundTrip(quoteTomlStringLegacy(s)) === s),
      { numRuns: 2000 },
    );
  });
  it('keys', () => {
    fc.assert(
      fc.property(tomlText, (k) => {
        const doc = parse(`${quoteTomlKey(k)} = 1\n`);
        return Object.keys(doc).length === 1 && doc[k] === 1;
      }),
      { numRuns: 1000 },
    );
  });
});
