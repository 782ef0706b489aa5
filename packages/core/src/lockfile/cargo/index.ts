// Cargo dependency graph: Cargo.lock + manifests → the graph cargo-vet gets from `cargo metadata`.
export { parseCargoLock, parseCargoDepRef } from './lock.js';
export type { CargoLock, CargoLockPackage, CargoLockDepRef } from './lock.js';
export { parseCargoManifest } from './manifest.js';
export type { CargoManifest, CargoDepDecl, CargoDepKind, CargoPatchDecl, CargoWorkspaceTable } from './manifest.js';
export { parseCargoConfig } from './config.js';
export type { CargoConfig, CargoConfigFile } from './config.js';
export { buildCargoGraph } from './build.js';
export type { BuildCargoGraphInput } from './build.js';
export { cargoManifestHasLib, staticCrateFacts } from './facts.js';
export type { CrateFacts, CrateFactsProvider } from './facts.js';
export { findCargoStore } from './store-location.js';
export type { FindCargoStoreOptions } from './store-location.js';
export { defaultRegistrySources } from './default-registry.js';
export type { DefaultRegistryInput } from './default-registry.js';
export { cargoPlatformMatches } from './cfg.js';
