import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileNameOf } from './names.js';

describe('fileNameOf', () => {
  it('is the last segment before any query or fragment, as splitting the URL gives it', () => {
    const reference = (urlOrPath: string | undefined): string | undefined => {
      if (!urlOrPath) return undefined;
      const clean = urlOrPath.split(/[?#]/)[0] ?? '';
      const last = clean.split(/[\\/]/).pop();
      return last ? decodeURIComponent(last) : undefined;
    };
    const piece = fc.constantFrom('https:', '/', '\\', 'a', 'x-1.0.whl', '?', '#', 'q=1', '%20', '.', '');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (parts) => {
        const url = parts.join('');
        expect(fileNameOf(url)).toBe(reference(url));
      }),
      { numRuns: 3000 },
    );
    expect(fileNameOf(undefined)).toBeUndefined();
  });
});
