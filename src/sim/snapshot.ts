// Machine snapshots: the whole machine state captured and restored cheaply, for reverse
// execution (src/debug/timeline.ts) and "restart frame" (DESIGN.md section 3, "Snapshots").
//
// What a snapshot holds:
//   - every PE's raw state (registers, PSTATE, banked SPs, system-register storage, exclusive
//     monitor, counters, power/WFI state, interrupt lines, pending-deadline bookkeeping);
//   - every PE's TLB (entries are immutable once inserted, so the bucket lists are copied) —
//     the fast translation cache and the cached regime contexts are derived and are flushed;
//   - the GIC (distributor/redistributor state, physical CPU interfaces, virtual interfaces and
//     list registers), the generic timers and every MMIO device's registers (UART, GICR_WAKER…);
//   - the board: halt/exit state and the round-robin scheduler position;
//   - RAM, copy-on-write: the snapshot keeps the page DataViews themselves and marks the pages
//     shared (PhysicalMemory.shared); the first later write to a shared page copies it.
//
// Device and PE state is captured by one side-effect-free raw path (STYLE rule 12): the own data
// fields of each state object — numbers, booleans, strings, typed arrays, arrays of primitives
// and Maps of primitives — are copied; references (hooks, the board, other objects) are not.
// Adding a field to a PE or a device therefore puts it in snapshots with no change here.
// Restoring writes typed arrays in place (their identity is shared with hot-path closures).
import type { Machine } from './machine';
import type { TlbRaw } from './mmu/tlb';
import { PAGE_SIZE } from './memory';

type Prim = number | boolean | string;
type TypedArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;
type RawValue = Prim | TypedArray | Prim[] | Map<Prim, Prim>;

/** The raw data fields of one state object, by name. */
export type RawFields = [string, RawValue][];

function isPrim(v: unknown): v is Prim {
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string';
}

/** Copies the data fields of `o` (see the header). */
export function saveFields(o: object): RawFields {
  const out: RawFields = [];
  const r = o as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    const v = r[k];
    if (isPrim(v)) out.push([k, v]);
    else if (ArrayBuffer.isView(v)) { if (!(v instanceof DataView)) out.push([k, (v as TypedArray).slice()]); }
    else if (Array.isArray(v)) { if (v.every(isPrim)) out.push([k, v.slice()]); }
    else if (v instanceof Map) {
      let prim = true;
      for (const [a, b] of v) if (!isPrim(a) || !isPrim(b)) { prim = false; break; }
      if (prim) out.push([k, new Map(v as Map<Prim, Prim>)]);
    }
  }
  return out;
}

/** Writes fields saved by saveFields back into `o` (typed arrays, arrays and Maps in place). */
export function loadFields(o: object, fields: RawFields): void {
  const r = o as Record<string, unknown>;
  for (const [k, v] of fields) {
    const cur = r[k];
    if (ArrayBuffer.isView(v)) (cur as TypedArray).set(v as TypedArray);
    else if (Array.isArray(v)) { const a = cur as Prim[]; a.length = 0; a.push(...v); }
    else if (v instanceof Map) { const m = cur as Map<Prim, Prim>; m.clear(); for (const [a, b] of v) m.set(a, b); }
    else r[k] = v;
  }
}

export interface MachineSnapshot {
  /** Instructions retired by all PEs when taken (Machine.retired). */
  readonly retired: number;
  readonly pes: RawFields[];
  readonly mmu: { tlb: TlbRaw; tlbHits: number; walks: number }[];
  readonly gic: { state: RawFields; cpus: RawFields[]; virt: RawFields[] };
  readonly timers: RawFields;
  readonly devices: RawFields[];
  readonly board: { halted: string | null; exitCode: number; rr: RawFields };
  /** Allocated RAM pages: indices and the DataViews shared with the machine (copy-on-write). */
  readonly pageIdx: Uint32Array;
  readonly pages: DataView[];
}

/** Scheduler and board fields that snapshots restore (Machine fields, by name). */
const BOARD_FIELDS = ['rrIndex', 'rrUsed', 'rrStarted', 'rrProgressed', 'settled'] as const;

/** Captures the whole machine (cost: the allocated pages' references, plus small state arrays). */
export function takeSnapshot(m: Machine): MachineSnapshot {
  const mem = m.mem;
  const pageIdx = Uint32Array.from(mem.allocated);
  const pages: DataView[] = new Array(pageIdx.length);
  for (let i = 0; i < pageIdx.length; i++) {
    const idx = pageIdx[i];
    pages[i] = mem.pages[idx]!;
    mem.shared[idx] = 1;
    mem.slotTab[idx] &= ~1;   // stores to a shared page copy it first: not from compiled code
  }
  const rr = m as unknown as Record<string, Prim>;
  return {
    retired: m.retired,
    pes: m.pes.map((p) => saveFields(p)),
    mmu: m.pes.map((p) => { const s = m.mmu.state(p); return { tlb: s.tlb.saveRaw(), tlbHits: s.tlbHits, walks: s.walks }; }),
    gic: { state: saveFields(m.gic.state), cpus: m.gic.state.cpus.map((c) => saveFields(c)), virt: m.gic.virt.map((v) => saveFields(v)) },
    timers: saveFields(m.timers),
    devices: mem.devices().map((d) => saveFields(d)),
    board: { halted: m.halted, exitCode: m.exitCode, rr: BOARD_FIELDS.map((k) => [k, rr[k]] as [string, RawValue]) },
    pageIdx,
    pages,
  };
}

/** Scratch marks for restoreSnapshot (one byte per RAM page), per memory size. */
let marks: Uint8Array | undefined;

/**
 * Puts the machine back in the state of `s`. Decoded-instruction caches of pages whose contents
 * differ are dropped (breakpoint wrappers in them too: the debugger re-arms them); the PEs'
 * fast TLBs and regime contexts are flushed.
 */
export function restoreSnapshot(m: Machine, s: MachineSnapshot): void {
  const mem = m.mem;
  const n = mem.pages.length;
  if (!marks || marks.length !== n) marks = new Uint8Array(n);
  for (let i = 0; i < s.pageIdx.length; i++) marks[s.pageIdx[i]] = 1;
  // Pages allocated after the snapshot go away.
  for (const idx of mem.allocated) {
    if (marks[idx] === 0) {
      mem.pages[idx] = undefined;
      mem.shared[idx] = 0;
      mem.dropCode(idx);
      mem.refreshSlot(idx);
    }
  }
  for (let i = 0; i < s.pageIdx.length; i++) {
    const idx = s.pageIdx[i];
    marks[idx] = 0;
    // The same DataView means the same contents: every write to a shared page replaces it.
    if (mem.pages[idx] !== s.pages[i]) {
      mem.pages[idx] = s.pages[i];
      mem.dropCode(idx);
    }
    mem.shared[idx] = 1;
    mem.refreshSlot(idx);
  }
  mem.allocated = Array.from(s.pageIdx);
  m.pes.forEach((p, i) => loadFields(p, s.pes[i]));
  // The data-access hook is derived (a function): rebuild it from the restored dbgWatch.
  m.pes.forEach((p) => p.refreshAccessHook());
  m.pes.forEach((p, i) => {
    const st = m.mmu.state(p);
    st.tlb.loadRaw(s.mmu[i].tlb);
    st.tlbHits = s.mmu[i].tlbHits;
    st.walks = s.mmu[i].walks;
    st.check();
    st.invalidateContext();
  });
  loadFields(m.gic.state, s.gic.state);
  m.gic.state.cpus.forEach((c, i) => loadFields(c, s.gic.cpus[i]));
  m.gic.virt.forEach((v, i) => loadFields(v, s.gic.virt[i]));
  loadFields(m.timers, s.timers);
  mem.devices().forEach((d, i) => loadFields(d, s.devices[i]));
  m.halted = s.board.halted as Machine['halted'];
  m.exitCode = s.board.exitCode;
  // A stuck report describes the state it was made in (run() finds it again if it still holds).
  m.stuck = null;
  loadFields(m, s.board.rr);
}

// ---------------------------------------------------------------- digests

/**
 * Fields left out of digests: per-slice scratch and bookkeeping that never changes what the
 * machine does next (stop requests, the slice counters, result scratch registers).
 */
const TRANSIENT = new Set(['stopRequested', 'sliceExecuted', 'sliceLimit', 'recheckIrq', 'resumeMidBlock', 'srLo', 'srHi', 'rhi', 'unprivAccess', 'costExtra']);

/** 64-bit FNV-1a-style hash over 32-bit words, as two 32-bit lanes (hex). */
class Hasher {
  private a = 0x811c9dc5;
  private b = 0x01000193 ^ 0x5bd1e995;
  word(w: number): void {
    this.a = Math.imul(this.a ^ (w >>> 0), 0x01000193) >>> 0;
    this.b = Math.imul(this.b ^ ((w >>> 16) | (w << 16)), 0x5bd1e995) >>> 0;
    this.b = (this.b ^ (this.b >>> 15)) >>> 0;
  }
  num(v: number): void {
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 53) { this.word(v % 4294967296); this.word(Math.floor(v / 4294967296)); return; }
    this.str(String(v));
  }
  str(s: string): void { this.word(s.length); for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i)); }
  value(v: RawValue): void {
    if (typeof v === 'number') this.num(v);
    else if (typeof v === 'boolean') this.word(v ? 1 : 0);
    else if (typeof v === 'string') this.str(v);
    else if (v instanceof Map) { const e = [...v].map(([k, x]) => `${k}=${x}`).sort(); this.str(e.join(',')); }
    else { this.word(v.length); for (let i = 0; i < v.length; i++) this.value(v[i] as Prim); }
  }
  fields(f: RawFields): void {
    for (const [k, v] of f) if (!TRANSIENT.has(k)) { this.str(k); this.value(v); }
  }
  hex(): string { return this.b.toString(16).padStart(8, '0') + this.a.toString(16).padStart(8, '0'); }
}

export interface MachineDigest {
  /** Hash of the architectural and device state of every PE (registers, system registers, counters, TLB size). */
  pes: string[];
  /** Hash of the GIC, timers, devices and board state. */
  devices: string;
  /** Hash of RAM contents (all-zero pages count as absent). */
  memory: string;
  /** All of the above. */
  all: string;
  retired: number;
}

/**
 * Digests of the machine state, for tests that compare a state after reverse execution with the
 * state when first there (scheduler bookkeeping and per-slice scratch are left out).
 */
export function machineDigest(m: Machine): MachineDigest {
  const pes = m.pes.map((p) => {
    const h = new Hasher();
    h.fields(saveFields(p));
    h.num(m.mmu.state(p).tlb.size);
    return h.hex();
  });
  const d = new Hasher();
  d.fields(saveFields(m.gic.state));
  for (const c of m.gic.state.cpus) d.fields(saveFields(c));
  for (const v of m.gic.virt) d.fields(saveFields(v));
  d.fields(saveFields(m.timers));
  for (const dev of m.mem.devices()) d.fields(saveFields(dev));
  d.str(String(m.halted));
  d.num(m.exitCode);
  const mh = new Hasher();
  const idx = [...m.mem.allocated].sort((a, b) => a - b);
  for (const i of idx) {
    const p = m.mem.pages[i]!;
    const w = new Uint32Array(p.buffer, p.byteOffset, PAGE_SIZE / 4);
    let zero = true;
    for (let k = 0; k < w.length; k++) if (w[k] !== 0) { zero = false; break; }
    if (zero) continue;
    mh.word(i);
    for (let k = 0; k < w.length; k++) mh.word(w[k]);
  }
  const all = new Hasher();
  for (const s of [...pes, d.hex(), mh.hex()]) all.str(s);
  return { pes, devices: d.hex(), memory: mh.hex(), all: all.hex(), retired: m.retired };
}
