/**
 * The notary's archive policy (issue 14): an artifact is kept only when an effective (not
 * revoked) approval in the log names its digest — checked with @vet/core's checkArtifact,
 * the same rule every consumer applies to what the archive serves. Bytes come from the
 * auditor (`upload`) or, after an approval is admitted, from the configured registry
 * (`schedule`). Size caps and per-auditor quotas are checked before anything is written;
 * a mismatch keeps nothing.
 */
import {
  artifactAddresses,
  artifactMatches as matches,
  artifactMediaType,
  isArtifactFileName,
  isVetError,
  parseArtifactDigest,
} from '@vet/core';
import type { NotaryArchiveConfig } from '../config.js';
import type { AuditClaim, Ecosystem } from '../entries/model.js';
import { NotaryState } from '../entries/state.js';
import { NotaryError } from '../errors.js';
import type { RegistryFetcher } from './registry-fetch.js';
import type { ArtifactMeta, ArtifactStore } from './store.js';

export interface Release {
  ecosystem: Ecosystem;
  package: string;
  version: string;
}

/** One effective approval's digest for a release. */
export interface ApprovedDigest {
  index: number;
  signer: string;
  digest: string;
}

export interface ArchiverDeps {
  store: ArtifactStore;
  state: NotaryState;
  config: NotaryArchiveConfig;
  fetcher: RegistryFetcher | undefined;
  now: () => number;
  logEvent: (e: Record<string, unknown>) => void;
}

export class Archiver {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly d: ArchiverDeps) {}

  /** Digests of the release named by effective audits (optionally only `signer`'s). */
  approvedDigests(r: Release, signer?: string): ApprovedDigest[] {
    const { state } = this.d;
    const out: ApprovedDigest[] = [];
    for (const i of state.byPackage.get(NotaryState.packageKey(r.ecosystem, r.package)) ?? []) {
      const info = state.entries[i];
      if (info === undefined || state.revoked.has(i) || info.claim.type !== 'audit') continue;
      if (signer !== undefined && info.signer !== signer) continue;
      const digest = info.claim.digests[r.version];
      if (digest !== undefined) out.push({ index: i, signer: info.signer, digest });
    }
    return out;
  }

  /** An auditor's upload of the artifact they approved ("admin" may upload for any approval). */
  async upload(r: Release, fileName: string | undefined, bytes: Uint8Array, who: { subject: string; role: string }) {
    const approvals = this.approvedDigests(r, who.role === 'admin' ? undefined : who.subject);
    if (approvals.length === 0)
      throw new NotaryError(
        'NOT_APPROVED',
        `no effective approval${who.role === 'admin' ? '' : ' of yours'} in this log names ${r.package}@${r.version} (${r.ecosystem}); submit the audit first`,
      );
    const match = approvals.find((a) => matches(bytes, a.digest));
    if (match === undefined)
      throw new NotaryError(
        'DIGEST_MISMATCH',
        `the uploaded bytes of ${r.package}@${r.version} do not hash to the approved digest; nothing was kept`,
      );
    return this.keep(r, fileName ?? defaultFileName(r), bytes, match.signer, 'upload');
  }

  /** After an audit is admitted: fetch from the registry each approved version not yet archived. */
  schedule(claim: AuditClaim, signer: string): void {
    if (this.d.fetcher === undefined) return;
    for (const [version, digest] of Object.entries(claim.digests)) {
      const r: Release = { ecosystem: claim.ecosystem, package: claim.package, version };
      const d = parseArtifactDigest(digest);
      if (d === undefined || this.archived(digest)) continue;
      const job = this.fromRegistry(r, d, signer).catch((e: unknown) => {
        this.d.logEvent({ event: 'archive_failed', ...r, error: isVetError(e) ? e.message : String(e) });
      });
      this.pending.add(job);
      void job.finally(() => this.pending.delete(job));
    }
  }

  /** The archived artifact an approval's digest names, if any. */
  archived(digest: string): ArtifactMeta | undefined {
    const d = parseArtifactDigest(digest);
    if (d === undefined || d.algo === 'sha384') return undefined;
    return this.d.store.get({ algo: d.algo, hex: d.hex });
  }

  /** How many artifacts the archive holds. */
  get count(): number {
    return this.d.store.count;
  }

  /** Resolves once every registry fetch started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async fromRegistry(r: Release, digest: { algo: string; hex: string }, signer: string) {
    const got = await this.d.fetcher!({ ...r, digest });
    // Re-checked against the log as it is now: the approval may have been revoked meanwhile.
    const match = this.approvedDigests(r).find((a) => matches(got.bytes, a.digest));
    if (match === undefined)
      throw new NotaryError('DIGEST_MISMATCH', `the registry's artifact does not match the approved digest`);
    const meta = await this.keep(r, got.fileName, got.bytes, signer, 'registry');
    this.d.logEvent({ event: 'archived', ...r, sha256: meta.sha256, source: 'registry' });
  }

  private async keep(r: Release, fileName: string, bytes: Uint8Array, owner: string, source: ArtifactMeta['source']) {
    const { store, config } = this.d;
    const mediaType = artifactMediaType(fileName);
    if (!isArtifactFileName(fileName) || mediaType === undefined)
      throw new NotaryError(
        'MALFORMED',
        `"${fileName}" is not an artifact file name (.tgz, .tar.gz, .zip, .whl, .crate)`,
      );
    if (bytes.length > config.maxArtifactBytes)
      throw new NotaryError('PAYLOAD_TOO_LARGE', `the artifact is over the ${config.maxArtifactBytes}-byte cap`);
    const existing = store.get({ algo: 'sha512', hex: artifactAddresses(bytes).sha512 });
    if (existing) return existing;
    if (store.usedBy(owner) + bytes.length > config.quotaBytesPerAuditor)
      throw new NotaryError(
        'QUOTA_EXCEEDED',
        `the archive quota of ${config.quotaBytesPerAuditor} bytes for ${owner} would be exceeded (${store.usedBy(owner)} used)`,
      );
    const info = { fileName, mediaType, ...r, owner, source };
    return store.put(bytes, info, new Date(this.d.now()));
  }
}

function defaultFileName(r: Release): string {
  const base = r.package.slice(r.package.lastIndexOf('/') + 1);
  if (r.ecosystem === 'npm') return `${base}-${r.version}.tgz`;
  if (r.ecosystem === 'cargo') return `${base}-${r.version}.crate`;
  throw new NotaryError('MALFORMED', 'a PyPI artifact upload needs ?filename= (the wheel or sdist file name)');
}
