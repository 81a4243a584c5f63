// The assembler proper: GNU as AArch64 syntax → sections, symbols, line map.
//
// Pass 1 walks the source once, expanding includes, macros, .rept/.irp and
// conditionals on the fly, and lays out every section: each A64 instruction is
// 4 bytes, data sizes follow from the directives, and `ldr Rt, =expr`
// reserves literal-pool space by register size. Constants are written at once;
// instructions and expressions that need final addresses (forward references,
// labels) become patches. After pass 1 the sections are placed at the link
// address and pass 2 applies the patches, calling the A64 encoder with the
// final PC.
//
// Symbols redefined with `.set` keep a history so each use sees the value it
// had at that point (gas semantics); numeric local labels (`1:`, `1b`, `1f`)
// are resolved by statement sequence number.

import * as path from 'node:path';
import type { EncodeContext } from '../a64/api';
import { ABS, AsmExprError, ExprEnv, ExprValue, evaluate } from './expr';
import { Preprocessor } from './cpp';
import { ARMVIRT_NOTE_SECTION, entryElNote } from '../armvirt-note';
import { LineMap, LineMapColumns, MacroOrigin } from './linemap';
import {
  Lines,
  Piece,
  RawDiag,
  parseStringLiteral,
  scanLines,
  skipString,
  splitArgs,
  splitStatements,
} from './source';
import type {
  AsmSection,
  AsmSymbol,
  AssembleOptions,
  AssemblyResult,
  Diagnostic,
  EncodeFn,
  SectionFlags,
  SymbolBinding,
  SymbolType,
} from './types';

/** NOP (HINT #0), used to pad code sections. DDI0487 C6.2.238. */
const NOP = 0xd503201f;
export const DEFAULT_LINK_ADDRESS = 0x4000_0000n;
const MAX_SECTION_SIZE = 256 * 1024 * 1024;
/** gas's default limit on macro nesting (`max_macro_nest`). */
const MAX_MACRO_DEPTH = 100;
/** Macro call sites listed in a diagnostic before the chain is abbreviated. */
const MAX_RELATED = 8;
const MAX_INCLUDE_DEPTH = 100;
/**
 * Errors reported before the assembler gives up. Runaway expansion (a macro that invokes itself
 * twice, a file that includes itself twice) fails the same way at every leaf of an exponential
 * tree; without a cap the diagnostics alone exhaust the heap long before any other guard trips.
 */
const MAX_ERRORS = 200;
/**
 * Default bound on statements after expansion: work done, not nesting depth, is what must be
 * bounded (a million statements take about 3 s and 300 MB; a hand-written program is far below).
 */
const DEFAULT_MAX_STATEMENTS = 1_000_000;

// ---------------------------------------------------------------- internals

interface Expansion {
  name: string;
  callFile: string;
  callLineNo: number;
  callCol: number;
  parent: Expansion | null;
  depth: number;
}

/** One statement (text between `;` separators) and where it came from. */
interface Stmt {
  text: string;
  file: string;
  lineNo: number;
  /** 0-based column of text[0] in the original line. */
  col: number;
  ctx: Expansion | null;
}

interface Frame {
  kind: 'file' | 'macro' | 'rept';
  src: Lines;
  idx: number;
  iter: number;
  iterations: number;
  subst: ((text: string, iter: number) => string) | null;
  pieces: Piece[] | null;
  pieceIdx: number;
  pieceFile: string;
  pieceLineNo: number;
  pieceCol: number;
  ctx: Expansion | null;
  condDepth: number;
}

interface Section {
  index: number;
  name: string;
  nobits: boolean;
  /** SHT_NOTE (`%note`, or a name starting with `.note` as GNU as does). */
  note: boolean;
  flags: SectionFlags;
  buf: Uint8Array;
  size: number;
  align: number;
  mapping: { offset: number; kind: 'code' | 'data' }[];
  pools: Map<number, PoolEntry[]>;
  base: bigint;
}

interface PoolEntry {
  key: string;
  expr: string;
  size: number;
  sec: number;
  offset: number;
  /** Constant value when known in pass 1. */
  value: bigint | undefined;
  seq: number;
  st: Stmt;
  col: number;
}

type SymDef =
  | { seq: number; sec: number; value: bigint }
  | { seq: number; expr: string; st: Stmt; col: number; resolved?: ExprValue; busy?: boolean };

interface Sym {
  name: string;
  kind: 'label' | 'equ' | 'none';
  /** Label: section and offset. */
  sec: number;
  value: bigint;
  defs: SymDef[] | null;
  binding: SymbolBinding | null;
  type: SymbolType;
  size: bigint | null;
  sizeDef: { expr: string; st: Stmt; col: number; seq: number } | null;
  visibility: AsmSymbol['visibility'];
  st: Stmt | null;
  equiv: boolean;
}

/** Mutable state behind a pass-2 expression environment. */
interface Env2State {
  st: Stmt | null;
  /** Builds the statement when st is null (only needed for a diagnostic). */
  stOf: (() => Stmt) | null;
  col: number;
  seq: number;
  dot: bigint;
}

/** A growable Int32Array column (typed storage: no per-row objects, compact pages). */
class IntCol {
  a: Int32Array;
  n = 0;
  constructor(cap: number) {
    this.a = new Int32Array(Math.max(16, cap));
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

/**
 * Instructions awaiting encoding, column-wise: a 100k-line source would
 * otherwise keep 100k patch objects alive through pass 1 (and allocation is
 * what costs most in pass 1). Rare fields live in maps by row.
 */
class InsnTable {
  readonly sec: IntCol;
  readonly off: IntCol;
  /** 0-based columns of the operands and the mnemonic in the statement text. */
  readonly opCol: IntCol;
  readonly mnCol: IntCol;
  readonly lineNo: IntCol;
  /** Column of the statement text in its original line (Stmt.col). */
  readonly col: IntCol;
  readonly seq: IntCol;
  readonly mnemonic: string[] = [];
  readonly text: string[] = [];
  readonly file: string[] = [];
  readonly ctx: (Expansion | null)[] = [];
  /** Operands that differ from the statement text (register aliases applied). */
  readonly ops = new Map<number, string>();
  readonly lit = new Map<number, PoolEntry>();
  constructor(cap: number) {
    this.sec = new IntCol(cap);
    this.off = new IntCol(cap);
    this.opCol = new IntCol(cap);
    this.mnCol = new IntCol(cap);
    this.lineNo = new IntCol(cap);
    this.col = new IntCol(cap);
    this.seq = new IntCol(cap);
  }
  get length(): number {
    return this.sec.n;
  }
  add(sec: number, off: number, mnemonic: string, opCol: number, mnCol: number, st: Stmt, seq: number): number {
    const i = this.sec.n;
    this.sec.push(sec);
    this.off.push(off);
    this.opCol.push(opCol);
    this.mnCol.push(mnCol);
    this.lineNo.push(st.lineNo);
    this.col.push(st.col);
    this.seq.push(seq);
    this.mnemonic.push(mnemonic);
    this.text.push(st.text);
    this.file.push(st.file);
    this.ctx.push(st.ctx);
    return i;
  }
  stmt(i: number): Stmt {
    return { text: this.text[i], file: this.file[i], lineNo: this.lineNo.a[i], col: this.col.a[i], ctx: this.ctx[i] };
  }
  operands(i: number): string {
    const o = this.ops.get(i);
    return o !== undefined ? o : this.text[i].slice(this.opCol.a[i]).trimEnd();
  }
}

interface DataPatch {
  sec: number;
  off: number;
  size: number;
  expr: string;
  col: number;
  st: Stmt;
  seq: number;
}

/** Line-map items, column-wise: section, offset, size, code flag and source. */
class LmTable {
  readonly sec: IntCol;
  readonly off: IntCol;
  readonly size: IntCol;
  readonly code: IntCol;
  readonly lineNo: IntCol;
  readonly file: string[] = [];
  readonly ctx: (Expansion | null)[] = [];
  constructor(cap: number) {
    this.sec = new IntCol(cap);
    this.off = new IntCol(cap);
    this.size = new IntCol(cap);
    this.code = new IntCol(cap);
    this.lineNo = new IntCol(cap);
  }
  get length(): number {
    return this.sec.n;
  }
  push(sec: number, off: number, size: number, st: Stmt, code: boolean): void {
    this.sec.push(sec);
    this.off.push(off);
    this.size.push(size);
    this.code.push(code ? 1 : 0);
    this.lineNo.push(st.lineNo);
    this.file.push(st.file);
    this.ctx.push(st.ctx);
  }
}

interface Cond {
  active: boolean;
  taken: boolean;
  elseSeen: boolean;
  parentActive: boolean;
  st: Stmt;
  col: number;
  directive: string;
}

interface MacroParam {
  name: string;
  def: string | undefined;
  req: boolean;
  vararg: boolean;
}
interface MacroDef {
  name: string;
  params: MacroParam[];
  body: Lines;
}

class Abort extends Error {}

const LABEL_RE = /^[ \t]*([A-Za-z_.$][\w.$]*|\d+)[ \t]*:(?![:=])/;
const LABEL_STICKY = /[ \t]*([A-Za-z_.$][\w.$]*|\d+)[ \t]*:(?![:=])/y;

function isIdStartCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 36;
}
function isIdCode(c: number): boolean {
  return isIdStartCode(c) || (c >= 48 && c <= 57);
}
const ID_RE = /^[A-Za-z_.$][\w.$]*$/;
const LITERAL_RE = /^[ \t]*([A-Za-z]+)\d*[ \t]*,[ \t]*=[ \t]*(.*?)[ \t]*$/;

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_.$"]/.test(c);
}

function stripQuotes(s: string): string {
  if (s.length >= 2 && s[0] === '"' && skipString(s, 0) === s.length) {
    // Remove the quotes; keep escapes as written (they are re-read where used).
    return s.slice(1, -1).replace(/\\"/g, '"');
  }
  return s;
}

// -------------------------------------------------------------- assembler

export class Assembler {
  private readonly errors: Diagnostic[] = [];
  private readonly warnings: Diagnostic[] = [];
  private readonly messages: string[] = [];
  private readonly files: string[] = [];
  private readonly readFile: (p: string) => string | undefined;
  private readonly includePaths: string[];
  private readonly encoder: EncodeFn | null;
  private readonly maxStatements: number;

  private readonly sections: Section[] = [];
  private readonly sectionByName = new Map<string, Section>();
  private cur!: Section;
  private prev: Section | null = null;
  private readonly sectionStack: { cur: Section; prev: Section | null }[] = [];

  private readonly symbols = new Map<string, Sym>();
  private readonly locals = new Map<string, { seq: number; sec: number; off: number }[]>();
  private readonly macros = new Map<string, MacroDef>();
  private readonly regAliases = new Map<string, string>();
  private readonly frames: Frame[] = [];
  private readonly conds: Cond[] = [];
  private insns = new InsnTable(0);
  private readonly patches: DataPatch[] = [];
  private lm = new LmTable(0);
  /** Lower-case mnemonics, shared (one string per distinct mnemonic). */
  private readonly mnemonics = new Map<string, string>();
  private seq = 0;
  private statements = 0;
  private macroCounter = 0;
  private done = false;

  constructor(private readonly opts: AssembleOptions, encoder: EncodeFn | null) {
    const read = opts.readFile;
    // A throwing or misbehaving reader counts as "file not found".
    this.readFile = (p) => {
      if (!read) return undefined;
      try {
        const t = read(p);
        return typeof t === 'string' ? t : undefined;
      } catch {
        return undefined;
      }
    };
    this.includePaths = opts.includePaths ?? [];
    this.encoder = encoder;
    this.maxStatements = opts.maxStatements ?? DEFAULT_MAX_STATEMENTS;
  }

  assemble(source: string): AssemblyResult {
    try {
      this.pass1(source);
      return this.pass2();
    } catch (e) {
      // Never throw: an internal failure becomes a diagnostic (an Abort already has its own).
      if (!(e instanceof Abort)) this.errors.push({
        file: this.opts.fileName,
        line: 1,
        column: 1,
        severity: 'error',
        message: `internal assembler error: ${(e as Error)?.message ?? String(e)}`,
      });
      return {
        sections: [],
        symbols: [],
        entry: this.opts.linkAddress ?? DEFAULT_LINK_ADDRESS,
        lineMap: new LineMap([]),
        errors: this.errors,
        warnings: this.warnings,
        messages: this.messages,
        files: this.files,
      };
    }
  }

  // ------------------------------------------------------------ diagnostics

  private diag(severity: 'error' | 'warning', st: Stmt, offset: number, message: string): void {
    const related: Diagnostic['related'] = [];
    for (let c = st.ctx; c; c = c.parent) {
      if (related.length === MAX_RELATED) {
        // Deep (usually runaway) nesting: name the outermost call only.
        let root = c;
        while (root.parent) root = root.parent;
        related.push({ file: root.callFile, line: root.callLineNo, column: root.callCol + 1, message: `macro '${root.name}' invoked from here (outermost of ${c.depth + 1} levels)` });
        break;
      }
      related.push({ file: c.callFile, line: c.callLineNo, column: c.callCol + 1, message: `macro '${c.name}' invoked from here` });
    }
    const d: Diagnostic = {
      file: st.file,
      line: st.lineNo,
      column: Math.max(1, st.col + offset + 1),
      severity,
      message,
    };
    if (related.length) d.related = related;
    if (severity === 'error' && this.errors.length >= MAX_ERRORS) {
      this.errors.push({ ...d, message: `too many errors (more than ${MAX_ERRORS}); stopping here` });
      throw new Abort();
    }
    if (severity === 'warning' && this.warnings.length >= MAX_ERRORS) return;
    (severity === 'error' ? this.errors : this.warnings).push(d);
  }
  private err(st: Stmt, offset: number, message: string): void {
    this.diag('error', st, offset, message);
  }
  private warn(st: Stmt, offset: number, message: string): void {
    this.diag('warning', st, offset, message);
  }
  private raw(d: RawDiag, severity: 'error' | 'warning'): void {
    (severity === 'error' ? this.errors : this.warnings).push({ ...d, severity });
  }

  // ------------------------------------------------------------------ pass 1

  private pass1(source: string): void {
    this.cur = this.section('.text');
    const file = this.opts.fileName;
    this.files.push(file);
    const lines = this.loadLines(source, file, this.opts.preprocess ?? /\.S$/.test(file));
    // Size the tables for one item per line; they grow if macros expand further.
    this.insns = new InsnTable(lines.texts.length);
    this.lm = new LmTable(lines.texts.length);
    this.pushFrame('file', lines, null);
    try {
      while (this.frames.length > 0 && !this.done) {
        const f = this.frames[this.frames.length - 1];
        const st = this.next(f);
        if (!st) {
          this.popFrame();
          continue;
        }
        if (++this.statements > this.maxStatements) {
          this.err(st, 0, `too many statements after expansion (more than ${this.maxStatements}); runaway .rept or macro recursion?`);
          throw new Abort();
        }
        this.statement(st);
      }
    } catch (e) {
      if (!(e instanceof Abort)) throw e;
      this.frames.length = 0;
    }
    for (const c of this.conds) this.err(c.st, c.col, `unterminated ${c.directive} (missing .endif)`);
    this.conds.length = 0;
    // Remaining literal pools go at the end of their sections.
    for (const s of this.sections) this.flushPool(s, null);
  }

  private loadLines(text: string, file: string, cpp: boolean): Lines {
    const errs: RawDiag[] = [];
    const warns: RawDiag[] = [];
    let lines: Lines;
    if (cpp) {
      const pp = new Preprocessor(
        {
          readFile: (p) => {
            const t = this.readFile(p);
            if (t !== undefined && !this.files.includes(p)) this.files.push(p);
            return t;
          },
          candidates: (name, from, angled) => this.candidates(name, from, angled),
        },
        errs,
        warns,
        this.opts.defines ?? {},
      );
      const out = pp.run(text, file);
      lines = {
        file,
        texts: out.map((l) => l.text),
        lineNos: out.map((l) => l.line),
        cols: null,
        fileOf: out.some((l) => l.file !== file) ? out.map((l) => l.file) : null,
      };
    } else lines = scanLines(text, file, errs);
    for (const e of errs) this.raw(e, 'error');
    for (const w of warns) this.raw(w, 'warning');
    return lines;
  }

  private candidates(name: string, from: string, angled: boolean): string[] {
    if (path.isAbsolute(name)) return [name];
    const out: string[] = [];
    if (!angled) out.push(path.join(path.dirname(from), name));
    for (const p of this.includePaths) out.push(path.join(p, name));
    if (!angled) out.push(name);
    return out;
  }

  private pushFrame(kind: Frame['kind'], src: Lines, ctx: Expansion | null, iterations = 1, subst: Frame['subst'] = null): void {
    this.frames.push({
      kind,
      src,
      idx: 0,
      iter: 0,
      iterations,
      subst,
      pieces: null,
      pieceIdx: 0,
      pieceFile: '',
      pieceLineNo: 0,
      pieceCol: 0,
      ctx,
      condDepth: this.conds.length,
    });
  }

  private popFrame(): void {
    const f = this.frames.pop()!;
    while (this.conds.length > f.condDepth) {
      const c = this.conds.pop()!;
      this.err(c.st, c.col, `unterminated ${c.directive} (missing .endif)`);
    }
  }

  /** Next statement of frame f, or null at its end. */
  private next(f: Frame): Stmt | null {
    for (;;) {
      if (f.pieces !== null && f.pieceIdx < f.pieces.length) {
        const p = f.pieces[f.pieceIdx++];
        return { text: p.text, file: f.pieceFile, lineNo: f.pieceLineNo, col: f.pieceCol + p.col, ctx: f.ctx };
      }
      f.pieces = null;
      const src = f.src;
      if (f.idx >= src.texts.length) {
        if (f.iter + 1 < f.iterations) {
          f.iter++;
          f.idx = 0;
          continue;
        }
        return null;
      }
      const k = f.idx++;
      let text = src.texts[k];
      if (f.subst !== null) text = f.subst(text, f.iter);
      // `#` as the first non-blank character starts a line comment (and gas line markers).
      let i = 0;
      const n = text.length;
      while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (i === n || text.charCodeAt(i) === 35) continue;
      const file = src.fileOf === null ? src.file : src.fileOf[k];
      const lineNo = src.lineNos === null ? k + 1 : src.lineNos[k];
      const col = src.cols === null ? 0 : src.cols[k];
      if (text.indexOf(';', i) < 0) return { text, file, lineNo, col, ctx: f.ctx };
      f.pieces = splitStatements(text);
      f.pieceIdx = 0;
      f.pieceFile = file;
      f.pieceLineNo = lineNo;
      f.pieceCol = col;
    }
  }

  private condActive(): boolean {
    return this.conds.length === 0 || this.conds[this.conds.length - 1].active;
  }

  private statement(st: Stmt): void {
    const text = st.text;
    let pos = 0;
    if (!this.condActive()) {
      // Only conditional directives matter while skipping.
      let rest = text;
      let m: RegExpExecArray | null;
      while ((m = LABEL_RE.exec(rest))) {
        pos += m[0].length;
        rest = rest.slice(m[0].length);
      }
      const w = /^[ \t]*(\.[A-Za-z_]\w*)/.exec(rest);
      if (w) {
        const name = w[1].toLowerCase();
        if (name.startsWith('.if') || name === '.else' || name === '.elseif' || name === '.endif') {
          const after = pos + w[0].length;
          this.conditional(st, name, text.slice(after), after, pos + w[0].length - w[1].length);
        }
      }
      return;
    }
    // Labels.
    if (text.indexOf(':') >= 0) {
      for (;;) {
        LABEL_STICKY.lastIndex = pos;
        const m = LABEL_STICKY.exec(text);
        if (!m) break;
        const name = m[1];
        this.defineLabel(st, name, pos + m[0].indexOf(name));
        pos += m[0].length;
      }
    }
    const n = text.length;
    while (pos < n && (text.charCodeAt(pos) === 32 || text.charCodeAt(pos) === 9)) pos++;
    if (pos >= n) return;
    let e = pos;
    const c0 = text.charCodeAt(pos);
    if (isIdStartCode(c0)) {
      e++;
      while (e < n && isIdCode(text.charCodeAt(e))) e++;
    }
    if (e === pos) {
      this.err(st, pos, `expected a label, directive or instruction, found '${text.slice(pos).trim().slice(0, 20)}'`);
      return;
    }
    const word = text.slice(pos, e);
    let argPos = e;
    while (argPos < n && (text.charCodeAt(argPos) === 32 || text.charCodeAt(argPos) === 9)) argPos++;
    // `sym = expr` and `sym == expr`.
    if (text.charCodeAt(argPos) === 61 /* = */ && text.charCodeAt(argPos + 1) !== 61) {
      this.setSymbol(st, word, pos, text.slice(argPos + 1), argPos + 1, '.set');
      return;
    }
    if (text.charCodeAt(argPos) === 61 && text.charCodeAt(argPos + 1) === 61 && text.charCodeAt(argPos + 2) !== 61) {
      this.setSymbol(st, word, pos, text.slice(argPos + 2), argPos + 2, '.eqv');
      return;
    }
    // `alias .req reg`
    if (text.charCodeAt(argPos) === 46 && argPos > e) {
      const req = /^\.req\b/i.exec(text.slice(argPos, argPos + 5));
      if (req) {
        const reg = text.slice(argPos + 4).trim();
        if (!/^[A-Za-z]\w*$/.test(reg)) this.err(st, argPos + 4, `expected a register name after .req`);
        else this.regAliases.set(word.toLowerCase(), this.regAliases.get(reg.toLowerCase()) ?? reg);
        return;
      }
    }
    const lower = word.toLowerCase();
    if (lower.charCodeAt(0) === 46 /* . */) {
      const h = DIRECTIVES.get(lower);
      if (h) {
        h(this, st, argPos === n ? '' : text.slice(argPos), argPos, lower, pos);
        return;
      }
    }
    const mac = this.macros.get(lower);
    if (mac) {
      this.invokeMacro(st, mac, argPos === n ? '' : text.slice(argPos), argPos, pos);
      return;
    }
    if (lower.charCodeAt(0) === 46) {
      if (lower.startsWith('.cfi_')) return;
      this.err(st, pos, `unknown directive '${word}'`);
      return;
    }
    this.instruction(st, lower, argPos, pos);
  }

  // ---------------------------------------------------------------- sections

  private section(name: string, flags?: string, type?: string): Section {
    let s = this.sectionByName.get(name);
    if (s) return s;
    const n = name;
    let nobits = /^\.(bss|sbss|tbss)(\.|$)/.test(n);
    let note = /^\.note(\.|$)/.test(n);
    let f: SectionFlags;
    if (/^\.text(\.|$)|^\.init$|^\.fini$/.test(n)) f = { alloc: true, write: false, exec: true };
    else if (/^\.(data|sdata|tdata|bss|sbss|tbss|init_array|fini_array|got)(\.|$)/.test(n)) f = { alloc: true, write: true, exec: false };
    else if (/^\.rodata(\.|$)/.test(n)) f = { alloc: true, write: false, exec: false };
    else f = { alloc: false, write: false, exec: false };
    if (flags !== undefined) {
      f = { alloc: flags.includes('a'), write: flags.includes('w'), exec: flags.includes('x') };
    }
    if (type !== undefined) {
      nobits = type === 'nobits';
      note = type === 'note';
    }
    s = {
      index: this.sections.length,
      name,
      nobits,
      note,
      flags: f,
      buf: new Uint8Array(nobits ? 0 : 256),
      size: 0,
      align: f.exec ? 4 : 1,
      mapping: [],
      pools: new Map(),
      base: 0n,
    };
    this.sections.push(s);
    this.sectionByName.set(name, s);
    return s;
  }

  private switchTo(s: Section): void {
    if (s !== this.cur) {
      this.prev = this.cur;
      this.cur = s;
    }
  }

  /** Reserves n bytes at the end of section s (zero-filled) and returns their offset. */
  private grow(st: Stmt, s: Section, n: number): number {
    const off = s.size;
    if (off + n > MAX_SECTION_SIZE) {
      this.err(st, 0, `section '${s.name}' would grow beyond ${MAX_SECTION_SIZE / (1024 * 1024)} MiB`);
      throw new Abort();
    }
    if (!s.nobits && off + n > s.buf.length) {
      let cap = s.buf.length * 2;
      while (cap < off + n) cap *= 2;
      const b = new Uint8Array(cap);
      b.set(s.buf.subarray(0, off));
      s.buf = b;
    }
    s.size = off + n;
    return off;
  }

  private mark(s: Section, kind: 'code' | 'data', at = s.size): void {
    if (s.nobits) return;
    const m = s.mapping;
    if (m.length && m[m.length - 1].kind === kind) return;
    if (m.length && m[m.length - 1].offset === at) m[m.length - 1].kind = kind;
    else m.push({ offset: at, kind });
    if (m.length >= 2 && m[m.length - 2].kind === kind) m.pop();
  }

  private writeLE(s: Section, off: number, size: number, v: bigint): void {
    let x = BigInt.asUintN(size * 8, v);
    for (let i = 0; i < size; i++) {
      s.buf[off + i] = Number(x & 0xffn);
      x >>= 8n;
    }
  }

  private write32(s: Section, off: number, w: number): void {
    s.buf[off] = w & 0xff;
    s.buf[off + 1] = (w >>> 8) & 0xff;
    s.buf[off + 2] = (w >>> 16) & 0xff;
    s.buf[off + 3] = (w >>> 24) & 0xff;
  }

  // ----------------------------------------------------------------- symbols

  private sym(name: string): Sym {
    let s = this.symbols.get(name);
    if (!s) {
      s = {
        name,
        kind: 'none',
        sec: ABS,
        value: 0n,
        defs: null,
        binding: null,
        type: 'notype',
        size: null,
        sizeDef: null,
        visibility: 'default',
        st: null,
        equiv: false,
      };
      this.symbols.set(name, s);
    }
    return s;
  }

  private defineLabel(st: Stmt, name: string, col: number): void {
    this.seq++;
    if (/^\d+$/.test(name)) {
      const list = this.locals.get(name);
      const d = { seq: this.seq, sec: this.cur.index, off: this.cur.size };
      if (list) list.push(d);
      else this.locals.set(name, [d]);
      return;
    }
    const s = this.sym(name);
    if (s.kind !== 'none') {
      this.err(st, col, `symbol '${name}' is already defined${this.where(s)}`);
      return;
    }
    s.kind = 'label';
    s.sec = this.cur.index;
    s.value = BigInt(this.cur.size);
    s.st = st;
  }

  private where(s: Sym): string {
    if (!s.st) return '';
    return ` (at ${path.basename(s.st.file)}:${s.st.lineNo})`;
  }

  private setSymbol(st: Stmt, name: string, nameCol: number, expr: string, exprCol: number, how: string): void {
    this.seq++;
    if (!ID_RE.test(name)) {
      this.err(st, nameCol, `invalid symbol name '${name}'`);
      return;
    }
    const s = this.sym(name);
    if (s.kind === 'label') {
      this.err(st, nameCol, `symbol '${name}' is already defined${this.where(s)}`);
      return;
    }
    if (s.kind === 'equ' && (how === '.equiv' || s.equiv)) {
      this.err(st, nameCol, `symbol '${name}' is already defined${this.where(s)}`);
      return;
    }
    const e = expr.trim();
    const lead = expr.length - expr.trimStart().length;
    if (e === '') {
      this.err(st, exprCol, `expected an expression after ${how === '.set' && !/^\./.test(how) ? '=' : how}`);
      return;
    }
    let def: SymDef;
    try {
      const v = evaluate(e, this.env1(st, exprCol + lead));
      def = { seq: this.seq, sec: v.sec, value: v.value };
    } catch (x) {
      if (!(x instanceof AsmExprError)) throw x;
      if (x.undefinedSymbol === undefined && !x.notAbsolute) {
        this.err(st, exprCol + lead + x.offset, x.message);
        return;
      }
      def = { seq: this.seq, expr: e, st, col: exprCol + lead };
    }
    s.kind = 'equ';
    s.equiv = how === '.equiv';
    if (!s.st) s.st = st;
    (s.defs ??= []).push(def);
  }

  private readonly p1 = { st: null as unknown as Stmt, col: 0, dotOff: -1, dotSec: 0 };
  private p1env: ExprEnv | null = null;

  /**
   * The pass-1 environment (one shared object: evaluation never re-enters it).
   * `dotOff` >= 0 makes `.` that offset instead of the current location.
   */
  private env1(st: Stmt, col: number, dotOff = -1): ExprEnv {
    const p = this.p1;
    p.st = st;
    p.col = col;
    p.dotOff = dotOff;
    p.dotSec = this.cur.index;
    return (this.p1env ??= {
      dot: () => ({ value: BigInt(p.dotOff >= 0 ? p.dotOff : this.cur.size), sec: p.dotOff >= 0 ? p.dotSec : this.cur.index }),
      symbol: (name) => {
        const s = this.symbols.get(name);
        if (!s) return undefined;
        if (s.kind === 'label') return { value: s.value, sec: s.sec };
        if (s.kind === 'equ') {
          const d = s.defs![s.defs!.length - 1];
          if ('expr' in d) return undefined;
          return { value: d.value, sec: d.sec };
        }
        return undefined;
      },
      local: (label, dir) => {
        if (dir === 'f') return undefined;
        const list = this.locals.get(label);
        if (!list || list.length === 0) return undefined;
        const d = list[list.length - 1];
        return { value: BigInt(d.off), sec: d.sec };
      },
      warn: (m, off) => {
        if (p.col >= 0) this.warn(p.st, p.col + off, m);
      },
    });
  }

  // ------------------------------------------------------------ conditionals

  conditional(st: Stmt, name: string, args: string, argPos: number, dirCol: number): void {
    const top = this.conds[this.conds.length - 1];
    switch (name) {
      case '.else': {
        if (!top) return this.err(st, dirCol, '.else without .if');
        if (top.elseSeen) this.err(st, dirCol, '.else after .else');
        top.elseSeen = true;
        top.active = top.parentActive && !top.taken;
        top.taken = true;
        return;
      }
      case '.elseif': {
        if (!top) return this.err(st, dirCol, '.elseif without .if');
        if (top.elseSeen) this.err(st, dirCol, '.elseif after .else');
        if (top.parentActive && !top.taken) {
          const v = this.condExpr(st, args, argPos, '.elseif');
          top.active = v !== 0n;
          top.taken = top.active;
        } else top.active = false;
        return;
      }
      case '.endif':
        if (!top) return this.err(st, dirCol, '.endif without .if');
        this.conds.pop();
        return;
    }
    const parentActive = this.condActive();
    let value = false;
    if (parentActive) {
      const r = this.evalCondition(st, name, args, argPos, dirCol);
      if (r === undefined) return; // unknown .ifxxx: already reported
      value = r;
    } else if (!IF_DIRECTIVES.has(name)) return;
    this.conds.push({ active: parentActive && value, taken: value, elseSeen: false, parentActive, st, col: dirCol, directive: name });
  }

  private condExpr(st: Stmt, args: string, argPos: number, dir: string): bigint {
    if (args.trim() === '') {
      this.err(st, argPos, `expected an expression after ${dir}`);
      return 0n;
    }
    return this.absolute(st, args, argPos, dir) ?? 0n;
  }

  /** Evaluates an expression that must be a constant in pass 1; reports and returns undefined otherwise. */
  private absolute(st: Stmt, text: string, col: number, what: string): bigint | undefined {
    const lead = text.length - text.trimStart().length;
    try {
      const v = evaluate(text, this.env1(st, col + lead));
      if (v.sec !== ABS) {
        this.err(st, col + lead, `${what} needs a constant expression (an address is not known yet)`);
        return undefined;
      }
      return v.value;
    } catch (x) {
      if (!(x instanceof AsmExprError)) throw x;
      if (x.notAbsolute) this.err(st, col + lead + x.offset, `${what} needs a constant expression (an address is not known yet)`);
      else if (x.undefinedSymbol !== undefined && /^\d+f$/i.test(x.undefinedSymbol)) {
        this.err(st, col + lead + x.offset, `${what} needs a constant expression; '${x.undefinedSymbol}' is a forward reference`);
      } else this.err(st, col + lead + x.offset, x.message);
      return undefined;
    }
  }

  private evalCondition(st: Stmt, name: string, args: string, argPos: number, dirCol: number): boolean | undefined {
    const symArg = (): string | undefined => {
      const t = args.trim();
      if (!ID_RE.test(t)) {
        this.err(st, argPos, `expected a symbol name after ${name}`);
        return undefined;
      }
      return t;
    };
    const twoStrings = (): [string, string] | undefined => {
      const parts = splitArgs(args, argPos);
      if (parts.length !== 2) {
        this.err(st, argPos, `${name} needs two comma-separated operands`);
        return undefined;
      }
      return [parts[0].text, parts[1].text];
    };
    switch (name) {
      case '.if':
      case '.ifne':
        return this.condExpr(st, args, argPos, name) !== 0n;
      case '.ifeq':
        return this.condExpr(st, args, argPos, name) === 0n;
      case '.ifge':
        return this.condExpr(st, args, argPos, name) >= 0n;
      case '.ifgt':
        return this.condExpr(st, args, argPos, name) > 0n;
      case '.ifle':
        return this.condExpr(st, args, argPos, name) <= 0n;
      case '.iflt':
        return this.condExpr(st, args, argPos, name) < 0n;
      case '.ifdef':
      case '.ifndef':
      case '.ifnotdef': {
        const n = symArg();
        if (n === undefined) return false;
        const s = this.symbols.get(n);
        const defined = !!s && s.kind !== 'none';
        return name === '.ifdef' ? defined : !defined;
      }
      case '.ifb':
        return args.trim() === '';
      case '.ifnb':
        return args.trim() !== '';
      case '.ifc':
      case '.ifnc': {
        const p = twoStrings();
        if (!p) return false;
        const same = stripQuotes(p[0]) === stripQuotes(p[1]);
        return name === '.ifc' ? same : !same;
      }
      case '.ifeqs':
      case '.ifnes': {
        const parts = splitArgs(args, argPos);
        const a = parts.map((p) => parseStringLiteral(p.text));
        if (parts.length !== 2 || !a[0].ok || !a[1].ok) {
          this.err(st, argPos, `${name} needs two strings in double quotes`);
          return false;
        }
        const same = String(a[0].ok && a[0].bytes) === String(a[1].ok && a[1].bytes);
        return name === '.ifeqs' ? same : !same;
      }
      default:
        this.err(st, dirCol, `unknown directive '${name}'`);
        return undefined;
    }
  }

  // ------------------------------------------------------------------ macros

  defineMacro(st: Stmt, args: string, argPos: number, dirCol: number): void {
    const body = this.collect(st, dirCol, /^\.macro$/, /^\.(endm|endmacro)$/, '.macro', '.endm');
    const m = /^[ \t]*([A-Za-z_.$][\w.$]*)/.exec(args);
    if (!m) {
      this.err(st, argPos, 'expected a macro name after .macro');
      return;
    }
    const name = m[1].toLowerCase();
    const params: MacroParam[] = [];
    let ptext = args.slice(m[0].length).replace(/[ \t]*=[ \t]*/g, '=').replace(/[ \t]*:[ \t]*/g, ':');
    if (ptext.trimStart().startsWith(',')) ptext = ptext.trimStart().slice(1);
    for (const p of splitMacroArgs(ptext)) {
      const pm = /^([A-Za-z_.$][\w.$]*)(?::(req|vararg))?(?:=(.*))?$/s.exec(p.text);
      if (!pm) {
        this.err(st, argPos + m[0].length, `invalid macro parameter '${p.text}'`);
        continue;
      }
      if (params.some((q) => q.name === pm[1])) {
        this.err(st, argPos + m[0].length, `duplicate macro parameter '${pm[1]}'`);
        continue;
      }
      params.push({ name: pm[1], req: pm[2] === 'req', vararg: pm[2] === 'vararg', def: pm[3] === undefined ? undefined : stripQuotes(pm[3]) });
    }
    if (!body) return;
    if (DIRECTIVES.has(name)) {
      this.err(st, argPos, `cannot define a macro named '${m[1]}': it is a directive`);
      return;
    }
    if (this.macros.has(name)) {
      this.err(st, argPos, `macro '${m[1]}' is already defined`);
      return;
    }
    this.macros.set(name, { name, params, body });
  }

  /**
   * Collects statements of the current frame up to the matching end directive
   * (nesting counted). Returns null, after reporting, when the frame ends first.
   */
  private collect(st: Stmt, dirCol: number, open: RegExp, close: RegExp, what: string, end: string): Lines | null {
    const f = this.frames[this.frames.length - 1];
    const body: Lines = { file: st.file, texts: [], lineNos: [], cols: [], fileOf: null };
    let depth = 0;
    for (;;) {
      const s = this.next(f);
      if (!s) {
        this.err(st, dirCol, `unterminated ${what} (missing ${end})`);
        return null;
      }
      const w = /^(?:[ \t]*(?:[A-Za-z_.$][\w.$]*|\d+)[ \t]*:(?![:=]))*[ \t]*(\.[A-Za-z_]\w*)/.exec(s.text);
      const d = w ? w[1].toLowerCase() : '';
      if (close.test(d)) {
        if (depth === 0) return body;
        depth--;
      } else if (open.test(d)) depth++;
      if (s.file !== body.file && body.fileOf === null) body.fileOf = body.texts.map(() => body.file);
      body.texts.push(s.text);
      body.lineNos!.push(s.lineNo);
      body.cols!.push(s.col);
      if (body.fileOf !== null) body.fileOf.push(s.file);
    }
  }

  private invokeMacro(st: Stmt, mac: MacroDef, args: string, argPos: number, nameCol: number): void {
    const depth = st.ctx ? st.ctx.depth + 1 : 1;
    if (depth > MAX_MACRO_DEPTH) {
      this.err(st, nameCol, `macro '${mac.name}' nested too deeply (more than ${MAX_MACRO_DEPTH} levels); recursive macro without a stop?`);
      return;
    }
    const values = new Map<string, string>();
    const actuals = splitMacroArgs(args);
    let p = 0;
    for (const a of actuals) {
      const kw = /^([A-Za-z_.$][\w.$]*)[ \t]*=(?!=)(.*)$/s.exec(a.text);
      if (kw && mac.params.some((q) => q.name === kw[1])) {
        values.set(kw[1], stripQuotes(kw[2].trim()));
        continue;
      }
      while (p < mac.params.length && values.has(mac.params[p].name)) p++;
      if (p >= mac.params.length) {
        this.err(st, argPos + a.start, `too many arguments for macro '${mac.name}' (it takes ${mac.params.length})`);
        break;
      }
      const prm = mac.params[p];
      if (prm.vararg) {
        // gas's input scrubber drops blanks after commas; do the same outside strings.
        values.set(prm.name, args.slice(a.start).trim().replace(/("(?:\\.|[^"\\])*")|[ \t]*,[ \t]*/g, (m, q) => q ?? ','));
        break;
      }
      values.set(prm.name, stripQuotes(a.text));
      p++;
    }
    for (const q of mac.params) {
      const v = values.get(q.name);
      if (v === undefined || v === '') {
        if (q.req) this.err(st, nameCol, `missing value for required parameter '${q.name}' of macro '${mac.name}'`);
        values.set(q.name, q.def ?? '');
      }
    }
    const counter = String(this.macroCounter++);
    const ctx: Expansion = { name: mac.name, callFile: st.file, callLineNo: st.lineNo, callCol: st.col + nameCol, parent: st.ctx, depth };
    this.pushFrame('macro', mac.body, ctx, 1, (text) => substitute(text, values, counter));
  }

  repeat(st: Stmt, kind: string, args: string, argPos: number, dirCol: number): void {
    const body = this.collect(st, dirCol, /^\.(rept|irp|irpc)$/, /^\.endr$/, kind, '.endr');
    if (!body) return;
    if (kind === '.rept') {
      if (args.trim() === '') return this.err(st, argPos, 'expected a count after .rept');
      const n = this.absolute(st, args, argPos, '.rept');
      if (n === undefined) return;
      if (n < 0n) return this.warn(st, argPos, `negative count for .rept (${n}); ignored`);
      if (n > BigInt(this.maxStatements)) return this.err(st, argPos, `.rept count ${n} is too large`);
      if (n === 0n || body.texts.length === 0) return;
      this.pushFrame('rept', body, st.ctx, Number(n));
      return;
    }
    const m = /^[ \t]*([A-Za-z_.$][\w.$]*)[ \t]*,?/.exec(args);
    if (!m) return this.err(st, argPos, `expected a symbol name after ${kind}`);
    const name = m[1];
    const rest = args.slice(m[0].length);
    let values: string[];
    if (kind === '.irp') {
      values = splitMacroArgs(rest).map((a) => stripQuotes(a.text));
      if (values.length === 0) values = [''];
    } else {
      const t = stripQuotes(rest.trim());
      values = t.length ? [...t] : [''];
    }
    if (body.texts.length === 0) return;
    const counter = String(this.macroCounter);
    this.pushFrame('rept', body, st.ctx, values.length, (text, iter) =>
      substitute(text, new Map([[name, values[iter]]]), counter, true),
    );
  }

  exitMacro(st: Stmt, dirCol: number): void {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      if (this.frames[i].kind === 'macro') {
        const depth = this.frames[i].condDepth;
        this.frames.length = i;
        this.conds.length = depth;
        return;
      }
      if (this.frames[i].kind === 'file') break;
    }
    this.err(st, dirCol, '.exitm outside a macro');
  }

  purgeMacro(st: Stmt, args: string, argPos: number): void {
    for (const a of splitArgs(args, argPos)) {
      if (!this.macros.delete(a.text.toLowerCase())) this.err(st, a.col, `macro '${a.text}' is not defined`);
    }
  }

  include(st: Stmt, args: string, argPos: number): void {
    const r = parseStringLiteral(args);
    if (!r.ok) return this.err(st, argPos + r.offset, `.include expects a file name in double quotes`);
    const name = Buffer.from(r.bytes).toString('utf8');
    if (this.frames.filter((f) => f.kind === 'file').length > MAX_INCLUDE_DEPTH) {
      return this.err(st, argPos, `.include nested too deeply (more than ${MAX_INCLUDE_DEPTH} levels)`);
    }
    for (const p of this.candidates(name, st.file, false)) {
      const text = this.readFile(p);
      if (text === undefined) continue;
      if (!this.files.includes(p)) this.files.push(p);
      const lines = this.loadLines(text, p, false);
      this.pushFrame('file', lines, st.ctx);
      return;
    }
    this.err(st, argPos, `include file '${name}' not found`);
  }

  // ------------------------------------------------------------ instructions

  /** Lays out one instruction; `opCol` is where its operands start in st.text. */
  private instruction(st: Stmt, mnemonic: string, opCol: number, mnCol: number): void {
    const s = this.cur;
    this.seq++;
    if (s.nobits) {
      this.err(st, mnCol, `instruction in section '${s.name}', which has no contents (nobits)`);
      return;
    }
    if (s.size & 3) this.grow(st, s, 4 - (s.size & 3));
    if (s.align < 4) s.align = 4;
    this.mark(s, 'code');
    const off = this.grow(st, s, 4);
    let ops: string | null = null;
    if (this.regAliases.size) ops = this.applyAliases(st.text.slice(opCol).trimEnd());
    let lit: PoolEntry | null = null;
    if ((mnemonic === 'ldr' || mnemonic === 'ldrsw') && st.text.indexOf('=', opCol) > 0) {
      const o = ops ?? st.text.slice(opCol);
      const m = LITERAL_RE.exec(o);
      if (m) {
        const r = m[1].toLowerCase()[0];
        const size = mnemonic === 'ldrsw' ? 4 : r === 'x' || r === 'd' ? 8 : r === 'w' || r === 's' ? 4 : r === 'q' ? 16 : 0;
        if (size) lit = this.poolAdd(st, m[2], opCol + o.indexOf('=') + 1, size);
      }
    }
    let mn = this.mnemonics.get(mnemonic);
    if (mn === undefined) this.mnemonics.set(mnemonic, (mn = mnemonic));
    const row = this.insns.add(s.index, off, mn, opCol, mnCol, st, this.seq);
    if (ops !== null) this.insns.ops.set(row, ops);
    if (lit) this.insns.lit.set(row, lit);
    this.lm.push(s.index, off, 4, st, true);
  }

  private applyAliases(ops: string): string {
    return ops.replace(/[A-Za-z_]\w*/g, (w) => this.regAliases.get(w.toLowerCase()) ?? w);
  }

  private poolAdd(st: Stmt, expr: string, col: number, size: number): PoolEntry {
    const s = this.cur;
    let key = 'e:' + expr.replace(/\s+/g, '');
    let value: bigint | undefined;
    try {
      const v = evaluate(expr, this.env1(st, -1));
      if (v.sec === ABS) {
        value = v.value;
        key = 'c:' + v.value;
      }
    } catch {
      // resolved in pass 2
    }
    let list = s.pools.get(size);
    if (!list) s.pools.set(size, (list = []));
    for (const e of list) if (e.key === key) return e;
    const e: PoolEntry = { key, expr, size, sec: s.index, offset: -1, value, seq: this.seq, st, col };
    list.push(e);
    return e;
  }

  /** Emits the pending literal pools of section s (`.ltorg`, or the end of assembly). */
  flushPool(s: Section, st: Stmt | null): void {
    for (const size of [4, 8, 16]) {
      const list = s.pools.get(size);
      if (!list || list.length === 0) continue;
      s.pools.delete(size);
      const stmt = st ?? list[0].st;
      // As gas (s_ltorg): switch to data before the alignment padding.
      this.mark(s, 'data');
      const pad = (size - (s.size % size)) % size;
      if (pad) this.grow(stmt, s, pad);
      if (s.align < size) s.align = size;
      const start = s.size;
      for (const e of list) {
        e.offset = this.grow(stmt, s, size);
        if (e.value !== undefined) this.writeLE(s, e.offset, size, e.value);
        else this.patches.push({ sec: s.index, off: e.offset, size, expr: e.expr, col: e.col, st: e.st, seq: e.seq });
      }
      if (st) this.lm.push(s.index, start, s.size - start, st, false);
    }
  }

  // ----------------------------------------------------------------- data

  data(st: Stmt, args: string, argPos: number, size: number, code = false): void {
    const s = this.cur;
    this.seq++;
    if (code) {
      if (s.nobits) return this.err(st, argPos, `.inst in section '${s.name}', which has no contents (nobits)`);
      if (s.size & 3) this.grow(st, s, 4 - (s.size & 3));
      if (s.align < 4) s.align = 4;
    }
    if (args.trim() === '') return;
    this.mark(s, code ? 'code' : 'data');
    const start = s.size;
    for (const a of splitArgs(args, argPos)) {
      if (a.text === '') {
        this.err(st, a.col, 'expected an expression');
        continue;
      }
      const off = this.grow(st, s, size);
      try {
        const v = evaluate(a.text, this.env1(st, a.col, off));
        if (v.sec === ABS) {
          this.store(st, a.col, s, off, size, v.value);
          continue;
        }
      } catch (x) {
        if (!(x instanceof AsmExprError)) throw x;
        if (x.undefinedSymbol === undefined && !x.notAbsolute) {
          this.err(st, a.col + x.offset, x.message);
          continue;
        }
      }
      this.patches.push({ sec: s.index, off, size, expr: a.text, col: a.col, st, seq: this.seq });
    }
    if (s.size > start) this.lm.push(s.index, start, s.size - start, st, code);
  }

  /** Writes a constant of `size` bytes with gas-style truncation warnings. */
  private store(st: Stmt, col: number, s: Section, off: number, size: number, v: bigint): void {
    if (size < 8) {
      const bits = BigInt(size * 8);
      if (v >= 1n << bits || v < -(1n << (bits - 1n))) {
        const t = BigInt.asUintN(size * 8, v);
        this.warn(st, col, `value 0x${BigInt.asUintN(64, v).toString(16)} truncated to 0x${t.toString(16)}`);
      }
    }
    if (s.nobits) {
      if (v !== 0n) this.err(st, col, `attempt to store a non-zero value in section '${s.name}' (nobits)`);
      return;
    }
    this.writeLE(s, off, size, v);
  }

  strings(st: Stmt, args: string, argPos: number, zero: boolean): void {
    const s = this.cur;
    this.seq++;
    const start = s.size;
    let first = true;
    for (const a of splitArgs(args, argPos)) {
      if (a.text === '' && first && args.trim() === '') break;
      first = false;
      const r = parseStringLiteral(a.text);
      if (!r.ok) {
        this.err(st, a.col + r.offset, r.message);
        continue;
      }
      if (r.end !== a.text.length) {
        this.err(st, a.col + r.end, `unexpected text after string: '${a.text.slice(r.end).trim().slice(0, 20)}'`);
        continue;
      }
      const bytes = zero ? [...r.bytes, 0] : r.bytes;
      if (bytes.length === 0) continue;
      if (s.nobits) {
        if (bytes.some((b) => b !== 0)) this.err(st, a.col, `attempt to store a non-zero value in section '${s.name}' (nobits)`);
        this.grow(st, s, bytes.length);
        continue;
      }
      this.mark(s, 'data');
      const off = this.grow(st, s, bytes.length);
      s.buf.set(bytes, off);
    }
    if (s.size > start) this.lm.push(s.index, start, s.size - start, st, false);
  }

  floats(st: Stmt, args: string, argPos: number, size: 4 | 8): void {
    const s = this.cur;
    this.seq++;
    const start = s.size;
    for (const a of splitArgs(args, argPos)) {
      const t = a.text.replace(/^0[fFdDeE]/, '');
      const v = Number(t);
      if (t === '' || (Number.isNaN(v) && !/^[+-]?nan$/i.test(t))) {
        this.err(st, a.col, `invalid floating-point number '${a.text}'`);
        continue;
      }
      this.mark(s, 'data');
      const off = this.grow(st, s, size);
      if (s.nobits) continue;
      const dv = new DataView(s.buf.buffer, s.buf.byteOffset + off, size);
      if (size === 4) dv.setFloat32(0, v, true);
      else dv.setFloat64(0, v, true);
    }
    if (s.size > start) this.lm.push(s.index, start, s.size - start, st, false);
  }

  leb128(st: Stmt, args: string, argPos: number, signed: boolean): void {
    const s = this.cur;
    this.seq++;
    for (const a of splitArgs(args, argPos)) {
      const v = this.absolute(st, a.text, a.col, signed ? '.sleb128' : '.uleb128');
      if (v === undefined) continue;
      const bytes: number[] = [];
      let x = signed ? v : BigInt.asUintN(64, v);
      for (;;) {
        const b = Number(x & 0x7fn);
        x >>= 7n;
        const done = signed ? (x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0) : x === 0n;
        bytes.push(done ? b : b | 0x80);
        if (done) break;
      }
      this.mark(s, 'data');
      const off = this.grow(st, s, bytes.length);
      if (!s.nobits) s.buf.set(bytes, off);
    }
  }

  space(st: Stmt, args: string, argPos: number, dir: string): void {
    const parts = splitArgs(args, argPos);
    if (args.trim() === '') return this.err(st, argPos, `expected a size after ${dir}`);
    const n = this.absolute(st, parts[0].text, parts[0].col, dir);
    if (n === undefined) return;
    let fill = 0n;
    if (parts.length > 1) {
      const f = this.absolute(st, parts[1].text, parts[1].col, dir);
      if (f === undefined) return;
      fill = f;
    }
    if (n < 0n) return this.err(st, parts[0].col, `${dir} size is negative (${n})`);
    if (n > BigInt(MAX_SECTION_SIZE)) return this.err(st, parts[0].col, `${dir} size ${n} is too large`);
    this.fillBytes(st, Number(n), 1, fill);
  }

  fill(st: Stmt, args: string, argPos: number): void {
    const parts = splitArgs(args, argPos);
    if (args.trim() === '') return this.err(st, argPos, 'expected a repeat count after .fill');
    const vals: bigint[] = [];
    const defaults = [0n, 1n, 0n];
    for (let i = 0; i < 3; i++) {
      if (i >= parts.length || parts[i].text === '') vals.push(defaults[i]);
      else {
        const v = this.absolute(st, parts[i].text, parts[i].col, '.fill');
        if (v === undefined) return;
        vals.push(v);
      }
    }
    if (parts.length > 3) return this.err(st, parts[3].col, '.fill takes at most three operands');
    let [rep, size] = vals;
    const value = vals[2];
    if (rep < 0n) return this.err(st, parts[0].col, `.fill repeat count is negative (${rep})`);
    if (size < 0n) return this.err(st, parts[1].col, `.fill size is negative (${size})`);
    if (size > 8n) {
      this.warn(st, parts[1].col, `.fill size clamped to 8`);
      size = 8n;
    }
    if (rep * size > BigInt(MAX_SECTION_SIZE)) return this.err(st, parts[0].col, `.fill of ${rep * size} bytes is too large`);
    this.fillBytes(st, Number(rep), Number(size), value);
  }

  private fillBytes(st: Stmt, count: number, size: number, value: bigint): void {
    const s = this.cur;
    this.seq++;
    if (count * size === 0) return;
    if (s.nobits) {
      if (value !== 0n) this.err(st, 0, `attempt to store a non-zero value in section '${s.name}' (nobits)`);
      this.grow(st, s, count * size);
      return;
    }
    this.mark(s, 'data');
    const start = this.grow(st, s, count * size);
    // gas stores at most 4 bytes of a .fill value; wider units get zero upper bytes.
    if (size > 4) value = BigInt.asUintN(32, value);
    if (value !== 0n) {
      if (size === 1) s.buf.fill(Number(BigInt.asUintN(8, value)), start, start + count);
      else for (let i = 0; i < count; i++) this.writeLE(s, start + i * size, size, value);
    }
    this.lm.push(s.index, start, count * size, st, false);
  }

  /** .align/.p2align (power of two exponent) and .balign (byte count). */
  align(st: Stmt, args: string, argPos: number, dir: string): void {
    const parts = splitArgs(args, argPos);
    if (args.trim() === '') return this.err(st, argPos, `expected an alignment after ${dir}`);
    const a = this.absolute(st, parts[0].text, parts[0].col, dir);
    if (a === undefined) return;
    let bytes: number;
    if (dir === '.balign') {
      if (a <= 0n || (a & (a - 1n)) !== 0n) return this.err(st, parts[0].col, `alignment ${a} is not a power of two`);
      if (a > 1n << 28n) return this.err(st, parts[0].col, `alignment ${a} is too large`);
      bytes = Number(a);
    } else {
      if (a < 0n || a > 28n) return this.err(st, parts[0].col, `alignment exponent ${a} is out of range (0 to 28)`);
      bytes = 1 << Number(a);
    }
    let fill: bigint | undefined;
    let max: bigint | undefined;
    if (parts.length > 1 && parts[1].text !== '') {
      fill = this.absolute(st, parts[1].text, parts[1].col, dir);
      if (fill === undefined) return;
    }
    if (parts.length > 2 && parts[2].text !== '') {
      max = this.absolute(st, parts[2].text, parts[2].col, dir);
      if (max === undefined) return;
    }
    this.alignTo(st, bytes, fill, max);
  }

  private alignTo(st: Stmt, bytes: number, fill: bigint | undefined, max: bigint | undefined): void {
    const s = this.cur;
    this.seq++;
    const pad = (bytes - (s.size % bytes)) % bytes;
    if (max !== undefined && BigInt(pad) > max) return;
    if (s.align < bytes) s.align = bytes;
    if (pad === 0) return;
    if (s.nobits) {
      this.grow(st, s, pad);
      return;
    }
    const start = this.grow(st, s, pad);
    if (fill === undefined && s.flags.exec) {
      // gas pads code with zeros up to a word boundary, then with NOPs.
      const z = (4 - (start % 4)) % 4;
      if (pad - z >= 4) {
        this.mark(s, 'code', start + z);
        for (let o = start + z; o + 4 <= start + pad; o += 4) this.write32(s, o, NOP);
      }
    } else if (fill !== undefined && fill !== 0n) {
      s.buf.fill(Number(BigInt.asUintN(8, fill)), start, start + pad);
    }
  }

  org(st: Stmt, args: string, argPos: number): void {
    const parts = splitArgs(args, argPos);
    if (args.trim() === '') return this.err(st, argPos, 'expected an expression after .org');
    const lead = parts[0].col;
    let target: bigint;
    try {
      const v = evaluate(parts[0].text, this.env1(st, lead));
      if (v.sec !== ABS && v.sec !== this.cur.index) return this.err(st, lead, '.org target is in a different section');
      target = v.value;
    } catch (x) {
      if (!(x instanceof AsmExprError)) throw x;
      return this.err(st, lead + x.offset, x.notAbsolute ? '.org needs an expression known at this point' : x.message);
    }
    let fill = 0n;
    if (parts.length > 1) {
      const f = this.absolute(st, parts[1].text, parts[1].col, '.org');
      if (f === undefined) return;
      fill = f;
    }
    const here = BigInt(this.cur.size);
    if (target < here) return this.err(st, lead, `attempt to move .org backwards (from 0x${here.toString(16)} to 0x${BigInt.asUintN(64, target).toString(16)})`);
    if (target - here > BigInt(MAX_SECTION_SIZE)) return this.err(st, lead, `.org target 0x${target.toString(16)} is too far ahead`);
    this.fillBytes(st, Number(target - here), 1, fill);
  }

  // ------------------------------------------------------- symbol directives

  symbolDirective(st: Stmt, dir: string, args: string, argPos: number): void {
    for (const a of splitArgs(args, argPos)) {
      if (!ID_RE.test(a.text)) {
        this.err(st, a.col, a.text === '' ? `expected a symbol name after ${dir}` : `invalid symbol name '${a.text}'`);
        continue;
      }
      // GNU as accepts `.extern` and ignores it: every undefined symbol is external to it. We
      // link nothing, so an extern that is never defined still fails as "undefined symbol".
      if (dir === '.extern') continue;
      const s = this.sym(a.text);
      switch (dir) {
        case '.global':
        case '.globl':
          if (s.binding !== 'weak') s.binding = 'global';
          break;
        case '.weak':
          s.binding = 'weak';
          break;
        case '.local':
          s.binding = 'local';
          break;
        case '.hidden':
          s.visibility = 'hidden';
          break;
        case '.protected':
          s.visibility = 'protected';
          break;
        case '.internal':
          s.visibility = 'internal';
          break;
      }
    }
  }

  type(st: Stmt, args: string, argPos: number): void {
    const parts = splitArgs(args, argPos);
    if (parts.length !== 2 || !ID_RE.test(parts[0].text)) return this.err(st, argPos, 'expected .type symbol, %function|%object|...');
    const t = parts[1].text.replace(/^[%@#"]/, '').replace(/"$/, '').toLowerCase();
    const map: Record<string, SymbolType> = {
      function: 'func',
      stt_func: 'func',
      object: 'object',
      stt_object: 'object',
      tls_object: 'tls',
      stt_tls: 'tls',
      notype: 'notype',
      stt_notype: 'notype',
      common: 'common',
      stt_common: 'common',
      gnu_indirect_function: 'gnu_indirect_function',
      stt_gnu_ifunc: 'gnu_indirect_function',
    };
    const ty = map[t];
    if (!ty) return this.err(st, parts[1].col, `unknown symbol type '${parts[1].text}'`);
    this.sym(parts[0].text).type = ty;
  }

  size(st: Stmt, args: string, argPos: number): void {
    const parts = splitArgs(args, argPos);
    if (parts.length !== 2 || !ID_RE.test(parts[0].text)) return this.err(st, argPos, 'expected .size symbol, expression');
    this.seq++;
    const s = this.sym(parts[0].text);
    try {
      const v = evaluate(parts[1].text, this.env1(st, parts[1].col));
      if (v.sec === ABS) {
        s.size = v.value;
        s.sizeDef = null;
        return;
      }
      return this.err(st, parts[1].col, '.size needs a constant expression');
    } catch (x) {
      if (!(x instanceof AsmExprError)) throw x;
      if (x.undefinedSymbol === undefined && !x.notAbsolute) return this.err(st, parts[1].col + x.offset, x.message);
    }
    s.sizeDef = { expr: parts[1].text, st, col: parts[1].col, seq: this.seq };
  }

  equ(st: Stmt, dir: string, args: string, argPos: number): void {
    const m = /^[ \t]*([^,]*?)[ \t]*,/.exec(args);
    if (!m) return this.err(st, argPos, `expected ${dir} symbol, expression`);
    this.setSymbol(st, m[1], argPos + args.indexOf(m[1]), args.slice(m[0].length), argPos + m[0].length, dir);
  }

  comm(st: Stmt, dir: string, args: string, argPos: number): void {
    const parts = splitArgs(args, argPos);
    if (parts.length < 2 || !ID_RE.test(parts[0].text)) return this.err(st, argPos, `expected ${dir} symbol, size[, alignment]`);
    const size = this.absolute(st, parts[1].text, parts[1].col, dir);
    if (size === undefined) return;
    let al = 8n;
    if (parts.length > 2) {
      const a = this.absolute(st, parts[2].text, parts[2].col, dir);
      if (a === undefined) return;
      al = a;
    }
    if (al <= 0n || (al & (al - 1n)) !== 0n || al > 1n << 20n) return this.err(st, parts[2]?.col ?? argPos, `alignment ${al} is not a power of two`);
    if (size < 0n || size > BigInt(MAX_SECTION_SIZE)) return this.err(st, parts[1].col, `${dir} size ${size} is out of range`);
    const saved = this.cur;
    this.cur = this.section('.bss');
    this.alignTo(st, Number(al), undefined, undefined);
    this.defineLabel(st, parts[0].text, parts[0].col);
    this.grow(st, this.cur, Number(size));
    this.cur = saved;
    const s = this.sym(parts[0].text);
    s.type = 'object';
    s.size = size;
    if (dir === '.comm' && s.binding === null) s.binding = 'global';
  }

  sectionDirective(st: Stmt, dir: string, args: string, argPos: number): void {
    if (dir === '.text' || dir === '.data' || dir === '.bss') {
      this.switchTo(this.section(dir));
      return;
    }
    if (dir === '.popsection') {
      const p = this.sectionStack.pop();
      if (!p) return this.err(st, 0, '.popsection without .pushsection');
      this.cur = p.cur;
      this.prev = p.prev;
      return;
    }
    if (dir === '.previous') {
      if (!this.prev) return;
      const c = this.cur;
      this.cur = this.prev;
      this.prev = c;
      return;
    }
    // .section / .pushsection name[, "flags"[, %type[, ...]]]
    const parts = splitArgs(args, argPos);
    let name = parts[0]?.text ?? '';
    if (name.startsWith('"')) name = stripQuotes(name);
    if (name === '' || /\s/.test(name)) return this.err(st, argPos, `expected a section name after ${dir}`);
    let flags: string | undefined;
    let type: string | undefined;
    let pi = 1;
    if (parts.length > pi && parts[pi].text.startsWith('"')) {
      flags = stripQuotes(parts[pi].text);
      const bad = /[^awxMSGTRoe?d0-9]/.exec(flags);
      if (bad) return this.err(st, parts[pi].col + 1 + bad.index, `unknown section flag '${bad[0]}'`);
      pi++;
    } else if (parts.length > pi && dir === '.pushsection' && /^\d+$/.test(parts[pi].text)) pi++;
    if (parts.length > pi) {
      const t = parts[pi].text.replace(/^[%@]/, '');
      if (t === 'nobits' || t === 'note') type = t;
      else if (t === 'progbits' || t === 'init_array' || t === 'fini_array' || t === 'preinit_array') type = 'progbits';
      else return this.err(st, parts[pi].col, `unknown section type '${parts[pi].text}'`);
    }
    const target = this.section(name, flags, type);
    if (dir === '.pushsection') {
      this.sectionStack.push({ cur: this.cur, prev: this.prev });
      this.prev = this.cur;
      this.cur = target;
    } else this.switchTo(target);
  }

  message(st: Stmt, dir: string, args: string, argPos: number, dirCol: number): void {
    let text = '';
    if (args.trim() !== '') {
      const r = parseStringLiteral(args);
      if (!r.ok) return this.err(st, argPos + r.offset, `${dir} expects a string in double quotes`);
      text = Buffer.from(r.bytes).toString('utf8');
    }
    if (dir === '.err') this.err(st, dirCol, '.err encountered');
    else if (dir === '.error') this.err(st, dirCol, text || '.error directive invoked in source file');
    else if (dir === '.warning') this.warn(st, dirCol, text || '.warning directive invoked in source file');
    else this.messages.push(text);
  }

  end(): void {
    this.done = true;
  }

  /**
   * `.armvirt entry_el, N`: the exception level (1 or 2) the simulator starts the program at,
   * written as an ARMVIRT ELF note in the non-allocated `.note.armvirt` section
   * (src/asm/armvirt-note.ts; the same bytes can be written by hand under GNU as).
   */
  armvirt(st: Stmt, args: string, argPos: number, dirCol: number): void {
    const parts = splitArgs(args, argPos);
    const key = parts[0]?.text.toLowerCase() ?? '';
    if (key === '') return this.err(st, dirCol, `.armvirt expects a setting: .armvirt entry_el, 1|2`);
    if (key !== 'entry_el') return this.err(st, parts[0].col, `unknown .armvirt setting '${parts[0].text}' (known: entry_el)`);
    if (parts.length !== 2 || parts[1].text === '') return this.err(st, parts[0].col, `.armvirt entry_el expects one value: .armvirt entry_el, 1|2`);
    const v = parts[1];
    let el: bigint;
    try {
      const r = evaluate(v.text, this.env1(st, v.col));
      if (r.sec !== ABS) return this.err(st, v.col, `.armvirt entry_el needs a constant (1 or 2), not an address`);
      el = r.value;
    } catch (x) {
      if (!(x instanceof AsmExprError)) throw x;
      return this.err(st, v.col + x.offset, x.message);
    }
    if (el !== 1n && el !== 2n) return this.err(st, v.col, `.armvirt entry_el must be 1 or 2 (got ${el})`);
    if (this.entryElAt) {
      if (this.entryElAt.el !== Number(el)) {
        this.err(st, v.col, `.armvirt entry_el ${el} contradicts entry_el ${this.entryElAt.el} set at ${this.entryElAt.st.file}:${this.entryElAt.st.lineNo}`);
      }
      return;
    }
    this.entryElAt = { el: Number(el), st };
    const s = this.section(ARMVIRT_NOTE_SECTION, '', 'note');
    const bytes = entryElNote(Number(el));
    if (s.size & 3) this.grow(st, s, 4 - (s.size & 3));
    if (s.align < 4) s.align = 4;
    const off = this.grow(st, s, bytes.length);
    s.buf.set(bytes, off);
  }
  private entryElAt: { el: number; st: Stmt } | undefined;

  // ------------------------------------------------------------------ pass 2

  private pass2(): AssemblyResult {
    // Layout: .text, .data, .bss, then the others in order of creation.
    const order = [...this.sections].sort((a, b) => rank(a) - rank(b) || a.index - b.index);
    let addr = DEFAULT_LINK_ADDRESS;
    try {
      if (this.opts.linkAddress !== undefined) addr = BigInt.asUintN(64, BigInt(this.opts.linkAddress));
    } catch {
      this.errors.push({ file: this.opts.fileName, line: 1, column: 1, severity: 'error', message: `invalid link address '${String(this.opts.linkAddress)}'` });
    }
    const placed: Section[] = [];
    for (const s of order) {
      if (!s.flags.alloc) continue;
      if (s.size === 0 && s.name !== '.text') continue;
      const al = BigInt(Math.max(s.align, 8));
      addr = (addr + al - 1n) & ~(al - 1n);
      s.base = addr;
      addr += BigInt(s.size);
      placed.push(s);
    }
    // Pass 2: patches.
    const enc = this.encoder;
    let noEncoderReported = false;
    const unknownMnemonics = new Map<string, string>();
    let curLit: PoolEntry | null = null;
    let lastExpr = '';
    let env: ExprEnv = null as unknown as ExprEnv;
    // One context object for all instructions (the encoder does not keep it).
    const ctx: { pc: bigint } & EncodeContext = {
      pc: 0n,
      evaluate: (expr: string): bigint => {
        lastExpr = expr;
        return evaluate(expr, env).value;
      },
      literal: (expr: string, size: 4 | 8 | 16): bigint => {
        lastExpr = expr;
        const e = curLit;
        if (!e || e.size !== size || e.offset < 0) {
          throw new AsmExprError(`literal '=${expr}' of ${size} bytes has no literal-pool slot`);
        }
        return this.sections[e.sec].base + BigInt(e.offset);
      },
    };
    for (const p of this.patches) {
      const s = this.sections[p.sec];
      const v = this.eval2(p.st, p.expr, p.col, p.seq, s.base + BigInt(p.off));
      if (v !== undefined) this.store(p.st, p.col, s, p.off, p.size, v);
    }
    const t = this.insns;
    // The statement object is only needed for diagnostics: built on demand.
    let curRow = 0;
    let stObj: Stmt | null = null;
    const stOf = (): Stmt => (stObj ??= t.stmt(curRow));
    for (let i = 0; i < t.length; i++) {
      const s = this.sections[t.sec.a[i]];
      curRow = i;
      stObj = null;
      const mnemonic = t.mnemonic[i];
      const opCol = t.opCol.a[i];
      const mnCol = t.mnCol.a[i];
      if (!enc) {
        if (!noEncoderReported) this.err(stOf(), mnCol, `cannot encode '${mnemonic}': the A64 instruction encoder (src/asm/a64) is not available`);
        noEncoderReported = true;
        continue;
      }
      const unknown = unknownMnemonics.get(mnemonic);
      if (unknown !== undefined) {
        this.err(stOf(), mnCol, unknown);
        continue;
      }
      const off = t.off.a[i];
      const pc = s.base + BigInt(off);
      const operands = t.operands(i);
      curLit = t.lit.get(i) ?? null;
      lastExpr = '';
      ctx.pc = pc;
      env = this.env2(null, opCol, t.seq.a[i], pc, true, stOf);
      try {
        const r = enc(mnemonic, operands, ctx);
        if (r.ok) this.write32(s, off, r.word >>> 0);
        else {
          // The encoder's spelling suggestion is costly; remember unknown mnemonics.
          if (r.column === undefined && r.message.startsWith('unknown instruction')) unknownMnemonics.set(mnemonic, r.message);
          this.err(stOf(), r.column === undefined ? mnCol : opCol + r.column, r.message);
        }
      } catch (x) {
        if (x instanceof AsmExprError || (x as Error)?.name === 'AsmExprError') {
          const at = lastExpr ? operands.indexOf(lastExpr) : -1;
          this.err(stOf(), opCol + (at >= 0 ? at : 0) + ((x as AsmExprError).offset ?? 0), (x as Error).message);
        } else {
          this.err(stOf(), opCol, `internal error encoding '${mnemonic} ${operands}': ${(x as Error)?.message ?? x}`);
        }
      }
    }
    // Symbols.
    const symbols: AsmSymbol[] = [];
    for (const s of this.symbols.values()) {
      let value: bigint;
      let secName: string | null = null;
      if (s.kind === 'label') {
        const sec = this.sections[s.sec];
        value = sec.base + s.value;
        secName = sec.name;
      } else if (s.kind === 'equ') {
        const d = s.defs![s.defs!.length - 1];
        const v = this.defValue(s, d);
        if (!v) continue;
        if (v.sec === ABS) value = v.value;
        else {
          value = this.sections[v.sec].base + v.value;
          secName = this.sections[v.sec].name;
        }
      } else continue;
      let size = s.size ?? 0n;
      if (s.sizeDef) {
        const v = this.eval2(s.sizeDef.st, s.sizeDef.expr, s.sizeDef.col, s.sizeDef.seq, 0n);
        if (v !== undefined) size = v;
      }
      const binding = s.binding ?? 'local';
      symbols.push({
        name: s.name,
        value: BigInt.asUintN(64, value),
        section: secName,
        binding,
        global: binding !== 'local',
        type: s.type,
        size: BigInt.asUintN(64, size),
        visibility: s.visibility,
        definedAt: s.st ? { file: s.st.file, line: s.st.lineNo, column: s.st.col + 1 } : undefined,
      });
    }
    // Sections.
    const sections: AsmSection[] = placed.map((s) => ({
      name: s.name,
      address: s.base,
      size: s.size,
      data: s.nobits ? new Uint8Array(0) : s.buf.slice(0, s.size),
      nobits: s.nobits,
      note: s.note,
      align: s.align,
      flags: { ...s.flags },
      mapping: s.mapping.filter((m) => m.offset < s.size),
    }));
    for (const s of this.sections) {
      if (s.flags.alloc || s.size === 0) continue;
      sections.push({
        name: s.name,
        address: 0n,
        size: s.size,
        data: s.nobits ? new Uint8Array(0) : s.buf.slice(0, s.size),
        nobits: s.nobits,
        note: s.note,
        align: s.align,
        flags: { ...s.flags },
        mapping: s.mapping.filter((m) => m.offset < s.size),
      });
    }
    const lineMap = this.buildLineMap(placed);
    const text = this.sectionByName.get('.text')!;
    const start = this.symbols.get('_start');
    const entry = start && start.kind === 'label' ? this.sections[start.sec].base + start.value : text.base;
    this.sortDiagnostics(this.errors);
    this.sortDiagnostics(this.warnings);
    return {
      sections,
      symbols,
      entry,
      lineMap,
      errors: this.errors,
      warnings: this.warnings,
      messages: this.messages,
      files: this.files,
    };
  }

  /** Builds the line map in address order (items are in offset order within each section). */
  private buildLineMap(placed: Section[]): LineMap {
    const lm = this.lm;
    const bySec: number[][] = this.sections.map(() => []);
    for (let i = 0; i < lm.length; i++) bySec[lm.sec.a[i]].push(i);
    const order: number[] = [];
    for (const s of [...placed].sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0))) {
      for (const i of bySec[s.index]) order.push(i);
    }
    const n = order.length;
    const cols: LineMapColumns = {
      hi: new Uint32Array(n),
      lo: new Uint32Array(n),
      size: new Uint32Array(n),
      line: new Uint32Array(n),
      code: new Uint8Array(n),
      file: new Array(n),
      macro: new Array(n),
    };
    const origins = new Map<string, MacroOrigin>();
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const s = this.sections[lm.sec.a[i]];
      const a = s.base + BigInt(lm.off.a[i]);
      cols.hi[k] = Number(a >> 32n);
      cols.lo[k] = Number(a & 0xffff_ffffn);
      cols.size[k] = lm.size.a[i];
      cols.code[k] = lm.code.a[i];
      const ctx = lm.ctx[i];
      if (ctx === null) {
        cols.file[k] = lm.file[i];
        cols.line[k] = lm.lineNo.a[i];
        cols.macro[k] = null;
        continue;
      }
      let root = ctx;
      while (root.parent) root = root.parent;
      cols.file[k] = root.callFile;
      cols.line[k] = root.callLineNo;
      const key = `${ctx.name}\0${lm.file[i]}\0${lm.lineNo.a[i]}`;
      let o = origins.get(key);
      if (!o) origins.set(key, (o = { name: ctx.name, file: lm.file[i], line: lm.lineNo.a[i] }));
      cols.macro[k] = o;
    }
    return new LineMap(cols);
  }

  /** Orders diagnostics by file (in first-read order), line and column; stable otherwise. */
  private sortDiagnostics(list: Diagnostic[]): void {
    const order = new Map(this.files.map((f, i) => [f, i]));
    const key = (d: Diagnostic): number => order.get(d.file) ?? this.files.length;
    const sorted = list
      .map((d, i) => ({ d, i }))
      .sort((a, b) => key(a.d) - key(b.d) || a.d.line - b.d.line || a.d.column - b.d.column || a.i - b.i)
      .map((x) => x.d);
    list.splice(0, list.length, ...sorted);
  }

  /** Pass-2 evaluation reporting errors; returns undefined on error. */
  private eval2(st: Stmt, expr: string, col: number, seq: number, dot: bigint): bigint | undefined {
    try {
      return evaluate(expr, this.env2(st, col, seq, dot, true)).value;
    } catch (x) {
      if (!(x instanceof AsmExprError)) throw x;
      this.err(st, col + x.offset, x.message);
      return undefined;
    }
  }

  private readonly p2: Env2State = { st: null, stOf: null, col: 0, seq: 0, dot: 0n };
  private p2env: ExprEnv | null = null;

  /**
   * A pass-2 environment: the shared one when `shared` (not re-entrant: symbol
   * definitions evaluated on demand use a fresh one), else a new one.
   */
  private env2(st: Stmt | null, col: number, seq: number, dot: bigint, shared = false, stOf: (() => Stmt) | null = null): ExprEnv {
    if (shared) {
      const p = this.p2;
      p.st = st;
      p.stOf = stOf;
      p.col = col;
      p.seq = seq;
      p.dot = dot;
      return (this.p2env ??= this.makeEnv2(p));
    }
    return this.makeEnv2({ st, stOf, col, seq, dot });
  }

  private makeEnv2(p: Env2State): ExprEnv {
    return {
      dot: () => ({ value: BigInt.asIntN(64, p.dot), sec: ABS }),
      symbol: (name) => {
        const s = this.symbols.get(name);
        if (!s) return undefined;
        if (s.kind === 'label') return { value: BigInt.asIntN(64, this.sections[s.sec].base + s.value), sec: ABS };
        if (s.kind !== 'equ') return undefined;
        const defs = s.defs!;
        let d = defs[0];
        for (let i = defs.length - 1; i >= 0; i--) {
          if (defs[i].seq <= p.seq) {
            d = defs[i];
            break;
          }
        }
        const v = this.defValue(s, d);
        if (!v) throw new AsmExprError(`value of symbol '${name}' could not be computed`);
        return v.sec === ABS ? v : { value: BigInt.asIntN(64, this.sections[v.sec].base + v.value), sec: ABS };
      },
      local: (label, dir) => {
        const list = this.locals.get(label);
        if (!list) return undefined;
        // First definition with seq > `seq` (forward) or last with seq <= `seq` (backward).
        let lo = 0;
        let hi = list.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (list[mid].seq <= p.seq) lo = mid + 1;
          else hi = mid;
        }
        const d = dir === 'f' ? list[lo] : list[lo - 1];
        if (!d) return undefined;
        return { value: BigInt.asIntN(64, this.sections[d.sec].base + BigInt(d.off)), sec: ABS };
      },
      warn: (m, off) => this.warn(p.st ?? p.stOf!(), p.col + off, m),
    };
  }

  /** Value of one definition of an equated symbol (deferred ones are evaluated once, in pass 2). */
  private defValue(s: Sym, d: SymDef): ExprValue | undefined {
    if (!('expr' in d)) return { value: d.value, sec: d.sec };
    if (d.resolved) return d.resolved;
    if (d.busy) throw new AsmExprError(`symbol '${s.name}' is defined in terms of itself`);
    d.busy = true;
    try {
      const v = evaluate(d.expr, this.env2(d.st, d.col, d.seq, 0n));
      d.resolved = v;
      return v;
    } catch (x) {
      if (!(x instanceof AsmExprError)) throw x;
      // Report once, at the definition.
      if (!d.resolved) {
        this.err(d.st, d.col + x.offset, x.message);
        d.resolved = { value: 0n, sec: ABS };
      }
      return d.resolved;
    } finally {
      d.busy = false;
    }
  }
}

function rank(s: Section): number {
  if (s.name === '.text') return 0;
  if (s.name === '.data') return 1;
  if (s.name === '.bss') return 2;
  return 3;
}

/** Splits macro arguments as gas does: commas, or blanks between two word characters. */
export function splitMacroArgs(s: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let i = 0;
  const n = s.length;
  const ws = (c: string | undefined): boolean => c === ' ' || c === '\t';
  while (i < n && ws(s[i])) i++;
  if (i >= n) return out;
  let start = i;
  let depth = 0;
  const push = (end: number): void => {
    let b = end;
    while (b > start && ws(s[b - 1])) b--;
    out.push({ text: s.slice(start, b), start });
  };
  while (i < n) {
    const c = s[i];
    if (c === '"') {
      i = skipString(s, i);
      continue;
    }
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      push(i);
      i++;
      while (i < n && ws(s[i])) i++;
      start = i;
      if (i >= n) out.push({ text: '', start: i });
      continue;
    } else if (ws(c) && depth === 0) {
      let j = i;
      while (j < n && ws(s[j])) j++;
      if (j < n && isWordChar(s[i - 1]) && isWordChar(s[j]) && i > start) {
        push(i);
        start = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  if (start < n) push(n);
  return out;
}

/** Substitutes `\param`, `\()` and `\@` in a macro (or .irp) body line. */
function substitute(text: string, values: Map<string, string>, counter: string, irp = false): string {
  if (text.indexOf('\\') < 0) return text;
  let out = '';
  let i = 0;
  let last = 0;
  while (i < text.length) {
    const b = text.indexOf('\\', i);
    if (b < 0) break;
    const c = text[b + 1];
    if (c === '(' && text[b + 2] === ')') {
      out += text.slice(last, b);
      i = last = b + 3;
      continue;
    }
    if (c === '@' && !irp) {
      out += text.slice(last, b) + counter;
      i = last = b + 2;
      continue;
    }
    const m = /^[A-Za-z_.$][\w.$]*/.exec(text.slice(b + 1, b + 200));
    if (m) {
      // gas matches the longest parameter name that is a prefix? No: the whole identifier.
      let id = m[0];
      let v = values.get(id);
      // Allow `\arg.suffix` style where `.` ends the name (e.g. `\reg.4s`).
      if (v === undefined && id.includes('.')) {
        id = id.slice(0, id.indexOf('.'));
        v = values.get(id);
      }
      if (v !== undefined) {
        out += text.slice(last, b) + v;
        i = last = b + 1 + id.length;
        continue;
      }
    }
    if (c === '\\') {
      i = b + 2;
      continue;
    }
    i = b + 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

// ----------------------------------------------------------- directive table

type Handler = (a: Assembler, st: Stmt, args: string, argPos: number, name: string, dirCol: number) => void;

const IF_DIRECTIVES = new Set([
  '.if', '.ifdef', '.ifndef', '.ifnotdef', '.ifeq', '.ifne', '.ifge', '.ifgt', '.ifle', '.iflt',
  '.ifb', '.ifnb', '.ifc', '.ifnc', '.ifeqs', '.ifnes',
]);

const IGNORED = [
  '.arch', '.cpu', '.arch_extension', '.file', '.ident', '.loc', '.loc_mark_labels', '.func', '.endfunc',
  '.variant_pcs', '.noaltmacro', '.fpu', '.reloc', '.tlsdesccall', '.eabi_attribute', '.gnu_attribute',
  '.aeabi_subsection', '.aeabi_attribute', '.cfi_sections', '.addrsig', '.addrsig_sym', '.linkonce',
  '.subsection', '.lflags', '.nolist', '.list', '.title', '.sbttl', '.psize', '.eject', '.stabs', '.stabn', '.stabd',
];

const DIRECTIVES = new Map<string, Handler>();
{
  const d = DIRECTIVES;
  const data = (n: number, code = false): Handler => (a, st, args, p) => a.data(st, args, p, n, code);
  for (const n of ['.byte', '.dc.b']) d.set(n, data(1));
  for (const n of ['.hword', '.short', '.2byte', '.half', '.dc.w']) d.set(n, data(2));
  for (const n of ['.word', '.long', '.int', '.4byte', '.dc.l']) d.set(n, data(4));
  for (const n of ['.quad', '.xword', '.dword', '.8byte', '.dc.a']) d.set(n, data(8));
  d.set('.inst', data(4, true));
  d.set('.ascii', (a, st, args, p) => a.strings(st, args, p, false));
  for (const n of ['.asciz', '.string']) d.set(n, (a, st, args, p) => a.strings(st, args, p, true));
  for (const n of ['.float', '.single']) d.set(n, (a, st, args, p) => a.floats(st, args, p, 4));
  d.set('.double', (a, st, args, p) => a.floats(st, args, p, 8));
  d.set('.uleb128', (a, st, args, p) => a.leb128(st, args, p, false));
  d.set('.sleb128', (a, st, args, p) => a.leb128(st, args, p, true));
  for (const n of ['.skip', '.space', '.zero']) d.set(n, (a, st, args, p, name) => a.space(st, args, p, name));
  d.set('.fill', (a, st, args, p) => a.fill(st, args, p));
  for (const n of ['.align', '.p2align', '.balign']) d.set(n, (a, st, args, p, name) => a.align(st, args, p, name));
  d.set('.org', (a, st, args, p) => a.org(st, args, p));
  for (const n of ['.ltorg', '.pool']) d.set(n, (a, st) => a.flushPool(a['cur'], st));
  for (const n of ['.text', '.data', '.bss', '.section', '.pushsection', '.popsection', '.previous']) {
    d.set(n, (a, st, args, p, name) => a.sectionDirective(st, name, args, p));
  }
  for (const n of ['.global', '.globl', '.weak', '.local', '.hidden', '.protected', '.internal', '.extern']) {
    d.set(n, (a, st, args, p, name) => a.symbolDirective(st, name, args, p));
  }
  d.set('.type', (a, st, args, p) => a.type(st, args, p));
  d.set('.size', (a, st, args, p) => a.size(st, args, p));
  for (const n of ['.equ', '.set', '.equiv', '.eqv']) d.set(n, (a, st, args, p, name) => a.equ(st, name, args, p));
  for (const n of ['.comm', '.lcomm']) d.set(n, (a, st, args, p, name) => a.comm(st, name, args, p));
  d.set('.macro', (a, st, args, p, _n, c) => a.defineMacro(st, args, p, c));
  for (const n of ['.endm', '.endmacro']) d.set(n, (a, st, _args, _p, name, c) => a['err'](st, c, `${name} without .macro`));
  d.set('.endr', (a, st, _args, _p, _n, c) => a['err'](st, c, '.endr without .rept/.irp/.irpc'));
  d.set('.exitm', (a, st, _args, _p, _n, c) => a.exitMacro(st, c));
  d.set('.purgem', (a, st, args, p) => a.purgeMacro(st, args, p));
  for (const n of ['.rept', '.irp', '.irpc']) d.set(n, (a, st, args, p, name, c) => a.repeat(st, name, args, p, c));
  for (const n of [...IF_DIRECTIVES, '.else', '.elseif', '.endif']) {
    d.set(n, (a, st, args, p, name, c) => a.conditional(st, name, args, p, c));
  }
  d.set('.include', (a, st, args, p) => a.include(st, args, p));
  for (const n of ['.err', '.error', '.warning', '.print']) d.set(n, (a, st, args, p, name, c) => a.message(st, name, args, p, c));
  d.set('.end', (a) => a.end());
  d.set('.armvirt', (a, st, args, p, _n, c) => a.armvirt(st, args, p, c));
  d.set('.unreq', (a, _st, args) => a['regAliases'].delete(args.trim().toLowerCase()));
  d.set('.altmacro', (a, st, _args, _p, _n, c) => a['warn'](st, c, '.altmacro is not supported; ignored'));
  for (const n of IGNORED) d.set(n, () => undefined);
}

/**
 * Every directive name the assembler accepts (lower case, with the dot), for the language
 * server's completion and the grammar-agreement test. `.req` is handled in statement() and
 * `.cfi_*` directives are accepted and ignored there.
 */
export const DIRECTIVE_NAMES: readonly string[] = [...DIRECTIVES.keys(), '.req'].sort();

/**
 * Directives of this assembler that GNU as does not have, with the text the language server
 * shows on hover and in completion (Markdown).
 */
export const ARMVIRT_DIRECTIVES: Readonly<Record<string, { syntax: string; doc: string }>> = {
  '.armvirt': {
    syntax: '.armvirt entry_el, 1|2',
    doc: 'The exception level the simulator starts the boot PE at (default 2, as QEMU `virt` with '
      + '`virtualization=on`). Written as an `ARMVIRT` ELF note (type 1) in the non-allocated '
      + '`.note.armvirt` section, so `armvirt asm` keeps it in the ELF; `--entry-el` and the launch '
      + 'attribute `entryEL` override it. Under GNU as, write the note with `.pushsection` (docs/assembler.md).',
  },
};
