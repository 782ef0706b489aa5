/**
 * Lock files that name their holder, shared by the store lock and the notary mirror lock.
 * A lock holds `<pid> <start>\n` (start: the process's start time where the OS tells it,
 * so a pid reused by another process after a reboot or in a new container is not taken for
 * the holder). It is created by writing that line to a temp file and hard-linking it into
 * place, so the lock never exists without its content. A lock whose holder is gone is
 * broken whatever its content: a pid that no longer runs (or is this process, which does not
 * hold it), or content naming no pid (a power cut, a file system without hard links, an
 * older vet) once it is older than LOCK_GRACE_MS.
 */
import { readFileSync } from 'node:fs';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { crashPoint } from './failpoint.js';

/** How long a lock without a readable pid may be young (being written) before it is stale. */
export const LOCK_GRACE_MS = 2000;

/** Lock files this process holds now (resolved paths). */
const held = new Set<string>();

export type LockAttempt = { taken: true } | { taken: false; holder: number | undefined };

/**
 * One attempt to take `lockPath`: breaks a stale lock and retries at once; a live holder
 * (or a young lock still without content) is reported, not waited for. Node errors other
 * than EEXIST (a missing or read-only directory) are thrown as they are.
 */
export async function tryLock(lockPath: string): Promise<LockAttempt> {
  const key = path.resolve(lockPath);
  for (let attempt = 0; ; attempt++) {
    if (await createLock(key)) {
      held.add(key);
      return { taken: true };
    }
    const seen = await inspectLock(key);
    if (seen.state === 'live' || attempt >= 3) return { taken: false, holder: seen.pid };
    if (seen.state === 'stale') await breakStaleLock(key);
  }
}

/** Remove the lock if this process holds it. */
export async function releaseLock(lockPath: string): Promise<void> {
  const key = path.resolve(lockPath);
  if (!held.delete(key)) return;
  const owner = parseLock(await readFile(key, 'utf8').catch(() => ''));
  if (owner?.pid === process.pid) await unlink(key).catch(() => undefined);
}

/** Exclusive create with content: temp file + link(2), which fails if the lock exists. */
async function createLock(lockPath: string): Promise<boolean> {
  const tmp = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, lockLine(), { flag: 'wx' });
  try {
    crashPoint();
    await link(tmp, lockPath);
    return true;
  } catch (e) {
    if (errno(e) === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(errno(e))) throw e;
    return createLockWithoutLink(lockPath);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

const NO_HARD_LINKS: ReadonlySet<string> = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP']);

/** A file system without hard links: create-exclusive, then write (the grace period covers the gap). */
async function createLockWithoutLink(lockPath: string): Promise<boolean> {
  try {
    await writeFile(lockPath, lockLine(), { flag: 'wx' });
    return true;
  } catch (e) {
    if (errno(e) === 'EEXIST') return false;
    throw e;
  }
}

function errno(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? '';
}

function lockLine(): string {
  return `${process.pid} ${processStartTime(process.pid) ?? ''}`.trimEnd() + '\n';
}

interface LockOwner {
  pid: number;
  start: string | undefined;
}

function parseLock(text: string): LockOwner | undefined {
  const m = /^(\d{1,10})(?: (\d{1,20}))?\n?$/.exec(text);
  const pid = Number(m?.[1]);
  if (m === null || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return { pid, start: m[2] };
}

type Seen = { state: 'live' | 'stale' | 'gone'; pid: number | undefined };

/** Who holds the lock, and whether they are still there. */
async function inspectLock(lockPath: string): Promise<Seen> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, mtimeMs] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath).then((s) => s.mtimeMs)]);
  } catch {
    return { state: 'gone', pid: undefined }; // released meanwhile: try again
  }
  const owner = parseLock(text);
  if (owner === undefined) return { state: Date.now() - mtimeMs > LOCK_GRACE_MS ? 'stale' : 'live', pid: undefined };
  const live = isHolderAlive(owner) && (owner.pid !== process.pid || held.has(lockPath));
  return { state: live ? 'live' : 'stale', pid: owner.pid };
}

function isHolderAlive(owner: LockOwner): boolean {
  if (!isProcessAlive(owner.pid)) return false;
  const start = owner.start === undefined ? undefined : processStartTime(owner.pid);
  return start === undefined || start === owner.start;
}

/**
 * Move the stale lock aside (atomic), then check that what we moved is still stale; if a
 * live process took the lock in between, put theirs back.
 */
async function breakStaleLock(lockPath: string): Promise<void> {
  const aside = `${lockPath}.stale.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return; // someone else broke or released it; just retry
  }
  if ((await inspectLock(aside)).state === 'live') await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Is a process with this pid running? (Lock files name their holder's pid.) */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Start time of a process in clock ticks since boot (Linux /proc); undefined elsewhere. */
export function processStartTime(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (comm) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}
