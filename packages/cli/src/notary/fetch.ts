/**
 * Fetching a notary's tlog-tiles read path with the shared HTTP client: the checkpoint, the
 * entry bundles a plan asks for, and (on first use only) the admin key from /v1/keys.
 * Everything fetched is untrusted bytes until core verifies it; sizes are capped here.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { VetError, NOTE_MAX_BYTES, TILE_WIDTH, type NotaryBundleRef } from '@vet/core';
import type { HttpClient, HttpResponse } from '../registry/index.js';

/** 256 entries of at most 64 KiB each, with their length prefixes. */
const MAX_BUNDLE_BYTES = TILE_WIDTH * (2 + 65_535);

export function notaryUrl(base: string, rel: string): string {
  return `${base.replace(/\/+$/, '')}/${rel}`;
}

export async function fetchNotaryCheckpoint(http: HttpClient, base: string): Promise<string> {
  const res = await http.get(notaryUrl(base, 'checkpoint'), {
    maxBytes: NOTE_MAX_BYTES,
    accept: 'text/plain',
    what: 'notary checkpoint',
  });
  return body(res, NOTE_MAX_BYTES).toString('utf8');
}

export async function fetchNotaryBundles(
  http: HttpClient,
  base: string,
  refs: readonly NotaryBundleRef[],
): Promise<Uint8Array[]> {
  return Promise.all(refs.map((ref) => fetchNotaryBundle(http, base, ref)));
}

export async function fetchNotaryBundle(http: HttpClient, base: string, ref: NotaryBundleRef): Promise<Uint8Array> {
  const res = await http.get(notaryUrl(base, ref.path), {
    maxBytes: MAX_BUNDLE_BYTES,
    accept: 'application/octet-stream',
    what: `notary entry bundle ${ref.path}`,
  });
  return new Uint8Array(body(res, MAX_BUNDLE_BYTES));
}

/**
 * The admin key that signs auditor changes, from /v1/keys, pinned on first use (trust on
 * first use: the log key is pinned by config, the admin key by the mirror state). Its keyid
 * must be the notary's fingerprint form `vet-notary-admin:<16 hex of SHA-256(key)>`.
 */
export async function fetchNotaryAdminKeys(http: HttpClient, base: string): Promise<Record<string, string>> {
  const { json } = await http.getJson(notaryUrl(base, 'v1/keys'), { maxBytes: 64 * 1024, what: 'notary keys' });
  const admin = (json as { admin?: { keyid?: unknown; publicKey?: unknown } } | null)?.admin;
  const keyid = admin?.keyid;
  const pub = typeof admin?.publicKey === 'string' ? Buffer.from(admin.publicKey, 'base64') : undefined;
  if (
    typeof keyid !== 'string' ||
    pub === undefined ||
    pub.length !== 32 ||
    pub.toString('base64') !== admin?.publicKey
  ) {
    throw new VetError('PARSE_ERROR', `${notaryUrl(base, 'v1/keys')}: no admin key {keyid, publicKey}`, {
      file: notaryUrl(base, 'v1/keys'),
    });
  }
  const want = `vet-notary-admin:${createHash('sha256').update(pub).digest('hex').slice(0, 16)}`;
  if (keyid !== want)
    throw new VetError(
      'SIGNATURE_INVALID',
      `${notaryUrl(base, 'v1/keys')}: admin keyid ${keyid} is not the fingerprint of its key (${want})`,
    );
  return { [keyid]: admin.publicKey };
}

/** tlog-tiles allows gzip even without negotiation; inflate with the same cap. */
function body(res: HttpResponse, max: number): Buffer {
  if ((res.headers['content-encoding'] ?? '').toLowerCase() !== 'gzip') return res.body;
  try {
    return gunzipSync(res.body, { maxOutputLength: max });
  } catch (cause) {
    throw new VetError('HTTP_ERROR', `${res.url}: bad or oversized gzip body`, { cause });
  }
}
