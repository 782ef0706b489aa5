/**
 * TOML parsing for the Cargo reader: core's one TOML parser (toml-parse.ts, smol-toml), whose
 * errors are VetError('PARSE_ERROR') with file and 1-based line, plus small typed accessors so the
 * rest of the module never handles `unknown` by hand.
 */
import { parseToml } from '../../toml-parse.js';

export type TomlTable = Record<string, unknown>;

export function parseTomlFile(text: string, fileName: string): TomlTable {
  return parseToml(text, fileName);
}

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function tableAt(t: TomlTable, key: string): TomlTable | undefined {
  const v = t[key];
  return isTable(v) ? v : undefined;
}

export function stringAt(t: TomlTable, key: string): string | undefined {
  const v = t[key];
  return typeof v === 'string' ? v : undefined;
}

export function stringListAt(t: TomlTable, key: string): string[] {
  const v = t[key];
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** 1-based line of the n-th (0-based) occurrence of a `[[header]]` line, for messages. */
export function arrayTableLines(text: string, header: string): number[] {
  const lines: number[] = [];
  const re = new RegExp(`^\\s*\\[\\[\\s*${header}\\s*\\]\\]`);
  text.split(/\r?\n/).forEach((l, i) => {
    if (re.test(l)) lines.push(i + 1);
  });
  return lines;
}
