/**
 * The user state directory for notary mirrors (notary.md §9 step 2, Go's
 * `$GOPATH/pkg/sumdb/<name>/latest` idea): outside the repository, so checking out an old
 * imports.lock or cleaning caches cannot roll the client back.
 *
 *   <root>/notaries/<hex sha256(origin)>/head.json      checkpoint, compact range, keys,
 *                                                       auditors, revocations, file lengths
 *   <root>/notaries/<hex sha256(origin)>/leaves.bin     every leaf hash (append-only)
 *   <root>/notaries/<hex sha256(origin)>/claims.ndjson  every audit/violation (append-only)
 *   <root>/notaries/<hex sha256(origin)>/latest         the signed checkpoint, for humans
 *   <root>/notaries/<hex sha256(origin)>/receipts/      tlog-proofs of our own submissions
 *
 * root = --state-dir, else $XDG_STATE_HOME/vet, else ~/.local/state/vet. A refresh appends
 * only what is new and then renames head.json into place: the head is the commit point and
 * names how much of each append-only file is valid, so a crash leaves the old state intact.
 * The appended files are fsynced before the head is written with the durable writer. Saves
 * are serialised by `mirror.lock` (a pid lock, broken when its holder is gone); the larger
 * verified checkpoint wins.
 */
import { createHash } from 'node:crypto';
import { open, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  CompactRange,
  NOTARY_MIRROR_FORMAT,
  VetError,
  revokedNotaryClaim,
  type NotaryClaimRecord,
  type NotaryMirrorState,
} from '@vet/core';
import { releaseLock, tryLock, writeFileAtomic, type DurableWriteOptions } from '@vet/core/node';
import { StoredClaim, parseStoredClaims } from './stored-claims.js';

const HEAD_FORMAT = 'vet-notary-mirror-head/v1';

/** Files of the state directory are the user's own: 0600 in 0700 directories. */
export const STATE_FILE: DurableWriteOptions = { mode: 0o600, mkdirMode: 0o700 };

/** How much of the append-only files the saved head covers. */
export interface SavedMirror {
  size: number;
  claimCount: number;
  claimsBytes: number;
}

interface Head extends Omit<NotaryMirrorState, 'format' | 'leafHashes' | 'claims'> {
  format: typeof HEAD_FORMAT;
  claimCount: number;
  claimsBytes: number;
  /** Claim position → index of the revocation entry. */
  revoked: Record<string, number>;
}

export function notaryStateRoot(env: NodeJS.ProcessEnv, stateDir?: string): string {
  if (stateDir !== undefined) return path.resolve(stateDir);
  const xdg = env['XDG_STATE_HOME'];
  if (xdg) return path.join(xdg, 'vet');
  return path.join(env['HOME'] ?? os.homedir(), '.local', 'state', 'vet');
}

export function notaryStateDir(root: string, origin: string): string {
  return path.join(root, 'notaries', createHash('sha256').update(origin, 'utf8').digest('hex'));
}

/** The saved mirror, or nothing (with a warning when files exist but cannot be used). */
export async function readNotaryMirror(
  dir: string,
): Promise<{ state?: NotaryMirrorState; saved?: SavedMirror; warning?: string }> {
  let headText: string;
  try {
    headText = await readFile(path.join(dir, 'head.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new VetError('INVALID_ARGUMENT', `cannot read the notary mirror in ${dir}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  try {
    return await loadMirror(dir, JSON.parse(headText) as Head);
  } catch (e) {
    return {
      warning: `ignoring the unusable notary mirror in ${dir} (${(e as Error).message}); mirroring again from the start`,
    };
  }
}

async function loadMirror(dir: string, head: Head): Promise<{ state: NotaryMirrorState; saved: SavedMirror }> {
  if (head.format !== HEAD_FORMAT) throw new Error(`head.json is not ${String(HEAD_FORMAT)}`);
  const range = CompactRange.fromJSON(head.range, path.join(dir, 'head.json'));
  const leaves = await readFile(path.join(dir, 'leaves.bin'));
  if (leaves.length < range.size * 32) throw new Error('leaves.bin is shorter than the head says');
  const claimsBuf = await readFile(path.join(dir, 'claims.ndjson'));
  if (claimsBuf.length < head.claimsBytes) throw new Error('claims.ndjson is shorter than the head says');
  // Parsed on demand (stored-claims.ts): a refresh reads few old claims in full.
  const claims: NotaryClaimRecord[] = parseStoredClaims(claimsBuf.subarray(0, head.claimsBytes).toString('utf8'));
  if (claims.length !== head.claimCount) throw new Error('claims.ndjson does not hold the claims the head counts');
  for (const [pos, by] of Object.entries(head.revoked)) {
    const c = claims[Number(pos)];
    if (c === undefined) throw new Error('a revocation names a claim that is not there');
    claims[Number(pos)] = revokedNotaryClaim(c, by);
  }
  const state: NotaryMirrorState = {
    format: NOTARY_MIRROR_FORMAT,
    origin: head.origin,
    logKey: head.logKey,
    checkpoint: head.checkpoint,
    range: range.toJSON(),
    leafHashes: new Uint8Array(leaves.buffer, leaves.byteOffset, range.size * 32),
    adminKeys: head.adminKeys,
    auditors: head.auditors,
    claims,
  };
  return { state, saved: { size: range.size, claimCount: head.claimCount, claimsBytes: head.claimsBytes } };
}

/**
 * Saves `state`, which extends `saved` (what readNotaryMirror returned; undefined = write
 * everything). Skips (returns false) when another vet process is saving, or the directory
 * already holds a larger checkpoint: the state is verified data, so not saving is safe.
 * `pending`: lines already serialised (notaryClaimLine) for state.claims[from…], e.g. while
 * the refresh was waiting for signature checks.
 */
export async function writeNotaryMirror(
  dir: string,
  state: NotaryMirrorState,
  saved?: SavedMirror,
  pending?: ClaimLines,
): Promise<boolean> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lock = path.join(dir, 'mirror.lock');
  if (!(await tryLock(lock)).taken) return false;
  try {
    const current = await readSavedHead(dir);
    if (current && current.size > state.range.size) return false;
    // Only extend what is on disk now; otherwise rewrite from the start.
    const base = saved && current && sameSaved(saved, current) ? saved : undefined;
    await appendFrom(
      path.join(dir, 'leaves.bin'),
      (base?.size ?? 0) * 32,
      Buffer.from(state.leafHashes.subarray((base?.size ?? 0) * 32)),
    );
    const fresh = claimsText(state.claims, base?.claimCount ?? 0, pending);
    const claimsBytes = (base?.claimsBytes ?? 0) + Buffer.byteLength(fresh);
    await appendFrom(path.join(dir, 'claims.ndjson'), base?.claimsBytes ?? 0, Buffer.from(fresh));
    const revoked: Record<string, number> = {};
    state.claims.forEach((c, i) => {
      if (c.revokedBy !== undefined) revoked[i] = c.revokedBy;
    });
    const { format: _f, leafHashes: _l, claims: _c, ...rest } = state;
    const head: Head = { ...rest, format: HEAD_FORMAT, claimCount: state.claims.length, claimsBytes, revoked };
    // The appended files were fsynced: the head, the commit point, never names missing bytes.
    await writeFileAtomic(path.join(dir, 'head.json'), JSON.stringify(head), STATE_FILE);
    await writeFileAtomic(path.join(dir, 'latest'), state.checkpoint, STATE_FILE);
    return true;
  } finally {
    await releaseLock(lock);
  }
}

async function readSavedHead(dir: string): Promise<SavedMirror | undefined> {
  try {
    const head = JSON.parse(await readFile(path.join(dir, 'head.json'), 'utf8')) as Head;
    return { size: head.range.size, claimCount: head.claimCount, claimsBytes: head.claimsBytes };
  } catch {
    return undefined;
  }
}

/** The file's first `validBytes` (dropping a crashed save's tail), then `data`; fsynced. */
async function appendFrom(file: string, validBytes: number, data: Buffer): Promise<void> {
  const fh = await open(file, validBytes === 0 ? 'w' : 'r+', 0o600);
  try {
    await fh.truncate(validBytes);
    await fh.write(data, 0, data.length, validBytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

function sameSaved(a: SavedMirror, b: SavedMirror): boolean {
  return a.size === b.size && a.claimCount === b.claimCount && a.claimsBytes === b.claimsBytes;
}

/** Lines for claims[from…] (notaryClaimLine), already made, if the caller has them. */
export interface ClaimLines {
  from: number;
  lines: string[];
}

/** One claims.ndjson line; revocations live in the head, so the line never changes. */
export function notaryClaimLine(c: NotaryClaimRecord): string {
  if (c instanceof StoredClaim) return c.line + '\n';
  return JSON.stringify(stripRevocation(c)) + '\n';
}

/** claims.ndjson text for claims[start…], reusing `pending` lines where they cover the tail. */
function claimsText(claims: readonly NotaryClaimRecord[], start: number, pending?: ClaimLines): string {
  const usable =
    pending !== undefined && pending.from >= start && pending.from + pending.lines.length === claims.length;
  const end = usable ? pending.from : claims.length;
  let text = '';
  for (let i = start; i < end; i++) text += notaryClaimLine(claims[i]!);
  return usable ? text + pending.lines.join('') : text;
}

function stripRevocation(c: NotaryClaimRecord): NotaryClaimRecord {
  if (c.revokedBy === undefined) return c;
  const { revokedBy: _r, ...rest } = c;
  return rest;
}
