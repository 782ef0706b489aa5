/**
 * Pure Cargo.lock reader (spec/lockfiles.md §11): `[[package]]` entries with their dependency
 * strings, for lockfile versions 1–4 (5 is read like 4, with a warning). Version 1 keeps
 * checksums in a `[metadata]` table; they are folded into the packages here so later stages
 * never care which version they read. Edge kinds are not in Cargo.lock; see edges.ts.
 */
import { VetValidationError, type Problem } from '../../errors.js';
import { arrayTableLines, isTable, parseTomlFile, stringAt, type TomlTable } from './toml.js';
import { sourceWithoutFragment } from './source.js';

/** A dependency string: `name`, `name version` or `name version (source)`. */
export interface CargoLockDepRef {
  name: string;
  version?: string;
  source?: string;
  raw: string;
}

export interface CargoLockPackage {
  name: string;
  version: string;
  /** Absent for path and workspace packages. */
  source?: string;
  /** sha256 hex of the .crate file. */
  checksum?: string;
  dependencies: CargoLockDepRef[];
  /** `[replace]` target, recorded on the replaced package (lockfile v1–v3 shape). */
  replace?: CargoLockDepRef;
  /** 1-based line of the `[[package]]` header. */
  line?: number;
}

export interface CargoLock {
  fileName: string;
  /** Lockfile format version: 1–4 (5 when a nightly wrote it). */
  version: number;
  packages: CargoLockPackage[];
  /** `[[patch.unused]]` entries: patches that matched nothing. */
  patchUnused: CargoLockDepRef[];
  warnings: string[];
}

const DEP_RE = /^(\S+)(?: (\S+)(?: \((.+)\))?)?$/;

export function parseCargoDepRef(raw: string): CargoLockDepRef | undefined {
  const m = DEP_RE.exec(raw.trim());
  if (!m || !m[1]) return undefined;
  const ref: CargoLockDepRef = { name: m[1], raw };
  if (m[2] !== undefined) ref.version = m[2];
  if (m[3] !== undefined) ref.source = m[3];
  return ref;
}

export function parseCargoLock(text: string, fileName: string): CargoLock {
  const doc = parseTomlFile(text, fileName);
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const version = lockVersion(doc, fileName, problems, warnings);
  const lines = arrayTableLines(text, 'package');
  const raw = Array.isArray(doc['package']) ? doc['package'] : [];
  const packages: CargoLockPackage[] = [];
  raw.forEach((entry, i) => {
    const pkg = readPackage(entry, fileName, lines[i], problems);
    if (pkg) packages.push(pkg);
  });
  applyV1Checksums(doc, packages, fileName, problems);
  checkDuplicates(packages, fileName, problems);
  const patchUnused = readPatchUnused(doc, fileName, problems);
  if (problems.length > 0) throw new VetValidationError('PARSE_ERROR', problems, { file: fileName });
  return { fileName, version, packages, patchUnused, warnings };
}

function lockVersion(doc: TomlTable, fileName: string, problems: Problem[], warnings: string[]): number {
  const v = doc['version'];
  if (v === undefined) return hasV1Checksums(doc) ? 1 : 2;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    problems.push({ file: fileName, message: `unsupported Cargo.lock version ${JSON.stringify(v)}` });
    return 0;
  }
  if (v > 4) warnings.push(`${fileName}: Cargo.lock version ${v} is newer than 4; read as version 4`);
  return v;
}

function hasV1Checksums(doc: TomlTable): boolean {
  const meta = doc['metadata'];
  return isTable(meta) && Object.keys(meta).some((k) => k.startsWith('checksum '));
}

function readPackage(
  entry: unknown,
  file: string,
  line: number | undefined,
  problems: Problem[],
): CargoLockPackage | undefined {
  const at = (message: string): undefined => {
    problems.push(line === undefined ? { file, message } : { file, line, message });
    return undefined;
  };
  if (!isTable(entry)) return at('[[package]] entry is not a table');
  const name = stringAt(entry, 'name');
  const version = stringAt(entry, 'version');
  if (!name || !version) return at('[[package]] entry needs string `name` and `version`');
  const pkg: CargoLockPackage = { name, version, dependencies: [] };
  if (line !== undefined) pkg.line = line;
  const source = stringAt(entry, 'source');
  if (source !== undefined) pkg.source = source;
  const checksum = stringAt(entry, 'checksum');
  if (checksum !== undefined) pkg.checksum = checksum;
  const deps = entry['dependencies'] ?? [];
  if (!Array.isArray(deps)) return at(`${name} ${version}: \`dependencies\` is not an array`);
  for (const d of deps) {
    const ref = typeof d === 'string' ? parseCargoDepRef(d) : undefined;
    if (!ref) return at(`${name} ${version}: bad dependency string ${JSON.stringify(d)}`);
    pkg.dependencies.push(ref);
  }
  const replace = stringAt(entry, 'replace');
  if (replace !== undefined) {
    const ref = parseCargoDepRef(replace);
    if (!ref) return at(`${name} ${version}: bad replace string ${JSON.stringify(replace)}`);
    pkg.replace = ref;
  }
  return pkg;
}

/** v1: `"checksum <name> <version> (<source>)" = "<hex>" | "<none>"` in `[metadata]`. */
function applyV1Checksums(doc: TomlTable, packages: CargoLockPackage[], file: string, problems: Problem[]): void {
  const meta = doc['metadata'];
  if (!isTable(meta)) return;
  for (const [key, value] of Object.entries(meta)) {
    if (!key.startsWith('checksum ')) continue;
    const ref = parseCargoDepRef(key.slice('checksum '.length));
    if (!ref || typeof value !== 'string') {
      problems.push({ file, message: `bad [metadata] checksum entry ${JSON.stringify(key)}` });
      continue;
    }
    if (value === '<none>') continue;
    const pkg = packages.find(
      (p) => p.name === ref.name && p.version === ref.version && sameSource(p.source, ref.source),
    );
    if (pkg && pkg.checksum === undefined) pkg.checksum = value;
  }
}

function checkDuplicates(packages: CargoLockPackage[], file: string, problems: Problem[]): void {
  const seen = new Set<string>();
  for (const p of packages) {
    const key = `${p.name} ${p.version} ${p.source ?? ''}`;
    if (seen.has(key)) {
      const message = `package ${p.name} ${p.version}${p.source ? ` (${p.source})` : ''} is listed twice`;
      problems.push(p.line === undefined ? { file, message } : { file, line: p.line, message });
    }
    seen.add(key);
  }
}

function readPatchUnused(doc: TomlTable, file: string, problems: Problem[]): CargoLockDepRef[] {
  const patch = doc['patch'];
  const unused = isTable(patch) ? patch['unused'] : undefined;
  if (!Array.isArray(unused)) return [];
  const out: CargoLockDepRef[] = [];
  for (const u of unused) {
    const name = isTable(u) ? stringAt(u, 'name') : undefined;
    if (!isTable(u) || !name) {
      problems.push({ file, message: '[[patch.unused]] entry needs a `name`' });
      continue;
    }
    const ref: CargoLockDepRef = { name, raw: name };
    const version = stringAt(u, 'version');
    if (version !== undefined) ref.version = version;
    const source = stringAt(u, 'source');
    if (source !== undefined) ref.source = source;
    out.push(ref);
  }
  return out;
}

/**
 * Do a package's source and a dependency string's source name the same place? Dependency
 * strings drop the git `#commit`; v4 percent-encodes query values, so compare decoded too.
 */
export function sameSource(pkgSource: string | undefined, refSource: string | undefined): boolean {
  if (pkgSource === undefined || refSource === undefined) return pkgSource === refSource;
  if (pkgSource === refSource) return true;
  const a = sourceWithoutFragment(pkgSource);
  const b = sourceWithoutFragment(refSource);
  return a === b || safeDecode(a) === safeDecode(b);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
