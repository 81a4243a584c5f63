// Compiles one region — consecutive instructions of one physical page from a block head, up to
// the first unconditional branch (B, BR/BLR/RET) or before the first instruction the compiler
// does not cover — into a WebAssembly function. Conditional branches inside a region are side
// exits: taken, the region ends there with the target as the next PC; not taken, it goes on
// with the next instruction. A taken branch back to the region's first instruction, from any
// point, is the back edge of a wasm `loop`, so a hot loop (also one with early exits or with
// its condition tested mid-body) runs without leaving wasm until its budget is spent.
//
// The function is `run(maxStart, pcLo, pcHi, base) -> instructions retired`: registers and NZCV
// are loaded from the PE's state block (at `base` in the RAM arena) into locals; the function
// counts instructions and modelled cycles (`used`, left at STATE.exitUsed) at each exit and back
// edge, and another pass starts only while `used <= maxStart` (the caller computes maxStart so
// that the interpreter would also have started the last instruction of a full pass — see
// jit.ts). At the exit the written registers and flags are stored back and the PC offset of the
// next instruction (relative to the first) is left at STATE.exitDelta (or the absolute target
// at STATE.exitPc). A load or store that leaves the region early (see emit-mem.ts) exits before
// its instruction j of the current pass (STATE.exitPart = j), which the interpreter then runs.
//
// Which instructions: the instruction's record is found with the interpreter's decoder table
// (findEncoding), its executor must decode (so UNDEFINED stays the interpreter's), and an emitter
// for that record (emit-dp.ts, emit-mem.ts, emit-branch.ts, emit-system.ts) must accept the word;
// the words of emit-callout.ts's classes run as the interpreter's own executors, called from the
// region.
import { findEncoding } from '../decode';
import { sext } from '../isa/common';
import { Bytes, Op, T, encodeModule } from './wasm-encoder';
import { EXIT_ABSOLUTE, Emitter, P_BASE, P_LIMIT, P_PCHI, P_PCLO, STATE } from './emitter';
import { DP_EMITTERS, type InsnEmitter } from './emit-dp';
import { BRANCH_EMITTERS, type BranchEmitter } from './emit-branch';
import { MEM_EMITTERS } from './emit-mem';
import { SYSTEM_EMITTERS } from './emit-system';
import { CALLOUT_EMITTERS, alwaysLeaves } from './emit-callout';

/** Longest region, in instructions (a bound on compile time and on code size per region). */
export const MAX_REGION = 64;

/** The compiled form of one region (shared by every PE; instantiated per PE state memory). */
export interface CompiledRegion {
  readonly module: WebAssembly.Module;
  /** Instructions in one pass through the region, and their page indices in order (B within the page is followed). */
  readonly n: number;
  readonly slots: readonly number[];
  /** Modelled cycles of one pass, and of its last instruction (cost model; n and 1 without one). */
  readonly passCost: number;
  readonly lastCost: number;
  /** Whether the region loads or stores (the entry then sets up STATE.memFlat and friends). */
  readonly memory: boolean;
  /** Whether a branch back to the first instruction makes it a loop. */
  readonly loops: boolean;
  /**
   * Instructions run by the interpreter's executor through the import "h"."co" (emit-callout.ts):
   * their indices in the region (as `slots`) and byte offsets from the first instruction.
   */
  readonly callouts: readonly number[];
  readonly calloutOffs: readonly number[];
  /** Whether NZCV must be copied in / out. */
  readonly flagsIn: boolean;
  readonly flagsOut: boolean;
  readonly bytes: number;
}

/** How the compiler sees the instruction words of a page at and after the region start. */
export interface RegionSource {
  /** Instruction word at index i of the page, or undefined if the slot must not be compiled (breakpoint). */
  word(i: number): number | undefined;
  /** Modelled cycles beyond one of the word (cost model), 0 without one. */
  extra(word: number): number;
}

const ALL: Record<string, InsnEmitter> = { ...DP_EMITTERS, ...MEM_EMITTERS, ...SYSTEM_EMITTERS, ...CALLOUT_EMITTERS };

/** Does the interpreter's table decode `w` to an executor (not UNDEFINED)? */
function allocated(w: number): string | undefined {
  const enc = findEncoding(w);
  if (enc === undefined || enc.decode(w) === undefined) return undefined;
  return enc.name;
}

/** Emits the instructions from index `start`; undefined if not even the first one compiles. */
export function compileRegion(src: RegionSource, start: number): CompiledRegion | undefined {
  const e = new Emitter();
  const taken = e.local(T.I32);
  const delta = e.delta, prefix = e.prefix;
  // The instruction bodies go between the prologue (register loads) and the epilogue, which are
  // known only once every instruction has been emitted; `e.body` collects the loop body.
  // Labels at the loop body's top level: 0 = loop (back edge), 1 = exit block, 2 = the block a
  // call-out leaves to (it skips the register write-back; see Emitter.callout).
  e.body.byte(Op.Block).byte(0x40).byte(Op.Block).byte(0x40).byte(Op.Loop).byte(0x40);
  let n = 0, lastCost = 1, ended = false, loops = false;
  const slots: number[] = [];
  // i: page index of the next instruction; a B within the page moves it (see below). `next` is
  // where execution goes on when the region ends before instruction i (falling off its end).
  let next = start;
  for (let i = start; i >= 0 && i < 1024 && n < MAX_REGION; i++) {
    next = i;
    if (slots.includes(i)) break;                       // joined code already in the region
    const w = src.word(i);
    if (w === undefined) break;
    const name = allocated(w);
    if (name === undefined) break;
    const c = 1 + src.extra(w);
    const bem = BRANCH_EMITTERS[name];
    e.insn = n;
    e.off = (i - start) * 4;
    if (bem !== undefined) {
      if (!bem.accepts(w)) break;
      slots.push(i);
      next = i + 1;
      // A branch retires with the instructions before it; a taken one leaves the pass.
      prefix.push(prefix[n] + c); lastCost = c; n++;
      if (bem.indirect !== undefined) {
        const target = e.temp(T.I64);
        bem.indirect(w, e, target);
        e.get(P_BASE).get(target).op(Op.I64Store).byte(3).u32(STATE.exitPc);
        e.retire(n).i32(EXIT_ABSOLUTE).set(delta).op(Op.Br).u32(1);
        e.endInsn();
        ended = true;
        break;
      }
      const rel = (w >>> 26) === 0x05 ? sext(w & 0x3ffffff, 26) * 4 : 0;   // B (not BL): its target
      const t = i + rel / 4;
      if ((w >>> 26) === 0x05 && t !== start && t >= 0 && t < 1024 && !slots.includes(t)) {
        // B to elsewhere in the page: nothing to do but go on compiling at the target (the
        // offsets of the instructions there say where they are: pc() and exits use e.off).
        e.endInsn();
        i = t - 1;
        next = t;
        continue;
      }
      const back = e.off + bem.emit(w, e, taken);         // target offset from the region start
      // Labels inside the `if`: 0 = if, 1 = loop, 2 = exit block.
      e.get(taken).op(Op.If).byte(0x40);
      e.retire(n);
      if (back === 0) { loops = true; e.get(e.used).get(P_LIMIT).op(Op.I32LeS).op(Op.BrIf).u32(1); }
      e.i32(back).set(delta).op(Op.Br).u32(2);
      e.op(Op.End);
      e.endInsn();
      // An unconditional B ends the region; a conditional branch not taken falls through
      // into the next instruction, which the region goes on compiling (a side exit).
      if (name === 'B / BL (immediate)') { ended = true; break; }
      continue;
    }
    const em = ALL[name];
    if (em === undefined) break;
    const mark = e.body.length;
    // The pass's cycle prefix includes this instruction while it is emitted: a call-out that
    // leaves after it retires it (Emitter.exitAfter).
    prefix.push(prefix[n] + c);
    if (!em(w, e)) {
      if (e.body.length !== mark) throw new Error(`jit: emitter for ${name} refused 0x${w.toString(16)} after emitting code`);
      prefix.pop();
      break;
    }
    e.endInsn();
    slots.push(i);
    lastCost = c; n++;
    next = i + 1;
    // A call-out whose executor always ends the block (ISB, MSR DAIFSet/DAIFClr) always leaves
    // the region: what would follow it is dead code, and its length must not count.
    if (alwaysLeaves(w)) break;
  }
  if (n === 0) return undefined;
  // Falling off the end: the next instruction is the interpreter's.
  if (!ended) e.retire(n).i32((next - start) * 4).set(delta);
  e.op(Op.End).op(Op.End);
  const passCost = prefix[n];

  const body = new Bytes();
  const emit = (o: number): Bytes => body.byte(o);
  // pc0 = pcHi:pcLo
  emit(Op.LocalGet).u32(P_PCLO); emit(Op.I64ExtendI32U);
  emit(Op.LocalGet).u32(P_PCHI); emit(Op.I64ExtendI32U); emit(Op.I64Const).s64(32, 0); emit(Op.I64Shl); emit(Op.I64Or);
  emit(Op.LocalSet).u32(e.pc0);
  for (const [slot, l] of e.regLocal) {
    emit(Op.LocalGet).u32(P_BASE); emit(Op.I64Load).u32(3).u32(STATE.x + slot * 8); emit(Op.LocalSet).u32(l);
  }
  const m = e.mem;
  if (m !== null) {
    const i32s: [number, number][] = [[m.flat, STATE.memFlat], [m.bank, STATE.memBank], [m.gen, STATE.memGen], [m.tlb, STATE.tlbBase], [m.slots, STATE.slotBase]];
    for (const [l, off] of i32s) { emit(Op.LocalGet).u32(P_BASE); emit(Op.I32Load).u32(2).u32(off); emit(Op.LocalSet).u32(l); }
    emit(Op.LocalGet).u32(P_BASE); emit(Op.I64Load).u32(3).u32(STATE.ramBase); emit(Op.LocalSet).u32(m.ramBase);
    emit(Op.LocalGet).u32(P_BASE); emit(Op.I64Load).u32(3).u32(STATE.ramSize); emit(Op.LocalSet).u32(m.ramSize);
  }
  const flagOffsets = [STATE.nf, STATE.zf, STATE.cf, STATE.vf];
  const flags = e.flagsRead || e.flagsWritten;
  const loadFlags = (): void => {
    for (let i = 0; i < 4; i++) { emit(Op.LocalGet).u32(P_BASE); emit(Op.I32Load).u32(2).u32(flagOffsets[i]); emit(Op.LocalSet).u32(e.nzcv[i]); }
  };
  const storeFlags = (): void => {
    for (let i = 0; i < 4; i++) { emit(Op.LocalGet).u32(P_BASE); emit(Op.LocalGet).u32(e.nzcv[i]); emit(Op.I32Store).u32(2).u32(flagOffsets[i]); }
  };
  // Flags a region writes are loaded too: an early exit (emit-mem.ts) may come before the write.
  if (flags) loadFlags();
  // The loop body, with each call-out's spill and reload inserted at its marks. Before the call
  // the state block gets the registers and flags written since the previous call-out (all that
  // the region writes, for a loop's first call-out: the previous pass's later instructions reach
  // it too), so that it is complete: the executor reads it, and a call-out that leaves skips the
  // write-back. On the path that goes on, the registers the executor may have written (held in
  // locals), the flags and the soft-TLB generation (a TLBI bumps it) come back from it.
  const storeReg = (slot: number): void => {
    emit(Op.LocalGet).u32(P_BASE); emit(Op.LocalGet).u32(e.regLocal.get(slot)!); emit(Op.I64Store).u32(3).u32(STATE.x + slot * 8);
  };
  const code = e.body.view();
  let from = 0;
  e.callouts.forEach((c, k) => {
    body.bytes(code.subarray(from, c.spillAt));
    const all = k === 0 && loops;
    for (const slot of all ? e.written : c.dirty) storeReg(slot);
    if (flags && (all ? e.flagsWritten : c.dirtyFlags)) storeFlags();
    body.bytes(code.subarray(c.spillAt, c.reloadAt));
    for (const slot of c.reload) {
      const l = e.regLocal.get(slot);
      if (l !== undefined) { emit(Op.LocalGet).u32(P_BASE); emit(Op.I64Load).u32(3).u32(STATE.x + slot * 8); emit(Op.LocalSet).u32(l); }
    }
    if (flags) loadFlags();
    if (m !== null) { emit(Op.LocalGet).u32(P_BASE); emit(Op.I32Load).u32(2).u32(STATE.memGen); emit(Op.LocalSet).u32(m.gen); }
    from = c.reloadAt;
  });
  body.bytes(code.subarray(from));
  for (const slot of e.written) storeReg(slot);
  if (e.flagsWritten) storeFlags();
  body.byte(Op.End);
  emit(Op.LocalGet).u32(P_BASE); emit(Op.LocalGet).u32(delta); emit(Op.I32Store).u32(2).u32(STATE.exitDelta);
  emit(Op.LocalGet).u32(P_BASE); emit(Op.LocalGet).u32(e.part); emit(Op.I32Store).u32(2).u32(STATE.exitPart);
  emit(Op.LocalGet).u32(P_BASE); emit(Op.LocalGet).u32(e.used); emit(Op.I32Store).u32(2).u32(STATE.exitUsed);
  emit(Op.LocalGet).u32(e.retired);

  const bytes = encodeModule({
    types: [{ params: [T.I32, T.I32, T.I32, T.I32], results: [T.I32] }, { params: [T.I32, T.I32], results: [T.I32] }],
    imports: e.callouts.length !== 0 ? [{ name: 'co', type: 1 }] : [],
    locals: e.locals,
    body,
  });
  return {
    module: new WebAssembly.Module(bytes),
    n, slots, passCost, lastCost, memory: m !== null, loops,
    callouts: e.callouts.map((c) => c.insn), calloutOffs: e.callouts.map((c) => c.off),
    // A flag read before any write needs the flags in; a region that writes only some paths' flags
    // (CCMP) reads them too, so copying in whenever they are touched is the simple safe rule.
    flagsIn: e.flagsRead || e.flagsWritten,
    flagsOut: e.flagsWritten,
    bytes: bytes.length,
  };
}
