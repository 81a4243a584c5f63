// Shared execution-level definitions (no imports, so ISA modules, the PE and the decoder
// can all depend on it without import cycles).
import type { PE } from './pe';

/**
 * A decoded instruction: a closure over its decoded fields. Returns a Flow code.
 * Decoded once per physical address and cached (invalidated when the word is written).
 */
export type Exec = (pe: PE) => number;

/** What an executed instruction did to the control flow. */
export const enum Flow {
  /** Continue with the next instruction (the run loop adds 4 to PC). */
  Next = 0,
  /** PC was written (branch, exception entry/return): re-fetch from PC. */
  Jump = 1,
  /** PC was written and the PE must leave its run slice (WFI, halt, state that needs re-checking). */
  Stop = 2,
}

/**
 * Thrown by memory accessors after an abort has been taken (the PE state already points at
 * the vector). The run loop catches it; it never escapes the simulator.
 */
export class ExceptionTaken {
  readonly guestException = true;
}
export const EXCEPTION_TAKEN = new ExceptionTaken();

/** Memory access kinds. */
export const enum Acc { Read = 0, Write = 1, Fetch = 2 }

/**
 * Executors that wrap another one in the decoded-instruction cache for the debugger (breakpoint
 * wrappers): the region compiler never compiles a slot holding one (src/sim/jit/jit.ts).
 */
export const INSTRUMENTED = new WeakSet<Exec>();

/**
 * Decoders whose executors are the instruction table's own (PE.decoder: the plain decoder and
 * the cost model's charging one). A decoder that wraps executors with probes is not in the set,
 * and the region compiler leaves a PE that uses one to the interpreter, so the probes see every
 * instruction.
 */
export const PLAIN_DECODERS = new WeakSet<(word: number) => Exec>();
