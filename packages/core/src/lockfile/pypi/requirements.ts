/**
 * requirements.txt reader for pip's hash-checking mode (lockfiles.md §6). Several files can
 * be read at once (`entry` is one path or a list); `-r` includes and `-c` constraints resolve
 * relative to the including file. The format has no dev flag, so each entry file is dev or
 * prod by its name (default rule: dev, test, lint, docs) and pins reached from it inherit that.
 * Unpinned requirements and pins without a hash in a hashed set are reported as unlocked.
 */
import { posix } from 'node:path';
import type { Integrity, PackageNode, PackageSource } from '../../graph.js';
import { VetValidationError, type Problem } from '../../errors.js';
import { PythonGraphBuilder, type PythonLockGraph } from './graph-builder.js';
import { fileNameOf, parseHashSpec } from './names.js';
import { parseDistFileName, parseRequirement, pinnedVersion, type ParsedRequirement } from './requirement-spec.js';
import {
  expandEnv,
  logicalLines,
  parseOptions,
  splitArgs,
  splitRequirementOptions,
  type OptionToken,
} from './requirements-lines.js';
import { dict } from '../../dict.js';

export interface RequirementsOptions {
  /** For `${VAR}` expansion; pure callers pass what they want expanded (default: nothing). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Is this entry file dev-only? Default: its base name mentions dev, test, lint or doc. */
  isDevFile?: (path: string) => boolean;
}

export function isDevRequirementsFile(path: string): boolean {
  return /(dev|test|lint|doc)/i.test(posix.basename(path.replace(/\\/g, '/')));
}

/** Where `-r ref` in `from` points: relative to the including file, as pip does. */
export function resolveRequirementsInclude(from: string, ref: string): string {
  const f = from.replace(/\\/g, '/');
  const r = ref.replace(/\\/g, '/');
  return posix.isAbsolute(r) ? posix.normalize(r) : posix.normalize(posix.join(posix.dirname(f), r));
}

/** Files named by `-r`/`-c` in one file (for readers that must load them before parsing). */
export function requirementsIncludes(
  text: string,
  fileName: string,
  env: Readonly<Record<string, string | undefined>> = {},
): string[] {
  const out: string[] = [];
  for (const l of logicalLines(text)) {
    const t = expandEnv(l.text, env);
    if (!t.startsWith('-')) continue;
    const opts = parseOptions(splitArgs(t));
    if (typeof opts === 'string') continue;
    for (const o of opts) {
      if ((o.name === '--requirement' || o.name === '--constraint') && o.value && !/^[a-z]+:\/\//i.test(o.value)) {
        out.push(resolveRequirementsInclude(fileName, o.value));
      }
    }
  }
  return out;
}

interface Pin {
  node: PackageNode;
  file: string;
  line: number;
  hashed: boolean;
  entry: string;
}

class RequirementsReader {
  readonly problems: Problem[] = [];
  readonly pins: Pin[] = [];
  private readonly active = new Set<string>();
  /** The entry file being read; pip checks hashes per invocation, i.e. per entry. */
  entry = '';

  constructor(
    private readonly files: Readonly<Record<string, string>>,
    private readonly b: PythonGraphBuilder,
    private readonly root: PackageNode,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  visit(file: string, dev: boolean, install: boolean, from?: { file: string; line: number }): void {
    const text = this.files[file];
    if (text === undefined) {
      this.problems.push({
        file: from?.file ?? file,
        line: from?.line,
        message: `requirements file not found: ${file}`,
      });
      return;
    }
    if (this.active.has(file)) {
      this.problems.push({ file: from?.file ?? file, line: from?.line, message: `include cycle through ${file}` });
      return;
    }
    this.active.add(file);
    for (const l of logicalLines(text)) {
      const t = expandEnv(l.text, this.env);
      if (t.startsWith('-')) this.option(file, l.line, t, dev, install);
      else if (install) this.requirement(file, l.line, t, dev);
      else this.checkConstraint(file, l.line, t);
    }
    this.active.delete(file);
  }

  private option(file: string, line: number, text: string, dev: boolean, install: boolean): void {
    const opts = parseOptions(splitArgs(text));
    if (typeof opts === 'string') {
      this.problems.push({ file, line, message: opts });
      return;
    }
    for (const o of opts) {
      const value = o.value ?? '';
      if (o.name === '--requirement' || o.name === '--constraint') {
        if (/^[a-z]+:\/\//i.test(value)) {
          this.problems.push({ file, line, message: `remote ${o.name} ${value} is not supported` });
          continue;
        }
        this.visit(resolveRequirementsInclude(file, value), dev, install && o.name === '--requirement', { file, line });
      } else if (o.name === '--editable' && install) {
        this.editable(file, line, value, dev);
      }
    }
  }

  private editable(file: string, line: number, value: string, dev: boolean): void {
    const vcs = /^(git|hg|svn|bzr)\+/i.test(value);
    const req = parseRequirement(value);
    const name = typeof req !== 'string' && req.name ? req.name : (fileNameOf(value) ?? value);
    const source: PackageSource = vcs ? gitSource(value) : { kind: 'path', url: value };
    const node = this.b.add({ name, version: '', source, firstParty: !vcs, lockfileDev: dev, path: `${file}:${line}` });
    this.b.edge(this.root, node, dev ? 'dev' : 'normal');
    if (vcs)
      this.b.unlocked.push({ file, line, requirement: value, reason: 'editable VCS checkout: pip cannot hash it' });
  }

  private requirement(file: string, line: number, text: string, dev: boolean): void {
    const { req, args } = splitRequirementOptions(text);
    const opts = parseOptions(args);
    const parsed = parseRequirement(req);
    if (typeof opts === 'string' || typeof parsed === 'string') {
      this.problems.push({ file, line, message: typeof parsed === 'string' ? parsed : (opts as string) });
      return;
    }
    const integrity = this.hashes(file, line, opts);
    const node =
      parsed.kind === 'named'
        ? this.named(file, line, req, parsed, integrity, dev)
        : this.urlReq(file, line, parsed, integrity, dev);
    if (!node) return;
    this.b.edge(this.root, node, dev ? 'dev' : 'normal', parsed.marker);
    this.pins.push({ node, file, line, hashed: integrity.length > 0, entry: this.entry });
  }

  private hashes(file: string, line: number, opts: OptionToken[]): Integrity[] {
    const out: Integrity[] = [];
    for (const o of opts.filter((x) => x.name === '--hash')) {
      const i = parseHashSpec(o.value ?? '');
      if (i) out.push(i);
      else
        this.problems.push({
          file,
          line,
          message: `bad --hash value "${o.value ?? ''}" (expected sha256:<hex>, sha384: or sha512:)`,
        });
    }
    return out;
  }

  private named(
    file: string,
    line: number,
    req: string,
    p: Extract<ParsedRequirement, { kind: 'named' }>,
    integrity: Integrity[],
    dev: boolean,
  ): PackageNode | undefined {
    const version = pinnedVersion(p.specs);
    if (version === undefined) {
      this.b.unlocked.push({ file, line, requirement: req, reason: 'not pinned with == (a range, not a lock)' });
      return undefined;
    }
    return this.b.add({
      name: p.name,
      version,
      source: { kind: 'registry' },
      integrity,
      lockfileDev: dev,
      path: `${file}:${line}`,
    });
  }

  private urlReq(
    file: string,
    line: number,
    p: Extract<ParsedRequirement, { kind: 'url' }>,
    integrity: Integrity[],
    dev: boolean,
  ): PackageNode | undefined {
    const vcs = /^(git|hg|svn|bzr)\+/i.test(p.url);
    const fragHash = /#(?:.*&)?(sha256|sha384|sha512)=([0-9a-f]+)/i.exec(p.url);
    const file0 = fileNameOf(p.url);
    if (fragHash?.[1] && fragHash[2]) {
      const i = parseHashSpec(`${fragHash[1]}:${fragHash[2]}`, file0);
      if (i) integrity.push(i);
    }
    const local = (!vcs && !/^[a-z]+:\/\//i.test(p.url)) || /^file:/i.test(p.url);
    const source: PackageSource = vcs
      ? gitSource(p.url)
      : local
        ? { kind: 'path', url: p.url }
        : { kind: 'tarball', url: p.url };
    const dist = file0 ? parseDistFileName(file0) : undefined;
    const name = p.name ?? dist?.name;
    if (name === undefined) {
      this.problems.push({
        file,
        line,
        message: `cannot tell the package name of ${p.url} (add #egg=name or use "name @ url")`,
      });
      return undefined;
    }
    if (vcs)
      this.b.unlocked.push({ file, line, requirement: p.url, reason: 'VCS requirement: pip cannot hash a checkout' });
    return this.b.add({
      name,
      version: dist?.version ?? '',
      source,
      integrity,
      firstParty: local,
      lockfileDev: dev,
      path: `${file}:${line}`,
    });
  }

  private checkConstraint(file: string, line: number, text: string): void {
    const parsed = parseRequirement(splitRequirementOptions(text).req);
    if (typeof parsed === 'string') this.problems.push({ file, line, message: parsed });
  }
}

function gitSource(url: string): PackageSource {
  const at = /@([0-9a-f]{40})(?:[#&]|$)/i.exec(url);
  return at?.[1] ? { kind: 'git', url, commit: at[1].toLowerCase() } : { kind: 'git', url };
}

/**
 * Parse requirement files already in memory. `files` maps paths (as `-r` resolves them, POSIX
 * style) to text; `entry` names the file(s) pip would be given with `-r`.
 */
export function parseRequirementsTxt(
  files: Readonly<Record<string, string>>,
  entry: string | readonly string[],
  options: RequirementsOptions = {},
): PythonLockGraph {
  const entries = typeof entry === 'string' ? [entry] : [...entry];
  const b = new PythonGraphBuilder(entries.join(', '), 'requirements.txt');
  const root = b.addRoot('root', '.');
  const normalized = dict<string>();
  for (const [k, v] of Object.entries(files)) normalized[resolveRequirementsInclude('', k)] = v;
  const reader = new RequirementsReader(normalized, b, root, options.env ?? {});
  const isDev = options.isDevFile ?? isDevRequirementsFile;
  for (const e of entries) {
    reader.entry = resolveRequirementsInclude('', e);
    reader.visit(reader.entry, isDev(e), true);
  }
  if (reader.problems.length > 0) throw new VetValidationError('PARSE_ERROR', reader.problems);
  // pip's hash-checking mode is all-or-nothing per install (pip docs "Hash-checking mode").
  for (const e of new Set(reader.pins.map((p) => p.entry)))
    checkHashMode(
      b,
      reader.pins.filter((p) => p.entry === e),
    );
  const graph = b.build(false);
  graph.format = reader.pins.some((p) => p.hashed) ? 'requirements.txt (hash-checking)' : 'requirements.txt';
  return graph;
}

function checkHashMode(b: PythonGraphBuilder, pins: Pin[]): void {
  if (!pins.some((p) => p.hashed)) return;
  for (const p of pins) {
    if (p.hashed) continue;
    const already = b.unlocked.some((u) => u.file === p.file && u.line === p.line);
    if (!already)
      b.unlocked.push({
        file: p.file,
        line: p.line,
        requirement: p.node.id,
        reason: 'no --hash, but other requirements have one (pip refuses this in hash-checking mode)',
      });
  }
}
