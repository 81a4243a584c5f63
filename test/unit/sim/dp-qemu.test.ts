// Cross-checks the BigInt reference model (dp-ref.ts), and through it the simulator, against
// QEMU: random data-processing words with random register contents, SP and NZCV are run as one
// bare-metal guest at EL2 on `qemu-system-aarch64 -M virt -cpu cortex-a57`, which writes every
// resulting register file to a host file through semihosting (SYS_OPEN/SYS_WRITE). Each result
// must equal the reference and the simulator. Skipped when the GNU toolchain or QEMU is absent.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from '../../../src/sim/decode';
import { refExec, type RefState } from './dp-ref';
import { TestBoard, getX, isUndefined, nzcv, randOperand, rng, setNzcv, setX } from './harness';

const CASES = 4000;
const RECORD = 34 * 8;   // X0..X30, SP, NZCV, pad

/** Templates as in dp-diff (PC-rel. addressing is left out: its result depends on where QEMU runs it). */
const TEMPLATES: [number, number][] = [
  [0x1f800000, 0x11000000], [0x1f800000, 0x12000000], [0x1f800000, 0x12800000], [0x1f800000, 0x13000000],
  [0xffc00000, 0x93400000], [0xffc00000, 0xb3400000], [0xffc00000, 0xd3400000], [0xffe08000, 0x13000000],
  [0xffe08000, 0x33000000], [0xffe08000, 0x53000000], [0xffe00000, 0x93c00000], [0xffe08000, 0x13800000],
  [0x1f000000, 0x0a000000], [0x1f200000, 0x0b000000], [0x1fe01000, 0x0b200000], [0x1fe0fc00, 0x1a000000],
  [0x3fe00410, 0x3a400000], [0x3fe00800, 0x1a800000], [0x7fe0f800, 0x1ac00800], [0x7fe0f000, 0x1ac02000],
  [0x7fe0e000, 0x1ac04000], [0x7fffe000, 0x5ac00000], [0x7f000000, 0x1b000000],
];

function have(tool: string): boolean {
  try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }); return true; } catch { return false; }
}

describe('integer data processing: QEMU cross-check of the reference model', function () {
  this.timeout(180_000);
  before(function () {
    if (!have('aarch64-linux-gnu-as') || !have('aarch64-linux-gnu-ld') || !have('qemu-system-aarch64')) this.skip();
  });

  it(`${CASES} random instructions give the same registers, SP and NZCV as QEMU`, () => {
    const next = rng(0xc0ffee);
    const cases: { word: number; st: RefState }[] = [];
    while (cases.length < CASES) {
      const [mask, value] = TEMPLATES[next() % TEMPLATES.length];
      const word = (value | (next() & ~mask)) >>> 0;
      const st: RefState = { x: Array.from({ length: 31 }, () => randOperand(next)), sp: randOperand(next) & ~15n, nzcv: next() & 15, pc: 0n };
      if (refExec(word, st) === 'UNDEF' || isUndefined(word)) continue;
      cases.push({ word, st });
    }

    const dir = mkdtempSync(join(tmpdir(), 'dp-qemu-'));
    try {
      const out = join(dir, 'out.bin');
      const hex = (v: bigint): string => '0x' + v.toString(16);
      const lines: string[] = ['.text', '.global _start', '_start:'];
      cases.forEach(({ word, st }, i) => {
        lines.push(`ldr x0, =${hex(BigInt(st.nzcv) << 28n)}`, 'msr nzcv, x0', `ldr x0, =${hex(st.sp)}`, 'mov sp, x0');
        for (let r = 30; r >= 0; r--) lines.push(`ldr x${r}, =${hex(st.x[r])}`);
        lines.push(`.inst ${hex(BigInt(word))}`);
        lines.push('msr tpidr_el2, x0', 'mrs x0, nzcv', 'msr tpidr_el1, x0', 'mov x0, sp', 'msr tpidrro_el0, x0');
        lines.push(`ldr x0, =results + ${i * RECORD}`);
        for (let r = 1; r < 31; r += 2) lines.push(r === 29 ? 'stp x29, x30, [x0, #232]' : `stp x${r}, x${r + 1}, [x0, #${r * 8}]`);
        lines.push('mrs x1, tpidr_el2', 'str x1, [x0]', 'mrs x1, tpidrro_el0', 'str x1, [x0, #248]', 'mrs x1, tpidr_el1', 'str x1, [x0, #256]');
        lines.push(`b 1f`, '.ltorg', '1:');
      });
      lines.push(
        'ldr x1, =openblk', 'mov x0, #1', 'hlt #0xf000',
        'ldr x1, =writeblk', 'str x0, [x1]', 'mov x0, #5', 'hlt #0xf000',
        'ldr x1, =exitblk', 'mov x0, #0x18', 'hlt #0xf000', 'b .', '.ltorg',
        '.data', '.balign 8',
        `openblk: .quad fname, 5, ${out.length}`,
        `writeblk: .quad 0, results, ${CASES * RECORD}`,
        'exitblk: .quad 0x20026, 0',
        `fname: .asciz "${out}"`,
        '.balign 16', `results: .space ${CASES * RECORD}`,
      );
      writeFileSync(join(dir, 'p.s'), lines.join('\n') + '\n');
      execFileSync('aarch64-linux-gnu-as', ['-march=armv8-a+crc', '-o', join(dir, 'p.o'), join(dir, 'p.s')]);
      execFileSync('aarch64-linux-gnu-ld', ['-Ttext=0x40000000', '-o', join(dir, 'p.elf'), join(dir, 'p.o')]);
      execFileSync('qemu-system-aarch64', ['-M', 'virt,virtualization=on,gic-version=3', '-cpu', 'cortex-a57', '-nographic',
        '-nic', 'none', '-semihosting', '-kernel', join(dir, 'p.elf')], { timeout: 120_000, stdio: 'ignore' });
      assert.ok(existsSync(out), 'QEMU wrote no results');
      const buf = readFileSync(out);
      assert.equal(buf.length, CASES * RECORD);

      const board = new TestBoard();
      const pe = board.reset(2);
      let mismatches = 0;
      const report: string[] = [];
      cases.forEach(({ word, st }, i) => {
        const q = (k: number): bigint => buf.readBigUInt64LE(i * RECORD + k * 8);
        const qemu = { x: Array.from({ length: 31 }, (_, r) => q(r)), sp: q(31), nzcv: Number(q(32) >> 28n) & 15 };
        const ref = refExec(word, st) as RefState;
        for (let r = 0; r < 31; r++) setX(pe, r, st.x[r]);
        setX(pe, 32, st.sp);
        setNzcv(pe, st.nzcv);
        decode(word)(pe);
        const sim = { x: Array.from({ length: 31 }, (_, r) => getX(pe, r)), sp: getX(pe, 32), nzcv: nzcv(pe) };
        const same = (a: typeof sim, b: { x: bigint[]; sp: bigint; nzcv: number }): boolean =>
          a.sp === b.sp && a.nzcv === b.nzcv && a.x.every((v, r) => v === b.x[r]);
        if (!same(qemu, ref) || !same(sim, qemu)) {
          mismatches++;
          if (report.length < 5) {
            const diff = qemu.x.map((v, r) => (v !== ref.x[r] || v !== sim.x[r] ? `X${r}: qemu ${hex(v)} ref ${hex(ref.x[r])} sim ${hex(sim.x[r])}` : '')).filter(Boolean);
            report.push(`word ${hex(BigInt(word))}: ${diff.join('; ')} SP qemu ${hex(qemu.sp)} ref ${hex(ref.sp)} sim ${hex(sim.sp)} NZCV qemu ${qemu.nzcv} ref ${ref.nzcv} sim ${sim.nzcv}`);
          }
        }
      });
      assert.equal(mismatches, 0, report.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
