/**
 * The vetted-only npm registry (`/npm/<criterion>/<name>`, issue 14): a packument listing only
 * the versions approved for the criterion (views/approved.ts), each `dist.tarball` pointing at
 * the archive and `dist.integrity` the approval's digest, so npm refuses any other bytes;
 * dist-tags are recomputed over what remains (`latest` = newest approved, preferring
 * non-prereleases). Abbreviated metadata (`application/vnd.npm.install-v1+json`) keeps only
 * the fields npm needs to install. Dependencies and the like come from the archived tarball's
 * package.json; name, version and dist always come from the approval.
 */
import { createHash } from 'node:crypto';
import { artifactPath } from '@vet/core';
import { NotaryError } from '../errors.js';
import { approvedReleases, type ApprovedRelease, type ViewContext } from './approved.js';
import { archivedPackageJson } from './package-json.js';

export interface ViewDocument {
  body: string;
  etag: string;
  contentType: string;
}

const INSTALL_FIELDS = [
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bundleDependencies',
  'bin',
  'directories',
  'engines',
  'os',
  'cpu',
  'deprecated',
] as const;
const FULL_FIELDS = [...INSTALL_FIELDS, 'description', 'license', 'scripts', 'main', 'types', 'repository'] as const;
export const NPM_ABBREVIATED = 'application/vnd.npm.install-v1+json';

export function npmPackument(
  ctx: ViewContext,
  criterion: string,
  name: string,
  o: { abbreviated: boolean; baseUrl: string },
): ViewDocument {
  const releases = approvedReleases(ctx, 'npm', name, criterion);
  if (releases.length === 0)
    throw new NotaryError('NOT_FOUND', `no version of ${name} is approved for ${criterion} here`);
  const versions: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const r of releases) versions[r.version] = manifest(ctx, name, r, o);
  const doc = {
    name,
    'dist-tags': { latest: latestOf(releases) },
    versions,
    ...(o.abbreviated ? { modified: newest(releases) } : { time: times(releases) }),
  };
  const body = JSON.stringify(doc);
  return {
    body,
    etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 40)}"`,
    contentType: o.abbreviated ? NPM_ABBREVIATED : 'application/json',
  };
}

function manifest(
  ctx: ViewContext,
  name: string,
  r: ApprovedRelease,
  o: { abbreviated: boolean; baseUrl: string },
): Record<string, unknown> {
  const pj = archivedPackageJson(r.artifact.sha512, ctx.path(r.artifact)) ?? {};
  const out: Record<string, unknown> = { name, version: r.version };
  for (const f of o.abbreviated ? INSTALL_FIELDS : FULL_FIELDS) if (pj[f] !== undefined) out[f] = pj[f];
  const scripts = pj.scripts as Record<string, unknown> | undefined;
  if (o.abbreviated && scripts && ['preinstall', 'install', 'postinstall'].some((s) => scripts[s] !== undefined))
    out.hasInstallScript = true;
  out.dist = {
    tarball: `${o.baseUrl}/${artifactPath({ algo: 'sha512', hex: r.artifact.sha512 })}`,
    integrity: r.digest,
  };
  return out;
}

/** Newest approved non-prerelease, else newest approved (releases are sorted ascending). */
function latestOf(releases: readonly ApprovedRelease[]): string {
  const stable = releases.filter((r) => !/^[^+]*-/.test(r.version));
  return (stable.length > 0 ? stable : releases)[(stable.length > 0 ? stable : releases).length - 1]!.version;
}

function times(releases: readonly ApprovedRelease[]): Record<string, string> {
  const t: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const r of releases) t[r.version] = r.artifact.archivedAt;
  t.modified = newest(releases);
  return t;
}

function newest(releases: readonly ApprovedRelease[]): string {
  return releases
    .map((r) => r.artifact.archivedAt)
    .sort()
    .at(-1)!;
}
