import { describe, expect, it } from 'vitest';
import { dssePae } from '../sig/dsse.js';
import { decodeBase64Lenient } from '../sig/bytes.js';
import { decodeBase64Fast, parseEntry } from './replay.js';

const leaf = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

describe('parseEntry fast paths agree with the general DSSE helpers', () => {
  it('the PAE is byte-for-byte dssePae, also for multi-byte payload types', () => {
    for (const payloadType of ['application/vnd.in-toto+json', 'typ€/ünïcode']) {
      const payload = new TextEncoder().encode('{"x":"ü"}');
      const p = parseEntry(
        leaf({
          payload: Buffer.from(payload).toString('base64'),
          payloadType,
          signatures: [{ keyid: 'k', sig: 'AA==' }],
        }),
      );
      expect(Buffer.from(p.pae).equals(Buffer.from(dssePae(payloadType, payload)))).toBe(true);
    }
  });

  it('base64: accepts what decodeBase64Lenient accepts, rejects partial padding and junk', () => {
    for (const text of ['', 'QQ==', 'QQ', 'QUI=', 'QUI', 'QUJD', '-_8', '-_8=', '+/8=']) {
      expect([text, decodeBase64Fast(text)]).toEqual([text, decodeBase64Lenient(text)]);
    }
    for (const text of ['QQ=', 'Q', 'QQ===', 'Q!Q=', 'QR=='])
      expect([text, decodeBase64Fast(text)]).toEqual([text, undefined]);
  });
});
