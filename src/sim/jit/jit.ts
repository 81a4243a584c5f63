// The region compiler's manager: hotness counting at block heads, compiling, installing and
// invalidating regions, and running them with the interpreter's exact accounting.
//
// A compiled region lives in the interpreter's decoded-instruction cache: its entry replaces the
// executor of its first instruction (mem.code[page][idx]), like a debugger breakpoint wrapper,
// and keeps that executor as its fallback. It is valid while every slot it covers still holds
// the executor it was compiled from, which is checked on an entry whenever the page's code
// epoch (PhysicalMemory.codeEpoch: bumped when a write drops decoded slots or a breakpoint is
// installed) moved since the last check, so everything that already keeps the cache coherent
// invalidates regions by page with no extra bookkeeping:
//   - a store to code (self-modifying code, with or without DC/IC) clears the written slot;
//   - copy-on-write restores of a snapshot clear whole pages;
//   - a debugger breakpoint replaces its slot with its wrapper (marked INSTRUMENTED: never compiled),
//     so a breakpoint set inside a compiled region ends that region, which is recompiled to
//     stop before it; a cost-model change drops every cached executor.
// Regions are keyed by physical page and start index. The classes compiled so far (integer data
// processing, PC-relative branches, loads and stores) depend on no translation-regime or PSTATE
// bit other than NZCV (copied in and out) at compile time: loads and stores read the current
// translation (flat or the soft-TLB bank of the current EL, see setupMemory) on each entry,
// so the key needs nothing more yet. System and synchronisation instructions (MRS/MSR, SYS,
// exclusives, atomics, ISB, WFx...) run as call-outs to the executor the region was compiled over
// (callout.ts), which read the PE's state at run time, so they add nothing to the key either.
//
// Exactness (why compiled code leaves no trace in the state digests):
//   - a region is entered only when the interpreter would have executed every instruction of its
//     first pass in this slice (the budget/deadline check below), and loops back only under the
//     same rule, so instruction counts, cycle charges and the point where a slice ends are the
//     interpreter's; a slice that cannot fit a pass runs the interpreter (its fallback);
//   - it is not entered while an interrupt re-check is pending (recheckIrq), a stop is requested
//     or self-hosted debug is active, and what it compiles natively cannot raise an exception,
//     change the interrupt lines or touch a device, so interrupts are recognised at the
//     interpreter's points (block ends, which the region returns to the run loop exactly as the
//     interpreter reaches them); a call-out that does any of these leaves the region right after
//     its instruction and the entry returns what the run loop needs to go on as the interpreter
//     would (callout.ts: the executor's flow, Flow.Stop for an exception taken, or a mid-block
//     resume when it raised an interrupt re-check), with the instructions before it counted;
//   - a load or store that the inline soft-TLB path cannot do leaves the region before that
//     instruction (registers, flags, PC and counts written back as if the interpreter had run
//     the instructions before it); the run loop goes on in the same page at that instruction,
//     mid-block, so no interrupt check happens there — as in the interpreter. A region with
//     loads or stores is not entered while an access observer (watchpoints, probes) is set;
//   - regions are chained (encodeTrampoline): a region that leaves by a branch, or by falling off
//     its end, to an instruction where another region is entered calls that one next without
//     returning to JavaScript, under the same whole-pass budget rule — in its page through the
//     page's chain table, in another page (calls, returns, register branches) after translating
//     the target as the run loop's fetch does on its fast path (flat, or the soft TLB), through the chain
//     directory. Nothing a chained region does can change what the run loop would check in
//     between (see encodeTrampoline), so the instruction stream is the interpreter's. A region is
//     listed in its page's chain table only by its own entry, just after that entry found its
//     slots unchanged; a table is emptied, and its directory entry goes stale, whenever its page's
//     code epoch moves, so a chained-to region is always one that is still valid; a region reached
//     through a breakpoint's wrapper is never listed (the wrapper must see each arrival).
import { Acc, type Exec, INSTRUMENTED, PLAIN_DECODERS } from '../exec';
import type { PE } from '../pe';
import { PAGE_SIZE } from '../memory';
import { EXIT_ABSOLUTE, STATE } from './emitter';
import { FAST_BITS, FAST_SIZE, FAST_TLB_LAYOUT } from '../mmu/tlb';
import { compileRegion, type CompiledRegion } from './region-compiler';
import { encodeTrampoline } from './wasm-encoder';
import { findEncoding } from '../decode';
import { instructionCost } from '../cost/profile';
import { CalloutExit, CalloutFrame, makeCallout } from './callout';

/** Statistics for `--stats`. */
export interface JitStats {
  regionsCompiled: number;
  /** Regions found stale on entry (a covered slot changed) and removed. */
  invalidations: number;
  /** Instructions retired inside compiled regions. */
  compiledInstructions: number;
  /** Region runs (calls into compiled code that retired at least one instruction). */
  entries: number;
  /** Regions run after another in the same call, without returning to the run loop (encodeTrampoline). */
  chained: number;
  /** Regions taken out again because their runs were too short (PROBE_RUNS). */
  dropped: number;
  /** Region runs that left early at a load or store for the interpreter (miss, fault, device...). */
  earlyExits: number;
  /** Instructions run by the interpreter's executors called from compiled regions (callout.ts). */
  callouts: number;
  compileMs: number;
  wasmBytes: number;
}

export interface JitOptions {
  /** Block-head visits before a region is compiled (0: at the first visit). */
  threshold: number;
  /** Shortest region installed unless it loops (default MIN_REGION_LENGTH; tests use 1). */
  minLength?: number;
}

const TWO32 = 4294967296;
/**
 * Default hotness threshold: block-head visits before a region is compiled. Compiling and
 * instantiating costs about 0.4 ms a region on the main thread (and more in V8's background
 * tier-up), so a head must be visited often to repay it. On the Linux boot to KVM init (185 M
 * instructions, regions chained within pages, call-outs on), main-thread CPU: 250 -> 6.43 s,
 * 500 -> 5.8 s, 1000 -> 5.7-5.8 s, 1500 -> 5.5 s (80% of the instructions compiled, by 780
 * regions instead of 85% by 1,497), 3000 -> 5.5-5.7 s.
 */
export const DEFAULT_JIT_THRESHOLD = 1500;
/** Shortest straight-line (non-looping) region worth entering, in instructions. */
export const MIN_REGION_LENGTH = 6;
/**
 * A region's first PROBE_RUNS calls must average at least MIN_RUN_LENGTH instructions (chained
 * regions included), or it is taken out again (left interpreted): a call that retires only a few
 * instructions costs more than interpreting them (the HVC loop's three instructions between ERET
 * and HVC: 14.9 MIPS with that region, 15.5 without). The bar was 8 before regions were chained;
 * on the Linux boot to KVM init that left a third of the regions interpreted. Main-thread CPU on
 * that boot (two runs each): bar 2 -> 4.59/4.69 s, 4 -> 4.49/4.43 s, 6 -> 4.54/4.63 s.
 */
const PROBE_RUNS = 64, MIN_RUN_LENGTH = 4;

/**
 * Compiled-region entries and the executor each replaced. Regions may overlap (a slice that ends
 * mid-loop makes the next one start mid-loop): a slot holding another region's entry counts as
 * holding that entry's own executor.
 */
const REGION_INNER = new WeakMap<Exec, Exec>();
const COMPILED = 0xfffe, FAILED = 0xffff;

/** A code page's hotness counters and installed region entries (Jit.pageHeat). */
interface PageHeat {
  readonly code: (Exec | undefined)[];
  readonly heat: Uint16Array;
  readonly installed: (Exec | undefined)[];
  /**
   * The page's chain table (see encodeTrampoline), allocated with its first region run: per
   * instruction index, the table index + 1 of the region entered there and its first-pass cost
   * before its last instruction. A region lists itself from its JavaScript entry, once per code
   * epoch, right after checking that its slots are unchanged; the whole table is emptied (and
   * its chain-directory entry goes stale) when the page's code epoch moves, so a region is
   * chained to only while that check holds.
   */
  chain: ChainTable | null;
}

/** One page's chain table: its arena offset, a view of it, and the code epoch it is valid for. */
interface ChainTable { readonly off: number; readonly words: Int32Array; epoch: number }

/** Bytes of a chain table: two i32 per instruction slot of a page. */
const CHAIN_BYTES = (PAGE_SIZE / 4) * 8;

export class Jit {
  readonly stats: JitStats = { regionsCompiled: 0, invalidations: 0, compiledInstructions: 0, entries: 0, chained: 0, dropped: 0, earlyExits: 0, callouts: 0, compileMs: 0, wasmBytes: 0 };
  /**
   * Per RAM page index, for the code page array `code` (a replaced array starts afresh): visit
   * counts per instruction index — COMPILED once a region was installed there (a visit that
   * finds it gone recompiles), FAILED when nothing worth running compiles there — and the region
   * entries installed, by index (head()'s cheap test for "our region is there"). Sized to the
   * board's RAM on the first visit: an array grown by assigning far past its end goes to V8's
   * dictionary elements, and that lookup on every block head cost ~5% of the Linux boot.
   */
  private pageHeat: (PageHeat | undefined)[] = [];
  /** Per PE id: an Int32Array over its state block (see view()). */
  private readonly views: Int32Array[] = [];
  /** Per PE id with an MMU: its soft TLB's generation tags (FastTlb.genTag), one per EL bank. */
  private readonly genTags: Int32Array[] = [];
  private readonly threshold: number;
  private readonly minLength: number;
  /** The last PE decoder found to be a plain one (PLAIN_DECODERS). */
  private plainDecoder: ((word: number) => Exec) | null = null;

  /** Chain tables of replaced code pages, for reuse (emptied when taken). */
  private readonly freeChains: ChainTable[] = [];
  /** Every instantiated region's `run`, by index; called through `call` (encodeTrampoline). */
  private readonly table = new WebAssembly.Table({ element: 'anyfunc', initial: 0 });
  /**
   * The chain directory in the arena (see encodeTrampoline): per RAM page, the offset of its
   * current chain table (0: none) and the code epoch that table is valid for. Made with the
   * trampoline.
   */
  private dir: Int32Array | null = null;
  /** The trampoline (made with the first instance, which needs the board's memory). */
  private call: (index: number, room: number, pcLo: number, pcHi: number, base: number, chain: number, idx: number, rest: number) => number = () => 0;
  /** Table indices free for reuse: a region whose entry became garbage returns its index. */
  private readonly freeIndex: number[] = [];
  private readonly registry = new FinalizationRegistry<number>((i) => { this.table.set(i, null); this.freeIndex.push(i); });

  /** The machine's PhysicalMemory.codeEpoch (set on the first compile). */
  private epochs: Uint32Array = new Uint32Array(0);
  /** The region run in progress, for its call-outs (callout.ts). */
  private readonly frame = new CalloutFrame();

  constructor(opts: JitOptions) {
    const t = Number.isFinite(opts.threshold) ? Math.floor(opts.threshold) : DEFAULT_JIT_THRESHOLD;
    this.threshold = Math.min(Math.max(0, t), COMPILED - 1);
    this.minLength = opts.minLength ?? (t === 0 ? 1 : MIN_REGION_LENGTH);
  }

  /**
   * The run loop reached a block head: instruction `idx` of the code page `page` (RAM page
   * `pageIdx`). Counts the visit and compiles a region there once it is hot.
   */
  head(pe: PE, page: (Exec | undefined)[], pageIdx: number, idx: number): void {
    // Under a cycle-cost profile nothing is compiled (yet): compiled regions charged fewer modelled
    // cycles than the interpreter (kvm-split's hypercall: 6,367 instead of 6,387) and, since a
    // pass's cost decides where a slice may end, their results moved with the slice boundaries
    // (a Linux KVM hypercall measured 4,930 or 5,919 from one run to the next). The interpreter is
    // the reference for the experiments until compiled code charges every dynamic cost.
    if (pe.cost !== null) return;
    if (pe.decoder !== this.plainDecoder) {
      if (!PLAIN_DECODERS.has(pe.decoder)) return;       // probes wrap the executors: interpret
      this.plainDecoder = pe.decoder;
    }
    const f = page[idx];
    let ph = this.pageHeat[pageIdx];
    if (ph === undefined || ph.code !== page) {
      if (this.pageHeat.length === 0) this.pageHeat = new Array<PageHeat | undefined>(pe.mem.pages.length).fill(undefined);
      if (ph !== undefined && ph.chain !== null) {
        // The old array's table is reused for another page: the directory must not lead to it.
        this.freeChains.push(ph.chain);
        if (this.dir !== null) this.dir[pageIdx * 2] = 0;
      }
      ph = this.pageHeat[pageIdx] = { code: page, heat: new Uint16Array(PAGE_SIZE / 4), installed: new Array<Exec | undefined>(PAGE_SIZE / 4).fill(undefined), chain: null };
    }
    const h = ph.heat;
    const c = h[idx];
    // A head that failed to compile (too short, uncompilable) is the common case in exception-heavy
    // code (a vector's ERET, a 4-instruction HVC loop): answer it before the WeakMap/WeakSet
    // lookups below, which cost more than the interpreted block they would guard.
    if (c === FAILED) return;
    if (f !== undefined && ph.installed[idx] === f) return;   // our region is there
    // Count first: the WeakMap/WeakSet lookups below cost more than a count, and a head is
    // visited `threshold` times before they matter.
    if (c < this.threshold) { h[idx] = c + 1; return; }
    if (f !== undefined && (REGION_INNER.has(f) || INSTRUMENTED.has(f))) return;   // another region's entry, a breakpoint
    h[idx] = this.compile(pe, page, pageIdx, idx) ? COMPILED : FAILED;
  }

  private compile(pe: PE, page: (Exec | undefined)[], pageIdx: number, idx: number): boolean {
    const view = pe.mem.pages[pageIdx]!;
    this.epochs = pe.mem.codeEpoch;
    const t0 = performance.now();
    const cost = pe.cost;
    const covered: Exec[] = [];
    const region = compileRegion({
      word: (i) => {
        let f = page[i];
        if (f !== undefined && INSTRUMENTED.has(f)) return undefined;
        const w = view.getUint32(i * 4, true);
        if (f === undefined) f = page[i] = pe.decoder(w);
        else f = REGION_INNER.get(f) ?? f;
        covered.push(f);
        return w;
      },
      extra: (w) => (cost === null ? 0 : instructionCost(cost, findEncoding(w), w) - 1),
    }, idx);
    this.stats.compileMs += performance.now() - t0;
    // A short region that does not loop costs more to enter than it saves (the wasm call and
    // the register copies are worth several interpreted instructions): leave it interpreted.
    if (region === undefined || (region.n < this.minLength && !region.loops)) return false;
    this.stats.regionsCompiled++;
    this.stats.wasmBytes += region.bytes;
    covered.length = region.n;
    this.install(page, pageIdx, idx, region, covered);
    return true;
  }

  private install(page: (Exec | undefined)[], pageIdx: number, idx: number, region: CompiledRegion, covered: Exec[]): void {
    const inner = covered[0];
    const n = region.n, slots = region.slots;
    // One instance serves every PE (the arena is the board's, each PE's block is a parameter),
    // made on the first run and called through the trampoline at table index `slot`.
    let slot = -1;
    const epochs = this.epochs;
    // Its first pass's modelled cycles before its last instruction (the entry rule below).
    const rest = region.passCost - region.lastCost;
    // The page's code epoch when the slots were last found unchanged (-1: check on first entry).
    let seen = -1;
    // The epoch at which this region was last listed in its page's chain table, and the table.
    let listedAt = -1, listedOff = -1;
    // Runs left to probe, and instructions they retired (see PROBE_RUNS); 0 = not probing.
    let probe = this.minLength > 1 ? PROBE_RUNS : 0, probed = 0;
    const frame = this.frame, callouts = region.callouts.length !== 0;
    const co = callouts ? makeCallout(frame, {
      execs: region.callouts.map((j) => covered[j]), offs: region.calloutOffs, pageIdx, epochs,
    }, this.stats, (pe) => this.view(pe), (pe, s) => this.setupMemory(pe, s)) : null;
    const entry: Exec = (pe: PE): number => {
      // Still the code it was compiled from? (see the header) Only when a slot of the page was
      // dropped or instrumented since the last check (PhysicalMemory.codeEpoch).
      if (epochs[pageIdx] !== seen) {
        for (let j = 1; j < n; j++) {
          const f = page[slots[j]];
          if (f !== covered[j] && (f === undefined || REGION_INNER.get(f) !== covered[j])) {
            this.stats.invalidations++;
            this.unchain(page, pageIdx, idx);
            if (page[idx] === entry) page[idx] = inner;
            return inner(pe);
          }
        }
        seen = epochs[pageIdx];
      }
      // Would the interpreter start the last instruction of a first pass in this slice? (room:
      // modelled cycles left before the slice's last instruction; the trampoline applies the
      // same rule to each region it chains to.)
      const room = pe.sliceLimit - pe.sliceExecuted - 1;
      if (room < rest || pe.recheckIrq || pe.stopRequested || pe.dbgMode !== 0) return inner(pe);
      const s = this.view(pe);
      // Chained regions may load and store, so the translation is set up for every entry; without
      // it (an access observer is set) nothing chains and a region that accesses memory is not entered.
      const memOk = this.setupMemory(pe, s);
      if (!memOk && region.memory) return inner(pe);
      if (slot < 0) slot = this.instantiate(region, pe, entry, co);
      let chain = -1;
      // Entered from its own slot (not through a breakpoint's wrapper, which must see every arrival).
      if (memOk && page[idx] === entry) {
        // Listed once per validation (`seen`): the table is emptied only when the epoch moves,
        // which makes this entry validate again first.
        if (listedAt !== seen) {
          const t = this.chainTable(page, pageIdx, pe, seen);
          listedOff = -1;
          if (t !== null) {
            listedOff = t.off;
            t.words[idx * 2] = slot + 1;
            t.words[idx * 2 + 1] = rest;
          }
          listedAt = seen;
        }
        chain = listedOff;
      }
      // Flags in and out whatever this region does with them: a chained one may use them (the
      // state block holds them for the whole call, call-outs included: callout.ts).
      s[STATE.nf >> 2] = pe.nf; s[STATE.zf >> 2] = pe.zf; s[STATE.cf >> 2] = pe.cf; s[STATE.vf >> 2] = pe.vf;
      const pcLo = pe.pcLo, pcHi = pe.pcHi;
      // Any region of the call may make call-outs (a chained one too): they find the PE here.
      frame.pe = pe; frame.base = pe.sliceExecuted; frame.exit = CalloutExit.None;
      const insns = this.call(slot, room, pcLo, pcHi, pe.stateBase, chain, idx, rest);
      // Left before the very first instruction: nothing ran, the interpreter does it (flags,
      // registers and PC are unchanged).
      if (insns === 0) return inner(pe);
      if (s[STATE.exitPart >> 2] !== 0) this.stats.earlyExits++;
      pe.nf = s[STATE.nf >> 2]; pe.zf = s[STATE.zf >> 2]; pe.cf = s[STATE.cf >> 2]; pe.vf = s[STATE.vf >> 2];
      const exit = frame.exit as CalloutExit;
      const delta = s[STATE.exitDelta >> 2];
      if (exit === CalloutExit.Flow) { /* the executor wrote the PC */ }
      else if (delta === EXIT_ABSOLUTE) {
        pe.pcLo = s[STATE.exitPc >> 2] >>> 0;
        pe.pcHi = s[(STATE.exitPc >> 2) + 1] >>> 0;
      } else {
        const l = pcLo + delta;
        if (l >= 0 && l < TWO32) pe.pcLo = l;
        else {
          const carry = Math.floor(l / TWO32);
          pe.pcLo = (l - carry * TWO32) >>> 0;
          pe.pcHi = (pcHi + carry) >>> 0;
        }
      }
      const extra = s[STATE.exitUsed >> 2] - insns;   // modelled cycles beyond one per instruction
      if (extra !== 0) { pe.costExtra += extra; pe.sliceLimit -= extra; }
      this.stats.compiledInstructions += insns;
      this.stats.entries++;
      this.stats.chained += s[STATE.chains >> 2];
      if (probe !== 0) {
        probed += insns;
        if (--probe === 0 && probed < PROBE_RUNS * MIN_RUN_LENGTH) {
          this.stats.dropped++;
          this.unchain(page, pageIdx, idx);
          if (page[idx] === entry) page[idx] = inner;
          const ph = this.pageHeat[pageIdx];
          if (ph !== undefined && ph.code === page) ph.heat[idx] = FAILED;
        }
      }
      // The run loop counted one instruction for this call.
      pe.regionRan = insns - 1;
      if (exit === CalloutExit.Flow) return frame.flow;
      if (exit === CalloutExit.Resume) {
        // Mid-block with an interrupt re-check raised: as the run loop's splitBlock when the
        // slice ends here, else resume at the next instruction without the check (callout.ts).
        const executed = frame.base + insns;
        pe.resumeMidBlock = executed >= pe.sliceLimit || pe.stopRequested ? pe.cycles + executed + pe.costExtra < pe.eventDeadline : true;
        return 2; // Flow.Stop
      }
      return 1; // Flow.Jump: the PC was written
    };
    REGION_INNER.set(entry, inner);
    page[idx] = entry;
    const ph = this.pageHeat[pageIdx];
    if (ph !== undefined && ph.code === page) ph.installed[idx] = entry;
  }

  /**
   * The chain table of code page `page` (RAM page pageIdx), emptied if the page's code epoch
   * moved since it was last used; null when the page has no heat record for this array (it was
   * replaced: a region of the old array is not chained).
   */
  private chainTable(page: (Exec | undefined)[], pageIdx: number, pe: PE, epoch: number): ChainTable | null {
    const ph = this.pageHeat[pageIdx];
    if (ph === undefined || ph.code !== page) return null;
    let t = ph.chain;
    if (t === null) {
      t = this.freeChains.pop() ?? null;
      if (t === null) {
        const off = pe.mem.arena.block(CHAIN_BYTES);
        t = { off, words: new Int32Array(pe.mem.arena.buffer, off, CHAIN_BYTES / 4), epoch };
      }
      t.words.fill(0);
      t.epoch = epoch;
      ph.chain = t;
      if (this.dir !== null) { this.dir[pageIdx * 2] = t.off; this.dir[pageIdx * 2 + 1] = epoch; }
    } else if (t.epoch !== epoch) {
      t.words.fill(0);
      t.epoch = epoch;
      if (this.dir !== null) this.dir[pageIdx * 2 + 1] = epoch;
    }
    return t;
  }

  /** Takes the region entered at `idx` out of its page's chain table (it is being uninstalled). */
  private unchain(page: (Exec | undefined)[], pageIdx: number, idx: number): void {
    const ph = this.pageHeat[pageIdx];
    if (ph !== undefined && ph.code === page && ph.chain !== null) ph.chain.words[idx * 2] = 0;
  }

  /** Instantiates a region and puts its `run` in the table; the index is freed with `owner`. */
  private instantiate(region: CompiledRegion, pe: PE, owner: Exec, co: ((k: number, n: number) => number) | null): number {
    if (this.table.length === 0) {
      const mem = pe.mem, n = mem.pages.length;
      const dirOff = mem.arena.block(n * 8);
      this.dir = new Int32Array(mem.arena.buffer, dirOff, n * 2);
      const L = FAST_TLB_LAYOUT;
      const tramp = new WebAssembly.Instance(new WebAssembly.Module(encodeTrampoline({
        exitDelta: STATE.exitDelta, exitUsed: STATE.exitUsed, exitPart: STATE.exitPart, chains: STATE.chains, exitPc: STATE.exitPc,
        runPc: STATE.runPc, runBase: STATE.runBase, calloutLeft: STATE.calloutLeft, exitAbsolute: EXIT_ABSOLUTE,
        memFlat: STATE.memFlat, memBank: STATE.memBank, memGen: STATE.memGen, tlbBase: STATE.tlbBase, ramBase: STATE.ramBase, ramSize: STATE.ramSize,
      }, {
        dir: dirOff, epochs: mem.codeEpochOffset,
        tagLo: L.tagLo, tagHi: L.tagHi, pa: L.pa, perm: L.perm, mask: FAST_SIZE - 1, fetchBit: 1 << Acc.Fetch,
      })), { m: { t: this.table, mem: pe.state } });
      this.call = tramp.exports.call as typeof this.call;
    }
    const inst = new WebAssembly.Instance(region.module, co === null ? { m: { mem: pe.state } } : { m: { mem: pe.state }, h: { co } });
    let i = this.freeIndex.pop();
    if (i === undefined) { i = this.table.length; this.table.grow(Math.max(64, this.table.length)); for (let k = this.table.length - 1; k > i; k--) this.freeIndex.push(k); }
    this.table.set(i, inst.exports.run as WebAssembly.ExportValue as never);
    this.registry.register(owner, i);
    return i;
  }

  /** An Int32Array over the PE's state block (index = STATE offset / 4); constants set once. */
  private view(pe: PE): Int32Array {
    let v = this.views[pe.id];
    if (v === undefined) {
      v = new Int32Array(pe.state.buffer, pe.stateBase, 1024);
      const mem = pe.mem;
      v[STATE.tlbBase >> 2] = pe.softTlbBase;
      v[STATE.slotBase >> 2] = mem.slotTabOffset;
      v[STATE.ramBase >> 2] = mem.ramBase % TWO32; v[(STATE.ramBase >> 2) + 1] = Math.floor(mem.ramBase / TWO32);
      v[STATE.ramSize >> 2] = mem.ramSize % TWO32; v[(STATE.ramSize >> 2) + 1] = Math.floor(mem.ramSize / TWO32);
      this.views[pe.id] = v;
      if (pe.softTlbBase >= 0) this.genTags[pe.id] = new Int32Array(pe.state.buffer, pe.softTlbBase + FAST_TLB_LAYOUT.genTag, 3);
    }
    return v;
  }

  /**
   * Sets up the translation a region's loads and stores use for this entry (STATE.memFlat):
   * PA = VA when the interpreter's xlate would take its flat path (stage 1 off, no stage 2, or
   * no MMU installed), otherwise the soft-TLB bank of the current EL — the one mmu.ts makeHook
   * consults (pe.unprivAccess is never set between instructions). False when the region must
   * not run: an access observer (watchpoint, probe) must see every access.
   */
  private setupMemory(pe: PE, s: Int32Array): boolean {
    if (pe.accessHook !== null) return false;
    if (pe.flatData || pe.mmuTranslate === null) { s[STATE.memFlat >> 2] = 1; return true; }
    const gen = this.genTags[pe.id];
    if (gen === undefined) return false;
    const el = pe.el;
    s[STATE.memFlat >> 2] = 0;
    s[STATE.memBank >> 2] = el << FAST_BITS;
    s[STATE.memGen >> 2] = gen[el];
    return true;
  }

  /** One line for `--stats`. */
  summary(retired: number): string {
    const s = this.stats;
    const pct = retired > 0 ? (100 * s.compiledInstructions / retired).toFixed(1) : '0.0';
    const per = s.entries > 0 ? (s.compiledInstructions / s.entries).toFixed(1) : '0';
    return `jit: ${pct}% of instructions in compiled code (${per} per call, ${s.chained} regions chained), ${s.regionsCompiled} regions compiled (${s.wasmBytes} bytes of wasm), `
      + `${s.dropped} dropped as too short, ${s.invalidations} invalidations, ${s.earlyExits} early exits at loads/stores, `
      + `${s.callouts} call-outs to the interpreter's executors, compile time ${s.compileMs.toFixed(1)} ms`;
  }
}
