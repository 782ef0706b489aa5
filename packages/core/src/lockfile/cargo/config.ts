/**
 * The parts of cargo configuration (`.cargo/config.toml`) that change cargo metadata's graph:
 * `[build] target` (platform filtering, spec §7.1), `[registries]` (which lockfile sources are
 * alternative registries, default-registry.ts) and `[patch]` tables (ariel-os keeps its
 * `[patch.crates-io]` in a file pulled in by `include`). Cargo.lock already reflects patches;
 * we read them to explain git/path sources and to find patched path crates' manifests.
 * `include` paths are relative to the directory of the including file; the including file
 * wins over what it includes, later includes over earlier ones.
 */
import { VetValidationError } from '../../errors.js';
import { makeCtx, readPatchTables, type CargoPatchDecl } from './manifest.js';
import { normalizeRelDir } from './paths.js';
import { isTable, parseTomlFile, tableAt } from './toml.js';

export interface CargoConfigFile {
  /** Workspace-relative file name, e.g. ".cargo/config.toml" or "ariel-os-cargo.toml". */
  fileName: string;
  text: string;
}

export interface CargoConfig {
  /** `[build] target`: one or several triples; absent when not configured. */
  buildTargets?: string[];
  patches: CargoPatchDecl[];
  /** `[registries.<name>] index`: the alternative registries' index URLs. */
  registries: string[];
}

export interface CargoConfigInclude {
  path: string;
  optional: boolean;
}

/** `include = "a.toml"`, `["a.toml", …]` or `[{ path = "a.toml", optional = true }, …]`. */
export function cargoConfigIncludes(text: string, fileName: string): CargoConfigInclude[] {
  const doc = parseTomlFile(text, fileName);
  const raw = doc['include'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const out: CargoConfigInclude[] = [];
  for (const item of list) {
    if (typeof item === 'string') out.push({ path: item, optional: false });
    else if (isTable(item) && typeof item['path'] === 'string')
      out.push({ path: item['path'], optional: item['optional'] === true });
    else
      throw new VetValidationError('PARSE_ERROR', [{ file: fileName, message: 'bad `include` entry in cargo config' }]);
  }
  return out;
}

/** Where an include of `fileName` points, workspace-relative. */
export function resolveConfigInclude(fileName: string, include: string): string {
  const dir = fileName.includes('/') ? fileName.slice(0, fileName.lastIndexOf('/')) : '';
  return normalizeRelDir(`${dir === '' ? '.' : dir}/${include}`);
}

/**
 * Merges config files given lowest precedence first. Relative paths in config values (patch
 * `path`s) are relative to the parent of the directory holding the file — the workspace root
 * for `.cargo/config.toml` (cargo's `Definition::root`, applied to included files too).
 */
export function parseCargoConfig(files: CargoConfigFile[]): CargoConfig {
  const out: CargoConfig = { patches: [], registries: [] };
  for (const f of files) {
    const doc = parseTomlFile(f.text, f.fileName);
    const ctx = makeCtx(f.fileName, f.text);
    const build = tableAt(doc, 'build');
    const target = build?.['target'];
    if (typeof target === 'string') out.buildTargets = [target];
    else if (Array.isArray(target)) out.buildTargets = target.filter((t): t is string => typeof t === 'string');
    out.patches = mergePatches(
      out.patches,
      readPatchTables(tableAt(doc, 'patch') ?? {}, configBaseDir(f.fileName), ctx),
    );
    for (const r of Object.values(tableAt(doc, 'registries') ?? {}))
      if (isTable(r) && typeof r['index'] === 'string') out.registries.push(r['index']);
    if (ctx.problems.length > 0) throw new VetValidationError('PARSE_ERROR', ctx.problems, { file: f.fileName });
  }
  return out;
}

/** `.cargo/config.toml` → "" (the workspace root); `a/b/x.toml` → "a". */
export function configBaseDir(fileName: string): string {
  return normalizeRelDir(`${fileName}/../..`);
}

function mergePatches(lower: CargoPatchDecl[], higher: CargoPatchDecl[]): CargoPatchDecl[] {
  const key = (p: CargoPatchDecl) => `${p.registry}\u0000${p.key}`;
  const overridden = new Set(higher.map(key));
  return [...lower.filter((p) => !overridden.has(key(p))), ...higher];
}
