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

/**
 * A deep copy of plain data (objects, arrays, primitives, Dates) that keeps null prototypes:
 * `structuredClone` turns a null-prototype map back into a plain `{}`, where `constructor`
 * answers from Object.prototype again.
 */
export function cloneData<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => cloneData(v)) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (value instanceof Uint8Array) return value.slice() as T;
  if (typeof value !== 'object' || value === null) return value;
  const out = (Object.getPrototypeOf(value) === null ? Object.create(null) : {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: cloneData(v), enumerable: true, writable: true, configurable: true });
    else out[k] = cloneData(v);
  }
  return out as T;
}
