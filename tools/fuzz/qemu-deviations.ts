// Differences between QEMU 7.2 and the simulator that the fuzzer has found and explained.
//
// QEMU_DEVIATIONS: QEMU contradicts the Arm ARM; each entry cites the rule, and `explains` also
// checks that the simulator gives the architectural answer (so a regression in ours is not hidden).
// KNOWN_ISSUES: the simulator is wrong and not fixed yet; listed with the reason, so the CI sample
// stays green without hiding them (the fuzzer prints how many cases each entry explained).
import type { GenCase } from './cases';
import { registerFields } from './cases';
import type { FieldDiff, Record_ } from './compare';
import { IN } from './layout';

const STORE_EXCL_RE = /^(stxr|stlxr)[bh]?$|^(stxp|stlxp)$/;

export interface Deviation {
  id: string;
  /** What differs and why, with the Arm ARM rule (DDI0487) QEMU or we contradict. */
  reason: string;
  /** True when this entry accounts for every differing field of the case. */
  explains(c: GenCase, diffs: readonly FieldDiff[], ours: Record_, qemu: Record_, cpu: string): boolean;
}

const EC = (esr: bigint | undefined): number => Number(((esr ?? 0n) >> 26n) & 0x3fn);

/** The address a load/store case accessed: its base register's input value. */
function baseAddress(c: GenCase): bigint {
  const n = registerFields(c.rec, c.word).Rn;
  return n === 31 ? c.input[IN.SP] : c.input[IN.X + (n ?? 0)];
}

/** Only these fields differ. */
const only = (diffs: readonly FieldDiff[], names: readonly string[]): boolean => diffs.every((d) => names.includes(d.name));

/** An alignment fault (data abort, DFSC 0x21) on `addr` as the architecture gives it. */
function isAlignmentFault(r: Record_, addr: bigint, wnr: boolean): boolean {
  const esr = r.get('esr')!;
  const ec = EC(esr);
  return (r.get('kind')! & 0x10n) !== 0n && (ec === 0x24 || ec === 0x25) && (esr & 0x3fn) === 0x21n
    && ((esr >> 6n) & 1n) === (wnr ? 1n : 0n) && r.get('far') === addr;
}

export const QEMU_DEVIATIONS: Deviation[] = [
  {
    id: 'fcvtz-scalar-half-fixed-sign-extends',
    reason: 'FCVTZS/FCVTZU (scalar, fixed-point) on half precision (FEAT_FP16, immh = 001x): QEMU 7.2 writes '
      + 'the 16-bit result sign-extended to 32 bits (fcvtzs h21, h12, #5 of -0.16: 0xfffffffb). DDI0487 K.a '
      + 'C7.2 FCVTZS (vector, fixed-point), scalar: esize = 16, Elem[result, 0, 16] = FPToFixed(..., 16) and '
      + 'V[d] = result with datasize 16, so bits [127:16] of Vd are zero (0xfffb).',
    explains(c, diffs, ours, qemu) {
      const m = c.rec.spec.mnemonic;
      if (c.rec.spec.cls !== 'asisdshf' || (m !== 'fcvtzs' && m !== 'fcvtzu')) return false;
      const immh = (c.word >>> 19) & 15;
      if (immh < 2 || immh > 3) return false;
      const v = `v${c.word & 31}`;
      const o = ours.get(v)!, q = qemu.get(v)!;
      return only(diffs, [v]) && o < 0x10000n && q === (o | (o & 0x8000n ? 0xffff0000n : 0n));
    },
  },
  {
    id: 'stxr-misaligned-no-reservation',
    reason: 'Store-exclusive to a misaligned address: QEMU 7.2 returns status 1 when no reservation is held '
      + 'without checking alignment. DDI0487 K.a AArch64.ExclusiveMonitorsPass() checks alignment first '
      + '("if !aligned then ... AArch64.Abort(address, AlignmentFault(...))") and only then the monitor, so '
      + 'the architecture gives an alignment fault (DFSC 0b100001, WnR 1, FAR = the address).',
    explains(c, diffs, ours, qemu) {
      if (!STORE_EXCL_RE.test(c.rec.spec.mnemonic)) return false;
      const size = c.word >>> 30;
      const pair = ((c.word >>> 21) & 1) === 1;
      const bytes = pair ? (size === 3 ? 16n : 8n) : 1n << BigInt(size);
      const addr = baseAddress(c);
      if (addr % bytes === 0n) return false;
      const rs = registerFields(c.rec, c.word).Rs!;
      return qemu.get('kind') === 1n && (rs === 31 || qemu.get(`x${rs}`) === 1n) && isAlignmentFault(ours, addr, true)
        && only(diffs, ['kind', 'esr', 'elr', 'far', `x${rs}`]);
    },
  },
];

// Empty: the last entry (max without FEAT_FP16, FPCR.FZ16 RES0) went away when max gained FEAT_FP16.
export const KNOWN_ISSUES: Deviation[] = [];

/** The first entry (QEMU deviation, then known issue) that explains the case, if any. */
export function explain(c: GenCase, diffs: readonly FieldDiff[], ours: Record_, qemu: Record_, cpu: string): { entry: Deviation; kind: 'qemu' | 'ours' } | undefined {
  for (const e of QEMU_DEVIATIONS) if (e.explains(c, diffs, ours, qemu, cpu)) return { entry: e, kind: 'qemu' };
  for (const e of KNOWN_ISSUES) if (e.explains(c, diffs, ours, qemu, cpu)) return { entry: e, kind: 'ours' };
  return undefined;
}

export { EC };
