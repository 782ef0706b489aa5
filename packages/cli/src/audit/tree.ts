/**
 * Listing and classifying the files of an extracted package tree (for diffs and risk signals).
 * Symlinks are not followed (vet never creates them; a foreign tree might have them).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Kinds of compiled code recognised by magic bytes. */
export type NativeKind = 'elf' | 'mach-o' | 'pe' | 'wasm';

/** All regular files under `root`, as sorted `/`-separated relative paths. */
export function listTreeFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(dir, e.name), rel);
      else if (e.isFile()) out.push(rel);
    }
  };
  walk(root, '');
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** git's heuristic: a NUL byte in the first 8000 bytes means binary. */
export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

export function nativeKind(bytes: Uint8Array): NativeKind | undefined {
  const b = bytes;
  if (b.length < 4) return undefined;
  const u32 = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  if (u32 === 0x7f454c46) return 'elf';
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(u32)) return 'mach-o';
  if (u32 === 0x0061736d) return 'wasm';
  if (b[0] === 0x4d && b[1] === 0x5a) return 'pe';
  return undefined;
}

/** Lines in a text, counting a final line without newline (git numstat semantics). */
export function countLines(text: string): number {
  if (text === '') return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}
