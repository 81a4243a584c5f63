// The TLB of one PE, in two layers:
//
//  * `Tlb`: the architectural TLB. Entries hold final (stage 1 + stage 2) translations of 4 KiB
//    VA pages, tagged by regime, VMID (EL1&0), ASID (non-global entries of two-range regimes) and
//    the stage-1 block size (for TLBI by VA). Only TLBI (and capacity) removes entries, so a
//    missing TLBI after a table change is as visible as on hardware. Faults are never cached.
//  * `FastTlb`: a direct-mapped cache in typed arrays, one bank per EL, keyed by the VA page and
//    a per-bank generation, holding the PA page and the permission bits for the current context.
//    Its lookup is two compares and a bit test (STYLE 6). It is a pure cache of `Tlb` for the
//    current context: it is dropped (generation bump) on every TLBI and context change.
import { Acc } from '../exec';
import { type Ctx, Regime } from './regime';
import type { RamArena } from '../ram-arena';
import { PERM_R, PERM_W, PERM_X, s1PermMask, s2PermMask, type WalkResult } from './walk';

const TWO20 = 1048576;
const TWO44 = 2 ** 44;

export interface TlbEntry {
  regime: Regime;
  /** Stage enables the entry was made under (bit 0 stage 1, bit 1 stage 2). */
  stages: number;
  vmid: number;
  asid: number;
  global: boolean;
  /** VA[55:12] of the page. */
  vpn: number;
  /** log2 of the VA range of the stage-1 mapping (12 for pages; 21, 30… for blocks). */
  shift: number;
  paPage: number;
  ipaPage: number;
  /** Stage-1 AP[2:1], UXN, PXN (when stage 1 was on). */
  ap: number; uxn: boolean; pxn: boolean;
  /** Stage-2 S2AP and XN (when stage 2 was on). */
  s2ap: number; s2xn: boolean;
  /** The walk that produced it (attributes, levels) for the debugger. */
  walk: WalkResult;
}

/** Current ASID of a context (TCR.A1 selects TTBR1's), or 0 for single-range regimes. */
export function ctxAsid(ctx: Ctx): number {
  if (!ctx.twoRanges) return 0;
  const hi = (ctx.tcrLo & (1 << 22)) !== 0 ? ctx.ttbr1Hi : ctx.ttbr0Hi;
  return ctx.asid16 ? hi >>> 16 : (hi >>> 16) & 0xff;
}

/** VA[55:12] as a number. */
export function vpnOf(vlo: number, vhi: number): number {
  return (vhi & 0xffffff) * TWO20 + (vlo >>> 12);
}

export function stagesOf(ctx: Ctx): number { return (ctx.s1 ? 1 : 0) | (ctx.s2 ? 2 : 0); }

/** Permission bits (PERM_R/W/X) of an entry for the context's EL, PAN and WXN. */
export function entryPerms(ctx: Ctx, e: TlbEntry): number {
  let m = PERM_R | PERM_W | PERM_X;
  if (e.stages & 1) m = s1PermMask(ctx.twoRanges, ctx.el, ctx.pan, (ctx.sctlr & (1 << 19)) !== 0, e.ap, e.uxn, e.pxn);
  // PAN never removes execute permission; s1PermMask already keeps X independent of it.
  if (e.stages & 2) m &= s2PermMask(e.s2ap, e.s2xn);
  return m;
}

/** Matching rule of a TLBI operation (undefined fields match anything). */
export interface TlbiScope {
  regimes: Regime[];
  vmid?: number;
  asid?: number;
  /** VA[55:12] from the operand; the entry's stage-1 block must cover it. */
  vpn?: number;
  /** ASID-scoped operations leave global entries alone. */
  nonGlobalOnly?: boolean;
}

/** A saved TLB (Tlb.saveRaw). */
export interface TlbRaw { buckets: Map<number, TlbEntry[]>; count: number; epoch: number }

/** Index key of a translation context: regime and VMID (0 outside EL1&0). */
function ctxKey(regime: Regime, vmid: number): number { return regime * 65536 + vmid; }
/** Index key of an ASID within a context (non-global entries only). */
function asidKey(regime: Regime, vmid: number, asid: number): number { return ctxKey(regime, vmid) * 65536 + asid; }
/** Index key of the stage-1 block of `shift` bits that holds VA page `vpn`. */
function blockKey(vpn: number, shift: number): number { return Math.floor(vpn / 2 ** (shift - 12)) * 64 + shift; }

// Emptied buckets and index sets stay in their maps (swept when they pile up, see Tlb.sweep):
// deleting numeric keys from a V8 Map while others are added made the Linux boot's TLB upkeep
// cost ~9 µs per insert (a recorded boot's 75,000 inserts and 74,000 TLBI removals replayed on a
// plain Map: 655 ms with deletes, 26 ms without).
function addTo(m: Map<number, Set<TlbEntry>>, k: number, e: TlbEntry): void {
  let s = m.get(k);
  if (s === undefined) { s = new Set(); m.set(k, s); }
  s.add(e);
}

function removeFrom(m: Map<number, Set<TlbEntry>>, k: number, e: TlbEntry): void {
  m.get(k)?.delete(e);
}

/** A copy of `m` without its empty values (one rebuild instead of many deletes). */
function withoutEmpty<V extends { length: number } | { size: number }>(m: Map<number, V>): Map<number, V> {
  const out = new Map<number, V>();
  for (const [k, v] of m) if (('length' in v ? v.length : v.size) !== 0) out.set(k, v);
  return out;
}

/**
 * The architectural TLB. Besides the lookup buckets (by VA page), entries are indexed by what
 * TLBI operations select on, so an operation visits only the entries it can remove — never the
 * whole TLB (a kernel issues TLBI by VA for every unmapped page; scanning a TLB of 10^5 entries
 * for each one dominated the boot time):
 *  - by context (regime, VMID): VMALLE1, VMALLS12E1, ALLE1, ALLE2;
 *  - by (context, ASID) for non-global entries: ASIDE1;
 *  - by stage-1 block (block size, VA block number) for entries made from blocks larger than a
 *    page: TLBI by VA removes every entry whose block covers the address (D8.13.4), and such
 *    an entry sits in the bucket of the page that was accessed, not of the operand's page.
 */
export class Tlb {
  /** Entries by VA[55:12] (a page whose entries were all removed may keep an empty list). */
  private buckets = new Map<number, TlbEntry[]>();
  private byCtx = new Map<number, Set<TlbEntry>>();
  private byAsid = new Map<number, Set<TlbEntry>>();
  private byBlock = new Map<number, Set<TlbEntry>>();
  /** Emptied lists and sets left in the maps since the last sweep. */
  private emptied = 0;
  /** Emptied keys tolerated before a sweep rebuilds the maps. */
  static SWEEP_AFTER = 1 << 16;
  /** Number of entries per stage-1 block size larger than a page (shift → count). */
  private readonly largeShifts = new Map<number, number>();
  private count = 0;
  /** Capacity: when exceeded everything is dropped (deterministic; hardware evicts too). */
  static CAPACITY = 1 << 18;
  /** Bumped whenever entries are removed (the fast caches compare it). */
  epoch = 0;
  /**
   * Called when every entry is dropped at once (capacity, reset, snapshot load), so that a cache
   * of this TLB (FastTlb) drops its copies too: it may only hold pages this TLB holds.
   */
  onClear: (() => void) | null = null;

  get size(): number { return this.count; }

  lookup(ctx: Ctx, vlo: number, vhi: number): TlbEntry | null {
    const b = this.buckets.get(vpnOf(vlo, vhi));
    if (b === undefined) return null;
    const stages = stagesOf(ctx);
    const asid = ctxAsid(ctx);
    for (const e of b) {
      if (e.regime !== ctx.regime || e.stages !== stages) continue;
      if (ctx.regime === Regime.EL10 && e.vmid !== ctx.vmid) continue;
      if (!e.global && e.asid !== asid) continue;
      return e;
    }
    return null;
  }

  /** Records a successful translation (replacing an entry with the same tags). */
  insert(ctx: Ctx, vlo: number, vhi: number, w: WalkResult): TlbEntry {
    const vpn = vpnOf(vlo, vhi);
    const s1 = w.s1, s2 = w.s2;
    const e: TlbEntry = {
      regime: ctx.regime, stages: stagesOf(ctx), vmid: ctx.regime === Regime.EL10 ? ctx.vmid : 0,
      asid: ctxAsid(ctx), global: !s1 || !s1.ng, vpn, shift: s1 ? s1.shift : 12,
      paPage: Math.floor(w.pa / 4096) * 4096, ipaPage: Math.floor(w.ipa / 4096) * 4096,
      ap: s1 ? s1.ap : 0, uxn: s1 ? s1.uxn : false, pxn: s1 ? s1.pxn : false,
      s2ap: s2 ? s2.s2ap : 3, s2xn: s2 ? s2.xn : false, walk: w,
    };
    if (this.count >= Tlb.CAPACITY) this.clear();
    let b = this.buckets.get(vpn);
    if (b === undefined) { b = []; this.buckets.set(vpn, b); } else if (b.length === 0) this.emptied--;
    for (let i = 0; i < b.length; i++) {
      const o = b[i];
      if (o.regime === e.regime && o.stages === e.stages && o.vmid === e.vmid && o.asid === e.asid && o.global === e.global) {
        this.unindex(o);
        b[i] = e;
        this.index(e);
        return e;
      }
    }
    b.push(e);
    this.count++;
    this.index(e);
    return e;
  }

  private index(e: TlbEntry): void {
    addTo(this.byCtx, ctxKey(e.regime, e.vmid), e);
    if (!e.global) addTo(this.byAsid, asidKey(e.regime, e.vmid, e.asid), e);
    if (e.shift > 12) {
      addTo(this.byBlock, blockKey(e.vpn, e.shift), e);
      this.largeShifts.set(e.shift, (this.largeShifts.get(e.shift) ?? 0) + 1);
    }
  }

  private unindex(e: TlbEntry): void {
    removeFrom(this.byCtx, ctxKey(e.regime, e.vmid), e);
    if (!e.global) removeFrom(this.byAsid, asidKey(e.regime, e.vmid, e.asid), e);
    if (e.shift > 12) {
      removeFrom(this.byBlock, blockKey(e.vpn, e.shift), e);
      const n = (this.largeShifts.get(e.shift) ?? 1) - 1;
      if (n === 0) this.largeShifts.delete(e.shift); else this.largeShifts.set(e.shift, n);
    }
  }

  clear(): void {
    this.buckets.clear();
    this.byCtx.clear();
    this.byAsid.clear();
    this.byBlock.clear();
    this.largeShifts.clear();
    this.count = 0;
    this.emptied = 0;
    this.epoch++;
    if (this.onClear !== null) this.onClear();
  }

  private matches(e: TlbEntry, s: TlbiScope): boolean {
    if (!s.regimes.includes(e.regime)) return false;
    if (s.vmid !== undefined && e.regime === Regime.EL10 && e.vmid !== s.vmid) return false;
    if (s.nonGlobalOnly && e.global) return false;
    if (s.asid !== undefined && !e.global && e.asid !== s.asid) return false;
    if (s.vpn !== undefined) {
      const unit = 2 ** (e.shift - 12);
      if (Math.floor(e.vpn / unit) !== Math.floor(s.vpn / unit)) return false;
    }
    return true;
  }

  /** The entries a scope can cover, from the narrowest index that holds them all (may include non-matching ones). */
  private candidates(s: TlbiScope): TlbEntry[] {
    const out: TlbEntry[] = [];
    if (s.vpn !== undefined) {
      const vpn = s.vpn % TWO44;
      const b = this.buckets.get(vpn);
      if (b !== undefined) for (const e of b) if (e.shift === 12) out.push(e);
      for (const shift of this.largeShifts.keys()) {
        const set = this.byBlock.get(blockKey(vpn, shift));
        if (set !== undefined) out.push(...set);
      }
      return out;
    }
    // Context keys the scope selects: one per regime when the VMID is fixed (or the regime has none).
    const sets: Map<number, Set<TlbEntry>> = s.nonGlobalOnly && s.asid !== undefined ? this.byAsid : this.byCtx;
    for (const r of s.regimes) {
      if (r !== Regime.EL10 || s.vmid !== undefined) {
        const vmid = r === Regime.EL10 ? s.vmid as number : 0;
        const set = sets.get(sets === this.byAsid ? asidKey(r, vmid, s.asid as number) : ctxKey(r, vmid));
        if (set !== undefined) out.push(...set);
      } else {
        for (const [k, set] of this.byCtx) if (Math.floor(k / 65536) === r) out.push(...set);
      }
    }
    return out;
  }

  /** Removes the entries a TLBI scope covers (appending them to `removed` if given); returns how many. */
  invalidate(s: TlbiScope, removed?: TlbEntry[]): number {
    let n = 0;
    for (const e of this.candidates(s)) {
      if (!this.matches(e, s)) continue;
      const b = this.buckets.get(e.vpn);
      if (b === undefined) continue;
      const i = b.indexOf(e);
      if (i < 0) continue;
      b.splice(i, 1);
      if (b.length === 0) this.emptied++;
      this.unindex(e);
      if (removed !== undefined) removed.push(e);
      n++;
    }
    this.count -= n;
    if (n) this.epoch++;
    if (this.emptied > Tlb.SWEEP_AFTER) this.sweep();
    return n;
  }

  /** Drops the emptied bucket lists and index sets (entries are unchanged). */
  private sweep(): void {
    this.buckets = withoutEmpty(this.buckets);
    this.byCtx = withoutEmpty(this.byCtx);
    this.byAsid = withoutEmpty(this.byAsid);
    this.byBlock = withoutEmpty(this.byBlock);
    this.emptied = 0;
  }

  /**
   * Raw state for snapshots (src/sim/snapshot.ts): entries are never mutated once inserted, so
   * copying the bucket lists is enough (the indexes are rebuilt on load).
   */
  saveRaw(): TlbRaw {
    const buckets = new Map<number, TlbEntry[]>();
    for (const [k, b] of this.buckets) if (b.length !== 0) buckets.set(k, b.slice());
    return { buckets, count: this.count, epoch: this.epoch };
  }

  loadRaw(r: TlbRaw): void {
    this.clear();
    for (const [k, b] of r.buckets) {
      this.buckets.set(k, b.slice());
      for (const e of b) this.index(e);
    }
    this.count = r.count;
    this.epoch = r.epoch;
  }

  /** All entries (for the debugger's TLB view). */
  entries(): TlbEntry[] {
    const out: TlbEntry[] = [];
    for (const b of this.buckets.values()) out.push(...b);
    return out;
  }
}

export const FAST_BITS = 14;
export const FAST_SIZE = 1 << FAST_BITS;
const FAST_MASK = FAST_SIZE - 1;
const GEN_MAX = 2047;

/** Byte offsets of FastTlb's arrays from its base (each indexed by (el << FAST_BITS) | (VA[31:12] & mask)). */
export const FAST_TLB_LAYOUT = {
  tagLo: 0, tagHi: 12 * FAST_SIZE, pa: 24 * FAST_SIZE, perm: 48 * FAST_SIZE, genTag: 51 * FAST_SIZE, bytes: 51 * FAST_SIZE + 16,
} as const;

/**
 * The hot-path cache: for EL e and VA page k = VA[31:12], slot (e << FAST_BITS) | (k & MASK)
 * holds tagLo = k | gen[e] << 20, tagHi = VA[63:32], the PA of the page and PERM_R/W/X bits
 * (bit 1 << Acc). A generation bump empties a bank in O(1).
 */
export class FastTlb {
  readonly tagLo: Int32Array;
  readonly tagHi: Uint32Array;
  readonly pa: Float64Array;
  readonly perm: Uint8Array;
  /** gen[e] << 20 for each bank. */
  readonly genTag: Int32Array;
  private readonly gen = [1, 1, 1];
  /**
   * Byte offset of the arrays in `arena` (FAST_TLB_LAYOUT), so compiled regions (src/sim/jit)
   * can look them up inline; -1 when they are ordinary arrays.
   */
  readonly base: number;

  constructor(arena?: RamArena) {
    const n = 3 * FAST_SIZE, L = FAST_TLB_LAYOUT;
    this.base = arena !== undefined ? arena.block(L.bytes) : -1;
    const buf: ArrayBufferLike = arena !== undefined ? arena.buffer : new ArrayBuffer(L.bytes);   // after block() grew it
    const b = arena !== undefined ? this.base : 0;
    this.tagLo = new Int32Array(buf, b + L.tagLo, n).fill(-1);
    this.tagHi = new Uint32Array(buf, b + L.tagHi, n);
    this.pa = new Float64Array(buf, b + L.pa, n);
    this.perm = new Uint8Array(buf, b + L.perm, n);
    this.genTag = new Int32Array(buf, b + L.genTag, 3);
    for (let e = 0; e < 3; e++) this.genTag[e] = this.gen[e] << 20;
  }

  flush(): void { for (let e = 0; e < 3; e++) this.flushEl(e); }

  flushEl(e: number): void {
    let g = this.gen[e] + 1;
    if (g > GEN_MAX) {
      g = 1;
      this.tagLo.fill(-1, e * FAST_SIZE, (e + 1) * FAST_SIZE);
    }
    this.gen[e] = g;
    this.genTag[e] = g << 20;
  }

  /**
   * Drops whatever each bank holds in the slot of VA page `vpn` (VA[55:12]). Every filled slot
   * comes from a Tlb entry of its own page, so after TLBI by VA removes entries, dropping their
   * pages' slots leaves no stale copy, and the rest of the cache stays valid.
   */
  dropPage(vpn: number): void {
    const k = (vpn % TWO20) & FAST_MASK;
    for (let e = 0; e < 3; e++) this.tagLo[(e << FAST_BITS) | k] = -1;
  }

  fill(el: number, vlo: number, vhi: number, paPage: number, perms: number): void {
    const k = vlo >>> 12;
    const i = (el << FAST_BITS) | (k & FAST_MASK);
    this.tagLo[i] = k | this.genTag[el];
    this.tagHi[i] = vhi;
    this.pa[i] = paPage;
    // Access kinds are Acc.Read = 0, Write = 1, Fetch = 2: bit (1 << acc).
    this.perm[i] = ((perms & PERM_R) ? 1 << Acc.Read : 0) | ((perms & PERM_W) ? 1 << Acc.Write : 0) | ((perms & PERM_X) ? 1 << Acc.Fetch : 0);
  }
}
