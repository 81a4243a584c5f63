// Loads an ELF64 executable into a ProgramImage: its PT_LOAD segments, symbols, ARMVIRT note and,
// when present, the DWARF .debug_line map (for source-level debugging of a cross-built program).
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, normalize, resolve } from 'node:path';
import { parseElf, ElfError, elfSectionData } from './elf';
import type * as DwarfLine from './dwarf-line';
import { ProgramError, noteEntryEL, requireSegments, type ProgramImage } from './program-image';
import type { DwarfInfo } from '../dwarf/dwarf';

/** Loads the ELF `file` whose contents are `bytes`; throws ProgramError naming the problem. */
export function loadElfProgram(file: string, bytes: Uint8Array): ProgramImage {
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
      // The DWARF reader is loaded when the debugger first asks (never by `armvirt run`).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      image.debugInfo = () => (cached ??= (require('../dwarf/dwarf') as typeof import('../dwarf/dwarf')).DwarfInfo.fromElf(bytes, elf));
    }
    return image;
  } catch (e) {
    if (e instanceof ElfError) throw new ProgramError(`${file}: ${e.message}`);
    throw e;
  }
}

/** Adds the DWARF .debug_line map of an ELF program, when present; a bad table is reported, not fatal. */
function attachDwarfLines(image: ProgramImage, bytes: Uint8Array, elf: ReturnType<typeof parseElf>): void {
  let dwarfLine: typeof DwarfLine | undefined;
  try {
    const debugLine = elfSectionData(bytes, elf, '.debug_line');
    if (!debugLine || debugLine.length === 0) return;
    // The .debug_line reader is loaded only for an ELF that has the section (built with -g):
    // `armvirt run` of a program without it starts without the reader.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    dwarfLine = require('./dwarf-line') as typeof DwarfLine;
    const base = dirname(resolve(image.path));
    // Relative names are relative to the compilation directory (not read from .debug_info):
    // prefer the executable's directory, then the working directory, when the file exists there.
    const resolveFile = (f: string): string => {
      if (isAbsolute(f)) return normalize(f);
      const nearElf = resolve(base, f);
      if (existsSync(nearElf)) return nearElf;
      const inCwd = resolve(f);
      return existsSync(inCwd) ? inCwd : nearElf;
    };
    const lm = dwarfLine.buildDwarfLineMap(debugLine, {
      lineStr: elfSectionData(bytes, elf, '.debug_line_str'),
      str: elfSectionData(bytes, elf, '.debug_str'),
      resolveFile,
    });
    if (lm.length === 0) return;
    image.lineMap = lm;
    image.sourceFiles = lm.files;
  } catch (e) {
    if ((dwarfLine && e instanceof dwarfLine.DwarfError) || e instanceof ElfError) image.lineMapError = `${image.path}: ${e.message}`;
    else throw e;
  }
}
