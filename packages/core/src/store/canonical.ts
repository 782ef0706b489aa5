/**
 * The `--locked` format check (spec/cargo-vet-format.md §9.1): a file is canonical when it
 * equals its re-serialisation after stripping trailing whitespace at the end of the file
 * only. Any other difference (order, quoting, blank lines, comments, CRLF) counts.
 */

// String#trimEnd strips exactly what /\s+$/ matched, in linear time (the regex backtracked
// quadratically over a long run of inner whitespace: a fuzzed 200 KB comment took minutes).
function trimEnd(s: string): string {
  return s.trimEnd();
}

export function isCanonical(text: string, serialized: string): boolean {
  return trimEnd(text) === trimEnd(serialized);
}

/**
 * A short unified-diff-style view of the first differing line, with two lines of context,
 * for the "not canonical, run `vet fmt`" message. undefined when canonical.
 */
export function canonicalFirstDifference(
  text: string,
  serialized: string,
  fileName: string,
  context = 2,
): string | undefined {
  if (isCanonical(text, serialized)) return undefined;
  const a = trimEnd(text).split('\n');
  const b = trimEnd(serialized).split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const start = Math.max(0, i - context);
  // Resynchronise: the first later line of the canonical text that also appears in the file.
  let endA = i;
  let endB = i;
  outer: for (let db = 0; db < 50 && i + db <= b.length; db++) {
    for (let da = 0; da < 50 && i + da <= a.length; da++) {
      if (i + da === a.length && i + db === b.length) {
        [endA, endB] = [a.length, b.length];
        break outer;
      }
      if (a[i + da] !== undefined && a[i + da] === b[i + db]) {
        [endA, endB] = [i + da, i + db];
        break outer;
      }
    }
  }
  if (endA === i && endB === i) [endA, endB] = [Math.min(i + 1, a.length), Math.min(i + 1, b.length)];
  const out = [`--- ${fileName}`, `+++ ${fileName} (canonical)`, `@@ line ${i + 1} @@`];
  for (let k = start; k < i; k++) out.push(` ${show(a[k]!)}`);
  for (let k = i; k < endA; k++) out.push(`-${show(a[k]!)}`);
  for (let k = i; k < endB; k++) out.push(`+${show(b[k]!)}`);
  for (let k = endA; k < Math.min(a.length, endA + context); k++) out.push(` ${show(a[k]!)}`);
  return out.join('\n');
}

/** Longest line shown whole in the diff; a longer one is cut (a hostile file can hold megabytes). */
const SHOW_MAX = 200;

/** Make invisible differences (CR, trailing spaces, tabs) visible; linear time. */
function show(line: string): string {
  const body = line.endsWith('\r') ? line.slice(0, -1) : line;
  let end = body.length;
  while (end > 0 && (body[end - 1] === ' ' || body[end - 1] === '\t')) end--;
  const trailing = body.slice(end).replace(/ /g, '·').replace(/\t/g, '→');
  const shown = (body.slice(0, end) + trailing + (body === line ? '' : '\r')).replace(/\r/g, '\\r');
  return shown.length <= SHOW_MAX ? shown : `${shown.slice(0, SHOW_MAX)}… (${shown.length - SHOW_MAX} more characters)`;
}
