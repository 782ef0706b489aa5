/** Who is certifying: --who, else `git config user.name <user.email>` as cargo-vet does. */
import { execFileSync } from 'node:child_process';
import { VetError } from '@vet/core';

export function defaultWho(cwd: string): string | undefined {
  const get = (key: string): string | undefined => {
    try {
      const v = execFileSync('git', ['config', '--get', key], {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      return v === '' ? undefined : v;
    } catch {
      return undefined;
    }
  };
  const name = get('user.name');
  const email = get('user.email');
  if (name && email) return `${name} <${email}>`;
  return name ?? email;
}

/**
 * Who signs a record: `--who` values, else git's identity. An audit or violation without a
 * `who` says nothing about who vouches for it, so none is refused (issue 10).
 */
export function requireWho(given: readonly string[] | undefined, cwd: string, command: string): string[] {
  const who = (given ?? []).map((w) => w.trim()).filter((w) => w !== '');
  if (who.length > 0) return who;
  const fromGit = defaultWho(cwd);
  if (fromGit !== undefined) return [fromGit];
  throw new VetError('INVALID_ARGUMENT', `${command} needs to know who you are, and git has no identity configured`, {
    hint:
      "pass --who 'Name <email>', or set git's identity: " +
      "git config --global user.name 'Your Name' && git config --global user.email you@example.com",
  });
}
