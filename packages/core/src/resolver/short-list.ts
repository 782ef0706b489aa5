/**
 * cargo-vet's `FormatShortList`: "a, b, and 3 others" — items sorted by length then
 * name, cut to fit 40 columns; one or two items are always shown in full. Reproduced
 * literally, including its always-plural "and N others" when only the first item fits.
 */
const CONJUNCTION = ' and ';
const REMAINDER = ' other';

function remainderLength(n: number): number {
  return Math.floor(n / 10) + 1 + REMAINDER.length + (n > 1 ? 1 : 0);
}

const chars = (s: string): number => [...s].length;

export function formatShortList(input: readonly string[], width = 40): string {
  const items = [...input].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const n = items.length;
  if (n === 0) return '';
  if (n === 1) return items[0]!;
  if (n === 2) return `${items[0]}${CONJUNCTION}${items[1]}`;
  let prior = 0;
  let tooLarge = n;
  for (let i = 0; i < n; i++) {
    const len = chars(items[i]!);
    let total: number;
    if (i === n - 1) total = prior + CONJUNCTION.length + len;
    else {
      prior += len + 1;
      total = prior - (i === 0 ? 1 : 0) + CONJUNCTION.length + remainderLength(n - (i + 1));
    }
    if (total > width) {
      tooLarge = i;
      break;
    }
  }
  const enough = Math.max(tooLarge - 1, 0);
  let out = items[0]!;
  if (enough === 0) return `${out}${CONJUNCTION}${n - 1}${REMAINDER}s`;
  for (const item of items.slice(1, Math.min(enough, n - 2) + 1)) out += `, ${item}`;
  out += `,${CONJUNCTION}`;
  if (enough === n - 1) return out + items[enough]!;
  const remaining = n - (enough + 1);
  return `${out}${remaining}${REMAINDER}${remaining > 1 ? 's' : ''}`;
}
