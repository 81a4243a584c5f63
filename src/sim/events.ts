// Typed event bus of the machine. The debugger, the trace and the cost accounting hang
// everything on it. Emitting is guarded by `bus.wants.X` so that an event nobody listens
// to costs one property load and no object allocation on the execution path.

export interface ExceptionEntryEvent {
  pe: number;
  from: number;          // EL the exception was taken from
  to: number;            // target EL
  kind: 'sync' | 'irq' | 'fiq' | 'serror';
  vector: number;        // vector address (low 32 bits; high in vectorHi)
  vectorHi: number;
  ec: number;            // ESR.EC (sync only; -1 for interrupts)
  esr: number;           // low 32 bits of ESR written (0 for interrupts)
  far?: number;          // FAR as number (exact below 2^53)
  hpfar?: number;
  elr: number;           // preferred return address (number)
  /** Human-readable cause, e.g. "HVC #0 from EL1". */
  why: string;
}

export interface ExceptionReturnEvent { pe: number; from: number; to: number; pc: number; illegal: boolean }
export interface SysregWriteEvent { pe: number; name: string; lo: number; hi: number; oldLo: number; oldHi: number }
export interface MmioEvent { pe: number; device: string; addr: number; size: number; value: number; write: boolean }
export interface UartOutputEvent { text: string }
export interface HaltEvent { reason: 'exit' | 'reset' | 'off'; code: number }
export interface WfiEvent { pe: number; wfe: boolean }
export interface UndefinedEvent { pe: number; pc: number; word: number }

// Interrupts and time (GIC, generic timer, PSCI). INTIDs are GIC interrupt IDs.
/** A physical interrupt acknowledged through GICC_IAR / ICC_IAR<n>_EL1. */
export interface IrqTakenEvent { pe: number; intid: number; group: number }
/** A list register was written with a pending (or pending+active) virtual interrupt. */
export interface VirqInjectedEvent { pe: number; lr: number; vintid: number; priority: number; group: number; hw: boolean }
/** The guest acknowledged a virtual interrupt (GICV_IAR / ICV_IAR<n>_EL1). */
export interface VirqTakenEvent { pe: number; lr: number; vintid: number }
/** A virtual interrupt was deactivated (EOI, or DIR with EOImode); pintid when HW=1 deactivated it too. */
export interface VirqCompletedEvent { pe: number; lr: number; vintid: number; how: 'eoi' | 'dir'; hw: boolean; pintid?: number }
/** Any write to a list register (ICH_LR<n>_EL2 / GICH_LR<n>); raw is the register as read back (hex). */
export interface LrWriteEvent { pe: number; lr: number; vintid: number; state: 'invalid' | 'pending' | 'active' | 'pending+active'; hw: boolean; group: number; priority: number; pintid: number; raw: string }
/** The maintenance interrupt (PPI 25) was asserted; misr holds the ICH_MISR_EL2 / GICH_MISR reasons. */
export interface MaintenanceIrqEvent { pe: number; misr: number }
/** A generic timer's output rose (ENABLE, condition met, not masked). count = physical count. */
export interface TimerFiredEvent { pe: number; timer: 'CNTP' | 'CNTV' | 'CNTHP' | 'CNTHV'; intid: number; count: number }
/** An SGI was made pending on `to` by `from`. */
export interface SgiSentEvent { from: number; to: number; intid: number }
/** PSCI CPU_ON: result is the PSCI return code. */
export interface PsciCpuOnEvent { caller: number; target: number; entry: number; context: number; result: number }

export interface MachineEvents {
  exceptionEntry: ExceptionEntryEvent;
  exceptionReturn: ExceptionReturnEvent;
  sysregWrite: SysregWriteEvent;
  mmio: MmioEvent;
  uartOutput: UartOutputEvent;
  halt: HaltEvent;
  wfiEntered: WfiEvent;
  wfiExited: WfiEvent;
  undefinedInstruction: UndefinedEvent;
  irqTaken: IrqTakenEvent;
  virqInjected: VirqInjectedEvent;
  virqTaken: VirqTakenEvent;
  virqCompleted: VirqCompletedEvent;
  lrWrite: LrWriteEvent;
  maintenanceIrq: MaintenanceIrqEvent;
  timerFired: TimerFiredEvent;
  sgiSent: SgiSentEvent;
  psciCpuOn: PsciCpuOnEvent;
}

export type EventName = keyof MachineEvents;
type Listener<K extends EventName> = (e: MachineEvents[K]) => void;

export class EventBus {
  /** `wants.X` is true when at least one listener is attached to X: test it before building a payload. */
  readonly wants: { [K in EventName]: boolean } = {
    exceptionEntry: false, exceptionReturn: false, sysregWrite: false, mmio: false,
    uartOutput: false, halt: false, wfiEntered: false, wfiExited: false, undefinedInstruction: false,
    irqTaken: false, virqInjected: false, virqTaken: false, virqCompleted: false, lrWrite: false, maintenanceIrq: false,
    timerFired: false, sgiSent: false, psciCpuOn: false,
  };
  private readonly listeners: { [K in EventName]?: Listener<K>[] } = {};

  on<K extends EventName>(name: K, fn: Listener<K>): () => void {
    const list = (this.listeners[name] ??= []) as Listener<K>[];
    list.push(fn);
    this.wants[name] = true;
    return () => {
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
      this.wants[name] = list.length > 0;
    };
  }

  emit<K extends EventName>(name: K, e: MachineEvents[K]): void {
    const list = this.listeners[name] as Listener<K>[] | undefined;
    if (!list) return;
    for (const fn of list) fn(e);
  }
}
