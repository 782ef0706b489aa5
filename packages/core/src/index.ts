// Public API of @vet/core. Export by name; no default exports.
// Each module's own index.ts decides what it exposes.
export * from './errors.js';
export * from './escape.js';
export * from './graph.js';
export * from './store/model.js';
export * from './store/index.js';
export * from './version/index.js';
export * from './resolver/index.js';
export * from './lockfile/npm/index.js';
export * from './lockfile/cargo/index.js';
export * from './lockfile/pypi/index.js';
export * from './tlog/index.js';
export * from './why.js';
export * from './criteria-text.js';
export * from './imports/index.js';
export * from './notary/index.js';
export * from './check/index.js';
