/**
 * PEP 751 pylock.toml reader (lockfiles.md §10). A package is dev-only when its marker is
 * false for the default install: `dependency_groups` bound to `default-groups`, `extras`
 * unknown (a project's extras count as production, as for uv). Other environment markers are
 * unknown, so "only on Windows" never turns a package into dev-only.
 */
import type { Integrity, PackageSource } from '../../graph.js';
import { VetError } from '../../errors.js';
import { PythonGraphBuilder, type PythonLockGraph } from './graph-builder.js';
import { evaluateMarker, parseMarker } from './markers.js';
import { fileNameOf, normalizePypiName, pypiIntegrity } from './names.js';
import { arrayOfTables, findLine, parseTomlText } from './parse-text.js';
import { isTable, str, strings, tables, type Table } from './values.js';

function hashesOf(f: Table, covers: 'sdist' | 'wheel' | 'file'): Integrity[] {
  const file = str(f.name) ?? fileNameOf(str(f.url) ?? str(f.path));
  const out: Integrity[] = [];
  if (!isTable(f.hashes)) return out;
  for (const [algo, hex] of Object.entries(f.hashes)) {
    const i = typeof hex === 'string' ? pypiIntegrity(algo, hex, file) : undefined;
    if (i) out.push({ ...i, covers: covers === 'file' ? i.covers : covers });
  }
  return out;
}

function pylockSource(pkg: Table): { source: PackageSource; local: boolean; integrity: Integrity[] } {
  if (isTable(pkg.vcs)) {
    const url = str(pkg.vcs.url) ?? str(pkg.vcs.path);
    const commit = str(pkg.vcs['commit-id']);
    return {
      source: { kind: 'git', ...(url ? { url } : {}), ...(commit ? { commit } : {}) },
      local: false,
      integrity: [],
    };
  }
  if (isTable(pkg.directory)) {
    const path = str(pkg.directory.path);
    return { source: { kind: 'path', ...(path ? { url: path } : {}) }, local: true, integrity: [] };
  }
  if (isTable(pkg.archive)) {
    const url = str(pkg.archive.url);
    const source: PackageSource = url ? { kind: 'tarball', url } : { kind: 'file', url: str(pkg.archive.path) ?? '' };
    return { source, local: false, integrity: hashesOf(pkg.archive, 'file') };
  }
  const integrity = [
    ...(isTable(pkg.sdist) ? hashesOf(pkg.sdist, 'sdist') : []),
    ...tables(pkg.wheels).flatMap((w) => hashesOf(w, 'wheel')),
  ];
  const index = str(pkg.index);
  return { source: index ? { kind: 'registry', url: index } : { kind: 'registry' }, local: false, integrity };
}

export function parsePylock(text: string, fileName: string): PythonLockGraph {
  const doc = parseTomlText(text, fileName);
  const lockVersion = str(doc['lock-version']);
  if (lockVersion === undefined) {
    throw new VetError('PARSE_ERROR', `${fileName}: not a pylock.toml (no "lock-version")`, {
      file: fileName,
      line: 1,
    });
  }
  const b = new PythonGraphBuilder(
    fileName,
    `pylock.toml ${lockVersion}${str(doc['created-by']) ? ` (${str(doc['created-by'])})` : ''}`,
  );
  if (!lockVersion.startsWith('1.'))
    b.warnings.push(`${fileName}: lock-version ${lockVersion} is newer than 1.x; read as 1.0`);
  const root = b.addRoot('root', '.');
  const sets = { dependency_groups: new Set(strings(doc['default-groups'])) };
  const added: Array<{ node: ReturnType<PythonGraphBuilder['add']>; pkg: Table }> = [];
  for (const pkg of arrayOfTables(doc, 'packages', text, fileName)) {
    const rawName = str(pkg.name);
    if (rawName === undefined)
      throw new VetError('PARSE_ERROR', `${fileName}: a [[packages]] entry has no name`, { file: fileName });
    const marker = str(pkg.marker);
    const line = findLine(text, `name = "${rawName}"`);
    if (marker !== undefined) {
      const parsed = parseMarker(marker);
      if (!parsed.ok)
        throw new VetError('PARSE_ERROR', `${fileName}: ${rawName}: bad marker: ${parsed.reason}`, {
          file: fileName,
          line,
        });
    }
    const dev = marker !== undefined && evaluateMarker(marker, sets) === false;
    const { source, local, integrity } = pylockSource(pkg);
    const node = b.add({
      name: normalizePypiName(rawName),
      version: str(pkg.version) ?? '',
      source,
      integrity,
      firstParty: local,
      lockfileDev: dev,
    });
    b.edge(root, node, dev ? 'dev' : 'normal');
    b.restrict(node, marker);
    added.push({ node, pkg });
  }
  // `dependencies` is informational in PEP 751; when present it still gives `why` paths.
  const byName = new Map(added.map((a) => [a.node.name, a.node]));
  for (const { node, pkg } of added) {
    for (const d of tables(pkg.dependencies)) {
      const t = byName.get(normalizePypiName(str(d.name) ?? ''));
      if (t && !(t.lockfileDev && !node.lockfileDev)) b.edge(node, t, 'normal');
    }
  }
  return b.build(false);
}
