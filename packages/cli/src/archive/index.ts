// Public API of the archive module: safe extraction of package archives.
export { DEFAULT_ARCHIVE_LIMITS, extractTarball } from './tar.js';
export type { ArchiveLimits, ExtractResult, SkippedEntry } from './tar.js';
export { safeArchivePath, symlinkTargetInside } from './safe-path.js';
export type { SafePathResult } from './safe-path.js';
