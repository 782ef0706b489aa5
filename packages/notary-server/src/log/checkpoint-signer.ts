/**
 * Signs one checkpoint per batch, on the hot path. Produces exactly what @vet/core's
 * signNote produces (a test compares them byte for byte; Ed25519 is deterministic), but
 * parses the signer keys and builds the node:crypto key objects once: signNote re-derives
 * them on every call, which cost ~2 ms per batch on the event loop (CPU profile).
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { formatCheckpoint, parseSignerKey } from '@vet/core';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export type CheckpointSigner = (size: number, rootHash: Uint8Array) => string;

export function makeCheckpointSigner(origin: string, signerKeys: readonly string[]): CheckpointSigner {
  const signers = signerKeys.map((k) => {
    const s = parseSignerKey(k);
    if (s.type !== 0x01) throw new Error(`log key ${s.name} must be an Ed25519 (type 0x01) note key`);
    const seed = Buffer.from(s.secretKey.subarray(0, 32));
    const key: KeyObject = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    return { name: s.name, keyId: Buffer.from(s.keyId), key };
  });
  if (signers.length === 0) throw new Error('no log signing keys');
  return (size, rootHash) => {
    const text = formatCheckpoint({ origin, size, rootHash });
    const msg = Buffer.from(text, 'utf8');
    const lines = signers.map(
      (s) => `\u2014 ${s.name} ${Buffer.concat([s.keyId, sign(null, msg, s.key)]).toString('base64')}\n`,
    );
    return `${text}\n${lines.join('')}`;
  };
}
