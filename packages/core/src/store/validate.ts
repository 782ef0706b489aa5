/**
 * Store validation that cargo-vet runs before resolving (spec/cargo-vet-format.md §4.1,
 * §4.3, §7.8 step 1), collecting every problem with file and line (STYLE §8): criteria
 * definitions (built-in redeclared, implies cycles, > 64), unknown criteria names,
 * malformed versions, and local wildcard audits ending more than 12 months after today.
 */
import path from 'node:path';
import semver from 'semver';
import { VetValidationError, type Problem } from '../errors.js';
import { pep440Scheme } from '../version/pep440.js';
import { SAFE_TO_DEPLOY, SAFE_TO_RUN, type Store } from './model.js';
import { sourceLocationOf } from './parse-common.js';
import { AUDITS_TOML, CONFIG_TOML, IMPORTS_LOCK } from './files.js';
import { validateVetVersion } from './vet-version.js';
import { normalizeVersionReq } from './version-req.js';

export interface ValidateStoreOptions {
  /** "Today" as YYYY-MM-DD (UTC); the wildcard end-date rule depends on it. */
  today: string;
  /** Used to name files in problems when entries carry no parse location. */
  storeDir?: string;
}

/** Local + built-in criteria are capped by cargo-vet's 64-bit criteria set. */
const MAX_CRITERIA = 64;

interface Checker {
  problems: Problem[];
  files: { config: string; audits: string; lock: string };
  add(entry: object | undefined, fallbackFile: string, message: string): void;
}

function checker(opts: ValidateStoreOptions): Checker {
  const dir = opts.storeDir;
  const files = {
    config: dir === undefined ? CONFIG_TOML : path.join(dir, CONFIG_TOML),
    audits: dir === undefined ? AUDITS_TOML : path.join(dir, AUDITS_TOML),
    lock: dir === undefined ? IMPORTS_LOCK : path.join(dir, IMPORTS_LOCK),
  };
  const problems: Problem[] = [];
  return {
    problems,
    files,
    add(entry, fallbackFile, message) {
      const loc = entry === undefined ? undefined : sourceLocationOf(entry);
      const file = loc?.file ?? fallbackFile;
      problems.push(loc?.line === undefined ? { file, message } : { file, line: loc.line, message });
    },
  };
}

/** Every problem in `store`; empty when valid. */
export function collectStoreProblems(store: Store, opts: ValidateStoreOptions): Problem[] {
  const c = checker(opts);
  const known = checkCriteriaDefinitions(store, c);
  checkCriteriaUses(store, known, c);
  checkVersions(store, c);
  checkWildcardEnds(store, opts.today, c);
  checkVetSettings(store, c);
  return c.problems;
}

/** Throws INVALID_STORE listing every problem. */
export function validateStore(store: Store, opts: ValidateStoreOptions): void {
  const problems = collectStoreProblems(store, opts);
  if (problems.length > 0) throw new VetValidationError('INVALID_STORE', problems);
}

function checkCriteriaDefinitions(store: Store, c: Checker): Set<string> {
  const defs = store.audits.criteria;
  const known = new Set([SAFE_TO_RUN, SAFE_TO_DEPLOY, ...Object.keys(defs)]);
  for (const [name, e] of Object.entries(defs)) {
    if (name === SAFE_TO_RUN || name === SAFE_TO_DEPLOY) {
      c.add(e, c.files.audits, `criteria \`${name}\` redeclares a built-in criterion`);
    }
    for (const imp of e.implies) {
      if (!known.has(imp)) c.add(e, c.files.audits, `criteria \`${name}\` implies unknown criteria \`${imp}\``);
    }
  }
  const custom = Object.keys(defs).filter((n) => n !== SAFE_TO_RUN && n !== SAFE_TO_DEPLOY);
  if (custom.length + 2 > MAX_CRITERIA) {
    c.problems.push({
      file: c.files.audits,
      message: `too many criteria: ${custom.length + 2} (at most ${MAX_CRITERIA} including the built-ins)`,
    });
  }
  for (const name of impliesCycles(store)) c.add(defs[name], c.files.audits, `criteria \`${name}\` implies itself`);
  return known;
}

/** Criteria that reach themselves through `implies` (each reported once). */
function impliesCycles(store: Store): string[] {
  const defs = store.audits.criteria;
  const out: string[] = [];
  for (const start of Object.keys(defs)) {
    const seen = new Set<string>();
    const stack = [...(defs[start]?.implies ?? [])];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (n === start) {
        out.push(start);
        break;
      }
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(defs[n]?.implies ?? []));
    }
  }
  return out;
}

function checkCriteriaUses(store: Store, known: Set<string>, c: Checker): void {
  const check = (
    entry: object | undefined,
    file: string,
    where: string,
    names: readonly string[] | undefined,
  ): void => {
    for (const n of names ?? []) if (!known.has(n)) c.add(entry, file, `${where}: unknown criteria \`${n}\``);
  };
  // Named only when something is unknown: thousands of exemptions and audits are each checked.
  const allKnown = (names: readonly string[]): boolean => names.every((n) => known.has(n));
  const { config, audits } = store;
  if (config.defaultCriteria !== undefined)
    check(undefined, c.files.config, 'default-criteria', [config.defaultCriteria]);
  for (const [crate, list] of Object.entries(audits.audits)) {
    for (const a of list) if (!allKnown(a.criteria)) check(a, c.files.audits, `audit of \`${crate}\``, a.criteria);
  }
  for (const [crate, list] of Object.entries(audits.wildcardAudits)) {
    for (const w of list) check(w, c.files.audits, `wildcard audit of \`${crate}\``, w.criteria);
  }
  // Trusted-entry criteria are not checked here, as in cargo-vet (§4.4).
  for (const [crate, list] of Object.entries(config.exemptions)) {
    for (const e of list)
      if (!allKnown(e.criteria)) check(e, c.files.config, `exemption of \`${crate}\` ${e.version}`, e.criteria);
  }
  for (const [key, p] of Object.entries(config.policy)) {
    check(p, c.files.config, `policy \`${key}\` criteria`, p.criteria);
    check(p, c.files.config, `policy \`${key}\` dev-criteria`, p.devCriteria);
    for (const [dep, names] of Object.entries(p.dependencyCriteria ?? {})) {
      check(p, c.files.config, `policy \`${key}\` dependency-criteria.${dep}`, names);
    }
  }
  for (const [name, imp] of Object.entries(config.imports)) {
    for (const [theirs, ours] of Object.entries(imp.criteriaMap)) {
      check(imp, c.files.config, `import \`${name}\` criteria-map.${theirs}`, ours);
    }
  }
}

type Ecosystem = 'cargo' | 'npm' | 'pypi';

function ecosystemOf(store: Store): Ecosystem {
  const e = store.config.vet?.ecosystem;
  return e === 'npm' || e === 'pypi' ? e : 'cargo';
}

/** undefined when `v` is a version of the store's ecosystem, else why not. */
export function storeVersionProblem(v: string, ecosystem: Ecosystem): string | undefined {
  if (ecosystem === 'pypi') return pep440Scheme.validate(v) === undefined ? undefined : `not a PEP 440 version: "${v}"`;
  // npm takes cargo-vet's `x.y.z@git:<commit>` too: a git dependency's identity is its commit (issue 10).
  return validateVetVersion(v);
}

function requirementProblem(req: string, ecosystem: Ecosystem): string | undefined {
  if (ecosystem === 'pypi') return pep440Scheme.validateRequirement(req);
  if (ecosystem === 'npm') return semver.validRange(req) === null ? `not a version range: "${req}"` : undefined;
  return normalizeVersionReq(req) === undefined ? `not a version requirement: "${req}"` : undefined;
}

function checkVersions(store: Store, c: Checker): void {
  const eco = ecosystemOf(store);
  // `where` names the entry, built only for a problem (thousands of entries are checked).
  const check = (entry: object, file: string, where: () => string, v: string): void => {
    const why = storeVersionProblem(v, eco);
    if (why !== undefined) c.add(entry, file, `${where()}: ${why}`);
  };
  const auditFiles = [
    [store.audits, c.files.audits] as const,
    ...Object.values(store.importsLock.audits).map((a) => [a, c.files.lock] as const),
  ];
  for (const [file, fileName] of auditFiles) {
    for (const [crate, list] of Object.entries(file.audits)) {
      const where = () => `audit of \`${crate}\``;
      for (const a of list) {
        if (a.kind === 'full') check(a, fileName, where, a.version ?? '');
        else if (a.kind === 'delta') {
          check(a, fileName, where, a.delta?.from ?? '');
          check(a, fileName, where, a.delta?.to ?? '');
        } else {
          const why = requirementProblem(a.violation ?? '', eco);
          if (why !== undefined) c.add(a, fileName, `${where()}: ${why}`);
        }
      }
    }
  }
  for (const [crate, list] of Object.entries(store.config.exemptions)) {
    const where = () => `exemption of \`${crate}\``;
    for (const e of list) check(e, c.files.config, where, e.version);
  }
  for (const [key, p] of Object.entries(store.config.policy)) {
    const colon = key.indexOf(':');
    if (colon >= 0) check(p, c.files.config, () => `policy \`${key}\``, key.slice(colon + 1));
  }
  for (const [crate, rows] of Object.entries(store.importsLock.unpublished)) {
    for (const r of rows) {
      check(r, c.files.lock, () => `unpublished row of \`${crate}\``, r.version);
      check(r, c.files.lock, () => `unpublished row of \`${crate}\` audited_as`, r.auditedAs);
    }
  }
  for (const [crate, rows] of Object.entries(store.importsLock.publisher)) {
    const where = () => `publisher row of \`${crate}\``;
    for (const r of rows) check(r, c.files.lock, where, r.version);
  }
}

/** `date` + n calendar months, clamped to the month's last day (chrono `Months`). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

function checkWildcardEnds(store: Store, today: string, c: Checker): void {
  const max = addMonths(today, 12);
  for (const [crate, list] of Object.entries(store.audits.wildcardAudits)) {
    for (const w of list) {
      if (w.end > max) {
        c.add(
          w,
          c.files.audits,
          `wildcard audit of \`${crate}\` ends ${w.end}, more than 12 months after today (${today}); the latest allowed end is ${max}`,
        );
      }
    }
  }
}

function checkVetSettings(store: Store, c: Checker): void {
  const rn = store.config.vet?.requireNotaries;
  if (rn === undefined) return;
  for (const name of rn.imports) {
    if (store.config.imports[name]?.notary === undefined) {
      c.problems.push({
        file: c.files.config,
        message: `[vet.require-notaries] names \`${name}\`, which is not an import with a notary`,
      });
    }
  }
  if (rn.threshold < 1 || rn.threshold > rn.imports.length) {
    c.problems.push({
      file: c.files.config,
      message: `[vet.require-notaries] threshold ${rn.threshold} must be between 1 and ${rn.imports.length}`,
    });
  }
}
