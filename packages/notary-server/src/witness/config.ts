/**
 * Witness configuration, both sides:
 *  - the notary's `witnesses` list in notary.json — who it asks to cosign each checkpoint:
 *      "witnesses": [{ "url": "https://witness.example.org/w1", "key": "<vkey, type 0x04>", "timeoutMs": 5000 }]
 *    (`url` is the witness's submission prefix; the notary POSTs to `<url>/add-checkpoint`);
 *  - a witness's own `witness.json` (`vet-notary witness init|serve <dir>`): where it listens
 *    and the logs it follows, each an origin and the log's Ed25519 verifier key(s):
 *      { "listen": { "host": "127.0.0.1", "port": 8490 },
 *        "logs": [{ "origin": "notary.example.com/vet/log", "keys": ["notary.example.com/vet/log+…"] }] }
 * Parsing is pure and reports every problem.
 */
import { readFileSync } from 'node:fs';
import {
  NOTE_ALG_COSIGNATURE_V1,
  VetError,
  VetValidationError,
  checkWitnessedLog,
  parseVerifierKey,
  type Problem,
  type WitnessedLog,
} from '@vet/core';

export interface NotaryWitnessConfig {
  /** Submission prefix; requests go to `<url>/add-checkpoint`. */
  url: string;
  /** The witness's cosigner verifier key (type 0x04). */
  key: string;
  /** Longest one add-checkpoint exchange may take. */
  timeoutMs: number;
}

export interface WitnessServerConfig {
  listen: { host: string; port: number };
  logs: WitnessedLog[];
}

const DEFAULT_TIMEOUT_MS = 5000;
type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseWitnessesConfig(v: unknown, bad: (m: string) => void): NotaryWitnessConfig[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) {
    bad('witnesses must be a list of { "url": …, "key": … }');
    return [];
  }
  const out: NotaryWitnessConfig[] = [];
  v.forEach((w: unknown, i) => {
    const where = `witnesses[${i}]`;
    if (!isObj(w)) return bad(`${where} must be an object`);
    const url = typeof w.url === 'string' ? w.url.replace(/\/+$/, '') : '';
    if (!/^https?:\/\/[^\s]+$/.test(url)) bad(`${where}.url must be an http(s) URL (the submission prefix)`);
    const key = typeof w.key === 'string' ? w.key : '';
    try {
      if (parseVerifierKey(key).type !== NOTE_ALG_COSIGNATURE_V1)
        bad(`${where}.key must be a cosigner key (type 0x04)`);
    } catch (e) {
      bad(`${where}.key: ${(e as Error).message}`);
    }
    const t = w.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(t) || (t as number) < 100 || (t as number) > 600_000)
      bad(`${where}.timeoutMs must be an integer in [100, 600000]`);
    out.push({ url, key, timeoutMs: t as number });
  });
  const keys = out.map((w) => w.key);
  if (new Set(keys).size !== keys.length) bad('witnesses: the same key is listed twice');
  return out;
}

export function parseWitnessServerConfig(text: string, fileName: string): WitnessServerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new VetError('PARSE_ERROR', `${fileName}: not valid JSON`, { file: fileName, cause });
  }
  const problems: Problem[] = [];
  const bad = (message: string) => problems.push({ file: fileName, message });
  if (!isObj(raw)) throw new VetError('PARSE_ERROR', `${fileName}: expected a JSON object`, { file: fileName });
  const listen = isObj(raw.listen) ? raw.listen : {};
  const host = typeof listen.host === 'string' && listen.host !== '' ? listen.host : '127.0.0.1';
  const port = listen.port ?? 8490;
  if (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)
    bad('listen.port must be an integer in [0, 65535]');
  const logs: WitnessedLog[] = [];
  const list = raw.logs ?? [];
  if (!Array.isArray(list)) bad('logs must be a list of { "origin": …, "keys": [vkey…] }');
  else
    list.forEach((l: unknown, i) => {
      const log = isObj(l) ? { origin: l.origin, keys: l.keys } : {};
      if (typeof log.origin !== 'string' || !Array.isArray(log.keys) || !log.keys.every((k) => typeof k === 'string'))
        return bad(`logs[${i}] must be { "origin": "<origin>", "keys": ["<log vkey>", …] }`);
      try {
        checkWitnessedLog(log as WitnessedLog);
        if (logs.some((x) => x.origin === log.origin)) bad(`logs[${i}]: origin ${log.origin} is listed twice`);
        logs.push({ origin: log.origin, keys: log.keys });
      } catch (e) {
        bad(`logs[${i}]: ${(e as Error).message}`);
      }
    });
  if (problems.length > 0) throw new VetValidationError('INVALID_ARGUMENT', problems, { file: fileName });
  return { listen: { host, port: port as number }, logs };
}

export function readWitnessServerConfig(path: string): WitnessServerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new VetError('NOT_FOUND', `cannot read witness config ${path}`, {
      file: path,
      cause,
      hint: 'run `vet-notary witness init <dir> --name <witness name>` first',
    });
  }
  return parseWitnessServerConfig(text, path);
}

export function formatWitnessServerConfig(c: WitnessServerConfig): string {
  return JSON.stringify(c, null, 2) + '\n';
}
