/**
 * TOML and JSON decoding for Python lockfiles, turning syntax errors into VetError
 * 'PARSE_ERROR' with the file and 1-based line. TOML goes through core's one
 * parser (toml-parse.ts, smol-toml), which reads every corpus file (uv.lock, poetry.lock,
 * both pylock.toml flavours).
 */
import { printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parseJsoncSafe } from '../../jsonc-safe.js';
import { VetError } from '../../errors.js';
import { isTable, type Table } from './values.js';
import { checkNesting } from '../../nesting.js';

/** The one TOML entry point of core (the store's), so every TOML error reads the same. */
export { parseTomlText } from '../../store/parse-common.js';

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function parseJsonObject(text: string, fileName: string): Table {
  checkNesting(text, fileName, 'json');
  const errors: ParseError[] = [];
  const value: unknown = parseJsoncSafe(text, errors, { disallowComments: true, allowTrailingComma: false });
  const err = errors[0];
  if (err) {
    const line = lineAt(text, err.offset);
    throw new VetError('PARSE_ERROR', `${fileName}: invalid JSON (${printParseErrorCode(err.error)})`, {
      file: fileName,
      line,
    });
  }
  if (!isTable(value))
    throw new VetError('PARSE_ERROR', `${fileName}: expected a JSON object at the top level`, {
      file: fileName,
      line: 1,
    });
  return value;
}

/** First 1-based line where `needle` occurs, for pointing at an entry found in parsed data. */
export function findLine(text: string, needle: string): number | undefined {
  const i = text.indexOf(needle);
  return i < 0 ? undefined : lineAt(text, i);
}

/**
 * `doc[key]` as an array of tables (`[[package]]`); a value of another type is a shape error
 * naming the key and its line (issue 10), never read as "no packages". Absent: empty.
 */
export function arrayOfTables(
  doc: Record<string, unknown>,
  key: string,
  text: string,
  fileName: string,
): Record<string, unknown>[] {
  if (!Object.hasOwn(doc, key)) return [];
  const v = doc[key];
  const bad: unknown = !Array.isArray(v)
    ? v
    : (v as unknown[]).find((x) => typeof x !== 'object' || x === null || Array.isArray(x));
  if (bad === undefined && Array.isArray(v)) return v as Record<string, unknown>[];
  const line = findLine(text, `${key} =`) ?? findLine(text, `[[${key}]]`) ?? findLine(text, key);
  const kind = Array.isArray(bad) ? 'an array' : bad === null ? 'null' : `a ${typeof bad}`;
  throw new VetError(
    'PARSE_ERROR',
    `\`${key}\` must be an array of tables ([[${key}]])${Array.isArray(v) ? ' of entries' : ''}, found ${kind}`,
    { file: fileName, ...(line === undefined ? {} : { line }) },
  );
}
