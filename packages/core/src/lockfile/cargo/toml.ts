/**
 * TOML parsing for the Cargo reader: one place that turns @iarna/toml's exceptions into a
 * VetError('PARSE_ERROR') with file and 1-based line, plus small typed accessors so the
 * rest of the module never handles `unknown` by hand.
 */
import { parse } from '@iarna/toml';
import { VetError } from '../../errors.js';

export type TomlTable = Record<string, unknown>;

export function parseTomlFile(text: string, fileName: string): TomlTable {
  try {
    return parse(text);
  } catch (e) {
    // @iarna/toml reports a 0-based `line`.
    const line = typeof (e as { line?: unknown }).line === 'number' ? (e as { line: number }).line + 1 : undefined;
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    throw new VetError('PARSE_ERROR', `${fileName}: invalid TOML: ${message}`, { file: fileName, line, cause: e });
  }
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
