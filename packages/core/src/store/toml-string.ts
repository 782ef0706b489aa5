/**
 * String and key quoting exactly as cargo-vet's TOML library writes them, because
 * `--locked` compares bytes (spec/cargo-vet-format.md §9.4, §9.5):
 * - default: toml_edit 0.22.26 / toml_write 0.1.1 (cargo-vet 0.10.2);
 * - legacy: toml_edit 0.14 (cargo-vet ≤ 0.10.1), still visible in aggregated audit sets.
 */

interface Metrics {
  maxSingle: number;
  maxDouble: number;
  backslash: boolean;
  newline: boolean;
  /** ASCII control characters other than tab and newline. */
  controls: boolean;
}

function isControl(code: number): boolean {
  return code <= 0x1f || code === 0x7f;
}

function metrics(s: string): Metrics {
  const m: Metrics = { maxSingle: 0, maxDouble: 0, backslash: false, newline: false, controls: false };
  let single = 0;
  let double = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    single = c === 0x27 ? single + 1 : 0;
    double = c === 0x22 ? double + 1 : 0;
    if (single > m.maxSingle) m.maxSingle = single;
    if (double > m.maxDouble) m.maxDouble = double;
    if (c === 0x5c) m.backslash = true;
    else if (c === 0x0a) m.newline = true;
    else if (c !== 0x09 && isControl(c)) m.controls = true;
  }
  return m;
}

/**
 * Basic-string escaping. `multiline` (a `"""` string) keeps newlines literal and escapes a
 * quote only where three in a row would end the string; `legacyQuotes` escapes every quote
 * (toml_edit 0.14).
 */
function escapeBasic(s: string, multiline: boolean, legacyQuotes = false): string {
  let out = '';
  let quotes = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x22 && multiline && !legacyQuotes) {
      quotes++;
      if (quotes === 3) quotes = 0;
      out += quotes === 0 ? '\\"' : '"';
      continue;
    }
    quotes = 0;
    switch (c) {
      case 0x08:
        out += '\\b';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x0a:
        out += multiline ? '\n' : '\\n';
        break;
      case 0x0c:
        out += '\\f';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      default:
        out += isControl(c) ? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}` : ch;
    }
  }
  return out;
}

/** Escaping for a pretty `"""` string: only tab needs it (no controls, backslashes here). */
function escapeMlPretty(s: string): string {
  return s.replace(/\t/g, '\\t');
}

// No controls (incl. tab and newline), quotes or backslashes: written as-is in "…".
// eslint-disable-next-line no-control-regex -- the control characters are the point
const PLAIN = /^[^\x00-\x1f\x7f"\\]*$/;

/** toml_write 0.1.1 `TomlStringBuilder::as_default` (§9.4). */
export function quoteTomlString(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  const m = metrics(s);
  if (!m.controls && !m.backslash && m.maxDouble === 0 && !m.newline) return `"${escapeBasic(s, false)}"`;
  if (!m.controls && m.maxSingle === 0 && !m.newline) return `'${s}'`;
  const nl = m.newline ? '\n' : '';
  if (!m.controls && !m.backslash && m.maxDouble <= 2) return `"""${nl}${escapeMlPretty(s)}"""`;
  if (!m.controls && m.maxSingle <= 2) return `'''${nl}${s}'''`;
  return m.newline ? `"""\n${escapeBasic(s, true)}"""` : `"${escapeBasic(s, false)}"`;
}

/** toml_edit 0.14 `to_string_repr` with inferred style (§9.5). */
export function quoteTomlStringLegacy(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  let canBePretty = true;
  let maxSingles = 0;
  let singles = 0;
  let newline = false;
  let backslash = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x0a) newline = true;
    if (!canBePretty) continue;
    if (c === 0x27) {
      singles++;
      if (singles >= 3) canBePretty = false;
    } else {
      maxSingles = Math.max(maxSingles, singles);
      singles = 0;
    }
    if (c === 0x5c) backslash = true;
    else if (c !== 0x09 && c !== 0x0a && isControl(c)) canBePretty = false;
  }
  // A trailing `'` cannot be written inside a literal string.
  if (singles > 0 && s.endsWith("'")) canBePretty = false;
  if (!backslash) canBePretty = false;
  if (!canBePretty) return newline ? `"""\n${escapeBasic(s, true, true)}"""` : `"${escapeBasic(s, false)}"`;
  maxSingles = Math.max(maxSingles, singles);
  if (newline) return `'''\n${s}'''`;
  return maxSingles >= 1 ? `'''${s}'''` : `'${s}'`;
}

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

/** toml_write key quoting: bare, else "basic", else 'literal', else escaped basic. */
export function quoteTomlKey(key: string, legacy = false): string {
  if (BARE_KEY.test(key)) return key;
  // Nothing to escape (a scoped npm name such as `@scope/name`): "…" in both styles.
  if (PLAIN.test(key)) return `"${key}"`;
  if (legacy) return `"${escapeBasic(key, false)}"`;
  const m = metrics(key);
  if (!m.controls && !m.backslash && m.maxDouble === 0 && !m.newline) return `"${escapeBasic(key, false)}"`;
  if (!m.controls && m.maxSingle === 0 && !m.newline) return `'${key}'`;
  return `"${escapeBasic(key, false)}"`;
}
