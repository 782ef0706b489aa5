// Public surface of the store module: parse, write (cargo-vet 0.10.2 canonical form),
// and validate. Reading and committing on disk, under a lock, is in @vet/core/node. Model types come from ./model.ts.
export { parseConfig } from './parse-config.js';
export { parseAudits, type ParseAuditsOptions } from './parse-audits.js';
export { parseImportsLock } from './parse-imports-lock.js';
export {
  sourceLocationOf,
  parseTomlText,
  type ParseOptions as StoreParseOptions,
  type SourceLocation as StoreSourceLocation,
  type StoreWarning,
} from './parse-common.js';
export {
  serializeAudits,
  type SerializeAuditsOptions,
  type SerializeOptions as StoreSerializeOptions,
} from './serialize-audits.js';
export { serializeConfig, serializeImportsLock } from './serialize-config.js';
export { quoteTomlString, quoteTomlStringLegacy, quoteTomlKey } from './toml-string.js';
export { isCanonical, canonicalFirstDifference } from './canonical.js';
export {
  parseStore,
  serializeStore,
  checkStoreFormat,
  CONFIG_TOML,
  AUDITS_TOML,
  IMPORTS_LOCK,
  type StoreFiles,
  type StoreReadOptions,
} from './files.js';
export { validateStore, collectStoreProblems, type ValidateStoreOptions } from './validate.js';
export { checkStoreVersion, MISSING_STORE_VERSION, type StoreVersionCheck } from './store-version.js';
export { compareVetVersions, parseVetVersion, validateVetVersion, type VetVersionParts } from './vet-version.js';
