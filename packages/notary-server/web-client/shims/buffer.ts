/** node:buffer for the browser bundle: the `buffer` package, plus isUtf8 on a fatal TextDecoder. */
export { Buffer } from 'buffer';

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
