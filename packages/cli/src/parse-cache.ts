/**
 * The parse cache (issue 12): a lockfile's dependency graph, kept under `<cache>/parse/` so a
 * second `vet check` on unchanged files skips parsing. An entry is never trusted on its word:
 * it records every file-system call the reader made and what it saw (file SHA-256, listings,
 * kinds; `@vet/core/node` traced-fs), and is used only when the same calls see the same things
 * again, with the same vet build. A corrupt, foreign or stale entry is ignored and rewritten.
 * Writing is best-effort: a read-only cache never fails a command.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DependencyGraph, Store } from '@vet/core';
import { stillSeenSync, traceReads, type Observation } from '@vet/core/node';
import { writeFileAtomic } from './registry/cache.js';
import { touch } from './registry/cache-limit.js';

/** Bumped whenever an entry's layout or the meaning of an observation changes (2: reads digest bytes; 3: marks list their null-prototype objects). */
const FORMAT = 3;

export interface ParseCacheOptions {
  /** The cache root (`resolveCacheDir`). */
  root: string;
  /** Identifies the code that parsed: entries of another build are never used. */
  build: string;
  /** The lockfile; an entry that never read it is not kept. */
  lockfile: string;
  /** Everything else the graph depends on besides the files the reader reads (environment). */
  inputs: Record<string, string | undefined>;
}

interface Entry {
  format: number;
  key: string;
  observations: Observation[];
  graph: DependencyGraph;
}

/** The graph `read` would return, from the cache when every input is unchanged. */
export async function cachedGraph(
  o: ParseCacheOptions,
  read: () => Promise<DependencyGraph>,
): Promise<DependencyGraph> {
  const key = createHash('sha256')
    .update(JSON.stringify([FORMAT, o.build, o.lockfile, o.inputs]))
    .digest('hex');
  const file = path.join(o.root, 'parse', `${key}.json`);
  const hit = usable(file, key);
  if (hit !== undefined) return hit;
  const observations: Observation[] = [];
  const graph = await traceReads(observations, read);
  if (!observations.some((x) => x.op === 'read' && x.path === o.lockfile)) return graph;
  try {
    const entry: Entry = { format: FORMAT, key, observations: distinct(observations), graph };
    writeFileAtomic(file, JSON.stringify(entry));
  } catch {
    // A cache we cannot write is only slower.
  }
  return graph;
}

/** Each call once: a reader may ask the same question many times (Cargo's crate facts do). */
function distinct(observations: Observation[]): Observation[] {
  const seen = new Set<string>();
  return observations.filter((x) => {
    const k = `${x.op}\0${x.path}\0${x.seen}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function usable(file: string, key: string): DependencyGraph | undefined {
  // Synchronous reads: a hit is on every warm check's path, and a trip through the thread pool
  // per file costs more than the read (more so on a loaded machine).
  let entry: unknown;
  try {
    entry = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isEntry(entry) || entry.key !== key) return undefined;
  if (!entry.observations.every(stillSeenSync)) return undefined;
  // The entry's modification time is its last use, for least-recently-used eviction.
  touch(file);
  return entry.graph;
}

function isEntry(v: unknown): v is Entry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<Entry>;
  return (
    e.format === FORMAT &&
    typeof e.key === 'string' &&
    Array.isArray(e.observations) &&
    e.observations.every(
      (o) => typeof o?.op === 'string' && typeof o.path === 'string' && typeof o.seen === 'string',
    ) &&
    typeof e.graph === 'object' &&
    e.graph !== null &&
    Array.isArray(e.graph.nodes) &&
    Array.isArray(e.graph.warnings)
  );
}

/**
 * A small derived string (a Cargo store's location, read from the root Cargo.toml), kept under
 * `<cache>/parse/` by the SHA-256 of everything it was computed from and the build. A failure
 * is not kept: the next run computes (and reports) it again.
 */
export function memoString(
  o: { root: string; build: string },
  inputs: readonly string[],
  compute: () => string,
): string {
  const key = createHash('sha256')
    .update(JSON.stringify([FORMAT, o.build, 'string', ...inputs]))
    .digest('hex');
  const file = path.join(o.root, 'parse', `${key}.json`);
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown; value?: unknown };
    if (v.key === key && typeof v.value === 'string') {
      touch(file);
      return v.value;
    }
  } catch {
    // Absent or corrupt: computed again.
  }
  const value = compute();
  try {
    writeFileAtomic(file, JSON.stringify({ format: FORMAT, key, value }));
  } catch {
    // Only slower next time.
  }
  return value;
}

/**
 * Canonical-form marks: the name of a file under `<cache>/canonical/` is the SHA-256 of a store's
 * three files, its directory and the build; it exists once this build found them canonical, so
 * `--locked` need not re-serialise the same bytes again. The mark also holds the store those
 * bytes parse to (JSON), so a warm `--locked` check parses no TOML; a mark that does not hold
 * one (empty, corrupt, or of an older build) still says "canonical", and the store is parsed.
 */
export interface StoreText {
  config: string;
  audits: string;
  importsLock: string | undefined;
}

function markPath(root: string, build: string, dir: string, files: StoreText): string {
  const inputs = [root, build, dir, files.config, files.audits, files.importsLock] as const;
  // A cold `--locked` check asks twice (look up, then mark) for the same texts: hash them once.
  if (lastMark?.inputs.every((x, i) => x === inputs[i])) return lastMark.path;
  const h = createHash('sha256').update(
    JSON.stringify([FORMAT, build, dir, files.config, files.audits, files.importsLock ?? null]),
  );
  const mark = path.join(root, 'canonical', h.digest('hex'));
  lastMark = { inputs, path: mark };
  return mark;
}

let lastMark: { inputs: readonly (string | undefined)[]; path: string } | undefined;

/** What a mark says: undefined when there is none; `store` when it holds a usable one. */
export interface CanonicalMark {
  store?: Store;
}

export function knownCanonical(root: string, build: string, dir: string, files: StoreText): CanonicalMark | undefined {
  const mark = markPath(root, build, dir, files);
  let text: string;
  try {
    text = readFileSync(mark, 'utf8');
  } catch {
    return undefined;
  }
  // Touching the mark keeps it from being evicted while in use.
  touch(mark);
  const store = storeOf(text);
  return store === undefined ? {} : { store };
}

function storeOf(text: string): Store | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const mark = v as { store?: unknown; nullPrototypes?: unknown } | null;
  const s = restoreNullPrototypes(mark?.store, mark?.nullPrototypes) as Partial<Store> | undefined;
  const isObject = (x: unknown) => typeof x === 'object' && x !== null;
  return isObject(s) && isObject(s.config) && isObject(s.audits) && isObject(s.importsLock) ? (s as Store) : undefined;
}

/** Keys from a value's root to one of its objects. */
type KeyPath = Array<string | number>;

/**
 * The store keeps every map keyed by outside strings in a null-prototype object (so a package
 * named `constructor` is an ordinary key), and its entries in plain ones. JSON keeps neither,
 * so the mark lists where the null-prototype objects were (children before parents), and only
 * those are rebuilt: a reviver that gave every object a null prototype cost ~25 ms on a 180 KB
 * store in a fresh process (against ~3 ms for the plain parse) and left ~1,600 entries as
 * slow dictionary-mode objects (issue 12).
 *
 * Returns those paths when `JSON.parse(JSON.stringify(v))` gives back the same value, else
 * undefined. Only plain or null-prototype objects (no `__proto__` key, no undefined member),
 * arrays without holes or undefined, strings, booleans, null and finite numbers other than -0
 * survive the trip unchanged. One walk does both (a deep comparison of the round trip costs
 * ~5x more on a large store; two walks, one to check and one to list, twice one).
 */
export function exactJsonPaths(v: unknown): KeyPath[] | undefined {
  const out: KeyPath[] = [];
  // One stack of keys, copied only for the few objects listed.
  return exactLeaf(v) || (typeof v === 'object' && v !== null && exactObject(v, [], out)) ? out : undefined;
}

/**
 * A value JSON gives back as it was, other than an object or array. Strings, the bulk of a
 * store, are told first, and the walk asks this before it pushes a key and recurses: a cold
 * `--locked` check runs the walk once, mostly in the interpreter, where a push, a pop and a
 * recursive call per value cost (~3–5 ms on insomnia's 130 KB store).
 */
function exactLeaf(x: unknown): boolean {
  if (typeof x === 'string' || typeof x === 'boolean' || x === null) return true;
  return typeof x === 'number' && Number.isFinite(x) && !Object.is(x, -0);
}

function exactObject(x: object, at: KeyPath, out: KeyPath[]): boolean {
  if (Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      // A hole reads as undefined, which JSON does not keep either.
      const e: unknown = x[i];
      if (exactLeaf(e)) continue;
      if (typeof e !== 'object' || e === null) return false;
      at.push(i);
      const ok = exactObject(e, at, out);
      at.pop();
      if (!ok) return false;
    }
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(x);
  if (Reflect.ownKeys(x).length !== keys.length) return false; // symbols, non-enumerables
  for (const k of keys) {
    if (k === '__proto__') return false;
    const e = (x as Record<string, unknown>)[k];
    if (exactLeaf(e)) continue;
    if (typeof e !== 'object' || e === null) return false;
    at.push(k);
    const ok = exactObject(e, at, out);
    at.pop();
    if (!ok) return false;
  }
  if (proto === null) out.push([...at]);
  return true;
}

/** Does `JSON.parse(JSON.stringify(v))` give back the same value? (see exactJsonPaths) */
export function jsonExact(v: unknown): boolean {
  return exactJsonPaths(v) !== undefined;
}

/**
 * `root` (fresh from JSON.parse) with the objects at `paths` given back their null prototype,
 * or undefined when `paths` is not a list of paths to objects (a corrupt or foreign mark).
 */
export function restoreNullPrototypes(root: unknown, paths: unknown): unknown {
  if (!Array.isArray(paths)) return undefined;
  const holder: Record<string, unknown> = { root };
  for (const path of paths as unknown[]) {
    if (!Array.isArray(path) || !path.every((k) => typeof k === 'string' || typeof k === 'number')) return undefined;
    let parent: unknown = holder;
    let key: string | number = 'root';
    for (const k of path) {
      parent = ownValue(parent, key);
      key = k;
    }
    const v = ownValue(parent, key);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    // A data property, never a setter (keys are own properties JSON.parse made).
    Object.defineProperty(parent, key, {
      value: Object.assign(Object.create(null) as object, v),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return holder['root'];
}

function ownValue(parent: unknown, key: string | number): unknown {
  if (typeof parent !== 'object' || parent === null || !Object.hasOwn(parent, key)) return undefined;
  return (parent as Record<string | number, unknown>)[key];
}

/**
 * Marks the files canonical, keeping `store` in the mark only when JSON carries it exactly
 * (a store JSON cannot carry is parsed again each time instead).
 */
export function markCanonical(root: string, build: string, dir: string, files: StoreText, store: Store): void {
  try {
    const nullPrototypes = exactJsonPaths(store);
    const text = nullPrototypes === undefined ? '' : JSON.stringify({ store, nullPrototypes });
    writeFileAtomic(markPath(root, build, dir, files), text);
  } catch {
    // Only slower next time.
  }
}
