/**
 * Builds the shared DependencyGraph for one Python lockfile. Every format gets a root node
 * (the project, or each uv workspace member) whose edges say what is direct: 'normal' for
 * production, 'dev' for dev-only groups. The resolver's walk (normal/build edges from
 * workspace members, dev edges only from members) then yields dev/prod without knowing
 * which lockfile it came from; `lockfileDev` records what the file itself says.
 */
import type { DependencyGraph, EdgeKind, Integrity, PackageNode, PackageSource } from '../../graph.js';
import { nodeKey } from '../../graph.js';
import { devOnlyIds } from './walk.js';

/** A requirement that is not locked (no `==` pin), reported instead of silently skipped. */
export interface UnlockedRequirement {
  file: string;
  line?: number;
  requirement: string;
  reason: string;
}

export interface PythonLockGraph extends DependencyGraph {
  ecosystem: 'pypi';
  /** Requirements the file lists without a lock (requirements.txt ranges, missing hashes). */
  unlocked: UnlockedRequirement[];
}

export interface AddPackage {
  name: string;
  version: string;
  source: PackageSource;
  integrity?: Integrity[];
  firstParty?: boolean;
  workspaceMember?: boolean;
  lockfileDev?: boolean;
  /** Where in the lockfile the entry is ("Pipfile.lock#develop", "requirements/tests.txt:12"). */
  path?: string;
}

/** Node id: `name@version`, with the source appended when it is not a package index. */
export function pythonNodeId(name: string, version: string, source: PackageSource): string {
  const base = nodeKey(name, version);
  if (source.kind === 'registry' || source.kind === 'alt-registry') return base;
  return `${base} (${source.kind}${source.url ? ` ${source.url}` : ''})`;
}

export class PythonGraphBuilder {
  private readonly nodes = new Map<string, PackageNode>();
  readonly warnings: string[] = [];
  readonly unlocked: UnlockedRequirement[] = [];

  constructor(
    private readonly lockfile: string,
    private readonly format: string,
  ) {}

  /** Adds (or merges into) a node and returns it; hashes and paths of duplicates are unioned. */
  add(p: AddPackage): PackageNode {
    const id = pythonNodeId(p.name, p.version, p.source);
    const existing = this.nodes.get(id);
    if (existing) {
      mergeIntegrity(existing.integrity, p.integrity ?? []);
      if (p.path) (existing.paths ??= []).push(p.path);
      // Present in any non-dev section means it is not dev-only (Pipfile default + develop).
      if (p.lockfileDev === false || existing.lockfileDev === undefined) existing.lockfileDev = p.lockfileDev;
      return existing;
    }
    const node: PackageNode = {
      id,
      name: p.name,
      version: p.version,
      source: p.source,
      integrity: dedupeIntegrity(p.integrity ?? []),
      firstParty: p.firstParty ?? false,
      workspaceMember: p.workspaceMember ?? false,
      deps: [],
    };
    if (p.lockfileDev !== undefined) node.lockfileDev = p.lockfileDev;
    if (p.path) node.paths = [p.path];
    this.nodes.set(id, node);
    return node;
  }

  /** The project itself: first-party, a root of the walk. */
  addRoot(name: string, dirUrl: string): PackageNode {
    return this.add({
      name,
      version: '',
      source: { kind: 'workspace', url: dirUrl },
      firstParty: true,
      workspaceMember: true,
    });
  }

  /**
   * `marker`: the PEP 508 environment marker the edge holds under (`--platform` evaluates it).
   * Declared twice, the edge holds when either does: no marker wins, two markers are or-ed.
   */
  edge(from: PackageNode, to: PackageNode, kind: EdgeKind, marker?: string): void {
    if (from === to) return;
    const e = from.deps.find((d) => d.to === to.id);
    if (!e) {
      from.deps.push(marker === undefined ? { to: to.id, kind } : { to: to.id, kind, when: { marker } });
      return;
    }
    if (e.kind === 'dev' && kind !== 'dev') e.kind = kind; // prod wins over dev
    if (e.when?.marker === undefined) return;
    if (marker === undefined) delete e.when;
    else if (marker !== e.when.marker) e.when = { marker: orMarkers([e.when.marker, marker])! };
  }

  /** The package installs only where `marker` holds (uv resolution-markers, pylock `marker`). */
  restrict(node: PackageNode, marker: string | undefined): void {
    if (marker !== undefined) node.platform = { ...node.platform, marker };
  }

  /**
   * Finish: nodes sorted by id, deps sorted. When the format has no dev flag of its own,
   * `lockfileDev` comes from the walk; when it has one, a disagreement is a warning.
   */
  build(inferDevFromWalk: boolean): PythonLockGraph {
    const nodes = [...this.nodes.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const n of nodes) n.deps.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
    const devOnly = devOnlyIds(nodes);
    for (const n of nodes) {
      if (n.firstParty) continue;
      const walked = devOnly.get(n.id);
      if (walked === undefined) {
        this.warnings.push(`${n.id} is not reachable from the project root`);
      } else if (inferDevFromWalk || n.lockfileDev === undefined) {
        n.lockfileDev = walked;
      } else if (n.lockfileDev !== walked) {
        this.warnings.push(
          `${n.id}: the lockfile says ${n.lockfileDev ? 'dev' : 'prod'} but its edges say ${walked ? 'dev' : 'prod'}`,
        );
      }
    }
    return {
      ecosystem: 'pypi',
      lockfile: this.lockfile,
      format: this.format,
      nodes,
      warnings: this.warnings,
      unlocked: this.unlocked,
    };
  }
}

/** `(a) or (b)`; undefined for no markers. */
export function orMarkers(markers: readonly string[]): string | undefined {
  if (markers.length <= 1) return markers[0];
  return markers.map((m) => `(${m})`).join(' or ');
}

/** `(a) and (b)`, either side optional. */
export function andMarkers(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return `(${a}) and (${b})`;
}

function integrityKey(i: Integrity): string {
  return `${i.algo}:${i.digest}:${i.file ?? ''}`;
}

function dedupeIntegrity(list: Integrity[]): Integrity[] {
  const out: Integrity[] = [];
  mergeIntegrity(out, list);
  return out;
}

function mergeIntegrity(into: Integrity[], more: Integrity[]): void {
  const seen = new Set(into.map(integrityKey));
  for (const i of more) {
    const k = integrityKey(i);
    if (!seen.has(k)) {
      seen.add(k);
      into.push(i);
    }
  }
}
