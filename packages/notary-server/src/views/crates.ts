/**
 * The vetted-only Cargo sparse index (`/crates/<criterion>/`, issue 14): `config.json` whose
 * `dl` is the archive (`v1/artifacts/sha256/{sha256-checksum}`), and one index file per crate
 * with a line per approved, archived version — `cksum` the approved sha256, dependencies and
 * features from the archived `.crate`'s normalised Cargo.toml (the approval carries neither).
 * Paths follow the index layout (1/, 2/, 3/<c>/, <ab>/<cd>/; lower case).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseCargoManifest, type CargoDepDecl } from '@vet/core';
import { NotaryError } from '../errors.js';
import { approvedReleases, type ApprovedRelease, type ViewContext } from './approved.js';
import type { ViewDocument } from './npm.js';
import { readTarGzFile } from './package-json.js';

type Table = Record<string, unknown>;
const lines = new Map<string, string | undefined>();

export function cratesConfig(baseUrl: string): ViewDocument {
  return doc(JSON.stringify({ dl: `${baseUrl}/v1/artifacts/sha256/{sha256-checksum}`, 'auth-required': false }));
}

/** The index path of a crate name (Cargo's layout). */
export function crateIndexPath(name: string): string {
  const n = name.toLowerCase();
  if (n.length <= 2) return `${n.length}/${n}`;
  if (n.length === 3) return `3/${n[0]}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

export function crateIndexFile(ctx: ViewContext, criterion: string, path: string): ViewDocument {
  const lower = path.slice(path.lastIndexOf('/') + 1);
  const name = [...ctx.state.byPackage.keys()]
    .filter((k) => k.startsWith('cargo/'))
    .map((k) => k.slice(6))
    .find((n) => n.toLowerCase() === lower);
  if (name === undefined || crateIndexPath(name) !== path)
    throw new NotaryError('NOT_FOUND', `no crate at ${path} in this index`);
  const releases = approvedReleases(ctx, 'cargo', name, criterion);
  const out = releases.map((r) => indexLine(ctx, name, r)).filter((l): l is string => l !== undefined);
  if (out.length === 0) throw new NotaryError('NOT_FOUND', `no version of ${name} is approved for ${criterion} here`);
  return { ...doc(out.join('\n') + '\n'), contentType: 'text/plain; charset=utf-8' };
}

function indexLine(ctx: ViewContext, name: string, r: ApprovedRelease): string | undefined {
  const key = r.artifact.sha256;
  if (!lines.has(key)) {
    if (lines.size >= 10_000) lines.delete(lines.keys().next().value as string);
    lines.set(key, buildLine(name, r, readFileSync(ctx.path(r.artifact))));
  }
  return lines.get(key);
}

function buildLine(name: string, r: ApprovedRelease, crate: Buffer): string | undefined {
  const text = readTarGzFile(crate, /^[^/]+\/Cargo\.toml$/);
  if (text === undefined) return undefined;
  let m;
  try {
    m = parseCargoManifest(text, '', `${name}-${r.version}/Cargo.toml`);
  } catch {
    return undefined;
  }
  const pkg = (m.doc.package ?? {}) as Table;
  return JSON.stringify({
    name,
    vers: r.version,
    deps: m.deps.map((d) => dep(m.doc, d)),
    cksum: r.artifact.sha256,
    features: isTable(m.doc.features) ? m.doc.features : {},
    yanked: false,
    ...(typeof pkg.links === 'string' && { links: pkg.links }),
    ...(typeof pkg['rust-version'] === 'string' && { rust_version: pkg['rust-version'] }),
    v: 2,
  });
}

/** An index `deps` entry (Cargo's registry index format) from a manifest declaration. */
function dep(doc: Table, d: CargoDepDecl): Table {
  const raw = rawDecl(doc, d);
  return {
    name: d.key,
    req: d.version ?? '*',
    features: Array.isArray(raw.features) ? raw.features : [],
    optional: d.optional,
    default_features: raw['default-features'] !== false && raw.default_features !== false,
    target: d.target ?? null,
    kind: d.kind,
    ...(d.package !== d.key && { package: d.package }),
  };
}

function rawDecl(doc: Table, d: CargoDepDecl): Table {
  const tables = {
    normal: ['dependencies'],
    build: ['build-dependencies', 'build_dependencies'],
    dev: ['dev-dependencies', 'dev_dependencies'],
  }[d.kind];
  const base = d.target === undefined ? doc : (((doc.target as Table | undefined)?.[d.target] ?? {}) as Table);
  for (const t of tables) {
    const v = (base[t] as Table | undefined)?.[d.key];
    if (isTable(v)) return v;
  }
  return {};
}

function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function doc(body: string): ViewDocument {
  return {
    body,
    contentType: 'application/json',
    etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 40)}"`,
  };
}
