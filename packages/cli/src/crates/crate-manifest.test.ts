import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crateFactsFromArchive } from './crate-manifest.js';

/** A ustar archive of regular files, gzipped: enough for a .crate. */
function crateBytes(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const h = Buffer.alloc(512);
    h.write(name, 0, 100);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

describe('crate facts from a .crate', () => {
  it('follows cargo’s library-target rule over the archive’s own files', async () => {
    const normalised = crateBytes({
      'a-1.0.0/Cargo.toml': '[package]\nname = "a"\nversion = "1.0.0"\nautolib = false\n[lib]\npath = "src/x.rs"\n',
      'a-1.0.0/src/x.rs': '',
    });
    expect(await crateFactsFromArchive(normalised, 'a', '1.0.0')).toMatchObject({
      hasLib: true,
      manifest: expect.stringContaining('[lib]') as unknown,
    });
    const old = crateBytes({
      'b-0.1.0/Cargo.toml': '[package]\nname = "b"\nversion = "0.1.0"\n',
      'b-0.1.0/src/lib.rs': '',
    });
    expect((await crateFactsFromArchive(old, 'b', '0.1.0')).hasLib).toBe(true);
    const bin = crateBytes({
      'c-1.0.0/Cargo.toml':
        '[package]\nname = "c"\nversion = "1.0.0"\nautolib = false\n[[bin]]\nname = "c"\npath = "src/main.rs"\n',
      'c-1.0.0/src/main.rs': '',
      'c-1.0.0/src/lib.rs': '',
    });
    expect((await crateFactsFromArchive(bin, 'c', '1.0.0')).hasLib).toBe(false);
    const elsewhere = crateBytes({ 'd-1.0.0/Cargo.toml': '[package]\nname = "d"\n', 'other/src/lib.rs': '' });
    expect((await crateFactsFromArchive(elsewhere, 'd', '1.0.0')).hasLib).toBe(false);
  });

  it('an archive that is not a crate is refused with a clear error', async () => {
    await expect(crateFactsFromArchive(Buffer.from('not gzip at all'), 'x', '1.0.0')).rejects.toMatchObject({
      code: 'UNSAFE_ARCHIVE',
    });
    await expect(crateFactsFromArchive(crateBytes({ 'x-1.0.0/src/lib.rs': '' }), 'x', '1.0.0')).rejects.toMatchObject({
      code: 'UNSAFE_ARCHIVE',
      message: 'x 1.0.0 .crate: no x-1.0.0/Cargo.toml',
    });
    const bomb = gzipSync(Buffer.alloc(1536 * 1024)); // 1.5 MiB of zeros in ~1.5 KiB: over the 1000× ratio
    await expect(crateFactsFromArchive(bomb, 'x', '1.0.0')).rejects.toMatchObject({ code: 'UNSAFE_ARCHIVE' });
  });
});
