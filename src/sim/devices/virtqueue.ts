// Split virtqueues (OASIS virtio v1.2 section 2.7, "Split Virtqueues"): the device side of the
// descriptor table, the available ring and the used ring, read from and written to guest RAM.
//
//   descriptor table  16 bytes each: addr u64, len u32, flags u16, next u16      (2.7.5)
//   available ring    flags u16, idx u16, ring[size] u16, used_event u16         (2.7.6)
//   used ring         flags u16, idx u16, ring[size] {id u32, len u32}, avail_event u16 (2.7.8)
//
// All fields are little-endian (VIRTIO_F_VERSION_1). The functions here are pure over a
// QueueView (addresses and the device's private indices) and guest memory, so the transport can
// keep its queue state in typed arrays that machine snapshots copy (src/sim/snapshot.ts).
import type { PhysicalMemory } from '../memory';
import { PAGE_SIZE } from '../memory';

/** Descriptor flags (2.7.5). */
export const VIRTQ_DESC_F_NEXT = 1, VIRTQ_DESC_F_WRITE = 2, VIRTQ_DESC_F_INDIRECT = 4;
/** Available ring flag: the driver does not want used-buffer notifications (2.7.7, without EVENT_IDX). */
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

/** A guest buffer of a descriptor chain. */
export interface Segment { addr: number; len: number }

/** One descriptor chain taken from the available ring (2.7.4 "Message Framing": readable part first). */
export interface Chain {
  /** Index of the head descriptor: the id the used ring returns. */
  head: number;
  /** Device-readable buffers, in chain order. */
  readable: Segment[];
  /** Device-writable buffers, in chain order. */
  writable: Segment[];
}

/** A driver error in the rings (a descriptor outside RAM, a loop, a nested indirect table). */
export class VirtqueueError extends Error {}

/** Where a queue lives and where the device stands in it. */
export interface QueueView {
  /** Queue Size (QueueNum). */
  size: number;
  desc: number;
  avail: number;
  used: number;
  /** The device's next available-ring index to consume (free-running u16). */
  lastAvail: number;
  /** The device's used-ring index (free-running u16), mirrored into used->idx. */
  usedIdx: number;
}

/** Guest RAM as a DMA master sees it: physical addresses, RAM only (a device cannot DMA to MMIO). */
export class GuestRam {
  constructor(private readonly mem: PhysicalMemory) {}

  private check(pa: number, len: number, what: string): void {
    if (!this.mem.isRamRange(pa, len)) throw new VirtqueueError(`${what} at 0x${pa.toString(16)} (${len} bytes) is outside RAM`);
  }

  /** True if [pa, pa + len) lies in RAM. */
  isRam(pa: number, len: number): boolean { return this.mem.isRamRange(pa, len); }

  u16(pa: number, what: string): number { this.check(pa, 2, what); return this.mem.read(pa, 2); }
  u32(pa: number, what: string): number { this.check(pa, 4, what); return this.mem.read(pa, 4); }
  /** A u64 as a number: RAM lies below 2^32, so an address with upper bits set fails the RAM check later. */
  u64(pa: number, what: string): number { this.check(pa, 8, what); return this.mem.read(pa + 4, 4) * 0x100000000 + this.mem.read(pa, 4); }
  setU16(pa: number, v: number, what: string): void { this.check(pa, 2, what); this.mem.write(pa, 2, v & 0xffff); }
  setU32(pa: number, v: number, what: string): void { this.check(pa, 4, what); this.mem.write(pa, 4, v >>> 0); }

  /** Copies `len` bytes of RAM at `pa` (untouched pages read as zero). */
  read(pa: number, len: number, what = 'buffer'): Uint8Array {
    this.check(pa, len, what);
    const out = new Uint8Array(len);
    for (let i = 0; i < len;) {
      const off = pa + i - this.mem.ramBase;
      const idx = Math.floor(off / PAGE_SIZE), po = off % PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - po, len - i);
      const p = this.mem.pages[idx];
      if (p !== undefined) out.set(new Uint8Array(p.buffer, p.byteOffset + po, n), i);
      i += n;
    }
    return out;
  }

  /** Writes `data` to RAM at `pa` (decoded instructions of the pages written are dropped). */
  write(pa: number, data: Uint8Array, what = 'buffer'): void {
    this.check(pa, data.length, what);
    this.mem.load(pa, data);
  }
}

/** Reads the descriptor chain starting at `head` (following NEXT and one level of INDIRECT). */
function readChain(ram: GuestRam, q: QueueView, head: number, indirectOk: boolean): Chain {
  const chain: Chain = { head, readable: [], writable: [] };
  let table = q.desc, tableSize = q.size, i = head, inIndirect = false;
  // A chain visits each descriptor of its table at most once: more steps means a loop (2.7.5.3.1:
  // "the driver MUST NOT create a descriptor chain longer than the Queue Size").
  let steps = 0;
  for (;;) {
    if (i >= tableSize) throw new VirtqueueError(`descriptor index ${i} is beyond the ${inIndirect ? 'indirect table' : 'queue'} size ${tableSize}`);
    if (++steps > tableSize) throw new VirtqueueError(`descriptor chain from ${head} loops`);
    const d = table + 16 * i;
    const addr = ram.u64(d, 'descriptor'), len = ram.u32(d + 8, 'descriptor'), flags = ram.u16(d + 12, 'descriptor');
    const next = ram.u16(d + 14, 'descriptor');
    if (flags & VIRTQ_DESC_F_INDIRECT) {
      // 2.7.5.3: an indirect table is a whole chain of its own; the driver must not set NEXT with
      // INDIRECT, and an indirect table must not hold another indirect descriptor.
      if (!indirectOk) throw new VirtqueueError('indirect descriptor without VIRTIO_F_INDIRECT_DESC');
      if (inIndirect) throw new VirtqueueError('indirect descriptor inside an indirect table');
      if (flags & VIRTQ_DESC_F_NEXT) throw new VirtqueueError('descriptor has both INDIRECT and NEXT');
      if (len === 0 || len % 16 !== 0) throw new VirtqueueError(`indirect table length ${len} is not a non-zero multiple of 16`);
      table = addr; tableSize = len / 16; i = 0; inIndirect = true; steps = 0;
      continue;
    }
    if (len > 0) {
      if (addr + len > 0x100000000 || !ram.isRam(addr, len)) throw new VirtqueueError(`buffer at 0x${addr.toString(16)} (${len} bytes) is outside RAM`);
      (flags & VIRTQ_DESC_F_WRITE ? chain.writable : chain.readable).push({ addr, len });
    }
    if (!(flags & VIRTQ_DESC_F_NEXT)) return chain;
    i = next;
  }
}

/**
 * Takes the next available chain, or null when the driver has made none available
 * (avail->idx == lastAvail). Advances q.lastAvail.
 */
export function popAvail(ram: GuestRam, q: QueueView, indirectOk: boolean): Chain | null {
  const availIdx = ram.u16(q.avail + 2, 'available ring');
  if (availIdx === q.lastAvail) return null;
  // 2.7.13.3: a driver never makes more than Queue Size chains available at once.
  if (((availIdx - q.lastAvail) & 0xffff) > q.size) throw new VirtqueueError(`available index ${availIdx} is more than the queue size ahead of ${q.lastAvail}`);
  const head = ram.u16(q.avail + 4 + 2 * (q.lastAvail % q.size), 'available ring');
  q.lastAvail = (q.lastAvail + 1) & 0xffff;
  return readChain(ram, q, head, indirectOk);
}

/** Returns chain `head` to the driver with `len` bytes written (2.7.8), advancing used->idx. */
export function pushUsed(ram: GuestRam, q: QueueView, head: number, len: number): void {
  const e = q.used + 4 + 8 * (q.usedIdx % q.size);
  ram.setU32(e, head, 'used ring');
  ram.setU32(e + 4, len, 'used ring');
  q.usedIdx = (q.usedIdx + 1) & 0xffff;
  // The element is in place before the index that publishes it (2.7.8.2).
  ram.setU16(q.used + 2, q.usedIdx, 'used ring');
}

/**
 * Whether the driver wants a used-buffer notification after the device moved used->idx from
 * `oldIdx` to q.usedIdx: with VIRTIO_F_EVENT_IDX, when used_event was crossed
 * (vring_need_event, 2.7.10); otherwise unless avail->flags has VIRTQ_AVAIL_F_NO_INTERRUPT.
 */
export function wantsInterrupt(ram: GuestRam, q: QueueView, oldIdx: number, eventIdx: boolean): boolean {
  if (oldIdx === q.usedIdx) return false;
  if (!eventIdx) return (ram.u16(q.avail, 'available ring') & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
  const usedEvent = ram.u16(q.avail + 4 + 2 * q.size, 'available ring');
  return ((q.usedIdx - usedEvent - 1) & 0xffff) < ((q.usedIdx - oldIdx) & 0xffff);
}

/** With VIRTIO_F_EVENT_IDX: publishes avail_event (the driver notifies when it passes it). */
export function setAvailEvent(ram: GuestRam, q: QueueView): void {
  ram.setU16(q.used + 4 + 8 * q.size, q.lastAvail, 'used ring');
}

/** Gathers the bytes of buffers (a device-readable part of a chain). */
export function gather(ram: GuestRam, segs: Segment[], max = Infinity): Uint8Array {
  let total = 0;
  for (const s of segs) total += s.len;
  const out = new Uint8Array(Math.min(total, max));
  let o = 0;
  for (const s of segs) {
    if (o >= out.length) break;
    const n = Math.min(s.len, out.length - o);
    out.set(ram.read(s.addr, n), o);
    o += n;
  }
  return out;
}

/** Scatters `data` over buffers (a device-writable part of a chain); returns the bytes written. */
export function scatter(ram: GuestRam, segs: Segment[], data: Uint8Array, skip = 0): number {
  let o = 0, pos = 0;
  for (const s of segs) {
    if (o >= data.length) break;
    // `skip` bytes of the writable space are left as they are (a header already written).
    const start = Math.max(0, skip - pos);
    pos += s.len;
    if (start >= s.len) continue;
    const n = Math.min(s.len - start, data.length - o);
    ram.write(s.addr + start, data.subarray(o, o + n));
    o += n;
  }
  return o;
}
