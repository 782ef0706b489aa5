/**
 * One write per command (STYLE §5): take the store lock, read the store fresh, let the
 * command change the plain object, then commit all files atomically. A command that
 * throws inside `fn` writes nothing.
 */
import { type Store } from '@vet/core';
import { commitStore, readStore, withStoreLock } from '@vet/core/node';

export async function mutateStore<T>(storeDir: string, fn: (store: Store) => T | Promise<T>): Promise<T> {
  return withStoreLock(storeDir, async () => {
    const store = await readStore(storeDir);
    const result = await fn(store);
    await commitStore(storeDir, store);
    return result;
  });
}
