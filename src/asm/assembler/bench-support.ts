// What `npm run bench` needs to time the assembler: a generator for a large,
// realistic source and a runner. Target: 100,000 lines in under 1 s.

import { assemble } from './index';

/**
 * A source of about `lines` lines mixing what hypervisor code contains:
 * labels, numeric local labels and branches to them, arithmetic, loads and
 * stores, system-register moves, a macro used repeatedly, `ldr =` literals
 * with periodic `.ltorg`, data directives and comments.
 */
export function generateBenchSource(lines = 100_000): string {
  const out: string[] = [
    '// generated assembler benchmark',
    '        .equ    UART, 0x09000000',
    '        .macro  save_pair a, b, off',
    '        stp     \\a, \\b, [sp, #\\off]',
    '        .endm',
    '        .text',
    '        .global _start',
    '_start:',
  ];
  let i = 0;
  while (out.length < lines - 4) {
    const n = i++;
    switch (n % 16) {
      case 0: out.push(`func_${n}:`); break;
      case 1: out.push(`        add     x${n % 29}, x${(n + 1) % 29}, #${n % 4096}`); break;
      case 2: out.push(`        ldr     x${n % 29}, [x${(n + 3) % 29}, #${(n % 512) * 8}]`); break;
      case 3: out.push(`1:      subs    x${n % 29}, x${n % 29}, #1     // loop counter`); break;
      case 4: out.push('        b.ne    1b'); break;
      case 5: out.push(`        mov     x${n % 29}, #${n % 65536}`); break;
      case 6: out.push(`        save_pair x${n % 28}, x${(n % 28) + 1}, ${(n % 32) * 16}`); break;
      case 7: out.push(`        ldr     x${n % 29}, =0x${(0x40000000 + n * 8).toString(16)}`); break;
      case 8: out.push(`        cbz     x${n % 29}, 2f`); break;
      case 9: out.push(`        orr     w${n % 29}, w${(n + 2) % 29}, #0xff`); break;
      case 10: out.push('2:      mrs     x0, esr_el2'); break;
      case 11: out.push(`        str     w${n % 29}, [x${(n + 5) % 29}, #${(n % 256) * 4}]`); break;
      case 12: out.push(`        bl      func_${n - 12}`); break;
      case 13: out.push('        b       3f'); break;
      case 14: out.push('        .ltorg'); break;
      case 15: out.push(`3:      .quad   func_${n - 15}, ${n} * 8 + UART`); break;
    }
  }
  out.push('        .data', 'table: .quad 1, 2, 3, 4', '        .bss', 'buffer: .skip 4096');
  return out.join('\n') + '\n';
}

export interface AssemblerBenchResult {
  lines: number;
  ms: number;
  bytes: number;
  errors: number;
  firstError?: string;
}

/** Assembles the generated source once (after one warm-up run) and reports the time. */
export function runAssemblerBench(lines = 100_000): AssemblerBenchResult {
  const src = generateBenchSource(lines);
  assemble(src, { fileName: 'bench.s' });
  const t0 = performance.now();
  const r = assemble(src, { fileName: 'bench.s' });
  const ms = performance.now() - t0;
  const e = r.errors[0];
  return {
    lines: src.split('\n').length - 1,
    ms,
    bytes: r.sections.reduce((a, s) => a + s.size, 0),
    errors: r.errors.length,
    firstError: e && `${e.file}:${e.line}:${e.column}: ${e.message}`,
  };
}
