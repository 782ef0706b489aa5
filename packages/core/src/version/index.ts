export type { VersionScheme } from './scheme.js';
export { pep440Scheme } from './pep440.js';
