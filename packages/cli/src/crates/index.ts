// Public surface of the crates registry client: Cargo configuration, the sparse index, fetching.
export { resolveCratesIndex, loadCratesIndex, cargoConfigCandidates } from './config.js';
export type { CargoConfigText, CratesIndexConfig } from './config.js';
export {
  indexPath as crateIndexPath,
  parseIndexFile as parseCrateIndexFile,
  downloadUrl as crateDownloadUrl,
} from './sparse-index.js';
export type { IndexRecord as CrateIndexRecord } from './sparse-index.js';
export { createCratesClient } from './client.js';
export type { CratesClient, CrateRelease } from './client.js';
export { fetchCrateTree } from './inspect.js';
export type { CrateTree } from './inspect.js';
export { cratePublisherRows, cratesNeedingPublishers, mergeCratePublisherRows } from './publishers.js';
export type { CrateVersionInfo } from './client.js';
