/**
 * `vet fmt` conformance on real stores (spec/cargo-vet-format.md §9.6, §14.1): for every
 * store in ../shared/corpus/cargo, parse → serialize must reproduce each file byte for
 * byte, the way cargo-vet's `--locked` format check demands. Which rules apply comes from
 * the corpus manifest: stores kept with 0.10.x use the 0.10.2 writer; aggregated audit sets
 * were written by `cargo vet aggregate` (no header, unsorted), some with ≤0.10.1 quoting.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkStoreVersion,
  isCanonical,
  parseAudits,
  parseConfig,
  parseImportsLock,
  serializeAudits,
  serializeConfig,
  serializeImportsLock,
  validateStore,
  type ImportsLockFile,
  type PublisherEntry,
  type StoreWarning,
} from '@vet/core';

const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/corpus/cargo');
const present = existsSync(path.join(CORPUS, 'manifest.json'));
if (!present) console.warn(`[corpus-store-format] skipped: corpus not found at ${CORPUS}`);

interface RepoEntry {
  dir: string;
  store_path: string;
  store_version: string;
  commit_date: string;
  expected_locked_verdict: string;
}
interface AuditSetEntry {
  dir: string;
  style: string;
}
interface Manifest {
  repos: RepoEntry[];
  audit_sets: AuditSetEntry[];
}

const manifest: Manifest = present
  ? (JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as Manifest)
  : { repos: [], audit_sets: [] };
const read = (...p: string[]) => readFileSync(path.join(CORPUS, ...p), 'utf8');

/** Exact bytes, with a readable failure: the first differing line and its neighbours. */
function expectSameBytes(actual: string, expected: string, what: string): void {
  if (actual === expected) return;
  const a = actual.split('\n');
  const e = expected.split('\n');
  let i = 0;
  while (i < Math.max(a.length, e.length) && a[i] === e[i]) i++;
  expect(a.slice(Math.max(0, i - 2), i + 3).join('\n'), `${what}: first difference at line ${i + 1}`).toBe(
    e.slice(Math.max(0, i - 2), i + 3).join('\n'),
  );
}

describe.skipIf(!present)('corpus stores: parse → serialize is the identity', () => {
  it('the manifest lists the eight repositories and nine audit sets', () => {
    expect(manifest.repos).toHaveLength(8);
    expect(manifest.audit_sets).toHaveLength(9);
  });

  for (const repo of manifest.repos) {
    const store = path.join(repo.dir, repo.store_path);
    describe(`${repo.dir} (store ${repo.store_version}, expected --locked ${repo.expected_locked_verdict})`, () => {
      const texts = {
        config: read(store, 'config.toml'),
        audits: read(store, 'audits.toml'),
        lock: read(store, 'imports.lock'),
      };
      const warnings: StoreWarning[] = [];
      const config = parseConfig(texts.config, 'config.toml', { warnings });
      const audits = parseAudits(texts.audits, 'audits.toml', { warnings });
      const lock = parseImportsLock(texts.lock, 'imports.lock', { warnings });

      it('parses without dropping anything', () => {
        expect(warnings).toEqual([]);
        expect(config.storeVersion).toBe(repo.store_version);
      });

      it('config.toml, audits.toml and imports.lock re-serialize byte for byte', () => {
        expectSameBytes(serializeConfig(config), texts.config, 'config.toml');
        expectSameBytes(serializeAudits(audits, lock), texts.audits, 'audits.toml');
        expectSameBytes(serializeImportsLock(lock), texts.lock, 'imports.lock');
      });

      if (repo.store_version === '0.10') {
        it('passes the store checks that --locked runs before resolving, as of its commit date', () => {
          expect(checkStoreVersion(config.storeVersion, { locked: true }).needsUpdate).toBe(false);
          expect(() =>
            validateStore({ config, audits, importsLock: lock }, { today: repo.commit_date.slice(0, 10) }),
          ).not.toThrow();
        });
      } else {
        it('is rejected by the 0.10 store-version gate under --locked (the negative sample)', () => {
          expect(() => checkStoreVersion(config.storeVersion, { locked: true })).toThrow(
            expect.objectContaining({ code: 'STORE_VERSION' }),
          );
          expect(checkStoreVersion(config.storeVersion, { locked: false }).needsUpdate).toBe(true);
        });
      }
    });
  }
});

/**
 * divviup's imports.lock is not in the corpus; rebuild the publisher facts that the
 * `user-id = N # Name (login)` comments came from, so comment placement is still tested.
 */
function lockFromComments(text: string): ImportsLockFile {
  const rows: PublisherEntry[] = [];
  for (const m of text.matchAll(/^user-id = (\d+) # (?:(.*) \((.*)\)|(.*))$/gm)) {
    const [, id, name, login, bare] = m;
    const row: PublisherEntry = {
      version: '0.0.0',
      when: '2000-01-01',
      identity: { kind: 'user-id', userId: Number(id) },
      userLogin: login ?? bare!,
    };
    if (name !== undefined) row.userName = name;
    rows.push(row);
  }
  return { unpublished: {}, publisher: { 'from-comments': rows }, audits: {} };
}

describe.skipIf(!present)('corpus audit sets', () => {
  for (const set of manifest.audit_sets) {
    const text = present ? read(set.dir, 'audits.toml') : '';
    const name = path.basename(set.dir);
    const handWritten = set.style.startsWith('hand-written');
    const legacy = set.style.includes('legacy');
    const aggregated = set.style.startsWith('aggregated');

    it(`${name} (${set.style}) parses as an import without dropping entries`, () => {
      const warnings: StoreWarning[] = [];
      const audits = parseAudits(text, name, { foreign: true, warnings });
      expect(warnings).toEqual([]);
      expect(Object.keys(audits.audits).length + Object.keys(audits.wildcardAudits).length).toBeGreaterThan(0);
    });

    if (handWritten) {
      it(`${name} is hand-written and so not canonical (negative sample)`, () => {
        expect(isCanonical(text, serializeAudits(parseAudits(text, name, { foreign: true })))).toBe(false);
      });
      continue;
    }

    it(`${name} re-serializes byte for byte${legacy ? ' with ≤0.10.1 quoting' : ''}${aggregated ? ' as aggregate output' : ''}`, () => {
      const audits = parseAudits(text, name, { foreign: true });
      let lock: ImportsLockFile | undefined;
      if (name === 'bytecodealliance__wasmtime')
        lock = parseImportsLock(read('bytecodealliance__wasmtime/supply-chain/imports.lock'), 'imports.lock');
      else if (!aggregated) lock = lockFromComments(text);
      expectSameBytes(serializeAudits(audits, lock, { legacyQuoting: legacy, aggregate: aggregated }), text, name);
    });

    if (legacy) {
      it(`${name} is not canonical for 0.10.2 (quoting changed in 0.10.2, spec §9.5)`, () => {
        const audits = parseAudits(text, name, { foreign: true });
        expect(isCanonical(text, serializeAudits(audits, undefined, { aggregate: true }))).toBe(false);
      });
    }
  }
});
