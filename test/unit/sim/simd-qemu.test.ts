// Random differential test of the SIMD&FP data-processing instructions against QEMU: random
// words from the encoding classes of src/sim/isa/simd-*.ts, random V0..V15 biased toward FP
// edge cases (NaNs with payloads, infinities, denormals, ±0, near-overflow, values with short
// significands that produce exact ties), random X0..X15, NZCV and FPCR (RMode, DN, FZ). One
// bare-metal guest on `qemu-system-aarch64 -M virt -cpu cortex-a57` runs every case at EL2 and
// writes V0..V15, X0..X15, FPSR, NZCV and the syndrome of any exception to a host file through
// semihosting; the simulator runs the same word on the same state and must agree bit for bit.
// Register fields are limited to 0..15 so that the harness registers (x18, x27, x28) survive.
// Skipped (with a message) when binutils or QEMU are missing; fails instead when CI=true.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '../../../src/sim/decode';
import { requiredSlot } from '../../../src/sim/sysregs';
import { TestBoard, isUndefined, nzcv, randOperand, rng, setNzcv } from './harness';

const CASES = Number(process.env.SIMD_QEMU_CASES ?? 12000);
const IN = 400;    // V0..V15 (256), X0..X15 (128), FPCR, NZCV
const OUT = 416;   // V0..V15, X0..X15, FPSR, NZCV, ESR of an exception (0 = none), pad

/** [mask, value, register-field bits to clear] — fixed bits of each template, the rest random. */
const TEMPLATES: [number, number, number][] = [
  // scalar FP (ftype bit 23 fixed to 0 where H/reserved types would be UNDEFINED anyway)
  [0xffa00c00, 0x1e200800, 0x00100210],   // data-processing (2 source)
  [0xffa00c00, 0x1e200800, 0x00100210],
  [0xffa00c00, 0x1e200800, 0x00100210],
  [0xffa0cc00, 0x1e200800, 0x00100210],   // ... FMUL/FDIV/FADD/FSUB only
  [0xffa0cc00, 0x1e200800, 0x00100210],
  [0xff800000, 0x1f000000, 0x00104210],   // data-processing (3 source)
  [0xff800000, 0x1f000000, 0x00104210],
  [0xff800000, 0x1f000000, 0x00104210],
  [0xff800000, 0x1f000000, 0x00104210],
  [0xff207c00, 0x1e204000, 0x00000210],   // data-processing (1 source), incl. FCVT to/from H
  [0xff207c00, 0x1e204000, 0x00000210],
  [0xffa0fc07, 0x1e202000, 0x00100200],   // compare
  [0xffa00c00, 0x1e200400, 0x00100200],   // conditional compare
  [0xffa00c00, 0x1e200c00, 0x00100210],   // conditional select
  [0xffa01fe0, 0x1e201000, 0x00000010],   // immediate
  [0x7f20fc00, 0x1e200000, 0x00000210],   // FP <-> integer, FMOV (general)
  [0x7f20fc00, 0x1e200000, 0x00000210],
  [0x7f200000, 0x1e000000, 0x00000210],   // FP <-> fixed-point
  // Advanced SIMD
  [0x9fe08400, 0x0e000400, 0x00000210],   // copy
  [0xdfe08400, 0x5e000400, 0x00000210],   // scalar copy
  [0x9ff80400, 0x0f000400, 0x00000010],   // modified immediate
  [0x9f200400, 0x0e200400, 0x00100210],   // three same
  [0x9f200400, 0x0e200400, 0x00100210],
  [0x9f3e0c00, 0x0e200800, 0x00000210],   // two-register misc
  [0x9f3e0c00, 0x0e300800, 0x00000210],   // across lanes
  [0x9f800400, 0x0f000400, 0x00000210],   // shift by immediate
  [0xbf208c00, 0x0e000800, 0x00100210],   // permute
  [0xbfe08400, 0x2e000000, 0x00100210],   // extract
  [0xbf208c00, 0x0e000000, 0x00100210],   // table lookup
  [0xdf200400, 0x5e200400, 0x00100210],   // scalar three same
  [0xdf3e0c00, 0x5e200800, 0x00000210],   // scalar two-register misc
  [0xdf3e0c00, 0x5e300800, 0x00000210],   // scalar pairwise
  [0xdf800400, 0x5f000400, 0x00000210],   // scalar shift by immediate
  [0x9f200c00, 0x0e200000, 0x00100210],   // three different
  [0xdf200c00, 0x5e200000, 0x00100210],   // scalar three different
  [0x9f000400, 0x0f000000, 0x00100210],   // vector x indexed element (Vm = M:Rm limited to 0..15)
  [0xdf000400, 0x5f000000, 0x00100210],   // scalar x indexed element
  [0x9f208400, 0x0e008400, 0x00100210],   // three same extra (RDM, DotProd: UNDEFINED on cortex-a57)
];

function have(tool: string): boolean {
  try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }); return true; } catch { return false; }
}

/** A random double's bits [lo, hi] biased toward the cases that matter for rounding and NaNs. */
function randDouble(next: () => number): [number, number] {
  const sign = (next() & 1) << 31;
  const m20 = next() & 0xfffff, m32 = next();
  switch (next() % 16) {
    case 0: return [0, sign];                                                  // ±0
    case 1: return [0, (sign | 0x7ff00000) >>> 0];                              // ±inf
    case 2: return [m32, (sign | 0x7ff80000 | (m20 & 0x7ffff)) >>> 0];          // qNaN
    case 3: return [m32 | 1, (sign | 0x7ff00000 | (m20 & 0x7ffff)) >>> 0];      // sNaN
    case 4: return [m32, (sign | (m20 >>> (next() % 20))) >>> 0];               // denormal
    case 5: return [m32, (sign | ((1 + next() % 60) << 20) | m20) >>> 0];       // near underflow
    case 6: return [m32, (sign | ((0x7fe - next() % 8) << 20) | m20) >>> 0];    // near overflow
    case 7: case 8: {
      // Short significand (exact ties after arithmetic), exponent near 1.0
      const e = 1023 - 8 + next() % 16, k = next() % 30;
      return [0, (sign | (e << 20) | ((m20 >>> k) << k)) >>> 0];
    }
    case 9: {
      // Integers and halves (conversions, FRINT): +-n or +-n.5, n < 2^40
      const x = (next() % 2 ? next() % 1000 : next() * (1 + next() % 256)) + (next() % 2) * 0.5;
      const f = new Float64Array([sign ? -x : x]), w = new Uint32Array(f.buffer);
      return [w[0], w[1]];
    }
    case 10: {
      // Near the integer limits: 2^31, 2^32, 2^63, 2^64 (± an ulp or so)
      const e = [1023 + 31, 1023 + 32, 1023 + 63, 1023 + 64, 1023 + 30, 1023 + 62][next() % 6];
      const small = next() % 3;
      return small === 0 ? [0, (sign | (e << 20)) >>> 0] : small === 1 ? [0xffffffff, (sign | ((e - 1) << 20) | 0xfffff) >>> 0] : [1, (sign | (e << 20)) >>> 0];
    }
    case 11: case 12: {
      // j-bit significand (j = 1..53) over a wide exponent range: sums and products that
      // land exactly on (or next to) a rounding midpoint
      const j = 1 + next() % 53, drop = 53 - j, e = 1023 - 70 + next() % 140;
      const lo = drop >= 32 ? 0 : ((m32 >>> drop) << drop) >>> 0;
      const hi = drop > 32 ? (m20 >>> (drop - 32)) << (drop - 32) : m20;
      return [lo, (sign | (e << 20) | hi) >>> 0];
    }
    default: return [m32, (sign | ((1023 - 20 + next() % 40) << 20) | m20) >>> 0];  // moderate
  }
}

/** A random single's bits, biased like randDouble. */
function randSingle(next: () => number): number {
  const sign = (next() & 1) << 31, m = next() & 0x7fffff;
  switch (next() % 16) {
    case 0: return sign >>> 0;
    case 1: return (sign | 0x7f800000) >>> 0;
    case 2: return (sign | 0x7fc00000 | (m & 0x3fffff)) >>> 0;
    case 3: return (sign | 0x7f800000 | (m & 0x3fffff) | 1) >>> 0;
    case 4: return (sign | (m >>> (next() % 20))) >>> 0;
    case 5: return (sign | ((1 + next() % 30) << 23) | m) >>> 0;
    case 6: return (sign | ((0xfe - next() % 8) << 23) | m) >>> 0;
    case 7: case 8: { const e = 127 - 6 + next() % 12, k = next() % 20; return (sign | (e << 23) | ((m >>> k) << k)) >>> 0; }
    case 9: {
      const x = (next() % 2 ? next() % 1000 : next() % 100000000) + (next() % 2) * 0.5;
      return new Uint32Array(new Float32Array([sign ? -x : x]).buffer)[0];
    }
    case 10: {
      const e = [127 + 31, 127 + 32, 127 + 63, 127 + 64, 127 + 30][next() % 5];
      return (sign | (e << 23) | (next() % 2 ? 0 : 1)) >>> 0;
    }
    case 11: case 12: { const drop = next() % 24, e = 127 - 40 + next() % 80; return (sign | (e << 23) | ((m >>> drop) << drop)) >>> 0; }
    default: return (sign | ((127 - 10 + next() % 20) << 23) | m) >>> 0;
  }
}

function randHalf(next: () => number): number {
  const sign = (next() & 1) << 15, m = next() & 0x3ff;
  switch (next() % 8) {
    case 0: return sign;
    case 1: return sign | 0x7c00;
    case 2: return sign | 0x7e00 | (m & 0x1ff);
    case 3: return sign | 0x7c00 | (m & 0x1ff) | 1;
    case 4: return sign | m;
    default: return sign | ((1 + next() % 30) << 10) | m;
  }
}

/** Random 128-bit vector as four words. */
function randVector(next: () => number): number[] {
  switch (next() % 5) {
    case 0: { const a = randDouble(next), b = randDouble(next); return [a[0], a[1], b[0], b[1]]; }
    case 1: return [randSingle(next), randSingle(next), randSingle(next), randSingle(next)];
    case 2: return [(randHalf(next) | (randHalf(next) << 16)) >>> 0, next(), next(), next()];
    case 3: {
      // Small bytes and halfwords (integer compares, table indices, equal lanes)
      const w = (): number => ((next() & 0x1f1f1f1f) | (next() % 4 === 0 ? 0x80808080 : 0)) >>> 0;
      return [w(), w(), w(), w()];
    }
    default: return [next(), next(), next(), next()];
  }
}

/**
 * For FMADD & co.: sets Ra to about -(Rn * Rm) (the product rounded, maybe nudged by an ulp),
 * so that the exact result is the product's rounding error, the case a fused implementation
 * built from one multiply and one add gets wrong.
 */
function craftCancellation(word: number, v: number[], next: () => number): void {
  const n = (word >>> 5) & 31, m = (word >>> 16) & 31, a = (word >>> 10) & 31, dbl = (word >>> 22) & 1;
  const f64 = new Float64Array(1), w = new Uint32Array(f64.buffer), f32 = new Float32Array(w.buffer, 0, 1);
  if (dbl) {
    w[0] = v[4 * n]; w[1] = v[4 * n + 1]; const x = f64[0];
    w[0] = v[4 * m]; w[1] = v[4 * m + 1]; const y = f64[0];
    f64[0] = -(x * y) * (next() % 2 ? 1 : -1);
    if (next() % 3 === 0) w[0] = (w[0] + (next() % 3) - 1) >>> 0;
    v[4 * a] = w[0]; v[4 * a + 1] = w[1];
  } else {
    w[0] = v[4 * n]; const x = f32[0];
    w[0] = v[4 * m]; const y = f32[0];
    f32[0] = -(x * y) * (next() % 2 ? 1 : -1);
    if (next() % 3 === 0) w[0] = (w[0] + (next() % 3) - 1) >>> 0;
    v[4 * a] = w[0];
  }
}

interface SimdCase { word: number; v: number[]; x: bigint[]; fpcr: number; nzcv: number }

describe('SIMD&FP: random differential test against QEMU', function () {
  this.timeout(240_000);
  before(function () {
    const missing = ['aarch64-linux-gnu-as', 'aarch64-linux-gnu-ld', 'qemu-system-aarch64'].filter((t) => !have(t));
    if (missing.length) {
      if (process.env.CI === 'true') throw new Error(`CI=true and missing: ${missing.join(', ')}`);
      console.log(`      (skipped: ${missing.join(', ')} not installed)`);
      this.skip();
    }
  });

  it(`${CASES} random SIMD&FP instructions agree with QEMU (V0-V15, X0-X15, FPSR, NZCV)`, () => {
    const next = rng(0x51d0f9);
    const cases: SimdCase[] = [];
    while (cases.length < CASES) {
      const [mask, value, regs] = TEMPLATES[next() % TEMPLATES.length];
      const word = ((value | (next() & ~mask)) & ~regs) >>> 0;
      if (isUndefined(word)) continue;
      const v: number[] = [];
      for (let r = 0; r < 16; r++) v.push(...randVector(next));
      const x = Array.from({ length: 16 }, () => randOperand(next));
      // FPCR: RMode, FZ, DN random (each set 1/4 of the time; RMode nonzero 1/2).
      const fpcr = ((next() % 2 ? (next() % 4) << 22 : 0) | (next() % 4 === 0 ? 1 << 24 : 0) | (next() % 4 === 0 ? 1 << 25 : 0)) >>> 0;
      if ((word & 0xff000000) === 0x1f000000 && next() % 2) craftCancellation(word, v, next);
      cases.push({ word, v, x, fpcr, nzcv: next() & 15 });
    }

    const dir = mkdtempSync(join(tmpdir(), 'simd-qemu-'));
    try {
      const inBuf = Buffer.alloc(CASES * IN);
      cases.forEach((c, i) => {
        const o = i * IN;
        c.v.forEach((w, k) => inBuf.writeUInt32LE(w >>> 0, o + 4 * k));
        c.x.forEach((xv, k) => inBuf.writeBigUInt64LE(xv, o + 256 + 8 * k));
        inBuf.writeBigUInt64LE(BigInt(c.fpcr), o + 384);
        inBuf.writeBigUInt64LE(BigInt(c.nzcv) << 28n, o + 392);
      });
      writeFileSync(join(dir, 'in.bin'), inBuf);
      const out = join(dir, 'out.bin');
      const lines: string[] = [
        '.text', '.global _start', '_start:',
        'mov x0, #0x33ff', 'msr cptr_el2, x0', 'adr x0, vectors', 'msr vbar_el2, x0', 'isb',
        'ldr x28, =inputs', 'ldr x27, =results', 'b cases', '.ltorg',
        // Any exception: record ESR_EL2 in x18 and skip the instruction.
        '.balign 2048', 'vectors:',
        ...[0, 0x200].flatMap((off) => [`.org vectors + ${off}`, 'mrs x18, esr_el2', 'mrs x17, elr_el2', 'add x17, x17, #4', 'msr elr_el2, x17', 'eret']),
        '.org vectors + 0x800', 'cases:',
      ];
      cases.forEach(({ word }) => {
        lines.push(
          'ld1 {v0.16b-v3.16b}, [x28], #64', 'ld1 {v4.16b-v7.16b}, [x28], #64',
          'ld1 {v8.16b-v11.16b}, [x28], #64', 'ld1 {v12.16b-v15.16b}, [x28], #64',
          'ldr x16, [x28, #128]', 'msr fpcr, x16', 'ldr x16, [x28, #136]', 'msr nzcv, x16', 'msr fpsr, xzr', 'mov x18, xzr',
        );
        for (let r = 0; r < 16; r += 2) lines.push(`ldp x${r}, x${r + 1}, [x28, #${r * 8}]`);
        lines.push('add x28, x28, #144', `.inst 0x${word.toString(16)}`, 'mrs x16, fpsr', 'mrs x17, nzcv');
        lines.push('st1 {v0.16b-v3.16b}, [x27], #64', 'st1 {v4.16b-v7.16b}, [x27], #64',
          'st1 {v8.16b-v11.16b}, [x27], #64', 'st1 {v12.16b-v15.16b}, [x27], #64');
        for (let r = 0; r < 18; r += 2) lines.push(`stp x${r}, x${r + 1}, [x27, #${r * 8}]`);
        lines.push('str x18, [x27, #144]', 'add x27, x27, #160');
      });
      lines.push(
        'ldr x1, =openblk', 'mov x0, #1', 'hlt #0xf000',
        'ldr x1, =writeblk', 'str x0, [x1]', 'mov x0, #5', 'hlt #0xf000',
        'ldr x1, =exitblk', 'mov x0, #0x18', 'hlt #0xf000', 'b .', '.ltorg',
        '.data', '.balign 8',
        `openblk: .quad fname, 5, ${out.length}`,
        `writeblk: .quad 0, results, ${CASES * OUT}`,
        'exitblk: .quad 0x20026, 0',
        `fname: .asciz "${out}"`,
        '.balign 16', `inputs: .incbin "${join(dir, 'in.bin')}"`,
        '.balign 16', `results: .space ${CASES * OUT}`,
      );
      writeFileSync(join(dir, 'p.s'), lines.join('\n') + '\n');
      execFileSync('aarch64-linux-gnu-as', ['-o', join(dir, 'p.o'), join(dir, 'p.s')]);
      execFileSync('aarch64-linux-gnu-ld', ['-Ttext=0x40000000', '-o', join(dir, 'p.elf'), join(dir, 'p.o')]);
      execFileSync('qemu-system-aarch64', ['-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'cortex-a57', '-nographic',
        '-nic', 'none', '-semihosting', '-kernel', join(dir, 'p.elf')], { timeout: 200_000, stdio: 'ignore' });
      assert.ok(existsSync(out), 'QEMU wrote no results');
      const buf = readFileSync(out);
      assert.equal(buf.length, CASES * OUT);

      const board = new TestBoard();
      const pe = board.reset(2);
      pe.sys[pe.slotCPTR_EL2 * 2] = 0x33ff;
      const FPCR = requiredSlot('FPCR') * 2, FPSR = requiredSlot('FPSR') * 2;
      let mismatches = 0;
      const report: string[] = [];
      const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
      cases.forEach((c, i) => {
        for (let k = 0; k < 128; k++) pe.v[k] = 0;
        c.v.forEach((w, k) => { pe.v[k] = w; });
        c.x.forEach((xv, k) => { pe.x[2 * k] = Number(xv & 0xffffffffn); pe.x[2 * k + 1] = Number(xv >> 32n); });
        pe.sys[FPCR] = c.fpcr;
        pe.sys[FPSR] = 0;
        setNzcv(pe, c.nzcv);
        const before = pe.exceptions;
        pe.pcLo = 0x40000000; pe.pcHi = 0; pe.el = 2;
        decode(c.word)(pe);
        const o = i * OUT;
        const diffs: string[] = [];
        for (let k = 0; k < 64; k++) {
          const q = buf.readUInt32LE(o + 4 * k);
          if (q !== pe.v[k]) diffs.push(`V${k >> 2}[w${k & 3}] qemu ${hex(q)} sim ${hex(pe.v[k])}`);
        }
        for (let k = 0; k < 32; k++) {
          const q = buf.readUInt32LE(o + 256 + 4 * k);
          if (q !== pe.x[k]) diffs.push(`X${k >> 1}.${k & 1 ? 'hi' : 'lo'} qemu ${hex(q)} sim ${hex(pe.x[k])}`);
        }
        const qFpsr = buf.readUInt32LE(o + 384), qNzcv = buf.readUInt32LE(o + 392) >>> 28, qEsr = buf.readUInt32LE(o + 400);
        if (qFpsr !== pe.sys[FPSR]) diffs.push(`FPSR qemu ${hex(qFpsr)} sim ${hex(pe.sys[FPSR])}`);
        if (qNzcv !== nzcv(pe)) diffs.push(`NZCV qemu ${qNzcv} sim ${nzcv(pe)}`);
        if ((qEsr !== 0) !== (pe.exceptions !== before)) diffs.push(`exception: qemu ESR ${hex(qEsr)}, sim ${pe.exceptions !== before ? 'took one' : 'none'}`);
        if (diffs.length) {
          mismatches++;
          if (report.length < 12) {
            const ins = [0, 1, 2, 3].map((r) => `V${r}=${[3, 2, 1, 0].map((k) => hex(c.v[4 * r + k])).join('_')}`).join(' ');
            report.push(`word 0x${hex(c.word)} fpcr ${hex(c.fpcr)} nzcv ${c.nzcv} ${ins}: ${diffs.slice(0, 4).join('; ')}`);
          }
        }
      });
      assert.equal(mismatches, 0, `${mismatches} of ${CASES} differ:\n${report.join('\n')}`);
    } finally {
      if (!process.env.SIMD_QEMU_KEEP) rmSync(dir, { recursive: true, force: true });
    }
  });
});
