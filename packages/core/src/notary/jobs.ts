/**
 * The Ed25519 verifications a replay will need, listed up front so the CLI can run them in
 * parallel (they dominate the cost of importing a large log: ~0.1–0.2 ms each with
 * node:crypto here, vs ~7–25 ms with tweetnacl). Speculative: every signature is paired with
 * every key its keyid could name in this log (admin keys, auditors of the base state, and
 * auditors added by the new entries); the replay still decides, entry by entry, which key
 * is in force and only looks the result up. Malformed entries are left to the replay.
 */
import { Buffer } from 'node:buffer';
import { decodeBase64Strict } from '../sig/bytes.js';
import type { DecodedDsse } from '../sig/dsse.js';
import { VET_AUDITOR_PREDICATE_TYPE, parseAuditorStatement } from '../sig/statement.js';
import { decodeLogEntry } from './admit.js';
import type { NotaryMirrorState } from './state.js';
import type { NotaryVerifiedEntries } from './update.js';

export interface NotarySignatureJob {
  index: number;
  sigIndex: number;
  /** base64 public key (the lookup key the replay uses). */
  publicKey: string;
  key: Uint8Array;
  sig: Uint8Array;
  msg: Uint8Array;
}

const AUDITOR_MARKER = Buffer.from(VET_AUDITOR_PREDICATE_TYPE);

export interface NotarySignatureWork {
  jobs: NotarySignatureJob[];
  /** Each new entry decoded once (undefined = malformed; the replay reports it). */
  parsed: (DecodedDsse | undefined)[];
}

/**
 * `carry`: pass the same map when listing a batch in consecutive slices (keys added by
 * earlier slices stay candidates for later ones).
 */
export function notarySignatureJobs(
  v: Pick<NotaryVerifiedEntries, 'from' | 'entries'>,
  keyring: Pick<NotaryMirrorState, 'adminKeys' | 'auditors'>,
  carry: Map<string, Set<string>> = new Map(),
): NotarySignatureWork {
  const candidates = carry;
  const add = (keyid: string, b64: string) => {
    const set = candidates.get(keyid);
    if (set) set.add(b64);
    else candidates.set(keyid, new Set([b64]));
  };
  for (const [id, b64] of Object.entries(keyring.adminKeys)) add(id, b64);
  for (const [id, a] of Object.entries(keyring.auditors)) add(id, a.publicKey);
  const parsed = v.entries.map((leaf) => {
    try {
      const p = decodeLogEntry(leaf);
      if (Buffer.from(p.payload.buffer, p.payload.byteOffset, p.payload.length).includes(AUDITOR_MARKER)) {
        try {
          const a = parseAuditorStatement(p.payload);
          add(a.keyid, Buffer.from(a.publicKey).toString('base64'));
        } catch {
          /* the replay reports it */
        }
      }
      return p;
    } catch {
      return undefined;
    }
  });
  const jobs: NotarySignatureJob[] = [];
  const keyBytes = new Map<string, Uint8Array | undefined>();
  parsed.forEach((p, i) => {
    p?.signatures.forEach((s, sigIndex) => {
      if (s.keyid === undefined) return;
      for (const publicKey of candidates.get(s.keyid) ?? []) {
        if (!keyBytes.has(publicKey)) keyBytes.set(publicKey, decodeBase64Strict(publicKey));
        const key = keyBytes.get(publicKey);
        if (key !== undefined) jobs.push({ index: v.from + i, sigIndex, publicKey, key, sig: s.sig, msg: p.pae });
      }
    });
  });
  return { jobs, parsed };
}
