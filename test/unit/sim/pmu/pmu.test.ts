// PMUv3 (src/sim/pmu/pmu.ts) executed by guest code: event and cycle counters against a
// reference that steps the same program one instruction at a time, SW_INCR, overflow through the
// GIC to an IRQ handler (PPI 23), MDCR_EL2.HPMN partitioning, MDCR_EL2.TPM/TPMCR traps and the
// PMUSERENR_EL0 traps with their exact ESRs, and snapshot/restore of the counters.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Machine, type MachineOptions } from '../../../../src/sim/machine';
import { loadProgram } from '../../../../src/asm/program';
import { TestBoard, getX } from '../harness';
import { ARMV81_VHE, type CpuModel } from '../../../../src/sim/cpu-model';
import { PMCEID0, PMU_PPI, pmuSnapshot } from '../../../../src/sim/pmu/pmu';
import type { PE } from '../../../../src/sim/pe';

let dir: string;
before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-pmu-')); });

/** Assembles `source` and boots it on a fresh machine; returns the machine and the symbols. */
function boot(source: string, opts: MachineOptions = {}): { m: Machine; sym: (n: string) => number } {
  const file = path.join(dir, `p${Math.random().toString(36).slice(2)}.s`);
  fs.writeFileSync(file, source);
  const p = loadProgram(file);
  const m = new Machine({ output: () => undefined, ...opts });
  m.load(p.segments, p.entry);
  return { m, sym: (n) => { const s = p.symbols.find((x) => x.name === n); if (!s) throw new Error(`no symbol ${n}`); return s.value; } };
}

const EXIT = `
        mov     x0, #0x18
        ldr     x1, =0x20026
        hlt     #0xf000
`;

// ---------------------------------------------------------------- exact counting

// Counters: 0 INST_RETIRED at EL1 only, 1 INST_RETIRED at EL2 only, 2 INST_RETIRED at EL0 only,
// 3 EXC_TAKEN at all ELs, 4 EXC_RETURN at all ELs, 5 CPU_CYCLES at EL0+EL1; PMCCNTR at all ELs.
// The program goes EL2 → EL1 (SVC, HVC, an UNDEFINED instruction, a trapped MRS) → EL0 (SVC) →
// back to EL2 via HVC #0xff, where it stops the counters and reads them into X20–X27.
const COUNTING = `
        .text
        .global _start
_start:
        adr     x0, el2_vectors
        msr     vbar_el2, x0
        adr     x0, el1_vectors
        msr     vbar_el1, x0
        mov     x0, #(1 << 31)
        orr     x0, x0, #(1 << 18)          // HCR_EL2.RW, TID3
        msr     hcr_el2, x0
        ldr     x0, =0x40000008
        msr     pmevtyper0_el0, x0
        ldr     x0, =0xc8000008
        msr     pmevtyper1_el0, x0
        ldr     x0, =0x80000008
        msr     pmevtyper2_el0, x0
        ldr     x0, =0x08000009
        msr     pmevtyper3_el0, x0
        ldr     x0, =0x0800000a
        msr     pmevtyper4_el0, x0
        mov     x0, #0x11
        msr     pmevtyper5_el0, x0
        mov     x0, #(1 << 27)
        msr     pmccfiltr_el0, x0
        ldr     x0, =0x8000003f
        msr     pmcntenset_el0, x0
        mov     x0, #1
start_window:
        msr     pmcr_el0, x0
        mov     x0, #0x3c5
        msr     spsr_el2, x0
        adr     x0, el1
        msr     elr_el2, x0
        eret
el1:
        mov     x1, #10
1:      subs    x1, x1, #1
        b.ne    1b
        svc     #1
        hvc     #2
        .inst   0x00000000                  // UDF #0: UNDEFINED
        mrs     x2, id_aa64pfr0_el1         // trapped to EL2 by TID3
        mov     x0, #0
        msr     spsr_el1, x0
        adr     x0, el0
        msr     elr_el1, x0
        eret
el0:
        nop
        nop
        svc     #3
        b       .

        .balign 0x800
el1_vectors:
        .space  0x200
        // current EL (SVC #1 or the UNDEFINED instruction)
        mrs     x3, esr_el1
        lsr     x3, x3, #26
        cbnz    x3, 2f
        mrs     x3, elr_el1
        add     x3, x3, #4
        msr     elr_el1, x3
2:      eret
        .balign 0x200
        // lower EL (SVC #3 from EL0): back to EL2 for good
        hvc     #0xff

        .balign 0x800
el2_vectors:
        .space  0x400
        // lower EL synchronous: HVC #0xff ends the test, anything else (HVC #2, the TID3 trap) returns
        mrs     x4, esr_el2
        and     x5, x4, #0xffff
        cmp     x5, #0xff
        b.eq    done
        lsr     x4, x4, #26
        cmp     x4, #0x18
        b.ne    3f
        mrs     x4, elr_el2
        add     x4, x4, #4
        msr     elr_el2, x4
3:      eret
done:
        msr     pmcr_el0, xzr
        mrs     x20, pmevcntr0_el0
        mrs     x21, pmevcntr1_el0
        mrs     x22, pmevcntr2_el0
        mrs     x23, pmevcntr3_el0
        mrs     x24, pmevcntr4_el0
        mrs     x25, pmevcntr5_el0
        mrs     x27, pmccntr_el0
${EXIT}
`;

const ERET = 0xd69f03e0;
/** SVC, HVC, SMC: exception-generating instructions, architecturally executed (ELR = next instruction). */
const isCall = (w: number): boolean => ((w & 0xffe0001c) >>> 0) === 0xd4000000 && (w & 3) !== 0;

/** Steps the program one instruction at a time and counts, per EL, what the counters should. */
function reference(startPc: number, endPc: number): { retired: number[]; exc: number[]; eret: number[]; cycles: number[]; steps: number } {
  const { m } = boot(COUNTING);
  const pe = m.pes[0];
  const r = { retired: [0, 0, 0], exc: [0, 0, 0], eret: [0, 0, 0], cycles: [0, 0, 0], steps: 0 };
  let inWindow = false;
  for (let i = 0; i < 10_000; i++) {
    if (pe.pc === startPc) inWindow = true;
    if (pe.pc === endPc) return r;
    const el = pe.el, word = pe.peekInsn(), exc = pe.exceptions;
    m.stepInstruction(pe);
    if (!inWindow) continue;
    r.steps++;
    const took = pe.exceptions !== exc;
    if (!took || isCall(word)) r.retired[el]++;   // a faulting or trapped instruction does not retire
    if (took) r.exc[el]++;
    if (word === ERET) r.eret[el]++;
    r.cycles[pe.el]++;                              // an EL-changing step's cycle counts at the new EL
  }
  throw new Error('the reference run did not reach done');
}

describe('PMUv3 counting', () => {
  it('event counters (INST_RETIRED per EL, EXC_TAKEN, EXC_RETURN, CPU_CYCLES) and PMCCNTR match a stepped reference', () => {
    const { m, sym } = boot(COUNTING);
    const res = m.run(100_000);
    assert.equal(res.reason, 'exit');
    const pe = m.pes[0];
    const ref = reference(sym('start_window'), sym('done'));
    const x = (n: number): number => Number(getX(pe, n));
    assert.ok(ref.retired[0] > 0 && ref.retired[1] > 10 && ref.retired[2] > 10, 'the program runs at every EL');
    assert.ok(ref.exc[1] >= 4 && ref.exc[0] >= 1, 'exceptions from EL1 and EL0');
    assert.equal(x(20), ref.retired[1], 'INST_RETIRED at EL1');
    assert.equal(x(21), ref.retired[2], 'INST_RETIRED at EL2');
    assert.equal(x(22), ref.retired[0], 'INST_RETIRED at EL0');
    assert.equal(x(23), ref.exc[0] + ref.exc[1] + ref.exc[2], 'EXC_TAKEN');
    assert.equal(x(24), ref.eret[0] + ref.eret[1] + ref.eret[2], 'EXC_RETURN');
    assert.equal(x(25), ref.cycles[0] + ref.cycles[1], 'CPU_CYCLES at EL0+EL1');
    assert.equal(x(27), ref.steps, 'PMCCNTR at every EL: one cycle per step without a cost model');
  });

  it('PMCCNTR counts pe.now() (cost model charges included) and INST_RETIRED counts pe.instret between two reads', () => {
    const src = `
        .text
        .global _start
_start:
        mov     x0, #0x11
        ldr     x1, =0x08000008
        msr     pmevtyper0_el0, x1
        mov     x0, #(1 << 27)
        msr     pmccfiltr_el0, x0
        ldr     x0, =0x80000001
        msr     pmcntenset_el0, x0
        mov     x0, #1
        msr     pmcr_el0, x0
a:      mrs     x10, pmccntr_el0
        mrs     x11, pmevcntr0_el0
        mov     x1, #100
1:      ldr     x2, [sp, #-16]!
        add     sp, sp, #16
        subs    x1, x1, #1
        b.ne    1b
b:      mrs     x12, pmccntr_el0
        mrs     x13, pmevcntr0_el0
${EXIT}
`;
    for (const cost of [false, true]) {
      const { m, sym } = boot(src.replace('_start:', '_start:\n        ldr x0, =0x40800000\n        mov sp, x0'), cost ? { cost: 'xgene-gicv2' } : {});
      const pe = m.pes[0];
      // Run to `a`, note time and instructions, run to `b`, compare with the counter deltas.
      let guard = 0;
      while (pe.pc !== sym('a') && guard++ < 1000) m.stepInstruction(pe);
      const t0 = pe.now(), i0 = pe.instret;
      while (pe.pc !== sym('b') && guard++ < 10_000) m.stepInstruction(pe);
      const t1 = pe.now(), i1 = pe.instret;
      m.stepInstruction(pe); m.stepInstruction(pe);
      const dc = Number(getX(pe, 12) - getX(pe, 10)), di = Number(getX(pe, 13) - getX(pe, 11));
      assert.equal(di, i1 - i0, 'INST_RETIRED delta = instret delta');
      assert.equal(dc, t1 - t0, `PMCCNTR delta = cycles delta (cost model ${cost})`);
      if (cost) assert.ok(dc > di, 'the cost model charges more than a cycle per instruction somewhere');
      else assert.equal(dc, di);
    }
  });

});

// ---------------------------------------------------------------- overflow interrupt

const OVERFLOW = `
        .text
        .global _start
_start:
        adr     x0, vectors
        msr     vbar_el1, x0
        ldr     x1, =0x08000000             // GICD_CTLR: EnableGrp1NS
        mov     w2, #2
        str     w2, [x1]
        ldr     x1, =0x080b0000             // GICR SGI frame: IGROUPR0 and ISENABLER0 for PPI 23
        mov     w2, #(1 << 23)
        str     w2, [x1, #0x80]
        str     w2, [x1, #0x100]
        mov     x0, #0xff
        msr     icc_pmr_el1, x0
        mov     x0, #1
        msr     icc_igrpen1_el1, x0
        mov     x0, #8                      // INST_RETIRED at EL0/EL1
        msr     pmevtyper0_el0, x0
        ldr     x0, =0xffffff9c             // 100 instructions to overflow
        msr     pmevcntr0_el0, x0
        mov     x0, #1
        msr     pmintenset_el1, x0
        msr     pmcntenset_el0, x0
        msr     daifclr, #2
        msr     pmcr_el0, x0
        mov     x19, #0
loop:   add     x19, x19, #1
        cbz     x20, loop
        mrs     x22, pmovsset_el0
        mrs     x26, isr_el1
${EXIT}

        .balign 0x800
vectors:
        .space  0x280
        mrs     x21, pmevcntr0_el0          // 0: the IRQ is taken at the overflow
        mrs     x23, icc_iar1_el1
        mrs     x24, pmovsset_el0
        mov     x0, #1
        msr     pmovsclr_el0, x0
        msr     icc_eoir1_el1, x23
        mov     x20, #1
        eret
`;

describe('PMUv3 overflow', () => {
  it('an overflowing counter sets PMOVSSET and delivers INTID 23 through the GIC exactly at the overflow', () => {
    const { m } = boot(OVERFLOW, { entryEL: 1 });
    const r = m.run(100_000);
    assert.equal(r.reason, 'exit');
    const pe = m.pes[0];
    assert.equal(getX(pe, 23), BigInt(PMU_PPI), 'ICC_IAR1_EL1 = 23');
    assert.equal(getX(pe, 21), 0n, 'first handler instruction reads the wrapped counter: no instruction ran after the overflow');
    assert.equal(getX(pe, 24) & 1n, 1n, 'PMOVSSET.P[0] in the handler');
    assert.equal(getX(pe, 22), 0n, 'cleared by PMOVSCLR_EL0');
    assert.equal(getX(pe, 26) & 0x80n, 0n, 'ISR_EL1.I clear: the PPI dropped with the flag');
    assert.ok(getX(pe, 19) > 5n, 'the loop ran until the overflow');
  });

  it('without PMINTENSET the flag is set but no IRQ is raised; with PMCR_EL0.E = 0 nothing counts', () => {
    for (const variant of ['nointen', 'disabled'] as const) {
      let src = OVERFLOW.replace('cbz     x20, loop', 'cmp     x19, #300\n        b.ne    loop');
      if (variant === 'nointen') src = src.replace('msr     pmintenset_el1, x0', 'nop');
      else src = src.replace('msr     pmcr_el0, x0', 'nop');
      const { m } = boot(src, { entryEL: 1 });
      assert.equal(m.run(100_000).reason, 'exit');
      const pe = m.pes[0];
      assert.equal(getX(pe, 23), 0n, `${variant}: no IRQ taken`);
      assert.equal(getX(pe, 22) & 1n, variant === 'nointen' ? 1n : 0n, `${variant}: PMOVSSET`);
    }
  });

  it('a PE in WFI is woken by the cycle counter overflow (the PMU deadline drives fast-forward)', () => {
    const src = OVERFLOW.replace('mov     x0, #8                      // INST_RETIRED at EL0/EL1', 'mov     x0, #0x11')
      .replace('ldr     x0, =0xffffff9c             // 100 instructions to overflow', 'ldr     x0, =0xfff00000')
      .replace('loop:   add     x19, x19, #1', 'loop:   wfi\n        add     x19, x19, #1');
    const { m } = boot(src, { entryEL: 1 });
    assert.equal(m.run(100_000).reason, 'exit');
    const pe = m.pes[0];
    assert.equal(getX(pe, 23), 23n);
    assert.ok(pe.cycles >= 0x100000 && pe.instret < 1000, `slept to the overflow (cycles ${pe.cycles}, instructions ${pe.instret})`);
  });

  it('each PE has its own PMU: an overflow on PE 1 makes PPI 23 pending in PE 1\'s redistributor only', () => {
    const m = new Machine({ cores: 2, output: () => undefined });
    m.resetCpu(0x40000000);
    for (const p of m.pes) { p.reset(0x40000000, 0, 2); p.power = 0; }
    // A two-instruction busy loop (a `b .` with interrupts masked would be reported stuck).
    m.mem.write(0x40000000, 4, 0xd503201f);                    // 1: nop
    m.mem.write(0x40000004, 4, 0x17ffffff);                    //    b 1b
    const pe1 = m.pes[1];
    const w = (pe: PE, e: Enc, v: number): void => {
      pe.x[20] = v >>> 0; pe.x[21] = 0;
      m.mem.write(0x40001000 + pe.id * 0x100, 4, msrW(10, e));
      pe.pcLo = 0x40001000 + pe.id * 0x100; pe.pcHi = 0;
      m.stepInstruction(pe);
      pe.pcLo = 0x40000000;
    };
    w(pe1, [3, 3, 14, 12, 0], 0x08000011);                   // PMEVTYPER0_EL0: CPU_CYCLES, all ELs
    w(pe1, PMEVCNTR(0), 0xffffff00);
    w(pe1, PMINTENSET, 1);
    w(pe1, PMCNTENSET, 1);
    w(pe1, PMCR, 1);
    const ispendr0 = (pe: number): number => m.mem.read(0x080a0000 + pe * 0x20000 + 0x10000 + 0x200, 4, 0);
    assert.equal(ispendr0(1) & (1 << 23), 0);
    m.run(5000);
    assert.ok(m.pes[0].instret > 1000 && pe1.instret > 1000, 'both PEs ran');
    assert.equal(ispendr0(1) & (1 << 23), 1 << 23, 'PE 1: PMU interrupt pending');
    assert.equal(ispendr0(0) & (1 << 23), 0, 'PE 0: nothing');
    assert.deepEqual([pmuSnapshot(m.pes[0]).overflow, pmuSnapshot(pe1).overflow], [0, 1]);
    assert.deepEqual([pmuSnapshot(m.pes[0]).irq, pmuSnapshot(pe1).irq], [false, true]);
  });

  it('snapshot/restore brings the counters back (reverse execution)', () => {
    const { m } = boot(OVERFLOW, { entryEL: 1 });
    m.run(40);
    const s = m.snapshot();
    const d0 = m.digest();
    m.run(100_000);
    const x21 = getX(m.pes[0], 21), x19 = getX(m.pes[0], 19);
    m.restore(s);
    assert.deepEqual(m.digest(), d0);
    m.run(100_000);
    assert.deepEqual([getX(m.pes[0], 21), getX(m.pes[0], 19)], [x21, x19]);
  });
});

// ---------------------------------------------------------------- access control and traps

type Enc = [number, number, number, number, number];
const mrsW = (rt: number, [o0, o1, n, mm, o2]: Enc): number => (0xd5300000 | ((o0 - 2) << 19) | (o1 << 16) | (n << 12) | (mm << 8) | (o2 << 5) | rt) >>> 0;
const msrW = (rt: number, [o0, o1, n, mm, o2]: Enc): number => (0xd5100000 | ((o0 - 2) << 19) | (o1 << 16) | (n << 12) | (mm << 8) | (o2 << 5) | rt) >>> 0;
/** EC 0x18 syndrome, field by field (DDI0487 D17.2.37). */
const esr18 = ([o0, o1, n, mm, o2]: Enc, rt: number, read: boolean): number =>
  ((0x18 << 26) | (1 << 25) | (o0 << 20) | (o2 << 17) | (o1 << 14) | (n << 10) | (rt << 5) | (mm << 1) | (read ? 1 : 0)) >>> 0;

const PMCR: Enc = [3, 3, 9, 12, 0], PMCNTENSET: Enc = [3, 3, 9, 12, 1], PMSWINC: Enc = [3, 3, 9, 12, 4], PMSELR: Enc = [3, 3, 9, 12, 5];
const PMCEID0_E: Enc = [3, 3, 9, 12, 6], PMCCNTR: Enc = [3, 3, 9, 13, 0], PMXEVCNTR: Enc = [3, 3, 9, 13, 2], PMUSERENR: Enc = [3, 3, 9, 14, 0];
const PMINTENSET: Enc = [3, 0, 9, 14, 1];
const PMEVCNTR = (n: number): Enc => [3, 3, 14, 8 + (n >> 3), n & 7];
const MDCR_EL2: Enc = [3, 4, 1, 1, 1];

/** A PE at EL2 on a bare board; `at(el)` runs one instruction at that EL and reports the outcome. */
function bare(model?: CpuModel): { pe: PE; at: (el: number, word: number, x?: number) => { el: number; esr?: number; value?: bigint } } {
  const t = new TestBoard(model);
  const pe = t.reset(2);
  pe.sys[pe.slotHCR_EL2 * 2] = 1 << 31;
  pe.sys[pe.slotVBAR[1] * 2] = 0x40010000;
  pe.sys[pe.slotVBAR[2] * 2] = 0x40020000;
  return {
    pe,
    at: (el, word, x = 0) => {
      pe.setElSp(el, el === 0 ? 0 : 1);
      pe.pcLo = 0x40000000; pe.pcHi = 0;
      pe.x[20] = x >>> 0; pe.x[21] = 0;
      t.code([word]);
      const e0 = pe.exceptions;
      pe.run(1);
      if (pe.exceptions === e0) return { el: pe.el, value: getX(pe, 10) };
      return { el: pe.el, esr: pe.sys[pe.slotESR[pe.el] * 2] };
    },
  };
}

describe('PMUv3 registers, partitioning and traps', () => {

  it('SW_INCR counts PMSWINC_EL0 writes for enabled counters whose filter counts at the current EL; wrapping sets PMOVSSET', () => {
    const { at } = bare();
    const PMEVTYPER = (n: number): Enc => [3, 3, 14, 12 + (n >> 3), n & 7];
    const cnt = (n: number): bigint => at(2, mrsW(10, PMEVCNTR(n))).value!;
    at(2, msrW(10, PMEVTYPER(0)), 0x08000000);   // SW_INCR, NSH: counts at EL2 (and EL1, EL0)
    at(2, msrW(10, PMEVTYPER(1)), 0x08000000);
    at(2, msrW(10, PMEVTYPER(2)), 0x00000000);   // SW_INCR at EL0/EL1 only
    at(2, msrW(10, PMEVTYPER(3)), 0x08000008);   // INST_RETIRED: PMSWINC does not touch it
    at(2, msrW(10, PMCNTENSET), 0b1111);
    at(2, msrW(10, PMCR), 1);
    const c3 = cnt(3);
    for (let i = 0; i < 3; i++) assert.equal(at(2, msrW(10, PMSWINC), 0b1101).esr, undefined);
    assert.deepEqual([cnt(0), cnt(1), cnt(2)], [3n, 0n, 0n], 'EL2: counters 0 (written), 1 (not written), 2 (filtered)');
    assert.equal(cnt(3) - c3, 1n + 3n + 3n, 'counter 3 counted instructions only (its first read, 3 PMSWINC, 3 reads)');
    at(1, msrW(10, PMSWINC), 0b101);
    assert.deepEqual([cnt(0), cnt(2)], [4n, 1n], 'EL1 counts for both');
    at(2, msrW(10, [3, 3, 9, 12, 2]), 0b1);       // PMCNTENCLR_EL0: counter 0 off
    at(2, msrW(10, PMSWINC), 0b1);
    assert.equal(cnt(0), 4n, 'disabled counters do not count');
    at(2, msrW(10, PMEVCNTR(1)), 0xffffffff);
    assert.equal(at(2, mrsW(10, [3, 3, 9, 14, 3])).value! & 2n, 0n);
    at(2, msrW(10, PMSWINC), 0b10);
    assert.equal(cnt(1), 0n, 'wrapped');
    assert.equal(at(2, mrsW(10, [3, 3, 9, 14, 3])).value! & 2n, 2n, 'PMOVSSET_EL0.P[1]');
  });
  it('PMCR_EL0 reads IMP 0x41, IDCODE 0x01, N = 6 (Cortex-A57); PMCEID0_EL0 lists exactly the counted events', () => {
    const { at } = bare();
    assert.equal(at(2, mrsW(10, PMCR)).value, 0x41013000n);
    assert.equal(at(2, mrsW(10, PMCEID0_E)).value, BigInt(PMCEID0));
    assert.equal(PMCEID0, 0x20701, 'SW_INCR, INST_RETIRED, EXC_TAKEN, EXC_RETURN, CPU_CYCLES');
    assert.equal(at(2, mrsW(10, PMEVCNTR(5))).value, 0n, 'counter 5 exists');
    // Counter 6 is beyond N: not in the table at all, so UNDEFINED.
    assert.deepEqual(at(2, mrsW(10, PMEVCNTR(6))), { el: 2, esr: 0x02000000 });
  });

  it('PMUv3p1 (armv8.1-vhe): 16-bit evtCount and MDCR_EL2.HPMD prohibiting EL2 counting below HPMN; PMUv3 keeps 10 bits', () => {
    const PMEVTYPER0: Enc = [3, 3, 14, 12, 0];
    const a57 = bare();
    a57.at(2, msrW(10, PMEVTYPER0), 0xffffffff);
    assert.equal(a57.at(2, mrsW(10, PMEVTYPER0)).value, 0xc80003ffn, 'P, U, NSH and evtCount[9:0]; NSK/NSU/M/MT are RES0 without EL3');
    const { at } = bare(ARMV81_VHE);
    at(2, msrW(10, PMEVTYPER0), 0xffffffff);
    assert.equal(at(2, mrsW(10, PMEVTYPER0)).value, 0xc800ffffn);
    // Counters 0 (< HPMN) and 5 (>= HPMN, with HPME) count CPU_CYCLES at EL2; HPMD stops only counter 0.
    at(2, msrW(10, PMEVTYPER0), 0x08000011);
    at(2, msrW(10, [3, 3, 14, 12, 5]), 0x08000011);
    at(2, msrW(10, PMCNTENSET), 0x80000021);
    at(2, msrW(10, [3, 3, 14, 15, 7]), 0x08000000);           // PMCCFILTR_EL0: count at EL2
    at(2, msrW(10, MDCR_EL2), 5 | (1 << 7) | (1 << 17));      // HPMN 5, HPME, HPMD
    at(2, msrW(10, PMCR), 1);
    const before = [at(2, mrsW(10, PMEVCNTR(0))).value!, at(2, mrsW(10, PMEVCNTR(5))).value!, at(2, mrsW(10, PMCCNTR)).value!];
    for (let i = 0; i < 10; i++) at(2, 0xd503201f);
    const after = [at(2, mrsW(10, PMEVCNTR(0))).value!, at(2, mrsW(10, PMEVCNTR(5))).value!, at(2, mrsW(10, PMCCNTR)).value!];
    assert.equal(after[0], before[0], 'HPMD: counter 0 does not count at EL2');
    assert.ok(after[1] - before[1] >= 10n, 'counter 5 (reserved for EL2) still counts');
    assert.ok(after[2] - before[2] >= 10n, 'PMCCNTR counts while PMCR_EL0.DP = 0');
    at(2, msrW(10, PMCR), 1 | 0x20);                            // DP: HPMD now stops the cycle counter too
    const c0 = at(2, mrsW(10, PMCCNTR)).value!;
    for (let i = 0; i < 10; i++) at(2, 0xd503201f);
    assert.equal(at(2, mrsW(10, PMCCNTR)).value, c0, 'with DP, HPMD stops PMCCNTR at EL2');
  });
  it('MDCR_EL2.HPMN partitions the counters: PMCR_EL0.N reads HPMN at EL1, counters >= HPMN are UNDEFINED there and count only with HPME', () => {
    const { pe, at } = bare();
    assert.equal(pe.sys[pe.slotMDCR_EL2 * 2] & 0x1f, 6, 'HPMN resets to N');
    at(2, msrW(10, MDCR_EL2), 4);
    assert.equal((at(1, mrsW(10, PMCR)).value! >> 11n) & 0x1fn, 4n, 'N at EL1 = HPMN');
    assert.equal((at(2, mrsW(10, PMCR)).value! >> 11n) & 0x1fn, 6n, 'N at EL2');
    assert.deepEqual(at(1, mrsW(10, PMEVCNTR(4))), { el: 1, esr: 0x02000000 }, 'PMEVCNTR4_EL0 at EL1: UNDEFINED');
    // UNDEFINED comes before the MDCR_EL2.TPM trap.
    at(2, msrW(10, MDCR_EL2), 4 | (1 << 6));
    assert.deepEqual(at(1, mrsW(10, PMEVCNTR(4))), { el: 1, esr: 0x02000000 }, 'UNDEFINED before TPM');
    at(2, msrW(10, MDCR_EL2), 4);
    // Enable bits of counters 4 and 5 are invisible (RAZ/WI) at EL1.
    at(2, msrW(10, PMCNTENSET), 0x80000033);
    assert.equal(at(1, mrsW(10, PMCNTENSET)).value, 0x80000003n);
    assert.equal(at(2, mrsW(10, PMCNTENSET)).value, 0x80000033n);
    // Counters 0 (< HPMN) and 4 (>= HPMN) count CPU_CYCLES at every EL; PMCR_EL0.E enables only 0.
    at(2, msrW(10, [3, 3, 14, 12, 0]), 0x08000011);
    at(2, msrW(10, [3, 3, 14, 12, 4]), 0x08000011);
    at(2, msrW(10, PMCR), 1);
    for (let i = 0; i < 20; i++) at(2, 0xd503201f);
    assert.ok(at(2, mrsW(10, PMEVCNTR(0))).value! >= 20n);
    assert.equal(at(2, mrsW(10, PMEVCNTR(4))).value, 0n, 'counter 4 needs MDCR_EL2.HPME');
    at(2, msrW(10, MDCR_EL2), 4 | (1 << 7));
    for (let i = 0; i < 20; i++) at(2, 0xd503201f);
    assert.ok(at(2, mrsW(10, PMEVCNTR(4))).value! >= 20n, 'HPME enables it');
    // PMSELR_EL0.SEL = 4 selects no counter at EL1: PMXEVCNTR_EL0 is UNDEFINED there.
    at(2, msrW(10, PMSELR), 4);
    assert.deepEqual(at(1, mrsW(10, PMXEVCNTR)), { el: 1, esr: 0x02000000 });
    assert.equal(at(2, mrsW(10, PMXEVCNTR)).esr, undefined);
  });

  it('MDCR_EL2.TPM traps every PMU register from EL1 (and EL0) to EL2; TPMCR traps PMCR_EL0 only; exact ESRs', () => {
    const { at } = bare();
    at(2, msrW(10, MDCR_EL2), 6 | (1 << 6));
    for (const [e, read] of [[PMCR, true], [PMCCNTR, true], [PMCCNTR, false], [PMINTENSET, true], [PMUSERENR, true], [PMEVCNTR(2), false], [PMSWINC, false]] as [Enc, boolean][]) {
      assert.deepEqual(at(1, read ? mrsW(10, e) : msrW(10, e)), { el: 2, esr: esr18(e, 10, read) }, `${e} ${read ? 'read' : 'write'}`);
    }
    at(2, msrW(10, [3, 3, 9, 14, 0]), 1); // PMUSERENR_EL0.EN = 1
    assert.deepEqual(at(0, mrsW(10, PMCCNTR)), { el: 2, esr: esr18(PMCCNTR, 10, true) }, 'EL0 with EN=1 reaches the TPM trap');
    at(2, msrW(10, MDCR_EL2), 6 | (1 << 5));
    assert.deepEqual(at(1, msrW(10, PMCR)), { el: 2, esr: esr18(PMCR, 10, false) }, 'TPMCR traps PMCR_EL0');
    assert.equal(at(1, mrsW(10, PMCCNTR)).esr, undefined, 'TPMCR alone does not trap PMCCNTR_EL0');
  });

  it('PMUSERENR_EL0 controls EL0 access: traps to EL1 (EC 0x18) unless EN, or SW/CR/ER for their registers; EL0 cannot write it', () => {
    const { at } = bare();
    for (const [e, read] of [[PMCR, true], [PMCCNTR, true], [PMEVCNTR(0), true], [PMSWINC, false], [PMSELR, false], [PMCEID0_E, true]] as [Enc, boolean][]) {
      assert.deepEqual(at(0, read ? mrsW(10, e) : msrW(10, e)), { el: 1, esr: esr18(e, 10, read) }, `${e}`);
    }
    assert.deepEqual(at(0, mrsW(10, PMINTENSET)), { el: 1, esr: 0x02000000 }, 'PMINTENSET_EL1 is an EL1 register');
    assert.deepEqual(at(0, msrW(10, PMUSERENR)), { el: 1, esr: 0x02000000 }, 'PMUSERENR_EL0 is read-only at EL0');
    assert.equal(at(0, mrsW(10, PMUSERENR)).value, 0n);
    at(1, msrW(10, PMUSERENR), 2 | 4);                         // SW, CR
    assert.equal(at(0, msrW(10, PMSWINC), 1).esr, undefined, 'SW: PMSWINC_EL0 writes');
    assert.equal(at(0, mrsW(10, PMCCNTR)).esr, undefined, 'CR: PMCCNTR_EL0 reads');
    assert.deepEqual(at(0, msrW(10, PMCCNTR)), { el: 1, esr: esr18(PMCCNTR, 10, false) }, 'CR does not allow writes');
    assert.deepEqual(at(0, mrsW(10, PMEVCNTR(0))), { el: 1, esr: esr18(PMEVCNTR(0), 10, true) });
    at(1, msrW(10, PMUSERENR), 8);                             // ER
    assert.equal(at(0, mrsW(10, PMEVCNTR(0))).esr, undefined, 'ER: event counter reads');
    assert.equal(at(0, msrW(10, PMSELR), 3).esr, undefined, 'ER: PMSELR_EL0 writes');
    assert.deepEqual(at(0, msrW(10, PMEVCNTR(0))), { el: 1, esr: esr18(PMEVCNTR(0), 10, false) }, 'ER does not allow counter writes');
    at(1, msrW(10, PMUSERENR), 1);                             // EN
    assert.equal(at(0, mrsW(10, PMCR)).esr, undefined, 'EN: everything');
    // With HCR_EL2.TGE the EL0 trap goes to EL2.
    at(1, msrW(10, PMUSERENR), 0);
    const { pe, at: at2 } = bare();
    pe.sys[pe.slotHCR_EL2 * 2] = ((1 << 31) | (1 << 27)) >>> 0;
    assert.deepEqual(at2(0, mrsW(10, PMCCNTR)), { el: 2, esr: esr18(PMCCNTR, 10, true) });
    // Allowed by PMUSERENR_EL0.EN, MDCR_EL2.TPM still traps EL0 with TGE = 1 (TPMCR: PMCR_EL0 only).
    pe.el = 2; at2(2, msrW(10, PMUSERENR), 1);
    assert.equal(at2(0, mrsW(10, PMCCNTR)).esr, undefined);
    at2(2, msrW(10, MDCR_EL2), 6 | (1 << 5));
    assert.equal(at2(0, mrsW(10, PMCCNTR)).esr, undefined);
    assert.deepEqual(at2(0, mrsW(10, PMCR)), { el: 2, esr: esr18(PMCR, 10, true) }, 'TPMCR with TGE');
    at2(2, msrW(10, MDCR_EL2), 6 | (1 << 6));
    for (const e of [PMCCNTR, PMUSERENR, PMCR]) assert.deepEqual(at2(0, mrsW(10, e)), { el: 2, esr: esr18(e, 10, true) }, `TPM with TGE: ${e}`);
  });
});
