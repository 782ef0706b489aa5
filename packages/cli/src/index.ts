// Public API of @vet/cli: run the CLI programmatically.
export { main, buildProgram, VERSION } from './program.js';
export type { CommandIO } from './io.js';
export type { GlobalOptions } from './context.js';
