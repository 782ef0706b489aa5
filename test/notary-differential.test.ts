/**
 * Differential property test of the notary protocol (issue 11): the same random and hostile
 * entry sequences go to the notary's admission (an in-process notary: decode, signature on
 * its engine, core's state machine, then its policy, commit) and to a client's replay
 * (NotaryReplayer.judge, OpenSSL), and both must make the same decision on every entry —
 * accepted by both, or refused by both naming the same rule; a refusal by the notary's own
 * policy (duplicate, criteria not offered) only where the protocol accepts. Then the notary
 * restarts on the resulting log and serves the same checkpoint: the first sequence as a served
 * notary (HTTP, worker threads) that is ready and that a real client imports whole over
 * 127.0.0.1; the others in process, the stored log replayed whole by the client's replayer.
 *
 * Entries: audits, violations, revocations, auditor changes with prototype names
 * (`__proto__`, `constructor`, `toString`…), control characters and huge fields in every
 * field; issue 11's quirks; byte-level mutations of real signed envelopes; resubmissions.
 * `pnpm test` runs ~1,500 entries; VET_DIFF_ENTRIES=100000 runs that many.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  IN_TOTO_PAYLOAD_TYPE,
  NotaryReplayer,
  dssePae,
  generateEd25519KeyPair,
  hashLeaf,
  makeAuditStatement,
  makeAuditorStatement,
  type AuditStatementInput,
  type Ed25519KeyPair,
  type NotaryMirrorState,
} from '@vet/core';
import { openDataDir } from '../packages/notary-server/src/datadir.js';
import { NotaryError } from '../packages/notary-server/src/errors.js';
import { createNotary, inlineVerifier, type Notary } from '../packages/notary-server/src/notary.js';
import { serveNotary } from '../packages/notary-server/src/server.js';
import { initTestDataDir, ORIGIN } from '@vet/test-support/notary-harness';
import { issue11Quirks, npmIntegrity } from '@vet/test-support/notary-quirks';
import type { CommandIO } from '../packages/cli/src/io.js';
import { createHttpClient } from '../packages/cli/src/registry/index.js';
import { refreshNotaryImport } from '../packages/cli/src/notary/refresher.js';
import { notaryImport, storeWith, npmGraph } from '@vet/test-support/notary-fixtures';

/** Keys no signature verifies under: the identity point (small order) and y = p + 1 (non-canonical). */
const WEAK_KEYS = [
  Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0)),
  Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xee : i === 31 ? 0x7f : 0xff)),
];
const TOTAL = Number(process.env.VET_DIFF_ENTRIES ?? 1500);
const PER_RUN = TOTAL >= 20_000 ? 2000 : 300;
const RUNS = Math.max(1, Math.ceil(TOTAL / PER_RUN));
const http = createHttpClient({ retries: 0 });
afterAll(() => http.close());

// ---------------------------------------------------------------- keys and signing

interface Key {
  keyid: string;
  keys: Ed25519KeyPair;
  obj: KeyObject;
}
const PKCS8 = Buffer.from('302e020100300506032b657004220420', 'hex');
function key(keyid: string): Key {
  const keys = generateEd25519KeyPair();
  const obj = createPrivateKey({
    key: Buffer.concat([PKCS8, keys.secretKey.subarray(0, 32)]),
    format: 'der',
    type: 'pkcs8',
  });
  return { keyid, keys, obj };
}
/** Auditor key slots (a slot is only a key; whether it is registered is up to the log). */
const SLOTS = ['vet-auditor:a', 'vet-auditor:b', 'constructor', '__proto__'].map(key);

function envelope(k: Key, payload: Uint8Array, keyid = k.keyid): Record<string, unknown> {
  const sig = sign(null, dssePae(IN_TOTO_PAYLOAD_TYPE, payload), k.obj).toString('base64');
  return {
    payload: Buffer.from(payload).toString('base64'),
    payloadType: IN_TOTO_PAYLOAD_TYPE,
    signatures: [{ keyid, sig }],
  };
}
const bytes = (o: unknown) => Buffer.from(JSON.stringify(o));

// ---------------------------------------------------------------- actions

const protoNames = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];
const text = fc.oneof(
  fc.constantFrom(
    'Alice',
    '',
    'a\u0000b',
    'tab\there',
    'line\nbreak',
    'cr\r',
    '\u0085',
    'lone \ud800',
    '😀',
    ...protoNames,
  ),
  fc.string({ maxLength: 30 }),
  fc.integer({ min: 17_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
);
const pkg = fc.oneof(
  fc.constantFrom(
    'left-pad',
    '@scope/pkg',
    'UPPER',
    '.hidden',
    '_under',
    'a b',
    'node_modules',
    'x'.repeat(215),
    ...protoNames,
  ),
  fc.string({ maxLength: 20 }),
);
const version = fc.oneof(
  fc.constantFrom('1.0.0', '1.2.3-beta.1', '1.0', 'v1.0.0', '1.0.0\n', '01.0.0', '9'.repeat(200), ...protoNames),
  fc.tuple(fc.nat(9), fc.nat(99), fc.nat(999)).map(([a, b, c]) => `${a}.${b}.${c}`),
  fc.string({ maxLength: 12 }),
);
const range = fc.oneof(
  fc.constantFrom('>=1.0.0 <2.0.0', '^1.2.3', '*', '>=1.0, <2.0', 'not a range', '', '>=1.0.0\u0000', ...protoNames),
  fc.string({ maxLength: 20 }),
);
const criteria = fc.subarray([
  'safe-to-deploy',
  'safe-to-run',
  'constructor',
  '__proto__',
  'bad name',
  '',
  'x'.repeat(70),
]);
const signer = fc.nat(SLOTS.length - 1);

const action = fc.oneof(
  { weight: 10, arbitrary: fc.record({ t: fc.constant('good' as const), signer: fc.nat(1), violation: fc.boolean() }) },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('audit' as const),
      signer,
      pkg,
      version,
      criteria,
      who: text,
      notes: fc.option(text),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('violation' as const), signer, pkg, range, criteria }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('revoke' as const),
      signer: fc.option(signer),
      target: fc.nat(),
      random: fc.boolean(),
    }),
  },
  // weak 0: a small-order public key, 1: a non-canonical one (rule AUDITOR_KEY); else the slot's own.
  { weight: 1, arbitrary: fc.record({ t: fc.constant('add' as const), slot: signer, name: text, weak: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('remove' as const), slot: signer, wrongKey: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('quirk' as const), signer, k: fc.nat(6) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('mutate' as const),
      signer,
      ops: fc.array(fc.tuple(fc.constantFrom('flip', 'insert', 'delete', 'cut'), fc.nat(), fc.nat(255)), {
        minLength: 1,
        maxLength: 3,
      }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('again' as const), back: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('stranger' as const) }) },
);
type Action = typeof action extends fc.Arbitrary<infer A> ? A : never;

interface Ctx {
  admin: Key;
  sent: Uint8Array[];
  /** Leaf hashes of accepted audits and violations. */
  claims: string[];
  n: number;
}

function audit(k: Key, over: Partial<AuditStatementInput>, ctx: Ctx): Uint8Array {
  const input = {
    kind: 'audit',
    ecosystem: 'npm',
    package: 'left-pad',
    version: `1.0.${ctx.n}`,
    criteria: ['safe-to-deploy'],
    who: 'w',
    ...over,
  } as AuditStatementInput;
  if (input.kind === 'audit' && input.version !== undefined && !input.digests)
    input.digests = { [input.version]: npmIntegrity(`${ctx.n}`) };
  input.digests ??= {};
  try {
    return bytes(envelope(k, makeAuditStatement(input)));
  } catch {
    // makeAuditStatement refuses some inputs: write the statement by hand, still signed.
    const subject = [
      { name: `pkg:npm/${encodeURIComponent(input.package)}@${encodeURIComponent(input.version ?? '')}`, digest: {} },
    ];
    const predicate = {
      kind: input.kind === 'audit' ? 'full' : input.kind,
      criteria: input.criteria,
      who: input.who,
      violation: input.violation,
      notes: input.notes,
    };
    const st = {
      _type: 'https://in-toto.io/Statement/v1',
      subject,
      predicateType: 'https://vet.dev/audit/v1',
      predicate,
    };
    return bytes(envelope(k, Buffer.from(JSON.stringify(st))));
  }
}

function build(a: Action, ctx: Ctx): Uint8Array {
  ctx.n += 1;
  switch (a.t) {
    case 'good':
      return a.violation
        ? audit(
            SLOTS[a.signer]!,
            { kind: 'violation', version: undefined, digests: {}, violation: `>=${ctx.n}.0.0` },
            ctx,
          )
        : audit(SLOTS[a.signer]!, { package: protoNames[ctx.n % protoNames.length]!.replace(/^_+/, 'p') }, ctx);
    case 'audit':
      return audit(
        SLOTS[a.signer]!,
        {
          package: a.pkg,
          version: a.version,
          criteria: a.criteria,
          who: a.who,
          ...(a.notes !== null && { notes: a.notes }),
        },
        ctx,
      );
    case 'violation':
      return audit(
        SLOTS[a.signer]!,
        {
          kind: 'violation',
          package: a.pkg,
          violation: a.range,
          criteria: a.criteria,
          version: undefined,
          digests: {},
        },
        ctx,
      );
    case 'revoke': {
      const target = a.random || ctx.claims.length === 0 ? hashHex(ctx.n) : ctx.claims[a.target % ctx.claims.length]!;
      const k = a.signer === null ? ctx.admin : SLOTS[a.signer]!;
      return audit(k, { kind: 'revocation', version: undefined, digests: {}, criteria: [], revokes: target }, ctx);
    }
    case 'add':
    case 'remove': {
      const slot = SLOTS[a.slot]!;
      const pk =
        a.t === 'remove' && a.wrongKey
          ? SLOTS[(a.slot + 1) % SLOTS.length]!.keys.publicKey
          : a.t === 'add' && a.weak < 2
            ? WEAK_KEYS[a.weak]!
            : slot.keys.publicKey;
      const name = a.t === 'add' ? a.name : 'x';
      try {
        return bytes(
          envelope(ctx.admin, makeAuditorStatement({ action: a.t, keyid: slot.keyid, publicKey: pk, name })),
        );
      } catch {
        return bytes(
          envelope(ctx.admin, Buffer.from(JSON.stringify({ predicateType: 'https://vet.dev/auditor/v1', name }))),
        );
      }
    }
    case 'quirk':
      return issue11Quirks(SLOTS[a.signer]!, String(ctx.n))[a.k]!.bytes;
    case 'mutate': {
      let b = Buffer.from(audit(SLOTS[a.signer]!, {}, ctx));
      for (const [op, pos, byte] of a.ops) {
        const at = pos % (b.length + 1);
        if (op === 'flip') b[at % b.length] = b[at % b.length]! ^ (byte | 1);
        else if (op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.of(byte), b.subarray(at)]);
        else if (op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
        else b = b.subarray(0, at);
      }
      return b;
    }
    case 'again':
      return ctx.sent.length === 0 ? Buffer.from('{}') : ctx.sent[ctx.sent.length - 1 - (a.back % ctx.sent.length)]!;
    case 'stranger':
      return audit(key('vet-auditor:a'), {}, ctx); // a registered key id, another key
  }
}

const hashHex = (n: number) => Buffer.from(hashLeaf(Buffer.from(String(n)))).toString('hex');

// ---------------------------------------------------------------- the two sides

/** Decisions seen, by rule ("accepted", a rule, or "policy:<code>"): printed, and checked for variety. */
const seen = new Map<string, number>();
const count = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);
const timing = { build: 0, client: 0, server: 0, restart: 0 };

const ADMIN_TOKEN = { subject: 'admin', role: 'admin' as const, id: 'differential' };
const io: CommandIO = {
  out: () => {},
  err: () => {},
  isTTY: false,
  interactive: false,
  prompt: () => Promise.resolve(''),
  now: () => new Date(),
  env: {},
};

/**
 * `overHttp`: restart as `vet-notary serve` (worker threads, HTTP) and import the log with a
 * real client over 127.0.0.1; otherwise restart in process and replay the stored log with
 * the client's replayer (the same state machine, without the seconds a server with its
 * workers takes to start).
 */
async function runSequence(actions: Action[], overHttp: boolean): Promise<void> {
  const dir = mkdtempSync(join('/dev/shm', 'vet-diff-'));
  try {
    const { verifierKey } = initTestDataDir(dir, (c) => {
      c.policy.criteria = ['safe-to-deploy', 'safe-to-run', 'constructor'];
    });
    const opened = openDataDir(dir);
    const notary: Notary = createNotary({
      db: opened.db,
      config: opened.config,
      keys: opened.keys,
      verifier: inlineVerifier('libsodium'),
    });
    const admin: Key = {
      keyid: opened.keys.admin.keyid,
      keys: { publicKey: opened.keys.admin.publicKey, secretKey: opened.keys.admin.secretKey },
      obj: createPrivateKey({
        key: Buffer.concat([PKCS8, Buffer.from(opened.keys.admin.secretKey.subarray(0, 32))]),
        format: 'der',
        type: 'pkcs8',
      }),
    };
    const mirror: Pick<NotaryMirrorState, 'origin' | 'adminKeys' | 'auditors' | 'claims'> = {
      origin: ORIGIN,
      adminKeys: { [admin.keyid]: Buffer.from(admin.keys.publicKey).toString('base64') },
      auditors: {},
      claims: [],
    };
    const client = new NotaryReplayer(mirror, 0);
    const ctx: Ctx = { admin, sent: [], claims: [], n: 0 };
    const start: Action[] = [
      { t: 'add', slot: 0, name: 'Alice', weak: 2 },
      { t: 'add', slot: 1, name: 'Bob', weak: 2 },
    ];
    let size = 0;
    for (const a of [...start, ...actions]) {
      const t0 = performance.now();
      const leaf = build(a, ctx);
      timing.build += performance.now() - t0;
      ctx.sent.push(leaf);
      await compare(notary, client, leaf, size, ctx).then((accepted) => (size += accepted ? 1 : 0));
    }
    const last = notary.latest().note;
    await notary.close();
    opened.db.close();
    const t0 = performance.now();
    if (overHttp) await restartAndImport(dir, verifierKey, last, size);
    else await restartAndReplay(dir, mirror.adminKeys, last, size);
    timing.restart += performance.now() - t0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One entry to both sides; true when both accepted it (it is now entry `size` of the log). */
async function compare(
  notary: Notary,
  client: NotaryReplayer,
  leaf: Uint8Array,
  size: number,
  ctx: Ctx,
): Promise<boolean> {
  const leafHash = hashLeaf(leaf);
  let clientRule: string | undefined;
  let judged: ReturnType<typeof client.judge> | undefined;
  let t0 = performance.now();
  try {
    judged = client.judge(size, leaf, leafHash);
  } catch (e) {
    clientRule = (e as { details?: { rule?: string } }).details?.rule ?? `unexpected: ${String(e)}`;
  }
  timing.client += performance.now() - t0;
  t0 = performance.now();
  let server: { ok: true } | { ok: false; rule: string | undefined; code: string };
  try {
    await notary.submit(leaf, ADMIN_TOKEN);
    server = { ok: true };
  } catch (e) {
    if (!(e instanceof NotaryError)) throw e;
    server = { ok: false, rule: e.rule, code: e.apiCode };
  }
  timing.server += performance.now() - t0;
  count(server.ok ? 'accepted' : (server.rule ?? `policy:${server.code}`));
  const what = `entry ${Buffer.from(leaf).subarray(0, 300).toString()}`;
  if (server.ok) {
    expect(clientRule, `server accepted, client refused: ${what}`).toBeUndefined();
    client.apply(size, leaf, leafHash);
    if (judged === undefined) throw new Error(`client judged nothing yet did not refuse: ${what}`);
    const c = judged.claim;
    if (c.type === 'audit' || c.type === 'violation') ctx.claims.push(judged.leafHash);
    return true;
  }
  if (server.rule === undefined) {
    // The notary's policy on top of the protocol: only where the protocol accepts.
    expect(['DUPLICATE', 'POLICY'], what).toContain(server.code);
    expect(clientRule, `policy refusal ${server.code} where the protocol refuses: ${what}`).toBeUndefined();
    return false;
  }
  expect(clientRule, `server refused by ${server.rule}, client: ${clientRule ?? 'accepted'}: ${what}`).toBe(
    server.rule,
  );
  return false;
}

/** The notary restarted in process on the log: same checkpoint, no problem entries; a client replays it whole. */
async function restartAndReplay(
  dir: string,
  adminKeys: Record<string, string>,
  last: string,
  size: number,
): Promise<void> {
  const opened = openDataDir(dir);
  try {
    const notary = createNotary({ db: opened.db, config: opened.config, keys: opened.keys });
    expect(notary.latest()).toMatchObject({ size, note: last });
    expect(notary.readiness().entries).toEqual([]);
    const replayer = new NotaryReplayer({ origin: ORIGIN, adminKeys, auditors: {}, claims: [] }, 0);
    notary.reads.source.readLeaves(0, size).forEach((leaf, i) => replayer.apply(i, leaf, hashLeaf(leaf)));
    await notary.close();
  } finally {
    opened.db.close();
  }
}

/** The notary restarted on the log: same checkpoint, ready; a real client imports it whole. */
async function restartAndImport(dir: string, vkey: string, last: string, size: number): Promise<void> {
  const running = await serveNotary(dir, { port: 0 });
  try {
    expect(await (await fetch(`${running.url}/checkpoint`)).text()).toBe(last);
    const ready = await fetch(`${running.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { ok: true, size }]);
    const store = storeWith({ notary: notaryImport(running.url, vkey) });
    const state = mkdtempSync(join('/dev/shm', 'vet-diff-state-'));
    try {
      const r = await refreshNotaryImport(
        { http, io, storeDir: '/nonexistent', stateDir: state },
        'notary',
        store.config.imports['notary']!,
        store,
        npmGraph({}),
      );
      expect(r.newEntries).toBe(size);
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  } finally {
    await running.close();
  }
}

describe('differential: notary admission and client replay decide alike', () => {
  it(`${RUNS} sequences of ${PER_RUN} entries (${RUNS * PER_RUN} entries)`, async () => {
    const started = performance.now();
    let sequences = 0;
    await fc.assert(
      // The first sequence restarts as a served notary and is imported over HTTP; the rest in process.
      fc.asyncProperty(fc.array(action, { minLength: PER_RUN, maxLength: PER_RUN }), (actions) =>
        runSequence(actions, sequences++ === 0),
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    const total = [...seen.values()].reduce((a, b) => a + b, 0);
    console.log(
      `differential: ${total} entries in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
        `(ms: ${JSON.stringify(Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, Math.round(v)])))}); ` +
        `decisions: ${JSON.stringify(Object.fromEntries([...seen].sort((a, b) => b[1] - a[1])))}`,
    );
    // The generator must reach both outcomes and many rules, or the agreement says little.
    expect(seen.get('accepted') ?? 0).toBeGreaterThan(total / 10);
    expect(seen.size).toBeGreaterThan(Math.min(12, total / 20));
  }, 3_600_000);
});
