// Loads a program file into a loadable image: an ELF64 executable, or an assembly source
// (.S / .s / .asm) assembled by the built-in assembler. Shared by the CLI and the debugger.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseElf, ElfError, elfSectionData } from './elf';
import { buildDwarfLineMap, DwarfError, type SourceLineMap } from './dwarf-line';
import { assembleFile, nodeReadFile, type AssemblyResult, type Diagnostic } from './assembler';
import { armvirtNoteInfo, parseNotes, NoteError, type ElfNote } from './armvirt-note';
import type { BootFiles, KernelInput } from '../sim/boot/linux-boot';
import { DwarfInfo } from '../dwarf/dwarf';

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
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new ProgramError(`cannot read ${file}: ${readFailure(e)}`);
  }
  if (st.isDirectory()) throw new ProgramError(`cannot read ${file}: is a directory`);
  if (!st.isFile()) throw new ProgramError(`cannot read ${file}: not a regular file (a device or pipe would never end)`);
  if (st.size > limit) throw new ProgramError(`cannot read ${file}: ${st.size} bytes, over the limit of ${limit} bytes`);
}

export function isAssemblySource(file: string): boolean {
  return ASM_EXTENSIONS.includes(path.extname(file));
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

/** Reads `file` as bytes; throws ProgramError "cannot read FILE: reason". */
export function readProgramFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new ProgramError(`cannot read ${file}: ${readFailure(e)}`);
  }
}

/** Loads `file`; throws ProgramError with a message naming the problem. */
export function loadProgram(file: string, opts: { linkAddress?: bigint } = {}): ProgramImage {
  checkProgramFile(file, isAssemblySource(file) ? MAX_SOURCE_BYTES : MAX_ELF_BYTES);
  const bytes = readProgramFile(file);
  if (isAssemblySource(file)) {
    const text = bytes.toString('utf8');
    const r = assembleFile(file, { linkAddress: opts.linkAddress, readFile: (p) => (p === file ? text : nodeReadFile(p)) });
    if (r.errors.length > 0) {
      throw new ProgramError(`${r.errors.length} error(s) assembling ${file}:\n${r.errors.map(formatDiagnostic).join('\n')}`, r.errors);
    }
    const notes: ElfNote[] = [];
    try {
      for (const s of r.sections) if (s.note) notes.push(...parseNotes(s.data));
    } catch (e) {
      if (e instanceof NoteError) throw new ProgramError(`${file}: note section: ${e.message}`);
      throw e;
    }
    return requireSegments({
      kind: 'asm', path: file, entry: Number(r.entry),
      segments: r.sections.filter((s) => s.flags.alloc && s.size > 0).map((s) => ({ addr: Number(s.address), data: s.nobits ? new Uint8Array(0) : s.data, memsz: s.size })),
      symbols: r.symbols.filter((s) => s.section !== null).map((s) => ({ name: s.name, value: Number(s.value), size: Number(s.size), type: s.type })),
      assembly: r,
      lineMap: r.lineMap,
      sourceFiles: r.files.map((f) => path.resolve(f)),
      entryEL: noteEntryEL(file, notes),
    });
  }
  try {
    const elf = parseElf(bytes);
    const image: ProgramImage = {
      kind: 'elf', path: file, entry: Number(elf.entry),
      segments: elf.segments.map((s) => ({ addr: Number(s.paddr), data: s.data, memsz: Number(s.memsz) })),
      symbols: elf.symbols.filter((s) => s.name !== '' && !s.name.startsWith('$')).map((s) => ({ name: s.name, value: Number(s.value), size: Number(s.size), type: String(s.type) })),
      entryEL: noteEntryEL(file, elf.notes),
    };
    requireSegments(image);
    attachDwarfLines(image, bytes, elf);
    if (elf.sections.some((x) => x.name === '.debug_info')) {
      let cached: DwarfInfo | undefined;
      image.debugInfo = () => (cached ??= DwarfInfo.fromElf(bytes, elf));
    }
    return image;
  } catch (e) {
    if (e instanceof ElfError) throw new ProgramError(`${file}: ${e.message}`);
    throw e;
  }
}

/** A program with nothing to load would run whatever RAM holds: refuse it. */
function requireSegments(image: ProgramImage): ProgramImage {
  if (!image.segments.some((s) => s.memsz > 0)) throw new ProgramError(`${image.path}: no code: the program has no loadable segment`);
  return image;
}

function noteEntryEL(file: string, notes: ElfNote[]): 1 | 2 | undefined {
  try {
    return armvirtNoteInfo(notes).entryEL;
  } catch (e) {
    if (e instanceof NoteError) throw new ProgramError(`${file}: ${e.message}`);
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

/** The files of a Linux-style boot (`--kernel/--initrd/--dtb/--append`, launch `kernel`/`initrd`/`dtb`/`append`). */
export interface KernelFileNames { kernel: string; initrd?: string; dtb?: string; append?: string }

/**
 * Reads the boot files for src/sim/boot/linux-boot.ts: an ELF kernel is parsed into segments
 * (QEMU tries ELF first), anything else is passed on as bytes (arm64 Image, kvm-unit-tests
 * .flat, gzip, raw). `image` carries the ELF's symbols for the debugger (none for an Image).
 */
export function readKernelFiles(names: KernelFileNames): { files: BootFiles; image: ProgramImage } {
  const read = (what: string, file: string): Uint8Array => {
    try {
      return fs.readFileSync(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ProgramError(code === 'ENOENT' ? `${what} '${file}' does not exist` : `cannot read ${what} '${file}': ${(e as Error).message}`);
    }
  };
  const bytes = read('kernel', names.kernel);
  const image: ProgramImage = { kind: 'kernel', path: names.kernel, entry: 0, segments: [], symbols: [] };
  let kernel: KernelInput = { kind: 'binary', bytes };
  if (bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) {
    try {
      const elf = parseElf(bytes);
      kernel = { kind: 'elf', entry: Number(elf.entry), segments: elf.segments.map((s) => ({ addr: Number(s.paddr), data: s.data, memsz: Number(s.memsz) })) };
      image.symbols = elf.symbols.filter((s) => s.name !== '' && !s.name.startsWith('$')).map((s) => ({ name: s.name, value: Number(s.value), size: Number(s.size), type: String(s.type) }));
      image.entry = kernel.entry;
    } catch (e) {
      if (e instanceof ElfError) throw new ProgramError(`${names.kernel}: ${e.message}`);
      throw e;
    }
  }
  const files: BootFiles = {
    kernel,
    initrd: names.initrd !== undefined ? read('initrd', names.initrd) : undefined,
    dtb: names.dtb !== undefined ? read('dtb', names.dtb) : undefined,
    append: names.append,
  };
  return { files, image };
}
