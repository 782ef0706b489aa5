/** `vet fmt`: rewrite the store in canonical form (cargo-vet 0.10.2's, byte for byte). */
import { discoverProjects } from '../project.js';
import { discoverOpts, noteProjectDir, type GlobalOptions } from '../context.js';
import { EXIT_OK } from '../exit-codes.js';
import type { CommandIO } from '../io.js';
import { mutateStore } from '../store-tx.js';

export async function runFmt(g: GlobalOptions, io: CommandIO): Promise<number> {
  const refs = await discoverProjects(discoverOpts(g));
  noteProjectDir(refs, g, io);
  for (const ref of refs) {
    await mutateStore(ref.storeDir, () => undefined);
  }
  return EXIT_OK;
}
