// The floor of bench/check-bench.mjs: the fastest honest read of what `vet check --locked` reads.
// A bare `node` reads the lockfile and the three store files and parses them with the fastest
// correct parsers on npm (JSON.parse, js-yaml `loadAll`, smol-toml), nothing else.
// Usage: node floor.mjs LOCKFILE STORE_DIR
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const [lockfile, storeDir] = process.argv.slice(2);
const text = readFileSync(lockfile, 'utf8');
let count = 0;
if (lockfile.endsWith('.json')) count += Object.keys(JSON.parse(text)).length;
else if (lockfile.endsWith('.yaml')) {
  const { loadAll } = await import('js-yaml');
  count += loadAll(text).length;
} else {
  const { parse } = await import('smol-toml');
  count += Object.keys(parse(text)).length;
}
const { parse } = await import('smol-toml');
for (const name of ['config.toml', 'audits.toml', 'imports.lock']) {
  const file = path.join(storeDir, name);
  if (existsSync(file)) count += Object.keys(parse(readFileSync(file, 'utf8'))).length;
}
process.stdout.write(`${count}\n`);
