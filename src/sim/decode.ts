// The A64 decoder: encoding records (mask/value and an Arm encoding-class name) contributed
// by the ISA modules, bucketed by the top-level op0 field (bits [28:25], DDI0487 C4.1).
// Decoding happens once per instruction word and address; the result is cached per page.
import { Flow, PLAIN_DECODERS, type Exec } from './exec';
import type { PE } from './pe';
import { DP_IMM } from './isa/dp-imm';
import { DP_REG } from './isa/dp-reg';
import { BRANCH_SYS } from './isa/branch';
import { SYSTEM } from './isa/system';
import { LDST } from './isa/ldst';
import { SIMD } from './isa/simd';

export interface Encoding {
  /** Arm ARM encoding class / instruction name, e.g. "ADD (immediate)". */
  name: string;
  /** Fixed bits: an encoding matches when (word & mask) === value. */
  mask: number;
  value: number;
  /** Builds the executor from the decoded fields; undefined means UNDEFINED (unallocated). */
  decode(word: number): Exec | undefined;
}

const buckets: Encoding[][] = Array.from({ length: 16 }, () => []);

/** Adds encodings to every op0 bucket they can match. Order within a module is priority order. */
export function addEncodings(list: Encoding[]): void {
  for (const e of list) {
    for (let op0 = 0; op0 < 16; op0++) {
      const bits = op0 << 25;
      const m = e.mask & (0xf << 25);
      if (((bits & m) >>> 0) === ((e.value & m) >>> 0)) buckets[op0].push(e);
    }
  }
}

addEncodings(SYSTEM);
addEncodings(BRANCH_SYS);
addEncodings(DP_IMM);
addEncodings(DP_REG);
addEncodings(LDST);
addEncodings(SIMD);

/** Executor for unallocated/unimplemented encodings: UNDEFINED in the guest. */
export const UNDEF: Exec = (pe: PE) => pe.undefinedInstruction();

/** Finds the encoding record for a word (for the debugger / disassembly cross-checks). */
export function findEncoding(word: number): Encoding | undefined {
  const list = buckets[(word >>> 25) & 0xf];
  for (const e of list) if (((word & e.mask) >>> 0) === (e.value >>> 0)) return e;
  return undefined;
}

export function decode(word: number): Exec {
  const e = findEncoding(word);
  if (e === undefined) return UNDEF;
  return e.decode(word) ?? UNDEF;
}
PLAIN_DECODERS.add(decode);

export { Flow };
