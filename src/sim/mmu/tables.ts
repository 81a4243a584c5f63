// Page-table trees for the debugger (the armvirt/pageTables panel): lazily, one table at a time.
// `tableRoots` lists the root table(s) of a stage (Stage 1: TTBR0/TTBR1 of a regime; Stage 2:
// VTTBR_EL2's root, concatenated tables included); `tableNode` decodes the valid entries of one
// table. Reads are side-effect free: descriptors are read from RAM without allocating pages, no
// walk counters change, no TLB is touched. Stage-1 table addresses are IPAs when Stage 2 is on;
// they are translated through Stage 2 (side-effect free) and the PA is reported next to them.
//
// Descriptor formats: DDI0487 D8.3 (VMSAv8-64 descriptors), D8.4 (MAIR / Stage-2 MemAttr),
// D8.5 (AP / S2AP / XN). Geometry (start level, concatenation) as in walk.ts.
import { Acc } from '../exec';
import type { PhysicalMemory } from '../memory';
import type { PE } from '../pe';
import { type Ctx, REGIME_NAMES, Regime, describeAttr, mairAttr, makeCtx, regimeOf } from './regime';
import { stage2, walkReads } from './walk';

const TWO32 = 4294967296;

export interface TableNodeRef {
  stage: 1 | 2;
  level: number;
  /** Table address as the walker uses it (IPA for Stage-1 tables under Stage 2, else PA), hex. */
  tableAddress: string;
  /** First input address (VA or IPA) the table covers, hex. */
  inputBase: string;
  /** Number of entries of the table (more than one granule for concatenated Stage-2 roots). */
  entries: number;
  /** Stage 1: the TTBR the tree hangs from. */
  ttbr?: 0 | 1;
  /** Stage 1: the regime ('EL1&0', 'EL2', 'EL2&0'). */
  regime?: string;
}

export interface TableRoot {
  name: string;
  enabled: boolean;
  /** Why the root is not walked (EPDn, bad TxSZ/SL0), when disabled. */
  reason?: string;
  /** Table address (IPA for Stage-1 tables under Stage 2), and the PA it was found at. */
  tableAddress: string;
  tablePa?: string;
  level: number;
  inputStart: string;
  inputEnd: string;
  granule: number;
  /** Stage 2: number of concatenated tables at the start level. */
  concatenated?: number;
  node: TableNodeRef;
}

export interface TableRootsResult {
  stage: 1 | 2;
  regime: string;
  /** Stage 1 enabled (SCTLR_ELx.M), Stage 2 enabled (HCR_EL2.VM/DC) for the regime. */
  stage1Enabled: boolean;
  stage2Enabled: boolean;
  vmid?: number;
  roots: TableRoot[];
}

export interface DecodedDescriptor {
  type: 'table' | 'block' | 'page' | 'reserved';
  /** Next-level table address (table) or output address (block/page), hex. */
  outputAddress?: string;
  /** Stage 1 under Stage 2: the PA of a next-level table (IPA). */
  outputPa?: string;
  /** Table descriptors (stage 1): hierarchical attributes. */
  nsTable?: number; apTable?: number; xnTable?: number; pxnTable?: number;
  /** Stage 1 blocks/pages. */
  ap?: number; apText?: string; uxn?: number; pxn?: number; xn?: number; ng?: number; ns?: number;
  attrIndx?: number; mair?: string; memType?: string;
  /** Stage 2 blocks/pages. */
  s2ap?: number; s2apText?: string; memAttr?: number;
  af?: number; sh?: number; shText?: string; contiguous?: number; dbm?: number;
  /** Problems the walker would fault on (block at a level without blocks, output address too large). */
  note?: string;
}

export interface TableEntry {
  index: number;
  inputStart: string;
  inputEnd: string;
  /** Descriptor address (as tableAddress) and its PA. */
  descAddress: string;
  descPa: string;
  raw: string;
  decoded: DecodedDescriptor;
  /** For table descriptors: the handle of the next-level table. */
  child?: TableNodeRef;
}

export interface TableNodeResult {
  stage: 1 | 2;
  regime: string;
  node: TableNodeRef;
  tablePa?: string;
  /** Set when the table cannot be read (not RAM, Stage-2 fault on an IPA). */
  error?: string;
  entries: TableEntry[];
}

const hx = (n: number | bigint): string => `0x${n.toString(16)}`;
const hx16 = (hi: number, lo: number): string => `0x${(hi >>> 0).toString(16).padStart(8, '0')}${(lo >>> 0).toString(16).padStart(8, '0')}`;

function tg0Bits(tg: number): number { return tg === 1 ? 16 : tg === 2 ? 14 : 12; }
function tg1Bits(tg: number): number { return tg === 1 ? 14 : tg === 3 ? 16 : 12; }
function minBlockLevel(g: number): number { return g === 12 ? 1 : 2; }

/** A descriptor read from RAM without allocating pages or counting a walk read; undefined if not RAM. */
function peek(mem: PhysicalMemory, pa: number): { lo: number; hi: number } | undefined {
  const off = pa - mem.ramBase;
  if (off < 0 || off + 8 > mem.ramSize) return undefined;
  const page = mem.pages[Math.floor(off / 4096)];
  const po = off % 4096;
  return { lo: page ? page.getUint32(po, true) : 0, hi: page ? page.getUint32(po + 4, true) : 0 };
}

function regimeByName(pe: PE, name: unknown): Regime {
  if (typeof name === 'string') {
    const n = name.toUpperCase().replace(/\s/g, '');
    if (n === 'EL1&0' || n === 'EL10' || n === 'EL1') return Regime.EL10;
    if (n === 'EL2&0' || n === 'EL20') return Regime.EL20;
    if (n === 'EL2') return Regime.EL2;
    throw new Error(`unknown regime '${name}' (EL1&0, EL2, EL2&0)`);
  }
  return regimeOf(pe, pe.el === 0 ? 0 : pe.el);
}

function ctxOf(pe: PE, stage: 1 | 2, regimeName: unknown): Ctx {
  if (stage === 2) {
    const ctx = makeCtx(pe, 1, Regime.EL10);
    return ctx;
  }
  const regime = regimeByName(pe, regimeName);
  return makeCtx(pe, regime === Regime.EL10 ? 1 : 2, regime, true);
}

/** Stage-2 translation of a Stage-1 table IPA, side-effect free; PA or an error text. */
function ipaToPa(mem: PhysicalMemory, ctx: Ctx, ipa: number): { pa?: number; error?: string } {
  if (!ctx.s2) return { pa: ipa };
  const n = walkReads.count;
  try {
    const r = stage2(mem, ctx, ipa, Acc.Read, true, null);
    return r.fault ? { error: `Stage-2 fault on table IPA ${hx(ipa)}: ${r.fault.why}` } : { pa: r.pa };
  } finally {
    walkReads.count = n;
  }
}

interface Geometry { g: number; stride: number; start: number; inBits: number; nbits: number; base: number; inputBase: bigint; bad?: string }

function s1Geometry(ctx: Ctx, sel: 0 | 1): Geometry {
  const tcrLo = ctx.tcrLo;
  const tsz = sel === 0 ? tcrLo & 0x3f : (tcrLo >>> 16) & 0x3f;
  const g = sel === 0 ? tg0Bits((tcrLo >>> 14) & 3) : tg1Bits((tcrLo >>> 30) & 3);
  const stride = g - 3;
  const inBits = 64 - tsz;
  const start = 4 - Math.ceil((inBits - g) / stride);
  const lsb = g + (3 - start) * stride;
  const nbits = inBits - lsb;
  const lo = sel === 0 ? ctx.ttbr0Lo : ctx.ttbr1Lo, hi = sel === 0 ? ctx.ttbr0Hi : ctx.ttbr1Hi;
  const baddr = (hi & 0xffff) * TWO32 + (lo >>> 0);
  const align = 8 * 2 ** nbits;
  const tname = ctx.regime === Regime.EL10 ? 'EL1' : 'EL2';
  let bad: string | undefined;
  if (ctx.twoRanges && (tcrLo & (1 << (sel === 0 ? 7 : 23))) !== 0) bad = `TCR_${tname}.EPD${sel}=1: walks through TTBR${sel}_${tname} are disabled`;
  else if (tsz < 16 || tsz > 39) bad = `TCR_${tname}.T${sel}SZ = ${tsz} is out of range`;
  return {
    g, stride, start, inBits, nbits, base: Math.floor(baddr / align) * align,
    inputBase: sel === 0 ? 0n : (1n << 64n) - (1n << BigInt(Math.max(0, Math.min(64, inBits)))), bad,
  };
}

function s2Geometry(ctx: Ctx): Geometry {
  const vtcr = ctx.vtcr;
  const tsz = vtcr & 0x3f;
  const sl0 = (vtcr >>> 6) & 3;
  const g = tg0Bits((vtcr >>> 14) & 3);
  const stride = g - 3;
  const inBits = 64 - tsz;
  const start = g === 12 ? 2 - sl0 : 3 - sl0;
  const lsb = g + (3 - start) * stride;
  const nbits = inBits - lsb;
  const baddr = (ctx.vttbrHi & 0xffff) * TWO32 + (ctx.vttbrLo & 0xfffffffe);
  let bad: string | undefined;
  if (sl0 === 3) bad = 'VTCR_EL2.SL0 = 3 is reserved';
  else if (tsz < 16 || tsz > 39) bad = `VTCR_EL2.T0SZ = ${tsz} out of range`;
  else if (nbits < 1 || nbits > stride + 4) bad = `VTCR_EL2.SL0 inconsistent with T0SZ (${nbits} bits at the start level)`;
  const nb = bad ? 0 : nbits;
  const align = 8 * 2 ** nb;
  return { g, stride, start, inBits, nbits: nb, base: Math.floor(baddr / align) * align, inputBase: 0n, bad };
}

/** The root table(s) of a stage: Stage 1 of `regime` (default: the PE's current regime), or Stage 2. */
export function tableRoots(pe: PE, stage: 1 | 2, regimeName?: unknown): TableRootsResult {
  const ctx = ctxOf(pe, stage, regimeName);
  const regime = stage === 2 ? 'Stage 2 (EL1&0)' : REGIME_NAMES[ctx.regime];
  const s2on = ctx.regime === Regime.EL10 && ctx.s2;
  const out: TableRootsResult = { stage, regime, stage1Enabled: ctx.s1, stage2Enabled: s2on, roots: [] };
  if (stage === 2) {
    out.vmid = ctx.vmid;
    const geo = s2Geometry(ctx);
    const node: TableNodeRef = { stage: 2, level: geo.start, tableAddress: hx(geo.base), inputBase: '0x0', entries: 2 ** geo.nbits };
    out.roots.push({
      name: 'VTTBR_EL2', enabled: !geo.bad, reason: geo.bad, tableAddress: hx(geo.base), tablePa: hx(geo.base), level: geo.start,
      inputStart: '0x0', inputEnd: hx((1n << BigInt(geo.inBits)) - 1n), granule: 2 ** geo.g,
      concatenated: Math.max(1, 2 ** geo.nbits / 2 ** geo.stride), node,
    });
    return out;
  }
  const tname = ctx.regime === Regime.EL10 ? 'EL1' : 'EL2';
  for (const sel of (ctx.twoRanges ? [0, 1] : [0]) as (0 | 1)[]) {
    const geo = s1Geometry(ctx, sel);
    const node: TableNodeRef = {
      stage: 1, level: geo.start, tableAddress: hx(geo.base), inputBase: hx(geo.inputBase), entries: 2 ** geo.nbits,
      ttbr: sel, regime: REGIME_NAMES[ctx.regime],
    };
    const pa = ipaToPa(pe.mem, ctx, geo.base);
    out.roots.push({
      name: `TTBR${sel}_${tname}`, enabled: !geo.bad, reason: geo.bad ?? pa.error,
      tableAddress: hx(geo.base), tablePa: pa.pa !== undefined ? hx(pa.pa) : undefined, level: geo.start,
      inputStart: hx(geo.inputBase), inputEnd: hx(geo.inputBase + (1n << BigInt(geo.inBits)) - 1n), granule: 2 ** geo.g, node,
    });
  }
  return out;
}

const S1_AP_TEXT = ['EL1 RW, EL0 none', 'EL1 RW, EL0 RW', 'EL1 RO, EL0 none', 'EL1 RO, EL0 RO'];
const S2_AP_TEXT = ['none', 'ro', 'wo', 'rw'];
const SH_TEXT = ['non-shareable', 'reserved', 'outer shareable', 'inner shareable'];

/** Stage-2 MemAttr[3:0] as text (DDI0487 D8.5.5, FWB off). */
function s2MemAttrText(m: number): string {
  if ((m & 0xc) === 0) return ['Device-nGnRnE', 'Device-nGnRE', 'Device-nGRE', 'Device-GRE'][m & 3];
  const c = (n: number): string => ['?', 'NC', 'WT', 'WB'][n];
  return `Normal o${c(m >>> 2)} i${c(m & 3)}`;
}

function parseNum(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = v.trim().replace(/_/g, '');
    const n = /^0x[0-9a-f]+$/i.test(t) ? Number.parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : NaN;
    if (Number.isFinite(n)) return n;
  }
  throw new Error(`node.${what} is not an address: ${JSON.stringify(v)}`);
}

/**
 * The valid entries of one table. `node` is a handle from tableRoots or a previous tableNode
 * (`{level, tableAddress}` at least; inputBase, entries and ttbr default from the root geometry).
 */
export function tableNode(pe: PE, stage: 1 | 2, node: Partial<TableNodeRef> & { level: number; tableAddress: string | number }, regimeName?: unknown): TableNodeResult {
  const ctx = ctxOf(pe, stage, regimeName ?? node.regime);
  const level = node.level;
  if (!Number.isInteger(level) || level < 0 || level > 3) throw new Error(`node.level must be 0..3, got ${JSON.stringify(level)}`);
  const tableAddress = parseNum(node.tableAddress, 'tableAddress');
  const sel: 0 | 1 = node.ttbr === 1 ? 1 : 0;
  const geo = stage === 2 ? s2Geometry(ctx) : s1Geometry(ctx, sel);
  const isRoot = level === geo.start;
  // At most 16 concatenated granules (a bad handle or bad TxSZ must not make the loop huge).
  const count = Math.max(0, Math.min(2 ** (geo.stride + 4), typeof node.entries === 'number' ? node.entries : isRoot ? 2 ** geo.nbits : 2 ** geo.stride));
  const inputBase = node.inputBase !== undefined ? BigInt(typeof node.inputBase === 'number' ? node.inputBase : String(node.inputBase).trim().replace(/_/g, '')) : isRoot ? geo.inputBase : 0n;
  const ref: TableNodeRef = {
    stage, level, tableAddress: hx(tableAddress), inputBase: hx(inputBase), entries: count,
    ...(stage === 1 ? { ttbr: sel, regime: REGIME_NAMES[ctx.regime] } : {}),
  };
  const res: TableNodeResult = { stage, regime: stage === 2 ? 'Stage 2 (EL1&0)' : REGIME_NAMES[ctx.regime], node: ref, entries: [] };
  const s1UnderS2 = stage === 1 && ctx.regime === Regime.EL10 && ctx.s2;
  let tablePa = tableAddress;
  if (s1UnderS2) {
    const t = ipaToPa(pe.mem, ctx, tableAddress);
    if (t.pa === undefined) { res.error = t.error; return res; }
    tablePa = t.pa;
  }
  res.tablePa = hx(tablePa);
  const lsb = geo.g + (3 - level) * geo.stride;
  const span = 1n << BigInt(lsb);
  const g = geo.g;
  for (let i = 0; i < count; i++) {
    const descAddr = tableAddress + i * 8;
    let descPa = tablePa + i * 8;
    // A concatenated root spans several granules; under Stage 2 each granule is translated separately.
    if (s1UnderS2 && Math.floor(descAddr / 2 ** g) !== Math.floor(tableAddress / 2 ** g)) {
      const t = ipaToPa(pe.mem, ctx, descAddr);
      if (t.pa === undefined) continue;
      descPa = t.pa;
    }
    const d = peek(pe.mem, descPa);
    if (!d) { res.error = `descriptor at PA ${hx(descPa)} is not in RAM`; break; }
    const { lo, hi } = d;
    if ((lo & 1) === 0) continue;
    const inStart = inputBase + BigInt(i) * span;
    const entry: TableEntry = {
      index: i, inputStart: hx(inStart), inputEnd: hx(inStart + span - 1n), descAddress: hx(descAddr), descPa: hx(descPa),
      raw: hx16(hi, lo), decoded: { type: 'reserved' },
    };
    res.entries.push(entry);
    const dec = entry.decoded;
    if (level === 3 && (lo & 2) === 0) { dec.note = 'reserved level-3 encoding (faults like an invalid descriptor)'; continue; }
    const isTable = (lo & 2) !== 0 && level < 3;
    const shift = isTable ? g : lsb;
    const full = (hi & 0xffff) * TWO32 + (lo >>> 0);
    const oa = Math.floor(full / 2 ** shift) * 2 ** shift;
    dec.outputAddress = hx(oa);
    if (isTable) {
      dec.type = 'table';
      if (stage === 1) {
        dec.nsTable = hi >>> 31; dec.apTable = (hi >>> 29) & 3; dec.xnTable = (hi >>> 28) & 1; dec.pxnTable = (hi >>> 27) & 1;
        if (s1UnderS2) {
          const t = ipaToPa(pe.mem, ctx, oa);
          if (t.pa !== undefined) dec.outputPa = hx(t.pa); else dec.note = t.error;
        }
      }
      entry.child = {
        stage, level: level + 1, tableAddress: hx(oa), inputBase: hx(inStart), entries: 2 ** geo.stride,
        ...(stage === 1 ? { ttbr: sel, regime: REGIME_NAMES[ctx.regime] } : {}),
      };
      continue;
    }
    dec.type = level === 3 ? 'page' : 'block';
    if (level < minBlockLevel(g)) dec.note = `block descriptor not allowed at level ${level} with a ${1 << (g - 10)} KiB granule (translation fault)`;
    dec.af = (lo >>> 10) & 1;
    dec.sh = (lo >>> 8) & 3;
    dec.shText = SH_TEXT[dec.sh];
    dec.contiguous = (hi >>> 20) & 1;
    dec.dbm = (hi >>> 19) & 1;
    if (stage === 1) {
      dec.attrIndx = (lo >>> 2) & 7;
      const attr = mairAttr(ctx, dec.attrIndx);
      dec.mair = `0x${attr.toString(16).padStart(2, '0')}`;
      dec.memType = describeAttr(attr);
      dec.ns = (lo >>> 5) & 1;
      if (ctx.twoRanges) {
        dec.ap = (lo >>> 6) & 3;
        dec.apText = S1_AP_TEXT[dec.ap];
        dec.uxn = (hi >>> 22) & 1;
        dec.pxn = (hi >>> 21) & 1;
        dec.ng = (lo >>> 11) & 1;
      } else {
        dec.ap = (lo >>> 6) & 3;
        dec.apText = dec.ap & 2 ? 'RO' : 'RW';
        dec.xn = (hi >>> 22) & 1;
      }
    } else {
      dec.s2ap = (lo >>> 6) & 3;
      dec.s2apText = S2_AP_TEXT[dec.s2ap];
      dec.xn = (hi >>> 22) & 1;
      dec.memAttr = (lo >>> 2) & 0xf;
      dec.memType = s2MemAttrText(dec.memAttr);
    }
  }
  return res;
}

/** The armvirt/pageTables request body: roots without `node`, else the node's entries. */
export function pageTables(pe: PE, args: { stage?: unknown; regime?: unknown; node?: unknown }): TableRootsResult | TableNodeResult {
  const stage = args.stage === 2 || args.stage === '2' ? 2 : 1;
  if (args.node === undefined || args.node === null) return tableRoots(pe, stage, args.regime);
  const n = args.node as Partial<TableNodeRef> & { level: number; tableAddress: string | number };
  if (typeof n !== 'object' || n.tableAddress === undefined) throw new Error('node must be {level, tableAddress}');
  return tableNode(pe, (n.stage === 1 || n.stage === 2) && args.stage === undefined ? n.stage : stage, n, args.regime);
}
