// Source text → lines with their origin, and the small lexical helpers the
// preprocessor and the assembler share (comment stripping, statement
// splitting, string literals).

import { parseEscape } from './expr';

const UTF8 = new TextEncoder();

/** One logical source line and where it came from (1-based line). */
export interface SourceLine {
  text: string;
  file: string;
  line: number;
}

/** A diagnostic before it is attached to the result. */
export interface RawDiag {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * The lines of one source (or of a macro / .rept body), column-wise so that a
 * large file costs one string per line and no objects.
 */
export interface Lines {
  /** File of every line, unless `fileOf` says otherwise. */
  file: string;
  texts: string[];
  /** 1-based line numbers; null means index + 1. */
  lineNos: number[] | null;
  /** 0-based column where each text starts in its original line; null means 0. */
  cols: number[] | null;
  /** Per-line file (preprocessor output with #include); null means `file`. */
  fileOf: string[] | null;
}

/**
 * Splits `text` into lines, replacing `/* … *\/` comments with spaces (so columns
 * keep their meaning) and removing `//` comments. String literals and character
 * constants are respected. An unterminated block comment is reported at its start.
 */
export function scanLines(text: string, file: string, errors: RawDiag[]): Lines {
  const texts = text.split('\n');
  let inBlock = false;
  let blockLine = 0;
  let blockCol = 0;
  for (let n = 0; n < texts.length; n++) {
    let s = texts[n];
    if (s.length > 0 && s.charCodeAt(s.length - 1) === 13) s = texts[n] = s.slice(0, -1);
    if (inBlock || s.indexOf('/') >= 0) {
      const r = stripLineComments(s, inBlock);
      texts[n] = r.text;
      if (!inBlock && r.inBlock) {
        blockLine = n + 1;
        blockCol = r.blockStart + 1;
      }
      inBlock = r.inBlock;
    }
  }
  if (inBlock) errors.push({ file, line: blockLine, column: blockCol, message: 'unterminated comment (missing */)' });
  // A final empty line after the last newline carries nothing.
  if (texts.length > 0 && texts[texts.length - 1] === '') texts.pop();
  return { file, texts, lineNos: null, cols: null, fileOf: null };
}

/** Strips comments from one line given whether it starts inside a block comment. */
export function stripLineComments(
  s: string,
  inBlockAtStart: boolean,
): { text: string; inBlock: boolean; blockStart: number } {
  let out = '';
  let i = 0;
  let inBlock = inBlockAtStart;
  let blockStart = -1;
  let segStart = 0;
  while (i < s.length) {
    if (inBlock) {
      const e = s.indexOf('*/', i);
      if (e < 0) {
        out += ' '.repeat(s.length - segStart);
        return { text: out, inBlock: true, blockStart };
      }
      out += ' '.repeat(e + 2 - segStart);
      i = e + 2;
      segStart = i;
      inBlock = false;
      continue;
    }
    const c = s[i];
    if (c === '"') {
      i = skipString(s, i);
      continue;
    }
    if (c === "'") {
      i += s[i + 1] === '\\' ? 3 : 2;
      if (s[i] === "'") i++;
      continue;
    }
    if (c === '/' && s[i + 1] === '/') {
      out += s.slice(segStart, i);
      return { text: out, inBlock: false, blockStart };
    }
    if (c === '/' && s[i + 1] === '*') {
      out += s.slice(segStart, i);
      segStart = i;
      blockStart = i;
      inBlock = true;
      i += 2;
      continue;
    }
    i++;
  }
  out += s.slice(segStart);
  return { text: out, inBlock, blockStart };
}

/** Given s[i] === '"', returns the index after the closing quote (or s.length). */
export function skipString(s: string, i: number): number {
  i++;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i++;
  }
  return s.length;
}

/** A piece of a line between `;` separators, with its 0-based start column. */
export interface Piece {
  text: string;
  col: number;
}

/** Splits a line at `;` outside strings and character constants. */
export function splitStatements(s: string): Piece[] {
  if (s.indexOf(';') < 0) return [{ text: s, col: 0 }];
  const out: Piece[] = [];
  let start = 0;
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') i = skipString(s, i);
    else if (c === "'") {
      i += s[i + 1] === '\\' ? 3 : 2;
      if (s[i] === "'") i++;
    } else if (c === ';') {
      out.push({ text: s.slice(start, i), col: start });
      i++;
      start = i;
    } else i++;
  }
  out.push({ text: s.slice(start), col: start });
  return out;
}

/**
 * Splits an operand list at top-level commas (outside strings, parentheses and
 * brackets). Returns each part trimmed with its 0-based column in `s`.
 */
export function splitArgs(s: string, base = 0): Piece[] {
  const out: Piece[] = [];
  let depth = 0;
  let start = 0;
  let i = 0;
  const push = (end: number): void => {
    let a = start;
    let b = end;
    while (a < b && (s[a] === ' ' || s[a] === '\t')) a++;
    while (b > a && (s[b - 1] === ' ' || s[b - 1] === '\t')) b--;
    out.push({ text: s.slice(a, b), col: base + a });
  };
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      i = skipString(s, i);
      continue;
    }
    if (c === "'") {
      i += s[i + 1] === '\\' ? 3 : 2;
      if (s[i] === "'") i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
    i++;
  }
  push(s.length);
  return out;
}

/**
 * Parses a double-quoted string literal at the start of `s` (after optional
 * blanks). Returns the bytes and the index after it, or an error message and
 * the 0-based offset where it applies.
 */
export function parseStringLiteral(
  s: string,
): { ok: true; bytes: number[]; end: number } | { ok: false; message: string; offset: number } {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  if (s[i] !== '"') return { ok: false, message: 'expected a string in double quotes', offset: i };
  const start = i;
  i++;
  const bytes: number[] = [];
  while (i < s.length) {
    const c = s[i];
    if (c === '"') return { ok: true, bytes, end: i + 1 };
    if (c === '\\') {
      const [code, next] = parseEscape(s, i + 1);
      bytes.push(code);
      i = next;
      continue;
    }
    const code = s.codePointAt(i) ?? 0;
    if (code < 0x80) {
      bytes.push(code);
      i++;
    } else {
      const ch = String.fromCodePoint(code);
      for (const b of UTF8.encode(ch)) bytes.push(b);
      i += ch.length;
    }
  }
  return { ok: false, message: 'unterminated string (missing closing ")', offset: start };
}
