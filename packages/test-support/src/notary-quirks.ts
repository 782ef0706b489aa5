/**
 * The entries issue 11 found admitted by the notary and refused by every consumer, as real
 * signed envelopes: the notary's tests submit them, the client's tests serve them in a log,
 * and the differential test mixes them into random sequences. Each names the rule that must
 * refuse it on both sides.
 */
import { createHash } from 'node:crypto';
import {
  IN_TOTO_PAYLOAD_TYPE,
  makeAuditStatement,
  signDsse,
  type AuditStatementInput,
  type DsseEnvelope,
  type Ed25519KeyPair,
  type NotaryRule,
} from '@vet/core';

export interface Signer {
  keyid: string;
  keys: Ed25519KeyPair;
}

export interface Quirk {
  name: string;
  rule: NotaryRule;
  bytes: Uint8Array;
}

export function npmIntegrity(label: string): string {
  return `sha512-${createHash('sha512').update(label).digest('base64')}`;
}

export function auditInput(pkg: string, version: string, over: Partial<AuditStatementInput> = {}): AuditStatementInput {
  return {
    kind: 'audit',
    ecosystem: 'npm',
    package: pkg,
    version,
    criteria: ['safe-to-deploy'],
    who: 'someone',
    digests: { [version]: npmIntegrity(`${pkg}@${version}`) },
    ...over,
  };
}

export function signedEnvelope(signer: Signer, input: AuditStatementInput): DsseEnvelope {
  return signDsse(makeAuditStatement(input), IN_TOTO_PAYLOAD_TYPE, {
    keyid: signer.keyid,
    secretKey: signer.keys.secretKey,
  });
}

export const bytesOf = (env: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(env));

/** A valid audit whose payload base64 ends in `==` (its length is 1 mod 3). */
function paddedAudit(signer: Signer, pkg: string, version: string): DsseEnvelope {
  for (let n = 0; ; n++) {
    const env = signedEnvelope(signer, auditInput(pkg, version, { notes: 'x'.repeat(n) }));
    if (env.payload.endsWith('==')) return env;
  }
}

/** Every quirk of issue 11, signed by `signer` (an active auditor); `tag` keeps them distinct. */
export function issue11Quirks(signer: Signer, tag = '1'): Quirk[] {
  const ok = signedEnvelope(signer, auditInput('quirk-pkg', `1.0.${tag}`));
  const padded = paddedAudit(signer, 'quirk-pkg', `2.0.${tag}`);
  const sig = ok.signatures[0]!;
  return [
    {
      name: 'a UTF-8 BOM in front',
      rule: 'ENTRY_BOM',
      bytes: Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), bytesOf(ok)]),
    },
    {
      name: 'payload base64 …= where == is due',
      rule: 'ENVELOPE_PAYLOAD',
      bytes: bytesOf({ ...padded, payload: padded.payload.slice(0, -1) }),
    },
    {
      name: 'signature base64 …= where == is due',
      rule: 'ENVELOPE_SIG',
      bytes: bytesOf({ ...ok, signatures: [{ keyid: sig.keyid, sig: sig.sig.slice(0, -1) }] }),
    },
    {
      name: 'an extra signature with a numeric keyid',
      rule: 'ENVELOPE_KEYID',
      bytes: bytesOf({ ...ok, signatures: [sig, { keyid: 7, sig: sig.sig }] }),
    },
    {
      name: 'an extra signature with a null keyid',
      rule: 'ENVELOPE_KEYID',
      bytes: bytesOf({ ...ok, signatures: [sig, { keyid: null, sig: sig.sig }] }),
    },
    {
      name: 'a violation whose range is not a range',
      rule: 'VERSION_RANGE',
      bytes: bytesOf(
        signedEnvelope(signer, {
          kind: 'violation',
          ecosystem: 'npm',
          package: 'quirk-pkg',
          violation: `not a range ${tag}`,
          criteria: ['safe-to-deploy'],
          who: 'someone',
          digests: {},
        }),
      ),
    },
    {
      name: 'an audit with version __proto__',
      rule: 'VERSION',
      bytes: bytesOf(
        signedEnvelope(
          signer,
          auditInput(`quirk-${tag}`, '__proto__', { digests: { ['__proto__']: npmIntegrity(tag) } }),
        ),
      ),
    },
  ];
}
