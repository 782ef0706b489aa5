import { describe, expect, it } from 'vitest';
import { installScripts, installsOn, packumentVersion, parsePackument } from './packument.js';

describe('parsePackument', () => {
  it('keeps only well-typed fields from hostile JSON', () => {
    const p = parsePackument(
      {
        name: 'x',
        'dist-tags': { latest: '1.0.0', bad: 3 },
        versions: {
          '1.0.0': {
            dist: { tarball: 'http://r/x.tgz', integrity: 42, fileCount: 'many' },
            scripts: { postinstall: 'node a.js', test: ['no'] },
            _npmUser: { name: 'alice' },
            dependencies: { a: '^1', b: null },
            deprecated: '',
          },
          '2.0.0': 'not an object',
        },
        time: { '1.0.0': '2024-01-01T00:00:00Z' },
      },
      'http://r/x',
    );
    expect(Object.keys(p.versions)).toEqual(['1.0.0']);
    const v = packumentVersion(p, '1.0.0');
    expect(v.dist).toEqual({
      tarball: 'http://r/x.tgz',
      integrity: undefined,
      shasum: undefined,
      fileCount: undefined,
      unpackedSize: undefined,
    });
    expect(v.scripts).toEqual({ postinstall: 'node a.js' });
    expect(installScripts(v)).toEqual({ postinstall: 'node a.js' });
    expect(v.dependencies).toEqual({ a: '^1' });
    expect(v.deprecated).toBeUndefined();
    expect(v.npmUser?.name).toBe('alice');
    expect(p.distTags).toEqual({ latest: '1.0.0' });
  });

  it('rejects documents that are not packuments, and names missing versions', () => {
    expect(() => parsePackument({ error: 'not found' }, 'http://r/x')).toThrow(
      expect.objectContaining({ code: 'PARSE_ERROR', file: 'http://r/x' }),
    );
    const p = parsePackument({ name: 'x', versions: {} }, 'u');
    expect(() => packumentVersion(p, '9.9.9')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

describe('installsOn (npm-install-checks rules)', () => {
  const v = (extra: Record<string, unknown>) =>
    parsePackument({ name: 'p', versions: { '1.0.0': { name: 'p', version: '1.0.0', ...extra } } }, 'x').versions[
      '1.0.0'
    ]!;
  it('checks os and cpu, with !negation', () => {
    expect(installsOn(v({}), 'linux', 'x64')).toBe(true);
    expect(installsOn(v({ os: ['darwin'], cpu: ['arm64'] }), 'linux', 'x64')).toBe(false);
    expect(installsOn(v({ os: ['linux'], cpu: ['x64'] }), 'linux', 'x64')).toBe(true);
    expect(installsOn(v({ os: ['!win32'] }), 'linux', 'x64')).toBe(true);
    expect(installsOn(v({ os: ['!linux'] }), 'linux', 'x64')).toBe(false);
  });
  it('checks libc on Linux only', () => {
    const musl = v({ os: ['linux'], cpu: ['x64'], libc: ['musl'] });
    expect(installsOn(musl, 'linux', 'x64', 'glibc')).toBe(false);
    expect(installsOn(musl, 'linux', 'x64', 'musl')).toBe(true);
    expect(installsOn(v({ libc: ['glibc'] }), 'darwin', 'arm64', 'musl')).toBe(true);
  });
});
