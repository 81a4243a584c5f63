// Reads the files of a Linux-style boot (`--kernel/--initrd/--dtb/--append`, launch
// `kernel`/`initrd`/`dtb`/`append`) for src/sim/boot/linux-boot.ts. No assembler here: the CLI
// loads this for `run --kernel` without it.
import * as fs from 'node:fs';
import { parseElf, ElfError } from './elf';
import { ProgramError, type ProgramImage } from './program-image';
import type { BootFiles, KernelInput } from '../sim/boot/linux-boot';

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
