/**
 * The base of `vet check --base <git-ref>` / `--base-lockfile <path>`: the lockfile as it is
 * at that ref (`git show <ref>:./<lockfile>`, run beside the lockfile) or in that file, read
 * by the same readers as the head. npm and Python readers run on a temporary copy with the
 * manifests of the same ref beside it (the current ones when the ref has none); Cargo needs
 * only the lockfile's package table. A requirements file's `-r`/`-c` includes are read at the
 * base too. A lockfile absent at the ref is an empty base.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  VetError,
  dict,
  parseCargoLock,
  parseRequirementsTxt,
  requirementsIncludes,
  type LockedPackage,
} from '@vet/core';
import { pythonLockfileFormat, readNpmLockfile, readPythonLockfile } from '@vet/core/node';
import type { ProjectRef } from '../project.js';

import type { BaseSpec } from './check-options.js';
export type { BaseSpec };

const MANIFESTS = ['package.json', 'pyproject.toml', 'Pipfile'];

function git(args: string[], cwd: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      // The path is not in that commit: an empty base (a lockfile the change adds).
      if (/does not exist in|exists on disk, but not in/.test(stderr)) return resolve(undefined);
      reject(
        new VetError('INVALID_ARGUMENT', `git ${args.join(' ')} failed in ${cwd}: ${stderr.trim() || err.message}`, {
          hint: 'name a ref git knows here (fetch it first in CI: git fetch origin main), or use --base-lockfile <path>',
        }),
      );
    });
  });
}

/** The lockfile (and manifests) of the base, as texts; undefined lockfile = none at the base. */
async function baseTexts(
  ref: ProjectRef,
  spec: BaseSpec,
  cwd: string,
): Promise<{ lockfile: string | undefined; manifests: Map<string, string> }> {
  const dir = path.dirname(ref.lockfile);
  const manifests = new Map<string, string>();
  const current = async (name: string) => {
    const text = await readFile(path.join(dir, name), 'utf8').catch(() => undefined);
    if (text !== undefined) manifests.set(name, text);
  };
  if (spec.baseLockfile !== undefined) {
    const file = path.resolve(cwd, spec.baseLockfile);
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new VetError('LOCKFILE_NOT_FOUND', `cannot read --base-lockfile ${file}: ${e.code ?? e.message}`, { file });
    });
    for (const m of MANIFESTS) await current(m);
    return { lockfile: text, manifests };
  }
  const lockfile = await git(['show', `${spec.base!}:./${path.basename(ref.lockfile)}`], dir);
  for (const m of MANIFESTS) {
    const text = await git(['show', `${spec.base!}:./${m}`], dir);
    if (text !== undefined) manifests.set(m, text);
    else await current(m);
  }
  return { lockfile, manifests };
}

/**
 * A requirements file at the base and every file it includes (`-r`, `-c`), each as it is at
 * the base: from git at the ref, or beside the --base-lockfile file. Keyed as the head's
 * reader keys them (paths resolved from the entry), so the same parser reads both.
 */
async function baseRequirementFiles(
  ref: ProjectRef,
  spec: BaseSpec,
  cwd: string,
  entryText: string,
): Promise<Record<string, string>> {
  const entry = spec.baseLockfile !== undefined ? path.resolve(cwd, spec.baseLockfile) : ref.lockfile;
  const dir = path.dirname(entry);
  const files = dict<string>();
  files[entry] = entryText;
  const queue = requirementsIncludes(entryText, entry, process.env);
  while (queue.length > 0) {
    const file = path.resolve(queue.shift()!);
    if (file in files) continue;
    const text =
      spec.baseLockfile !== undefined
        ? await readFile(file, 'utf8').catch(() => undefined)
        : await git(['show', `${spec.base!}:${gitPath(path.relative(dir, file))}`], dir);
    if (text === undefined) continue; // the parser reports a missing include with its line
    files[file] = text;
    queue.push(...requirementsIncludes(text, file, process.env));
  }
  return files;
}

/** `<rev>:./x` and `<rev>:../x` are relative to git's working directory (the lockfile's). */
function gitPath(rel: string): string {
  const p = rel.split(path.sep).join('/');
  return p.startsWith('../') ? p : `./${p}`;
}

/** The base's packages, read like the head's. */
export async function readBasePackages(ref: ProjectRef, spec: BaseSpec, cwd: string): Promise<LockedPackage[]> {
  const { lockfile, manifests } = await baseTexts(ref, spec, cwd);
  if (lockfile === undefined) return [];
  const name = path.basename(ref.lockfile);
  if (ref.ecosystem === 'cargo') {
    return parseCargoLock(lockfile, name).packages.map((p) => ({
      name: p.name,
      version: p.version,
      firstParty: p.source === undefined,
    }));
  }
  if (ref.ecosystem === 'pypi' && pythonLockfileFormat(ref.lockfile) === 'requirements') {
    const files = await baseRequirementFiles(ref, spec, cwd, lockfile);
    const entry = spec.baseLockfile !== undefined ? path.resolve(cwd, spec.baseLockfile) : ref.lockfile;
    const graph = parseRequirementsTxt(files, entry, { env: process.env });
    return graph.nodes.map((n) => ({ name: n.name, version: n.version, firstParty: n.firstParty }));
  }
  const tmp = await mkdtemp(path.join(tmpdir(), 'vet-base-'));
  try {
    await writeFile(path.join(tmp, name), lockfile);
    for (const [m, text] of manifests) await writeFile(path.join(tmp, m), text);
    const graph =
      ref.ecosystem === 'npm'
        ? await readNpmLockfile(path.join(tmp, name))
        : await readPythonLockfile(path.join(tmp, name));
    return graph.nodes.map((n) => ({ name: n.name, version: n.version, firstParty: n.firstParty }));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
