import { describe, expect, it } from 'vitest';
import { dssePae } from '../sig/dsse.js';
import { decodeLogEntry } from './admit.js';

const leaf = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
const sig = Buffer.alloc(64, 1).toString('base64');

describe('decodeLogEntry', () => {
  it('the PAE is byte-for-byte DSSE v1, also for multi-byte payloads', () => {
    const payload = new TextEncoder().encode('{"x":"ü"}');
    const p = decodeLogEntry(
      leaf({
        payload: Buffer.from(payload).toString('base64'),
        payloadType: 'application/vnd.in-toto+json',
        signatures: [{ keyid: 'k', sig }],
      }),
    );
    expect(Buffer.from(p.pae).toString()).toBe(`DSSEv1 28 application/vnd.in-toto+json 10 {"x":"ü"}`);
    expect(Buffer.from(p.pae).equals(Buffer.from(dssePae('application/vnd.in-toto+json', payload)))).toBe(true);
  });

  it('holds log entries to the notary limits: in-toto payloadType, Ed25519-sized signatures, ≤ 8', () => {
    const ok = { payload: 'e30=', payloadType: 'application/vnd.in-toto+json', signatures: [{ keyid: 'k', sig }] };
    expect(() => decodeLogEntry(leaf(ok))).not.toThrow();
    const refusals: [unknown, string][] = [
      [{ ...ok, payloadType: 'application/json' }, 'ENVELOPE_PAYLOAD_TYPE'],
      [{ ...ok, signatures: [{ sig: 'AAAA' }] }, 'ENVELOPE_SIG'],
      [{ ...ok, signatures: Array.from({ length: 9 }, () => ({ sig })) }, 'ENVELOPE_SIGNATURES'],
    ];
    for (const [env, rule] of refusals)
      expect(() => decodeLogEntry(leaf(env))).toThrow(expect.objectContaining({ rule }));
  });
});
