import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEd25519KeyPair, generateNoteSigner } from '@vet/core';
import { tempDir } from '@vet/test-support/notary-harness';
import { runCli } from './main.js';

const { dir: root, cleanup } = tempDir('vet-notary-cli-');
afterAll(cleanup);

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), untilSignal: async () => {} });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('operator CLI', () => {
  const dir = join(root, 'n');
  const pk = Buffer.from(generateEd25519KeyPair().publicKey).toString('base64');

  it('init, refuses a second init over the same log', async () => {
    const r = await cli('init', dir, '--origin', 'cli.test/log');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/log key \(publish this\): cli\.test\/log\+[0-9a-f]{8}\+/);
    const again = await cli('init', dir, '--origin', 'cli.test/log');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/error\[STORE_EXISTS\]/);
  });

  it('auditor add logs an admin-signed entry and prints a token; verify passes; remove revokes tokens', async () => {
    const add = await cli('auditor', 'add', dir, '--name', 'Carol', '--public-key', pk, '--json');
    expect(add.code).toBe(0);
    const j = JSON.parse(add.out);
    expect(j.index).toBe(0);
    expect(j.token).toMatch(/^vetn_/);
    expect((await cli('verify', dir)).out).toMatch(/^ok: 1 entries/);
    const rm = await cli('auditor', 'remove', dir, '--name', 'Carol', '--public-key', pk, '--json');
    expect(JSON.parse(rm.out)).toEqual({ index: 1, tokensRevoked: 1 });
  });

  it('rotate-key dual-signs, --finish retires the old key, the log still verifies', async () => {
    const r = JSON.parse((await cli('rotate-key', dir, '--json')).out);
    expect(r.active).toHaveLength(2);
    const f = JSON.parse((await cli('rotate-key', dir, '--finish', '--json')).out);
    expect(f.active).toEqual([r.added]);
    expect(f.retired).toHaveLength(1);
    // The next start re-signs the latest checkpoint with the current keys.
    const add = await cli(
      'auditor',
      'add',
      dir,
      '--name',
      'Dan',
      '--public-key',
      Buffer.from(generateEd25519KeyPair().publicKey).toString('base64'),
    );
    expect(add.code).toBe(0);
    const v = await cli('verify', dir);
    expect(v.out).toMatch(/^ok: 3 entries/);
  });

  it('backup makes a copy that verifies', async () => {
    const dest = join(root, 'backup');
    expect((await cli('backup', dir, dest)).code).toBe(0);
    expect(existsSync(join(dest, 'notary.db'))).toBe(true);
    const db = new Database(join(dest, 'notary.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM entries').pluck().get()).toBe(3);
    db.close();
  });

  it('verify detects an entry whose stored bytes were altered', async () => {
    const db = new Database(join(dir, 'notary.db'));
    const changed = db
      .prepare(
        `UPDATE entries SET leaf = CAST(replace(CAST(leaf AS TEXT), '"keyid"', '"keyId"') AS BLOB) WHERE idx = 0`,
      )
      .run().changes;
    expect(changed).toBe(1);
    db.close();
    const r = await cli('verify', dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/entry 0: stored leaf hash does not match/);
  });

  it('bad arguments give a clear error and exit code 2', async () => {
    const r = await cli('auditor', 'add', dir, '--name', 'X', '--public-key', 'not-a-key');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/error\[INVALID_ARGUMENT\]: --public-key/);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  it('the built binary runs (`help`), when the package has been built', () => {
    const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
    if (!existsSync(bin)) {
      console.log('skipped: packages/notary-server/dist/bin.js not built (run `pnpm exec tsc -b`)');
      return;
    }
    const r = spawnSync(process.execPath, [bin, 'help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/vet-notary <command>/);
  });
});

describe('usage', () => {
  it('--help prints the commands; an unknown option is a usage error (exit 2), not a crash', async () => {
    const lines: string[] = [];
    const io = {
      out: (l: string) => void lines.push(l),
      err: (l: string) => void lines.push(l),
      untilSignal: () => Promise.resolve(),
    };
    expect(await runCli(['--help'], io)).toBe(0);
    expect(lines.join('\n')).toContain('vet-notary <command>');
    lines.length = 0;
    expect(await runCli(['serve', '--bogus'], io)).toBe(2);
    expect(lines.join('\n')).toMatch(/^error\[INVALID_ARGUMENT\]: Unknown option '--bogus'/);
    expect(lines.join('\n')).not.toContain('internal error');
  });
});

describe('vet-notary witness', () => {
  const wdir = join(root, 'w');

  it('init prints the witness key; add-log follows a log; serve binds and stops; bad input is a usage error', async () => {
    const init = await cli('witness', 'init', wdir, '--name', 'witness.test/cli', '--port', '0', '--json');
    expect(init.code).toBe(0);
    const { vkey } = JSON.parse(init.out) as { vkey: string };
    expect(vkey).toMatch(/^witness\.test\/cli\+[0-9a-f]{8}\+/);
    expect((await cli('witness', 'init', wdir, '--name', 'witness.test/cli')).code).toBe(2);
    const logKey = generateNoteSigner('cli.test/witnessed').verifierKey;
    const add = await cli('witness', 'add-log', wdir, '--origin', 'cli.test/witnessed', '--log-key', logKey, '--json');
    expect(add.code).toBe(0);
    expect(JSON.parse(add.out).logs).toEqual([{ origin: 'cli.test/witnessed', keys: [logKey] }]);
    const notALogKey = await cli('witness', 'add-log', wdir, '--origin', 'x.test/log', '--log-key', vkey);
    expect(notALogKey.code).toBe(2);
    expect(notALogKey.err).toMatch(/type 0x01/);
    const serve = await cli('witness', 'serve', wdir);
    expect(serve.code).toBe(0);
    expect(serve.out).toMatch(/^vet-notary witness witness\.test\/cli\+.* serving at http:\/\/127\.0\.0\.1:\d+$/);
    expect((await cli('witness', 'frobnicate', wdir)).code).toBe(2);
  });
});
