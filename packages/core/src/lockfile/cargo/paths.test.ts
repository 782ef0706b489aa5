import { describe, expect, it } from 'vitest';
import { isWithin, joinRelDir, normalizeRelDir } from './paths.js';

describe('relDirs', () => {
  it('normalises and joins workspace-relative directories', () => {
    expect(normalizeRelDir('./a/b/')).toBe('a/b');
    expect(normalizeRelDir('.')).toBe('');
    expect(joinRelDir('', 'crates/x')).toBe('crates/x');
    expect(joinRelDir('crates/a', '../b')).toBe('crates/b');
    expect(joinRelDir('app', '../../out')).toBe('../out');
    expect(joinRelDir('app', '..\\lib')).toBe('lib');
    expect(joinRelDir('app', '/opt/src/x/')).toBe('/opt/src/x');
  });

  it('knows what lies under the root or under a directory', () => {
    expect(isWithin('crates/a', '')).toBe(true);
    expect(isWithin('../out', '')).toBe(false);
    expect(isWithin('/opt/x', '')).toBe(false);
    expect(isWithin('src/lib/coap', 'src/lib')).toBe(true);
    expect(isWithin('src/library', 'src/lib')).toBe(false);
  });
});
