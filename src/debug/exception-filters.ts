// The exception-breakpoint filters of the adapter, as data: which machine events each filter
// listens to, how an event becomes the named fields a condition can use (`to == 2 && ec == 0x16`,
// `ipa >= 0x8000000`, `vintid == 27`), and how the stop is described in exceptionInfo.
//
// Where a filter stops (DESIGN.md section 4): listeners only request a stop; the PE stops at the
// next instruction boundary. Exception entries end the run loop's fast path, so entry filters
// stop on the first instruction of the vector (the previous state is in the synthetic stack
// frame); ERET filters stop on the first instruction after the return; register writes
// (vm-switch) and list-register writes (virq-inject) stop after the writing instruction.
import type { EventName, MachineEvents, ExceptionEntryEvent } from '../sim/events';
import type { PE } from '../sim/pe';
import { EC_NAMES } from '../sim/syndrome';
import { SYSREGS, sysregKey, sysregSlotByKey } from '../sim/sysregs';

export type FieldValues = Record<string, number>;

/** What a filter's matcher may ask about the machine. */
export interface FilterContext {
  pe(id: number): PE | undefined;
}

export interface FilterMatch {
  fields: FieldValues;
  /** One line for exceptionInfo / the stopped event, e.g. "Trap to EL2: HVC #0 from EL1, ESR_EL2=0x5A000000". */
  description: string;
  /** The PE the event happened on. */
  pe: number;
  /** Longer explanation (why the trap happened), when the machine provides one. */
  details?: string;
}

export interface ExceptionFilterDef {
  id: string;
  label: string;
  description: string;
  /** Machine events the filter listens to (subscribed only while the filter is enabled). */
  events: EventName[];
  /** Field names available to the condition. */
  fields: string[];
  /** Placeholder text of the condition box in the UI. */
  conditionDescription: string;
  /** Returns the match for an event of one of `events`, or undefined when the event is not this filter's. */
  match(name: EventName, e: MachineEvents[EventName], ctx: FilterContext): FilterMatch | undefined;
  /** Enabled until the client sends its first filter list (the UI shows it checked); default false. */
  default?: boolean;
}

const ENTRY_FIELDS = ['pe', 'from', 'to', 'ec', 'esr', 'iss', 'imm', 'far', 'elr', 'vector', 'sync', 'irq', 'fiq', 'serror', 'virtual', 'vmid'];

const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
const hex = (v: number): string => `0x${v.toString(16)}`;

function vmidOf(pe: PE | undefined): number {
  return pe ? pe.vmid() : 0;
}

/** True if an IRQ/FIQ entry was a virtual interrupt (taken to EL1 with HCR_EL2.IMO/FMO set and TGE clear). */
function isVirtualIrq(e: ExceptionEntryEvent, pe: PE | undefined): boolean {
  if (!pe || e.to !== 1 || (e.kind !== 'irq' && e.kind !== 'fiq')) return false;
  const hcr = pe.hcrLo();
  if (hcr & (1 << 27)) return false;
  return (hcr & (e.kind === 'irq' ? 1 << 4 : 1 << 3)) !== 0;
}

function entryFields(e: ExceptionEntryEvent, ctx: FilterContext): FieldValues {
  const pe = ctx.pe(e.pe);
  return {
    pe: e.pe, from: e.from, to: e.to, ec: e.ec < 0 ? 0 : e.ec, esr: e.esr >>> 0, iss: (e.esr & 0x1ffffff) >>> 0, imm: e.esr & 0xffff,
    far: e.far ?? 0, elr: e.elr, vector: e.vectorHi * 4294967296 + e.vector,
    sync: e.kind === 'sync' ? 1 : 0, irq: e.kind === 'irq' ? 1 : 0, fiq: e.kind === 'fiq' ? 1 : 0, serror: e.kind === 'serror' ? 1 : 0,
    virtual: isVirtualIrq(e, pe) ? 1 : 0, vmid: vmidOf(pe),
  };
}

/** "HVC #0", "MSR SCTLR_EL1", "Data Abort", … for a synchronous exception's ESR. */
export function describeCause(ec: number, esr: number): string {
  const iss = esr & 0x1ffffff;
  switch (ec) {
    case 0x15: return `SVC #${iss & 0xffff}`;
    case 0x16: return `HVC #${iss & 0xffff}`;
    case 0x17: return `SMC #${iss & 0xffff}`;
    case 0x3c: return `BRK #${iss & 0xffff}`;
    case 0x01: return (iss & 1) ? 'WFE' : 'WFI';
    // Self-hosted debug exceptions (DDI0487 D2): ISS WnR for watchpoints, ISV/EX for software step.
    case 0x30: case 0x31: return 'Hardware breakpoint';
    case 0x32: case 0x33: return (iss >>> 24) & 1 ? `Software Step${(iss >>> 6) & 1 ? ' (after a load-exclusive)' : ''}` : 'Software Step (no instruction stepped)';
    case 0x34: case 0x35: return `Watchpoint (${(iss >>> 6) & 1 ? 'write' : 'read'})`;
    case 0x18: {
      // ISS: Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Direction[0] (1 = read)
      const op0 = (iss >>> 20) & 3, op2 = (iss >>> 17) & 7, op1 = (iss >>> 14) & 7, crn = (iss >>> 10) & 15, rt = (iss >>> 5) & 31, crm = (iss >>> 1) & 15;
      const slot = sysregSlotByKey(sysregKey(op0, op1, crn, crm, op2));
      const name = slot >= 0 ? SYSREGS[slot].name : `S${op0}_${op1}_C${crn}_C${crm}_${op2}`;
      return iss & 1 ? `MRS X${rt}, ${name}` : `MSR ${name}, X${rt}`;
    }
    default: return EC_NAMES[ec] ?? `EC 0x${ec.toString(16)}`;
  }
}

/** exceptionInfo text of an exception entry. */
export function describeEntry(e: ExceptionEntryEvent, virtual = false): string {
  if (e.kind !== 'sync') {
    const what = `${virtual ? 'virtual ' : ''}${e.kind.toUpperCase()}`;
    return `${what} taken to EL${e.to} from EL${e.from}`;
  }
  let cause = describeCause(e.ec, e.esr);
  if (e.ec >= 0x20 && e.ec <= 0x25 && e.ec !== 0x22 && e.ec !== 0x23) {
    const fsc = e.esr & 0x3f;
    const kind = e.ec <= 0x21 ? 'Instruction Abort' : `Data Abort (${(e.esr >>> 6) & 1 ? 'write' : 'read'})`;
    cause = `${e.hpfar !== undefined ? 'Stage-2 ' : ''}${kind}, ${FSC_NAMES[fsc >>> 2] ?? `FSC 0x${fsc.toString(16)}`}${fsc < 0x10 ? ` level ${fsc & 3}` : ''}`;
  }
  const esr = `ESR_EL${e.to}=${hex8(e.esr)}`;
  let extra = '';
  if (((e.ec >= 0x20 && e.ec <= 0x25) || e.ec === 0x34 || e.ec === 0x35) && e.far !== undefined) extra = `, FAR_EL${e.to}=${hex(e.far)}`;
  if (e.hpfar !== undefined) extra += `, IPA ${hex(hpfarToIpa(e.hpfar, e.far ?? 0))}`;
  return e.to > e.from
    ? `Trap to EL${e.to}: ${cause} from EL${e.from}, ${esr}${extra}`
    : `Exception at EL${e.to}: ${cause}, ${esr}${extra}`;
}

/** DFSC/IFSC classes by FSC[5:2]. DDI0487 D17.2.37 */
const FSC_NAMES: Record<number, string> = {
  0: 'address size fault', 1: 'translation fault', 2: 'access flag fault', 3: 'permission fault',
  4: 'synchronous external abort', 5: 'synchronous external abort on a table walk', 8: 'alignment fault', 12: 'TLB conflict abort',
};

function hpfarToIpa(hpfar: number, far: number): number {
  return Math.floor(hpfar / 16) * 4096 + (far % 4096);
}

function abortFields(e: ExceptionEntryEvent): FieldValues {
  const iss = e.esr & 0x1ffffff;
  const fsc = iss & 0x3f;
  return {
    fsc, level: fsc & 3, wnr: (iss >>> 6) & 1, write: (iss >>> 6) & 1, s1ptw: (iss >>> 7) & 1,
    fetch: e.ec === 0x20 || e.ec === 0x21 ? 1 : 0, va: e.far ?? 0,
  };
}

function entryMatch(e: ExceptionEntryEvent, ctx: FilterContext, extra: FieldValues = {}): FilterMatch {
  const fields = { ...entryFields(e, ctx), ...extra };
  const explanation = (e as { explanation?: string }).explanation;
  return { fields, pe: e.pe, description: describeEntry(e, fields.virtual === 1), details: explanation ?? e.why };
}

const isAbort = (ec: number): boolean => ec === 0x20 || ec === 0x21 || ec === 0x24 || ec === 0x25;

/**
 * The machine cannot make progress (src/sim/stuck.ts: an exception loop, a branch to self no
 * interrupt can leave, every PE in WFI with nothing to wake it). Not an event: the run itself
 * ends stuck, and the runtime reports it through this filter (DebugRuntime.stuckStop). With the
 * filter off the session still stops — continuing could never get anywhere — but as a pause
 * with the same explanation instead of an exception.
 */
export const STUCK_FILTER: ExceptionFilterDef = {
  id: 'stuck', label: 'Machine is stuck (no progress possible)',
  description: 'Stop as on an exception when no PE can ever make progress: the same exception taken again and again (e.g. no vector table), `b .` with interrupts masked, or every PE in WFI with nothing to wake it.',
  events: [], fields: ['pe', 'el', 'pc', 'esr', 'vector'],
  conditionDescription: 'e.g. el == 2   (fields: pe, el, pc, esr, vector)',
  default: true,
  match: () => undefined,
};

export const EXCEPTION_FILTERS: ExceptionFilterDef[] = [
  {
    id: 'el-entry', label: 'Exception entry (any EL)',
    description: 'Stop on the first instruction of the vector whenever any exception (synchronous, IRQ, FIQ, SError) is taken.',
    events: ['exceptionEntry'], fields: ENTRY_FIELDS,
    conditionDescription: 'e.g. to == 2 && ec == 0x16   (fields: from, to, ec, esr, iss, imm, far, elr, irq, fiq, virtual, vmid)',
    match: (n, ev, ctx) => (n === 'exceptionEntry' ? entryMatch(ev as ExceptionEntryEvent, ctx) : undefined),
  },
  {
    id: 'el-return', label: 'Exception return (ERET)',
    description: 'Stop on the first instruction after an ERET, in the EL returned to.',
    events: ['exceptionReturn'], fields: ['pe', 'from', 'to', 'pc', 'illegal', 'vmid'],
    conditionDescription: 'e.g. from == 2 && to == 1   (fields: from, to, pc, illegal, vmid)',
    match: (n, ev, ctx) => {
      if (n !== 'exceptionReturn') return undefined;
      const e = ev as MachineEvents['exceptionReturn'];
      return {
        pe: e.pe, fields: { pe: e.pe, from: e.from, to: e.to, pc: e.pc, illegal: e.illegal ? 1 : 0, vmid: vmidOf(ctx.pe(e.pe)) },
        description: `ERET from EL${e.from} to EL${e.to} at ${hex(e.pc)}${e.illegal ? ' (illegal return: PSTATE.IL set)' : ''}`,
      };
    },
  },
  {
    id: 'trap-el2', label: 'Trap to EL2',
    description: 'Stop when any exception is taken to EL2 (hypercalls, trapped instructions and registers, Stage-2 aborts, routed interrupts).',
    events: ['exceptionEntry'], fields: ENTRY_FIELDS,
    conditionDescription: 'e.g. ec == 0x18   (fields: from, ec, esr, iss, imm, far, elr, irq, vmid)',
    match: (n, ev, ctx) => {
      if (n !== 'exceptionEntry') return undefined;
      const e = ev as ExceptionEntryEvent;
      return e.to === 2 ? entryMatch(e, ctx) : undefined;
    },
  },
  {
    id: 'stage2-fault', label: 'Stage-2 fault',
    description: 'Stop when a Stage-2 translation, permission or access-flag fault is taken to EL2 (HPFAR_EL2 valid).',
    events: ['exceptionEntry'], fields: [...ENTRY_FIELDS, 'ipa', 'va', 'fsc', 'level', 'wnr', 'write', 's1ptw', 'fetch'],
    conditionDescription: 'e.g. ipa >= 0x8000000   (fields: ipa, va, fsc, level, write, s1ptw, fetch, vmid)',
    match: (n, ev, ctx) => {
      if (n !== 'exceptionEntry') return undefined;
      const e = ev as ExceptionEntryEvent;
      if (e.kind !== 'sync' || !isAbort(e.ec) || e.hpfar === undefined) return undefined;
      return entryMatch(e, ctx, { ...abortFields(e), ipa: hpfarToIpa(e.hpfar, e.far ?? 0) });
    },
  },
  {
    id: 'stage1-fault', label: 'Stage-1 fault',
    description: 'Stop when a Stage-1 translation, access-flag, permission or address-size fault is taken.',
    events: ['exceptionEntry'], fields: [...ENTRY_FIELDS, 'va', 'fsc', 'level', 'wnr', 'write', 'fetch'],
    conditionDescription: 'e.g. va >= 0xffff000000000000 && write   (fields: va, fsc, level, write, fetch, to, vmid)',
    match: (n, ev, ctx) => {
      if (n !== 'exceptionEntry') return undefined;
      const e = ev as ExceptionEntryEvent;
      if (e.kind !== 'sync' || !isAbort(e.ec) || e.hpfar !== undefined) return undefined;
      const fsc = e.esr & 0x3f;
      if (fsc >= 0x10) return undefined; // external aborts and alignment faults are not translation faults
      return entryMatch(e, ctx, abortFields(e));
    },
  },
  {
    id: 'virq-inject', label: 'Virtual IRQ injected',
    description: 'Stop after the instruction that makes a list register hold a pending virtual interrupt.',
    events: ['virqInjected'], fields: ['pe', 'lr', 'vintid', 'priority', 'group', 'hw'],
    conditionDescription: 'e.g. vintid == 27   (fields: lr, vintid, priority, group, hw)',
    match: (n, ev) => {
      if (n !== 'virqInjected') return undefined;
      const e = ev as MachineEvents['virqInjected'];
      return {
        pe: e.pe, fields: { pe: e.pe, lr: e.lr, vintid: e.vintid, priority: e.priority, group: e.group, hw: e.hw ? 1 : 0 },
        description: `Virtual interrupt ${e.vintid} made pending in LR${e.lr} (priority ${hex(e.priority)}, group ${e.group}${e.hw ? ', HW' : ''})`,
      };
    },
  },
  {
    id: 'virq-taken', label: 'Virtual IRQ taken',
    description: 'Stop on the first instruction of the EL1 vector when a virtual IRQ/FIQ is taken.',
    events: ['exceptionEntry'], fields: ENTRY_FIELDS,
    conditionDescription: 'e.g. from == 0   (fields: from, fiq, elr, vmid)',
    match: (n, ev, ctx) => {
      if (n !== 'exceptionEntry') return undefined;
      const e = ev as ExceptionEntryEvent;
      return isVirtualIrq(e, ctx.pe(e.pe)) ? entryMatch(e, ctx) : undefined;
    },
  },
  {
    id: 'irq-taken', label: 'Physical IRQ taken',
    description: 'Stop on the first instruction of the vector when a physical IRQ or FIQ is taken.',
    events: ['exceptionEntry'], fields: ENTRY_FIELDS,
    conditionDescription: 'e.g. to == 2   (fields: from, to, fiq, elr, vmid)',
    match: (n, ev, ctx) => {
      if (n !== 'exceptionEntry') return undefined;
      const e = ev as ExceptionEntryEvent;
      if (e.kind !== 'irq' && e.kind !== 'fiq') return undefined;
      return isVirtualIrq(e, ctx.pe(e.pe)) ? undefined : entryMatch(e, ctx);
    },
  },
  {
    id: 'timer-fire', label: 'Timer fires',
    description: 'Stop when a generic timer output rises (CNTP, CNTV, CNTHP, CNTHV).',
    events: ['timerFired'], fields: ['pe', 'timer', 'intid', 'count'],
    conditionDescription: 'e.g. intid == 27   (fields: timer (0 CNTP, 1 CNTV, 2 CNTHP, 3 CNTHV), intid, count)',
    match: (n, ev) => {
      if (n !== 'timerFired') return undefined;
      const e = ev as MachineEvents['timerFired'];
      return {
        pe: e.pe, fields: { pe: e.pe, timer: ['CNTP', 'CNTV', 'CNTHP', 'CNTHV'].indexOf(e.timer), intid: e.intid, count: e.count },
        description: `${e.timer} timer fired on CPU${e.pe} (INTID ${e.intid}, count ${e.count})`,
      };
    },
  },
  {
    id: 'maintenance-irq', label: 'GIC maintenance interrupt',
    description: 'Stop when the virtual interface asserts its maintenance interrupt (PPI 25).',
    events: ['maintenanceIrq'], fields: ['pe', 'misr'],
    conditionDescription: 'e.g. misr & 1   (fields: misr = ICH_MISR_EL2 / GICH_MISR)',
    match: (n, ev) => {
      if (n !== 'maintenanceIrq') return undefined;
      const e = ev as MachineEvents['maintenanceIrq'];
      return { pe: e.pe, fields: { pe: e.pe, misr: e.misr }, description: `Maintenance interrupt on CPU${e.pe}, MISR=${hex(e.misr)}` };
    },
  },
  {
    id: 'wfi', label: 'WFI / WFE',
    description: 'Stop when a PE enters WFI (after the instruction) or when WFI/WFE is trapped (at the vector).',
    events: ['wfiEntered', 'exceptionEntry'], fields: ['pe', 'wfe', 'trapped', 'to', 'from'],
    conditionDescription: 'e.g. trapped   (fields: wfe, trapped, from, to)',
    match: (n, ev, ctx) => {
      if (n === 'wfiEntered') {
        const e = ev as MachineEvents['wfiEntered'];
        const pe = ctx.pe(e.pe);
        return { pe: e.pe, fields: { pe: e.pe, wfe: e.wfe ? 1 : 0, trapped: 0, to: pe?.el ?? 0, from: pe?.el ?? 0 }, description: `CPU${e.pe} entered ${e.wfe ? 'WFE' : 'WFI'}` };
      }
      if (n === 'exceptionEntry') {
        const e = ev as ExceptionEntryEvent;
        if (e.kind !== 'sync' || e.ec !== 0x01) return undefined;
        return entryMatch(e, ctx, { wfe: e.esr & 1, trapped: 1 });
      }
      return undefined;
    },
  },
  {
    id: 'undefined', label: 'UNDEFINED instruction',
    description: 'Stop on the first instruction of the vector when an instruction is UNDEFINED.',
    events: ['undefinedInstruction'], fields: ['pe', 'pc', 'word'],
    conditionDescription: 'e.g. word == 0   (fields: pc, word)',
    match: (n, ev) => {
      if (n !== 'undefinedInstruction') return undefined;
      const e = ev as MachineEvents['undefinedInstruction'];
      return { pe: e.pe, fields: { pe: e.pe, pc: e.pc, word: e.word >>> 0 }, description: `UNDEFINED instruction ${hex8(e.word)} at ${hex(e.pc)}` };
    },
  },
  {
    id: 'vm-switch', label: 'VM switch (VTTBR_EL2.VMID changes)',
    description: 'Stop after the MSR that changes the VMID in VTTBR_EL2.',
    events: ['sysregWrite'], fields: ['pe', 'from', 'to', 'fromVmid', 'toVmid'],
    conditionDescription: 'e.g. to == 2   (fields: from / fromVmid, to / toVmid)',
    match: (n, ev) => {
      if (n !== 'sysregWrite') return undefined;
      const e = ev as MachineEvents['sysregWrite'];
      if (e.name !== 'VTTBR_EL2') return undefined;
      const from = (e.oldHi >>> 16) & 0xff, to = (e.hi >>> 16) & 0xff;
      if (from === to) return undefined;
      return { pe: e.pe, fields: { pe: e.pe, from, to, fromVmid: from, toVmid: to }, description: `VM switch on CPU${e.pe}: VMID ${from} → ${to}` };
    },
  },
  STUCK_FILTER,
];

export function findFilter(id: string): ExceptionFilterDef | undefined {
  return EXCEPTION_FILTERS.find((f) => f.id === id);
}
