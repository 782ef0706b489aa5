/**
 * Risk signals shown next to a suggested audit, so an auditor knows where to look first:
 * install scripts, native code, new dependencies, a new publisher, deprecation, and how many
 * packages in the project depend on it. Pure: packuments, the graph and (optionally) the
 * diffed files are inputs.
 */
import type { DependencyGraph } from '@vet/core';
import { installScripts, type Packument, type PackumentVersion } from '../registry/packument.js';
import type { DiffFile } from './diff.js';

export type RiskSignal =
  | { kind: 'install-script'; scripts: Record<string, string>; new: boolean }
  | { kind: 'native-code'; files: string[]; reason: string }
  | { kind: 'new-dependencies'; added: string[] }
  | { kind: 'publisher-change'; from: string | undefined; to: string | undefined }
  | { kind: 'deprecated'; message: string }
  | { kind: 'dependents'; count: number };

export type PackumentLookup = ReadonlyMap<string, Packument>;

export interface RiskOptions {
  /** Files of the diff from → to (or full listing), for native-code detection. */
  files?: readonly DiffFile[];
}

const NATIVE_EXT = /\.(node|so|dylib|dll|exe)$/i;

function scriptsOf(v: PackumentVersion | undefined, graphFlag: boolean): Record<string, string> {
  if (!v) return graphFlag ? { install: '(lockfile: hasInstallScript)' } : {};
  const s = installScripts(v);
  if (Object.keys(s).length === 0 && (v.hasInstallScript || graphFlag))
    return { install: '(registry: hasInstallScript)' };
  return s;
}

function isNativeLooking(f: DiffFile): boolean {
  return (
    f.native !== undefined || f.platform !== undefined || NATIVE_EXT.test(f.path) || /(^|\/)binding\.gyp$/.test(f.path)
  );
}

/** The subset of a diff's files risk signals look at (kept small for the diffstat cache). */
export function riskRelevantFiles(files: readonly DiffFile[]): DiffFile[] {
  return files.filter((f) => f.binary || isNativeLooking(f));
}

function nativeSignal(v: PackumentVersion | undefined, files: readonly DiffFile[]): RiskSignal | undefined {
  const hits = files.filter((f) => f.status !== 'removed' && isNativeLooking(f));
  const elsewhere = hits.find((f) => f.platform !== undefined);
  if (elsewhere)
    return {
      kind: 'native-code',
      files: [elsewhere.path],
      reason: `a release built for ${elsewhere.platform}, which npm does not install on this platform`,
    };
  if (hits.length > 0)
    return {
      kind: 'native-code',
      files: hits.map((f) => f.path),
      reason: 'compiled code or a node-gyp build in the package',
    };
  if (v?.gypfile)
    return { kind: 'native-code', files: ['binding.gyp'], reason: 'the manifest declares a node-gyp build (gypfile)' };
  return undefined;
}

function depNames(v: PackumentVersion | undefined): Set<string> {
  return new Set(v ? [...Object.keys(v.dependencies), ...Object.keys(v.optionalDependencies)] : []);
}

/** Number of distinct graph nodes with an edge to name@version. */
export function dependentsCount(graph: DependencyGraph, name: string, version: string): number {
  const targets = new Set(graph.nodes.filter((n) => n.name === name && n.version === version).map((n) => n.id));
  return graph.nodes.filter((n) => n.deps.some((d) => targets.has(d.to))).length;
}

export function riskSignals(
  name: string,
  fromVersion: string | undefined,
  toVersion: string,
  packuments: PackumentLookup,
  graph: DependencyGraph,
  options: RiskOptions = {},
): RiskSignal[] {
  const p = packuments.get(name);
  const to = p?.versions[toVersion];
  const from = fromVersion === undefined ? undefined : p?.versions[fromVersion];
  const node = graph.nodes.find((n) => n.name === name && n.version === toVersion);
  const out: RiskSignal[] = [];
  const scripts = scriptsOf(to, node?.hasInstallScript === true);
  if (Object.keys(scripts).length > 0) {
    const before = scriptsOf(from, false);
    out.push({
      kind: 'install-script',
      scripts,
      new:
        fromVersion === undefined ||
        Object.keys(before).length === 0 ||
        JSON.stringify(before) !== JSON.stringify(scripts),
    });
  }
  const native = nativeSignal(to, options.files ?? []);
  if (native) out.push(native);
  if (from && to) {
    const old = depNames(from);
    const added = [...depNames(to)].filter((d) => !old.has(d)).sort();
    if (added.length > 0) out.push({ kind: 'new-dependencies', added });
    if (from.npmUser?.name !== to.npmUser?.name)
      out.push({ kind: 'publisher-change', from: from.npmUser?.name, to: to.npmUser?.name });
  }
  const message = to?.deprecated ?? node?.deprecated;
  if (message) out.push({ kind: 'deprecated', message });
  out.push({ kind: 'dependents', count: dependentsCount(graph, name, toVersion) });
  return out;
}

/** One line per signal, for human output. */
export function formatRiskSignal(s: RiskSignal): string {
  switch (s.kind) {
    case 'install-script':
      return `${s.new ? 'new ' : ''}install script: ${Object.entries(s.scripts)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ')}`;
    case 'native-code':
      return `native code: ${s.files.slice(0, 5).join(', ')}${s.files.length > 5 ? `, and ${s.files.length - 5} more` : ''}`;
    case 'new-dependencies':
      return `new dependencies: ${s.added.join(', ')}`;
    case 'publisher-change':
      return `publisher changed: ${s.from ?? 'unknown'} → ${s.to ?? 'unknown'}`;
    case 'deprecated':
      return `deprecated: ${s.message}`;
    case 'dependents':
      return `used by ${s.count} package${s.count === 1 ? '' : 's'} in this project`;
  }
}
