/**
 * The user state directory for notary mirrors (notary.md §9 step 2, Go's
 * `$GOPATH/pkg/sumdb/<name>/latest` idea): outside the repository, so checking out an old
 * imports.lock or cleaning caches cannot roll the client back.
 *   <root>/notaries/<hex sha256(origin)>/mirror.json   the mirror state (core NotaryMirrorState)
 *   <root>/notaries/<hex sha256(origin)>/latest        its signed checkpoint, for humans and tools
 *   <root>/notaries/<hex sha256(origin)>/receipts/     tlog-proof receipts of our own submissions
 * root = --state-dir, else $XDG_STATE_HOME/vet, else ~/.local/state/vet.
 * Writes are atomic (temp file + rename); the larger verified checkpoint wins.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { VetError, parseCheckpoint, parseNote, parseNotaryMirrorState, serializeNotaryMirrorState, type NotaryMirrorState } from '@vet/core';

export function notaryStateRoot(env: NodeJS.ProcessEnv, stateDir?: string): string {
  if (stateDir !== undefined) return path.resolve(stateDir);
  const xdg = env['XDG_STATE_HOME'];
  if (xdg) return path.join(xdg, 'vet');
  return path.join(env['HOME'] ?? os.homedir(), '.local', 'state', 'vet');
}

export function notaryStateDir(root: string, origin: string): string {
  return path.join(root, 'notaries', createHash('sha256').update(origin, 'utf8').digest('hex'));
}

/** The saved mirror, or undefined (with a warning when a file exists but cannot be used). */
export async function readNotaryMirror(dir: string): Promise<{ state?: NotaryMirrorState; warning?: string }> {
  const file = path.join(dir, 'mirror.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new VetError('INVALID_ARGUMENT', `cannot read ${file}: ${(e as Error).message}`, { file, cause: e });
  }
  try {
    return { state: parseNotaryMirrorState(text, file) };
  } catch (e) {
    return { warning: `ignoring the unreadable notary mirror ${file} (${(e as Error).message}); mirroring again from the start` };
  }
}

/**
 * Saves `state` unless the directory already holds a larger checkpoint (another vet
 * process got further meanwhile: the larger verified one wins). Returns whether it wrote.
 */
export async function writeNotaryMirror(dir: string, state: NotaryMirrorState): Promise<boolean> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const current = await savedSize(path.join(dir, 'latest'));
  if (current !== undefined && current > state.range.size) return false;
  await writeAtomic(path.join(dir, 'mirror.json'), serializeNotaryMirrorState(state));
  await writeAtomic(path.join(dir, 'latest'), state.checkpoint);
  return true;
}

export async function writeAtomic(file: string, data: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  await writeFile(tmp, data, { mode: 0o600 });
  await rename(tmp, file);
}

async function savedSize(file: string): Promise<number | undefined> {
  try {
    return parseCheckpoint(parseNote(await readFile(file, 'utf8')).text).size;
  } catch {
    return undefined;
  }
}
