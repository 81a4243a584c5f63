// The Cryptographic Extension (src/sim/isa/simd-crypto.ts) by known answers: small AArch64
// programs (assembled by our assembler, run on the simulator) compute SHA-1, SHA-256 and SHA-512
// digests and AES-128 encryptions/decryptions the way Linux's arch/arm64/crypto drivers do, and
// the results must equal node:crypto's (FIPS 180-4, FIPS-197) for seeded random inputs, plus the
// FIPS-197 Appendix C.1 vector. PMULL .1Q, EOR3, BCAX, RAX1 and XAR against BigInt references.
// Then: each instruction is UNDEFINED on a model without its feature, traps with CPACR_EL1.FPEN,
// and ID_AA64ISAR0_EL1 says exactly what the decoder implements.
import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import { assemble } from '../../../src/asm/assembler';
import { requiredSlot } from '../../../src/sim/sysregs';
import { ARMV81_VHE, CORTEX_A57, MAX, type CpuModel } from '../../../src/sim/cpu-model';
import { RAM_BASE, TestBoard, rng, setX } from './harness';

const DATA = RAM_BASE + 0x10000, OUTP = RAM_BASE + 0x20000, KEYS = RAM_BASE + 0x30000;

/** Assembles `src` (which ends in `done: b done`) at RAM_BASE and runs it at EL1 with FP enabled. */
function runProgram(src: string, setup: (t: TestBoard) => void, model: CpuModel = CORTEX_A57): TestBoard {
  const r = assemble(`.text\n.global _start\n_start:\n${src}\ndone: b done\n`, { fileName: 'crypto.S' });
  assert.deepEqual(r.errors.map((e) => `${e.line}: ${e.message}`), []);
  const text = r.sections.find((s) => s.name === '.text')!;
  const t = new TestBoard(model);
  const pe = t.reset(1);
  pe.sys[requiredSlot('CPACR_EL1') * 2] = 3 << 20;
  for (let i = 0; i < text.data.length; i++) t.mem.write(RAM_BASE + i, 1, text.data[i]);
  setup(t);
  const before = pe.exceptions;
  pe.run(200_000);
  assert.equal(pe.exceptions, before, 'the program took an exception');
  const doneAt = RAM_BASE + text.data.length - 4;
  assert.equal(pe.pcLo, doneAt, 'the program reached done');
  return t;
}

const write = (t: TestBoard, at: number, b: Uint8Array): void => { for (let i = 0; i < b.length; i++) t.mem.write(at + i, 1, b[i]); };
const read = (t: TestBoard, at: number, n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => t.mem.read(at + i, 1)));

/** FIPS 180-4 5.1 padding: 0x80, zeros, the bit length big-endian in `lenBytes` bytes. */
function pad(msg: Uint8Array, block: number, lenBytes: number): Uint8Array {
  const total = Math.ceil((msg.length + 1 + lenBytes) / block) * block;
  const out = new Uint8Array(total);
  out.set(msg); out[msg.length] = 0x80;
  const bits = BigInt(msg.length) * 8n;
  for (let i = 0; i < 8; i++) out[total - 1 - i] = Number((bits >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** Big-endian words as a .word/.quad list. */
const words32 = (xs: readonly number[]) => xs.map((x) => `0x${(x >>> 0).toString(16)}`).join(', ');

// FIPS 180-4 4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64
// primes, computed here (not copied) with BigInt integer cube roots.
function primes(n: number): number[] {
  const p: number[] = [];
  for (let k = 2; p.length < n; k++) if (p.every((q) => k % q !== 0)) p.push(k);
  return p;
}
function icbrt(v: bigint): bigint {
  let lo = 0n, hi = 1n << 80n;
  while (lo < hi) { const mid = (lo + hi + 1n) >> 1n; if (mid * mid * mid <= v) lo = mid; else hi = mid - 1n; }
  return lo;
}
function isqrt(v: bigint): bigint {
  let lo = 0n, hi = 1n << 80n;
  while (lo < hi) { const mid = (lo + hi + 1n) >> 1n; if (mid * mid <= v) lo = mid; else hi = mid - 1n; }
  return lo;
}
const frac = (root: bigint, bits: number) => root & ((1n << BigInt(bits)) - 1n);
const K256 = primes(64).map((p) => Number(frac(icbrt(BigInt(p) << 96n), 32)));
const H256 = primes(8).map((p) => Number(frac(isqrt(BigInt(p) << 64n), 32)));
const K512 = primes(80).map((p) => frac(icbrt(BigInt(p) << 192n), 64));
const H512 = primes(8).map((p) => frac(isqrt(BigInt(p) << 128n), 64));

/** SHA-256 of the padded blocks at DATA (x1 = block count), digest words at OUTP. */
function sha256Program(): string {
  const lines = [
    `ldr x0, =${DATA}`, `ldr x2, =kt`, `ldr x3, =${OUTP}`, `ldr x4, =h0`,
    'ld1 {v0.4s, v1.4s}, [x4]',
    'blk: ld1 {v16.16b-v19.16b}, [x0], #64',
    'rev32 v16.16b, v16.16b', 'rev32 v17.16b, v17.16b', 'rev32 v18.16b, v18.16b', 'rev32 v19.16b, v19.16b',
    'mov v20.16b, v0.16b', 'mov v21.16b, v1.16b', 'mov x5, x2',
  ];
  const w = ['v16', 'v17', 'v18', 'v19'];
  for (let g = 0; g < 16; g++) {
    lines.push('ld1 {v4.4s}, [x5], #16', `add v5.4s, ${w[g % 4]}.4s, v4.4s`, 'mov v2.16b, v0.16b',
      'sha256h q0, q1, v5.4s', 'sha256h2 q1, q2, v5.4s');
    if (g < 12) lines.push(`sha256su0 ${w[g % 4]}.4s, ${w[(g + 1) % 4]}.4s`, `sha256su1 ${w[g % 4]}.4s, ${w[(g + 2) % 4]}.4s, ${w[(g + 3) % 4]}.4s`);
  }
  lines.push('add v0.4s, v0.4s, v20.4s', 'add v1.4s, v1.4s, v21.4s', 'subs x1, x1, #1', 'b.ne blk',
    'st1 {v0.4s, v1.4s}, [x3]', 'b done', '.balign 16', `kt: .word ${words32(K256)}`, `h0: .word ${words32(H256)}`, '.ltorg');
  return lines.join('\n');
}

/** SHA-1 (FIPS 180-4 6.1) of the padded blocks at DATA: a, b, c, d in v0, e in s1. */
function sha1Program(): string {
  const K = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];
  const lines = [
    `ldr x0, =${DATA}`, `ldr x3, =${OUTP}`, 'ldr x4, =h0', 'ld1 {v0.4s}, [x4], #16', 'ldr s1, [x4]',
    'blk: ld1 {v16.16b-v19.16b}, [x0], #64',
    'rev32 v16.16b, v16.16b', 'rev32 v17.16b, v17.16b', 'rev32 v18.16b, v18.16b', 'rev32 v19.16b, v19.16b',
    'mov v20.16b, v0.16b', 'mov v21.16b, v1.16b',
  ];
  const w = ['v16', 'v17', 'v18', 'v19'];
  let e = 1;
  for (let g = 0; g < 20; g++) {
    const f = g < 5 ? 'sha1c' : g < 10 || g >= 15 ? 'sha1p' : 'sha1m';
    lines.push(`ldr w6, =0x${K[Math.floor(g / 5)].toString(16)}`, 'dup v4.4s, w6', `add v5.4s, ${w[g % 4]}.4s, v4.4s`,
      `sha1h s${3 - e}, s0`, `${f} q0, s${e}, v5.4s`);
    e = 3 - e;
    if (g < 16) lines.push(`sha1su0 ${w[g % 4]}.4s, ${w[(g + 1) % 4]}.4s, ${w[(g + 2) % 4]}.4s`, `sha1su1 ${w[g % 4]}.4s, ${w[(g + 3) % 4]}.4s`);
  }
  // e ends in s1 again (20 swaps).
  lines.push('add v0.4s, v0.4s, v20.4s', 'add v1.4s, v1.4s, v21.4s', 'subs x1, x1, #1', 'b.ne blk',
    'st1 {v0.4s}, [x3], #16', 'str s1, [x3]', 'b done', '.ltorg', '.balign 16',
    `h0: .word 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0`);
  return lines.join('\n');
}

/**
 * SHA-512 (FIPS 180-4 6.4) with SHA512H/H2/SU0/SU1, following the Arm ARM's description of the
 * instructions (the register choreography of Linux's sha512-ce-core.S): the state as four 2D
 * vectors (ab, cd, ef, gh; element 0 holds a, c, e, g), two rounds per SHA512H/SHA512H2 pair, the
 * schedule in eight 2D vectors.
 */
function sha512Program(): string {
  const lines = [
    `ldr x0, =${DATA}`, `ldr x3, =${OUTP}`, 'ldr x4, =h0', 'ld1 {v0.2d-v3.2d}, [x4]',
    'blk: ld1 {v12.16b-v15.16b}, [x0], #64', 'ld1 {v16.16b-v19.16b}, [x0], #64',
  ];
  for (let i = 12; i < 20; i++) lines.push(`rev64 v${i}.16b, v${i}.16b`);
  lines.push('mov v24.16b, v0.16b', 'mov v25.16b, v1.16b', 'mov v26.16b, v2.16b', 'mov v27.16b, v3.16b', 'ldr x5, =kt');
  // Registers holding ab, cd, ef, gh rotate by one pair every two rounds.
  let s = [0, 1, 2, 3];
  for (let g = 0; g < 40; g++) {
    const wi = 12 + (g % 8);
    const [ab, cd, ef, gh] = s.map((r) => `v${r}`);
    lines.push('ld1 {v28.2d}, [x5], #16', `add v5.2d, v${wi}.2d, v28.2d`,
      // (gh + K + W) with the halves swapped so element 1 carries the first round's word
      'ext v5.16b, v5.16b, v5.16b, #8',
      `ext v6.16b, ${ef}.16b, ${gh}.16b, #8`, `ext v7.16b, ${cd}.16b, ${ef}.16b, #8`,
      `add ${gh}.2d, ${gh}.2d, v5.2d`,
      `sha512h q${s[3]}, q6, v7.2d`,
      `add v8.2d, ${cd}.2d, ${gh}.2d`,
      `sha512h2 q${s[3]}, q${s[1]}, ${ab}.2d`);
    if (g < 32) {
      const w0 = 12 + (g % 8), w1 = 12 + ((g + 1) % 8), w4 = 12 + ((g + 4) % 8), w5 = 12 + ((g + 5) % 8), w7 = 12 + ((g + 7) % 8);
      lines.push(`sha512su0 v${w0}.2d, v${w1}.2d`, `ext v9.16b, v${w4}.16b, v${w5}.16b, #8`, `sha512su1 v${w0}.2d, v${w7}.2d, v9.2d`);
    }
    lines.push(`mov ${cd}.16b, v8.16b`);
    s = [s[3], s[0], s[1], s[2]];
  }
  lines.push('add v0.2d, v0.2d, v24.2d', 'add v1.2d, v1.2d, v25.2d', 'add v2.2d, v2.2d, v26.2d', 'add v3.2d, v3.2d, v27.2d',
    'subs x1, x1, #1', 'b.ne blk', 'st1 {v0.2d-v3.2d}, [x3]', 'b done', '.ltorg', '.balign 16',
    `kt: .quad ${K512.map((k) => '0x' + k.toString(16)).join(', ')}`,
    `h0: .quad ${H512.map((h) => '0x' + h.toString(16)).join(', ')}`);
  return lines.join('\n');
}

/**
 * AES-128: the key schedule in the guest (SubWord by AESE with an all-zero round key on a
 * replicated word, as Linux's ce_aes_sub does), then ECB encryption of x2 blocks at DATA into
 * OUTP and decryption back into OUTP + 0x1000 with the equivalent inverse cipher (AESIMC'd keys).
 */
function aesProgram(): string {
  return `
        ldr     x0, =${KEYS}
        ldr     x8, =${KEYS + 0x100}
        ldp     w10, w11, [x0]
        ldp     w12, w13, [x0, #8]
        movi    v7.16b, #0
        mov     w9, #1
        mov     x1, x0
        mov     x4, #10
ks:     dup     v1.4s, w13
        aese    v1.16b, v7.16b
        umov    w14, v1.s[0]
        ror     w14, w14, #8
        eor     w14, w14, w9
        eor     w10, w10, w14
        eor     w11, w11, w10
        eor     w12, w12, w11
        eor     w13, w13, w12
        add     x1, x1, #16
        stp     w10, w11, [x1]
        stp     w12, w13, [x1, #8]
        lsl     w9, w9, #1
        tst     w9, #0x100
        b.eq    1f
        mov     w15, #0x11b
        eor     w9, w9, w15
1:      subs    x4, x4, #1
        b.ne    ks
        // decryption keys: k10, aesimc(k9) .. aesimc(k1), k0
        ldr     q1, [x0, #160]
        str     q1, [x8]
        mov     x4, #9
        add     x5, x0, #144
        add     x6, x8, #16
2:      ldr     q1, [x5], #-16
        aesimc  v1.16b, v1.16b
        str     q1, [x6], #16
        subs    x4, x4, #1
        b.ne    2b
        ldr     q1, [x0]
        str     q1, [x6]
        ldr     x5, =${DATA}
        ldr     x6, =${OUTP}
        ldr     x7, =${OUTP + 0x1000}
        mov     x3, x2
enc:    ldr     q0, [x5], #16
        mov     x9, x0
        mov     x4, #9
3:      ldr     q1, [x9], #16
        aese    v0.16b, v1.16b
        aesmc   v0.16b, v0.16b
        subs    x4, x4, #1
        b.ne    3b
        ldr     q1, [x9], #16
        aese    v0.16b, v1.16b
        ldr     q1, [x9]
        eor     v0.16b, v0.16b, v1.16b
        str     q0, [x6], #16
        subs    x3, x3, #1
        b.ne    enc
        ldr     x6, =${OUTP}
        mov     x3, x2
dec:    ldr     q0, [x6], #16
        mov     x9, x8
        mov     x4, #9
4:      ldr     q1, [x9], #16
        aesd    v0.16b, v1.16b
        aesimc  v0.16b, v0.16b
        subs    x4, x4, #1
        b.ne    4b
        ldr     q1, [x9], #16
        aesd    v0.16b, v1.16b
        ldr     q1, [x9]
        eor     v0.16b, v0.16b, v1.16b
        str     q0, [x7], #16
        subs    x3, x3, #1
        b.ne    dec
        b       done
        .ltorg`;
}

function randomBytes(next: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => next() & 0xff);
}

/** Digest of `msg` computed by `program` in the guest (big-endian words of `wordBytes`). */
function guestDigest(program: string, msg: Uint8Array, block: number, lenBytes: number, outBytes: number, wordBytes: number, model?: CpuModel): Buffer {
  const p = pad(msg, block, lenBytes);
  const t = runProgram(program, (tb) => { write(tb, DATA, p); setX(tb.pe, 1, BigInt(p.length / block)); }, model);
  const out = read(t, OUTP, outBytes);
  // the guest stores words little-endian: reverse each word into FIPS byte order
  const be = Buffer.alloc(outBytes);
  for (let i = 0; i < outBytes; i += wordBytes) for (let k = 0; k < wordBytes; k++) be[i + k] = out[i + wordBytes - 1 - k];
  return be;
}

describe('Cryptographic Extension: known answers (guest programs vs node:crypto)', () => {
  const lengths = [0, 3, 55, 56, 64, 119, 200];

  it('SHA-256 (SHA256H, SHA256H2, SHA256SU0, SHA256SU1) of 7 seeded messages, 1 to 4 blocks', () => {
    const next = rng(256), prog = sha256Program();
    for (const n of lengths) {
      const msg = randomBytes(next, n);
      assert.equal(guestDigest(prog, msg, 64, 8, 32, 4).toString('hex'), crypto.createHash('sha256').update(msg).digest('hex'), `${n} bytes`);
    }
  });

  it('SHA-1 (SHA1C, SHA1P, SHA1M, SHA1H, SHA1SU0, SHA1SU1) of 7 seeded messages', () => {
    const next = rng(1), prog = sha1Program();
    for (const n of lengths) {
      const msg = randomBytes(next, n);
      assert.equal(guestDigest(prog, msg, 64, 8, 20, 4).toString('hex'), crypto.createHash('sha1').update(msg).digest('hex'), `${n} bytes`);
    }
  });

  it('SHA-512 (SHA512H, SHA512H2, SHA512SU0, SHA512SU1) of 5 seeded messages on max', () => {
    const next = rng(512), prog = sha512Program();
    for (const n of [0, 5, 111, 112, 300]) {
      const msg = randomBytes(next, n);
      assert.equal(guestDigest(prog, msg, 128, 16, 64, 8, MAX).toString('hex'), crypto.createHash('sha512').update(msg).digest('hex'), `${n} bytes`);
    }
  });

  it('AES-128: FIPS-197 C.1, and 8 seeded keys x 4 blocks, encrypt and decrypt (AESE, AESD, AESMC, AESIMC)', () => {
    const next = rng(197);
    const cases: Array<[Uint8Array, Uint8Array]> = [[Uint8Array.from({ length: 16 }, (_, i) => i), Uint8Array.from({ length: 16 }, (_, i) => i * 0x11)]];
    for (let k = 0; k < 8; k++) cases.push([randomBytes(next, 16), randomBytes(next, 64)]);
    const prog = aesProgram();
    for (const [key, pt] of cases) {
      const t = runProgram(prog, (tb) => { write(tb, KEYS, key); write(tb, DATA, pt); setX(tb.pe, 2, BigInt(pt.length / 16)); });
      const c = crypto.createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
      const want = Buffer.concat([c.update(pt), c.final()]);
      assert.equal(read(t, OUTP, pt.length).toString('hex'), want.toString('hex'), `key ${Buffer.from(key).toString('hex')}`);
      assert.equal(read(t, OUTP + 0x1000, pt.length).toString('hex'), Buffer.from(pt).toString('hex'), 'decrypts back');
    }
    // FIPS-197 Appendix C.1 (AES-128) ciphertext of 00112233..ff under 000102..0f
    const t = runProgram(prog, (tb) => { write(tb, KEYS, cases[0][0]); write(tb, DATA, cases[0][1]); setX(tb.pe, 2, 1n); });
    assert.equal(read(t, OUTP, 16).toString('hex'), '69c4e0d86a7b0430d8cdb78070b4c55a');
  });
});

const M64 = (1n << 64n) - 1n;
function clmul(a: bigint, b: bigint): bigint {
  let r = 0n;
  for (let i = 0; i < 64; i++) if ((b >> BigInt(i)) & 1n) r ^= a << BigInt(i);
  return r;
}
const rotr = (x: bigint, s: number) => ((x >> BigInt(s)) | (x << BigInt(64 - s))) & M64;
const setV = (t: TestBoard, n: number, v: bigint) => { for (let i = 0; i < 4; i++) t.pe.v[4 * n + i] = Number((v >> BigInt(32 * i)) & 0xffffffffn); };
const getV = (t: TestBoard, n: number) => { let r = 0n; for (let i = 3; i >= 0; i--) r = (r << 32n) | BigInt(t.pe.v[4 * n + i]); return r; };
const lo = (v: bigint) => v & M64, hi = (v: bigint) => v >> 64n;

function fresh(model: CpuModel = MAX): TestBoard {
  const t = new TestBoard(model);
  const pe = t.reset(1);
  pe.sys[requiredSlot('CPACR_EL1') * 2] = 3 << 20;
  return t;
}

function rand128(next: () => number): bigint {
  let v = 0n;
  for (let i = 0; i < 4; i++) v = (v << 32n) | BigInt(next());
  return v;
}

describe('Cryptographic Extension: PMULL .1Q and SHA3 against BigInt references', () => {
  it('PMULL/PMULL2 v0.1q: 200 random operand pairs, lower and upper doublewords', () => {
    const next = rng(64), t = fresh(CORTEX_A57);
    for (let k = 0; k < 200; k++) {
      const a = rand128(next), b = rand128(next);
      setV(t, 1, a); setV(t, 2, b);
      t.exec1(0x0ee2e020); // pmull v0.1q, v1.1d, v2.1d
      assert.equal(getV(t, 0), clmul(lo(a), lo(b)));
      t.exec1(0x4ee2e020); // pmull2 v0.1q, v1.2d, v2.2d
      assert.equal(getV(t, 0), clmul(hi(a), hi(b)));
    }
  });

  it('EOR3, BCAX, RAX1, XAR: 100 random operand sets each', () => {
    const next = rng(3), t = fresh();
    const M128 = (1n << 128n) - 1n;
    for (let k = 0; k < 100; k++) {
      const n = rand128(next), m = rand128(next), a = rand128(next), sh = next() & 63;
      setV(t, 2, n); setV(t, 3, m); setV(t, 4, a);
      t.exec1(0xce031041); assert.equal(getV(t, 1), n ^ m ^ a, 'eor3 v1.16b, v2.16b, v3.16b, v4.16b');
      t.exec1(0xce231041); assert.equal(getV(t, 1), n ^ (m & (~a & M128)), 'bcax');
      t.exec1(0xce638c41); // rax1 v1.2d, v2.2d, v3.2d
      const rol1 = (x: bigint) => rotr(x, 63);
      assert.equal(getV(t, 1), (lo(n) ^ rol1(lo(m))) | ((hi(n) ^ rol1(hi(m))) << 64n), 'rax1');
      t.exec1((0xce830041 | (sh << 10)) >>> 0); // xar v1.2d, v2.2d, v3.2d, #sh
      assert.equal(getV(t, 1), rotr(lo(n ^ m), sh) | (rotr(hi(n ^ m), sh) << 64n), `xar #${sh}`);
    }
  });
});

describe('Cryptographic Extension: features, traps and ID registers', () => {
  // One encoding per instruction (GNU as 2.40), with the feature that gates it.
  const INSNS: Array<[string, number, 'aes' | 'pmull' | 'sha1' | 'sha256' | 'sha512' | 'sha3']> = [
    ['aese v0.16b, v1.16b', 0x4e284820, 'aes'], ['aesd v0.16b, v1.16b', 0x4e285820, 'aes'],
    ['aesmc v0.16b, v1.16b', 0x4e286820, 'aes'], ['aesimc v31.16b, v2.16b', 0x4e28785f, 'aes'],
    ['pmull v0.1q, v1.1d, v2.1d', 0x0ee2e020, 'pmull'], ['pmull2 v0.1q, v1.2d, v2.2d', 0x4ee2e020, 'pmull'],
    ['sha1c q0, s1, v2.4s', 0x5e020020, 'sha1'], ['sha1h s3, s4', 0x5e280883, 'sha1'], ['sha1su1 v1.4s, v2.4s', 0x5e281841, 'sha1'],
    ['sha256h2 q1, q2, v3.4s', 0x5e035041, 'sha256'], ['sha256su1 v1.4s, v2.4s, v3.4s', 0x5e036041, 'sha256'],
    ['sha512h q0, q1, v2.2d', 0xce628020, 'sha512'], ['sha512su0 v1.2d, v2.2d', 0xcec08041, 'sha512'],
    ['rax1 v1.2d, v2.2d, v3.2d', 0xce638c41, 'sha3'], ['eor3 v1.16b, v2.16b, v3.16b, v4.16b', 0xce031041, 'sha3'],
    ['xar v1.2d, v2.2d, v3.2d, #10', 0xce832841, 'sha3'],
  ];
  const ESR_UNDEF = 0x02000000, ESR_FP_TRAP = (0x07 << 26 | 1 << 25) >>> 0;

  for (const model of [CORTEX_A57, ARMV81_VHE, MAX]) {
    it(`${model.name}: each instruction executes iff the model has its feature, else UNDEFINED`, () => {
      for (const [text, word, feat] of INSNS) {
        const t = fresh(model), before = t.pe.exceptions;
        t.exec1(word);
        const undef = t.pe.exceptions !== before;
        assert.equal(undef, !model.features[feat], `${text} on ${model.name}`);
        if (undef) assert.equal(t.pe.sys[requiredSlot('ESR_EL1') * 2], ESR_UNDEF, text);
      }
    });
  }

  it('CPACR_EL1.FPEN = 0 traps them to EL1 with EC 0x07 (AArch64.CheckFPAdvSIMDEnabled)', () => {
    for (const [text, word] of INSNS) {
      const t = new TestBoard(MAX), pe = t.reset(1), before = pe.exceptions;
      t.exec1(word);
      assert.equal(pe.exceptions, before + 1, text);
      assert.equal(pe.sys[requiredSlot('ESR_EL1') * 2] >>> 25, ESR_FP_TRAP >>> 25, `${text}: EC 0x07, IL 1`);
    }
  });

  it('reserved encodings of the crypto classes are UNDEFINED (size != 0, unallocated opcodes, SM3/SM4)', () => {
    const t = fresh();
    for (const w of [0x4e684820 /* aese size=01 */, 0x4e288820 /* AES opcode 01000 */, 0x5e027020 /* SHA 3-reg opcode 111 */,
      0x5e283820 /* SHA 2-reg opcode 00011 */, 0xce60c000 /* SM3PARTW1 */, 0xcec08400 /* SM4E */, 0xce400000 /* SM3SS1 */]) {
      const before = t.pe.exceptions;
      t.exec1(w);
      assert.equal(t.pe.exceptions, before + 1, `0x${w.toString(16)}`);
    }
  });

  it('ID_AA64ISAR0_EL1.{AES, SHA1, SHA2, SHA3} describe the features of each model', () => {
    for (const m of [CORTEX_A57, ARMV81_VHE, MAX]) {
      const [low, high] = m.ids.ID_AA64ISAR0_EL1;
      const f = m.features;
      assert.equal((low >>> 4) & 0xf, f.pmull ? 2 : f.aes ? 1 : 0, `${m.name} AES`);
      assert.equal((low >>> 8) & 0xf, f.sha1 ? 1 : 0, `${m.name} SHA1`);
      assert.equal((low >>> 12) & 0xf, f.sha512 ? 2 : f.sha256 ? 1 : 0, `${m.name} SHA2`);
      assert.equal(high & 0xf, f.sha3 ? 1 : 0, `${m.name} SHA3`);
    }
  });
});
