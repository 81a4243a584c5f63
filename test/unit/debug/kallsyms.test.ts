// The kallsyms reader (src/debug/kallsyms.ts) on synthetic images laid out as Linux 6.1's
// scripts/kallsyms.c lays them out (with and without kallsyms_seqs_of_names, one name longer
// than 127 bytes), and on an image without the tables. The real kernel's tables are checked
// against its own /proc/kallsyms in test/linux/kernel-debug.test.ts.
import * as assert from 'node:assert';
import { Kallsyms, KallsymsError, locateKallsyms } from '../../../src/debug/kallsyms';

/** Token numbers: printable characters stand for themselves; 0x80 = "kvm_", 0x81 = "handle", the rest are filler. */
function tokenOf(i: number): string {
  if (i >= 0x21 && i <= 0x7e) return String.fromCharCode(i);
  if (i === 0x80) return 'kvm_';
  if (i === 0x81) return 'handle';
  return `~${i.toString(16)}`;
}

function compress(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length;) {
    if (s.startsWith('kvm_', i)) { out.push(0x80); i += 4; } else if (s.startsWith('handle', i)) { out.push(0x81); i += 6; } else out.push(s.charCodeAt(i++));
  }
  return out;
}

function buildImage(syms: { type: string; name: string; offset: number }[], seqs: boolean, lead = 4100): Uint8Array {
  const bytes: number[] = new Array(lead).fill(0xaa);
  const align = (): void => { while (bytes.length % 8) bytes.push(0); };
  const u32 = (v: number): void => { bytes.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24); };
  align();
  for (const s of syms) u32(s.offset);
  align();
  u32(0); u32(0); // kallsyms_relative_base: 0 until the kernel relocates itself
  u32(syms.length); align();
  const names = bytes.length;
  const markers: number[] = [];
  syms.forEach((s, k) => {
    if (k % 256 === 0) markers.push(bytes.length - names);
    const c = compress(s.type + s.name);
    if (c.length > 127) bytes.push((c.length & 0x7f) | 0x80, c.length >> 7); else bytes.push(c.length);
    bytes.push(...c);
  });
  align();
  for (const m of markers) u32(m);
  align();
  if (seqs) { for (let k = 0; k < syms.length; k++) bytes.push(0, k >> 8, k & 255); align(); }
  const table = bytes.length;
  const index: number[] = [];
  for (let i = 0; i < 256; i++) { index.push(bytes.length - table); for (const ch of tokenOf(i)) bytes.push(ch.charCodeAt(0)); bytes.push(0); }
  align();
  for (const o of index) bytes.push(o & 255, o >> 8);
  bytes.push(...new Array(64).fill(0x55));
  return Uint8Array.from(bytes);
}

function symbols(n: number): { type: string; name: string; offset: number }[] {
  const out = [];
  for (let k = 0; k < n; k++) out.push({ type: k % 3 ? 't' : 'T', name: k === 7 ? `long_${'x'.repeat(150)}` : `kvm_handle_${k}`, offset: 16 * k + (k > 100 ? 4 : 0) });
  return out;
}

describe('kallsyms reader', () => {
  for (const seqs of [false, true]) {
    it(`decodes every name, type and offset of a 6.1 layout${seqs ? ' with kallsyms_seqs_of_names' : ''}`, () => {
      const want = symbols(600);
      const k = Kallsyms.fromImage(buildImage(want, seqs));
      assert.strictEqual(k.layout.count, 600);
      assert.deepStrictEqual(k.symbols, want);
      assert.strictEqual(k.lookup('kvm_handle_599')?.offset, 16 * 599 + 4);
      assert.strictEqual(k.symbols[7].name.length, 155, 'a name longer than 127 bytes has a two-byte length');
    });
  }

  it('finds the symbol containing an offset, preferring the first of aliases', () => {
    const want = [{ type: 'T', name: 'a', offset: 0 }, { type: 'T', name: 'alias_of_b', offset: 32 }, { type: 't', name: 'b', offset: 32 }, ...symbols(40).map((s) => ({ ...s, offset: s.offset + 64 }))];
    const k = Kallsyms.fromImage(buildImage(want, false));
    assert.deepStrictEqual(k.at(40), { sym: want[1], delta: 8 });
    assert.deepStrictEqual(k.at(12), { sym: want[0], delta: 12 });
    assert.strictEqual(k.at(64 + 16 * 3 + 2)?.sym.name, 'kvm_handle_3');
  });

  it('says so when an image has no tables', () => {
    const img = new Uint8Array(1 << 16).fill(0x41);
    assert.throws(() => locateKallsyms(img), (e: unknown) => e instanceof KallsymsError && /no kallsyms tables/.test((e as Error).message));
    // a token table without names before it is not enough
    const bad = buildImage(symbols(300), false);
    bad.fill(0xee, 0, 4100 + 300 * 4 + 32 + 100);
    assert.throws(() => Kallsyms.fromImage(bad), KallsymsError);
  });
});
