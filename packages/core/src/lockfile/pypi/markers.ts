/**
 * PEP 508 environment markers: a parser and a three-valued evaluator. vet does not know the
 * target interpreter, so ordinary environment variables evaluate to "unknown"; only the
 * variables that decide dev/prod (`dependency_groups`, `extras` from PEP 751) are bound.
 * `false` therefore means "never installed in this configuration", which is what the
 * pylock.toml reader needs to call a package dev-only.
 */
export type Tri = true | false | 'unknown';

type Node =
  { kind: 'and' | 'or'; left: Node; right: Node } | { kind: 'cmp'; left: Operand; op: string; right: Operand };
type Operand = { var: string } | { str: string };

const TOKEN_RE =
  /\s*(?:(\()|(\))|'([^']*)'|"([^"]*)"|(===|==|!=|<=|>=|~=|<|>)|(not\s+in\b|in\b|and\b|or\b)|([A-Za-z_][A-Za-z0-9_.]*))/y;

interface Token {
  t: 'lp' | 'rp' | 'str' | 'op' | 'kw' | 'id';
  v: string;
}

function tokenize(text: string): Token[] | string {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(text);
    if (!m) return `unexpected text at column ${pos + 1}: "${text.slice(pos, pos + 12)}"`;
    pos = TOKEN_RE.lastIndex;
    if (m[1]) out.push({ t: 'lp', v: '(' });
    else if (m[2]) out.push({ t: 'rp', v: ')' });
    else if (m[3] !== undefined || m[4] !== undefined) out.push({ t: 'str', v: m[3] ?? m[4] ?? '' });
    else if (m[5]) out.push({ t: 'op', v: m[5] });
    else if (m[6]) out.push({ t: m[6] === 'and' || m[6] === 'or' ? 'kw' : 'op', v: m[6].replace(/\s+/, ' ') });
    else if (m[7]) out.push({ t: 'id', v: m[7] });
  }
  return out;
}

class MarkerParser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}
  parse(): Node {
    const n = this.or();
    if (this.i < this.toks.length) throw new Error(`unexpected "${this.toks[this.i]?.v}"`);
    return n;
  }
  private or(): Node {
    let n = this.and();
    while (this.peek('kw', 'or')) {
      this.i++;
      n = { kind: 'or', left: n, right: this.and() };
    }
    return n;
  }
  private and(): Node {
    let n = this.atom();
    while (this.peek('kw', 'and')) {
      this.i++;
      n = { kind: 'and', left: n, right: this.atom() };
    }
    return n;
  }
  private atom(): Node {
    if (this.peek('lp')) {
      this.i++;
      const n = this.or();
      if (!this.peek('rp')) throw new Error('missing ")"');
      this.i++;
      return n;
    }
    const left = this.operand();
    const op = this.toks[this.i];
    if (op?.t !== 'op')
      throw new Error(`expected a comparison operator after "${'var' in left ? left.var : left.str}"`);
    this.i++;
    return { kind: 'cmp', left, op: op.v, right: this.operand() };
  }
  private operand(): Operand {
    const t = this.toks[this.i++];
    if (t?.t === 'str') return { str: t.v };
    if (t?.t === 'id') return { var: t.v };
    throw new Error(t ? `unexpected "${t.v}"` : 'unexpected end of marker');
  }
  private peek(t: Token['t'], v?: string): boolean {
    const tok = this.toks[this.i];
    return tok !== undefined && tok.t === t && (v === undefined || tok.v === v);
  }
}

export type ParsedMarker = { ok: true; node: Node } | { ok: false; reason: string };

export function parseMarker(text: string): ParsedMarker {
  const toks = tokenize(text);
  if (typeof toks === 'string') return { ok: false, reason: toks };
  if (toks.length === 0) return { ok: false, reason: 'empty marker' };
  try {
    return { ok: true, node: new MarkerParser(toks).parse() };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

/**
 * Bound set-valued variables (PEP 751) and bound string variables (`env`: the platform's
 * `sys_platform`, `platform_machine`, … for `vet check --platform`); any other is unknown.
 */
export interface MarkerSets {
  dependency_groups?: ReadonlySet<string>;
  extras?: ReadonlySet<string>;
  env?: ReadonlyMap<string, string>;
}

function evalCmp(n: Extract<Node, { kind: 'cmp' }>, sets: MarkerSets): Tri {
  const { left, op, right } = n;
  if ((op === 'in' || op === 'not in') && 'str' in left && 'var' in right) {
    const set = sets[right.var as 'dependency_groups' | 'extras'];
    if (set !== undefined) {
      const hit = set.has(left.str);
      return op === 'in' ? hit : !hit;
    }
  }
  // Only a bound variable decides; two literals stay unknown, as before variables were bound.
  if ('str' in left && 'str' in right) return 'unknown';
  return evalStringCmp(valueOf(left, sets), op, valueOf(right, sets));
}

function valueOf(o: Operand, sets: MarkerSets): string | undefined {
  return 'str' in o ? o.str : sets.env?.get(o.var);
}

/** PEP 508 on non-version values: `==`/`!=` compare strings, `in`/`not in` test substrings. */
function evalStringCmp(l: string | undefined, op: string, r: string | undefined): Tri {
  if (l === undefined || r === undefined) return 'unknown';
  switch (op) {
    case '==':
    case '===':
      return l === r;
    case '!=':
      return l !== r;
    case 'in':
      return r.includes(l);
    case 'not in':
      return !r.includes(l);
    default:
      return 'unknown';
  }
}

function evalNode(n: Node, sets: MarkerSets): Tri {
  if (n.kind === 'cmp') return evalCmp(n, sets);
  const l = evalNode(n.left, sets);
  const r = evalNode(n.right, sets);
  if (n.kind === 'and') return l === false || r === false ? false : l === true && r === true ? true : 'unknown';
  return l === true || r === true ? true : l === false && r === false ? false : 'unknown';
}

/** Three-valued evaluation; an unparsable marker is 'unknown' (callers report it separately). */
export function evaluateMarker(text: string, sets: MarkerSets): Tri {
  const p = parseMarker(text);
  return p.ok ? evalNode(p.node, sets) : 'unknown';
}
