import { describe, expect, it } from 'vitest';
import { revokedNotaryClaim, type NotaryClaimRecord } from '@vet/core';
import { notaryClaimLine } from './state-dir.js';
import { parseStoredClaims } from './stored-claims.js';

const full: NotaryClaimRecord = {
  index: 7,
  leafHash: 'ab'.repeat(32),
  signer: 'vet-auditor:0011223344556677',
  auditor: 'Alice',
  kind: 'full',
  ecosystem: 'npm',
  package: '@scope/left-pad',
  criteria: ['safe-to-deploy'],
  who: 'Alice <a@example.org>',
  digests: { '1.3.0': 'sha512-AAAA' },
  version: '1.3.0',
  notes: 'has "quotes", a \\ backslash and\na newline',
};
const delta: NotaryClaimRecord = {
  ...full,
  index: 9,
  leafHash: 'cd'.repeat(32),
  kind: 'delta',
  package: 'we"ird\\name',
  delta: { from: '1.0.0', to: '1.1.0' },
};
delete delta.version;

describe('stored claims (claims.ndjson read back lazily)', () => {
  it('read back every field exactly, including escaped names that force a full parse', () => {
    const text = [full, delta].map(notaryClaimLine).join('');
    const back = parseStoredClaims(text);
    expect(back.map((c) => [c.package, c.ecosystem, c.index, c.leafHash])).toEqual([
      ['@scope/left-pad', 'npm', 7, full.leafHash],
      ['we"ird\\name', 'npm', 9, delta.leafHash],
    ]);
    expect(JSON.parse(JSON.stringify(back))).toEqual([full, delta]);
    // Written again, a stored claim is byte-for-byte its line.
    expect(back.map(notaryClaimLine).join('')).toBe(text);
  });

  it('a revoked copy keeps every field (accessors are copied by name, not spread)', () => {
    const [c] = parseStoredClaims(notaryClaimLine(full));
    expect(revokedNotaryClaim(c!, 12)).toEqual({ ...full, revokedBy: 12 });
  });

  it('a committed line that no longer parses fails with PARSE_ERROR when first read in full', () => {
    const line = notaryClaimLine(full).replace('"criteria":[', '"criteria":[[');
    const [c] = parseStoredClaims(line);
    expect(c!.package).toBe('@scope/left-pad');
    expect(() => c!.criteria).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
  });

  it('text without a final newline is not a claims file', () => {
    expect(() => parseStoredClaims(notaryClaimLine(full).trimEnd())).toThrow(/newline/);
  });
});
