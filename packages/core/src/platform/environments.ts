/**
 * One platform as each ecosystem sees it, and whether a package or an edge exists there:
 *  - npm: `os`/`cpu`/`libc` lists, `!x` negating, as npm-install-checks' `checkPlatform` reads
 *    them (a libc list never matches off linux; on linux without a named libc it is unknown, kept);
 *  - PyPI: PEP 508 markers with `sys_platform`, `platform_system`, `os_name` and
 *    `platform_machine` bound to the values CPython reports there (a value that varies by
 *    distribution or version — FreeBSD's `sys_platform`, 32-bit ARM's machine — stays unknown);
 *    only a marker that is false excludes;
 *  - Cargo: target triples (`linux-x64-glibc` → `x86_64-unknown-linux-gnu`) whose cfg facts
 *    the lockfile reader's evaluator (lockfile/cargo/cfg.ts) tests `[target.<spec>]` against.
 */
import type { EdgeCondition, PlatformConstraint } from '../graph.js';
import { cargoPlatformMatches } from '../lockfile/cargo/cfg.js';
import { evaluateMarker } from '../lockfile/pypi/markers.js';
import type { Platform } from './names.js';

/** npm-install-checks' `checkList`: `any`, negations, then membership. */
function npmList(value: string | undefined, list: readonly string[]): boolean {
  if (list.length === 1 && list[0] === 'any') return true;
  let negated = 0;
  let match = false;
  for (const entry of list) {
    const negate = entry.startsWith('!');
    const test = negate ? entry.slice(1) : entry;
    if (negate) {
      negated++;
      if (value === test) return false;
    } else match ||= value === test;
  }
  return match || negated === list.length;
}

function npmInstalls(c: PlatformConstraint, p: Platform): boolean {
  if (c.os && !npmList(p.os, c.os)) return false;
  if (c.cpu && !npmList(p.cpu, c.cpu)) return false;
  if (c.libc && !(p.os === 'linux' && p.libc === undefined) && !npmList(p.os === 'linux' ? p.libc : undefined, c.libc))
    return false;
  return true;
}

const SYS_PLATFORM: Record<string, string> = {
  linux: 'linux',
  darwin: 'darwin',
  win32: 'win32',
  aix: 'aix',
  cygwin: 'cygwin',
};
const PLATFORM_SYSTEM: Record<string, string> = {
  linux: 'Linux',
  darwin: 'Darwin',
  win32: 'Windows',
  freebsd: 'FreeBSD',
  openbsd: 'OpenBSD',
  netbsd: 'NetBSD',
  sunos: 'SunOS',
  aix: 'AIX',
  haiku: 'Haiku',
};
const MACHINE: Record<string, Record<string, string>> = {
  win32: { x64: 'AMD64', arm64: 'ARM64', ia32: 'x86' },
  darwin: { x64: 'x86_64', arm64: 'arm64' },
  linux: { x64: 'x86_64', arm64: 'aarch64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loongarch64' },
  android: { x64: 'x86_64', arm64: 'aarch64' },
  freebsd: { x64: 'amd64', arm64: 'arm64' },
};

/** The PEP 508 variables CPython reports on `p`, where they do not vary. */
export function markerEnvironment(p: Platform): Map<string, string> {
  const env = new Map<string, string>();
  const set = (k: string, v: string | undefined) => v !== undefined && env.set(k, v);
  set('sys_platform', SYS_PLATFORM[p.os]);
  set('platform_system', PLATFORM_SYSTEM[p.os]);
  set('os_name', p.os === 'win32' ? 'nt' : 'posix');
  set('platform_machine', MACHINE[p.os]?.[p.cpu]);
  return env;
}

const RUST_ARCH: Record<string, string> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  ia32: 'i686',
  arm: 'armv7',
  loong64: 'loongarch64',
  ppc: 'powerpc',
  ppc64: 'powerpc64le',
  riscv64: 'riscv64gc',
  s390: 's390x',
  s390x: 's390x',
  mips: 'mips',
  mipsel: 'mipsel',
};

/** The Rust target triples of `p` (several when the libc or Windows ABI is open). */
export function targetTriples(p: Platform): string[] {
  const arch = RUST_ARCH[p.cpu] ?? p.cpu;
  const eabi = p.cpu === 'arm' ? 'eabihf' : '';
  switch (p.os) {
    case 'linux': {
      const envs = p.libc === 'musl' ? ['musl'] : p.libc === 'glibc' ? ['gnu'] : ['gnu', 'musl'];
      return envs.map((e) => `${arch}-unknown-linux-${e}${eabi}`);
    }
    case 'darwin':
      return [`${arch}-apple-darwin`];
    case 'win32':
      return [`${arch}-pc-windows-msvc`, `${arch}-pc-windows-gnu`];
    case 'android':
      return [`${arch}-linux-android${p.cpu === 'arm' ? 'eabi' : ''}`];
    case 'sunos':
      return [`${arch}-pc-solaris`];
    case 'aix':
      return ['powerpc64-ibm-aix'];
    default:
      return [`${arch}-unknown-${p.os}`];
  }
}

/** A platform's answers, memoised: the filter asks the same markers and specs many times. */
export class PlatformEnvironment {
  private readonly env: Map<string, string>;
  private readonly triples: string[];
  private readonly markers = new Map<string, boolean>();
  private readonly specs = new Map<string, boolean>();

  constructor(readonly platform: Platform) {
    this.env = markerEnvironment(platform);
    this.triples = targetTriples(platform);
  }

  /** False only when the marker is false here (unknown variables keep a package). */
  markerHolds(marker: string): boolean {
    let v = this.markers.get(marker);
    if (v === undefined) this.markers.set(marker, (v = evaluateMarker(marker, { env: this.env }) !== false));
    return v;
  }

  cargoHolds(spec: string): boolean {
    let v = this.specs.get(spec);
    if (v === undefined) this.specs.set(spec, (v = this.triples.some((t) => cargoPlatformMatches(spec, t))));
    return v;
  }

  edgeActive(when: EdgeCondition | undefined): boolean {
    if (when === undefined) return true;
    if (when.cargo && !when.cargo.some((s) => this.cargoHolds(s))) return false;
    return when.marker === undefined || this.markerHolds(when.marker);
  }

  installs(c: PlatformConstraint | undefined): boolean {
    if (c === undefined) return true;
    if (!npmInstalls(c, this.platform)) return false;
    return c.marker === undefined || this.markerHolds(c.marker);
  }
}
