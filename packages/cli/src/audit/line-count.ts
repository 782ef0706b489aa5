/**
 * Insertions and deletions between two texts without building a patch (issue 12): what
 * `git diff --numstat` counts, for the suggest metric and `vet diff --stat`. Lines become small
 * integers, lines found on one side only and the common head and tail are dropped (neither
 * changes the longest common subsequence), and Myers' O(ND) search runs over what is left to
 * find only the edit distance D. Any shortest edit script has the same counts
 * (deletions = N − LCS, insertions = M − LCS), so these equal the `diff` package's patch counts;
 * like it, the search gives up past `maxEdit` and the caller falls back to whole-file counts.
 */

/** Line tokens as ids; a last line without a newline is a different token from the same line with one. */
function tokenize(text: string, ids: Map<string, number>): Int32Array {
  if (text === '') return new Int32Array(0);
  const lines = text.split('\n');
  const endsWithNewline = lines[lines.length - 1] === '';
  if (endsWithNewline) lines.pop();
  const out = new Int32Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const key = !endsWithNewline && i === lines.length - 1 ? `${lines[i]}\u0000` : lines[i]!;
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    out[i] = id;
  }
  return out;
}

/** Shortest edit distance between a[lo..) and b[lo..) ending before the common tail, or undefined past `max`. */
function editDistance(a: Int32Array, b: Int32Array, max: number): number | undefined {
  let start = 0;
  let n = a.length;
  let m = b.length;
  while (start < n && start < m && a[start] === b[start]) start++;
  while (n > start && m > start && a[n - 1] === b[m - 1]) {
    n--;
    m--;
  }
  const x0 = start;
  n -= start;
  m -= start;
  if (n === 0 || m === 0) return n + m <= max ? n + m : undefined;
  const bound = Math.min(max, n + m);
  const off = bound + 1;
  const v = new Int32Array(2 * bound + 3);
  for (let d = 0; d <= bound; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x0 + x] === b[x0 + y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) return d;
    }
  }
  return undefined;
}

/** The lines of `x` whose token also occurs in `y`. */
function onlyShared(x: Int32Array, y: Int32Array, tokens: number): Int32Array {
  const inY = new Uint8Array(tokens);
  for (let i = 0; i < y.length; i++) inY[y[i]!] = 1;
  let n = 0;
  const out = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) if (inY[x[i]!] === 1) out[n++] = x[i]!;
  return out.subarray(0, n);
}

/** `{ insertions, deletions }` of the line diff old → new, or undefined when it needs more than `maxEdit` edits. */
export function countLineChanges(
  oldText: string,
  newText: string,
  maxEdit: number,
): { insertions: number; deletions: number } | undefined {
  const ids = new Map<string, number>();
  const a = tokenize(oldText, ids);
  const b = tokenize(newText, ids);
  // A line found on one side only can never be common: dropping it keeps the LCS, and turns a
  // rewritten bundle (few shared lines) into a short search. D = the dropped lines + D'.
  const [a2, b2] = [onlyShared(a, b, ids.size), onlyShared(b, a, ids.size)];
  const dropped = a.length - a2.length + (b.length - b2.length);
  if (dropped > maxEdit) return undefined;
  const rest = editDistance(a2, b2, maxEdit - dropped);
  if (rest === undefined) return undefined;
  const d = dropped + rest;
  // d = deletions + insertions and insertions − deletions = M − N.
  const insertions = (d + b.length - a.length) / 2;
  return { insertions, deletions: d - insertions };
}
