import { describe, expect, it } from 'vitest';
import { computeDevOnly } from './dev-only.js';
import { parseBunLock } from './bun.js';
import { edges, node, thirdPartyIds, vetErrorOf } from './__fixtures__/helpers.js';

const SRI = 'sha512-' + 'D'.repeat(86) + '==';

// JSONC: trailing commas everywhere, as bun writes them.
const BUN = `{
  "lockfileVersion": 1,
  "configVersion": 0,
  "workspaces": {
    "": {
      "name": "root",
      "dependencies": { "chalk": "^5.0.0", "ui": "workspace:*", },
      "devDependencies": { "@babel/highlight": "^7.0.0", "tool": "github:o/tool", },
    },
    "packages/ui": {
      "name": "ui",
      "version": "0.3.0",
      "dependencies": { "chalk": "^4.0.0", },
      "peerDependencies": { "react": "*", },
      "optionalPeers": ["react"],
    },
  },
  "packages": {
    "chalk": ["chalk@5.3.0", "", {}, "${SRI}"],
    "ui": ["ui@workspace:packages/ui"],
    "ui/chalk": ["chalk@4.1.2", "", { "dependencies": { "ansi-styles": "^4" } }, "${SRI}"],
    "ansi-styles": ["ansi-styles@4.3.0", "", {}, "${SRI}"],
    "@babel/highlight": ["@babel/highlight@7.24.7", "", { "dependencies": { "chalk": "^2.4.2", "js-tokens": "^4" }, "peerDependencies": { "types": "*" }, "optionalPeers": ["types"] }, "${SRI}"],
    "@babel/highlight/chalk": ["chalk@2.4.2", "", { "dependencies": { "ansi-styles": "^3" } }, "${SRI}"],
    "@babel/highlight/chalk/ansi-styles": ["ansi-styles@3.2.1", "", {}, "${SRI}"],
    "js-tokens": ["js-tokens@4.0.0", "https://npm.example.invalid/", {}, "${SRI}"],
    "tool": ["tool@github:o/tool#0123456", {}, "o-tool-0123456"],
  },
}
`;

describe('parseBunLock', () => {
  const g = parseBunLock(BUN, 'bun.lock');

  it('de-duplicates by name@version from tuple element 0, keeping install-path keys', () => {
    expect(g.format).toBe('bun.lock v1');
    expect(thirdPartyIds(g)).toEqual([
      '@babel/highlight@7.24.7',
      'ansi-styles@3.2.1',
      'ansi-styles@4.3.0',
      'chalk@2.4.2',
      'chalk@4.1.2',
      'chalk@5.3.0',
      'js-tokens@4.0.0',
      'tool@github:o/tool#0123456',
    ]);
    expect(node(g, 'chalk@2.4.2').paths).toEqual(['@babel/highlight/chalk']);
    expect(g.warnings).toEqual([]);
  });

  it('resolves nested keys like node resolution, scoped segments kept together', () => {
    expect(edges(g, '@babel/highlight@7.24.7')).toEqual(['chalk@2.4.2:normal', 'js-tokens@4.0.0:normal']);
    expect(edges(g, 'chalk@2.4.2')).toEqual(['ansi-styles@3.2.1:normal']);
    // ui/chalk has no ui/ansi-styles, so it falls back to the hoisted one.
    expect(edges(g, 'chalk@4.1.2')).toEqual(['ansi-styles@4.3.0:normal']);
  });

  it('roots the walk at workspaces; member deps use the member name as key prefix', () => {
    expect(node(g, 'workspace:packages/ui')).toMatchObject({ name: 'ui', version: '0.3.0', workspaceMember: true });
    expect(edges(g, 'workspace:.')).toEqual([
      '@babel/highlight@7.24.7:dev',
      'chalk@5.3.0:normal',
      'tool@github:o/tool#0123456:dev',
      'workspace:packages/ui:normal',
    ]);
    // The optional peer react is not installed: no edge, no warning.
    expect(edges(g, 'workspace:packages/ui')).toEqual(['chalk@4.1.2:normal']);
    const dev = computeDevOnly(g);
    expect(dev.get('chalk@2.4.2')).toBe(true);
    expect(dev.get('ansi-styles@4.3.0')).toBe(false);
  });

  it('reads sources and integrity', () => {
    expect(node(g, 'chalk@5.3.0').integrity).toEqual([
      { algo: 'sha512', digest: 'D'.repeat(86) + '==', encoding: 'base64', covers: 'npm-tarball' },
    ]);
    expect(node(g, 'js-tokens@4.0.0').source).toEqual({ kind: 'registry', url: 'https://npm.example.invalid/' });
    expect(g.nodes.find((n) => n.name === 'tool')?.source.kind).toBe('git');
  });

  it('reports malformed JSONC with its line and unknown versions as unsupported', () => {
    const bad = vetErrorOf(() =>
      parseBunLock('{\n  "lockfileVersion": 1,\n  "packages": {\n    "a": [\n  }\n}', 'bun.lock'),
    );
    expect(bad.code).toBe('PARSE_ERROR');
    expect(bad.line).toBe(5);
    const future = vetErrorOf(() => parseBunLock('{\n  "lockfileVersion": 9,\n}', 'bun.lock'));
    expect(future.code).toBe('UNSUPPORTED_LOCKFILE');
    expect(future.line).toBe(2);
  });
});
