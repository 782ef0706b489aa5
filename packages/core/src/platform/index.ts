export {
  PLATFORM_CPUS,
  PLATFORM_FORMS,
  PLATFORM_LIBCS,
  PLATFORM_OSES,
  parsePlatforms,
  platformNameProblem,
  type Platform,
} from './names.js';
export { PlatformEnvironment, markerEnvironment, targetTriples } from './environments.js';
export { filterGraphForPlatforms, type ExcludedPackage, type PlatformFilterResult } from './filter.js';
