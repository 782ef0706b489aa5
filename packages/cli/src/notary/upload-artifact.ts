/**
 * After `vet certify --submit` logs an approval, the exact artifact the auditor audited goes
 * to the notary's archive (issue 14): `PUT <notary>/v1/artifacts/<eco>/<name>/<version>`
 * with the auditor's token. The notary keeps it only if it hashes to the approved digest.
 * A failed upload does not undo the approval (it is logged); the notary may still fetch
 * the artifact from its registry, so it is a warning, not an error.
 */
import { request } from 'undici';
import { VetError, escapeText, type Ecosystem } from '@vet/core';
import type { CommandIO } from '../io.js';
import { notaryUrl } from './fetch.js';

export type ArtifactGetter = (version: string, digest: string) => Promise<{ bytes: Buffer; fileName: string }>;

export async function uploadArtifacts(
  o: { notaryUrl: string; ecosystem: Ecosystem; pkg: string; digests: Record<string, string>; token: string },
  getArtifact: ArtifactGetter,
  io: CommandIO,
): Promise<number> {
  let uploaded = 0;
  for (const [version, digest] of Object.entries(o.digests)) {
    try {
      const { bytes, fileName } = await getArtifact(version, digest);
      await put(o, version, fileName, bytes);
      uploaded += 1;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      io.err(
        `warning: the artifact of ${escapeText(`${o.pkg}@${version}`)} was not archived by the notary: ${escapeText(why)}\n`,
      );
    }
  }
  return uploaded;
}

async function put(
  o: { notaryUrl: string; ecosystem: Ecosystem; pkg: string; token: string },
  version: string,
  fileName: string,
  bytes: Buffer,
): Promise<void> {
  const path = `v1/artifacts/${o.ecosystem}/${encodeURIComponent(o.pkg)}/${encodeURIComponent(version)}`;
  const url = `${notaryUrl(o.notaryUrl, path)}?filename=${encodeURIComponent(fileName)}`;
  let res;
  try {
    res = await request(url, {
      method: 'PUT',
      body: bytes,
      headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/octet-stream' },
      headersTimeout: 120_000,
      bodyTimeout: 120_000,
    });
  } catch (cause) {
    throw new VetError('NETWORK_ERROR', `could not reach the notary at ${url}: ${(cause as Error).message}`, { cause });
  }
  const text = (await res.body.text()).slice(0, 4096);
  if (res.statusCode === 201 || res.statusCode === 200) return;
  let message = 'no details';
  try {
    const err = (JSON.parse(text) as { error?: { code?: string; message?: string } }).error;
    message = `${err?.code ?? ''}: ${err?.message ?? ''}`;
  } catch {
    /* not JSON */
  }
  throw new VetError('HTTP_ERROR', `the notary refused the artifact (HTTP ${res.statusCode} ${message})`);
}
