/**
 * Test-only helpers for the hostile-input property tests (readers and store files): well-formed
 * TOML carrying wrong types in every slot, and the one rule those tests check — a parser
 * returns, or throws a VetError naming the file, never a raw exception.
 */
import fc from 'fast-check';
import { isVetError } from '../errors.js';

/** fast-check runs per property; VET_FC_RUNS raises it for a long local hunt. */
export const FC_RUNS = { numRuns: Number(process.env.VET_FC_RUNS ?? 150) };

export function survives(read: () => unknown, file: string): boolean {
  try {
    read();
    return true;
  } catch (e) {
    return isVetError(e) && e.file === file;
  }
}

/**
 * Nested junk TOML can hold (strings, integers, booleans, arrays, tables) with keys drawn from
 * `keys` — the field names a reader looks at, plus ones that shadow Object.prototype.
 */
export function tomlJunk(keys: readonly string[], strings: readonly string[] = []): fc.Arbitrary<unknown> {
  const key = fc.constantFrom(...keys, 'toString', 'valueOf');
  const scalar = fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.boolean(),
    ...(strings.length ? [fc.constantFrom(...strings)] : []),
  );
  return fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  })).value;
}

/** TOML text for a generated document (inline tables; arrays of tables as arrays of inline tables). */
export function tomlText(doc: Record<string, unknown>): string {
  const value = (v: unknown): string => {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return `[${v.map(value).join(', ')}]`;
    return `{ ${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${JSON.stringify(k)} = ${value(x)}`)
      .join(', ')} }`;
  };
  return (
    Object.entries(doc)
      .map(([k, v]) => `${JSON.stringify(k)} = ${value(v)}`)
      .join('\n') + '\n'
  );
}
