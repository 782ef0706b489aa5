import { describe, expect, it } from 'vitest';
import { emptyAuditsFile, type AuditEntry, type ImportsLockFile } from '../store/model.js';
import { parseImportsLock } from '../store/parse-imports-lock.js';
import { serializeImportsLock } from '../store/serialize-config.js';
import { narrowImportsLock } from './narrow.js';

const approval = (version: string, who = 'Alice', extra: Partial<AuditEntry> = {}): AuditEntry => ({
  who: [who],
  criteria: ['safe-to-deploy'],
  kind: 'full',
  version,
  importable: true,
  aggregatedFrom: [],
  digests: { [version]: `sha512-${version}` },
  ...extra,
});
const violation = (req: string): AuditEntry => ({
  who: ['Mallory'],
  criteria: ['safe-to-deploy'],
  kind: 'violation',
  violation: req,
  importable: true,
  aggregatedFrom: [],
});

function lock(audits: Record<string, AuditEntry[]>, extra: Partial<ImportsLockFile> = {}): ImportsLockFile {
  return { unpublished: {}, publisher: {}, audits: { acme: { ...emptyAuditsFile(), audits } }, ...extra };
}

describe('narrowImportsLock (what a failing check keeps of a refresh)', () => {
  it('drops approvals the import no longer offers, never adds new ones', () => {
    const saved = lock({ a: [approval('1.0.0'), approval('2.0.0')] });
    const fresh = lock({ a: [approval('2.0.0'), approval('3.0.0')], b: [approval('1.0.0')] });
    expect(narrowImportsLock(saved, fresh).audits['acme']!.audits).toEqual({ a: [approval('2.0.0')] });
  });

  it('keeps every violation, old and new, also for an import the saved lock does not have yet', () => {
    const saved = lock({ a: [violation('<1.0')] });
    const fresh = lock({ a: [violation('>=2.0')] });
    fresh.audits['globex'] = { ...emptyAuditsFile(), audits: { c: [violation('*'), approval('1.0.0')] } };
    const out = narrowImportsLock(saved, fresh);
    expect(out.audits['acme']!.audits['a']).toEqual([violation('<1.0'), violation('>=2.0')]);
    expect(out.audits['globex']!.audits).toEqual({ c: [violation('*')] });
  });

  it('an approval several auditors made keeps only those still offering it', () => {
    const saved = lock({ a: [approval('1.0.0', 'Alice', { who: ['Alice', 'Bob'] })] });
    const fresh = lock({ a: [approval('1.0.0', 'Bob')] });
    expect(narrowImportsLock(saved, fresh).audits['acme']!.audits['a']![0]!.who).toEqual(['Bob']);
  });

  it('takes the revocations and the newest verified checkpoints; an import no longer configured goes', () => {
    const revoked = { acme: { a: [{ ...approval('1.0.0'), revokedBy: 7 }] } };
    const saved = lock({ a: [approval('1.0.0')] }, { notaryCheckpoints: { acme: 'old' } });
    saved.audits['gone'] = emptyAuditsFile();
    const out = narrowImportsLock(saved, lock({}, { revoked, notaryCheckpoints: { acme: 'new' } }));
    expect(out.revoked).toEqual(revoked);
    expect(out.notaryCheckpoints).toEqual({ acme: 'new' });
    expect(Object.keys(out.audits)).toEqual(['acme']);
    expect(out.audits['acme']!.audits).toEqual({});
  });

  it('a package called __proto__ or constructor is data', () => {
    const saved = lock(JSON.parse('{"__proto__": [], "constructor": []}') as Record<string, AuditEntry[]>);
    saved.audits['acme']!.audits['__proto__'] = [approval('1.0.0')];
    const fresh = lock({});
    fresh.audits['acme']!.audits = JSON.parse('{"__proto__": [], "constructor": []}') as Record<string, AuditEntry[]>;
    fresh.audits['acme']!.audits['__proto__']!.push(approval('1.0.0'), violation('*'));
    const out = narrowImportsLock(saved, fresh).audits['acme']!.audits;
    expect(Object.keys(out).sort()).toEqual(['__proto__']);
    expect(out['__proto__']).toEqual([approval('1.0.0'), violation('*')]);
  });
});

describe('imports.lock [[revoked.<import>.<package>]] (vet extension)', () => {
  it('round-trips byte for byte', () => {
    const text = serializeImportsLock(
      lock(
        {},
        { revoked: { acme: { 'left-pad': [{ ...approval('1.3.0', 'Carol <carol@example.com>'), revokedBy: 12 }] } } },
      ),
    );
    expect(text).toContain(
      '[[revoked.acme.left-pad]]\nwho = "Carol <carol@example.com>"\ncriteria = "safe-to-deploy"\nversion = "1.3.0"\ndigests = { "1.3.0" = "sha512-1.3.0" }\nrevoked-by = 12\n',
    );
    const parsed = parseImportsLock(text, 'imports.lock');
    expect(parsed.revoked!['acme']!['left-pad']![0]!.revokedBy).toBe(12);
    expect(serializeImportsLock(parsed)).toBe(text);
  });

  it('a revoked entry without revoked-by is an error naming the file', () => {
    const text = '[[revoked.acme.x]]\nwho = "A"\ncriteria = "safe-to-run"\nversion = "1.0.0"\n';
    expect(() => parseImportsLock(text, 'imports.lock')).toThrow(/revoked\.acme row for `x` #1: missing .*revoked-by/);
    expect(() => parseImportsLock(text, 'imports.lock')).toThrow(expect.objectContaining({ file: 'imports.lock' }));
  });
});
