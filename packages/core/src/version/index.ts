import type { Ecosystem } from '../graph.js';
import { cargoVersionScheme } from './cargo.js';
import { npmVersionScheme } from './npm.js';
import { pep440Scheme } from './pep440.js';
import type { VersionScheme } from './scheme.js';

export type { VersionScheme } from './scheme.js';
export { pep440Scheme } from './pep440.js';
export {
  cargoVersionScheme,
  parseCargoVersion,
  parseCargoVersionReq,
  formatCargoVersion,
  formatCargoVersionReq,
  compareCargoVersions,
  cargoReqMatches,
} from './cargo.js';
export type { CargoVersion, CargoSemver, CargoVersionReq, CargoComparator, CargoOp } from './cargo.js';
export { npmVersionScheme } from './npm.js';

/** The version scheme the resolver should use for a graph of this ecosystem. */
export function versionSchemeFor(ecosystem: Ecosystem): VersionScheme {
  switch (ecosystem) {
    case 'cargo':
      return cargoVersionScheme;
    case 'npm':
      return npmVersionScheme;
    case 'pypi':
      return pep440Scheme;
  }
}
