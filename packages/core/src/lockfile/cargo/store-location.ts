/**
 * Where the supply-chain store lives (spec/cargo-vet-format.md §1): `<workspace root>/supply-chain`
 * unless the root manifest sets `[workspace.metadata.vet] store = { path = … }` or
 * `[package.metadata.vet] store = { path = … }` (both `metadata.vet` tables at once is an
 * error, even when only one sets a path — upstream checks the tables' presence), unless
 * `--store-path` is given. A relative `store.path` is taken against the process working
 * directory, not the manifest's directory (upstream behaviour, spec §14 trap 19).
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { VetError } from '../../errors.js';
import { lineOfKey } from './manifest.js';
import { isTable, parseTomlFile, tableAt, type TomlTable } from './toml.js';

export interface FindCargoStoreOptions {
  /** Directory of the root manifest; defaults to `cwd`. */
  workspaceRoot?: string;
  /** For messages; defaults to "Cargo.toml". */
  fileName?: string;
  /** `--store-path`: wins over everything (relative to cwd). */
  storePathArg?: string;
}

/**
 * Absolute store directory. The third argument may also be the root manifest's path: it then
 * names the file in messages and, when absolute, its directory is the workspace root.
 */
export function findCargoStore(
  rootManifestText: string,
  cwd: string,
  options: FindCargoStoreOptions | string = {},
): string {
  const opts = typeof options === 'string' ? manifestPathOptions(options) : options;
  const fileName = opts.fileName ?? 'Cargo.toml';
  if (opts.storePathArg !== undefined) return resolve(cwd, opts.storePathArg);
  const doc = parseTomlFile(rootManifestText, fileName);
  const fromWorkspace = vetStorePath(tableAt(doc, 'workspace'), '[workspace.metadata.vet]', rootManifestText, fileName);
  const fromPackage = vetStorePath(tableAt(doc, 'package'), '[package.metadata.vet]', rootManifestText, fileName);
  if (fromWorkspace.present && fromPackage.present) {
    throw new VetError('INVALID_ARGUMENT', 'both a workspace and a package define [metadata.vet]; keep one', {
      file: fileName,
      line: lineOfKey(rootManifestText, 'package.metadata.vet') ?? lineOfKey(rootManifestText, 'vet'),
      hint: 'remove one of the two tables from the root Cargo.toml',
    });
  }
  const configured = fromPackage.path ?? fromWorkspace.path;
  if (configured === undefined) return resolve(opts.workspaceRoot ?? cwd, 'supply-chain');
  return isAbsolute(configured) ? configured : resolve(cwd, configured);
}

function manifestPathOptions(manifestPath: string): FindCargoStoreOptions {
  return isAbsolute(manifestPath)
    ? { fileName: manifestPath, workspaceRoot: dirname(manifestPath) }
    : { fileName: manifestPath };
}

/** Whether `owner` has a `metadata.vet` table, and its validated `store.path`. */
function vetStorePath(
  owner: TomlTable | undefined,
  where: string,
  text: string,
  file: string,
): { present: boolean; path?: string } {
  const meta = owner ? tableAt(owner, 'metadata') : undefined;
  const vet = meta?.['vet'];
  if (vet === undefined) return { present: false };
  const bad = (message: string) =>
    new VetError('PARSE_ERROR', `${where}: ${message}`, {
      file,
      line: lineOfKey(text, 'store') ?? lineOfKey(text, 'vet'),
    });
  if (!isTable(vet)) throw bad('must be a table');
  const store = vet['store'];
  if (store === undefined) return { present: true };
  if (!isTable(store)) throw bad('`store` must be a table like { path = "supply-chain" }');
  const path = store['path'];
  if (path === undefined) return { present: true };
  if (typeof path !== 'string' || path === '') throw bad('`store.path` must be a non-empty string');
  return { present: true, path };
}
