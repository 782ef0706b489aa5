// Lists import cycles between the folders of packages/core/src (a module's folder is its
// first path segment; root files are their own node; index.ts files are the public surface
// and are left out). Exit 1 when there is a cycle. Usage: node scripts/folder-cycles.mjs [dir]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const root = process.argv[2] ?? 'packages/core/src';
const edges = new Map();
const nodeOf = (file) => {
  const rel = relative(root, file).split('/');
  return rel.length === 1 ? rel[0].replace(/\.[jt]s$/, '') : rel[0];
};
for (const file of walk(root)) {
  if (!file.endsWith('.ts') || file.endsWith('.test.ts') || file.includes('__fixtures__') || file.endsWith('index.ts'))
    continue;
  const from = nodeOf(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
    const to = nodeOf(normalize(join(dirname(file), m[1])));
    if (to !== from) (edges.get(from) ?? edges.set(from, new Set()).get(from)).add(to);
  }
}
const cycles = [];
for (const [a, outs] of edges) for (const b of outs) if (a < b && reaches(b, a)) cycles.push(`${a} <-> ${b}`);
console.log(cycles.length === 0 ? 'no folder cycles' : cycles.join('\n'));
process.exitCode = cycles.length === 0 ? 0 : 1;

function reaches(from, to, seen = new Set()) {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return [...(edges.get(from) ?? [])].some((n) => reaches(n, to, seen));
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else yield p;
  }
}
