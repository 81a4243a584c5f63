// Builds bench/programs/*.s into ELF files, with the loop length as a parameter.
//
// A program keeps its default length in a guarded `.equ` (`.ifndef ITERATIONS` … `.endif`), so
// `npx tsx test/diff/build.ts --bench` builds it as it stands; a variant is a two-line wrapper
// that sets the symbol first and includes the program. Both assemblers then search the
// program's directory (for the program and its .inc files) and test/diff/include (harness.inc).
//
// GNU as + ld build the ELF when they are installed (as in CI, so QEMU runs what GNU as made);
// otherwise the built-in assembler does and src/asm/elf-writer writes the ELF. Either way the
// simulator in-process, `node dist/cli.js run` and QEMU all run the same file.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assembleFile } from '../src/asm/assembler';
import { writeElf } from '../src/asm/elf-writer';
import { formatDiagnostic } from '../src/asm/program';

export const ROOT = path.resolve(__dirname, '..');
export const PROGRAMS_DIR = path.join(ROOT, 'bench', 'programs');
export const HARNESS_INCLUDE_DIR = path.join(ROOT, 'test', 'diff', 'include');
export const LINK_SCRIPT = path.join(ROOT, 'test', 'diff', 'link.ld');
const AS = process.env.AARCH64_AS ?? 'aarch64-linux-gnu-as';
const LD = process.env.AARCH64_LD ?? 'aarch64-linux-gnu-ld';

export type AssemblerKind = 'gnu' | 'builtin';

/** Is a command on PATH and runnable? */
export function haveTool(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

export function gnuToolchainAvailable(): boolean {
  return haveTool(AS) && haveTool(LD);
}

export class ProgramBuilder {
  private readonly includePaths = [PROGRAMS_DIR, HARNESS_INCLUDE_DIR];
  private readonly built = new Map<string, string>();

  constructor(private readonly outDir: string, readonly assembler: AssemblerKind) {}

  /**
   * The ELF of bench/programs/`name`.s with `symbol` (its loop-length `.equ`) set to `value`, or
   * with its default when `symbol` is omitted.
   */
  build(name: string, symbol?: string, value?: number): string {
    const key = symbol === undefined ? name : `${name}-${symbol}-${value}`;
    const cached = this.built.get(key);
    if (cached) return cached;
    const program = path.join(PROGRAMS_DIR, `${name}.s`);
    if (!fs.existsSync(program)) throw new Error(`bench program ${program} does not exist`);
    let source = program;
    if (symbol !== undefined) {
      if (!Number.isInteger(value) || value! < 1) throw new RangeError(`${name}: ${symbol} must be a positive integer (got ${value})`);
      if (!new RegExp(`\\.ifndef\\s+${symbol}\\b`).test(fs.readFileSync(program, 'utf8'))) {
        throw new Error(`${program} has no '.ifndef ${symbol}' guard around its default, so ${symbol} cannot be set`);
      }
      source = path.join(this.outDir, `${key}.s`);
      fs.writeFileSync(source, `        .equ    ${symbol}, ${value}\n        .include "${name}.s"\n`);
    }
    const elf = path.join(this.outDir, `${key}.elf`);
    if (this.assembler === 'gnu') this.buildWithGnu(source, elf);
    else this.buildWithBuiltin(source, elf);
    this.built.set(key, elf);
    return elf;
  }

  private buildWithGnu(source: string, elf: string): void {
    const obj = elf.replace(/\.elf$/, '.o');
    const a = spawnSync(AS, [...this.includePaths.flatMap((p) => ['-I', p]), '-o', obj, source], { encoding: 'utf8' });
    if (a.status !== 0) throw new Error(`${AS} failed for ${source}: ${a.stderr || a.error}`);
    const l = spawnSync(LD, ['-T', LINK_SCRIPT, '-o', elf, obj], { encoding: 'utf8' });
    if (l.status !== 0) throw new Error(`${LD} failed for ${source}: ${l.stderr || l.error}`);
  }

  private buildWithBuiltin(source: string, elf: string): void {
    // The link address is the one of link.ld (0x4000_0000), the built-in assembler's default.
    const r = assembleFile(source, { includePaths: this.includePaths });
    if (r.errors.length > 0) throw new Error(`built-in assembler: ${r.errors.length} error(s) in ${source}:\n${r.errors.map(formatDiagnostic).join('\n')}`);
    fs.writeFileSync(elf, writeElf(r));
  }
}
