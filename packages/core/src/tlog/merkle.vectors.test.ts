/** Pins the log math and tile layout to ../shared/vectors/merkle/rfc6962.json. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHexStr, HAVE_VECTORS, loadVectors, toHexStr } from './__fixtures__/vectors.js';
import { CompactRange } from './compact-range.js';
import {
  consistencyProof,
  EMPTY_TREE_ROOT,
  hashChildren,
  hashLeaf,
  inclusionProof,
  rangeHashFromLevels,
  rootOf,
  verifyConsistency,
  verifyInclusion,
  type NodeAtFn,
} from './merkle.js';
import {
  buildHashTile,
  decodeEntryBundle,
  decodeHashTile,
  encodeEntryBundle,
  entriesTilePath,
  nodeHashFromTiles,
  parseTilePath,
  tilePath,
  tilesForTree,
} from './tiles.js';

const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const hexes = (bs: Uint8Array[]): string[] => bs.map(toHexStr);

/** A log built with CompactRange, keeping every completed node (what a server stores). */
function buildLog(leafHashes: Uint8Array[]): { nodeAt: NodeAtFn; rootAt: (n: number) => Uint8Array } {
  const nodes = new Map<string, Uint8Array>();
  const range = new CompactRange();
  for (const h of leafHashes) for (const n of range.append(h)) nodes.set(`${n.level}/${n.index}`, n.hash);
  const nodeAt: NodeAtFn = (level, index) => {
    const n = nodes.get(`${level}/${index}`);
    if (n === undefined) throw new Error(`missing node ${level}/${index}`);
    return n;
  };
  return { nodeAt, rootAt: (n) => rangeHashFromLevels(0, n, nodeAt) };
}

describe.skipIf(!HAVE_VECTORS)('vectors: merkle/rfc6962.json', () => {
  const v = HAVE_VECTORS ? loadVectors('merkle/rfc6962.json') : undefined;

  it('hashing sanity values', () => {
    expect(toHexStr(EMPTY_TREE_ROOT)).toBe(v.hashing.emptyRootHex);
    const leaf = hashLeaf(new Uint8Array(0));
    expect(toHexStr(leaf)).toBe(v.hashing.leafHashOfEmptyInputHex);
    expect(toHexStr(hashChildren(leaf, leaf))).toBe(v.hashing.nodeHashOfTwoEmptyLeafHashesHex);
  });

  describe('standard8', () => {
    const s = v?.standard8;
    const leafHashes: Uint8Array[] = s ? s.leafInputsHex.map((h: string) => hashLeaf(fromHexStr(h))) : [];
    const log = buildLog(leafHashes);
    const rangeHash = (a: number, b: number): Uint8Array => rangeHashFromLevels(a, b, log.nodeAt);

    it('leaf hashes, roots of every size, complete subtrees', () => {
      expect(hexes(leafHashes)).toEqual(s.leafHashesHex);
      s.rootsBySizeHex.forEach((root: string, n: number) => {
        expect(toHexStr(rootOf(leafHashes.slice(0, n))), `root ${n}`).toBe(root);
        expect(toHexStr(log.rootAt(n)), `root ${n} from levels`).toBe(root);
      });
      s.completeSubtreeHashesByLevelHex.forEach((level: string[], l: number) =>
        level.forEach((h, i) => expect(toHexStr(log.nodeAt(l, i)), `node ${l}/${i}`).toBe(h)),
      );
    });

    it('all 36 inclusion proofs: produced byte for byte and verified', () => {
      expect(s.inclusion).toHaveLength(36);
      for (const c of s.inclusion) {
        expect(hexes(inclusionProof(c.index, c.treeSize, rangeHash)), `${c.index}/${c.treeSize}`).toEqual(c.proofHex);
        expect(
          verifyInclusion(
            fromHexStr(c.leafHashHex),
            c.index,
            c.treeSize,
            c.proofHex.map(fromHexStr),
            fromHexStr(c.rootHex),
          ),
        ).toBe(true);
      }
    });

    it('all 36 consistency proofs: produced byte for byte and verified', () => {
      expect(s.consistency).toHaveLength(36);
      for (const c of s.consistency) {
        expect(hexes(consistencyProof(c.size1, c.size2, rangeHash)), `${c.size1}->${c.size2}`).toEqual(c.proofHex);
        expect(
          verifyConsistency(
            c.size1,
            c.size2,
            c.proofHex.map(fromHexStr),
            fromHexStr(c.root1Hex),
            fromHexStr(c.root2Hex),
          ),
        ).toBe(true);
      }
    });

    it('negative cases are rejected', () => {
      expect(s.inclusionNegative.length + s.consistencyNegative.length).toBeGreaterThan(10);
      for (const c of s.inclusionNegative) {
        const ok = verifyInclusion(
          fromHexStr(c.leafHashHex),
          c.index,
          c.treeSize,
          c.proofHex.map(fromHexStr),
          fromHexStr(c.rootHex),
        );
        expect(ok, c.desc).toBe(false);
      }
      for (const c of s.consistencyNegative) {
        const ok = verifyConsistency(
          c.size1,
          c.size2,
          c.proofHex.map(fromHexStr),
          fromHexStr(c.root1Hex),
          fromHexStr(c.root2Hex),
        );
        expect(ok, c.desc).toBe(false);
      }
    });

    it('an inclusion proof does not bind the tree size (documented accept case)', () => {
      const c = s.inclusionSizeNotBoundByProof;
      const ok = verifyInclusion(
        fromHexStr(c.leafHashHex),
        c.index,
        c.claimedTreeSize,
        c.proofHex.map(fromHexStr),
        fromHexStr(c.rootHex),
      );
      expect(ok).toBe(c.expect === 'accept');
    });
  });

  describe('large (70,000 leaves) and C2SP tiles', () => {
    const L = v?.large;
    const size: number = L?.tiles.treeSize ?? 0;
    const entries = Array.from({ length: size }, (_, i) => new TextEncoder().encode(`leaf ${i}`));
    const leafHashes = entries.map(hashLeaf);
    const log = buildLog(leafHashes);
    const rangeHash = (a: number, b: number): Uint8Array => rangeHashFromLevels(a, b, log.nodeAt);

    it('roots at tile boundaries', () => {
      for (const [n, root] of Object.entries<string>(L.rootsBySizeHex)) {
        expect(toHexStr(log.rootAt(Number(n))), `root ${n}`).toBe(root);
      }
    });

    it('inclusion and consistency proofs in the 70,000-leaf tree', () => {
      const root = log.rootAt(size);
      for (const c of L.inclusion) {
        expect(toHexStr(leafHashes[c.index]!)).toBe(c.leafHashHex);
        expect(hexes(inclusionProof(c.index, c.treeSize, rangeHash)), `incl ${c.index}`).toEqual(c.proofHex);
        expect(verifyInclusion(leafHashes[c.index]!, c.index, c.treeSize, c.proofHex.map(fromHexStr), root)).toBe(true);
      }
      for (const c of L.consistency) {
        expect(hexes(consistencyProof(c.size1, c.size2, rangeHash)), `cons ${c.size1}`).toEqual(c.proofHex);
        expect(verifyConsistency(c.size1, c.size2, c.proofHex.map(fromHexStr), fromHexStr(c.root1Hex), root)).toBe(
          true,
        );
      }
    });

    it('tilesForTree lists exactly the 277 resources, with canonical paths', () => {
      const tiles = tilesForTree(size);
      const paths = tiles.map((t) => tilePath(t.level, t.index, t.width));
      expect(paths).toEqual(L.tiles.hashTiles.map((t: { path: string }) => t.path));
      expect(paths).toHaveLength(277);
      for (const t of L.tiles.hashTiles) {
        expect(parseTilePath(t.path)).toEqual({ kind: 'hash', level: t.level, index: t.index, width: t.width });
      }
    });

    it('every hash tile has the published content digest', () => {
      for (const t of L.tiles.hashTiles) {
        const bytes = buildHashTile({ level: t.level, index: t.index, width: t.width }, log.nodeAt);
        expect(bytes.length).toBe(32 * t.width);
        expect(sha256Hex(bytes), t.path).toBe(t.contentSha256Hex);
        if (t.contentHex !== undefined) expect(toHexStr(bytes)).toBe(t.contentHex);
      }
    });

    it('entry bundles: layout, digest, round trip', () => {
      for (const b of L.tiles.entryBundles) {
        const parsed = parseTilePath(b.path);
        expect(parsed.kind).toBe('entries');
        const start = parsed.index * 256;
        const bundle = encodeEntryBundle(entries.slice(start, start + parsed.width));
        expect(entriesTilePath(parsed.index, parsed.width)).toBe(b.path);
        expect(bundle.length).toBe(b.lengthBytes);
        expect(toHexStr(bundle.subarray(0, 24))).toBe(b.first24BytesHex);
        expect(sha256Hex(bundle), b.path).toBe(b.contentSha256Hex);
        const back = decodeEntryBundle(bundle, b.width);
        expect(back.map(hashLeaf).map(toHexStr)).toEqual(leafHashes.slice(start, start + b.width).map(toHexStr));
      }
    });

    it('any node hash can be read back from the tiles (client side)', () => {
      const tiles = new Map(
        tilesForTree(size).map((t) => [`${t.level}/${t.index}`, decodeHashTile(buildHashTile(t, log.nodeAt), t.width)]),
      );
      const read = (level: number, index: number): Uint8Array[] => tiles.get(`${level}/${index}`) ?? [];
      const probes: [number, number][] = [
        [0, 0],
        [0, 69_999],
        [3, 100],
        [7, 200],
        [8, 272],
        [9, 135],
        [12, 16],
        [15, 1],
        [16, 0],
        [4, 4374],
      ];
      for (const [h, j] of probes) {
        expect(toHexStr(nodeHashFromTiles(h, j, read)), `node ${h}/${j}`).toBe(toHexStr(log.nodeAt(h, j)));
      }
      // The root of the whole tree from tile-read nodes only.
      expect(toHexStr(rangeHashFromLevels(0, size, (l, i) => nodeHashFromTiles(l, i, read)))).toBe(
        L.rootsBySizeHex['70000'],
      );
      // Node (16, 1) would need leaves beyond 70,000: the partial level-2 tile is too narrow.
      expect(() => nodeHashFromTiles(16, 1, read)).toThrowError(expect.objectContaining({ code: 'LOG_INCONSISTENT' }));
    });
  });
});
