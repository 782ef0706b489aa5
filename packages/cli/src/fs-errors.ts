/**
 * File-system failures are bad input, not bugs: a path the user named is missing, a file where a
 * directory should be, a read-only disk. Node's errno errors become one `IO_ERROR` naming the
 * path (exit 2); anything else stays what it was.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { VetError } from '@vet/core';

const REASONS: ReadonlyMap<string, string> = new Map([
  ['ENOENT', 'no such file or directory'],
  ['ENOTDIR', 'a parent in its path is not a directory'],
  ['EISDIR', 'it is a directory'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['EROFS', 'the file system is read-only'],
  ['ENOSPC', 'no space left on the device'],
  ['EDQUOT', 'the disk quota is exhausted'],
  ['EMFILE', 'too many open files'],
  ['ENFILE', 'too many open files in the system'],
  ['EIO', 'an input/output error from the device'],
  ['EEXIST', 'it already exists'],
  ['ENAMETOOLONG', 'the name is too long'],
  ['ELOOP', 'too many symbolic links'],
  ['ENOTEMPTY', 'the directory is not empty'],
  ['EBUSY', 'the resource is busy'],
  ['EXDEV', 'it is on another device'],
]);

interface ErrnoLike {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

function errnoOf(e: unknown): ErrnoLike | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, syscall } = e as NodeJS.ErrnoException;
  if (typeof code !== 'string' || !REASONS.has(code) || typeof syscall !== 'string') return undefined;
  return e as unknown as ErrnoLike;
}

function verb(syscall: string): string {
  if (/^(open|read|readdir|stat|lstat|access|realpath|scandir|readlink)/.test(syscall)) return 'read';
  if (/^(mkdir|mkdtemp)/.test(syscall)) return 'create the directory';
  if (/^(rename|copyfile|link|symlink)/.test(syscall)) return 'move or copy';
  if (/^(unlink|rmdir|rm)/.test(syscall)) return 'remove';
  return 'write';
}

function hintFor(code: string, file: string): string {
  if (code === 'ENOENT') return `check the path; ${path.dirname(file)} must exist`;
  if (code === 'ENOTDIR') return `a part of ${file} is a file, not a directory: choose another path`;
  if (code === 'EISDIR') return `${file} is a directory: name a file`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'free some space and run the command again';
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return `check that you may use ${file}`;
  return 'check the path and run the command again';
}

/** A Node errno error as a clear `IO_ERROR`; any other value is returned unchanged. */
export function asIoError(e: unknown): unknown {
  const errno = errnoOf(e);
  if (errno === undefined) return e;
  const file = errno.path ?? errno.dest;
  const what =
    file === undefined
      ? `${errno.syscall ?? 'a file operation'} failed`
      : `cannot ${verb(errno.syscall ?? '')} ${file}`;
  return new VetError('IO_ERROR', `${what}: ${REASONS.get(errno.code)} (${errno.code})`, {
    ...(file === undefined ? {} : { file, hint: hintFor(errno.code, file) }),
    details: { errno: errno.code, ...(errno.syscall ? { syscall: errno.syscall } : {}) },
  });
}

/** `--cache-dir` must be a directory (or not exist yet): a file there is a mistake to name now. */
export function checkCacheDir(dir: string | undefined): void {
  if (dir === undefined) return;
  const full = path.resolve(dir);
  let isDir: boolean | undefined;
  try {
    isDir = statSync(full).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw asIoError(e);
  }
  if (!isDir) {
    throw new VetError('IO_ERROR', `--cache-dir ${full} is not a directory`, {
      file: full,
      hint: 'name a directory (it is created if missing), or leave --cache-dir out',
    });
  }
}
