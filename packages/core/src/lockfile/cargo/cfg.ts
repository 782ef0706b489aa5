/**
 * Platform filtering for `[target.<spec>.*-dependencies]` when cargo's `build.target` is set
 * (spec/cargo-vet-format.md §7.1: cargo metadata then keeps only edges active on that target).
 * `<spec>` is a target triple or a `cfg(…)` expression (all/any/not, bare names, key = "value").
 * The cfg facts for a triple are derived from its components — an approximation of
 * `rustc --print cfg` that covers the keys manifests use in practice (target_os, target_arch,
 * target_family, unix/windows, target_env, target_vendor, target_pointer_width,
 * target_endian, target_has_atomic, panic, debug_assertions). Unknown keys, custom
 * `--cfg` names and `feature = …` evaluate to false, as they would without RUSTFLAGS.
 */

export type CfgExpr =
  | { op: 'all' | 'any'; args: CfgExpr[] }
  | { op: 'not'; arg: CfgExpr }
  | { op: 'name'; name: string }
  | { op: 'kv'; key: string; value: string };

export type CfgFacts = Map<string, Set<string | true>>;

/** Parses `cfg(…)`'s inside; undefined when it is not a well-formed expression. */
export function parseCfg(spec: string): CfgExpr | undefined {
  const m = /^\s*cfg\s*\(([\s\S]*)\)\s*$/.exec(spec);
  if (!m || m[1] === undefined) return undefined;
  const tokens = tokenize(m[1]);
  if (!tokens) return undefined;
  const state = { tokens, i: 0 };
  const expr = parseExpr(state);
  return expr && state.i === tokens.length ? expr : undefined;
}

function tokenize(s: string): string[] | undefined {
  const out: string[] = [];
  const re = /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|("(?:[^"\\]|\\.)*")|([(),=]))/y;
  let pos = 0;
  while (pos < s.length) {
    if (/^\s*$/.test(s.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return undefined;
    out.push(m[1] ?? m[2] ?? m[3] ?? '');
    pos = re.lastIndex;
  }
  return out;
}

function parseExpr(st: { tokens: string[]; i: number }): CfgExpr | undefined {
  const t = st.tokens[st.i++];
  if (t === undefined || !/^[A-Za-z_]/.test(t)) return undefined;
  if ((t === 'all' || t === 'any' || t === 'not') && st.tokens[st.i] === '(') {
    st.i++;
    const args: CfgExpr[] = [];
    while (st.tokens[st.i] !== ')') {
      const e = parseExpr(st);
      if (!e) return undefined;
      args.push(e);
      if (st.tokens[st.i] === ',') st.i++;
      else if (st.tokens[st.i] !== ')') return undefined;
    }
    st.i++;
    if (t !== 'not') return { op: t, args };
    const [arg] = args;
    return args.length === 1 && arg ? { op: 'not', arg } : undefined;
  }
  if (st.tokens[st.i] === '=') {
    const v = st.tokens[st.i + 1];
    if (v === undefined || !v.startsWith('"')) return undefined;
    st.i += 2;
    return { op: 'kv', key: t, value: JSON.parse(v) as string };
  }
  return { op: 'name', name: t };
}

export function evalCfg(e: CfgExpr, facts: CfgFacts): boolean {
  switch (e.op) {
    case 'all':
      return e.args.every((a) => evalCfg(a, facts));
    case 'any':
      return e.args.some((a) => evalCfg(a, facts));
    case 'not':
      return !evalCfg(e.arg, facts);
    case 'name':
      return facts.get(e.name)?.has(true) ?? false;
    case 'kv':
      return facts.get(e.key)?.has(e.value) ?? false;
  }
}

/** Is a `[target.<spec>]` table active on `triple`? Unparseable cfg(…) counts as inactive. */
export function cargoPlatformMatches(spec: string, triple: string): boolean {
  if (!spec.trimStart().startsWith('cfg')) return spec.trim() === triple;
  const expr = parseCfg(spec);
  return expr !== undefined && evalCfg(expr, cfgFactsForTriple(triple));
}

const OS_NAMES: Record<string, string> = {
  darwin: 'macos',
  macos: 'macos',
  ios: 'ios',
  linux: 'linux',
  windows: 'windows',
  android: 'android',
  androideabi: 'android',
  freebsd: 'freebsd',
  netbsd: 'netbsd',
  openbsd: 'openbsd',
  dragonfly: 'dragonfly',
  none: 'none',
  wasi: 'wasi',
  wasip1: 'wasi',
  wasip2: 'wasi',
  emscripten: 'emscripten',
  fuchsia: 'fuchsia',
  illumos: 'illumos',
  solaris: 'solaris',
  redox: 'redox',
  hermit: 'hermit',
  espidf: 'espidf',
  uefi: 'uefi',
  tvos: 'tvos',
  watchos: 'watchos',
  visionos: 'visionos',
  haiku: 'haiku',
  aix: 'aix',
  nto: 'nto',
  vxworks: 'vxworks',
  l4re: 'l4re',
};
const UNIX_OS = new Set([
  'macos',
  'ios',
  'linux',
  'android',
  'freebsd',
  'netbsd',
  'openbsd',
  'dragonfly',
  'fuchsia',
  'illumos',
  'solaris',
  'redox',
  'haiku',
  'aix',
  'nto',
  'vxworks',
  'l4re',
  'espidf',
  'emscripten',
  'tvos',
  'watchos',
  'visionos',
]);
const ENV_PREFIXES = ['gnu', 'musl', 'msvc', 'sgx', 'uclibc', 'newlib', 'ohos', 'sim', 'macabi'];
const BIG_ENDIAN = /^(s390x|powerpc(64)?|mips(64)?|sparc(v9|64)?|m68k|armeb|aarch64_be)$/;

/** Approximate `rustc --print cfg --target <triple>` (see the note at the top). */
export function cfgFactsForTriple(triple: string): CfgFacts {
  const parts = triple.split('-');
  const rawArch = parts[0] ?? '';
  const arch = normalizeArch(rawArch);
  const named = parts.slice(1).map((p) => OS_NAMES[p]);
  // `aarch64-linux-android` is Android, not Linux.
  const os =
    (named.includes('android') ? 'android' : named.find((o) => o !== undefined)) ??
    (arch.startsWith('wasm') ? 'unknown' : 'none');
  const env =
    parts
      .slice(2)
      .map((p) => ENV_PREFIXES.find((e) => p.startsWith(e)))
      .find((e) => e !== undefined) ?? '';
  const second = parts[1];
  const vendor = parts.length >= 3 && second !== undefined && OS_NAMES[second] === undefined ? second : 'unknown';
  const width =
    /64/.test(arch) || arch === 's390x' || arch === 'x86_64' ? '64' : /^(avr|msp430)$/.test(arch) ? '16' : '32';
  const facts: CfgFacts = new Map();
  const add = (k: string, v: string | true) => {
    const set = facts.get(k) ?? new Set<string | true>();
    facts.set(k, set.add(v));
  };
  add('target_arch', arch);
  add('target_os', os);
  add('target_env', env);
  add('target_vendor', os === 'macos' || os === 'ios' ? 'apple' : vendor);
  add('target_pointer_width', width);
  add('target_endian', BIG_ENDIAN.test(rawArch) ? 'big' : 'little');
  add('panic', os === 'none' ? 'abort' : 'unwind');
  add('debug_assertions', true);
  const family = os === 'windows' ? 'windows' : UNIX_OS.has(os) ? 'unix' : arch.startsWith('wasm') ? 'wasm' : undefined;
  if (family) {
    add('target_family', family);
    add(family, true);
  }
  if (arch.startsWith('wasm') && family !== 'wasm') add('target_family', 'wasm');
  for (const w of atomicWidths(rawArch, width)) add('target_has_atomic', w);
  return facts;
}

function normalizeArch(a: string): string {
  if (/^i[3-6]86$/.test(a)) return 'x86';
  if (/^(arm|thumb)/.test(a)) return a.startsWith('arm64') ? 'aarch64' : 'arm';
  if (a === 'arm64') return 'aarch64';
  if (/^riscv32/.test(a)) return 'riscv32';
  if (/^riscv64/.test(a)) return 'riscv64';
  if (/^powerpc64/.test(a)) return 'powerpc64';
  if (/^mips64/.test(a)) return 'mips64';
  if (/^mips/.test(a)) return 'mips';
  if (/^sparcv9$/.test(a)) return 'sparc64';
  if (a === 'aarch64_be') return 'aarch64';
  return a;
}

/** thumbv6m and riscv32 without the A extension have no atomic CAS/load-store of any width. */
function atomicWidths(rawArch: string, width: string): string[] {
  if (/^thumbv6m/.test(rawArch) || /^riscv32i(m?c?)$/.test(rawArch) || /^(avr|msp430)/.test(rawArch)) return [];
  return width === '64' || /^(x86|i[3-6]86|armv7|aarch64|thumbv7|thumbv8)/.test(rawArch)
    ? ['8', '16', '32', '64', 'ptr']
    : ['8', '16', '32', 'ptr'];
}
