// A reference model of the A64 integer data-processing instructions, written in BigInt straight
// from the DDI0487 (K.a) pseudocode (AddWithCarry, ShiftReg, ExtendReg, DecodeBitMasks, the
// SBFM/BFM/UBFM operation, Poly32Mod2 …). Deliberately naive and independent of src/sim: it
// decodes the raw word itself, so the differential tests also check field extraction and the
// UNDEFINED rules. Test-only — BigInt is fine here.

export interface RefState {
  /** X0..X30 as unsigned 64-bit values. */
  x: bigint[];
  /** The current stack pointer. */
  sp: bigint;
  /** NZCV, N = 8. */
  nzcv: number;
  /** Address of the instruction. */
  pc: bigint;
}

/** What the reference decided: a new state, UNDEFINED, or "not a data-processing instruction". */
export type RefResult = RefState | 'UNDEF' | 'OTHER';

const M64 = (1n << 64n) - 1n;
const ones = (n: number): bigint => (1n << BigInt(n)) - 1n;
const f = (w: number, hi: number, lo: number): number => (w >>> lo) & (hi - lo === 31 ? 0xffffffff : (1 << (hi - lo + 1)) - 1);

export function sint(v: bigint, n: number): bigint { return BigInt.asIntN(n, v); }
export function uint(v: bigint, n: number): bigint { return BigInt.asUintN(n, v); }

/** AddWithCarry() — shared/functions/integer/AddWithCarry. */
export function addWithCarry(x: bigint, y: bigint, carry: number, n: number): [bigint, number] {
  const usum = uint(x, n) + uint(y, n) + BigInt(carry);
  const ssum = sint(x, n) + sint(y, n) + BigInt(carry);
  const result = uint(usum, n);
  const N = Number(result >> BigInt(n - 1)) & 1;
  const Z = result === 0n ? 1 : 0;
  const C = result === usum ? 0 : 1;
  const V = sint(result, n) === ssum ? 0 : 1;
  return [result, (N << 3) | (Z << 2) | (C << 1) | V];
}

export function ror(v: bigint, r: number, n: number): bigint {
  v = uint(v, n);
  r %= n;
  if (r === 0) return v;
  return uint((v >> BigInt(r)) | (v << BigInt(n - r)), n);
}

export function replicate(v: bigint, esize: number, n: number): bigint {
  let out = 0n;
  for (let i = 0; i < n; i += esize) out |= uint(v, esize) << BigInt(i);
  return out;
}

/** DecodeBitMasks() — shared/functions/bitmasks/DecodeBitMasks; undefined = UNDEFINED. */
export function refDecodeBitMasks(immN: number, imms: number, immr: number, immediate: boolean, m: number): [bigint, bigint] | undefined {
  const combined = (immN << 6) | (~imms & 0x3f);
  let len = -1;
  for (let i = 6; i >= 0; i--) if ((combined >> i) & 1) { len = i; break; }
  if (len < 1) return undefined;
  if (m < (1 << len)) return undefined;              // the assert; only reachable for N = 1, M = 32
  const levels = (1 << len) - 1;
  if (immediate && (imms & levels) === levels) return undefined;
  const s = imms & levels;
  const r = immr & levels;
  const diff = (s - r) & 0x3f;                       // 6-bit subtract with borrow
  const esize = 1 << len;
  const d = diff & (esize - 1);
  const welem = ones(s + 1);
  const telem = ones(d + 1);
  return [replicate(ror(welem, r, esize), esize, m), replicate(telem, esize, m)];
}

/** ShiftReg() */
function shiftReg(v: bigint, type: number, amount: number, n: number): bigint {
  v = uint(v, n);
  const a = BigInt(amount);
  switch (type) {
    case 0: return uint(v << a, n);
    case 1: return v >> a;
    case 2: return uint(sint(v, n) >> a, n);
    default: return ror(v, amount, n);
  }
}

/** ExtendReg() */
function extendReg(v: bigint, option: number, shift: number, n: number): bigint {
  const len = 8 << (option & 3);
  const unsigned = (option & 4) === 0;
  const e = unsigned ? uint(v, len) : uint(sint(v, len), 64);
  return uint(e << BigInt(shift), n);
}

function condHolds(cond: number, nzcv: number): boolean {
  const N = (nzcv >> 3) & 1, Z = (nzcv >> 2) & 1, C = (nzcv >> 1) & 1, V = nzcv & 1;
  let r: boolean;
  switch (cond >> 1) {
    case 0: r = Z === 1; break;
    case 1: r = C === 1; break;
    case 2: r = N === 1; break;
    case 3: r = V === 1; break;
    case 4: r = C === 1 && Z === 0; break;
    case 5: r = N === V; break;
    case 6: r = N === V && Z === 0; break;
    default: r = true;
  }
  if ((cond & 1) === 1 && cond !== 15) r = !r;
  return r;
}

function bitReverse(v: bigint, n: number): bigint {
  let r = 0n;
  for (let i = 0; i < n; i++) if ((v >> BigInt(i)) & 1n) r |= 1n << BigInt(n - 1 - i);
  return r;
}

/** Poly32Mod2() */
function poly32Mod2(data: bigint, n: number, poly: bigint): bigint {
  for (let i = n - 1; i >= 32; i--) {
    if ((data >> BigInt(i)) & 1n) data ^= poly << BigInt(i - 32);
  }
  return data & 0xffffffffn;
}

function clzN(v: bigint, n: number): number {
  for (let i = n - 1; i >= 0; i--) if ((v >> BigInt(i)) & 1n) return n - 1 - i;
  return n;
}

/** Executes `w` on a copy of `s` per the pseudocode. */
export function refExec(w: number, s: RefState): RefResult {
  w >>>= 0;
  const st: RefState = { x: s.x.slice(), sp: s.sp, nzcv: s.nzcv, pc: s.pc };
  const r = (n: number, sp: boolean): bigint => (n === 31 ? (sp ? st.sp : 0n) : st.x[n]);
  const wr = (n: number, sp: boolean, v: bigint, size: number): void => {
    v = uint(v, size);
    if (n === 31) { if (sp) st.sp = v; } else st.x[n] = v;
  };
  const op0 = f(w, 28, 25);
  const sf = f(w, 31, 31), N = sf ? 64 : 32;
  const Rd = f(w, 4, 0), Rn = f(w, 9, 5), Rm = f(w, 20, 16);

  if ((op0 & 0xe) === 0x8) {
    // ---------------- Data processing -- immediate
    const op1 = f(w, 25, 22);
    if ((op1 & 0xc) === 0) {                                   // PC-rel. addressing
      const imm = sint(BigInt((f(w, 23, 5) << 2) | f(w, 30, 29)), 21);
      if (sf) wr(Rd, false, (st.pc & ~0xfffn) + (imm << 12n), 64);
      else wr(Rd, false, st.pc + imm, 64);
      return st;
    }
    if (op1 === 4 || op1 === 5) {                              // Add/subtract (immediate)
      const op = f(w, 30, 30), S = f(w, 29, 29);
      let imm = BigInt(f(w, 21, 10));
      if (f(w, 22, 22)) imm <<= 12n;
      const a = r(Rn, true);
      const [res, fl] = op ? addWithCarry(a, uint(~imm, N), 1, N) : addWithCarry(a, imm, 0, N);
      if (S) st.nzcv = fl;
      wr(Rd, S === 0, res, N);
      return st;
    }
    if (op1 === 6 || op1 === 7) return 'UNDEF';                // with tags (MTE), min/max (CSSC)
    if (op1 === 8 || op1 === 9) {                              // Logical (immediate)
      const opc = f(w, 30, 29), n = f(w, 22, 22);
      if (sf === 0 && n) return 'UNDEF';
      const mk = refDecodeBitMasks(n, f(w, 15, 10), f(w, 21, 16), true, N);
      if (!mk) return 'UNDEF';
      const a = uint(r(Rn, false), N), imm = mk[0];
      const res = opc === 0 || opc === 3 ? a & imm : opc === 1 ? a | imm : a ^ imm;
      if (opc === 3) st.nzcv = (Number(res >> BigInt(N - 1)) << 3) | (res === 0n ? 4 : 0);
      wr(Rd, opc !== 3, res, N);
      return st;
    }
    if (op1 === 10 || op1 === 11) {                            // Move wide (immediate)
      const opc = f(w, 30, 29), hw = f(w, 22, 21);
      if (opc === 1) return 'UNDEF';
      if (sf === 0 && hw >= 2) return 'UNDEF';
      const pos = BigInt(hw * 16), imm = BigInt(f(w, 20, 5));
      let res = opc === 3 ? r(Rd, false) : 0n;
      res = (res & ~(0xffffn << pos)) | (imm << pos);
      if (opc === 0) res = ~res;
      wr(Rd, false, res, N);
      return st;
    }
    if (op1 === 12 || op1 === 13) {                            // Bitfield
      const opc = f(w, 30, 29), n = f(w, 22, 22), immr = f(w, 21, 16), imms = f(w, 15, 10);
      if (opc === 3) return 'UNDEF';
      if (sf === 1 && n !== 1) return 'UNDEF';
      if (sf === 0 && (n !== 0 || (immr & 32) || (imms & 32))) return 'UNDEF';
      const mk = refDecodeBitMasks(n, imms, immr, false, N);
      if (!mk) return 'UNDEF';
      const [wmask, tmask] = mk;
      const inzero = opc !== 1, extend = opc === 0;
      const dst = inzero ? 0n : uint(r(Rd, false), N);
      const src = uint(r(Rn, false), N);
      const all = ones(N);
      const bot = (dst & (all ^ wmask)) | (ror(src, immr, N) & wmask);
      const top = extend ? ((src >> BigInt(imms)) & 1n ? all : 0n) : dst;
      wr(Rd, false, (top & (all ^ tmask)) | (bot & tmask), N);
      return st;
    }
    {                                                          // Extract
      const op21 = f(w, 30, 29), n = f(w, 22, 22), o0 = f(w, 21, 21), imms = f(w, 15, 10);
      if (op21 !== 0 || o0 !== 0) return 'UNDEF';
      if (n !== sf) return 'UNDEF';
      if (sf === 0 && (imms & 32)) return 'UNDEF';
      const concat = (uint(r(Rn, false), N) << BigInt(N)) | uint(r(Rm, false), N);
      wr(Rd, false, concat >> BigInt(imms), N);
      return st;
    }
  }

  if ((op0 & 0x7) !== 0x5) return 'OTHER';
  // ---------------- Data processing -- register
  const op1 = f(w, 28, 28), op2 = f(w, 24, 21), op3 = f(w, 15, 10);
  const op = f(w, 30, 30), S = f(w, 29, 29);
  if (op1 === 0) {
    if ((op2 & 8) === 0) {                                     // Logical (shifted register)
      const opc = f(w, 30, 29), shift = f(w, 23, 22), inv = f(w, 21, 21), imm6 = f(w, 15, 10);
      if (sf === 0 && (imm6 & 32)) return 'UNDEF';
      let b = shiftReg(r(Rm, false), shift, imm6, N);
      if (inv) b = uint(~b, N);
      const a = uint(r(Rn, false), N);
      const res = opc === 0 || opc === 3 ? a & b : opc === 1 ? a | b : a ^ b;
      if (opc === 3) st.nzcv = (Number(res >> BigInt(N - 1)) << 3) | (res === 0n ? 4 : 0);
      wr(Rd, false, res, N);
      return st;
    }
    if ((op2 & 1) === 0) {                                     // Add/subtract (shifted register)
      const shift = f(w, 23, 22), imm6 = f(w, 15, 10);
      if (shift === 3) return 'UNDEF';
      if (sf === 0 && (imm6 & 32)) return 'UNDEF';
      const b = shiftReg(r(Rm, false), shift, imm6, N);
      const [res, fl] = op ? addWithCarry(r(Rn, false), uint(~b, N), 1, N) : addWithCarry(r(Rn, false), b, 0, N);
      if (S) st.nzcv = fl;
      wr(Rd, false, res, N);
      return st;
    }
    {                                                          // Add/subtract (extended register)
      const opt = f(w, 23, 22), option = f(w, 15, 13), imm3 = f(w, 12, 10);
      if (opt !== 0) return 'UNDEF';
      if (imm3 > 4) return 'UNDEF';
      const b = extendReg(r(Rm, false), option, imm3, N);
      const [res, fl] = op ? addWithCarry(r(Rn, true), uint(~b, N), 1, N) : addWithCarry(r(Rn, true), b, 0, N);
      if (S) st.nzcv = fl;
      wr(Rd, S === 0, res, N);
      return st;
    }
  }
  if (op2 === 0) {
    if (op3 !== 0) return 'UNDEF';                             // RMIF, SETF8/16 (FEAT_FlagM) and unallocated
    const c = (st.nzcv >> 1) & 1;                              // Add/subtract (with carry)
    const b = op ? uint(~r(Rm, false), N) : r(Rm, false);
    const [res, fl] = addWithCarry(r(Rn, false), b, c, N);
    if (S) st.nzcv = fl;
    wr(Rd, false, res, N);
    return st;
  }
  if (op2 === 2) {                                             // Conditional compare (register, immediate)
    const cond = f(w, 15, 12), o2 = f(w, 10, 10), o3 = f(w, 4, 4), nzcv = f(w, 3, 0);
    if (S === 0 || o2 || o3) return 'UNDEF';
    if (condHolds(cond, st.nzcv)) {
      let b = f(w, 11, 11) ? BigInt(Rm) : uint(r(Rm, false), N);
      let c = 0;
      if (op) { b = uint(~b, N); c = 1; }
      st.nzcv = addWithCarry(r(Rn, false), b, c, N)[1];
    } else {
      st.nzcv = nzcv;
    }
    return st;
  }
  if (op2 === 4) {                                             // Conditional select
    const cond = f(w, 15, 12), o2 = f(w, 11, 10);
    if (S || o2 >= 2) return 'UNDEF';
    let res: bigint;
    if (condHolds(cond, st.nzcv)) res = r(Rn, false);
    else {
      res = uint(r(Rm, false), N);
      if (op) res = uint(~res, N);
      if (o2 === 1) res = uint(res + 1n, N);
    }
    wr(Rd, false, res, N);
    return st;
  }
  if (op2 === 6 && op === 0) {                                 // Data-processing (2 source)
    if (S) return 'UNDEF';
    const a = uint(r(Rn, false), N), b = uint(r(Rm, false), N);
    const opcode = op3;
    switch (opcode) {
      case 2: wr(Rd, false, b === 0n ? 0n : a / b, N); return st;
      case 3: {
        const sa = sint(a, N), sb = sint(b, N);
        wr(Rd, false, sb === 0n ? 0n : sa / sb, N);             // BigInt division rounds toward zero
        return st;
      }
      case 8: case 9: case 10: case 11:
        wr(Rd, false, shiftReg(a, opcode - 8, Number(b % BigInt(N)), N), N); return st;
      default: break;
    }
    if (opcode >= 16 && opcode <= 23) {
      const sz = opcode & 3;
      if (sf === 1 && sz !== 3) return 'UNDEF';
      if (sf === 0 && sz === 3) return 'UNDEF';
      const size = 8 << sz;
      const poly = opcode & 4 ? 0x1edc6f41n : 0x04c11db7n;
      const acc = uint(r(Rn, false), 32), val = uint(r(Rm, false), size);
      const tempacc = bitReverse(acc, 32) << BigInt(size);
      const tempval = bitReverse(val, size) << 32n;
      wr(Rd, false, bitReverse(poly32Mod2(tempacc ^ tempval, size + 32, poly), 32), 32);
      return st;
    }
    return 'UNDEF';
  }
  if (op2 === 6) {                                             // Data-processing (1 source)
    const opcode2 = f(w, 20, 16);
    if (S || opcode2 !== 0) return 'UNDEF';
    const a = uint(r(Rn, false), N);
    const revBytesIn = (v: bigint, container: number): bigint => {
      let out = 0n;
      for (let base = 0; base < N; base += container) {
        for (let i = 0; i < container / 8; i++) {
          const byte = (v >> BigInt(base + 8 * i)) & 0xffn;
          out |= byte << BigInt(base + container - 8 - 8 * i);
        }
      }
      return out;
    };
    switch (op3) {
      case 0: wr(Rd, false, bitReverse(a, N), N); return st;
      case 1: wr(Rd, false, revBytesIn(a, 16), N); return st;
      case 2: wr(Rd, false, revBytesIn(a, 32), N); return st;
      case 3: if (sf === 0) return 'UNDEF'; wr(Rd, false, revBytesIn(a, 64), N); return st;
      case 4: wr(Rd, false, BigInt(clzN(a, N)), N); return st;
      case 5: {
        // CountLeadingSignBits(x) = CountLeadingZeroBits(x<N-1:1> EOR x<N-2:0>)
        const t = (a >> 1n) ^ (a & ones(N - 1));
        wr(Rd, false, BigInt(clzN(t, N - 1)), N);
        return st;
      }
      default: return 'UNDEF';
    }
  }
  if ((op2 & 8) === 8) {                                       // Data-processing (3 source)
    const op54 = f(w, 30, 29), op31 = f(w, 23, 21), o0 = f(w, 15, 15), Ra = f(w, 14, 10);
    if (op54 !== 0) return 'UNDEF';
    const a = r(Ra, false), n = r(Rn, false), m = r(Rm, false);
    const sub = o0 === 1;
    switch (op31) {
      case 0: {
        const p = uint(n, N) * uint(m, N);
        wr(Rd, false, sub ? a - p : a + p, N);
        return st;
      }
      case 1: case 5: {
        if (sf === 0) return 'UNDEF';
        const p = op31 === 1 ? sint(n, 32) * sint(m, 32) : uint(n, 32) * uint(m, 32);
        wr(Rd, false, sub ? a - p : a + p, 64);
        return st;
      }
      case 2: case 6: {
        if (sf === 0 || sub) return 'UNDEF';
        const p = op31 === 2 ? sint(n, 64) * sint(m, 64) : n * m;
        wr(Rd, false, p >> 64n, 64);
        return st;
      }
      default: return 'UNDEF';
    }
  }
  return 'UNDEF';                                              // op2 = 0x01, 0x11 (with op1 = 1): unallocated
}

export { M64 };
