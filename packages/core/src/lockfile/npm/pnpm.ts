/**
 * pnpm-lock.yaml reader for lockfileVersion 5.x, 6.x and 9.0 (spec lockfiles.md §2, §15.1).
 *
 * pnpm 11+ may write two YAML documents (an "env" document with pnpm itself and config
 * dependencies, then the project): all documents are parsed and the LAST is the project graph.
 * The env document is read too (pnpm's own advice for a complete inventory): its packages hang
 * off the root importer by dev edges, so they are vetted like any tool that runs at install.
 * Importers are the workspace members; `link:` values point at other importers.
 */
import { containerShapeProblems, throwShapeProblems } from './package-lock-shape.js';
import { parseAllDocuments } from 'yaml';
import type { DependencyGraph, EdgeKind, PackageSource } from '../../graph.js';
import { GraphBuilder, type NodeInput } from './builder.js';
import { parseSri } from './integrity.js';
import { parsePnpmYamlFast } from './pnpm-yaml.js';
import { joinDir, normalizeDir, type NpmManifests } from './manifest.js';
import { depKeyCandidates, splitPnpmKey, stripParenSuffix, type PnpmMajor } from './pnpm-keys.js';
import { npmPlatformOf } from './platform-fields.js';
import { classifyResolved } from './source.js';
import { asRecord, asString, guarded, isRecord, lineAt, lineOf, parseError, unsupported, type Json } from './text.js';
import { dict } from '../../dict.js';
import { checkNesting } from '../../nesting.js';

const SECTIONS: Array<[string, EdgeKind]> = [
  ['dependencies', 'normal'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
  // Only in the env document (pnpm 11+): pnpm itself and config dependencies. They run on
  // every install but never ship, so they need what dev dependencies need.
  ['configDependencies', 'dev'],
  ['packageManagerDependencies', 'dev'],
];

/**
 * `manifests` is optional and only supplies importer names (pnpm lockfiles do not record them);
 * without it an importer is named after the name other importers link it by, else its path.
 */
export function parsePnpmLock(text: string, fileName: string, manifests?: NpmManifests): DependencyGraph {
  return guarded(fileName, 'PARSE_ERROR', () => {
    const docs = loadDocuments(text, fileName);
    const project = docs[docs.length - 1];
    if (!isRecord(project)) throw parseError('pnpm-lock.yaml holds no lockfile mapping', fileName, 1);
    const rawVersion = project['lockfileVersion'];
    // Only a scalar is a version; String() on a hostile mapping would throw (or print [object Object]).
    const versionText = typeof rawVersion === 'string' || typeof rawVersion === 'number' ? String(rawVersion) : '';
    const major = pnpmMajor(versionText);
    if (major === undefined) {
      throw unsupported(
        `unsupported pnpm lockfileVersion "${versionText}"`,
        fileName,
        lastLineOf(text, 'lockfileVersion'),
        'vet reads pnpm lockfileVersion 5.x, 6.x and 9.0',
      );
    }
    throwShapeProblems(containerShapeProblems(project, ['importers', 'packages', 'snapshots'], text, fileName), 'pnpm');
    const b = new GraphBuilder();
    new PnpmReader(project, major, b, manifests ?? {}).read();
    for (const env of docs.slice(0, -1)) if (isRecord(env)) new PnpmReader(env, major, b, manifests ?? {}).read();
    return b.build(fileName, `pnpm ${versionText}`);
  });
}

function loadDocuments(text: string, fileName: string): unknown[] {
  // pnpm's own output takes the purpose-built reader; anything else (and every error) the general one.
  checkNesting(text, fileName, 'yaml');
  const fast = parsePnpmYamlFast(text);
  if (fast !== undefined) return fast;
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err !== undefined)
      throw parseError(`invalid YAML: ${err.message.split('\n')[0]}`, fileName, lineAt(text, err.pos[0]), err);
  }
  if (list.length === 0) throw parseError('pnpm-lock.yaml is empty', fileName, 1);
  // toJS keeps yaml's default alias cap, so a billion-laughs file fails instead of eating memory;
  // that and unresolved aliases (`*x` without `&x`) only surface here, without a position.
  return list.map((d) => {
    try {
      return d.toJS() as unknown;
    } catch (e) {
      throw parseError(`invalid YAML: ${(e as Error).message}`, fileName, undefined, e);
    }
  });
}

function pnpmMajor(version: string): PnpmMajor | undefined {
  const m = /^(\d+)(?:\.\d+)?(?:-[\w.]+)?$/.exec(version);
  const major = Number(m?.[1]);
  return major === 5 || major === 6 || major === 9 ? major : undefined;
}

function lastLineOf(text: string, needle: string): number | undefined {
  const at = text.lastIndexOf(needle);
  return at < 0 ? lineOf(text, needle) : lineAt(text, at);
}

class PnpmReader {
  /** package key (peer suffix included for 5/6 and 9.0 snapshots) → node id */
  private readonly keyIds = new Map<string, string>();
  private readonly importerIds = new Map<string, string>();

  constructor(
    private readonly doc: Json,
    private readonly major: PnpmMajor,
    private readonly b: GraphBuilder,
    private readonly manifests: NpmManifests,
  ) {}

  read(): void {
    const importers = this.importers();
    const dirs = Object.keys(importers).map((dir) => [dir, normalizeDir(dir)] as const);
    const linkNames = importerLinkNames(importers, dirs);
    for (const [dir, path] of dirs) {
      const manifest = this.manifests[path];
      const name = manifest?.name ?? linkNames.get(path) ?? dir;
      this.importerIds.set(
        path,
        this.b.addNode({ name, version: manifest?.version ?? '', source: { kind: 'workspace' }, workspaceDir: path }),
      );
    }
    const packages = asRecord(this.doc['packages']);
    for (const key of Object.keys(packages)) this.addPackage(key, asRecord(packages[key]));
    // 9.0 keeps the graph in `snapshots`, keyed with peer/patch suffixes; 5/6 keep it in `packages`.
    const graph = this.major === 9 ? asRecord(this.doc['snapshots']) : packages;
    if (this.major === 9) for (const key of Object.keys(graph)) this.addSnapshot(key, packages);
    for (const key of Object.keys(graph)) {
      const from = this.keyIds.get(key);
      if (from !== undefined) this.addEdges(from, asRecord(graph[key]), '', false);
    }
    for (const [dir, path] of dirs) this.addEdges(this.importerIds.get(path)!, asRecord(importers[dir]), path, true);
  }

  /** 5.x single-project lockfiles keep the root's maps at top level instead of `importers`. */
  private importers(): Json {
    if (isRecord(this.doc['importers'])) return this.doc['importers'];
    const root: Json = dict();
    for (const [section] of SECTIONS) if (section in this.doc) root[section] = this.doc[section];
    return { '.': root };
  }

  private addPackage(key: string, entry: Json): void {
    const input = this.packageInput(key, entry);
    if (input === undefined) {
      this.b.warn(`pnpm package key "${key}" is not name@version; skipped`);
      return;
    }
    const id = this.b.addNode(input);
    this.keyIds.set(key, id);
  }

  private packageInput(key: string, entry: Json): NodeInput | undefined {
    const split = splitPnpmKey(key, this.major);
    const name = asString(entry['name']) ?? split?.name;
    // Non-registry keys (`file:`, `github.com/o/r/<sha>` in 5.x) carry `name`; the key is then the
    // most precise version we have.
    const version = asString(entry['version']) ?? split?.version ?? (name === undefined ? undefined : key);
    if (name === undefined || version === undefined) return undefined;
    const resolution = asRecord(entry['resolution']);
    const input: NodeInput = {
      name,
      version,
      source: pnpmSource(resolution, key, version),
      integrity: parseSri(resolution['integrity']),
      path: key,
    };
    // 5.x/6.x: `dev: true` only-dev, `dev: false` only-prod, absent = both (counts as prod).
    if (this.major !== 9) input.lockfileDev = entry['dev'] === true;
    const deprecated = asString(entry['deprecated']);
    if (deprecated !== undefined) input.deprecated = deprecated;
    if (entry['requiresBuild'] === true) input.hasInstallScript = true;
    const platform = npmPlatformOf(entry);
    if (platform !== undefined) input.platform = platform;
    return input;
  }

  /** 9.0: a snapshot key is the package key plus suffixes; it shares the package's node. */
  private addSnapshot(key: string, packages: Json): void {
    const base = stripParenSuffix(key);
    const id = this.keyIds.get(base);
    if (id !== undefined) {
      this.keyIds.set(key, id);
      if (key !== base) this.b.addPath(id, key);
      return;
    }
    this.b.warn(`pnpm snapshot "${key}" has no entry in packages`);
    const input = this.packageInput(base, asRecord(packages[base]));
    if (input !== undefined) this.keyIds.set(key, this.b.addNode({ ...input, path: key }));
  }

  private addEdges(from: string, entry: Json, dir: string, isImporter: boolean): void {
    for (const [section, kind] of SECTIONS) {
      // Only importers install devDependencies; packages never carry them in pnpm lockfiles.
      if (kind === 'dev' && !isImporter) continue;
      const deps = entry[section];
      if (!isRecord(deps)) continue;
      for (const name of Object.keys(deps)) {
        const raw = deps[name];
        const value = isRecord(raw) ? asString(raw['version']) : asString(raw);
        if (value === undefined) continue;
        const to = this.resolveRef(name, value, dir);
        if (to !== undefined) this.b.addEdge(from, to, kind, name);
        else if (kind !== 'optional')
          this.b.warn(
            `pnpm ${isImporter ? `importer "${dir || '.'}"` : `"${from}"`}: ${section} "${name}: ${value}" not found`,
          );
      }
    }
  }

  /** `link:` paths are relative to the importer (or the lockfile dir, for packages). */
  private resolveRef(name: string, value: string, dir: string): string | undefined {
    if (value.startsWith('link:')) {
      const target = joinDir(dir, value.slice(5));
      return (
        this.importerIds.get(target) ??
        this.b.addNode({ name, version: '', source: { kind: 'link', url: `link:${target}` } })
      );
    }
    // depKeyCandidates, first known; 9.0 spelled out (no array per dependency).
    if (this.major === 9) return this.keyIds.get(`${name}@${value}`) ?? this.keyIds.get(value);
    for (const key of depKeyCandidates(name, value, this.major)) {
      const id = this.keyIds.get(key);
      if (id !== undefined) return id;
    }
    return undefined;
  }
}

/** target importer dir → the dependency name another importer links it by (its package name). */
function importerLinkNames(importers: Json, dirs: ReadonlyArray<readonly [string, string]>): Map<string, string> {
  const names = new Map<string, string>();
  for (const [dir, path] of dirs) {
    const raw = asRecord(importers[dir]);
    for (const [section] of SECTIONS) {
      const deps = raw[section];
      if (!isRecord(deps)) continue;
      for (const name of Object.keys(deps)) {
        const ref = deps[name];
        const value = isRecord(ref) ? asString(ref['version']) : asString(ref);
        if (value?.startsWith('link:')) names.set(joinDir(path, value.slice(5)), name);
      }
    }
  }
  return names;
}

/** Source from a `resolution`: integrity only = registry; tarball, git and directory otherwise. */
function pnpmSource(resolution: Json, key: string, version: string): PackageSource {
  const type = asString(resolution['type']);
  if (type === 'directory') return { kind: 'file', url: `file:${asString(resolution['directory']) ?? ''}` };
  if (type === 'git') {
    const url = asString(resolution['repo']) ?? key;
    const commit = asString(resolution['commit']);
    return { kind: 'git', url, ...(commit === undefined ? {} : { commit }) };
  }
  const tarball = asString(resolution['tarball']);
  if (tarball !== undefined) return classifyResolved(tarball);
  if (version.startsWith('file:') || version.startsWith('link:')) return classifyResolved(version);
  return { kind: 'registry' };
}
