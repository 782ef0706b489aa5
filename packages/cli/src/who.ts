/** Who is certifying: --who, else `git config user.name <user.email>` as cargo-vet does. */
import { execFileSync } from 'node:child_process';

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
