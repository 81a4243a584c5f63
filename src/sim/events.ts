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
}

export type EventName = keyof MachineEvents;
type Listener<K extends EventName> = (e: MachineEvents[K]) => void;

export class EventBus {
  /** `wants.X` is true when at least one listener is attached to X: test it before building a payload. */
  readonly wants: { [K in EventName]: boolean } = {
    exceptionEntry: false, exceptionReturn: false, sysregWrite: false, mmio: false,
    uartOutput: false, halt: false, wfiEntered: false, wfiExited: false, undefinedInstruction: false,
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
