import { describe, expect, it } from 'vitest';
import { CriteriaIndex } from '../resolver/criteria.js';
import { emptyAuditsFile, type AuditEntry, type AuditsFile, type ImportConfig } from '../store/model.js';
import { translateImport } from './translate.js';

const full = (version: string, criteria: string[], extra: Partial<AuditEntry> = {}): AuditEntry => ({
  kind: 'full',
  version,
  criteria,
  who: ['peer'],
  importable: true,
  aggregatedFrom: [],
  ...extra,
});

function foreign(): AuditsFile {
  const f = emptyAuditsFile();
  f.criteria['their-crypto'] = { description: 'crypto reviewed', implies: ['safe-to-deploy'], aggregatedFrom: [] };
  f.criteria['their-docs'] = { description: 'docs ok', implies: [], aggregatedFrom: [] };
  f.audits['a'] = [full('1.0.0', ['their-crypto'])];
  f.audits['b'] = [full('1.0.0', ['their-docs'])];
  f.audits['c'] = [full('1.0.0', ['safe-to-run'])];
  f.audits['d'] = [full('1.0.0', ['safe-to-deploy'], { importable: false })];
  f.audits['e'] = [full('1.0.0', ['no-such-criteria'])];
  return f;
}

const config = (over: Partial<ImportConfig> = {}): ImportConfig => ({
  url: ['https://peer.example/audits.toml'],
  exclude: [],
  criteriaMap: {},
  ...over,
});

describe('translateImport', () => {
  const local = new CriteriaIndex({ 'our-crypto': { implies: ['safe-to-deploy'], aggregatedFrom: [] } });

  it('maps through the foreign closure: an implied built-in survives without a criteria-map', () => {
    const r = translateImport(foreign(), config(), local, { importName: 'peer' });
    expect(r.audits.audits['a']![0]!.criteria).toEqual(['safe-to-deploy']);
    expect(r.audits.audits['c']![0]!.criteria).toEqual(['safe-to-run']);
  });

  it('criteria-map keys map to local criteria and are kept (foreign names) for change detection', () => {
    const r = translateImport(foreign(), config({ criteriaMap: { 'their-crypto': ['our-crypto'] } }), local, {
      importName: 'peer',
    });
    expect(r.audits.audits['a']![0]!.criteria).toEqual(['our-crypto']);
    expect(Object.keys(r.audits.criteria)).toEqual(['their-crypto']);
    expect(r.audits.criteria['their-crypto']!.description).toBe('crypto reviewed');
  });

  it('an unmapped custom criterion maps to nothing but the entry is kept', () => {
    const r = translateImport(foreign(), config(), local, { importName: 'peer' });
    expect(r.audits.audits['b']![0]!.criteria).toEqual([]);
  });

  it('drops non-importable audits, excluded packages, packages outside the graph, and unknown-only criteria', () => {
    const r = translateImport(foreign(), config({ exclude: ['c'] }), local, {
      importName: 'peer',
      packages: new Set(['a', 'c', 'd', 'e']),
    });
    expect(Object.keys(r.audits.audits)).toEqual(['a']);
    expect(r.warnings).toEqual(["import 'peer': dropped an audit of e: no known criteria in [no-such-criteria]"]);
  });
});
