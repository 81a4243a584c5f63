// The arm64 Linux Image header (Linux Documentation/arch/arm64/booting.rst, "Call the kernel
// image"): 64 bytes, little-endian, at the start of every arm64 Image (and of other payloads
// that follow the protocol, such as U-Boot built with its arm64 Image header).
//
//   0  u32 code0        executable code (branch to stext; "MZ" + branch for EFI stubs)
//   4  u32 code1
//   8  u64 text_offset  load offset from a 2 MiB-aligned base
//  16  u64 image_size   effective size (0 before Linux 3.17)
//  24  u64 flags        bit 0 endianness (1 = big), bits [2:1] page size, bit 3 placement
//  32  u64 res2, res3, res4
//  56  u32 magic        0x644d5241, "ARM\x64"
//  60  u32 res5         (PE/COFF header offset for EFI stubs)

import { BootError } from './errors';

export const ARM64_IMAGE_MAGIC = 0x644d5241;
export const ARM64_HEADER_SIZE = 64;
/** booting.rst: with image_size 0 (kernels before 3.17) text_offset "can be assumed to be 0x80000". */
export const LEGACY_TEXT_OFFSET = 0x80000;

export interface Arm64ImageHeader {
  code0: number;
  code1: number;
  /** Load offset from a 2 MiB-aligned base (LEGACY_TEXT_OFFSET when imageSize is 0). */
  textOffset: number;
  /** Effective size in bytes including BSS; 0 for kernels before 3.17. */
  imageSize: number;
  flags: number;
  /** flags bits [2:1]: 0 unspecified, or 4096 / 16384 / 65536. */
  pageSize: 0 | 4096 | 16384 | 65536;
  /** flags bit 3: 1 = the 2 MiB-aligned base may be anywhere in RAM, 0 = as close to the base of DRAM as possible. */
  placeAnywhere: boolean;
}

/** An Image header that cannot be booted; `field` names the header field. */
export class ImageHeaderError extends BootError {
  constructor(readonly field: string, message: string) {
    super(`arm64 Image header ${field}: ${message}`);
  }
}

/** True if `bytes` carries the "ARM\x64" magic at offset 56. */
export function hasArm64ImageMagic(bytes: Uint8Array): boolean {
  return bytes.length >= ARM64_HEADER_SIZE
    && new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(56, true) === ARM64_IMAGE_MAGIC;
}

/** Parses and checks the header; throws ImageHeaderError naming the field (magic, flags, text_offset, image_size). */
export function parseArm64ImageHeader(bytes: Uint8Array): Arm64ImageHeader {
  if (bytes.length < ARM64_HEADER_SIZE) throw new ImageHeaderError('size', `${bytes.length} bytes is shorter than the 64-byte header`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = v.getUint32(56, true);
  if (magic !== ARM64_IMAGE_MAGIC) {
    throw new ImageHeaderError('magic', `0x${magic.toString(16).padStart(8, '0')} at offset 56 is not 0x644d5241 ("ARM\\x64")`);
  }
  const u64 = (off: number, field: string): number => {
    const x = v.getBigUint64(off, true);
    if (x > BigInt(Number.MAX_SAFE_INTEGER)) throw new ImageHeaderError(field, `0x${x.toString(16)} is too large`);
    return Number(x);
  };
  const imageSize = u64(16, 'image_size');
  const flags = imageSize === 0 ? 0 : u64(24, 'flags');
  // booting.rst: "Where image_size is zero, text_offset can be assumed to be 0x80000" (its
  // endianness was unspecified before 3.17), and flags did not exist yet.
  const textOffset = imageSize === 0 ? LEGACY_TEXT_OFFSET : u64(8, 'text_offset');
  if (flags & 1) throw new ImageHeaderError('flags', 'bit 0 (endianness) is 1: big-endian kernels are not supported (the board runs little-endian only)');
  if (textOffset % 4096 !== 0) throw new ImageHeaderError('text_offset', `0x${textOffset.toString(16)} is not a multiple of 4 KiB`);
  const pageBits = (flags >>> 1) & 3;
  return {
    code0: v.getUint32(0, true),
    code1: v.getUint32(4, true),
    textOffset,
    imageSize,
    flags,
    pageSize: ([0, 4096, 16384, 65536] as const)[pageBits],
    placeAnywhere: (flags & 8) !== 0,
  };
}
