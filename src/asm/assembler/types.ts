// Public types of the assembler front end.

import type { EncodeContext, EncodeResult } from '../a64/api';
import type { LineMap } from './linemap';

/** A place in a source file (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface Diagnostic extends SourceLocation {
  severity: 'error' | 'warning';
  message: string;
  /**
   * Further places that explain the diagnostic, innermost first: for a problem
   * inside a macro expansion, each "macro 'm' invoked from here" call site.
   */
  related?: (SourceLocation & { message: string })[];
}

export interface SectionFlags {
  alloc: boolean;
  write: boolean;
  exec: boolean;
}

/** A mapping-symbol change: from `offset` on, the section holds code ($x) or data ($d). */
export interface MappingMark {
  offset: number;
  kind: 'code' | 'data';
}

export interface AsmSection {
  name: string;
  /** Link address of the first byte (0 for sections that are not allocated). */
  address: bigint;
  /** Size in memory, in bytes. */
  size: number;
  /** Contents; empty for a nobits section such as .bss (its size is still `size`). */
  data: Uint8Array;
  nobits: boolean;
  /** SHT_NOTE: note entries (such as the ARMVIRT note of `.armvirt`), not code or data. */
  note?: boolean;
  /** Alignment in bytes (a power of two). */
  align: number;
  flags: SectionFlags;
  /** Where code and data start inside the section ($x / $d mapping symbols). */
  mapping: MappingMark[];
}

export type SymbolType = 'notype' | 'func' | 'object' | 'tls' | 'common' | 'gnu_indirect_function';
export type SymbolBinding = 'local' | 'global' | 'weak';

export interface AsmSymbol {
  name: string;
  /** Final value: the link address for labels, the value for `.equ` constants. */
  value: bigint;
  /** Section name, or null for an absolute symbol (`.equ` constant). */
  section: string | null;
  binding: SymbolBinding;
  /** Convenience: binding is 'global' or 'weak'. */
  global: boolean;
  type: SymbolType;
  size: bigint;
  visibility: 'default' | 'hidden' | 'protected' | 'internal';
  /** Where the symbol was defined. */
  definedAt?: SourceLocation;
}

/** The source position an address came from. */
export interface LineInfo {
  file: string;
  line: number;
  /** For code produced by a macro expansion: the macro and the body line that produced it. */
  macro?: { name: string; file: string; line: number };
}

export interface LineMapEntry extends LineInfo {
  address: bigint;
  /** Number of bytes covered (4 for an instruction). */
  size: number;
  kind: 'code' | 'data';
}

export interface AssemblyResult {
  /** Sections in address order: .text, .data, .bss, then the others in order of first use. */
  sections: AsmSection[];
  symbols: AsmSymbol[];
  entry: bigint;
  lineMap: LineMap;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** Text printed by `.print`. */
  messages: string[];
  /** Files read (the main file first, then includes in first-read order). */
  files: string[];
}

/** The instruction encoder (src/asm/a64 `encode`). */
export type EncodeFn = (mnemonic: string, operands: string, ctx: EncodeContext) => EncodeResult;

export interface AssembleOptions {
  /** Name of the source (used in diagnostics and the line map, and to resolve includes). */
  fileName: string;
  /** Reads an included file; undefined when it does not exist. Default: no file access. */
  readFile?: (path: string) => string | undefined;
  /** Address of the first section (default 0x4000_0000). */
  linkAddress?: bigint;
  /** Directories searched for `#include` / `.include` after the including file's directory. */
  includePaths?: string[];
  /** Preprocessor definitions for `.S` files (`-D NAME=VALUE`). */
  defines?: Record<string, string>;
  /** Force (true) or skip (false) the C preprocessor; default: only for names ending in `.S`. */
  preprocess?: boolean;
  /** Instruction encoder; default: the one in src/asm/a64. */
  encoder?: EncodeFn;
  /** Upper bound on statements processed after expansion (runaway .rept/macro guard). Default 10^6. */
  maxStatements?: number;
}
