// Loads a program file into a loadable image: an ELF64 executable, or an assembly source
// (.S / .s / .asm) assembled by the built-in assembler. Shared by the CLI and the debugger.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseElf, ElfError, elfSectionData } from './elf';
import { buildDwarfLineMap, DwarfError, type SourceLineMap } from './dwarf-line';
import { assembleFile, type AssemblyResult, type Diagnostic } from './assembler';

export interface ProgramSymbol { name: string; value: number; size: number; type: string }

export interface ProgramImage {
  kind: 'elf' | 'asm';
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
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new ProgramError(`program '${file}' does not exist`);
  }
  if (!st.isFile()) throw new ProgramError(`program '${file}' is not a regular file`);
  if (st.size > limit) throw new ProgramError(`program '${file}' is ${st.size} bytes, over the limit of ${limit} bytes`);
}

export function isAssemblySource(file: string): boolean {
  return ASM_EXTENSIONS.includes(path.extname(file));
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/** Loads `file`; throws ProgramError with a message naming the problem. */
export function loadProgram(file: string, opts: { linkAddress?: bigint } = {}): ProgramImage {
  checkProgramFile(file, isAssemblySource(file) ? MAX_SOURCE_BYTES : MAX_ELF_BYTES);
  if (isAssemblySource(file)) {
    const r = assembleFile(file, { linkAddress: opts.linkAddress });
    if (r.errors.length > 0) {
      throw new ProgramError(`${r.errors.length} error(s) assembling ${file}:\n${r.errors.map(formatDiagnostic).join('\n')}`, r.errors);
    }
    // An empty or comment-only source would start the PE on zeroed memory (UNDEFINED at once).
    if (!r.sections.some((s) => s.flags.alloc && s.size > 0)) throw new ProgramError(`${file}: no code: the program has no loadable segment`);
    return {
      kind: 'asm', path: file, entry: Number(r.entry),
      segments: r.sections.filter((s) => s.flags.alloc && s.size > 0).map((s) => ({ addr: Number(s.address), data: s.nobits ? new Uint8Array(0) : s.data, memsz: s.size })),
      symbols: r.symbols.filter((s) => s.section !== null).map((s) => ({ name: s.name, value: Number(s.value), size: Number(s.size), type: s.type })),
      assembly: r,
      lineMap: r.lineMap,
      sourceFiles: r.files.map((f) => path.resolve(f)),
    };
  }
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new ProgramError(`cannot read program '${file}': ${(e as Error).message}`);
  }
  try {
    const elf = parseElf(bytes);
    if (elf.segments.length === 0) throw new ProgramError(`${file}: no code: the program has no loadable segment`);
    const image: ProgramImage = {
      kind: 'elf', path: file, entry: Number(elf.entry),
      segments: elf.segments.map((s) => ({ addr: Number(s.paddr), data: s.data, memsz: Number(s.memsz) })),
      symbols: elf.symbols.filter((s) => s.name !== '' && !s.name.startsWith('$')).map((s) => ({ name: s.name, value: Number(s.value), size: Number(s.size), type: String(s.type) })),
    };
    attachDwarfLines(image, bytes, elf);
    return image;
  } catch (e) {
    if (e instanceof ElfError) throw new ProgramError(`${file}: ${e.message}`);
    throw e;
  }
}

/** Adds the DWARF .debug_line map of an ELF program, when present; a bad table is reported, not fatal. */
function attachDwarfLines(image: ProgramImage, bytes: Uint8Array, elf: ReturnType<typeof parseElf>): void {
  try {
    const debugLine = elfSectionData(bytes, elf, '.debug_line');
    if (!debugLine || debugLine.length === 0) return;
    const base = path.dirname(path.resolve(image.path));
    // Relative names are relative to the compilation directory (not read from .debug_info):
    // prefer the executable's directory, then the working directory, when the file exists there.
    const resolveFile = (f: string): string => {
      if (path.isAbsolute(f)) return path.normalize(f);
      const nearElf = path.resolve(base, f);
      if (fs.existsSync(nearElf)) return nearElf;
      const inCwd = path.resolve(f);
      return fs.existsSync(inCwd) ? inCwd : nearElf;
    };
    const lm = buildDwarfLineMap(debugLine, {
      lineStr: elfSectionData(bytes, elf, '.debug_line_str'),
      str: elfSectionData(bytes, elf, '.debug_str'),
      resolveFile,
    });
    if (lm.length === 0) return;
    image.lineMap = lm;
    image.sourceFiles = lm.files;
  } catch (e) {
    if (e instanceof DwarfError || e instanceof ElfError) image.lineMapError = `${image.path}: ${e.message}`;
    else throw e;
  }
}
