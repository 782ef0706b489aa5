/**
 * The one TOML parser of vet (store files, Cargo manifests and lockfiles, Python lockfiles,
 * registry configurations): syntax errors become VetError 'PARSE_ERROR' with file and 1-based
 * line.
 *
 * Why smol-toml and not @iarna/toml (the product's named stack): @iarna/toml's parse writes
 * through `__proto__`/`constructor` keys into shared objects — `parse('[x.constructor]\na=1')`
 * sets `Object.a = 1` — so a hostile store or lockfile could change every object in the
 * process. smol-toml builds null-prototype tables, which also makes a key such as
 * `constructor` an ordinary own key. Nothing in vet needs @iarna/toml any more (the writer is
 * our own, `store/toml-writer.ts`), so it is no longer a dependency.
 */
import { parse } from 'smol-toml';
import { VetError } from './errors.js';
import { checkNesting } from './nesting.js';

export type TomlDocument = Record<string, unknown>;

/** Deepest inline array/table nesting accepted (deeper input is refused, not recursed into). */
export const TOML_MAX_DEPTH = 128;

export function parseToml(text: string, file: string): TomlDocument {
  checkNesting(text, file, 'toml');
  try {
    return parse(text, { maxDepth: TOML_MAX_DEPTH });
  } catch (e) {
    // smol-toml's TomlError carries a 1-based `line`.
    const raw = (e as { line?: unknown }).line;
    const line = typeof raw === 'number' ? raw : undefined;
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    throw new VetError('PARSE_ERROR', `${file}: invalid TOML: ${message}`, { file, line, cause: e });
  }
}
