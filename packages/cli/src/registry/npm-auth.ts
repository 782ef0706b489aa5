/**
 * Credentials for a request URL, npm-registry-fetch style: credentials only count when they are
 * scoped to a URL prefix (`//host[:port]/path/:_authToken=…`), the most specific prefix of the
 * request URL wins, and a URL with no matching prefix gets no credentials at all — so a token can
 * never reach a host it was not configured for, including `dist.tarball` hosts (§12.4).
 */
import { npmConfigGet, type NpmConfig } from './npm-config.js';

const CREDENTIAL_SUFFIXES = [':_authToken', ':_auth', ':username', ':_password'] as const;

function hasCredentials(config: NpmConfig, prefix: string): boolean {
  if (npmConfigGet(config, `${prefix}:_authToken`)) return true;
  if (npmConfigGet(config, `${prefix}:_auth`)) return true;
  return Boolean(npmConfigGet(config, `${prefix}:username`) && npmConfigGet(config, `${prefix}:_password`));
}

/**
 * The configured credential prefix that applies to `url`, walking up `//host/a/b` →
 * `//host/a/` → `//host/a` → … → `//host` like npm (both `path/:` and `path:` spellings match).
 */
export function credentialPrefixFor(config: NpmConfig, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  let key = `//${parsed.host}${parsed.pathname}`;
  while (key.length > 2) {
    if (hasCredentials(config, key)) return key;
    key = key.replace(/([^/]+|\/)$/, '');
  }
  return undefined;
}

/** The `Authorization` header value for `url`, or undefined when none is configured for it. */
export function authorizationFor(config: NpmConfig, url: string): string | undefined {
  const prefix = credentialPrefixFor(config, url);
  if (prefix === undefined) return undefined;
  const token = npmConfigGet(config, `${prefix}:_authToken`);
  if (token) return `Bearer ${token}`;
  const auth = npmConfigGet(config, `${prefix}:_auth`);
  if (auth) return `Basic ${auth}`;
  const user = npmConfigGet(config, `${prefix}:username`) ?? '';
  // `_password` is stored base64-encoded in npmrc.
  const password = Buffer.from(npmConfigGet(config, `${prefix}:_password`) ?? '', 'base64').toString('utf8');
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Top-level credential keys npm refuses to use because they name no registry. */
export function unscopedCredentialKeys(keys: Iterable<string>): string[] {
  const bare = new Set(CREDENTIAL_SUFFIXES.map((s) => s.slice(1)));
  return [...keys].filter((k) => bare.has(k));
}
