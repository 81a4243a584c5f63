// Helpers for GIC/timer unit tests: system-register accesses through the descriptor table with
// the same checks as MRS/MSR (minEL, read-only/write-only, access hook), without executing code.
import { Access, SYSREGS, sysregSlot } from '../../../../src/sim/sysregs';
import type { PE } from '../../../../src/sim/pe';
import { Machine, type MachineOptions } from '../../../../src/sim/machine';

export function def(name: string) {
  const s = sysregSlot(name);
  if (s < 0) throw new Error(`no register ${name}`);
  return { d: SYSREGS[s], slot: s };
}

function check(pe: PE, name: string, write: boolean): Access {
  const { d } = def(name);
  if (pe.el < d.minEL) return Access.Undefined;
  if (write ? d.readOnly : d.writeOnly) return Access.Undefined;
  return d.access ? d.access(pe, write) : Access.Ok;
}

/** MRS: the value, or the Access code that prevented the read. */
export function mrs(pe: PE, name: string): bigint | { trap: Access } {
  const a = check(pe, name, false);
  if (a !== Access.Ok) return { trap: a };
  const { d, slot } = def(name);
  if (d.read) { d.read(pe); return (BigInt(pe.srHi) << 32n) | BigInt(pe.srLo); }
  return (BigInt(pe.sys[2 * slot + 1]) << 32n) | BigInt(pe.sys[2 * slot]);
}

/** MRS that must succeed. */
export function rd(pe: PE, name: string): bigint {
  const v = mrs(pe, name);
  if (typeof v !== 'bigint') throw new Error(`${name} read trapped (${v.trap})`);
  return v;
}

/** MSR: Access.Ok when written. */
export function msr(pe: PE, name: string, v: bigint | number): Access {
  const a = check(pe, name, true);
  if (a !== Access.Ok) return a;
  const { d, slot } = def(name);
  const u = BigInt.asUintN(64, BigInt(v));
  const mlo = d.wmask ?? 0xffffffff, mhi = d.wmaskHi ?? 0xffffffff;
  const lo = ((pe.sys[2 * slot] & ~mlo) | (Number(u & 0xffffffffn) & mlo)) >>> 0;
  const hi = ((pe.sys[2 * slot + 1] & ~mhi) | (Number(u >> 32n) & mhi)) >>> 0;
  pe.sys[2 * slot] = lo;
  pe.sys[2 * slot + 1] = hi;
  d.write?.(pe, lo, hi);
  return Access.Ok;
}

export function wr(pe: PE, name: string, v: bigint | number): void {
  const a = msr(pe, name, v);
  if (a !== Access.Ok) throw new Error(`${name} write trapped (${a})`);
}

/** A machine with PEs powered on at `el` (entry in RAM). */
export function machine(opts: MachineOptions = {}, el = 2): Machine {
  const m = new Machine({ entryEL: el as 1 | 2, ...opts });
  m.resetCpu(0x40000000);
  for (const p of m.pes) { p.reset(0x40000000, 0, el); p.power = 0; }
  return m;
}

export const HCR_RW = 1 << 31, HCR_FMO = 1 << 3, HCR_IMO = 1 << 4;

/** Sets HCR_EL2 (low word). */
export function setHcr(pe: PE, lo: number): void { pe.sys[pe.slotHCR_EL2 * 2] = lo >>> 0; }
