// Crash fuzzing of the Linux boot path as `armvirt run --kernel/--initrd/--dtb` takes it
// (src/sim/boot/linux-boot.ts bootKernel: gunzip, arm64 Image header, placement, the user DTB
// decoded, edited and re-encoded, Machine.load). Fixed seeds, 2,000+ cases each for:
//   - arm64 Image headers (the probe kernel of test/unit/sim/boot: every header field set to
//     boundary values, flips, truncation), plain and gzip-compressed;
//   - DTBs given with --dtb (the board's own tree: header fields, structure tokens, property
//     lengths and name offsets, strings, flips, truncation);
//   - gzip payloads (the compressed kernel: gzip header flags/fields, the deflate stream, CRC and
//     ISIZE, truncation) and initrds (loaded as they are).
// Every case ends in a BootError naming the field (ImageHeaderError, FdtError, "does not fit",
// "gzip data does not decompress") or boots; never another host exception; memory bounded; a hang
// guard of 10 s per case (a case takes milliseconds: not a speed goal).
// Locally: FUZZ_CASES / FUZZ_SEED as in elf-load-fuzz.test.ts.
import { strict as assert } from 'node:assert';
import * as zlib from 'node:zlib';
import { Machine } from '../../src/sim/machine';
import { BootError } from '../../src/sim/boot/errors';
import { bootDtb, bootKernel, type BootFiles } from '../../src/sim/boot/linux-boot';
import { buildProbeImage } from '../unit/sim/boot/probe-image';
import { Rand, flipBytes, interesting, setField, timed, truncate } from './mutate';

const CASES = Number(process.env.FUZZ_CASES ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 0xb007);
const HANG_GUARD_MS = 10_000;
const MEMORY_BOUND = 512 * 1024 * 1024;

interface Outcome { booted: number; refused: number; messages: Map<string, number> }

/** Runs `cases` boots of `make(i)` on one machine (64 MiB of RAM: placement errors are reachable). */
function fuzzBoot(cases: number, make: (i: number) => BootFiles): Outcome {
  const m = new Machine({ memoryMiB: 64, output: () => undefined });
  const baseExt = process.memoryUsage().arrayBuffers, baseHeap = process.memoryUsage().heapUsed;
  const failures: string[] = [];
  const out: Outcome = { booted: 0, refused: 0, messages: new Map() };
  for (let i = 0; i < cases && failures.length < 10; i++) {
    const files = make(i);
    const t = timed(() => { bootKernel(m, files); });
    const mem = Math.max(process.memoryUsage().arrayBuffers - baseExt, process.memoryUsage().heapUsed - baseHeap);
    if (t.error === undefined) out.booted++;
    else if (t.error instanceof BootError && t.error.message.length > 0 && !/\n\s+at /.test(t.error.message)) {
      out.refused++;
      const key = t.error.message.replace(/0x[0-9a-f]+|\d+/g, 'N').slice(0, 60);
      out.messages.set(key, (out.messages.get(key) ?? 0) + 1);
    } else failures.push(`case ${i}: ${(t.error as Error)?.stack ?? String(t.error)}`);
    if (t.ms > HANG_GUARD_MS) failures.push(`case ${i}: ${Math.round(t.ms)} ms (hang guard)`);
    if (mem > MEMORY_BOUND) failures.push(`case ${i}: heap or external memory ${Math.round(mem / 2 ** 20)} MiB above the start`);
  }
  assert.deepEqual(failures, []);
  return out;
}

function report(what: string, o: Outcome): void {
  const top = [...o.messages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, n]) => `${n}x "${k}"`).join('; ');
  console.log(`      ${what}: ${o.booted} booted, ${o.refused} refused (${o.messages.size} kinds of message; most: ${top})`);
}

describe('fuzz: the Linux boot path on mutated Images, DTBs, gzip payloads and initrds', function () {
  this.timeout(600_000);
  const image = buildProbeImage();
  // Image header fields (booting.rst): code0/1, text_offset, image_size, flags, res2-4, magic, res5.
  const HEADER: Array<[number, number]> = [[0, 4], [4, 4], [8, 8], [16, 8], [24, 8], [32, 8], [40, 8], [48, 8], [56, 4], [60, 4]];

  it(`${CASES} arm64 Image headers (seed ${SEED}), plain and gzip-compressed: a BootError naming the field, or a boot`, () => {
    const r = new Rand(SEED);
    const o = fuzzBoot(CASES, () => {
      const b: Uint8Array = image.slice();
      const steps = 1 + r.below(3);
      for (let s = 0; s < steps; s++) {
        const k = r.below(5);
        if (k <= 2) { const [at, n] = r.pick(HEADER); setField(b, at, n, interesting(r, n, b.length)); } else if (k === 3) flipBytes(r, b, 4, 0, 64);
        else flipBytes(r, b, 8);
      }
      const bytes = r.chance(0.1) ? truncate(r, b) : b;
      return { kernel: { kind: 'binary', bytes: r.chance(0.25) ? zlib.gzipSync(bytes) : bytes }, append: 'console=ttyAMA0' };
    });
    report('Image', o);
    assert.equal(o.booted + o.refused, CASES);
    assert.ok(o.booted > 100 && o.refused > 100 && o.messages.size >= 4, 'both outcomes, several fields named');
  });

  it(`${CASES} DTBs given with --dtb (seed ${SEED + 1}): a BootError naming the part, or a boot`, () => {
    const dtb = bootDtb(new Machine({ memoryMiB: 64, output: () => undefined }), { append: 'console=ttyAMA0' });
    const dv = new DataView(dtb.buffer, dtb.byteOffset, dtb.byteLength);
    const offStruct = dv.getUint32(8), offStrings = dv.getUint32(12), sizeStruct = dv.getUint32(36);
    // 32-bit big-endian words of the structure block: tokens, property lengths, name offsets.
    const words: number[] = [];
    for (let o = offStruct; o < offStruct + sizeStruct; o += 4) words.push(o);
    const r = new Rand(SEED + 1);
    const o = fuzzBoot(CASES, () => {
      let b: Uint8Array = dtb.slice();
      const steps = 1 + r.below(3);
      for (let s = 0; s < steps; s++) {
        switch (r.below(6)) {
          case 0: setField(b, 4 * r.below(10), 4, interesting(r, 4, b.length), true); break; // header fields
          case 1: case 2: setField(b, r.pick(words), 4, r.chance(0.5) ? BigInt(r.below(12)) : interesting(r, 4, b.length), true); break;
          case 3: flipBytes(r, b, 4, offStrings, b.length); break;
          case 4: flipBytes(r, b, 8); break;
          default: b = truncate(r, b);
        }
      }
      return { kernel: { kind: 'binary', bytes: image }, dtb: b, append: 'console=ttyAMA0' };
    });
    report('DTB', o);
    assert.equal(o.booted + o.refused, CASES);
    assert.ok(o.booted > 50 && o.refused > 500 && o.messages.size >= 6, 'both outcomes, several parts named');
  });

  it(`${CASES} gzip kernels and initrds (seed ${SEED + 2}): a BootError, or a boot`, () => {
    // Plain Uint8Arrays: Buffer.prototype.slice would share memory instead of copying.
    const gz = new Uint8Array(zlib.gzipSync(image));
    const initrd = new Uint8Array(zlib.gzipSync(Buffer.from('070701'.repeat(200))));
    const r = new Rand(SEED + 2);
    const o = fuzzBoot(CASES, (i) => {
      let k: Uint8Array = gz.slice();
      const mutateInitrd = i % 4 === 3;
      if (!mutateInitrd) {
        switch (r.below(5)) {
          case 0: setField(k, 3, 1, BigInt(r.below(256))); break; // FLG: FTEXT/FHCRC/FEXTRA/FNAME/FCOMMENT/reserved
          case 1: flipBytes(r, k, 4, 0, 10); break; // header: CM, MTIME, XFL, OS
          case 2: flipBytes(r, k, 6, 10, k.length - 8); break; // the deflate stream
          case 3: setField(k, k.length - 8, 4, interesting(r, 4, image.length)); setField(k, k.length - 4, 4, interesting(r, 4, image.length)); break; // CRC32, ISIZE
          default: k = truncate(r, k);
        }
      }
      let rd: Uint8Array = initrd;
      if (mutateInitrd) {
        rd = initrd.slice();
        if (r.chance(0.3)) rd = truncate(r, rd); else flipBytes(r, rd, 8);
        if (r.chance(0.02)) rd = new Uint8Array(40 * 1024 * 1024 + r.below(4096)); // larger than 64 MiB RAM leaves room for
      }
      return { kernel: { kind: 'binary', bytes: k }, initrd: rd, append: 'console=ttyAMA0' };
    });
    report('gzip/initrd', o);
    assert.equal(o.booted + o.refused, CASES);
    assert.ok(o.booted > 100 && o.refused > 300, 'both outcomes');
  });

  it('a gzip bomb stops at QEMU\'s 256 MiB decompression limit with a BootError (bounded memory)', () => {
    // 300 gzip members of 1 MiB of zeros each: 300 MiB once decompressed (gunzip reads every member).
    const member = zlib.gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
    const bomb = new Uint8Array(Buffer.concat(Array.from({ length: 300 }, () => member)));
    const m = new Machine({ memoryMiB: 64, output: () => undefined });
    assert.throws(() => bootKernel(m, { kernel: { kind: 'binary', bytes: bomb } }), (e: unknown) => e instanceof BootError && /gzip data does not decompress/.test(e.message));
  });
});
