// Memory layout and record formats shared by the fuzz harness generator (harness.ts), the case
// generator (cases.ts) and the result readers (run.ts). All addresses are physical = virtual
// (the harness maps RAM 1:1), inside QEMU virt's RAM at 0x4000_0000 (QEMU is run with -m 1G,
// the simulator's default RAM size).

/** Harness code, vectors and literal pools (EL1/EL2 only: AP=00 in the EL1&0 tables). */
export const HARNESS_BASE = 0x4000_0000;
/** Translation tables: EL1&0 level 1 and level 2, EL2 level 1 and level 2 (4 KiB each). */
export const PT_BASE = 0x4010_0000;
/** Harness configuration and variables (see HV below). */
export const HV_BASE = 0x4018_0000;
/** Test slots: one per case, `insn; svc #1; svc #2` (read-only, executable at every EL). */
export const SLOT_BASE = 0x4020_0000;
export const SLOT_SIZE = 12;
/** The buffer that loads and stores address; restored from PRISTINE before every case. */
export const PRISTINE_BASE = 0x4040_0000;
export const BUF_BASE = 0x4044_0e00; // its middle is a page boundary: accesses around the base cross pages
export const BUF_SIZE = 1024;
/** Input records (one per case) and output records. */
export const IN_BASE = 0x4100_0000;
export const OUT_BASE = 0x4800_0000;
/** RAM size given to both QEMU (-m) and the simulator. */
export const RAM_MIB = 1024;
/** Addresses that are not mapped by the harness's tables (translation faults at level 1/0). */
export const UNMAPPED_BASE = 0x8000_0000;

/** Harness variables (8-byte words at HV_BASE + offset). */
export const HV = {
  CASES_LEFT: 0x00,
  IN_PTR: 0x08,
  OUT_PTR: 0x10,
  SLOT_PTR: 0x18,
  /** SPSR value for the ERET into the slot, without NZCV (EL0t 0x3c0, EL1h 0x3c5, EL2h 0x3c9). */
  SPSR_MODE: 0x20,
  /** Exception level of the test slot (0, 1 or 2). */
  TEST_EL: 0x28,
  /** 1: write the output records to the file named at FILE_NAME through semihosting. */
  DUMP: 0x30,
  OUT_LEN: 0x38,
  FILE_NAME_LEN: 0x40,
  /** 1: skip the buffer restore and checksum (the random-word mode compares nothing). */
  LIGHT: 0x60,
  /** Semihosting parameter block (3 words). */
  PARAMS: 0x48,
  FILE_NAME: 0x100,
} as const;

/** Input record: 8-byte words. */
export const IN = {
  X: 0, // X0..X30: words 0..30
  SP: 31,
  NZCV: 32, // bits [31:28]
  FPCR: 33,
  FPSR: 34,
  V: 36, // V0..V31: 2 words each (low, high), 16-byte aligned
  WORDS: 100,
} as const;

/** Output record: 8-byte words. */
export const OUT = {
  X: 0,
  SP: 31,
  NZCV: 32,
  FPCR: 33,
  FPSR: 34,
  /** 1 or 2: the slot reached `svc #1` (fell through) or `svc #2` (branched to +8); 0x10|EL: exception taken to EL. */
  KIND: 35,
  ESR: 36,
  ELR: 37,
  FAR: 38,
  MEMSUM: 39,
  V: 40,
  WORDS: 104,
} as const;
