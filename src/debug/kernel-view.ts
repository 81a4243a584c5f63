// Kernel-aware view of a running Linux guest, for the debugger: which translation regime a PE is
// in (host kernel, nVHE hyp, a KVM guest, user space), kernel symbols for any PC (kallsyms.ts),
// function breakpoints by symbol, frame-record unwinding through the kernel, and the `comm` of
// the task a PE runs. Everything is read without side effects (debug translations, RAM peeks).
//
// Addresses: kernel VAs (0xffff8000_0800_0000 and up) do not fit a JS number exactly, so this
// module works in bigint and hands numbers only to code that needs physical addresses.
//
// How a symbol becomes an address in each regime (Linux 6.1):
//   - the kernel image's VA: kallsyms_relative_base + offset. The base is a relocated quad: 0 in
//     the Image file, written by the kernel when it relocates itself (__relocate_kernel in
//     arch/arm64/kernel/head.S), so it is read from guest memory at the table's physical address;
//   - its PA: the Image is loaded at `loadPa` and never moves physically; the offset of the base
//     in the Image comes from the header's branch to primary_entry (the second instruction of the
//     arm64 Image header, Documentation/arm64/booting.rst) and primary_entry's kallsyms offset;
//   - nVHE hyp (EL2 with HCR_EL2.E2H = 0): KVM maps its hyp text at kern_hyp_va() of the text's
//     linear-map alias (arch/arm64/kvm/arm.c init_hyp_mode(), kvm_ksym_ref()); kern_hyp_va()
//     keeps the linear-map VA's low bits and puts a tag above them (arch/arm64/kvm/va_layout.c
//     compute_layout()), so hyp VA − PA is one constant over the hyp's image mappings. We read
//     it from the hyp's own tables: VBAR_EL2 (the host vector's hyp VA while the host runs)
//     translated through TTBR0_EL2. A breakpoint is placed on the PA, so it holds in every regime that maps it.
import type { Machine } from '../sim/machine';
import type { PE } from '../sim/pe';
import { SP } from '../sim/pe';
import { requiredSlot } from '../sim/sysregs';
import { Kallsyms, KallsymsError } from './kallsyms';

export type Regime = 'kernel' | 'hyp' | 'guest' | 'user';

/** A kernel symbol at an address: name, distance from its start. */
export interface KernelName { name: string; delta: number }

/** One frame of a kernel call stack (innermost first); `pc` is the call instruction for callers. */
export interface KernelFrame { pc: bigint; name: string }

const M64 = (1n << 64n) - 1n;
const slotVBAR_EL2 = requiredSlot('VBAR_EL2');

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** Strips a pointer-authentication code from a return address (48-bit VAs: bit 55 selects TTBR0/TTBR1). */
function stripPac(v: bigint): bigint {
  return (v >> 55n) & 1n ? v | 0xffff000000000000n : v & 0x0000ffffffffffffn;
}

interface MmuLike { translate(pe: PE, va: { lo: number; hi: number }, o: object): { ok: boolean; pa: number } }

export class KernelView {
  /** Image offset of kallsyms_relative_base's address: image PA = loadPa + baseFileOffset + symbol offset. */
  private readonly baseFileOffset: number;
  private commOffset: number | undefined;

  constructor(private readonly machine: Machine, readonly syms: Kallsyms, private readonly loadPa: number, image: Uint8Array) {
    const pe = syms.lookup('primary_entry');
    const b = new DataView(image.buffer, image.byteOffset, image.byteLength).getUint32(4, true);
    // B imm26 (C6.2.26): 0b000101 in bits 31:26, offset = imm26 * 4 from the instruction at +4.
    if (pe === undefined || (b >>> 26) !== 0b000101) throw new KallsymsError('the Image header does not branch to primary_entry: cannot place kallsyms offsets in the image');
    this.baseFileOffset = 4 + ((b & 0x3ffffff) << 2) - pe.offset;
  }

  /** The view of a booted Image, or a reason why there is none. */
  static forImage(machine: Machine, image: Uint8Array, loadPa: number): KernelView | string {
    try {
      return new KernelView(machine, Kallsyms.fromImage(image), loadPa, image);
    } catch (e) {
      if (e instanceof KallsymsError) return e.message;
      throw e;
    }
  }

  // ---------------------------------------------------------------- regimes and addresses

  /** The translation regime `pe` runs in at `el` (DDI0487 D8.1: EL2, EL2&0 with E2H, EL1&0 with or without Stage 2). */
  regime(pe: PE, el = pe.el): Regime {
    const hcr = pe.hcrLo(), e2h = (pe.hcrHi() & 0x4) !== 0, tge = (hcr & (1 << 27)) !== 0;
    if (el === 2) return e2h ? 'kernel' : 'hyp';
    if ((hcr & 1) !== 0 && !(e2h && tge)) return 'guest';
    return el === 1 ? 'kernel' : 'user';
  }

  /** kallsyms_relative_base as the running kernel relocated it; undefined before it has. */
  base(): bigint | undefined {
    const b = this.peek64(this.loadPa + this.syms.layout.relativeBase);
    return b === undefined || b === 0n ? undefined : b;
  }

  /** PA of a symbol's first instruction (the Image is loaded at loadPa and never moves). */
  symbolPa(offset: number): number { return this.loadPa + this.baseFileOffset + offset; }

  /**
   * Hyp VA − PA of nVHE KVM's image mappings (see the header), once KVM has installed its vectors.
   * Only a PE whose VBAR_EL2 is the host vector counts: while a guest runs on Spectre-v2 affected
   * CPUs (Cortex-A57), VBAR_EL2 is a slot of __bp_harden_hyp_vecs mapped at a private hyp VA
   * (arch/arm64/kvm/arm.c kvm_init_vector_slots(), create_hyp_exec_mappings()), another offset.
   */
  hypDelta(): bigint | undefined {
    const host = this.syms.lookup('__kvm_nvhe___kvm_hyp_host_vector');
    for (const pe of this.machine.pes) {
      if (this.regime(pe, 2) !== 'hyp' || (pe.sys[requiredSlot('SCTLR_EL2') * 2] & 1) === 0) continue;
      const vbar = BigInt(pe.sys[slotVBAR_EL2 * 2 + 1]) << 32n | BigInt(pe.sys[slotVBAR_EL2 * 2]);
      const pa = this.toPa(pe, vbar, 2);
      if (pa !== undefined && (host === undefined || pa === this.symbolPa(host.offset))) return vbar - BigInt(pa);
    }
    return undefined;
  }

  /** PA of `va` in the regime of `el`, or undefined when it does not translate. */
  toPa(pe: PE, va: bigint, el = pe.el): number | undefined {
    const mmu = (this.machine as unknown as { mmu?: MmuLike }).mmu;
    if (!mmu) return Number(va);
    try {
      const r = mmu.translate(pe, { lo: Number(va & 0xffffffffn), hi: Number((va >> 32n) & 0xffffffffn) }, { el, access: 'read', checkPermissions: false });
      return r.ok ? r.pa : undefined;
    } catch {
      return undefined;
    }
  }

  private peek64(pa: number): bigint | undefined {
    let v = 0n;
    for (let i = 7; i >= 0; i--) {
      const b = this.machine.mem.peek(pa + i);
      if (b === undefined) return undefined;
      v = (v << 8n) | BigInt(b);
    }
    return v;
  }

  /** 8 bytes at `va` in the regime of `el` (a debug read: no TLB fill, no access flag). */
  read64(pe: PE, va: bigint, el: number): bigint | undefined {
    if ((va & 7n) !== 0n) return undefined;
    const pa = this.toPa(pe, va, el);
    return pa === undefined ? undefined : this.peek64(pa);
  }

  /** The 4 bytes at `va` in the regime of `el` as a little-endian word (an instruction fetch as the debugger sees it). */
  fetch32(pe: PE, va: bigint, el = pe.el): number | undefined {
    const pa = this.toPa(pe, va, el);
    if (pa === undefined) return undefined;
    let w = 0;
    for (let i = 3; i >= 0; i--) {
      const b = this.machine.mem.peek(pa + i);
      if (b === undefined) return undefined;
      w = (w << 8) | b;
    }
    return w >>> 0;
  }

  private read32(pe: PE, va: bigint, el: number): number | undefined {
    const v = this.read64(pe, va & ~7n, el);
    return v === undefined ? undefined : Number((va & 4n ? v >> 32n : v) & 0xffffffffn);
  }

  // ---------------------------------------------------------------- symbols

  /** The kallsyms offset of an image PA, when it lies inside the named part of the image. */
  private offsetOfPa(pa: number): number | undefined {
    const off = pa - this.loadPa - this.baseFileOffset;
    return off >= 0 && off < this.syms.end + 0x10000 ? off : undefined;
  }

  /** Kernel symbol at `va` as `pe` sees it at `el`: a kernel VA directly, any other regime through its PA. Guests and user space get none. */
  symbolize(pe: PE, va: bigint, el = pe.el): KernelName | undefined {
    const regime = this.regime(pe, el);
    if (regime === 'guest' || regime === 'user') return undefined;
    const base = this.base();
    let off: number | undefined;
    if (base !== undefined && va >= base && va - base < BigInt(this.syms.end + 0x10000)) off = Number(va - base);
    else {
      const pa = this.toPa(pe, va, el);
      if (pa !== undefined) off = this.offsetOfPa(pa);
    }
    if (off === undefined) return undefined;
    const at = this.syms.at(off);
    return at && { name: at.sym.name, delta: at.delta };
  }

  /** "name+0x14" (or the address when nothing is named there). */
  nameOf(pe: PE, va: bigint, el = pe.el): string {
    const s = this.symbolize(pe, va, el);
    return s ? (s.delta ? `${s.name}+0x${s.delta.toString(16)}` : s.name) : hex(va);
  }

  /**
   * Where a function breakpoint on `name` goes: the symbol's PA, and its VA in the regime it runs
   * in (the hyp VA for nVHE `__kvm_nvhe_*` code once KVM is up, else the kernel VA once the kernel
   * has relocated itself; undefined before).
   */
  resolve(name: string): { pa: number; va?: bigint; regime: 'kernel' | 'hyp' } | undefined {
    const s = this.syms.lookup(name);
    if (s === undefined) return undefined;
    const pa = this.symbolPa(s.offset);
    if (name.startsWith('__kvm_nvhe_')) {
      const d = this.hypDelta();
      return { pa, va: d === undefined ? undefined : (BigInt(pa) + d) & M64, regime: 'hyp' };
    }
    const base = this.base();
    return { pa, va: base === undefined ? undefined : base + BigInt(s.offset), regime: 'kernel' };
  }

  // ---------------------------------------------------------------- call stacks

  /**
   * Frame-record unwinding (AAPCS64 6.2.3: X29 points at {previous X29, LR}) in the regime of `el`,
   * from the PC, FP and LR of a context. A function that has not pushed its record yet has its
   * caller only in LR: it is shown when LR follows a call and lies in another function.
   */
  unwind(pe: PE, pc: bigint, fp: bigint, lr: bigint, el: number, isCall: (w: number) => boolean): KernelFrame[] {
    const out: KernelFrame[] = [{ pc, name: this.nameOf(pe, pc, el) }];
    const rets: bigint[] = [];
    let f = fp;
    for (let depth = 0; depth < 64 && f !== 0n && (f & 7n) === 0n; depth++) {
      const next = this.read64(pe, f, el);
      const ret = this.read64(pe, f + 8n, el);
      if (next === undefined || ret === undefined || ret === 0n) break;
      rets.push(stripPac(ret));
      if (next <= f) break;
      f = next;
    }
    const fn = (a: bigint): string | undefined => this.symbolize(pe, a, el)?.name;
    const l = stripPac(lr);
    if (l !== 0n && (l & 3n) === 0n && l !== rets[0]) {
      const w = this.read32(pe, l - 4n, el);
      if (w !== undefined && isCall(w) && fn(l - 4n) !== fn(pc)) rets.unshift(l);
    }
    for (const r of rets) out.push({ pc: r - 4n, name: this.nameOf(pe, r - 4n, el) });
    return out;
  }

  // ---------------------------------------------------------------- tasks

  /**
   * `current` of a PE in the host kernel: arm64 keeps the running task_struct in SP_EL0 while in
   * the kernel (arch/arm64/include/asm/current.h, kernel_entry in entry.S). Undefined in user
   * space, in a guest, or in the nVHE hyp (its SP_EL0 then holds whatever the world switch left).
   */
  current(pe: PE): bigint | undefined {
    if (this.regime(pe) !== 'kernel') return undefined;
    const lo = pe.spsel ? pe.spBank[0] : pe.x[SP * 2];
    const hi = pe.spsel ? pe.spBank[1] : pe.x[SP * 2 + 1];
    const v = BigInt(hi >>> 0) << 32n | BigInt(lo >>> 0);
    return (v >> 48n) === 0xffffn ? v : undefined;
  }

  /**
   * The comm (task_struct.comm, char[16]) of the task a PE runs, when `current` can be read (not
   * in the nVHE hyp: the world switch has put the guest's SP_EL0 there). Its offset in task_struct is found, not assumed: an idle task's comm
   * is "swapper/<cpu>" (init/main.c, kernel/smpboot.c idle_init), so the offset is where a PE's
   * current task holds "swapper/<that PE's number>" NUL-padded, when some PE is idle.
   */
  comm(pe: PE): string | undefined {
    const cur = this.current(pe);
    if (cur === undefined) return undefined;
    this.learnCommOffset();
    return this.commOffset === undefined ? undefined : this.readComm(pe, cur + BigInt(this.commOffset));
  }

  /** The EL whose regime maps the kernel: EL2 under VHE (E2H = 1), else EL1. */
  private kernelEl(pe: PE): number { return (pe.hcrHi() & 0x4) !== 0 ? 2 : 1; }

  private readComm(pe: PE, va: bigint): string | undefined {
    const el = this.kernelEl(pe);
    const a = this.read64(pe, va & ~7n, el), b = this.read64(pe, (va & ~7n) + 8n, el), c = this.read64(pe, (va & ~7n) + 16n, el);
    if (a === undefined || b === undefined || c === undefined) return undefined;
    const bytes: number[] = [];
    for (const w of [a, b, c]) for (let i = 0n; i < 64n; i += 8n) bytes.push(Number((w >> i) & 0xffn));
    const s = bytes.slice(Number(va & 7n), Number(va & 7n) + 16);
    const end = s.indexOf(0);
    if (end <= 0) return undefined;
    const text = String.fromCharCode(...s.slice(0, end));
    return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
  }

  private learnCommOffset(): void {
    if (this.commOffset !== undefined) return;
    for (const pe of this.machine.pes) {
      const cur = this.current(pe);
      if (cur === undefined) continue;
      const want = `swapper/${pe.id}`;
      // task_struct is a few KiB; comm sits well inside the first 8 KiB on 6.1 arm64 builds.
      for (let off = 0; off < 8192; off += 8) {
        const w = this.read64(pe, cur + BigInt(off), this.kernelEl(pe));
        if (w === undefined) break;
        if (Number(w & 0xffn) !== 0x73 /* 's' */) continue;
        if (this.readComm(pe, cur + BigInt(off)) === want) { this.commOffset = off; return; }
      }
    }
  }
}
