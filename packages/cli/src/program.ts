/**
 * The `vet` command line (commander). Commands throw; `main` maps errors to messages and
 * exit codes in one place and never lets a stack trace reach a user for bad input.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import path from 'node:path';
import { VetError, parsePlatforms, type Ecosystem } from '@vet/core';
import type { GlobalOptions } from './context.js';
import { EXIT_BAD_INPUT, EXIT_OK, exitCodeFor, renderErrorHuman, renderErrorJson } from './exit-codes.js';
import { processIO, type CommandIO } from './io.js';
import { registerAuditorCommand } from './commands/auditor.js';
import { registerCacheCommand } from './commands/cache.js';
import { registerRevokeCommand } from './commands/revoke.js';
import { setCacheMaxFlag } from './registry/cache-limit.js';
import { asIoError, checkCacheDir } from './fs-errors.js';
import { addExamples } from './help-examples.js';
import { CI_FORMATS, baseOptions, ciFormatOption } from './commands/check-options.js';

export const VERSION = '0.1.0';

type Runner = (g: GlobalOptions, io: CommandIO) => Promise<number>;

// Commands load on first use: `vet check` must not pay for the HTTP client, tar and diff.
const load = {
  check: () => import('./commands/check.js'),
  init: () => import('./commands/init.js'),
  certify: () => import('./commands/certify.js'),
  exemption: () => import('./commands/exemption.js'),
  prune: () => import('./commands/prune.js'),
  regenerate: () => import('./commands/regenerate.js'),
  fmt: () => import('./commands/fmt.js'),
  why: () => import('./commands/why.js'),
  inspectDiff: () => import('./commands/inspect-diff.js'),
  suggest: () => import('./commands/suggest.js'),
  trust: () => import('./commands/trust.js'),
  import: () => import('./commands/import.js'),
};

function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

const PLATFORM_FLAG = '--platform <os-cpu[-libc]>';
const PLATFORM_HELP =
  'vet only what installs on this platform, e.g. linux-x64-glibc, darwin-arm64, win32-x64 (repeatable; overrides [vet] platforms)';

export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<Record<string, unknown>>();
  const cwd = path.resolve(typeof o['cwd'] === 'string' ? o['cwd'] : process.cwd());
  setCacheMaxFlag(typeof o['cacheMax'] === 'string' ? o['cacheMax'] : undefined);
  checkCacheDir(typeof o['cacheDir'] === 'string' ? o['cacheDir'] : undefined);
  return {
    cwd,
    locked: o['locked'] === true || o['frozen'] === true,
    frozen: o['frozen'] === true,
    outputFormat: o['outputFormat'] === 'json' ? 'json' : 'human',
    ...ciFormatOption(cmd, o['outputFormat']),
    ...(typeof o['storePath'] === 'string' ? { storePath: o['storePath'] } : {}),
    ...(typeof o['lockfile'] === 'string'
      ? { lockfile: o['lockfile'] }
      : typeof o['manifestPath'] === 'string'
        ? // cargo-vet's --manifest-path names the workspace; its Cargo.lock sits beside it.
          { lockfile: path.join(path.dirname(path.resolve(cwd, o['manifestPath'])), 'Cargo.lock') }
        : {}),
    ...(typeof o['ecosystem'] === 'string' ? { ecosystem: o['ecosystem'] as Ecosystem } : {}),
    ...(typeof o['outputFile'] === 'string' ? { outputFile: o['outputFile'] } : {}),
    ...(typeof o['cacheDir'] === 'string' ? { cacheDir: o['cacheDir'] } : {}),
    ...(typeof o['verbose'] === 'string' ? { verbose: o['verbose'] } : {}),
    ...(Array.isArray(o['platform']) ? { platforms: parsePlatforms(o['platform'] as string[]) } : {}),
  };
}

export function buildProgram(io: CommandIO, setExit: (code: number) => void): Command {
  const program = new Command('vet');
  const run = (fn: (g: GlobalOptions, cmd: Command) => Promise<number>) =>
    async function (this: Command) {
      setExit(await fn(globalOptions(this), this));
    };
  const simple = (r: Runner) => run((g) => r(g, io));
  // Set before subcommands are added: commander copies both settings into each of them.
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  // Each command's help lists the options that apply to it: its own and the global ones.
  program.configureHelp({ showGlobalOptions: true, sortSubcommands: false });
  program.showSuggestionAfterError(true);

  program
    .description('Vet third-party packages: every npm, PyPI and Cargo dependency audited, exempted, or trusted')
    .version(VERSION)
    .option('--cwd <dir>', 'run as if started in <dir>')
    .option('--lockfile <path>', 'the lockfile to vet (default: detected in the project directory)')
    .addOption(new Option('--ecosystem <name>', 'only this ecosystem').choices(['npm', 'pypi', 'cargo']))
    .option('--store-path <dir>', 'the supply-chain store (default: supply-chain/ next to the lockfile)')
    .option('--manifest-path <path>', 'Cargo.toml of the workspace (cargo-vet compatibility)')
    .option('--locked', 'do not fetch imports or registry data; imports.lock is the truth')
    .option('--frozen', 'like --locked, and no network access at all')
    .addOption(
      new Option('--output-format <format>', 'human or json; check also: github, sarif, markdown')
        .choices(['human', 'json', ...CI_FORMATS])
        .default('human'),
    )
    .option('--output-file <path>', 'write the report to a file instead of stdout')
    .option('--cache-dir <dir>', 'cache for downloaded packages (default: $XDG_CACHE_HOME/vet)')
    .option('--cache-max <size>', 'cache size limit, least recently used evicted first (default: 2GiB)')
    .addOption(
      new Option('--verbose <level>', 'accepted for cargo-vet compatibility').choices([
        'off',
        'error',
        'warn',
        'info',
        'debug',
        'trace',
      ]),
    )
    .addOption(new Option('--current-time <time>', 'pretend it is this time (RFC 3339)').hideHelp())
    .showHelpAfterError('(run vet --help for usage)');

  program
    .command('check', { isDefault: true })
    .description('check that every third-party package is vetted')
    .option('--base <git-ref>', 'pull-request view: only what changed since the lockfile at this git ref')
    .option('--base-lockfile <path>', 'pull-request view against this lockfile')
    .option(PLATFORM_FLAG, PLATFORM_HELP, collect)
    // `vet chek` reaches the default command with an argument: answer as for an unknown command.
    .allowExcessArguments(true)
    .action(
      run(async (g, c) => {
        if (c.args.length > 0) unknownCommand(program, c.args[0]!);
        return (await load.check()).runCheck(g, io, baseOptions(c));
      }),
    );
  program
    .command('init')
    .description('create the store, exempting what the lockfile has now')
    .action(simple(async (g, io) => (await load.init()).runInit(g, io)));
  program
    .command('certify')
    .description('record an audit: full (<version>) or delta (<version> <version2>)')
    .argument('<package>')
    .argument('<version>')
    .argument('[version2]')
    .option('--criteria <names>', 'criteria certified (repeatable or comma-separated)', collect)
    .option('--who <name>', 'who audited (default: git config user.name <user.email>)', collect)
    .option('--notes <text>', 'notes for the audit record')
    .option('--accept-all', 'do not ask for confirmation')
    .option(
      '--force',
      'record even if the package is not a dependency, or the registry does not publish the version (or cannot be asked)',
    )
    .option('--submit <notary>', 'also sign the audit and submit it to this notary (import name or URL)')
    .option('--key-file <path>', 'auditor signing key for --submit (default: the one `vet auditor keygen` wrote)')
    .option('--token <token>', 'bearer token for --submit (default: $VET_NOTARY_TOKEN)')
    .action(
      run((g, c) => {
        const [pkg, version, version2] = c.args as [string, string, string | undefined];
        const o = c.opts<{
          criteria?: string[];
          who?: string[];
          notes?: string;
          acceptAll?: boolean;
          force?: boolean;
          submit?: string;
          keyFile?: string;
          token?: string;
        }>();
        return load
          .certify()
          .then((m) => m.runCertify(g, io, { pkg, version, ...(version2 ? { version2 } : {}), ...o }));
      }),
    );
  program
    .command('add-exemption')
    .description('accept a package version without an audit')
    .argument('<package>')
    .argument('<version>')
    .option('--criteria <names>', 'criteria (default: default-criteria, else safe-to-deploy)', collect)
    .option('--notes <text>', 'why it is exempted')
    .option('--no-suggest', 'never suggest auditing it')
    .option('--force', 'add even if the version is not in the lockfile')
    .action(
      run((g, c) => {
        const [pkg, version] = c.args as [string, string];
        const o = c.opts<{ criteria?: string[]; notes?: string; suggest?: boolean; force?: boolean }>();
        return load
          .exemption()
          .then((m) => m.runAddExemption(g, io, { pkg, version, ...o, noSuggest: o.suggest === false }));
      }),
    );
  program
    .command('record-violation')
    .description('record that versions matching a requirement violate criteria')
    .argument('<package>')
    .argument('<requirement>')
    .option('--criteria <names>', 'criteria violated', collect)
    .option('--who <name>', 'who found it', collect)
    .option('--notes <text>', 'what is wrong')
    .option('--force', 'record even if the package is not a dependency')
    .action(
      run((g, c) => {
        const [pkg, requirement] = c.args as [string, string];
        return load.exemption().then((m) => m.runRecordViolation(g, io, { ...c.opts(), pkg, requirement }));
      }),
    );
  program
    .command('prune')
    .description('remove exemptions that are no longer needed')
    .action(simple(async (g, io) => (await load.prune()).runPrune(g, io)));
  program
    .command('regenerate')
    .description('regenerate parts of the store: `exemptions` makes check pass with the fewest exemptions')
    .addArgument(new Argument('<what>').choices(['exemptions']))
    .action(simple(async (g, io) => (await load.regenerate()).runRegenerateExemptions(g, io)));
  program
    .command('fmt')
    .description('rewrite the store in canonical form')
    .action(simple(async (g, io) => (await load.fmt()).runFmt(g, io)));
  program
    .command('why')
    .description('show every dependency chain from the project to a package')
    .argument('<package>')
    .argument('[version]')
    .action(run((g, c) => load.why().then((m) => m.runWhy(g, io, c.args[0]!, c.args[1]))));
  program
    .command('suggest')
    .description('suggest the cheapest audits that would vet everything')
    .option('--base <git-ref>', 'only for what changed since the lockfile at this git ref')
    .option('--base-lockfile <path>', 'only for what changed since this lockfile')
    .option(PLATFORM_FLAG, PLATFORM_HELP, collect)
    .action(run(async (g, c) => (await load.suggest()).runSuggest(g, io, baseOptions(c))));
  program
    .command('inspect')
    .description('fetch, verify and unpack a release for a full audit; prints its path')
    .argument('<package>')
    .argument('<version>')
    .addOption(
      new Option('--mode <mode>', 'print the path, or open a shell there').choices(['print', 'shell']).default('print'),
    )
    .action(
      run((g, c) =>
        load.inspectDiff().then((m) => m.runInspect(g, io, c.args[0]!, c.args[1]!, c.opts<{ mode: string }>().mode)),
      ),
    );
  program
    .command('diff')
    .description('show what changed between two releases of a package')
    .argument('<package>')
    .argument('<version1>')
    .argument('<version2>')
    .option('--stat', 'only a diffstat: files changed, insertions, deletions')
    .option('--no-pager', 'do not page the output')
    .action(
      run((g, c) =>
        load
          .inspectDiff()
          .then((m) =>
            m.runDiff(g, io, c.args[0]!, c.args[1]!, c.args[2]!, c.opts<{ stat?: boolean; pager?: boolean }>()),
          ),
      ),
    );
  program
    .command('trust')
    .description('trust the versions of a package published by an npm user')
    .argument('[package]')
    .argument(
      '[publisher]',
      "npm user name (the registry's _npmUser); default: the one who published the versions in use",
    )
    .option('--all <publisher>', 'trust every failing or exempted package published only by this npm user')
    .option('--allow-multiple-publishers', 'with --all: also packages this user published only some versions of')
    .option('--criteria <names>', 'criteria (default safe-to-deploy)', collect)
    .option('--start-date <date>', 'YYYY-MM-DD (default: the first version that user published)')
    .option('--end-date <date>', 'YYYY-MM-DD, exclusive (default: 12 months from today)')
    .option('--notes <text>', 'why')
    .action(
      run((g, c) => {
        const o = c.opts<{
          all?: string;
          allowMultiplePublishers?: boolean;
          criteria?: string[];
          startDate?: string;
          endDate?: string;
          notes?: string;
        }>();
        return load.trust().then((m) =>
          m.runTrust(g, io, {
            ...o,
            ...(c.args[0] !== undefined && { pkg: c.args[0] }),
            ...(c.args[1] !== undefined && { publisher: c.args[1] }),
          }),
        );
      }),
    );
  program
    .command('import')
    .description('use the audits of a peer: an audits.toml URL, or a notary')
    .argument('<name>')
    .argument('[url...]')
    .option('--notary <url>', 'import from a notary at this URL (verified)')
    .option('--key <vkey>', "the notary's verifier key")
    .option('--max-age <duration>', 'refuse a notary checkpoint older than this (e.g. 7d; needs witnesses)')
    .option('--witness <vkey>', 'a witness whose cosignature counts (repeatable)', collect)
    .option('--witness-quorum <k>', 'how many witnesses must cosign (default: all)')
    .option('--criteria-map <theirs=ours>', 'map their criteria to ours (repeatable)', collect)
    .option('--exclude <package>', 'ignore their audits of this package (repeatable)', collect)
    .action(
      run((g, c) => {
        const o = c.opts<{
          notary?: string;
          key?: string;
          maxAge?: string;
          witness?: string[];
          witnessQuorum?: string;
          criteriaMap?: string[];
          exclude?: string[];
        }>();
        return load.import().then((m) => m.runImport(g, io, { ...o, name: c.args[0]!, urls: c.args.slice(1) }));
      }),
    );
  registerAuditorCommand(program, io, run);
  registerCacheCommand(program, io, run);
  registerRevokeCommand(program, io, run);
  addExamples(program);
  return program;
}

/** commander's own "unknown command 'x' (Did you mean y?)", which it skips when a default command exists. */
function unknownCommand(program: Command, name: string): never {
  const p = program as unknown as { args: string[]; unknownCommand(): never };
  p.args = [name];
  return p.unknownCommand();
}

/**
 * `--current-time T` or `--current-time=T`, checked before anything runs (bin.ts reads it to
 * build the clock). Undefined when absent; a missing or unparsable value is an error.
 */
export function parseCurrentTime(argv: readonly string[]): Date | undefined {
  const i = argv.findIndex((a) => a === '--current-time' || a.startsWith('--current-time='));
  if (i < 0) return undefined;
  const arg = argv[i]!;
  const raw = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  const t = raw === undefined || raw.startsWith('--') ? NaN : Date.parse(raw);
  if (Number.isNaN(t)) {
    throw new VetError(
      'INVALID_ARGUMENT',
      raw === undefined ? '--current-time needs a value' : `--current-time ${raw} is not an RFC 3339 time`,
      { hint: 'e.g. --current-time 2024-01-31T12:00:00Z' },
    );
  }
  return new Date(t);
}

/** Run the CLI; resolves to the exit code. Never throws. */
export async function main(argv: string[], io: CommandIO = processIO()): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram(io, (c) => (code = c));
  const wantsJson = argv.some(
    (a, i) => a === '--output-format=json' || (a === '--output-format' && argv[i + 1] === 'json'),
  );
  try {
    parseCurrentTime(argv);
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      return thrown.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT;
    }
    const e = asIoError(thrown);
    io.err(wantsJson ? '' : renderErrorHuman(e));
    if (wantsJson) io.out(renderErrorJson(e));
    return exitCodeFor(e);
  }
}
