/**
 * Claims read back from claims.ndjson, parsed on demand. A refresh touches few of the
 * saved claims in full: translation keeps only the lockfile's packages, and a revocation
 * looks up one claim by leaf hash. Parsing all of them (one JSON.parse over ~47 MB for
 * 100,000 claims) was most of a 1,000-entry refresh, so each claim keeps where its line
 * lies in the file's text and only the fields every pass reads (ecosystem, package) are
 * picked out of it; the rest is parsed on first use.
 *
 * The lines are ours (notaryClaimLine: JSON.stringify of a record built by the replay, keys
 * in a fixed order), so the first `"ecosystem":"` and `"package":"` in a line are those
 * keys: inside a JSON string a quote is always escaped. Anything unusual (escapes, another
 * key order) falls back to parsing the whole line.
 */
import { VetError, type Ecosystem, type NotaryClaimRecord } from '@vet/core';

/** Where a claim's line lies in the claims.ndjson text, and the two fields every pass reads. */
interface Cheap {
  ecosystem: Ecosystem;
  package: string;
}

export class StoredClaim implements NotaryClaimRecord {
  readonly ecosystem: Ecosystem;
  readonly package: string;
  readonly #text: string;
  readonly #start: number;
  readonly #end: number;
  #full: NotaryClaimRecord | undefined;

  private constructor(text: string, start: number, end: number, cheap: Cheap, full?: NotaryClaimRecord) {
    this.#text = text;
    this.#start = start;
    this.#end = end;
    this.ecosystem = cheap.ecosystem;
    this.package = cheap.package;
    this.#full = full;
  }

  /** The line text[start, end) (no newline). Throws VetError when it is not a claim record. */
  static at(text: string, start: number, end: number): StoredClaim {
    const cheap = scan(text, start, end);
    if (cheap !== undefined) return new StoredClaim(text, start, end, cheap);
    const full = parseLine(text.slice(start, end));
    return new StoredClaim(text, start, end, full, full);
  }

  /** The claims.ndjson line, without revokedBy (revocations live in the head). */
  get line(): string {
    return this.#text.slice(this.#start, this.#end);
  }

  // A revocation indexes every claim by leaf hash: read it without parsing the line.
  get index(): number {
    if (this.#full !== undefined) return this.#full.index;
    const n = Number(stringAfter(this.#text, '{"index":', this.#start, this.#end, ','));
    return Number.isSafeInteger(n) ? n : this.#record().index;
  }
  get leafHash(): string {
    if (this.#full !== undefined) return this.#full.leafHash;
    const h = stringAfter(this.#text, '"leafHash":"', this.#start, this.#end);
    return h !== undefined && h.length === 64 ? h : this.#record().leafHash;
  }
  get signer(): string {
    return this.#record().signer;
  }
  get auditor(): string {
    return this.#record().auditor;
  }
  get kind(): NotaryClaimRecord['kind'] {
    return this.#record().kind;
  }
  get version(): string | undefined {
    return this.#record().version;
  }
  get delta(): NotaryClaimRecord['delta'] {
    return this.#record().delta;
  }
  get violation(): string | undefined {
    return this.#record().violation;
  }
  get criteria(): string[] {
    return this.#record().criteria;
  }
  get who(): string {
    return this.#record().who;
  }
  get notes(): string | undefined {
    return this.#record().notes;
  }
  get digests(): Record<string, string> {
    return this.#record().digests;
  }

  /** The plain record (JSON.stringify and spreads see own properties only). */
  toJSON(): NotaryClaimRecord {
    return this.#record();
  }

  #record(): NotaryClaimRecord {
    return (this.#full ??= parseLine(this.line));
  }
}

/** Splits claims.ndjson text (every line ends in \n) into stored claims. */
export function parseStoredClaims(text: string): StoredClaim[] {
  const claims: StoredClaim[] = [];
  for (let at = 0; at < text.length;) {
    const end = text.indexOf('\n', at);
    if (end < 0) throw new Error('claims.ndjson does not end in a newline');
    claims.push(StoredClaim.at(text, at, end));
    at = end + 1;
  }
  return claims;
}

function scan(text: string, start: number, end: number): Cheap | undefined {
  const ecosystem = stringAfter(text, '"ecosystem":"', start, end);
  const pkg = ecosystem === undefined ? undefined : stringAfter(text, '"package":"', start, end);
  return pkg === undefined ? undefined : { ecosystem: ecosystem as Ecosystem, package: pkg };
}

/** The text after `key` up to `close` within [start, end), when it has no escapes (else undefined: parse the line). */
function stringAfter(text: string, key: string, start: number, end: number, close = '"'): string | undefined {
  const at = text.indexOf(key, start);
  if (at < 0 || at >= end) return undefined;
  const from = at + key.length;
  const to = text.indexOf(close, from);
  if (to < 0 || to >= end) return undefined;
  const value = text.slice(from, to);
  return value.includes('\\') ? undefined : value;
}

/** Throws VetError PARSE_ERROR: a committed line no longer parses (the disk changed under us). */
function parseLine(line: string): NotaryClaimRecord {
  let c: NotaryClaimRecord | null = null;
  try {
    c = JSON.parse(line) as NotaryClaimRecord | null;
  } catch {
    /* reported below */
  }
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.index !== 'number' ||
    typeof c.leafHash !== 'string' ||
    typeof c.package !== 'string'
  ) {
    throw new VetError(
      'PARSE_ERROR',
      `the notary mirror's claims.ndjson holds a line that is not a claim: ${line.slice(0, 80)}`,
      {
        hint: 'the state directory was changed by something other than vet; delete that notary directory to mirror the log again',
      },
    );
  }
  return c;
}
