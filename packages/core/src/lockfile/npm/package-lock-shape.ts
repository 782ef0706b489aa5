/**
 * The shape of a package-lock.json / npm-shrinkwrap.json, checked before it is walked: a
 * container that must be an object and is not (`"packages": [1,2,3]`) is a problem named with
 * its file, line and JSON path, never read as "nothing there" or as the wrong version
 * (issue 10). Every problem is reported (STYLE §8), up to a cap.
 */
import { VetValidationError, type Problem } from '../../errors.js';
import { isRecord, lineOf, type Json } from './text.js';

const MAX_PROBLEMS = 50;
const OBJECT_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'];
const STRING_FIELDS = ['version', 'resolved', 'integrity'];

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

const at = (parent: string, key: string): string => `${parent}[${JSON.stringify(key)}]`;

class Collector {
  readonly problems: Problem[] = [];
  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  /** `where` is a JSON path (`packages["node_modules/a"].version`); `key` finds its line. */
  add(where: string, key: string, message: string, yamlNeedle?: string): void {
    if (this.problems.length >= MAX_PROBLEMS) return;
    const yamlLine = yamlNeedle === undefined ? undefined : lineOf(this.text, yamlNeedle);
    const line =
      lineOf(this.text, `${JSON.stringify(key)}:`) ??
      (yamlLine === undefined ? undefined : yamlLine + (yamlNeedle!.startsWith('\n') ? 1 : 0)) ??
      lineOf(this.text, JSON.stringify(key));
    this.problems.push({
      file: this.file,
      ...(line === undefined ? {} : { line }),
      message: `\`${where}\` ${message}`,
    });
  }

  object(where: string, key: string, v: unknown): v is Json {
    if (isRecord(v)) return true;
    this.add(where, key, `must be an object, found ${kindOf(v)}`);
    return false;
  }

  fields(where: string, key: string, e: Json, objects: readonly string[]): void {
    for (const f of STRING_FIELDS)
      if (Object.hasOwn(e, f) && typeof e[f] !== 'string')
        this.add(`${where}.${f}`, key, `must be a string, found ${kindOf(e[f])}`);
    for (const f of objects)
      if (Object.hasOwn(e, f) && !isRecord(e[f]))
        this.add(`${where}.${f}`, key, `must be an object, found ${kindOf(e[f])}`);
  }
}

/** v2/v3: `packages` maps install paths to entry objects. */
export function packagesShapeProblems(doc: Json, version: number, text: string, file: string): Problem[] {
  const c = new Collector(text, file);
  if (!Object.hasOwn(doc, 'packages')) {
    if (version === 3) c.add('packages', 'lockfileVersion', 'is missing (lockfileVersion 3 keeps every package there)');
    return c.problems;
  }
  const packages = doc['packages'];
  if (!c.object('packages', 'packages', packages)) return c.problems;
  for (const key of Object.keys(packages)) {
    const e = packages[key];
    // The common case, an entry of the right shape, builds no JSON path.
    if (isRecord(e) && fieldsOk(e, OBJECT_FIELDS)) continue;
    const where = at('packages', key);
    if (c.object(where, key, e)) c.fields(where, key, e, OBJECT_FIELDS);
  }
  return c.problems;
}

/** True when `Collector.fields` would find nothing to report. */
function fieldsOk(e: Json, objects: readonly string[]): boolean {
  for (const f of STRING_FIELDS) if (Object.hasOwn(e, f) && typeof e[f] !== 'string') return false;
  for (const f of objects) if (Object.hasOwn(e, f) && !isRecord(e[f])) return false;
  return true;
}

/** v1 (and pre-npm-5): a nested `dependencies` tree of entry objects. */
export function dependenciesShapeProblems(doc: Json, text: string, file: string): Problem[] {
  const c = new Collector(text, file);
  if (!Object.hasOwn(doc, 'dependencies')) return c.problems;
  const stack: Array<[where: string, key: string, value: unknown]> = [
    ['dependencies', 'dependencies', doc['dependencies']],
  ];
  while (stack.length > 0 && c.problems.length < MAX_PROBLEMS) {
    const [where, key, deps] = stack.pop()!;
    if (!c.object(where, key, deps)) continue;
    for (const [name, e] of Object.entries(deps)) {
      const entry = at(where, name);
      if (!c.object(entry, name, e)) continue;
      c.fields(entry, name, e, ['requires']);
      if (Object.hasOwn(e, 'dependencies')) stack.push([`${entry}.dependencies`, name, e['dependencies']]);
    }
  }
  return c.problems;
}

/**
 * Top-level containers of any lockfile format (pnpm's `importers`, bun's `packages`, …): each
 * one present must be a mapping whose entries are mappings too; `key:` and `"key":` find the line.
 */
export function containerShapeProblems(doc: Json, keys: readonly string[], text: string, file: string): Problem[] {
  const c = new Collector(text, file);
  for (const key of keys) {
    if (!Object.hasOwn(doc, key)) continue;
    const value = doc[key];
    if (!isRecord(value)) {
      c.add(key, key, `must be a mapping, found ${kindOf(value)}`, `\n${key}:`);
      continue;
    }
    for (const name of Object.keys(value)) {
      const entry = value[name];
      if (!isRecord(entry) && !Array.isArray(entry))
        c.add(at(key, name), name, `must be a mapping, found ${kindOf(entry)}`, `${name}:`);
    }
  }
  return c.problems;
}

/** Refuse a lockfile with shape problems, naming every one (a file its tool did not write). */
export function throwShapeProblems(problems: Problem[], tool: string): void {
  if (problems.length === 0) return;
  throw new VetValidationError('PARSE_ERROR', problems, {
    hint: `this is not a lockfile ${tool} wrote; regenerate it with ${tool}`,
  });
}
