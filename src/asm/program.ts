// Loads a program file into a loadable image: an ELF64 executable, or an assembly source
// (.S / .s / .asm) assembled by the built-in assembler. Shared by the debugger, the tests and the
// bench; the CLI picks the loader itself (src/cli/run.ts) so that running an ELF does not load the
// assembler. The image type, errors and helpers are in program-image.ts; the Linux boot
// protocol's files are read by kernel-files.ts.
import { loadAssemblyProgram } from './asm-program';
import { loadElfProgram } from './elf-program';
import { isAssemblySource, readProgram, type ProgramImage } from './program-image';

export * from './program-image';
export * from './kernel-files';
export { loadAssemblyProgram, loadElfProgram };

/** Loads `file`; throws ProgramError with a message naming the problem. */
export function loadProgram(file: string, opts: { linkAddress?: bigint } = {}): ProgramImage {
  const bytes = readProgram(file);
  return isAssemblySource(file) ? loadAssemblyProgram(file, bytes, opts) : loadElfProgram(file, bytes);
}
