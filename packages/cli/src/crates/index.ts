// Public surface of the crates registry client: Cargo configuration and state, the sparse index, fetching, crate facts.
export { resolveCratesIndex, loadCratesIndex, cargoConfigCandidates } from './config.js';
export type { CargoConfigText, CratesIndexConfig } from './config.js';
export {
  indexPath as crateIndexPath,
  parseIndexFile as parseCrateIndexFile,
  downloadUrl as crateDownloadUrl,
} from './sparse-index.js';
export type { IndexRecord as CrateIndexRecord } from './sparse-index.js';
export { createCratesClient } from './client.js';
export { loadCratesRegistry, noRegistryError, CRATES_HINTS, CRATES_SETTING } from './registry.js';
export type { CratesRegistry } from './registry.js';
export { cargoHomeOf, findCargoIndexDir, readCachedIndexEntry } from './cargo-home.js';
export type { CargoIndexDir, LockedCrate } from './cargo-home.js';
export type { CratesClient, CrateRelease } from './client.js';
export { fetchCrateTree } from './inspect.js';
export type { CrateTree } from './inspect.js';
export { cratePublisherRows, cratesNeedingPublishers, mergeCratePublisherRows } from './publishers.js';
export type { CrateVersionInfo } from './client.js';
export { readCargoGraph } from './facts.js';
export type { CargoGraphOptions } from './facts.js';
export { crateFactsFromArchive } from './crate-manifest.js';
