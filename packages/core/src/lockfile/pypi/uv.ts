/**
 * uv.lock reader (lockfiles.md §8). Each [[package]] becomes a node; workspace members
 * (`[manifest] members`, or the editable/virtual root of a single project) are the roots.
 * Members' `dependencies` and all their extras are production edges, their
 * `[package.dev-dependencies]` groups 'dev' edges. A dependency that asks for extras
 * (`{ name = "coverage", extra = ["toml"] }`) also gets edges to what those extras pull in,
 * so the walk stays exact without extras-only edges on the package itself.
 */
import type { Integrity, PackageNode, PackageSource } from '../../graph.js';
import { VetError } from '../../errors.js';
import { PythonGraphBuilder, andMarkers, orMarkers, type PythonLockGraph } from './graph-builder.js';
import { fileNameOf, normalizePypiName, parseHashSpec } from './names.js';
import { arrayOfTables, findLine, parseTomlText } from './parse-text.js';
import { readUvLockToml } from './uv-toml.js';
import { isTable, str, strings, tables, type Table } from './values.js';

const LOCAL_SOURCES = ['editable', 'virtual', 'directory', 'path'] as const;

function uvSource(src: unknown): { source: PackageSource; local: boolean } {
  if (!isTable(src)) return { source: { kind: 'unknown' }, local: false };
  const registry = str(src.registry);
  if (registry !== undefined) return { source: { kind: 'registry', url: registry }, local: false };
  const git = str(src.git);
  if (git !== undefined) {
    const commit = git.split('#')[1];
    return { source: { kind: 'git', url: git, ...(commit ? { commit } : {}) }, local: false };
  }
  const url = str(src.url);
  if (url !== undefined) return { source: { kind: 'tarball', url }, local: false };
  for (const k of LOCAL_SOURCES) {
    const p = str(src[k]);
    if (p !== undefined)
      return { source: { kind: k === 'editable' || k === 'virtual' ? 'workspace' : 'path', url: p }, local: true };
  }
  return { source: { kind: 'unknown' }, local: false };
}

function fileIntegrity(f: Table, covers: 'sdist' | 'wheel'): Integrity | undefined {
  const hash = str(f.hash);
  if (hash === undefined) return undefined;
  const file = str(f.filename) ?? fileNameOf(str(f.url) ?? str(f.path));
  const i = parseHashSpec(hash, file);
  if (i) i.covers = covers;
  return i;
}

function uvIntegrity(pkg: Table): Integrity[] {
  const out: Integrity[] = [];
  if (isTable(pkg.sdist)) {
    const i = fileIntegrity(pkg.sdist, 'sdist');
    if (i) out.push(i);
  }
  for (const w of tables(pkg.wheels)) {
    const i = fileIntegrity(w, 'wheel');
    if (i) out.push(i);
  }
  return out;
}

interface Entry {
  pkg: Table;
  node: PackageNode;
}

/** Find the package a dependency reference points at; `version`/`source` disambiguate forks. */
function resolveRef(ref: Table, byName: Map<string, Entry[]>): Entry[] {
  const cands = byName.get(normalizePypiName(str(ref.name) ?? '')) ?? [];
  if (cands.length <= 1) return cands;
  const version = str(ref.version);
  const matching = version === undefined ? cands : cands.filter((c) => str(c.pkg.version) === version);
  return matching.length > 0 ? matching : cands;
}

export function parseUvLock(text: string, fileName: string): PythonLockGraph {
  // The file as uv writes it by the fast path (uv-toml.ts), anything else by the general parser.
  const doc = readUvLockToml(text) ?? parseTomlText(text, fileName);
  if (typeof doc.version !== 'number') {
    throw new VetError('PARSE_ERROR', `${fileName}: not a uv.lock (no top-level "version")`, {
      file: fileName,
      line: 1,
    });
  }
  const b = new PythonGraphBuilder(
    fileName,
    `uv.lock v${doc.version}${typeof doc.revision === 'number' ? ` rev ${doc.revision}` : ''}`,
  );
  const members = new Set(strings(isTable(doc.manifest) ? doc.manifest.members : undefined).map(normalizePypiName));
  const byName = new Map<string, Entry[]>();
  const entries: Entry[] = [];
  for (const pkg of arrayOfTables(doc, 'package', text, fileName)) {
    const rawName = str(pkg.name);
    if (rawName === undefined) {
      throw new VetError('PARSE_ERROR', `${fileName}: a [[package]] has no name`, { file: fileName });
    }
    const name = normalizePypiName(rawName);
    const { source, local } = uvSource(pkg.source);
    const isRoot = members.size > 0 ? members.has(name) : local && source.kind === 'workspace' && source.url === '.';
    const version = str(pkg.version) ?? '';
    if (version === '' && !local)
      b.warnings.push(`${name} (line ${findLine(text, `name = "${rawName}"`) ?? '?'}) has no version`);
    const node = b.add({
      name,
      version,
      source,
      integrity: uvIntegrity(pkg),
      firstParty: local,
      workspaceMember: isRoot,
    });
    // A fork's copy resolves only where its resolution-markers hold.
    b.restrict(node, orMarkers(strings(pkg['resolution-markers'])));
    const e = { pkg, node };
    entries.push(e);
    byName.set(name, [...(byName.get(name) ?? []), e]);
  }
  linkUvEdges(b, entries, byName);
  return b.build(true);
}

interface Target {
  node: PackageNode;
  /** The environment marker the reference (and the extras that led to it) holds under. */
  marker: string | undefined;
}

function linkUvEdges(b: PythonGraphBuilder, entries: Entry[], byName: Map<string, Entry[]>): void {
  // Targets of a reference, plus what its requested extras pull in (transitively).
  const expand = (ref: Table, seen: Set<string>, outer?: string): Target[] => {
    const out: Target[] = [];
    const marker = andMarkers(outer, str(ref.marker));
    for (const t of resolveRef(ref, byName)) {
      out.push({ node: t.node, marker });
      const optional = isTable(t.pkg['optional-dependencies']) ? t.pkg['optional-dependencies'] : {};
      for (const extra of strings(ref.extra)) {
        const key = `${t.node.id}[${extra}]`;
        if (seen.has(key)) continue;
        seen.add(key);
        for (const sub of tables(optional[extra])) out.push(...expand(sub, seen, marker));
      }
    }
    if (out.length === 0) b.warnings.push(`dependency "${str(ref.name) ?? '?'}" is not in the lockfile`);
    return out;
  };
  for (const { pkg, node } of entries) {
    const prodRefs = [...tables(pkg.dependencies)];
    if (node.workspaceMember && isTable(pkg['optional-dependencies'])) {
      for (const list of Object.values(pkg['optional-dependencies'])) prodRefs.push(...tables(list));
    }
    for (const ref of prodRefs) for (const t of expand(ref, new Set())) b.edge(node, t.node, 'normal', t.marker);
    if (!node.workspaceMember || !isTable(pkg['dev-dependencies'])) continue;
    for (const list of Object.values(pkg['dev-dependencies'])) {
      for (const ref of tables(list)) for (const t of expand(ref, new Set())) b.edge(node, t.node, 'dev', t.marker);
    }
  }
}
