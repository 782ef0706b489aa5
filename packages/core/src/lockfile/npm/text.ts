/**
 * Turning parser failures into VetErrors with a file and a 1-based line (STYLE §8), and small
 * type guards so hostile lockfile shapes become warnings instead of raw TypeErrors.
 */
import * as jsonc from 'jsonc-parser';
import { VetError, isVetError, type VetErrorCode } from '../../errors.js';
import { dict } from '../../dict.js';
import { parseJsoncSafe } from '../../jsonc-safe.js';
import { checkNesting } from '../../nesting.js';

/** 1-based line of a character offset. Only called on error paths, so a linear scan is fine. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Line of the first occurrence of `needle`, for errors about a key we know by name. */
export function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  return at < 0 ? undefined : lineAt(text, at);
}

export function parseError(message: string, file: string, line?: number, cause?: unknown): VetError {
  return new VetError('PARSE_ERROR', message, { file, ...(line === undefined ? {} : { line }), cause });
}

export function unsupported(message: string, file: string, line?: number, hint?: string): VetError {
  return new VetError('UNSUPPORTED_LOCKFILE', message, {
    file,
    ...(line === undefined ? {} : { line }),
    ...(hint === undefined ? {} : { hint }),
  });
}

/**
 * Strict JSON (package-lock, package.json). JSON.parse is fast but its message has no line, so on
 * failure jsonc-parser re-reads the text to find the offset of the first error.
 */
export function parseJsonText(text: string, file: string): unknown {
  checkNesting(text, file, 'json');
  try {
    return JSON.parse(stripBom(text));
  } catch (cause) {
    const errors: jsonc.ParseError[] = [];
    parseJsoncSafe(stripBom(text), errors, { allowTrailingComma: false, disallowComments: true });
    const first = errors[0];
    const line = first === undefined ? undefined : lineAt(text, first.offset);
    throw parseError(`invalid JSON: ${(cause as Error).message}`, file, line, cause);
  }
}

/** JSONC with trailing commas (bun.lock). */
export function parseJsoncText(text: string, file: string): unknown {
  checkNesting(text, file, 'json');
  const errors: jsonc.ParseError[] = [];
  const value: unknown = parseJsoncSafe(stripBom(text), errors, { allowTrailingComma: true });
  const first = errors[0];
  if (first !== undefined) {
    const what = jsonc.printParseErrorCode(first.error);
    throw parseError(`invalid JSONC: ${what}`, file, lineAt(text, first.offset));
  }
  return value;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Safety net: a bug or an unforeseen shape must still surface as a VetError with the file name,
 * never as a stack trace from deep inside a reader.
 */
export function guarded<T>(file: string, code: VetErrorCode, work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (isVetError(e)) throw e;
    throw new VetError(code, `malformed lockfile: ${(e as Error)?.message ?? String(e)}`, { file, cause: e });
  }
}

export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asRecord(v: unknown): Json {
  return isRecord(v) ? v : {};
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A `{name: string}` map such as `dependencies`; non-string values are dropped. */
export function stringMap(v: unknown): Record<string, string> {
  const out = dict<string>();
  if (!isRecord(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** Keys of a `{name: string}` map whose values are strings: `Object.keys(stringMap(v))` without the copy. */
export function stringKeys(v: unknown): string[] {
  if (!isRecord(v)) return [];
  const keys = Object.keys(v);
  for (const k of keys) if (typeof v[k] !== 'string') return keys.filter((key) => typeof v[key] === 'string');
  return keys;
}
