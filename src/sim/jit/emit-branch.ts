// WebAssembly emitters for the PC-relative branches (DDI0487 C4.1.3: B, BL, B.cond, CBZ/CBNZ,
// TBZ/TBNZ), keyed by the names of their records in src/sim/isa/branch.ts. A branch closes a
// region: its emitter leaves "taken" (i32) in a local and returns the target's byte offset from
// the branch; the region compiler turns a taken branch back to the region start into the wasm
// loop's back edge and any other outcome into an exit. Register branches (BR, BLR, RET) push
// their absolute target instead and always exit (pointer-authenticated forms do not decode).
import { Op } from './wasm-encoder';
import { type Emitter, W, X } from './emitter';
import { sext, src } from '../isa/common';

export interface BranchEmitter {
  accepts(w: number): boolean;
  /** Emits the condition into local `taken`; returns the target offset from the branch in bytes. */
  emit(w: number, e: Emitter, taken: number): number;
  /** Register branches: emits the target PC (i64) into local `target` and any link write instead. */
  indirect?(w: number, e: Emitter, target: number): void;
}

export const BRANCH_EMITTERS: Record<string, BranchEmitter> = {
  'B / BL (immediate)': {
    accepts: () => true,
    emit(w, e, taken) {
      // BL: X30 = PC + 4 (DDI0487 C6.2 BL), written whether or not the region loops.
      if (w & 0x80000000) e.pc().i64(4, 0).op(Op.I64Add).write(X, 30);
      e.i32(1).set(taken);
      return sext(w & 0x3ffffff, 26) * 4;
    },
  },
  'B.cond': {
    accepts: () => true,
    emit(w, e, taken) {
      e.cond(w & 0xf).set(taken);
      return sext((w >>> 5) & 0x7ffff, 19) * 4;
    },
  },
  'CBZ / CBNZ': {
    accepts: () => true,
    emit(w, e, taken) {
      const s = w >>> 31 ? X : W;
      e.read(s, src(w & 31, false)).op(s.eqz);
      if ((w >>> 24) & 1) e.i32(1).op(Op.I32Xor);
      e.set(taken);
      return sext((w >>> 5) & 0x7ffff, 19) * 4;
    },
  },
  'BR / BLR / RET': {
    accepts: () => true,
    emit: () => 0,
    indirect(w, e, target) {
      // The target is read before BLR's link write (BLR X30 branches to the old X30).
      e.read(X, src((w >>> 5) & 31, false)).set(target);
      if (((w >>> 21) & 3) === 1) e.pc().i64(4, 0).op(Op.I64Add).write(X, 30);
    },
  },
  'TBZ / TBNZ': {
    accepts: () => true,
    emit(w, e, taken) {
      const bit = ((w >>> 31) << 5) | ((w >>> 19) & 31);
      e.read(X, src(w & 31, false)).i64(bit, 0).op(Op.I64ShrU).op(Op.I32WrapI64).i32(1).op(Op.I32And);
      if (((w >>> 24) & 1) === 0) e.i32(1).op(Op.I32Xor);
      e.set(taken);
      return sext((w >>> 5) & 0x3fff, 14) * 4;
    },
  },
};
