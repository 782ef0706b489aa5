/**
 * bun.lock reader (JSONC, lockfileVersion 0–2; spec lockfiles.md §5, §15.9).
 * `packages` keys are install paths (`chalk`, `@babel/highlight/chalk`, `workspace-name/dep`),
 * values are tuples whose first element is `name@spec`. A dependency `d` of key `P` is found like
 * Node finds it: `P/d`, then `d` under each shorter prefix of `P`, finally the hoisted `d`.
 */
import type { DependencyGraph, EdgeKind, PackageSource } from '../../graph.js';
import { containerShapeProblems, throwShapeProblems } from './package-lock-shape.js';
import { GraphBuilder, type NodeInput } from './builder.js';
import { parseSri } from './integrity.js';
import { normalizeDir } from './manifest.js';
import { npmPlatformOf } from './platform-fields.js';
import { classifyResolved, splitNameAt } from './source.js';
import {
  asRecord,
  asString,
  guarded,
  isRecord,
  lineOf,
  parseError,
  parseJsoncText,
  stringMap,
  unsupported,
  type Json,
} from './text.js';

const SECTIONS: Array<[string, EdgeKind]> = [
  ['dependencies', 'normal'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
  ['devDependencies', 'dev'],
];

export function parseBunLock(text: string, fileName: string): DependencyGraph {
  return guarded(fileName, 'PARSE_ERROR', () => {
    const doc = parseJsoncText(text, fileName);
    if (!isRecord(doc)) throw parseError('bun.lock must hold a JSON object', fileName, 1);
    const version = doc['lockfileVersion'];
    if (version !== 0 && version !== 1 && version !== 2) {
      throw unsupported(
        `unsupported bun lockfileVersion ${JSON.stringify(version)}`,
        fileName,
        lineOf(text, '"lockfileVersion"'),
        'vet reads bun.lock lockfileVersion 0, 1 and 2',
      );
    }
    throwShapeProblems(containerShapeProblems(doc, ['workspaces', 'packages'], text, fileName), 'bun install');
    const b = new GraphBuilder();
    if (version === 0) b.warn('bun.lock lockfileVersion 0 uses an older workspace layout; read as version 1');
    new BunReader(doc, b).read();
    return b.build(fileName, `bun.lock v${version}`);
  });
}

class BunReader {
  private readonly keyIds = new Map<string, string>();
  /** workspace dir → [node id, package name used as install-path prefix] */
  private readonly members = new Map<string, [string, string]>();

  constructor(
    private readonly doc: Json,
    private readonly b: GraphBuilder,
  ) {}

  read(): void {
    for (const [dir, raw] of Object.entries(asRecord(this.doc['workspaces'])))
      this.addMember(normalizeDir(dir), asRecord(raw));
    const packages = asRecord(this.doc['packages']);
    for (const [key, tuple] of Object.entries(packages)) this.addPackage(key, tuple);
    for (const [key, tuple] of Object.entries(packages)) {
      const id = this.keyIds.get(key);
      if (id !== undefined && !id.startsWith('workspace:')) this.addEdges(id, splitKey(key), tupleInfo(tuple), false);
    }
    for (const [dir, raw] of Object.entries(asRecord(this.doc['workspaces']))) {
      const [id, name] = this.members.get(normalizeDir(dir)) ?? ['', ''];
      this.addEdges(id, dir === '' ? [] : [name], asRecord(raw), true);
    }
  }

  private addMember(dir: string, ws: Json): void {
    const name = asString(ws['name']) ?? (dir || 'root');
    const id = this.b.addNode({
      name,
      version: asString(ws['version']) ?? '',
      source: { kind: 'workspace' },
      workspaceDir: dir,
    });
    this.members.set(dir, [id, name]);
  }

  private addPackage(key: string, tuple: unknown): void {
    const spec = Array.isArray(tuple) ? asString(tuple[0]) : undefined;
    const split = spec === undefined ? undefined : splitNameAt(spec);
    if (split === undefined || !Array.isArray(tuple)) {
      this.b.warn(`bun.lock: package "${key}" is not a [name@version, …] tuple; skipped`);
      return;
    }
    const member = memberDir(split.rest);
    if (member !== undefined) {
      const known = this.members.get(member);
      this.keyIds.set(
        key,
        known?.[0] ??
          this.b.addNode({ name: split.name, version: '', source: { kind: 'workspace' }, workspaceDir: member }),
      );
      return;
    }
    this.keyIds.set(key, this.b.addNode(packageInput(key, split.name, split.rest, tuple)));
  }

  private addEdges(from: string, prefix: string[], info: Json, isMember: boolean): void {
    const optionalPeers = new Set(Array.isArray(info['optionalPeers']) ? info['optionalPeers'].map(String) : []);
    for (const [section, kind] of SECTIONS) {
      if (kind === 'dev' && !isMember) continue;
      for (const dep of Object.keys(stringMap(info[section]))) {
        const to = this.lookup(prefix, dep);
        if (to !== undefined) this.b.addEdge(from, to, kind, dep);
        else if (kind !== 'optional' && !optionalPeers.has(dep))
          this.b.warn(`bun.lock: "${prefix.join('/') || '.'}" needs "${dep}", which no package key provides`);
      }
    }
  }

  private lookup(prefix: string[], dep: string): string | undefined {
    for (let i = prefix.length; i >= 0; i--) {
      const key = i === 0 ? dep : `${prefix.slice(0, i).join('/')}/${dep}`;
      const id = this.keyIds.get(key);
      if (id !== undefined) return id;
    }
    return undefined;
  }
}

/** `workspace:packages/x` → 'packages/x'; `root:` → the root project. */
function memberDir(spec: string): string | undefined {
  if (spec.startsWith('workspace:')) return normalizeDir(spec.slice('workspace:'.length));
  if (spec.startsWith('root:')) return '';
  return undefined;
}

function packageInput(key: string, name: string, spec: string, tuple: unknown[]): NodeInput {
  const integrity = tuple.find((el) => typeof el === 'string' && /^sha(1|256|384|512)-/.test(el));
  const input: NodeInput = {
    name,
    version: spec,
    source: bunSource(spec, tuple),
    integrity: parseSri(integrity),
    path: key,
  };
  const platform = npmPlatformOf(tupleInfo(tuple));
  if (platform !== undefined) input.platform = platform;
  return input;
}

/** npm tuples are `[name@version, registryUrl|'', info, integrity]`; other specs carry a protocol. */
function bunSource(spec: string, tuple: unknown[]): PackageSource {
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec) || spec.includes('/')) return classifyResolved(spec);
  const registry = asString(tuple[1]);
  return registry === undefined || registry === '' ? { kind: 'registry' } : { kind: 'registry', url: registry };
}

function tupleInfo(tuple: unknown): Json {
  return Array.isArray(tuple) ? asRecord(tuple.find((el, i) => i > 0 && isRecord(el))) : {};
}

/** Install-path key → package-name segments, keeping `@scope/name` pairs together. */
function splitKey(key: string): string[] {
  const out: string[] = [];
  const parts = key.split('/');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (part.startsWith('@') && i + 1 < parts.length) out.push(`${part}/${parts[++i] ?? ''}`);
    else out.push(part);
  }
  return out;
}
