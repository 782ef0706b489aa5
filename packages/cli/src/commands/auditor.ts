/**
 * `vet auditor keygen [--out PATH]`: create an auditor's personal signing key (0600) and
 * print what the notary operator needs to register it (keyid and public key).
 */
import type { Command } from 'commander';
import type { GlobalOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { defaultAuditorKeyPath, writeNewAuditorKey } from '../notary/auditor-key.js';

type RunWrapper = (fn: (g: GlobalOptions, cmd: Command) => Promise<number>) => (this: Command) => Promise<void>;

export function registerAuditorCommand(program: Command, io: CommandIO, run: RunWrapper): void {
  const auditor = program.command('auditor').description('manage your auditor identity for notaries');
  auditor
    .command('keygen')
    .description('create an Ed25519 signing key for submitting audits to notaries')
    .option('--out <path>', 'where to write the key (default: $XDG_CONFIG_HOME/vet/auditor.key)')
    .action(run((g, cmd) => runAuditorKeygen(g, io, cmd.opts<{ out?: string }>().out)));
}

export async function runAuditorKeygen(g: GlobalOptions, io: CommandIO, out?: string): Promise<number> {
  const file = out === undefined ? defaultAuditorKeyPath(io.env) : out.startsWith('/') ? out : `${g.cwd}/${out}`;
  const key = await writeNewAuditorKey(file);
  const publicKey = Buffer.from(key.publicKey).toString('base64');
  if (g.outputFormat === 'json') io.out(JSON.stringify({ keyFile: file, keyid: key.keyid, publicKey }, null, 2) + '\n');
  else {
    io.out(`keyid:      ${key.keyid}\npublic key: ${publicKey}\n`);
    io.err(`Wrote ${file} (mode 0600). Give the keyid and public key to the notary operator; keep the file secret.\n`);
  }
  return EXIT_OK;
}
