// A C-preprocessor subset for `.S` files, behaving as `gcc -x assembler-with-cpp`
// does for the constructs assembly sources use:
//   #include "x" / <x>, #define (object- and function-like, `#`, `##`,
//   variadic `...`/__VA_ARGS__), #undef, #if/#ifdef/#ifndef/#elif/#else/#endif
//   with defined() and C integer expressions, #error, #warning; #line, #pragma
//   and #ident are accepted and ignored.
// As in GCC's assembler mode, an unknown directive (`# 1 "file"`, `#comment`)
// is passed through unchanged (the assembler then treats it as a comment), and
// `#` in a function-like macro body that is not followed by a parameter stays
// literal (so `#imm` works).
// Every output line keeps the file and line it came from, so diagnostics and
// the line map point at the original source. Limitation: a function-like macro
// call must have its arguments on one (logical) line.

import { RawDiag, SourceLine, stripLineComments } from './source';

export interface CppHost {
  /** Reads a file; undefined when it does not exist. */
  readFile(path: string): string | undefined;
  /** Resolves `name` included from `fromFile`; returns candidate paths in search order. */
  candidates(name: string, fromFile: string, angled: boolean): string[];
}

interface Macro {
  name: string;
  params: string[] | null; // null for object-like
  variadic: boolean;
  body: Tok[];
}

type TokKind = 'id' | 'num' | 'str' | 'chr' | 'ws' | 'p';
interface Tok {
  k: TokKind;
  v: string;
  /** Identifier that must not be expanded again (it named a macro being expanded). */
  blue?: boolean;
}

interface Cond {
  /** Lines in this group are emitted. */
  active: boolean;
  /** Some group of this #if chain has been taken. */
  taken: boolean;
  elseSeen: boolean;
  parentActive: boolean;
  file: string;
  line: number;
  column: number;
  directive: string;
}

const MAX_INCLUDE_DEPTH = 200;
const MAX_EXPANSION_TOKENS = 1_000_000;

export class Preprocessor {
  private readonly macros = new Map<string, Macro>();
  private readonly out: SourceLine[] = [];
  private expansionBudget = MAX_EXPANSION_TOKENS;
  private curFile = '';
  private curLine = 0;

  constructor(
    private readonly host: CppHost,
    private readonly errors: RawDiag[],
    private readonly warnings: RawDiag[],
    defines: Record<string, string>,
  ) {
    const builtin: Record<string, string> = { __ASSEMBLER__: '1', __aarch64__: '1', __AARCH64EL__: '1', __ELF__: '1' };
    for (const [k, v] of Object.entries({ ...builtin, ...defines })) {
      this.macros.set(k, { name: k, params: null, variadic: false, body: tokenize(String(v)) });
    }
  }

  run(text: string, file: string): SourceLine[] {
    this.processFile(text, file, 0);
    return this.out;
  }

  private error(line: number, column: number, message: string, file = this.curFile): void {
    this.errors.push({ file, line, column, message });
  }

  private processFile(text: string, file: string, depth: number): void {
    const lines = logicalLines(text, file, this.errors);
    const conds: Cond[] = [];
    for (const ln of lines) {
      this.curFile = file;
      this.curLine = ln.line;
      const s = ln.text;
      const active = conds.length === 0 || conds[conds.length - 1].active;
      const m = /^[ \t]*#[ \t]*([A-Za-z_]\w*)?/.exec(s);
      if (m) {
        const name = m[1] ?? '';
        const rest = s.slice(m[0].length);
        const restCol = m[0].length; // 0-based column of `rest`
        const dirCol = s.indexOf('#') + 1;
        if (this.conditional(name, rest, restCol, dirCol, conds, ln)) continue;
        if (!active) continue;
        switch (name) {
          case 'include':
          case 'include_next':
            this.include(rest, restCol, ln, depth);
            continue;
          case 'define':
            this.define(rest, restCol, ln);
            continue;
          case 'undef': {
            const id = /^[ \t]*([A-Za-z_$][\w$]*)/.exec(rest);
            if (!id) this.error(ln.line, restCol + 1, 'macro name missing after #undef');
            else this.macros.delete(id[1]);
            continue;
          }
          case 'error':
            this.error(ln.line, dirCol, `#error${rest.length ? ' ' + rest.trim() : ''}`);
            continue;
          case 'warning':
            this.warnings.push({ file, line: ln.line, column: dirCol, message: `#warning ${rest.trim()}` });
            continue;
          case 'line':
          case 'pragma':
          case 'ident':
          case 'sccs':
          case 'assert':
          case 'unassert':
            continue;
          default:
            // Not a preprocessor directive: an assembler comment or line marker.
            this.out.push(ln);
            continue;
        }
      }
      if (!active) continue;
      this.out.push({ text: this.expandLine(s, ln.line), file, line: ln.line });
    }
    for (const c of conds) {
      this.error(c.line, c.column, `unterminated #${c.directive} (missing #endif)`, c.file);
    }
    void depth;
  }

  /** Handles conditional directives; returns false for other directives. */
  private conditional(name: string, rest: string, restCol: number, col: number, conds: Cond[], ln: SourceLine): boolean {
    const top = conds[conds.length - 1];
    const parentActive = conds.length === 0 || top.active;
    switch (name) {
      case 'if':
      case 'ifdef':
      case 'ifndef': {
        let value = false;
        if (parentActive) {
          if (name === 'if') value = this.evalIf(rest, restCol, ln.line);
          else {
            const id = /^[ \t]*([A-Za-z_$][\w$]*)/.exec(rest);
            if (!id) this.error(ln.line, restCol + 1, `macro name missing after #${name}`);
            else value = this.macros.has(id[1]) === (name === 'ifdef');
          }
        }
        conds.push({
          active: parentActive && value,
          taken: value,
          elseSeen: false,
          parentActive,
          file: ln.file,
          line: ln.line,
          column: col,
          directive: name,
        });
        return true;
      }
      case 'elif': {
        if (!top) {
          this.error(ln.line, col, '#elif without #if');
          return true;
        }
        if (top.elseSeen) this.error(ln.line, col, '#elif after #else');
        if (top.parentActive && !top.taken) {
          const v = this.evalIf(rest, restCol, ln.line);
          top.active = v;
          top.taken = v;
        } else top.active = false;
        return true;
      }
      case 'else':
        if (!top) {
          this.error(ln.line, col, '#else without #if');
          return true;
        }
        if (top.elseSeen) this.error(ln.line, col, '#else after #else');
        top.elseSeen = true;
        top.active = top.parentActive && !top.taken;
        top.taken = true;
        return true;
      case 'endif':
        if (!top) this.error(ln.line, col, '#endif without #if');
        else conds.pop();
        return true;
      default:
        return false;
    }
  }

  private include(rest: string, restCol: number, ln: SourceLine, depth: number): void {
    let spec = rest.trim();
    if (!/^["<]/.test(spec)) spec = this.expandLine(spec, ln.line).trim();
    const m = /^"([^"]*)"|^<([^>]*)>/.exec(spec);
    const col = restCol + 1 + (rest.length - rest.trimStart().length);
    if (!m) {
      this.error(ln.line, col, '#include expects "FILENAME" or <FILENAME>');
      return;
    }
    const name = m[1] ?? m[2];
    if (depth >= MAX_INCLUDE_DEPTH) {
      this.error(ln.line, col, `#include nested too deeply (more than ${MAX_INCLUDE_DEPTH} levels)`);
      return;
    }
    for (const p of this.host.candidates(name, ln.file, m[2] !== undefined)) {
      const text = this.host.readFile(p);
      if (text !== undefined) {
        this.processFile(text, p, depth + 1);
        this.curFile = ln.file;
        return;
      }
    }
    this.error(ln.line, col, `include file '${name}' not found`);
  }

  private define(rest: string, restCol: number, ln: SourceLine): void {
    const m = /^[ \t]*([A-Za-z_$][\w$]*)/.exec(rest);
    if (!m) {
      this.error(ln.line, restCol + 1, 'macro name missing after #define');
      return;
    }
    const name = m[1];
    let i = m[0].length;
    let params: string[] | null = null;
    let variadic = false;
    if (rest[i] === '(') {
      const close = rest.indexOf(')', i);
      if (close < 0) {
        this.error(ln.line, restCol + i + 1, `missing ')' in parameter list of macro '${name}'`);
        return;
      }
      params = [];
      const list = rest.slice(i + 1, close).trim();
      if (list.length) {
        for (const raw of list.split(',')) {
          const p = raw.trim();
          if (p === '...') {
            variadic = true;
            params.push('__VA_ARGS__');
          } else if (/^[A-Za-z_$][\w$]*$/.test(p)) params.push(p);
          else if (/^[A-Za-z_$][\w$]*\s*\.\.\.$/.test(p)) {
            variadic = true;
            params.push(p.replace(/\s*\.\.\.$/, ''));
          } else {
            this.error(ln.line, restCol + i + 2, `invalid parameter '${p}' in macro '${name}'`);
            return;
          }
        }
      }
      i = close + 1;
    }
    const body = trimWs(tokenize(rest.slice(i)));
    this.macros.set(name, { name, params, variadic, body });
  }

  // ---- expansion ----

  private expandLine(s: string, line: number): string {
    // Fast path: no identifier on the line names a macro.
    const idRe = /[A-Za-z_$][\w$]*/g;
    let hit = false;
    for (let m = idRe.exec(s); m; m = idRe.exec(s)) {
      if (this.macros.has(m[0]) || m[0] === '__FILE__' || m[0] === '__LINE__') {
        hit = true;
        break;
      }
    }
    if (!hit) return s;
    this.curLine = line;
    return this.expand(tokenize(s), new Set()).map((t) => t.v).join('');
  }

  private expand(toks: Tok[], disabled: Set<string>): Tok[] {
    const out: Tok[] = [];
    let i = 0;
    while (i < toks.length) {
      const t = toks[i];
      if (t.k !== 'id' || t.blue) {
        out.push(t);
        i++;
        continue;
      }
      if (t.v === '__FILE__') {
        out.push({ k: 'str', v: JSON.stringify(this.curFile) });
        i++;
        continue;
      }
      if (t.v === '__LINE__') {
        out.push({ k: 'num', v: String(this.curLine) });
        i++;
        continue;
      }
      const mac = this.macros.get(t.v);
      if (!mac) {
        out.push(t);
        i++;
        continue;
      }
      if (disabled.has(t.v)) {
        out.push({ ...t, blue: true });
        i++;
        continue;
      }
      if (this.expansionBudget <= 0) {
        out.push(t);
        i++;
        continue;
      }
      const inner = new Set(disabled);
      inner.add(mac.name);
      if (mac.params === null) {
        const body = paste(mac.body.map((b) => ({ ...b })));
        this.expansionBudget -= body.length + 1;
        out.push(...this.expand(body, inner));
        i++;
        continue;
      }
      // Function-like: needs '(' next (after blanks).
      let j = i + 1;
      while (j < toks.length && toks[j].k === 'ws') j++;
      if (j >= toks.length || toks[j].v !== '(') {
        out.push(t);
        i++;
        continue;
      }
      const args: Tok[][] = [[]];
      let depth = 0;
      let k = j + 1;
      let closed = false;
      for (; k < toks.length; k++) {
        const a = toks[k];
        if (a.v === '(') depth++;
        else if (a.v === ')') {
          if (depth === 0) {
            closed = true;
            break;
          }
          depth--;
        } else if (a.v === ',' && depth === 0 && !(mac.variadic && args.length === mac.params.length)) {
          args.push([]);
          continue;
        }
        args[args.length - 1].push(a);
      }
      if (!closed) {
        this.error(this.curLine, 1, `unterminated argument list invoking macro '${mac.name}'`);
        out.push(t);
        i++;
        continue;
      }
      const trimmed = args.map(trimWs);
      if (mac.params.length === 0 && trimmed.length === 1 && trimmed[0].length === 0) trimmed.length = 0;
      if (mac.variadic && trimmed.length === mac.params.length - 1) trimmed.push([]);
      if (trimmed.length !== mac.params.length) {
        this.error(
          this.curLine,
          1,
          `macro '${mac.name}' requires ${mac.params.length} argument${mac.params.length === 1 ? '' : 's'}, but ${trimmed.length} given`,
        );
        out.push(t);
        i++;
        continue;
      }
      const body = this.substitute(mac, trimmed, disabled);
      this.expansionBudget -= body.length + 1;
      out.push(...this.expand(body, inner));
      i = k + 1;
    }
    return out;
  }

  /** Replaces parameters in a function-like macro body; handles `#` and `##`. */
  private substitute(mac: Macro, args: Tok[][], disabled: Set<string>): Tok[] {
    const params = mac.params as string[];
    const idx = (t: Tok | undefined): number => (t && t.k === 'id' ? params.indexOf(t.v) : -1);
    const body = mac.body;
    const res: Tok[] = [];
    const expandedCache = new Map<number, Tok[]>();
    const neighbour = (from: number, step: number): Tok | undefined => {
      let q = from + step;
      while (q >= 0 && q < body.length && body[q].k === 'ws') q += step;
      return body[q];
    };
    for (let b = 0; b < body.length; b++) {
      const t = body[b];
      if (t.v === '#' && t.k === 'p') {
        let q = b + 1;
        while (q < body.length && body[q].k === 'ws') q++;
        const pi = idx(body[q]);
        if (pi >= 0) {
          res.push({ k: 'str', v: stringify(args[pi]) });
          b = q;
          continue;
        }
        res.push(t);
        continue;
      }
      const pi = idx(t);
      if (pi < 0) {
        res.push({ ...t });
        continue;
      }
      const prev = neighbour(b, -1);
      const next = neighbour(b, 1);
      if ((prev && prev.v === '##') || (next && next.v === '##')) {
        res.push(...args[pi].map((a) => ({ ...a })));
      } else {
        let e = expandedCache.get(pi);
        if (!e) {
          e = this.expand(args[pi], disabled);
          expandedCache.set(pi, e);
        }
        res.push(...e.map((a) => ({ ...a })));
      }
    }
    return paste(res);
  }

  // ---- #if ----

  private evalIf(rest: string, restCol: number, line: number): boolean {
    // Replace defined(X) / defined X before expansion.
    const toks = tokenize(rest);
    const pre: Tok[] = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      if (t.k === 'id' && t.v === 'defined') {
        let j = i + 1;
        while (j < toks.length && toks[j].k === 'ws') j++;
        let paren = false;
        if (toks[j]?.v === '(') {
          paren = true;
          j++;
          while (j < toks.length && toks[j].k === 'ws') j++;
        }
        const id = toks[j];
        if (!id || id.k !== 'id') {
          this.error(line, restCol + 1, "operator 'defined' requires an identifier");
          return false;
        }
        if (paren) {
          j++;
          while (j < toks.length && toks[j].k === 'ws') j++;
          if (toks[j]?.v !== ')') {
            this.error(line, restCol + 1, "missing ')' after 'defined'");
            return false;
          }
        }
        pre.push({ k: 'num', v: this.macros.has(id.v) ? '1' : '0' });
        i = j;
        continue;
      }
      pre.push(t);
    }
    const expanded = this.expand(pre, new Set()).filter((t) => t.k !== 'ws');
    if (expanded.length === 0) {
      this.error(line, restCol + 1, '#if with no expression');
      return false;
    }
    try {
      const p = new CExpr(expanded);
      const v = p.ternary();
      if (p.pos < expanded.length) throw new Error(`unexpected '${expanded[p.pos].v}' in #if expression`);
      return v !== 0n;
    } catch (e) {
      this.error(line, restCol + 1, (e as Error).message);
      return false;
    }
  }
}

/** Joins backslash-continued lines and strips comments; each logical line keeps its first line number. */
function logicalLines(text: string, file: string, errors: RawDiag[]): SourceLine[] {
  const raw = text.split('\n');
  const out: SourceLine[] = [];
  let inBlock = false;
  let blockLine = 0;
  let blockCol = 0;
  for (let n = 0; n < raw.length; n++) {
    const first = n;
    let s = raw[n].endsWith('\r') ? raw[n].slice(0, -1) : raw[n];
    while (s.endsWith('\\') && n + 1 < raw.length) {
      n++;
      const nx = raw[n].endsWith('\r') ? raw[n].slice(0, -1) : raw[n];
      s = s.slice(0, -1) + nx;
    }
    if (inBlock || s.indexOf('/') >= 0) {
      const r = stripLineComments(s, inBlock);
      if (!inBlock && r.inBlock) {
        blockLine = first + 1;
        blockCol = r.blockStart + 1;
      }
      inBlock = r.inBlock;
      s = r.text;
    }
    out.push({ text: s, file, line: first + 1 });
  }
  if (inBlock) errors.push({ file, line: blockLine, column: blockCol, message: 'unterminated comment (missing */)' });
  return out;
}

const TOKEN_RE =
  /[ \t]+|[A-Za-z_$][\w$]*|\.?\d(?:[eEpP][+-]|[\w.])*|"(?:\\.|[^"\\])*"?|'(?:\\.|[^'\\])'|##|[\s\S]/g;

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(s); m; m = TOKEN_RE.exec(s)) {
    const v = m[0];
    const c = v.charCodeAt(0);
    let k: TokKind;
    if (c === 32 || c === 9) k = 'ws';
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36) k = 'id';
    else if ((c >= 48 && c <= 57) || (c === 46 && v.length > 1)) k = 'num';
    else if (c === 34) k = 'str';
    else if (c === 39 && v.length > 1) k = 'chr';
    else k = 'p';
    out.push({ k, v });
  }
  return out;
}

function trimWs(t: Tok[]): Tok[] {
  let a = 0;
  let b = t.length;
  while (a < b && t[a].k === 'ws') a++;
  while (b > a && t[b - 1].k === 'ws') b--;
  return t.slice(a, b);
}

function stringify(arg: Tok[]): string {
  let s = '';
  for (const t of arg) {
    if (t.k === 'ws') {
      if (s.length && !s.endsWith(' ')) s += ' ';
    } else if (t.k === 'str' || t.k === 'chr') s += t.v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    else s += t.v;
  }
  return '"' + s.trim() + '"';
}

/** Applies `##` token pasting. */
function paste(toks: Tok[]): Tok[] {
  if (!toks.some((t) => t.v === '##')) return toks;
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.v !== '##' || t.k !== 'p') {
      out.push(t);
      continue;
    }
    while (out.length && out[out.length - 1].k === 'ws') out.pop();
    let j = i + 1;
    while (j < toks.length && toks[j].k === 'ws') j++;
    const left = out.pop();
    const right = toks[j];
    const joined = (left?.v ?? '') + (right?.v ?? '');
    out.push(...tokenize(joined));
    i = j;
  }
  return out;
}

/** C integer expression for #if (signed 64-bit; unknown identifiers are 0). */
class CExpr {
  pos = 0;
  private depth = 0;
  constructor(private readonly t: Tok[]) {}

  private peek(): string | undefined {
    return this.t[this.pos]?.v;
  }

  ternary(): bigint {
    if (++this.depth > 200) throw new Error('#if expression nested too deeply');
    const c = this.binary(0);
    if (this.peek() === '?') {
      this.pos++;
      const a = this.ternary();
      if (this.peek() !== ':') throw new Error("expected ':' in #if expression");
      this.pos++;
      const b = this.ternary();
      this.depth--;
      return c !== 0n ? a : b;
    }
    this.depth--;
    return c;
  }

  private static readonly LEVELS: string[][] = [
    ['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%'],
  ];

  /** Reads a (possibly two-character) operator from the token stream. */
  private op(): string | undefined {
    const a = this.t[this.pos]?.v;
    const b = this.t[this.pos + 1]?.v;
    if (a === undefined) return undefined;
    const two = a + (b ?? '');
    if (['||', '&&', '==', '!=', '<=', '>=', '<<', '>>'].includes(two) && this.t[this.pos + 1]?.k === 'p') return two;
    return a;
  }

  private binary(level: number): bigint {
    if (level >= CExpr.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const op = this.op();
      if (op === undefined || !CExpr.LEVELS[level].includes(op)) return left;
      // `<` must not swallow `<<` or `<=` handled by op().
      this.pos += op.length === 2 && this.t[this.pos].v.length === 1 ? 2 : 1;
      if (op === '||' || op === '&&') {
        const right = this.binary(level + 1);
        left = op === '||' ? (left !== 0n || right !== 0n ? 1n : 0n) : left !== 0n && right !== 0n ? 1n : 0n;
        continue;
      }
      const right = this.binary(level + 1);
      left = BigInt.asIntN(64, cApply(op, left, right));
    }
  }

  private unary(): bigint {
    const v = this.peek();
    if (v === '-' || v === '+' || v === '~' || v === '!') {
      this.pos++;
      if (++this.depth > 200) throw new Error('#if expression nested too deeply');
      const x = this.unary();
      this.depth--;
      if (v === '-') return BigInt.asIntN(64, -x);
      if (v === '~') return BigInt.asIntN(64, ~x);
      if (v === '!') return x === 0n ? 1n : 0n;
      return x;
    }
    const t = this.t[this.pos];
    if (!t) throw new Error('missing value in #if expression');
    this.pos++;
    if (t.v === '(') {
      const x = this.ternary();
      if (this.peek() !== ')') throw new Error("missing ')' in #if expression");
      this.pos++;
      return x;
    }
    if (t.k === 'num') {
      const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9]\d*)[uUlL]*$/.exec(t.v);
      if (!m) throw new Error(`invalid integer '${t.v}' in #if expression`);
      const d = m[1];
      const n = /^0[0-7]+$/.test(d) ? BigInt('0o' + d.slice(1)) : BigInt(d);
      return BigInt.asIntN(64, n);
    }
    if (t.k === 'chr') {
      const inner = t.v.slice(1, -1);
      return BigInt(inner.startsWith('\\') ? ({ n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39 } as Record<string, number>)[inner[1]] ?? inner.charCodeAt(1) : inner.charCodeAt(0));
    }
    if (t.k === 'id') return 0n;
    throw new Error(`unexpected '${t.v}' in #if expression`);
  }
}

function cApply(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '<': return a < b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '<<': return b < 0n || b > 63n ? 0n : a << b;
    case '>>': return b < 0n || b > 63n ? (a < 0n ? -1n : 0n) : a >> b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
      if (b === 0n) throw new Error('division by zero in #if');
      return a / b;
    case '%':
      if (b === 0n) throw new Error('division by zero in #if');
      return a % b;
    default:
      throw new Error(`unexpected '${op}' in #if expression`);
  }
}
