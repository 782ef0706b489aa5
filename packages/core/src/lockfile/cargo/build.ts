/**
 * Cargo.lock + manifests → the DependencyGraph cargo-vet would get from
 * `cargo metadata --all-features` (spec/cargo-vet-format.md §7.1–7.2): nodes keep Cargo.lock's
 * sources (Cargo's default registry ⇒ third-party, everything else first-party; which source
 * that is comes from the workspace, default-registry.ts), members come from the
 * workspace rules, edge kinds from the manifests of first-party packages (third-party edges
 * are all normal), dev edges only from members, `build.target` filters platform-specific
 * edges, dependencies on crates without a library target are dropped, and finally only what
 * is reachable from the members stays — as cargo metadata walks from the members.
 */
import { VetError, VetValidationError, type Problem } from '../../errors.js';
import type { DependencyEdge, DependencyGraph, PackageNode } from '../../graph.js';
import { parseCargoConfig, type CargoConfig, type CargoConfigFile } from './config.js';
import { defaultRegistrySources } from './default-registry.js';
import { edgeKindsFor, platformsOf, type EdgeSpec } from './edges.js';
import type { CrateFactsProvider } from './facts.js';
import { resolveManifest, type ResolvedManifest } from './inherit.js';
import { CargoLockIndex, assignPathDirs } from './lock-index.js';
import type { CargoLock, CargoLockPackage } from './lock.js';
import { parseCargoManifest, type CargoDepDecl, type CargoManifest } from './manifest.js';
import { normalizeRelDir } from './paths.js';
import { classifySource, vetVersion } from './source.js';
import { findWorkspaceMembers } from './workspace.js';

export interface BuildCargoGraphInput {
  lock: CargoLock;
  /** Cargo.toml texts keyed by workspace-relative directory ("" or "." = the root). */
  manifests: Record<string, string>;
  /** `.cargo/config.toml` text, or several config files lowest precedence first (includes before includer). */
  config?: string | CargoConfigFile[];
  crateFacts?: CrateFactsProvider;
  /** CARGO_BUILD_TARGET: overrides the config's `[build] target`. */
  buildTarget?: string | string[];
  /**
   * `parseCargoManifest(manifests[dir], dir)` for some keys, when the caller already parsed
   * them (readCargoInputs does, to follow path dependencies): not parsed twice.
   */
  parsedManifests?: ReadonlyMap<string, CargoManifest>;
}

interface Ctx {
  index: CargoLockIndex;
  manifests: Map<string, ResolvedManifest>;
  members: Set<string>;
  pathDirs: Map<number, string>;
  buildTargets: string[] | undefined;
  /** The default registry's source ids (third-party). */
  defaults: Set<string>;
  crateFacts: CrateFactsProvider | undefined;
  /** Published manifests' declarations, by package (publishedDeps). */
  published: Map<string, CargoDepDecl[] | undefined>;
  warnings: string[];
  problems: Problem[];
}

export function buildCargoGraph(input: BuildCargoGraphInput): DependencyGraph {
  const ctx = makeContext(input);
  const ids = nodeIds(ctx);
  const nodes = input.lock.packages.map((p, i) => makeNode(ctx, p, i, ids));
  input.lock.packages.forEach((p, i) => {
    nodes[i]!.deps = edgesOf(ctx, p, i, ids);
  });
  if (ctx.problems.length > 0) throw new VetValidationError('PARSE_ERROR', ctx.problems, { file: input.lock.fileName });
  checkMembersLocked(ctx, nodes);
  const kept = reachableFromMembers(nodes, ctx.warnings);
  kept.sort((a, b) => cmp(a.name, b.name) || cmp(a.version, b.version) || cmp(a.id, b.id));
  return {
    ecosystem: 'cargo',
    lockfile: input.lock.fileName,
    format: `Cargo.lock v${input.lock.version}`,
    nodes: kept,
    warnings: ctx.warnings,
  };
}

function makeContext(input: BuildCargoGraphInput): Ctx {
  const warnings = [...input.lock.warnings];
  const parsed = new Map<string, ReturnType<typeof parseCargoManifest>>();
  for (const [dir, text] of Object.entries(input.manifests)) {
    const rel = normalizeRelDir(dir);
    const known = rel === dir ? input.parsedManifests?.get(dir) : undefined;
    parsed.set(rel, known ?? parseCargoManifest(text, rel));
  }
  const root = parsed.get('');
  if (!root) throw new VetError('INVALID_ARGUMENT', 'buildCargoGraph needs the root Cargo.toml (key "")');
  const manifests = new Map([...parsed].map(([dir, m]) => [dir, resolveManifest(m, root, warnings)] as const));
  const index = new CargoLockIndex(input.lock);
  const config = configOf(input);
  const pathDirs = assignPathDirs(input.lock, manifests, warnings);
  const patches = [...(manifests.get('')?.manifest.patches ?? []), ...config.patches];
  return {
    index,
    manifests,
    members: findWorkspaceMembers(manifests, warnings),
    pathDirs,
    buildTargets: buildTargetsOf(input, config, warnings),
    defaults: defaultRegistrySources({ index, manifests, pathDirs, patches, alternativeRegistries: config.registries }),
    crateFacts: input.crateFacts,
    published: new Map(),
    warnings,
    problems: [],
  };
}

function configOf(input: BuildCargoGraphInput): CargoConfig {
  const files =
    typeof input.config === 'string' ? [{ fileName: '.cargo/config.toml', text: input.config }] : (input.config ?? []);
  return parseCargoConfig(files);
}

function buildTargetsOf(input: BuildCargoGraphInput, config: CargoConfig, warnings: string[]): string[] | undefined {
  const configured = config.buildTargets;
  const env = input.buildTarget === undefined ? undefined : [input.buildTarget].flat();
  const targets = env ?? configured;
  if (targets && targets.length > 0) {
    warnings.push(
      `build.target = ${targets.join(', ')}: platform-specific edges of first-party manifests are filtered by an ` +
        'approximate cfg evaluation; third-party crates are filtered only when crateFacts supplies their manifest',
    );
  }
  return targets && targets.length > 0 ? targets : undefined;
}

/** `name@version`, plus ` (<source>)` for packages sharing name and version (spec §14 trap 16). */
function nodeIds(ctx: Ctx): string[] {
  const pkgs = ctx.index.lock.packages;
  const base = pkgs.map(
    (p, i) => `${p.name}@${vetVersion(p.version, classifySource(p.source, ctx.pathDirs.get(i), ctx.defaults))}`,
  );
  const counts = new Map<string, number>();
  for (const b of base) counts.set(b, (counts.get(b) ?? 0) + 1);
  return base.map((b, i) => {
    if (counts.get(b) === 1) return b;
    const p = pkgs[i]!;
    return `${b} (${p.source ?? `path+${ctx.pathDirs.get(i) ?? '?'}`})`;
  });
}

function makeNode(ctx: Ctx, p: CargoLockPackage, i: number, ids: string[]): PackageNode {
  const pathDir = ctx.pathDirs.get(i);
  const source = classifySource(p.source, pathDir, ctx.defaults);
  if (source.kind === 'git' && source.commit === undefined) {
    problemAt(ctx, p, `${p.name} ${p.version}: git source without a #commit: ${p.source ?? ''}`);
  }
  return {
    id: ids[i]!,
    name: p.name,
    version: vetVersion(p.version, source),
    source,
    integrity: p.checksum ? [{ algo: 'sha256', digest: p.checksum, encoding: 'hex', covers: 'crate' }] : [],
    firstParty: p.source === undefined || !ctx.defaults.has(p.source),
    workspaceMember: p.source === undefined && pathDir !== undefined && ctx.members.has(pathDir),
    deps: [],
  };
}

function problemAt(ctx: Ctx, p: CargoLockPackage, message: string): void {
  const file = ctx.index.lock.fileName;
  ctx.problems.push(p.line === undefined ? { file, message } : { file, line: p.line, message });
}

function edgesOf(ctx: Ctx, p: CargoLockPackage, i: number, ids: string[]): DependencyEdge[] {
  const out: DependencyEdge[] = [];
  for (const ref of p.dependencies) {
    const hit = ctx.index.lookup(ref);
    if ('error' in hit) {
      problemAt(ctx, p, `${p.name} ${p.version}: ${hit.error}`);
      continue;
    }
    const target = ctx.index.package(hit.index);
    if (ctx.crateFacts?.(target.name, target.version)?.hasLib === false) continue; // bin-only: cargo metadata drops it
    for (const e of edgeSpecs(ctx, p, i, target, hit.index)) out.push({ to: ids[hit.index]!, ...e });
  }
  return out;
}

function edgeSpecs(ctx: Ctx, p: CargoLockPackage, i: number, target: CargoLockPackage, j: number): EdgeSpec[] {
  const dir = ctx.pathDirs.get(i);
  const manifest = dir === undefined ? undefined : ctx.manifests.get(dir);
  const locked = { name: target.name, version: target.version, ...pathDirOf(ctx, j) };
  if (!manifest) return thirdPartyEdge(ctx, p, locked);
  const member = ctx.members.has(dir!);
  const r = edgeKindsFor(
    manifest.deps,
    locked,
    ctx.buildTargets ? { member, buildTargets: ctx.buildTargets } : { member },
  );
  if (r.status === 'ok') return r.edges;
  if (r.status === 'platform-inactive') return [];
  const why = r.status === 'undeclared' ? 'is not declared in' : 'is only a dev-dependency (non-member) in';
  ctx.warnings.push(
    `${target.name} ${target.version} ${why} ${manifest.manifest.fileName}; treated as a normal dependency`,
  );
  return [{ kind: 'normal' }];
}

function pathDirOf(ctx: Ctx, j: number): { pathDir?: string } {
  const d = ctx.pathDirs.get(j);
  return d === undefined ? {} : { pathDir: d };
}

/**
 * Third-party (and manifest-less) packages: every locked dep is normal. When the published
 * manifest is known, `build.target` drops inactive edges and platform-specific ones say so.
 */
function thirdPartyEdge(ctx: Ctx, p: CargoLockPackage, locked: { name: string; version: string }): EdgeSpec[] {
  const deps = p.source === undefined ? undefined : publishedDeps(ctx, p);
  if (deps === undefined) return [{ kind: 'normal' }];
  const r = edgeKindsFor(
    deps,
    locked,
    ctx.buildTargets ? { member: false, buildTargets: ctx.buildTargets } : { member: false },
  );
  if (r.status === 'platform-inactive') return [];
  const when =
    r.status === 'ok' && r.edges.every((e) => e.when)
      ? platformsOf(r.edges.flatMap((e) => e.when!.cargo!.map((target) => ({ target }))))
      : undefined;
  return [when ? { kind: 'normal', when } : { kind: 'normal' }];
}

/** `[target.…]` / `[target."cfg(…)".dependencies.x]`: a manifest with platform-specific deps. */
const PLATFORM_TABLE = /^\s*\[\s*target\s*\./m;

/**
 * The declarations of a published manifest, parsed once per package; undefined when unknown,
 * or when it has no platform tables and no build target asks (nothing to learn from it).
 */
function publishedDeps(ctx: Ctx, p: CargoLockPackage): CargoDepDecl[] | undefined {
  const key = `${p.name}\u0000${p.version}\u0000${p.source ?? ''}`;
  if (ctx.published.has(key)) return ctx.published.get(key);
  const text = ctx.crateFacts?.(p.name, p.version)?.manifest;
  let deps: CargoDepDecl[] | undefined;
  if (text !== undefined && (ctx.buildTargets !== undefined || PLATFORM_TABLE.test(text))) {
    deps = resolveManifest(parseCargoManifest(text, '', `${p.name}-${p.version}/Cargo.toml`), undefined, []).deps;
  }
  ctx.published.set(key, deps);
  return deps;
}

function checkMembersLocked(ctx: Ctx, nodes: PackageNode[]): void {
  const locked = new Set(ctx.pathDirs.values());
  for (const dir of ctx.members) {
    if (locked.has(dir)) continue;
    const name = ctx.manifests.get(dir)?.name;
    if (name !== undefined)
      ctx.warnings.push(`workspace member ${name} (${dir || '.'}) is not in Cargo.lock; is the lockfile stale?`);
  }
  if (!nodes.some((n) => n.workspaceMember)) ctx.warnings.push('no workspace member found in Cargo.lock');
}

/** cargo metadata walks from the members; anything else (behind a dropped edge) is not in its graph. */
function reachableFromMembers(nodes: PackageNode[], warnings: string[]): PackageNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const seen = new Set<string>();
  const stack = nodes.filter((n) => n.workspaceMember).map((n) => n.id);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of byId.get(id)?.deps ?? []) if (!seen.has(e.to)) stack.push(e.to);
  }
  const dropped = nodes.filter((n) => !seen.has(n.id));
  if (dropped.length > 0) {
    const names = dropped.map((n) => `${n.name} ${n.version}`).sort();
    warnings.push(`${dropped.length} Cargo.lock package(s) not in the build graph: ${names.join(', ')}`);
  }
  return nodes.filter((n) => seen.has(n.id));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
