// Physical address space of the board: sparse RAM (pages allocated on first touch)
// and MMIO regions dispatched through a small region table.
//
// Addresses are JS numbers (physical addresses are at most 48 bits, exact in a double).
// Multi-byte RAM accesses are little-endian (DataView with littleEndian=true).
//
// RAM pages live in 4 KiB slots of the board's RamArena (src/sim/ram-arena.ts), a WebAssembly
// memory that compiled regions (src/sim/jit) address directly. `slotTab` tells them, per RAM
// page, where its slot is and whether a plain store may go there: the entry is the slot's byte
// offset in the arena, plus 1 when stores may write it directly, or 0 when compiled code must
// leave the access to the interpreter (page not allocated, or not in the arena). Stores must
// take the interpreter's path — so this file's write paths keep the caches coherent — while
// the page is shared with a snapshot (copy-on-write) or holds decoded instructions (the "has
// code" rule: a store there must clear decoded slots, self-modifying code). `refreshSlot` keeps
// an entry in step with pages/shared/code; every place that changes those calls it.

import { RamArena, SLOT_BYTES } from './ram-arena';

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

/** A memory-mapped device region. Offsets are relative to the region base. */
export interface MmioDevice {
  readonly name: string;
  /** Returns the value read (size 1/2/4; size 8 returns the low word and sets `hi` via the return object). */
  read(offset: number, size: number, pe: number): number;
  write(offset: number, size: number, value: number, pe: number): void;
  /** Optional 64-bit accessors; when absent a 64-bit access is split into two 32-bit ones. */
  read64?(offset: number, pe: number, out: { lo: number; hi: number }): void;
  write64?(offset: number, lo: number, hi: number, pe: number): void;
}

interface Region { base: number; size: number; dev: MmioDevice }

/** Result codes of a physical access that did not complete. */
export const enum BusError { None = 0, Unmapped = 1 }

export class PhysicalMemory {
  readonly ramBase: number;
  readonly ramSize: number;
  /** RAM pages, allocated on first touch. */
  readonly pages: (DataView | undefined)[];
  /** Decoded-instruction caches per RAM page (owned by the machine's code cache). */
  readonly code: (Array<unknown> | undefined)[];
  /**
   * Copy-on-write: 1 where the page's DataView is also held by a snapshot (src/sim/snapshot.ts);
   * the first write copies the page. Only write paths test it (one typed-array load per store).
   */
  readonly shared: Uint8Array;
  /** Indices of the allocated RAM pages, in allocation order (snapshots walk these, not all of RAM). */
  allocated: number[] = [];
  /** The WebAssembly memory holding the pages (and the PEs' register files and soft TLBs). */
  readonly arena = new RamArena();
  /** Per RAM page: arena offset of its slot | 1 if compiled stores may write it; 0 = interpreter only (see the header). */
  readonly slotTab: Int32Array;
  /** Byte offset of slotTab in the arena. */
  readonly slotTabOffset: number;
  /**
   * Per RAM page: bumped whenever decoded slots of the page are dropped by a write (and by
   * breakpoint installs, see codeChanged), so a compiled region (src/sim/jit) that saw the same
   * epoch on its last entry knows its slots still hold what it was compiled from.
   */
  readonly codeEpoch: Uint32Array;
  /** Byte offset of codeEpoch in the arena (compiled code compares a page's epoch: src/sim/jit). */
  readonly codeEpochOffset: number;
  private regions: Region[] = [];
  /** Out-parameters for 64-bit MMIO reads. */
  readonly out = { lo: 0, hi: 0 };
  /** Set when the last MMIO access hit no device (the caller raises an external abort). */
  fault: BusError = BusError.None;
  /** Cost-model hook: called for every MMIO access with the accessing PE and the device (null: none). */
  onMmio: ((pe: number, device: string, write: boolean) => void) | null = null;

  constructor(ramBase: number, ramSize: number) {
    if (ramSize > 0x100000000) throw new RangeError('RAM larger than 4 GiB is not supported');
    this.ramBase = ramBase;
    this.ramSize = ramSize;
    const n = Math.ceil(ramSize / PAGE_SIZE);
    this.pages = new Array(n);
    this.code = new Array(n);
    this.shared = new Uint8Array(n);
    this.codeEpochOffset = this.arena.block(n * 4);
    this.codeEpoch = new Uint32Array(this.arena.buffer, this.codeEpochOffset, n);
    this.slotTabOffset = this.arena.block(n * 4);
    this.slotTab = new Int32Array(this.arena.buffer, this.slotTabOffset, n);
  }

  /** A zeroed page: an arena slot, or an ordinary buffer when the arena is full. */
  private newPage(): DataView {
    return this.arena.page() ?? new DataView(new ArrayBuffer(PAGE_SIZE));
  }

  /** Recomputes page idx's slotTab entry from pages/shared/code (see the header). */
  refreshSlot(idx: number): void {
    const p = this.pages[idx];
    if (p === undefined || !this.arena.holds(p)) { this.slotTab[idx] = 0; return; }
    this.slotTab[idx] = p.byteOffset | (this.shared[idx] === 0 && this.code[idx] === undefined ? 1 : 0);
  }

  /** A decoded slot of the RAM page holding `pa` was replaced other than by decoding (a breakpoint wrapper). */
  codeChanged(pa: number): void {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) this.codeEpoch[Math.floor(off / PAGE_SIZE)]++;
  }

  /**
   * Drops every decoded instruction of RAM page idx (its contents were replaced: a load, a
   * zero fill, a snapshot restore) and moves its code epoch, so that no compiled region of the old contents is run
   * again — also not by chaining, which does not pass through the page's slots (src/sim/jit).
   */
  dropCode(idx: number): void {
    const c = this.code[idx];
    if (c === undefined) return;
    c.fill(undefined);
    this.codeEpoch[idx]++;
  }

  /** Records that page idx now has a decoded-instruction cache (stores there leave compiled code). */
  setCode(idx: number, c: Array<unknown>): void {
    this.code[idx] = c;
    this.slotTab[idx] &= ~1;
  }

  /** The page `idx` made writable: allocated on first touch, or copied if a snapshot shares it. */
  writablePage(idx: number): DataView {
    const p = this.pages[idx];
    if (p === undefined) {
      const n = this.newPage();
      this.pages[idx] = n;
      this.shared[idx] = 0;
      this.allocated.push(idx);
      this.refreshSlot(idx);
      return n;
    }
    if (this.shared[idx] === 0) return p;
    const c = this.newPage();
    new Uint8Array(c.buffer, c.byteOffset, SLOT_BYTES).set(new Uint8Array(p.buffer, p.byteOffset, PAGE_SIZE));
    this.pages[idx] = c;
    this.shared[idx] = 0;
    this.refreshSlot(idx);
    return c;
  }

  /** The MMIO devices mapped on the bus (snapshots save their raw state). */
  devices(): MmioDevice[] { return this.regions.map((r) => r.dev); }

  addDevice(base: number, size: number, dev: MmioDevice): void {
    this.regions.push({ base, size, dev });
    this.regions.sort((a, b) => a.base - b.base);
  }

  /** The RAM page for a physical address, allocating it; undefined if the address is not RAM. */
  ramPage(pa: number): DataView | undefined {
    const off = pa - this.ramBase;
    if (off < 0 || off >= this.ramSize) return undefined;
    const idx = Math.floor(off / PAGE_SIZE);
    const p = this.pages[idx];
    // Read-only use (fetch, decode, peek): allocating a zero page is not a write, so a shared page stays shared.
    return p === undefined ? this.writablePage(idx) : p;
  }

  /** True if `pa` is inside RAM. */
  isRam(pa: number): boolean {
    const off = pa - this.ramBase;
    return off >= 0 && off < this.ramSize;
  }

  findDevice(pa: number): Region | undefined {
    for (const r of this.regions) if (pa >= r.base && pa < r.base + r.size) return r;
    return undefined;
  }

  /** Read 1/2/4 bytes. On an unmapped address sets `fault` and returns 0. */
  read(pa: number, size: number, pe = 0): number {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) {
      // RAM offsets stay below 2^32 (RAM is at most 4 GiB), so integer bit operations are exact.
      const po = off & 0xfff;
      if (po + size <= PAGE_SIZE) {
        const p = this.pages[off >>> 12];
        if (p === undefined) return 0;
        return size === 4 ? p.getUint32(po, true) : size === 1 ? p.getUint8(po) : p.getUint16(po, true);
      }
      let v = 0;
      for (let i = size - 1; i >= 0; i--) v = v * 256 + this.read(pa + i, 1, pe);
      return v >>> 0;
    }
    return this.readMmio(pa, size, pe);
  }

  /** Write 1/2/4 bytes. On an unmapped address sets `fault`. */
  write(pa: number, size: number, value: number, pe = 0): void {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) {
      const po = off & 0xfff;
      if (po + size <= PAGE_SIZE) {
        const idx = off >>> 12;
        let p = this.pages[idx];
        if (p === undefined || this.shared[idx] !== 0) p = this.writablePage(idx);
        if (size === 4) p.setUint32(po, value, true);
        else if (size === 1) p.setUint8(po, value);
        else p.setUint16(po, value, true);
        const c = this.code[idx];
        // Keep decoded instructions coherent with memory: drop the decoded word(s) written.
        if (c !== undefined) { c[po >>> 2] = undefined; if ((po & 3) + size > 4) c[(po >>> 2) + 1] = undefined; this.codeEpoch[idx]++; }
        return;
      }
      for (let i = 0; i < size; i++) this.write(pa + i, 1, (value >>> (8 * i)) & 0xff, pe);
      return;
    }
    this.writeMmio(pa, size, value, pe);
  }

  /** Read 8 bytes into out.lo/out.hi. */
  read64(pa: number, pe = 0): void {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize && (off & 0xfff) <= PAGE_SIZE - 8) {
      const p = this.pages[off >>> 12];
      const po = off & 0xfff;
      if (p === undefined) { this.out.lo = 0; this.out.hi = 0; return; }
      this.out.lo = p.getUint32(po, true);
      this.out.hi = p.getUint32(po + 4, true);
      return;
    }
    const r = this.isRam(pa) ? undefined : this.findDevice(pa);
    if (r && r.dev.read64) { r.dev.read64(pa - r.base, pe, this.out); return; }
    const lo = this.read(pa, 4, pe);
    const hi = this.read(pa + 4, 4, pe);
    this.out.lo = lo;
    this.out.hi = hi;
  }

  write64(pa: number, lo: number, hi: number, pe = 0): void {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize && (off & 0xfff) <= PAGE_SIZE - 8) {
      const idx = off >>> 12;
      const po = off & 0xfff;
      let p = this.pages[idx];
      if (p === undefined || this.shared[idx] !== 0) p = this.writablePage(idx);
      p.setUint32(po, lo, true);
      p.setUint32(po + 4, hi, true);
      const c = this.code[idx];
      if (c !== undefined) { c[po >>> 2] = undefined; c[(po >>> 2) + 1] = undefined; if (po & 3) c[(po >>> 2) + 2] = undefined; this.codeEpoch[idx]++; }
      return;
    }
    const r = this.isRam(pa) ? undefined : this.findDevice(pa);
    if (r && r.dev.write64) { r.dev.write64(pa - r.base, lo, hi, pe); return; }
    this.write(pa, 4, lo, pe);
    this.write(pa + 4, 4, hi, pe);
  }

  private readMmio(pa: number, size: number, pe: number): number {
    const r = this.findDevice(pa);
    if (!r) { this.fault = BusError.Unmapped; return 0; }
    if (this.onMmio !== null) this.onMmio(pe, r.dev.name, false);
    return r.dev.read(pa - r.base, size, pe) >>> 0;
  }

  private writeMmio(pa: number, size: number, value: number, pe: number): void {
    const r = this.findDevice(pa);
    if (!r) { this.fault = BusError.Unmapped; return; }
    if (this.onMmio !== null) this.onMmio(pe, r.dev.name, true);
    r.dev.write(pa - r.base, size, value >>> 0, pe);
  }

  /** Copy bytes into RAM (loader); returns false if any byte falls outside RAM. */
  load(pa: number, data: Uint8Array): boolean {
    for (let i = 0; i < data.length; ) {
      if (!this.isRam(pa + i)) return false;
      const p = this.writablePage(Math.floor((pa + i - this.ramBase) / PAGE_SIZE));
      const po = (pa + i - this.ramBase) % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - po, data.length - i);
      new Uint8Array(p.buffer, p.byteOffset + po, n).set(data.subarray(i, i + n));
      this.dropCode(Math.floor((pa + i - this.ramBase) / PAGE_SIZE));
      i += n;
    }
    return true;
  }

  /** True if [pa, pa + length) lies entirely inside RAM. */
  isRamRange(pa: number, length: number): boolean {
    const off = pa - this.ramBase;
    return Number.isFinite(off) && Number.isFinite(length) && length >= 0 && off >= 0 && off + length <= this.ramSize;
  }

  /**
   * Zero-fills [pa, pa + length) of RAM (loader: a segment's memsz beyond its file size). Pages
   * never touched already read as zero and stay unallocated, so a large .bss costs nothing.
   * Returns false, changing nothing, if the range is not entirely RAM.
   */
  zero(pa: number, length: number): boolean {
    if (!this.isRamRange(pa, length)) return false;
    for (let a = pa; a < pa + length; ) {
      const idx = Math.floor((a - this.ramBase) / PAGE_SIZE);
      const po = (a - this.ramBase) % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - po, pa + length - a);
      if (this.pages[idx] !== undefined) {
        const w = this.writablePage(idx);
        new Uint8Array(w.buffer, w.byteOffset + po, n).fill(0);
        this.dropCode(idx);
      }
      a += n;
    }
    return true;
  }

  /** Side-effect-free byte read for the debugger: RAM only (MMIO reads can have side effects). */
  peek(pa: number): number | undefined {
    const off = pa - this.ramBase;
    if (off < 0 || off >= this.ramSize) return undefined;
    const p = this.pages[Math.floor(off / PAGE_SIZE)];
    return p ? p.getUint8(off % PAGE_SIZE) : 0;
  }
}
