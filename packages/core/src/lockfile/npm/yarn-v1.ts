/**
 * Yarn classic (`# yarn lockfile v1`) blocks into graph nodes (spec lockfiles.md §3). The lockfile
 * does not list workspace members or the root's direct dependencies, so roots come from the
 * package.json manifests handed in (root + workspace members, keyed by directory).
 */
import type { EdgeKind, Integrity } from '../../graph.js';
import type { GraphBuilder, NodeInput } from './builder.js';
import { parseSri, sha1FromResolvedFragment } from './integrity.js';
import { directDeps, type NpmManifests } from './manifest.js';
import { classifyResolved, splitNameAt } from './source.js';
import { asRecord, asString, stringMap, type Json } from './text.js';
import { DescriptorIndex, splitDescriptors } from './yarn-resolve.js';

export function readYarnV1(data: Json, manifests: NpmManifests, b: GraphBuilder): void {
  const index = new DescriptorIndex(manifests['']?.resolutions);
  const blocks: Array<[string, string, Json]> = [];
  for (const [key, raw] of Object.entries(data)) {
    const block = asRecord(raw);
    const input = v1BlockInput(key, block);
    if (input === undefined) {
      b.warn(`yarn.lock: block "${key}" has no version; skipped`);
      continue;
    }
    const id = b.addNode(input);
    index.addBlock(key, id);
    blocks.push([key, id, block]);
  }
  const members = addMembers(manifests, index, b);
  for (const [key, id, block] of blocks) addBlockEdges(b, index, key, id, block);
  for (const [dir, id] of members) {
    const manifest = manifests[dir] ?? {};
    for (const dep of directDeps(manifest, true)) {
      const to = index.resolveOrWarn(
        b,
        dir || '.',
        dep.name,
        dep.range,
        dep.kind === 'optional' || dep.kind === 'peer',
      );
      if (to !== undefined && to !== id) b.addEdge(id, to, dep.kind, dep.name);
    }
  }
}

function v1BlockInput(key: string, block: Json): NodeInput | undefined {
  const version = asString(block['version']);
  const first = splitDescriptors(key)[0] ?? key;
  const split = splitNameAt(first);
  if (version === undefined || split === undefined) return undefined;
  // Alias keys: `string-width-cjs@npm:string-width@^4.2.0` → the real name is after `npm:`.
  const aliased = split.rest.startsWith('npm:') ? splitNameAt(split.rest.slice(4)) : undefined;
  const resolved = asString(block['resolved']);
  const integrity: Integrity[] = parseSri(block['integrity']);
  const sha1 = sha1FromResolvedFragment(resolved);
  if (sha1 !== undefined && !integrity.some((i) => i.algo === 'sha1')) integrity.push(sha1);
  // Local folders (`file:../x`, `link:`) often have no `resolved`; their descriptor says what they are.
  const local = /^(file:|link:|portal:|\.{0,2}\/)/.test(split.rest) ? classifyResolved(split.rest) : undefined;
  return {
    name: aliased?.name ?? split.name,
    version,
    source: local ?? classifyResolved(resolved),
    integrity,
    path: key,
  };
}

function addMembers(manifests: NpmManifests, index: DescriptorIndex, b: GraphBuilder): Array<[string, string]> {
  const dirs = Object.keys(manifests);
  if (!dirs.includes('')) b.warn('yarn.lock v1 read without the root package.json: no direct dependencies known');
  return dirs.map((dir) => {
    const m = manifests[dir] ?? {};
    const id = b.addNode({
      name: m.name ?? (dir || 'root'),
      version: m.version ?? '',
      source: { kind: 'workspace' },
      workspaceDir: dir,
    });
    if (m.name !== undefined) index.addMember(m.name, id);
    return [dir, id];
  });
}

function addBlockEdges(b: GraphBuilder, index: DescriptorIndex, key: string, id: string, block: Json): void {
  const sections: Array<[string, EdgeKind]> = [
    ['dependencies', 'normal'],
    ['optionalDependencies', 'optional'],
  ];
  for (const [section, kind] of sections) {
    for (const [name, range] of Object.entries(stringMap(block[section]))) {
      const to = index.resolveOrWarn(b, key, name, range, kind === 'optional');
      if (to !== undefined) b.addEdge(id, to, kind, name);
    }
  }
}
