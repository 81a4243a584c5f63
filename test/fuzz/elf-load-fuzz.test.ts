// Crash fuzzing of the ELF load path as `armvirt run` and the debugger's launch take it:
// loadElfProgram (parseElf, the ARMVIRT note, symbols, the .debug_line reader) then Machine.load.
// Seeds: an ELF from our own assembler and ELF writer, and GNU-built ones with DWARF 4 and 5 line
// tables (aarch64-linux-gnu-gcc -g). 2,400 mutations (fixed seed): ELF header fields, program and
// section header fields set to boundary values, bytes of .debug_line changed, truncations, random
// flips. Every case must end in a readable error naming what is wrong (ProgramError, or the
// loader's "segment N ..." RangeError) or load; never another host exception. Memory stays bounded
// (heap and external memory are checked after each case) and no case hangs (a hang guard of 10 s per case,
// which a case taking a few milliseconds never comes near; it is not a speed goal).
// Locally: FUZZ_CASES=40000 FUZZ_SEED=99 npx mocha ... test/fuzz/elf-load-fuzz.test.ts; with
// FUZZ_TRACE=FILE each case is written to FILE before it runs (after a crash, FILE is the culprit).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assemble } from '../../src/asm/assembler';
import { parseElf } from '../../src/asm/elf';
import { writeElf } from '../../src/asm/elf-writer';
import { loadElfProgram } from '../../src/asm/elf-program';
import { ProgramError } from '../../src/asm/program-image';
import { Machine } from '../../src/sim/machine';
import { Rand, flipBytes, interesting, setField, timed, truncate } from './mutate';

/** CI: 2,400 cases from a fixed seed; locally FUZZ_CASES / FUZZ_SEED run more or others. */
const CASES = Number(process.env.FUZZ_CASES ?? 2400);
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_e1f);
const HANG_GUARD_MS = 10_000;
const MEMORY_BOUND = 512 * 1024 * 1024;

const OUR_SRC = `
        .text
        .global _start
        .type _start, %function
_start: mov x0, #1
        ldr x1, =message
        bl f
        b .
f:      ret
        .size _start, . - _start
        .data
message: .asciz "hello"
        .bss
buffer: .skip 4096
`;

const C_SRC = `
static volatile int counter;
static int add(int a, int b) { return a + b; }
int table[16] = { 1, 2, 3 };
void _start(void) {
  for (int i = 0; i < 16; i++) counter = add(counter, table[i]);
  for (;;) { }
}
`;

function gnuSeeds(): Uint8Array[] {
  const gcc = process.env.AARCH64_GCC ?? 'aarch64-linux-gnu-gcc';
  if (spawnSync(gcc, ['--version'], { stdio: 'ignore' }).status !== 0) {
    if (process.env.CI === 'true') throw new Error(`${gcc} is not installed (required when CI=true)`);
    return [];
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-elffuzz-'));
  try {
    const c = path.join(dir, 'p.c');
    fs.writeFileSync(c, C_SRC);
    return ['-gdwarf-4', '-gdwarf-5'].map((g) => {
      const out = path.join(dir, `p${g}.elf`);
      const r = spawnSync(gcc, [g, '-O1', '-nostdlib', '-static', '-ffreestanding', '-Wl,-Ttext-segment=0x40000000', '-Wl,-z,norelro', '-o', out, c], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return new Uint8Array(fs.readFileSync(out));
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Offsets of the header fields worth mutating in an ELF64 file. */
function fieldsOf(b: Uint8Array): Array<[number, number]> {
  const elf = parseElf(b);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const phoff = Number(dv.getBigUint64(32, true)), shoff = Number(dv.getBigUint64(40, true));
  const phnum = dv.getUint16(56, true), shnum = dv.getUint16(60, true);
  const f: Array<[number, number]> = [[24, 8], [32, 8], [40, 8], [52, 2], [54, 2], [56, 2], [58, 2], [60, 2], [62, 2], [4, 1], [5, 1], [18, 2]];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + 56 * i;
    f.push([o, 4], [o + 8, 8], [o + 16, 8], [o + 24, 8], [o + 32, 8], [o + 40, 8], [o + 48, 8]);
  }
  for (let i = 0; i < shnum; i++) {
    const o = shoff + 64 * i;
    f.push([o, 4], [o + 4, 4], [o + 24, 8], [o + 32, 8], [o + 40, 4], [o + 56, 8]);
  }
  assert.ok(elf.segments.length > 0);
  return f;
}

/** The [start, end) of a section's bytes, if the seed has it. */
function sectionRange(b: Uint8Array, name: string): [number, number] | undefined {
  const s = parseElf(b).sections.find((x) => x.name === name);
  return s ? [Number(s.offset), Number(s.offset + s.size)] : undefined;
}

function mutate(r: Rand, seed: Uint8Array, fields: Array<[number, number]>, line: [number, number] | undefined): Uint8Array {
  let b: Uint8Array = seed.slice();
  const steps = 1 + r.below(3);
  for (let s = 0; s < steps; s++) {
    switch (r.below(6)) {
      case 0: case 1: { const [at, n] = r.pick(fields); setField(b, at, n, interesting(r, n, b.length)); break; }
      case 2:
        // .debug_line: a header field (lengths, counts, forms) or opcodes; the ELF headers without one
        if (!line) flipBytes(r, b, 8, 0, Math.min(b.length, 0x200));
        else if (r.chance(0.5)) setField(b, line[0] + r.below(Math.min(64, line[1] - line[0])), r.pick([1, 2, 4, 8]), interesting(r, 4, b.length));
        else flipBytes(r, b, 8, line[0], line[1]);
        break;
      case 3: flipBytes(r, b, 8, 0, Math.min(b.length, 0x200)); break;
      case 4: flipBytes(r, b, 16); break;
      default: if (r.chance(0.5)) b = truncate(r, b); else flipBytes(r, b, 4, Math.max(0, b.length - 0x400));
    }
  }
  return b;
}

/** The errors the load path may end in: each names the file and the field or segment at fault. */
function readable(e: unknown): boolean {
  if (e instanceof ProgramError) return /: /.test(e.message);
  return e instanceof RangeError && /^segment \d+ at 0x[0-9a-f]+/.test(e.message);
}

describe('fuzz: mutated ELF files through the whole load path (parse, note, symbols, .debug_line, Machine.load)', function () {
  this.timeout(600_000);

  it(`${CASES} mutations (seed ${SEED}): a readable error or a loaded program, never a host exception; memory bounded; no hang`, () => {
    const ours = assemble(OUR_SRC, { fileName: 'ours.s' });
    assert.deepEqual(ours.errors, []);
    const seeds = [writeElf(ours), ...gnuSeeds()];
    const info = seeds.map((s) => ({ s, fields: fieldsOf(s), line: sectionRange(s, '.debug_line') }));
    const m = new Machine({ output: () => undefined });
    const r = new Rand(SEED);
    const base = process.memoryUsage().arrayBuffers, baseHeap = process.memoryUsage().heapUsed;
    const failures: string[] = [];
    let loaded = 0, refused = 0, lineErrors = 0, lineMaps = 0, maxMs = 0, maxMem = 0;
    for (let i = 0; i < CASES; i++) {
      const seed = info[i % info.length];
      const b = mutate(r, seed.s, seed.fields, seed.line);
      if (process.env.FUZZ_TRACE) fs.writeFileSync(process.env.FUZZ_TRACE, b);
      const t = timed(() => {
        const img = loadElfProgram('fuzz.elf', b);
        if (img.lineMapError) lineErrors++;
        else if (img.lineMap) lineMaps++;
        m.load(img.segments, img.entry);
      });
      maxMs = Math.max(maxMs, t.ms);
      const mem = Math.max(process.memoryUsage().arrayBuffers - base, process.memoryUsage().heapUsed - baseHeap);
      maxMem = Math.max(maxMem, mem);
      if (t.error === undefined) loaded++;
      else if (readable(t.error)) refused++;
      else failures.push(`case ${i} (seed ${i % info.length}): ${(t.error as Error)?.stack ?? String(t.error)}`);
      if (t.ms > HANG_GUARD_MS) failures.push(`case ${i}: ${Math.round(t.ms)} ms (hang guard)`);
      if (mem > MEMORY_BOUND) failures.push(`case ${i}: heap or external memory ${Math.round(mem / 2 ** 20)} MiB above the start`);
      if (failures.length >= 10) break;
    }
    console.log(`      ${seeds.length} seeds; ${loaded} loaded, ${refused} refused; .debug_line read ${lineMaps} times, ${lineErrors} errors reported; slowest case ${Math.round(maxMs)} ms, peak heap/external memory +${Math.round(maxMem / 2 ** 20)} MiB`);
    assert.deepEqual(failures, []);
    assert.equal(loaded + refused, CASES);
    assert.ok(loaded > 100 && refused > 100, 'the mutations reach both outcomes');
    if (seeds.length > 1) assert.ok(lineMaps > 100 && lineErrors > 100, 'the line-table reader sees valid and broken tables');
  });
});
