// Constant expressions in GNU as syntax, evaluated with 64-bit BigInt arithmetic.
//
// Operator precedence follows GNU as (gas/expr.c `op_rank`, checked against
// binutils 2.40), which is NOT C's: `&` `|` `^` bind tighter than `+`/`-`,
// so `2 + 3 & 1` is 3. From highest to lowest:
//   unary  - ~ ! +
//   1      * / % << >>
//   2      | & ^ !   (binary `!` is "or not")
//   3      + -
//   4      == != <> < > <= >=   (signed; true is -1, false is 0, as in gas)
//   5      &&                   (result 1 or 0)
//   6      ||
// Division and remainder are signed and truncate toward zero; `>>` is a
// logical shift on the 64-bit pattern (gas: `-1 >> 1` = 0x7fff_ffff_ffff_ffff).
//
// Values carry a section: -1 is absolute, otherwise a section index whose final
// address is not known yet (pass 1). `rel ± abs` stays relative and
// `rel - rel` in one section is absolute; anything else on a relative value
// raises an AsmExprError with `notAbsolute` set so pass 1 can defer the
// expression until addresses are final.

/** Raised for malformed expressions, undefined symbols and non-constant values. */
/** The one wording of "this symbol is not defined", so that readers (the LSP) can recognise it. */
export function undefinedSymbolMessage(name: string): string { return `undefined symbol '${name}'`; }

/** The symbol an undefinedSymbolMessage() names, or undefined for any other message. */
export function undefinedSymbolIn(message: string): string | undefined {
  const m = /^undefined symbol '([^']+)'$/.exec(message);
  return m ? m[1] : undefined;
}

export class AsmExprError extends Error {
  /**
   * @param offset 0-based offset inside the expression text where the problem starts.
   * @param undefinedSymbol set when the cause is a symbol that is not (yet) defined.
   * @param notAbsolute set when the cause is arithmetic on a not-yet-placed address.
   */
  constructor(
    message: string,
    public readonly offset = 0,
    public readonly undefinedSymbol?: string,
    public readonly notAbsolute = false,
  ) {
    super(message);
    this.name = 'AsmExprError';
  }
}

export const ABS = -1;

export interface ExprValue {
  value: bigint;
  /** -1 (ABS) for a constant, otherwise the index of the section the value is relative to. */
  sec: number;
}

/** What the evaluator needs from its surroundings. */
export interface ExprEnv {
  /** Value of `.` (the location counter). */
  dot(): ExprValue;
  /** A named symbol's value, or undefined when it is not defined. */
  symbol(name: string): ExprValue | undefined;
  /** A numeric local label reference such as `1f` / `2b`, or undefined when there is none. */
  local(label: string, dir: 'f' | 'b'): ExprValue | undefined;
  /** Receives non-fatal diagnostics (e.g. shift count out of range). */
  warn?(message: string, offset: number): void;
}

const M64 = (1n << 64n) - 1n;
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 36;
}
function isIdChar(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const SIMPLE_DEC = /^\s*\d+\s*$/;
const SIMPLE_HEX = /^\s*0[xX][0-9a-fA-F]+\s*$/;

/** Evaluates `text` (a whole expression) in `env`. Throws AsmExprError only. */
export function evaluate(text: string, env: ExprEnv): ExprValue {
  // Fast paths for the most common operands.
  if (SIMPLE_HEX.test(text)) return { value: s64(BigInt(text.trim())), sec: ABS };
  if (SIMPLE_DEC.test(text)) {
    const t = text.trim();
    if (t.length === 1 || t[0] !== '0') return { value: s64(BigInt(t)), sec: ABS };
  }
  const p = new Parser(text, env);
  p.skipWs();
  if (p.pos >= text.length) throw new AsmExprError('expected an expression', 0);
  const v = p.parseBinary(6);
  p.skipWs();
  if (p.pos < text.length) {
    throw new AsmExprError(`unexpected '${text[p.pos]}' in expression`, p.pos);
  }
  return v;
}

/** Evaluates and requires a constant (absolute) result. */
export function evaluateAbsolute(text: string, env: ExprEnv): bigint {
  const v = evaluate(text, env);
  if (v.sec !== ABS) throw new AsmExprError('expression is not a constant', 0, undefined, true);
  return v.value;
}

/** Parses a character escape at `i` (just after a backslash); returns [code, next index]. */
export function parseEscape(s: string, i: number): [number, number] {
  const c = s[i];
  switch (c) {
    case 'n': return [10, i + 1];
    case 't': return [9, i + 1];
    case 'r': return [13, i + 1];
    case 'b': return [8, i + 1];
    case 'f': return [12, i + 1];
    case 'v': return [11, i + 1];
    case 'a': return [7, i + 1];
    case 'e': return [27, i + 1];
    case 'x':
    case 'X': {
      let j = i + 1;
      let v = 0;
      while (j < s.length && /[0-9a-fA-F]/.test(s[j])) {
        v = ((v << 4) | parseInt(s[j], 16)) & 0xff;
        j++;
      }
      return [v, j];
    }
    default:
      if (c !== undefined && c >= '0' && c <= '7') {
        let j = i;
        let v = 0;
        while (j < s.length && j < i + 3 && s[j] >= '0' && s[j] <= '7') {
          v = v * 8 + (s.charCodeAt(j) - 48);
          j++;
        }
        return [v & 0xff, j];
      }
      if (c === undefined) return [92, i];
      return [c.charCodeAt(0) & 0xff, i + 1];
  }
}

// Binary operators by level (1 = tightest).
function binaryLevel(op: string): number {
  switch (op) {
    case '*': case '/': case '%': case '<<': case '>>': return 1;
    case '|': case '&': case '^': case '!': return 2;
    case '+': case '-': return 3;
    case '==': case '!=': case '<>': case '<': case '>': case '<=': case '>=': return 4;
    case '&&': return 5;
    case '||': return 6;
    default: return 0;
  }
}

const MAX_DEPTH = 200;

class Parser {
  pos = 0;
  private depth = 0;
  constructor(private readonly s: string, private readonly env: ExprEnv) {}

  skipWs(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 13 || c === 10) this.pos++;
      else break;
    }
  }

  /** Reads a binary operator at the current position without consuming it. */
  peekOp(): string {
    const s = this.s;
    const i = this.pos;
    const c = s[i];
    const d = s[i + 1];
    switch (c) {
      case '*': case '/': case '%': case '^': case '+': case '-': return c;
      case '<':
        if (d === '<' || d === '=' || d === '>') return c + d;
        return '<';
      case '>':
        if (d === '>' || d === '=') return c + d;
        return '>';
      case '=':
        return d === '=' ? '==' : '';
      case '!':
        return d === '=' ? '!=' : '!';
      case '&':
        return d === '&' ? '&&' : '&';
      case '|':
        return d === '|' ? '||' : '|';
      default:
        return '';
    }
  }

  parseBinary(level: number): ExprValue {
    if (level === 0) return this.parseUnary();
    let left = this.parseBinary(level - 1);
    for (;;) {
      this.skipWs();
      const op = this.peekOp();
      if (!op || binaryLevel(op) !== level) return left;
      const opPos = this.pos;
      this.pos += op.length;
      const right = this.parseBinary(level - 1);
      left = this.apply(op, left, right, opPos);
    }
  }

  apply(op: string, a: ExprValue, b: ExprValue, at: number): ExprValue {
    if (a.sec !== ABS || b.sec !== ABS) {
      if (op === '+' && (a.sec === ABS || b.sec === ABS)) {
        return { value: s64(a.value + b.value), sec: a.sec === ABS ? b.sec : a.sec };
      }
      if (op === '-' && b.sec === ABS) return { value: s64(a.value - b.value), sec: a.sec };
      if (op === '-' && a.sec === b.sec) return { value: s64(a.value - b.value), sec: ABS };
      if (a.sec === b.sec && binaryLevel(op) === 4) {
        return { value: this.compare(op, a.value, b.value), sec: ABS };
      }
      throw new AsmExprError(
        `operator '${op}' needs constant operands here (an address is not known yet)`,
        at,
        undefined,
        true,
      );
    }
    const x = a.value;
    const y = b.value;
    let r: bigint;
    switch (op) {
      case '*': r = x * y; break;
      case '/':
        if (y === 0n) throw new AsmExprError('division by zero', at);
        r = x / y;
        break;
      case '%':
        if (y === 0n) throw new AsmExprError('division by zero', at);
        r = x % y;
        break;
      case '<<':
      case '>>': {
        const n = y;
        if (n < 0n || n > 63n) {
          this.env.warn?.(`shift count out of range (${n} is not between 0 and 63)`, at);
          r = 0n;
        } else {
          r = op === '<<' ? x << n : (x & M64) >> n;
        }
        break;
      }
      case '|': r = x | y; break;
      case '&': r = x & y; break;
      case '^': r = x ^ y; break;
      case '!': r = x | ~y; break;
      case '+': r = x + y; break;
      case '-': r = x - y; break;
      case '&&': r = x !== 0n && y !== 0n ? 1n : 0n; break;
      case '||': r = x !== 0n || y !== 0n ? 1n : 0n; break;
      default: r = this.compare(op, x, y);
    }
    return { value: s64(r), sec: ABS };
  }

  compare(op: string, x: bigint, y: bigint): bigint {
    let t: boolean;
    switch (op) {
      case '==': t = x === y; break;
      case '!=': case '<>': t = x !== y; break;
      case '<': t = x < y; break;
      case '>': t = x > y; break;
      case '<=': t = x <= y; break;
      default: t = x >= y; break;
    }
    return t ? -1n : 0n;
  }

  parseUnary(): ExprValue {
    if (++this.depth > MAX_DEPTH) throw new AsmExprError('expression is nested too deeply', this.pos);
    try {
      return this.parseUnaryInner();
    } finally {
      this.depth--;
    }
  }

  parseUnaryInner(): ExprValue {
    this.skipWs();
    const s = this.s;
    const c = s[this.pos];
    if (c === '-' || c === '~' || c === '!' || c === '+') {
      const at = this.pos;
      this.pos++;
      const v = this.parseUnary();
      if (c === '+') return v;
      if (v.sec !== ABS) {
        throw new AsmExprError(`operator '${c}' needs a constant operand here`, at, undefined, true);
      }
      if (c === '-') return { value: s64(-v.value), sec: ABS };
      if (c === '~') return { value: s64(~v.value), sec: ABS };
      return { value: v.value === 0n ? 1n : 0n, sec: ABS };
    }
    return this.parsePrimary();
  }

  parsePrimary(): ExprValue {
    const s = this.s;
    const start = this.pos;
    if (start >= s.length) throw new AsmExprError('expected an expression', start);
    const ch = s.charCodeAt(start);
    if (ch === 40 /* ( */) {
      this.pos++;
      const v = this.parseBinary(6);
      this.skipWs();
      if (s[this.pos] !== ')') throw new AsmExprError("missing ')' in expression", this.pos);
      this.pos++;
      return v;
    }
    if (ch === 35 /* # */) {
      // Tolerate an immediate marker in front of a term.
      this.pos++;
      return this.parseUnary();
    }
    if (isDigit(ch)) return this.parseNumber();
    if (ch === 39 /* ' */) {
      let i = start + 1;
      if (i >= s.length) throw new AsmExprError('missing character after quote', start);
      let code: number;
      if (s[i] === '\\') [code, i] = parseEscape(s, i + 1);
      else {
        code = s.charCodeAt(i);
        i++;
      }
      if (s[i] === "'") i++;
      this.pos = i;
      return { value: BigInt(code), sec: ABS };
    }
    if (isIdStart(ch)) {
      let i = start + 1;
      while (i < s.length && isIdChar(s.charCodeAt(i))) i++;
      const name = s.slice(start, i);
      this.pos = i;
      if (name === '.') return this.env.dot();
      const v = this.env.symbol(name);
      if (v === undefined) throw new AsmExprError(undefinedSymbolMessage(name), start, name);
      return v;
    }
    if (ch === 34 /* " */) throw new AsmExprError('a string is not allowed in an expression', start);
    throw new AsmExprError(`unexpected '${s[start]}' in expression`, start);
  }

  parseNumber(): ExprValue {
    const s = this.s;
    const start = this.pos;
    let i = start;
    while (i < s.length && isIdChar(s.charCodeAt(i))) i++;
    const word = s.slice(start, i);
    this.pos = i;
    // Numeric local label reference: digits followed by f or b.
    const m = /^(\d+)([fb])$/i.exec(word);
    if (m && !/^0b[01]+$/i.test(word)) {
      const dir = m[2].toLowerCase() as 'f' | 'b';
      const v = this.env.local(m[1], dir);
      if (v === undefined) {
        const what = dir === 'f' ? 'following' : 'preceding';
        throw new AsmExprError(`no ${what} definition of local label '${m[1]}' for '${word}'`, start, word);
      }
      return v;
    }
    let v: bigint;
    if (/^0[xX][0-9a-fA-F]+$/.test(word)) v = BigInt(word);
    else if (/^0[bB][01]+$/.test(word)) v = BigInt(word);
    else if (/^0[0-7]*$/.test(word)) v = word.length > 1 ? BigInt('0o' + word.slice(1)) : 0n;
    else if (/^[1-9]\d*$/.test(word)) v = BigInt(word);
    else throw new AsmExprError(`invalid number '${word}'`, start);
    if (v > M64) throw new AsmExprError(`number '${word}' does not fit in 64 bits`, start);
    return { value: s64(v), sec: ABS };
  }
}
