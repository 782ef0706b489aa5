/**
 * One error base class for @vet/core, with stable string codes (sigstore-js style).
 * The CLI maps codes to messages and exit codes in exactly one place; tests assert codes.
 */
export type VetErrorCode =
  // input files
  | 'PARSE_ERROR' // malformed TOML/JSON/YAML/lockfile text
  | 'INVALID_STORE' // store parsed but violates a rule (unknown criteria, bad version, ...)
  | 'STORE_NOT_FOUND'
  | 'STORE_EXISTS'
  | 'STORE_VERSION' // [cargo-vet] version gate
  | 'STORE_NOT_CANONICAL' // --locked format check
  | 'IMPORTS_LOCK_OUTDATED'
  | 'LOCKFILE_NOT_FOUND'
  | 'UNSUPPORTED_LOCKFILE'
  | 'POLICY_ERROR'
  | 'CRITERIA_ERROR'
  | 'INVALID_VERSION'
  | 'INVALID_ARGUMENT'
  | 'LOCK_HELD' // another vet process holds the store lock
  | 'WRITE_FAILED' // a file could not be written (missing or read-only directory, disk full, ...)
  | 'IO_ERROR' // any other file-system failure on a path the user named (EACCES, ENOTDIR, EISDIR, ...)
  // network / registry
  | 'NETWORK_ERROR'
  | 'HTTP_ERROR'
  | 'NOT_FOUND'
  // security: never downgraded to warnings
  | 'INTEGRITY_MISMATCH'
  | 'UNSAFE_ARCHIVE'
  | 'SIGNATURE_INVALID'
  | 'LOG_INCONSISTENT' // rollback, fork, bad proof
  | 'CHECKPOINT_STALE'
  | 'DIGEST_MISMATCH'
  // other
  | 'USER_ABORTED'
  | 'INTERNAL';

export interface VetErrorOptions {
  cause?: unknown;
  /** File the problem is in, when there is one. */
  file?: string;
  /** 1-based line, when known. */
  line?: number;
  /** A short "what to do next" for the user. */
  hint?: string;
  /** Extra structured detail for JSON output (e.g. both checkpoints of a fork). */
  details?: Record<string, unknown>;
}

export class VetError extends Error {
  readonly code: VetErrorCode;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: VetErrorCode, message: string, options: VetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'VetError';
    this.code = code;
    this.file = options.file;
    this.line = options.line;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** "file:line: message" when a location is known. */
  get location(): string | undefined {
    if (this.file === undefined) return undefined;
    return this.line === undefined ? this.file : `${this.file}:${this.line}`;
  }
}

/** One problem found while validating; validation collects all of them (STYLE §8). */
export interface Problem {
  file: string;
  line?: number;
  message: string;
}

/** Several validation problems at once; `problems` lists every one, not only the first. */
export class VetValidationError extends VetError {
  readonly problems: Problem[];
  constructor(code: VetErrorCode, problems: Problem[], options: VetErrorOptions = {}) {
    const first = problems[0];
    const summary = problems.length === 1 && first ? first.message : `${problems.length} problems found`;
    super(code, summary, { ...options, file: options.file ?? first?.file, line: options.line ?? first?.line });
    this.name = 'VetValidationError';
    this.problems = problems;
  }
}

export function isVetError(e: unknown): e is VetError {
  return e instanceof VetError;
}
