// The fuzz harness: a bare-metal AArch64 program (GNU as syntax, assembled by our own assembler)
// that runs many one-instruction test cases in one boot, under QEMU and under the simulator.
//
// For each case it restores the memory buffer, loads the input record (X0–X30, SP, NZCV, FPCR,
// FPSR, V0–V31) and ERETs into the case's slot `insn; svc #1; svc #2` at the test EL. Every way
// out of the slot is a synchronous exception: the `svc` after the instruction (fell through, or
// branched to +8), or whatever the instruction itself raised. The handler at the harness EL (EL1
// for EL0/EL1 cases, EL2 for EL2 cases) writes the output record (registers as left by the
// instruction, NZCV from SPSR, ESR/ELR/FAR when the instruction raised, a checksum of the buffer)
// and starts the next case. The MMU is on (identity map, Normal memory for RAM) so that misaligned
// accesses complete as the architecture says (with the MMU off all data accesses are Device
// accesses and QEMU 7.2 does not fault misaligned ones).
import { assemble } from '../../src/asm/assembler';
import { writeElf } from '../../src/asm/elf-writer';
import type { AsmSection, AssemblyResult } from '../../src/asm/assembler/types';
import {
  BUF_BASE, BUF_SIZE, HARNESS_BASE, HV, HV_BASE, IN, IN_BASE, OUT, OUT_BASE, PRISTINE_BASE, PT_BASE, SLOT_BASE, SLOT_SIZE,
} from './layout';

const hex = (n: number): string => '0x' + n.toString(16);

/** SCTLR values: RES1 bits (as test/diff/include/harness.inc) + M, C, I; EL1 also nTWI/nTWE. */
const SCTLR_EL1 = 0x30d00800 | 1 | (1 << 2) | (1 << 12) | (1 << 16) | (1 << 18);
const SCTLR_EL2 = 0x30c50830 | 1 | (1 << 2) | (1 << 12);
/** MAIR: Attr0 Normal write-back (the only one the tables use), Attr1 Device-nGnRnE. */
const MAIR = 0x00ff;
/** TCR: T0SZ=32 (4 GiB, walks start at level 1), 4 KiB granule, WB inner shareable walks, IPS/PS=32 bits. */
const TCR_EL1 = 32 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23); // EPD1: no TTBR1 walks
const TCR_EL2 = (32 | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (1 << 31)) >>> 0; // bits 23, 31 RES1

function handler(el: 1 | 2): string {
  const e = `el${el}`;
  const x = (i: number) => `x${i}`;
  let s = `
h_sync_${e}:
        msr     tpidr_${e}, x0
        MOV32   x0, ${hex(HV_BASE)}
        ldr     x0, [x0, #${HV.OUT_PTR}]
`;
  for (let i = 1; i < 30; i += 2) s += `        stp     ${x(i)}, ${x(i + 1)}, [x0, #${(OUT.X + i) * 8}]\n`;
  s += `        mrs     x1, tpidr_${e}
        str     x1, [x0, #${OUT.X * 8}]
        MOV32   x9, ${hex(HV_BASE)}
        ldr     x2, [x9, #${HV.TEST_EL}]
        mov     x1, sp
        cbnz    x2, 1f
        mrs     x1, sp_el0
1:      ${el === 2 ? `cmp x2, #1\n        b.ne 1f\n        mrs x1, sp_el1\n1:` : ''}
        str     x1, [x0, #${OUT.SP * 8}]
        mrs     x1, spsr_${e}
        and     x1, x1, #0xf0000000
        str     x1, [x0, #${OUT.NZCV * 8}]
        mrs     x1, fpcr
        mrs     x2, fpsr
        stp     x1, x2, [x0, #${OUT.FPCR * 8}]
        mrs     x1, esr_${e}
        mrs     x2, elr_${e}
        mrs     x3, far_${e}
        ldr     x4, [x9, #${HV.SLOT_PTR}]
        ubfx    x5, x1, #26, #6
        cmp     x5, #0x15
        b.ne    2f
        sub     x6, x2, x4
        cmp     x6, #8
        b.eq    3f
        cmp     x6, #12
        b.ne    2f
        mov     x6, #2
        b       4f
3:      mov     x6, #1
4:      stp     x6, xzr, [x0, #${OUT.KIND * 8}]
        stp     xzr, xzr, [x0, #${OUT.ELR * 8}]
        b       5f
2:      // the instruction raised: FAR is valid for EC 0x20..0x25 (aborts, PC alignment) only
        mov     x6, #${0x10 | el}
        stp     x6, x1, [x0, #${OUT.KIND * 8}]
        sub     x7, x5, #0x20
        cmp     x7, #5
        csel    x3, x3, xzr, ls
        stp     x2, x3, [x0, #${OUT.ELR * 8}]
5:      add     x1, x0, #${OUT.V * 8}
`;
  for (let i = 0; i < 32; i += 2) s += `        stp     q${i}, q${i + 1}, [x1], #32\n`;
  s += `        // buffer checksum: h = (h ^ w) * K over the 64-bit words
        mov     x1, xzr
        ldr     x2, [x9, #${HV.LIGHT}]
        cbnz    x2, 7f
        MOV32   x2, ${hex(BUF_BASE)}
        mov     x3, #${BUF_SIZE / 8}
        MOV64   x6, 0x9e3779b97f4a7c15
6:      ldr     x5, [x2], #8
        eor     x1, x1, x5
        mul     x1, x1, x6
        subs    x3, x3, #1
        b.ne    6b
7:      str     x1, [x0, #${OUT.MEMSUM * 8}]
        // next records
        add     x0, x0, #${OUT.WORDS * 8}
        str     x0, [x9, #${HV.OUT_PTR}]
        ldr     x0, [x9, #${HV.IN_PTR}]
        add     x0, x0, #${IN.WORDS * 8}
        str     x0, [x9, #${HV.IN_PTR}]
        add     x4, x4, #12
        str     x4, [x9, #${HV.SLOT_PTR}]
        b       next_case_${e}

next_case_${e}:
        MOV32   x9, ${hex(HV_BASE)}
        ldr     x1, [x9, #${HV.CASES_LEFT}]
        cbz     x1, finish
        sub     x1, x1, #1
        str     x1, [x9, #${HV.CASES_LEFT}]
        ldr     x2, [x9, #${HV.LIGHT}]
        cbnz    x2, 3f
        MOV32   x2, ${hex(PRISTINE_BASE)}
        MOV32   x3, ${hex(BUF_BASE)}
        mov     x4, #${BUF_SIZE / 16}
1:      ldp     x5, x6, [x2], #16
        stp     x5, x6, [x3], #16
        subs    x4, x4, #1
        b.ne    1b
3:
        ldr     x0, [x9, #${HV.IN_PTR}]
        ldr     x1, [x9, #${HV.SLOT_PTR}]
        msr     elr_${e}, x1
        ldr     x2, [x0, #${IN.NZCV * 8}]
        ldr     x3, [x9, #${HV.SPSR_MODE}]
        orr     x2, x2, x3
        msr     spsr_${e}, x2
        ldp     x2, x3, [x0, #${IN.FPCR * 8}]
        msr     fpcr, x2
        msr     fpsr, x3
        ldr     x2, [x0, #${IN.SP * 8}]
        ldr     x3, [x9, #${HV.TEST_EL}]
        cbnz    x3, 1f
        msr     sp_el0, x2
        b       2f
1:      ${el === 2 ? `cmp x3, #1\n        b.ne 1f\n        msr sp_el1, x2\n        b 2f\n1:` : ''}
        mov     sp, x2
2:      clrex
        add     x1, x0, #${IN.V * 8}
`;
  for (let i = 0; i < 32; i += 2) s += `        ldp     q${i}, q${i + 1}, [x1], #32\n`;
  for (let i = 2; i < 30; i += 2) s += `        ldp     x${i}, x${i + 1}, [x0, #${i * 8}]\n`;
  s += `        ldr     x30, [x0, #${30 * 8}]
        ldp     x0, x1, [x0]
        eret
`;
  return s;
}

/** Vector table: synchronous exceptions from the current EL with SPx and from a lower EL go to the handler; anything else ends the run. */
function vectors(el: 1 | 2): string {
  const e = `el${el}`;
  let s = `        .balign 2048\nvectors_${e}:\n`;
  for (let i = 0; i < 16; i++) {
    const sync = i === 4 || i === 8;
    s += `        .balign 128\n        ${sync ? `b h_sync_${e}` : `mov x0, #${0x100 + i}\n        b unexpected`}\n`;
  }
  return s;
}

/** The harness source (GNU as syntax; also accepted by `aarch64-linux-gnu-as`). */
export function harnessSource(): string {
  return `// Generated by tools/fuzz/harness.ts — the fuzz harness (see that file's header).
        .macro MOV32 reg, val
        movz    \\reg, #((\\val) & 0xffff)
        movk    \\reg, #(((\\val) >> 16) & 0xffff), lsl #16
        .endm
        .macro MOV64 reg, val
        movz    \\reg, #((\\val) & 0xffff)
        movk    \\reg, #(((\\val) >> 16) & 0xffff), lsl #16
        movk    \\reg, #(((\\val) >> 32) & 0xffff), lsl #32
        movk    \\reg, #(((\\val) >> 48) & 0xffff), lsl #48
        .endm

        .text
        .global _start
_start:                                 // QEMU virt starts here at EL2 with the MMU off
        adr     x0, vectors_el2
        msr     vbar_el2, x0
        adr     x0, vectors_el1
        msr     vbar_el1, x0
        mov     x0, #(1 << 31)          // HCR_EL2.RW: EL1 is AArch64; no traps to EL2
        msr     hcr_el2, x0
        mov     x0, #0x33ff             // CPTR_EL2: RES1 bits, TFP=0
        msr     cptr_el2, x0
        mov     x0, #(3 << 20)          // CPACR_EL1.FPEN=0b11
        msr     cpacr_el1, x0
        mov     x0, #3
        msr     cnthctl_el2, x0
        msr     cntvoff_el2, xzr
        msr     vttbr_el2, xzr
        msr     sctlr_el1, xzr
        MOV32   x0, ${hex(MAIR)}
        msr     mair_el1, x0
        msr     mair_el2, x0
        MOV32   x0, ${hex(TCR_EL1)}
        msr     tcr_el1, x0
        MOV32   x0, ${hex(TCR_EL2)}
        msr     tcr_el2, x0
        MOV32   x0, ${hex(PT_BASE)}
        msr     ttbr0_el1, x0
        MOV32   x0, ${hex(PT_BASE + 0x2000)}
        msr     ttbr0_el2, x0
        dsb     sy
        tlbi    alle2
        tlbi    vmalle1
        dsb     sy
        isb
        MOV32   x0, ${hex(SCTLR_EL2)}
        msr     sctlr_el2, x0
        MOV32   x0, ${hex(SCTLR_EL1)}
        msr     sctlr_el1, x0
        isb
        MOV32   x9, ${hex(HV_BASE)}
        ldr     x1, [x9, #${HV.TEST_EL}]
        cmp     x1, #2
        b.eq    next_case_el2
        adr     x0, next_case_el1         // EL0 and EL1 cases: the harness runs at EL1h
        msr     elr_el2, x0
        mov     x0, #0x3c5
        msr     spsr_el2, x0
        eret

finish:                                 // at the harness EL (EL1 or EL2)
        MOV32   x9, ${hex(HV_BASE)}
        ldr     x1, [x9, #${HV.DUMP}]
        cbz     x1, 9f
        add     x1, x9, #${HV.FILE_NAME}      // SYS_OPEN(name, "wb", len)
        mov     x2, #5
        ldr     x3, [x9, #${HV.FILE_NAME_LEN}]
        stp     x1, x2, [x9, #${HV.PARAMS}]
        str     x3, [x9, #${HV.PARAMS + 16}]
        mov     w0, #0x01
        add     x1, x9, #${HV.PARAMS}
        hlt     #0xf000
        mov     x10, x0
        MOV32   x2, ${hex(OUT_BASE)}     // SYS_WRITE(handle, OUT_BASE, OUT_LEN)
        ldr     x3, [x9, #${HV.OUT_LEN}]
        stp     x10, x2, [x9, #${HV.PARAMS}]
        str     x3, [x9, #${HV.PARAMS + 16}]
        mov     w0, #0x05
        add     x1, x9, #${HV.PARAMS}
        hlt     #0xf000
        str     x10, [x9, #${HV.PARAMS}]    // SYS_CLOSE(handle)
        mov     w0, #0x02
        add     x1, x9, #${HV.PARAMS}
        hlt     #0xf000
9:      mov     x0, #0                      // exit 0
        b       exit

unexpected:                             // an asynchronous exception or SP_EL0 vector: exit code 0x1xx
exit:   MOV32   x9, ${hex(HV_BASE)}
        MOV32   x1, 0x20026
        stp     x1, x0, [x9, #${HV.PARAMS}]
        add     x1, x9, #${HV.PARAMS}
        mov     w0, #0x20                   // SYS_EXIT_EXTENDED(ApplicationExit, code)
        hlt     #0xf000
        b       .
${handler(1)}
${handler(2)}
${vectors(1)}
${vectors(2)}
`;
}

let assembled: AssemblyResult | undefined;

/** The harness assembled by our own assembler at HARNESS_BASE (cached). */
export function assembleHarness(): AssemblyResult {
  if (assembled) return assembled;
  const r = assemble(harnessSource(), { fileName: 'fuzz-harness.S', linkAddress: BigInt(HARNESS_BASE) });
  if (r.errors.length) throw new Error('fuzz harness does not assemble:\n' + r.errors.map((d) => `${d.line}: ${d.message}`).join('\n'));
  assembled = r;
  return r;
}

// Translation table descriptors (DDI0487 D8.3, VMSAv8-64 Stage 1, 4 KiB granule).
const AF = 1n << 10n, SH_INNER = 3n << 8n, TABLE = 3n, BLOCK = 1n;
const UXN = 1n << 54n, PXN = 1n << 53n;
const ATTR_NORMAL = 0n << 2n;
const AP_RW_EL1 = 0n << 6n, AP_RW_ALL = 1n << 6n, AP_RO_ALL = 3n << 6n;

/**
 * The translation tables: level 1 points 1–2 GiB at a level-2 table of 2 MiB blocks; 0–1 GiB (the
 * devices: an address computed from random registers must not reach flash or the GIC, which the
 * simulator does not model alike) and 2–4 GiB are unmapped (translation faults, level 1).
 * EL1&0 regime: harness block EL1-only; slots read-only and executable at EL0 and EL1; the rest
 * read/write at EL0 and EL1, never executable. EL2 regime: the same with AP[1]=1 (one privilege
 * level, DDI0487 D8.4.1: AP[1] is RES1 there) and XN for PXN/UXN.
 */
function pageTables(): Uint8Array {
  const out = new Uint8Array(0x4000);
  const dv = new DataView(out.buffer);
  const put = (off: number, v: bigint) => dv.setBigUint64(off, v, true);
  for (const [base, el2] of [[0, false], [0x2000, true]] as const) {
    const l1 = base, l2 = base + 0x1000;
    const xn = el2 ? UXN : UXN | PXN;
    put(l1, 0n); // 0–1 GiB (flash, GIC, UART …) unmapped: the harness prints nothing, and a stray access faults
    put(l1 + 8, BigInt(PT_BASE + l2) | TABLE);
    for (let i = 0; i < 512; i++) {
      const pa = BigInt(0x4000_0000 + i * 0x20_0000);
      const attrs = i === 0 ? (el2 ? AP_RW_ALL : AP_RW_EL1) | (el2 ? 0n : UXN)
        : i === 1 ? AP_RO_ALL
        : AP_RW_ALL | xn;
      put(l2 + i * 8, pa | AF | SH_INNER | ATTR_NORMAL | attrs | BLOCK);
    }
  }
  return out;
}

/** One test case: the instruction word and its input record (IN.WORDS 64-bit words). */
export interface FuzzCase {
  word: number;
  input: BigUint64Array;
}

export interface FuzzImage {
  segments: { addr: number; data: Uint8Array }[];
  entry: number;
}

const SVC1 = 0xd4000021, SVC2 = 0xd4000041;

/** Builds the loadable image for a batch of cases at one test EL. */
export function buildImage(cases: readonly FuzzCase[], testEL: 0 | 1 | 2, pristine: Uint8Array, dumpFile?: string, light = false): FuzzImage {
  const h = assembleHarness();
  const segments: { addr: number; data: Uint8Array }[] = [];
  for (const s of h.sections) if (s.flags.alloc && s.data.length) segments.push({ addr: Number(s.address), data: s.data });
  segments.push({ addr: PT_BASE, data: pageTables() });
  const hv = new Uint8Array(0x200);
  const hd = new DataView(hv.buffer);
  const set = (off: number, v: number) => hd.setBigUint64(off, BigInt(v), true);
  set(HV.CASES_LEFT, cases.length);
  set(HV.IN_PTR, IN_BASE);
  set(HV.OUT_PTR, OUT_BASE);
  set(HV.SLOT_PTR, SLOT_BASE);
  set(HV.SPSR_MODE, [0x3c0, 0x3c5, 0x3c9][testEL]);
  set(HV.TEST_EL, testEL);
  set(HV.OUT_LEN, cases.length * OUT.WORDS * 8);
  set(HV.LIGHT, light ? 1 : 0);
  if (dumpFile) {
    const name = new TextEncoder().encode(dumpFile);
    if (name.length > 0x100 - 1) throw new Error(`dump file path too long: ${dumpFile}`);
    set(HV.DUMP, 1);
    set(HV.FILE_NAME_LEN, name.length);
    hv.set(name, HV.FILE_NAME);
  }
  segments.push({ addr: HV_BASE, data: hv });
  const slots = new Uint8Array(cases.length * SLOT_SIZE);
  const sd = new DataView(slots.buffer);
  const ins = new Uint8Array(cases.length * IN.WORDS * 8);
  cases.forEach((c, i) => {
    sd.setUint32(i * SLOT_SIZE, c.word >>> 0, true);
    sd.setUint32(i * SLOT_SIZE + 4, SVC1, true);
    sd.setUint32(i * SLOT_SIZE + 8, SVC2, true);
    ins.set(new Uint8Array(c.input.buffer, c.input.byteOffset, IN.WORDS * 8), i * IN.WORDS * 8);
  });
  segments.push({ addr: SLOT_BASE, data: slots });
  segments.push({ addr: PRISTINE_BASE, data: pristine });
  segments.push({ addr: IN_BASE, data: ins });
  return { segments, entry: Number(h.entry) };
}

/** The same image as an ELF executable (our ELF writer; one PT_LOAD per section). */
export function imageElf(img: FuzzImage): Uint8Array {
  const h = assembleHarness();
  const extra: AsmSection[] = img.segments
    .filter((s) => !h.sections.some((x) => x.flags.alloc && Number(x.address) === s.addr))
    .map((s, i) => ({
      name: `.fuzz${i}`, address: BigInt(s.addr), size: s.data.length, data: s.data, nobits: false, align: 8,
      flags: { ...h.sections[0].flags, exec: false, write: true }, mapping: [{ kind: 'data', offset: 0 }],
    } as AsmSection));
  return writeElf({ ...h, sections: [...h.sections, ...extra] });
}

export { BUF_BASE, BUF_SIZE, SLOT_BASE, SLOT_SIZE };
