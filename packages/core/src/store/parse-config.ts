/**
 * config.toml (spec/cargo-vet-format.md §3) plus vet's optional extensions: the `[vet]`
 * table and `[imports.X.notary]`. Like cargo-vet, unknown keys are dropped, not fatal; we
 * report them as warnings so `--locked` can say why the file is not canonical (§3.5, §9.1).
 */
import type {
  ConfigFile,
  ExemptionEntry,
  ImportConfig,
  NotaryImportConfig,
  PolicyEntry,
  VetSettings,
} from './model.js';
import {
  EntryReader,
  FileContext,
  arrayOfTables,
  isTable,
  tableOf,
  type ParseOptions,
  type TomlTable,
} from './parse-common.js';
import { dict } from '../dict.js';
import { parseConfigToml } from './exemptions-toml.js';
import { platformNameProblem } from '../platform/names.js';

const TOP_KEYS = ['cargo-vet', 'default-criteria', 'imports', 'policy', 'exemptions', 'unaudited', 'vet'] as const;
const IMPORT_KEYS = ['url', 'exclude', 'criteria-map', 'notary'] as const;
const NOTARY_KEYS = ['url', 'key', 'max-age-seconds', 'witnesses', 'witness-quorum'] as const;
const POLICY_KEYS = ['audit-as-crates-io', 'criteria', 'dev-criteria', 'dependency-criteria', 'notes'] as const;
const EXEMPTION_KEYS = ['version', 'criteria', 'suggest', 'notes'] as const;
const VET_KEYS = ['ecosystem', 'require-notaries', 'deny-deprecated', 'platforms'] as const;
const REQUIRE_NOTARIES_KEYS = ['imports', 'threshold', 'packages'] as const;

export function parseConfig(text: string, fileName: string, opts: ParseOptions = {}): ConfigFile {
  const ctx = new FileContext(fileName, text, opts);
  const doc = parseConfigToml(text, fileName);
  new EntryReader(ctx, doc, [], undefined, 'config file').unknownKeys(TOP_KEYS, 'record');
  const cfg: ConfigFile = {
    imports: readImports(ctx, tableOf(ctx, doc['imports'], ['imports'])),
    policy: readPolicies(ctx, tableOf(ctx, doc['policy'], ['policy'])),
    exemptions: readExemptions(ctx, doc),
  };
  const storeVersion = readStoreVersion(ctx, doc['cargo-vet']);
  if (storeVersion !== undefined) cfg.storeVersion = storeVersion;
  const root = new EntryReader(ctx, doc, [], undefined, 'config file');
  const defaultCriteria = root.str('default-criteria');
  root.flush(false);
  if (defaultCriteria !== undefined) cfg.defaultCriteria = defaultCriteria;
  const vet = readVet(ctx, doc['vet']);
  if (vet !== undefined) cfg.vet = vet;
  ctx.finish();
  return cfg;
}

function readStoreVersion(ctx: FileContext, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const r = new EntryReader(ctx, isTable(v) ? v : {}, ['cargo-vet'], undefined, '[cargo-vet]');
  if (!isTable(v)) r.fail('must be a table');
  const version = r.str('version', isTable(v));
  if (version !== undefined && !/^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/.test(version)) {
    r.fail(`store version must look like "0.10", got "${version}"`, 'version');
  }
  r.unknownKeys(['version'], 'record');
  return r.flush(false) ? version : undefined;
}

function readImports(ctx: FileContext, t: TomlTable | undefined): Record<string, ImportConfig> {
  const out = dict<ImportConfig>();
  for (const [name, v] of Object.entries(t ?? {})) {
    const r = new EntryReader(ctx, isTable(v) ? v : {}, ['imports', name], undefined, `import \`${name}\``);
    if (!isTable(v)) r.fail('must be a table');
    const url = r.list('url');
    if (url === undefined && isTable(v)) r.fail('missing field `url`');
    const exclude = r.obj['exclude'];
    if (exclude !== undefined && !(Array.isArray(exclude) && exclude.every((x) => typeof x === 'string'))) {
      r.fail('`exclude` must be a list of crate names', 'exclude');
    }
    const imp: ImportConfig = {
      url: url ?? [],
      exclude: Array.isArray(exclude) ? (exclude as string[]) : [],
      criteriaMap: r.listMap('criteria-map') ?? dict(),
    };
    const notary = readNotary(ctx, r, name);
    if (notary !== undefined) imp.notary = notary;
    r.unknownKeys(IMPORT_KEYS, 'record');
    if (r.flush(false)) {
      r.remember(imp);
      out[name] = imp;
    }
  }
  return out;
}

function readNotary(ctx: FileContext, parent: EntryReader, name: string): NotaryImportConfig | undefined {
  const v = parent.obj['notary'];
  if (v === undefined) return undefined;
  const r = new EntryReader(
    ctx,
    isTable(v) ? v : {},
    ['imports', name, 'notary'],
    undefined,
    `import \`${name}\` notary`,
  );
  if (!isTable(v)) r.fail('must be a table');
  const n: NotaryImportConfig = { url: r.str('url', true) ?? '', key: r.str('key', true) ?? '' };
  const maxAge = r.int('max-age-seconds');
  if (maxAge !== undefined) n.maxAgeSeconds = maxAge;
  const witnesses = r.obj['witnesses'];
  if (witnesses !== undefined) {
    if (Array.isArray(witnesses) && witnesses.every((x) => typeof x === 'string')) n.witnesses = witnesses;
    else r.fail('`witnesses` must be a list of verifier keys', 'witnesses');
  }
  const quorum = r.int('witness-quorum');
  if (quorum !== undefined) n.witnessQuorum = quorum;
  r.unknownKeys(NOTARY_KEYS, 'record');
  return r.flush(false) ? n : undefined;
}

function readPolicies(ctx: FileContext, t: TomlTable | undefined): Record<string, PolicyEntry> {
  const out = dict<PolicyEntry>();
  const versioning = new Map<string, boolean>();
  for (const [key, v] of Object.entries(t ?? {})) {
    const r = new EntryReader(ctx, isTable(v) ? v : {}, ['policy', key], undefined, `policy \`${key}\``);
    if (!isTable(v)) r.fail('must be a table');
    const colon = key.indexOf(':');
    const crate = colon >= 0 ? key.slice(0, colon) : key;
    const seen = versioning.get(crate);
    if (seen !== undefined && seen !== colon >= 0) r.fail(`cannot mix versioned and unversioned policies for ${crate}`);
    versioning.set(crate, colon >= 0);
    const p: PolicyEntry = {};
    const aaci = r.bool('audit-as-crates-io');
    if (aaci !== undefined) p.auditAsCratesIo = aaci;
    const criteria = r.list('criteria');
    if (criteria !== undefined) p.criteria = criteria;
    const devCriteria = r.list('dev-criteria');
    if (devCriteria !== undefined) p.devCriteria = devCriteria;
    const depCriteria = r.listMap('dependency-criteria');
    if (depCriteria !== undefined) p.dependencyCriteria = depCriteria;
    const notes = r.str('notes');
    if (notes !== undefined) p.notes = notes;
    r.unknownKeys(POLICY_KEYS, 'record');
    if (r.flush(false)) {
      r.remember(p);
      out[key] = p;
    }
  }
  return out;
}

function readExemptions(ctx: FileContext, doc: TomlTable): Record<string, ExemptionEntry[]> {
  if (doc['exemptions'] !== undefined && doc['unaudited'] !== undefined) {
    ctx.problem('duplicate field `exemptions` (`unaudited` is its old name; keep one)', ctx.loc.key([], 'unaudited'));
  }
  const name = doc['exemptions'] !== undefined ? 'exemptions' : 'unaudited';
  const out = dict<ExemptionEntry[]>();
  for (const [crate, list] of Object.entries(tableOf(ctx, doc[name], [name]) ?? {})) {
    const readers = arrayOfTables(ctx, list, [name, crate], `exemption for \`${crate}\``);
    if (readers === undefined) continue;
    out[crate] = [];
    for (const r of readers) {
      const e: ExemptionEntry = {
        version: r.str('version', true) ?? '',
        criteria: r.list('criteria') ?? [],
        suggest: r.bool('suggest') ?? true,
      };
      const notes = r.str('notes');
      if (notes !== undefined) e.notes = notes;
      r.unknownKeys(EXEMPTION_KEYS, 'record');
      if (r.flush(false)) {
        r.remember(e);
        out[crate].push(e);
      }
    }
  }
  return out;
}

/** `platforms = ["linux-x64-glibc", …]`: every name checked (platform/names.ts). */
function readPlatforms(r: EntryReader): string[] | undefined {
  const v = r.obj['platforms'];
  if (v === undefined) return undefined;
  if (!(Array.isArray(v) && v.every((x) => typeof x === 'string'))) {
    r.fail('`platforms` must be a list of platform names such as "linux-x64-glibc"', 'platforms');
    return undefined;
  }
  for (const name of v) {
    const problem = platformNameProblem(name);
    if (problem !== undefined) r.fail(`\`platforms\`: "${name}": ${problem}`, 'platforms');
  }
  return v;
}

function readVet(ctx: FileContext, v: unknown): VetSettings | undefined {
  if (v === undefined) return undefined;
  const r = new EntryReader(ctx, isTable(v) ? v : {}, ['vet'], undefined, '[vet]');
  if (!isTable(v)) r.fail('must be a table');
  const s: VetSettings = {};
  const eco = r.str('ecosystem');
  if (eco !== undefined) {
    if (['npm', 'pypi', 'cargo'].includes(eco)) s.ecosystem = eco;
    else r.fail(`\`ecosystem\` must be "npm", "pypi" or "cargo", got "${eco}"`, 'ecosystem');
  }
  const deny = r.bool('deny-deprecated');
  if (deny !== undefined) s.denyDeprecated = deny;
  const platforms = readPlatforms(r);
  if (platforms !== undefined) s.platforms = platforms;
  const rn = r.obj['require-notaries'];
  if (rn !== undefined) {
    const q = new EntryReader(
      ctx,
      isTable(rn) ? rn : {},
      ['vet', 'require-notaries'],
      undefined,
      '[vet.require-notaries]',
    );
    if (!isTable(rn)) q.fail('must be a table');
    const imports = q.obj['imports'];
    if (!(Array.isArray(imports) && imports.every((x) => typeof x === 'string')))
      q.fail('`imports` must be a list of import names', 'imports');
    const threshold = q.int('threshold', true);
    const req: NonNullable<VetSettings['requireNotaries']> = {
      imports: Array.isArray(imports) ? (imports as string[]) : [],
      threshold: threshold ?? 0,
    };
    const packages = q.obj['packages'];
    if (packages !== undefined) {
      if (Array.isArray(packages) && packages.every((x) => typeof x === 'string')) req.packages = packages;
      else q.fail('`packages` must be a list of package names', 'packages');
    }
    q.unknownKeys(REQUIRE_NOTARIES_KEYS, 'record');
    if (q.flush(false)) s.requireNotaries = req;
  }
  r.unknownKeys(VET_KEYS, 'record');
  return r.flush(false) ? s : undefined;
}
