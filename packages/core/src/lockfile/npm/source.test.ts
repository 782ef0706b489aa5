import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBerryChecksum, parseSri, sha1FromResolvedFragment } from './integrity.js';
import { normalizeDir, workspaceMatcher } from './manifest.js';
import { classifyResolved, isRegistryTarballUrl, splitNameAt } from './source.js';

describe('classifyResolved', () => {
  it.each([
    [undefined, 'registry'],
    ['https://registry.npm.invalid/@s/n/-/n-1.0.0.tgz', 'registry'],
    ['https://mirror.example.invalid/api/npm/x/-/x-1.0.0.tgz', 'registry'],
    ['https://example.invalid/files/x.tgz', 'tarball'],
    ['git+ssh://git@github.com/o/r.git#0123456789abcdef0123456789abcdef01234567', 'git'],
    ['github:o/r#abc1234', 'git'],
    ['https://github.com/o/r.git#commit=0123456789abcdef0123456789abcdef01234567', 'git'],
    ['file:../x.tgz', 'file'],
    ['../local', 'file'],
    ['link:../x', 'link'],
    ['portal:../x', 'link'],
    ['workspace:packages/a', 'workspace'],
    ['exec:./gen.js', 'unknown'],
  ])('%s → %s', (resolved, kind) => {
    expect(classifyResolved(resolved).kind).toBe(kind);
  });

  it('extracts git commits from both fragment styles', () => {
    expect(classifyResolved('git+https://x.invalid/r.git#0123456789ABCDEF0123456789abcdef01234567').commit).toBe(
      '0123456789abcdef0123456789abcdef01234567',
    );
    expect(classifyResolved('https://github.com/o/r.git#commit=0123456789abcdef0123456789abcdef01234567').commit).toBe(
      '0123456789abcdef0123456789abcdef01234567',
    );
    expect(isRegistryTarballUrl('https://x.invalid/x.tgz')).toBe(false);
  });

  it('isRegistryTarballUrl agrees with the plain definition (path before ?/# has /-/ and ends in .tgz)', () => {
    const reference = (url: string): boolean => {
      const path = url.split(/[?#]/)[0] ?? '';
      return /^https?:\/\//i.test(url) && path.includes('/-/') && path.endsWith('.tgz');
    };
    const piece = fc.constantFrom(
      'https://',
      'HTTP://',
      'h',
      'x',
      '/',
      '-',
      '/-/',
      '.tgz',
      '.tg',
      'z',
      '?',
      '#',
      '?a.tgz',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const url = parts.join('');
        expect(isRegistryTarballUrl(url)).toBe(reference(url));
      }),
      { numRuns: 3000 },
    );
  });

  it('normalizeDir returns a directory without `.`, `..`, empty segments or backslashes as it is', () => {
    const reference = (dir: string): string => {
      const parts: string[] = [];
      for (const part of dir.replace(/\\/g, '/').split('/')) {
        if (part === '' || part === '.') continue;
        if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
        else parts.push(part);
      }
      return parts.join('/');
    };
    const piece = fc.constantFrom('a', 'b.c', '.', '..', '...', '.a', '/', '\\', 'x..');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (parts) => {
        const dir = parts.join('');
        expect(normalizeDir(dir)).toBe(reference(dir));
      }),
      { numRuns: 3000 },
    );
  });

  it('splits name@rest after index 0', () => {
    expect(splitNameAt('@s/n@1.0.0')).toEqual({ name: '@s/n', rest: '1.0.0' });
    expect(splitNameAt('a@npm:b@^1')).toEqual({ name: 'a', rest: 'npm:b@^1' });
    expect(splitNameAt('noversion')).toBeUndefined();
  });
});

describe('integrity parsing', () => {
  it('reads SRI lists, dropping options and malformed tokens', () => {
    const sri = parseSri('sha512-AAAA== sha1-BBBB?foo md5-CCCC nonsense sha256-!!!');
    expect(sri).toEqual([
      { algo: 'sha512', digest: 'AAAA==', encoding: 'base64', covers: 'npm-tarball' },
      { algo: 'sha1', digest: 'BBBB', encoding: 'base64', covers: 'npm-tarball' },
    ]);
    expect(parseSri(42)).toEqual([]);
  });

  it('reads yarn sha1 fragments and Berry checksums (yarn-zip, never npm-tarball)', () => {
    expect(sha1FromResolvedFragment('https://x/a.tgz#' + 'A'.repeat(40))?.digest).toBe('a'.repeat(40));
    expect(sha1FromResolvedFragment('https://x/a.tgz#short')).toBeUndefined();
    expect(parseBerryChecksum('10c0/' + 'f'.repeat(128))).toEqual([
      { algo: 'sha512', digest: 'f'.repeat(128), encoding: 'hex', covers: 'yarn-zip' },
    ]);
    expect(parseBerryChecksum('f'.repeat(128))).toHaveLength(1);
    expect(parseBerryChecksum('10/abc')).toEqual([]);
  });
});

describe('workspace globs', () => {
  it('matches *, ** and negations over normalised directories', () => {
    const m = workspaceMatcher(['packages/*', './apps/**', '!packages/skip', 'tools']);
    expect(['packages/a', 'apps/x', 'apps/x/y', 'tools', 'packages/a/'].map(m)).toEqual([true, true, true, true, true]);
    expect(['packages', 'packages/skip', 'packages/a/b', 'apps', 'other'].map(m)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(workspaceMatcher(['**/pkg'])('a/b/pkg')).toBe(true);
    expect(normalizeDir('./a/../b/./c/')).toBe('b/c');
    expect(normalizeDir('.')).toBe('');
  });
});
