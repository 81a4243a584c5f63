// Self-hosted debug (src/sim/selfdebug, DDI0487 D2): hardware breakpoints, watchpoints,
// software step, BRK, routing to EL1/EL2, the enable conditions (OS lock, KDE, PSTATE.D, MDE),
// MDCR_EL2 traps of the debug registers, and the debugger's own breakpoints at the same address
// as a guest breakpoint. Each test runs a small guest on the board and checks the exception the
// architecture says it takes: vector, ESR, ELR, FAR, SPSR.
import { strict as assert } from 'node:assert';
import { assemble } from '../../../src/asm/assembler';
import { SYSREG_NAMES } from '../../../src/asm/a64/sysreg-names';
import { Machine } from '../../../src/sim/machine';
import type { PE } from '../../../src/sim/pe';
import { SYSREGS, sysregSlot } from '../../../src/sim/sysregs';
import { SELF_DEBUG_REGS } from '../../../src/sim/selfdebug/registers';
import { BreakpointEngine } from '../../../src/sim/breakpoints';
import type { ExceptionEntryEvent } from '../../../src/sim/events';
import { findFilter, type ExceptionFilterDef } from '../../../src/debug/exception-filters';
import { SYSREG_SCOPES } from '../../../src/debug/variables';
import { CORTEX_A57 } from '../../../src/sim/cpu-model';
import { TestBoard } from './harness';

// Vectors: every entry spins (`b .`) so the PC after a run says which vector was taken, except
// EL1's lower-EL synchronous entry, which branches to `el1_lower_sync` (each program defines it;
// `b .` by default, so a PE spinning there took a synchronous exception from EL0).
const HARNESS = `
        .text
        .global _start
_start:
        ldr     x0, =vec2
        msr     vbar_el2, x0
        ldr     x0, =vec1
        msr     vbar_el1, x0
        mov     x0, #(1 << 31)
        msr     hcr_el2, x0
        ldr     x0, =0x47f00000
        msr     sp_el1, x0
        b       main
// drop to EL1h with PSTATE.D clear (A, I, F masked): SPSR = 0x1c5
to_el1:
        msr     elr_el2, x30
        mov     x0, #0x1c5
        msr     spsr_el2, x0
        eret
// drop to EL0t with everything unmasked
to_el0:
        msr     elr_el1, x30
        msr     spsr_el1, xzr
        eret
        .balign 0x800
vec2:
        .rept   16
        b       .
        .balign 0x80
        .endr
        .balign 0x800
vec1:
        .rept   8
        b       .
        .balign 0x80
        .endr
        b       el1_lower_sync
        .balign 0x80
        .rept   7
        b       .
        .balign 0x80
        .endr
`;

const DATA = 0x44000000;
const BCR_EL1_EL0 = 0x1e7;   // E, PMC = 0b11 (EL1 and EL0), BAS = 0b1111
const BCR_EL0 = 0x1e5;       // E, PMC = 0b10 (EL0 only)
const BCR_EL2 = 0x61e1;      // E, PMC = 0b00, HMC = 1, SSC = 0b01: EL2 only
const MDE_KDE = 0xa000;      // MDSCR_EL1.MDE | KDE

interface Guest { m: Machine; pe: PE; sym(name: string): number }

function boot(body: string, el1LowerSync = 'b .'): Guest {
  const src = `${HARNESS}\nel1_lower_sync:\n        ${el1LowerSync}\nmain:\n${body}\n        .ltorg\n`;
  const r = assemble(src, { fileName: 'selfdebug.s' });
  if (r.errors.length) throw new Error(r.errors.map((e) => `${e.line}: ${e.message}`).join('\n'));
  const m = new Machine({ output: () => undefined });
  m.load(r.sections.filter((s) => s.flags.alloc && s.size > 0).map((s) => ({ addr: Number(s.address), data: s.data })), Number(r.entry));
  const syms = new Map(r.symbols.map((s) => [s.name, Number(s.value)]));
  return {
    m, pe: m.pes[0],
    sym: (name) => { const v = syms.get(name); if (v === undefined) throw new Error(`no symbol ${name}`); return v; },
  };
}

function sr(pe: PE, name: string): number {
  const s = sysregSlot(name);
  assert.ok(s >= 0, name);
  return pe.sys[2 * s + 1] * 2 ** 32 + pe.sys[2 * s];
}

const x = (pe: PE, n: number): number => pe.x[2 * n + 1] * 2 ** 32 + pe.x[2 * n];

/** Program fragment: EL1 arms breakpoint 0 at `label` with control `bcr`, then MDSCR_EL1 = mdscr. */
const armBreakpoint = (label: string, bcr: number, mdscr: number): string => `
        ldr     x0, =${label}
        msr     dbgbvr0_el1, x0
        ldr     x0, =${bcr}
        msr     dbgbcr0_el1, x0
        ldr     x0, =${mdscr}
        msr     mdscr_el1, x0
        isb`;

describe('self-hosted debug: registers', () => {
  it('every register of the group has the encoding GNU as gives its name', () => {
    for (const d of SELF_DEBUG_REGS) {
      const e = SYSREG_NAMES[d.name.toLowerCase()];
      assert.ok(e, `${d.name} is known to binutils`);
      assert.deepEqual([d.op0, d.op1, d.crn, d.crm, d.op2], [e.op0, e.op1, e.crn, e.crm, e.op2], d.name);
    }
    // 6 breakpoints and 4 watchpoints, as ID_AA64DFR0_EL1 (BRPs = 5, WRPs = 3) advertises.
    assert.equal(SYSREGS.filter((d) => /^DBGBCR\d+_EL1$/.test(d.name)).length, 6);
    assert.equal(SYSREGS.filter((d) => /^DBGWCR\d+_EL1$/.test(d.name)).length, 4);
  });

  it('the OS lock is set at reset (OSLSR_EL1 = 0xA), OSLAR clears it, claim tags set and clear, unimplemented DBGBCR6 is UNDEFINED', () => {
    const g = boot(`
        mrs     x1, oslsr_el1
        msr     oslar_el1, xzr
        mrs     x2, oslsr_el1
        mov     x0, #0x5
        msr     dbgclaimset_el1, x0
        mov     x0, #0x1
        msr     dbgclaimclr_el1, x0
        mrs     x3, dbgclaimclr_el1
        mrs     x4, dbgclaimset_el1
        mrs     x5, dbgauthstatus_el1
        mrs     x6, mdccsr_el0
        mrs     x7, mdrar_el1
        msr     dbgbcr6_el1, x0
        b       .`);
    g.m.run(200);
    const pe = g.pe;
    assert.equal(x(pe, 1), 0xa, 'OSLM = 0b10, OSLK = 1');
    assert.equal(x(pe, 2), 0x8, 'OSLK = 0');
    assert.equal(x(pe, 3), 0x4, 'claim tags: 0b101 then bit 0 cleared');
    assert.equal(x(pe, 4), 0xff, 'DBGCLAIMSET reads the implemented tags');
    assert.equal(x(pe, 5), 0x0f, 'Non-secure debug only');
    assert.equal(x(pe, 6), 0, 'DCC empty');
    assert.equal(x(pe, 7), 0, 'no debug ROM');
    assert.equal(pe.pc, g.sym('vec2') + 0x200, 'UNDEFINED at EL2');
    assert.equal(sr(pe, 'ESR_EL2'), 0x02000000);
  });
});

describe('self-hosted debug: register presence and views', () => {
  it('breakpoint and watchpoint registers beyond ID_AA64DFR0_EL1.BRPs/WRPs are UNDEFINED', () => {
    // A model with 2 breakpoints and 2 watchpoints (BRPs = WRPs = 1).
    const t = new TestBoard({ ...CORTEX_A57, ids: { ...CORTEX_A57.ids, ID_AA64DFR0_EL1: [0x10101106, 0] } });
    const words = (src: string): number[] => {
      const r = assemble(`${src}\n`, { fileName: 'w.s' });
      assert.deepEqual(r.errors, []);
      const d = r.sections.find((x) => x.name === '.text')!.data;
      return Array.from({ length: d.length / 4 }, (_, i) => new DataView(d.buffer, d.byteOffset).getUint32(4 * i, true));
    };
    for (const [insn, undef] of [['msr dbgbcr1_el1, x0', false], ['msr dbgbcr2_el1, x0', true], ['mrs x0, dbgwvr1_el1', false], ['mrs x0, dbgwvr2_el1', true]] as const) {
      const pe = t.reset(1);
      t.code(words(insn));
      pe.run(1);
      assert.equal(pe.pc === 0x200, undef, insn);
      if (undef) assert.equal(sr(pe, 'ESR_EL1'), 0x02000000, insn);
    }
  });

  it('the Variables view shows every register group in exactly one scope; the debug registers in "Self-hosted debug"', () => {
    for (const g of new Set(SYSREGS.map((d) => d.group))) {
      assert.equal(SYSREG_SCOPES.filter((sc) => sc.groups.includes(g)).length, 1, g);
    }
    assert.deepEqual(SYSREG_SCOPES.find((sc) => sc.name === 'Self-hosted debug')?.groups, ['Debug']);
  });
});

describe('self-hosted debug: breakpoints', () => {
  it('a breakpoint at EL1 with KDE and PSTATE.D clear is taken to EL1 before the instruction (EC 0x31)', () => {
    const g = boot(`
        msr     oslar_el1, xzr
        bl      to_el1
${armBreakpoint('target', BCR_EL1_EL0, MDE_KDE)}
        nop
target: add     x1, x1, #1
        b       .`);
    g.m.run(500);
    const pe = g.pe;
    assert.equal(pe.pc, g.sym('vec1') + 0x200, 'current EL with SP_EL1');
    assert.equal(sr(pe, 'ESR_EL1'), 0xc6000022, 'EC 0x31, IL, IFSC 0x22');
    assert.equal(sr(pe, 'ELR_EL1'), g.sym('target'));
    assert.equal(sr(pe, 'FAR_EL1'), 0, 'FAR UNKNOWN: we write 0 as QEMU');
    assert.equal(x(pe, 1), 0, 'the instruction did not execute');
  });

  it('a breakpoint at EL0 is taken to EL1 (EC 0x30) without KDE; at EL1 it is off without KDE, with PSTATE.D or with the OS lock', () => {
    const g = boot(`
        msr     oslar_el1, xzr
        bl      to_el1
${armBreakpoint('target', BCR_EL1_EL0, 0x8000)}
        bl      target           // EL1, KDE = 0: no exception
        ldr     x0, =${MDE_KDE}
        msr     mdscr_el1, x0
        msr     daifset, #8
        bl      target           // PSTATE.D = 1: no exception
        msr     daifclr, #8
        mov     x0, #1
        msr     oslar_el1, x0
        isb
        bl      target           // OS lock set: no exception
        msr     oslar_el1, xzr
        isb
        ldr     x0, =0x8000      // MDE only: EL0 breakpoints still fire
        msr     mdscr_el1, x0
        bl      to_el0
        bl      target
        b       .
target: add     x1, x1, #1
        ret`);
    g.m.run(1000);
    const pe = g.pe;
    assert.equal(x(pe, 1), 3, 'the three EL1 calls ran');
    assert.equal(pe.pc, g.sym('el1_lower_sync'), 'lower EL, AArch64');
    assert.equal(sr(pe, 'ESR_EL1'), 0xc2000022, 'EC 0x30');
    assert.equal(sr(pe, 'ELR_EL1'), g.sym('target'));
    assert.equal(sr(pe, 'SPSR_EL1') & 0xf, 0, 'from EL0t');
  });

  it('MDCR_EL2.TDE routes an EL1 breakpoint to EL2 (EC 0x30, lower EL), whatever PSTATE.D and KDE at EL1', () => {
    const g = boot(`
        msr     oslar_el1, xzr
        ldr     x0, =target
        msr     dbgbvr0_el1, x0
        ldr     x0, =${BCR_EL1_EL0}
        msr     dbgbcr0_el1, x0
        ldr     x0, =0x8000
        msr     mdscr_el1, x0
        mov     x0, #(1 << 8)
        msr     mdcr_el2, x0
        bl      to_el1
        msr     daifset, #8
        nop
target: add     x1, x1, #1
        b       .`);
    g.m.run(500);
    const pe = g.pe;
    assert.equal(pe.pc, g.sym('vec2') + 0x400);
    assert.equal(sr(pe, 'ESR_EL2'), 0xc2000022);
    assert.equal(sr(pe, 'ELR_EL2'), g.sym('target'));
    assert.equal(sr(pe, 'SPSR_EL2') & 0x3cf, 0x3c5, 'EL1h with D masked');
  });

  it('EL2 generates breakpoint exceptions only when it is the debug target (TDE) with KDE and PSTATE.D clear (EC 0x31 to EL2)', () => {
    const g = boot(`
        msr     oslar_el1, xzr
${armBreakpoint('target', BCR_EL2, MDE_KDE)}
        msr     daifclr, #8
        bl      target           // TDE = 0: the debug target is EL1, below EL2: no exception
        mov     x0, #(1 << 8)
        msr     mdcr_el2, x0
        isb
        bl      target
        b       .
target: add     x1, x1, #1
        ret`);
    g.m.run(500);
    const pe = g.pe;
    assert.equal(x(pe, 1), 1);
    assert.equal(pe.pc, g.sym('vec2') + 0x200);
    assert.equal(sr(pe, 'ESR_EL2'), 0xc6000022, 'EC 0x31');
    assert.equal(sr(pe, 'ELR_EL2'), g.sym('target'));
  });

  it('address breakpoints on another page: the fast path runs until the page of the breakpoint, reached by falling through or by a branch', () => {
    for (const how of ['fall', 'branch']) {
      const g = boot(`
        msr     oslar_el1, xzr
        bl      to_el1
${armBreakpoint('target', BCR_EL1_EL0, MDE_KDE)}
        ldr     x5, =1000
1:      add     x1, x1, #1
        subs    x5, x5, #1
        b.ne    1b
        ${how === 'branch' ? 'b       target' : 'nop'}
        .balign 4096
        .space  ${how === 'branch' ? 64 : 0}
target: add     x1, x1, #1
        b       .`);
      const code = g.sym('target') & ~0xfff;
      const fill = Array.from({ length: (g.sym('target') - code) / 4 }, () => 0xd503201f);   // NOPs before target on its page
      g.m.mem.load(code, new Uint8Array(new Uint32Array(fill).buffer));
      g.m.run(5000);
      assert.equal(g.pe.pc, g.sym('vec1') + 0x200, how);
      assert.equal(sr(g.pe, 'ELR_EL1'), g.sym('target'), how);
      assert.equal(x(g.pe, 1), 1000, how);
    }
  });

  it('context breakpoints: an unlinked CONTEXTIDR_EL1 match (BT = 0b0010) fires on the first EL0 instruction of that context, only on a context-aware breakpoint', () => {
    const prog = (n: number, ctx: number): Guest => boot(`
        msr     oslar_el1, xzr
        bl      to_el1
        mov     x0, #0x42
        msr     dbgbvr${n}_el1, x0
        ldr     x0, =${0x1e5 | (2 << 20)}   // E, PMC = EL0, BT = 0b0010
        msr     dbgbcr${n}_el1, x0
        mov     x0, #${ctx}
        msr     contextidr_el1, x0
        ldr     x0, =0x8000
        msr     mdscr_el1, x0
        isb
        bl      to_el0
first:  mov     x1, #1
        b       .`);
    const hit = prog(4, 0x42);
    hit.m.run(300);
    assert.equal(hit.pe.pc, hit.sym('el1_lower_sync'));
    assert.equal(sr(hit.pe, 'ESR_EL1'), 0xc2000022);
    assert.equal(sr(hit.pe, 'ELR_EL1'), hit.sym('first'));
    const other = prog(4, 0x43);
    other.m.run(300);
    assert.equal(x(other.pe, 1), 1, 'another context: no breakpoint');
    // CTX_CMPs = 1: breakpoints 4 and 5 are context-aware; a context type on 0-3 never matches (we choose).
    const notAware = prog(3, 0x42);
    notAware.m.run(300);
    assert.equal(x(notAware.pe, 1), 1);
  });

  it('linked breakpoints and watchpoints: an address breakpoint linked to a CONTEXTIDR_EL1 match, a watchpoint linked to a VMID match', () => {
    const prog = (ctx: number, vmid: number): Guest => boot(`
        msr     oslar_el1, xzr
        ldr     x0, =${vmid * 2 ** 48}
        msr     vttbr_el2, x0
        bl      to_el1
        mov     x0, #0x42
        msr     dbgbvr4_el1, x0
        ldr     x0, =${0x1e7 | (3 << 20)}             // linked context ID
        msr     dbgbcr4_el1, x0
        adr     x0, target
        msr     dbgbvr1_el1, x0
        ldr     x0, =${0x1e7 | (4 << 16) | (1 << 20)} // linked address, LBN = 4
        msr     dbgbcr1_el1, x0
        ldr     x0, =${3 * 2 ** 32}
        msr     dbgbvr5_el1, x0
        ldr     x0, =${0x1e7 | (9 << 20)}             // linked VMID
        msr     dbgbcr5_el1, x0
        ldr     x2, =${DATA}
        msr     dbgwvr0_el1, x2
        ldr     x0, =${0x1ff7 | (5 << 16) | (1 << 20)} // store watchpoint, WT = 1, LBN = 5
        msr     dbgwcr0_el1, x0
        mov     x0, #${ctx}
        msr     contextidr_el1, x0
        ldr     x0, =${MDE_KDE}
        msr     mdscr_el1, x0
        isb
        str     x1, [x2]
        mov     x3, #1
target: mov     x4, #1
        b       .`);
    const none = prog(0x41, 2);
    none.m.run(300);
    assert.deepEqual([x(none.pe, 3), x(none.pe, 4)], [1, 1], 'neither context matches: nothing fires');
    const wp = prog(0x41, 3);
    wp.m.run(300);
    assert.equal(sr(wp.pe, 'ESR_EL1'), 0xd6000062, 'VMID 3: the linked watchpoint');
    const bp = prog(0x42, 2);
    bp.m.run(300);
    assert.equal(x(bp.pe, 3), 1);
    assert.equal(sr(bp.pe, 'ESR_EL1'), 0xc6000022, 'CONTEXTIDR_EL1 0x42: the linked breakpoint');
    assert.equal(sr(bp.pe, 'ELR_EL1'), bp.sym('target'));
  });

  it('BRK is taken whatever the enables (EC 0x3C, ISS = imm16), with the OS lock set', () => {
    const g = boot(`
        bl      to_el1
        brk     #0x1234`);
    g.m.run(100);
    const pe = g.pe;
    assert.equal(pe.osLock, 1);
    assert.equal(pe.pc, g.sym('vec1') + 0x200);
    assert.equal(sr(pe, 'ESR_EL1'), 0xf2001234);
  });

  it('with no breakpoint, watchpoint or step enabled for the current EL the PE stays on the fast path', () => {
    const g = boot(`
        msr     oslar_el1, xzr
        bl      to_el1
${armBreakpoint('target', BCR_EL0, MDE_KDE)}
        b       .
target: nop`);
    g.m.run(200);
    assert.equal(g.pe.el, 1);
    assert.equal(g.pe.dbgMode, 0, 'an EL0-only breakpoint does not slow EL1 down');
    assert.equal(g.pe.dbgWatch, false);
    assert.equal(g.pe.accessHook, null);
  });
});

describe('self-hosted debug: watchpoints', () => {
  /** EL1 arms watchpoint 0 on DATA with control `wcr`, then runs `access`. */
  const watch = (wcr: number, access: string, toEl0 = false): Guest => boot(`
        msr     oslar_el1, xzr
        bl      to_el1
        ldr     x2, =${DATA}
        msr     dbgwvr0_el1, x2
        ldr     x0, =${wcr}
        msr     dbgwcr0_el1, x0
        ldr     x0, =${MDE_KDE}
        msr     mdscr_el1, x0
        isb
        ${toEl0 ? 'bl      to_el0' : 'nop'}
        mov     x1, #0x55
        ldr     w3, [x2, #8]     // outside the watched doubleword
access: ${access}
        b       .`);

  it('a store: EC 0x35 with WnR = 1, FAR = the address, ELR = the store, memory not written', () => {
    // E, PAC = 0b11, LSC = store, BAS = 0xFF
    const g = watch(0x1ff7, 'str     w1, [x2, #4]');
    g.m.run(500);
    const pe = g.pe;
    assert.equal(pe.pc, g.sym('vec1') + 0x200);
    assert.equal(sr(pe, 'ESR_EL1'), 0xd6000062, 'EC 0x35, WnR, DFSC 0x22');
    assert.equal(sr(pe, 'FAR_EL1'), DATA + 4);
    assert.equal(sr(pe, 'ELR_EL1'), g.sym('access'));
    assert.equal(g.m.mem.read(DATA + 4, 4), 0, 'the access was not performed');
  });

  it('a load from EL0: EC 0x34 with WnR = 0; FAR is the first watched byte of the access (BAS selects bytes 4 and 5)', () => {
    // E, PAC = 0b11, LSC = load, BAS = 0b00110000
    const g = watch(0x0600 | 0x0f, 'ldr     x3, [x2]', true);
    g.m.run(500);
    const pe = g.pe;
    assert.equal(pe.pc, g.sym('el1_lower_sync'));
    assert.equal(sr(pe, 'ESR_EL1'), 0xd2000022, 'EC 0x34, WnR = 0');
    assert.equal(sr(pe, 'FAR_EL1'), DATA + 4);
    assert.equal(sr(pe, 'ELR_EL1'), g.sym('access'));
  });

  it('LSC and BAS filter: a store does not hit a load watchpoint, a word access misses bytes 4–5', () => {
    const a = watch(0x1fef, 'str     w1, [x2]');
    a.m.run(500);
    assert.equal(a.pe.pc, a.sym('access') + 4, 'spinning after the store');
    assert.equal(a.m.mem.read(DATA, 4), 0x55);
    const b = watch(0x0600 | 0x0f, 'ldr     w3, [x2]');
    b.m.run(500);
    assert.equal(b.pe.pc, b.sym('access') + 4);
  });

  it('MASK watches an aligned 2^MASK block (BAS ignored)', () => {
    // E, PAC = 0b11, LSC = store, BAS = 0xFF, MASK = 12 (4 KiB)
    const g = watch(0x0c001ff7, 'strb    w1, [x2, #0xabc]');
    g.m.run(500);
    assert.equal(sr(g.pe, 'ESR_EL1'), 0xd6000062);
    assert.equal(sr(g.pe, 'FAR_EL1'), DATA + 0xabc);
  });
});

describe('self-hosted debug: software step', () => {
  /**
   * EL1 sets MDSCR_EL1.SS (KDE = 0: EL1 is not stepped) and returns to EL0 at `el0` with
   * SPSR_EL1.SS = `ss`. The EL1 lower-EL handler is `handler`.
   */
  const step = (el0: string, ss: number, handler = 'b .', mdscr = 1): Guest => boot(`
        msr     oslar_el1, xzr
        bl      to_el1
        mov     x0, #${mdscr}
        msr     mdscr_el1, x0
        ldr     x0, =el0
        msr     elr_el1, x0
        mov     x0, #${ss << 21}
        msr     spsr_el1, x0
        ldr     x2, =${DATA}
        eret
el0:    ${el0}`, handler);

  it('one instruction is stepped, then the step exception: EC 0x32, ISV = 1, EX = 0, ELR = the next instruction, SPSR.SS = 0', () => {
    const g = step('mov x1, #5\n        mov x1, #6\n        b .', 1);
    g.m.run(200);
    const pe = g.pe;
    assert.equal(x(pe, 1), 5, 'exactly one instruction ran');
    assert.equal(pe.pc, g.sym('el1_lower_sync'));
    assert.equal(sr(pe, 'ESR_EL1'), 0xcb000022);
    assert.equal(sr(pe, 'ELR_EL1'), g.sym('el0') + 4);
    assert.equal(sr(pe, 'SPSR_EL1') & (1 << 21), 0);
  });

  it('a stepped load-exclusive sets EX', () => {
    const g = step('ldxr x1, [x2]\n        b .', 1);
    g.m.run(200);
    assert.equal(sr(g.pe, 'ESR_EL1'), 0xcb000062);
  });

  it('an exception return with SPSR.SS = 0 takes the step exception at once: ISV = 0, nothing executed', () => {
    const g = step('mov x1, #5\n        b .', 0);
    g.m.run(200);
    const pe = g.pe;
    assert.equal(x(pe, 1), 0);
    assert.equal(sr(pe, 'ESR_EL1'), 0xca000022);
    assert.equal(sr(pe, 'ELR_EL1'), g.sym('el0'));
  });

  it('a handler that returns with SPSR.SS = 1 steps through the code one instruction per exception', () => {
    // x20 counts step exceptions; x21 collects the ELRs' low bits.
    const handler = `add     x20, x20, #1
        mrs     x21, elr_el1
        mrs     x22, spsr_el1
        orr     x22, x22, #(1 << 21)
        msr     spsr_el1, x22
        eret`;
    const g = step('mov x1, #1\n        add x1, x1, #1\n        add x1, x1, #1\ndone:   b .', 1, handler);
    g.m.run(60);
    const pe = g.pe;
    assert.equal(x(pe, 1), 3);
    assert.ok(x(pe, 20) >= 4, 'a step exception after each instruction, also on `b .`');
    assert.equal(x(pe, 21), g.sym('done'), 'the spin loop is stepped onto itself');
    assert.equal(sr(pe, 'ESR_EL1'), 0xcb000022);
  });

  it('an exception taken by the stepped instruction saves SPSR.SS = 1 (not stepped); a stepped SVC saves SPSR.SS = 0', () => {
    const abort = step('ldr x1, [x3]\n        b .', 1);   // x3 = 0: no memory at PA 0, external abort
    abort.m.run(200);
    assert.equal(sr(abort.pe, 'ESR_EL1') >>> 26, 0x24, 'data abort from EL0');
    assert.notEqual(sr(abort.pe, 'SPSR_EL1') & (1 << 21), 0, 'SPSR.SS = 1');
    const svc = step('svc #7\n        b .', 1);
    svc.m.run(200);
    assert.equal(sr(svc.pe, 'ESR_EL1'), 0x56000007);
    assert.equal(sr(svc.pe, 'SPSR_EL1') & (1 << 21), 0, 'SPSR.SS = 0');
  });

  it('the debug slow path is deterministic: a snapshot re-executed in slices of 7 reaches the same digest', () => {
    const handler = `add     x20, x20, #1
        mrs     x22, spsr_el1
        orr     x22, x22, #(1 << 21)
        msr     spsr_el1, x22
        eret`;
    const g = step('1: add x1, x1, #1\n        ldxr x3, [x2]\n        b 1b', 1, handler);
    g.m.run(37);
    const snap = g.m.snapshot();
    g.m.run(500);
    const d = g.m.digest();
    assert.ok(x(g.pe, 20) > 50, 'stepping all along');
    g.m.restore(snap);
    for (let left = 500; left > 0; left -= 7) g.m.run(Math.min(7, left));
    assert.deepEqual(g.m.digest(), d);
  });

  it('stepping EL1 itself with KDE: EC 0x33 to EL1 after one instruction', () => {
    const g = boot(`
        msr     oslar_el1, xzr
        ldr     x0, =${1 | (1 << 13)}
        msr     mdscr_el1, x0
        ldr     x0, =el1
        msr     elr_el2, x0
        ldr     x0, =${0x1c5 | (1 << 21)}   // EL1h, D clear, SS = 1
        msr     spsr_el2, x0
        eret
el1:    mov     x1, #5
        mov     x1, #6
        b       .`);
    g.m.run(200);
    const pe = g.pe;
    assert.equal(x(pe, 1), 5);
    assert.equal(pe.pc, g.sym('vec1') + 0x200);
    assert.equal(sr(pe, 'ESR_EL1'), 0xcf000022, 'EC 0x33, ISV');
    assert.equal(sr(pe, 'ELR_EL1'), g.sym('el1') + 4);
    assert.equal(sr(pe, 'SPSR_EL1') & 0x3ff, 0x1c5, 'D was clear');
  });

  it('MDCR_EL2.TDE sends the step exception to EL2 (EC 0x32 from EL1)', () => {
    const g = boot(`
        msr     oslar_el1, xzr
        mov     x0, #1
        msr     mdscr_el1, x0
        mov     x0, #(1 << 8)
        msr     mdcr_el2, x0
        ldr     x0, =el1
        msr     elr_el2, x0
        ldr     x0, =${0x3c5 | (1 << 21)}
        msr     spsr_el2, x0
        eret
el1:    mov     x1, #9
        b       .`);
    g.m.run(200);
    const pe = g.pe;
    assert.equal(x(pe, 1), 9);
    assert.equal(pe.pc, g.sym('vec2') + 0x400);
    assert.equal(sr(pe, 'ESR_EL2'), 0xcb000022);
    assert.equal(sr(pe, 'ELR_EL2'), g.sym('el1') + 4);
  });
});

describe('self-hosted debug: MDCR_EL2 traps', () => {
  it('TDA traps EL1 accesses to DBGBVR/DBGBCR to EL2 (EC 0x18 with the MSR/MRS ISS); TDOSA traps OSLAR_EL1', () => {
    const g = boot(`
        mov     x0, #(1 << 9)
        msr     mdcr_el2, x0
        bl      to_el1
tda:    msr     dbgbvr0_el1, x5
        b       .`);
    g.m.run(200);
    let pe = g.pe;
    assert.equal(pe.pc, g.sym('vec2') + 0x400);
    // Op0 = 2, Op2 = 4, Op1 = 0, CRn = 0, Rt = 5, CRm = 0, write
    assert.equal(sr(pe, 'ESR_EL2'), 0x622800a0);
    assert.equal(sr(pe, 'ELR_EL2'), g.sym('tda'));

    const r = boot(`
        mov     x0, #(1 << 9)
        msr     mdcr_el2, x0
        bl      to_el1
        mrs     x7, dbgbcr1_el1
        b       .`);
    r.m.run(200);
    assert.equal(sr(r.pe, 'ESR_EL2'), 0x622a00e3, 'Op2 = 5, CRm = 1, Rt = 7, read');

    const o = boot(`
        mov     x0, #(1 << 9)    // TDA does not trap the OS lock registers
        msr     mdcr_el2, x0
        bl      to_el1
        msr     oslar_el1, xzr
        mov     x1, #1
        mov     x0, #(1 << 10)
        b       .`);
    o.m.run(200);
    assert.equal(x(o.pe, 1), 1);
    assert.equal(o.pe.osLock, 0);

    const t = boot(`
        mov     x0, #(1 << 10)
        msr     mdcr_el2, x0
        bl      to_el1
oslar:  msr     oslar_el1, xzr
        b       .`);
    t.m.run(200);
    pe = t.pe;
    assert.equal(pe.pc, t.sym('vec2') + 0x400);
    // Op0 = 2, Op2 = 4, Op1 = 0, CRn = 1, Rt = 31, CRm = 0, write
    assert.equal(sr(pe, 'ESR_EL2'), 0x622807e0);
    assert.equal(sr(pe, 'ELR_EL2'), t.sym('oslar'));
    assert.equal(pe.osLock, 1, 'the write did not happen');
  });

  it('TDRA traps MDRAR_EL1; EL0 DCC access traps to EL1 with MDSCR_EL1.TDCC', () => {
    const g = boot(`
        mov     x0, #(1 << 11)
        msr     mdcr_el2, x0
        bl      to_el1
        mrs     x3, mdrar_el1
        b       .`);
    g.m.run(200);
    assert.equal(sr(g.pe, 'ESR_EL2'), 0x62200461, 'Op0 = 2, CRn = 1, CRm = 0, Op2 = 0, Rt = 3, read');
    const d = boot(`
        bl      to_el1
        mov     x0, #(1 << 12)
        msr     mdscr_el1, x0
        bl      to_el0
dcc:    mrs     x4, mdccsr_el0
        b       .`, 'b .');
    d.m.run(200);
    assert.equal(d.pe.pc, d.sym('el1_lower_sync'));
    // Op0 = 2, Op2 = 0, Op1 = 3, CRn = 0, Rt = 4, CRm = 1, read
    assert.equal(sr(d.pe, 'ESR_EL1'), 0x6220c083);
    assert.equal(sr(d.pe, 'ELR_EL1'), d.sym('dcc'));
  });
});

describe('self-hosted debug and the debugger', () => {
  it("a debugger breakpoint at a guest breakpoint's address stops first; continuing takes the guest's exception", () => {
    const g = boot(`
        msr     oslar_el1, xzr
        bl      to_el1
${armBreakpoint('target', BCR_EL1_EL0, MDE_KDE)}
        nop
target: add     x1, x1, #1
        b       .`);
    const engine = new BreakpointEngine(g.m);
    let hits = 0;
    engine.add({ va: g.sym('target'), hit: () => { hits++; return true; } });
    engine.arm();
    const r = g.m.run(500);
    const pe = g.pe;
    assert.equal(r.reason, 'paused');
    assert.equal(hits, 1);
    assert.equal(pe.pc, g.sym('target'), 'the debugger stopped before the instruction');
    assert.equal(pe.el, 1, 'no guest exception yet');
    engine.resumeFrom(pe);
    g.m.run(500);
    assert.equal(pe.pc, g.sym('vec1') + 0x200, "the guest's breakpoint exception on continue");
    assert.equal(sr(pe, 'ESR_EL1'), 0xc6000022);
    assert.equal(sr(pe, 'ELR_EL1'), g.sym('target'));
    assert.equal(x(pe, 1), 0);
    assert.equal(hits, 1);
  });

  it("debugger watchpoints and the guest's chain: the guest's exception comes first and the debugger sees no access", () => {
    const g = boot(`
        msr     oslar_el1, xzr
        bl      to_el1
        ldr     x2, =${DATA}
        msr     dbgwvr0_el1, x2
        ldr     x0, =0x1ff7
        msr     dbgwcr0_el1, x0
        ldr     x0, =${MDE_KDE}
        msr     mdscr_el1, x0
        isb
        str     x1, [x2, #16]    // the debugger's watchpoint only
        str     x1, [x2]
        b       .`);
    const engine = new BreakpointEngine(g.m);
    const seen: number[] = [];
    engine.setWatchpoints([{ space: 'va', start: DATA, end: DATA + 32, onRead: false, onWrite: true, hit: (_pe, a) => { seen.push(a.va); return false; } }]);
    g.m.run(500);
    assert.deepEqual(seen, [DATA + 16]);
    assert.equal(sr(g.pe, 'ESR_EL1'), 0xd6000062);
    assert.equal(sr(g.pe, 'FAR_EL1'), DATA);
  });

  it('a snapshot restore rebuilds the data-access hook from the restored state', () => {
    const g = boot(`
        msr     oslar_el1, xzr
        bl      to_el1
        ldr     x2, =${DATA}
        msr     dbgwvr0_el1, x2
        ldr     x0, =0x1ff7
        msr     dbgwcr0_el1, x0
        ldr     x0, =${MDE_KDE}
        msr     mdscr_el1, x0
        isb
        b       .`);
    const s = g.m.snapshot();
    assert.equal(g.pe.accessHook, null);
    g.m.run(200);
    assert.notEqual(g.pe.accessHook, null, 'armed');
    const armed = g.m.snapshot();
    g.m.restore(s);
    assert.equal(g.pe.accessHook, null);
    g.m.restore(armed);
    assert.notEqual(g.pe.accessHook, null);
  });
});

describe('self-hosted debug exceptions in the adapter', () => {
  /** Runs `body` at EL1 with the OS lock clear and returns the 'el-entry' filter's matches of the exceptions taken. */
  function entries(body: string): { g: Guest; matches: ReturnType<ExceptionFilterDef['match']>[] } {
    const g = boot(`
        msr     oslar_el1, xzr
        bl      to_el1
${body}`);
    const events: ExceptionEntryEvent[] = [];
    g.m.bus.on('exceptionEntry', (e) => events.push(e));
    g.m.run(300);
    const filter = findFilter('el-entry')!;
    return { g, matches: events.map((e) => filter.match('exceptionEntry', e, { pe: (id: number) => g.m.pes[id] })) };
  }

  it('are exceptionEntry events the exception filters match by ec, with a description naming the cause and FAR', () => {
    const w = entries(`
        ldr     x2, =${DATA}
        msr     dbgwvr0_el1, x2
        ldr     x0, =0x1ff7
        msr     dbgwcr0_el1, x0
        ldr     x0, =${MDE_KDE}
        msr     mdscr_el1, x0
        isb
        str     x1, [x2, #8]
        str     x1, [x2]
        b       .`);
    assert.equal(w.matches.length, 1);
    const m0 = w.matches[0]!;
    assert.equal(m0.fields.ec, 0x35);
    assert.equal(m0.fields.far, DATA);
    assert.equal(m0.description, `Exception at EL1: Watchpoint (write), ESR_EL1=0xD6000062, FAR_EL1=0x${DATA.toString(16)}`);

    const b = entries(`
${armBreakpoint('target', BCR_EL1_EL0, MDE_KDE)}
target: b       .`);
    assert.equal(b.matches.length, 1);
    const m1 = b.matches[0]!;
    assert.equal(m1.fields.ec, 0x31);
    assert.equal(m1.fields.elr, b.g.sym('target'));
    assert.equal(m1.description, 'Exception at EL1: Hardware breakpoint, ESR_EL1=0xC6000022');
  });
});
