/**
 * Violation requirements are written back in the semver crate's normalised display
 * (spec/cargo-vet-format.md §2): comparators joined by ", ", a bare version shown as
 * `^x.y.z`, wildcards as `x.*`, and `*` for "any". Violations sort by this string (§9.3).
 */

const OPS = ['>=', '<=', '=', '>', '<', '~', '^'] as const;
const NUM = /^(0|[1-9][0-9]*)$/;
const WILD = /^[*xX]$/;

/** The normalised text of a Cargo version requirement, or undefined when it does not parse. */
export function normalizeVersionReq(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '*' || /^[xX]$/.test(trimmed)) return '*';
  const parts = trimmed.split(',').map((p) => p.trim());
  const out: string[] = [];
  for (const p of parts) {
    const c = normalizeComparator(p);
    if (c === undefined) return undefined;
    out.push(c);
  }
  return out.join(', ');
}

function normalizeComparator(text: string): string | undefined {
  let op = '';
  for (const candidate of OPS) {
    if (text.startsWith(candidate)) {
      op = candidate;
      break;
    }
  }
  const rest = text.slice(op.length).trim();
  if (rest === '' || /\s/.test(rest)) return undefined;
  const dash = rest.indexOf('-');
  const head = dash >= 0 ? rest.slice(0, dash) : rest;
  const pre = dash >= 0 ? rest.slice(dash + 1) : '';
  if (rest.includes('+')) return undefined;
  const nums = head.split('.');
  if (nums.length > 3) return undefined;
  const fixed: string[] = [];
  let wildcard = false;
  for (const n of nums) {
    if (WILD.test(n)) {
      wildcard = true;
      break;
    }
    if (!NUM.test(n)) return undefined;
    fixed.push(n);
  }
  if (fixed.length === 0) return op === '' ? '*' : undefined;
  if (pre !== '' && (fixed.length !== 3 || !/^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/.test(pre))) return undefined;
  if (op === '' && wildcard) return `${fixed.join('.')}.*`;
  const shownOp = op === '' ? '^' : op;
  return `${shownOp}${fixed.join('.')}${pre !== '' ? `-${pre}` : ''}`;
}
