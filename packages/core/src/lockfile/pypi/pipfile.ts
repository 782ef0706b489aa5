/**
 * Pipfile.lock reader (lockfiles.md §9). Every top-level key except `_meta` is a package
 * section; `default` is production, `develop` and custom categories are dev unless listed in
 * `prodSections`. A name may sit in two sections at different versions, so nodes are keyed by
 * name@version and each keeps the sections it came from in `paths`. A registry package's
 * source URL is the index it came from: its `"index"` named in `_meta.sources`, else the first
 * source (what pipenv installs from).
 */
import type { Integrity, PackageSource } from '../../graph.js';
import { VetError } from '../../errors.js';
import { PythonGraphBuilder, type PythonLockGraph } from './graph-builder.js';
import { normalizePypiName, parseHashSpec } from './names.js';
import { findLine, parseJsonObject } from './parse-text.js';
import { isTable, str, strings, type Table } from './values.js';

export interface PipfileLockOptions {
  /** Sections whose packages are production; default ["default"]. */
  prodSections?: string[];
}

/** `_meta.sources`: name → URL, and the first source's URL (the default index). */
function indexSources(meta: Table): { byName: Map<string, string>; first: string | undefined } {
  const byName = new Map<string, string>();
  let first: string | undefined;
  for (const src of Array.isArray(meta.sources) ? (meta.sources as unknown[]) : []) {
    if (!isTable(src)) continue;
    const url = str(src.url);
    if (url === undefined) continue;
    first ??= url;
    const name = str(src.name);
    if (name !== undefined && !byName.has(name)) byName.set(name, url);
  }
  return { byName, first };
}

function pipfileSource(e: Table, sources: ReturnType<typeof indexSources>): { source: PackageSource; local: boolean } {
  const git = str(e.git);
  if (git !== undefined) {
    const ref = str(e.ref);
    return { source: { kind: 'git', url: git, ...(ref ? { commit: ref } : {}) }, local: false };
  }
  const path = str(e.path);
  if (path !== undefined || e.editable === true)
    return { source: { kind: 'path', ...(path ? { url: path } : {}) }, local: true };
  const file = str(e.file);
  if (file !== undefined) return { source: { kind: 'tarball', url: file }, local: false };
  const index = str(e.index);
  const url = index === undefined ? sources.first : sources.byName.get(index);
  return { source: url === undefined ? { kind: 'registry' } : { kind: 'registry', url }, local: false };
}

export function parsePipfileLock(text: string, fileName: string, options: PipfileLockOptions = {}): PythonLockGraph {
  const doc = parseJsonObject(text, fileName);
  if (!isTable(doc._meta)) {
    throw new VetError('PARSE_ERROR', `${fileName}: not a Pipfile.lock (no "_meta")`, { file: fileName, line: 1 });
  }
  const spec = doc._meta['pipfile-spec'];
  const b = new PythonGraphBuilder(fileName, `Pipfile.lock spec ${typeof spec === 'number' ? spec : '?'}`);
  const root = b.addRoot('root', '.');
  const prod = new Set(options.prodSections ?? ['default']);
  const sources = indexSources(doc._meta);
  for (const [section, body] of Object.entries(doc)) {
    if (section === '_meta') continue;
    if (!isTable(body)) {
      throw new VetError('PARSE_ERROR', `${fileName}: section "${section}" is not an object`, {
        file: fileName,
        line: findLine(text, `"${section}"`),
      });
    }
    const dev = !prod.has(section);
    for (const [rawName, entry] of Object.entries(body)) {
      if (!isTable(entry)) {
        throw new VetError('PARSE_ERROR', `${fileName}: ${section}.${rawName} is not an object`, {
          file: fileName,
          line: findLine(text, `"${rawName}"`),
        });
      }
      const name = normalizePypiName(rawName);
      const { source, local } = pipfileSource(entry, sources);
      const version = (str(entry.version) ?? '').replace(/^===?/, '');
      if (version === '' && !local && source.kind === 'registry') {
        b.unlocked.push({
          file: fileName,
          line: findLine(text, `"${rawName}"`),
          requirement: rawName,
          reason: `${section}: no "version" pin`,
        });
        continue;
      }
      const integrity = strings(entry.hashes)
        .map((h) => parseHashSpec(h))
        .filter((i): i is Integrity => i !== undefined);
      const node = b.add({
        name,
        version,
        source,
        integrity,
        firstParty: local,
        lockfileDev: dev,
        path: `${fileName}#${section}`,
      });
      b.edge(root, node, dev ? 'dev' : 'normal', str(entry.markers));
    }
  }
  return b.build(false);
}
