/**
 * `vet inspect <pkg> <version>` and `vet diff <pkg> <v1> <v2>`: the release(s) fetched from
 * the registry the project installs from, verified against the lockfile (or the registry's
 * own digest for versions outside it), unpacked safely into the cache.
 */
import { spawn } from 'node:child_process';
import { VetError, escapeText } from '@vet/core';
import { loadProject, type GlobalOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { emit } from '../output.js';
import { openProjectSource } from './project-source.js';
import { isGone } from '../notary/archive-fallback.js';
import {
  colorizePatch,
  diffTrees,
  escapePatch,
  formatDiffStat,
  formatRiskSignal,
  measureTrees,
  riskSignals,
  shouldColor,
} from '../audit/index.js';
import type { Packument } from '../registry/index.js';
import { pypiComparePath } from '../pypi/index.js';

export async function runInspect(
  g: GlobalOptions,
  io: CommandIO,
  pkg: string,
  version: string,
  mode: string,
): Promise<number> {
  const p = await loadProject(g, io);
  const source = await openProjectSource(p, io, g.cacheDir);
  try {
    const tree = await source.tree(pkg, version);
    // A package the registry lost (served from a notary's archive) has no packument: no risk notes.
    const pk = source.packument ? await source.packument(pkg).catch(keepUnlessGone) : undefined;
    if (pk !== undefined) {
      const packuments = new Map<string, Packument>([[pkg, pk]]);
      for (const s of riskSignals(pkg, undefined, version, packuments, p.graph))
        io.err(`note: ${escapeText(formatRiskSignal(s))}\n`);
    } else if (source.packument) io.err(`note: the registry no longer lists ${escapeText(pkg)}; no risk notes\n`);
    if (mode === 'shell') {
      if (!io.interactive) throw new VetError('INVALID_ARGUMENT', '--mode shell needs a terminal');
      io.err(
        `Opening a shell in ${escapeText(tree.dir)}; exit it when you are done. Then: vet certify ${escapeText(`${pkg} ${version}`)}\n`,
      );
      await runInteractive(io.env['SHELL'] ?? '/bin/sh', [], tree.dir);
      return EXIT_OK;
    }
    await emit(g, io, `${tree.dir}\n`);
    io.err(`When you have audited it: vet certify ${escapeText(`${pkg} ${version}`)}\n`);
    return EXIT_OK;
  } finally {
    await source.close();
  }
}

function keepUnlessGone(e: unknown): undefined {
  if (isGone(e)) return undefined;
  throw e;
}

export interface DiffOptions {
  stat?: boolean;
  pager?: boolean;
}

export async function runDiff(
  g: GlobalOptions,
  io: CommandIO,
  pkg: string,
  v1: string,
  v2: string,
  o: DiffOptions,
): Promise<number> {
  const p = await loadProject(g, io);
  const source = await openProjectSource(p, io, g.cacheDir);
  try {
    // The two versions' manifests (risk notes) are fetched while the trees are fetched and measured.
    const fetcher = source.suggestFetcher();
    const packument = source.packument
      ? (fetcher.manifests ? fetcher.manifests(pkg, [v1, v2]) : source.packument(pkg)).then(
          (p) => p,
          (e: unknown) => e,
        )
      : undefined;
    const [a, b] = await Promise.all([source.tree(pkg, v1), source.tree(pkg, v2)]);
    const comparePath = p.ref.ecosystem === 'pypi' ? { comparePath: pypiComparePath } : {};
    // --stat needs counts only: over every core, no patch text.
    const diff = o.stat ? await measureTrees(a.dir, b.dir, comparePath) : diffTrees(a.dir, b.dir, comparePath);
    const pk = await packument;
    if (pk instanceof Error) throw pk;
    if (pk !== undefined) {
      const packuments = new Map<string, Packument>([[pkg, pk as Packument]]);
      for (const s of riskSignals(pkg, v1, v2, packuments, p.graph, { files: diff.files }))
        io.err(`note: ${escapeText(formatRiskSignal(s))}\n`);
    }
    if (o.stat) {
      const lines = diff.files.map(
        (f) =>
          ` ${escapeText(f.path)} | ${f.binary ? `Bin ${f.oldBytes ?? 0} -> ${f.newBytes ?? 0} bytes` : `${f.insertions + f.deletions} ${'+'.repeat(Math.min(f.insertions, 40))}${'-'.repeat(Math.min(f.deletions, 40))}`}`,
      );
      await emit(g, io, `${lines.join('\n')}${lines.length ? '\n' : ''} ${formatDiffStat(diff.stat)}\n`);
      return EXIT_OK;
    }
    const color = g.outputFile === undefined && shouldColor({ isTTY: io.isTTY }, io.env);
    const text = colorizePatch(escapePatch(diff.patch), color);
    const pager = io.env['PAGER'] ?? 'less -R';
    if (o.pager !== false && io.isTTY && g.outputFile === undefined && pager !== '' && pager !== 'cat') {
      await pipeToPager(pager, text);
    } else {
      await emit(g, io, text);
    }
    io.err(`${formatDiffStat(diff.stat)}\nWhen you have audited it: vet certify ${escapeText(`${pkg} ${v1} ${v2}`)}\n`);
    return EXIT_OK;
  } finally {
    await source.close();
  }
}

function runInteractive(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

function pipeToPager(pager: string, text: string): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(pager, { shell: true, stdio: ['pipe', 'inherit', 'inherit'] });
    child.on('error', () => {
      process.stdout.write(text);
      resolve();
    });
    child.on('close', () => resolve());
    child.stdin.on('error', () => undefined); // the user quit the pager early
    child.stdin.end(text);
  });
}
