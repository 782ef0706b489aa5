/**
 * Canonical config.toml and imports.lock writers (spec/cargo-vet-format.md §3, §5, §9).
 * vet's extensions (`[vet]`, `[imports.X.notary]`, `[notary-checkpoints]`, `user-login`
 * identities) are written only when set, so a plain cargo-vet store round-trips unchanged.
 */
import {
  DEFAULT_CRITERIA,
  type ConfigFile,
  type ImportConfig,
  type ImportsLockFile,
  type PolicyEntry,
  type VetSettings,
} from './model.js';
import { TomlDoc, writeToml } from './toml-writer.js';
import {
  auditOrder,
  exemptionOrder,
  publisherOrder,
  sorted,
  sortedKeys,
  unpublishedOrder,
  type VersionCompare,
} from './sort.js';
import { auditDoc, fillAuditsDoc, setIdentity, userInfoFromLock, type SerializeOptions } from './serialize-audits.js';
import { compareVetVersions, compareBytes } from './vet-version.js';
import { MISSING_STORE_VERSION } from './store-version.js';

export const CONFIG_HEADER = '\n# cargo-vet config file\n';
export const IMPORTS_LOCK_HEADER = '\n# cargo-vet imports lock\n';

export function serializeConfig(cfg: ConfigFile, opts: SerializeOptions = {}): string {
  const v = opts.compareVersions ?? compareVetVersions;
  const doc = new TomlDoc();
  if (cfg.defaultCriteria !== undefined && cfg.defaultCriteria !== DEFAULT_CRITERIA)
    doc.set('default-criteria', cfg.defaultCriteria);
  doc.table('cargo-vet').set('version', cfg.storeVersion ?? MISSING_STORE_VERSION);
  if (cfg.vet !== undefined) vetDoc(doc, cfg.vet);
  const imports = sortedKeys(cfg.imports);
  if (imports.length > 0) {
    const t = doc.table('imports');
    for (const name of imports) importDoc(t.table(name), cfg.imports[name]!);
  }
  const policies = sortedKeys(cfg.policy);
  if (policies.length > 0) {
    const t = doc.table('policy');
    for (const key of policies) policyDoc(t.table(key), cfg.policy[key]!);
  }
  if (Object.values(cfg.exemptions).some((l) => l.length > 0)) {
    const t = doc.table('exemptions');
    const order = exemptionOrder(v);
    for (const crate of sortedKeys(cfg.exemptions)) {
      const list = sorted(cfg.exemptions[crate] ?? [], order);
      t.array(
        crate,
        list.map((e) =>
          new TomlDoc()
            .set('version', e.version)
            .setList('criteria', e.criteria)
            .set('suggest', e.suggest ? undefined : false)
            .set('notes', e.notes),
        ),
      );
    }
  }
  return writeToml(doc, CONFIG_HEADER, opts);
}

function vetDoc(doc: TomlDoc, s: VetSettings): void {
  if (
    s.ecosystem === undefined &&
    s.requireNotaries === undefined &&
    s.denyDeprecated === undefined &&
    s.platforms === undefined
  )
    return;
  const t = doc.table('vet').set('ecosystem', s.ecosystem);
  if (s.requireNotaries !== undefined) {
    t.table('require-notaries')
      .set('imports', s.requireNotaries.imports)
      .set('threshold', s.requireNotaries.threshold)
      .set('packages', s.requireNotaries.packages);
  }
  t.set('deny-deprecated', s.denyDeprecated);
  t.set('platforms', s.platforms);
}

function importDoc(t: TomlDoc, imp: ImportConfig): void {
  // `exclude` is a plain list in cargo-vet (never collapsed to a bare string).
  t.setList('url', imp.url).set('exclude', imp.exclude.length > 0 ? imp.exclude : undefined);
  const keys = sortedKeys(imp.criteriaMap);
  if (keys.length > 0) {
    const m = t.table('criteria-map');
    for (const k of keys) m.setList(k, imp.criteriaMap[k]);
  }
  if (imp.notary !== undefined) {
    const n = imp.notary;
    t.table('notary')
      .set('url', n.url)
      .set('key', n.key)
      .set('max-age-seconds', n.maxAgeSeconds)
      .set('witnesses', n.witnesses)
      .set('witness-quorum', n.witnessQuorum);
  }
}

function policyDoc(t: TomlDoc, p: PolicyEntry): void {
  t.set('audit-as-crates-io', p.auditAsCratesIo).setList('criteria', p.criteria).setList('dev-criteria', p.devCriteria);
  const deps = p.dependencyCriteria ?? {};
  const keys = Object.keys(deps).sort(compareBytes);
  if (keys.length > 0)
    t.setInline(
      'dependency-criteria',
      keys.map((k) => [k, deps[k]!]),
    );
  t.set('notes', p.notes);
}

export function serializeImportsLock(lock: ImportsLockFile, opts: SerializeOptions = {}): string {
  const v = opts.compareVersions ?? compareVetVersions;
  const doc = new TomlDoc();
  if (Object.values(lock.unpublished).some((l) => l.length > 0)) {
    const t = doc.table('unpublished');
    for (const crate of sortedKeys(lock.unpublished)) {
      const rows = dedupe(sorted(lock.unpublished[crate] ?? [], unpublishedOrder(v)), unpublishedOrder(v));
      t.array(
        crate,
        rows.map((r) => new TomlDoc().set('version', r.version).set('audited_as', r.auditedAs)),
      );
    }
  }
  if (Object.values(lock.publisher).some((l) => l.length > 0)) {
    const t = doc.table('publisher');
    for (const crate of sortedKeys(lock.publisher)) {
      const rows = sorted(lock.publisher[crate] ?? [], publisherOrder(v));
      t.array(
        crate,
        rows.map((r) => {
          const d = setIdentity(new TomlDoc().set('version', r.version).set('when', r.when), r.identity, undefined);
          if (r.identity.kind === 'user-id') d.set('user-login', r.userLogin);
          if (r.identity.kind !== 'trusted-publisher') d.set('user-name', r.userName);
          return d;
        }),
      );
    }
  }
  const names = sortedKeys(lock.audits);
  if (names.length > 0) {
    const users = userInfoFromLock(lock);
    const t = doc.table('audits');
    for (const name of names) fillAuditsDoc(t.table(name), lock.audits[name]!, users, v);
  }
  const checkpoints = lock.notaryCheckpoints ?? {};
  if (Object.keys(checkpoints).length > 0) {
    const t = doc.table('notary-checkpoints');
    for (const name of sortedKeys(checkpoints)) t.set(name, checkpoints[name]);
  }
  writeRevoked(doc, lock, v);
  return writeToml(doc, IMPORTS_LOCK_HEADER, opts);
}

/** vet extension `[[revoked.<import>.<package>]]`: imports and packages sorted, entries in audit order. */
function writeRevoked(doc: TomlDoc, lock: ImportsLockFile, v: VersionCompare): void {
  const revoked = lock.revoked ?? {};
  const names = sortedKeys(revoked).filter((n) => Object.values(revoked[n]!).some((l) => l.length > 0));
  if (names.length === 0) return;
  const t = doc.table('revoked');
  for (const name of names) {
    const byPkg = revoked[name]!;
    const it = t.table(name);
    for (const pkg of sortedKeys(byPkg).filter((p) => byPkg[p]!.length > 0))
      it.array(
        pkg,
        sorted(byPkg[pkg]!, auditOrder(v)).map((e) => auditDoc(e).set('revoked-by', e.revokedBy)),
      );
  }
}

function dedupe<T>(list: T[], cmp: (a: T, b: T) => number): T[] {
  return list.filter((x, i) => i === 0 || cmp(list[i - 1]!, x) !== 0);
}
