/** in-toto Statement v1 payloads for audits and auditor changes; purl subjects. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HAVE_VECTORS, loadVectors } from '../tlog/__fixtures__/vectors.js';
import { VetValidationError } from '../errors.js';
import { generateEd25519KeyPair } from './ed25519.js';
import { parseVetPurl, vetPurl } from './purl.js';
import {
  makeAuditorStatement,
  makeAuditStatement,
  parseAuditorStatement,
  parseAuditStatement,
  VET_AUDIT_PREDICATE_TYPE,
  type AuditStatementInput,
} from './statement.js';

const sri512 = (text: string): string => `sha512-${createHash('sha512').update(text).digest('base64')}`;
const hex256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const json = (b: Uint8Array): any => JSON.parse(new TextDecoder().decode(b));

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof VetValidationError) return e.problems.map((p) => p.message);
    throw e;
  }
  throw new Error('expected a validation error');
}

describe.skipIf(!HAVE_VECTORS)('vectors: dsse-intoto notaryAuditAttestation statement', () => {
  const a = HAVE_VECTORS ? loadVectors('dsse-intoto/attestation.json').notaryAuditAttestation : undefined;

  it('makeAuditStatement reproduces the signed payload byte for byte', () => {
    const p = a.statement.predicate;
    const bytes = makeAuditStatement(
      {
        kind: 'audit',
        ecosystem: 'npm',
        package: 'left-pad',
        version: '1.3.0',
        criteria: p.criteria,
        who: p.who,
        notes: p.notes,
        auditedAt: p.auditedAt,
        digests: { '1.3.0': sri512(a.artifactBytesUtf8) },
        extra: { notary: p.notary },
      },
      { predicateType: a.statement.predicateType },
    );
    expect(new TextDecoder().decode(bytes)).toBe(a.payloadUtf8);
  });

  it('parseAuditStatement reads the vector payload (with its predicate type allowed)', () => {
    const s = parseAuditStatement(new TextEncoder().encode(a.payloadUtf8), 'vector', {
      predicateTypes: [a.statement.predicateType],
    });
    expect(s).toMatchObject({
      kind: 'audit',
      ecosystem: 'npm',
      package: 'left-pad',
      version: '1.3.0',
      criteria: ['safe-to-deploy'],
      who: 'Alice Auditor <alice@example.com>',
      digests: { '1.3.0': sri512(a.artifactBytesUtf8) },
      extra: { notary: 'notary.example.com/vet/log' },
    });
    expect(() => parseAuditStatement(a.payloadUtf8)).toThrowError(expect.objectContaining({ code: 'PARSE_ERROR' }));
  });
});

describe('audit statements', () => {
  const base: AuditStatementInput = {
    kind: 'audit',
    ecosystem: 'npm',
    package: '@scope/pkg',
    version: '2.0.0',
    criteria: ['safe-to-deploy'],
    who: 'Bob <bob@example.com>',
    digests: { '2.0.0': sri512('tarball 2') },
  };

  it('full audit round trip; scoped npm names are percent-encoded in the purl', () => {
    const bytes = makeAuditStatement(base);
    const j = json(bytes);
    expect(j.predicateType).toBe(VET_AUDIT_PREDICATE_TYPE);
    expect(j.subject).toEqual([
      {
        name: 'pkg:npm/%40scope/pkg@2.0.0',
        digest: { sha512: createHash('sha512').update('tarball 2').digest('hex') },
      },
    ]);
    expect(parseAuditStatement(bytes)).toEqual({ ...base, predicateType: VET_AUDIT_PREDICATE_TYPE, extra: {} });
  });

  it('delta audit binds both base and target digests', () => {
    const input: AuditStatementInput = {
      ...base,
      version: undefined,
      ecosystem: 'cargo',
      package: 'serde',
      delta: { from: '1.0.0', to: '1.0.1' },
      digests: { '1.0.0': hex256('a'), '1.0.1': hex256('b') },
    };
    delete input.version;
    const parsed = parseAuditStatement(makeAuditStatement(input));
    expect(parsed.delta).toEqual({ from: '1.0.0', to: '1.0.1' });
    expect(parsed.version).toBeUndefined();
    expect(parsed.digests).toEqual({
      '1.0.0': `sha256-${createHash('sha256').update('a').digest('base64')}`,
      '1.0.1': `sha256-${createHash('sha256').update('b').digest('base64')}`,
    });
  });

  it('violation and revocation round trip', () => {
    const violation: AuditStatementInput = {
      kind: 'violation',
      ecosystem: 'pypi',
      package: 'requests',
      violation: '>=2.99, <3',
      criteria: ['safe-to-run'],
      who: 'Carol',
      digests: {},
    };
    expect(parseAuditStatement(makeAuditStatement(violation))).toMatchObject({
      kind: 'violation',
      package: 'requests',
      violation: '>=2.99, <3',
      digests: {},
    });
    const revocation: AuditStatementInput = {
      kind: 'revocation',
      ecosystem: 'npm',
      package: 'left-pad',
      version: '1.3.0',
      revokes: '17:abcd',
      criteria: [],
      who: 'Carol',
      notes: 'key leaked',
      digests: {},
    };
    expect(parseAuditStatement(makeAuditStatement(revocation))).toMatchObject({
      kind: 'revocation',
      version: '1.3.0',
      revokes: '17:abcd',
      notes: 'key leaked',
    });
  });

  it('make reports every problem at once', () => {
    const problems = problemsOf(() =>
      makeAuditStatement({
        ...base,
        who: '',
        criteria: [],
        digests: { '2.0.0': 'md5-AAAA', '9.9.9': sri512('x') },
        auditedAt: 'yesterday',
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'who must be a non-empty string',
        'criteria must not be empty',
        'auditedAt must be an RFC 3339 time',
        'digest for 9.9.9, which the statement does not cover',
        'digest for 2.0.0 is not sha256/384/512 SRI or <alg>:<hex>',
      ]),
    );
    expect(problemsOf(() => makeAuditStatement({ ...base, digests: {} }))).toEqual([
      'no digest for audited version 2.0.0',
    ]);
    expect(problemsOf(() => makeAuditStatement({ ...base, delta: { from: '1', to: '2' } }))).toContain(
      'an audit has either version or delta',
    );
    expect(problemsOf(() => makeAuditStatement({ ...base, kind: 'violation' }))).toContain(
      'a violation needs a version range in violation',
    );
    expect(problemsOf(() => makeAuditStatement({ ...base, kind: 'revocation' }))).toContain(
      'a revocation needs the revoked entry id in revokes',
    );
    expect(
      problemsOf(() =>
        makeAuditStatement({ ...base, digests: { '2.0.0': `sha256-${Buffer.alloc(31).toString('base64')}` } }),
      ),
    ).toHaveLength(1);
  });

  it('parse rejects statements that do not hold together, listing every problem', () => {
    const good = json(makeAuditStatement(base));
    const variants: [string, (j: any) => void, string][] = [
      ['_type', (j) => (j._type = 'https://in-toto.io/Statement/v0.1'), '_type must be'],
      ['predicateType', (j) => (j.predicateType = 'https://slsa.dev/provenance/v1'), 'predicateType must be'],
      ['no subject', (j) => (j.subject = []), 'subject must be a non-empty list'],
      ['bad digest', (j) => (j.subject[0].digest.sha512 = 'ABC'), 'digest must map'],
      ['short sha512', (j) => (j.subject[0].digest.sha512 = 'ab'), 'digest must map'],
      ['not a purl', (j) => (j.subject[0].name = 'left-pad@1.0.0'), 'is not a pkg:npm|pypi|cargo purl'],
      ['unknown ecosystem', (j) => (j.subject[0].name = 'pkg:gem/rails@7.0.0'), 'is not a pkg:npm|pypi|cargo purl'],
      [
        'non-canonical purl',
        (j) => (j.subject[0].name = 'pkg:npm/@scope/pkg@2.0.0'),
        'is not a pkg:npm|pypi|cargo purl',
      ],
      ['kind', (j) => (j.predicate.kind = 'approve'), 'predicate.kind must be'],
      ['criteria', (j) => (j.predicate.criteria = 'safe-to-deploy'), 'criteria must be a list'],
      ['who', (j) => delete j.predicate.who, 'who must be a non-empty string'],
      [
        'two subjects for full',
        (j) => j.subject.push({ ...j.subject[0], name: 'pkg:npm/%40scope/pkg@3.0.0' }),
        'a full audit has exactly one subject',
      ],
      [
        'mixed packages',
        (j) => j.subject.push({ ...j.subject[0], name: 'pkg:npm/other@2.0.0' }),
        'all subjects must name the same package',
      ],
      ['no digest', (j) => (j.subject[0].digest = {}), 'subject 2.0.0 has no sha256/384/512 digest'],
      ['no version', (j) => (j.subject[0].name = 'pkg:npm/%40scope/pkg'), 'an audit has either version or delta'],
    ];
    for (const [what, mutate, message] of variants) {
      const j = structuredClone(good);
      mutate(j);
      const problems = problemsOf(() => parseAuditStatement(JSON.stringify(j), 'entry-7'));
      expect(problems.join(' | '), what).toContain(message);
    }
    // Several problems reported together.
    const j = structuredClone(good);
    j.predicate.who = '';
    j.predicate.criteria = [];
    expect(problemsOf(() => parseAuditStatement(JSON.stringify(j)))).toHaveLength(2);
    expect(() => parseAuditStatement('{"nope"')).toThrowError(
      expect.objectContaining({ code: 'PARSE_ERROR', file: '<statement>' }),
    );
    expect(() => parseAuditStatement(Uint8Array.of(0xc3))).toThrowError(
      expect.objectContaining({ code: 'PARSE_ERROR' }),
    );
  });

  it('a full audit without a subject digest is not accepted', () => {
    const j = json(makeAuditStatement(base));
    j.subject[0].digest = { sha1: 'ab'.repeat(20) }; // only an algorithm we do not bind to
    expect(problemsOf(() => parseAuditStatement(JSON.stringify(j)))).toEqual([
      'subject 2.0.0 has no sha256/384/512 digest',
    ]);
  });
});

describe('auditor statements', () => {
  const kp = generateEd25519KeyPair();
  const input = {
    action: 'add' as const,
    keyid: 'alice.example+12345678+AAAA',
    publicKey: kp.publicKey,
    name: 'Alice <alice@example.com>',
  };

  it('round trip; subject digest binds the public key', () => {
    const bytes = makeAuditorStatement(input);
    expect(json(bytes).subject[0].digest.sha256).toBe(createHash('sha256').update(kp.publicKey).digest('hex'));
    expect(parseAuditorStatement(bytes)).toEqual({ ...input, predicateType: 'https://vet.dev/auditor/v1' });
    expect(parseAuditorStatement(makeAuditorStatement({ ...input, action: 'remove' })).action).toBe('remove');
  });

  it('rejects swapped keys and bad fields', () => {
    const j = json(makeAuditorStatement(input));
    j.predicate.publicKey = Buffer.from(generateEd25519KeyPair().publicKey).toString('base64');
    expect(problemsOf(() => parseAuditorStatement(JSON.stringify(j)))).toEqual([
      'subject digest is not the SHA-256 of publicKey',
    ]);
    expect(
      problemsOf(() =>
        makeAuditorStatement({ ...input, action: 'grant' as 'add', publicKey: new Uint8Array(31), name: '' }),
      ),
    ).toHaveLength(3);
    const k = json(makeAuditorStatement(input));
    k.subject[0].name = 'vet-auditor:someone-else';
    expect(problemsOf(() => parseAuditorStatement(JSON.stringify(k)))).toEqual([
      'subject must be the single vet-auditor:<keyid>',
    ]);
    expect(() => parseAuditStatement(makeAuditorStatement(input))).toThrowError(
      expect.objectContaining({ code: 'PARSE_ERROR' }),
    );
  });
});

describe('purl subjects', () => {
  it('round trip and canonical spelling only', () => {
    const cases: [Parameters<typeof vetPurl>, string][] = [
      [['npm', 'left-pad', '1.3.0'], 'pkg:npm/left-pad@1.3.0'],
      [['npm', '@types/node', '20.0.0'], 'pkg:npm/%40types/node@20.0.0'],
      [['cargo', 'serde'], 'pkg:cargo/serde'],
      [['pypi', 'zope.interface', '1.0+local'], 'pkg:pypi/zope.interface@1.0%2Blocal'],
    ];
    for (const [args, purl] of cases) {
      expect(vetPurl(...args)).toBe(purl);
      const back = parseVetPurl(purl)!;
      expect([back.ecosystem, back.name, back.version]).toEqual([args[0], args[1], args[2]]);
    }
    for (const bad of [
      'pkg:npm/@types/node@1',
      'pkg:npm/a/b/c@1',
      'pkg:cargo/a/b',
      'pkg:npm/x@1?arch=x',
      'pkg:npm/x%zz',
      'pkg:npm/',
      'npm/x@1',
      'pkg:npm/x@1@2',
    ]) {
      expect(parseVetPurl(bad), bad).toBeUndefined();
    }
  });
});
