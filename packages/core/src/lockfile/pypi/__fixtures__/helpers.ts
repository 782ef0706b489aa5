// Small accessors shared by this module's tests (not exported from the package).
import type { PackageNode } from '../../../graph.js';
import type { PythonLockGraph } from '../graph-builder.js';

export function node(g: PythonLockGraph, id: string): PackageNode {
  const n = g.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id}; have ${g.nodes.map((x) => x.id).join(', ')}`);
  return n;
}

export function rootOf(g: PythonLockGraph): PackageNode {
  const r = g.nodes.find((x) => x.workspaceMember);
  if (!r) throw new Error('no root');
  return r;
}

export function edgeKind(from: PackageNode, to: string): string | undefined {
  return from.deps.find((d) => d.to === to)?.kind;
}

export function thirdParty(g: PythonLockGraph): PackageNode[] {
  return g.nodes.filter((n) => !n.firstParty);
}

export function errorOf(f: () => unknown): {
  code?: string;
  file?: string;
  line?: number;
  problems?: Array<{ file: string; line?: number; message: string }>;
} {
  try {
    f();
  } catch (e) {
    return e as never;
  }
  throw new Error('expected an error');
}
