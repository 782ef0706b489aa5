/**
 * Small builders for resolver tests (STYLE §13): store entries with cargo-vet defaults
 * and a graph from a `{ "name@version": { deps, dev, build } }` table.
 */
import type { DependencyGraph, EdgeKind, Ecosystem, PackageNode } from '../../graph.js';
import type {
  AuditEntry,
  ExemptionEntry,
  PolicyEntry,
  PublisherEntry,
  PublisherIdentity,
  Store,
  TrustedEntry,
  WildcardAuditEntry,
} from '../../store/model.js';
import { emptyAuditsFile, emptyStore } from '../../store/model.js';

type Criteria = string | string[];
const list = (c: Criteria): string[] => (typeof c === 'string' ? [c] : c);

export function fullAudit(
  version: string,
  criteria: Criteria = 'safe-to-deploy',
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  return { who: [], criteria: list(criteria), kind: 'full', version, importable: true, aggregatedFrom: [], ...extra };
}

export function deltaAudit(
  from: string,
  to: string,
  criteria: Criteria = 'safe-to-deploy',
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  return {
    who: [],
    criteria: list(criteria),
    kind: 'delta',
    delta: { from, to },
    importable: true,
    aggregatedFrom: [],
    ...extra,
  };
}

export function violation(
  requirement: string,
  criteria: Criteria = 'safe-to-deploy',
  extra: Partial<AuditEntry> = {},
): AuditEntry {
  return {
    who: [],
    criteria: list(criteria),
    kind: 'violation',
    violation: requirement,
    importable: true,
    aggregatedFrom: [],
    ...extra,
  };
}

export function exemption(
  version: string,
  criteria: Criteria = 'safe-to-deploy',
  extra: Partial<ExemptionEntry> = {},
): ExemptionEntry {
  return { version, criteria: list(criteria), suggest: true, ...extra };
}

export const userId = (id: number): PublisherIdentity => ({ kind: 'user-id', userId: id });
export const login = (name: string): PublisherIdentity => ({ kind: 'user-login', userLogin: name });

export function wildcard(
  identity: PublisherIdentity,
  start: string,
  end: string,
  criteria: Criteria = 'safe-to-deploy',
): WildcardAuditEntry {
  return { who: [], criteria: list(criteria), identity, start, end, aggregatedFrom: [] };
}

export function trusted(
  identity: PublisherIdentity,
  start: string,
  end: string,
  criteria: Criteria = 'safe-to-deploy',
): TrustedEntry {
  return { criteria: list(criteria), identity, start, end, aggregatedFrom: [] };
}

export function publisher(
  version: string,
  when: string,
  identity: PublisherIdentity,
  userLogin?: string,
): PublisherEntry {
  return { version, when, identity, ...(userLogin ? { userLogin } : {}) };
}

export interface StoreSpec {
  criteria?: Record<string, { implies?: string[] }>;
  audits?: Record<string, AuditEntry[]>;
  wildcardAudits?: Record<string, WildcardAuditEntry[]>;
  trusted?: Record<string, TrustedEntry[]>;
  exemptions?: Record<string, ExemptionEntry[]>;
  policy?: Record<string, PolicyEntry>;
  imports?: Record<
    string,
    {
      audits?: Record<string, AuditEntry[]>;
      wildcardAudits?: Record<string, WildcardAuditEntry[]>;
      trusted?: Record<string, TrustedEntry[]>;
    }
  >;
  publisher?: Record<string, PublisherEntry[]>;
  unpublished?: Record<string, Array<{ version: string; auditedAs: string }>>;
}

export function storeOf(spec: StoreSpec = {}): Store {
  const s = emptyStore();
  for (const [name, c] of Object.entries(spec.criteria ?? {})) {
    s.audits.criteria[name] = { description: name, implies: c.implies ?? [], aggregatedFrom: [] };
  }
  s.audits.audits = spec.audits ?? {};
  s.audits.wildcardAudits = spec.wildcardAudits ?? {};
  s.audits.trusted = spec.trusted ?? {};
  s.config.exemptions = spec.exemptions ?? {};
  s.config.policy = spec.policy ?? {};
  for (const [name, imp] of Object.entries(spec.imports ?? {})) {
    s.config.imports[name] = { url: [`https://example.test/${name}/audits.toml`], exclude: [], criteriaMap: {} };
    s.importsLock.audits[name] = {
      ...emptyAuditsFile(),
      audits: imp.audits ?? {},
      wildcardAudits: imp.wildcardAudits ?? {},
      trusted: imp.trusted ?? {},
    };
  }
  s.importsLock.publisher = spec.publisher ?? {};
  s.importsLock.unpublished = spec.unpublished ?? {};
  return s;
}

export interface NodeSpec {
  deps?: string[];
  dev?: string[];
  build?: string[];
  /** Default: true for keys without a version ("app"), else false. */
  member?: boolean;
  /** Default: same as member. */
  firstParty?: boolean;
  /** Override the name / version taken from the key (the key stays the node id). */
  name?: string;
  version?: string;
}

/** "serde@1.0.0" → ["serde", "1.0.0"]; "@scope/x@1.0.0" and "x@1.0.0@git:…" work too. */
export function splitKey(key: string): [string, string | undefined] {
  const m = /^(@?[^@]+)@(.+)$/.exec(key);
  return m ? [m[1]!, m[2]!] : [key, undefined];
}

/** Node ids are the table keys; unversioned keys are workspace members at 0.1.0. */
export function graphOf(table: Record<string, NodeSpec>, ecosystem: Ecosystem = 'cargo'): DependencyGraph {
  const nodes: PackageNode[] = Object.entries(table).map(([key, spec]) => {
    const [keyName, keyVersion] = splitKey(key);
    const name = spec.name ?? keyName;
    const version = spec.version ?? keyVersion;
    const member = spec.member ?? version === undefined;
    const edges = (ids: string[] | undefined, kind: EdgeKind) => (ids ?? []).map((to) => ({ to, kind }));
    return {
      id: key,
      name,
      version: version ?? '0.1.0',
      source: { kind: member ? 'workspace' : 'registry' },
      integrity: [],
      firstParty: spec.firstParty ?? member,
      workspaceMember: member,
      deps: [...edges(spec.deps, 'normal'), ...edges(spec.build, 'build'), ...edges(spec.dev, 'dev')],
    };
  });
  for (const n of nodes) {
    for (const e of n.deps) if (!table[e.to]) throw new Error(`graphOf: ${n.id} depends on unknown ${e.to}`);
  }
  return { ecosystem, lockfile: 'Cargo.lock', format: 'test', nodes, warnings: [] };
}
