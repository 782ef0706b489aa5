/**
 * Storage the notary cannot write to: a full disk, a read-only data directory, an I/O error.
 * These are the operator's to fix, not bugs, so they get one line naming the cause and the
 * path, and their own exit code (EXIT_STORAGE, documented in docs/notary.md), instead of
 * "internal error". Recognised from Node's errno codes and SQLite's result codes, anywhere
 * in an error's `cause` chain.
 */

/** sysexits' EX_IOERR: the data directory cannot be written (full, read-only, I/O error). */
export const EXIT_STORAGE = 74;

const WHAT: [RegExp, string][] = [
  [/^(ENOSPC|EDQUOT|SQLITE_FULL)$/, 'the disk holding it is full'],
  [/^(EROFS|SQLITE_READONLY.*)$/, 'it is read-only'],
  [
    /^(EACCES|EPERM|SQLITE_CANTOPEN.*|SQLITE_AUTH)$/,
    'it cannot be opened for writing (permissions, or not a directory)',
  ],
  [/^(ENOTDIR|EISDIR)$/, 'a file stands where a directory is expected (or the other way round)'],
  [/^(EIO|SQLITE_IOERR.*)$/, 'an I/O error occurred'],
];

export interface StorageProblem {
  code: string;
  what: string;
  path: string | undefined;
  message: string;
}

/** The storage problem behind `e`, if that is what it is. */
export function storageProblem(e: unknown): StorageProblem | undefined {
  for (let cur = e, depth = 0; cur !== undefined && cur !== null && depth < 8; depth++) {
    const err = cur as {
      code?: unknown;
      path?: unknown;
      file?: unknown;
      message?: unknown;
      cause?: unknown;
      details?: { errno?: unknown };
    };
    // Node/SQLite errors carry `code`; the durable writer's WRITE_FAILED carries `details.errno`.
    const errno = err.details?.errno;
    const code = typeof errno === 'string' ? errno : typeof err.code === 'string' ? err.code : '';
    const hit = WHAT.find(([re]) => re.test(code));
    if (hit !== undefined) {
      return {
        code,
        what: hit[1],
        path: typeof err.path === 'string' ? err.path : typeof err.file === 'string' ? err.file : undefined,
        message: typeof err.message === 'string' ? err.message : code,
      };
    }
    cur = err.cause;
  }
  return undefined;
}

/** One line for the operator. */
export function formatStorageProblem(p: StorageProblem, dataDir: string | undefined): string {
  const where = p.path ?? dataDir ?? 'the data directory';
  return `error[STORAGE]: cannot write ${where}: ${p.what} (${p.code}: ${p.message.split('\n')[0] ?? ''})`;
}
