/**
 * The `static` section of notary.json: where the static tlog-tiles copy goes.
 *
 *   "static": { "target": "s3://bucket/some/prefix", "endpoint": "https://…", "region": "…",
 *               "forcePathStyle": true, "credentials": { "accessKeyId": "…", "secretAccessKey": "…" } }
 *
 * `target` is `s3://<bucket>[/<prefix>]` or an absolute directory; absent: `<data>/static/`.
 * Everything but `target` is optional and falls back to the AWS SDK's standard environment.
 */
import { s3Target } from './s3-target.js';
import { directoryTarget, type StaticTarget } from './static-target.js';

export interface StaticS3Config {
  bucket: string;
  /** Key prefix without leading or trailing "/"; "" = the bucket's root. */
  prefix: string;
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** As written in notary.json (formatNotaryConfig writes it back unchanged). */
export interface StaticConfig {
  target: string;
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  credentials?: StaticS3Config['credentials'];
}

/** The target a config names: a directory, or a bucket and prefix with the client settings. */
export function staticTargetSpec(c: StaticConfig): { dir: string } | { s3: StaticS3Config } {
  if (c.target.startsWith('/')) return { dir: c.target };
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(c.target)!;
  const { target: _target, ...client } = c;
  return { s3: { bucket: m[1]!, prefix: (m[2] ?? '').replace(/^\/+|\/+$/g, ''), ...client } };
}

type Json = Record<string, unknown>;
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Parses `static`; undefined when absent (the data dir's static/ folder). */
export function parseStaticConfig(v: unknown, bad: (m: string) => void): StaticConfig | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    bad('static must be an object');
    return undefined;
  }
  const s = v as Json;
  const target = s.target;
  if (typeof target === 'string' && target.startsWith('/')) return { target };
  const m = typeof target === 'string' ? /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(target) : null;
  if (m === null || !BUCKET_RE.test(m[1]!)) {
    bad('static.target must be "s3://<bucket>[/<prefix>]" or an absolute directory');
    return undefined;
  }
  const out: StaticConfig = { target: target as string };
  if (s.endpoint !== undefined) {
    if (typeof s.endpoint === 'string' && /^https?:\/\/[^\s/]+\/?$/.test(s.endpoint)) out.endpoint = s.endpoint;
    else bad('static.endpoint must be an http(s) URL without a path');
  }
  if (s.region !== undefined) {
    if (typeof s.region === 'string' && /^[a-z0-9-]{1,64}$/.test(s.region)) out.region = s.region;
    else bad('static.region must be a region name like "us-east-1"');
  }
  if (s.forcePathStyle !== undefined) {
    if (typeof s.forcePathStyle === 'boolean') out.forcePathStyle = s.forcePathStyle;
    else bad('static.forcePathStyle must be true or false');
  }
  const c = s.credentials as Json | undefined;
  if (c !== undefined) {
    const ok =
      typeof c === 'object' &&
      c !== null &&
      typeof c.accessKeyId === 'string' &&
      typeof c.secretAccessKey === 'string' &&
      (c.sessionToken === undefined || typeof c.sessionToken === 'string');
    if (ok) out.credentials = c as StaticS3Config['credentials'] & object;
    else
      bad(
        'static.credentials must be { "accessKeyId": "…", "secretAccessKey": "…" } (or leave it out and use AWS_* environment variables)',
      );
  }
  return out;
}

/** Where this notary's static copy goes: `static.target` of the config, else `<data>/static/`. */
export function staticTargetOf(c: StaticConfig | undefined, defaultDir: string): StaticTarget {
  if (c === undefined) return directoryTarget(defaultDir);
  const spec = staticTargetSpec(c);
  return 'dir' in spec ? directoryTarget(spec.dir) : s3Target(spec.s3);
}
