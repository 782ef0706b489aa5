// Public surface of the PyPI lockfile readers (spec lockfiles.md §6–10).
export type { PythonLockGraph, UnlockedRequirement } from './graph-builder.js';
export { pythonNodeId } from './graph-builder.js';
export { normalizePypiName, pypiFileKind, parseHashSpec as parsePypiHashSpec } from './names.js';
export { evaluateMarker as evaluatePythonMarker, parseMarker as parsePythonMarker } from './markers.js';
export type { MarkerSets as PythonMarkerSets, Tri as PythonMarkerValue } from './markers.js';
export {
  parseRequirementsTxt,
  isDevRequirementsFile,
  requirementsIncludes,
  resolveRequirementsInclude,
} from './requirements.js';
export type { RequirementsOptions } from './requirements.js';
export { parseDistFileName as parsePythonDistFileName } from './requirement-spec.js';
export { parsePoetryLock } from './poetry.js';
export { parseUvLock } from './uv.js';
export { parsePipfileLock } from './pipfile.js';
export type { PipfileLockOptions } from './pipfile.js';
export { parsePylock } from './pylock.js';
export { devOnlyIds as pythonDevOnlyIds } from './walk.js';
// PEP 440 beyond the VersionScheme (the version module exports only `pep440Scheme`).
export {
  parsePep440,
  formatPep440,
  comparePep440,
  comparePep440Versions,
  isPep440Prerelease,
  parsePep440Specifier,
  parsePep440Specifiers,
  pep440Satisfies,
} from '../../version/pep440.js';
export type { Pep440Version, Pep440Specifier, Pep440Operator, Pep440MatchOptions } from '../../version/pep440.js';
