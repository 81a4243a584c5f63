// The translation table walker: a pure function from a request (context, VA, access, EL) to a
// result or a fault record, with optional walk records for the debugger. It never changes guest
// state (no hardware Access-flag update: FEAT_HAFDBS is not implemented, so AF=0 faults), so the
// same code serves the CPU, AT and debugger walks (STYLE 5). FSC encoding lives in `faultFsc`.
//
// DDI0487 D8.2 (VMSAv8-64 translation), D8.3 (descriptor formats), D8.4 (memory attributes),
// D8.5 (permissions), D8.14 (fault priority); pseudocode AArch64.S1Walk / AArch64.S2Walk,
// AArch64.S1CheckPermissions / AArch64.S2CheckPermissions (DDI0487 J.a).
import { Acc } from '../exec';
import type { PhysicalMemory } from '../memory';
import { FSC } from '../syndrome';
import { type Ctx, PA_BITS, Regime, mairAttr } from './regime';

const TWO32 = 4294967296;

export type FaultType = 'translation' | 'accessFlag' | 'permission' | 'addressSize' | 'externalWalk';

export interface FaultRecord {
  type: FaultType;
  level: number;
  /** The fault happened at stage 2 (reported to EL2 with HPFAR_EL2). */
  stage2: boolean;
  /** Stage-2 fault on a stage-1 table access (ISS.S1PTW). */
  s1ptw: boolean;
  /** IPA for stage-2 faults (the descriptor's IPA for S1PTW faults). */
  ipa: number;
  /** DFSC/IFSC value. */
  fsc: number;
  why: string;
}

export type Decision = 'table' | 'block' | 'page' | 'fault';

/** One descriptor read of a walk, for the page-table panel and fault explanations. */
export interface WalkStep {
  stage: 1 | 2;
  level: number;
  /** Table base address (IPA for stage-1 tables when Stage 2 is on, else PA). */
  tableBase: number;
  index: number;
  /** Descriptor address, as tableBase (IPA or PA), and the PA it was read from. */
  descAddr: number;
  descPa: number;
  descLo: number;
  descHi: number;
  decision: Decision;
  why: string;
  /** For a stage-2 step made on behalf of a stage-1 table access. */
  forS1Table?: boolean;
}

export interface S1Info {
  level: number;
  /** log2 of the block/page size. */
  shift: number;
  /** AP[2:1] after APTable. */
  ap: number;
  uxn: boolean;
  pxn: boolean;
  ng: boolean;
  attrIndx: number;
  /** MAIR attribute byte for AttrIndx. */
  attr: number;
  sh: number;
  asid: number;
  /** TTBR used (0 or 1). */
  ttbr: number;
}

export interface S2Info {
  level: number;
  shift: number;
  s2ap: number;
  xn: boolean;
  memAttr: number;
  sh: number;
}

export interface WalkResult {
  fault: FaultRecord | null;
  /** IPA (= PA without stage 2; = VA without stage 1). */
  ipa: number;
  pa: number;
  s1: S1Info | null;
  s2: S2Info | null;
  steps: WalkStep[] | null;
}

export const FAULT_NAMES: Record<FaultType, string> = {
  translation: 'Translation fault', accessFlag: 'Access flag fault', permission: 'Permission fault',
  addressSize: 'Address size fault', externalWalk: 'Synchronous external abort on translation table walk',
};

/** DFSC/IFSC of a fault record (DDI0487 D17.2.37, ISS encoding for Data/Instruction Aborts). */
export function faultFsc(type: FaultType, level: number): number {
  switch (type) {
    case 'translation': return FSC.translation(level);
    case 'accessFlag': return FSC.accessFlag(level);
    case 'permission': return FSC.permission(level);
    case 'addressSize': return FSC.addressSize(level);
    default: return FSC.SYNC_EXTERNAL_WALK(level);
  }
}

function fault(type: FaultType, level: number, stage2: boolean, s1ptw: boolean, ipa: number, why: string): FaultRecord {
  return { type, level, stage2, s1ptw, ipa, fsc: faultFsc(type, level), why };
}

// ---------------------------------------------------------------- permissions

export const PERM_R = 1, PERM_W = 2, PERM_X = 4;

/**
 * Stage-1 permissions of a page for an access at `el` (AArch64.S1CheckPermissions, DDI0487
 * D8.5): AP[2:1] after APTable, UXN/PXN after the table XN bits, WXN, PAN and the rule that
 * memory writable at EL0 is never executable at EL1 (two-range regimes).
 */
export function s1PermMask(twoRanges: boolean, el: number, pan: boolean, wxn: boolean, ap: number, uxn: boolean, pxn: boolean): number {
  let r: boolean, w: boolean, xn: boolean;
  const userW = twoRanges && ap === 1;
  if (!twoRanges) {
    r = true; w = (ap & 2) === 0; xn = uxn;
  } else if (el === 0) {
    r = (ap & 1) !== 0; w = ap === 1; xn = uxn;
  } else {
    r = true; w = (ap & 2) === 0; xn = pxn || userW;
    // PAN forbids privileged data access to EL0-accessible memory; instruction fetch is unaffected.
    if (pan && (ap & 1)) { r = false; w = false; }
  }
  if (wxn && w) xn = true;
  return (r ? PERM_R : 0) | (w ? PERM_W : 0) | (xn ? 0 : PERM_X);
}

/** Stage-2 permissions: S2AP[0] read, S2AP[1] write, XN (AArch64 EL2: execute does not need read). */
export function s2PermMask(s2ap: number, xn: boolean): number {
  return ((s2ap & 1) ? PERM_R : 0) | ((s2ap & 2) ? PERM_W : 0) | (xn ? 0 : PERM_X);
}

export function accBit(acc: Acc): number { return acc === Acc.Read ? PERM_R : acc === Acc.Write ? PERM_W : PERM_X; }

// ---------------------------------------------------------------- descriptor reads

/** Scratch output of readDesc. */
const D = { lo: 0, hi: 0 };

/** Descriptor reads performed by walks so far (the cost model charges a walk step for each). */
export const walkReads = { count: 0 };

/** Reads a 64-bit little-endian descriptor from RAM without allocating pages; false if not RAM. */
function readDesc(mem: PhysicalMemory, pa: number): boolean {
  walkReads.count++;
  const off = pa - mem.ramBase;
  if (off < 0 || off + 8 > mem.ramSize) return false;
  const page = mem.pages[Math.floor(off / 4096)];
  const po = off % 4096;
  D.lo = page ? page.getUint32(po, true) : 0;
  D.hi = page ? page.getUint32(po + 4, true) : 0;
  return true;
}

/** Output address bits [47:shift] of a descriptor as a number. */
function oaOf(lo: number, hi: number, shift: number): number {
  const a = (hi & 0xffff) * TWO32 + (lo >>> 0);
  const unit = 2 ** shift;
  return Math.floor(a / unit) * unit;
}

const h = (n: number): string => `0x${n.toString(16)}`;

// ---------------------------------------------------------------- granules

/** log2 of the granule for TCR TG0 encodings (0 = 4K, 1 = 64K, 2 = 16K). */
function tg0Bits(tg: number): number { return tg === 1 ? 16 : tg === 2 ? 14 : 12; }
/** TG1 encodings (1 = 16K, 2 = 4K, 3 = 64K). */
function tg1Bits(tg: number): number { return tg === 1 ? 14 : tg === 3 ? 16 : 12; }

/** Lowest level at which a block descriptor is allowed (48-bit OA): 4K → 1, 16K/64K → 2. */
function minBlockLevel(g: number): number { return g === 12 ? 1 : 2; }

// ---------------------------------------------------------------- stage 2

interface S2Out { pa: number; info: S2Info | null; fault: FaultRecord | null }

/**
 * Stage-2 translation of `ipa` (AArch64.S2Walk). `s1ptw` marks a stage-1 table access: the
 * access is a read, HCR_EL2.PTW applies, and any fault is reported with S1PTW=1.
 */
export function stage2(mem: PhysicalMemory, ctx: Ctx, ipa: number, acc: Acc, s1ptw: boolean, steps: WalkStep[] | null): S2Out {
  const vtcr = ctx.vtcr;
  const tsz = vtcr & 0x3f;
  const sl0 = (vtcr >>> 6) & 3;
  const g = tg0Bits((vtcr >>> 14) & 3);
  const stride = g - 3;
  const ps = PA_BITS[(vtcr >>> 16) & 7];
  const outBits = Math.min(ps, ctx.paBits);
  const inBits = 64 - tsz;
  const fail = (type: FaultType, level: number, why: string): S2Out => ({ pa: 0, info: null, fault: fault(type, level, true, s1ptw, ipa, why) });
  // Start level from SL0 (DDI0487 D8.2.6 / VTCR_EL2.SL0); invalid or inconsistent settings are
  // CONSTRAINED UNPREDICTABLE: we choose a level 0 Translation fault, as QEMU does.
  let start = g === 12 ? 2 - sl0 : 3 - sl0;
  let bad = '';
  if (sl0 === 3) bad = 'VTCR_EL2.SL0 = 3 is reserved';
  else if (tsz < 16 || tsz > 39) bad = `VTCR_EL2.T0SZ = ${tsz} out of range`;
  else if (g === 12 && start === 0 && outBits <= 42) bad = 'SL0 selects level 0 but the PA size is at most 42 bits';
  else if (g !== 12 && (start === 0 || (start === 1 && outBits <= (g === 16 ? 42 : 40)))) bad = 'SL0 start level not supported for this granule and PA size';
  else if (inBits > outBits) bad = `IPA size ${inBits} bits exceeds the PA size ${outBits} bits`;
  else {
    const startBits = inBits - ((3 - start) * stride + g);
    if (startBits < 1 || startBits > stride + 4) bad = `VTCR_EL2.SL0 inconsistent with T0SZ (${startBits} bits at the start level)`;
  }
  if (bad) return fail('translation', 0, bad);
  if (ipa >= 2 ** inBits) return fail('translation', start, `IPA ${h(ipa)} above the ${inBits}-bit IPA space (VTCR_EL2.T0SZ=${tsz})`);
  const baddr = (ctx.vttbrHi & 0xffff) * TWO32 + (ctx.vttbrLo & 0xfffffffe);
  if (baddr >= 2 ** outBits) return fail('addressSize', 0, `VTTBR_EL2 base ${h(baddr)} above the ${outBits}-bit PA size`);
  // Concatenated tables at the start level: up to 16 tables, resolved as one index.
  let lsb = g + (3 - start) * stride;
  let nbits = inBits - lsb;
  let base = Math.floor(baddr / (8 * 2 ** nbits)) * (8 * 2 ** nbits);
  for (let level = start; ; level++) {
    const index = Math.floor(ipa / 2 ** lsb) % 2 ** nbits;
    const da = base + index * 8;
    const step: WalkStep | null = steps ? { stage: 2, level, tableBase: base, index, descAddr: da, descPa: da, descLo: 0, descHi: 0, decision: 'fault', why: '', forS1Table: s1ptw } : null;
    if (step) steps!.push(step);
    if (!readDesc(mem, da)) {
      if (step) step.why = 'descriptor address is not RAM';
      return fail('externalWalk', level, `stage-2 level ${level} descriptor at PA ${h(da)} is not in RAM`);
    }
    const lo = D.lo, hi = D.hi;
    if (step) { step.descLo = lo; step.descHi = hi; }
    if ((lo & 1) === 0 || (level === 3 && (lo & 2) === 0)) {
      if (step) step.why = (lo & 1) === 0 ? 'invalid descriptor' : 'reserved level-3 encoding';
      return fail('translation', level, `stage-2 level ${level} descriptor for IPA ${h(ipa)} is ${(lo & 1) === 0 ? 'invalid' : 'reserved'} (${h(hi * TWO32 + lo)}) in VMID ${ctx.vmid}'s tables at VTTBR_EL2 ${h(baddr)}`);
    }
    const isTable = (lo & 2) !== 0 && level < 3;
    if (!isTable && level < minBlockLevel(g)) {
      if (step) step.why = `block descriptor not allowed at level ${level}`;
      return fail('translation', level, `stage-2 block descriptor at level ${level} is not allowed with a ${1 << (g - 10)} KiB granule`);
    }
    const shift = isTable ? g : lsb;
    const oa = oaOf(lo, hi, shift);
    if (oa >= 2 ** outBits) {
      if (step) step.why = `output address ${h(oa)} above the PA size`;
      return fail('addressSize', level, `stage-2 level ${level} descriptor address ${h(oa)} above the ${outBits}-bit PA size`);
    }
    if (isTable) {
      if (step) { step.decision = 'table'; step.why = `next table at ${h(oa)}`; }
      base = oa;
      lsb -= stride;
      nbits = stride;
      continue;
    }
    const info: S2Info = { level, shift, s2ap: (lo >>> 6) & 3, xn: ((hi >>> 22) & 1) !== 0, memAttr: (lo >>> 2) & 0xf, sh: (lo >>> 8) & 3 };
    const pa = oa + ipa % 2 ** shift;
    if (step) { step.decision = level === 3 ? 'page' : 'block'; step.why = `${level === 3 ? 'page' : 'block'} ${h(oa)}, S2AP=${info.s2ap}, XN=${info.xn ? 1 : 0}, MemAttr=${h(info.memAttr)}`; }
    if ((lo & (1 << 10)) === 0) {
      if (step) step.why += ', AF=0';
      return fail('accessFlag', level, `stage-2 Access flag is 0 for IPA ${h(ipa)}`);
    }
    if (s1ptw) {
      // HCR_EL2.PTW: a stage-1 walk to stage-2 Device memory is a stage-2 permission fault. DDI0487 D8.4.6
      if (ctx.ptw && (info.memAttr & 0xc) === 0) return fail('permission', level, `stage-1 table at IPA ${h(ipa)} is Device memory at stage 2 and HCR_EL2.PTW=1`);
      if ((info.s2ap & 1) === 0) return fail('permission', level, `stage-1 table at IPA ${h(ipa)} not readable at stage 2 (S2AP=${info.s2ap})`);
    } else if ((s2PermMask(info.s2ap, info.xn) & accBit(acc)) === 0) {
      return fail('permission', level, `stage-2 ${accName(acc)} permission denied for IPA ${h(ipa)} (S2AP=${info.s2ap}, XN=${info.xn ? 1 : 0})`);
    }
    return { pa, info, fault: null };
  }
}

function accName(acc: Acc): string { return acc === Acc.Read ? 'read' : acc === Acc.Write ? 'write' : 'execute'; }

// ---------------------------------------------------------------- stage 1

/** VA bit range checks: are bits [top:from] of (lo, hi) all equal to `ones`? */
function bitsAre(lo: number, hi: number, from: number, top: number, ones: boolean): boolean {
  for (let b = from; b <= top; b++) {
    const bit = b < 32 ? (lo >>> b) & 1 : (hi >>> (b - 32)) & 1;
    if (bit !== (ones ? 1 : 0)) return false;
  }
  return true;
}

function tbiOf(ctx: Ctx, sel: number): boolean {
  if (ctx.regime === Regime.EL2) return (ctx.tcrLo & (1 << 20)) !== 0;
  return (ctx.tcrHi & (sel ? 1 << 6 : 1 << 5)) !== 0;
}

/**
 * Full translation of one access (AArch64.FullTranslate): stage 1 (with each table access
 * through stage 2), stage-1 Access flag and permissions, then stage 2 of the output address.
 * `checkPerms` = false skips the final permission checks (debugger "where does it map").
 */
export function translate(mem: PhysicalMemory, ctx: Ctx, vlo: number, vhi: number, acc: Acc, steps: WalkStep[] | null, checkPerms = true): WalkResult {
  const res: WalkResult = { fault: null, ipa: 0, pa: 0, s1: null, s2: null, steps };
  const sel = ctx.twoRanges ? (vhi >>> 23) & 1 : 0;
  const tbi = tbiOf(ctx, sel);
  const top = tbi ? 55 : 63;
  if (!ctx.s1) {
    // Stage 1 disabled: VA = IPA; bits above the PA size give a level 0 Address size fault
    // (DDI0487 D8.2.10, AArch64.S1DisabledOutput). TBI still applies.
    if (!bitsAre(vlo, vhi, ctx.paBits, top, false)) {
      res.fault = fault('addressSize', 0, false, false, 0, `stage 1 is off and VA bits [${top}:${ctx.paBits}] are not zero`);
      return res;
    }
    res.ipa = (vhi & 0xffff) * TWO32 + vlo;
  } else if (!stage1(mem, ctx, vlo, vhi, acc, sel, top, res, checkPerms)) {
    return res;
  }
  if (!ctx.s2 || ctx.s1only) { res.pa = res.ipa; return res; }
  const s2 = stage2(mem, ctx, res.ipa, acc, false, steps);
  if (s2.fault) {
    if (!checkPerms && s2.fault.type === 'permission') { res.pa = s2.pa; res.s2 = s2.info; return res; }
    res.fault = s2.fault;
    return res;
  }
  res.pa = s2.pa;
  res.s2 = s2.info;
  return res;
}

function stage1(mem: PhysicalMemory, ctx: Ctx, vlo: number, vhi: number, acc: Acc, sel: number, top: number, res: WalkResult, checkPerms: boolean): boolean {
  const steps = res.steps;
  const s1fail = (type: FaultType, level: number, why: string): false => { res.fault = fault(type, level, false, false, 0, why); return false; };
  const tcrLo = ctx.tcrLo;
  let tsz: number, g: number, epd: boolean, ttbrLo: number, ttbrHi: number;
  if (sel === 0) {
    tsz = tcrLo & 0x3f; g = tg0Bits((tcrLo >>> 14) & 3);
    epd = ctx.twoRanges && (tcrLo & (1 << 7)) !== 0;
    ttbrLo = ctx.ttbr0Lo; ttbrHi = ctx.ttbr0Hi;
  } else {
    tsz = (tcrLo >>> 16) & 0x3f; g = tg1Bits((tcrLo >>> 30) & 3);
    epd = (tcrLo & (1 << 23)) !== 0;
    ttbrLo = ctx.ttbr1Lo; ttbrHi = ctx.ttbr1Hi;
  }
  const ipsField = ctx.regime === Regime.EL2 ? (tcrLo >>> 16) & 7 : ctx.tcrHi & 7;
  const outBits = Math.min(PA_BITS[ipsField], ctx.paBits);
  const stride = g - 3;
  const inBits = 64 - tsz;
  const tname = ctx.regime === Regime.EL10 ? 'EL1' : 'EL2';
  // TxSZ outside 16..39 (no FEAT_TTST/LVA): CONSTRAINED UNPREDICTABLE, we choose a level 0
  // Translation fault (QEMU makes the same choice).
  if (tsz < 16 || tsz > 39) return s1fail('translation', 0, `TCR_${tname}.T${sel}SZ = ${tsz} is out of range`);
  // The VA must lie in the selected range: bits [top:inBits] all equal to the range select.
  if (!bitsAre(vlo, vhi, inBits, top, sel === 1)) {
    return s1fail('translation', 0, `VA is outside the ${inBits}-bit range of TTBR${sel}_${tname} (T${sel}SZ=${tsz})`);
  }
  if (epd) return s1fail('translation', 0, `TCR_${tname}.EPD${sel}=1: walks through TTBR${sel}_${tname} are disabled`);
  const start = 4 - Math.ceil((inBits - g) / stride);
  const baddr = (ttbrHi & 0xffff) * TWO32 + (ttbrLo >>> 0);
  if (baddr >= 2 ** outBits) return s1fail('addressSize', 0, `TTBR${sel}_${tname} base ${h(baddr)} above the ${outBits}-bit output size`);
  const va = (vhi & 0xffff) * TWO32 + (vlo >>> 0);
  const vaIn = va % 2 ** inBits;
  let lsb = g + (3 - start) * stride;
  let nbits = inBits - lsb;
  let base = Math.floor(baddr / (8 * 2 ** nbits)) * (8 * 2 ** nbits);
  // Hierarchical table attributes (DDI0487 D8.3.1.2): APTable[1] → no write, APTable[0] → no EL0,
  // XNTable/UXNTable, PXNTable. Single-range regimes have only APTable[1] and XNTable.
  let apTable = 0, xnTable = false, pxnTable = false;
  const asidFromTtbr1 = ctx.twoRanges && (tcrLo & (1 << 22)) !== 0;
  const asidHi = asidFromTtbr1 ? ctx.ttbr1Hi : ctx.ttbr0Hi;
  const asid = ctx.twoRanges ? (ctx.asid16 ? asidHi >>> 16 : (asidHi >>> 16) & 0xff) : 0;
  for (let level = start; ; level++) {
    const index = Math.floor(vaIn / 2 ** lsb) % 2 ** nbits;
    const da = base + index * 8;
    let dpa = da;
    const step: WalkStep | null = steps ? { stage: 1, level, tableBase: base, index, descAddr: da, descPa: da, descLo: 0, descHi: 0, decision: 'fault', why: '' } : null;
    if (ctx.s2) {
      // The stage-1 table access is itself translated by stage 2 (DDI0487 D8.2.3).
      const s2 = stage2(mem, ctx, da, Acc.Read, true, steps);
      if (s2.fault) {
        if (step) { step.why = `stage-2 fault on the table access: ${s2.fault.why}`; steps!.push(step); }
        res.fault = s2.fault;
        return false;
      }
      dpa = s2.pa;
    }
    if (step) { step.descPa = dpa; steps!.push(step); }
    if (!readDesc(mem, dpa)) {
      if (step) step.why = 'descriptor address is not RAM';
      return s1fail('externalWalk', level, `level ${level} descriptor at PA ${h(dpa)} is not in RAM`);
    }
    const lo = D.lo, hi = D.hi;
    if (step) { step.descLo = lo; step.descHi = hi; }
    if ((lo & 1) === 0 || (level === 3 && (lo & 2) === 0)) {
      if (step) step.why = (lo & 1) === 0 ? 'invalid descriptor' : 'reserved level-3 encoding';
      return s1fail('translation', level, `level ${level} descriptor for VA ${h(va)} is ${(lo & 1) === 0 ? 'invalid' : 'reserved'} (${h(hi * TWO32 + lo)}) in the tables at TTBR${sel}_${tname} ${h(baddr)}`);
    }
    const isTable = (lo & 2) !== 0 && level < 3;
    if (!isTable && level < minBlockLevel(g)) {
      if (step) step.why = `block descriptor not allowed at level ${level}`;
      return s1fail('translation', level, `block descriptor at level ${level} is not allowed with a ${1 << (g - 10)} KiB granule`);
    }
    const shift = isTable ? g : lsb;
    const oa = oaOf(lo, hi, shift);
    if (oa >= 2 ** outBits) {
      if (step) step.why = `output address ${h(oa)} above the output size`;
      return s1fail('addressSize', level, `level ${level} descriptor address ${h(oa)} above the ${outBits}-bit output size`);
    }
    if (isTable) {
      apTable |= (hi >>> 29) & 3;
      if (ctx.twoRanges) { xnTable = xnTable || ((hi >>> 28) & 1) !== 0; pxnTable = pxnTable || ((hi >>> 27) & 1) !== 0; }
      else xnTable = xnTable || ((hi >>> 28) & 1) !== 0;
      if (step) { step.decision = 'table'; step.why = `next table at ${h(oa)}${(hi >>> 27) & 0x1f ? ` (table attrs ${h((hi >>> 27) & 0x1f)})` : ''}`; }
      base = oa;
      lsb -= stride;
      nbits = stride;
      continue;
    }
    // Block or page: lower attributes [11:2], upper [63:52].
    let ap = (lo >>> 6) & 3;
    if (apTable & 2) ap |= 2;                         // APTable[1]: read-only
    if (ctx.twoRanges && (apTable & 1)) ap &= ~1;     // APTable[0]: no EL0 access
    const uxn = ((hi >>> 22) & 1) !== 0 || xnTable;
    const pxn = ctx.twoRanges && (((hi >>> 21) & 1) !== 0 || pxnTable);
    const attrIndx = (lo >>> 2) & 7;
    const info: S1Info = {
      level, shift, ap, uxn, pxn, ng: ctx.twoRanges && ((lo >>> 11) & 1) !== 0, attrIndx, attr: mairAttr(ctx, attrIndx),
      sh: (lo >>> 8) & 3, asid, ttbr: sel,
    };
    res.s1 = info;
    res.ipa = oa + vaIn % 2 ** shift;
    if (step) {
      step.decision = level === 3 ? 'page' : 'block';
      step.why = `${step.decision} ${h(oa)}, AP=${ap}, ${ctx.twoRanges ? `UXN=${uxn ? 1 : 0} PXN=${pxn ? 1 : 0}` : `XN=${uxn ? 1 : 0}`}, AttrIndx=${attrIndx}, nG=${info.ng ? 1 : 0}`;
    }
    // Access flag before permissions (DDI0487 D8.14, fault prioritization).
    if ((lo & (1 << 10)) === 0) {
      if (step) step.why += ', AF=0';
      return s1fail('accessFlag', level, `Access flag is 0 in the level ${level} descriptor for VA ${h(va)}`);
    }
    if (checkPerms) {
      const mask = s1PermMask(ctx.twoRanges, ctx.el, ctx.pan && acc !== Acc.Fetch, (ctx.sctlr & (1 << 19)) !== 0, ap, uxn, pxn);
      if ((mask & accBit(acc)) === 0) {
        return s1fail('permission', level, `EL${ctx.el} ${accName(acc)} not permitted by the level ${level} descriptor (AP=${ap}${ctx.twoRanges ? `, UXN=${uxn ? 1 : 0}, PXN=${pxn ? 1 : 0}` : `, XN=${uxn ? 1 : 0}`}${ctx.pan ? ', PSTATE.PAN=1' : ''}${ctx.sctlr & (1 << 19) ? ', WXN=1' : ''})`);
      }
    }
    return true;
  }
}
