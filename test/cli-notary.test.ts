/**
 * The notary loop through the built binary only: an auditor makes a key (`vet auditor
 * keygen`), the operator registers it, the auditor certifies with `--submit`, a consumer
 * runs `vet import --notary` and `vet check --locked`. A consumer pinned to the wrong key is
 * refused (security error, exit 1) and writes nothing.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAuditor } from '@vet/notary-server';
import { generateNoteSigner } from '@vet/core';
import { integrity, startRealNotary, type RealNotary } from '@vet/test-support/notary-fixtures';
import { packageLock, runVet, tempProject, type TempProject } from './helpers/project.js';
import { readAuditorKey } from '../packages/cli/src/notary/auditor-key.js';

let notary: RealNotary;
const cleanups: TempProject[] = [];
beforeAll(async () => {
  notary = await startRealNotary();
});
afterAll(async () => {
  await notary.close();
  for (const p of cleanups) p.cleanup();
});

function project(): TempProject {
  const p = tempProject({
    'package.json': '{"name":"demo","version":"1.0.0"}\n',
    'package-lock.json': packageLock({
      deps: { 'left-pad': '1.3.0' },
      packages: { 'node_modules/left-pad': { version: '1.3.0', integrity: integrity('left-pad@1.3.0') } },
    }),
  });
  cleanups.push(p);
  return p;
}

describe('vet and a notary, end to end through the binary', () => {
  it('auditor submits; consumer imports from the notary; check --locked passes on the notary audit alone', async () => {
    const auditor = project();
    expect((await runVet(['init'], { cwd: auditor.dir })).code).toBe(0);
    const keyFile = path.join(auditor.dir, 'alice.key');
    const keygen = await runVet(['auditor', 'keygen', '--out', keyFile], { cwd: auditor.dir });
    expect(keygen.code).toBe(0);
    const key = await readAuditorKey(keyFile);
    const { token } = await addAuditor(notary.dir, { name: 'Alice <alice@example.com>', publicKey: key.publicKey });
    // The auditor pins the notary's key too, so the receipt is verified against it.
    expect(
      (await runVet(['import', 'acme', '--notary', notary.url, '--key', notary.vkey], { cwd: auditor.dir })).code,
    ).toBe(0);
    const certify = await runVet(
      [
        'certify',
        'left-pad',
        '1.3.0',
        '--criteria',
        'safe-to-deploy',
        '--accept-all',
        '--who',
        'Alice <alice@example.com>',
        '--submit',
        'acme',
        '--key-file',
        keyFile,
        '--token',
        token,
      ],
      { cwd: auditor.dir },
    );
    expect(certify.stderr).toMatch(/Submitted to notary 'acme': log entry \d+ \(receipt verified/);
    expect(certify.stderr).toContain('Recorded a full audit of left-pad:1.3.0');
    expect(certify.code).toBe(0);

    const consumer = project();
    consumer.write(
      'supply-chain/config.toml',
      '\n# cargo-vet config file\n\n[cargo-vet]\nversion = "0.10"\n\n[vet]\necosystem = "npm"\n',
    );
    consumer.write('supply-chain/audits.toml', '\n# cargo-vet audits file\n\n[audits]\n');
    const before = await runVet(['check', '--locked'], { cwd: consumer.dir });
    expect(before.code).toBe(1);
    const imp = await runVet(['import', 'acme', '--notary', notary.url, '--key', notary.vkey], { cwd: consumer.dir });
    expect(imp.stderr).toContain("Imported 'acme': 1 audit");
    expect(imp.code).toBe(0);
    expect(consumer.read('supply-chain/config.toml')).toContain('[imports.acme');
    const after = await runVet(['check', '--locked'], { cwd: consumer.dir });
    expect(after.stdout).toContain('Vetting Succeeded (1 fully audited)');
    expect(after.code).toBe(0);

    // Client policy: approvals from 2 of 2 notaries. A second notary that has approved nothing
    // is imported; one notary's approval no longer suffices.
    const other = await startRealNotary();
    try {
      expect(
        (await runVet(['import', 'other', '--notary', other.url, '--key', other.vkey], { cwd: consumer.dir })).code,
      ).toBe(0);
    } finally {
      await other.close();
    }
    consumer.write(
      'supply-chain/config.toml',
      consumer.read('supply-chain/config.toml') +
        '\n[vet.require-notaries]\nimports = ["acme", "other"]\nthreshold = 2\n',
    );
    const fmt = await runVet(['fmt'], { cwd: consumer.dir });
    expect(fmt.stderr).toBe('');
    expect(fmt.code).toBe(0);
    const strict = await runVet(['check', '--locked'], { cwd: consumer.dir });
    expect(strict.stderr).toBe('');
    expect(strict.stdout).toContain('left-pad:1.3.0 approved by 1 of 2 needed (acme) for ["safe-to-deploy"]');
    // Once printed "Vetting Succeeded" (and "conclusion": "success") next to the shortfall.
    expect(strict.stdout).toMatch(/^Vetting Failed! \(notary quorum\)\n/);
    expect(strict.code).toBe(1);
    const strictJson = await runVet(['check', '--locked', '--output-format', 'json'], { cwd: consumer.dir });
    expect(JSON.parse(strictJson.stdout)).toMatchObject({
      conclusion: 'fail (notary quorum)',
      notary_quorum_failures: [{ name: 'left-pad', version: '1.3.0', approved_by: ['acme'], threshold: 2 }],
    });
    expect(strictJson.code).toBe(1);
  });

  it('a notary checkpoint signed by another key is refused: exit 1, nothing written', async () => {
    const consumer = project();
    await runVet(['init'], { cwd: consumer.dir });
    const config = consumer.read('supply-chain/config.toml');
    const lock = consumer.read('supply-chain/imports.lock');
    const wrong = generateNoteSigner(new URL(notary.url).host).verifierKey;
    const r = await runVet(['import', 'acme', '--notary', notary.url, '--key', wrong], { cwd: consumer.dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \(security\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(consumer.read('supply-chain/config.toml')).toBe(config);
    expect(consumer.read('supply-chain/imports.lock')).toBe(lock);
  });
});

describe('vet revoke', () => {
  it('the auditor withdraws their approval (signed, receipt verified); consumers then fail, naming the revocation', async () => {
    const own = await startRealNotary();
    try {
      const auditor = project();
      expect((await runVet(['init'], { cwd: auditor.dir })).code).toBe(0);
      const keyFile = path.join(auditor.dir, 'alice.key');
      expect((await runVet(['auditor', 'keygen', '--out', keyFile], { cwd: auditor.dir })).code).toBe(0);
      const key = await readAuditorKey(keyFile);
      const { token } = await addAuditor(own.dir, { name: 'Alice <alice@example.com>', publicKey: key.publicKey });
      const importAcme = (dir: string) =>
        runVet(['import', 'acme', '--notary', own.url, '--key', own.vkey], { cwd: dir });
      expect((await importAcme(auditor.dir)).code).toBe(0);
      const submit = ['--submit', 'acme', '--key-file', keyFile, '--token', token];
      const certify = await runVet(
        [
          'certify',
          'left-pad',
          '1.3.0',
          '--criteria',
          'safe-to-deploy',
          '--accept-all',
          '--who',
          'Alice <alice@example.com>',
          ...submit,
        ],
        { cwd: auditor.dir },
      );
      expect(certify.code).toBe(0);
      const approvalEntry = Number(/log entry (\d+)/.exec(certify.stderr)![1]);

      const consumer = project();
      consumer.write(
        'supply-chain/config.toml',
        '\n# cargo-vet config file\n\n[cargo-vet]\nversion = "0.10"\n\n[vet]\necosystem = "npm"\n',
      );
      consumer.write('supply-chain/audits.toml', '\n# cargo-vet audits file\n\n[audits]\n');
      expect((await importAcme(consumer.dir)).code).toBe(0);
      expect((await runVet(['check', '--locked'], { cwd: consumer.dir })).code).toBe(0);

      const revoke = ['revoke', 'left-pad', '1.3.0', '--notary', 'acme', '--key-file', keyFile, '--token', token];
      const r = await runVet([...revoke, '--reason', 'found a backdoor'], { cwd: auditor.dir });
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(
        new RegExp(
          `^Revoked the approval of left-pad:1\\.3\\.0 \\["safe-to-deploy"\\] \\(log entry ${approvalEntry}\\) in notary 'acme': revocation is log entry (\\d+) \\(receipt verified, saved to .*\\.tlog-proof\\)\\.\\n$`,
        ),
      );
      expect(r.code).toBe(0);
      const revocationEntry = Number(/revocation is log entry (\d+)/.exec(r.stdout)![1]);

      // Nothing left to revoke: a clear error, no stack trace.
      const again = await runVet(revoke, { cwd: auditor.dir });
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(
        /^error: notary 'acme' holds no unrevoked approval of left-pad:1\.3\.0 signed with your key/,
      );

      const check = await runVet(['check'], { cwd: consumer.dir });
      expect(check.stdout).toContain(
        `left-pad:1.3.0 missing ["safe-to-deploy"] (the approval of 1.3.0 by Alice <alice@example.com> in notary 'acme' was revoked by log entry ${revocationEntry})`,
      );
      expect(check.code).toBe(1);
      expect((await runVet(['check', '--locked'], { cwd: consumer.dir })).code).toBe(1);
    } finally {
      await own.close();
    }
  });
});
