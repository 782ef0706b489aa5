// Public surface of the npm-ecosystem lockfile readers (package-lock, shrinkwrap, pnpm, yarn, bun).
export { parsePackageLock } from './package-lock.js';
export { parsePnpmLock } from './pnpm.js';
export { parseYarnLock } from './yarn.js';
export { parseBunLock } from './bun.js';
export { computeDevOnly } from './dev-only.js';
export type { NpmManifests, PackageJsonLike } from './manifest.js';
