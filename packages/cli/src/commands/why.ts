/** `vet why <pkg> [version]`: every dependency chain from the project to the package. */
import { VetError, dependencyChains, escapeText, toSafeJson } from '@vet/core';
import { discoverOne, readGraph } from '../project.js';
import { discoverOpts, graphOptions, noteProjectDir, type GlobalOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { emit } from '../output.js';

export async function runWhy(g: GlobalOptions, io: CommandIO, pkg: string, version?: string): Promise<number> {
  const ref = await discoverOne(discoverOpts(g));
  noteProjectDir([ref], g, io);
  const graph = await readGraph(ref, graphOptions(g, io));
  const result = dependencyChains(graph, pkg, version === undefined ? {} : { version });
  if (result.target.length === 0) {
    throw new VetError('INVALID_ARGUMENT', `${pkg}${version ? `@${version}` : ''} is not in the lockfile`);
  }
  if (g.outputFormat === 'json') {
    await emit(
      g,
      io,
      toSafeJson({
        package: pkg,
        versions: result.target.map((t) => t.version),
        truncated: result.truncated,
        chains: result.chains.map((c) =>
          c.map((s) => ({ name: s.node.name, version: s.node.version, ...(s.via ? { via: s.via } : {}) })),
        ),
      }),
    );
    return EXIT_OK;
  }
  const lines: string[] = [];
  for (const chain of result.chains) {
    lines.push(
      chain
        .map((s, i) => {
          const label = escapeText(
            s.node.firstParty && i === 0 ? s.node.name || '(root)' : `${s.node.name}@${s.node.version}`,
          );
          return s.via && s.via !== 'normal' ? `(${s.via}) ${label}` : label;
        })
        .join(' -> '),
    );
  }
  if (result.chains.length === 0)
    lines.push(`${escapeText(pkg)} is in the lockfile but no workspace member depends on it`);
  if (result.truncated) lines.push(`… (only the first ${result.chains.length} chains are shown)`);
  await emit(g, io, lines.join('\n') + '\n');
  return EXIT_OK;
}
