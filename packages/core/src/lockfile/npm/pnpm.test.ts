import { describe, expect, it } from 'vitest';
import { computeDevOnly } from './dev-only.js';
import { parsePnpmLock } from './pnpm.js';
import { edges, node, thirdPartyIds, vetErrorOf } from './__fixtures__/helpers.js';

const INTEGRITY = 'sha512-' + 'B'.repeat(86) + '==';

const V9 = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:

  .:
    dependencies:
      react-dom:
        specifier: ^18.0.0
        version: 18.2.0(react@18.2.0)
      '@types/react':
        specifier: npm:types-react
        version: types-react@19.0.0
    devDependencies:
      app:
        specifier: workspace:*
        version: link:packages/app
      tool:
        specifier: github:o/tool
        version: git+https://github.com/o/tool.git#0123456789abcdef0123456789abcdef01234567

  packages/app:
    dependencies:
      react:
        specifier: ^18.0.0
        version: 18.2.0
      fixture:
        specifier: file:./fixture
        version: file:packages/app/fixture

packages:

  react@18.2.0:
    resolution: {integrity: ${INTEGRITY}}

  react-dom@18.2.0:
    resolution: {integrity: ${INTEGRITY}}
    peerDependencies:
      react: ^18.0.0
    deprecated: old

  types-react@19.0.0:
    resolution: {integrity: ${INTEGRITY}}

  fixture@file:packages/app/fixture:
    resolution: {directory: packages/app/fixture, type: directory}

  tool@git+https://github.com/o/tool.git#0123456789abcdef0123456789abcdef01234567:
    resolution: {commit: 0123456789abcdef0123456789abcdef01234567, repo: https://github.com/o/tool.git, type: git}
    version: 1.0.0

snapshots:

  react@18.2.0: {}

  react-dom@18.2.0(react@18.2.0):
    dependencies:
      react: 18.2.0

  types-react@19.0.0: {}

  fixture@file:packages/app/fixture:
    dependencies:
      app: link:packages/app

  tool@git+https://github.com/o/tool.git#0123456789abcdef0123456789abcdef01234567:
    dependencies:
      react: 18.2.0
`;

describe('parsePnpmLock 9.0', () => {
  const g = parsePnpmLock(V9, 'pnpm-lock.yaml');

  it('makes importers workspace members and packages third-party nodes', () => {
    expect(g.format).toBe('pnpm 9.0');
    expect(thirdPartyIds(g)).toEqual([
      'react-dom@18.2.0',
      'react@18.2.0',
      'tool@1.0.0 (https://github.com/o/tool.git)',
      'types-react@19.0.0',
    ]);
    expect(node(g, 'workspace:packages/app')).toMatchObject({ firstParty: true, workspaceMember: true });
    expect(node(g, 'file:packages/app/fixture')).toMatchObject({
      firstParty: true,
      workspaceMember: false,
      name: 'fixture',
    });
    expect(g.warnings).toEqual([]);
  });

  it('follows importers into snapshots: peers, aliases, links, git', () => {
    expect(edges(g, 'workspace:.')).toEqual([
      'react-dom@18.2.0:normal',
      'tool@1.0.0 (https://github.com/o/tool.git):dev',
      'types-react@19.0.0:normal:@types/react',
      'workspace:packages/app:dev',
    ]);
    expect(edges(g, 'react-dom@18.2.0')).toEqual(['react@18.2.0:normal']);
    expect(edges(g, 'workspace:packages/app')).toEqual(['file:packages/app/fixture:normal', 'react@18.2.0:normal']);
    // Links inside snapshots are relative to the lockfile directory.
    expect(edges(g, 'file:packages/app/fixture')).toEqual(['workspace:packages/app:normal']);
    expect(node(g, 'react-dom@18.2.0').paths).toEqual(['react-dom@18.2.0', 'react-dom@18.2.0(react@18.2.0)']);
  });

  it('reads sources, integrity and deprecation; records no dev flag', () => {
    expect(node(g, 'react@18.2.0')).toMatchObject({
      source: { kind: 'registry' },
      integrity: [{ algo: 'sha512', covers: 'npm-tarball' }],
    });
    expect(node(g, 'react-dom@18.2.0').deprecated).toBe('old');
    expect(node(g, 'react@18.2.0').lockfileDev).toBeUndefined();
    expect(g.nodes.find((n) => n.name === 'tool')?.source).toMatchObject({
      kind: 'git',
      commit: '0123456789abcdef0123456789abcdef01234567',
    });
  });

  it('names importers from manifests, else by the name they are linked as', () => {
    expect(node(g, 'workspace:packages/app').name).toBe('app');
    expect(node(g, 'workspace:.').name).toBe('.');
    const named = parsePnpmLock(V9, 'pnpm-lock.yaml', { '': { name: 'root-pkg', version: '2.0.0' } });
    expect(node(named, 'workspace:.')).toMatchObject({ name: 'root-pkg', version: '2.0.0' });
  });

  it('walks dev-only from importers', () => {
    const dev = computeDevOnly(g);
    expect(dev.get('react@18.2.0')).toBe(false);
    expect(dev.get('tool@1.0.0 (https://github.com/o/tool.git)')).toBe(true);
  });
});

describe('parsePnpmLock two-document files', () => {
  const ENV = `---
lockfileVersion: '9.0'

importers:

  .:
    configDependencies: {}
    packageManagerDependencies:
      pnpm:
        specifier: 11.10.0
        version: 11.10.0

packages:

  pnpm@11.10.0:
    resolution: {integrity: ${INTEGRITY}}

snapshots:

  pnpm@11.10.0: {}

---
`;
  it('reads the env document too: pnpm itself hangs off the root importer as a dev dependency', () => {
    const g = parsePnpmLock(ENV + V9, 'pnpm-lock.yaml');
    expect(thirdPartyIds(g)).toHaveLength(5);
    const pnpm = g.nodes.find((n) => n.name === 'pnpm');
    expect(pnpm?.version).toBe('11.10.0');
    const root = g.nodes.find((n) => n.workspaceMember && n.deps.some((e) => e.to === pnpm!.id));
    expect(root?.deps.find((e) => e.to === pnpm!.id)?.kind).toBe('dev');
    expect(computeDevOnly(g).get(pnpm!.id)).toBe(true);
    expect(g.warnings).toEqual([]);
  });
});

const V6 = `lockfileVersion: '6.0'

importers:

  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0(b@2.0.0)
      alias:
        specifier: npm:real@^3
        version: /real@3.0.0
    devDependencies:
      vue:
        specifier: file:..
        version: 'file:'

packages:

  /a@1.0.0(b@2.0.0):
    resolution: {integrity: ${INTEGRITY}}
    peerDependencies:
      b: ^2
    dependencies:
      b: 2.0.0
    dev: false
    requiresBuild: true

  /b@2.0.0:
    resolution: {integrity: ${INTEGRITY}}

  /real@3.0.0:
    resolution: {integrity: ${INTEGRITY}}
    dev: true

  'file:':
    resolution: {directory: '', type: directory}
    name: vue
    dependencies:
      b: 2.0.0
    dev: true
`;

describe('parsePnpmLock 6.0', () => {
  const g = parsePnpmLock(V6, 'pnpm-lock.yaml');
  it('strips peer suffixes, resolves aliases and keeps dev flags', () => {
    expect(thirdPartyIds(g)).toEqual(['a@1.0.0', 'b@2.0.0', 'real@3.0.0']);
    expect(edges(g, 'workspace:.')).toEqual(['a@1.0.0:normal', 'file::dev', 'real@3.0.0:normal:alias']);
    expect(edges(g, 'a@1.0.0')).toEqual(['b@2.0.0:normal']);
    expect(node(g, 'real@3.0.0').lockfileDev).toBe(true);
    expect(node(g, 'b@2.0.0').lockfileDev).toBe(false); // absent = both = prod
    expect(node(g, 'a@1.0.0')).toMatchObject({ lockfileDev: false, hasInstallScript: true });
    expect(node(g, 'file:')).toMatchObject({ name: 'vue', firstParty: true });
  });
});

const V54 = `lockfileVersion: 5.4

specifiers:
  '@rollup/plugin-json': ^4.1.0
  rollup: ^2.61.1

devDependencies:
  '@rollup/plugin-json': 4.1.0_rollup@2.61.1
  rollup: 2.61.1

packages:

  /@rollup/plugin-json/4.1.0_rollup@2.61.1:
    resolution: {integrity: ${INTEGRITY}}
    peerDependencies:
      rollup: ^1.20.0 || ^2.0.0
    dependencies:
      rollup: 2.61.1
    dev: true

  /rollup/2.61.1:
    resolution: {integrity: ${INTEGRITY}}
    optionalDependencies:
      fsevents: 2.3.2
    dev: true
`;

describe('parsePnpmLock 5.4', () => {
  it('reads the single-project layout and `_peer` keys', () => {
    const g = parsePnpmLock(V54, 'pnpm-lock.yaml');
    expect(g.format).toBe('pnpm 5.4');
    expect(thirdPartyIds(g)).toEqual(['@rollup/plugin-json@4.1.0', 'rollup@2.61.1']);
    expect(edges(g, 'workspace:.')).toEqual(['@rollup/plugin-json@4.1.0:dev', 'rollup@2.61.1:dev']);
    expect(edges(g, '@rollup/plugin-json@4.1.0')).toEqual(['rollup@2.61.1:normal']);
    // An absent optional dependency (another platform) is not worth a warning.
    expect(g.warnings).toEqual([]);
    expect([...computeDevOnly(g).values()].filter(Boolean)).toHaveLength(2);
  });
});

describe('parsePnpmLock patched packages', () => {
  it('strips (patch_hash=…) so the patched snapshot is the package itself', () => {
    const text = `lockfileVersion: '9.0'

patchedDependencies:
  left-pad@1.3.0:
    hash: abc123
    path: patches/left-pad@1.3.0.patch

importers:

  .:
    dependencies:
      left-pad:
        specifier: 1.3.0
        version: 1.3.0(patch_hash=abc123)

packages:

  left-pad@1.3.0:
    resolution: {integrity: ${INTEGRITY}}

snapshots:

  left-pad@1.3.0(patch_hash=abc123): {}
`;
    const g = parsePnpmLock(text, 'pnpm-lock.yaml');
    expect(thirdPartyIds(g)).toEqual(['left-pad@1.3.0']);
    expect(edges(g, 'workspace:.')).toEqual(['left-pad@1.3.0:normal']);
    expect(node(g, 'left-pad@1.3.0').paths).toEqual(['left-pad@1.3.0', 'left-pad@1.3.0(patch_hash=abc123)']);
  });
});

describe('parsePnpmLock errors', () => {
  it('reports bad YAML as PARSE_ERROR with the line', () => {
    const err = vetErrorOf(() =>
      parsePnpmLock("lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies: [a\n  b: {\n", 'pnpm-lock.yaml'),
    );
    expect(err.code).toBe('PARSE_ERROR');
    expect(err.line).toBeGreaterThanOrEqual(4);
    expect(err.file).toBe('pnpm-lock.yaml');
  });

  it('reports an unknown lockfileVersion as UNSUPPORTED_LOCKFILE at its line', () => {
    const err = vetErrorOf(() => parsePnpmLock("# header\n\nlockfileVersion: '42.0'\n", 'pnpm-lock.yaml'));
    expect(err.code).toBe('UNSUPPORTED_LOCKFILE');
    expect(err.line).toBe(3);
  });

  it('rejects unresolved aliases and alias bombs as PARSE_ERROR', () => {
    expect(vetErrorOf(() => parsePnpmLock('lockfileVersion: *nope\n', 'pnpm-lock.yaml')).code).toBe('PARSE_ERROR');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    expect(vetErrorOf(() => parsePnpmLock(`lockfileVersion: '9.0'\n${bomb.join('\n')}\n`, 'pnpm-lock.yaml')).code).toBe(
      'PARSE_ERROR',
    );
  });

  it('rejects an empty file', () => {
    expect(vetErrorOf(() => parsePnpmLock('', 'pnpm-lock.yaml')).code).toBe('PARSE_ERROR');
  });
});
