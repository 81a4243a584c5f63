// What a loaded program is (ProgramImage), how loading it fails (ProgramError) and the pieces
// both loaders share: elf-program.ts (ELF64 executables) and asm-program.ts (assembly sources).
// No loader is imported here, so `armvirt run prog.elf` never loads the assembler (program.ts
// picks the loader for callers that may be given either).
import { readFileSync, statSync, type Stats } from 'node:fs';
import { extname } from 'node:path';
import type { SourceLineMap } from './dwarf-line';
import type { AssemblyResult, Diagnostic } from './assembler';
import type { DwarfInfo } from '../dwarf/dwarf';
import { armvirtNoteInfo, NoteError, type ElfNote } from './armvirt-note';

export interface ProgramSymbol { name: string; value: number; size: number; type: string }

export interface ProgramImage {
  /** 'kernel': booted by the Linux boot protocol (readKernelFiles); segments are placed by src/sim/boot. */
  kind: 'elf' | 'asm' | 'kernel';
  path: string;
  entry: number;
  segments: { addr: number; data: Uint8Array; memsz: number }[];
  symbols: ProgramSymbol[];
  /** Present for assembly programs: address ↔ source line map. */
  assembly?: AssemblyResult;
  /** Address ↔ source line map: the assembler's for assembly programs, DWARF .debug_line for ELF (absent without it). */
  lineMap?: SourceLineMap;
  /** Source files named by `lineMap` (absolute paths). */
  sourceFiles?: string[];
  /** Set when an ELF's .debug_line could not be used (the program still loads, without source lines). */
  lineMapError?: string;
  /**
   * ELF programs with .debug_info: the DWARF reader, built on first use (large files cost
   * only when variables are asked for). Throws DwarfError for malformed DWARF.
   */
  debugInfo?: () => DwarfInfo;
  /**
   * The exception level the program asks to start at (its ARMVIRT note, written by
   * `.armvirt entry_el, N`; src/asm/armvirt-note.ts). A command-line or launch setting wins.
   */
  entryEL?: 1 | 2;
}

export class ProgramError extends Error {
  constructor(message: string, readonly diagnostics: Diagnostic[] = []) {
    super(message);
  }
}

export const ASM_EXTENSIONS = ['.S', '.s', '.asm'];

/** Largest assembly source read (the 100,000-line benchmark file is ~3 MiB). */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;
/** Largest ELF read (a Debian arm64 kernel image with symbols is well below this). */
export const MAX_ELF_BYTES = 1024 * 1024 * 1024;

/**
 * Refuses what cannot be a program before reading it: a missing path, a directory, a device or
 * FIFO (/dev/zero would be read forever), a file over the size limit of its kind.
 */
export function checkProgramFile(file: string, limit: number): void {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    throw new ProgramError(`cannot read ${file}: ${readFailure(e)}`);
  }
  if (st.isDirectory()) throw new ProgramError(`cannot read ${file}: is a directory`);
  if (!st.isFile()) throw new ProgramError(`cannot read ${file}: not a regular file (a device or pipe would never end)`);
  if (st.size > limit) throw new ProgramError(`cannot read ${file}: ${st.size} bytes, over the limit of ${limit} bytes`);
}

/** The bytes of the program `file` (checkProgramFile first, with the limit of its kind). */
export function readProgram(file: string): Buffer {
  checkProgramFile(file, isAssemblySource(file) ? MAX_SOURCE_BYTES : MAX_ELF_BYTES);
  return readProgramFile(file);
}

export function isAssemblySource(file: string): boolean {
  return ASM_EXTENSIONS.includes(extname(file));
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/**
 * Why a file could not be read, in words ("file does not exist", "permission denied",
 * "is a directory"), without node's error code and syscall decorations.
 */
export function readFailure(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EISDIR') return 'is a directory';
  if (err?.code === 'ENOENT') return 'file does not exist';
  const m = /^[A-Z0-9_]+: (.*?)(?:, [a-z]+(?: '.*')?)?$/.exec(err?.message ?? '');
  return m ? m[1] : String(err?.message ?? e);
}

/** Why a file could not be written (a missing directory is the usual ENOENT). */
export function writeFailure(e: unknown): string {
  return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'its directory does not exist' : readFailure(e);
}

/** Reads `file` as bytes; throws ProgramError "cannot read FILE: reason". */
export function readProgramFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new ProgramError(`cannot read ${file}: ${readFailure(e)}`);
  }
}

/** A program with nothing to load would run whatever RAM holds: refuse it. */
export function requireSegments(image: ProgramImage): ProgramImage {
  if (!image.segments.some((s) => s.memsz > 0)) throw new ProgramError(`${image.path}: no code: the program has no loadable segment`);
  return image;
}

/** The entry EL a program's ARMVIRT note asks for; a malformed note is a ProgramError. */
export function noteEntryEL(file: string, notes: ElfNote[]): 1 | 2 | undefined {
  try {
    return armvirtNoteInfo(notes).entryEL;
  } catch (e) {
    if (e instanceof NoteError) throw new ProgramError(`${file}: ${e.message}`);
    throw e;
  }
}
