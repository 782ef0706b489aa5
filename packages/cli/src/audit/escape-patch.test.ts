import { describe, expect, it } from 'vitest';
import { escapePatch } from './escape-patch.js';

describe('escapePatch', () => {
  it('shows ANSI, OSC and bidi characters of body lines as escapes and keeps tabs and newlines', () => {
    const patch = [
      'diff --git a/x\u001b[2J.js b/x\u001b[2J.js',
      '--- a/x\u001b[2J.js',
      '+++ b/x\u001b[2J.js',
      '@@ -1 +1 @@',
      '-\tconst ok = 1;',
      '+\u001b[1A\u001b[2KVetting Succeeded\u001b]0;title\u0007',
      '+if (role !== "user\u202e \u2066// admin\u2069 \u2066") {',
      ' kept\r',
      '',
    ].join('\n');
    const out = escapePatch(patch);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
    expect(out.split('\n')).toEqual([
      'diff --git a/x\\x1b[2J.js b/x\\x1b[2J.js',
      '--- a/x\\x1b[2J.js',
      '+++ b/x\\x1b[2J.js',
      '@@ -1 +1 @@',
      '-\tconst ok = 1;',
      '+\\x1b[1A\\x1b[2KVetting Succeeded\\x1b]0;title\\x07',
      '+if (role !== "user\\u{202e} \\u{2066}// admin\\u{2069} \\u{2066}") {',
      ' kept\\r',
      '',
    ]);
  });

  it('leaves a plain patch byte-identical', () => {
    const plain = 'diff --git a/i.js b/i.js\n--- a/i.js\n+++ b/i.js\n@@ -1 +1 @@\n-a\n+\tb\n';
    expect(escapePatch(plain)).toBe(plain);
  });
});
