/**
 * package-lock v1 (npm 5–6) and older shrinkwraps: flatten the nested `dependencies` tree into
 * v2-style install-path entries (`node_modules/a/node_modules/b`), so the v2/v3 walker resolves
 * `requires` with the same node_modules lookup (spec lockfiles.md §1 "Enumerating packages (v1)").
 */
import type { GraphBuilder } from './builder.js';
import type { PackageJsonLike } from './manifest.js';
import { classifyResolved, splitNameAt } from './source.js';
import { asRecord, asString, isRecord, type Json } from './text.js';
import { dict, dictFrom } from '../../dict.js';

export function v1InstallEntries(
  doc: Json,
  rootManifest: PackageJsonLike | undefined,
  b: GraphBuilder,
): Map<string, unknown> {
  const out = new Map<string, unknown>();
  out.set('', {}); // placeholder so the root keeps the first slot; filled below
  const walk = (deps: Json, prefix: string): void => {
    for (const [key, raw] of Object.entries(deps)) {
      const e = asRecord(raw);
      const path = `${prefix}node_modules/${key}`;
      out.set(path, v1Entry(key, e));
      if (isRecord(e['dependencies'])) walk(e['dependencies'], `${path}/`);
    }
  };
  walk(asRecord(doc['dependencies']), '');
  out.set('', rootEntry(doc, rootManifest, b));
  return out;
}

function v1Entry(key: string, e: Json): Json {
  let name = key;
  let version = asString(e['version']) ?? '';
  let resolved = asString(e['resolved']);
  if (version.startsWith('npm:')) {
    // Alias: `"string-width-cjs": { "version": "npm:string-width@4.2.3" }`.
    const split = splitNameAt(version.slice(4));
    if (split !== undefined) ({ name, rest: version } = split);
  } else if (/[:/#]/.test(version)) {
    // git / file / URL specs live in `version`; the spec is the best identity we have.
    resolved ??= version;
    version = specVersion(version);
  }
  const requires = isRecord(e['requires']) ? e['requires'] : {};
  // Keep every edge even when its range is not a string: dropping one could hide a dependency.
  const dependencies = dictFrom(Object.keys(requires).map((k) => [k, asString(requires[k]) ?? '']));
  return {
    name,
    version,
    resolved,
    integrity: e['integrity'],
    dev: e['dev'],
    optional: e['optional'],
    inBundle: e['bundled'],
    dependencies,
  };
}

/**
 * v1 does not record the root's direct dependencies. With the root package.json we use it;
 * without, every top-level entry becomes a direct dependency (dev-flagged ones as dev), which keeps
 * the walk consistent with the lockfile's own flags.
 */
function rootEntry(doc: Json, manifest: PackageJsonLike | undefined, b: GraphBuilder): Json {
  const base = {
    name: asString(doc['name']) ?? manifest?.name,
    version: asString(doc['version']) ?? manifest?.version,
  };
  if (manifest !== undefined) {
    return {
      ...base,
      dependencies: manifest.dependencies,
      optionalDependencies: manifest.optionalDependencies,
      devDependencies: manifest.devDependencies,
    };
  }
  b.warn('lockfile v1 without package.json: every top-level entry is taken as a direct dependency');
  const dependencies = dict<string>();
  const devDependencies = dict<string>();
  for (const [key, raw] of Object.entries(asRecord(doc['dependencies']))) {
    (asRecord(raw)['dev'] === true ? devDependencies : dependencies)[key] = '*';
  }
  return { ...base, dependencies, devDependencies };
}

/**
 * The version a v1 git dependency is stored under. v1 writes the spec (`github:o/r#<commit>`)
 * where a version goes and never the package's own version, so, as cargo-vet does for git
 * crates (`<version>@git:<commit>`), the commit is the identity: `0.0.0@git:<commit>`, which the
 * store can hold and read back. A spec pinned to no commit stays as written (and the store
 * refuses it: there is nothing stable to audit).
 */
function specVersion(spec: string): string {
  const source = classifyResolved(spec);
  return (source.kind === 'git' || source.kind === 'tarball') && source.commit?.length === 40
    ? `0.0.0@git:${source.commit}`
    : spec;
}
