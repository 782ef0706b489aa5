#!/usr/bin/env node
/**
 * Suggest benchmark: a 300-package npm project (package-lock.json v3 + packuments + tarballs on
 * the local test registry), then the suggest machinery cold (empty cache) and warm (same cache,
 * fresh client). Each failing package has two candidates: a full audit of 1.1.0 and the delta
 * 1.0.0 → 1.1.0. Prints both times and request counts.
 *
 *   node bench/suggest-bench.mjs [packages=300]
 *
 * Runs from TypeScript source through tsx; talks only to 127.0.0.1.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { register } from 'tsx/esm/api';

register();
const { startRegistryServer } = await import('../test/registry-server.ts');
const reg = await import('../packages/cli/src/registry/index.ts');
const audit = await import('../packages/cli/src/audit/index.ts');

const COUNT = Number(process.argv[2] ?? 300);
// Lockfile URLs name a default registry's host, which vet rewrites onto the configured one; the
// bench stands in for the package managers' answer (npm's built-in default) with this host.
const DEFAULT_HOST = 'public.registry.example';

/** Deterministic pseudo-source: `n` lines of JS for package `i`, variant `v`. */
function source(i, n, v) {
  const out = [];
  for (let l = 0; l < n; l++)
    out.push(l % 37 === v ? `  changed_${v}_${l}(${i});` : `  line_${l}(${i}, ${(l * 7919) % 1000});`);
  return `module.exports = function p${i}() {\n${out.join('\n')}\n};\n`;
}

function buildProject(server) {
  const packages = {};
  const nodes = [
    {
      id: 'bench@1.0.0',
      name: 'bench',
      version: '1.0.0',
      source: { kind: 'workspace' },
      integrity: [],
      firstParty: true,
      workspaceMember: true,
      deps: [],
    },
  ];
  for (let i = 0; i < COUNT; i++) {
    const name = i % 10 === 0 ? `@bench/pkg-${i}` : `pkg-${i}`;
    const lines = 50 + ((i * 37) % 450);
    const files = (v) => ({
      'index.js': source(i, lines, v),
      'lib/util.js': source(i + 1, 40, v),
      'README.md': `# ${name}\n`,
    });
    server.publish({ name, version: '1.0.0', files: files(0), npmUser: 'alice' });
    const pub = server.publish({
      name,
      version: '1.1.0',
      files: files(1),
      npmUser: i % 25 === 0 ? 'mallory' : 'alice',
    });
    const base = name.slice(name.lastIndexOf('/') + 1);
    packages[`node_modules/${name}`] = {
      version: '1.1.0',
      resolved: `https://${DEFAULT_HOST}/${name}/-/${base}-1.1.0.tgz`,
      integrity: pub.integrity,
    };
    nodes[0].deps.push({ to: `${name}@1.1.0`, kind: 'normal' });
  }
  return {
    lockfile: { name: 'bench', version: '1.0.0', lockfileVersion: 3, packages: { '': { name: 'bench' }, ...packages } },
    nodes,
  };
}

/** Just enough package-lock v3 reading for the bench (the real reader lives in @vet/core). */
function graphFromLockfile(lock) {
  const nodes = [
    {
      id: 'bench@1.0.0',
      name: 'bench',
      version: '1.0.0',
      source: { kind: 'workspace' },
      integrity: [],
      firstParty: true,
      workspaceMember: true,
      deps: [],
    },
  ];
  for (const [path, e] of Object.entries(lock.packages)) {
    if (!path) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const [algo, digest] = [
      e.integrity.slice(0, e.integrity.indexOf('-')),
      e.integrity.slice(e.integrity.indexOf('-') + 1),
    ];
    nodes.push({
      id: `${name}@${e.version}`,
      name,
      version: e.version,
      source: { kind: 'registry', url: e.resolved },
      integrity: [{ algo, digest, encoding: 'base64', covers: 'npm-tarball' }],
      firstParty: false,
      workspaceMember: false,
      deps: [],
    });
    nodes[0].deps.push({ to: `${name}@${e.version}`, kind: 'normal' });
  }
  return { ecosystem: 'npm', lockfile: 'package-lock.json', format: 'package-lock v3', nodes, warnings: [] };
}

async function run(label, config, cacheDir, graph, failures, server) {
  const before = server.requests.length;
  const registry = reg.createNpmRegistry({ config, cache: reg.openCache({ cacheDir }) });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const progress = audit.createProgress(
    process.stderr,
    failures.reduce((n, f) => n + f.candidates.length, 0),
    `${label}: measuring`,
  );
  const report = await audit.computeSuggestions(failures, audit.createRegistrySuggestFetcher(registry, graph), {
    graph,
    cache: registry.cache,
    progress,
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  await registry.close();
  const reqs = server.requests.slice(before);
  return { ms, cpuMs, report, requests: reqs.length, tarballs: reqs.filter((r) => r.path.endsWith('.tgz')).length };
}

const server = await startRegistryServer();
const work = mkdtempSync(join(tmpdir(), 'vet-suggest-bench-'));
try {
  const { lockfile } = buildProject(server);
  writeFileSync(join(work, 'package.json'), '{"name":"bench","version":"1.0.0"}\n');
  writeFileSync(join(work, 'package-lock.json'), JSON.stringify(lockfile, null, 2));
  // The registry reaches vet only through npm configuration.
  writeFileSync(join(work, '.npmrc'), `registry=${server.url}\n`);
  const config = await reg.loadNpmConfig({
    projectDir: work,
    env: { npm_config_globalconfig: join(work, 'none') },
    home: work,
    defaults: { registry: async () => undefined, defaultHosts: async () => [DEFAULT_HOST] },
  });
  const graph = graphFromLockfile(lockfile);
  const failures = graph.nodes
    .filter((n) => !n.firstParty)
    .map((n) => ({
      name: n.name,
      version: n.version,
      criteria: ['safe-to-deploy'],
      candidates: [{ to: n.version }, { from: '1.0.0', to: n.version }],
    }));
  const cacheDir = join(work, 'cache');
  const cold = await run('cold', config, cacheDir, graph, failures, server);
  const warm = await run('warm', config, cacheDir, graph, failures, server);
  const same = JSON.stringify(cold.report.suggestions) === JSON.stringify(warm.report.suggestions);
  console.log(
    `suggest bench: ${COUNT} failing packages, ${failures.length * 2} candidate diffs, Node ${process.version}`,
  );
  // CPU time includes the in-process test registry; it is steadier than wall time on a busy machine.
  console.log(
    `  cold (empty cache): ${cold.ms.toFixed(0)} ms wall, ${cold.cpuMs.toFixed(0)} ms CPU, ${cold.requests} requests (${cold.tarballs} tarballs)`,
  );
  console.log(
    `  warm (same cache):  ${warm.ms.toFixed(0)} ms wall, ${warm.cpuMs.toFixed(0)} ms CPU, ${warm.requests} requests (${warm.tarballs} tarballs)`,
  );
  console.log(
    `  backlog: ${cold.report.totalLines} lines in ${cold.report.suggestions.length} suggestions; problems: ${cold.report.problems.length}; warm result identical: ${same}`,
  );
  if (!same || cold.report.suggestions.length !== COUNT) process.exitCode = 1;
} finally {
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
