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

/**
 * The trampoline every region is called through: `call(index, a, b, c, d)` calls entry `index`
 * of the imported function table "m"."t" with (a, b, c, d), all i32 -> i32. JavaScript then
 * always calls one and the same wasm export, a call site V8 optimizes (a direct JS-to-wasm
 * call), instead of one site calling thousands of different exports (its generic wrapper).
 */
export function encodeTrampoline(): Uint8Array<ArrayBuffer> {
  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const types = new Bytes().u32(2);
  types.byte(0x60).vec([T.I32, T.I32, T.I32, T.I32]).vec([T.I32]);            // type 0: a region
  types.byte(0x60).vec([T.I32, T.I32, T.I32, T.I32, T.I32]).vec([T.I32]);      // type 1: call
  section(out, 1, types);
  section(out, 2, new Bytes().u32(1).str('m').str('t').byte(0x01).byte(0x70).byte(0x00).u32(0));   // table funcref, min 0
  section(out, 3, new Bytes().u32(1).u32(1));
  section(out, 7, new Bytes().u32(1).str('call').byte(0x00).u32(0));
  const fn = new Bytes().u32(0);
  for (let i = 1; i <= 4; i++) fn.byte(Op.LocalGet).u32(i);
  fn.byte(Op.LocalGet).u32(0).byte(Op.CallIndirect).u32(0).u32(0).byte(Op.End);
  section(out, 10, new Bytes().u32(1).u32(fn.length).bytes(fn.view()));
  return out.view().slice();
}
