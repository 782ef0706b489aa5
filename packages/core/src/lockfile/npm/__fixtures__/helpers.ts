/** Small helpers for the npm-ecosystem reader tests (not exported from the module index). */
import { expect } from 'vitest';
import type { VetError } from '../../../errors.js';
import type { DependencyGraph, PackageNode } from '../../../graph.js';

export function node(graph: DependencyGraph, id: string): PackageNode {
  const found = graph.nodes.find((n) => n.id === id);
  if (found === undefined) throw new Error(`no node ${id}; have ${graph.nodes.map((n) => n.id).join(', ')}`);
  return found;
}

/** `to:kind[:alias]` strings of a node's edges, sorted, for compact assertions. */
export function edges(graph: DependencyGraph, id: string): string[] {
  return node(graph, id)
    .deps.map((e) => [e.to, e.kind, e.alias].filter((x) => x !== undefined).join(':'))
    .sort();
}

export function thirdPartyIds(graph: DependencyGraph): string[] {
  return graph.nodes
    .filter((n) => !n.firstParty)
    .map((n) => n.id)
    .sort();
}

/** Run `work`, expect a VetError, return it for code/line assertions. */
export function vetErrorOf(work: () => unknown): VetError {
  try {
    work();
  } catch (e) {
    expect((e as VetError).name).toMatch(/^Vet/);
    return e as VetError;
  }
  throw new Error('expected a VetError, nothing was thrown');
}
