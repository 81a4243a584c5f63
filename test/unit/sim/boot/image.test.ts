// The arm64 Image header (src/sim/boot/arm64-image.ts; Linux booting.rst): fields, the
// pre-3.17 image_size 0 rule, and errors that name the field.
import * as assert from 'node:assert';
import { parseArm64ImageHeader, hasArm64ImageMagic, ImageHeaderError } from '../../../../src/sim/boot/arm64-image';

/** A header as Debian's 6.1 cloud kernel has it (EFI "MZ" code0, text_offset 0, flags 0xa). */
function header(f: Partial<{ code0: number; textOffset: bigint; imageSize: bigint; flags: bigint; magic: number }> = {}): Uint8Array {
  const b = new Uint8Array(64);
  const v = new DataView(b.buffer);
  v.setUint32(0, f.code0 ?? 0xfa405a4d, true);
  v.setUint32(4, 0x144e6346, true);
  v.setBigUint64(8, f.textOffset ?? 0n, true);
  v.setBigUint64(16, f.imageSize ?? 0x1ab0000n, true);
  v.setBigUint64(24, f.flags ?? 0xan, true);
  v.setUint32(56, f.magic ?? 0x644d5241, true);
  v.setUint32(60, 0x40, true);
  return b;
}

describe('arm64 Image header', () => {
  it('reads text_offset, image_size and the flags of a current kernel', () => {
    const h = parseArm64ImageHeader(header());
    assert.strictEqual(h.code0, 0xfa405a4d);
    assert.strictEqual(h.textOffset, 0);
    assert.strictEqual(h.imageSize, 0x1ab0000);
    assert.strictEqual(h.pageSize, 4096);
    assert.strictEqual(h.placeAnywhere, true);
    assert.strictEqual(parseArm64ImageHeader(header({ flags: 0x6n, textOffset: 0x80000n })).pageSize, 65536);
    assert.strictEqual(parseArm64ImageHeader(header({ flags: 0x6n, textOffset: 0x80000n })).textOffset, 0x80000);
    assert.strictEqual(parseArm64ImageHeader(header({ flags: 0x2n })).placeAnywhere, false);
  });

  it('image_size 0 (before Linux 3.17): text_offset is taken as 0x80000 and flags are ignored', () => {
    const h = parseArm64ImageHeader(header({ imageSize: 0n, textOffset: 0x12345678n, flags: 0xffn }));
    assert.strictEqual(h.textOffset, 0x80000);
    assert.strictEqual(h.imageSize, 0);
    assert.strictEqual(h.flags, 0);
  });

  it('the magic is "ARM\\x64" at offset 56', () => {
    assert.ok(hasArm64ImageMagic(header()));
    assert.ok(!hasArm64ImageMagic(header({ magic: 0x644d5242 })));
    assert.ok(!hasArm64ImageMagic(header().subarray(0, 60)));
  });

  const errors: [string, Uint8Array, RegExp][] = [
    ['bad magic', header({ magic: 0x12345678 }), /^arm64 Image header magic: 0x12345678 at offset 56 is not 0x644d5241/],
    ['big-endian kernel', header({ flags: 0xbn }), /^arm64 Image header flags: bit 0 \(endianness\) is 1: big-endian/],
    ['text_offset not page-aligned', header({ textOffset: 0x80010n }), /^arm64 Image header text_offset: 0x80010 is not a multiple of 4 KiB/],
    ['absurd image_size', header({ imageSize: 1n << 60n }), /^arm64 Image header image_size: 0x1000000000000000 is too large/],
    ['shorter than the header', header().subarray(0, 40), /^arm64 Image header size: 40 bytes/],
  ];
  for (const [name, bytes, re] of errors) {
    it(`error naming the field: ${name}`, () => {
      assert.throws(() => parseArm64ImageHeader(bytes), (e: unknown) => e instanceof ImageHeaderError && re.test((e as Error).message));
    });
  }
});
