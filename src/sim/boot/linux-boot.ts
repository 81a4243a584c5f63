// The Linux boot protocol as QEMU's `-kernel/-initrd/-append/-dtb` performs it on the virt board
// (hw/arm/boot.c of QEMU 7.2: arm_setup_direct_kernel_boot, load_aarch64_image, arm_load_dtb;
// Linux Documentation/arch/arm64/booting.rst). Everything is placed in RAM at QEMU's addresses,
// so a guest sees the same X0 and the same layout under both:
//
//   kernel  ELF: its PT_LOAD segments (not treated as Linux: no X0, no initrd, as QEMU);
//           otherwise gunzipped when gzip-compressed, then an arm64 Image (magic "ARM\x64" at
//           offset 56) at RAM base + text_offset, plus 2 MiB when text_offset < 4 KiB (QEMU
//           keeps its 4 KiB boot stub at the base of RAM) — 0x4020_0000 for today's kernels;
//           an Image with image_size 0 (before 3.17) or a file without the magic (raw binary)
//           at RAM base + 0x80000.
//   initrd  at RAM base + min(RAM/2, 128 MiB), or right after the kernel (image_size, else the
//           file's size) if that is higher, page-aligned; described in /chosen.
//   DTB     2 MiB-aligned after the initrd's end (after its would-be start without one):
//           0x4800_0000 with 1 GiB of RAM and no initrd. A user DTB (--dtb) gets QEMU's edits:
//           its /memory nodes replaced by the machine's RAM, /chosen bootargs and initrd range.
//   CPU     the boot PE at the kernel's first instruction at EL2 (EL1 with entryEL 1), MMU off,
//           DAIF masked, X0 = DTB address, X1-X3 = 0 (booting.rst "Call the kernel image"). QEMU
//           gets there through a 6-instruction stub at RAM base; we set the registers directly.
import type * as Zlib from 'node:zlib';
import type { LoadSegment, Machine } from '../machine';
import { hasArm64ImageMagic, parseArm64ImageHeader, type Arm64ImageHeader } from './arm64-image';
import { BootError } from './errors';
import { decodeFdt, encodeFdt, findNode, getProp, node, propCells, setProp, deleteProp, str, cells, type FdtNode } from './fdt';
import { virtDeviceTree, type ChosenInfo } from './virt-dtb';

const KiB = 1024, MiB = 1024 * 1024;
/** QEMU BOOTLOADER_MAX_SIZE: the boot stub's room at the base of RAM. */
const BOOTLOADER_MAX_SIZE = 4 * KiB;
/** QEMU KERNEL64_LOAD_ADDR: load offset of raw binaries and of Images with image_size 0. */
const KERNEL64_LOAD_OFFSET = 0x80000;
/** QEMU LOAD_IMAGE_MAX_GUNZIP_BYTES. */
const MAX_GUNZIP_BYTES = 256 * MiB;
/** booting.rst: the DTB "must not exceed 2 megabytes in size"; QEMU aligns its address to 2 MiB. */
const DTB_ALIGN = 2 * MiB;
const DTB_MAX_SIZE = 2 * MiB;
const PAGE = 4 * KiB;

/** A kernel file: an ELF already parsed into segments, or the file's bytes (Image, .flat, raw, gzip). */
export type KernelInput =
  | { kind: 'elf'; segments: LoadSegment[]; entry: number }
  | { kind: 'binary'; bytes: Uint8Array };

export interface BootFiles {
  kernel: KernelInput;
  /** Initial ramdisk, loaded as is (a gzip-compressed cpio archive is the kernel's to unpack). */
  initrd?: Uint8Array;
  /** Kernel command line, /chosen/bootargs. */
  append?: string;
  /** A DTB to use instead of the generated one (validated; /chosen updated as QEMU does). */
  dtb?: Uint8Array;
}

export interface BootPlan {
  /** 'image': arm64 Image header; 'raw': binary without it; 'elf': ELF segments (not booted as Linux). */
  format: 'image' | 'raw' | 'elf';
  header?: Arm64ImageHeader;
  /** The binary was gzip-compressed and has been decompressed. */
  gunzipped: boolean;
  entry: number;
  /** Physical range the kernel occupies (image_size when the header gives it), end exclusive. */
  kernel: { start: number; end: number };
  initrd?: { start: number; end: number };
  /** Physical address of the DTB, undefined when an ELF leaves no room for it. */
  dtbAddr?: number;
  /** The tree handed to the guest (generated, or the user's with /chosen updated). */
  dtb: Uint8Array;
  segments: LoadSegment[];
  /** X0 at entry: the DTB address for Linux formats, 0 for ELF (QEMU sets no registers for it). */
  x0: number;
  /** Things QEMU silently ignores that the user may want to know (e.g. --initrd with an ELF). */
  warnings: string[];
}

const hex = (x: number): string => `0x${x.toString(16)}`;
const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/**
 * Where kernel, initrd and DTB go for `files` on `m`, with the DTB built (generated, or the
 * user's with /chosen updated) and the value of X0; nothing is loaded. Throws BootError
 * (ImageHeaderError, FdtError) naming the field or the part that does not fit.
 */
export function planBoot(m: Machine, files: BootFiles): BootPlan {
  const base = m.mem.ramBase, ramEnd = base + m.mem.ramSize;
  const warnings: string[] = [];
  const segments: LoadSegment[] = [];
  const fits = (what: string, start: number, size: number): void => {
    if (start < base || start + size > ramEnd) {
      throw new BootError(`${what} (${size} bytes at ${hex(start)}) does not fit in RAM ${hex(base)}..${hex(ramEnd)}; give more memory (--memory / "memory")`);
    }
  };

  if (files.kernel.kind === 'elf') {
    const elf = files.kernel;
    let low = Infinity, high = 0;
    for (const s of elf.segments) {
      fits('ELF segment', s.addr, s.memsz ?? s.data.length);
      low = Math.min(low, s.addr);
      high = Math.max(high, s.addr + (s.memsz ?? s.data.length));
      segments.push(s);
    }
    if (files.initrd) warnings.push('the initrd is not loaded: an ELF kernel is not booted as Linux (QEMU ignores -initrd for it too)');
    // QEMU puts the DTB at the base of RAM when the ELF leaves room below its lowest segment.
    const dtb = buildDtb(m, files, undefined);
    let dtbAddr: number | undefined;
    if (low >= base + dtb.length || high <= base) { dtbAddr = base; segments.push({ addr: base, data: dtb }); }
    return { format: 'elf', gunzipped: false, entry: elf.entry, kernel: { start: low, end: high }, dtbAddr, dtb, segments, x0: 0, warnings };
  }

  let bytes = files.kernel.bytes;
  let gunzipped = false;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      // node:zlib (and node's stream modules it brings) is loaded for a gzip kernel only, not at
      // every start of `armvirt run`.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { gunzipSync } = require('node:zlib') as typeof Zlib;
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_GUNZIP_BYTES });
    } catch (e) {
      throw new BootError(`kernel: gzip data does not decompress: ${(e as Error).message}`);
    }
    gunzipped = true;
  }
  let header: Arm64ImageHeader | undefined;
  let offset = KERNEL64_LOAD_OFFSET;
  let size = bytes.length;
  if (hasArm64ImageMagic(bytes)) {
    header = parseArm64ImageHeader(bytes);
    if (header.imageSize !== 0) {
      offset = header.textOffset < BOOTLOADER_MAX_SIZE ? header.textOffset + 2 * MiB : header.textOffset;
      size = Math.max(header.imageSize, bytes.length);
    }
  }
  const entry = base + offset;
  fits('kernel', entry, size);
  segments.push({ addr: entry, data: bytes });
  const kernel = { start: entry, end: entry + size };

  const initrdStart = alignUp(Math.max(base + Math.min(m.mem.ramSize / 2, 128 * MiB), kernel.end), PAGE);
  let initrd: { start: number; end: number } | undefined;
  if (files.initrd) {
    fits('initrd', initrdStart, files.initrd.length);
    initrd = { start: initrdStart, end: initrdStart + files.initrd.length };
    segments.push({ addr: initrdStart, data: files.initrd });
  }
  const dtbAddr = alignUp(initrd ? initrd.end : initrdStart, DTB_ALIGN);
  const dtb = buildDtb(m, files, initrd);
  fits('DTB', dtbAddr, dtb.length);
  segments.push({ addr: dtbAddr, data: dtb });
  return { format: header ? 'image' : 'raw', header, gunzipped, entry, kernel, initrd, dtbAddr, dtb, segments, x0: dtbAddr, warnings };
}

/** The generated tree, or the user's DTB with /chosen updated (bootargs, initrd range) as QEMU's arm_load_dtb does. */
function buildDtb(m: Machine, files: BootFiles, initrd: ChosenInfo['initrd']): Uint8Array {
  const chosen: ChosenInfo = { bootargs: files.append, initrd };
  let out: Uint8Array;
  if (files.dtb) {
    const blob = decodeFdt(files.dtb);
    replaceMemoryNodes(blob.root, m.mem.ramBase, m.mem.ramSize);
    let ch = findNode(blob.root, '/chosen');
    if (!ch) { ch = node('chosen'); blob.root.children.push(ch); }
    applyChosen(ch, chosen);
    out = encodeFdt(blob.root, { bootCpuidPhys: blob.bootCpuidPhys, reservations: blob.reservations });
  } else {
    out = encodeFdt(virtDeviceTree(m, chosen), { bootCpuidPhys: m.pes[0].mpidr & 0xffffff });
  }
  if (out.length > DTB_MAX_SIZE) throw new BootError(`DTB totalsize ${out.length} exceeds the 2 MiB booting.rst allows`);
  return out;
}

/**
 * As QEMU's arm_load_dtb: every /memory or /memory@… node of a user tree is dropped and one
 * /memory@<RAM base> describes the RAM the machine has, in the root's #address-cells and
 * #size-cells (which must be present and non-zero, and wide enough).
 */
function replaceMemoryNodes(root: FdtNode, base: number, size: number): void {
  const cellCount = (name: string): number => {
    const v = getProp(root, name);
    const n = v && v.length === 4 ? propCells(v)[0] : 0;
    if (n !== 1 && n !== 2) throw new BootError(`DTB ${name} of the root node is ${v ? n : 'missing'}: the /memory node needs 1 or 2 cells`);
    return n;
  };
  const acells = cellCount('#address-cells'), scells = cellCount('#size-cells');
  const encode = (x: number, n: number, what: string): number[] => {
    if (n === 1 && x > 0xffffffff) throw new BootError(`DTB #${what}-cells of the root node is 1: RAM ${what} 0x${x.toString(16)} needs 2 cells`);
    return n === 2 ? [Math.floor(x / 0x100000000), x % 0x100000000] : [x];
  };
  root.children = root.children.filter((c) => c.name !== 'memory' && !c.name.startsWith('memory@'));
  root.children.push(node(`memory@${base.toString(16)}`, {
    device_type: str('memory'),
    reg: cells(...encode(base, acells, 'address'), ...encode(size, scells, 'size')),
  }));
}

function applyChosen(ch: FdtNode, chosen: ChosenInfo): void {
  if (chosen.bootargs) setProp(ch, 'bootargs', str(chosen.bootargs));
  if (chosen.initrd) {
    setProp(ch, 'linux,initrd-start', cells(chosen.initrd.start));
    setProp(ch, 'linux,initrd-end', cells(chosen.initrd.end));
  } else {
    // We choose to drop a user tree's stale initrd range (QEMU keeps it): it would point the
    // kernel at memory that holds no initrd.
    deleteProp(ch, 'linux,initrd-start');
    deleteProp(ch, 'linux,initrd-end');
  }
}

/**
 * Loads kernel, initrd and DTB into `m` (machine.load resets the PEs: the boot PE at the entry
 * point, MMU off, DAIF masked, at the configured EL; secondaries off until PSCI CPU_ON) and sets
 * X0 = DTB address, X1-X3 = 0.
 */
export function bootKernel(m: Machine, files: BootFiles): BootPlan {
  const plan = planBoot(m, files);
  m.load(plan.segments, plan.entry);
  const pe = m.pes[0];
  pe.x[0] = plan.x0 % 0x100000000;
  pe.x[1] = Math.floor(plan.x0 / 0x100000000);
  for (let i = 2; i < 8; i++) pe.x[i] = 0;
  return plan;
}

/** The tree `files` would give the guest on `m`, without loading anything (--dump-dtb). */
export function bootDtb(m: Machine, files: Partial<BootFiles>): Uint8Array {
  if (files.kernel) return planBoot(m, files as BootFiles).dtb;
  return buildDtb(m, files as BootFiles, undefined);
}
