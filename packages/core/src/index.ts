// Public API of @vet/core. Export by name; no default exports.
export * from './errors.js';
export * from './graph.js';
export * from './store/model.js';
