/**
 * A registry that is down costs one failure per host, not minutes of retries: against a closed
 * port on 127.0.0.1 and a server that accepts connections and never answers, the HTTP client
 * spends one request's retry budget, then fails every later request to that host at once with
 * the same clear error (its URL, the first failure, what to do). Bounded by design: the tests
 * count connection attempts, never the clock. The built CLI then exits 2 with one error.
 */
import { createRequire } from 'node:module';
import net from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHostHealth, createHttpClient, type HttpClientOptions } from '../packages/cli/src/registry/index.js';
import { packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';
import { startRegistryServer, type RegistryServer } from '@vet/test-support/registry-server';

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A server that accepts every connection and never says a word; counts connections. */
async function silentServer(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let count = 0;
  const s = net.createServer((sock) => {
    count++;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    connections: () => count,
    close: async () => {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((r) => s.close(() => r()));
    },
  };
}

type Dispatcher = NonNullable<HttpClientOptions['dispatcher']>;
// undici is the CLI's dependency; its types reach the test through HttpClientOptions.
const { Agent } = createRequire(new URL('../packages/cli/package.json', import.meta.url))('undici') as {
  Agent: new () => Dispatcher;
};

/** A dispatcher that counts the requests it is asked to send (attempts, not calls to get). */
function countingDispatcher(): { dispatcher: Dispatcher; attempts: () => number } {
  let n = 0;
  const dispatcher = new Agent().compose((dispatch) => (opts, handler) => {
    if (new URL(String(opts.origin)).hostname !== '127.0.0.1') throw new Error('test left 127.0.0.1');
    n++;
    return dispatch(opts, handler);
  });
  return { dispatcher, attempts: () => n };
}

const quick = (extra: HttpClientOptions): HttpClientOptions => ({
  baseDelayMs: 1,
  maxDelayMs: 2,
  hostHealth: createHostHealth(),
  ...extra,
});

describe('fail fast per host', () => {
  it('a closed port: one request spends its retries, every later request fails at once with the same error', async () => {
    const port = await closedPort();
    const { dispatcher, attempts } = countingDispatcher();
    const http = createHttpClient(quick({ dispatcher, retries: 3 }));
    const errors: unknown[] = [];
    for (let i = 0; i < 20; i++)
      errors.push(await http.get(`http://127.0.0.1:${port}/pkg-${i}`, { maxBytes: 1e6 }).catch((e: unknown) => e));
    expect(attempts()).toBe(4); // the first request's budget, nothing more
    expect(errors[0]).toMatchObject({ code: 'NETWORK_ERROR', details: { attempts: 4 } });
    expect((errors[0] as Error).message).toContain(`http://127.0.0.1:${port}/pkg-0`);
    expect((errors[0] as Error).message).toContain('ECONNREFUSED');
    for (const [i, e] of errors.slice(1).entries()) {
      expect(e).toMatchObject({
        code: 'NETWORK_ERROR',
        hint: expect.stringContaining('network connection') as unknown,
      });
      expect((e as Error).message).toBe(
        `could not fetch http://127.0.0.1:${port}/pkg-${i + 1}: http://127.0.0.1:${port} is unreachable (${(errors[0] as { details: { reason: string } }).details.reason})`,
      );
    }
    await http.close();
  });

  it('many parallel requests to a closed port: the host is down after 4 failures, plus what was already in flight', async () => {
    const port = await closedPort();
    const { dispatcher, attempts } = countingDispatcher();
    const http = createHttpClient(quick({ dispatcher, retries: 3, maxConcurrent: 8 }));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => http.get(`http://127.0.0.1:${port}/p${i}`, { maxBytes: 1e6 })),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    // Four failures in a row take the host down; at most 7 other attempts were in flight then.
    expect(attempts()).toBeLessThanOrEqual(4 + 8 - 1);
    await http.close();
  });

  it('a server that stops answering: a timeout is retried once, then the host is down', async () => {
    const silent = await silentServer();
    const http = createHttpClient(quick({ headersTimeoutMs: 150, retries: 3 }));
    try {
      const errors: unknown[] = [];
      for (let i = 0; i < 10; i++)
        errors.push(await http.get(`${silent.url}doc-${i}`, { maxBytes: 1e6 }).catch((e: unknown) => e));
      expect(silent.connections()).toBe(2);
      expect(errors[0]).toMatchObject({ code: 'NETWORK_ERROR', details: { attempts: 2 } });
      expect(errors.slice(1).every((e) => (e as Error).message.includes('is unreachable'))).toBe(true);
    } finally {
      await http.close();
      await silent.close();
    }
  });

  it('an HTTP answer, even a 500, proves the host is up; other hosts are not affected', async () => {
    const server = await startRegistryServer();
    server.publish({ name: 'a', version: '1.0.0', files: { 'index.js': 'a\n' } });
    const port = await closedPort();
    const health = createHostHealth();
    const http = createHttpClient(quick({ retries: 1, hostHealth: health }));
    try {
      server.inject({ match: /^\/a$/, responses: Array.from({ length: 4 }, () => ({ status: 500 })) });
      await expect(http.get(`${server.url}a`, { maxBytes: 1e6 })).rejects.toMatchObject({ code: 'HTTP_ERROR' });
      await expect(http.get(`${server.url}a`, { maxBytes: 1e6 })).rejects.toMatchObject({ code: 'HTTP_ERROR' });
      await expect(http.get(`http://127.0.0.1:${port}/x`, { maxBytes: 1e6 })).rejects.toMatchObject({
        code: 'NETWORK_ERROR',
      });
      expect(health.downError(`http://127.0.0.1:${port}`)).toBeDefined();
      await expect(http.get(`${server.url}a`, { maxBytes: 1e6 })).resolves.toMatchObject({ status: 200 });
      expect(health.downError(server.url.replace(/\/$/, ''))).toBeUndefined();
    } finally {
      await http.close();
      await server.close();
    }
  });

  it('a down host stays down only for a while', () => {
    let t = 0;
    const health = createHostHealth({ limit: 2, downForMs: 1000, now: () => t });
    const err = new (class extends Error {})('x') as never;
    expect(health.failed('http://h', err)).toBe(false);
    expect(health.failed('http://h', err)).toBe(true);
    expect(health.downError('http://h')).toBe(err);
    t = 1000;
    expect(health.downError('http://h')).toBeUndefined();
  });
});

describe('the CLI with its registry down', () => {
  let registry: RegistryServer;
  let project: TempProject | undefined;
  afterEach(() => project?.cleanup());
  afterAll(() => registry?.close());

  it('vet suggest: one clear error naming the URL and what to do, exit 2 (warm cache, then the registry goes away)', async () => {
    registry = await startRegistryServer();
    const v1 = registry.publish({ name: 'left-pad', version: '1.0.0', npmUser: 'alice', files: { 'i.js': '1\n' } });
    const v2 = registry.publish({ name: 'left-pad', version: '1.1.0', npmUser: 'alice', files: { 'i.js': '2\n' } });
    const lock = (version: string, integrity: string) =>
      packageLock({ deps: { 'left-pad': '^1.0.0' }, packages: { 'node_modules/left-pad': { version, integrity } } });
    project = tempProject({
      'package.json': '{"name":"demo","version":"1.0.0"}\n',
      '.npmrc': `registry=${registry.url}\n`,
      'package-lock.json': lock('1.0.0', v1.integrity),
    });
    const p = project;
    expect((await runVet(['init'], { cwd: p.dir })).code).toBe(0);
    p.write('package-lock.json', lock('1.1.0', v2.integrity));
    expect((await runVet(['suggest'], { cwd: p.dir })).code).toBe(0); // warms the cache
    const port = await closedPort();
    p.write('.npmrc', `registry=http://127.0.0.1:${port}/\n`);
    const r = await runVet(['suggest'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(`^error: could not fetch http://127\\.0\\.0\\.1:${port}/left-pad: .*ECONNREFUSED`, 'm'),
    );
    expect(r.stderr).toContain('hint: check your network connection, proxy settings and');
    expect(r.stderr.match(/^error:/gm)).toHaveLength(1);
  });
});
