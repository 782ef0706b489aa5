/**
 * The entry page checks itself in the visitor's browser: the checkpoint's signature against
 * the verifier key the visitor pins, the auditor's DSSE signature over the envelope's exact
 * bytes, and the entry's inclusion proof up to the checkpoint's root. The rules are core's
 * own modules, bundled for the browser (scripts/bundle-web.mjs): what the notary admits and
 * what a client accepts is what this page checks. The cryptography is the browser's
 * WebCrypto: Ed25519 signatures (core's checks recorded and settled here, see
 * shims/crypto.ts) and SHA-256 for the RFC 6962 tree.
 */
import { verifyCheckpoint } from '../../core/src/tlog/checkpoint.js';
import { inclusionRootWith, LEAF_HASH_PREFIX, NODE_HASH_PREFIX } from '../../core/src/tlog/merkle.js';
import { decodeDsseEnvelope, verifyDsse } from '../../core/src/sig/dsse.js';
import { bytesEqual, decodeBase64Strict, toHex } from '../../core/src/sig/bytes.js';
import { takeRecordedChecks, type RecordedCheck } from './shims/crypto.js';

interface EntryPageData {
  origin: string;
  index: number;
  leafHash: string;
  signer: { keyid: string; publicKey?: string };
  envelope: string;
  checkpoint: string;
  treeSize: number;
  inclusionProof: string[];
  verifierKeys: string[];
}

class CheckFailed extends Error {}

const subtle = globalThis.crypto.subtle;

async function sha256(parts: Uint8Array[]): Promise<Uint8Array> {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const buf = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    buf.set(p, off);
    off += p.length;
  }
  return new Uint8Array(await subtle.digest('SHA-256', buf));
}

/** Every Ed25519 check core asked for must verify with WebCrypto. */
async function settle(checks: RecordedCheck[], what: string): Promise<void> {
  if (checks.length === 0) throw new CheckFailed(`${what}: no signature was checked`);
  for (const c of checks) {
    let key: CryptoKey;
    try {
      key = await subtle.importKey('raw', c.publicKey, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      throw new CheckFailed(`${what}: this browser cannot check Ed25519 with WebCrypto (${String(e)})`);
    }
    if (!(await subtle.verify({ name: 'Ed25519' }, key, c.sig, c.msg)))
      throw new CheckFailed(`${what}: the Ed25519 signature does not verify`);
  }
}

function b64(text: string | undefined, what: string): Uint8Array {
  const bytes = text === undefined ? undefined : decodeBase64Strict(text);
  if (bytes === undefined) throw new CheckFailed(`${what} is not base64`);
  return bytes;
}

/** Runs core's synchronous rule, turning its error into this step's failure. */
function rule<T>(what: string, fn: () => T): T {
  takeRecordedChecks();
  try {
    return fn();
  } catch (e) {
    throw new CheckFailed(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function checkCheckpoint(d: EntryPageData, key: string) {
  const what = 'checkpoint signature';
  const cp = rule(what, () => verifyCheckpoint(d.checkpoint, key));
  await settle(takeRecordedChecks(), what);
  return cp;
}

async function checkEnvelope(d: EntryPageData, bytes: Uint8Array): Promise<void> {
  const what = "auditor's DSSE signature";
  const pk = b64(d.signer.publicKey, "the signer's public key");
  rule(what, () => verifyDsse(decodeDsseEnvelope(bytes), new Map([[d.signer.keyid, pk]])));
  await settle(takeRecordedChecks(), what);
}

async function checkInclusion(d: EntryPageData, bytes: Uint8Array, cp: { size: number; rootHash: Uint8Array }) {
  const what = 'inclusion proof';
  const leaf = await sha256([Uint8Array.of(LEAF_HASH_PREFIX), bytes]);
  if (toHex(leaf) !== d.leafHash)
    throw new CheckFailed(`${what}: the envelope's leaf hash is ${toHex(leaf)}, the page states ${d.leafHash}`);
  const proof = d.inclusionProof.map((h, i) => b64(h, `proof hash ${i}`));
  const node = async (l: Promise<Uint8Array> | Uint8Array, r: Promise<Uint8Array> | Uint8Array) =>
    sha256([Uint8Array.of(NODE_HASH_PREFIX), await l, await r]);
  const root = inclusionRootWith<Promise<Uint8Array>>(Promise.resolve(leaf), d.index, cp.size, proof, node);
  if (root === undefined)
    throw new CheckFailed(`${what}: ${proof.length} hashes do not fit entry ${d.index} of a tree of ${cp.size}`);
  if (!bytesEqual(await root, cp.rootHash))
    throw new CheckFailed(`${what}: the proof leads to a root other than the signed checkpoint's`);
}

async function verifyEntry(d: EntryPageData, key: string, step: (text: string) => void): Promise<void> {
  const cp = await checkCheckpoint(d, key);
  step(`Checkpoint of ${cp.size} entries is signed by the pinned key (${cp.origin}).`);
  const bytes = b64(d.envelope, 'the envelope');
  await checkEnvelope(d, bytes);
  step(`The auditor's key ${d.signer.keyid} signed this envelope (DSSE, Ed25519).`);
  await checkInclusion(d, bytes, cp);
  step(`Entry ${d.index} is in that checkpoint's tree (RFC 6962 inclusion proof, SHA-256).`);
}

// ---- the page ----

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const storageKey = (origin: string) => `vet-notary-pinned-key:${origin}`;

function pinned(origin: string): string | undefined {
  try {
    return localStorage.getItem(storageKey(origin)) ?? undefined;
  } catch {
    return undefined;
  }
}

async function run(d: EntryPageData): Promise<void> {
  const status = $('verify-status');
  const steps = $('verify-steps');
  const input = $<HTMLInputElement>('pinned-key');
  const key = input.value.trim();
  const isPinned = pinned(d.origin) === key;
  steps.replaceChildren();
  status.className = 'status unverified';
  status.dataset.state = 'running';
  status.textContent = 'Verifying in your browser…';
  const step = (text: string, cls = 'ok') => {
    const li = document.createElement('li');
    li.className = cls;
    li.textContent = text;
    steps.append(li);
  };
  try {
    await verifyEntry(d, key, step);
    status.className = 'status verified';
    status.dataset.state = 'done';
    status.textContent = isPinned
      ? 'Verified in your browser against the key you pinned.'
      : 'Verified in your browser against the key this page offers; pin it to notice if it ever changes.';
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    step(msg, 'fail');
    status.className = 'status failed';
    status.dataset.state = 'done';
    status.textContent = `Not verified: ${msg}`;
  }
}

function setUp(): void {
  const block = document.getElementById('vet-entry');
  if (block === null) return;
  const d = JSON.parse(block.textContent ?? '{}') as EntryPageData;
  const input = $<HTMLInputElement>('pinned-key');
  const note = $('pin-note');
  input.value = pinned(d.origin) ?? d.verifierKeys[0] ?? '';
  note.textContent = pinned(d.origin) === undefined ? 'not pinned yet' : 'pinned in this browser';
  $('pin').hidden = false;
  $('pin-save').addEventListener('click', () => {
    try {
      localStorage.setItem(storageKey(d.origin), input.value.trim());
      note.textContent = 'pinned in this browser';
    } catch {
      note.textContent = 'this browser does not keep it (storage is off)';
    }
    void run(d);
  });
  $('pin-copy').addEventListener('click', () => {
    void navigator.clipboard?.writeText(input.value.trim()).then(() => (note.textContent = 'copied'));
  });
  void run(d);
}

setUp();
