// Loads a program file into a loadable image: an ELF64 executable, or an assembly source
// (.S / .s / .asm) assembled by the built-in assembler. Shared by the CLI and the debugger.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseElf, ElfError } from './elf';
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
}

export class ProgramError extends Error {
  constructor(message: string, readonly diagnostics: Diagnostic[] = []) {
    super(message);
  }
}

export const ASM_EXTENSIONS = ['.S', '.s', '.asm'];

export function isAssemblySource(file: string): boolean {
  return ASM_EXTENSIONS.includes(path.extname(file));
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/** Loads `file`; throws ProgramError with a message naming the problem. */
export function loadProgram(file: string, opts: { linkAddress?: bigint } = {}): ProgramImage {
  if (!fs.existsSync(file)) throw new ProgramError(`program '${file}' does not exist`);
  if (isAssemblySource(file)) {
    const r = assembleFile(file, { linkAddress: opts.linkAddress });
    if (r.errors.length > 0) {
      throw new ProgramError(`${r.errors.length} error(s) assembling ${file}:\n${r.errors.map(formatDiagnostic).join('\n')}`, r.errors);
    }
    return {
      kind: 'asm', path: file, entry: Number(r.entry),
      segments: r.sections.filter((s) => s.flags.alloc && s.size > 0).map((s) => ({ addr: Number(s.address), data: s.nobits ? new Uint8Array(0) : s.data, memsz: s.size })),
      symbols: r.symbols.filter((s) => s.section !== null).map((s) => ({ name: s.name, value: Number(s.value), size: Number(s.size), type: s.type })),
      assembly: r,
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
    return {
      kind: 'elf', path: file, entry: Number(elf.entry),
      segments: elf.segments.map((s) => ({ addr: Number(s.paddr), data: s.data, memsz: Number(s.memsz) })),
      symbols: elf.symbols.filter((s) => s.name !== '' && !s.name.startsWith('$')).map((s) => ({ name: s.name, value: Number(s.value), size: Number(s.size), type: String(s.type) })),
    };
  } catch (e) {
    if (e instanceof ElfError) throw new ProgramError(`${file}: ${e.message}`);
    throw e;
  }
}
