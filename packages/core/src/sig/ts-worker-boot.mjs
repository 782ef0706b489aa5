// Starts a worker thread whose module is TypeScript source (tests run from src): registers
// tsx's loader in this thread, then imports the module. Node 20 does not pass loader hooks
// on to worker threads, and the built code never comes here (see worker-module.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__module);
