// A small WebAssembly binary encoder: just what the region compiler emits (one function type,
// an imported memory and imported helper functions, one exported function, i32/i64 integer
// instructions and structured control flow). Format: WebAssembly Core Specification 2.0,
// chapter 5 "Binary Format". Hand-written rather than an npm package (binaryen is 10+ MB and
// optimises, which we do not need; wabt parses text): a region is a few hundred bytes built
// in one pass, and 64-bit constants are encoded from 32-bit halves, so no BigInt is needed.

/** Value types (spec 5.3.1). */
export const enum T { I32 = 0x7f, I64 = 0x7e }

/** Opcodes used by the compiler (spec 5.4). */
export const enum Op {
  Block = 0x02, Loop = 0x03, If = 0x04, Else = 0x05, End = 0x0b, Br = 0x0c, BrIf = 0x0d, Return = 0x0f,
  Call = 0x10, CallIndirect = 0x11, Drop = 0x1a, Select = 0x1b,
  LocalGet = 0x20, LocalSet = 0x21, LocalTee = 0x22,
  I32Load = 0x28, I64Load = 0x29, F64Load = 0x2b, I32Load8U = 0x2d,
  I64Load8S = 0x30, I64Load8U = 0x31, I64Load16S = 0x32, I64Load16U = 0x33, I64Load32S = 0x34, I64Load32U = 0x35,
  I32Store = 0x36, I64Store = 0x37, I64Store8 = 0x3c, I64Store16 = 0x3d, I64Store32 = 0x3e,
  I32Const = 0x41, I64Const = 0x42,
  I32Eqz = 0x45, I32Eq = 0x46, I32Ne = 0x47, I32LtS = 0x48, I32LtU = 0x49, I32GtU = 0x4b, I32LeS = 0x4c, I32GeU = 0x4f,
  I64Eqz = 0x50, I64Eq = 0x51, I64Ne = 0x52, I64LtS = 0x53, I64LtU = 0x54, I64GeU = 0x5a,
  I32Clz = 0x67, I32Add = 0x6a, I32Sub = 0x6b, I32Mul = 0x6c, I32DivS = 0x6d, I32DivU = 0x6e,
  I32And = 0x71, I32Or = 0x72, I32Xor = 0x73, I32Shl = 0x74, I32ShrS = 0x75, I32ShrU = 0x76, I32Rotr = 0x78,
  I64Clz = 0x79, I64Add = 0x7c, I64Sub = 0x7d, I64Mul = 0x7e, I64DivS = 0x7f, I64DivU = 0x80,
  I64And = 0x83, I64Or = 0x84, I64Xor = 0x85, I64Shl = 0x86, I64ShrS = 0x87, I64ShrU = 0x88, I64Rotr = 0x8a,
  I32WrapI64 = 0xa7, I64ExtendI32S = 0xac, I64ExtendI32U = 0xad, I64TruncF64U = 0xb1,
}

/** Block type "no result" (spec 5.4.1). */
export const VOID = 0x40;

/** A growable byte buffer with the LEB128 encodings of spec 5.2.2. */
export class Bytes {
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(256);
  length = 0;

  byte(b: number): this {
    if (this.length === this.buf.length) {
      const n = new Uint8Array(this.buf.length * 2);
      n.set(this.buf);
      this.buf = n;
    }
    this.buf[this.length++] = b & 0xff;
    return this;
  }

  bytes(b: ArrayLike<number>): this {
    const n = b.length;
    if (this.length + n > this.buf.length) {
      const g = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
      g.set(this.buf.subarray(0, this.length));
      this.buf = g;
    }
    // One copy, not a byte() call per byte: a region's body is copied three times on its way
    // into the module (the call-out insertions, the function, the code section).
    if (b instanceof Uint8Array) this.buf.set(b, this.length);
    else for (let i = 0; i < n; i++) this.buf[this.length + i] = b[i] & 0xff;
    this.length += n;
    return this;
  }

  /** Unsigned LEB128 of a non-negative integer below 2^32. */
  u32(v: number): this {
    v >>>= 0;
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer. */
  s32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { this.byte(b); return this; }
      this.byte(b | 0x80);
    }
  }

  /** Signed LEB128 of the 64-bit integer hi:lo (two's complement halves). */
  s64(lo: number, hi: number): this {
    lo >>>= 0; hi |= 0;
    for (;;) {
      const b = lo & 0x7f;
      // Arithmetic shift of hi:lo right by 7.
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>= 7;
      const done = (lo === 0 && hi === 0 && (b & 0x40) === 0) || (lo === 0xffffffff && hi === -1 && (b & 0x40) !== 0);
      if (done) { this.byte(b); return this; }
      this.byte(b | 0x80);
    }
  }

  /** A name or byte vector: length then bytes. */
  vec(b: ArrayLike<number>): this { this.u32(b.length); return this.bytes(b); }

  str(s: string): this { return this.vec(Array.from(s, (c) => c.charCodeAt(0))); }

  view(): Uint8Array<ArrayBuffer> { return this.buf.subarray(0, this.length); }
}

/** A function signature. */
export interface FuncType { params: T[]; results: T[] }

/** Everything one module holds: imports of memory and helpers, one exported function. */
export interface ModuleSpec {
  /** Function types; index 0 is the exported function's. */
  types: FuncType[];
  /** Imported functions (module "h"), each with a type index. */
  imports: { name: string; type: number }[];
  /** Locals of the exported function beyond its parameters, in declaration order. */
  locals: T[];
  /** The exported function's body (instructions, without the final `end`). */
  body: Bytes;
}

function section(out: Bytes, id: number, content: Bytes): void {
  out.byte(id).u32(content.length).bytes(content.view());
}

/**
 * Encodes a module that imports the shared memory "m"."mem" and functions "h".<name>, and exports its one
 * defined function as "run". Spec 5.5 (sections in order: type 1, import 2, function 3, export 7, code 10).
 */
export function encodeModule(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const types = new Bytes().u32(spec.types.length);
  for (const t of spec.types) types.byte(0x60).vec(t.params).vec(t.results);
  section(out, 1, types);
  const imports = new Bytes().u32(spec.imports.length + 1);
  // The board's RAM arena (src/sim/ram-arena.ts): a shared memory, limits {min 1, max 65536}.
  imports.str('m').str('mem').byte(0x02).byte(0x03).u32(1).u32(65536);
  for (const f of spec.imports) imports.str('h').str(f.name).byte(0x00).u32(f.type);
  section(out, 2, imports);
  section(out, 3, new Bytes().u32(1).u32(0));
  section(out, 7, new Bytes().u32(1).str('run').byte(0x00).u32(spec.imports.length));
  // Locals compressed into runs of equal type.
  const runs: [number, T][] = [];
  for (const t of spec.locals) {
    if (runs.length > 0 && runs[runs.length - 1][1] === t) runs[runs.length - 1][0]++;
    else runs.push([1, t]);
  }
  const fn = new Bytes().u32(runs.length);
  for (const [n, t] of runs) fn.u32(n).byte(t);
  fn.bytes(spec.body.view()).byte(Op.End);
  const code = new Bytes().u32(1).u32(fn.length).bytes(fn.view());
  section(out, 10, code);
  return out.view().slice();
}

/** Byte offsets in a PE's state block the trampoline reads (emitter.ts STATE; checked there). */
export interface TrampolineState {
  exitDelta: number; exitUsed: number; exitPart: number; chains: number; exitPc: number;
  runPc: number; runBase: number; calloutLeft: number; exitAbsolute: number;
  /** The translation the entry set up (STATE.memFlat...) and the PE's RAM bounds. */
  memFlat: number; memBank: number; memGen: number; tlbBase: number; ramBase: number; ramSize: number;
}

/** Where the trampoline finds other pages' chain tables (see encodeTrampoline), or null: within a page only. */
export interface ChainDirectory {
  /** Arena offset of the directory: per RAM page, i32 chain-table offset (0: none) and i32 the code epoch it is valid for. */
  dir: number;
  /** Arena offset of PhysicalMemory.codeEpoch (u32 per RAM page). */
  epochs: number;
  /** The soft TLB (FastTlb): offsets of its arrays from its base, the slot mask, the fetch permission bit. */
  tagLo: number; tagHi: number; pa: number; perm: number; mask: number; fetchBit: number;
}

/**
 * The trampoline every region is called through, and the chaining of regions:
 * `call(index, room, pcLo, pcHi, base, chain, idx, rest) -> instructions retired`.
 *
 * It calls entry `index` of the imported function table "m"."t" (a region's
 * `run(maxStart, pcLo, pcHi, base)`, with maxStart = room - rest, where `room` is the modelled
 * cycles the slice has left before its last instruction and `rest` the region's first-pass cost
 * before its last instruction: see jit.ts). JavaScript then always calls one and the same wasm
 * export, a call site V8 optimizes (a direct JS-to-wasm call), instead of one site calling
 * thousands of different exports (its generic wrapper).
 *
 * When the region leaves by a branch, or by falling off its end, to an instruction where another
 * region is entered, that region is called next without returning to JavaScript, if its first
 * pass fits in what is left of the room (the rule the JavaScript entry applies to the first one):
 *  - in the same page, the page's chain table (at `chain` in the memory; -1: none) holds, for
 *    instruction t, i32 the table index + 1 of the region entered there (0: none) and i32 its
 *    `rest`. The run loop goes on within a page without an interrupt check too (pe.ts);
 *  - in another page (a call, a return, a register branch; `dir` given): the target is translated
 *    as the run loop's fetch would on its fast path (MMU off: PA = VA below 4 GiB; else the soft
 *    TLB of the current EL: tag, generation, VA[63:32], execute permission; a miss, a misaligned
 *    PC or a PA outside RAM returns), and the directory gives that page's chain table if it is valid for the page's
 *    current code epoch. The run loop would check for interrupts there, but nothing a chained
 *    region does can change the answer: the slice ends before the next timer deadline, and a
 *    call-out that raises an interrupt re-check, changes DAIF, the EL or the translation leaves.
 * Anything else (an early exit for the interpreter, a call-out that left the region, no room)
 * returns; the state block then describes the exit as if one region had run from the first
 * one's start: exitDelta relative to instruction `idx` (its page index), or EXIT_ABSOLUTE with
 * exitPc once the chain left the first page; exitUsed the modelled cycles of the whole chain,
 * and `chains` the number of regions chained to.
 */
export function encodeTrampoline(st: TrampolineState, far: ChainDirectory | null): Uint8Array<ArrayBuffer> {
  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const types = new Bytes().u32(2);
  types.byte(0x60).vec([T.I32, T.I32, T.I32, T.I32]).vec([T.I32]);            // type 0: a region
  types.byte(0x60).vec([T.I32, T.I32, T.I32, T.I32, T.I32, T.I32, T.I32, T.I32]).vec([T.I32]);   // type 1: call
  section(out, 1, types);
  const imports = new Bytes().u32(2);
  imports.str('m').str('t').byte(0x01).byte(0x70).byte(0x00).u32(0);          // table funcref, min 0
  imports.str('m').str('mem').byte(0x02).byte(0x03).u32(1).u32(65536);         // the RAM arena (as encodeModule)
  section(out, 2, imports);
  section(out, 3, new Bytes().u32(1).u32(1));
  section(out, 7, new Bytes().u32(1).str('call').byte(0x00).u32(0));
  // Parameters and locals.
  const SLOT = 0, ROOM = 1, PCLO = 2, PCHI = 3, BASE = 4, CHAIN = 5, IDX0 = 6, REST = 7;
  const TOTAL = 8, USED = 9, PC = 10, IDX = 11, R = 12, DELTA = 13, TGT = 14, E = 15, ADDR = 16, CHAINS = 17;
  const VA = 18, OFF = 19, CROSSED = 20, I = 21, K = 22, TLB = 23, P = 24;
  const f = new Bytes();
  const get = (l: number): Bytes => f.byte(Op.LocalGet).u32(l);
  const set = (l: number): Bytes => f.byte(Op.LocalSet).u32(l);
  const tee = (l: number): Bytes => f.byte(Op.LocalTee).u32(l);
  const i32 = (v: number): Bytes => f.byte(Op.I32Const).s32(v);
  const load = (off: number): Bytes => f.byte(Op.I32Load).u32(2).u32(off);
  const load64 = (off: number): Bytes => f.byte(Op.I64Load).u32(3).u32(off);
  // The region entered at instruction TGT of the page whose chain table is CHAIN, if any and if
  // its first pass fits (room - used - rest >= 0), is the next one: PC = the value `pushPc`
  // pushes, IDX = TGT, SLOT = its table index; then branch to `loop`. Else branch to `out`.
  const chainTo = (out: number, loop: number, pushPc: () => void): void => {
    get(CHAIN); get(TGT); i32(3); f.byte(Op.I32Shl).byte(Op.I32Add); tee(ADDR);
    load(0); tee(E); f.byte(Op.I32Eqz).byte(Op.BrIf).u32(out);
    get(ADDR); load(4); set(REST);
    get(ROOM); get(USED).byte(Op.I32Sub); get(REST).byte(Op.I32Sub); i32(0); f.byte(Op.I32LtS).byte(Op.BrIf).u32(out);
    pushPc(); set(PC);
    get(TGT); set(IDX);
    get(E); i32(1); f.byte(Op.I32Sub); set(SLOT);
    get(CHAINS); i32(1); f.byte(Op.I32Add); set(CHAINS);
    f.byte(Op.Br).u32(loop);
  };
  // TOTAL USED | PC | IDX R DELTA TGT E ADDR CHAINS | VA OFF | CROSSED I K TLB P
  f.u32(5).u32(2).byte(T.I32).u32(1).byte(T.I64).u32(7).byte(T.I32).u32(2).byte(T.I64).u32(5).byte(T.I32);
  // PC = pcHi:pcLo, IDX = idx.
  get(PCLO).byte(Op.I64ExtendI32U);
  get(PCHI).byte(Op.I64ExtendI32U).byte(Op.I64Const).s64(32, 0).byte(Op.I64Shl).byte(Op.I64Or);
  set(PC);
  get(IDX0); set(IDX);
  f.byte(Op.Block).byte(VOID).byte(Op.Loop).byte(VOID);                         // labels: 0 loop, 1 out
  // For the region's call-outs: its first PC, what earlier regions retired; calloutLeft = 0.
  get(BASE); get(PC); f.byte(Op.I64Store).u32(3).u32(st.runPc);
  get(BASE); get(TOTAL); f.byte(Op.I32Store).u32(2).u32(st.runBase);
  get(BASE); i32(0); f.byte(Op.I32Store).u32(2).u32(st.calloutLeft);
  // R = region(room - used - rest, pc, base); TOTAL += R; USED += exitUsed; DELTA = exitDelta.
  get(ROOM); get(USED).byte(Op.I32Sub); get(REST).byte(Op.I32Sub);
  get(PC).byte(Op.I32WrapI64);
  get(PC).byte(Op.I64Const).s64(32, 0).byte(Op.I64ShrU).byte(Op.I32WrapI64);
  get(BASE);
  get(SLOT).byte(Op.CallIndirect).u32(0).u32(0);
  tee(R); get(TOTAL).byte(Op.I32Add); set(TOTAL);
  get(USED); get(BASE); load(st.exitUsed); f.byte(Op.I32Add); set(USED);
  get(BASE); load(st.exitDelta); set(DELTA);
  // Leave: nothing ran, an early exit for the interpreter, a call-out that left, no chain table.
  get(R).byte(Op.I32Eqz).byte(Op.BrIf).u32(1);
  get(BASE); load(st.exitPart); f.byte(Op.BrIf).u32(1);
  get(BASE); load(st.calloutLeft); f.byte(Op.BrIf).u32(1);
  get(CHAIN); i32(0); f.byte(Op.I32LtS).byte(Op.BrIf).u32(1);
  f.byte(Op.Block).byte(VOID);                                                  // labels: 0 far, 1 loop, 2 out
  get(DELTA); i32(st.exitAbsolute); f.byte(Op.I32Eq).byte(Op.BrIf).u32(0);
  // TGT = IDX + DELTA / 4, in the page (an unsigned compare also catches negative indices).
  get(IDX); get(DELTA); i32(2); f.byte(Op.I32ShrS).byte(Op.I32Add); tee(TGT);
  i32(1024); f.byte(Op.I32GeU).byte(Op.BrIf).u32(0);
  chainTo(2, 1, () => { get(PC); get(DELTA).byte(Op.I64ExtendI32S).byte(Op.I64Add); });
  f.byte(Op.End);                                                               // far: labels 0 loop, 1 out
  if (far === null) f.byte(Op.Br).u32(1);
  else {
    // VA = the target: exitPc for a register branch, else PC + DELTA.
    get(DELTA); i32(st.exitAbsolute); f.byte(Op.I32Eq).byte(Op.If).byte(T.I64);
    get(BASE); load64(st.exitPc);
    f.byte(Op.Else);
    get(PC); get(DELTA).byte(Op.I64ExtendI32S).byte(Op.I64Add);
    f.byte(Op.End); set(VA);
    // An aligned PC only (a misaligned one faults in the run loop).
    get(VA).byte(Op.I32WrapI64); i32(3); f.byte(Op.I32And).byte(Op.BrIf).u32(1);
    // OFF = the PA. Labels inside the `if`: 0 if, 1 loop, 2 out.
    get(BASE); load(st.memFlat); f.byte(Op.If).byte(VOID);
    // Flat (MMU off): PA = VA; only VA[63:32] = 0, which no PA size makes an address size fault.
    get(VA).byte(Op.I64Const).s64(32, 0).byte(Op.I64ShrU).byte(Op.I64Eqz).byte(Op.I32Eqz).byte(Op.BrIf).u32(2);
    get(VA); set(OFF);
    f.byte(Op.Else);
    // The soft TLB's slot for the current EL: I = bank | (VA[31:12] & mask); tag, VA[63:32], X.
    get(BASE); load(st.tlbBase); set(TLB);
    get(VA).byte(Op.I32WrapI64); i32(12); f.byte(Op.I32ShrU); tee(K);
    i32(far.mask); f.byte(Op.I32And); get(BASE); load(st.memBank); f.byte(Op.I32Or); set(I);
    get(I); i32(2); f.byte(Op.I32Shl); get(TLB); f.byte(Op.I32Add); load(far.tagLo);
    get(K); get(BASE); load(st.memGen); f.byte(Op.I32Or).byte(Op.I32Ne).byte(Op.BrIf).u32(2);
    get(I); i32(2); f.byte(Op.I32Shl); get(TLB); f.byte(Op.I32Add); load(far.tagHi);
    get(VA).byte(Op.I64Const).s64(32, 0).byte(Op.I64ShrU).byte(Op.I32WrapI64).byte(Op.I32Ne).byte(Op.BrIf).u32(2);
    get(I); get(TLB); f.byte(Op.I32Add).byte(Op.I32Load8U).u32(0).u32(far.perm);
    i32(far.fetchBit); f.byte(Op.I32And).byte(Op.I32Eqz).byte(Op.BrIf).u32(2);
    get(I); i32(3); f.byte(Op.I32Shl); get(TLB); f.byte(Op.I32Add).byte(Op.F64Load).u32(3).u32(far.pa).byte(Op.I64TruncF64U);
    get(VA).byte(Op.I64Const).s64(0xfff, 0).byte(Op.I64And).byte(Op.I64Or); set(OFF);
    f.byte(Op.End);
    // OFF = PA - RAM base, inside RAM.
    get(OFF); get(BASE); load64(st.ramBase); f.byte(Op.I64Sub); tee(OFF);
    get(BASE); load64(st.ramSize); f.byte(Op.I64GeU).byte(Op.BrIf).u32(1);
    // P = its RAM page, TGT = the instruction; the page's table, valid for its current epoch.
    get(OFF).byte(Op.I64Const).s64(12, 0).byte(Op.I64ShrU).byte(Op.I32WrapI64); set(P);
    get(OFF).byte(Op.I32WrapI64); i32(0xfff); f.byte(Op.I32And); i32(2); f.byte(Op.I32ShrU); set(TGT);
    get(P); i32(3); f.byte(Op.I32Shl); i32(far.dir); f.byte(Op.I32Add); tee(ADDR);
    load(0); tee(E); f.byte(Op.I32Eqz).byte(Op.BrIf).u32(1);
    get(ADDR); load(4); get(P); i32(2); f.byte(Op.I32Shl); load(far.epochs); f.byte(Op.I32Ne).byte(Op.BrIf).u32(1);
    get(E); set(CHAIN);
    // Chain with PC = VA; the exit is then given as an absolute PC (CROSSED, see Out).
    chainTo(1, 0, () => { i32(1); set(CROSSED); get(VA); });
  }
  f.byte(Op.End).byte(Op.End);
  // Out. Within the first page: exitDelta relative to its start (IDX0). Once the chain left it:
  // EXIT_ABSOLUTE, with exitPc = the current region's start + DELTA (a register branch's exitPc
  // is already absolute). exitUsed of the whole chain.
  get(DELTA); i32(st.exitAbsolute); f.byte(Op.I32Ne).byte(Op.If).byte(VOID);
  get(CROSSED).byte(Op.If).byte(VOID);
  get(BASE); get(PC); get(DELTA).byte(Op.I64ExtendI32S).byte(Op.I64Add); f.byte(Op.I64Store).u32(3).u32(st.exitPc);
  get(BASE); i32(st.exitAbsolute); f.byte(Op.I32Store).u32(2).u32(st.exitDelta);
  f.byte(Op.Else);
  get(BASE); get(DELTA); get(IDX); get(IDX0).byte(Op.I32Sub); i32(2); f.byte(Op.I32Shl).byte(Op.I32Add);
  f.byte(Op.I32Store).u32(2).u32(st.exitDelta);
  f.byte(Op.End);
  f.byte(Op.End);
  get(BASE); get(USED); f.byte(Op.I32Store).u32(2).u32(st.exitUsed);
  get(BASE); get(CHAINS); f.byte(Op.I32Store).u32(2).u32(st.chains);
  get(TOTAL);
  f.byte(Op.End);
  section(out, 10, new Bytes().u32(1).u32(f.length).bytes(f.view()));
  return out.view().slice();
}
