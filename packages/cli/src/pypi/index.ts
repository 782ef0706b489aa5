// Public surface of the PyPI registry client (spec lockfiles.md §12.2, §12.4, §14).
export {
  loadPypiIndex,
  resolvePypiIndex,
  configuredPypiIndex,
  pypiConfigCandidates,
  normalizeIndexUrl as normalizePypiIndexUrl,
} from './config.js';
export type {
  PypiIndexConfig,
  ConfigFileText as PypiConfigFileText,
  LoadIndexOptions as PypiLoadIndexOptions,
} from './config.js';
export { createPypiClient } from './client.js';
export type { PypiClient, PypiClientOptions, PypiFile, PypiProject } from './client.js';
export { parseSimpleProject, parseJsonApiRelease, filesOfVersion as pypiFilesOfVersion } from './simple-api.js';
export { verifyPypiBytes, lockHashesFor as pypiLockHashesFor } from './verify.js';
export type { Verified as PypiVerified } from './verify.js';
export { extractZip } from './zip.js';
export type { ZipExtractOptions } from './zip.js';
export { inspectPypi, choosePypiFile, archiveKind as pypiArchiveKind } from './inspect.js';
export type { InspectPypiOptions, InspectPypiResult } from './inspect.js';
export { pypiYanked, yankStateOf as pypiYankStateOf } from './yanked.js';
export type { PypiYankState } from './yanked.js';
export { diffPypi, diffPypiTrees, pypiComparePath } from './diff.js';
export type { DiffPypiOptions, PypiDiff, PypiDiffResult, PypiDiffStat, PypiFileChange } from './diff.js';
export { openPypiClients, recordedIndex as recordedPypiIndex } from './indexes.js';
export type { PypiClients } from './indexes.js';
export { askPythonToolsForIndex, pipHelpIndex, uvHelpIndex } from './tool-defaults.js';
