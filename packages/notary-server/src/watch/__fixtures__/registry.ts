/**
 * A registry on 127.0.0.1 for the release watch's tests: serves whatever documents the test
 * puts at a path, with ETags, answers `If-None-Match` with a bodiless 304, and records every
 * request (status and body bytes sent) so tests can see what a poll cost.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestRegistry {
  url: string;
  docs: Map<string, string>;
  requests: { path: string; status: number; bytes: number }[];
  close(): Promise<void>;
}

export async function startTestRegistry(): Promise<TestRegistry> {
  const docs = new Map<string, string>();
  const requests: TestRegistry['requests'] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const doc = docs.get(path);
    if (doc === undefined) {
      requests.push({ path, status: 404, bytes: 0 });
      res.writeHead(404).end();
      return;
    }
    const etag = `"${createHash('sha256').update(doc).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      requests.push({ path, status: 304, bytes: 0 });
      res.writeHead(304, { etag }).end();
      return;
    }
    requests.push({ path, status: 200, bytes: Buffer.byteLength(doc) });
    res.writeHead(200, { 'content-type': 'application/json', etag, 'content-length': Buffer.byteLength(doc) });
    res.end(doc);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    docs,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export function packument(name: string, versions: Record<string, string>): string {
  const v = Object.fromEntries(Object.keys(versions).map((k) => [k, { name, version: k }]));
  return JSON.stringify({ name, versions: v, time: { created: '2020-01-01T00:00:00Z', ...versions } });
}

export function pypiJson(name: string, versions: Record<string, string>): string {
  const releases = Object.fromEntries(
    Object.entries(versions).map(([k, t]) => [k, [{ filename: `${name}-${k}.tar.gz`, upload_time_iso_8601: t }]]),
  );
  return JSON.stringify({ info: { name }, releases });
}

export function sparseLines(name: string, versions: string[], yanked: string[] = []): string {
  return (
    versions
      .map((v) => JSON.stringify({ name, vers: v, deps: [], cksum: '00', features: {}, yanked: yanked.includes(v) }))
      .join('\n') + '\n'
  );
}
