/**
 * Crate facts (lockfile/cargo/facts.ts) from cargo's local registry cache: the unpacked
 * sources of every crate cargo has built on this machine.
 */
import { existsSync, readdirSync, readFileSync } from './traced-fs.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cargoManifestHasLib, type CrateFacts, type CrateFactsProvider } from '../lockfile/cargo/facts.js';

/**
 * Answers from unpacked sources in `<cargoHome>/registry/src/<index>/<name>-<version>/`
 * (`cargoHome` defaults to $CARGO_HOME, then ~/.cargo). Unknown crates answer undefined.
 */
export function cargoRegistryCrateFacts(cargoHome?: string): CrateFactsProvider {
  const home = cargoHome ?? process.env['CARGO_HOME'] ?? join(homedir(), '.cargo');
  const srcRoot = join(home, 'registry', 'src');
  let indexDirs: string[] | undefined;
  const cache = new Map<string, CrateFacts | undefined>();
  return (name, version) => {
    const key = `${name}@${version}`;
    if (cache.has(key)) return cache.get(key);
    indexDirs ??= listDirs(srcRoot);
    let facts: CrateFacts | undefined;
    for (const index of indexDirs) {
      const dir = join(srcRoot, index, `${name}-${version}`);
      const manifestPath = join(dir, 'Cargo.toml');
      if (!existsSync(manifestPath)) continue;
      const manifest = readFileSync(manifestPath, 'utf8');
      facts = { hasLib: cargoManifestHasLib(manifest, manifestPath, (rel) => existsSync(join(dir, rel))), manifest };
      break;
    }
    cache.set(key, facts);
    return facts;
  };
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}
