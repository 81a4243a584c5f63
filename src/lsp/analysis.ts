// Per-document index for the language server: one assemble() run (diagnostics, symbol
// values) plus a light tokenizer over every file it read (positions of label, constant and
// macro definitions, .include directives, sections and identifier references).
//
// The assembler is the only judge of what is valid; the tokenizer only finds *where* names
// are, reusing the assembler's own lexical helpers (comment stripping, statement and operand
// splitting) so that both agree on what is a comment, a statement and an operand.
//
// Everything here is plain data (Maps, arrays, bigint) so an Analysis can cross a
// worker_threads boundary by structured clone (see server.ts).

import * as path from 'node:path';
import { assemble, undefinedSymbolIn, type AssemblyResult, type Diagnostic as AsmDiagnostic } from '../asm/assembler';
import { splitArgs, splitStatements, stripLineComments } from '../asm/assembler/source';
import { BY_MNEMONIC } from '../asm/a64';
import { condByName, isRegisterName } from '../asm/a64/operands';

/** A range on one line: 0-based line, UTF-16 columns [start, end). */
export interface Span {
  line: number;
  start: number;
  end: number;
}

export type DefKind = 'label' | 'local' | 'constant' | 'macro' | 'define';

export interface Def extends Span {
  name: string;
  kind: DefKind;
  file: string;
  /** Macros: parameter list as written; constants: the value expression as written. */
  detail?: string;
  /** Macros: line of the matching .endm (0-based). */
  endLine?: number;
  /** Macros: the first lines of the body, for hovers. */
  body?: string[];
  /** Section the definition is in (labels). */
  section?: string;
}

/** Where an identifier is used: `head` = statement head (mnemonic or macro invocation). */
export interface Ref extends Span {
  name: string;
  head: boolean;
}

export interface IncludeRef extends Span {
  /** Name as written between the quotes. */
  name: string;
  /** Resolved path, when the file exists. */
  target?: string;
}

export interface SectionMark extends Span {
  name: string;
}

export interface FileIndex {
  file: string;
  defs: Def[];
  refs: Ref[];
  includes: IncludeRef[];
  sections: SectionMark[];
  lineCount: number;
}

export interface SymbolInfo {
  name: string;
  value: bigint;
  section: string | null;
  binding: string;
  type: string;
}

/** A diagnostic with an LSP-ready range, in the file it belongs to. */
export interface PlacedDiagnostic extends Span {
  file: string;
  severity: 'error' | 'warning';
  message: string;
  related?: { file: string; span: Span; message: string }[];
}

export interface Analysis {
  /** The analysed document (its path, or a pseudo path for untitled documents). */
  root: string;
  version: number;
  /** Every file the analysis looked at, root first. */
  files: Map<string, FileIndex>;
  /** Assembler symbols by name (labels with their link address, constants with their value). */
  symbols: Map<string, SymbolInfo>;
  /** Label / constant / cpp-define definitions by name (case-sensitive, as the assembler). */
  defs: Map<string, Def[]>;
  /** Macro definitions by lower-case name (gas macro names are case-insensitive). */
  macros: Map<string, Def>;
  diagnostics: PlacedDiagnostic[];
  /** Milliseconds for assemble() and for indexing. */
  timing: { assemble: number; index: number };
}

export interface AnalyzeInput {
  root: string;
  version: number;
  text: string;
  /** Reads another file (open editors first, then disk); undefined when missing. */
  readFile: (p: string) => string | undefined;
  includePaths?: string[];
  defines?: Record<string, string>;
}

/** GNU as label definition at a statement start (same pattern as the assembler's LABEL_STICKY). */
const LABEL_STICKY = /[ \t]*([A-Za-z_.$][\w.$]*|\d+)[ \t]*:(?![:=])/y;
const WORD_STICKY = /[A-Za-z_.$][\w.$]*/y;
const MACRO_BODY_PREVIEW = 12;

/** Whether a statement head is an instruction mnemonic of the A64 table (`b.eq` included). */
export function isMnemonic(word: string): boolean {
  const w = word.toLowerCase();
  if (BY_MNEMONIC.has(w)) return true;
  const m = /^(b|bc)\.(\w+)$/.exec(w);
  return m !== null && condByName(m[2]) !== undefined;
}

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 46 || c === 36;
}
function isIdChar(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}

/** Include candidates in the assembler's order (including file's directory, then -I paths). */
export function includeCandidates(name: string, from: string, includePaths: string[], angled = false): string[] {
  if (path.isAbsolute(name)) return [name];
  const out: string[] = [];
  if (!angled) out.push(path.join(path.dirname(from), name));
  for (const p of includePaths) out.push(path.join(p, name));
  return out;
}

/** Tokenizes one file: definitions, references, includes and sections with their positions. */
export function indexFile(text: string, file: string, resolve: (name: string, angled: boolean) => string | undefined): FileIndex {
  const defs: Def[] = [];
  const refs: Ref[] = [];
  const includes: IncludeRef[] = [];
  const sections: SectionMark[] = [];
  const lines = text.split('\n');
  const openMacros: Def[] = [];
  const macroNames = new Set<string>();
  let section = '.text';
  let inBlock = false;

  const addRefs = (s: string, base: number, line: number): void => {
    const n = s.length;
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 34 /* " */) {
        i++;
        while (i < n && s.charCodeAt(i) !== 34) i += s.charCodeAt(i) === 92 ? 2 : 1;
        i++;
      } else if (c === 39 /* ' */) {
        i += s.charCodeAt(i + 1) === 92 ? 3 : 2;
        if (s.charCodeAt(i) === 39) i++;
      } else if (c === 92 /* \ macro parameter */) {
        i++;
        while (i < n && isIdChar(s.charCodeAt(i))) i++;
      } else if (c >= 48 && c <= 57) {
        const a = i;
        while (i < n && isIdChar(s.charCodeAt(i))) i++;
        const tok = s.slice(a, i);
        // Numeric local label references (`1f`, `2b`); other numbers are not names.
        if (/^\d+[fb]$/.test(tok) && (a === 0 || !isIdChar(s.charCodeAt(a - 1)))) refs.push({ name: tok, head: false, line, start: base + a, end: base + i });
      } else if (isIdStart(c)) {
        const a = i;
        i++;
        while (i < n && isIdChar(s.charCodeAt(i))) i++;
        const name = s.slice(a, i);
        if (name === '.') continue;
        // `:lo12:sym` relocation operators are not names.
        if (a > 0 && s.charCodeAt(a - 1) === 58 && s.charCodeAt(i) === 58) continue;
        if (isRegisterName(name.toLowerCase())) continue;
        refs.push({ name, head: false, line, start: base + a, end: base + i });
      } else i++;
    }
  };

  const firstArgName = (args: string, argPos: number): { name: string; start: number } | undefined => {
    WORD_STICKY.lastIndex = 0;
    const lead = args.length - args.trimStart().length;
    WORD_STICKY.lastIndex = lead;
    const m = WORD_STICKY.exec(args);
    return m ? { name: m[0], start: argPos + lead } : undefined;
  };

  const statement = (text: string, col: number, line: number): void => {
    let pos = 0;
    if (text.indexOf(':') >= 0) {
      for (;;) {
        LABEL_STICKY.lastIndex = pos;
        const m = LABEL_STICKY.exec(text);
        if (!m) break;
        const name = m[1];
        const start = col + pos + m[0].indexOf(name);
        defs.push({ name, kind: /^\d/.test(name) ? 'local' : 'label', file, line, start, end: start + name.length, section });
        pos += m[0].length;
      }
    }
    const n = text.length;
    while (pos < n && (text.charCodeAt(pos) === 32 || text.charCodeAt(pos) === 9)) pos++;
    if (pos >= n || !isIdStart(text.charCodeAt(pos))) {
      if (pos < n) addRefs(text.slice(pos), col + pos, line);
      return;
    }
    let e = pos + 1;
    while (e < n && isIdChar(text.charCodeAt(e))) e++;
    const word = text.slice(pos, e);
    let argPos = e;
    while (argPos < n && (text.charCodeAt(argPos) === 32 || text.charCodeAt(argPos) === 9)) argPos++;
    const args = text.slice(argPos);
    // `sym = expr` / `sym == expr`
    if (text.charCodeAt(argPos) === 61 && text.charCodeAt(argPos + 2) !== 61) {
      const skip = text.charCodeAt(argPos + 1) === 61 ? 2 : 1;
      defs.push({ name: word, kind: 'constant', file, line, start: col + pos, end: col + e, detail: args.slice(skip).trim() });
      addRefs(args.slice(skip), col + argPos + skip, line);
      return;
    }
    // `alias .req reg`
    if (/^\.req\b/i.test(args)) return;
    const lower = word.toLowerCase();
    if (lower.charCodeAt(0) !== 46) {
      // Heads are kept for macro references; plain mnemonics are not names (unless a macro
      // of this file shadows one).
      if (!isMnemonic(lower) || macroNames.has(lower)) refs.push({ name: word, head: true, line, start: col + pos, end: col + e });
      addRefs(args, col + argPos, line);
      return;
    }
    switch (lower) {
      case '.macro': {
        const a = firstArgName(args, col + argPos);
        if (!a) return;
        const params = args.slice(a.start - col - argPos + a.name.length).replace(/^[ \t]*,?[ \t]*/, '').trim();
        const d: Def = { name: a.name, kind: 'macro', file, line, start: a.start, end: a.start + a.name.length, detail: params, body: [] };
        macroNames.add(a.name.toLowerCase());
        defs.push(d);
        openMacros.push(d);
        return;
      }
      case '.endm':
      case '.endmacro': {
        const d = openMacros.pop();
        if (d) d.endLine = line;
        return;
      }
      case '.equ':
      case '.set':
      case '.equiv':
      case '.eqv': {
        const parts = splitArgs(args, col + argPos);
        const a = firstArgName(args, col + argPos);
        if (a) defs.push({ name: a.name, kind: 'constant', file, line, start: a.start, end: a.start + a.name.length, detail: parts.slice(1).map((p) => p.text).join(', ') });
        if (parts.length > 1) addRefs(text.slice(parts[1].col - col), parts[1].col, line);
        return;
      }
      case '.include': {
        const q = args.indexOf('"');
        const q2 = q >= 0 ? args.indexOf('"', q + 1) : -1;
        if (q < 0 || q2 < 0) return;
        const name = args.slice(q + 1, q2);
        includes.push({ name, target: resolve(name, false), line, start: col + argPos + q, end: col + argPos + q2 + 1 });
        return;
      }
      case '.text':
      case '.data':
      case '.bss':
        section = lower;
        sections.push({ name: lower, line, start: col + pos, end: col + e });
        return;
      case '.section':
      case '.pushsection': {
        const m = /^[ \t]*("([^"]*)"|[^\s,]+)/.exec(args);
        if (!m) return;
        section = m[2] ?? m[1];
        const start = col + argPos + m[0].length - m[1].length;
        sections.push({ name: section, line, start, end: start + m[1].length });
        return;
      }
      case '.irp':
      case '.irpc': {
        // The first argument names the iteration parameter, not a symbol.
        const parts = splitArgs(args, col + argPos);
        for (const p of parts.slice(1)) addRefs(p.text, p.col, line);
        return;
      }
      default:
        addRefs(args, col + argPos, line);
    }
  };

  for (let n = 0; n < lines.length; n++) {
    let s = lines[n];
    if (s.length > 0 && s.charCodeAt(s.length - 1) === 13) s = s.slice(0, -1);
    if (openMacros.length > 0) {
      const body = openMacros[openMacros.length - 1].body!;
      if (body.length < MACRO_BODY_PREVIEW && !/^\s*\.endm/i.test(s)) body.push(s);
    }
    if (inBlock || s.indexOf('/') >= 0) {
      const r = stripLineComments(s, inBlock);
      inBlock = r.inBlock;
      s = r.text;
    }
    const t = s.trimStart();
    if (t.charCodeAt(0) === 35 /* # */) {
      // C preprocessor line (.S files): includes and object-like defines.
      const inc = /^([ \t]*#[ \t]*include[ \t]*)(["<])([^">]*)[">]/.exec(s);
      if (inc) {
        const start = inc[1].length;
        includes.push({ name: inc[3], target: resolve(inc[3], inc[2] === '<'), line: n, start, end: start + inc[3].length + 2 });
        continue;
      }
      const def = /^([ \t]*#[ \t]*define[ \t]+)([A-Za-z_$][\w$]*)(.*)$/.exec(s);
      if (def) {
        const start = def[1].length;
        defs.push({ name: def[2], kind: 'define', file, line: n, start, end: start + def[2].length, detail: def[3].trim() });
      }
      continue;
    }
    if (t.length === 0) continue;
    if (s.indexOf(';') < 0) statement(s, 0, n);
    else for (const p of splitStatements(s)) statement(p.text, p.col, n);
  }
  for (const d of openMacros) d.endLine = lines.length - 1;
  return { file, defs, refs, includes, sections, lineCount: lines.length };
}

/** End column of the token starting at `col` (identifier, number or other non-blank run). */
function tokenEnd(s: string, col: number): number {
  const n = s.length;
  if (col >= n) return n;
  let e = col;
  if (isIdChar(s.charCodeAt(e)) || s.charCodeAt(e) === 35 /* # */) {
    e++;
    while (e < n && isIdChar(s.charCodeAt(e))) e++;
    return e;
  }
  while (e < n && !/[\s,]/.test(s[e])) e++;
  return e > col ? e : col + 1;
}

/** Converts the assembler's 1-based line/column into a span covering the offending token. */
function placeDiag(d: { line: number; column: number }, lineText: (line: number) => string | undefined): Span {
  const line = Math.max(0, d.line - 1);
  const s = lineText(line);
  const start = Math.max(0, d.column - 1);
  if (s === undefined) return { line, start, end: start + 1 };
  // A column at the start of a blank prefix points at the whole statement: skip the blanks.
  let a = Math.min(start, s.length);
  while (a < s.length && (s[a] === ' ' || s[a] === '\t')) a++;
  if (a >= s.length) return { line, start: Math.min(start, s.length), end: Math.max(s.length, start + 1) };
  return { line, start: a, end: tokenEnd(s, a) };
}

/**
 * GNU as leaves a symbol this file does not define to the linker (a `.S` of a C project calls C
 * functions and uses C globals), so in the editor that is a warning, not an error; the message
 * says why `armvirt asm`/`run` of the file alone still fails (the built-in assembler links nothing).
 */
function asLinkTimeReference(d: AsmDiagnostic): AsmDiagnostic {
  const name = d.severity === 'error' ? undefinedSymbolIn(d.message) : undefined;
  if (name === undefined) return d;
  return { ...d, severity: 'warning', message: `'${name}' is not defined in this file: GNU as leaves it to the linker, but \`armvirt asm\`/\`run\` of this file alone fails (the built-in assembler links nothing)` };
}

/** Runs the assembler and the tokenizer over `input.root` and every file it includes. */
export function analyze(input: AnalyzeInput): Analysis {
  const texts = new Map<string, string | undefined>();
  texts.set(input.root, input.text);
  const read = (p: string): string | undefined => {
    if (texts.has(p)) return texts.get(p);
    const t = input.readFile(p);
    texts.set(p, t);
    return t;
  };
  const includePaths = input.includePaths ?? [];

  const t0 = performance.now();
  let result: AssemblyResult;
  try {
    result = assemble(input.text, { fileName: input.root, readFile: read, includePaths, defines: input.defines });
  } catch (e) {
    result = { sections: [], symbols: [], entry: 0n, lineMap: undefined as never, errors: [{ file: input.root, line: 1, column: 1, severity: 'error', message: `internal assembler error: ${String(e)}` }], warnings: [], messages: [], files: [input.root] };
  }
  const t1 = performance.now();

  // Index the root, then every include reachable from it (and whatever else the assembler read).
  const files = new Map<string, FileIndex>();
  const queue = [input.root, ...result.files];
  while (queue.length > 0) {
    const f = queue.shift()!;
    if (files.has(f)) continue;
    const text = read(f);
    if (text === undefined) continue;
    const idx = indexFile(text, f, (name, angled) => includeCandidates(name, f, includePaths, angled).find((c) => read(c) !== undefined));
    files.set(f, idx);
    for (const inc of idx.includes) if (inc.target && !files.has(inc.target)) queue.push(inc.target);
  }

  const defs = new Map<string, Def[]>();
  const macros = new Map<string, Def>();
  for (const fi of files.values()) {
    for (const d of fi.defs) {
      if (d.kind === 'local') continue;
      if (d.kind === 'macro') {
        if (!macros.has(d.name.toLowerCase())) macros.set(d.name.toLowerCase(), d);
        continue;
      }
      let l = defs.get(d.name);
      if (!l) defs.set(d.name, (l = []));
      l.push(d);
    }
  }
  const symbols = new Map<string, SymbolInfo>();
  for (const s of result.symbols) symbols.set(s.name, { name: s.name, value: s.value, section: s.section, binding: s.binding, type: s.type });

  // Diagnostics with ranges; problems inside included files are also summarised on the
  // root's `.include` line that (transitively) brings the file in.
  const lineCache = new Map<string, string[]>();
  const lineText = (file: string, line: number): string | undefined => {
    let ls = lineCache.get(file);
    if (!ls) {
      const t = read(file);
      if (t === undefined) return undefined;
      lineCache.set(file, (ls = t.split('\n')));
    }
    const s = ls[line];
    return s !== undefined && s.endsWith('\r') ? s.slice(0, -1) : s;
  };
  const includedVia = new Map<string, IncludeRef>();
  const rootIdx = files.get(input.root);
  if (rootIdx) {
    const seen = new Set([input.root]);
    let frontier: { file: string; via: IncludeRef }[] = rootIdx.includes.filter((i) => i.target).map((i) => ({ file: i.target!, via: i }));
    while (frontier.length > 0) {
      const next: typeof frontier = [];
      for (const { file, via } of frontier) {
        if (seen.has(file)) continue;
        seen.add(file);
        includedVia.set(file, via);
        for (const i of files.get(file)?.includes ?? []) if (i.target) next.push({ file: i.target, via });
      }
      frontier = next;
    }
  }
  const diagnostics: PlacedDiagnostic[] = [];
  const place = (d0: AsmDiagnostic): void => {
    const d = asLinkTimeReference(d0);
    const span = placeDiag(d, (l) => lineText(d.file, l));
    const pd: PlacedDiagnostic = { file: d.file, severity: d.severity, message: d.message, ...span };
    if (d.related?.length) {
      pd.related = d.related.map((r) => ({ file: r.file, message: r.message, span: placeDiag(r, (l) => lineText(r.file, l)) }));
    }
    diagnostics.push(pd);
    if (d.file !== input.root) {
      const via = includedVia.get(d.file);
      if (via) {
        diagnostics.push({
          file: input.root, severity: d.severity, line: via.line, start: via.start, end: via.end,
          message: `${path.basename(d.file)}:${d.line}:${d.column}: ${d.message}`,
          related: [{ file: d.file, span, message: d.message }],
        });
      }
    }
  };
  for (const d of result.errors) place(d);
  for (const d of result.warnings) place(d);
  const t2 = performance.now();
  return { root: input.root, version: input.version, files, symbols, defs, macros, diagnostics, timing: { assemble: t1 - t0, index: t2 - t1 } };
}

// ------------------------------------------------------------------ queries

export type WordRole = 'head' | 'directive' | 'operand' | 'labelDef' | 'include' | 'comment';

export interface WordAt extends Span {
  name: string;
  role: WordRole;
  /** Statement head (lower case) of the statement the word is in. */
  headWord?: string;
  /** Operand index (0-based) when role is 'operand'. */
  operand?: number;
}

/**
 * Classifies the word under `character` in one line of source. Cheap (one line) so hover
 * and completion stay fast whatever the file size; block comments spanning lines are the
 * analysis' business and are ignored here.
 */
export function wordAt(lineText: string, line: number, character: number): WordAt | undefined {
  const stripped = lineText.indexOf('/') >= 0 ? stripLineComments(lineText, false).text : lineText;
  if (character > stripped.length) return undefined; // inside a comment
  const inc = /^([ \t]*(?:#[ \t]*include|\.include)[ \t]*)(["<])([^">]*)[">]/i.exec(stripped);
  if (inc && character >= inc[1].length && character <= inc[1].length + inc[3].length + 2) {
    return { name: inc[3], role: 'include', line, start: inc[1].length, end: inc[1].length + inc[3].length + 2 };
  }
  const cpp = /^\s*#/.test(stripped);
  let a = character;
  while (a > 0 && isIdChar(stripped.charCodeAt(a - 1))) a--;
  let e = character;
  while (e < stripped.length && isIdChar(stripped.charCodeAt(e))) e++;
  if (a === e) return undefined;
  const name = stripped.slice(a, e);
  if (a > 0 && stripped.charCodeAt(a - 1) === 92 /* \ */) return undefined;
  if (/^\d/.test(name) && !/^\d+[fb]$/.test(name)) return undefined;
  if (cpp) {
    const def = /^[ \t]*#[ \t]*define[ \t]+/.exec(stripped);
    return { name, role: def && a === def[0].length ? 'labelDef' : 'operand', headWord: '#', line, start: a, end: e };
  }
  // Which statement (between `;`) holds the word, and where its head is.
  const piece = splitStatements(stripped).filter((p) => p.col <= a).pop() ?? { text: stripped, col: 0 };
  const text = piece.text;
  let pos = 0;
  for (;;) {
    LABEL_STICKY.lastIndex = pos;
    const m = LABEL_STICKY.exec(text);
    if (!m) break;
    const s = piece.col + pos + m[0].indexOf(m[1]);
    if (a === s) return { name, role: 'labelDef', line, start: a, end: e };
    pos += m[0].length;
  }
  while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos++;
  let he = pos;
  while (he < text.length && isIdChar(text.charCodeAt(he))) he++;
  const head = text.slice(pos, he);
  const headStart = piece.col + pos;
  if (a === headStart) {
    if (/^[ \t]*=/.test(text.slice(he))) return { name, role: 'labelDef', line, start: a, end: e };
    return { name, role: head.startsWith('.') ? 'directive' : 'head', line, start: a, end: e };
  }
  const before = text.slice(he, a - piece.col);
  const operand = splitArgs(before).length - 1;
  return { name, role: 'operand', headWord: head.toLowerCase(), operand, line, start: a, end: e };
}

/** All definitions of `name` visible from an analysis (labels, constants, cpp defines, local labels excluded). */
export function findDefs(an: Analysis, name: string): Def[] {
  return an.defs.get(name) ?? [];
}

/** Resolves a numeric local label reference (`1f` / `1b`) in `file` at `line`. */
export function findLocalLabel(an: Analysis, file: string, ref: string, line: number): Def | undefined {
  const m = /^(\d+)([fb])$/.exec(ref);
  const fi = an.files.get(file);
  if (!m || !fi) return undefined;
  const locals = fi.defs.filter((d) => d.kind === 'local' && d.name === m[1]);
  if (m[2] === 'b') return locals.filter((d) => d.line <= line).pop();
  return locals.find((d) => d.line > line);
}
