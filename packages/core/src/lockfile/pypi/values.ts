/**
 * Narrowing helpers for parsed TOML/JSON: lockfile contents are untrusted `unknown` until
 * each field is checked, so a hostile or broken file gives a PARSE_ERROR, never a TypeError.
 */
export type Table = Record<string, unknown>;

export function isTable(v: unknown): v is Table {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function tables(v: unknown): Table[] {
  return Array.isArray(v) ? v.filter(isTable) : [];
}

export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
