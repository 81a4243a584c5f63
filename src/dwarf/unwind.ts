// One step of call-frame unwinding from CFI (DWARF 5 §6.4 "Call Frame
// Information"; AArch64 specifics from AADWARF64 §4): given the registers of a
// frame and the CFI row at its PC, the caller's registers. Machine-independent:
// registers and memory are read through callbacks, so the debugger plugs in a
// PE (live or at an exception entry) and tests plug in plain maps.

import { evaluateLocation, evaluateValue, type EvalContext } from './expr';
import type { CfiRow } from './cfi';

/** DWARF register numbers of AArch64 (AADWARF64 §4.1). */
export const DW_REG_SP = 31;
export const DW_REG_LR = 30;
/** Not a DWARF register (AADWARF64 gives the PC none): the slot this module keeps the frame's PC in. */
export const DW_REG_PC = 32;

/** A frame's registers by DWARF number; a missing entry is a register whose value is not known in this frame. */
export type Registers = Map<number, bigint>;

export interface UnwindMemory {
  /** Little-endian value of `size` bytes at `address`; undefined when unreadable. */
  read(address: bigint, size: number): bigint | undefined;
}

export interface UnwoundCaller {
  /** The caller's registers; its DW_REG_PC entry is the return address (authentication code removed). */
  registers: Registers;
  /** The CFA of the frame unwound (the caller's SP, AADWARF64 §4.1). */
  cfa: bigint;
  /** Where each register of the caller was saved, when the rule put it in memory (for writing variables back). */
  savedAt: Map<number, bigint>;
}

const M64 = (1n << 64n) - 1n;

/**
 * Removes a pointer authentication code from a return address signed per
 * RA_SIGN_STATE (AADWARF64 §4.4.2): the PAC occupies the bits above the
 * virtual address size (DDI0487 D8.8 "Pointer authentication"); with 48-bit
 * VAs bit 55 selects the upper or lower range, and the PAC bits are replaced
 * by copies of it.
 */
export function stripPac(ra: bigint, vaBits = 48): bigint {
  const upper = ((ra >> 55n) & 1n) === 1n;
  const mask = (1n << BigInt(vaBits)) - 1n;
  return upper ? (ra | ~mask) & M64 : ra & mask;
}

/**
 * Registers that keep their value across a call when CFI gives no rule for
 * them: the callee-saved X19–X29 (AAPCS64 §6.1.1). X0–X18 and X30 are
 * corruptible, so in a caller frame their values are unknown unless a rule says
 * where they were saved.
 */
function calleeSaved(reg: number): boolean {
  return reg >= 19 && reg <= 29;
}

/**
 * Computes the caller's registers from `regs` (this frame's) and `row` (the CFI
 * row at this frame's PC); `savedHere` is where this frame's registers are stored
 * in memory (from the step before), passed on for registers this frame keeps. Undefined when the CFA cannot be computed or the
 * return address is undefined (the outermost frame, DWARF 5 §6.4.4).
 */
export function unwindStep(row: CfiRow, regs: Registers, mem: UnwindMemory, savedHere: Map<number, bigint> = new Map()): UnwoundCaller | undefined {
  const ctx: EvalContext = {
    readRegister: (n) => regs.get(n),
    readMemory: (a, size) => mem.read(a, size),
  };
  let cfa: bigint | undefined;
  if (row.cfa.kind === 'reg-offset') {
    const base = regs.get(row.cfa.reg);
    if (base === undefined) return undefined;
    cfa = (base + row.cfa.offset) & M64;
  } else {
    cfa = evaluateValue(row.cfa.ops, ctx);
  }
  if (cfa === undefined) return undefined;
  const out: Registers = new Map();
  const savedAt = new Map<number, bigint>();
  for (const [reg, v] of regs) {
    if (!calleeSaved(reg)) continue;
    out.set(reg, v);
    // Untouched by this frame: the caller's value is stored where this frame's is (if anywhere).
    const at = savedHere.get(reg);
    if (at !== undefined) savedAt.set(reg, at);
  }
  // The caller's SP is the CFA (AADWARF64 §4.1: "the CFA is the value of SP at the call site").
  out.set(DW_REG_SP, cfa);
  const withCfa: EvalContext = { ...ctx, cfa: () => cfa };
  for (const [reg, rule] of row.registers) {
    savedAt.delete(reg);
    switch (rule.kind) {
      case 'undefined': out.delete(reg); break;
      case 'same-value': {
        const v = regs.get(reg);
        if (v === undefined) out.delete(reg); else out.set(reg, v);
        const at = savedHere.get(reg);
        if (at !== undefined) savedAt.set(reg, at);
        break;
      }
      case 'offset': {
        const at = (cfa + rule.offset) & M64;
        const v = mem.read(at, 8);
        if (v === undefined) out.delete(reg); else { out.set(reg, v); savedAt.set(reg, at); }
        break;
      }
      case 'val-offset': out.set(reg, (cfa + rule.offset) & M64); break;
      case 'register': { const v = regs.get(rule.reg); if (v === undefined) out.delete(reg); else out.set(reg, v); break; }
      case 'expression': {
        const loc = evaluateLocation(rule.ops, withCfa, { initialStack: [cfa] });
        const v = loc.kind === 'memory' ? mem.read(loc.address, 8) : undefined;
        if (v === undefined || loc.kind !== 'memory') out.delete(reg); else { out.set(reg, v); savedAt.set(reg, loc.address); }
        break;
      }
      case 'val-expression': {
        const loc = evaluateLocation(rule.ops, withCfa, { initialStack: [cfa] });
        const v = loc.kind === 'memory' ? loc.address : loc.kind === 'value' ? loc.value : undefined;
        if (v === undefined) out.delete(reg); else out.set(reg, v & M64);
        break;
      }
    }
  }
  // The return address column (the CIE's, X30 for AArch64) gives the caller's PC. A register
  // with no rule in the return-address column keeps its value ("same value"): a leaf that
  // never saved LR returns through the LR it was called with.
  const raReg = row.fde.cie.raReg;
  const raRule = row.registers.get(raReg);
  if (raRule?.kind === 'undefined') return undefined;
  let ra = raRule ? out.get(raReg) : regs.get(raReg);
  if (ra === undefined) return undefined;
  if (row.raSigned) ra = stripPac(ra);
  out.set(DW_REG_PC, ra);
  return { registers: out, cfa, savedAt };
}
