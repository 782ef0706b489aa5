/** `vet fmt`: rewrite the store in canonical form (cargo-vet 0.10.2's, byte for byte). */
import { discoverProjects } from '../project.js';
import { discoverOpts, type GlobalOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { mutateStore } from '../store-tx.js';

export async function runFmt(g: GlobalOptions, _io: CommandIO): Promise<number> {
  for (const ref of await discoverProjects(discoverOpts(g))) {
    await mutateStore(ref.storeDir, () => undefined);
  }
  return EXIT_OK;
}
