/**
 * The file-system calls of the lockfile readers, observable (issue 12). Inside `traceReads`
 * every call is recorded as what it saw — a file's SHA-256, a listing's digest, a path's kind, or
 * the error code — so a parse cache can later tell, by making the same calls again, whether a
 * fresh read would see exactly the same inputs. Outside a trace these are node's own calls plus
 * nothing. The readers import their fs functions from here and are otherwise unchanged.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';

/** One call and what it saw. */
export interface Observation {
  op: 'read' | 'read-bytes' | 'list' | 'list-types' | 'stat' | 'exists';
  path: string;
  seen: string;
}

const log = new AsyncLocalStorage<Observation[]>();

/** Runs `work` with every traced call appended to `into`. */
export function traceReads<T>(into: Observation[], work: () => Promise<T>): Promise<T> {
  return log.run(into, work);
}

/** Does the same call still see the same thing? (Any failure to look counts as a change.) */
export function stillSeen(o: Observation): Promise<boolean> {
  return Promise.resolve(stillSeenSync(o));
}

/**
 * `stillSeen`, synchronously: a parse-cache hit asks hundreds of these (a Cargo graph's crate
 * facts), and small synchronous reads beat as many trips through the thread pool.
 */
export function stillSeenSync(o: Observation): boolean {
  try {
    return lookSync(o.op, o.path) === o.seen;
  } catch {
    return false;
  }
}

function digest(data: string | Buffer): string {
  // Text is hashed only for listings; files are hashed as bytes.
  return createHash('sha256').update(data).digest('hex');
}

function failed(e: unknown): string {
  return `error:${(e as NodeJS.ErrnoException).code ?? 'unknown'}`;
}

function kindOf(s: fs.Stats): string {
  return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other';
}

function listingDigest(entries: fs.Dirent[] | string[]): string {
  return digest(
    entries.map((e) => (typeof e === 'string' ? e : `${e.name}\0${e.isDirectory() ? 'd' : 'f'}`)).join('\n'),
  );
}

function lookSync(op: Observation['op'], path: string): string {
  try {
    if (op === 'read' || op === 'read-bytes') return digest(fs.readFileSync(path));
    if (op === 'list') return listingDigest(fs.readdirSync(path));
    if (op === 'list-types') return listingDigest(fs.readdirSync(path, { withFileTypes: true }));
    if (op === 'stat') return kindOf(fs.statSync(path));
    return String(fs.existsSync(path));
  } catch (e) {
    return failed(e);
  }
}

function note(op: Observation['op'], path: fs.PathLike, seen: () => string): void {
  log.getStore()?.push({ op, path: String(path), seen: seen() });
}

/** Runs a call, recording what it returned or the error it threw. */
function traced<T>(op: Observation['op'], path: fs.PathLike, call: () => T, seen: (v: T) => string): T {
  if (log.getStore() === undefined) return call();
  try {
    const v = call();
    note(op, path, () => seen(v));
    return v;
  } catch (e) {
    note(op, path, () => failed(e));
    throw e;
  }
}

async function tracedAsync<T>(
  op: Observation['op'],
  path: fs.PathLike,
  call: () => Promise<T>,
  seen: (v: T) => string,
): Promise<T> {
  const into = log.getStore();
  if (into === undefined) return call();
  try {
    const v = await call();
    into.push({ op, path: String(path), seen: seen(v) });
    return v;
  } catch (e) {
    into.push({ op, path: String(path), seen: failed(e) });
    throw e;
  }
}

/**
 * A text file. What a read saw is the SHA-256 of its bytes (as for `read-bytes`): hashing the
 * decoded text would encode it back to UTF-8 first, and checking an observation would decode
 * it again, both for nothing (a 1.2 MB package-lock.json: ~10 ms of a warm check).
 */
export async function readFile(path: string, encoding: 'utf8'): Promise<string> {
  return (await tracedAsync('read', path, () => fsp.readFile(path), digest)).toString(encoding);
}

export function readdir(path: string): Promise<string[]>;
export function readdir(path: string, options: { withFileTypes: true }): Promise<fs.Dirent[]>;
export function readdir(path: string, options?: { withFileTypes: true }): Promise<string[] | fs.Dirent[]> {
  if (options?.withFileTypes) return tracedAsync('list-types', path, () => fsp.readdir(path, options), listingDigest);
  return tracedAsync('list', path, () => fsp.readdir(path), listingDigest);
}

export function stat(path: string): Promise<fs.Stats> {
  return tracedAsync('stat', path, () => fsp.stat(path), kindOf);
}

export function existsSync(path: string): boolean {
  return traced('exists', path, () => fs.existsSync(path), String);
}

export function readFileSync(path: string, encoding: 'utf8'): string {
  return traced('read', path, () => fs.readFileSync(path), digest).toString(encoding);
}

/** A file's bytes (binary files: their digest is of the bytes, not of a decoding). */
export function readFileBytesSync(path: string): Buffer {
  return traced('read-bytes', path, () => fs.readFileSync(path), digest);
}

export function readdirSync(path: string, options: { withFileTypes: true }): fs.Dirent[] {
  return traced('list-types', path, () => fs.readdirSync(path, options), listingDigest);
}
