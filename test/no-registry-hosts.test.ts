/**
 * No public registry host appears anywhere in the repository — code, docs, tests, fixtures
 * (developers' guide): defaults come from the user's package manager or from the lockfile, and
 * tests use their own servers and hosts like `registry.example`. This test scans every file git
 * knows (tracked, and new files not ignored) for host-like tokens and compares the SHA-256 of
 * each token, and of each of its parent domains, against the hashes of the public npm, Yarn,
 * Python and Cargo registry domains — so the rule is enforced without this file naming them.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/project.js';

/** sha256 of the forbidden domains (a token matches when it is one of them or a subdomain). */
const FORBIDDEN = new Set([
  '8743857e3ea00fd1c64bbc68b8af241954ad2c285e7a60340eec7ea5dcb200db',
  '3ca29e55be4befa48f875d24c27f9bed32fe06588819ed6264084b6670a1ebb0',
  '87d14f070cb9686970d008f9f94e668075fd37620381409858bf040ae1271d51',
  'a4aa2ac280bb8d1a0ce7a1be5a7bfb10292b49fe9435ad5cff19f421f3c70e41',
  'd6d7019ca9fcbf07c769e445342515ef0c92e4f18a96adbb3bf6460f5b0ba17f',
  '8b5bb5eb9d758455b8635855cf8aaf05b68775e3f83f0291e800ef338fb9783c',
  '789e46d79514e28093cabe2bb4a0798266f584b0e508ef269ebabb6e57859290',
]);

const HOST = /(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]/gi;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The token and its parent domains: `a.b.c` → `a.b.c`, `b.c`. */
function domains(token: string): string[] {
  const labels = token.toLowerCase().split('.');
  return labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
}

/** `file:line: token` for every forbidden host in `text`. */
export function forbiddenHosts(text: string, file: string, forbidden: ReadonlySet<string>): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(HOST)) {
      if (domains(m[0]).some((d) => forbidden.has(sha256(d)))) out.push(`${file}:${i + 1}: ${m[0]}`);
    }
  });
  return out;
}

function repositoryFiles(): string[] | undefined {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: REPO_ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return out.toString('utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

const files = repositoryFiles();
if (!files) console.warn('no-registry-hosts: skipped, the repository is not a git checkout (git ls-files failed)');

describe('no public registry host in the repository', () => {
  it('the scanner finds a host, its subdomains and spellings in any case, and only whole host names', () => {
    const forbidden = new Set([sha256('registry.example')]);
    const text =
      'ok: example.com\nsee https://Index.Registry.Example/simple and registry.example.\nregistry.examples\n';
    expect(forbiddenHosts(text, 'f', forbidden)).toEqual(['f:2: Index.Registry.Example', 'f:2: registry.example']);
  });

  it.skipIf(!files)('every file git knows is free of them', () => {
    const found: string[] = [];
    for (const f of files!) {
      const full = path.join(REPO_ROOT, f);
      if (!existsSync(full)) continue; // deleted in the work tree
      const bytes = readFileSync(full);
      if (bytes.includes(0)) continue; // binary
      found.push(...forbiddenHosts(bytes.toString('utf8'), f, FORBIDDEN));
    }
    expect(found).toEqual([]);
  });
});
