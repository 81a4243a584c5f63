// SYS instruction operations (op0 = 1) as data: TLB maintenance, address translation,
// data- and instruction-cache maintenance. Each record says who may execute it and which
// HCR_EL2 control traps it (DDI0487 C5.3 / D17.2.48 HCR_EL2). Effects are delegated to the
// MMU (TLBI, AT) through hooks on the PE; caches are not modelled (decoded instructions are
// kept coherent with memory), so cache maintenance only checks permissions.
import { Flow } from '../exec';
import type { PE } from '../pe';
import { Access, sysregKey } from '../sysregs';
import { advance } from './common';

export type SysOpKind = 'tlbi' | 'at' | 'dc' | 'ic';

export interface SysOp {
  name: string;
  kind: SysOpKind;
  access(pe: PE): Access;
  exec(pe: PE, lo: number, hi: number): number;
}

const HCR_TSW = 1 << 22, HCR_TPCP = 1 << 23, HCR_TPU = 1 << 24, HCR_TTLB = 1 << 25, HCR_TDZ = 1 << 28;

/** EL1 operations: UNDEFINED at EL0, trapped to EL2 by `hcrTrap` at EL1. */
function el1Op(hcrTrap: number) {
  return (pe: PE): Access => {
    if (pe.el === 0) return Access.Undefined;
    if (pe.el === 1 && (pe.hcrLo() & hcrTrap)) return Access.TrapEL2;
    return Access.Ok;
  };
}
/** EL2 operations: UNDEFINED below EL2. */
const el2Op = (pe: PE): Access => (pe.el < 2 ? Access.Undefined : Access.Ok);
/** Operations EL0 may use when an SCTLR_EL1 bit allows it (UCI for cache maintenance, DZE for DC ZVA). */
function el0Op(sctlrBit: number, hcrTrap: number) {
  return (pe: PE): Access => {
    if (pe.el === 0 && !pe.tge() && !(pe.sctlrEl1() & sctlrBit)) return Access.TrapEL1;
    if (pe.el < 2 && !pe.tge() && (pe.hcrLo() & hcrTrap)) return Access.TrapEL2;
    return Access.Ok;
  };
}

const nop = (): number => Flow.Next;

export const SYS_OPS = new Map<number, SysOp>();

function def(name: string, kind: SysOpKind, op1: number, crn: number, crm: number, op2: number, access: (pe: PE) => Access,
  exec: (pe: PE, lo: number, hi: number) => number): void {
  SYS_OPS.set(sysregKey(1, op1, crn, crm, op2), { name, kind, access, exec });
}

// TLB maintenance: the MMU module installs pe.board.tlbi.
function tlbi(name: string) {
  return (pe: PE, lo: number, hi: number): number => { pe.board.tlbi?.(pe, name, lo, hi); return Flow.Next; };
}
const TLBI_EL1: [string, number, number][] = [
  ['VMALLE1IS', 3, 0], ['VAE1IS', 3, 1], ['ASIDE1IS', 3, 2], ['VAAE1IS', 3, 3], ['VALE1IS', 3, 5], ['VAALE1IS', 3, 7],
  ['VMALLE1', 7, 0], ['VAE1', 7, 1], ['ASIDE1', 7, 2], ['VAAE1', 7, 3], ['VALE1', 7, 5], ['VAALE1', 7, 7],
];
for (const [n, crm, op2] of TLBI_EL1) def(`TLBI ${n}`, 'tlbi', 0, 8, crm, op2, el1Op(HCR_TTLB), tlbi(n));
const TLBI_EL2: [string, number, number][] = [
  ['IPAS2E1IS', 0, 1], ['IPAS2LE1IS', 0, 5], ['ALLE2IS', 3, 0], ['VAE2IS', 3, 1], ['ALLE1IS', 3, 4], ['VALE2IS', 3, 5], ['VMALLS12E1IS', 3, 6],
  ['IPAS2E1', 4, 1], ['IPAS2LE1', 4, 5], ['ALLE2', 7, 0], ['VAE2', 7, 1], ['ALLE1', 7, 4], ['VALE2', 7, 5], ['VMALLS12E1', 7, 6],
];
for (const [n, crm, op2] of TLBI_EL2) def(`TLBI ${n}`, 'tlbi', 4, 8, crm, op2, el2Op, tlbi(n));

// Address translation: the MMU module installs pe.board.at; without it, translation is flat.
function at(name: string) {
  return (pe: PE, lo: number, hi: number): number => {
    if (pe.board.at) pe.board.at(pe, name, lo, hi);
    else { const par = pe.slotPAR_EL1 * 2; pe.sys[par] = (lo & 0xfffff000) >>> 0; pe.sys[par + 1] = hi & 0xffff; }
    return Flow.Next;
  };
}
const AT_EL1: [string, number][] = [['S1E1R', 0], ['S1E1W', 1], ['S1E0R', 2], ['S1E0W', 3]];
for (const [n, op2] of AT_EL1) def(`AT ${n}`, 'at', 0, 7, 8, op2, el1Op(0), at(n));
const AT_EL2: [string, number][] = [['S1E2R', 0], ['S1E2W', 1], ['S12E1R', 4], ['S12E1W', 5], ['S12E0R', 6], ['S12E0W', 7]];
for (const [n, op2] of AT_EL2) def(`AT ${n}`, 'at', 4, 7, 8, op2, el2Op, at(n));

// Data cache maintenance.
def('DC IVAC', 'dc', 0, 7, 6, 1, el1Op(HCR_TPCP), nop);
def('DC ISW', 'dc', 0, 7, 6, 2, el1Op(HCR_TSW), nop);
def('DC CSW', 'dc', 0, 7, 10, 2, el1Op(HCR_TSW), nop);
def('DC CISW', 'dc', 0, 7, 14, 2, el1Op(HCR_TSW), nop);
def('DC CVAC', 'dc', 3, 7, 10, 1, el0Op(1 << 26, HCR_TPCP), nop);
def('DC CVAU', 'dc', 3, 7, 11, 1, el0Op(1 << 26, HCR_TPU), nop);
def('DC CIVAC', 'dc', 3, 7, 14, 1, el0Op(1 << 26, HCR_TPCP), nop);
// DC ZVA zeroes a naturally aligned block of 4 << DCZID_EL0.BS bytes (64 here). DDI0487 C5.3.12
def('DC ZVA', 'dc', 3, 7, 4, 1, el0Op(1 << 14, HCR_TDZ), (pe, lo, hi) => {
  const base = (lo & ~63) >>> 0;
  for (let i = 0; i < 64; i += 8) pe.write64((base + i) >>> 0, hi, 0, 0, 0);
  return Flow.Next;
});
// Instruction cache maintenance.
def('IC IALLUIS', 'ic', 0, 7, 1, 0, el1Op(HCR_TPU), nop);
def('IC IALLU', 'ic', 0, 7, 5, 0, el1Op(HCR_TPU), nop);
def('IC IVAU', 'ic', 3, 7, 5, 1, el0Op(1 << 26, HCR_TPU), nop);

export { advance };
