/**
 * Platform names for `vet check --platform` and `[vet] platforms`: `<os>-<cpu>[-<libc>]` in
 * Node's own words (`process.platform`, `process.arch`, as npm's `os`/`cpu` fields use them)
 * and npm's libc names, e.g. `linux-x64-glibc`, `darwin-arm64`, `win32-x64`. Other
 * ecosystems' views of a platform (Cargo target triples, PEP 508 marker values) derive from
 * these three words in environments.ts.
 */
import { VetError } from '../errors.js';

export const PLATFORM_OSES = [
  'aix',
  'android',
  'cygwin',
  'darwin',
  'freebsd',
  'haiku',
  'linux',
  'netbsd',
  'openbsd',
  'sunos',
  'win32',
] as const;
export const PLATFORM_CPUS = [
  'arm',
  'arm64',
  'ia32',
  'loong64',
  'mips',
  'mipsel',
  'ppc',
  'ppc64',
  'riscv64',
  's390',
  's390x',
  'x64',
] as const;
export const PLATFORM_LIBCS = ['glibc', 'musl'] as const;

export interface Platform {
  /** As written (canonical: lower case). */
  name: string;
  os: string;
  cpu: string;
  /** Linux only; undefined = either. */
  libc?: string;
}

const includes = (list: readonly string[], s: string | undefined): s is string => s !== undefined && list.includes(s);

/** `linux-x64-glibc` → its parts, or a reason it is not a platform name. */
function parseOne(text: string): Platform | string {
  const name = text.trim().toLowerCase();
  const [os, cpu, libc, ...rest] = name.split('-');
  if (!includes(PLATFORM_OSES, os)) return `unknown os "${os ?? ''}"`;
  if (!includes(PLATFORM_CPUS, cpu)) return `unknown cpu "${cpu ?? ''}"`;
  if (rest.length > 0) return 'too many parts';
  if (libc === undefined) return { name, os, cpu };
  if (!(PLATFORM_LIBCS as readonly string[]).includes(libc)) return `unknown libc "${libc}"`;
  if (os !== 'linux') return 'a libc is named only for linux';
  return { name, os, cpu, libc };
}

export const PLATFORM_FORMS =
  `<os>-<cpu>[-<libc>] with os one of ${PLATFORM_OSES.join(', ')}; cpu one of ${PLATFORM_CPUS.join(', ')}; ` +
  `libc (linux only) ${PLATFORM_LIBCS.join(' or ')} — e.g. linux-x64-glibc, linux-arm64-musl, darwin-arm64, win32-x64`;

/** Every name parsed, or one INVALID_ARGUMENT error naming each bad one and the valid forms. */
export function parsePlatforms(names: readonly string[]): Platform[] {
  const out: Platform[] = [];
  const bad: string[] = [];
  for (const n of names) {
    const p = parseOne(n);
    if (typeof p === 'string') bad.push(`"${n}" (${p})`);
    else if (!out.some((o) => o.name === p.name)) out.push(p);
  }
  if (bad.length > 0) {
    throw new VetError('INVALID_ARGUMENT', `not a platform name: ${bad.join(', ')}`, {
      hint: `a platform is ${PLATFORM_FORMS}`,
    });
  }
  return out;
}

/** Undefined when `name` is a platform name, else why not (for config validation). */
export function platformNameProblem(name: string): string | undefined {
  const p = parseOne(name);
  return typeof p === 'string' ? `${p}; a platform is ${PLATFORM_FORMS}` : undefined;
}
