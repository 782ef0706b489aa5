/**
 * A real S3-compatible server on 127.0.0.1 for tests: s3rver (npm, "Fake S3 server for
 * node"; files on disk, the S3 REST API with path-style addressing, anonymous GETs), in a
 * temp dir, with one bucket. Works on Node 20 with the AWS SDK v3 client (forcePathStyle).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface TestS3 {
  /** http://127.0.0.1:<port> — the endpoint, and with `/<bucket>/<key>` a plain HTTP read path. */
  endpoint: string;
  bucket: string;
  /** s3rver's fixed credentials. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

export async function startTestS3(bucket = 'vet-static'): Promise<TestS3> {
  const dir = mkdtempSync(join(tmpdir(), 'vet-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
