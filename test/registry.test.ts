/**
 * The npm registry client against a real HTTP registry on 127.0.0.1: configuration resolution,
 * credentials per host, retries/backoff, integrity, caching, diffs, risk signals and suggest.
 * The registry URL reaches the code only through npm configuration (a temp .npmrc or
 * npm_config_registry), never as an argument.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DependencyGraph, PackageNode } from '@vet/core';
import {
  authorizationFor,
  backoffDelay,
  createHttpClient,
  createLimiter,
  createNpmRegistry,
  expandNpmEnv,
  loadNpmConfig,
  openCache,
  parseNpmrc,
  parseRetryAfter,
  registryForPackage,
  resolveCacheDir,
  rewriteRegistryUrl,
  settleDefaultRegistry,
  packageManagerDefaults,
  type HttpClientOptions,
  type NpmConfig,
  type NpmRegistry,
} from '../packages/cli/src/registry/index.js';
import {
  colorizePatch,
  computeSuggestions,
  createProgress,
  formatBytes,
  createRegistrySuggestFetcher,
  deprecatedVersions,
  diffTrees,
  fetchPackageTree,
  formatDiffStat,
  riskSignals,
  type SuggestFailure,
} from '../packages/cli/src/audit/index.js';
import {
  buildTgz,
  localOnlyDispatcher,
  sri,
  startRegistryServer,
  type RegistryServer,
} from '@vet/test-support/registry-server';

// ---------------------------------------------------------------- helpers

const temps: string[] = [];
function tempDir(label: string): string {
  const d = mkdtempSync(join(tmpdir(), `vet-${label}-`));
  temps.push(d);
  return d;
}
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function writeTree(root: string, files: Record<string, string>): string {
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(root, p, '..'), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return root;
}

interface Env {
  project: string;
  home: string;
  env: Record<string, string>;
}

/** A project folder, a fake home and an environment that cannot see the machine's npmrc files. */
function sandbox(
  files: { project?: string; user?: string; global?: string } = {},
  env: Record<string, string> = {},
): Env {
  const root = tempDir('cfg');
  const project = join(root, 'project');
  const home = join(root, 'home');
  writeTree(project, {
    'package.json': '{"name":"p"}\n',
    ...(files.project === undefined ? {} : { '.npmrc': files.project }),
  });
  writeTree(home, files.user === undefined ? {} : { '.npmrc': files.user });
  if (files.global !== undefined) writeTree(root, { 'etc/npmrc': files.global });
  return { project, home, env: { npm_config_globalconfig: join(root, 'etc/npmrc'), ...env } };
}

// Stand-ins for the hosts of the package managers' built-in default registries (npm's and
// Yarn classic's alias), which vet asks the installed npm and yarn for.
const DEFAULT_HOSTS = ['public.registry.example', 'alias.registry.example'];

function load(s: Env, cwd = s.project): Promise<NpmConfig> {
  return loadNpmConfig({
    cwd,
    env: s.env,
    home: s.home,
    defaults: {
      registry: () => Promise.reject(new Error('npm must not be asked for a registry in this test')),
      defaultHosts: async () => DEFAULT_HOSTS,
    },
  });
}

const fastHttp = (extra: HttpClientOptions = {}): HttpClientOptions => ({
  baseDelayMs: 1,
  maxDelayMs: 5,
  dispatcher: localOnlyDispatcher(),
  ...extra,
});

function node(name: string, version: string, deps: string[] = [], extra: Partial<PackageNode> = {}): PackageNode {
  return {
    id: `${name}@${version}`,
    name,
    version,
    source: { kind: 'registry' },
    integrity: [],
    firstParty: false,
    workspaceMember: false,
    deps: deps.map((to) => ({ to, kind: 'normal' as const })),
    ...extra,
  };
}

function graph(nodes: PackageNode[]): DependencyGraph {
  return { ecosystem: 'npm', lockfile: 'package-lock.json', format: 'package-lock v3', nodes, warnings: [] };
}

// ---------------------------------------------------------------- npm configuration

describe('npmrc parsing', () => {
  it('reads comments, quotes, arrays and expands ${VAR} / ${VAR?}', () => {
    const text = [
      '; comment',
      '# another',
      'registry = https://r.example/npm/ ; trailing comment',
      '"quoted" = "a;b"',
      'list[] = 1',
      'list[] = 2',
      '//r.example/npm/:_authToken=${TOKEN}',
      'missing=${NOPE}',
      'optional=${NOPE?}x',
      'escaped=\\${TOKEN}',
    ].join('\n');
    const l = parseNpmrc(text, '.npmrc', { TOKEN: 's3cret' });
    expect(l.values.get('registry')).toBe('https://r.example/npm/');
    expect(l.values.get('quoted')).toBe('a;b');
    expect(l.values.get('list')).toEqual(['1', '2']);
    expect(l.values.get('//r.example/npm/:_authToken')).toBe('s3cret');
    expect(l.values.get('missing')).toBe('${NOPE}');
    expect(l.values.get('optional')).toBe('x');
    expect(l.values.get('escaped')).toBe('${TOKEN}');
  });

  it('expandNpmEnv handles escape parity like @npmcli/config', () => {
    expect(expandNpmEnv('\\\\${A}', { A: 'x' })).toBe('\\x');
    expect(expandNpmEnv('${A}${B?}', { A: 'x' })).toBe('x');
  });
});

describe('registry resolution', () => {
  it('project .npmrc beats user beats global', async () => {
    const s = sandbox({
      project: 'registry=http://project.test/',
      user: 'registry=http://user.test/',
      global: 'registry=http://global.test/',
    });
    expect(registryForPackage(await load(s), 'left-pad')).toBe('http://project.test/');
    const s2 = sandbox({ user: 'registry=http://user.test/', global: 'registry=http://global.test/' });
    expect(registryForPackage(await load(s2), 'left-pad')).toBe('http://user.test/');
    const s3 = sandbox({ global: 'registry=http://global.test/' });
    expect(registryForPackage(await load(s3), 'left-pad')).toBe('http://global.test/');
  });

  it('npm_config_registry / NPM_CONFIG_REGISTRY override every file; overrides beat env', async () => {
    const s = sandbox({ project: 'registry=http://project.test/' }, { NPM_CONFIG_REGISTRY: 'http://env.test' });
    const cfg = await load(s);
    expect(registryForPackage(cfg, 'x')).toBe('http://env.test/');
    const over = await loadNpmConfig({
      projectDir: s.project,
      env: s.env,
      home: s.home,
      overrides: { registry: 'http://flag.test/' },
    });
    expect(registryForPackage(over, 'x')).toBe('http://flag.test/');
  });

  it('npm_config_userconfig points at another user file', async () => {
    const s = sandbox({ user: 'registry=http://home.test/' });
    const other = writeTree(tempDir('uc'), { 'my.npmrc': 'registry=http://other.test/' });
    s.env.npm_config_userconfig = join(other, 'my.npmrc');
    expect(registryForPackage(await load(s), 'x')).toBe('http://other.test/');
  });

  it('finds the project .npmrc by walking up to the package.json folder', async () => {
    const s = sandbox({ project: 'registry=http://project.test/' });
    const deep = join(s.project, 'src', 'deep');
    mkdirSync(deep, { recursive: true });
    expect(registryForPackage(await load(s, deep), 'x')).toBe('http://project.test/');
  });

  it('scoped registries apply to their scope only', async () => {
    const s = sandbox({ project: 'registry=http://main.test/\n@acme:registry=http://acme.test/private' });
    const cfg = await load(s);
    expect(registryForPackage(cfg, '@acme/widget')).toBe('http://acme.test/private/');
    expect(registryForPackage(cfg, '@other/widget')).toBe('http://main.test/');
    expect(registryForPackage(cfg, 'acme')).toBe('http://main.test/');
  });

  it('asks npm for its registry only when nothing is configured and the network is needed, once', async () => {
    const server = await startRegistryServer();
    server.publish({ name: 'a', version: '1.0.0', files: { 'a.js': 'a\n' } });
    server.publish({ name: 'b', version: '1.0.0', files: { 'b.js': 'b\n' } });
    let asked = 0;
    const defaults = { registry: async () => (asked++, server.url), defaultHosts: async () => [] };
    const s = sandbox();
    const cfg = await loadNpmConfig({ projectDir: s.project, env: s.env, home: s.home, defaults });
    expect(asked).toBe(0); // loading reads files only
    const registry = createNpmRegistry({
      config: cfg,
      cache: openCache({ cacheDir: tempDir('c0') }),
      httpOptions: fastHttp(),
    });
    await Promise.all([registry.packument('a'), registry.packument('b')]);
    expect(asked).toBe(1);
    expect(registryForPackage(cfg, 'x')).toBe(server.url);
    const s2 = sandbox({ user: `registry=${server.url}` });
    const cfg2 = await loadNpmConfig({ projectDir: s2.project, env: s2.env, home: s2.home, defaults });
    const r2 = createNpmRegistry({
      config: cfg2,
      cache: openCache({ cacheDir: tempDir('c1') }),
      httpOptions: fastHttp(),
    });
    await r2.packument('a');
    expect(asked).toBe(1);
    await registry.close();
    await r2.close();
    await server.close();
  });

  it("asks npm for its registry before a version's manifest too, when that is the first request", async () => {
    // A lockfile without `resolved` URLs (npm's omit-lockfile-registry-resolved) and no registry
    // in any npmrc: suggestions start with per-version manifests, which once skipped the question
    // and failed with "no npm registry is configured".
    const server = await startRegistryServer();
    server.publish({ name: 'a', version: '1.0.0', files: { 'a.js': 'a\n' } });
    let asked = 0;
    const defaults = { registry: async () => (asked++, server.url), defaultHosts: async () => [] };
    const s = sandbox();
    const cfg = await loadNpmConfig({ projectDir: s.project, env: s.env, home: s.home, defaults });
    const registry = createNpmRegistry({
      config: cfg,
      cache: openCache({ cacheDir: tempDir('c2') }),
      httpOptions: fastHttp(),
    });
    const [m] = await Promise.all([registry.manifest('a', '1.0.0'), registry.manifest('a', '1.0.0')]);
    expect(m.version).toBe('1.0.0');
    expect(asked).toBe(1);
    await registry.close();
    await server.close();
  });

  it('without a configured registry and without npm, a clear error names the setting', async () => {
    const s = sandbox();
    const cfg = await loadNpmConfig({
      projectDir: s.project,
      env: { ...s.env, PATH: tempDir('no-npm') },
      home: s.home,
    });
    await expect(settleDefaultRegistry(cfg)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/no npm registry is configured, and npm is not installed/) as unknown,
      hint: 'set registry=<url> in .npmrc or the npm_config_registry environment variable',
    });
  });

  it('asks the installed npm: the project registry as npm sees it, and its built-in default with every config out of the way', async () => {
    const bin = tempDir('fake-npm');
    const log = join(bin, 'log');
    // A stand-in npm that answers like npm: the setting from npm_config_registry / --userconfig, else its default.
    writeFileSync(
      join(bin, 'npm'),
      [
        '#!/bin/sh',
        `echo "$*|$npm_config_registry" >> ${log}`,
        'if [ -n "$npm_config_registry" ]; then echo "$npm_config_registry"; exit 0; fi',
        'echo "https://public.registry.example/"',
      ].join('\n'),
      { mode: 0o755 },
    );
    const s = sandbox({}, { PATH: bin, npm_config_registry: 'http://env.test/' });
    const d = packageManagerDefaults(s.project, { env: s.env });
    expect(await d.registry()).toBe('http://env.test/');
    expect(await d.defaultHosts()).toEqual(['public.registry.example']);
    await d.defaultHosts();
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatch(/^config get registry --prefix=\S+ --userconfig=\S+ --globalconfig=\S+\|$/);
  });

  it("rewrites the default registries' hosts onto the configured registry, keeping its path; leaves other hosts", async () => {
    const s = sandbox({ project: 'registry=http://mirror.test/api/npm/\n@acme:registry=http://acme.test/' });
    const cfg = await load(s);
    for (const host of DEFAULT_HOSTS) {
      expect(rewriteRegistryUrl(cfg, 'lodash', `https://${host}/lodash/-/lodash-4.17.21.tgz`, DEFAULT_HOSTS)).toBe(
        'http://mirror.test/api/npm/lodash/-/lodash-4.17.21.tgz',
      );
    }
    expect(rewriteRegistryUrl(cfg, '@acme/w', `https://${DEFAULT_HOSTS[0]}/@acme/w/-/w-1.0.0.tgz`, DEFAULT_HOSTS)).toBe(
      'http://acme.test/@acme/w/-/w-1.0.0.tgz',
    );
    expect(rewriteRegistryUrl(cfg, 'x', 'https://elsewhere.test/x/-/x-1.0.0.tgz', DEFAULT_HOSTS)).toBe(
      'https://elsewhere.test/x/-/x-1.0.0.tgz',
    );
    const never = await load(sandbox({ project: 'registry=http://mirror.test/\nreplace-registry-host=never' }));
    expect(rewriteRegistryUrl(never, 'x', `https://${DEFAULT_HOSTS[0]}/x/-/x-1.tgz`, DEFAULT_HOSTS)).toBe(
      `https://${DEFAULT_HOSTS[0]}/x/-/x-1.tgz`,
    );
  });
});

describe('credentials per host', () => {
  it('sends a token only to URLs under the configured prefix, longest prefix first', async () => {
    const s = sandbox(
      {
        project: [
          'registry=http://main.test/',
          '//main.test/:_authToken=${MAIN_TOKEN}',
          '//main.test/team/:_authToken=team-token',
          '//basic.test/:username=alice',
          `//basic.test/:_password=${Buffer.from('pw').toString('base64')}`,
          '//auth.test/:_auth=dXNlcjpwYXNz',
          '_authToken=unscoped-should-be-ignored',
        ].join('\n'),
      },
      { MAIN_TOKEN: 'main-token' },
    );
    const cfg = await load(s);
    expect(authorizationFor(cfg, 'http://main.test/left-pad')).toBe('Bearer main-token');
    expect(authorizationFor(cfg, 'http://main.test/team/x/-/x-1.tgz')).toBe('Bearer team-token');
    expect(authorizationFor(cfg, 'http://basic.test/x')).toBe(`Basic ${Buffer.from('alice:pw').toString('base64')}`);
    expect(authorizationFor(cfg, 'http://auth.test/x')).toBe('Basic dXNlcjpwYXNz');
    expect(authorizationFor(cfg, 'http://main.test.evil.test/x')).toBeUndefined();
    expect(authorizationFor(cfg, 'http://other.test/x')).toBeUndefined();
    expect(authorizationFor(cfg, 'http://main.test:8080/x')).toBeUndefined();
    expect(cfg.warnings.join('\n')).toMatch(/ignoring "_authToken"/);
  });
});

// ---------------------------------------------------------------- HTTP client

describe('HTTP client', () => {
  let server: RegistryServer;
  beforeEach(async () => {
    server = await startRegistryServer();
    server.publish({ name: 'a', version: '1.0.0', files: { 'index.js': 'a\n' } });
  });
  afterEach(() => server.close());

  it('retries 5xx with backoff and then succeeds', async () => {
    server.inject({ match: /^\/a$/, responses: [{ status: 500 }, { status: 503 }] });
    const delays: number[] = [];
    const http = createHttpClient(
      fastHttp({ sleep: async (ms) => void delays.push(ms), random: () => 0.5, baseDelayMs: 100, maxDelayMs: 1000 }),
    );
    const res = await http.getJson(`${server.url}a`, { maxBytes: 1e6 });
    expect((res.json as { name: string }).name).toBe('a');
    expect(server.requests.filter((r) => r.path === '/a')).toHaveLength(3);
    expect(delays).toEqual([75, 150]); // equal jitter: ceiling/2 + 0.5·ceiling/2, ceiling 100 then 200
    await http.close();
  });

  it('honours Retry-After on 429 (capped)', async () => {
    server.inject({
      match: /^\/a$/,
      responses: [
        { status: 429, headers: { 'retry-after': '2' } },
        { status: 429, headers: { 'retry-after': '99999' } },
      ],
    });
    const delays: number[] = [];
    const http = createHttpClient(fastHttp({ sleep: async (ms) => void delays.push(ms), maxRetryAfterMs: 5000 }));
    await http.get(`${server.url}a`, { maxBytes: 1e6 });
    expect(delays).toEqual([2000, 5000]);
    await http.close();
  });

  it('gives up after the retry budget with HTTP_ERROR naming the URL', async () => {
    server.inject({ match: /^\/a$/, responses: Array.from({ length: 10 }, () => ({ status: 502 })) });
    const http = createHttpClient(fastHttp({ retries: 2 }));
    const err = await http.get(`${server.url}a`, { maxBytes: 1e6 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HTTP_ERROR', details: { status: 502, attempts: 3 } });
    expect((err as Error).message).toContain(`${server.url}a`);
    expect(server.requests).toHaveLength(3);
    await http.close();
  });

  it('does not retry 404 and reports NOT_FOUND', async () => {
    const http = createHttpClient(fastHttp());
    await expect(http.get(`${server.url}nope`, { maxBytes: 1e6 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(server.requests).toHaveLength(1);
    await http.close();
  });

  it('error hints name the configuration of the registry the client serves (npm by default)', async () => {
    const npm = createHttpClient(fastHttp());
    await expect(npm.get(`${server.url}nope`, { maxBytes: 1e6 })).rejects.toMatchObject({
      hint: expect.stringContaining('npm config get registry'),
    });
    await npm.close();
    server.inject({ match: /^\/a$/, responses: [{ status: 403 }] });
    const pip = createHttpClient(
      fastHttp({ hints: { config: 'PIP_INDEX_URL', credentials: 'the user:token in the index URL' } }),
    );
    await expect(pip.get(`${server.url}nope`, { maxBytes: 1e6 })).rejects.toMatchObject({
      hint: 'check the package name and version, and PIP_INDEX_URL',
    });
    await expect(pip.get(`${server.url}a`, { maxBytes: 1e6 })).rejects.toMatchObject({
      hint: 'the registry refused the request; check the user:token in the index URL',
    });
    await pip.close();
  });

  it('retries dropped connections, then reports NETWORK_ERROR', async () => {
    server.inject({ match: /^\/a$/, responses: [{ reset: true }] });
    const http = createHttpClient(fastHttp());
    await expect(http.get(`${server.url}a`, { maxBytes: 1e6 })).resolves.toMatchObject({ status: 200 });
    server.inject({ match: /^\/a$/, responses: Array.from({ length: 5 }, () => ({ reset: true as const })) });
    const err = await http.get(`${server.url}a`, { maxBytes: 1e6 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((err as Error).message).toContain(server.url);
    await http.close();
  });

  it('times out slow responses', async () => {
    server.inject({ match: /^\/a$/, responses: [{ delayMs: 1500 }] });
    const http = createHttpClient(fastHttp({ headersTimeoutMs: 200, retries: 0, dispatcher: undefined }));
    await expect(http.get(`${server.url}a`, { maxBytes: 1e6 })).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    await http.close();
  });

  it('caps bytes (declared and streamed)', async () => {
    const http = createHttpClient(fastHttp());
    const err = await http.get(`${server.url}a`, { maxBytes: 10 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'HTTP_ERROR' });
    expect((err as Error).message).toMatch(/larger than/);
    await http.close();
  });

  it('does not carry credentials across a redirect to another host', async () => {
    const other = await startRegistryServer();
    other.publish({ name: 'a', version: '1.0.0', files: { 'index.js': 'a\n' } });
    server.inject({ match: /^\/a$/, responses: [{ status: 302, headers: { location: `${other.url}a` } }] });
    const s = sandbox({ project: `registry=${server.url}\n//${server.host}/:_authToken=only-for-server` });
    const cfg = await load(s);
    const http = createHttpClient(fastHttp({ authFor: (u) => authorizationFor(cfg, u) }));
    await http.get(`${server.url}a`, { maxBytes: 1e6 });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer only-for-server');
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]?.headers.authorization).toBeUndefined();
    await http.close();
    await other.close();
  });

  it('pure retry helpers', () => {
    expect(backoffDelay(0, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0)).toBe(50);
    expect(backoffDelay(10, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 1)).toBe(1000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', now, 60_000)).toBe(3000);
    expect(parseRetryAfter('garbage', now, 60_000)).toBeUndefined();
    expect(parseRetryAfter('-5', now, 60_000)).toBeUndefined();
  });

  it('the limiter never runs more than its size at once', async () => {
    const limiter = createLimiter(2);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        limiter.run(async () => {
          peak = Math.max(peak, ++active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
  });
});

// ---------------------------------------------------------------- registry, integrity, cache

describe('npm registry client', () => {
  let server: RegistryServer;
  let registry: NpmRegistry;
  let cacheRoot: string;
  let cfg: NpmConfig;

  beforeEach(async () => {
    server = await startRegistryServer({ pathPrefix: '/npm/' });
    server.requireToken('tok-123');
    const s = sandbox(
      { project: `registry=${server.url}\n//${server.host}/npm/:_authToken=\${REG_TOKEN}` },
      { REG_TOKEN: 'tok-123' },
    );
    cfg = await load(s);
    cacheRoot = tempDir('cache');
    registry = createNpmRegistry({ config: cfg, cache: openCache({ cacheDir: cacheRoot }), httpOptions: fastHttp() });
  });
  afterEach(async () => {
    await registry.close();
    await server.close();
  });

  it('fetches scoped packuments with %2f and sends the token configured for the registry', async () => {
    server.publish({ name: '@scope/pkg', version: '1.0.0', npmUser: 'alice', files: { 'index.js': '1\n' } });
    const p = await registry.packument('@scope/pkg', { full: true });
    expect(p.versions['1.0.0']?.npmUser?.name).toBe('alice');
    expect(server.requests[0]?.path).toBe('/npm/@scope%2Fpkg');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer tok-123');
    expect(server.requests[0]?.headers.accept).toBe('application/json');
    await registry.packument('@scope/pkg');
    expect(server.requests).toHaveLength(1); // the full document serves abbreviated requests too
  });

  it('verifies a tarball, caches it by integrity, then serves it from the cache', async () => {
    const pub = server.publish({ name: 'left-pad', version: '1.3.0', files: { 'index.js': 'pad\n' } });
    const t = await registry.tarball({ name: 'left-pad', version: '1.3.0', integrity: pub.integrity });
    expect(t).toMatchObject({ integrity: pub.integrity, fromCache: false });
    expect(t.bytes.equals(pub.tarball)).toBe(true);
    // No `resolved` in the lockfile: dist.tarball from the version's manifest is preferred (§12.1).
    expect(server.requests.map((r) => r.path)).toEqual(['/npm/left-pad/1.3.0', '/npm/left-pad/-/left-pad-1.3.0.tgz']);
    expect(readdirSync(join(cacheRoot, 'tarballs'))).toEqual([t.key]);
    const again = await registry.tarball({ name: 'left-pad', version: '1.3.0', integrity: pub.integrity });
    expect(again.fromCache).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it("reads one version's manifest instead of the whole packument, and falls back to it where there is none", async () => {
    server.publish({ name: 'big', version: '1.0.0', files: { 'a.js': 'a\n' } });
    server.publish({ name: 'big', version: '2.0.0', files: { 'a.js': 'b\n' } });
    const m = await registry.manifest('big', '2.0.0');
    expect(m.version).toBe('2.0.0');
    expect(server.requests.map((r) => r.path)).toEqual(['/npm/big/2.0.0']);
    // A version the registry lacks: the full packument answers, naming it NOT_FOUND.
    await expect(registry.manifest('big', '9.9.9')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(server.requests.map((r) => r.path).slice(1)).toEqual(['/npm/big/9.9.9', '/npm/big']);
    // A later run: what a published version cannot change comes from the stored copy, no request;
    // the rest (deprecation) is asked again.
    const later = createNpmRegistry({
      config: cfg,
      cache: openCache({ cacheDir: cacheRoot }),
      httpOptions: fastHttp(),
    });
    const before = server.requests.length;
    expect((await later.manifest('big', '2.0.0', { immutable: true })).dist.integrity).toBe(m.dist.integrity);
    expect(server.requests.length).toBe(before);
    await later.manifest('big', '2.0.0');
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/npm/big/2.0.0']);
    await later.close();
  });

  it('uses dist.integrity when the lockfile has none', async () => {
    const pub = server.publish({ name: 'b', version: '2.0.0', files: { 'b.js': 'b\n' } });
    const t = await registry.tarball({ name: 'b', version: '2.0.0' });
    expect(t.integrity).toBe(pub.integrity);
    expect(server.requests.map((r) => r.path)).toEqual(['/npm/b/2.0.0', '/npm/b/-/b-2.0.0.tgz']);
  });

  it('rewrites a resolved URL on a default registry host onto the configured registry', async () => {
    const pub = server.publish({ name: 'c', version: '1.0.0', files: { 'c.js': 'c\n' } });
    const resolved = `https://${DEFAULT_HOSTS[0]}/c/-/c-1.0.0.tgz`;
    await registry.tarball({ name: 'c', version: '1.0.0', integrity: pub.integrity, resolved });
    expect(server.requests.map((r) => r.path)).toEqual(['/npm/c/-/c-1.0.0.tgz']);
  });

  it('refuses wrong bytes with INTEGRITY_MISMATCH naming both digests, and writes nothing', async () => {
    const evil = buildTgz({ 'package.json': '{}', 'index.js': 'steal()\n' });
    const pub = server.publish({ name: 'd', version: '1.0.0', files: { 'index.js': 'ok\n' }, serveBytes: evil });
    const err = await fetchPackageTree('d', '1.0.0', pub.integrity, registry).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INTEGRITY_MISMATCH', details: { expected: pub.integrity, actual: sri(evil) } });
    expect((err as Error).message).toContain(pub.integrity);
    expect((err as Error).message).toContain(sri(evil));
    expect(existsSync(join(cacheRoot, 'tarballs'))).toBe(false);
    expect(existsSync(join(cacheRoot, 'trees'))).toBe(false);
  });

  it('refuses when the registry serves bytes that differ from its own dist.integrity', async () => {
    server.publish({ name: 'e', version: '1.0.0', files: { 'e.js': 'e\n' }, serveBytes: buildTgz({ 'e.js': 'x\n' }) });
    await expect(registry.tarball({ name: 'e', version: '1.0.0' })).rejects.toMatchObject({
      code: 'INTEGRITY_MISMATCH',
    });
    expect(existsSync(join(cacheRoot, 'tarballs'))).toBe(false);
  });

  it('checks a sha1-only lockfile integrity and the registry sha512 both', async () => {
    const pub = server.publish({ name: 'f', version: '1.0.0', files: { 'f.js': 'f\n' } });
    const t = await registry.tarball({ name: 'f', version: '1.0.0', integrity: sri(pub.tarball, 'sha1') });
    expect(t.integrity).toBe(pub.integrity);
    await expect(
      registry.tarball({ name: 'f', version: '1.0.0', integrity: `sha1-${Buffer.alloc(20).toString('base64')}` }),
    ).rejects.toMatchObject({
      code: 'INTEGRITY_MISMATCH',
    });
  });

  it('fetchPackageTree extracts into the cache and reuses the tree without the network', async () => {
    const pub = server.publish({ name: 'g', version: '1.0.0', files: { 'lib/g.js': 'g\n' } });
    const tree = await fetchPackageTree('g', '1.0.0', pub.integrity, registry);
    expect(readFileSync(join(tree.dir, 'lib/g.js'), 'utf8')).toBe('g\n');
    expect(tree.dir.startsWith(join(cacheRoot, 'trees'))).toBe(true);
    const n = server.requests.length;
    const again = await fetchPackageTree('g', '1.0.0', pub.integrity, registry);
    expect(again.dir).toBe(tree.dir);
    expect(server.requests).toHaveLength(n);
  });

  it('reports a missing version as NOT_FOUND', async () => {
    server.publish({ name: 'h', version: '1.0.0', files: {} });
    await expect(registry.tarball({ name: 'h', version: '9.9.9' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps packuments on disk and revalidates them each run: a 304 reuses the body, a new version is seen at once', async () => {
    server.publish({ name: 'k', version: '1.0.0', npmUser: 'kim', files: {} });
    const nextRun = () =>
      createNpmRegistry({ config: cfg, cache: openCache({ cacheDir: cacheRoot }), httpOptions: fastHttp() });
    expect(Object.keys((await registry.packument('k', { full: true })).versions)).toEqual(['1.0.0']);
    expect(server.requests[0]?.headers['if-none-match']).toBeUndefined();
    expect(readdirSync(join(cacheRoot, 'packuments'))).toHaveLength(1);

    const second = nextRun();
    const again = await second.packument('k', { full: true });
    await second.close();
    expect(again.versions['1.0.0']?.npmUser?.name).toBe('kim');
    expect(server.requests[1]?.headers['if-none-match']).toMatch(/^"[0-9a-f]{32}"$/);
    expect(server.requests[1]?.headers.authorization).toBe('Bearer tok-123');

    server.publish({ name: 'k', version: '1.1.0', deprecated: 'use 2', files: {} });
    const third = nextRun();
    const fresh = await third.packument('k', { full: true });
    await third.close();
    expect(Object.keys(fresh.versions)).toEqual(['1.0.0', '1.1.0']);
    expect(fresh.versions['1.1.0']?.deprecated).toBe('use 2');
    // Abbreviated and full documents are different representations, cached apart.
    const fourth = nextRun();
    await fourth.packument('k');
    await fourth.close();
    expect(server.requests.at(-1)?.headers['if-none-match']).toBeUndefined();
    expect(readdirSync(join(cacheRoot, 'packuments'))).toHaveLength(2);
  });

  it('a stored body that no longer parses, though the registry answers 304 for it, is fetched again in full', async () => {
    server.publish({ name: 'q', version: '1.0.0', files: {} });
    await registry.packument('q');
    const dir = join(cacheRoot, 'packuments');
    const file = join(dir, readdirSync(dir)[0]!);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, `${text.slice(0, text.indexOf('\n') + 1)}{"truncated":`); // metadata intact, body cut short
    const next = createNpmRegistry({ config: cfg, cache: openCache({ cacheDir: cacheRoot }), httpOptions: fastHttp() });
    expect(Object.keys((await next.packument('q')).versions)).toEqual(['1.0.0']);
    await next.close();
    expect(server.requests.map((r) => r.headers['if-none-match'] !== undefined)).toEqual([false, true, false]);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('a corrupt cached packument is ignored and replaced; a response without validators is not kept', async () => {
    server.publish({ name: 'm', version: '1.0.0', files: {} });
    await registry.packument('m');
    const dir = join(cacheRoot, 'packuments');
    for (const f of readdirSync(dir)) writeFileSync(join(dir, f), 'garbage');
    const next = createNpmRegistry({ config: cfg, cache: openCache({ cacheDir: cacheRoot }), httpOptions: fastHttp() });
    expect(Object.keys((await next.packument('m')).versions)).toEqual(['1.0.0']);
    await next.close();
    expect(server.requests[1]?.headers['if-none-match']).toBeUndefined();
    expect(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')).toMatch(/^\{"v":1,/);

    const body = JSON.stringify({
      name: 'n',
      versions: { '1.0.0': { name: 'n', version: '1.0.0', dist: { tarball: 'x', integrity: 'sha512-AA==' } } },
    });
    server.inject({ match: /\/npm\/n$/, responses: [{ status: 200, body }] });
    await registry.packument('n');
    expect(readdirSync(dir)).toHaveLength(1);
  });
});

describe('scoped registries and tarball hosts get only their own credentials', () => {
  it('routes @scope to its registry with its token and never leaks either token', async () => {
    const main = await startRegistryServer();
    const acme = await startRegistryServer();
    const pubMain = main.publish({ name: 'plain', version: '1.0.0', files: { 'a.js': 'a\n' } });
    acme.publish({ name: '@acme/w', version: '1.0.0', files: { 'w.js': 'w\n' } });
    const s = sandbox(
      {
        user: [`@acme:registry=${acme.url}`, `//${acme.host}/:_authToken=acme-token`].join('\n'),
        project: `//${main.host}/:_authToken=main-token`,
      },
      { npm_config_registry: main.url },
    );
    const registry = createNpmRegistry({
      config: await load(s),
      cache: openCache({ cacheDir: tempDir('c2') }),
      httpOptions: fastHttp(),
    });
    await registry.tarball({
      name: 'plain',
      version: '1.0.0',
      integrity: pubMain.integrity,
      resolved: `https://${DEFAULT_HOSTS[1]}/plain/-/plain-1.0.0.tgz`,
    });
    await registry.tarball({ name: '@acme/w', version: '1.0.0' });
    expect(main.requests.map((r) => r.path)).toEqual(['/plain/-/plain-1.0.0.tgz']);
    expect(acme.requests.map((r) => r.path)).toEqual(['/@acme%2Fw/1.0.0', '/@acme/w/-/w-1.0.0.tgz']);
    expect(main.requests.every((r) => r.headers.authorization === 'Bearer main-token')).toBe(true);
    expect(acme.requests.every((r) => r.headers.authorization === 'Bearer acme-token')).toBe(true);
    await registry.close();
    await main.close();
    await acme.close();
  });
});

describe('cache directory', () => {
  it('--cache-dir > VET_CACHE_DIR > XDG_CACHE_HOME/vet > ~/.cache/vet', () => {
    expect(resolveCacheDir({ cacheDir: '/x/flag', env: { VET_CACHE_DIR: '/x/env', XDG_CACHE_HOME: '/x/xdg' } })).toBe(
      '/x/flag',
    );
    expect(resolveCacheDir({ env: { VET_CACHE_DIR: '/x/env', XDG_CACHE_HOME: '/x/xdg' } })).toBe('/x/env');
    expect(resolveCacheDir({ env: { XDG_CACHE_HOME: '/x/xdg' } })).toBe('/x/xdg/vet');
    expect(resolveCacheDir({ env: { XDG_CACHE_HOME: 'relative' }, home: '/h' })).toBe('/h/.cache/vet');
    expect(resolveCacheDir({ env: {}, home: '/h' })).toBe('/h/.cache/vet');
  });
});

// ---------------------------------------------------------------- diff

describe('diffTrees', () => {
  const a = (): string =>
    writeTree(tempDir('da'), {
      'same.js': 'same\n',
      'mod.js': 'one\ntwo\nthree\nfour\n',
      'gone.js': 'x\ny\n',
      'crlf.txt': 'l1\r\nl2\r\n',
      'img.bin': '\0\x01\x02',
    });
  const b = (): string =>
    writeTree(tempDir('db'), {
      'same.js': 'same\n',
      'mod.js': 'one\nTWO\nthree\nfour\nfive\n',
      'new/added.js': 'n1\nn2\nn3',
      'crlf.txt': 'l1\nl2\n',
      'img.bin': '\0\x01\x03',
    });

  it('counts insertions/deletions per file like git numstat (CR at EOL ignored)', () => {
    const d = diffTrees(a(), b());
    expect(d.files).toEqual([
      { path: 'gone.js', status: 'removed', insertions: 0, deletions: 2, binary: false },
      { path: 'img.bin', status: 'modified', insertions: 0, deletions: 0, binary: true, oldBytes: 3, newBytes: 3 },
      { path: 'mod.js', status: 'modified', insertions: 2, deletions: 1, binary: false },
      { path: 'new/added.js', status: 'added', insertions: 3, deletions: 0, binary: false },
    ]);
    expect(d.stat).toEqual({ filesChanged: 4, insertions: 5, deletions: 3, binaryFiles: 1, binaryBytes: 3 });
    expect(formatDiffStat(d.stat)).toBe('4 files changed, 5 insertions(+), 3 deletions(-), 1 binary file (3 bytes)');
  });

  it('produces a unified patch with git-style headers', () => {
    const d = diffTrees(a(), b());
    expect(d.patch).toContain(
      'diff --git a/mod.js b/mod.js\n--- a/mod.js\n+++ b/mod.js\n@@ -1,4 +1,5 @@\n one\n-two\n+TWO\n three\n four\n+five\n',
    );
    expect(d.patch).toContain('--- /dev/null\n+++ b/new/added.js\n');
    expect(d.patch).toContain('Binary files a/img.bin and b/img.bin differ');
    expect(colorizePatch(d.patch, true)).toContain('\x1b[32m+TWO\x1b[0m');
    expect(colorizePatch(d.patch, false)).toBe(d.patch);
  });

  it('a full audit diffs against nothing', () => {
    const d = diffTrees(undefined, b());
    expect(d.stat).toEqual({
      filesChanged: 5,
      insertions: 1 + 5 + 3 + 2 + 0,
      deletions: 0,
      binaryFiles: 1,
      binaryBytes: 3,
    });
    expect(formatDiffStat(d.stat, true)).toBe('11 lines, 1 binary file (3 bytes)');
  });
});

// ---------------------------------------------------------------- risk, deprecation, suggest

describe('risk signals, deprecation and suggestions over the registry', () => {
  /** Where the registry's HTTP client reports body sizes (the progress test listens). */
  let onBytes: (n: number) => void = () => {};
  let server: RegistryServer;
  let registry: NpmRegistry;
  let cacheRoot: string;
  const pubs: Record<string, string> = {};
  const lines = (n: number, tag: string): string => Array.from({ length: n }, (_, i) => `${tag}${i}`).join('\n') + '\n';

  beforeAll(async () => {
    server = await startRegistryServer();
    const base = lines(200, 'base');
    const publish = (o: Parameters<RegistryServer['publish']>[0]): void =>
      void (pubs[`${o.name}@${o.version}`] = server.publish(o).integrity);
    publish({
      name: 'lib',
      version: '1.0.0',
      npmUser: 'alice',
      files: { 'index.js': base },
      dependencies: { dep1: '^1' },
    });
    publish({
      name: 'lib',
      version: '1.1.0',
      npmUser: 'alice',
      files: { 'index.js': base + 'extra\n' },
      dependencies: { dep1: '^1' },
    });
    publish({
      name: 'lib',
      version: '2.0.0',
      npmUser: 'mallory',
      files: {
        'index.js': base + 'extra\nmore\n',
        'build/Release/addon.node': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]),
      },
      scripts: { postinstall: 'node steal.js' },
      dependencies: { dep1: '^1', 'new-dep': '^3' },
      deprecated: 'use lib@3',
    });
    publish({ name: 'tie', version: '1.0.0', files: { 'a.js': 'a\n' } });
    publish({ name: 'tie', version: '1.0.1', files: { 'a.js': 'b\n' } });
    publish({ name: 'tie', version: '1.0.2', files: { 'a.js': 'c\n' } });
    const s = sandbox({}, { npm_config_registry: server.url });
    cacheRoot = tempDir('scache');
    registry = createNpmRegistry({
      config: await load(s),
      cache: openCache({ cacheDir: cacheRoot }),
      httpOptions: { ...fastHttp(), onBody: (n) => onBytes(n) },
    });
  });
  afterAll(async () => {
    await registry.close();
    await server.close();
  });

  const g = (): DependencyGraph =>
    graph([
      node('app', '1.0.0', ['lib@2.0.0', 'tie@1.0.2'], {
        firstParty: true,
        workspaceMember: true,
        source: { kind: 'workspace' },
      }),
      node('other', '1.0.0', ['lib@2.0.0']),
      node('lib', '2.0.0'),
      node('tie', '1.0.2', [], { deprecated: 'lockfile says so' }),
    ]);

  it('riskSignals flags install scripts, native code, new deps, publisher change, deprecation and dependents', async () => {
    const p = await registry.packument('lib', { full: true });
    const from = await fetchPackageTree('lib', '1.1.0', pubs['lib@1.1.0'], registry);
    const to = await fetchPackageTree('lib', '2.0.0', pubs['lib@2.0.0'], registry);
    const d = diffTrees(from.dir, to.dir, { patch: false });
    const signals = riskSignals('lib', '1.1.0', '2.0.0', new Map([['lib', p]]), g(), { files: d.files });
    expect(signals).toEqual([
      { kind: 'install-script', scripts: { postinstall: 'node steal.js' }, new: true },
      { kind: 'native-code', files: ['build/Release/addon.node'], reason: expect.any(String) as string },
      { kind: 'new-dependencies', added: ['new-dep'] },
      { kind: 'publisher-change', from: 'alice', to: 'mallory' },
      { kind: 'deprecated', message: 'use lib@3' },
      { kind: 'dependents', count: 2 },
    ]);
    const quiet = riskSignals('lib', '1.0.0', '1.1.0', new Map([['lib', p]]), g());
    expect(quiet).toEqual([{ kind: 'dependents', count: 0 }]);
  });

  it('deprecatedVersions prefers the registry message and falls back to the lockfile', async () => {
    const packuments = new Map([['lib', await registry.packument('lib')]]);
    expect(deprecatedVersions(g(), packuments)).toEqual([
      { name: 'lib', version: '2.0.0', message: 'use lib@3', source: 'registry' },
      { name: 'tie', version: '1.0.2', message: 'lockfile says so', source: 'lockfile' },
    ]);
  });

  it('computeSuggestions picks the smallest candidate (first wins ties), totals the backlog, and is warm from cache', async () => {
    const failures: SuggestFailure[] = [
      {
        name: 'lib',
        version: '2.0.0',
        criteria: ['safe-to-deploy'],
        candidates: [{ to: '2.0.0' }, { from: '1.0.0', to: '2.0.0' }, { from: '1.1.0', to: '2.0.0' }],
      },
      {
        name: 'tie',
        version: '1.0.2',
        criteria: ['safe-to-run'],
        candidates: [
          { from: '1.0.1', to: '1.0.2' },
          { from: '1.0.0', to: '1.0.2' },
          { from: '0.0.1', to: '1.0.2' },
        ],
      },
    ];
    const out: string[] = [];
    // A terminal: the line counts jobs and the bytes the HTTP client received.
    const progress = createProgress({ isTTY: true, write: (t) => void out.push(t) }, 6, 'Fetching');
    let received = 0;
    onBytes = (n) => {
      received += n;
      progress.bytes(n);
    };
    const fetcher = createRegistrySuggestFetcher(registry, g());
    const report = await computeSuggestions(failures, fetcher, { graph: g(), cache: registry.cache, progress });
    expect(report.suggestions.map((s) => [s.name, s.from, s.to, s.lines])).toEqual([
      // 1.0.0→1.0.2 is also 4 lines (a.js and the version line): the first candidate wins the tie.
      ['tie', '1.0.1', '1.0.2', 4],
      // index.js +1, addon.node (binary, 0), package.json: version ±1, scripts +3, deps +2 −1.
      ['lib', '1.1.0', '2.0.0', 9],
    ]);
    // addon.node is a binary change with its size, not 0 lines.
    expect(report.suggestions[1]?.diffstat).toEqual({
      filesChanged: 3,
      insertions: 7,
      deletions: 2,
      binaryFiles: 1,
      binaryBytes: 6,
    });
    expect(report.suggestions[1]?.risk.map((r) => r.kind)).toContain('publisher-change');
    expect(report.totalLines).toBe(13);
    expect(report.problems.map((p) => [p.name, p.candidate?.from, p.error.code])).toEqual([
      ['tie', '0.0.1', 'NOT_FOUND'],
    ]);
    onBytes = () => {};
    expect(received).toBeGreaterThan(0);
    const lines = out.join('').split('\r\x1b[K');
    expect(lines[lines.length - 1]).toBe(''); // done() clears the line
    expect(lines.at(-2)).toMatch(new RegExp(`^Fetching 6/6, ${formatBytes(received).replace('.', '\\.')} \\S+@\\S+$`));
    expect(out.every((t) => !t.includes('\n'))).toBe(true);

    // Warm: a fresh registry client (empty memo) over the same cache fetches no tarball.
    const before = server.requests.length;
    const warm = await computeSuggestions(failures, createRegistrySuggestFetcher(registry, g()), {
      graph: g(),
      cache: registry.cache,
    });
    expect(warm.suggestions).toEqual(report.suggestions);
    expect(server.requests.slice(before).filter((r) => r.path.endsWith('.tgz'))).toEqual([]);
  });

  it('measures a platform package npm would not install here from its metadata, downloading nothing', async () => {
    const elsewhere = [`!${process.platform}`];
    for (const [version, size] of [
      ['1.0.0', 1000],
      ['1.0.1', 3000],
    ] as const)
      server.publish({
        name: 'swc-other',
        version,
        os: elsewhere,
        files: { 'swc.node': Buffer.alloc(size, 0x7f), 'README.md': 'swc\n' },
      });
    const failures: SuggestFailure[] = [
      {
        name: 'swc-other',
        version: '1.0.1',
        criteria: ['safe-to-deploy'],
        candidates: [{ from: '1.0.0', to: '1.0.1' }],
      },
    ];
    const before = server.requests.length;
    const graphWith = graph([...g().nodes, node('swc-other', '1.0.1')]);
    const r = await computeSuggestions(failures, createRegistrySuggestFetcher(registry, graphWith), {
      graph: graphWith,
    });
    expect(server.requests.slice(before).filter((q) => q.path.endsWith('.tgz'))).toEqual([]);
    const s0 = r.suggestions[0]!;
    expect(s0.diffstat).toMatchObject({ insertions: 0, deletions: 0, binaryFiles: 3 });
    expect(s0.diffstat.binaryBytes).toBeGreaterThan(3000);
    expect(s0.risk.find((x) => x.kind === 'native-code')).toMatchObject({
      reason: expect.stringContaining(`!${process.platform}`) as string,
    });
  });

  it('a security failure in any candidate stops suggest', async () => {
    server.publish({
      name: 'bad',
      version: '1.0.0',
      files: { 'x.js': 'x\n' },
      serveBytes: buildTgz({ 'x.js': 'y\n' }),
    });
    const failures: SuggestFailure[] = [
      { name: 'bad', version: '1.0.0', criteria: ['safe-to-deploy'], candidates: [{ to: '1.0.0' }] },
    ];
    await expect(
      computeSuggestions(failures, createRegistrySuggestFetcher(registry), { graph: g() }),
    ).rejects.toMatchObject({ code: 'INTEGRITY_MISMATCH' });
  });
});

describe('progress reporter', () => {
  it('rewrites one line on a TTY: count, bytes, the package (escaped)', () => {
    const out: string[] = [];
    const p = createProgress({ isTTY: true, write: (t) => void out.push(t) }, 2, 'Fetching');
    p.bytes(1536);
    p.tick('a@1');
    p.bytes(3 * 1024 * 1024);
    p.tick('evil\x1b[2J@1');
    p.done();
    expect(out.join('')).toBe(
      '\r\x1b[KFetching 0/2, 0 B' +
        '\r\x1b[KFetching 0/2, 1.5 KiB' +
        '\r\x1b[KFetching 1/2, 1.5 KiB a@1' +
        '\r\x1b[KFetching 1/2, 3.0 MiB a@1' +
        '\r\x1b[KFetching 2/2, 3.0 MiB evil\\x1b[2J@1' +
        '\r\x1b[K',
    );
  });

  it('is silent when stderr is not a TTY, or CI is set', () => {
    for (const [isTTY, env] of [
      [false, {}],
      [true, { CI: 'true' }],
      [true, { CI: '1' }],
    ] as const) {
      const out: string[] = [];
      const p = createProgress({ isTTY, write: (t) => void out.push(t) }, 3, 'Fetching', env);
      p.bytes(10);
      p.tick('a@1');
      p.done();
      expect(out, JSON.stringify({ isTTY, env })).toEqual([]);
    }
    const shown: string[] = [];
    createProgress({ isTTY: true, write: (t) => void shown.push(t) }, 1, 'Fetching', { CI: 'false' }).done();
    expect(shown.length).toBeGreaterThan(0);
  });
});
