// The one WebAssembly.Memory that holds guest RAM pages, the PEs' register files and soft TLBs,
// so that compiled regions (src/sim/jit) reach all of them with plain wasm loads and stores.
//
// - RAM pages are 4 KiB slots handed out on first touch: a 1 GiB guest that touches 40 MiB
//   commits about 40 MiB (the memory grows in steps; untouched guest pages cost nothing).
// - The memory is shared (a SharedArrayBuffer underneath) only because a shared memory grows
//   without detaching its buffer: every DataView and typed array made before a grow stays
//   valid, so PhysicalMemory's per-page DataViews and PE.x never need to be rebuilt.
// - A slot whose DataView is no longer referenced (a copy-on-write page whose snapshots were all
//   dropped) is reused; a FinalizationRegistry returns it, and a reused slot is zeroed before it
//   becomes a fresh page. Reuse changes only where a page lives, never what the guest sees.
// - When the memory reaches its maximum (4 GiB, the wasm32 limit) pages fall back to ordinary
//   ArrayBuffers: compiled code cannot reach those (their slot-table entry is 0) and takes the
//   interpreter's path for them, so a full arena costs speed, never correctness.

export const SLOT_BYTES = 4096;
const WASM_PAGE = 65536;
/** Wasm pages the memory grows by at a time (1 MiB: 256 RAM slots). */
const GROW_STEP = 16;
/** The wasm32 limit: 65536 wasm pages = 4 GiB. */
const MAX_WASM_PAGES = 65536;

export class RamArena {
  readonly memory: WebAssembly.Memory;
  /** Byte offset of the first slot never handed out. */
  private top = 0;
  /** Byte offsets of slots returned by the registry, to be reused. */
  private readonly free: number[] = [];
  private readonly registry = new FinalizationRegistry<number>((off) => { this.free.push(off); });

  constructor() {
    this.memory = new WebAssembly.Memory({ initial: GROW_STEP, maximum: MAX_WASM_PAGES, shared: true });
  }

  /** The memory's current buffer (a new object after each grow; earlier views stay valid). */
  get buffer(): ArrayBufferLike { return this.memory.buffer; }

  /**
   * Reserves `bytes` (rounded up to whole slots) for the life of the arena: register files,
   * soft TLBs, the slot table. Returns the byte offset, or throws if the memory is full.
   */
  block(bytes: number): number {
    const n = Math.ceil(bytes / SLOT_BYTES) * SLOT_BYTES;
    const off = this.take(n);
    if (off < 0) throw new RangeError('the RAM arena (4 GiB of WebAssembly memory) is full');
    return off;
  }

  /** A zeroed 4 KiB page in the arena, or undefined when the arena is full. */
  page(): DataView | undefined {
    let off = this.free.pop();
    if (off !== undefined) new Uint8Array(this.memory.buffer, off, SLOT_BYTES).fill(0);
    else {
      off = this.take(SLOT_BYTES);
      if (off < 0) return undefined;
    }
    const v = new DataView(this.memory.buffer, off, SLOT_BYTES);
    this.registry.register(v, off);
    return v;
  }

  /** True if `v` is a page of this arena (then v.byteOffset is its slot's offset). */
  holds(v: DataView): boolean { return v.buffer instanceof SharedArrayBuffer; }

  /** Fresh (zero, never used) bytes at the top, growing the memory; -1 when it cannot grow. */
  private take(n: number): number {
    const need = this.top + n;
    const have = this.memory.buffer.byteLength;
    if (need > have) {
      const pages = Math.max(GROW_STEP, Math.ceil((need - have) / WASM_PAGE));
      const cur = have / WASM_PAGE;
      if (cur + pages > MAX_WASM_PAGES) return -1;
      this.memory.grow(pages);
    }
    const off = this.top;
    this.top = need;
    return off;
  }
}
