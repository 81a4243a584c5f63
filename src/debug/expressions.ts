// A small, safe expression language for breakpoint conditions, exception-filter conditions,
// logpoint interpolation, hovers and the Debug Console. Nothing is ever handed to eval():
// the text is tokenized and parsed here, and identifiers are resolved through a callback.
//
//   numbers      0x1F, 0b101, 0o17, 42, 1_000 (unsigned 64-bit; results wrap modulo 2^64)
//   identifiers  x0, sp, HCR_EL2, HCR_EL2.VM, ec, vintid …  (resolved by `lookup`)
//   memory       *(u8*)expr  *(u16*)expr  *(u32*)expr  *(u64*)expr  (also `*expr` = u64)
//   unary        - ~ !
//   binary       * / %  + -  << >>  < <= > >=  == !=  &  ^  |  &&  ||   (C precedence)
//   grouping     ( … )
//   ternary      c ? a : b
// Comparisons and logical operators give 0 or 1.

export class ExprError extends Error {}

export interface ExprEnv {
  /** Value of an identifier (case as typed), or undefined if unknown. */
  lookup(name: string): bigint | undefined;
  /** Reads `size` bytes at `addr` (little-endian), or undefined if unreadable. */
  readMemory?(addr: bigint, size: 1 | 2 | 4 | 8): bigint | undefined;
}

const MASK64 = (1n << 64n) - 1n;

type Tok =
  | { k: 'num'; v: bigint; pos: number }
  | { k: 'id'; v: string; pos: number }
  | { k: 'op'; v: string; pos: number }
  | { k: 'end'; pos: number };

const OPS = ['<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '<', '>', '(', ')', '?', ':'];

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c >= '0' && c <= '9') {
      const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*)/.exec(src.slice(i))!;
      const text = m[0].replace(/_/g, '');
      let v: bigint;
      try { v = /^0[oO]/.test(text) ? BigInt('0o' + text.slice(2)) : BigInt(text); } catch { throw new ExprError(`bad number '${m[0]}' at ${i + 1}`); }
      out.push({ k: 'num', v: v & MASK64, pos: i });
      i += m[0].length;
      if (i < src.length && /[A-Za-z_]/.test(src[i])) throw new ExprError(`bad number '${m[0]}${src[i]}' at ${i}`);
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i))!;
      out.push({ k: 'id', v: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected character '${c}' at ${i + 1}`);
    out.push({ k: 'op', v: op, pos: i });
    i += op.length;
  }
  out.push({ k: 'end', pos: src.length });
  return out;
}

// Binary operator precedence (higher binds tighter), as in C.
const PREC: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

const SIZES: Record<string, 1 | 2 | 4 | 8> = { u8: 1, u16: 2, u32: 4, u64: 8 };

/** Deepest nesting of parentheses, unary operators and conditionals (a recursive-descent parser's stack is finite). */
const MAX_DEPTH = 256;

class Parser {
  private p = 0;
  private depth = 0;
  constructor(private readonly t: Tok[], private readonly env: ExprEnv) {}

  /** Runs one level of the recursion, refusing expressions nested deeper than MAX_DEPTH. */
  private nested(fn: () => bigint): bigint {
    if (++this.depth > MAX_DEPTH) throw new ExprError(`expression nested too deeply (more than ${MAX_DEPTH} levels)`);
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  parse(): bigint {
    const v = this.ternary();
    const t = this.t[this.p];
    if (t.k !== 'end') throw new ExprError(`unexpected '${tokText(t)}' at ${t.pos + 1}`);
    return v;
  }

  private peekOp(v: string): boolean {
    const t = this.t[this.p];
    return t.k === 'op' && t.v === v;
  }

  private expect(v: string): void {
    if (!this.peekOp(v)) {
      const t = this.t[this.p];
      throw new ExprError(`expected '${v}' but found '${tokText(t)}' at ${t.pos + 1}`);
    }
    this.p++;
  }

  private ternary(): bigint {
    return this.nested(() => this.ternaryBody());
  }

  private ternaryBody(): bigint {
    const c = this.binary(1);
    if (!this.peekOp('?')) return c;
    this.p++;
    const a = this.ternary();
    this.expect(':');
    const b = this.ternary();
    return c !== 0n ? a : b;
  }

  private binary(minPrec: number): bigint {
    let left = this.unary();
    for (;;) {
      const t = this.t[this.p];
      if (t.k !== 'op') return left;
      const prec = PREC[t.v];
      if (prec === undefined || prec < minPrec) return left;
      this.p++;
      // Short-circuit still parses the right side (for syntax errors) but ignores lookup failures.
      const right = this.binary(prec + 1);
      left = apply(t.v, left, right);
    }
  }

  private unary(): bigint {
    return this.nested(() => this.unaryBody());
  }

  private unaryBody(): bigint {
    const t = this.t[this.p];
    if (t.k === 'op') {
      switch (t.v) {
        case '-': this.p++; return (-this.unary()) & MASK64;
        case '~': this.p++; return (~this.unary()) & MASK64;
        case '!': this.p++; return this.unary() === 0n ? 1n : 0n;
        case '+': this.p++; return this.unary();
        case '*': return this.deref();
        default: break;
      }
    }
    return this.primary();
  }

  /** `*(u32*)expr`, `*(u64 *)(x0+8)`, or `*expr` (u64). */
  private deref(): bigint {
    this.p++; // '*'
    let size: 1 | 2 | 4 | 8 = 8;
    const a = this.t[this.p], b = this.t[this.p + 1], c = this.t[this.p + 2], d = this.t[this.p + 3];
    if (a.k === 'op' && a.v === '(' && b.k === 'id' && SIZES[b.v.toLowerCase()] && c.k === 'op' && c.v === '*' && d.k === 'op' && d.v === ')') {
      size = SIZES[b.v.toLowerCase()];
      this.p += 4;
    }
    const addr = this.unary();
    if (!this.env.readMemory) throw new ExprError('memory is not readable here');
    const v = this.env.readMemory(addr, size);
    if (v === undefined) throw new ExprError(`cannot read ${size} byte(s) at 0x${addr.toString(16)}`);
    return v & MASK64;
  }

  private primary(): bigint {
    const t = this.t[this.p];
    if (t.k === 'num') { this.p++; return t.v; }
    if (t.k === 'id') {
      this.p++;
      const v = this.env.lookup(t.v);
      if (v === undefined) throw new ExprError(`unknown name '${t.v}'`);
      return v & MASK64;
    }
    if (t.k === 'op' && t.v === '(') {
      this.p++;
      const v = this.ternary();
      this.expect(')');
      return v;
    }
    throw new ExprError(t.k === 'end' ? 'unexpected end of expression' : `unexpected '${tokText(t)}' at ${t.pos + 1}`);
  }
}

function tokText(t: Tok): string {
  return t.k === 'end' ? 'end of expression' : String(t.v);
}

function apply(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '+': return (a + b) & MASK64;
    case '-': return (a - b) & MASK64;
    case '*': return (a * b) & MASK64;
    case '/': if (b === 0n) throw new ExprError('division by zero'); return a / b;
    case '%': if (b === 0n) throw new ExprError('division by zero'); return a % b;
    case '<<': return b >= 64n ? 0n : (a << b) & MASK64;
    case '>>': return b >= 64n ? 0n : a >> b;
    case '&': return a & b;
    case '|': return a | b;
    case '^': return a ^ b;
    case '<': return a < b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
    case '||': return a !== 0n || b !== 0n ? 1n : 0n;
    default: throw new ExprError(`unknown operator '${op}'`);
  }
}

/** Evaluates `src`; throws ExprError for syntax errors, unknown names and unreadable memory. */
export function evaluate(src: string, env: ExprEnv): bigint {
  if (src.trim() === '') throw new ExprError('empty expression');
  return new Parser(tokenize(src), env).parse();
}

/** Checks syntax only (identifiers resolve to 0, memory reads to 0). Returns an error message or undefined. */
export function checkSyntax(src: string): string | undefined {
  try {
    evaluate(src, { lookup: () => 0n, readMemory: () => 0n });
    return undefined;
  } catch (e) {
    if (e instanceof ExprError && /division by zero/.test(e.message)) return undefined;
    return (e as Error).message;
  }
}

/** Replaces every `{expr}` in a logpoint message by the expression's value (hex); `{{` and `}}` are literal braces. */
export function interpolate(message: string, env: ExprEnv, format: (v: bigint) => string = (v) => `0x${v.toString(16)}`): string {
  return interpolateWith(message, (expr) => format(evaluate(expr, env)));
}

/** Replaces every `{expr}` by `text(expr)`, or by `<message>` when it throws; `{{` and `}}` are literal braces. */
export function interpolateWith(message: string, text: (expr: string) => string): string {
  let out = '';
  for (let i = 0; i < message.length; i++) {
    const c = message[i];
    if (c === '{' && message[i + 1] === '{') { out += '{'; i++; continue; }
    if (c === '}' && message[i + 1] === '}') { out += '}'; i++; continue; }
    if (c !== '{') { out += c; continue; }
    const end = message.indexOf('}', i + 1);
    if (end < 0) { out += message.slice(i); break; }
    const expr = message.slice(i + 1, end);
    try { out += text(expr); } catch (e) { out += `<${(e as Error).message}>`; }
    i = end;
  }
  return out;
}

/** Parses a DAP hit condition: "N" (stop from the Nth hit on), ">N", ">=N", "==N", "<N", "<=N", "%N" (every Nth). */
export function parseHitCondition(text: string): ((hits: number) => boolean) | string {
  const m = /^\s*(>=|<=|==|=|>|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!m) return `hit condition must look like 5, >=5, ==5, >5, <5 or %5 (got '${text}')`;
  const n = Number(m[2]);
  switch (m[1]) {
    case undefined: case '>=': return (h) => h >= n;
    case '>': return (h) => h > n;
    case '==': case '=': return (h) => h === n;
    case '<': return (h) => h < n;
    case '<=': return (h) => h <= n;
    case '%': return n === 0 ? 'hit condition %0 is not allowed' : (h) => h % n === 0;
    default: return `bad hit condition '${text}'`;
  }
}
