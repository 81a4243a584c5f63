// A stuck machine explains itself (src/sim/stuck.ts): exception loops, branches to self that no
// interrupt can leave, WFI deadlocks — and the programs that must NOT be called stuck (a
// hypercall loop, a busy guest, a `b .` waiting for an armed timer, a PE parked while another works).
import { strict as assert } from 'node:assert';
import { assemble } from '../../../src/asm/assembler';
import { Machine, type MachineOptions } from '../../../src/sim/machine';
import { EXCEPTION_LOOP_LIMIT, branchesToSelf, interruptCanBeTaken, stuckHint } from '../../../src/sim/stuck';
import { TestBoard, setX } from './harness';

/** A machine with `src` assembled at 0x4000_0000 and loaded; UART/semihosting output collected in `out`. */
function boot(src: string, opts: MachineOptions = {}): { m: Machine; out: () => string } {
  const r = assemble(src, { fileName: 'stuck.S' });
  assert.deepEqual(r.errors.map((e) => e.message), []);
  const chunks: string[] = [];
  const m = new Machine({ ...opts, output: (b) => chunks.push(Buffer.from(b).toString('latin1')) });
  m.load(r.sections.filter((s) => s.flags.alloc && s.size > 0).map((s) => ({ addr: Number(s.address), data: s.nobits ? new Uint8Array(0) : s.data, memsz: s.size })), Number(r.entry));
  return { m, out: () => chunks.join('') };
}

/** Semihosting SYS_EXIT with the exit code in x19 (ADP_Stopped_ApplicationExit). */
const EXIT = `
exit:   adr     x1, exit_block
        str     x19, [x1, #8]
        mov     x0, #0x18
        hlt     #0xf000
        b       .
        .balign 8
exit_block: .quad 0x20026, 0
`;

// ESR_ELx for an instruction abort taken to the same EL (EC 0x21), IL = 1 (32-bit instruction),
// IFSC 0b010000 "synchronous External abort, not on translation table walk" — DDI0487 D17.2.40
// ESR_EL2, ISS encoding for an Instruction Abort. Our board has nothing at PA 0x200, and a fetch
// from no memory is an external abort (PE.fetchPa).
const ESR_IABT_SAME_EL_EXTERNAL = ((0x21 << 26) | (1 << 25) | 0x10) >>> 0;

describe('stuck machine detection', () => {
  it('a missing EL2 vector table: instruction abort at 0x200 again and again, named with VBAR_EL2 and ESR_EL2', () => {
    const { m } = boot(`
        .global _start
_start: mov     x0, #1
        hvc     #0                 // an exception at EL2 with VBAR_EL2 = 0 (its reset value here)
        b       .
`);
    const r = m.run();
    assert.equal(r.reason, 'stuck');
    assert.ok(r.executed < 2 + EXCEPTION_LOOP_LIMIT + 4, `stopped soon after the loop began (${r.executed} steps)`);
    const s = m.stuck!;
    assert.equal(ESR_IABT_SAME_EL_EXTERNAL, 0x86000010);
    assert.equal(s.kind, 'exception-loop');
    assert.equal(s.pe, 0);
    assert.equal(s.el, 2);
    assert.equal(s.vector, 0x200);
    assert.equal(s.vbar, 0);
    assert.equal(s.vbarName, 'VBAR_EL2');
    assert.equal(s.esr, ESR_IABT_SAME_EL_EXTERNAL);
    assert.equal(s.esrName, 'ESR_EL2');
    assert.equal(s.message, 'CPU0: instruction abort at EL2 fetching 0x200 (VBAR_EL2 is 0: no vector table installed); ESR_EL2=0x86000010');
    assert.match(s.origin ?? '', /HVC.*from EL2 \(ELR_EL2=0x40000008, ESR_EL2=0x5A000000\)/);
    assert.equal(s.suggestEntryEl1, true);
    assert.match(stuckHint(s, 'cli')!, /Did you mean --entry-el 1\?/);
    assert.match(stuckHint(s, 'dap')!, /Did you mean "entryEL": 1\?/);
    // The machine state is the loop's: PC at the vector, ESR/ELR/FAR of the fetch.
    const pe = m.pes[0];
    assert.equal(pe.pc, 0x200);
    assert.equal(pe.sys[pe.slotESR[2] * 2], 0x86000010);
    assert.equal(pe.sys[pe.slotELR[2] * 2], 0x200);
    assert.equal(pe.sys[pe.slotFAR[2] * 2], 0x200);
  });

  it('continuing a stuck machine reports it again at once; changing the state lets it run', () => {
    const { m } = boot(`
        .global _start
_start: hvc     #0
        mov     x19, #3
${EXIT}`);
    assert.equal(m.run().reason, 'stuck');
    const again = m.run();
    assert.deepEqual(again, { reason: 'stuck', executed: 0 });
    assert.ok(m.stuck);
    // The debugger moves the PC past the HVC (to the mov): the loop is gone, the program exits.
    const pe = m.pes[0];
    pe.pcLo = 0x40000004; pe.pcHi = 0;
    const r = m.run();
    assert.equal(r.reason, 'exit');
    assert.equal(r.exitCode, 3);
    assert.equal(m.stuck, null);
  });

  it('an UNDEFINED word at the vector: UNDEFINED loop at EL1, named with VBAR_EL1 and the word', () => {
    const { m } = boot(`
        .global _start
_start: adr     x0, vectors
        msr     vbar_el1, x0
        isb
        svc     #1
        b       .
        .balign 0x800
vectors:
        .rept   4
        b       .
        .balign 0x80
        .endr
        .word   0x00000000          // current EL with SP_ELx, synchronous: not an instruction
`, { entryEL: 1 });
    const r = m.run();
    assert.equal(r.reason, 'stuck');
    const s = m.stuck!;
    assert.equal(s.kind, 'exception-loop');
    assert.equal(s.el, 1);
    assert.equal(s.vector, 0x40000a00);
    assert.equal(s.esr, 0x02000000, 'EC 0 (unknown reason), IL 1');
    assert.equal(s.message, 'CPU0: UNDEFINED instruction at EL1 at 0x40000a00 (the vector table at VBAR_EL1=0x40000800 holds 0x00000000 at offset 0x200, which is not an instruction); ESR_EL1=0x02000000');
    assert.match(s.origin ?? '', /SVC.*from EL1/);
    assert.equal(s.suggestEntryEl1, false, 'started at EL1: nothing to suggest');
    assert.equal(stuckHint(s, 'cli'), undefined);
  });

  it('a stuck exception loop is reported again only while it holds: a handler written at the vector, or a new VBAR, ends it', () => {
    const src = `
        .global _start
_start: adr     x0, vectors
        msr     vbar_el2, x0
        mov     x19, #5
        udf     #1
        b       .
        .balign 0x800
vectors:
        .rept   4
        b       .
        .balign 0x80
        .endr
        udf     #2                  // current EL with SP_ELx, synchronous
${EXIT}`;
    const { m } = boot(src);
    assert.equal(m.run().reason, 'stuck');
    assert.equal(m.stuck!.pc, 0x40000a00);
    assert.equal(m.run().reason, 'stuck', 'unchanged: reported again');
    // A debugger writes a branch to exit over the UDF at the vector.
    const exitAddr = 0x40000a04;
    m.mem.write(0x40000a00, 4, (0x14000000 | ((exitAddr - 0x40000a00) >>> 2)) >>> 0);
    const r = m.run();
    assert.equal(r.reason, 'exit');
    assert.equal(r.exitCode, 5);

    const again = boot(src).m;
    assert.equal(again.run().reason, 'stuck');
    const pe = again.pes[0];
    pe.sys[pe.slotVBAR[2] * 2] = 0x40000000;       // VBAR_EL2 moved: the vector is no longer 0x...a00
    const r2 = again.run(1000);
    assert.notEqual(r2.reason, 'stuck');
    assert.equal(r2.executed, 1000, 'it runs on (the new vector at 0x40000200 leads elsewhere)');
  });

  it('b . with interrupts masked: halted', () => {
    const { m } = boot(`
        .global _start
_start: mov     x0, #5
        add     x0, x0, #1
        b       .
`);
    const r = m.run();
    assert.equal(r.reason, 'stuck');
    assert.equal(m.stuck!.kind, 'branch-to-self');
    assert.equal(m.stuck!.message, 'CPU0: halted at PC 0x40000008 (branch to self, interrupts masked)');
    assert.equal(m.pes[0].x[0], 6, 'the instructions before the loop ran');
  });

  it('B.cond to itself stops when the condition holds and falls through when it does not', () => {
    const held = boot(`
        .global _start
_start: cmp     x0, x0
        b.eq    .
`).m;
    assert.equal(held.run().reason, 'stuck');
    assert.equal(held.stuck!.message, 'CPU0: halted at PC 0x40000004 (branch to self, interrupts masked)');
    const { m } = boot(`
        .global _start
_start: cmp     x0, x0
        mov     x19, #9
        b.ne    .
        cbnz    x19, .              // taken (x19 = 9): stuck here
`);
    assert.equal(m.run().reason, 'stuck');
    assert.equal(m.stuck!.pc, 0x4000000c);
  });

  it('b . at EL2 after setting VBAR_EL1 hints at --entry-el 1', () => {
    const { m } = boot(`
        .global _start
_start: adr     x0, _start
        msr     vbar_el1, x0
        msr     daifclr, #2         // at EL2 with HCR_EL2.IMO = 0 IRQs go to EL1: never taken here
        b       .
`);
    assert.equal(m.run().reason, 'stuck');
    assert.equal(m.stuck!.message, 'CPU0: halted at PC 0x4000000c (branch to self, interrupts masked)');
    assert.equal(m.stuck!.suggestEntryEl1, true);
  });

  it('b . with IRQs unmasked and a timer armed keeps running and takes the interrupt', () => {
    const { m } = boot(`
        .global _start
_start: adr     x0, vectors
        msr     vbar_el1, x0
        ldr     x0, =0x08000000     // GICD_CTLR: EnableGrp1
        mov     w1, #2
        str     w1, [x0]
        ldr     x0, =0x080b0000     // GICR SGI frame of CPU0: PPI 27 in Group 1, enabled
        mov     w1, #(1 << 27)
        str     w1, [x0, #0x80]
        str     w1, [x0, #0x100]
        mov     x1, #0xff
        msr     icc_pmr_el1, x1
        mov     x1, #1
        msr     icc_igrpen1_el1, x1
        ldr     x0, =3000000        // fire in 3,000,000 ticks: several run slices of b .
        msr     cntv_tval_el0, x0
        mov     x0, #1
        msr     cntv_ctl_el0, x0
        msr     daifclr, #2
        b       .
        .balign 0x800
vectors:
        .rept   5
        b       .
        .balign 0x80
        .endr
        mrs     x19, icc_iar1_el1   // current EL with SP_ELx, IRQ: exit with the INTID
        b       exit
${EXIT}`, { entryEL: 1 });
    const r = m.run();
    assert.equal(r.reason, 'exit');
    assert.equal(r.exitCode, 27);
    assert.ok(m.pes[0].instret > 3_000_000);
    assert.equal(m.stuck, null);
  });

  it('b . with IRQs unmasked and nothing that could ever raise one: stuck, saying so', () => {
    const { m } = boot(`
        .global _start
_start: msr     daifclr, #2
        b       .
`, { entryEL: 1 });
    assert.equal(m.run().reason, 'stuck');
    assert.equal(m.stuck!.message, 'CPU0: halted at PC 0x40000004 (branch to self, no interrupt can arrive: none pending, no timer armed)');
  });

  const HYPERCALLS = `
        .global _start
_start: adr     x0, el2_vectors
        msr     vbar_el2, x0
        mov     x0, #(1 << 31)      // HCR_EL2.RW: EL1 is AArch64
        msr     hcr_el2, x0
        mov     x0, #0x3c5          // EL1h, DAIF masked
        msr     spsr_el2, x0
        adr     x0, guest
        msr     elr_el2, x0
        eret
guest:  ldr     x1, =100000
1:      hvc     #0                  // the same PC 100,000 times
        subs    x1, x1, #1
        b.ne    1b
        hvc     #1
        b       .
        .balign 0x800
el2_vectors:
        .rept   8
        b       .
        .balign 0x80
        .endr
        mrs     x9, esr_el2         // lower EL, AArch64, synchronous
        and     x9, x9, #0xffff
        cbnz    x9, 2f
        eret
2:      mov     x19, #42
${EXIT}`;

  it('a hypercall loop of 100,000 HVC/ERET from the same PC is not stuck', () => {
    const { m } = boot(HYPERCALLS);
    const r = m.run();
    assert.equal(r.reason, 'exit');
    assert.equal(r.exitCode, 42);
    assert.ok(m.pes[0].exceptions >= 100_001);
  });

  it('detection does not change the instruction stream: run(a) + run(b) == run(a + b)', () => {
    const whole = boot(HYPERCALLS).m;
    whole.run(250_001);
    const split = boot(HYPERCALLS).m;
    split.run(123_457);
    split.run(250_001 - 123_457);
    assert.equal(split.digest().all, whole.digest().all);
    const off = boot(HYPERCALLS).m;
    off.stuckDetection = false;
    off.run(250_001);
    assert.equal(off.digest().all, whole.digest().all, 'same state with detection off');
    // And for a stuck one: the state where it stops is the same however the runs are cut.
    const a = boot('.global _start\n_start: hvc #0\n').m;
    const b = boot('.global _start\n_start: hvc #0\n').m;
    a.run(20); a.run(7); a.run();
    b.run();
    assert.equal(a.stuck?.message, b.stuck?.message);
  });

  it('a busy guest is not stopped', () => {
    const { m } = boot(`
        .global _start
_start: ldr     x0, =3000000
1:      subs    x0, x0, #1
        b.ne    1b
        mov     x19, #1
${EXIT}`);
    const r = m.run();
    assert.equal(r.reason, 'exit');
    assert.equal(r.exitCode, 1);
  });

  const SMP = (cpu0: string): string => `
        .equ    UART_DR, 0x09000000
        .global _start
_start: ldr     x0, =0xc4000003     // PSCI CPU_ON (SMC64)
        mov     x1, #1              // target MPIDR: CPU1
        adr     x2, cpu1
        mov     x3, #0
        smc     #0
${cpu0}
cpu1:   b       .                   // CPU1 starts with DAIF masked: parked here
${EXIT}`;

  it('2 PEs: CPU1 parked in b . while CPU0 prints; the program runs to completion', () => {
    const { m, out } = boot(SMP(`
        ldr     x5, =UART_DR
        mov     x6, #200
1:      ldr     x7, =2000           // a little work between lines
2:      subs    x7, x7, #1
        b.ne    2b
        mov     w8, #'.'
        strb    w8, [x5]
        subs    x6, x6, #1
        b.ne    1b
        mov     x19, #0
        b       exit`), { cores: 2 });
    const r = m.run();
    assert.equal(r.reason, 'exit');
    assert.equal(out(), '.'.repeat(200));
    const cpu1 = m.pes[1];
    assert.equal(cpu1.power, 0, 'CPU1 powered on');
    assert.equal(cpu1.sys[cpu1.slotELR[2] * 2], 0, 'CPU1 took no exception');
    assert.equal(cpu1.peekInsn(), 0x14000000, 'CPU1 still parked in b .');
  });

  it('2 PEs: CPU1 parked in b . and CPU0 waiting in WFI with nothing to wake it: stuck, both named', () => {
    const { m } = boot(SMP(`
        wfi
        b       .-4`), { cores: 2 });
    const r = m.run();
    assert.equal(r.reason, 'stuck');
    const s = m.stuck!;
    assert.equal(s.kind, 'branch-to-self');
    assert.equal(s.pe, 1);
    assert.deepEqual(s.pes.map((p) => p.kind), ['wfi', 'branch-to-self']);
    assert.equal(s.message, `CPU0: waiting in WFI at 0x40000014 with nothing that can wake it (no interrupt pending, no timer armed, interrupts masked); CPU1: halted at PC ${'0x' + s.pc.toString(16)} (branch to self, interrupts masked)`);
  });

  it('every PE in WFI with nothing to wake it: deadlock, with a report of the same kind', () => {
    const { m } = boot(`
        .global _start
_start: mov     x0, #1
        wfi
`);
    const r = m.run();
    assert.equal(r.reason, 'deadlock');
    assert.equal(m.stuck!.kind, 'deadlock');
    assert.equal(m.stuck!.message, 'CPU0: waiting in WFI at 0x40000004 with nothing that can wake it (no interrupt pending, no timer armed, interrupts masked)');
  });

  it('a snapshot taken before the loop, restored, reaches the same stuck state (loop records are in snapshots)', () => {
    const { m } = boot('.global _start\n_start: nop\n hvc #0\n');
    const snap = m.snapshot();
    m.run(10);                                     // inside the loop, below the limit
    const mid = m.snapshot();
    assert.equal(m.run().reason, 'stuck');
    const first = m.stuck!.message;
    m.restore(mid);
    assert.equal(m.stuck, null);
    assert.equal(m.run().reason, 'stuck');
    assert.equal(m.stuck!.message, first);
    m.restore(snap);
    assert.equal(m.run().reason, 'stuck');
    assert.equal(m.stuck!.message, first);
  });

  it('branchesToSelf: B/BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR to their own address, by the state they test', () => {
    const t = new TestBoard();
    const pe = t.reset(1);
    const word = (insn: string): number => {
      const r = assemble(`${insn}\n`, { fileName: 'w.S' });
      assert.deepEqual(r.errors, []);
      const d = r.sections.find((x) => x.size > 0)!.data;
      return new DataView(d.buffer, d.byteOffset, d.byteLength).getUint32(0, true);
    };
    setX(pe, 1, 0x8n);             // bit 3 set
    setX(pe, 2, 0x1_0000_0000n);   // zero in 32 bits, not in 64
    pe.zf = 1;
    const cases: [string, boolean][] = [
      ['b .', true], ['bl .', true], ['b .+4', false],
      ['b.eq .', true], ['b.ne .', false], ['b.al .', true],
      ['cbz w2, .', true], ['cbz x2, .', false], ['cbnz x2, .', true], ['cbz xzr, .', true], ['cbnz x1, .+8', false],
      ['tbnz x1, #3, .', true], ['tbz x1, #3, .', false], ['tbz x1, #4, .', true], ['tbnz x2, #32, .', true],
      ['br x3', false],
    ];
    for (const [insn, expected] of cases) assert.equal(branchesToSelf(pe, word(insn)), expected, insn);
    assert.equal(branchesToSelf(pe, 0x54000010), false, 'BC.EQ . (FEAT_HBC, bit 4 set) is not a B.cond');
    setX(pe, 3, BigInt(pe.pc));
    assert.equal(branchesToSelf(pe, word('br x3')), true, 'br x3 with x3 = PC');
  });

  it('interruptCanBeTaken follows the routing: an IRQ routed above the current EL ignores PSTATE.I, one routed below is never taken', () => {
    const t = new TestBoard();
    const pe = t.reset(2);
    const HCR_IMO = 1 << 4, HCR_FMO = 1 << 3, HCR_TGE = 1 << 27, HCR_RW = 1 << 31;
    const at = (el: number, daif: number, hcr: number): boolean => {
      pe.el = el; pe.daif = daif; pe.sys[pe.slotHCR_EL2 * 2] = (hcr | HCR_RW) >>> 0;
      return interruptCanBeTaken(pe);
    };
    assert.equal(at(2, 0xf, 0), false, 'EL2, all masked');
    assert.equal(at(2, 0x0, 0), false, 'EL2 with IMO = FMO = 0: physical interrupts go to EL1, never taken at EL2');
    assert.equal(at(2, 0xd, HCR_IMO), true, 'EL2 with IMO and PSTATE.I clear');
    assert.equal(at(2, 0xd, HCR_TGE), true, 'EL2 with TGE and PSTATE.I clear');
    assert.equal(at(1, 0xf, 0), false, 'EL1, all masked, routed to EL1');
    assert.equal(at(1, 0xd, 0), true, 'EL1, I clear');
    assert.equal(at(1, 0xf, HCR_IMO), true, 'EL1 with IMO: the IRQ goes to EL2 whatever PSTATE.I says');
    assert.equal(at(1, 0xf, HCR_FMO), true, 'EL1 with FMO: the FIQ goes to EL2');
    assert.equal(at(0, 0xf, 0), false, 'EL0, all masked');
  });
});
