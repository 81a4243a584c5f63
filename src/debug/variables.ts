// Scopes and variables of the Variables view, built from the machine's state and from the
// system-register descriptor table (SYSREGS: name, group, long name, fields), which is the single
// source of register names, layouts and grouping. Every register with fields has them as
// children (HCR_EL2.VM, ESR_EL2.EC with the exception class name, …); setVariable writes
// registers and fields through the same table (raw storage write + the descriptor's write hook).
import type { DebugProtocol } from '@vscode/debugprotocol';
import { PowerState, SP, type PE } from '../sim/pe';
import { SYSREGS, sysregSlot, type FieldDef, type SysRegDef, type SysRegGroup } from '../sim/sysregs';
import { EC_NAMES } from '../sim/syndrome';
import type { SavedContext } from './runtime';
import { children, show, writeValue, type CValue, type FrameReader } from './c-variables';

const M64 = (1n << 64n) - 1n;

// ---------------------------------------------------------------- register access (side-effect free)

/**
 * Computed reads that must not run for the debugger: acknowledging an interrupt (ICC_IAR*,
 * ICV_IAR*, GICC-style IAR) changes GIC state. Such registers show their stored value.
 */
function readHasSideEffects(d: SysRegDef): boolean {
  return /IAR/.test(d.name);
}

export function readSysreg(pe: PE, slot: number): bigint {
  const d = SYSREGS[slot];
  if (d.read && !readHasSideEffects(d)) {
    const lo0 = pe.srLo, hi0 = pe.srHi;
    try {
      d.read(pe);
      return (BigInt(pe.srHi >>> 0) << 32n) | BigInt(pe.srLo >>> 0);
    } catch {
      // fall back to storage
    } finally {
      pe.srLo = lo0; pe.srHi = hi0;
    }
  }
  return (BigInt(pe.sys[2 * slot + 1] >>> 0) << 32n) | BigInt(pe.sys[2 * slot] >>> 0);
}

/** Debugger write: stores the value (all bits), then runs the descriptor's write hook for its side effects. */
export function writeSysreg(pe: PE, slot: number, value: bigint): void {
  const d = SYSREGS[slot];
  const v = value & M64;
  const lo = Number(v & 0xffffffffn) >>> 0, hi = Number(v >> 32n) >>> 0;
  pe.sys[2 * slot] = lo;
  pe.sys[2 * slot + 1] = hi;
  if (d.write) d.write(pe, lo, hi);
  pe.updateRegime();
}

export function fieldValue(v: bigint, f: FieldDef): bigint {
  return (v >> BigInt(f.lsb)) & ((1n << BigInt(f.width)) - 1n);
}

export function withField(v: bigint, f: FieldDef, fv: bigint): bigint {
  const mask = ((1n << BigInt(f.width)) - 1n) << BigInt(f.lsb);
  return ((v & ~mask) | ((fv << BigInt(f.lsb)) & mask)) & M64;
}

function getX(pe: PE, n: number): bigint {
  return (BigInt(pe.x[2 * n + 1] >>> 0) << 32n) | BigInt(pe.x[2 * n] >>> 0);
}

function setX(pe: PE, n: number, v: bigint): void {
  pe.x[2 * n] = Number(v & 0xffffffffn) >>> 0;
  pe.x[2 * n + 1] = Number((v >> 32n) & 0xffffffffn) >>> 0;
}

function bankedSp(pe: PE, el: number): bigint {
  pe.readBankedSp(el);
  return (BigInt(pe.srHi >>> 0) << 32n) | BigInt(pe.srLo >>> 0);
}

/**
 * Resolves a register-like name for expressions: x0–x30, w0–w30, xzr, sp, pc, lr, fp, el,
 * vmid, SP_EL0–SP_EL2, any system register by name, and `REG.FIELD` (HCR_EL2.VM).
 */
export function lookupRegister(pe: PE, name: string): bigint | undefined {
  const n = name.toLowerCase();
  let m = /^([xw])(\d+)$/.exec(n);
  if (m) {
    const i = Number(m[2]);
    if (i > 30) return undefined;
    const v = getX(pe, i);
    return m[1] === 'w' ? v & 0xffffffffn : v;
  }
  switch (n) {
    case 'xzr': case 'wzr': return 0n;
    case 'sp': return getX(pe, SP);
    case 'wsp': return getX(pe, SP) & 0xffffffffn;
    case 'pc': return (BigInt(pe.pcHi) << 32n) | BigInt(pe.pcLo);
    case 'lr': return getX(pe, 30);
    case 'fp': return getX(pe, 29);
    case 'el': return BigInt(pe.el);
    case 'vmid': return BigInt(pe.vmid());
    case 'cpu': return BigInt(pe.id);
    case 'sp_el0': return bankedSp(pe, 0);
    case 'sp_el1': return bankedSp(pe, 1);
    case 'sp_el2': return bankedSp(pe, 2);
    default: break;
  }
  const dot = name.indexOf('.');
  const reg = dot < 0 ? name : name.slice(0, dot);
  const slot = sysregSlot(reg);
  if (slot < 0) return undefined;
  const v = readSysreg(pe, slot);
  if (dot < 0) return v;
  const fname = name.slice(dot + 1).toUpperCase();
  const f = SYSREGS[slot].fields?.find((x) => x.name.toUpperCase() === fname);
  return f ? fieldValue(v, f) : undefined;
}

// ---------------------------------------------------------------- formatting

export const hex64 = (v: bigint): string => `0x${(v & M64).toString(16).padStart(16, '0')}`;

export function formatField(reg: SysRegDef | undefined, f: FieldDef, v: bigint): string {
  const n = Number(v);
  const named = f.values?.[n] ?? (f.name === 'EC' && reg && /^ESR_/.test(reg.name) ? EC_NAMES[n] : undefined);
  const base = f.width === 1 ? String(n) : `0x${v.toString(16)}`;
  return named ? `${base} (${named})` : base;
}

/** PSTATE fields as laid out in SPSR_ELx. DDI0487 C5.2.18 */
const PSTATE_FIELDS: { name: string; lsb: number; width: number; desc: string }[] = [
  { name: 'N', lsb: 31, width: 1, desc: 'Negative' }, { name: 'Z', lsb: 30, width: 1, desc: 'Zero' },
  { name: 'C', lsb: 29, width: 1, desc: 'Carry' }, { name: 'V', lsb: 28, width: 1, desc: 'Overflow' },
  { name: 'PAN', lsb: 22, width: 1, desc: 'Privileged Access Never' }, { name: 'SS', lsb: 21, width: 1, desc: 'Software Step' },
  { name: 'IL', lsb: 20, width: 1, desc: 'Illegal Execution state' },
  { name: 'D', lsb: 9, width: 1, desc: 'Debug mask' }, { name: 'A', lsb: 8, width: 1, desc: 'SError mask' },
  { name: 'I', lsb: 7, width: 1, desc: 'IRQ mask' }, { name: 'F', lsb: 6, width: 1, desc: 'FIQ mask' },
  { name: 'EL', lsb: 2, width: 2, desc: 'Exception level' }, { name: 'SPSel', lsb: 0, width: 1, desc: 'Stack pointer select (1 = SP_ELx)' },
];

const MODE_NAMES: Record<number, string> = { 0: 'EL0t', 4: 'EL1t', 5: 'EL1h', 8: 'EL2t', 9: 'EL2h' };

// ---------------------------------------------------------------- scopes

/** Scopes of system registers: which descriptor groups each shows. */
export const SYSREG_SCOPES: { name: string; groups: SysRegGroup[]; expensive: boolean }[] = [
  { name: 'System registers: EL1', groups: ['EL1', 'EL0', 'Special', 'FP'], expensive: false },
  { name: 'System registers: EL2', groups: ['EL2'], expensive: false },
  { name: 'Virtualization', groups: ['Virtualization'], expensive: false },
  { name: 'Timer', groups: ['Timer'], expensive: true },
  { name: 'GIC CPU interface', groups: ['GIC'], expensive: true },
  { name: 'Self-hosted debug', groups: ['Debug'], expensive: true },
  { name: 'Performance Monitors', groups: ['PMU'], expensive: true },
  { name: 'ID and other registers', groups: ['ID', 'Cache'], expensive: true },
];

type Node =
  | { t: 'general'; pe: PE; ctx?: SavedContext }
  | { t: 'pstate'; pe: PE; ctx?: SavedContext }
  | { t: 'group'; pe: PE; groups: SysRegGroup[] }
  | { t: 'reg'; pe: PE; slot: number }
  /** A C scope (values) or the children of a C value (parent), read through the frame's reader. */
  | { t: 'c'; pe: PE; reader: FrameReader; values?: CValue[]; parent?: CValue; key: string };

/** The C scopes of a frame (c-frame.ts): a key unique to the frame, its reader, and its variables. */
export interface CScopes {
  key: string;
  reader: FrameReader;
  arguments: CValue[];
  locals: CValue[];
  globals: CValue[];
}

export class VariableStore {
  private nodes = new Map<number, Node>();
  private byKey = new Map<string, number>();
  private next = 1;

  /** Forget all references (after the machine ran). */
  reset(): void {
    this.nodes.clear();
    this.byKey.clear();
    this.next = 1;
  }

  private ref(key: string, n: Node): number {
    let r = this.byKey.get(key);
    if (r === undefined) {
      r = this.next++;
      this.byKey.set(key, r);
      this.nodes.set(r, n);
    } else if (n.t === 'c') {
      this.nodes.set(r, n); // a C value read again (after a write) replaces the old one
    }
    return r;
  }

  /** Scopes of a frame: live registers, or the registers saved at an exception entry (ctx). */
  scopes(pe: PE, ctx?: SavedContext, ctxIndex = 0, c?: CScopes): DebugProtocol.Scope[] {
    const out: DebugProtocol.Scope[] = [];
    // C programs with DWARF: the frame's arguments and locals come first, then the globals.
    if (c) {
      const scope = (name: string, hint: string | undefined, tag: string, values: CValue[]): void => {
        const key = `${tag}:${pe.id}:${c.key}`;
        out.push({ name, presentationHint: hint, variablesReference: this.ref(key, { t: 'c', pe, reader: c.reader, values, key }), namedVariables: values.length, expensive: false });
      };
      if (c.arguments.length > 0 || c.locals.length > 0) {
        scope('Arguments', 'arguments', 'ca', c.arguments);
        scope('Locals', 'locals', 'cl', c.locals);
      }
      if (c.globals.length > 0) scope('Globals', undefined, 'cg', c.globals);
    }
    if (ctx) {
      out.push({ name: `General (EL${ctx.from}, at exception entry)`, presentationHint: 'registers', variablesReference: this.ref(`g:${pe.id}:${ctxIndex}`, { t: 'general', pe, ctx }), expensive: false });
      out.push({ name: `PSTATE (EL${ctx.from}, from SPSR_EL${ctx.to})`, presentationHint: 'registers', variablesReference: this.ref(`p:${pe.id}:${ctxIndex}`, { t: 'pstate', pe, ctx }), expensive: false });
    } else {
      out.push({ name: 'General', presentationHint: 'registers', variablesReference: this.ref(`g:${pe.id}`, { t: 'general', pe }), expensive: false });
      out.push({ name: 'PSTATE', presentationHint: 'registers', variablesReference: this.ref(`p:${pe.id}`, { t: 'pstate', pe }), expensive: false });
    }
    for (const s of SYSREG_SCOPES) {
      if (!SYSREGS.some((d) => s.groups.includes(d.group))) continue;
      out.push({ name: s.name, presentationHint: 'registers', variablesReference: this.ref(`s:${pe.id}:${s.name}`, { t: 'group', pe, groups: s.groups }), expensive: s.expensive });
    }
    return out;
  }

  /** Whether `ref` is a C container (setVariable parses values in the C type there). */
  isC(ref: number): boolean {
    return this.nodes.get(ref)?.t === 'c';
  }

  /** Whether `ref` names a container of the current stop (references die when the program resumes). */
  has(ref: number): boolean {
    return this.nodes.has(ref);
  }

  variables(ref: number, page: { start?: number; count?: number; filter?: 'indexed' | 'named' } = {}): DebugProtocol.Variable[] {
    const n = this.nodes.get(ref);
    if (!n) return [];
    switch (n.t) {
      case 'general': return this.general(n.pe, n.ctx);
      case 'pstate': return this.pstate(n.pe, n.ctx);
      case 'group': return this.group(n.pe, n.groups);
      case 'reg': return this.fields(n.pe, n.slot);
      case 'c': return this.cValues(n, page);
    }
  }

  /** A reference to C values shown as children (an evaluated expression's members, elements or pointee). */
  cChildren(pe: PE, values: CValue[], reader: FrameReader): number {
    const key = `ce:${pe.id}:${this.next}`;
    return this.ref(key, { t: 'c', pe, reader, values, key });
  }

  /** A reference to the members or elements of a C value (an evaluated struct or array), read on expansion. */
  cExpand(pe: PE, value: CValue, reader: FrameReader): number {
    const key = `ce:${pe.id}:${this.next}`;
    return this.ref(key, { t: 'c', pe, reader, parent: value, key });
  }

  /** The values of a C node: a scope's variables, or a value's children (array elements by page). */
  private cList(n: Extract<Node, { t: 'c' }>, page: { start?: number; count?: number; filter?: 'indexed' | 'named' } = {}): CValue[] {
    if (n.values) return page.filter === 'indexed' ? [] : n.values;
    const p = n.parent!;
    const count = show(p).count;
    if (count && count.indexed > 0 && page.filter === 'named') return [];
    if (count && count.named > 0 && page.filter === 'indexed') return [];
    return children(p, n.reader, page.start ?? 0, page.count && page.count > 0 ? page.count : undefined);
  }

  private cValues(n: Extract<Node, { t: 'c' }>, page: { start?: number; count?: number; filter?: 'indexed' | 'named' }): DebugProtocol.Variable[] {
    return this.cList(n, page).map((v) => {
      const s = show(v, n.reader);
      const key = `${n.key}/${v.name}`;
      return {
        name: v.name, value: s.value, type: s.type, evaluateName: v.expr,
        variablesReference: s.count ? this.ref(key, { t: 'c', pe: n.pe, reader: n.reader, parent: v, key }) : 0,
        indexedVariables: s.count && s.count.indexed > 0 ? s.count.indexed : undefined,
        namedVariables: s.count && s.count.named > 0 ? s.count.named : undefined,
        memoryReference: v.address !== undefined ? hex64(v.address) : undefined,
        presentationHint: v.store ? undefined : { attributes: ['readOnly'] },
      };
    });
  }

  /** Writes a C variable or member (text parsed in its type); returns its new shown value. */
  setCVariable(ref: number, name: string, text: string, number: (text: string) => bigint): { value: string; invalidateAll: boolean } {
    const n = this.nodes.get(ref);
    if (!n || n.t !== 'c') throw new Error('this variable no longer exists');
    const list = n.values ?? children(n.parent!, n.reader, Number(/^\[(\d+)\]$/.exec(name)?.[1] ?? 0), /^\[\d+\]$/.test(name) ? 1 : undefined);
    const v = list.find((x) => x.name === name);
    if (!v) throw new Error(`no variable ${name} here`);
    const after = writeValue(v, text, n.reader, number);
    // A scope keeps its values: replace the written one, so the view shows the new value.
    if (n.values) n.values[n.values.indexOf(v)] = after;
    this.rereadC();
    return { value: show(after, n.reader).value, invalidateAll: true };
  }

  /** After a write, every C value shown reads its bytes again (a member written changes its struct, an alias, …). */
  private rereadC(): void {
    const again = (v: CValue, reader: FrameReader): CValue => {
      if (!v.bytes || v.bits) return v;
      if (v.store?.kind === 'memory') return { ...v, bytes: reader.memory(v.store.address, v.bytes.length) ?? v.bytes };
      if (v.store?.kind === 'register') {
        const r = reader.register(v.store.reg);
        if (r !== undefined && v.bytes.length <= 8) return { ...v, bytes: Uint8Array.from({ length: v.bytes.length }, (_, i) => Number((r >> BigInt(8 * i)) & 0xffn)) };
      }
      return v;
    };
    for (const n of this.nodes.values()) {
      if (n.t !== 'c') continue;
      if (n.values) n.values.forEach((v, i) => { n.values![i] = again(v, n.reader); });
      if (n.parent) n.parent = again(n.parent, n.reader);
    }
  }

  private general(pe: PE, ctx?: SavedContext): DebugProtocol.Variable[] {
    const out: DebugProtocol.Variable[] = [];
    const src = ctx ? ctx.regs : pe.x;
    const get = (i: number): bigint => (BigInt(src[2 * i + 1] >>> 0) << 32n) | BigInt(src[2 * i] >>> 0);
    for (let i = 0; i <= 30; i++) {
      const v = get(i);
      const name = i === 29 ? 'X29 (FP)' : i === 30 ? 'X30 (LR)' : `X${i}`;
      out.push({ name, value: hex64(v), variablesReference: 0, evaluateName: ctx ? undefined : `x${i}`, memoryReference: hex64(v), presentationHint: ctx ? { attributes: ['readOnly'] } : undefined });
    }
    const sp = get(31); // SP is at slot 31 in a saved context, slot 32 (SP) live
    const spv = ctx ? sp : getX(pe, SP);
    out.push({ name: 'SP', value: hex64(spv), variablesReference: 0, evaluateName: ctx ? undefined : 'sp', memoryReference: hex64(spv) });
    const pc = ctx ? BigInt(ctx.insnAddr) : (BigInt(pe.pcHi) << 32n) | BigInt(pe.pcLo);
    out.push({ name: 'PC', value: hex64(pc), variablesReference: 0, evaluateName: ctx ? undefined : 'pc', memoryReference: hex64(pc) });
    return out;
  }

  private pstateValue(pe: PE): number {
    return ((pe.nf << 31) | (pe.zf << 30) | (pe.cf << 29) | (pe.vf << 28) | (pe.pan << 22) | (pe.ss << 21) | (pe.il << 20)
      | (pe.daif << 6) | (pe.el << 2) | pe.spsel) >>> 0;
  }

  private pstate(pe: PE, ctx?: SavedContext): DebugProtocol.Variable[] {
    const v = ctx ? ctx.spsr : this.pstateValue(pe);
    const out: DebugProtocol.Variable[] = [{
      name: ctx ? `SPSR_EL${ctx.to}` : 'PSTATE', value: `0x${v.toString(16).padStart(8, '0')} (${MODE_NAMES[v & 0x1f] ?? `M=${v & 0x1f}`}${pe.power === PowerState.Off ? ', off' : ''}${!ctx && pe.waiting ? ', WFI' : ''})`,
      variablesReference: 0, presentationHint: { attributes: ['readOnly'] },
    }];
    for (const f of PSTATE_FIELDS) {
      const fv = (v >>> f.lsb) & ((1 << f.width) - 1);
      out.push({ name: f.name, value: String(fv), type: f.desc, variablesReference: 0, evaluateName: undefined, presentationHint: ctx ? { attributes: ['readOnly'] } : undefined });
    }
    return out;
  }

  private group(pe: PE, groups: SysRegGroup[]): DebugProtocol.Variable[] {
    const out: DebugProtocol.Variable[] = [];
    SYSREGS.forEach((d, slot) => {
      if (!groups.includes(d.group) || d.writeOnly || d.e2hAliasOf !== undefined || d.reservedId) return;
      if (d.group === 'Special' && ['NZCV', 'DAIF', 'CurrentEL', 'SPSel'].includes(d.name)) return; // in PSTATE
      let value: string;
      try { value = hex64(readSysreg(pe, slot)); } catch { value = '<unavailable>'; }
      out.push({
        name: d.name, value, type: d.long, evaluateName: d.name,
        variablesReference: d.fields && d.fields.length > 0 ? this.ref(`r:${pe.id}:${slot}`, { t: 'reg', pe, slot }) : 0,
        presentationHint: d.readOnly ? { attributes: ['readOnly'] } : undefined,
      });
    });
    if (groups.includes('EL2')) out.push({ name: 'SP_EL2', value: hex64(bankedSp(pe, 2)), type: 'Stack Pointer (EL2)', evaluateName: 'SP_EL2', variablesReference: 0 });
    return out;
  }

  private fields(pe: PE, slot: number): DebugProtocol.Variable[] {
    const d = SYSREGS[slot];
    const v = readSysreg(pe, slot);
    return [...(d.fields ?? [])].sort((a, b) => b.lsb - a.lsb).map((f) => ({
      name: f.name, value: formatField(d, f, fieldValue(v, f)),
      type: `[${f.lsb + f.width - 1}:${f.lsb}]${f.desc ? ` ${f.desc}` : ''}`,
      evaluateName: `${d.name}.${f.name}`, variablesReference: 0,
      presentationHint: d.readOnly ? { attributes: ['readOnly'] } : undefined,
    }));
  }

  /** Writes `name` in container `ref`; returns the new displayed value. Throws Error with a message. */
  setVariable(ref: number, name: string, value: bigint): { value: string; invalidateAll: boolean } {
    const n = this.nodes.get(ref);
    if (!n) throw new Error('this variable no longer exists');
    const pe = n.pe;
    switch (n.t) {
      case 'c': throw new Error('C variables are written with setCVariable');
      case 'general': {
        if (n.ctx) throw new Error('registers saved at exception entry are read-only');
        const key = name.split(' ')[0].toUpperCase();
        const m = /^X(\d+)$/.exec(key);
        if (m && Number(m[1]) <= 30) { setX(pe, Number(m[1]), value & M64); return { value: hex64(value & M64), invalidateAll: false }; }
        if (key === 'SP') { setX(pe, SP, value & M64); return { value: hex64(value & M64), invalidateAll: true }; }
        if (key === 'PC') {
          if ((value & 3n) !== 0n) throw new Error('PC must be 4-byte aligned');
          pe.pcLo = Number(value & 0xffffffffn) >>> 0; pe.pcHi = Number((value >> 32n) & 0xffffffffn) >>> 0;
          return { value: hex64(value), invalidateAll: true };
        }
        throw new Error(`unknown register ${name}`);
      }
      case 'pstate': {
        if (n.ctx) throw new Error('a saved PSTATE is read-only here: edit SPSR_ELx instead');
        const f = PSTATE_FIELDS.find((x) => x.name.toUpperCase() === name.toUpperCase());
        if (!f) throw new Error(`${name} is not writable`);
        const fv = Number(value & ((1n << BigInt(f.width)) - 1n));
        switch (f.name) {
          case 'N': pe.nf = fv; break;
          case 'Z': pe.zf = fv; break;
          case 'C': pe.cf = fv; break;
          case 'V': pe.vf = fv; break;
          case 'PAN': pe.pan = fv; break;
          case 'SS': pe.ss = fv; break;
          case 'IL': pe.il = fv; break;
          case 'D': pe.daif = (pe.daif & ~8) | (fv << 3); break;
          case 'A': pe.daif = (pe.daif & ~4) | (fv << 2); break;
          case 'I': pe.daif = (pe.daif & ~2) | (fv << 1); break;
          case 'F': pe.daif = (pe.daif & ~1) | fv; break;
          case 'EL': if (fv > 2) throw new Error('EL must be 0, 1 or 2'); pe.setElSp(fv, pe.spsel); break;
          case 'SPSel': pe.setSpSel(fv); break;
        }
        pe.updateRegime();
        return { value: String(fv), invalidateAll: true };
      }
      case 'group': {
        const slot = sysregSlot(name);
        if (name.toUpperCase() === 'SP_EL2') { pe.writeBankedSp(2, Number(value & 0xffffffffn) >>> 0, Number(value >> 32n) >>> 0); return { value: hex64(value), invalidateAll: true }; }
        if (slot < 0) throw new Error(`unknown register ${name}`);
        if (SYSREGS[slot].readOnly) throw new Error(`${name} is read-only`);
        writeSysreg(pe, slot, value);
        return { value: hex64(readSysreg(pe, slot)), invalidateAll: true };
      }
      case 'reg': {
        const d = SYSREGS[n.slot];
        if (d.readOnly) throw new Error(`${d.name} is read-only`);
        const f = d.fields?.find((x) => x.name.toUpperCase() === name.toUpperCase());
        if (!f) throw new Error(`${d.name} has no field ${name}`);
        if (value >= 1n << BigInt(f.width)) throw new Error(`${d.name}.${f.name} is ${f.width} bit(s) wide`);
        writeSysreg(pe, n.slot, withField(readSysreg(pe, n.slot), f, value));
        return { value: formatField(d, f, fieldValue(readSysreg(pe, n.slot), f)), invalidateAll: true };
      }
    }
  }
}
