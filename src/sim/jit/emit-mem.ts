// WebAssembly emitters for general-purpose loads and stores (DDI0487 C4.1.88 "Loads and
// Stores": Load/store register — unsigned immediate, unscaled immediate, immediate pre- and
// post-indexed, register offset — and Load/store register pair — offset, pre-, post-indexed,
// no-allocate), keyed by the names of their records in src/sim/isa/ldst-single.ts and
// ldst-pair.ts. The field slices are those records' decode(); the effects and their order are
// the interpreter's (see the headers of those files): address, access, destination register(s)
// (Rt2 before Rt for pairs), then the base writeback, which wins when Rn is a destination;
// stores store the register values from before the writeback.
//
// Each access goes through Emitter.hostAddr, the inline soft-TLB fast path; whatever it does
// not handle (miss, fault, device, alignment, a store to a page with code or shared with a
// snapshot) leaves the region *before* the instruction, with every earlier instruction's
// effects written back, and the interpreter executes it — so data aborts, alignment faults and
// Stage-2 faults get exactly the interpreter's ESR/FAR/HPFAR. A pair is translated once for
// both elements (element-aligned and not crossing a page), before anything is written.
// Load-acquire / store-release (LDAR/STLR) are plain accesses here (see below). SIMD&FP
// transfers, unprivileged (LDTR/STTR) and literal forms are not compiled: the region ends before
// them; exclusive and atomic forms run through a call-out (emit-callout.ts).
import { Op, T } from './wasm-encoder';
import { type Emitter, X } from './emitter';
import type { InsnEmitter } from './emit-dp';
import { dst, sext, src } from '../isa/common';

/** How a loaded value of `bytes` becomes a 64-bit register value. */
const enum Ext { Zero, SignTo64, SignTo32 }

/** Pushes the value at host address local `h` + `off` (i64 result). */
function load(e: Emitter, h: number, off: number, bytes: number, ext: Ext): void {
  e.get(h);
  const signed = ext !== Ext.Zero;
  switch (bytes) {
    case 1: e.op(signed ? Op.I64Load8S : Op.I64Load8U).byte(0).u32(off); break;
    case 2: e.op(signed ? Op.I64Load16S : Op.I64Load16U).byte(0).u32(off); break;
    case 4: e.op(signed ? Op.I64Load32S : Op.I64Load32U).byte(0).u32(off); break;
    default: e.op(Op.I64Load).byte(0).u32(off);
  }
  // LDRSB/LDRSH to a W register: sign-extended to 32 bits, then zero-extended (a W write).
  if (ext === Ext.SignTo32) e.op(Op.I32WrapI64).op(Op.I64ExtendI32U);
}

/** Stores the low `bytes` of the i64 value in local `v` at host address local `h` + `off`. */
function store(e: Emitter, h: number, off: number, bytes: number, v: number): void {
  e.get(h).get(v);
  e.op(bytes === 1 ? Op.I64Store8 : bytes === 2 ? Op.I64Store16 : bytes === 4 ? Op.I64Store32 : Op.I64Store).byte(0).u32(off);
}

/** How an addressing form computes the access address and the written-back base. */
const enum Mode { Offset, Pre, Post }

/**
 * One general-purpose transfer (gprXfer's cases: size, opc) at base + offset, where the
 * offset is an immediate (`imm`) or pushed by `pushOff` (register offset).
 */
function single(e: Emitter, size: number, opc: number, Rn: number, Rt: number, mode: Mode, imm: number, pushOff?: () => void): boolean {
  if (size === 3 && opc === 2) return true;           // PRFM: a hint, never faults (the interpreter's NOP)
  if (opc === 3 && size >= 2) return false;
  const bytes = 1 << size;
  const base = e.temp(T.I64), va = e.temp(T.I64);
  e.read(X, src(Rn, true)).set(base);
  e.get(base);
  if (mode !== Mode.Post) {
    if (pushOff !== undefined) { pushOff(); e.op(Op.I64Add); }
    else if (imm !== 0) e.i64(imm, imm < 0 ? -1 : 0).op(Op.I64Add);
  }
  e.set(va);
  const h = e.hostAddr(va, bytes, bytes, opc === 0);
  if (opc === 0) {
    const v = e.temp(T.I64);
    e.read(X, src(Rt, false)).set(v);
    store(e, h, 0, bytes, v);
  } else {
    load(e, h, 0, bytes, opc === 1 || size === 3 ? Ext.Zero : opc === 2 ? Ext.SignTo64 : Ext.SignTo32);
    e.write(X, dst(Rt, false));
  }
  if (mode === Mode.Pre) e.get(va).write(X, src(Rn, true));
  else if (mode === Mode.Post) e.get(base).i64(imm, imm < 0 ? -1 : 0).op(Op.I64Add).write(X, src(Rn, true));
  return true;
}

/** Load/store register (unscaled immediate / post-indexed / pre-indexed): size 111 V 00 opc 0 imm9 idx Rn Rt. */
function imm9Form(mode: Mode): InsnEmitter {
  return (w, e) => {
    if ((w >>> 26) & 1) return false;                 // SIMD&FP
    const size = w >>> 30, opc = (w >>> 22) & 3;
    if (mode !== Mode.Offset && size === 3 && opc === 2) return false;   // no PRFM with writeback (unallocated)
    return single(e, size, opc, (w >>> 5) & 31, w & 31, mode, sext((w >>> 12) & 0x1ff, 9));
  };
}

/** Load/store register pair: opc 101 V 0 idx L imm7 Rt2 Rn Rt. */
function pairForm(mode: Mode): InsnEmitter {
  return (w, e) => {
    const opc = w >>> 30, L = (w >>> 22) & 1;
    if ((w >>> 26) & 1 || opc === 3) return false;
    if (opc === 1 && (L === 0 || mode === Mode.Offset && ((w >>> 23) & 3) === 0)) return false;  // STGP, no LDNPSW
    const log = opc === 2 ? 3 : 2, bytes = 1 << log;
    const imm = sext((w >>> 15) & 0x7f, 7) * bytes;
    const Rt2 = (w >>> 10) & 31, Rn = (w >>> 5) & 31, Rt = w & 31;
    const base = e.temp(T.I64), va = e.temp(T.I64);
    e.read(X, src(Rn, true)).set(base);
    e.get(base);
    if (mode !== Mode.Post && imm !== 0) e.i64(imm, imm < 0 ? -1 : 0).op(Op.I64Add);
    e.set(va);
    const h = e.hostAddr(va, bytes, 2 * bytes, L === 0);
    if (L === 0) {
      const a = e.temp(T.I64), b = e.temp(T.I64);
      e.read(X, src(Rt, false)).set(a);
      e.read(X, src(Rt2, false)).set(b);
      store(e, h, 0, bytes, a);
      store(e, h, bytes, bytes, b);
    } else {
      const ext = opc === 1 ? Ext.SignTo64 : Ext.Zero;  // LDPSW
      const a = e.temp(T.I64);
      load(e, h, 0, bytes, ext); e.set(a);
      load(e, h, bytes, bytes, ext); e.write(X, dst(Rt2, false));
      e.get(a).write(X, dst(Rt, false));
    }
    if (mode === Mode.Pre) e.get(va).write(X, src(Rn, true));
    else if (mode === Mode.Post) e.get(base).i64(imm, imm < 0 ? -1 : 0).op(Op.I64Add).write(X, src(Rn, true));
    return true;
  };
}

export const MEM_EMITTERS: Record<string, InsnEmitter> = {
  'Load/store register (unsigned immediate)': (w, e) => {
    if ((w >>> 26) & 1) return false;
    const size = w >>> 30;
    return single(e, size, (w >>> 22) & 3, (w >>> 5) & 31, w & 31, Mode.Offset, ((w >>> 10) & 0xfff) << size);
  },
  'Load/store register (unscaled immediate)': imm9Form(Mode.Offset),
  'Load/store register (immediate post-indexed)': imm9Form(Mode.Post),
  'Load/store register (immediate pre-indexed)': imm9Form(Mode.Pre),
  'Load/store register (register offset)': (w, e) => {
    if ((w >>> 26) & 1) return false;
    const size = w >>> 30, opc = (w >>> 22) & 3, Rm = (w >>> 16) & 31, option = (w >>> 13) & 7, S = (w >>> 12) & 1;
    if ((option & 2) === 0) return false;
    const shift = S ? size : 0;
    // ExtendReg(m, option, shift): UXTW / SXTW of Wm, LSL / SXTX of Xm (a 64-bit extend is the identity).
    return single(e, size, opc, (w >>> 5) & 31, w & 31, Mode.Offset, 0, () => {
      const m = src(Rm, false);
      if (option & 1) e.read(X, m);
      else { e.read(X, m).op(Op.I32WrapI64).op(option & 4 ? Op.I64ExtendI32S : Op.I64ExtendI32U); }
      if (shift !== 0) e.i64(shift, 0).op(Op.I64Shl);
    });
  },
  // LDAR / STLR (DDI0487 C6.2 LDAR, STLR): this machine performs every access in program order,
  // so acquire and release need nothing beyond the access; the interpreter's executors (ldst-excl.ts
  // loadAcquire / storeRelease) leave the exclusive monitor alone, as a plain access does. Natural
  // alignment is required whatever SCTLR.A says: hostAddr leaves an unaligned one to the
  // interpreter, which raises the alignment fault. (o0 = 0, LDLAR/STLLR, does not decode here.)
  'Load/store ordered': (w, e) => {
    if (((w >>> 15) & 1) === 0) return false;
    const size = w >>> 30, bytes = 1 << size, L = (w >>> 22) & 1, Rn = (w >>> 5) & 31, Rt = w & 31;
    const va = e.temp(T.I64);
    e.read(X, src(Rn, true)).set(va);
    const h = e.hostAddr(va, bytes, bytes, L === 0);
    if (L === 0) {
      const v = e.temp(T.I64);
      e.read(X, src(Rt, false)).set(v);
      store(e, h, 0, bytes, v);
    } else {
      load(e, h, 0, bytes, Ext.Zero);
      e.write(X, dst(Rt, false));
    }
    return true;
  },
  'Load/store no-allocate pair (offset)': pairForm(Mode.Offset),
  'Load/store register pair (offset)': pairForm(Mode.Offset),
  'Load/store register pair (pre-indexed)': pairForm(Mode.Pre),
  'Load/store register pair (post-indexed)': pairForm(Mode.Post),
};
