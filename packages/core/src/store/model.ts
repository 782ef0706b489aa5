/**
 * In-memory model of a supply-chain store: config.toml, audits.toml, imports.lock.
 * Field names follow cargo-vet's files (spec/cargo-vet-format.md §3–5) in camelCase.
 * Lists that the files accept as "string or array" are always arrays here; the writer
 * puts a one-element list back as a bare string (spec §2).
 */
import { dict } from '../dict.js';

/** Built-in criteria names (spec §6). */
export const SAFE_TO_RUN = 'safe-to-run';
export const SAFE_TO_DEPLOY = 'safe-to-deploy';
export const DEFAULT_CRITERIA = SAFE_TO_DEPLOY;

/** Store format version we write, as `[cargo-vet] version` (cargo-vet 0.10.x). */
export const STORE_VERSION = '0.10';

export interface CriteriaEntry {
  description?: string;
  descriptionUrl?: string;
  implies: string[];
  aggregatedFrom: string[];
}

/** A publisher identity: a registry user id (Cargo's default registry), or a trusted-publishing identity / npm user name. */
export type PublisherIdentity =
  | { kind: 'user-id'; userId: number }
  | { kind: 'trusted-publisher'; trustedPublisher: string }
  | { kind: 'user-login'; userLogin: string }; // vet extension for npm/PyPI publishers

export interface DeltaVersions {
  from: string;
  to: string;
}

export type AuditKind = 'full' | 'delta' | 'violation';

export interface AuditEntry {
  who: string[];
  criteria: string[];
  kind: AuditKind;
  /** kind === 'full' */
  version?: string;
  /** kind === 'delta' */
  delta?: DeltaVersions;
  /** kind === 'violation': a version requirement string as written */
  violation?: string;
  /** Absent in the file means true. */
  importable: boolean;
  notes?: string;
  aggregatedFrom: string[];
  /**
   * vet extension, imports.lock only: version → SRI digest the (notary) approval was made
   * for. The resolver creates the audit's edge only when the lockfile has the same digest.
   */
  digests?: Record<string, string>;
}

/**
 * vet extension, imports.lock only (`[[revoked.<import>.<package>]]`): an imported notary
 * approval that the notary's log revoked. It vets nothing; it is kept so that a check that
 * fails for want of it can say why, with or without --locked.
 */
export interface RevokedAuditEntry extends AuditEntry {
  /** Log index of the revocation entry. */
  revokedBy: number;
}

export interface WildcardAuditEntry {
  who: string[];
  criteria: string[];
  identity: PublisherIdentity;
  /** YYYY-MM-DD */
  start: string;
  /** YYYY-MM-DD, exclusive */
  end: string;
  /** Absent = undefined (renewable). */
  renew?: boolean;
  notes?: string;
  aggregatedFrom: string[];
}

export interface TrustedEntry {
  criteria: string[];
  identity: PublisherIdentity;
  start: string;
  end: string;
  notes?: string;
  aggregatedFrom: string[];
}

export interface AuditsFile {
  criteria: Record<string, CriteriaEntry>;
  wildcardAudits: Record<string, WildcardAuditEntry[]>;
  audits: Record<string, AuditEntry[]>;
  trusted: Record<string, TrustedEntry[]>;
}

export interface ImportConfig {
  url: string[];
  exclude: string[];
  /** foreign criterion → local criteria */
  criteriaMap: Record<string, string[]>;
  /** vet extension: import from a notary, verified with this Ed25519 verifier key (C2SP note key). */
  notary?: NotaryImportConfig;
}

export interface NotaryImportConfig {
  url: string;
  /** C2SP signed-note verifier key: `<name>+<hash>+<base64 key>`. */
  key: string;
  /** Maximum age of the newest checkpoint, in seconds; undefined = no limit. */
  maxAgeSeconds?: number;
  /** Witness verifier keys and how many of them must cosign. */
  witnesses?: string[];
  witnessQuorum?: number;
}

export interface PolicyEntry {
  auditAsCratesIo?: boolean;
  /** undefined = not set (differs from []). */
  criteria?: string[];
  devCriteria?: string[];
  dependencyCriteria?: Record<string, string[]>;
  notes?: string;
}

export interface ExemptionEntry {
  version: string;
  criteria: string[];
  /** Absent in the file means true. */
  suggest: boolean;
  notes?: string;
}

/** vet's own, non-cargo settings; written only in stores of non-cargo ecosystems. */
export interface VetSettings {
  /** 'npm' | 'pypi' | 'cargo'; absent ⇒ cargo (a plain cargo-vet store). */
  ecosystem?: string;
  /** Client policy: approvals required from k of these notary imports. */
  requireNotaries?: { imports: string[]; threshold: number; packages?: string[] };
  /** Treat registry-deprecated/yanked versions as failures instead of warnings. */
  denyDeprecated?: boolean;
  /** Vet only what installs on these platforms (`linux-x64-glibc`, …); `--platform` overrides. */
  platforms?: string[];
}

export interface ConfigFile {
  /** `[cargo-vet] version`; undefined when the table is missing (⇒ "0.4"). */
  storeVersion?: string;
  defaultCriteria?: string;
  imports: Record<string, ImportConfig>;
  /** Key: `name` or `name:version`. */
  policy: Record<string, PolicyEntry>;
  exemptions: Record<string, ExemptionEntry[]>;
  vet?: VetSettings;
}

export interface UnpublishedEntry {
  version: string;
  auditedAs: string;
}

export interface PublisherEntry {
  version: string;
  /** YYYY-MM-DD (UTC publication date) */
  when: string;
  identity: PublisherIdentity;
  userLogin?: string;
  userName?: string;
}

export interface ImportsLockFile {
  unpublished: Record<string, UnpublishedEntry[]>;
  publisher: Record<string, PublisherEntry[]>;
  /** Per import name: the reduced foreign audits file (criteria already mapped to local names). */
  audits: Record<string, AuditsFile>;
  /** vet extension: last verified notary checkpoint per import (signed note text). */
  notaryCheckpoints?: Record<string, string>;
  /** vet extension: per import, per package, the approvals its notary's log revoked. */
  revoked?: Record<string, Record<string, RevokedAuditEntry[]>>;
}

export interface Store {
  config: ConfigFile;
  audits: AuditsFile;
  importsLock: ImportsLockFile;
}

export function emptyAuditsFile(): AuditsFile {
  return { criteria: dict(), wildcardAudits: dict(), audits: dict(), trusted: dict() };
}

export function emptyStore(): Store {
  return {
    config: { storeVersion: STORE_VERSION, imports: dict(), policy: dict(), exemptions: dict() },
    audits: emptyAuditsFile(),
    importsLock: { unpublished: dict(), publisher: dict(), audits: dict() },
  };
}
