/**
 * Maps keyed by strings from outside (package names, criteria, auditors, import names) as
 * null-prototype objects (STYLE §18): a package may be called `constructor`, `__proto__` or
 * `toString`, and a plain `{}` would answer for those from `Object.prototype` (or, for
 * `__proto__`, swallow the assignment). The store's model keeps `Record` types so that
 * every reader and writer stays as it is; only the objects' prototype changes.
 */

/** An empty map keyed by outside strings. */
export function dict<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A null-prototype copy of `entries` (later duplicates win, as with Object.fromEntries). */
export function dictFrom<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = dict<T>();
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** A null-prototype shallow copy of `obj`'s own enumerable entries. */
export function dictOf<T>(obj: Readonly<Record<string, T>>): Record<string, T> {
  return dictFrom(Object.entries(obj));
}

/** `obj[key]` if `key` is obj's own property, else undefined (never an inherited member). */
export function own<T>(obj: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return obj !== undefined && Object.hasOwn(obj, key) ? obj[key] : undefined;
}
