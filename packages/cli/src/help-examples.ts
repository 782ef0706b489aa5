/**
 * Examples shown under each command's `--help` (issue 10: `vet check --help` listed no
 * options). Keyed by the command's path ("cache clean"); every command has an entry, which
 * the help test enforces.
 */
import type { Command } from 'commander';

const EXAMPLES: ReadonlyMap<string, readonly string[]> = new Map([
  ['vet', ['vet init', 'vet check', 'vet check --locked --output-format json']],
  [
    'check',
    [
      'vet check',
      'vet check --locked --base origin/main --output-format github',
      'vet check --locked --platform linux-x64-glibc --output-format json --output-file vet-report.json',
    ],
  ],
  ['init', ['vet init', 'vet --lockfile frontend/pnpm-lock.yaml init']],
  [
    'certify',
    [
      'vet certify left-pad 1.3.0 --criteria safe-to-deploy',
      "vet certify left-pad 1.3.0 1.3.1 --accept-all --who 'Alice <alice@example.com>' --notes 'whitespace only'",
    ],
  ],
  ['add-exemption', ['vet add-exemption left-pad 1.3.1', "vet add-exemption left-pad 1.3.1 --notes 'vendored'"]],
  [
    'record-violation',
    [
      "vet record-violation left-pad '>=1.3.2' --criteria safe-to-deploy --notes 'malware'",
      "vet record-violation event-stream '=3.3.6' --criteria safe-to-run --who 'Alice <alice@example.com>'",
    ],
  ],
  ['prune', ['vet prune', 'vet --lockfile frontend/pnpm-lock.yaml prune']],
  ['regenerate', ['vet regenerate exemptions', 'vet --ecosystem pypi regenerate exemptions']],
  ['fmt', ['vet fmt', 'vet --store-path supply-chain/npm fmt']],
  ['why', ['vet why left-pad', 'vet why left-pad 1.3.1']],
  [
    'suggest',
    ['vet suggest', 'vet suggest --base origin/main', 'vet suggest --platform linux-x64-glibc --output-format json'],
  ],
  ['inspect', ['vet inspect left-pad 1.3.1', 'vet inspect left-pad 1.3.1 --mode shell']],
  ['diff', ['vet diff left-pad 1.3.0 1.3.1', 'vet diff left-pad 1.3.0 1.3.1 --stat']],
  ['trust', ['vet trust left-pad alice', 'vet trust --all alice --criteria safe-to-deploy']],
  [
    'import',
    ['vet import peer https://example.com/supply-chain/audits.toml', 'vet import acme --notary URL --key VKEY'],
  ],
  ['auditor', ['vet auditor keygen', 'vet auditor keygen --out ./alice.key']],
  ['auditor keygen', ['vet auditor keygen', 'vet auditor keygen --out ./alice.key']],
  ['cache', ['vet cache info', 'vet cache clean']],
  ['cache info', ['vet cache info', 'vet cache info --cache-dir /tmp/vet-cache']],
  ['cache clean', ['vet cache clean', 'vet cache clean --cache-dir /tmp/vet-cache']],
  [
    'revoke',
    [
      "vet revoke left-pad 1.3.0 --notary acme --reason 'audited the wrong tarball'",
      "vet revoke left-pad 1.3.0 --notary https://notary.example.com --key-file ./alice.key --reason 'mistake'",
    ],
  ],
]);

function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.length === 0 ? cmd.name() : names.join(' ');
}

/** Add "Examples:" after the help of `cmd` and every command under it. */
export function addExamples(cmd: Command): void {
  const examples = EXAMPLES.get(pathOf(cmd));
  if (examples !== undefined) {
    const text = `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`;
    cmd.addHelpText('after', text);
  }
  for (const sub of cmd.commands) addExamples(sub);
}
