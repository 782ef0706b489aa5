/**
 * Archive member names are hostile (lockfiles.md §14): reject absolute names, drive letters,
 * backslashes, NUL and `..` segments *before* stripping the top folder, so a `package/../x`
 * entry is refused rather than silently promoted. Pure; property-tested.
 */

export type SafePathResult =
  | { ok: true; /** Path below the stripped top folder, `/`-separated; '' for the top folder itself. */ path: string }
  | { ok: false; reason: string };

/** Validate a raw tar member name and drop its first segment (npm's `package/`, whatever it is called). */
export function safeArchivePath(raw: string, maxDepth = 64): SafePathResult {
  if (raw.includes('\0')) return { ok: false, reason: 'name contains a NUL byte' };
  if (raw.includes('\\')) return { ok: false, reason: 'name contains a backslash' };
  if (raw.startsWith('/')) return { ok: false, reason: 'absolute path' };
  if (/^[A-Za-z]:/.test(raw)) return { ok: false, reason: 'drive-letter path' };
  const segments = raw.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { ok: false, reason: "path contains '..'" };
  if (segments.length > maxDepth) return { ok: false, reason: `path deeper than ${maxDepth} folders` };
  const path = segments.slice(1).join('/');
  // After stripping, `package/C:/x` would become a drive-letter path on Windows.
  if (/^[A-Za-z]:/.test(path)) return { ok: false, reason: 'drive-letter path' };
  return { ok: true, path };
}

/**
 * Where a symlink in the archive points, relative to the extraction root, or undefined when the
 * target is absolute or climbs out of the root. `linkFrom` is the link's own stripped path.
 */
export function symlinkTargetInside(linkFrom: string, target: string): string | undefined {
  if (target.startsWith('/') || target.includes('\\') || /^[A-Za-z]:/.test(target)) return undefined;
  const stack = linkFrom.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (stack.length === 0) return undefined;
      stack.pop();
    } else stack.push(seg);
  }
  return stack.join('/');
}
