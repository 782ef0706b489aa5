/**
 * package-lock.json / npm-shrinkwrap.json reader (spec lockfiles.md §1, §15.3).
 *
 * v2/v3: only the flat `packages` map is read (v2's legacy `dependencies` tree would count
 * everything twice). v1 and pre-npm-5 files: the nested `dependencies` tree is first flattened
 * into the same install-path map (see package-lock-v1.ts), so one walker handles every version.
 * Edges are found the way Node finds modules: walk up from the dependent's install path.
 */
import type { DependencyGraph, EdgeKind } from '../../graph.js';
import { GraphBuilder, type NodeInput } from './builder.js';
import { parseSri } from './integrity.js';
import { InstallPathIndex, isInstallPath, nameFromInstallPath } from './install-paths.js';
import { normalizeDir, workspaceMatcher, workspacePatterns, type NpmManifests } from './manifest.js';
import { v1InstallEntries } from './package-lock-v1.js';
import { dependenciesShapeProblems, packagesShapeProblems } from './package-lock-shape.js';
import { VetValidationError, type Problem } from '../../errors.js';
import { classifyResolved } from './source.js';
import { npmPlatformOf } from './platform-fields.js';
import {
  asRecord,
  asString,
  guarded,
  isRecord,
  lineOf,
  parseError,
  parseJsonText,
  stringKeys,
  unsupported,
  type Json,
} from './text.js';

/**
 * `manifests` is only used for v1 lockfiles, which do not record the root's direct dependencies:
 * pass the root package.json as `{ '': manifest }`. v2/v3 carry everything in `packages`.
 */
export function parsePackageLock(text: string, fileName: string, manifests?: NpmManifests): DependencyGraph {
  return guarded(fileName, 'PARSE_ERROR', () => {
    const doc = parseJsonText(text, fileName);
    if (!isRecord(doc)) throw parseError('package-lock.json must hold a JSON object', fileName, 1);
    const kind = /npm-shrinkwrap\.json$/.test(fileName) ? 'npm-shrinkwrap' : 'package-lock';
    const version = doc['lockfileVersion'];
    const b = new GraphBuilder();
    checkShape(doc, version, text, fileName);
    if ((version === 2 || version === 3) && isRecord(doc['packages'])) {
      walkInstallTree(entryMap(doc['packages']), b);
      return b.build(fileName, `${kind} v${version}`);
    }
    if (version === 1 || version === undefined || version === 2) {
      if (version === undefined) b.warn('no lockfileVersion: a pre-npm-5 shrinkwrap, read like v1');
      if (version === 2) b.warn('lockfileVersion 2 without `packages`: read the legacy `dependencies` tree');
      walkInstallTree(v1InstallEntries(doc, manifests?.[''], b), b);
      return b.build(fileName, `${kind} v${version ?? 0}`);
    }
    throw unsupported(
      `unsupported lockfileVersion ${JSON.stringify(version)}`,
      fileName,
      lineOf(text, '"lockfileVersion"'),
      'vet reads lockfileVersion 1, 2 and 3',
    );
  });
}

/** A known lockfileVersion whose containers have the wrong types is refused with every problem. */
function checkShape(doc: Json, version: unknown, text: string, fileName: string): void {
  let problems: Problem[] = [];
  if (version === 2 || version === 3) problems = packagesShapeProblems(doc, version, text, fileName);
  if (
    problems.length === 0 &&
    (version === 1 || version === undefined || (version === 2 && !isRecord(doc['packages'])))
  )
    problems = dependenciesShapeProblems(doc, text, fileName);
  if (problems.length > 0) {
    throw new VetValidationError('PARSE_ERROR', problems, {
      hint: 'this is not a lockfile npm wrote; regenerate it with `npm install --package-lock-only`',
    });
  }
}

function entryMap(packages: Json): Map<string, unknown> {
  const entries = new Map<string, unknown>();
  for (const path of Object.keys(packages)) entries.set(path, packages[path]);
  return entries;
}

/** One pass creates a node per install path, a second adds the edges. */
function walkInstallTree(entries: Map<string, unknown>, b: GraphBuilder): void {
  const root = asRecord(entries.get(''));
  const isMember = workspaceMatcher(workspacePatterns(root));
  const ids = new Map<string, string>();
  const links = new Map<string, string>();
  for (const [path, raw] of entries) {
    const e = asRecord(raw);
    if (e['link'] === true) links.set(path, normalizeDir(asString(e['resolved']) ?? ''));
    else ids.set(path, b.addNode(entryNode(path, e, isMember)));
  }
  for (const target of links.values()) {
    if (!ids.has(target))
      ids.set(target, b.addNode({ name: target, version: '', source: { kind: 'file', url: target } }));
  }
  const tree = new InstallPathIndex(entries);
  for (const [path, id] of ids) {
    const e = asRecord(entries.get(path));
    const member = path === '' || (!isInstallPath(path) && isMember(path));
    const resolve = tree.resolverFor(path);
    addEntryEdges(b, id, path, e, member, (dep) => {
      const found = resolve(dep);
      return found === undefined ? undefined : ids.get(links.get(found) ?? found);
    });
  }
}

function entryNode(path: string, e: Json, isMember: (dir: string) => boolean): NodeInput {
  const version = asString(e['version']) ?? '';
  if (path === '' || (!isInstallPath(path) && isMember(path))) {
    return {
      name: asString(e['name']) ?? (path || 'root'),
      version,
      source: { kind: 'workspace' },
      workspaceDir: path,
    };
  }
  const name = asString(e['name']) ?? nameFromInstallPath(path);
  if (!isInstallPath(path)) return { name, version, source: { kind: 'file', url: path }, path };
  const input: NodeInput = {
    name,
    version,
    source: e['inBundle'] === true ? { kind: 'bundled' } : classifyResolved(asString(e['resolved'])),
    integrity: parseSri(e['integrity']),
    // devOptional: a dev dep that is also an optional dep of a prod package → counts as prod.
    lockfileDev: e['dev'] === true,
    path,
  };
  const deprecated = asString(e['deprecated']);
  if (deprecated !== undefined) input.deprecated = deprecated;
  if (e['hasInstallScript'] === true) input.hasInstallScript = true;
  const platform = npmPlatformOf(e);
  if (platform !== undefined) input.platform = platform;
  return input;
}

function addEntryEdges(
  b: GraphBuilder,
  id: string,
  path: string,
  e: Json,
  member: boolean,
  lookup: (dep: string) => string | undefined,
): void {
  // Only the project's own manifests install their devDependencies.
  const sections = member ? MEMBER_SECTIONS : SECTIONS;
  for (const [section, kind] of sections) {
    const deps = e[section];
    if (deps === undefined) continue;
    for (const dep of stringKeys(deps)) {
      const to = lookup(dep);
      if (to !== undefined) b.addEdge(id, to, kind, dep);
      else if (kind !== 'optional' && !(kind === 'peer' && optionalPeer(e, dep))) {
        b.warn(`${path || 'root'}: ${section} "${dep}" is not installed at any node_modules path`);
      }
    }
  }
}

const SECTIONS: ReadonlyArray<readonly [string, EdgeKind]> = [
  ['dependencies', 'normal'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
];
const MEMBER_SECTIONS: ReadonlyArray<readonly [string, EdgeKind]> = [...SECTIONS, ['devDependencies', 'dev']];

function optionalPeer(e: Json, dep: string): boolean {
  return asRecord(asRecord(e['peerDependenciesMeta'])[dep])['optional'] === true;
}
