/**
 * Accumulates nodes and edges while a reader walks a lockfile, then freezes them into a
 * DependencyGraph. It owns the identity rules so every npm-ecosystem reader agrees on them:
 *   - registry and bundled packages: `name@version` (one node per distinct name@version, all
 *     install paths kept). A bundled copy and a registry copy of the same name@version are the
 *     same package to vet, so they merge and the registry source wins.
 *   - git / remote tarball / other third-party sources: `name@version (<url>)`, never merged with
 *     the registry package of the same name@version (different bytes); just `name@version` when
 *     the version is the source spec itself (`cfg@github:o/cfg#<sha>`).
 *   - workspace members: `workspace:<dir>` (`workspace:.` for the root project).
 *   - other local packages: `<kind>:<url>` such as `file:../lib`.
 * Edge and path de-duplication scan the few edges and paths a node has, and switch to Sets
 * past a handful so large lockfiles stay linear (issue 12: a key string and two Sets per node
 * were most of the builder's garbage).
 */
import type {
  DependencyGraph,
  EdgeKind,
  Integrity,
  PackageNode,
  PackageSource,
  PlatformConstraint,
} from '../../graph.js';
import { isLocalSource } from './source.js';

export interface NodeInput {
  name: string;
  version: string;
  source: PackageSource;
  integrity?: Integrity[];
  /** Set for workspace members (root project = ''); makes the node first-party and a walk root. */
  workspaceDir?: string;
  lockfileDev?: boolean;
  path?: string;
  deprecated?: string;
  hasInstallScript?: boolean;
  /** npm `os`/`cpu`/`libc`: the platforms it installs on. */
  platform?: PlatformConstraint;
}

/** Cap so a lockfile with thousands of dangling references does not flood the report. */
const MAX_WARNINGS = 200;

export function workspaceId(dir: string): string {
  return `workspace:${dir === '' ? '.' : dir}`;
}

export function nodeIdFor(input: NodeInput): string {
  if (input.workspaceDir !== undefined) return workspaceId(input.workspaceDir);
  const { kind, url } = input.source;
  if (isLocalSource(input.source)) {
    const where = url ?? input.name;
    return where.startsWith(`${kind}:`) ? where : `${kind}:${where}`;
  }
  // A version that already is the source spec (v1 `github:o/r#sha`) cannot collide with a registry version.
  if (kind === 'registry' || kind === 'bundled' || url === input.version) return `${input.name}@${input.version}`;
  return `${input.name}@${input.version} (${url ?? kind})`;
}

interface Draft {
  node: PackageNode;
  /** Keys of `node.deps`, built once it holds LINEAR_MAX edges. */
  edgeKeys: Set<string> | undefined;
  /** `node.paths` as a Set, built once it holds LINEAR_MAX paths. */
  pathSet: Set<string> | undefined;
}

/** Up to this many edges or paths, a duplicate is found by scanning. */
const LINEAR_MAX = 16;

function edgeKey(to: string, kind: EdgeKind, alias: string | undefined): string {
  return `${to}\u0000${kind}\u0000${alias ?? ''}`;
}

export class GraphBuilder {
  private readonly drafts = new Map<string, Draft>();
  private readonly warningList: string[] = [];
  private dropped = 0;

  /** Add (or merge into) the node for `input`; returns its id. */
  addNode(input: NodeInput): string {
    const id = nodeIdFor(input);
    const draft = this.drafts.get(id);
    if (draft === undefined) this.drafts.set(id, newDraft(id, input));
    else mergeInto(draft, input);
    return id;
  }

  has(id: string): boolean {
    return this.drafts.has(id);
  }

  addPath(id: string, path: string): void {
    const draft = this.drafts.get(id);
    if (draft !== undefined) addPathTo(draft, path);
  }

  addEdge(from: string, to: string, kind: EdgeKind, usedName?: string): void {
    const draft = this.drafts.get(from);
    const target = this.drafts.get(to);
    if (draft === undefined || target === undefined) return;
    const alias = usedName !== undefined && usedName !== target.node.name ? usedName : undefined;
    const deps = draft.node.deps;
    if (deps.length < LINEAR_MAX) {
      const a = alias ?? '';
      for (const d of deps) if (d.to === to && d.kind === kind && (d.alias ?? '') === a) return;
    } else {
      const keys = (draft.edgeKeys ??= new Set(deps.map((d) => edgeKey(d.to, d.kind, d.alias))));
      const key = edgeKey(to, kind, alias);
      if (keys.has(key)) return;
      keys.add(key);
    }
    deps.push(alias === undefined ? { to, kind } : { to, kind, alias });
  }

  warn(message: string): void {
    if (this.warningList.length < MAX_WARNINGS) this.warningList.push(message);
    else this.dropped++;
  }

  build(lockfile: string, format: string): DependencyGraph {
    const warnings = [...this.warningList];
    if (this.dropped > 0) warnings.push(`${this.dropped} more warnings not shown`);
    const nodes = [...this.drafts.values()].map((d) => d.node);
    return { ecosystem: 'npm', lockfile, format, nodes, warnings };
  }
}

function newDraft(id: string, input: NodeInput): Draft {
  const member = input.workspaceDir !== undefined;
  const firstParty = member || isLocalSource(input.source);
  const node: PackageNode = {
    id,
    name: input.name,
    version: input.version,
    source: member ? { kind: 'workspace', url: input.workspaceDir === '' ? '.' : input.workspaceDir } : input.source,
    integrity: input.integrity ?? [],
    firstParty,
    workspaceMember: member,
    deps: [],
  };
  if (input.lockfileDev !== undefined) node.lockfileDev = input.lockfileDev;
  if (input.deprecated !== undefined) node.deprecated = input.deprecated;
  if (input.hasInstallScript === true) node.hasInstallScript = true;
  if (input.platform !== undefined) node.platform = input.platform;
  const draft: Draft = { node, edgeKeys: undefined, pathSet: undefined };
  if (input.path !== undefined) addPathTo(draft, input.path);
  return draft;
}

function mergeInto(draft: Draft, input: NodeInput): void {
  const node = draft.node;
  if (node.source.kind === 'bundled' && input.source.kind === 'registry') {
    node.source = input.source;
    node.integrity = input.integrity ?? [];
  } else if (node.integrity.length === 0 && input.integrity !== undefined) {
    node.integrity = input.integrity;
  }
  // A package is dev-only by lockfile flags only if every copy of it is.
  if (input.lockfileDev !== undefined) node.lockfileDev = (node.lockfileDev ?? true) && input.lockfileDev;
  if (node.deprecated === undefined && input.deprecated !== undefined) node.deprecated = input.deprecated;
  if (input.hasInstallScript === true) node.hasInstallScript = true;
  if (node.platform === undefined && input.platform !== undefined) node.platform = input.platform;
  if (input.path !== undefined) addPathTo(draft, input.path);
}

function addPathTo(draft: Draft, path: string): void {
  const paths = (draft.node.paths ??= []);
  if (paths.length < LINEAR_MAX) {
    if (paths.includes(path)) return;
  } else {
    const set = (draft.pathSet ??= new Set(paths));
    if (set.has(path)) return;
    set.add(path);
  }
  paths.push(path);
}
