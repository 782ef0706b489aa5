import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InstallPathIndex, resolveFromInstallPath } from './install-paths.js';

describe('InstallPathIndex', () => {
  it('resolves every dependency as the walk up the install paths does', () => {
    // Path segments include scopes, nested node_modules, workspace dirs and hostile names.
    const segment = fc.constantFrom('node_modules', 'a', 'b', '@s', 'packages', 'node_modules/a', '');
    const path = fc.array(segment, { minLength: 0, maxLength: 6 }).map((s) => s.join('/'));
    const dep = fc.constantFrom('a', 'b', '@s/a', '', 'node_modules/a', 'a/node_modules/b', 'c');
    fc.assert(
      fc.property(
        fc.uniqueArray(path, { maxLength: 25 }),
        path,
        fc.array(dep, { maxLength: 8 }),
        (paths, from, deps) => {
          const set = new Set(paths);
          const resolve = new InstallPathIndex(set).resolverFor(from);
          for (const d of deps) expect(resolve(d)).toBe(resolveFromInstallPath((p) => set.has(p), from, d));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
