// Public API of the assembler front end (GNU as AArch64 syntax).
//
//   assemble(source, { fileName, readFile?, linkAddress?, includePaths?, defines? })
//   assembleFile(path, opts)
//
// Both return an AssemblyResult and never throw: every problem becomes a
// Diagnostic in `errors` / `warnings`.

import * as fs from 'node:fs';
import { encode as a64encode } from '../a64/index';
import { Assembler } from './assembler';
import type { AssembleOptions, AssemblyResult, EncodeFn } from './types';

export { AsmExprError, evaluate as evaluateExpression, undefinedSymbolIn } from './expr';
export type { ExprEnv, ExprValue } from './expr';
export { LineMap } from './linemap';
export { ARMVIRT_DIRECTIVES, DEFAULT_LINK_ADDRESS, DIRECTIVE_NAMES } from './assembler';
export * from './types';

/** The encoder from src/asm/a64 (the default for `AssembleOptions.encoder`). */
export function loadDefaultEncoder(): EncodeFn {
  return a64encode;
}

/** Assembles `source` (the contents of `opts.fileName`). */
export function assemble(source: string, opts: AssembleOptions): AssemblyResult {
  const encoder = opts.encoder ?? loadDefaultEncoder();
  return new Assembler(opts, encoder).assemble(String(source ?? ''));
}

/** Largest source or include file read (a device such as /dev/zero or a FIFO is never read). */
const MAX_READ_BYTES = 16 * 1024 * 1024;

/** Reads a file with node's fs (as text, UTF-8); undefined when it cannot be read, is not a regular file or is too large. */
export function nodeReadFile(p: string): string | undefined {
  try {
    const st = fs.statSync(p);
    if (!st.isFile() || st.size > MAX_READ_BYTES) return undefined;
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** Assembles the file at `file`; includes are read from disk unless `opts.readFile` is given. */
export function assembleFile(file: string, opts: Partial<AssembleOptions> = {}): AssemblyResult {
  const readFile = opts.readFile ?? nodeReadFile;
  const text = readFile(file);
  const o: AssembleOptions = { ...opts, fileName: opts.fileName ?? file, readFile };
  if (text === undefined) return withError(assemble('', o), file, `cannot read file '${file}'`);
  const r = assemble(text, o);
  if (r.errors.length === 0 && !hasContents(r)) {
    // A program must put something in memory: an empty or comment-only file (or one that only
    // defines symbols and macros) would otherwise "run" whatever RAM holds at the link address.
    r.errors.push({ file, line: 1, column: 1, severity: 'error', message: 'no code: the program has no instructions or data' });
  }
  return r;
}

/** True when some allocated section has bytes (or zero-filled space) to load. */
export function hasContents(r: AssemblyResult): boolean {
  return r.sections.some((s) => s.flags.alloc && s.size > 0);
}

function withError(r: AssemblyResult, file: string, message: string): AssemblyResult {
  r.errors.push({ file, line: 1, column: 1, severity: 'error', message });
  return r;
}
