// Placeholder until the PyPI work lands: PEP 440 ordering and specifiers.
import type { VersionScheme } from './scheme.js';

export const pep440Scheme: VersionScheme = {
  validate: () => undefined,
  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  satisfies: () => false,
  validateRequirement: () => undefined,
};
