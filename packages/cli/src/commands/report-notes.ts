/** Notes appended to reports: packages that do not come from the registry are named, never silently vetted. */
import type { DependencyGraph } from '@vet/core';

export function nonRegistryWarnings(graph: DependencyGraph): string {
  const odd = graph.nodes.filter((n) => !n.firstParty && n.source.kind !== 'registry');
  if (odd.length === 0) return '';
  const lines = [
    `\nnote: ${odd.length} third-party package(s) do not come from the registry; they are vetted by name and version like the rest, but their bytes are not the registry's:`,
  ];
  for (const n of odd.slice(0, 50)) {
    lines.push(`  ${n.name}:${n.version} (${n.source.kind}${n.source.url ? ` ${n.source.url}` : ''})`);
  }
  if (odd.length > 50) lines.push(`  … and ${odd.length - 50} more`);
  return lines.join('\n') + '\n';
}
