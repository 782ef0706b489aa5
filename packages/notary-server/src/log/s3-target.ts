/**
 * The static copy in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2, GCS interop, …)
 * through the AWS SDK v3 S3 client, for a CDN to serve. Each file is one PutObject with its
 * Content-Type and Cache-Control (publish.ts); a PUT is atomic per object, and publish.ts
 * writes the checkpoint only after every tile and bundle it names. Endpoint, region and
 * credentials come from the config, else the SDK's standard chain (AWS_REGION,
 * AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY,
 * AWS_PROFILE, instance roles). The SDK is loaded only when a bucket is configured.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { StaticS3Config } from './static-config.js';
import { checkpointSize, type StaticFile, type StaticTarget } from './static-target.js';

const TIMEOUT_MS = 30_000;

export function s3Target(cfg: StaticS3Config): StaticTarget {
  const prefix = cfg.prefix === '' ? '' : `${cfg.prefix}/`;
  let client: Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }> | undefined;
  const connect = () =>
    (client ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      s3: new sdk.S3Client({
        ...(cfg.endpoint !== undefined && { endpoint: cfg.endpoint }),
        ...(cfg.region !== undefined && { region: cfg.region }),
        ...(cfg.forcePathStyle && { forcePathStyle: true }),
        ...(cfg.credentials !== undefined && { credentials: cfg.credentials }),
        requestHandler: { connectionTimeout: TIMEOUT_MS, requestTimeout: TIMEOUT_MS },
      }),
    })));
  return {
    where: `s3://${cfg.bucket}/${cfg.prefix}${cfg.endpoint !== undefined ? ` at ${cfg.endpoint}` : ''}`,
    async publishedSize() {
      const { s3, sdk } = await connect();
      try {
        const r = await s3.send(new sdk.GetObjectCommand({ Bucket: cfg.bucket, Key: `${prefix}checkpoint` }));
        return checkpointSize((await r.Body?.transformToString('utf-8')) ?? '');
      } catch (e) {
        if (e instanceof sdk.NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return 0;
        throw e;
      }
    },
    async write(f: StaticFile) {
      const { s3, sdk } = await connect();
      await s3.send(
        new sdk.PutObjectCommand({
          Bucket: cfg.bucket,
          Key: prefix + f.path,
          Body: f.data,
          ContentType: f.contentType,
          CacheControl: f.cacheControl,
        }),
      );
    },
  };
}
