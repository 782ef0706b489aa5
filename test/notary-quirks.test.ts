/**
 * Issue 11's quirks at the client: a log that holds one (a notary that admitted it, or a
 * mirror serving it) is refused on import with the rule the notary now refuses it by at
 * submission, and nothing is written — the violation whose range is not a range used to go
 * into imports.lock and break every later `check --locked`; a `__proto__` version used to
 * reach the store.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../packages/cli/src/io.js';
import { createHttpClient } from '../packages/cli/src/registry/index.js';
import { refreshNotaryImport } from '../packages/cli/src/notary/refresher.js';
import { notaryStateDir } from '../packages/cli/src/notary/state-dir.js';
import {
  ORIGIN,
  audit,
  envelope,
  notaryImport,
  npmGraph,
  startStaticLog,
  storeWith,
  tempDir,
} from '@vet/test-support/notary-fixtures';
import { IN_TOTO_PAYLOAD_TYPE, generateEd25519KeyPair, makeAuditorStatement, signDsse } from '@vet/core';
import { issue11Quirks } from '@vet/test-support/notary-quirks';

const http = createHttpClient({ retries: 0 });
const cleanups: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await http.close();
});

const io: CommandIO = {
  out: () => {},
  err: () => {},
  isTTY: false,
  interactive: false,
  prompt: () => Promise.resolve(''),
  now: () => new Date(),
  env: {},
};

/** Imports the store's `notary` import into state dir `stateDir`: the refusal, or undefined. */
function importRefusal(
  store: ReturnType<typeof storeWith>,
  stateDir: string,
): Promise<{ code: string; details?: Record<string, unknown> } | undefined> {
  return refreshNotaryImport(
    { http, io, storeDir: '/nonexistent', stateDir },
    'notary',
    store.config.imports['notary']!,
    store,
    npmGraph({ pkg: '1.0.0' }),
  ).then(
    () => undefined,
    (e: unknown) => e as { code: string; details?: Record<string, unknown> },
  );
}

describe('issue 11 quirks are refused on import, naming the rule; nothing is written', () => {
  const names = issue11Quirks({ keyid: 'k', keys: generateEd25519KeyPair() }).map((q) => q.name);
  for (const name of names) {
    it(`refuses a log holding ${name}`, async () => {
      const l = await startStaticLog();
      cleanups.push(() => l.close());
      const bob = l.addAuditor('Bob');
      l.append(envelope(bob, audit('pkg', '1.0.0')));
      const quirk = issue11Quirks(bob).find((q) => q.name === name)!;
      l.append(quirk.bytes);
      const store = storeWith({ notary: notaryImport(l.url, l.vkey) });
      const before = structuredClone(store);
      const t = tempDir('vet-state-');
      cleanups.push(() => t.cleanup());
      const error = await importRefusal(store, t.dir);
      expect(error, 'the import should have been refused').toBeDefined();
      expect(error!.code).toBe('SIGNATURE_INVALID');
      expect(error!.details).toMatchObject({ index: 2, rule: quirk.rule });
      expect(store).toEqual(before); // imports.lock untouched
      const mirror = join(notaryStateDir(t.dir, ORIGIN), 'head.json');
      expect(existsSync(mirror) ? readFileSync(mirror, 'utf8') : undefined).toBeUndefined();
    });
  }
});

describe('an auditor added with an unusable public key', () => {
  // The identity point (y = 1) and y = p + 1 (non-canonical): no signature verifies under either.
  const identity = new Uint8Array(32);
  identity[0] = 1;
  const nonCanonical = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xee : i === 31 ? 0x7f : 0xff));
  for (const [what, key] of [
    ['a small-order key', identity],
    ['a non-canonical key', nonCanonical],
  ] as const) {
    it(`refuses a log that adds ${what}, by rule AUDITOR_KEY`, async () => {
      const l = await startStaticLog();
      cleanups.push(() => l.close());
      const payload = makeAuditorStatement({ action: 'add', keyid: 'vet-auditor:weak', publicKey: key, name: 'Weak' });
      l.append(
        Buffer.from(
          JSON.stringify(
            signDsse(payload, IN_TOTO_PAYLOAD_TYPE, { keyid: l.admin.keyid, secretKey: l.admin.keys.secretKey }),
          ),
        ),
      );
      const store = storeWith({ notary: notaryImport(l.url, l.vkey) });
      const t = tempDir('vet-state-');
      cleanups.push(() => t.cleanup());
      const error = await importRefusal(store, t.dir);
      expect(error, 'the import should have been refused').toBeDefined();
      expect(error!.details).toMatchObject({ index: 0, rule: 'AUDITOR_KEY' });
    });
  }
});

describe('identity on import', () => {
  it("an approval's who is the auditor's registered name, not the statement's text", async () => {
    const l = await startStaticLog();
    cleanups.push(() => l.close());
    const bob = l.addAuditor('Bob <bob@example.com>');
    l.append(envelope(bob, audit('pkg', '1.0.0', { who: 'Mallory <mallory@example.com>' })));
    const store = storeWith({ notary: notaryImport(l.url, l.vkey) });
    const t = tempDir('vet-state-');
    cleanups.push(() => t.cleanup());
    await refreshNotaryImport(
      { http, io, storeDir: '/nonexistent', stateDir: t.dir },
      'notary',
      store.config.imports['notary']!,
      store,
      npmGraph({ pkg: '1.0.0' }),
    );
    expect(store.importsLock.audits['notary']?.audits['pkg']?.[0]?.who).toEqual(['Bob <bob@example.com>']);
  });
});
