import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DependencyGraph, PackageNode } from '../graph.js';
import { resolve } from '../resolver/resolve.js';
import { parseAudits } from '../store/parse-audits.js';
import { parseImportsLock } from '../store/parse-imports-lock.js';
import { serializeImportsLock } from '../store/serialize-config.js';
import { emptyAuditsFile, emptyStore, type AuditEntry, type Store } from '../store/model.js';
import { notaryAuditsFile } from './audits.js';
import { checkNotaryQuorum } from '../check/quorum.js';
import type { NotaryClaimRecord } from './state.js';
import { notaryBundlesBetween } from './index.js';

const sri = (label: string) => `sha512-${createHash('sha512').update(label).digest('base64')}`;

function node(name: string, version: string, integrity = sri(`${name}@${version}`)): PackageNode {
  const [algo, digest] = [integrity.slice(0, integrity.indexOf('-')), integrity.slice(integrity.indexOf('-') + 1)];
  return {
    id: `${name}@${version}`,
    name,
    version,
    source: { kind: 'registry' },
    integrity: [{ algo, digest, encoding: 'base64', covers: 'npm-tarball' }],
    firstParty: false,
    workspaceMember: false,
    deps: [],
  };
}

function graph(...nodes: PackageNode[]): DependencyGraph {
  const root: PackageNode = {
    id: 'app',
    name: 'app',
    version: '0.1.0',
    source: { kind: 'workspace' },
    integrity: [],
    firstParty: true,
    workspaceMember: true,
    deps: nodes.map((n) => ({ to: n.id, kind: 'normal' as const })),
  };
  return { ecosystem: 'npm', lockfile: 'package-lock.json', format: 'test', nodes: [root, ...nodes], warnings: [] };
}

const full = (version: string, digests?: Record<string, string>): AuditEntry => ({
  who: ['N'],
  criteria: ['safe-to-deploy'],
  kind: 'full',
  version,
  importable: true,
  aggregatedFrom: [],
  ...(digests ? { digests } : {}),
});

function storeWith(imports: Record<string, Record<string, AuditEntry[]>>): Store {
  const s = emptyStore();
  for (const [name, audits] of Object.entries(imports)) {
    s.config.imports[name] = {
      url: [],
      exclude: [],
      criteriaMap: {},
      notary: { url: `https://${name}.test`, key: `${name}.test+00000000+AAAA` },
    };
    s.importsLock.audits[name] = { ...emptyAuditsFile(), audits };
  }
  return s;
}

describe('content binding in the resolver', () => {
  it('an imported audit with the lockfile digest vets; one with another digest does not and is reported', () => {
    const g = graph(node('a', '1.0.0'), node('b', '2.0.0'));
    const s = storeWith({
      n: { a: [full('1.0.0', { '1.0.0': sri('a@1.0.0') })], b: [full('2.0.0', { '2.0.0': sri('other bytes') })] },
    });
    const r = resolve({ graph: g, store: s });
    expect(r.vettedFully.map((x) => x.name)).toEqual(['a']);
    expect(r.failures.map((f) => f.node.name)).toEqual(['b']);
    expect(r.digestMismatches).toEqual([
      {
        importName: 'n',
        package: 'b',
        version: '2.0.0',
        approved: sri('other bytes'),
        lockfile: [sri('b@2.0.0')],
        nodeIds: ['b@2.0.0'],
      },
    ]);
  });

  it('compares only the same algorithm: a sha1-only lockfile cannot confirm a sha512 approval', () => {
    const old = node('c', '1.0.0');
    old.integrity = [{ algo: 'sha1', digest: 'ab'.repeat(20), encoding: 'hex', covers: 'npm-tarball' }];
    const s = storeWith({ n: { c: [full('1.0.0', { '1.0.0': sri('c@1.0.0') })] } });
    const r = resolve({ graph: graph(old), store: s });
    expect(r.conclusion).toBe('fail (vetting)');
    expect(r.digestMismatches[0]).toMatchObject({
      package: 'c',
      lockfile: [`sha1-${Buffer.from('ab'.repeat(20), 'hex').toString('base64')}`],
    });
  });

  it('audits without digests (plain cargo-vet imports) and local audits are unaffected', () => {
    const s = storeWith({ n: { a: [full('1.0.0')] } });
    s.audits.audits['b'] = [full('2.0.0', { '2.0.0': sri('ignored for local audits') })];
    const r = resolve({ graph: graph(node('a', '1.0.0'), node('b', '2.0.0')), store: s });
    expect(r.conclusion).toBe('success');
    expect(r.digestMismatches).toEqual([]);
  });
});

describe('imports.lock digests (vet extension)', () => {
  it('round-trips byte for byte and stays out of audits.toml', () => {
    const s = storeWith({ n: { 'left-pad': [full('1.3.0', { '1.3.0': sri('left-pad@1.3.0') })] } });
    const text = serializeImportsLock(s.importsLock);
    expect(text).toContain('digests');
    const back = parseImportsLock(text, 'imports.lock');
    expect(back.audits['n']?.audits['left-pad']?.[0]?.digests).toEqual({ '1.3.0': sri('left-pad@1.3.0') });
    expect(serializeImportsLock(back)).toBe(text);
    expect(() =>
      parseAudits(
        `[[audits.x]]\nwho = "a"\ncriteria = "safe-to-run"\nversion = "1.0.0"\ndigests = { "1.0.0" = "sha512-x" }\n`,
        'audits.toml',
      ),
    ).toThrow();
  });
});

describe('k-of-n notary policy', () => {
  it('counts distinct notary imports whose audits alone vet each package in scope', () => {
    const digests = (n: string, v: string) => ({ [v]: sri(`${n}@${v}`) });
    const s = storeWith({
      one: { a: [full('1.0.0', digests('a', '1.0.0'))], b: [full('2.0.0', digests('b', '2.0.0'))] },
      two: { a: [full('1.0.0', digests('a', '1.0.0'))], b: [full('2.0.0', { '2.0.0': sri('evil') })] },
      three: {},
    });
    s.config.vet = { ecosystem: 'npm', requireNotaries: { imports: ['one', 'two', 'three'], threshold: 2 } };
    const g = graph(node('a', '1.0.0'), node('b', '2.0.0'), node('c', '3.0.0'));
    s.config.exemptions['c'] = [{ version: '3.0.0', criteria: ['safe-to-deploy'], suggest: true }];
    const r = resolve({ graph: g, store: s });
    const short = checkNotaryQuorum(r, s, g);
    expect(short.map((x) => [x.node.name, x.approvedBy])).toEqual([
      ['b', ['one']], // two's approval is for other bytes
      ['c', []], // an exemption is not a notary approval
    ]);
    s.config.vet.requireNotaries!.packages = ['a'];
    expect(checkNotaryQuorum(r, s, g)).toEqual([]);
  });
});

describe('effective audits of a mirror', () => {
  const claim = (i: number, over: Partial<NotaryClaimRecord> = {}): NotaryClaimRecord => ({
    index: i,
    leafHash: String(i).padStart(64, '0'),
    signer: 'k',
    auditor: 'A',
    kind: 'full',
    ecosystem: 'npm',
    package: 'p',
    version: '1.0.0',
    criteria: ['safe-to-deploy'],
    who: 'A',
    digests: { '1.0.0': sri('p@1.0.0') },
    ...over,
  });
  it('drops revoked claims, merges identical ones, keeps violations, declares custom criteria', () => {
    const file = notaryAuditsFile(
      {
        origin: 'o',
        claims: [
          claim(1),
          claim(2, { who: 'B', auditor: 'B' }),
          claim(3, { version: '2.0.0', digests: { '2.0.0': 'sha512-x' }, revokedBy: 9 }),
          claim(4, { kind: 'violation', version: undefined, violation: '<1', digests: {} }),
          claim(5, { criteria: ['crypto'], ecosystem: 'pypi' }),
        ],
      },
      'npm',
    );
    expect(file.audits['p']).toEqual([
      {
        who: ['A', 'B'],
        criteria: ['safe-to-deploy'],
        kind: 'full',
        version: '1.0.0',
        importable: true,
        aggregatedFrom: [],
        digests: { '1.0.0': sri('p@1.0.0') },
      },
      {
        who: ['A'],
        criteria: ['safe-to-deploy'],
        kind: 'violation',
        violation: '<1',
        importable: true,
        aggregatedFrom: [],
      },
    ]);
    expect(Object.keys(file.criteria)).toEqual([]);
  });
  it('lists only the bundles a checkpoint implies', () => {
    expect(notaryBundlesBetween(0, 0)).toEqual([]);
    expect(notaryBundlesBetween(300, 300)).toEqual([]);
    expect(notaryBundlesBetween(250, 600).map((b) => b.path)).toEqual([
      'tile/entries/000',
      'tile/entries/001',
      'tile/entries/002.p/88',
    ]);
  });
});

describe('checkpoint freshness', () => {
  it('max-age without witnesses is a configuration error: checkpoints carry no time', async () => {
    const { generateNoteSigner, signNote } = await import('../tlog/note.js');
    const { formatCheckpoint } = await import('../tlog/checkpoint.js');
    const { EMPTY_TREE_ROOT } = await import('../tlog/merkle.js');
    const { verifyNotaryCheckpoint } = await import('./checkpoints.js');
    const k = generateNoteSigner('o.test/log');
    const note = signNote(formatCheckpoint({ origin: 'o.test/log', size: 0, rootHash: EMPTY_TREE_ROOT }), k.signerKey);
    expect(
      verifyNotaryCheckpoint(note, { url: 'u', key: k.verifierKey }, { importName: 'n', now: 0 }).checkpoint.size,
    ).toBe(0);
    expect(() =>
      verifyNotaryCheckpoint(note, { url: 'u', key: k.verifierKey, maxAgeSeconds: 60 }, { importName: 'n', now: 0 }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
