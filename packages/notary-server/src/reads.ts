/**
 * The notary's read API: everything a front end may read — checkpoint, hash tiles, entry
 * bundles, package lookups, proofs, feeds, keys — as methods over the in-memory tree and
 * state and the database (Sunlight's ctlog: reads sit behind one backend interface, the
 * HTTP handler only routes). Nothing here writes. Every answer carries the tag of the tree
 * size it was computed at, so the HTTP layer can cache and revalidate by tree size.
 */
import { createHash } from 'node:crypto';
import { NotaryError } from './errors.js';
import type { NotaryConfig } from './config.js';
import type { Ecosystem } from './entries/model.js';
import { NotaryState } from './entries/state.js';
import { formatAuditsFeed } from './feed/audits-toml.js';
import { packageRows, publishedAudits, type PublishedAudit } from './feed/approvals.js';
import type { NotaryKeys } from './keys.js';
import { proveConsistency, proveInclusion } from './log/proofs.js';
import { encodeBundle, hashTileBytes, TILE_W } from './log/tiles.js';
import type { MerkleLevels } from './log/tree.js';
import { decodeCursor, encodeCursor, LOOKUP_MAX_PAGE } from './lookup-cursor.js';

export { LOOKUP_MAX_PAGE } from './lookup-cursor.js';

export interface LatestCheckpoint {
  size: number;
  note: string;
  rootHash: Uint8Array;
}

/** What the read API reads from: the live log, never written through here. */
export interface ReadSource {
  config: NotaryConfig;
  keys: NotaryKeys;
  tree: MerkleLevels;
  state: NotaryState;
  latest(): LatestCheckpoint;
  /** What GET /checkpoint serves (the latest one with its witness cosignatures); default: latest. */
  published?(): LatestCheckpoint;
  readLeaves(start: number, end: number): Buffer[];
  /** The archive, when the notary keeps one: an approval digest's archived artifact, and how many it holds. */
  archive?: { archived(digest: string): { sha256: string } | undefined; readonly count: number };
}

export interface Tagged<T> {
  /** Changes whenever the answer may change (tree size, checkpoint signature, policy). */
  tag: string;
  value: T;
}

export interface LookupEntry {
  index: number;
  leafHash: string | undefined;
  claim: unknown;
  revokedBy: number | undefined;
  envelope: string | undefined;
  inclusionProof: string[];
  /** Per version of an audit: `v1/artifacts/sha256/<hex>` once its artifact is archived, else null. */
  archived?: Record<string, string | null>;
}

export interface LookupPage {
  origin: string;
  checkpoint: string;
  treeSize: number;
  /** Approvals whose last attestation is on this page: each row appears on exactly one page. */
  approvals: PublishedAudit[];
  entries: LookupEntry[];
  /** Opaque: pass as `cursor` for the next page; absent on the last page. */
  next?: string;
}

export interface NotaryReads {
  /** The live log these answers come from, for read models of their own (the web pages, the watch). */
  readonly source: ReadSource;
  checkpoint(): Tagged<string>;
  /** A hash tile the latest checkpoint implies; NOT_FOUND beyond it. */
  hashTile(level: number, index: number, width: number): Buffer;
  /** An entry bundle the latest checkpoint covers; NOT_FOUND beyond it. */
  entryBundle(index: number, width: number): Buffer;
  lookup(ecosystem: Ecosystem, name: string, page?: { cursor?: string; limit?: number }): Tagged<LookupPage>;
  consistencyProof(from: number, to?: number): { from: number; to: number; proof: string[] };
  feed(ecosystem: Ecosystem): Tagged<string>;
  keys(): { origin: string; logKeys: string[]; admin: { keyid: string; publicKey: string } };
}

const b64 = (h: Uint8Array) => Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('base64');
const BUNDLE_CACHE = 64;
const ROWS_CACHE = 256;

export function createNotaryReads(src: ReadSource): NotaryReads {
  const policyHash = createHash('sha256').update(JSON.stringify(src.config.policy)).digest('hex').slice(0, 8);
  let tagFor: { note: string; tag: string } | undefined;
  const tag = (): string => {
    const { size, note } = src.latest();
    if (tagFor?.note !== note) {
      const h = createHash('sha256').update(note).digest('hex').slice(0, 12);
      tagFor = { note, tag: `${size}-${h}-${policyHash}` };
    }
    return tagFor.tag;
  };
  const checkpointTag = (note: string) => createHash('sha256').update(note).digest('hex').slice(0, 16);
  const bundles = new Map<number, Buffer>();
  const feeds = new Map<Ecosystem, Tagged<string>>();
  const rowsCache = new Map<string, { size: number; rows: PublishedAudit[] }>();

  /** A package's entries in the published tree and its approvals, cached by tree size. */
  function packageView(key: string, size: number): { indexes: number[]; rows: PublishedAudit[] } {
    const all = src.state.byPackage.get(key) ?? [];
    const indexes = all.length > 0 && all[all.length - 1]! >= size ? all.filter((i) => i < size) : all;
    let hit = rowsCache.get(key);
    if (hit?.size !== size) {
      hit = { size, rows: packageRows(src.state, indexes, src.config.policy.quorum) };
      if (rowsCache.size >= ROWS_CACHE) rowsCache.delete(rowsCache.keys().next().value as string);
      rowsCache.set(key, hit);
    }
    return { indexes, rows: hit.rows };
  }

  return {
    source: src,
    checkpoint: () => {
      const note = (src.published ?? src.latest)().note;
      return { tag: note === src.latest().note ? tag() : checkpointTag(note), value: note };
    },

    hashTile(level, index, width) {
      // The tree may hold a batch that is still committing: only what the checkpoint covers.
      const nodes = Math.floor(src.latest().size / TILE_W ** level);
      const bytes = index * TILE_W + width > nodes ? undefined : hashTileBytes(src.tree, level, index, width);
      if (bytes === undefined) throw new NotaryError('NOT_FOUND', 'that tile does not exist yet');
      return bytes;
    },

    entryBundle(index, width) {
      const start = index * TILE_W;
      if (width < 1 || width > TILE_W || start + width > src.latest().size)
        throw new NotaryError('NOT_FOUND', 'that entry bundle does not exist yet');
      const full = bundles.get(index);
      if (full !== undefined && width === TILE_W) return full;
      const bytes = encodeBundle(src.readLeaves(start, start + width));
      if (width === TILE_W) {
        if (bundles.size >= BUNDLE_CACHE) bundles.delete(bundles.keys().next().value as number);
        bundles.set(index, bytes);
      }
      return bytes;
    },

    lookup(ecosystem, name, page = {}) {
      const latest = src.latest();
      const limit = page.limit ?? LOOKUP_MAX_PAGE;
      const after = page.cursor === undefined ? -1 : decodeCursor(page.cursor);
      const { indexes, rows } = packageView(NotaryState.packageKey(ecosystem, name), latest.size);
      const from = firstAbove(indexes, after);
      const onPage = indexes.slice(from, from + limit);
      const last = onPage[onPage.length - 1];
      const more = from + limit < indexes.length;
      const inPage = (r: PublishedAudit) => {
        const top = Math.max(...r.entries);
        return top > after && (more ? top <= last! : true);
      };
      const value: LookupPage = {
        origin: src.config.origin,
        checkpoint: latest.note,
        treeSize: latest.size,
        approvals: rows.filter(inPage),
        entries: onPage.map((i) => lookupEntry(src, i, latest.size)),
        ...(more && last !== undefined && { next: encodeCursor(last) }),
      };
      // An artifact archived since changes `archived` without the tree growing.
      return { tag: src.archive ? `${tag()}-a${src.archive.count}` : tag(), value };
    },

    consistencyProof(from, to) {
      const size = src.latest().size;
      const upTo = to ?? size;
      if (from < 1 || from > upTo || upTo > size)
        throw new NotaryError('MALFORMED', `need 1 ≤ from ≤ to ≤ ${size} (the current tree size)`);
      return { from, to: upTo, proof: proveConsistency(src.tree, from, upTo).map(b64) };
    },

    feed(ecosystem) {
      const t = tag();
      let hit = feeds.get(ecosystem);
      if (hit?.tag !== t) {
        const latest = src.latest();
        const rows = publishedAudits(src.state, ecosystem, src.config.policy.quorum);
        const text = formatAuditsFeed(rows, src.config.policy, {
          origin: src.config.origin,
          ecosystem,
          size: latest.size,
          rootHash: b64(latest.rootHash),
        });
        hit = { tag: t, value: text };
        feeds.set(ecosystem, hit);
      }
      return hit;
    },

    keys: () => notaryKeysDoc(src.keys, src.config.origin),
  };
}

/** GET /v1/keys, also published as the static file `v1/keys`. */
export function notaryKeysDoc(keys: NotaryKeys, origin: string): ReturnType<NotaryReads['keys']> {
  return {
    origin,
    logKeys: keys.logVerifiers,
    admin: { keyid: keys.admin.keyid, publicKey: b64(keys.admin.publicKey) },
  };
}

function lookupEntry(src: ReadSource, i: number, size: number): LookupEntry {
  const info = src.state.entries[i];
  return {
    index: i,
    leafHash: info?.leafHash,
    claim: info?.claim,
    revokedBy: src.state.revoked.get(i),
    envelope: src.readLeaves(i, i + 1)[0]?.toString('base64'),
    inclusionProof: proveInclusion(src.tree, i, size).map(b64),
    ...(archivedOf(src, info?.claim) ?? {}),
  };
}

function archivedOf(src: ReadSource, claim: unknown): { archived: Record<string, string | null> } | undefined {
  const c = claim as { type?: string; digests?: Record<string, string> } | undefined;
  if (src.archive === undefined || c?.type !== 'audit' || c.digests === undefined) return undefined;
  const archived = Object.create(null) as Record<string, string | null>;
  for (const [v, d] of Object.entries(c.digests)) {
    const meta = src.archive.archived(d);
    archived[v] = meta ? `v1/artifacts/sha256/${meta.sha256}` : null;
  }
  return { archived };
}

/** Position of the first index > `after` in an ascending list (binary search). */
function firstAbove(sorted: readonly number[], after: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
