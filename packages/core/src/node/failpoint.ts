/**
 * Test-only crash points, for the tests that kill vet in the middle of a write: with
 * VET_TEST_CRASH_AT=N in the environment, the N-th crash point this process reaches kills it
 * with SIGKILL — no cleanup, no `finally`, as a crash or `kill -9` would at that instant.
 * Unset (always, outside those tests) a crash point is a counter increment.
 */
const crashAt = Number(process.env['VET_TEST_CRASH_AT'] ?? '0');
let reached = 0;

export function crashPoint(): void {
  reached++;
  if (reached === crashAt) process.kill(process.pid, 'SIGKILL');
}
