// The A64 instruction table: one record per encoding (or preferred alias), from which the
// disassembler, the encoder and the language server's hover/completion are all built.
//
// Source: Arm Architecture Reference Manual for A-profile, DDI0487 J.a, chapter C4 "A64
// Instruction Set Encoding" (encoding diagrams, field names) and C6 (alias conditions);
// printed syntax follows GNU binutils 2.40 objdump, which is our test oracle.
//
// pattern:  MSB first; 0/1 fixed, x don't care, name:width field, name=bits fixed named field.
// operands: operand tokens (see operands.ts), comma separated.
// alias:    the base mnemonic when this record is a preferred alias (printed in preference when
//           `when` holds); aliases are tried before base records when decoding.
import type { Fields } from "./operands";
import { decodeBitMask, signExtend } from "./bits";
import { wideConstant } from "./operands";
import { BARRIER_TEXT, HINT_TEXT, SYS_OPS } from "./sysops-data";
import { SIMD_SPECS } from "./insns-simd";

export interface InsnSpec {
  /** Mnemonic as printed (lower case). `b.<cond>` marks the condition-suffixed branch. */
  readonly mnemonic: string;
  readonly pattern: string;
  readonly operands: string;
  /** One-line description (hover text). */
  readonly desc: string;
  /** Arm ARM encoding class (search key into the manual and the simulator's handlers). */
  readonly cls: string;
  readonly alias?: string;
  /** Extra condition on the decoded/encoded fields (alias preference, reserved values). */
  readonly when?: (f: Fields) => boolean;
  /** Apply `when` when encoding too (it then chooses between candidate encodings, e.g. mov). */
  readonly encodeWhen?: boolean;
  /** Encode-side check after parsing; returns an error message. */
  readonly check?: (f: Fields) => string | undefined;
  /** Field equalities implied by an alias: [field, sameAs] (e.g. ror: Rm = Rn). */
  readonly ties?: ReadonlyArray<readonly [string, string]>;
  /** Accepted by the assembler only (GNU conveniences such as ldr with a negative offset). */
  readonly encodeOnly?: boolean;
  /** Deliberately not implemented: the reason. Such records never match. */
  readonly unimplemented?: string;
  /** For unallocated space: the note objdump prints after `.inst 0x...` instead of "undefined". */
  readonly undefinedNote?: string;
  /** Architecture feature needed (FEAT_LSE → "lse"...), for diagnostics. */
  readonly feature?: string;
  /** Control flow leaves the straight line (branches, exception generation, ERET). */
  readonly endsBlock?: boolean;
}

const T: InsnSpec[] = [];
type Extra = Partial<Omit<InsnSpec, "mnemonic" | "pattern" | "operands" | "desc" | "cls">>;
function I(mnemonic: string, pattern: string, operands: string, desc: string, cls: string, extra: Extra = {}): void {
  T.push({ mnemonic, pattern, operands, desc, cls, ...extra });
}
const b2 = (v: number, w: number) => v.toString(2).padStart(w, "0");

// ---------------------------------------------------------------------------------------------
// Data processing -- immediate (C4.1.92)
// ---------------------------------------------------------------------------------------------
{
  const c = "dp_imm_pcreladdr";
  I("adr", "0 immlo:2 10000 immhi:19 Rd:5", "Xd, ADRL", "Form PC-relative address", c);
  I("adrp", "1 immlo:2 10000 immhi:19 Rd:5", "Xd, ADRPL", "Form PC-relative address to 4 KiB page", c);

  const a = "addsub_imm";
  I("mov", "sf:1 0 0 100010 sh=0 imm12=000000000000 Rn:5 Rd:5", "Rd|sp, Rn|sp", "Move between register and stack pointer", a,
    { alias: "add", when: (f) => f.Rd === 31 || f.Rn === 31, encodeWhen: true });
  I("add", "sf:1 0 0 100010 sh:1 imm12:12 Rn:5 Rd:5", "Rd|sp, Rn|sp, AIMM", "Add (immediate)", a);
  I("cmn", "sf:1 0 1 100010 sh:1 imm12:12 Rn:5 Rd=11111", "Rn|sp, AIMM", "Compare negative (immediate)", a, { alias: "adds" });
  I("adds", "sf:1 0 1 100010 sh:1 imm12:12 Rn:5 Rd:5", "Rd, Rn|sp, AIMM", "Add (immediate), setting flags", a);
  I("sub", "sf:1 1 0 100010 sh:1 imm12:12 Rn:5 Rd:5", "Rd|sp, Rn|sp, AIMM", "Subtract (immediate)", a);
  I("cmp", "sf:1 1 1 100010 sh:1 imm12:12 Rn:5 Rd=11111", "Rn|sp, AIMM", "Compare (immediate)", a, { alias: "subs" });
  I("subs", "sf:1 1 1 100010 sh:1 imm12:12 Rn:5 Rd:5", "Rd, Rn|sp, AIMM", "Subtract (immediate), setting flags", a);

  const l = "log_imm";
  const movLogPreferred = (f: Fields) => {
    if (f.Rd === 31) return true;
    const v = decodeBitMask(f.N, f.imms, f.immr, f.sf ? 64 : 32);
    if (v === undefined) return false;
    const is32 = f.sf === 0;
    const mask = is32 ? 0xffffffffn : (1n << 64n) - 1n;
    return wideConstant(v, is32) === undefined && wideConstant(~v & ((1n << 64n) - 1n), is32) === undefined && wideConstant(~v & mask, is32) === undefined;
  };
  I("and", "sf:1 00 100100 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd|sp, Rn, LIMM", "Bitwise AND (immediate)", l);
  I("mov", "sf:1 01 100100 N:1 immr:6 imms:6 Rn=11111 Rd:5", "Rd|sp, MOVLI", "Move (bitmask immediate)", l, { alias: "orr", when: movLogPreferred, encodeWhen: true });
  I("orr", "sf:1 01 100100 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd|sp, Rn, LIMM", "Bitwise OR (immediate)", l);
  I("eor", "sf:1 10 100100 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd|sp, Rn, LIMM", "Bitwise exclusive OR (immediate)", l);
  // GNU as: bic with an immediate is AND with the inverted bitmask (orn/eon/bics are not accepted)
  I("bic", "sf:1 00 100100 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd|sp, Rn, LIMM(inv)", "Bitwise bit clear (immediate; AND with the inverted mask)", l, { encodeOnly: true });
  I("tst", "sf:1 11 100100 N:1 immr:6 imms:6 Rn:5 Rd=11111", "Rn, LIMM", "Test bits (immediate)", l, { alias: "ands" });
  I("ands", "sf:1 11 100100 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, LIMM", "Bitwise AND (immediate), setting flags", l);

  const w = "movewide";
  I("mov", "sf:1 10 100101 hw:2 imm16:16 Rd:5", "Rd, MOVWI(z)", "Move (wide immediate)", w,
    { alias: "movz", when: (f) => !(f.imm16 === 0 && f.hw !== 0), encodeWhen: true });
  I("mov", "sf:1 00 100101 hw:2 imm16:16 Rd:5", "Rd, MOVWI(n)", "Move (inverted wide immediate)", w,
    {
      alias: "movn", encodeWhen: true, when: (f) => {
        if (f.imm16 === 0 && f.hw !== 0) return false;
        const v = ~(BigInt(f.imm16) << BigInt(16 * f.hw)) & ((1n << 64n) - 1n);
        return wideConstant(v, f.sf === 0) === undefined;
      },
    });
  I("movn", "sf:1 00 100101 hw:2 imm16:16 Rd:5", "Rd, MOVW", "Move wide with NOT", w);
  I("movz", "sf:1 10 100101 hw:2 imm16:16 Rd:5", "Rd, MOVW", "Move wide with zero", w);
  I("movk", "sf:1 11 100101 hw:2 imm16:16 Rd:5", "Rd, MOVW", "Move wide with keep", w);

  const b = "bitfield";
  const size = (f: Fields) => (f.sf ? 64 : 32);
  const nOk = (f: Fields) => f.N === f.sf;
  const bfxPreferred = (f: Fields, uns: boolean) => {
    if (f.imms < f.immr) return false;
    if (f.imms === size(f) - 1) return false;
    if (f.immr === 0) {
      if (!f.sf && (f.imms === 7 || f.imms === 15)) return false;
      if (f.sf && !uns && (f.imms === 7 || f.imms === 15 || f.imms === 31)) return false;
    }
    return true;
  };
  // SBFM
  I("asr", "sf:1 00 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(shr)", "Arithmetic shift right (immediate)", b,
    { alias: "sbfm", when: (f) => nOk(f) && f.imms === size(f) - 1 });
  I("sbfiz", "sf:1 00 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(ilsb), BF(iwidth)", "Signed bitfield insert in zeros", b,
    { alias: "sbfm", when: (f) => nOk(f) && f.imms < f.immr });
  I("sbfx", "sf:1 00 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(lsb), BF(width)", "Signed bitfield extract", b,
    { alias: "sbfm", when: (f) => nOk(f) && bfxPreferred(f, false) });
  I("sxtb", "sf:1 00 100110 N:1 immr=000000 imms=000111 Rn:5 Rd:5", "Rd, Wn", "Sign extend byte", b, { alias: "sbfm", ties: [["N", "sf"]] });
  I("sxth", "sf:1 00 100110 N:1 immr=000000 imms=001111 Rn:5 Rd:5", "Rd, Wn", "Sign extend halfword", b, { alias: "sbfm", ties: [["N", "sf"]] });
  I("sxtw", "1 00 100110 1 immr=000000 imms=011111 Rn:5 Rd:5", "Xd, Wn", "Sign extend word", b, { alias: "sbfm" });
  I("sbfm", "sf:1 00 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(immr), BF(imms)", "Signed bitfield move", b, { when: nOk });
  // BFM
  I("bfc", "sf:1 01 100110 N:1 immr:6 imms:6 Rn=11111 Rd:5", "Rd, BF(ilsb), BF(iwidth)", "Bitfield clear", b,
    { alias: "bfm", when: (f) => nOk(f) && f.imms < f.immr });
  I("bfi", "sf:1 01 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(ilsb), BF(iwidth)", "Bitfield insert", b,
    { alias: "bfm", when: (f) => nOk(f) && f.imms < f.immr, check: (f) => (f.Rn === 31 ? "bfi with wzr/xzr is bfc" : undefined) });
  I("bfxil", "sf:1 01 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(lsb), BF(width)", "Bitfield extract and insert at low end", b,
    { alias: "bfm", when: (f) => nOk(f) && f.imms >= f.immr });
  I("bfm", "sf:1 01 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(immr), BF(imms)", "Bitfield move", b, { when: nOk });
  // UBFM
  I("lsl", "sf:1 10 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(lsl)", "Logical shift left (immediate)", b,
    { alias: "ubfm", when: (f) => nOk(f) && f.imms !== size(f) - 1 && f.imms + 1 === f.immr });
  I("lsr", "sf:1 10 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(shr)", "Logical shift right (immediate)", b,
    { alias: "ubfm", when: (f) => nOk(f) && f.imms === size(f) - 1 });
  I("ubfiz", "sf:1 10 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(ilsb), BF(iwidth)", "Unsigned bitfield insert in zeros", b,
    { alias: "ubfm", when: (f) => nOk(f) && f.imms < f.immr });
  I("ubfx", "sf:1 10 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(lsb), BF(width)", "Unsigned bitfield extract", b,
    { alias: "ubfm", when: (f) => nOk(f) && bfxPreferred(f, true) });
  I("uxtb", "0 10 100110 0 immr=000000 imms=000111 Rn:5 Rd:5", "Wd, Wn", "Zero extend byte", b, { alias: "ubfm" });
  I("uxth", "0 10 100110 0 immr=000000 imms=001111 Rn:5 Rd:5", "Wd, Wn", "Zero extend halfword", b, { alias: "ubfm" });
  I("ubfm", "sf:1 10 100110 N:1 immr:6 imms:6 Rn:5 Rd:5", "Rd, Rn, BF(immr), BF(imms)", "Unsigned bitfield move", b, { when: nOk });

  const e = "extract";
  I("ror", "0 00 100111 0 0 Rm:5 0 imms:5 Rn:5 Rd:5", "Wd, Wn, UIMM(imms,5,dec)", "Rotate right (immediate)", e, { alias: "extr", ties: [["Rm", "Rn"]] });
  I("ror", "1 00 100111 1 0 Rm:5 imms:6 Rn:5 Rd:5", "Xd, Xn, UIMM(imms,6,dec)", "Rotate right (immediate)", e, { alias: "extr", ties: [["Rm", "Rn"]] });
  I("extr", "0 00 100111 0 0 Rm:5 0 imms:5 Rn:5 Rd:5", "Wd, Wn, Wm, UIMM(imms,5,dec)", "Extract register", e);
  I("extr", "1 00 100111 1 0 Rm:5 imms:6 Rn:5 Rd:5", "Xd, Xn, Xm, UIMM(imms,6,dec)", "Extract register", e);
}

// ---------------------------------------------------------------------------------------------
// Branches, exception generating and system instructions (C4.1.93)
// ---------------------------------------------------------------------------------------------
{
  const br = { endsBlock: true };
  I("b.<cond>", "0101010 0 imm19:19 0 cond:4", "LABEL(imm19)", "Branch conditionally", "condbranch", br);
  I("bc.<cond>", "0101010 0 imm19:19 1 cond:4", "LABEL(imm19)", "Branch consistent conditionally", "condbranch", { ...br, feature: "hbc" });
  I("b", "0 00101 imm26:26", "LABEL(imm26)", "Branch", "branch_imm", br);
  I("bl", "1 00101 imm26:26", "LABEL(imm26)", "Branch with link", "branch_imm", br);
  I("cbz", "sf:1 011010 0 imm19:19 Rt:5", "Rt, LABEL(imm19)", "Compare and branch on zero", "compbranch", br);
  I("cbnz", "sf:1 011010 1 imm19:19 Rt:5", "Rt, LABEL(imm19)", "Compare and branch on nonzero", "compbranch", br);
  I("tbz", "b5:1 011011 0 b40:5 imm14:14 Rt:5", "TBZR, TBZBIT, LABEL(imm14)", "Test bit and branch if zero", "testbranch", br);
  I("tbnz", "b5:1 011011 1 b40:5 imm14:14 Rt:5", "TBZR, TBZBIT, LABEL(imm14)", "Test bit and branch if nonzero", "testbranch", br);

  const u = "branch_reg";
  I("br", "1101011 0000 11111 000000 Rn:5 00000", "Xn", "Branch to register", u, br);
  I("blr", "1101011 0001 11111 000000 Rn:5 00000", "Xn", "Branch with link to register", u, br);
  I("ret", "1101011 0010 11111 000000 Rn:5 00000", "Xn=30", "Return from subroutine", u, br);
  I("eret", "1101011 0100 11111 000000 11111 00000", "", "Exception return", u, br);
  I("drps", "1101011 0101 11111 000000 11111 00000", "", "Debug restore process state", u, br);
  I("retaa", "1101011 0010 11111 000010 11111 11111", "", "Return, authenticating with key A", u, { ...br, feature: "pauth" });
  I("retab", "1101011 0010 11111 000011 11111 11111", "", "Return, authenticating with key B", u, { ...br, feature: "pauth" });
  I("eretaa", "1101011 0100 11111 000010 11111 11111", "", "Exception return, authenticating with key A", u, { ...br, feature: "pauth" });
  I("eretab", "1101011 0100 11111 000011 11111 11111", "", "Exception return, authenticating with key B", u, { ...br, feature: "pauth" });
  I("braaz", "1101011 0000 11111 000010 Rn:5 11111", "Xn", "Branch to register, authenticating with key A and zero modifier", u, { ...br, feature: "pauth" });
  I("brabz", "1101011 0000 11111 000011 Rn:5 11111", "Xn", "Branch to register, authenticating with key B and zero modifier", u, { ...br, feature: "pauth" });
  I("blraaz", "1101011 0001 11111 000010 Rn:5 11111", "Xn", "Branch with link, authenticating with key A and zero modifier", u, { ...br, feature: "pauth" });
  I("blrabz", "1101011 0001 11111 000011 Rn:5 11111", "Xn", "Branch with link, authenticating with key B and zero modifier", u, { ...br, feature: "pauth" });
  I("braa", "1101011 1000 11111 000010 Rn:5 Rm:5", "Xn, Xm|sp", "Branch to register, authenticating with key A", u, { ...br, feature: "pauth" });
  I("brab", "1101011 1000 11111 000011 Rn:5 Rm:5", "Xn, Xm|sp", "Branch to register, authenticating with key B", u, { ...br, feature: "pauth" });
  I("blraa", "1101011 1001 11111 000010 Rn:5 Rm:5", "Xn, Xm|sp", "Branch with link, authenticating with key A", u, { ...br, feature: "pauth" });
  I("blrab", "1101011 1001 11111 000011 Rn:5 Rm:5", "Xn, Xm|sp", "Branch with link, authenticating with key B", u, { ...br, feature: "pauth" });

  const x = "exception";
  I("svc", "11010100 000 imm16:16 000 01", "UIMM(imm16,16,hex)", "Supervisor call (to EL1)", x, br);
  I("hvc", "11010100 000 imm16:16 000 10", "UIMM(imm16,16,hex)", "Hypervisor call (to EL2)", x, br);
  I("smc", "11010100 000 imm16:16 000 11", "UIMM(imm16,16,hex)", "Secure monitor call (to EL3)", x, br);
  I("brk", "11010100 001 imm16:16 000 00", "UIMM(imm16,16,hex)", "Breakpoint instruction", x, br);
  I("hlt", "11010100 010 imm16:16 000 00", "UIMM(imm16,16,hex)", "Halt instruction (semihosting with #0xf000)", x, br);
  I("tcancel", "11010100 011 imm16:16 000 00", "UIMM(imm16,16,dec)", "Cancel current transaction", x, { feature: "tme" });
  I("dcps1", "11010100 101 imm16:16 000 01", "OPTIMM(imm16,16,hex,0)", "Debug change PE state to EL1", x, br);
  I("dcps2", "11010100 101 imm16:16 000 10", "OPTIMM(imm16,16,hex,0)", "Debug change PE state to EL2", x, br);
  I("dcps3", "11010100 101 imm16:16 000 11", "OPTIMM(imm16,16,hex,0)", "Debug change PE state to EL3", x, br);
  I("udf", "0000000000000000 imm16:16", "UIMM(imm16,16,dec)", "Permanently undefined", "udf", br);

  const s = "system";
  // Hints (CRm:op2), names as objdump prints them
  HINT_TEXT.forEach((text, i) => {
    if (text.startsWith("hint\t")) return;
    const [m, opnd] = text.split("\t");
    I(m, `11010101000000110010 ${b2(i, 7)} 11111`, opnd ? `'${opnd}'` : "", `Hint #${i} (${m})`, "hints");
  });
  I("hint", "11010101000000110010 CRm:4 op2:3 11111", "HINTIMM", "Hint instruction", "hints");
  // Barriers and CLREX (CRm:op2)
  BARRIER_TEXT.forEach((text, i) => {
    if (text.startsWith("msr") || text.includes("#")) return;
    const [m, opnd] = text.split("\t");
    I(m, `11010101000000110011 ${b2(i, 7)} 11111`, opnd ? `'${opnd}'` : "", `${m}${opnd ? " " + opnd : ""} barrier`, "barriers");
  });
  I("clrex", "11010101000000110011 CRm:4 010 11111", "OPTIMM(CRm,4,hex,15)", "Clear exclusive monitor", "barriers");
  I("dsb", "11010101000000110011 CRm:4 100 11111", "BARRIER(2)", "Data synchronization barrier", "barriers");
  I("dmb", "11010101000000110011 CRm:4 101 11111", "BARRIER(2)", "Data memory barrier", "barriers");
  I("isb", "11010101000000110011 CRm:4 110 11111", "OPTIMM(CRm,4,hex,15)", "Instruction synchronization barrier", "barriers");
  I("isb", "11010101000000110011 1111 110 11111", "'sy'", "Instruction synchronization barrier", "barriers", { encodeOnly: true });
  // PSTATE
  I("cfinv", "1101010100000000010000000001 1111", "", "Invert carry flag", "pstate", { feature: "flagm" });
  I("xaflag", "1101010100000000010000000011 1111", "", "Convert floating-point condition flags from external format", "pstate", { feature: "flagm2" });
  I("axflag", "1101010100000000010000000101 1111", "", "Convert floating-point condition flags to external format", "pstate", { feature: "flagm2" });
  I("msr", "1101010100 0 00 op1:3 0100 CRm:4 op2:3 11111", "PSTATE, UIMM(CRm,4,hex)", "Move immediate to PSTATE field", "pstate");
  I("wfet", "11010101000000110001 0000 000 Rd:5", "Xd", "Wait for event with timeout", s, { feature: "wfxt" });
  I("wfit", "11010101000000110001 0000 001 Rd:5", "Xd", "Wait for interrupt with timeout", s, { feature: "wfxt" });
  // SYS and its aliases
  const kinds = [...new Set(SYS_OPS.map((o) => o[1]))];
  const sysDesc: Record<string, string> = {
    tlbi: "TLB invalidate operation", dc: "Data cache operation", ic: "Instruction cache operation",
    at: "Address translate", cfp: "Control flow prediction restriction by context", dvp: "Data value prediction restriction by context",
    cpp: "Cache prefetch prediction restriction by context",
  };
  for (const k of kinds) I(k, "1101010100 0 01 op1:3 CRn:4 CRm:4 op2:3 Rt:5", `SYSOP(${k})`, sysDesc[k] ?? k, "systeminstrs", { alias: "sys" });
  I("sys", "1101010100 0 01 op1:3 CRn:4 CRm:4 op2:3 Rt:5", "UIMM(op1,3,dec), CR(CRn), CR(CRm), UIMM(op2,3,dec), Xt=31", "System instruction", "systeminstrs");
  I("sysl", "1101010100 1 01 op1:3 CRn:4 CRm:4 op2:3 Rt:5", "Xt, UIMM(op1,3,dec), CR(CRn), CR(CRm), UIMM(op2,3,dec)", "System instruction with result", "systeminstrs");
  I("msr", "1101010100 0 op0:2 op1:3 CRn:4 CRm:4 op2:3 Rt:5", "SYSREG(w), Xt", "Move general-purpose register to system register", "systemmove");
  I("mrs", "1101010100 1 op0:2 op1:3 CRn:4 CRm:4 op2:3 Rt:5", "Xt, SYSREG(r)", "Move system register to general-purpose register", "systemmove");
}

// ---------------------------------------------------------------------------------------------
// Data processing -- register (C4.1.95)
// ---------------------------------------------------------------------------------------------
{
  const s = "addsub_shift";
  for (const [op, S, m, al, alOps] of [
    [0, 0, "add", "", ""], [0, 1, "adds", "cmn", "Rn, Rm, SHIFT(noror)"], [1, 0, "sub", "", ""], [1, 1, "subs", "cmp", "Rn, Rm, SHIFT(noror)"],
  ] as const) {
    const base = `sf:1 ${op} ${S} 01011 shift:2 0 Rm:5 imm6:6`;
    if (al) I(al, `${base} Rn:5 Rd=11111`, alOps, al === "cmp" ? "Compare (shifted register)" : "Compare negative (shifted register)", s, { alias: m });
    if (op === 1) I(S ? "negs" : "neg", `${base} Rn=11111 Rd:5`, "Rd, Rm, SHIFT(noror)", S ? "Negate, setting flags" : "Negate (shifted register)", s, { alias: m });
    I(m, `${base} Rn:5 Rd:5`, "Rd, Rn, Rm, SHIFT(noror)", `${m === "add" || m === "adds" ? "Add" : "Subtract"} (shifted register)${S ? ", setting flags" : ""}`, s);
  }
  const e = "addsub_ext";
  const extCheck = (f: Fields) => (f.sf && f._rm64 !== undefined && ((f.option & 3) === 3) !== (f._rm64 === 1) ? "the extend does not match the size of Rm (uxtx/sxtx/lsl need Xm, others Wm)" : undefined);
  for (const [op, S, m, al] of [[0, 0, "add", ""], [0, 1, "adds", "cmn"], [1, 0, "sub", ""], [1, 1, "subs", "cmp"]] as const) {
    const base = `sf:1 ${op} S=${S} 01011 00 1 Rm:5 option:3 imm3:3 Rn:5`;
    if (al) I(al, `${base} Rd=11111`, "Rn|sp, REXT, EXT", `${al === "cmp" ? "Compare" : "Compare negative"} (extended register)`, e, { alias: m, check: extCheck });
    I(m, `${base} Rd:5`, S ? "Rd, Rn|sp, REXT, EXT" : "Rd|sp, Rn|sp, REXT, EXT", `${op ? "Subtract" : "Add"} (extended register)${S ? ", setting flags" : ""}`, e, { check: extCheck });
  }

  const l = "log_shift";
  for (const [opc, N, m] of [[0, 0, "and"], [0, 1, "bic"], [1, 0, "orr"], [1, 1, "orn"], [2, 0, "eor"], [2, 1, "eon"], [3, 0, "ands"], [3, 1, "bics"]] as const) {
    const base = `sf:1 ${b2(opc, 2)} 01010 shift:2 ${N} Rm:5 imm6:6`;
    if (m === "orr") I("mov", `sf:1 01 01010 shift=00 0 Rm:5 imm6=000000 Rn=11111 Rd:5`, "Rd, Rm", "Move (register)", l, { alias: "orr" });
    if (m === "orn") I("mvn", `${base} Rn=11111 Rd:5`, "Rd, Rm, SHIFT", "Bitwise NOT", l, { alias: "orn" });
    if (m === "ands") I("tst", `${base} Rn:5 Rd=11111`, "Rn, Rm, SHIFT", "Test (shifted register)", l, { alias: "ands" });
    I(m, `${base} Rn:5 Rd:5`, "Rd, Rn, Rm, SHIFT", `Bitwise ${m.toUpperCase()} (shifted register)`, l);
  }

  const c = "addsub_carry";
  I("adc", "sf:1 0 0 11010000 Rm:5 000000 Rn:5 Rd:5", "Rd, Rn, Rm", "Add with carry", c);
  I("adcs", "sf:1 0 1 11010000 Rm:5 000000 Rn:5 Rd:5", "Rd, Rn, Rm", "Add with carry, setting flags", c);
  I("ngc", "sf:1 1 0 11010000 Rm:5 000000 11111 Rd:5", "Rd, Rm", "Negate with carry", c, { alias: "sbc" });
  I("sbc", "sf:1 1 0 11010000 Rm:5 000000 Rn:5 Rd:5", "Rd, Rn, Rm", "Subtract with carry", c);
  I("ngcs", "sf:1 1 1 11010000 Rm:5 000000 11111 Rd:5", "Rd, Rm", "Negate with carry, setting flags", c, { alias: "sbcs" });
  I("sbcs", "sf:1 1 1 11010000 Rm:5 000000 Rn:5 Rd:5", "Rd, Rn, Rm", "Subtract with carry, setting flags", c);
  I("rmif", "1 0 1 11010000 imm6:6 00001 Rn:5 0 mask:4", "Xn, UIMM(imm6,6,dec), UIMM(mask,4,dec)", "Rotate, mask insert flags", "rmif", { feature: "flagm" });
  I("setf8", "0 0 1 11010000 000000 0 0010 Rn:5 0 1101", "Wn", "Evaluation of 8-bit flags", "setf", { feature: "flagm" });
  I("setf16", "0 0 1 11010000 000000 1 0010 Rn:5 0 1101", "Wn", "Evaluation of 16-bit flags", "setf", { feature: "flagm" });

  const cc = "condcmp";
  for (const [op, m] of [[0, "ccmn"], [1, "ccmp"]] as const) {
    I(m, `sf:1 ${op} 1 11010010 Rm:5 cond:4 0 0 Rn:5 0 nzcv:4`, "Rn, Rm, UIMM(nzcv,4,hex), COND", `Conditional compare${op ? "" : " negative"} (register)`, cc + "_reg");
    I(m, `sf:1 ${op} 1 11010010 imm5:5 cond:4 1 0 Rn:5 0 nzcv:4`, "Rn, UIMM(imm5,5,hex), UIMM(nzcv,4,hex), COND", `Conditional compare${op ? "" : " negative"} (immediate)`, cc + "_imm");
  }

  const cs = "condsel";
  const condOk = (f: Fields) => f.cond < 14;
  I("csel", "sf:1 0 0 11010100 Rm:5 cond:4 0 0 Rn:5 Rd:5", "Rd, Rn, Rm, COND", "Conditional select", cs);
  I("cset", "sf:1 0 0 11010100 11111 cond:4 0 1 11111 Rd:5", "Rd, COND(inv)", "Conditional set", cs, { alias: "csinc", when: condOk });
  I("cinc", "sf:1 0 0 11010100 Rm:5 cond:4 0 1 Rn:5 Rd:5", "Rd, Rn, COND(inv)", "Conditional increment", cs,
    { alias: "csinc", ties: [["Rm", "Rn"]], when: (f) => condOk(f) && f.Rn !== 31 });
  I("csinc", "sf:1 0 0 11010100 Rm:5 cond:4 0 1 Rn:5 Rd:5", "Rd, Rn, Rm, COND", "Conditional select increment", cs);
  I("csetm", "sf:1 1 0 11010100 11111 cond:4 0 0 11111 Rd:5", "Rd, COND(inv)", "Conditional set mask", cs, { alias: "csinv", when: condOk });
  I("cinv", "sf:1 1 0 11010100 Rm:5 cond:4 0 0 Rn:5 Rd:5", "Rd, Rn, COND(inv)", "Conditional invert", cs,
    { alias: "csinv", ties: [["Rm", "Rn"]], when: (f) => condOk(f) && f.Rn !== 31 });
  I("csinv", "sf:1 1 0 11010100 Rm:5 cond:4 0 0 Rn:5 Rd:5", "Rd, Rn, Rm, COND", "Conditional select invert", cs);
  I("cneg", "sf:1 1 0 11010100 Rm:5 cond:4 0 1 Rn:5 Rd:5", "Rd, Rn, COND(inv)", "Conditional negate", cs,
    { alias: "csneg", ties: [["Rm", "Rn"]], when: condOk });
  I("csneg", "sf:1 1 0 11010100 Rm:5 cond:4 0 1 Rn:5 Rd:5", "Rd, Rn, Rm, COND", "Conditional select negation", cs);

  const d2 = "dp_2src";
  for (const [opc, m, d, al] of [
    [0b000010, "udiv", "Unsigned divide", ""], [0b000011, "sdiv", "Signed divide", ""],
    [0b001000, "lslv", "Logical shift left variable", "lsl"], [0b001001, "lsrv", "Logical shift right variable", "lsr"],
    [0b001010, "asrv", "Arithmetic shift right variable", "asr"], [0b001011, "rorv", "Rotate right variable", "ror"],
    [0b011000, "smax", "Signed maximum (register)", ""], [0b011001, "umax", "Unsigned maximum (register)", ""],
    [0b011010, "smin", "Signed minimum (register)", ""], [0b011011, "umin", "Unsigned minimum (register)", ""],
  ] as const) {
    const p = `sf:1 0 0 11010110 Rm:5 ${b2(opc, 6)} Rn:5 Rd:5`;
    const feat = opc >= 0b011000 ? { feature: "cssc" } : {};
    if (al) I(al, p, "Rd, Rn, Rm", d, d2, { alias: m });
    I(m, p, "Rd, Rn, Rm", d, d2, feat);
  }
  for (const [sz, C, m] of [[0, 0, "crc32b"], [1, 0, "crc32h"], [2, 0, "crc32w"], [0, 1, "crc32cb"], [1, 1, "crc32ch"], [2, 1, "crc32cw"]] as const) {
    I(m, `0 0 0 11010110 Rm:5 010 ${C} ${b2(sz, 2)} Rn:5 Rd:5`, "Wd, Wn, Wm", `CRC32${C ? "C" : ""} checksum`, d2, { feature: "crc" });
  }
  I("crc32x", "1 0 0 11010110 Rm:5 010 0 11 Rn:5 Rd:5", "Wd, Wn, Xm", "CRC32 checksum (doubleword)", d2, { feature: "crc" });
  I("crc32cx", "1 0 0 11010110 Rm:5 010 1 11 Rn:5 Rd:5", "Wd, Wn, Xm", "CRC32C checksum (doubleword)", d2, { feature: "crc" });
  I("pacga", "1 0 0 11010110 Rm:5 001100 Rn:5 Rd:5", "Xd, Xn, Xm|sp", "Pointer authentication code, using generic key", d2, { feature: "pauth" });

  const d1 = "dp_1src";
  I("rbit", "sf:1 1 0 11010110 00000 000000 Rn:5 Rd:5", "Rd, Rn", "Reverse bits", d1);
  I("rev16", "sf:1 1 0 11010110 00000 000001 Rn:5 Rd:5", "Rd, Rn", "Reverse bytes in 16-bit halfwords", d1);
  I("rev", "0 1 0 11010110 00000 000010 Rn:5 Rd:5", "Wd, Wn", "Reverse bytes", d1);
  I("rev32", "1 1 0 11010110 00000 000010 Rn:5 Rd:5", "Xd, Xn", "Reverse bytes in 32-bit words", d1);
  I("rev", "1 1 0 11010110 00000 000011 Rn:5 Rd:5", "Xd, Xn", "Reverse bytes", d1);
  I("rev64", "1 1 0 11010110 00000 000011 Rn:5 Rd:5", "Xd, Xn", "Reverse bytes (alias of rev)", d1, { encodeOnly: true });
  I("clz", "sf:1 1 0 11010110 00000 000100 Rn:5 Rd:5", "Rd, Rn", "Count leading zeros", d1);
  I("cls", "sf:1 1 0 11010110 00000 000101 Rn:5 Rd:5", "Rd, Rn", "Count leading sign bits", d1);
  I("ctz", "sf:1 1 0 11010110 00000 000110 Rn:5 Rd:5", "Rd, Rn", "Count trailing zeros", d1, { feature: "cssc" });
  I("cnt", "sf:1 1 0 11010110 00000 000111 Rn:5 Rd:5", "Rd, Rn", "Count bits", d1, { feature: "cssc" });
  I("abs", "sf:1 1 0 11010110 00000 001000 Rn:5 Rd:5", "Rd, Rn", "Absolute value", d1, { feature: "cssc" });
  for (const [opc, m, d] of [
    [0, "pacia", "Pointer authentication code for instruction address, key A"], [1, "pacib", "Pointer authentication code for instruction address, key B"],
    [2, "pacda", "Pointer authentication code for data address, key A"], [3, "pacdb", "Pointer authentication code for data address, key B"],
    [4, "autia", "Authenticate instruction address, key A"], [5, "autib", "Authenticate instruction address, key B"],
    [6, "autda", "Authenticate data address, key A"], [7, "autdb", "Authenticate data address, key B"],
  ] as const) {
    I(m, `1 1 0 11010110 00001 000 ${b2(opc, 3)} Rn:5 Rd:5`, "Xd, Xn|sp", d, d1, { feature: "pauth" });
    I(m.slice(0, 4) + "z" + m.slice(4), `1 1 0 11010110 00001 001 ${b2(opc, 3)} 11111 Rd:5`, "Xd", d + ", zero modifier", d1, { feature: "pauth" });
  }
  I("xpaci", "1 1 0 11010110 00001 010000 11111 Rd:5", "Xd", "Strip pointer authentication code (instruction)", d1, { feature: "pauth" });
  I("xpacd", "1 1 0 11010110 00001 010001 11111 Rd:5", "Xd", "Strip pointer authentication code (data)", d1, { feature: "pauth" });

  const d3 = "dp_3src";
  for (const [op31, o0, m, al, wide, d] of [
    [0, 0, "madd", "mul", false, "Multiply-add"], [0, 1, "msub", "mneg", false, "Multiply-subtract"],
    [1, 0, "smaddl", "smull", true, "Signed multiply-add long"], [1, 1, "smsubl", "smnegl", true, "Signed multiply-subtract long"],
    [5, 0, "umaddl", "umull", true, "Unsigned multiply-add long"], [5, 1, "umsubl", "umnegl", true, "Unsigned multiply-subtract long"],
  ] as const) {
    const sf = wide ? "1" : "sf:1";
    const p = `${sf} 00 11011 ${b2(op31, 3)} Rm:5 ${o0}`;
    I(al, `${p} 11111 Rn:5 Rd:5`, wide ? "Xd, Wn, Wm" : "Rd, Rn, Rm", d.replace(/-(add|subtract)/, al.includes("neg") ? " negate" : ""), d3, { alias: m });
    I(m, `${p} Ra:5 Rn:5 Rd:5`, wide ? "Xd, Wn, Wm, Xa" : "Rd, Rn, Rm, Ra", d, d3);
  }
  I("smulh", "1 00 11011 010 Rm:5 0 ooooo Rn:5 Rd:5", "Xd, Xn, Xm", "Signed multiply high", d3);
  I("umulh", "1 00 11011 110 Rm:5 0 ooooo Rn:5 Rd:5", "Xd, Xn, Xm", "Unsigned multiply high", d3);

  // CSSC min/max immediate
  for (const [opc, m, signed] of [[0, "smax", true], [1, "umax", false], [2, "smin", true], [3, "umin", false]] as const) {
    I(m, `sf:1 0 0 1000111 ${b2(opc, 4)} imm8:8 Rn:5 Rd:5`, signed ? "Rd, Rn, SIMM8" : "Rd, Rn, UIMM(imm8,8,dec)", `${signed ? "Signed" : "Unsigned"} ${m.slice(1)}imum (immediate)`, "minmax_imm", { feature: "cssc" });
  }
}

// ---------------------------------------------------------------------------------------------
// Loads and stores (C4.1.94)
// ---------------------------------------------------------------------------------------------
{
  // [size, V, opc, mnemonic (scaled form), register token letter, scale]
  const SINGLE: Array<[number, number, number, string, string, number]> = [
    [0, 0, 0, "strb", "W", 0], [0, 0, 1, "ldrb", "W", 0], [0, 0, 2, "ldrsb", "X", 0], [0, 0, 3, "ldrsb", "W", 0],
    [1, 0, 0, "strh", "W", 1], [1, 0, 1, "ldrh", "W", 1], [1, 0, 2, "ldrsh", "X", 1], [1, 0, 3, "ldrsh", "W", 1],
    [2, 0, 0, "str", "W", 2], [2, 0, 1, "ldr", "W", 2], [2, 0, 2, "ldrsw", "X", 2],
    [3, 0, 0, "str", "X", 3], [3, 0, 1, "ldr", "X", 3], [3, 0, 2, "prfm", "P", 3],
    [0, 1, 0, "str", "B", 0], [0, 1, 1, "ldr", "B", 0], [0, 1, 2, "str", "Q", 4], [0, 1, 3, "ldr", "Q", 4],
    [1, 1, 0, "str", "H", 1], [1, 1, 1, "ldr", "H", 1], [2, 1, 0, "str", "S", 2], [2, 1, 1, "ldr", "S", 2],
    [3, 1, 0, "str", "D", 3], [3, 1, 1, "ldr", "D", 3],
  ];
  const unscaledName = (m: string) => (m === "prfm" ? "prfum" : m.replace(/^ldr/, "ldur").replace(/^str/, "stur"));
  const unprivName = (m: string) => m.replace(/^ldr/, "ldtr").replace(/^str/, "sttr");
  const what = (m: string, r: string) => {
    const load = m.startsWith("ld");
    const sz = m.endsWith("b") ? "byte" : m.endsWith("h") ? "halfword" : m.endsWith("sw") ? "signed word" : r === "P" ? "" : r === "B" || r === "H" || r === "S" || r === "D" || r === "Q" ? "SIMD&FP register" : "register";
    return m === "prfm" ? "Prefetch memory" : `${load ? "Load" : "Store"} ${m.includes("ldrs") ? "signed " : ""}${sz.replace("signed ", "")}`.trim();
  };
  for (const [size, V, opc, m, r, scale] of SINGLE) {
    const rt = r === "P" ? "PRFOP" : `${r}t`;
    const head = `${b2(size, 2)} 111 ${V}`;
    const o = b2(opc, 2);
    const d = what(m, r);
    I(m, `${head} 01 ${o} imm12:12 Rn:5 Rt:5`, `${rt}, MEMU(${scale})`, `${d} (unsigned offset)`, "ldst_pos");
    // GNU as: ldr/str with an offset the scaled form cannot hold uses the unscaled encoding
    I(m, `${head} 00 ${o} 0 imm9:9 00 Rn:5 Rt:5`, `${rt}, MEMS9(off)`, `${d} (unscaled offset)`, "ldst_unscaled", { encodeOnly: true });
    I(unscaledName(m), `${head} 00 ${o} 0 imm9:9 00 Rn:5 Rt:5`, `${rt}, MEMS9(off)`, `${d} (unscaled offset)`, "ldst_unscaled");
    if (r !== "P") {
      I(m, `${head} 00 ${o} 0 imm9:9 01 Rn:5 Rt:5`, `${rt}, MEMS9(post)`, `${d} (post-index)`, "ldst_immpost");
      I(m, `${head} 00 ${o} 0 imm9:9 11 Rn:5 Rt:5`, `${rt}, MEMS9(pre)`, `${d} (pre-index)`, "ldst_immpre");
    }
    if (V === 0 && r !== "P") I(unprivName(m), `${head} 00 ${o} 0 imm9:9 10 Rn:5 Rt:5`, `${rt}, MEMS9(off)`, `${d} (unprivileged)`, "ldst_unpriv");
    I(m, `${head} 00 ${o} 1 Rm:5 option:3 S:1 10 Rn:5 Rt:5`, `${rt}, MEMR(${scale})`, `${d} (register offset)`, "ldst_regoff");
  }
  // literal
  for (const [opc, V, m, r, sz] of [[0, 0, "ldr", "W", 4], [1, 0, "ldr", "X", 8], [2, 0, "ldrsw", "X", 4], [3, 0, "prfm", "P", 0],
    [0, 1, "ldr", "S", 4], [1, 1, "ldr", "D", 8], [2, 1, "ldr", "Q", 16]] as const) {
    I(m, `${b2(opc, 2)} 011 ${V} 00 imm19:19 Rt:5`, `${r === "P" ? "PRFOP" : r + "t"}, LIT(${sz})`, `${m === "prfm" ? "Prefetch memory" : "Load register"} (literal)`, "loadlit");
  }
  // pairs: [opc, V, L, mnemonic, reg, scale]
  const PAIRS: Array<[number, number, number, string, string, number]> = [
    [0, 0, 0, "stp", "W", 2], [0, 0, 1, "ldp", "W", 2], [1, 0, 1, "ldpsw", "X", 2], [2, 0, 0, "stp", "X", 3], [2, 0, 1, "ldp", "X", 3],
    [0, 1, 0, "stp", "S", 2], [0, 1, 1, "ldp", "S", 2], [1, 1, 0, "stp", "D", 3], [1, 1, 1, "ldp", "D", 3], [2, 1, 0, "stp", "Q", 4], [2, 1, 1, "ldp", "Q", 4],
  ];
  for (const [opc, V, L, m, r, scale] of PAIRS) {
    const h = `${b2(opc, 2)} 101 ${V}`;
    const ops = `${r}t, ${r}t2`;
    const d = `${L ? "Load" : "Store"} pair of ${V ? "SIMD&FP registers" : m === "ldpsw" ? "signed words" : "registers"}`;
    // objdump (binutils 2.40) rejects ldpsw with Rt == Rt2, or with writeback to Rt/Rt2
    const ok = m === "ldpsw" ? { when: (f: Fields) => f.Rt !== f.Rt2 } : {};
    const okWb = m === "ldpsw" ? { when: (f: Fields) => f.Rt !== f.Rt2 && (f.Rn === 31 || (f.Rn !== f.Rt && f.Rn !== f.Rt2)) } : {};
    I(m, `${h} 010 ${L} imm7:7 Rt2:5 Rn:5 Rt:5`, `${ops}, MEMP(off,${scale})`, `${d} (signed offset)`, "ldstpair_off", ok);
    I(m, `${h} 001 ${L} imm7:7 Rt2:5 Rn:5 Rt:5`, `${ops}, MEMP(post,${scale})`, `${d} (post-index)`, "ldstpair_post", okWb);
    I(m, `${h} 011 ${L} imm7:7 Rt2:5 Rn:5 Rt:5`, `${ops}, MEMP(pre,${scale})`, `${d} (pre-index)`, "ldstpair_pre", okWb);
    if (m !== "ldpsw") I(L ? "ldnp" : "stnp", `${h} 000 ${L} imm7:7 Rt2:5 Rn:5 Rt:5`, `${ops}, MEMP(off,${scale})`, `${d}, non-temporal`, "ldstnapair_offs");
  }
  // exclusives, acquire/release, compare and swap: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt
  const ex = "ldstexcl";
  const SZ: Array<[number, string, string]> = [[0, "b", "W"], [1, "h", "W"], [2, "", "W"], [3, "", "X"]];
  for (const [size, sfx, r] of SZ) {
    const s = b2(size, 2);
    const unit = sfx === "b" ? "byte" : sfx === "h" ? "halfword" : "register";
    I(`stxr${sfx}`, `${s} 001000 0 0 0 Rs:5 0 ooooo Rn:5 Rt:5`, `Ws, ${r}t, MEM0`, `Store exclusive ${unit}`, ex);
    I(`stlxr${sfx}`, `${s} 001000 0 0 0 Rs:5 1 ooooo Rn:5 Rt:5`, `Ws, ${r}t, MEM0`, `Store-release exclusive ${unit}`, ex);
    I(`ldxr${sfx}`, `${s} 001000 0 1 0 ooooo 0 ooooo Rn:5 Rt:5`, `${r}t, MEM0`, `Load exclusive ${unit}`, ex);
    I(`ldaxr${sfx}`, `${s} 001000 0 1 0 ooooo 1 ooooo Rn:5 Rt:5`, `${r}t, MEM0`, `Load-acquire exclusive ${unit}`, ex);
    I(`stllr${sfx}`, `${s} 001000 1 0 0 ooooo 0 ooooo Rn:5 Rt:5`, `${r}t, MEM0`, `Store LORelease ${unit}`, ex, { feature: "lor" });
    I(`stlr${sfx}`, `${s} 001000 1 0 0 ooooo 1 ooooo Rn:5 Rt:5`, `${r}t, MEM0`, `Store-release ${unit}`, ex);
    I(`ldlar${sfx}`, `${s} 001000 1 1 0 ooooo 0 ooooo Rn:5 Rt:5`, `${r}t, MEM0`, `Load LOAcquire ${unit}`, ex, { feature: "lor" });
    I(`ldar${sfx}`, `${s} 001000 1 1 0 11111 1 11111 Rn:5 Rt:5`, `${r}t, MEM0`, `Load-acquire ${unit}`, ex);
    for (const [L, o0, mid] of [[0, 0, ""], [1, 0, "a"], [0, 1, "l"], [1, 1, "al"]] as const) {
      I(`cas${mid}${sfx}`, `${s} 001000 1 ${L} 1 Rs:5 ${o0} 11111 Rn:5 Rt:5`, `${r}s, ${r}t, MEM0`, `Compare and swap ${unit}${mid ? ` (${mid === "a" ? "acquire" : mid === "l" ? "release" : "acquire-release"})` : ""}`, "ldstexcl_cas", { feature: "lse" });
    }
  }
  for (const [sz, r] of [[0, "W"], [1, "X"]] as const) {
    I("stxp", `1 ${sz} 001000 0 0 1 Rs:5 0 Rt2:5 Rn:5 Rt:5`, `Ws, ${r}t, ${r}t2, MEM0`, "Store exclusive pair", ex);
    I("stlxp", `1 ${sz} 001000 0 0 1 Rs:5 1 Rt2:5 Rn:5 Rt:5`, `Ws, ${r}t, ${r}t2, MEM0`, "Store-release exclusive pair", ex);
    I("ldxp", `1 ${sz} 001000 0 1 1 ooooo 0 Rt2:5 Rn:5 Rt:5`, `${r}t, ${r}t2, MEM0`, "Load exclusive pair", ex);
    I("ldaxp", `1 ${sz} 001000 0 1 1 ooooo 1 Rt2:5 Rn:5 Rt:5`, `${r}t, ${r}t2, MEM0`, "Load-acquire exclusive pair", ex);
  }
  for (const [L, o0, mid] of [[0, 0, ""], [1, 0, "a"], [0, 1, "l"], [1, 1, "al"]] as const) {
    I(`casp${mid}`, `0 sz:1 001000 0 ${L} 1 Rs:5 ${o0} 11111 Rn:5 Rt:5`, "PAIR(Rs), PAIR(Rt), MEM0", "Compare and swap pair", "ldstexcl_cas", { feature: "lse" });
  }
  // LSE atomic memory operations: size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt
  const at = "memop";
  const OPS = ["add", "clr", "eor", "set", "smax", "smin", "umax", "umin"];
  for (const [size, sfx, r] of SZ) {
    const s = b2(size, 2);
    for (let opc = 0; opc < 8; opc++) {
      for (const [A, R, mid] of [[0, 0, ""], [1, 0, "a"], [0, 1, "l"], [1, 1, "al"]] as const) {
        const p = `${s} 111 0 00 ${A} ${R} 1 Rs:5 0 ${b2(opc, 3)} 00 Rn:5`;
        if (A === 0) I(`st${OPS[opc]}${mid}${sfx}`, `${p} 11111`, `${r}s, MEM0`, `Atomic ${OPS[opc]} on ${sfx === "b" ? "byte" : sfx === "h" ? "halfword" : "word or doubleword"} in memory, without return`, at, { alias: `ld${OPS[opc]}${mid}${sfx}`, feature: "lse" });
        I(`ld${OPS[opc]}${mid}${sfx}`, `${p} Rt:5`, `${r}s, ${r}t, MEM0`, `Atomic ${OPS[opc]} on ${sfx === "b" ? "byte" : sfx === "h" ? "halfword" : "word or doubleword"} in memory`, at, { feature: "lse" });
      }
    }
    for (const [A, R, mid] of [[0, 0, ""], [1, 0, "a"], [0, 1, "l"], [1, 1, "al"]] as const) {
      I(`swp${mid}${sfx}`, `${s} 111 0 00 ${A} ${R} 1 Rs:5 1 000 00 Rn:5 Rt:5`, `${r}s, ${r}t, MEM0`, "Swap word or doubleword in memory", at, { feature: "lse" });
    }
    I(`ldapr${sfx}`, `${s} 111 0 00 1 0 1 11111 1 100 00 Rn:5 Rt:5`, `${r}t, MEM0`, "Load-acquire RCpc register", at, { feature: "rcpc" });
  }
  // LDAPR/STLR with unscaled offset (FEAT_LRCPC2)
  for (const [size, opc, m, r] of [
    [0, 0, "stlurb", "W"], [0, 1, "ldapurb", "W"], [0, 2, "ldapursb", "X"], [0, 3, "ldapursb", "W"],
    [1, 0, "stlurh", "W"], [1, 1, "ldapurh", "W"], [1, 2, "ldapursh", "X"], [1, 3, "ldapursh", "W"],
    [2, 0, "stlur", "W"], [2, 1, "ldapur", "W"], [2, 2, "ldapursw", "X"], [3, 0, "stlur", "X"], [3, 1, "ldapur", "X"],
  ] as const) {
    I(m, `${b2(size, 2)} 011001 ${b2(opc, 2)} 0 imm9:9 00 Rn:5 Rt:5`, `${r}t, MEMS9(off)`, `${m.startsWith("st") ? "Store-release" : "Load-acquire RCpc"} (unscaled)`, "ldapstl_unscaled", { feature: "rcpc2" });
  }
}

// ---------------------------------------------------------------------------------------------
// Scalar floating point and SIMD&FP <-> general register moves (C4.1.96)
// ---------------------------------------------------------------------------------------------
{
  const c = "float2int";
  const fm = "Floating-point move register without conversion";
  I("fmov", "0 0 0 11110 11 1 00 110 000000 Rn:5 Rd:5", "Wd, Hn", fm, c, { feature: "fp16" });
  I("fmov", "0 0 0 11110 11 1 00 111 000000 Rn:5 Rd:5", "Hd, Wn", fm, c, { feature: "fp16" });
  I("fmov", "0 0 0 11110 00 1 00 110 000000 Rn:5 Rd:5", "Wd, Sn", fm, c);
  I("fmov", "0 0 0 11110 00 1 00 111 000000 Rn:5 Rd:5", "Sd, Wn", fm, c);
  I("fmov", "1 0 0 11110 11 1 00 110 000000 Rn:5 Rd:5", "Xd, Hn", fm, c, { feature: "fp16" });
  I("fmov", "1 0 0 11110 11 1 00 111 000000 Rn:5 Rd:5", "Hd, Xn", fm, c, { feature: "fp16" });
  I("fmov", "1 0 0 11110 01 1 00 110 000000 Rn:5 Rd:5", "Xd, Dn", fm, c);
  I("fmov", "1 0 0 11110 01 1 00 111 000000 Rn:5 Rd:5", "Dd, Xn", fm, c);
  I("fmov", "1 0 0 11110 10 1 01 110 000000 Rn:5 Rd:5", "Xd, VD1(Rn)", fm + " (top half of a 128-bit register)", c);
  I("fmov", "1 0 0 11110 10 1 01 111 000000 Rn:5 Rd:5", "VD1(Rd), Xn", fm + " (top half of a 128-bit register)", c);
  const RM = ["n", "p", "m", "z"];
  for (let rmode = 0; rmode < 4; rmode++) {
    for (const [opc, s] of [[0, "s"], [1, "u"]] as const) {
      I(`fcvt${RM[rmode]}${s}`, `sf:1 0 0 11110 ftype:2 1 ${b2(rmode, 2)} 00${opc} 000000 Rn:5 Rd:5`, "Rd, Fn",
        `Floating-point convert to ${s === "s" ? "signed" : "unsigned"} integer, rounding ${["to nearest", "toward +inf", "toward -inf", "toward zero"][rmode]}`, c);
    }
  }
  I("fcvtas", "sf:1 0 0 11110 ftype:2 1 00 100 000000 Rn:5 Rd:5", "Rd, Fn", "Floating-point convert to signed integer, rounding to nearest with ties away", c);
  I("fcvtau", "sf:1 0 0 11110 ftype:2 1 00 101 000000 Rn:5 Rd:5", "Rd, Fn", "Floating-point convert to unsigned integer, rounding to nearest with ties away", c);
  I("scvtf", "sf:1 0 0 11110 ftype:2 1 00 010 000000 Rn:5 Rd:5", "Fd, Rn", "Signed integer convert to floating-point", c);
  I("ucvtf", "sf:1 0 0 11110 ftype:2 1 00 011 000000 Rn:5 Rd:5", "Fd, Rn", "Unsigned integer convert to floating-point", c);
  I("fjcvtzs", "0 0 0 11110 01 1 11 110 000000 Rn:5 Rd:5", "Wd, Dn", "Floating-point JavaScript convert to signed fixed-point, rounding toward zero", c, { feature: "jscvt" });
  const fx = "float2fix";
  I("scvtf", "sf:1 0 0 11110 ftype:2 0 00 010 scale:6 Rn:5 Rd:5", "Fd, Rn, FBITS", "Signed fixed-point convert to floating-point", fx);
  I("ucvtf", "sf:1 0 0 11110 ftype:2 0 00 011 scale:6 Rn:5 Rd:5", "Fd, Rn, FBITS", "Unsigned fixed-point convert to floating-point", fx);
  I("fcvtzs", "sf:1 0 0 11110 ftype:2 0 11 000 scale:6 Rn:5 Rd:5", "Rd, Fn, FBITS", "Floating-point convert to signed fixed-point, rounding toward zero", fx);
  I("fcvtzu", "sf:1 0 0 11110 ftype:2 0 11 001 scale:6 Rn:5 Rd:5", "Rd, Fn, FBITS", "Floating-point convert to unsigned fixed-point, rounding toward zero", fx);

  const d1 = "floatdp1";
  for (const [opc, m, d] of [
    [0, "fmov", "Floating-point move register"], [1, "fabs", "Floating-point absolute value"], [2, "fneg", "Floating-point negate"],
    [3, "fsqrt", "Floating-point square root"], [8, "frintn", "Floating-point round to integral, to nearest with ties to even"],
    [9, "frintp", "Floating-point round to integral, toward +inf"], [10, "frintm", "Floating-point round to integral, toward -inf"],
    [11, "frintz", "Floating-point round to integral, toward zero"], [12, "frinta", "Floating-point round to integral, to nearest with ties away"],
    [14, "frintx", "Floating-point round to integral exact"], [15, "frinti", "Floating-point round to integral, current mode"],
  ] as const) {
    I(m, `0 0 0 11110 ftype:2 1 ${b2(opc, 6)} 10000 Rn:5 Rd:5`, "Fd, Fn", d, d1);
  }
  for (const [m, opc] of [["frint32z", 16], ["frint32x", 17], ["frint64z", 18], ["frint64x", 19]] as const) {
    I(m, `0 0 0 11110 ftype:2 1 ${b2(opc, 6)} 10000 Rn:5 Rd:5`, "Fd, Fn", "Floating-point round to " + m.slice(5, 7) + "-bit integer", d1, { feature: "frintts", when: (f) => f.ftype < 2 });
  }
  const T2 = ["S", "D", "", "H"];
  for (const [src, dst] of [[0, 1], [0, 3], [1, 0], [1, 3], [3, 0], [3, 1]] as const) {
    I("fcvt", `0 0 0 11110 ${b2(src, 2)} 1 0001 ${b2(dst, 2)} 10000 Rn:5 Rd:5`, `${T2[dst]}d, ${T2[src]}n`, "Floating-point convert precision", d1);
  }
  I("bfcvt", "0 0 0 11110 01 1 000110 10000 Rn:5 Rd:5", "Hd, Sn", "Floating-point convert from single to BFloat16", d1, { feature: "bf16" });
  const d2 = "floatdp2";
  for (const [opc, m, d] of [
    [0, "fmul", "Floating-point multiply"], [1, "fdiv", "Floating-point divide"], [2, "fadd", "Floating-point add"],
    [3, "fsub", "Floating-point subtract"], [4, "fmax", "Floating-point maximum"], [5, "fmin", "Floating-point minimum"],
    [6, "fmaxnm", "Floating-point maximum number"], [7, "fminnm", "Floating-point minimum number"], [8, "fnmul", "Floating-point multiply-negate"],
  ] as const) {
    I(m, `0 0 0 11110 ftype:2 1 Rm:5 ${b2(opc, 4)} 10 Rn:5 Rd:5`, "Fd, Fn, Fm", d, d2);
  }
  const d3 = "floatdp3";
  for (const [o1, o0, m, d] of [[0, 0, "fmadd", "Floating-point fused multiply-add"], [0, 1, "fmsub", "Floating-point fused multiply-subtract"],
    [1, 0, "fnmadd", "Floating-point negated fused multiply-add"], [1, 1, "fnmsub", "Floating-point negated fused multiply-subtract"]] as const) {
    I(m, `0 0 0 11111 ftype:2 ${o1} Rm:5 ${o0} Ra:5 Rn:5 Rd:5`, "Fd, Fn, Fm, Fa", d, d3);
  }
  const cmp = "floatcmp";
  I("fcmp", "0 0 0 11110 ftype:2 1 Rm:5 00 1000 Rn:5 00000", "Fn, Fm", "Floating-point quiet compare", cmp);
  I("fcmp", "0 0 0 11110 ftype:2 1 00000 00 1000 Rn:5 01000", "Fn, FZERO", "Floating-point quiet compare with zero", cmp);
  I("fcmpe", "0 0 0 11110 ftype:2 1 Rm:5 00 1000 Rn:5 10000", "Fn, Fm", "Floating-point signaling compare", cmp);
  I("fcmpe", "0 0 0 11110 ftype:2 1 00000 00 1000 Rn:5 11000", "Fn, FZERO", "Floating-point signaling compare with zero", cmp);
  I("fccmp", "0 0 0 11110 ftype:2 1 Rm:5 cond:4 01 Rn:5 0 nzcv:4", "Fn, Fm, UIMM(nzcv,4,hex), COND", "Floating-point conditional quiet compare", "floatccmp");
  I("fccmpe", "0 0 0 11110 ftype:2 1 Rm:5 cond:4 01 Rn:5 1 nzcv:4", "Fn, Fm, UIMM(nzcv,4,hex), COND", "Floating-point conditional signaling compare", "floatccmp");
  I("fcsel", "0 0 0 11110 ftype:2 1 Rm:5 cond:4 11 Rn:5 Rd:5", "Fd, Fn, Fm, COND", "Floating-point conditional select", "floatsel");
  I("fmov", "0 0 0 11110 ftype:2 1 imm8:8 100 00000 Rd:5", "Fd, FPIMM", "Floating-point move immediate", "floatimm");
}

T.push(...SIMD_SPECS);

// ---------------------------------------------------------------------------------------------
// Deliberately unimplemented encoding groups (kept so that tools can explain a word)
// ---------------------------------------------------------------------------------------------
I("(reserved)", "x 0000000001 xxxxxxxxxxxxxxxxxxxxx", "", "Reserved encoding space that binutils labels 'not yet implemented'", "reserved",
  { unimplemented: "unallocated", undefinedNote: "NYI" });
I("(sve)", "xxx 0010 xxxxxxxxxxxxxxxxxxxxxxxxx", "", "Scalable Vector Extension", "sve", { unimplemented: "SVE is not modelled by the simulator; not disassembled" });
I("(sme)", "1 xx 0000 xxxxxxxxxxxxxxxxxxxxxxxxx", "", "Scalable Matrix Extension", "sme", { unimplemented: "SME is not modelled; not disassembled" });
I("(advsimd)", "x xx x 111 x xxxxxxxxxxxxxxxxxxxxxxxx", "", "Advanced SIMD data processing", "simd_dp",
  { unimplemented: "AdvSIMD not in insns-simd.ts yet: FP16 vector/scalar forms, crypto (AES/SHA/SM), dot products and matrix multiply, complex (fcmla/fcadd), scalar saturating arithmetic and by-element forms other than mul/mla/mls/sqdmulh/sqrdmulh/[su]mull/[su]mlal/[su]mlsl/fmla/fmls/fmul/fmulx" });
I("(mte)", "11011001 xx 1 xxxxxxxxxxxxxxxxxxxxx", "", "Memory tagging load/store tags", "ldsttags", { unimplemented: "FEAT_MTE is not modelled" });

export const INSN_SPECS: readonly InsnSpec[] = T;
void signExtend;
