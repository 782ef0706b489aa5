import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.js';
import { escapeHtml } from './html.js';
import { CSP } from './layout.js';
import { HOSTILE_NAME, startWebLog, type WebLog } from './__fixtures__/web-log.js';

let w: WebLog;
beforeAll(async () => {
  w = await startWebLog();
}, 60_000);
afterAll(async () => w?.n.close());

async function getHtml(path: string): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${w.n.url}${path}`, { headers: { accept: 'text/html' } });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
async function getJson(path: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${w.n.url}${path}`, { headers: { accept: 'application/json' } });
  return { status: res.status, json: await res.json() };
}

/** Markup an attacker controls never reaches the page unescaped. */
function expectNoHostileMarkup(text: string): void {
  expect(text).not.toContain('<script>alert');
  expect(text).not.toContain('<img src=x');
  expect(text).not.toContain('\u202E');
  expect(text).not.toMatch(/<script(?! type="(module|application\/json)")/);
}

describe('home page', () => {
  it('shows origin, verifier key, tree size, policy and auditors, with a strict CSP', async () => {
    const r = await getHtml('/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toBe(CSP);
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toContain('unsafe-inline');
    expect(r.text).toContain(w.n.verifierKey);
    expect(r.text).toContain('notary.test/vet/log');
    expect(r.text).toContain('<svg');
    expect(r.text).toContain(escapeHtml(HOSTILE_NAME));
    expect(r.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(r.text).toContain('\\u{202e}evil');
    expectNoHostileMarkup(r.text);
    expect(r.text).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(r.text).not.toMatch(/ style=/);
  });

  it('is the same data as JSON', async () => {
    const r = await getJson('/');
    expect(r.status).toBe(200);
    expect(r.json.treeSize).toBe(w.idx.revocation + 1);
    expect(r.json.verifierKeys).toEqual([w.n.verifierKey]);
    expect(r.json.auditors.map((a: { name: string }) => a.name)).toContain(HOSTILE_NAME);
    expect(r.json.policy.quorum).toBe(1);
    const perDay = r.json.submissionsPerDay as { count: number }[];
    expect(perDay).toHaveLength(30);
    expect(perDay.at(-1)?.count).toBe(w.idx.revocation + 1);
  });
});

describe('package and version pages', () => {
  it('list every version with approvals, violations and revocations', async () => {
    const r = await getJson('/packages/npm/left-pad');
    expect(r.status).toBe(200);
    expect(r.json.versions.map((v: { version: string }) => v.version)).toEqual(['1.1.0', '1.0.1', '1.0.0']);
    const delta = r.json.versions[0].approvals[0];
    expect(delta).toMatchObject({ kind: 'delta', from: '1.0.0', auditor: HOSTILE_NAME, index: w.idx.delta });
    expect(delta.digest).toMatch(/^sha512-/);
    expect(r.json.violations[0]).toMatchObject({ index: w.idx.violation, range: '<0.1.0' });
    expect(r.json.revocations).toEqual([{ index: w.idx.revoked, version: '1.0.1', revokedBy: w.idx.revocation }]);
    const h = await getHtml('/packages/npm/left-pad');
    expect(h.text).toContain('href="/packages/npm/left-pad@1.1.0"');
    expect(h.text).toContain(`href="/entries/${w.idx.revocation}"`);
    expectNoHostileMarkup(h.text);
  });

  it('shows a version with its audit notes escaped and its entry index', async () => {
    const h = await getHtml('/packages/npm/left-pad@1.1.0');
    expect(h.status).toBe(200);
    expect(h.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(h.text).toContain('&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(h.text).toContain(`href="/entries/${w.idx.delta}"`);
    expectNoHostileMarkup(h.text);
    const j = await getJson('/packages/npm/left-pad@1.1.0');
    expect(j.json.approvals[0].notes).toContain('<img src=x');
  });

  it('serve scoped npm names, and a 404 page that escapes the path', async () => {
    expect((await getJson('/packages/npm/@scope/pkg')).json.versions[0].version).toBe('2.0.0');
    expect((await getJson('/packages/npm/@scope/pkg@2.0.0')).status).toBe(200);
    const missing = await getHtml('/packages/npm/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expectNoHostileMarkup(missing.text);
    expect((await getJson('/packages/npm/nope')).json.error.code).toBe('NOT_FOUND');
  });
});

describe('entry, auditor and search pages', () => {
  it('entry page: envelope, statement, signer, proof, and "not verified" without a script', async () => {
    const j = await getJson(`/entries/${w.idx.full}`);
    expect(j.json).toMatchObject({ index: w.idx.full, treeSize: w.idx.revocation + 1 });
    expect(j.json.signer).toMatchObject({ keyid: w.alice.keyid, name: w.alice.name });
    expect(j.json.statement.predicateType).toBe('https://vet.dev/audit/v1');
    expect(j.json.inclusionProof.length).toBeGreaterThan(0);
    const h = await getHtml(`/entries/${w.idx.delta}`);
    expect(h.text).toContain('Not verified');
    expect(h.text).toContain('<script type="module" src="/web/verify.js"></script>');
    expect(h.text).toContain('id="vet-entry"');
    expectNoHostileMarkup(h.text.replace(/<script type="application\/json"[^]*?<\/script>/, ''));
    expect((await getHtml('/entries/999')).status).toBe(404);
  });

  it('auditor page: key, the admin entry that added it, approvals and revocations', async () => {
    const j = await getJson(`/auditors/${encodeURIComponent(w.alice.keyid)}`);
    expect(j.json.name).toBe(w.alice.name);
    expect(j.json.changes[0].change).toBe('added');
    expect(j.json.approvals.map((a: { index: number }) => a.index)).toContain(w.idx.full);
    expect(j.json.revocations).toEqual([expect.objectContaining({ index: w.idx.revocation, revokes: w.idx.revoked })]);
    const h = await getHtml(`/auditors/${encodeURIComponent(w.mallory.keyid)}`);
    expect(h.status).toBe(200);
    expectNoHostileMarkup(h.text);
  });

  it('search by name prefix, auditor and date range; reflected input is escaped', async () => {
    const byPrefix = await getJson('/search?q=%40scope');
    expect(byPrefix.json.results.map((r: { index: number }) => r.index)).toEqual([w.idx.scoped]);
    const byAuditor = await getJson(`/search?auditor=${encodeURIComponent(HOSTILE_NAME)}`);
    expect(byAuditor.json.results.map((r: { index: number }) => r.index)).toEqual([w.idx.delta]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await getJson(`/search?from=${today}&to=${today}`)).json.results.length).toBe(5);
    expect((await getJson('/search?to=2000-01-01')).json.results.length).toBe(0);
    expect((await getJson('/search?from=yesterday')).status).toBe(400);
    const h = await getHtml('/search?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E');
    expect(h.text).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expectNoHostileMarkup(h.text);
  });
});

describe('escapeHtml', () => {
  it('leaves no markup, quote, control or bidi character in any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);

        expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }),
    );
  });
});

describe('vet-notary status', () => {
  it('prints what the home page shows, escaped, and the same data with --json', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), untilSignal: async () => {} };
    expect(await runCli(['status', w.n.dir], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toContain(`tree size:     ${w.idx.revocation + 1}`);
    expect(text).toContain(w.n.verifierKey);
    expect(text).toContain('\\u{202e}evil');
    expect(text).not.toContain('\u202E');
    out.length = 0;
    expect(await runCli(['status', w.n.dir, '--json'], io)).toBe(0);
    expect(JSON.parse(out.join('\n')).treeSize).toBe(w.idx.revocation + 1);
  });

  it('names what to do when no server runs', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (l: string) => err.push(l), untilSignal: async () => {} };
    expect(await runCli(['status', '/nonexistent-notary-dir'], io)).toBe(1);
    expect(err.join('\n')).toMatch(/no running notary server found.*\n.*vet-notary serve/);
  });
});
