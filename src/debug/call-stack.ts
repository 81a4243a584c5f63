// The call stack of one exception level's context: unwinding by CFI
// (.debug_frame / .eh_frame through src/dwarf/unwind.ts) where the program has
// it, frame records (X29 chain, AAPCS64 §6.2.3) where it does not, and one
// frame per inlined subroutine at each PC (DWARF 5 §3.3.8: the call stack a C
// programmer expects shows inlined calls as frames). Machine access comes in
// through StackEnv so the module knows nothing of PEs or DAP.

import type { DwarfInfo, Scope } from '../dwarf/dwarf';
import type { AddressRange } from '../dwarf/lists';
import { DwarfError } from '../dwarf/reader';
import { DW_REG_LR, DW_REG_PC, DW_REG_SP, unwindStep, type Registers } from '../dwarf/unwind';

/** How a frame's C state is known (absent for frames of code without DWARF). */
export interface CFrameState {
  /** This frame's registers by DWARF number (unknown ones absent); DW_REG_PC is the frame's PC. */
  registers: Registers;
  /** PC for scope, location-list and CFI look-ups (the call instruction for callers). */
  lookupPc: bigint;
  /** How many inlined subroutines at lookupPc lie inside this frame (0: the innermost scope). */
  inlineDepth: number;
  /** For an inlined frame: the PC ranges of its DW_TAG_inlined_subroutine. */
  inlinedRanges?: AddressRange[];
  /** Innermost frame of the live registers: registers can be written. */
  live: boolean;
  /** Where the caller-saved copies of registers are in memory (from the CFI of the frame below). */
  savedAt: Map<number, bigint>;
  /** Index of the physical (machine) frame in this context, 0 innermost. */
  physical: number;
}

export interface StackFrameOut {
  pc: number;
  name: string;
  source?: { file: string; line: number };
  c?: CFrameState;
}

export interface StackEnv {
  dwarf?: DwarfInfo;
  /** Little-endian `size` bytes at a VA in the regime of the context's EL. */
  read(address: bigint, size: number): bigint | undefined;
  readWord(address: number): number | undefined;
  /** `name+0x10` style symbol for an address. */
  symbolName(pc: number): string;
  symbolOf(pc: number): string | undefined;
  source(pc: number): { file: string; line: number } | undefined;
  /** VBAR of the context's EL: the vector table ends an EL's stack. */
  vectorBase?: bigint;
  isCall(word: number): boolean;
}

const MAX_FRAMES = 64;

/** Frames of a context, innermost first, starting from `regs` (DWARF numbering, DW_REG_PC set). */
export function unwindContext(env: StackEnv, regs: Registers, live: boolean): StackFrameOut[] {
  const out: StackFrameOut[] = [];
  let savedAt = new Map<number, bigint>();
  for (let physical = 0; physical < MAX_FRAMES; physical++) {
    const ret = regs.get(DW_REG_PC)!;
    // Callers are shown at their call instruction (the return address - 4), and looked up there.
    const pc = physical === 0 ? ret : ret - 4n;
    pushFrames(env, out, regs, pc, live && physical === 0, savedAt, physical);
    const row = cfiRow(env.dwarf, pc);
    if (!row) {
      // Code without CFI (assembly). The vector table ends this EL's stack: what lies below it
      // is the interrupted context (its X29/X30 too), shown after its own synthetic frame.
      if (env.vectorBase !== undefined && pc >= env.vectorBase && pc < env.vectorBase + 0x800n) return out;
      for (const call of frameRecordCalls(env, regs, pc, physical === 0)) pushFrames(env, out, undefined, call, false, savedAt, ++physical);
      return out;
    }
    const caller = unwindStep(row, regs, { read: (a, n) => env.read(a, n) }, savedAt);
    if (!caller) return out;
    const next = caller.registers.get(DW_REG_PC)!;
    const sp = regs.get(DW_REG_SP);
    // The outermost frame: no return address, or a stack that does not grow back up.
    if (next === 0n || next % 4n !== 0n || (sp !== undefined && caller.cfa < sp) || (caller.cfa === sp && next === ret)) return out;
    regs = caller.registers;
    savedAt = caller.savedAt;
  }
  return out;
}

function cfiRow(dwarf: DwarfInfo | undefined, pc: bigint) {
  if (!dwarf) return undefined;
  try {
    return dwarf.cfaRulesAt(pc);
  } catch (e) {
    if (e instanceof DwarfError) return undefined;
    throw e;
  }
}

function scopes(dwarf: DwarfInfo | undefined, pc: bigint): Scope[] {
  if (!dwarf) return [];
  try {
    return dwarf.scopesAt(pc);
  } catch (e) {
    if (e instanceof DwarfError) return [];
    throw e;
  }
}

/** One frame per inlined subroutine holding pc (innermost first), then the function's own frame. */
function pushFrames(env: StackEnv, out: StackFrameOut[], regs: Registers | undefined, pc: bigint, live: boolean, savedAt: Map<number, bigint>, physical: number): void {
  const n = Number(pc);
  const fns = scopes(env.dwarf, pc).filter((s) => s.kind !== 'block');
  let source = env.source(n);
  const c = (inlineDepth: number, inlinedRanges?: AddressRange[]): CFrameState | undefined =>
    regs ? { registers: regs, lookupPc: pc, inlineDepth, inlinedRanges, live, savedAt, physical } : undefined;
  fns.forEach((s, depth) => {
    if (s.kind === 'inlined') {
      out.push({ pc: n, name: `${s.name ?? '?'} [inlined]`, source, c: c(depth, s.ranges) });
      // The caller of an inlined subroutine is at its call site.
      source = s.callFile !== undefined && s.callLine !== undefined ? { file: s.callFile, line: s.callLine } : source;
    }
  });
  const fn = fns.length > 0 ? fns[fns.length - 1] : undefined;
  const sym = env.symbolName(n);
  // The symbol keeps the offset inside the function (`level3+0x14`), as for code without DWARF.
  out.push({ pc: n, name: fn?.name && !sym.startsWith(fn.name) ? fn.name : sym, source, c: c(Math.max(0, fns.length - 1)) });
}

/**
 * Return addresses from the frame-record chain (X29 → {next X29, return address}),
 * with LR first when the function at pc has not pushed its record yet.
 * Callers (the call instruction) are returned.
 */
function frameRecordCalls(env: StackEnv, regs: Registers, pc: bigint, innermost: boolean): bigint[] {
  const chain: bigint[] = [];
  let f = regs.get(29) ?? 0n;
  for (let depth = 0; depth < MAX_FRAMES && f !== 0n && f % 8n === 0n; depth++) {
    const next = env.read(f, 8);
    const ret = env.read(f + 8n, 8);
    if (next === undefined || ret === undefined || ret === 0n) break;
    chain.push(ret);
    if (next <= f) break;
    f = next;
  }
  const lr = regs.get(DW_REG_LR) ?? 0n;
  if (innermost && lr !== 0n && lr % 4n === 0n && lr !== chain[0]) {
    const w = env.readWord(Number(lr - 4n));
    if (w !== undefined && env.isCall(w) && env.symbolOf(Number(lr - 4n)) !== env.symbolOf(Number(pc))) chain.unshift(lr);
  }
  return chain.map((r) => r - 4n);
}
