/**
 * Where a worker thread's module is, for code that runs both from its TypeScript source
 * (tests, through vitest) and from the build: a sibling `.js` next to the compiled caller,
 * or the `.ts` next to the source caller, which the worker then loads through tsx (a dev
 * dependency, so only ever from source). Worker code lives in real modules that tsc checks;
 * the CLI's bundle ships each one as its own entry (scripts/bundle-cli.mjs).
 */
export interface WorkerModule {
  url: URL;
  execArgv: string[];
}

export function workerModule(callerUrl: string, name: string): WorkerModule {
  if (callerUrl.endsWith('.ts')) return { url: new URL(`./${name}.ts`, callerUrl), execArgv: ['--import', 'tsx'] };
  return { url: new URL(`./${name}.js`, callerUrl), execArgv: [] };
}
