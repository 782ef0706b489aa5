/**
 * poetry.lock reader (lockfiles.md §7), lock-version 1.x, 2.0 and 2.1.
 * dev/prod: 2.1 `groups` (dev-only = no "main"), 1.x `category`; 2.0 records neither, so the
 * project's pyproject.toml, when given, decides the direct edges and the walk does the rest.
 * Without any of these every package is treated as production and a warning says so.
 */
import type { Integrity, PackageNode, PackageSource } from '../../graph.js';
import { VetError } from '../../errors.js';
import { PythonGraphBuilder, orMarkers, type PythonLockGraph } from './graph-builder.js';
import { normalizePypiName, parseHashSpec } from './names.js';
import { arrayOfTables, parseTomlText } from './parse-text.js';
import { declaredDependencies, parsePep508Head, projectName } from './pyproject.js';
import { isTable, str, strings, tables, type Table } from './values.js';

function poetrySource(pkg: Table): { source: PackageSource; local: boolean } {
  const src = isTable(pkg.source) ? pkg.source : undefined;
  const type = str(src?.type);
  const url = str(src?.url);
  const withUrl = (kind: PackageSource['kind']): PackageSource => (url === undefined ? { kind } : { kind, url });
  switch (type) {
    case undefined:
      return { source: { kind: 'registry' }, local: false };
    case 'git': {
      const commit = str(src?.resolved_reference);
      return { source: { ...withUrl('git'), ...(commit ? { commit } : {}) }, local: false };
    }
    case 'directory':
      return { source: withUrl('path'), local: true };
    case 'file':
      return { source: withUrl('file'), local: true };
    case 'url':
      return { source: withUrl('tarball'), local: false };
    case 'legacy':
    case 'explicit':
    case 'supplemental':
    case 'primary':
      return { source: withUrl('alt-registry'), local: false };
    default:
      return { source: withUrl('unknown'), local: false };
  }
}

function filesIntegrity(list: unknown): Integrity[] {
  const out: Integrity[] = [];
  for (const f of tables(list)) {
    const hash = str(f.hash);
    const i = hash === undefined ? undefined : parseHashSpec(hash, str(f.file));
    if (i) out.push(i);
  }
  for (const h of strings(list)) {
    const i = parseHashSpec(h.includes(':') ? h : `sha256:${h}`); // pre-1.0 [metadata.hashes]
    if (i) out.push(i);
  }
  return out;
}

function packageIntegrity(pkg: Table, name: string, metadata: Table): Integrity[] {
  if (Array.isArray(pkg.files)) return filesIntegrity(pkg.files);
  for (const key of ['files', 'hashes']) {
    const t = metadata[key];
    if (!isTable(t)) continue;
    const hit = Object.entries(t).find(([k]) => normalizePypiName(k) === name);
    if (hit) return filesIntegrity(hit[1]);
  }
  return [];
}

interface Entry {
  pkg: Table;
  node: PackageNode;
}

/** Dependency specs: `"*"`, `{version, optional, extras}` or a list of those (per-marker forks). */
function depSpecs(v: unknown): Table[] {
  if (typeof v === 'string') return [{ version: v }];
  if (isTable(v)) return [v];
  return tables(v);
}

export function parsePoetryLock(text: string, fileName: string, pyproject?: string | Table): PythonLockGraph {
  const doc = parseTomlText(text, fileName);
  const metadata = isTable(doc.metadata) ? doc.metadata : {};
  const lockVersion = str(metadata['lock-version']);
  if (lockVersion === undefined && !Array.isArray(doc.package)) {
    throw new VetError(
      'PARSE_ERROR',
      `${fileName}: not a poetry.lock (no [[package]] and no [metadata] lock-version)`,
      { file: fileName, line: 1 },
    );
  }
  const project = typeof pyproject === 'string' ? parseTomlText(pyproject, 'pyproject.toml') : pyproject;
  const b = new PythonGraphBuilder(fileName, `poetry.lock ${lockVersion ?? '(no lock-version)'}`);
  const root = b.addRoot(projectName(project) ?? 'root', '.');
  const entries: Entry[] = [];
  const byName = new Map<string, Entry[]>();
  for (const pkg of arrayOfTables(doc, 'package', text, fileName)) {
    const name = normalizePypiName(str(pkg.name) ?? '');
    const version = str(pkg.version) ?? '';
    if (name === '' || version === '')
      throw new VetError('PARSE_ERROR', `${fileName}: a [[package]] lacks name or version`, { file: fileName });
    const { source, local } = poetrySource(pkg);
    const node = b.add({
      name,
      version,
      source,
      integrity: packageIntegrity(pkg, name, metadata),
      firstParty: local,
      lockfileDev: lockfileDevOf(pkg),
    });
    // Poetry 2 (lock-version 2.1) records where each package installs.
    b.restrict(node, str(pkg.markers));
    const e = { pkg, node };
    entries.push(e);
    byName.set(name, [...(byName.get(name) ?? []), e]);
  }
  linkPoetryEdges(b, entries, byName);
  const hasFlags = entries.some((e) => e.node.lockfileDev !== undefined);
  if (hasFlags) {
    for (const { node } of entries) b.edge(root, node, node.lockfileDev ? 'dev' : 'normal');
  } else if (project) {
    linkDeclared(b, root, project, byName);
  } else {
    b.warnings.push(
      `${fileName} records no dev/prod groups and no pyproject.toml was given: every package is treated as production`,
    );
    for (const { node } of entries) b.edge(root, node, 'normal');
  }
  return b.build(!hasFlags);
}

function lockfileDevOf(pkg: Table): boolean | undefined {
  if (Array.isArray(pkg.groups)) return !strings(pkg.groups).includes('main');
  const category = str(pkg.category);
  return category === undefined ? undefined : category !== 'main';
}

/** Edges of one package, plus edges to what requested extras pull in. */
function targetsOf(
  name: string,
  extras: string[],
  byName: Map<string, Entry[]>,
  seen = new Set<string>(),
): PackageNode[] {
  const out: PackageNode[] = [];
  for (const t of byName.get(name) ?? []) {
    out.push(t.node);
    const defined = isTable(t.pkg.extras) ? t.pkg.extras : {};
    for (const extra of extras) {
      const key = `${t.node.id}[${extra}]`;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const spec of strings(defined[extra])) {
        const head = parsePep508Head(spec);
        if (head) out.push(...targetsOf(head.name, head.extras, byName, seen));
      }
    }
  }
  return out;
}

function linkPoetryEdges(b: PythonGraphBuilder, entries: Entry[], byName: Map<string, Entry[]>): void {
  for (const { pkg, node } of entries) {
    const deps = isTable(pkg.dependencies) ? pkg.dependencies : {};
    for (const [rawDep, spec] of Object.entries(deps)) {
      const specs = depSpecs(spec);
      // `optional = true` deps are installed only through an extra; the requester links them.
      if (specs.length > 0 && specs.every((s) => s.optional === true)) continue;
      const extras = specs.flatMap((s) => strings(s.extras));
      const installed = specs.filter((s) => s.optional !== true);
      // Held under the markers of its specs; one spec without markers holds everywhere.
      const marker = installed.some((s) => str(s.markers) === undefined)
        ? undefined
        : orMarkers(installed.map((s) => str(s.markers)!));
      for (const t of targetsOf(normalizePypiName(rawDep), extras, byName)) b.edge(node, t, 'normal', marker);
    }
  }
}

function linkDeclared(b: PythonGraphBuilder, root: PackageNode, project: Table, byName: Map<string, Entry[]>): void {
  for (const d of declaredDependencies(project)) {
    const targets = targetsOf(d.name, d.extras, byName);
    if (targets.length === 0) b.warnings.push(`pyproject.toml declares ${d.name}, which is not in the lockfile`);
    for (const t of targets) b.edge(root, t, d.dev ? 'dev' : 'normal');
  }
}
