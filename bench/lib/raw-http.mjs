// A lean HTTP/1.1 keep-alive client for load generation: one request in flight per
// connection, requests pre-serialised to bytes, responses framed by Content-Length only.
// The load generator shares the server's two cores, and undici's dispatch cost ~100 µs of
// client CPU per submission (a quarter of a core at 2,500/s): every microsecond the client
// spends is one the server under test cannot. This client does the least HTTP allows
// and still reads every status line and every body, so a 200 is a whole response.
import { connect } from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');

/** The bytes of one request; `body` (Buffer) gets a Content-Length. */
export function serializeRequest(method, path, headers = {}, body) {
  let head = `${method} ${path} HTTP/1.1\r\nhost: bench\r\n`;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'content-length') head += `${k}: ${v}\r\n`;
  if (body !== undefined) head += `content-length: ${body.length}\r\n`;
  head += '\r\n';
  return body === undefined ? Buffer.from(head) : Buffer.concat([Buffer.from(head), body]);
}

export class RawConnection {
  #socket;
  #buf = Buffer.alloc(0);
  #pending;

  static open(url) {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port), noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
    });
  }

  constructor(socket) {
    this.#socket = socket;
    socket.on('data', (chunk) => this.#onData(chunk));
    socket.on('error', (e) => this.#fail(e));
    socket.on('close', () => this.#fail(new Error('connection closed by the server')));
  }

  /** Sends one serialised request; resolves with { status, body } once the whole body is in. */
  request(bytes) {
    if (this.#pending) throw new Error('one request at a time per connection');
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#socket.write(bytes);
    });
  }

  close() {
    this.#socket.destroy();
  }

  #onData(chunk) {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    const end = this.#buf.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.#buf.toString('latin1', 0, end);
    const status = Number(head.slice(9, 12));
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!head.startsWith('HTTP/1.1 ') || !m)
      return this.#fail(new Error(`unframed response: ${head.split('\r\n')[0]}`));
    const total = end + 4 + Number(m[1]);
    if (this.#buf.length < total) return;
    const body = this.#buf.subarray(end + 4, total);
    this.#buf = this.#buf.subarray(total);
    const p = this.#pending;
    this.#pending = undefined;
    p?.resolve({ status, body });
  }

  #fail(e) {
    const p = this.#pending;
    this.#pending = undefined;
    p?.reject(e);
  }
}
