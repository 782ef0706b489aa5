/**
 * A real HTTP proxy on 127.0.0.1 in front of a notary that alters what the entry page
 * carries (envelope bytes, proof, checkpoint) before the browser sees it: the page must
 * notice, whatever the server in front of the log says.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Tamper = (data: Record<string, unknown>) => void;

const BLOCK = /(<script type="application\/json" id="vet-entry">)([^]*?)(<\/script>)/;

export async function startTamperProxy(
  target: string,
  tamper: Tamper,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const up = await fetch(`${target}${req.url ?? '/'}`, { headers: { accept: req.headers.accept ?? '*/*' } });
      let body = Buffer.from(await up.arrayBuffer());
      if ((up.headers.get('content-type') ?? '').startsWith('text/html')) {
        body = Buffer.from(
          body.toString('utf8').replace(BLOCK, (_m, open: string, json: string, close: string) => {
            const data = JSON.parse(json) as Record<string, unknown>;
            tamper(data);
            return open + JSON.stringify(data).replace(/</g, '\\u003c') + close;
          }),
        );
      }
      const headers: Record<string, string> = {};
      up.headers.forEach((v, k) => {
        if (k !== 'content-length' && k !== 'content-encoding' && k !== 'transfer-encoding') headers[k] = v;
      });
      res.writeHead(up.status, headers);
      res.end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Flips one bit in the middle of a base64 string's bytes (still valid base64). */
export function flipBase64(b64: string): string {
  const bytes = Buffer.from(b64, 'base64');
  const i = Math.floor(bytes.length / 2);
  bytes[i] = (bytes[i] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}
