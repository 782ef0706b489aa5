/**
 * Which build of vet is running: set by scripts/bundle-cli.mjs (a digest of the compiled code
 * and the lockfile), undefined when running unbundled. Caches of derived data (parse results,
 * canonical-store marks) are used only by the build that wrote them.
 */
declare const __VET_BUILD_ID__: string | undefined;

export const BUILD_ID: string | undefined = typeof __VET_BUILD_ID__ === 'string' ? __VET_BUILD_ID__ : undefined;
