import { describe, expect, it } from 'vitest';
import { formatCheckpoint, generateNoteSigner, rootOf, hashLeaf, signNote, verifyCheckpoint } from '@vet/core';
import { makeCheckpointSigner } from './checkpoint-signer.js';

describe('makeCheckpointSigner', () => {
  it('produces the same bytes as core signNote, for one key and for a dual-signing rotation', () => {
    const origin = 'example.com/log';
    const k1 = generateNoteSigner(origin);
    const k2 = generateNoteSigner(origin);
    for (const size of [0, 1, 7, 256]) {
      const root = rootOf(Array.from({ length: size }, (_, i) => hashLeaf(Uint8Array.of(i & 255, i >> 8))));
      for (const keys of [[k1.signerKey], [k1.signerKey, k2.signerKey]]) {
        const mine = makeCheckpointSigner(origin, keys)(size, root);
        expect(mine).toBe(signNote(formatCheckpoint({ origin, size, rootHash: root }), keys));
        expect(verifyCheckpoint(mine, k1.verifierKey).size).toBe(size);
      }
    }
  });
});
