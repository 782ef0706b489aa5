import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMultiline, escapeText, toSafeJson } from './escape.js';

// Anything a terminal acts on, or that reorders or breaks a line.

const DANGEROUS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/;

describe('escapeText', () => {
  it('shows ANSI and OSC sequences, C1, DEL and newlines as escapes', () => {
    expect(escapeText('evil\u001b[2K\rVetting Succeeded\u0007')).toBe('evil\\x1b[2K\\rVetting Succeeded\\x07');
    expect(escapeText('\u001b]0;title\u009c\u009b31m\u007f')).toBe('\\x1b]0;title\\x9c\\x9b31m\\x7f');
    expect(escapeText('a\nb\tc')).toBe('a\\nb\\tc');
  });

  it('shows bidi overrides and isolates, line separators and lone surrogates', () => {
    expect(escapeText('abc\u202eexe.txt\u2066\u2069\u2028')).toBe('abc\\u{202e}exe.txt\\u{2066}\\u{2069}\\u{2028}');
    expect(escapeText('x\ud800y')).toBe('x\\u{d800}y');
  });

  it('keeps ordinary text, non-Latin letters and emoji as they are', () => {
    for (const s of ['@scope/left-pad', '1.0.0-beta.1+build', 'Zoë <zoe@example.com>', '日本語', '🙂', 'C:\\path'])
      expect(escapeText(s)).toBe(s);
  });

  it('never lets a dangerous character through (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(escapeText(s)).not.toMatch(DANGEROUS);
        expect(escapeMultiline(s, '  ').replace(/\n/g, '')).not.toMatch(DANGEROUS);
      }),
    );
  });
});

describe('escapeMultiline', () => {
  it('keeps line breaks, indents continuation lines, escapes the rest', () => {
    expect(escapeMultiline('one\r\ntwo\n\u001b[31mthree', '    ')).toBe('one\n    two\n    \\x1b[31mthree');
  });
});

describe('toSafeJson', () => {
  it('parses back to the same value and prints no raw control or bidi character (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (v, s) => {
        const doc = { v, s };
        const text = toSafeJson(doc);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(doc)));
        expect(text.slice(0, -1).replace(/\n/g, '')).not.toMatch(DANGEROUS);
      }),
    );
  });

  it('is JSON.stringify(x, null, 2) for ordinary text', () => {
    const doc = { conclusion: 'success', vetted_fully: [{ name: 'a', version: '1.0.0' }] };
    expect(toSafeJson(doc)).toBe(JSON.stringify(doc, null, 2) + '\n');
  });
});
