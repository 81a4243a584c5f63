// Contract between the A64 instruction table (encoder/disassembler, src/asm/a64)
// and the assembler front end (src/asm/assembler). Values in the assembler are
// BigInt: src/asm is not on the simulator's per-instruction hot path.

/** What the encoder may ask of the assembler while encoding one instruction. */
export interface EncodeContext {
  /** Address of the instruction being encoded (its final link address). */
  readonly pc: bigint;
  /**
   * Evaluates a constant expression (symbols, `.`, numeric local labels such as `1f`).
   * Throws an `AsmExprError` (from the assembler) for undefined symbols or bad syntax;
   * the encoder lets that propagate so the assembler reports it with the right column.
   */
  evaluate(expr: string): bigint;
  /**
   * For `ldr Xt|Wt|St|Dt|Qt, =expr`: places `expr` (size bytes) in the current literal
   * pool and returns the address the pool entry will have.
   */
  literal(expr: string, size: 4 | 8 | 16): bigint;
}

export interface EncodeOk { ok: true; word: number }
export interface EncodeErr {
  ok: false;
  /** Human-readable message, e.g. "immediate out of range (0 to 4095): 5000". */
  message: string;
  /** 0-based column offset inside the operands string where the problem starts, if known. */
  column?: number;
}
export type EncodeResult = EncodeOk | EncodeErr;

/** Options for disassembly. */
export interface DisasmOptions {
  /** Address of the instruction (for PC-relative targets); default 0n. */
  pc?: bigint;
  /** Resolves an absolute address to a symbol name (objdump prints `<sym>` or `<sym+0x10>`). */
  symbolize?(addr: bigint): { name: string; offset: bigint } | undefined;
}
