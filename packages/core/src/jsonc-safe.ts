/**
 * JSONC (bun.lock) and JSON re-reads (for an error's line), built without writing through
 * `__proto__`: jsonc-parser's own `parse` assigns `obj[key] = value`, so a lockfile key
 * `"__proto__"` replaces the object's prototype (the entry vanishes and its fields are
 * inherited by the parent). This builds the same values from jsonc-parser's event visitor into
 * null-prototype objects, where every key is an own key.
 */
import * as jsonc from 'jsonc-parser';

type Container = Record<string, unknown> | unknown[];

export function parseJsoncSafe(text: string, errors: jsonc.ParseError[], options: jsonc.ParseOptions): unknown {
  const stack: Container[] = [];
  const keys: Array<string | undefined> = [];
  let key: string | undefined;
  let root: unknown;
  const put = (v: unknown): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) root = v;
    else if (Array.isArray(top)) top.push(v);
    else if (key !== undefined) top[key] = v;
  };
  const open = (c: Container): void => {
    put(c);
    stack.push(c);
    keys.push(key);
    key = undefined;
  };
  const close = (): void => {
    stack.pop();
    key = keys.pop();
  };
  jsonc.visit(
    text,
    {
      onObjectBegin: () => open(Object.create(null) as Record<string, unknown>),
      onObjectProperty: (p) => (key = p),
      onObjectEnd: close,
      onArrayBegin: () => open([]),
      onArrayEnd: close,
      onLiteralValue: (v) => put(v),
      onError: (error, offset, length) => errors.push({ error, offset, length }),
    },
    options,
  );
  return root;
}
