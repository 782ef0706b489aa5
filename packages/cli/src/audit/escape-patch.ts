import { escapeText } from '@vet/core';

/**
 * A unified patch of a package's files is outside text: file names in its header lines and
 * every body line are shown through `escapeText`, so a file cannot recolour or rewrite the
 * reviewer's terminal (ANSI/OSC sequences), hide code behind bidi overrides (Trojan Source,
 * CVE-2021-42574) or fake a line of its own. Tabs are kept: they are code's indentation, and
 * harmless. A carriage return shows as `\r`, as git shows `^M`.
 */
export function escapePatch(patch: string): string {
  return patch
    .split('\n')
    .map((line) => line.split('\t').map(escapeText).join('\t'))
    .join('\n');
}
