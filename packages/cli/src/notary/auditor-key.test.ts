import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerAuditorCommand } from '../commands/auditor.js';
import type { GlobalOptions } from '../context.js';
import type { CommandIO } from '../io.js';
import { tempDir } from '@vet/test-support/notary-fixtures';
import { auditorKeyIdFor, parseAuditorKey, readAuditorKey } from './auditor-key.js';

const dirs: (() => void)[] = [];
afterAll(() => dirs.forEach((c) => c()));

function program(cwd: string, env: NodeJS.ProcessEnv) {
  let out = '';
  const io: CommandIO = {
    out: (t) => void (out += t),
    err: () => {},
    isTTY: false,
    interactive: false,
    prompt: async () => '',
    now: () => new Date(),
    env,
  };
  const p = new Command('vet').exitOverride();
  const g: GlobalOptions = { cwd, locked: false, frozen: false, outputFormat: 'human' };
  let code = -1;
  registerAuditorCommand(
    p,
    io,
    (fn) =>
      async function (this: Command) {
        code = await fn(g, this);
      },
  );
  return { run: async (args: string[]) => (await p.parseAsync(args, { from: 'user' }), code), out: () => out };
}

describe('vet auditor keygen', () => {
  it('writes a 0600 key to $XDG_CONFIG_HOME/vet/auditor.key, prints keyid and public key, never overwrites', async () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const cli = program(t.dir, { XDG_CONFIG_HOME: join(t.dir, 'cfg') });
    expect(await cli.run(['auditor', 'keygen'])).toBe(0);
    const file = join(t.dir, 'cfg', 'vet', 'auditor.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = await readAuditorKey(file);
    expect(key.keyid).toBe(auditorKeyIdFor(key.publicKey));
    expect(cli.out()).toContain(key.keyid);
    expect(cli.out()).toContain(Buffer.from(key.publicKey).toString('base64'));
    const again = program(t.dir, { XDG_CONFIG_HOME: join(t.dir, 'cfg') });
    await expect(again.run(['auditor', 'keygen'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(readFileSync(file, 'utf8')).toContain(key.keyid); // untouched
  });

  it('a tampered key file is refused without echoing the secret', () => {
    const t = tempDir();
    dirs.push(t.cleanup);
    const good = JSON.stringify({
      format: 'vet-auditor-key/v1',
      keyid: 'vet-auditor:0000000000000000',
      publicKey: 'AA==',
      seed: 'ab'.repeat(32),
    });
    writeFileSync(join(t.dir, 'k'), good);
    expect(() => parseAuditorKey(good, 'k')).toThrow(expect.objectContaining({ code: 'PARSE_ERROR' }));
    try {
      parseAuditorKey(good, 'k');
    } catch (e) {
      expect((e as Error).message).not.toContain('abab');
    }
  });
});
