// The Cryptographic Extension (DDI0487 K.a C4.1 encoding index: "Cryptographic AES", "Cryptographic
// three-register SHA", "Cryptographic two-register SHA", "Cryptographic four-register",
// "three-register SHA512", "two-register SHA512", "XAR"), and the 64-bit polynomial multiply
// PMULL/PMULL2 <Vd>.1Q (FEAT_PMULL, in the "Advanced SIMD three different" class):
//   FEAT_AES     AESE, AESD, AESMC, AESIMC                     (ID_AA64ISAR0_EL1.AES >= 1)
//   FEAT_PMULL   PMULL/PMULL2 .1Q                               (ID_AA64ISAR0_EL1.AES = 2)
//   FEAT_SHA1    SHA1C, SHA1P, SHA1M, SHA1SU0, SHA1H, SHA1SU1   (ID_AA64ISAR0_EL1.SHA1 = 1)
//   FEAT_SHA256  SHA256H, SHA256H2, SHA256SU0, SHA256SU1        (ID_AA64ISAR0_EL1.SHA2 >= 1)
//   FEAT_SHA512  SHA512H, SHA512H2, SHA512SU0, SHA512SU1        (ID_AA64ISAR0_EL1.SHA2 = 2)
//   FEAT_SHA3    EOR3, BCAX, RAX1, XAR                          (ID_AA64ISAR0_EL1.SHA3 = 1)
// Each executor checks its feature first (a model without it gets UNDEFINED, as the ID register
// says), then the FP/SIMD trap controls (CPACR/CPTR, AArch64.CheckFPAdvSIMDEnabled()).
// The operations follow the Arm ARM shared pseudocode (shared/functions/crypto: AESSubBytes,
// AESShiftRows, AESMixColumns and their inverses, SHAchoose, SHAparity, SHAmajority,
// SHAhashSIGMA0/1, SHA256hash, ROL/ROR of the concatenated state). The SM3/SM4 encodings of the
// SHA512 classes (FEAT_SM3, FEAT_SM4) are not implemented by either model and stay UNDEFINED.
import { Flow, type Exec } from '../exec';
import type { Encoding } from '../decode';
import type { PE } from '../pe';
import type { CpuFeatures } from '../cpu-model';

// ---------------------------------------------------------------- AES tables (FIPS-197 5.1.1)

/** GF(2^8) multiply modulo x^8 + x^4 + x^3 + x + 1 (FIPS-197 4.2; the Arm ARM's FFmul). */
function gmul(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) {
    if (b & 1) r ^= a;
    const hi = a & 0x80;
    a = (a << 1) & 0xff;
    if (hi) a ^= 0x1b;
    b >>= 1;
  }
  return r;
}

/**
 * The S-box: multiplicative inverse in GF(2^8), then the affine transform (FIPS-197 5.1.1). The
 * inverses come from log/antilog tables of the generator 3 (256 steps, at module load).
 */
const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
{
  const exp = new Uint8Array(256), log = new Uint8Array(256);
  for (let i = 0, x = 1; i < 255; i++) { exp[i] = x; log[x] = i; x ^= gmul(x, 2); }
  for (let x = 0; x < 256; x++) {
    const inv = x === 0 ? 0 : exp[(255 - log[x]) % 255];
    let s = inv;
    for (let k = 1; k <= 4; k++) s ^= ((inv << k) | (inv >>> (8 - k))) & 0xff;
    s ^= 0x63;
    SBOX[x] = s;
    INV_SBOX[s] = x;
  }
}
/** Products the (inverse) MixColumns matrices need, by table (FIPS-197 5.1.3, 5.3.3). */
const MUL = [2, 3, 9, 11, 13, 14].map((k) => Uint8Array.from({ length: 256 }, (_, x) => gmul(x, k)));
const [M2, M3, M9, M11, M13, M14] = MUL;

/** The state: byte i of the 128-bit value is row i mod 4, column i div 4 (FIPS-197 3.4). */
const ST = new Uint8Array(16), OUT = new Uint8Array(16);
const ST32 = new Uint32Array(ST.buffer), OUT32 = new Uint32Array(OUT.buffer);

function loadState(pe: PE, r: number): void {
  const v = pe.v, i = r << 2;
  ST32[0] = v[i]; ST32[1] = v[i + 1]; ST32[2] = v[i + 2]; ST32[3] = v[i + 3];
}

function storeOut(pe: PE, r: number): void {
  const v = pe.v, i = r << 2;
  v[i] = OUT32[0]; v[i + 1] = OUT32[1]; v[i + 2] = OUT32[2]; v[i + 3] = OUT32[3];
}

const enum Aes { E, D, MC, IMC }

/**
 * AESE: AESSubBytes(AESShiftRows(Vd EOR Vn)); AESD: AESInvSubBytes(AESInvShiftRows(Vd EOR Vn));
 * AESMC: AESMixColumns(Vn); AESIMC: AESInvMixColumns(Vn) (DDI0487 C7.2, the AESE/AESD/AESMC/AESIMC pages).
 */
function execAes(op: Aes, d: number, n: number): Exec {
  return (pe: PE) => {
    if (!pe.features.aes) return pe.undefinedInstruction();
    if (pe.fpTrapped()) return Flow.Stop;
    loadState(pe, n);
    if (op === Aes.E || op === Aes.D) {
      const v = pe.v, i = d << 2;
      ST32[0] ^= v[i]; ST32[1] ^= v[i + 1]; ST32[2] ^= v[i + 2]; ST32[3] ^= v[i + 3];
      for (let c = 0; c < 4; c++) {
        for (let r = 0; r < 4; r++) {
          // ShiftRows moves row r left by r columns; the inverse moves it right.
          const from = op === Aes.E ? (c + r) & 3 : (c - r) & 3;
          const b = ST[r + 4 * from];
          OUT[r + 4 * c] = op === Aes.E ? SBOX[b] : INV_SBOX[b];
        }
      }
    } else {
      for (let c = 0; c < 4; c++) {
        const a0 = ST[4 * c], a1 = ST[4 * c + 1], a2 = ST[4 * c + 2], a3 = ST[4 * c + 3];
        if (op === Aes.MC) {
          OUT[4 * c] = M2[a0] ^ M3[a1] ^ a2 ^ a3;
          OUT[4 * c + 1] = a0 ^ M2[a1] ^ M3[a2] ^ a3;
          OUT[4 * c + 2] = a0 ^ a1 ^ M2[a2] ^ M3[a3];
          OUT[4 * c + 3] = M3[a0] ^ a1 ^ a2 ^ M2[a3];
        } else {
          OUT[4 * c] = M14[a0] ^ M11[a1] ^ M13[a2] ^ M9[a3];
          OUT[4 * c + 1] = M9[a0] ^ M14[a1] ^ M11[a2] ^ M13[a3];
          OUT[4 * c + 2] = M13[a0] ^ M9[a1] ^ M14[a2] ^ M11[a3];
          OUT[4 * c + 3] = M11[a0] ^ M13[a1] ^ M9[a2] ^ M14[a3];
        }
      }
    }
    storeOut(pe, d);
    return Flow.Next;
  };
}

/** Cryptographic AES: 01001110 size(2) 10100 opcode(5) 10 Rn Rd; size != 00 is reserved. */
function cryptoAesDecode(w: number): Exec | undefined {
  if (((w >>> 22) & 3) !== 0) return undefined;
  const opcode = (w >>> 12) & 31;
  if (opcode < 0b00100 || opcode > 0b00111) return undefined;
  return execAes(opcode - 0b00100, w & 31, (w >>> 5) & 31);
}

// ---------------------------------------------------------------- SHA-1 / SHA-256 (32-bit words)

const rol = (x: number, s: number): number => ((x << s) | (x >>> (32 - s))) >>> 0;
const ror = (x: number, s: number): number => ((x >>> s) | (x << (32 - s))) >>> 0;
const choose = (x: number, y: number, z: number): number => (((y ^ z) & x) ^ z) >>> 0;
const parity = (x: number, y: number, z: number): number => (x ^ y ^ z) >>> 0;
const majority = (x: number, y: number, z: number): number => ((x & y) | ((x | y) & z)) >>> 0;
const sigma0 = (x: number): number => (ror(x, 2) ^ ror(x, 13) ^ ror(x, 22)) >>> 0;
const sigma1 = (x: number): number => (ror(x, 6) ^ ror(x, 11) ^ ror(x, 25)) >>> 0;
/** The message-schedule functions of SHA256SU0/SHA256SU1 (FIPS 180-4 4.1.2 sigma0, sigma1). */
const ssig0 = (x: number): number => (ror(x, 7) ^ ror(x, 18) ^ (x >>> 3)) >>> 0;
const ssig1 = (x: number): number => (ror(x, 17) ^ ror(x, 19) ^ (x >>> 10)) >>> 0;

/** Working copies of the operands: X (4 words), Y (4 words), W (4 words), result (4 words). */
const X = new Uint32Array(4), Y = new Uint32Array(4), W = new Uint32Array(4), R = new Uint32Array(4);

function get4(pe: PE, r: number, to: Uint32Array): void {
  const v = pe.v, i = r << 2;
  to[0] = v[i]; to[1] = v[i + 1]; to[2] = v[i + 2]; to[3] = v[i + 3];
}

function put4(pe: PE, r: number, from: Uint32Array): void {
  const v = pe.v, i = r << 2;
  v[i] = from[0]; v[i + 1] = from[1]; v[i + 2] = from[2]; v[i + 3] = from[3];
}

const enum Sha3Reg { SHA1C, SHA1P, SHA1M, SHA1SU0, SHA256H, SHA256H2, SHA256SU1 }

/**
 * SHA1C/SHA1P/SHA1M Qd, Sn, Vm.4S (C7.2): four rounds; after each, the 160-bit value
 * Y:X rotates left by 32 (the new X is X<95:0>:Y, the new Y is X<127:96>).
 */
function sha1Rounds(f: (x: number, y: number, z: number) => number): void {
  let y = Y[0];
  for (let e = 0; e < 4; e++) {
    const t = f(X[1], X[2], X[3]);
    y = (y + rol(X[0], 5) + t + W[e]) >>> 0;
    X[1] = rol(X[1], 30);
    const top = X[3];
    X[3] = X[2]; X[2] = X[1]; X[1] = X[0]; X[0] = y;
    y = top;
  }
}

/**
 * SHA256hash(X, Y, W, part1) (shared pseudocode): four rounds; after each, the 256-bit Y:X
 * rotates left by 32. SHA256H returns X, SHA256H2 (called with X and Y swapped) returns Y.
 */
function sha256Hash(x: Uint32Array, y: Uint32Array): void {
  for (let e = 0; e < 4; e++) {
    const chs = choose(y[0], y[1], y[2]);
    const maj = majority(x[0], x[1], x[2]);
    const t = (y[3] + sigma1(y[0]) + chs + W[e]) >>> 0;
    x[3] = (t + x[3]) >>> 0;
    y[3] = (t + sigma0(x[0]) + maj) >>> 0;
    const xTop = x[3], yTop = y[3];
    x[3] = x[2]; x[2] = x[1]; x[1] = x[0]; x[0] = yTop;
    y[3] = y[2]; y[2] = y[1]; y[1] = y[0]; y[0] = xTop;
  }
}

function execSha3Reg(op: Sha3Reg, d: number, n: number, m: number): Exec {
  const needs: keyof CpuFeatures = op >= Sha3Reg.SHA256H ? 'sha256' : 'sha1';
  return (pe: PE) => {
    if (!pe.features[needs]) return pe.undefinedInstruction();
    if (pe.fpTrapped()) return Flow.Stop;
    get4(pe, d, X); get4(pe, n, Y); get4(pe, m, W);
    switch (op) {
      case Sha3Reg.SHA1C: sha1Rounds(choose); put4(pe, d, X); break;
      case Sha3Reg.SHA1P: sha1Rounds(parity); put4(pe, d, X); break;
      case Sha3Reg.SHA1M: sha1Rounds(majority); put4(pe, d, X); break;
      case Sha3Reg.SHA1SU0:
        // result = Vn<63:0>:Vd<127:64> EOR Vd EOR Vm (C7.2)
        R[0] = X[2] ^ X[0] ^ W[0]; R[1] = X[3] ^ X[1] ^ W[1]; R[2] = Y[0] ^ X[2] ^ W[2]; R[3] = Y[1] ^ X[3] ^ W[3];
        put4(pe, d, R);
        break;
      case Sha3Reg.SHA256H: sha256Hash(X, Y); put4(pe, d, X); break;
      case Sha3Reg.SHA256H2: sha256Hash(Y, X); put4(pe, d, X); break; // SHA256hash(Vn, Vd, Vm, FALSE) returns its Y = Vd
      default: {
        // SHA256SU1 (C7.2): T0 = Vm<31:0>:Vn<127:32> = (Y1, Y2, Y3, W0), T1 = Vm<127:64>,
        // then the result's upper half from its own lower half.
        R[0] = (ssig1(W[2]) + X[0] + Y[1]) >>> 0;
        R[1] = (ssig1(W[3]) + X[1] + Y[2]) >>> 0;
        R[2] = (ssig1(R[0]) + X[2] + Y[3]) >>> 0;
        R[3] = (ssig1(R[1]) + X[3] + W[0]) >>> 0;
        put4(pe, d, R);
      }
    }
    return Flow.Next;
  };
}

/** Cryptographic three-register SHA: 01011110 size(2) 0 Rm 0 opcode(3) 00 Rn Rd. */
function cryptoSha3RegDecode(w: number): Exec | undefined {
  if (((w >>> 22) & 3) !== 0) return undefined;
  const opcode = (w >>> 12) & 7;
  if (opcode === 7) return undefined;
  return execSha3Reg(opcode, w & 31, (w >>> 5) & 31, (w >>> 16) & 31);
}

const enum Sha2Reg { SHA1H, SHA1SU1, SHA256SU0 }

function execSha2Reg(op: Sha2Reg, d: number, n: number): Exec {
  const needs: keyof CpuFeatures = op === Sha2Reg.SHA256SU0 ? 'sha256' : 'sha1';
  return (pe: PE) => {
    if (!pe.features[needs]) return pe.undefinedInstruction();
    if (pe.fpTrapped()) return Flow.Stop;
    get4(pe, d, X); get4(pe, n, Y);
    switch (op) {
      case Sha2Reg.SHA1H:
        // Sd = ROL(Sn, 30), the rest of Vd zeroed (a scalar write, C7.2).
        R[0] = rol(Y[0], 30); R[1] = 0; R[2] = 0; R[3] = 0;
        break;
      case Sha2Reg.SHA1SU1: {
        // T = Vd EOR LSR(Vn, 32); each word ROL 1, the top one also EOR ROL(T<31:0>, 2) (C7.2).
        const t0 = X[0] ^ Y[1], t1 = X[1] ^ Y[2], t2 = X[2] ^ Y[3], t3 = X[3];
        R[0] = rol(t0 >>> 0, 1); R[1] = rol(t1 >>> 0, 1); R[2] = rol(t2 >>> 0, 1);
        R[3] = (rol(t3 >>> 0, 1) ^ rol(t0 >>> 0, 2)) >>> 0;
        break;
      }
      default: {
        // SHA256SU0 (C7.2): T = Vn<31:0>:Vd<127:32> = (X1, X2, X3, Y0); result = sigma0(T) + Vd per word.
        R[0] = (ssig0(X[1]) + X[0]) >>> 0;
        R[1] = (ssig0(X[2]) + X[1]) >>> 0;
        R[2] = (ssig0(X[3]) + X[2]) >>> 0;
        R[3] = (ssig0(Y[0]) + X[3]) >>> 0;
      }
    }
    put4(pe, d, R);
    return Flow.Next;
  };
}

/** Cryptographic two-register SHA: 01011110 size(2) 10100 opcode(5) 10 Rn Rd. */
function cryptoSha2RegDecode(w: number): Exec | undefined {
  if (((w >>> 22) & 3) !== 0) return undefined;
  const opcode = (w >>> 12) & 31;
  if (opcode > 2) return undefined;
  return execSha2Reg(opcode, w & 31, (w >>> 5) & 31);
}

// ---------------------------------------------------------------- 64-bit lanes (PMULL, SHA512, SHA3)
// SHA512 and SHA3 (Armv8.2 options, on the max model only) compute in BigInt: simpler to check
// against the pseudocode, at an allocation per instruction that these rare instructions can afford.

const M64 = (1n << 64n) - 1n;
const lane = (pe: PE, r: number, e: number): bigint => {
  const i = (r << 2) + 2 * e;
  return (BigInt(pe.v[i + 1]) << 32n) | BigInt(pe.v[i]);
};
const setLane = (pe: PE, r: number, e: number, x: bigint): void => {
  const i = (r << 2) + 2 * e;
  pe.v[i] = Number(x & 0xffffffffn); pe.v[i + 1] = Number((x >> 32n) & 0xffffffffn);
};
const ror64 = (x: bigint, s: number): bigint => ((x >> BigInt(s)) | (x << BigInt(64 - s))) & M64;
const rol64 = (x: bigint, s: number): bigint => ror64(x, (64 - s) & 63);

/**
 * PMULL/PMULL2 <Vd>.1Q, <Vn>.1D, <Vm>.1D (C7.2, FEAT_PMULL): the carry-less product of the
 * lower (Q = 0) or upper (Q = 1) doublewords, 128 bits wide (PolynomialMult), in 32-bit words.
 */
function execPmull64(part: number, d: number, n: number, m: number): Exec {
  const ni = (n << 2) + 2 * part, mi = (m << 2) + 2 * part;
  return (pe: PE) => {
    if (!pe.features.pmull) return pe.undefinedInstruction();
    if (pe.fpTrapped()) return Flow.Stop;
    const v = pe.v, alo = v[ni], ahi = v[ni + 1], blo = v[mi], bhi = v[mi + 1];
    let r0 = 0, r1 = 0, r2 = 0, r3 = 0;
    for (let i = 0; i < 64; i++) {
      if ((((i < 32 ? blo : bhi) >>> (i & 31)) & 1) === 0) continue;
      // A << i spans three words starting at word i / 32.
      const s = i & 31;
      const x0 = alo << s, x1 = s ? (ahi << s) | (alo >>> (32 - s)) : ahi, x2 = s ? ahi >>> (32 - s) : 0;
      if (i < 32) { r0 ^= x0; r1 ^= x1; r2 ^= x2; } else { r1 ^= x0; r2 ^= x1; r3 ^= x2; }
    }
    const di = d << 2;
    v[di] = r0 >>> 0; v[di + 1] = r1 >>> 0; v[di + 2] = r2 >>> 0; v[di + 3] = r3 >>> 0;
    return Flow.Next;
  };
}

const enum Sha512 { H, H2, SU1, RAX1 }

/** SHA512H, SHA512H2, SHA512SU1, RAX1 (C7.2): X = Vn, Y = Vm, W = Vd. */
function execSha512(op: Sha512, d: number, n: number, m: number): Exec {
  return (pe: PE) => {
    if (!(op === Sha512.RAX1 ? pe.features.sha3 : pe.features.sha512)) return pe.undefinedInstruction();
    if (pe.fpTrapped()) return Flow.Stop;
    const x0 = lane(pe, n, 0), x1 = lane(pe, n, 1), y0 = lane(pe, m, 0), y1 = lane(pe, m, 1);
    const w0 = lane(pe, d, 0), w1 = lane(pe, d, 1);
    let lo: bigint, hi: bigint;
    switch (op) {
      case Sha512.H: {
        const s1 = (v: bigint) => ror64(v, 14) ^ ror64(v, 18) ^ ror64(v, 41);
        hi = (((y1 & x0) ^ (~y1 & M64 & x1)) + s1(y1) + w1) & M64;
        const tmp = (hi + y0) & M64;
        lo = (((tmp & y1) ^ (~tmp & M64 & x0)) + s1(tmp) + w0) & M64;
        break;
      }
      case Sha512.H2: {
        const s0 = (v: bigint) => ror64(v, 28) ^ ror64(v, 34) ^ ror64(v, 39);
        hi = (((x0 & y1) ^ (x0 & y0) ^ (y1 & y0)) + s0(y0) + w1) & M64;
        lo = (((hi & y0) ^ (hi & y1) ^ (y1 & y0)) + s0(hi) + w0) & M64;
        break;
      }
      case Sha512.SU1: {
        const s1 = (v: bigint) => ror64(v, 19) ^ ror64(v, 61) ^ (v >> 6n);
        hi = (w1 + s1(x1) + y1) & M64;
        lo = (w0 + s1(x0) + y0) & M64;
        break;
      }
      default:
        // RAX1: Vn EOR ROL(Vm, 1) per doubleword (FEAT_SHA3).
        lo = x0 ^ rol64(y0, 1); hi = x1 ^ rol64(y1, 1);
    }
    setLane(pe, d, 0, lo); setLane(pe, d, 1, hi);
    return Flow.Next;
  };
}

/** Cryptographic three-register SHA512: 11001110 011 Rm 1 O 00 opcode(2) Rn Rd (O = 1 is SM3/SM4). */
function cryptoSha512ThreeDecode(w: number): Exec | undefined {
  if ((w >>> 14) & 1) return undefined;
  return execSha512((w >>> 10) & 3, w & 31, (w >>> 5) & 31, (w >>> 16) & 31);
}

/** SHA512SU0 <Vd>.2D, <Vn>.2D (C7.2): sigma0 of the next message doublewords, added to Vd. */
function execSha512su0(d: number, n: number): Exec {
  return (pe: PE) => {
    if (!pe.features.sha512) return pe.undefinedInstruction();
    if (pe.fpTrapped()) return Flow.Stop;
    const s0 = (v: bigint) => ror64(v, 1) ^ ror64(v, 8) ^ (v >> 7n);
    const w0 = lane(pe, n, 0), d0 = lane(pe, d, 0), d1 = lane(pe, d, 1);
    setLane(pe, d, 0, (d0 + s0(d1)) & M64);
    setLane(pe, d, 1, (d1 + s0(w0)) & M64);
    return Flow.Next;
  };
}

/** EOR3 (Vn EOR Vm EOR Va) and BCAX (Vn EOR (Vm AND NOT Va)), 16 bytes (C7.2). */
function execFourReg(bcax: boolean, d: number, n: number, m: number, a: number): Exec {
  return (pe: PE) => {
    if (!pe.features.sha3) return pe.undefinedInstruction();
    if (pe.fpTrapped()) return Flow.Stop;
    const v = pe.v;
    for (let i = 0; i < 4; i++) {
      const vn = v[(n << 2) + i], vm = v[(m << 2) + i], va = v[(a << 2) + i];
      R[i] = bcax ? vn ^ (vm & ~va) : vn ^ vm ^ va;
    }
    put4(pe, d, R);
    return Flow.Next;
  };
}

/** XAR <Vd>.2D, <Vn>.2D, <Vm>.2D, #imm6: ROR(Vn EOR Vm, imm6) per doubleword (C7.2). */
function execXar(d: number, n: number, m: number, imm6: number): Exec {
  return (pe: PE) => {
    if (!pe.features.sha3) return pe.undefinedInstruction();
    if (pe.fpTrapped()) return Flow.Stop;
    const r0 = ror64(lane(pe, n, 0) ^ lane(pe, m, 0), imm6), r1 = ror64(lane(pe, n, 1) ^ lane(pe, m, 1), imm6);
    setLane(pe, d, 0, r0); setLane(pe, d, 1, r1);
    return Flow.Next;
  };
}

export const SIMD_CRYPTO: Encoding[] = [
  { name: 'Cryptographic AES', mask: 0xff3e0c00, value: 0x4e280800, decode: cryptoAesDecode },
  { name: 'Cryptographic three-register SHA', mask: 0xff208c00, value: 0x5e000000, decode: cryptoSha3RegDecode },
  { name: 'Cryptographic two-register SHA', mask: 0xff3e0c00, value: 0x5e280800, decode: cryptoSha2RegDecode },
  // PMULL{2} <Vd>.1Q: 0 Q 0 01110 11 1 Rm 1110 00 Rn Rd, the size = 11 row of the "three
  // different" class's PMULL (size = 00, the 8-bit form, belongs to that class's own handler).
  { name: 'PMULL (1Q)', mask: 0xbfe0fc00, value: 0x0ee0e000, decode: (w) => execPmull64((w >>> 30) & 1, w & 31, (w >>> 5) & 31, (w >>> 16) & 31) },
  { name: 'Cryptographic four-register', mask: 0xffc08000, value: 0xce000000, decode: (w) => execFourReg(((w >>> 21) & 1) === 1, w & 31, (w >>> 5) & 31, (w >>> 16) & 31, (w >>> 10) & 31) },
  { name: 'Cryptographic three-register SHA512', mask: 0xffe0b000, value: 0xce608000, decode: cryptoSha512ThreeDecode },
  { name: 'XAR', mask: 0xffe00000, value: 0xce800000, decode: (w) => execXar(w & 31, (w >>> 5) & 31, (w >>> 16) & 31, (w >>> 10) & 63) },
  { name: 'Cryptographic two-register SHA512', mask: 0xfffffc00, value: 0xcec08000, decode: (w) => execSha512su0(w & 31, (w >>> 5) & 31) },
];
