/**
 * The texts of the built-in criteria, shown by `vet certify` before it asks.
 * Paraphrased from cargo-vet's definitions (spec/cargo-vet-format.md §6), widened from
 * "crate" to "package" since vet covers npm and PyPI too.
 */
const BUILTIN: Record<string, string> = {
  'safe-to-run':
    'This package can be installed, built, run and tested on a workstation or in CI\n' +
    'without surprising consequences: it does not read or write unrelated or sensitive\n' +
    'files, install software or reconfigure the machine, contact untrusted network\n' +
    'endpoints, or abuse resources (for example by mining cryptocurrency). Install\n' +
    'scripts (preinstall/install/postinstall, setup.py, build.rs) count as running it.',
  'safe-to-deploy':
    'This package will not introduce a serious security vulnerability into production\n' +
    'software exposed to untrusted input. The auditor understands every use of powerful\n' +
    'capabilities (unsafe code, native addons, eval, child processes, file system and\n' +
    'network access) well enough to be confident an attacker cannot exploit them under\n' +
    'reasonable usage; any discretion used is noted. Code that runs at build or install\n' +
    'time, and code the package generates, must meet the same bar.\n' +
    'Implies safe-to-run.',
};

export function builtinCriteriaDescription(name: string): string | undefined {
  return BUILTIN[name];
}
