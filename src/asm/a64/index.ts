// Public entry points of the A64 table: disassembler, encoder, instruction records and the
// system-register name table.
export type { DisasmOptions, EncodeContext, EncodeErr, EncodeOk, EncodeResult } from "./api";
export { disassemble, decode, type Decoded } from "./disasm";
export { encode } from "./encode";
export { SYSREG_NAMES, type SysRegEncoding } from "./sysreg-names";
export { INSN_SPECS, type InsnSpec } from "./insns";
export { A64_TABLE, BY_MNEMONIC, type A64Insn } from "./table";
