// Special-purpose registers backed by PSTATE and the banked stack pointers.
// DDI0487 C5.2 (Special-purpose registers).
import { Access, enc, type SysRegDef } from './types';
// Cyclic (index.ts assembles this table): used only inside the FPCR write hook, after start-up.
import { requiredSlot } from './index';

/** FPCR.FZ16 (bit 19), RES0 without FEAT_FP16; FPCR's word in pe.sys, looked up on first use. */
const FZ16 = 1 << 19;
let fpcrWord = -1;
function clearFz16(sys: Uint32Array): void {
  if (fpcrWord < 0) fpcrWord = requiredSlot('FPCR') * 2;
  sys[fpcrWord] = (sys[fpcrWord] & ~FZ16) >>> 0;
}

export const SPECIAL_REGS: SysRegDef[] = [
  {
    name: 'NZCV', ...enc('3,3,4,2,0'), group: 'Special', long: 'Condition Flags', minEL: 0,
    read: (pe) => { pe.srLo = ((pe.nf << 31) | (pe.zf << 30) | (pe.cf << 29) | (pe.vf << 28)) >>> 0; pe.srHi = 0; },
    write: (pe, lo) => { pe.nf = (lo >>> 31) & 1; pe.zf = (lo >>> 30) & 1; pe.cf = (lo >>> 29) & 1; pe.vf = (lo >>> 28) & 1; },
    fields: [{ name: 'N', lsb: 31, width: 1 }, { name: 'Z', lsb: 30, width: 1 }, { name: 'C', lsb: 29, width: 1 }, { name: 'V', lsb: 28, width: 1 }],
  },
  {
    name: 'DAIF', ...enc('3,3,4,2,1'), group: 'Special', long: 'Interrupt Mask Bits', minEL: 0,
    // EL0 access is allowed only with SCTLR_EL1.UMA = 1 (bit 9). DDI0487 C5.2.2
    access: (pe) => (pe.el === 0 && !pe.el0UmaEnabled() ? Access.TrapEL1 : Access.Ok),
    read: (pe) => { pe.srLo = pe.daif << 6; pe.srHi = 0; },
    write: (pe, lo) => { pe.daif = (lo >>> 6) & 0xf; return true; },
    fields: [{ name: 'D', lsb: 9, width: 1 }, { name: 'A', lsb: 8, width: 1 }, { name: 'I', lsb: 7, width: 1 }, { name: 'F', lsb: 6, width: 1 }],
  },
  {
    name: 'CurrentEL', ...enc('3,0,4,2,2'), group: 'Special', long: 'Current Exception Level', minEL: 1, readOnly: true,
    read: (pe) => { pe.srLo = pe.el << 2; pe.srHi = 0; },
    fields: [{ name: 'EL', lsb: 2, width: 2 }],
  },
  {
    name: 'SPSel', ...enc('3,0,4,2,0'), group: 'Special', long: 'Stack Pointer Select', minEL: 1,
    read: (pe) => { pe.srLo = pe.spsel; pe.srHi = 0; },
    write: (pe, lo) => { pe.setSpSel(lo & 1); },
    fields: [{ name: 'SP', lsb: 0, width: 1 }],
  },
  {
    name: 'SP_EL0', ...enc('3,0,4,1,0'), group: 'Special', long: 'Stack Pointer (EL0)', minEL: 1,
    // Accessible only when SP_EL0 is not the current stack pointer (SPSel=1). DDI0487 C5.2.14
    access: (pe) => (pe.spsel === 0 ? Access.Undefined : Access.Ok),
    read: (pe) => pe.readBankedSp(0),
    write: (pe, lo, hi) => pe.writeBankedSp(0, lo, hi),
  },
  {
    name: 'SP_EL1', ...enc('3,4,4,1,0'), group: 'Special', long: 'Stack Pointer (EL1)', minEL: 2,
    read: (pe) => pe.readBankedSp(1),
    write: (pe, lo, hi) => pe.writeBankedSp(1, lo, hi),
  },
  {
    name: 'FPCR', ...enc('3,3,4,4,0'), group: 'FP', long: 'Floating-point Control Register', minEL: 0,
    // Writable: AHP, DN, FZ, RMode, Stride, Len (DDI0487 C5.2.8; Stride/Len are kept because our
    // models implement AArch32 at EL0/EL1, as QEMU does), and FZ16 with FEAT_FP16 (RES0 without
    // it: the write hook clears it). The trap enables IOE..IDE are RAZ/WI (our cores do not trap
    // floating-point exceptions), and bits [63:32] are RES0 (found by the fuzzer against QEMU, tools/fuzz).
    access: (pe) => pe.fpAccess(), wmask: 0x07ff0000, wmaskHi: 0,
    write: (pe) => { if (!pe.features.fp16) clearFz16(pe.sys); },
    fields: [{ name: 'AHP', lsb: 26, width: 1 }, { name: 'DN', lsb: 25, width: 1 }, { name: 'FZ', lsb: 24, width: 1 }, { name: 'RMode', lsb: 22, width: 2 }, { name: 'FZ16', lsb: 19, width: 1 }],
  },
  {
    name: 'FPSR', ...enc('3,3,4,4,1'), group: 'FP', long: 'Floating-point Status Register', minEL: 0,
    access: (pe) => pe.fpAccess(), wmask: 0xf800009f, wmaskHi: 0, // bits [63:32] RES0
    fields: [{ name: 'N', lsb: 31, width: 1 }, { name: 'Z', lsb: 30, width: 1 }, { name: 'C', lsb: 29, width: 1 }, { name: 'V', lsb: 28, width: 1 }, { name: 'QC', lsb: 27, width: 1 }],
  },
];
