/**
 * Yarn Berry (2/3/4, `__metadata`) entries into graph nodes (spec lockfiles.md §4, §15.2).
 * Name and version come from the `resolution` locator, never from the key (aliases live only in
 * keys). `patch:` locators collapse onto the package they patch: that package is what gets vetted.
 * Workspace entries merge dev into `dependencies`, so each member's package.json decides the kind.
 */
import type { EdgeKind, PackageSource } from '../../graph.js';
import type { GraphBuilder, NodeInput } from './builder.js';
import { parseBerryChecksum } from './integrity.js';
import { directDeps, normalizeDir, type NpmManifests } from './manifest.js';
import { berryConditions } from './platform-fields.js';
import { classifyResolved, splitNameAt } from './source.js';
import { asRecord, asString, stringMap, type Json } from './text.js';
import { DescriptorIndex } from './yarn-resolve.js';

interface Entry {
  key: string;
  id: string;
  block: Json;
  workspaceDir?: string;
}

export function readYarnBerry(data: Json, manifests: NpmManifests, b: GraphBuilder): void {
  const index = new DescriptorIndex(manifests['']?.resolutions);
  const entries: Entry[] = [];
  for (const [key, raw] of Object.entries(data)) {
    if (key === '__metadata') continue;
    const block = asRecord(raw);
    const input = berryInput(key, block);
    if (input === undefined) {
      b.warn(`yarn.lock: entry "${key}" has no usable resolution; skipped`);
      continue;
    }
    const id = b.addNode(input);
    index.addBlock(key, id);
    entries.push({ key, id, block, ...(input.workspaceDir === undefined ? {} : { workspaceDir: input.workspaceDir }) });
  }
  for (const e of entries) addEdges(b, index, e, manifests);
}

function berryInput(key: string, block: Json): NodeInput | undefined {
  const locator = asString(block['resolution']);
  const split = locator === undefined ? undefined : splitNameAt(locator);
  if (split === undefined) return undefined;
  const version = asString(block['version']) ?? '';
  const { name, ref } = unpatch(split.name, split.rest);
  if (ref.startsWith('workspace:')) {
    return { name, version, source: { kind: 'workspace' }, workspaceDir: normalizeDir(ref.slice('workspace:'.length)) };
  }
  const patched = ref !== split.rest;
  const input: NodeInput = {
    name,
    version,
    source: berrySource(ref),
    // A patch entry's checksum is of the patched zip; only the base entry's checksum describes the package.
    integrity: patched ? [] : parseBerryChecksum(block['checksum']),
    path: key,
  };
  const platform = berryConditions(asString(block['conditions']));
  if (platform !== undefined) input.platform = platform;
  return input;
}

/** `patch:typescript@npm%3A6.0.3#…::version=6.0.3&hash=…` → `typescript`, `npm:6.0.3` (nesting unwrapped). */
function unpatch(name: string, ref: string): { name: string; ref: string } {
  let current = { name, ref };
  while (current.ref.startsWith('patch:')) {
    const inner = safeDecode(current.ref.slice('patch:'.length).split('#')[0] ?? '');
    const split = splitNameAt(inner);
    if (split === undefined) break;
    current = { name: split.name, ref: split.rest };
  }
  return current;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function berrySource(ref: string): PackageSource {
  if (ref.startsWith('npm:')) return { kind: 'registry' };
  // exec: runs a script to produce the package: neither registry nor a local folder.
  if (ref.startsWith('exec:')) return { kind: 'unknown', url: ref };
  return classifyResolved(ref);
}

function addEdges(b: GraphBuilder, index: DescriptorIndex, e: Entry, manifests: NpmManifests): void {
  const meta = asRecord(e.block['dependenciesMeta']);
  const kinds = e.workspaceDir === undefined ? undefined : memberKinds(b, manifests, e.workspaceDir);
  for (const [name, range] of Object.entries(stringMap(e.block['dependencies']))) {
    // parseSyml keeps YAML scalars as strings: `optional: true` arrives as 'true'.
    const flag = asRecord(meta[name])['optional'];
    const optional = flag === true || flag === 'true';
    const kind: EdgeKind = kinds?.get(name) ?? (optional ? 'optional' : 'normal');
    const to = index.resolveOrWarn(b, e.key, name, range, optional);
    if (to !== undefined && to !== e.id) b.addEdge(e.id, to, kind, name);
  }
}

/** dev/prod/optional of each direct dependency of a workspace member, from its package.json. */
function memberKinds(b: GraphBuilder, manifests: NpmManifests, dir: string): Map<string, EdgeKind> | undefined {
  const manifest = manifests[dir];
  if (manifest === undefined) {
    b.warn(`yarn.lock: no package.json for workspace "${dir || '.'}": its devDependencies count as production`);
    return undefined;
  }
  return new Map(directDeps(manifest, true).map((d) => [d.name, d.kind]));
}
