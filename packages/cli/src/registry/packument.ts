/**
 * npm packuments (lockfiles.md §12.1): the registry's per-package document. Parsed defensively —
 * every field comes from outside, so only values of the expected type are kept.
 */
import { VetError } from '@vet/core';

export interface PackumentDist {
  tarball?: string;
  integrity?: string;
  shasum?: string;
  fileCount?: number;
  unpackedSize?: number;
}

export interface PackumentVersion {
  name: string;
  version: string;
  dist: PackumentDist;
  deprecated?: string;
  scripts: Record<string, string>;
  /** Abbreviated documents say this instead of listing scripts. */
  hasInstallScript?: boolean;
  gypfile?: boolean;
  npmUser?: { name?: string; email?: string };
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  /** Platforms the package installs on (npm `os` / `cpu`; `!x` excludes x); absent = any. */
  os?: string[];
  cpu?: string[];
  /** Linux C library the package needs (`glibc` / `musl`), as npm checks it. */
  libc?: string[];
}

export interface Packument {
  name: string;
  distTags: Record<string, string>;
  versions: Record<string, PackumentVersion>;
  /** Publish times by version (full documents only). */
  time: Record<string, string>;
  /** Was this the abbreviated ("corgi") document? Then scripts/_npmUser/time may be missing. */
  abbreviated: boolean;
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

function parseVersion(name: string, version: string, v: Json): PackumentVersion {
  const dist = isObj(v.dist) ? v.dist : {};
  const user = isObj(v._npmUser) ? v._npmUser : undefined;
  const deprecated = str(v.deprecated);
  return {
    name: str(v.name) ?? name,
    version: str(v.version) ?? version,
    dist: {
      tarball: str(dist.tarball),
      integrity: str(dist.integrity),
      shasum: str(dist.shasum),
      fileCount: num(dist.fileCount),
      unpackedSize: num(dist.unpackedSize),
    },
    ...(deprecated ? { deprecated } : {}),
    scripts: strMap(v.scripts),
    ...(typeof v.hasInstallScript === 'boolean' ? { hasInstallScript: v.hasInstallScript } : {}),
    ...(typeof v.gypfile === 'boolean' ? { gypfile: v.gypfile } : {}),
    ...(user ? { npmUser: { name: str(user.name), email: str(user.email) } } : {}),
    dependencies: strMap(v.dependencies),
    optionalDependencies: strMap(v.optionalDependencies),
    ...platformField('os', v.os),
    ...platformField('cpu', v.cpu),
    ...platformField('libc', v.libc),
  };
}

function platformField(key: 'os' | 'cpu' | 'libc', v: unknown): Partial<Record<'os' | 'cpu' | 'libc', string[]>> {
  const list =
    typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  return list.length > 0 ? { [key]: list } : {};
}

/** npm's platform check (npm-install-checks): `!x` excludes x; any plain entry must match. */
function allows(list: readonly string[] | undefined, value: string): boolean {
  if (list === undefined) return true;
  if (list.includes(`!${value}`)) return false;
  const wanted = list.filter((x) => !x.startsWith('!'));
  return wanted.length === 0 || wanted.includes(value) || wanted.includes('any');
}

let libcHere: string | undefined;

/** This machine's C library as npm names it: glibc when the runtime reports a glibc version, else musl. */
function currentLibc(): string {
  if (libcHere !== undefined) return libcHere;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return (libcHere = report?.header?.glibcVersionRuntime ? 'glibc' : 'musl');
}

/** Would npm install this version here? (`platform`/`arch`/`libc` default to this machine's.) */
export function installsOn(
  v: PackumentVersion,
  platform: string = process.platform,
  arch: string = process.arch,
  libc?: string,
): boolean {
  if (!allows(v.os, platform) || !allows(v.cpu, arch)) return false;
  // npm checks libc on Linux only.
  return platform !== 'linux' || v.libc === undefined || allows(v.libc, libc ?? currentLibc());
}

/** Parse a packument JSON value fetched from `source` (a URL, for messages). */
export function parsePackument(json: unknown, source: string, abbreviated = false): Packument {
  if (!isObj(json) || !isObj(json.versions)) {
    throw new VetError('PARSE_ERROR', `${source}: not an npm packument (no "versions" object)`, {
      file: source,
      hint: 'check that the registry URL in .npmrc points at an npm registry',
    });
  }
  const name = str(json.name) ?? '';
  const versions: Record<string, PackumentVersion> = Object.create(null) as Record<string, PackumentVersion>;
  for (const [version, v] of Object.entries(json.versions))
    if (isObj(v)) versions[version] = parseVersion(name, version, v);
  return { name, distTags: strMap(json['dist-tags']), versions, time: strMap(json.time), abbreviated };
}

/** A per-version document (`GET <registry>/<name>/<version>`), checked to be the version asked for. */
export function parseVersionManifest(json: unknown, name: string, version: string, source: string): PackumentVersion {
  if (!isObj(json) || str(json.version) !== version || (str(json.name) ?? name) !== name)
    throw new VetError('PARSE_ERROR', `${source}: not the manifest of ${name}@${version}`, { file: source });
  return parseVersion(name, version, json);
}

/** The manifest of one version, or NOT_FOUND naming what exists. */
export function packumentVersion(p: Packument, version: string): PackumentVersion {
  const v = p.versions[version];
  if (!v) {
    throw new VetError('NOT_FOUND', `${p.name}@${version} is not in the registry's packument`, {
      hint: 'the version may have been unpublished, or the lockfile points at another registry',
      details: { name: p.name, version },
    });
  }
  return v;
}

/** The install scripts npm runs (preinstall/install/postinstall), as present in the manifest. */
export function installScripts(v: PackumentVersion): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['preinstall', 'install', 'postinstall'] as const) {
    const s = v.scripts[k];
    if (s !== undefined) out[k] = s;
  }
  return out;
}
