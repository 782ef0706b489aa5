/**
 * Differential tests of the TOML fast paths (store/exemptions-toml.ts, lockfile/pypi/uv-toml.ts)
 * against smol-toml: what a parser made of a text, comparable with toEqual.
 */

/** A value with its prototypes and leaf types made visible: toEqual alone does not tell null-prototype tables apart. */
export function shape(v: unknown): unknown {
  if (Array.isArray(v)) return ['array', v.map(shape)];
  if (typeof v === 'object' && v !== null) {
    const proto = Object.getPrototypeOf(v) === null ? 'null' : 'object';
    return [proto, Object.entries(v).map(([k, x]) => [k, shape(x)])];
  }
  return [typeof v, v];
}

/** A parser's outcome on `text`: the document's shape, or the error's code, line and message. */
export function outcome(parse: (text: string) => unknown, text: string): unknown {
  try {
    return { ok: shape(parse(text)) };
  } catch (e) {
    const err = e as { code?: unknown; line?: unknown; message?: unknown };
    return { error: [err.code, err.line, err.message] };
  }
}
