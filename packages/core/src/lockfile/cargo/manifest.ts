/**
 * Pure reader for the parts of a Cargo.toml that decide cargo metadata's graph: the package's
 * name/version, the `[workspace]` table, every dependency declaration with its kind and
 * platform (`[target.<spec>.*-dependencies]`), `[patch]` and `[replace]`. Inheritance
 * (`workspace = true`) needs the root manifest and is done by resolveManifestDeps.
 */
import { VetValidationError, type Problem } from '../../errors.js';
import { joinRelDir, manifestFileName } from './paths.js';
import { isTable, parseTomlFile, stringAt, stringListAt, tableAt, type TomlTable } from './toml.js';

export type CargoDepKind = 'normal' | 'build' | 'dev';

/** One dependency declaration as written (before workspace inheritance). */
export interface CargoDepDecl {
  /** Table key: the name the dependent uses (an alias when `package` renames it). */
  key: string;
  /** Real package name (`package = "…"` or the key). */
  package: string;
  kind: CargoDepKind;
  /** Platform spec of a `[target.<spec>]` table: a triple or `cfg(…)`. */
  target?: string;
  version?: string;
  /** Workspace-relative directory of a path dependency. */
  path?: string;
  git?: string;
  registry?: string;
  optional: boolean;
  /** `workspace = true`: the rest comes from `[workspace.dependencies]`. */
  inherited: boolean;
}

export interface CargoPatchDecl {
  /** `crates-io`, a registry name, or a source URL. */
  registry: string;
  key: string;
  package: string;
  path?: string;
  git?: string;
  version?: string;
}

export interface CargoWorkspaceTable {
  members: string[];
  exclude: string[];
  /** `[workspace.dependencies]`, keyed by name; paths relative to the workspace root. */
  dependencies: Record<string, CargoDepDecl>;
  /** `[workspace.package] version`, for `version.workspace = true`. */
  packageVersion?: string;
}

export interface CargoManifest {
  fileName: string;
  relDir: string;
  package?: {
    name: string;
    /** Undefined when inherited from the workspace and not yet resolved. */
    version?: string;
    versionInherited: boolean;
    /** `package.workspace`: explicit workspace root, relative to this manifest. */
    workspaceRoot?: string;
  };
  workspace?: CargoWorkspaceTable;
  deps: CargoDepDecl[];
  patches: CargoPatchDecl[];
  /** `[replace]`: `"name:version"` keys. */
  replace: CargoPatchDecl[];
  /** The raw document, for metadata lookups (store location). */
  doc: TomlTable;
}

const KIND_TABLES: ReadonlyArray<[string, CargoDepKind]> = [
  ['dependencies', 'normal'],
  ['build-dependencies', 'build'],
  ['build_dependencies', 'build'],
  ['dev-dependencies', 'dev'],
  ['dev_dependencies', 'dev'],
];

/** Parses `<relDir>/Cargo.toml`; `relDir` is "" for the workspace root. */
export function parseCargoManifest(text: string, relDir: string, fileName = manifestFileName(relDir)): CargoManifest {
  const doc = parseTomlFile(text, fileName);
  const problems: Problem[] = [];
  const ctx: Ctx = { file: fileName, text, problems };
  const manifest: CargoManifest = { fileName, relDir, deps: [], patches: [], replace: [], doc };
  const pkg = readPackage(doc, ctx);
  if (pkg) manifest.package = pkg;
  const ws = tableAt(doc, 'workspace');
  if (ws) manifest.workspace = readWorkspace(ws, relDir, ctx);
  manifest.deps = readAllDeps(doc, relDir, ctx);
  manifest.patches = readPatches(doc, relDir, ctx);
  manifest.replace = readReplace(doc, relDir, ctx);
  if (problems.length > 0) throw new VetValidationError('PARSE_ERROR', problems, { file: fileName });
  return manifest;
}

interface Ctx {
  file: string;
  text: string;
  problems: Problem[];
}

function problem(ctx: Ctx, key: string, message: string): void {
  const line = lineOfKey(ctx.text, key);
  ctx.problems.push(line === undefined ? { file: ctx.file, message } : { file: ctx.file, line, message });
}

/** Best-effort 1-based line where `key` is written (TOML values carry no positions). */
export function lineOfKey(text: string, key: string): number | undefined {
  const esc = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^\\s*(\\[+\\s*)?([\\w.'"-]*[.'"\\s])?["']?${esc}["']?\\s*(=|\\]|\\.)`);
  const i = text.split(/\r?\n/).findIndex((l) => re.test(l));
  return i < 0 ? undefined : i + 1;
}

function readPackage(doc: TomlTable, ctx: Ctx): CargoManifest['package'] {
  const pkg = tableAt(doc, 'package') ?? tableAt(doc, 'project');
  if (!pkg) return undefined;
  const name = stringAt(pkg, 'name');
  if (!name) {
    problem(ctx, 'name', '[package] needs a string `name`');
    return undefined;
  }
  const out: NonNullable<CargoManifest['package']> = { name, versionInherited: false };
  const v = pkg['version'];
  if (typeof v === 'string') out.version = v;
  else if (isTable(v) && v['workspace'] === true) out.versionInherited = true;
  else if (v === undefined)
    out.version = '0.0.0'; // cargo ≥ 1.75 defaults a missing version
  else problem(ctx, 'version', `package ${name}: \`version\` must be a string or { workspace = true }`);
  const root = stringAt(pkg, 'workspace');
  if (root !== undefined) out.workspaceRoot = root;
  return out;
}

function readWorkspace(ws: TomlTable, relDir: string, ctx: Ctx): CargoWorkspaceTable {
  const out: CargoWorkspaceTable = {
    members: stringListAt(ws, 'members'),
    exclude: stringListAt(ws, 'exclude'),
    dependencies: {},
  };
  const wsPkg = tableAt(ws, 'package');
  const version = wsPkg ? stringAt(wsPkg, 'version') : undefined;
  if (version !== undefined) out.packageVersion = version;
  const deps = tableAt(ws, 'dependencies') ?? {};
  for (const [key, raw] of Object.entries(deps)) {
    const decl = readDecl(key, raw, 'normal', undefined, relDir, ctx);
    if (!decl) continue;
    if (decl.inherited) problem(ctx, key, `[workspace.dependencies] ${key} cannot itself be \`workspace = true\``);
    else out.dependencies[key] = decl;
  }
  return out;
}

function readAllDeps(doc: TomlTable, relDir: string, ctx: Ctx): CargoDepDecl[] {
  const out: CargoDepDecl[] = [];
  const readTables = (t: TomlTable, target: string | undefined) => {
    for (const [tableName, kind] of KIND_TABLES) {
      const deps = tableAt(t, tableName);
      if (!deps) continue;
      for (const [key, raw] of Object.entries(deps)) {
        const decl = readDecl(key, raw, kind, target, relDir, ctx);
        if (decl) out.push(decl);
      }
    }
  };
  readTables(doc, undefined);
  const targets = tableAt(doc, 'target') ?? {};
  for (const [spec, t] of Object.entries(targets)) if (isTable(t)) readTables(t, spec);
  return out;
}

function readDecl(
  key: string,
  raw: unknown,
  kind: CargoDepKind,
  target: string | undefined,
  relDir: string,
  ctx: Ctx,
): CargoDepDecl | undefined {
  const decl: CargoDepDecl = { key, package: key, kind, optional: false, inherited: false };
  if (target !== undefined) decl.target = target;
  if (typeof raw === 'string') {
    decl.version = raw;
    return decl;
  }
  if (!isTable(raw)) {
    problem(ctx, key, `dependency ${key}: expected a version string or a table`);
    return undefined;
  }
  const pkg = stringAt(raw, 'package');
  if (pkg !== undefined) decl.package = pkg;
  const version = stringAt(raw, 'version');
  if (version !== undefined) decl.version = version;
  const path = stringAt(raw, 'path');
  if (path !== undefined) decl.path = joinRelDir(relDir, path);
  const git = stringAt(raw, 'git');
  if (git !== undefined) decl.git = git;
  // `registry-index` is how a published (normalised) manifest names another registry.
  const registry = stringAt(raw, 'registry') ?? stringAt(raw, 'registry-index');
  if (registry !== undefined) decl.registry = registry;
  decl.optional = raw['optional'] === true;
  decl.inherited = raw['workspace'] === true;
  return decl;
}

function readPatches(doc: TomlTable, relDir: string, ctx: Ctx): CargoPatchDecl[] {
  return readPatchTables(tableAt(doc, 'patch') ?? {}, relDir, ctx);
}

/** `[patch.<registry>] name = { … }`; shared with cargo configuration files. */
export function readPatchTables(patch: TomlTable, relDir: string, ctx: Ctx): CargoPatchDecl[] {
  const out: CargoPatchDecl[] = [];
  for (const [registry, entries] of Object.entries(patch)) {
    if (!isTable(entries)) continue;
    for (const [key, raw] of Object.entries(entries)) {
      const decl = readDecl(key, raw, 'normal', undefined, relDir, ctx);
      if (decl) out.push(patchOf(registry, decl));
    }
  }
  return out;
}

function readReplace(doc: TomlTable, relDir: string, ctx: Ctx): CargoPatchDecl[] {
  const out: CargoPatchDecl[] = [];
  for (const [key, raw] of Object.entries(tableAt(doc, 'replace') ?? {})) {
    const decl = readDecl(key, raw, 'normal', undefined, relDir, ctx);
    if (decl) out.push({ ...patchOf('replace', decl), package: key.split(':')[0] ?? key });
  }
  return out;
}

function patchOf(registry: string, d: CargoDepDecl): CargoPatchDecl {
  const p: CargoPatchDecl = { registry, key: d.key, package: d.package };
  if (d.path !== undefined) p.path = d.path;
  if (d.git !== undefined) p.git = d.git;
  if (d.version !== undefined) p.version = d.version;
  return p;
}

/** A manifest-reading context for other files of this module (cargo config). */
export function makeCtx(file: string, text: string): Ctx {
  return { file, text, problems: [] };
}
export type { Ctx as CargoParseCtx };
