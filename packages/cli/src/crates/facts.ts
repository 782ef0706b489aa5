/**
 * A Cargo graph that does not depend on the machine (spec/cargo-vet-format.md §7.1, §14 trap 3).
 * cargo metadata — and so cargo vet — drops a dependency on a crate without a library target,
 * with everything only it pulls in; only the crate's published manifest tells. vet learns it,
 * cheapest first, and keeps what it learned:
 *  1. vet's own cache (`crate-facts/sha256-<checksum>.json`, keyed by Cargo.lock's checksum);
 *  2. cargo's unpacked sources (registry/src) and downloaded `.crate` files (registry/cache,
 *     used only when their sha256 is Cargo.lock's);
 *  3. when the command may use the network (not --locked), the `.crate` from the registry
 *     Cargo uses (registry.ts), checked against Cargo.lock's checksum, read without unpacking
 *     (crate-manifest.ts). Only crates the graph reaches through crates known to have a
 *     library are fetched, a bounded number at a time.
 * A crate whose manifest stays unknown is assumed to have a library (the graph can only grow,
 * so the verdict can only be stricter), and a warning names it and how to fetch it.
 */
import { createHash } from 'node:crypto';
import {
  VetError,
  buildCargoGraph,
  isVetError,
  type CrateFacts,
  type DependencyGraph,
  type PackageNode,
} from '@vet/core';
import { cargoRegistryCrateFacts, readCargoInputs, tracedExistsSync, tracedReadFileSync } from '@vet/core/node';
import { join } from 'node:path';
import { openCache, writeCacheJson, type VetCache } from '../registry/cache.js';
import { touch } from '../registry/cache-limit.js';
import { createLimiter } from '../registry/limiter.js';
import { cargoHomeOf, crateCacheDirs, readCrateFile } from './cargo-home.js';
import type { CratesClient } from './client.js';

// The archive reader (tar) and the HTTP client (undici) load only when a manifest is missing:
// a --locked check on a machine that knows every crate pays for neither.
const archive = () => import('./crate-manifest.js');

export interface CargoGraphOptions {
  env: NodeJS.ProcessEnv;
  cacheDir?: string;
  /** May missing manifests be fetched from the registry (an unlocked command)? */
  network: boolean;
  /** Parallel downloads; default 8. */
  concurrency?: number;
}

const KIND = 'crate-facts';
const key = (name: string, version: string) => `${name}@${version}`;
const checksumOf = (n: PackageNode) => n.integrity.find((i) => i.algo === 'sha256' && i.encoding === 'hex')?.digest;

/**
 * Are there any records? Asked once (through traced-fs, so a cached graph notices the folder
 * appear): on an empty cache every crate's record is absent, and asking for each one costs a
 * failed open and a thrown error per crate (~485 for wasmtime) on the cold run and again on
 * every warm run that checks the observations.
 */
function haveRecords(cache: VetCache): boolean {
  return tracedExistsSync(join(cache.root, KIND));
}

/** vet's record of a crate; read through traced-fs, so a cached graph notices a record that came or went. */
function cachedFacts(cache: VetCache, checksum: string): CrateFacts | undefined {
  const file = join(cache.root, KIND, `sha256-${checksum}.json`);
  let v: { hasLib?: unknown; manifest?: unknown } | undefined;
  try {
    v = JSON.parse(tracedReadFileSync(file, 'utf8')) as typeof v;
  } catch {
    return undefined;
  }
  touch(file); // asked for = used (eviction order)
  if (typeof v?.hasLib !== 'boolean') return undefined;
  return { hasLib: v.hasLib, ...(typeof v.manifest === 'string' && { manifest: v.manifest }) };
}

function keepFacts(cache: VetCache, checksum: string, facts: CrateFacts): void {
  try {
    writeCacheJson(cache, KIND, `sha256-${checksum}`, { hasLib: facts.hasLib, manifest: facts.manifest });
  } catch {
    // A read-only cache costs a download next time, not correctness.
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** What is known about the crates, and what was asked and not known. */
class FactsBook {
  readonly known = new Map<string, CrateFacts>();
  readonly missed = new Set<string>();
  private readonly fromCargo: (name: string, version: string) => CrateFacts | undefined;
  private records: boolean | undefined;

  constructor(
    readonly cache: VetCache,
    readonly cargoHome: string,
    private readonly checksums: ReadonlyMap<string, string>,
  ) {
    this.fromCargo = cargoRegistryCrateFacts(cargoHome);
  }

  /** The provider buildCargoGraph asks, for every dependency of every package. */
  readonly provider = (name: string, version: string): CrateFacts | undefined => {
    const k = key(name, version);
    let facts = this.known.get(k);
    if (facts) return facts;
    if (this.missed.has(k)) return undefined; // nothing learned since (learn() moves it to known)
    const checksum = this.checksums.get(k);
    facts = (checksum && this.hasRecords() && cachedFacts(this.cache, checksum)) || this.fromCargo(name, version);
    if (facts) this.known.set(k, facts);
    else this.missed.add(k);
    return facts;
  };

  private hasRecords(): boolean {
    return (this.records ??= haveRecords(this.cache));
  }

  learn(n: PackageNode, checksum: string, facts: CrateFacts): void {
    this.known.set(key(n.name, n.version), facts);
    this.missed.delete(key(n.name, n.version));
    keepFacts(this.cache, checksum, facts);
  }
}

/** The lockfile's checksum for each registry name@version. */
function lockChecksums(lock: {
  packages: { name: string; version: string; checksum?: string }[];
}): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of lock.packages)
    if (p.checksum && !out.has(key(p.name, p.version))) out.set(key(p.name, p.version), p.checksum);
  return out;
}

/** Third-party nodes of the graph whose manifest nobody knows. */
function unknownNodes(graph: DependencyGraph, book: FactsBook): PackageNode[] {
  return graph.nodes.filter((n) => !n.firstParty && book.missed.has(key(n.name, n.version)) && checksumOf(n));
}

export async function readCargoGraph(dir: string, opts: CargoGraphOptions): Promise<DependencyGraph> {
  const { input } = await readCargoInputs(dir, { env: opts.env });
  const cache = openCache({ ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}), env: opts.env });
  const book = new FactsBook(cache, cargoHomeOf(opts.env), lockChecksums(input.lock));
  const build = () => buildCargoGraph({ ...input, crateFacts: book.provider });
  let graph = build();
  let unknown = unknownNodes(graph, book);
  if (unknown.length === 0) return graph;
  const notes: string[] = [];
  let learned = await fromCargoCrates(book, unknown);
  if (opts.network) learned += await fetchFacts(graph, book, opts, dir, notes);
  if (learned > 0) {
    graph = build();
    unknown = unknownNodes(graph, book);
  }
  if (unknown.length > 0 && notes.length === 0) notes.push(assumedNote(unknown));
  graph.warnings.push(...notes);
  return graph;
}

/** `.crate` files cargo downloaded, used when their sha256 is Cargo.lock's. */
async function fromCargoCrates(book: FactsBook, unknown: PackageNode[]): Promise<number> {
  const dirs = crateCacheDirs(book.cargoHome);
  let learned = 0;
  for (const n of unknown) {
    const checksum = checksumOf(n)!;
    for (const d of dirs) {
      const bytes = readCrateFile(book.cargoHome, d, n.name, n.version);
      if (!bytes || sha256(bytes) !== checksum) continue;
      book.learn(n, checksum, await (await archive()).crateFactsFromArchive(bytes, n.name, n.version));
      learned++;
      break;
    }
  }
  return learned;
}

function list(nodes: readonly PackageNode[]): string {
  const names = nodes.map((n) => `${n.name} ${n.version}`).sort();
  return names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
}

function assumedNote(unknown: readonly PackageNode[]): string {
  return (
    `${unknown.length} crate(s) were assumed to have a library target, because their published manifests are not on ` +
    `this machine: ${list(unknown)}. cargo metadata (and so cargo vet) leaves out a dependency on a crate without one, ` +
    'with what only it pulls in; fetch them with an unlocked `vet check` (or `cargo fetch`) for the same graph'
  );
}

/**
 * Fetches the manifests the graph needs, walking from the members: a crate is fetched when it
 * is reached, and what it depends on is reached only if it has a library. Returns how many
 * crates were learned; failures become one note.
 */
async function fetchFacts(
  graph: DependencyGraph,
  book: FactsBook,
  opts: CargoGraphOptions,
  dir: string,
  notes: string[],
): Promise<number> {
  let client: CratesClient;
  try {
    const [{ createCratesClient }, { loadCratesRegistry }] = await Promise.all([
      import('./client.js'),
      import('./registry.js'),
    ]);
    client = createCratesClient({ registry: await loadCratesRegistry(dir, opts.env, graph) });
  } catch (e) {
    if (!isVetError(e) || e.details?.['setting'] === undefined) throw e;
    const unknown = unknownNodes(graph, book);
    notes.push(`${assumedNote(unknown)} — but ${e.message} (${e.hint ?? ''})`);
    return 0;
  }
  const failed: { node: PackageNode; error: VetError }[] = [];
  let learned: number;
  try {
    learned = await walk(graph, book, opts.concurrency ?? 8, async (n) => {
      try {
        const facts = await fetchOne(client, n);
        book.learn(n, checksumOf(n)!, facts);
        return facts;
      } catch (e) {
        if (!isVetError(e)) throw e;
        failed.push({ node: n, error: e });
        return undefined;
      }
    });
  } finally {
    await client.close();
  }
  if (failed.length > 0) {
    const first = failed[0]!.error;
    notes.push(
      `could not fetch the manifests of ${list(failed.map((f) => f.node))} (${first.message}${first.hint ? `; ${first.hint}` : ''}); ` +
        'they were assumed to have a library target',
    );
  }
  return learned;
}

/** Breadth-first from the members; unknown crates are fetched (bounded) before their dependencies are reached. */
async function walk(
  graph: DependencyGraph,
  book: FactsBook,
  concurrency: number,
  fetch: (n: PackageNode) => Promise<CrateFacts | undefined>,
): Promise<number> {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const limiter = createLimiter(concurrency);
  const seen = new Set<string>();
  const pending: Promise<void>[] = [];
  let learned = 0;
  const visit = (n: PackageNode): void => {
    for (const e of n.deps) {
      const t = byId.get(e.to);
      if (!t || seen.has(t.id)) continue;
      seen.add(t.id);
      if (t.firstParty || !book.missed.has(key(t.name, t.version)) || !checksumOf(t)) visit(t);
      else
        pending.push(
          limiter
            .run(() => fetch(t))
            .then((facts) => {
              if (facts) learned++;
              if (facts?.hasLib !== false) visit(t);
            }),
        );
    }
  };
  for (const m of graph.nodes.filter((x) => x.workspaceMember)) {
    seen.add(m.id);
    visit(m);
  }
  while (pending.length > 0) await Promise.all(pending.splice(0));
  return learned;
}

/** Downloads name@version's .crate, checks it is the one Cargo.lock pins, and reads its facts. */
async function fetchOne(client: CratesClient, n: PackageNode): Promise<CrateFacts> {
  const checksum = checksumOf(n)!;
  const release = await client.release(n.name, n.version, checksum);
  const bytes = await client.download(release);
  const actual = sha256(bytes);
  if (actual !== checksum) {
    throw new VetError(
      'INTEGRITY_MISMATCH',
      `${n.name} ${n.version}: the downloaded .crate has sha256 ${actual}, but Cargo.lock says ${checksum}; refusing to use it`,
      {
        hint: 'the registry or something between it and you served different bytes',
        details: { expected: checksum, actual },
      },
    );
  }
  return (await archive()).crateFactsFromArchive(bytes, n.name, n.version);
}
