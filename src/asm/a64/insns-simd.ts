// AdvSIMD part of the A64 instruction table (records as in insns.ts; operand kinds in
// operands-simd.ts). Source: DDI0487 J.a C4.1.94 (AdvSIMD load/store structure) and C4.1.95
// "Data Processing -- Scalar Floating-Point and Advanced SIMD" (encoding diagrams, field
// names Q/U/size/opcode/immh/imm5...); printed syntax and alias preferences follow binutils 2.40
// objdump, which test/unit/asm/a64.test.ts checks record by record.
import type { InsnSpec } from "./insns";
import type { Fields } from "./operands";

const T: InsnSpec[] = [];
type Extra = Partial<Omit<InsnSpec, "mnemonic" | "pattern" | "operands" | "desc" | "cls">>;
function I(mnemonic: string, pattern: string, operands: string, desc: string, cls: string, extra: Extra = {}): void {
  T.push({ mnemonic, pattern, operands, desc, cls, ...extra });
}
const b2 = (v: number, w: number) => v.toString(2).padStart(w, "0");

// ---------------------------------------------------------------------------------------------
// AdvSIMD load/store multiple structures, single structure, replicate (C4.1.94)
// ---------------------------------------------------------------------------------------------
{
  // opcode -> [registers, structure elements]
  const MULTI: Array<[number, number, number]> = [
    [0b0000, 4, 4], [0b0010, 4, 1], [0b0100, 3, 3], [0b0110, 3, 1], [0b0111, 1, 1], [0b1000, 2, 2], [0b1010, 2, 1],
  ];
  for (const [L, ls] of [[0, "st"], [1, "ld"]] as const) {
    for (const [opc, regs, n] of MULTI) {
      const m = `${ls}${n}`;
      const sch = n === 1 ? "SQ1D" : "SQ";
      const list = `LIST(Rt,${regs},${sch})`;
      const d = `${L ? "Load" : "Store"} ${n === 1 ? `${regs} register${regs > 1 ? "s" : ""}` : `${n}-element structures`} (multiple structures)`;
      I(m, `0 Q:1 0011000 ${L} 000000 ${b2(opc, 4)} size:2 Rn:5 Rt:5`, `${list}, MEMV(off)`, d, "asisdlse");
      I(m, `0 Q:1 0011001 ${L} 0 Rm:5 ${b2(opc, 4)} size:2 Rn:5 Rt:5`, `${list}, MEMV(post,m,${regs})`, d + ", post-index", "asisdlsep");
    }
    // single structure: element size selects opcode<2:1>; (opcode<0>, R) select the count
    for (let n = 1; n <= 4; n++) {
      const o0 = (n - 1) >> 1, R = (n - 1) & 1;
      const m = `${ls}${n}`;
      const d = `${L ? "Load" : "Store"} ${n === 1 ? "one element" : `${n}-element structure`} to one lane`;
      const lanes: Array<[string, string]> = [
        ["b", `00${o0} S:1 size:2`], ["h", `01${o0} S:1 size:1 0`], ["s", `10${o0} S:1 00`], ["d", `10${o0} 0 01`],
      ];
      for (const [t, mid] of lanes) {
        const list = `LANE(Rt,${n},${t})`;
        I(m, `0 Q:1 0011010 ${L} ${R} 00000 ${mid} Rn:5 Rt:5`, `${list}, MEMV(off)`, d, "asisdlso");
        I(m, `0 Q:1 0011011 ${L} ${R} Rm:5 ${mid} Rn:5 Rt:5`, `${list}, MEMV(post,${t},${n})`, d + ", post-index", "asisdlsop");
      }
      if (L === 1) {
        const list = `LIST(Rt,${n},SQ1D)`;
        const dr = `Load ${n === 1 ? "one element" : `${n}-element structure`} and replicate to all lanes`;
        I(`ld${n}r`, `0 Q:1 0011010 1 ${R} 00000 11${o0} 0 size:2 Rn:5 Rt:5`, `${list}, MEMV(off)`, dr, "asisdlso");
        I(`ld${n}r`, `0 Q:1 0011011 1 ${R} Rm:5 11${o0} 0 size:2 Rn:5 Rt:5`, `${list}, MEMV(post,r,${n})`, dr + ", post-index", "asisdlsop");
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// AdvSIMD copy (DUP, INS, UMOV, SMOV) and scalar copy
// ---------------------------------------------------------------------------------------------
{
  const c = "asimdins";
  I("dup", "0 Q:1 0 01110000 imm5:5 0 0000 1 Rn:5 Rd:5", "VT5(Rd), E5(Rn,bhsd)", "Duplicate vector element to vector", c);
  I("dup", "0 Q:1 0 01110000 imm5:5 0 0001 1 Rn:5 Rd:5", "VT5(Rd), R5(Rn)", "Duplicate general-purpose register to vector", c);
  I("smov", "0 0 0 01110000 imm5:5 0 0101 1 Rn:5 Rd:5", "Wd, E5(Rn,bh)", "Signed move vector element to general-purpose register", c);
  I("smov", "0 1 0 01110000 imm5:5 0 0101 1 Rn:5 Rd:5", "Xd, E5(Rn,bhs)", "Signed move vector element to general-purpose register", c);
  I("mov", "0 0 0 01110000 imm5:5 0 0111 1 Rn:5 Rd:5", "Wd, E5(Rn,s)", "Move vector element to general-purpose register", c, { alias: "umov" });
  I("mov", "0 1 0 01110000 imm5:5 0 0111 1 Rn:5 Rd:5", "Xd, E5(Rn,d)", "Move vector element to general-purpose register", c, { alias: "umov" });
  I("umov", "0 0 0 01110000 imm5:5 0 0111 1 Rn:5 Rd:5", "Wd, E5(Rn,bhs)", "Unsigned move vector element to general-purpose register", c);
  I("umov", "0 1 0 01110000 imm5:5 0 0111 1 Rn:5 Rd:5", "Xd, E5(Rn,d)", "Unsigned move vector element to general-purpose register", c);
  I("mov", "0 1 0 01110000 imm5:5 0 0011 1 Rn:5 Rd:5", "E5(Rd,bhsd), R5(Rn)", "Move general-purpose register to vector element", c, { alias: "ins" });
  I("ins", "0 1 0 01110000 imm5:5 0 0011 1 Rn:5 Rd:5", "E5(Rd,bhsd), R5(Rn)", "Insert vector element from general-purpose register", c);
  I("mov", "0 1 1 01110000 imm5:5 0 imm4:4 1 Rn:5 Rd:5", "E5(Rd,bhsd), E4(Rn)", "Move vector element to another vector element", c, { alias: "ins" });
  I("ins", "0 1 1 01110000 imm5:5 0 imm4:4 1 Rn:5 Rd:5", "E5(Rd,bhsd), E4(Rn)", "Insert vector element from another vector element", c);
  I("mov", "01 0 11110000 imm5:5 0 0000 1 Rn:5 Rd:5", "SC5(Rd), E5(Rn,bhsd)", "Move vector element to scalar", "asisdone", { alias: "dup" });
  I("dup", "01 0 11110000 imm5:5 0 0000 1 Rn:5 Rd:5", "SC5(Rd), E5(Rn,bhsd)", "Duplicate vector element to scalar", "asisdone");
}

// ---------------------------------------------------------------------------------------------
// AdvSIMD modified immediate (MOVI, MVNI, ORR, BIC, FMOV)
// ---------------------------------------------------------------------------------------------
{
  const c = "asimdimm";
  const p = (op: string, cmode: string, o2 = "0", q = "Q:1") => `0 ${q} ${op} 0111100000 abc:3 ${cmode} ${o2} 1 defgh:5 Rd:5`;
  I("movi", p("0", "1110"), "V(Rd,BQ), MODIMM(8)", "Move immediate (8-bit)", c);
  I("movi", p("0", "10 sh:1 0"), "V(Rd,HQ), MODIMM(lsl16)", "Move immediate (16-bit shifted)", c);
  I("movi", p("0", "0 sh:2 0"), "V(Rd,SQ2), MODIMM(lsl32)", "Move immediate (32-bit shifted)", c);
  I("movi", p("0", "110 sh:1"), "V(Rd,SQ2), MODIMM(msl)", "Move immediate (32-bit shifting ones)", c);
  I("movi", p("1", "1110", "0", "Q=0"), "Dd, MODIMM(d64)", "Move immediate (64-bit scalar)", c);
  I("movi", p("1", "1110", "0", "Q=1"), "V(Rd,D2), MODIMM(d64)", "Move immediate (64-bit vector)", c);
  I("mvni", p("1", "10 sh:1 0"), "V(Rd,HQ), MODIMM(lsl16)", "Move inverted immediate (16-bit shifted)", c);
  I("mvni", p("1", "0 sh:2 0"), "V(Rd,SQ2), MODIMM(lsl32)", "Move inverted immediate (32-bit shifted)", c);
  I("mvni", p("1", "110 sh:1"), "V(Rd,SQ2), MODIMM(msl)", "Move inverted immediate (32-bit shifting ones)", c);
  I("orr", p("0", "10 sh:1 1"), "V(Rd,HQ), MODIMM(lsl16)", "Bitwise inclusive OR (vector, immediate, 16-bit)", c);
  I("orr", p("0", "0 sh:2 1"), "V(Rd,SQ2), MODIMM(lsl32)", "Bitwise inclusive OR (vector, immediate, 32-bit)", c);
  I("bic", p("1", "10 sh:1 1"), "V(Rd,HQ), MODIMM(lsl16)", "Bitwise bit clear (vector, immediate, 16-bit)", c);
  I("bic", p("1", "0 sh:2 1"), "V(Rd,SQ2), MODIMM(lsl32)", "Bitwise bit clear (vector, immediate, 32-bit)", c);
  I("fmov", p("0", "1111"), "V(Rd,SQ2), VFPIMM(s)", "Floating-point move immediate (vector, single)", c);
  I("fmov", p("0", "1111", "1"), "V(Rd,HQ), VFPIMM(h)", "Floating-point move immediate (vector, half)", c, { feature: "fp16" });
  I("fmov", p("1", "1111", "0", "Q=1"), "V(Rd,D2), VFPIMM(d)", "Floating-point move immediate (vector, double)", c);
}

// ---------------------------------------------------------------------------------------------
// AdvSIMD three same / scalar three same
// ---------------------------------------------------------------------------------------------
{
  const c = "asimdsame";
  // [U, opcode, mnemonic, arrangement scheme, description]
  const SAME: Array<[number, number, string, string, string]> = [
    [0, 0b00000, "shadd", "SQND", "Signed halving add"], [1, 0b00000, "uhadd", "SQND", "Unsigned halving add"],
    [0, 0b00001, "sqadd", "SQ", "Signed saturating add"], [1, 0b00001, "uqadd", "SQ", "Unsigned saturating add"],
    [0, 0b00010, "srhadd", "SQND", "Signed rounding halving add"], [1, 0b00010, "urhadd", "SQND", "Unsigned rounding halving add"],
    [0, 0b00100, "shsub", "SQND", "Signed halving subtract"], [1, 0b00100, "uhsub", "SQND", "Unsigned halving subtract"],
    [0, 0b00101, "sqsub", "SQ", "Signed saturating subtract"], [1, 0b00101, "uqsub", "SQ", "Unsigned saturating subtract"],
    [0, 0b00110, "cmgt", "SQ", "Compare signed greater than (vector)"], [1, 0b00110, "cmhi", "SQ", "Compare unsigned higher (vector)"],
    [0, 0b00111, "cmge", "SQ", "Compare signed greater than or equal (vector)"], [1, 0b00111, "cmhs", "SQ", "Compare unsigned higher or same (vector)"],
    [0, 0b01000, "sshl", "SQ", "Signed shift left (register)"], [1, 0b01000, "ushl", "SQ", "Unsigned shift left (register)"],
    [0, 0b01001, "sqshl", "SQ", "Signed saturating shift left (register)"], [1, 0b01001, "uqshl", "SQ", "Unsigned saturating shift left (register)"],
    [0, 0b01010, "srshl", "SQ", "Signed rounding shift left (register)"], [1, 0b01010, "urshl", "SQ", "Unsigned rounding shift left (register)"],
    [0, 0b01011, "sqrshl", "SQ", "Signed saturating rounding shift left (register)"], [1, 0b01011, "uqrshl", "SQ", "Unsigned saturating rounding shift left (register)"],
    [0, 0b01100, "smax", "SQND", "Signed maximum (vector)"], [1, 0b01100, "umax", "SQND", "Unsigned maximum (vector)"],
    [0, 0b01101, "smin", "SQND", "Signed minimum (vector)"], [1, 0b01101, "umin", "SQND", "Unsigned minimum (vector)"],
    [0, 0b01110, "sabd", "SQND", "Signed absolute difference"], [1, 0b01110, "uabd", "SQND", "Unsigned absolute difference"],
    [0, 0b01111, "saba", "SQND", "Signed absolute difference and accumulate"], [1, 0b01111, "uaba", "SQND", "Unsigned absolute difference and accumulate"],
    [0, 0b10000, "add", "SQ", "Add (vector)"], [1, 0b10000, "sub", "SQ", "Subtract (vector)"],
    [0, 0b10001, "cmtst", "SQ", "Compare bitwise test bits nonzero (vector)"], [1, 0b10001, "cmeq", "SQ", "Compare bitwise equal (vector)"],
    [0, 0b10010, "mla", "SQND", "Multiply-add to accumulator (vector)"], [1, 0b10010, "mls", "SQND", "Multiply-subtract from accumulator (vector)"],
    [0, 0b10011, "mul", "SQND", "Multiply (vector)"],
    [0, 0b10100, "smaxp", "SQND", "Signed maximum pairwise"], [1, 0b10100, "umaxp", "SQND", "Unsigned maximum pairwise"],
    [0, 0b10101, "sminp", "SQND", "Signed minimum pairwise"], [1, 0b10101, "uminp", "SQND", "Unsigned minimum pairwise"],
    [0, 0b10110, "sqdmulh", "HSQ", "Signed saturating doubling multiply returning high half"], [1, 0b10110, "sqrdmulh", "HSQ", "Signed saturating rounding doubling multiply returning high half"],
    [0, 0b10111, "addp", "SQ", "Add pairwise (vector)"],
  ];
  for (const [U, opc, m, sch, d] of SAME) {
    I(m, `0 Q:1 ${U} 01110 size:2 1 Rm:5 ${b2(opc, 5)} 1 Rn:5 Rd:5`, `V(Rd,${sch}), V(Rn,${sch}), V(Rm,${sch})`, d, c);
  }
  I("pmul", "0 Q:1 1 01110 00 1 Rm:5 10011 1 Rn:5 Rd:5", "V(Rd,BQ), V(Rn,BQ), V(Rm,BQ)", "Polynomial multiply", c);
  // logical: size is opc2
  for (const [U, size, m, d] of [
    [0, 0, "and", "Bitwise AND (vector)"], [0, 1, "bic", "Bitwise bit clear (vector, register)"], [0, 2, "orr", "Bitwise inclusive OR (vector, register)"],
    [0, 3, "orn", "Bitwise inclusive OR NOT (vector)"], [1, 0, "eor", "Bitwise exclusive OR (vector)"], [1, 1, "bsl", "Bitwise select"],
    [1, 2, "bit", "Bitwise insert if true"], [1, 3, "bif", "Bitwise insert if false"],
  ] as const) {
    const pat = `0 Q:1 ${U} 01110 ${b2(size, 2)} 1 Rm:5 00011 1 Rn:5 Rd:5`;
    if (m === "orr") I("mov", pat, "V(Rd,BQ), V(Rn,BQ)", "Move vector", c, { alias: "orr", ties: [["Rm", "Rn"]] });
    I(m, pat, "V(Rd,BQ), V(Rn,BQ), V(Rm,BQ)", d, c);
  }
  // floating point (single/double): [U, a, opcode, mnemonic, description]
  const FSAME: Array<[number, number, number, string, string]> = [
    [0, 0, 0b11000, "fmaxnm", "Floating-point maximum number (vector)"], [0, 1, 0b11000, "fminnm", "Floating-point minimum number (vector)"],
    [0, 0, 0b11001, "fmla", "Floating-point fused multiply-add to accumulator (vector)"], [0, 1, 0b11001, "fmls", "Floating-point fused multiply-subtract from accumulator (vector)"],
    [0, 0, 0b11010, "fadd", "Floating-point add (vector)"], [0, 1, 0b11010, "fsub", "Floating-point subtract (vector)"],
    [0, 0, 0b11011, "fmulx", "Floating-point multiply extended (vector)"], [0, 0, 0b11100, "fcmeq", "Floating-point compare equal (vector)"],
    [0, 0, 0b11110, "fmax", "Floating-point maximum (vector)"], [0, 1, 0b11110, "fmin", "Floating-point minimum (vector)"],
    [0, 0, 0b11111, "frecps", "Floating-point reciprocal step"], [0, 1, 0b11111, "frsqrts", "Floating-point reciprocal square root step"],
    [1, 0, 0b11000, "fmaxnmp", "Floating-point maximum number pairwise (vector)"], [1, 1, 0b11000, "fminnmp", "Floating-point minimum number pairwise (vector)"],
    [1, 0, 0b11010, "faddp", "Floating-point add pairwise (vector)"], [1, 1, 0b11010, "fabd", "Floating-point absolute difference (vector)"],
    [1, 0, 0b11011, "fmul", "Floating-point multiply (vector)"], [1, 0, 0b11100, "fcmge", "Floating-point compare greater than or equal (vector)"],
    [1, 1, 0b11100, "fcmgt", "Floating-point compare greater than (vector)"], [1, 0, 0b11101, "facge", "Floating-point absolute compare greater than or equal (vector)"],
    [1, 1, 0b11101, "facgt", "Floating-point absolute compare greater than (vector)"], [1, 0, 0b11110, "fmaxp", "Floating-point maximum pairwise (vector)"],
    [1, 1, 0b11110, "fminp", "Floating-point minimum pairwise (vector)"], [1, 0, 0b11111, "fdiv", "Floating-point divide (vector)"],
  ];
  for (const [U, a, opc, m, d] of FSAME) {
    I(m, `0 Q:1 ${U} 01110 ${a} sz:1 1 Rm:5 ${b2(opc, 5)} 1 Rn:5 Rd:5`, "V(Rd,FQ), V(Rn,FQ), V(Rm,FQ)", d, c);
    // FEAT_FP16: the same operations on half precision (three same FP16: opcode<2:0>, bits 15:14 = 00)
    I(m, `0 Q:1 ${U} 01110 ${a} 10 Rm:5 00 ${b2(opc & 7, 3)} 1 Rn:5 Rd:5`, "V(Rd,HQ), V(Rn,HQ), V(Rm,HQ)", d.replace("(vector)", "(vector, half)"), "asimdsamefp16", { feature: "fp16" });
  }
  // scalar three same (64-bit integer forms)
  const s = "asisdsame";
  for (const [U, opc, m, d] of [
    [0, 0b10000, "add", "Add (scalar)"], [1, 0b10000, "sub", "Subtract (scalar)"],
    [0, 0b00110, "cmgt", "Compare signed greater than (scalar)"], [1, 0b00110, "cmhi", "Compare unsigned higher (scalar)"],
    [0, 0b00111, "cmge", "Compare signed greater than or equal (scalar)"], [1, 0b00111, "cmhs", "Compare unsigned higher or same (scalar)"],
    [0, 0b10001, "cmtst", "Compare bitwise test bits nonzero (scalar)"], [1, 0b10001, "cmeq", "Compare bitwise equal (scalar)"],
    [0, 0b01000, "sshl", "Signed shift left (scalar register)"], [1, 0b01000, "ushl", "Unsigned shift left (scalar register)"],
  ] as const) {
    I(m, `01 ${U} 11110 11 1 Rm:5 ${b2(opc, 5)} 1 Rn:5 Rd:5`, "Dd, Dn, Dm", d, s);
  }
  // scalar three same, saturating and shift forms: [U, opcode, mnemonic, register scheme, description]
  for (const [U, opc, m, sch, d] of [
    [0, 0b00001, "sqadd", "SZ", "Signed saturating add (scalar)"], [1, 0b00001, "uqadd", "SZ", "Unsigned saturating add (scalar)"],
    [0, 0b00101, "sqsub", "SZ", "Signed saturating subtract (scalar)"], [1, 0b00101, "uqsub", "SZ", "Unsigned saturating subtract (scalar)"],
    [0, 0b01001, "sqshl", "SZ", "Signed saturating shift left (scalar register)"], [1, 0b01001, "uqshl", "SZ", "Unsigned saturating shift left (scalar register)"],
    [0, 0b01010, "srshl", "D", "Signed rounding shift left (scalar register)"], [1, 0b01010, "urshl", "D", "Unsigned rounding shift left (scalar register)"],
    [0, 0b01011, "sqrshl", "SZ", "Signed saturating rounding shift left (scalar register)"], [1, 0b01011, "uqrshl", "SZ", "Unsigned saturating rounding shift left (scalar register)"],
    [0, 0b10110, "sqdmulh", "SZHS", "Signed saturating doubling multiply returning high half (scalar)"],
    [1, 0b10110, "sqrdmulh", "SZHS", "Signed saturating rounding doubling multiply returning high half (scalar)"],
  ] as const) {
    if (sch === "D") I(m, `01 ${U} 11110 11 1 Rm:5 ${b2(opc, 5)} 1 Rn:5 Rd:5`, "Dd, Dn, Dm", d, s);
    else I(m, `01 ${U} 11110 size:2 1 Rm:5 ${b2(opc, 5)} 1 Rn:5 Rd:5`, `SC(Rd,${sch}), SC(Rn,${sch}), SC(Rm,${sch})`, d, s);
  }
  // three same extra: FEAT_RDM and FEAT_DotProd
  for (const [opc, m, d] of [[0, "sqrdmlah", "Signed saturating rounding doubling multiply accumulate returning high half"],
    [1, "sqrdmlsh", "Signed saturating rounding doubling multiply subtract returning high half"]] as const) {
    I(m, `0 Q:1 1 01110 size:2 0 Rm:5 1 000${opc} 1 Rn:5 Rd:5`, "V(Rd,HSQ), V(Rn,HSQ), V(Rm,HSQ)", d + " (vector)", "asimdsame2", { feature: "rdm" });
    I(m, `01 1 11110 size:2 0 Rm:5 1 000${opc} 1 Rn:5 Rd:5`, "SC(Rd,SZHS), SC(Rn,SZHS), SC(Rm,SZHS)", d + " (scalar)", "asisdsame2", { feature: "rdm" });
  }
  for (const [U, m] of [[0, "sdot"], [1, "udot"]] as const) {
    I(m, `0 Q:1 ${U} 01110 10 0 Rm:5 1 0010 1 Rn:5 Rd:5`, "V(Rd,SQ2), V(Rn,BQ), V(Rm,BQ)", `${U ? "Unsigned" : "Signed"} dot product (vector)`, "asimdsame2", { feature: "dotprod" });
  }
  for (const [U, a, opc, m, d] of [
    [1, 1, 0b11010, "fabd", "Floating-point absolute difference (scalar)"], [0, 0, 0b11100, "fcmeq", "Floating-point compare equal (scalar)"],
    [1, 0, 0b11100, "fcmge", "Floating-point compare greater than or equal (scalar)"], [1, 1, 0b11100, "fcmgt", "Floating-point compare greater than (scalar)"],
    [1, 0, 0b11101, "facge", "Floating-point absolute compare greater than or equal (scalar)"], [1, 1, 0b11101, "facgt", "Floating-point absolute compare greater than (scalar)"],
    [0, 0, 0b11011, "fmulx", "Floating-point multiply extended (scalar)"], [0, 0, 0b11111, "frecps", "Floating-point reciprocal step (scalar)"],
    [0, 1, 0b11111, "frsqrts", "Floating-point reciprocal square root step (scalar)"],
  ] as const) {
    I(m, `01 ${U} 11110 ${a} sz:1 1 Rm:5 ${b2(opc, 5)} 1 Rn:5 Rd:5`, "SC(Rd,FSZ), SC(Rn,FSZ), SC(Rm,FSZ)", d, s);
    I(m, `01 ${U} 11110 ${a} 10 Rm:5 00 ${b2(opc & 7, 3)} 1 Rn:5 Rd:5`, "Hd, Hn, Hm", d.replace("(scalar)", "(scalar, half)"), "asisdsamefp16", { feature: "fp16" });
  }
}

// ---------------------------------------------------------------------------------------------
// AdvSIMD two-register miscellaneous / scalar two-register miscellaneous
// ---------------------------------------------------------------------------------------------
{
  const c = "asimdmisc";
  const p = (U: number, size: string, opc: number) => `0 Q:1 ${U} 01110 ${size} 10000 ${b2(opc, 5)} 10 Rn:5 Rd:5`;
  const MISC: Array<[number, number, string, string, string]> = [
    [0, 0b00000, "rev64", "SQND", "Reverse elements in 64-bit doublewords"], [1, 0b00000, "rev32", "BHQ", "Reverse elements in 32-bit words"],
    [0, 0b00011, "suqadd", "SQ", "Signed saturating accumulate of unsigned value"], [1, 0b00011, "usqadd", "SQ", "Unsigned saturating accumulate of signed value"],
    [0, 0b00100, "cls", "SQND", "Count leading sign bits (vector)"], [1, 0b00100, "clz", "SQND", "Count leading zero bits (vector)"],
    [0, 0b00111, "sqabs", "SQ", "Signed saturating absolute value"], [1, 0b00111, "sqneg", "SQ", "Signed saturating negate"],
    [0, 0b01011, "abs", "SQ", "Absolute value (vector)"], [1, 0b01011, "neg", "SQ", "Negate (vector)"],
  ];
  for (const [U, opc, m, sch, d] of MISC) I(m, p(U, "size:2", opc), `V(Rd,${sch}), V(Rn,${sch})`, d, c);
  I("rev16", p(0, "00", 0b00001), "V(Rd,BQ), V(Rn,BQ)", "Reverse elements in 16-bit halfwords", c);
  I("cnt", p(0, "00", 0b00101), "V(Rd,BQ), V(Rn,BQ)", "Population count per byte", c);
  I("mvn", p(1, "00", 0b00101), "V(Rd,BQ), V(Rn,BQ)", "Bitwise NOT (vector)", c, { alias: "not" });
  I("not", p(1, "00", 0b00101), "V(Rd,BQ), V(Rn,BQ)", "Bitwise NOT (vector)", c);
  I("rbit", p(1, "01", 0b00101), "V(Rd,BQ), V(Rn,BQ)", "Reverse bit order (vector)", c);
  for (const [U, opc, m, d] of [[0, 0b00010, "saddlp", "Signed add long pairwise"], [1, 0b00010, "uaddlp", "Unsigned add long pairwise"],
    [0, 0b00110, "sadalp", "Signed add and accumulate long pairwise"], [1, 0b00110, "uadalp", "Unsigned add and accumulate long pairwise"]] as const) {
    I(m, p(U, "size:2", opc), "V(Rd,LP), V(Rn,SQND)", d, c);
  }
  for (const [U, opc, m, zero, d] of [
    [0, 0b01000, "cmgt", "0", "Compare signed greater than zero (vector)"], [1, 0b01000, "cmge", "0", "Compare signed greater than or equal to zero (vector)"],
    [0, 0b01001, "cmeq", "0", "Compare bitwise equal to zero (vector)"], [1, 0b01001, "cmle", "0", "Compare signed less than or equal to zero (vector)"],
    [0, 0b01010, "cmlt", "0", "Compare signed less than zero (vector)"],
  ] as const) {
    I(m, p(U, "size:2", opc), `V(Rd,SQ), V(Rn,SQ), FIXED(${zero})`, d, c);
    I(m, `01 ${U} 11110 11 10000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, `Dd, Dn, FIXED(${zero})`, d.replace("(vector)", "(scalar)"), "asisdmisc");
  }
  I("abs", "01 0 11110 11 10000 01011 10 Rn:5 Rd:5", "Dd, Dn", "Absolute value (scalar)", "asisdmisc");
  for (const [U, opc, m, d] of [[0, 0b00011, "suqadd", "Signed saturating accumulate of unsigned value (scalar)"],
    [1, 0b00011, "usqadd", "Unsigned saturating accumulate of signed value (scalar)"],
    [0, 0b00111, "sqabs", "Signed saturating absolute value (scalar)"], [1, 0b00111, "sqneg", "Signed saturating negate (scalar)"]] as const) {
    I(m, `01 ${U} 11110 size:2 10000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "SC(Rd,SZ), SC(Rn,SZ)", d, "asisdmisc");
  }
  for (const [U, opc, m, d] of [[1, 0b10010, "sqxtun", "Signed saturating extract unsigned narrow (scalar)"],
    [0, 0b10100, "sqxtn", "Signed saturating extract narrow (scalar)"], [1, 0b10100, "uqxtn", "Unsigned saturating extract narrow (scalar)"]] as const) {
    I(m, `01 ${U} 11110 size:2 10000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "SC(Rd,SZBHS), SC(Rn,SZL)", d, "asisdmisc");
  }
  I("neg", "01 1 11110 11 10000 01011 10 Rn:5 Rd:5", "Dd, Dn", "Negate (scalar)", "asisdmisc");
  // narrowing: xtn/xtn2 ... (Q selects the upper half)
  for (const [U, opc, m, d] of [[0, 0b10010, "xtn", "Extract narrow"], [1, 0b10010, "sqxtun", "Signed saturating extract unsigned narrow"],
    [0, 0b10100, "sqxtn", "Signed saturating extract narrow"], [1, 0b10100, "uqxtn", "Unsigned saturating extract narrow"]] as const) {
    I(m, `0 Q=0 ${U} 01110 size:2 10000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "V(Rd,SQND), V(Rn,L)", d, c);
    I(m + "2", `0 Q=1 ${U} 01110 size:2 10000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "V(Rd,SQND), V(Rn,L)", d + " (upper half)", c);
  }
  I("urecpe", "0 Q:1 0 01110 1 0 10000 11100 10 Rn:5 Rd:5", "V(Rd,SQ2), V(Rn,SQ2)", "Unsigned reciprocal estimate", c);
  I("ursqrte", "0 Q:1 1 01110 1 0 10000 11100 10 Rn:5 Rd:5", "V(Rd,SQ2), V(Rn,SQ2)", "Unsigned reciprocal square root estimate", c);
  I("shll", "0 Q=0 1 01110 size:2 10000 10011 10 Rn:5 Rd:5", "V(Rd,L), V(Rn,SQND), FIXED(shll)", "Shift left long (by element size)", c);
  I("shll2", "0 Q=1 1 01110 size:2 10000 10011 10 Rn:5 Rd:5", "V(Rd,L), V(Rn,SQND), FIXED(shll)", "Shift left long (by element size, upper half)", c);
  // floating point: [U, a, opcode, mnemonic, description]
  const FMISC: Array<[number, number, number, string, string]> = [
    [0, 1, 0b01111, "fabs", "Floating-point absolute value (vector)"], [1, 1, 0b01111, "fneg", "Floating-point negate (vector)"],
    [1, 1, 0b11111, "fsqrt", "Floating-point square root (vector)"],
    [0, 0, 0b11000, "frintn", "Floating-point round to integral, to nearest with ties to even (vector)"], [0, 1, 0b11000, "frintp", "Floating-point round to integral, toward +inf (vector)"],
    [0, 0, 0b11001, "frintm", "Floating-point round to integral, toward -inf (vector)"], [0, 1, 0b11001, "frintz", "Floating-point round to integral, toward zero (vector)"],
    [1, 0, 0b11000, "frinta", "Floating-point round to integral, to nearest with ties away (vector)"], [1, 0, 0b11001, "frintx", "Floating-point round to integral exact (vector)"],
    [1, 1, 0b11001, "frinti", "Floating-point round to integral, current mode (vector)"],
    [0, 0, 0b11010, "fcvtns", "Floating-point convert to signed integer, to nearest (vector)"], [1, 0, 0b11010, "fcvtnu", "Floating-point convert to unsigned integer, to nearest (vector)"],
    [0, 1, 0b11010, "fcvtps", "Floating-point convert to signed integer, toward +inf (vector)"], [1, 1, 0b11010, "fcvtpu", "Floating-point convert to unsigned integer, toward +inf (vector)"],
    [0, 0, 0b11011, "fcvtms", "Floating-point convert to signed integer, toward -inf (vector)"], [1, 0, 0b11011, "fcvtmu", "Floating-point convert to unsigned integer, toward -inf (vector)"],
    [0, 1, 0b11011, "fcvtzs", "Floating-point convert to signed integer, toward zero (vector)"], [1, 1, 0b11011, "fcvtzu", "Floating-point convert to unsigned integer, toward zero (vector)"],
    [0, 0, 0b11100, "fcvtas", "Floating-point convert to signed integer, ties away (vector)"], [1, 0, 0b11100, "fcvtau", "Floating-point convert to unsigned integer, ties away (vector)"],
    [0, 0, 0b11101, "scvtf", "Signed integer convert to floating-point (vector)"], [1, 0, 0b11101, "ucvtf", "Unsigned integer convert to floating-point (vector)"],
    [0, 1, 0b11101, "frecpe", "Floating-point reciprocal estimate (vector)"], [1, 1, 0b11101, "frsqrte", "Floating-point reciprocal square root estimate (vector)"],
  ];
  const h16 = { feature: "fp16" };
  for (const [U, a, opc, m, d] of FMISC) {
    I(m, `0 Q:1 ${U} 01110 ${a} sz:1 10000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "V(Rd,FQ), V(Rn,FQ)", d, c);
    I(m, `0 Q:1 ${U} 01110 ${a} 1111 00 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "V(Rd,HQ), V(Rn,HQ)", d.replace("(vector)", "(vector, half)"), "asimdmiscfp16", h16);
    if (opc >= 0b11010 && opc <= 0b11101) {
      I(m, `01 ${U} 11110 ${a} sz:1 10000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "SC(Rd,FSZ), SC(Rn,FSZ)", d.replace("(vector)", "(scalar)"), "asisdmisc");
      I(m, `01 ${U} 11110 ${a} 1111 00 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "Hd, Hn", d.replace("(vector)", "(scalar, half)"), "asisdmiscfp16", h16);
    }
  }
  for (const [U, opc, m, d] of [[0, 0b01100, "fcmgt", "Floating-point compare greater than zero"], [1, 0b01100, "fcmge", "Floating-point compare greater than or equal to zero"],
    [0, 0b01101, "fcmeq", "Floating-point compare equal to zero"], [1, 0b01101, "fcmle", "Floating-point compare less than or equal to zero"],
    [0, 0b01110, "fcmlt", "Floating-point compare less than zero"]] as const) {
    I(m, `0 Q:1 ${U} 01110 1 sz:1 10000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "V(Rd,FQ), V(Rn,FQ), FIXED(0.0)", d + " (vector)", c);
    I(m, `01 ${U} 11110 1 sz:1 10000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "SC(Rd,FSZ), SC(Rn,FSZ), FIXED(0.0)", d + " (scalar)", "asisdmisc");
    I(m, `0 Q:1 ${U} 01110 1 1111 00 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "V(Rd,HQ), V(Rn,HQ), FIXED(0.0)", d + " (vector, half)", "asimdmiscfp16", h16);
    I(m, `01 ${U} 11110 1 1111 00 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "Hd, Hn, FIXED(0.0)", d + " (scalar, half)", "asisdmiscfp16", h16);
  }
  I("frecpx", "01 0 11110 1 sz:1 10000 11111 10 Rn:5 Rd:5", "SC(Rd,FSZ), SC(Rn,FSZ)", "Floating-point reciprocal exponent (scalar)", "asisdmisc");
  I("frecpx", "01 0 11110 1 1111 00 11111 10 Rn:5 Rd:5", "Hd, Hn", "Floating-point reciprocal exponent (scalar, half)", "asisdmiscfp16", h16);
  // FP narrowing and lengthening conversions: Q selects the half of the narrow vector
  for (const [q, sfx] of [["Q=0", ""], ["Q=1", "2"]] as const) {
    const up = sfx ? " (upper half)" : "";
    I("fcvtn" + sfx, `0 ${q} 0 01110 0 sz:1 10000 10110 10 Rn:5 Rd:5`, "V(Rd,FNQ), V(Rn,FW)", "Floating-point convert to lower precision narrow (vector)" + up, c);
    I("fcvtxn" + sfx, `0 ${q} 1 01110 0 1 10000 10110 10 Rn:5 Rd:5`, "V(Rd,SQ2), V(Rn,D2X)", "Floating-point convert to lower precision narrow, rounding to odd (vector)" + up, c);
    I("fcvtl" + sfx, `0 ${q} 0 01110 0 sz:1 10000 10111 10 Rn:5 Rd:5`, "V(Rd,FW), V(Rn,FNQ)", "Floating-point convert to higher precision long (vector)" + up, c);
  }
  I("fcvtxn", "01 1 11110 0 1 10000 10110 10 Rn:5 Rd:5", "Sd, Dn", "Floating-point convert to lower precision narrow, rounding to odd (scalar)", "asisdmisc");
}

// ---------------------------------------------------------------------------------------------
// AdvSIMD across lanes, scalar pairwise
// ---------------------------------------------------------------------------------------------
{
  const c = "asimdall";
  for (const [U, opc, m, res, d] of [
    [0, 0b00011, "saddlv", "SZL", "Signed add long across vector"], [1, 0b00011, "uaddlv", "SZL", "Unsigned add long across vector"],
    [0, 0b01010, "smaxv", "SZBHS", "Signed maximum across vector"], [1, 0b01010, "umaxv", "SZBHS", "Unsigned maximum across vector"],
    [0, 0b11010, "sminv", "SZBHS", "Signed minimum across vector"], [1, 0b11010, "uminv", "SZBHS", "Unsigned minimum across vector"],
    [0, 0b11011, "addv", "SZBHS", "Add across vector"],
  ] as const) {
    I(m, `0 Q:1 ${U} 01110 size:2 11000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, `SC(Rd,${res}), V(Rn,ACR)`, d, c);
  }
  for (const [a, opc, m, d] of [[0, 0b01100, "fmaxnmv", "Floating-point maximum number across vector"], [0, 0b01111, "fmaxv", "Floating-point maximum across vector"],
    [1, 0b01100, "fminnmv", "Floating-point minimum number across vector"], [1, 0b01111, "fminv", "Floating-point minimum across vector"]] as const) {
    I(m, `0 1 1 01110 ${a} 0 11000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "Sd, V(Rn,S4)", d, c);
    I(m, `0 Q:1 0 01110 ${a} 0 11000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "Hd, V(Rn,HQ)", d + " (half)", c, { feature: "fp16" });
  }
  const s = "asisdpair";
  I("addp", "01 0 11110 11 11000 11011 10 Rn:5 Rd:5", "Dd, V(Rn,D2X)", "Add pair of elements (scalar)", s);
  for (const [a, opc, m, d] of [[0, 0b01101, "faddp", "Floating-point add pair of elements (scalar)"], [0, 0b01111, "fmaxp", "Floating-point maximum of pair of elements (scalar)"],
    [1, 0b01111, "fminp", "Floating-point minimum of pair of elements (scalar)"], [0, 0b01100, "fmaxnmp", "Floating-point maximum number of pair of elements (scalar)"],
    [1, 0b01100, "fminnmp", "Floating-point minimum number of pair of elements (scalar)"]] as const) {
    I(m, `01 1 11110 ${a} sz:1 11000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "SC(Rd,FSZ), V(Rn,FP2)", d, s);
    I(m, `01 0 11110 ${a} 0 11000 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "Hd, V(Rn,H2)", d.replace("(scalar)", "(scalar, half)"), s, { feature: "fp16" });
  }
}

// ---------------------------------------------------------------------------------------------
// AdvSIMD permute, extract, table lookup
// ---------------------------------------------------------------------------------------------
{
  for (const [opc, m, d] of [[1, "uzp1", "Unzip vectors (primary)"], [2, "trn1", "Transpose vectors (primary)"], [3, "zip1", "Zip vectors (primary)"],
    [5, "uzp2", "Unzip vectors (secondary)"], [6, "trn2", "Transpose vectors (secondary)"], [7, "zip2", "Zip vectors (secondary)"]] as const) {
    I(m, `0 Q:1 0 01110 size:2 0 Rm:5 0 ${b2(opc, 3)} 10 Rn:5 Rd:5`, "V(Rd,SQ), V(Rn,SQ), V(Rm,SQ)", d, "asimdperm");
  }
  I("ext", "0 Q:1 101110 00 0 Rm:5 0 imm4:4 0 Rn:5 Rd:5", "V(Rd,BQ), V(Rn,BQ), V(Rm,BQ), EXTIDX", "Extract vector from pair of vectors", "asimdext");
  for (let len = 0; len < 4; len++) {
    for (const [op, m] of [[0, "tbl"], [1, "tbx"]] as const) {
      I(m, `0 Q:1 001110 00 0 Rm:5 0 ${b2(len, 2)} ${op} 00 Rn:5 Rd:5`, `V(Rd,BQ), LIST(Rn,${len + 1},B16), V(Rm,BQ)`,
        `Table vector lookup${op ? " extension" : ""} (${len + 1} register${len ? "s" : ""})`, "asimdtbl");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// AdvSIMD shift by immediate / scalar shift by immediate
// ---------------------------------------------------------------------------------------------
{
  const c = "asimdshf";
  const p = (q: string, U: number, opc: number) => `0 ${q} ${U} 011110 immh:4 immb:3 ${b2(opc, 5)} 1 Rn:5 Rd:5`;
  for (const [U, opc, m, dir, d] of [
    [0, 0b00000, "sshr", "r", "Signed shift right (immediate)"], [1, 0b00000, "ushr", "r", "Unsigned shift right (immediate)"],
    [0, 0b00010, "ssra", "r", "Signed shift right and accumulate (immediate)"], [1, 0b00010, "usra", "r", "Unsigned shift right and accumulate (immediate)"],
    [0, 0b00100, "srshr", "r", "Signed rounding shift right (immediate)"], [1, 0b00100, "urshr", "r", "Unsigned rounding shift right (immediate)"],
    [0, 0b00110, "srsra", "r", "Signed rounding shift right and accumulate (immediate)"], [1, 0b00110, "ursra", "r", "Unsigned rounding shift right and accumulate (immediate)"],
    [1, 0b01000, "sri", "r", "Shift right and insert (immediate)"], [0, 0b01010, "shl", "l", "Shift left (immediate)"],
    [1, 0b01010, "sli", "l", "Shift left and insert (immediate)"], [1, 0b01100, "sqshlu", "l", "Signed saturating shift left unsigned (immediate)"],
    [0, 0b01110, "sqshl", "l", "Signed saturating shift left (immediate)"], [1, 0b01110, "uqshl", "l", "Unsigned saturating shift left (immediate)"],
  ] as const) {
    I(m, p("Q:1", U, opc), `VSH(Rd,n), VSH(Rn,n), SHIMM(${dir})`, d, c);
    if (opc <= 0b01010) {
      I(m, `01 ${U} 111110 immh:4 immb:3 ${b2(opc, 5)} 1 Rn:5 Rd:5`, `Dd, Dn, SHIMM(${dir})`, d.replace("(immediate)", "(scalar, immediate)"), "asisdshf", { when: (f) => f.immh >= 8, encodeWhen: true });
    }
  }
  for (const [U, opc, m, d] of [[1, 0b01100, "sqshlu", "Signed saturating shift left unsigned (scalar, immediate)"],
    [0, 0b01110, "sqshl", "Signed saturating shift left (scalar, immediate)"], [1, 0b01110, "uqshl", "Unsigned saturating shift left (scalar, immediate)"]] as const) {
    I(m, `01 ${U} 111110 immh:4 immb:3 ${b2(opc, 5)} 1 Rn:5 Rd:5`, "SSH(Rd,n), SSH(Rn,n), SHIMM(l)", d, "asisdshf");
  }
  for (const [U, opc, m, d] of [[1, 0b10000, "sqshrun", "Signed saturating shift right unsigned narrow (scalar, immediate)"],
    [1, 0b10001, "sqrshrun", "Signed saturating rounded shift right unsigned narrow (scalar, immediate)"],
    [0, 0b10010, "sqshrn", "Signed saturating shift right narrow (scalar, immediate)"], [1, 0b10010, "uqshrn", "Unsigned saturating shift right narrow (scalar, immediate)"],
    [0, 0b10011, "sqrshrn", "Signed saturating rounded shift right narrow (scalar, immediate)"], [1, 0b10011, "uqrshrn", "Unsigned saturating rounded shift right narrow (scalar, immediate)"]] as const) {
    I(m, `01 ${U} 111110 immh:4 immb:3 ${b2(opc, 5)} 1 Rn:5 Rd:5`, "SSH(Rd,n), SSH(Rn,l), SHIMM(r)", d, "asisdshf", { when: (f) => f.immh < 8, encodeWhen: true });
  }
  for (const [U, opc, m, d] of [
    [0, 0b10000, "shrn", "Shift right narrow (immediate)"], [1, 0b10000, "sqshrun", "Signed saturating shift right unsigned narrow (immediate)"],
    [0, 0b10001, "rshrn", "Rounding shift right narrow (immediate)"], [1, 0b10001, "sqrshrun", "Signed saturating rounded shift right unsigned narrow (immediate)"],
    [0, 0b10010, "sqshrn", "Signed saturating shift right narrow (immediate)"], [1, 0b10010, "uqshrn", "Unsigned saturating shift right narrow (immediate)"],
    [0, 0b10011, "sqrshrn", "Signed saturating rounded shift right narrow (immediate)"], [1, 0b10011, "uqrshrn", "Unsigned saturating rounded shift right narrow (immediate)"],
  ] as const) {
    I(m, p("Q=0", U, opc), "VSH(Rd,n), VSH(Rn,l), SHIMM(r)", d, c, { when: (f) => f.immh < 8, encodeWhen: true });
    I(m + "2", p("Q=1", U, opc), "VSH(Rd,n), VSH(Rn,l), SHIMM(r)", d + " (upper half)", c, { when: (f) => f.immh < 8, encodeWhen: true });
  }
  for (const [U, m, al, d] of [[0, "sshll", "sxtl", "Signed shift left long (immediate)"], [1, "ushll", "uxtl", "Unsigned shift left long (immediate)"]] as const) {
    for (const [q, sfx] of [["Q=0", ""], ["Q=1", "2"]] as const) {
      const pat = p(q, U, 0b10100);
      const ok = (f: Fields) => f.immh < 8;
      I(al + sfx, pat, "VSH(Rd,l), VSH(Rn,n), SHZERO", `${U ? "Unsigned" : "Signed"} extend long${sfx ? " (upper half)" : ""}`, c,
        { alias: m + sfx, when: (f) => ok(f) && f.immh === 1 << shEsOf(f.immh) && f.immb === 0 });
      I(m + sfx, pat, "VSH(Rd,l), VSH(Rn,n), SHIMM(l)", d + (sfx ? " (upper half)" : ""), c, { when: ok, encodeWhen: true });
    }
  }
  for (const [U, opc, m, d] of [[0, 0b11100, "scvtf", "Signed fixed-point convert to floating-point (vector)"], [1, 0b11100, "ucvtf", "Unsigned fixed-point convert to floating-point (vector)"],
    [0, 0b11111, "fcvtzs", "Floating-point convert to signed fixed-point, rounding toward zero (vector)"], [1, 0b11111, "fcvtzu", "Floating-point convert to unsigned fixed-point, rounding toward zero (vector)"]] as const) {
    I(m, p("Q:1", U, opc), "VSH(Rd,n), VSH(Rn,n), SHIMM(r)", d, c, { when: (f) => f.immh >= 4, encodeWhen: true });
    I(m, `01 ${U} 111110 immh:4 immb:3 ${b2(opc, 5)} 1 Rn:5 Rd:5`, "SSH(Rd), SSH(Rn), SHIMM(r)", d.replace("(vector)", "(scalar)"), "asisdshf", { when: (f) => f.immh >= 4, encodeWhen: true });
    // FEAT_FP16: half precision, immh = 001x
    I(m, p("Q:1", U, opc), "VSH(Rd,n), VSH(Rn,n), SHIMM(r)", d.replace("(vector)", "(vector, half)"), c, { when: (f) => f.immh >= 2 && f.immh < 4, encodeWhen: true, feature: "fp16" });
    I(m, `01 ${U} 111110 immh:4 immb:3 ${b2(opc, 5)} 1 Rn:5 Rd:5`, "SSH(Rd), SSH(Rn), SHIMM(r)", d.replace("(vector)", "(scalar, half)"), "asisdshf", { when: (f) => f.immh >= 2 && f.immh < 4, encodeWhen: true, feature: "fp16" });
  }
}
function shEsOf(immh: number): number {
  return immh === 0 ? -1 : 31 - Math.clz32(immh);
}

// ---------------------------------------------------------------------------------------------
// AdvSIMD three different (long, wide, narrow)
// ---------------------------------------------------------------------------------------------
{
  const c = "asimddiff";
  for (const [opc, kind, s, u, d] of [
    [0b0000, "l", "saddl", "uaddl", "add long"], [0b0001, "w", "saddw", "uaddw", "add wide"],
    [0b0010, "l", "ssubl", "usubl", "subtract long"], [0b0011, "w", "ssubw", "usubw", "subtract wide"],
    [0b0100, "n", "addhn", "raddhn", "add returning high narrow"], [0b0101, "l", "sabal", "uabal", "absolute difference and accumulate long"],
    [0b0110, "n", "subhn", "rsubhn", "subtract returning high narrow"], [0b0111, "l", "sabdl", "uabdl", "absolute difference long"],
    [0b1000, "l", "smlal", "umlal", "multiply-add long"], [0b1010, "l", "smlsl", "umlsl", "multiply-subtract long"],
    [0b1100, "l", "smull", "umull", "multiply long"],
  ] as const) {
    const ops = kind === "l" ? "V(Rd,L), V(Rn,SQND), V(Rm,SQND)" : kind === "w" ? "V(Rd,L), V(Rn,L), V(Rm,SQND)" : "V(Rd,SQND), V(Rn,L), V(Rm,L)";
    for (const [U, m] of [[0, s], [1, u]] as const) {
      const what = kind === "n" ? (U ? "Rounding " + d : d[0].toUpperCase() + d.slice(1)) : `${U ? "Unsigned" : "Signed"} ${d}`;
      for (const [q, sfx] of [["Q=0", ""], ["Q=1", "2"]] as const) {
        I(m + sfx, `0 ${q} ${U} 01110 size:2 1 Rm:5 ${b2(opc, 4)} 00 Rn:5 Rd:5`, ops, what + (sfx ? " (upper half)" : ""), c);
      }
    }
  }
}

{
  // saturating doubling long forms (H and S sources only), vector and scalar
  for (const [opc, m, d] of [[0b1001, "sqdmlal", "Signed saturating doubling multiply-add long"],
    [0b1011, "sqdmlsl", "Signed saturating doubling multiply-subtract long"], [0b1101, "sqdmull", "Signed saturating doubling multiply long"]] as const) {
    for (const [q, sfx] of [["Q=0", ""], ["Q=1", "2"]] as const) {
      I(m + sfx, `0 ${q} 0 01110 size:2 1 Rm:5 ${b2(opc, 4)} 00 Rn:5 Rd:5`, "V(Rd,LHS), V(Rn,HSQ), V(Rm,HSQ)", d + (sfx ? " (upper half)" : ""), "asimddiff");
    }
    I(m, `01 0 11110 size:2 1 Rm:5 ${b2(opc, 4)} 00 Rn:5 Rd:5`, "SC(Rd,SZSD), SC(Rn,SZHS), SC(Rm,SZHS)", d + " (scalar)", "asisddiff");
  }
  // PMULL with 8-bit elements; the 64-bit (1Q) form is FEAT_PMULL, with the crypto records.
  I("pmull", "0 0 0 01110 00 1 Rm:5 1110 00 Rn:5 Rd:5", "V(Rd,H8), V(Rn,B8), V(Rm,B8)", "Polynomial multiply long", "asimddiff");
  I("pmull2", "0 1 0 01110 00 1 Rm:5 1110 00 Rn:5 Rd:5", "V(Rd,H8), V(Rn,B16), V(Rm,B16)", "Polynomial multiply long (upper half)", "asimddiff");
}

// ---------------------------------------------------------------------------------------------
// AdvSIMD vector x indexed element / scalar x indexed element (common forms)
// ---------------------------------------------------------------------------------------------
{
  const c = "asimdelem";
  const p = (q: string, U: number, size: string, opc: number) => `0 ${q} ${U} 01111 ${size} L:1 M:1 Rm:4 ${b2(opc, 4)} H:1 0 Rn:5 Rd:5`;
  for (const [U, opc, m, d] of [[0, 0b1000, "mul", "Multiply (by element)"], [1, 0b0000, "mla", "Multiply-add to accumulator (by element)"],
    [1, 0b0100, "mls", "Multiply-subtract from accumulator (by element)"], [0, 0b1100, "sqdmulh", "Signed saturating doubling multiply returning high half (by element)"],
    [0, 0b1101, "sqrdmulh", "Signed saturating rounding doubling multiply returning high half (by element)"]] as const) {
    I(m, p("Q:1", U, "size:2", opc), "V(Rd,HSQ), V(Rn,HSQ), ELX(int)", d, c);
  }
  for (const [opc, s, u, d] of [[0b1010, "smull", "umull", "multiply long (by element)"], [0b0010, "smlal", "umlal", "multiply-add long (by element)"],
    [0b0110, "smlsl", "umlsl", "multiply-subtract long (by element)"]] as const) {
    for (const [U, m] of [[0, s], [1, u]] as const) {
      for (const [q, sfx] of [["Q=0", ""], ["Q=1", "2"]] as const) {
        I(m + sfx, p(q, U, "size:2", opc), "V(Rd,L), V(Rn,HSQ), ELX(int)", `${U ? "Unsigned" : "Signed"} ${d}${sfx ? " (upper half)" : ""}`, c);
      }
    }
  }
  const sp = (U: number, opc: number) => `01 ${U} 11111 size:2 L:1 M:1 Rm:4 ${b2(opc, 4)} H:1 0 Rn:5 Rd:5`;
  for (const [opc, m, d] of [[0b0011, "sqdmlal", "Signed saturating doubling multiply-add long (by element)"],
    [0b0111, "sqdmlsl", "Signed saturating doubling multiply-subtract long (by element)"], [0b1011, "sqdmull", "Signed saturating doubling multiply long (by element)"]] as const) {
    for (const [q, sfx] of [["Q=0", ""], ["Q=1", "2"]] as const) {
      I(m + sfx, p(q, 0, "size:2", opc), "V(Rd,LHS), V(Rn,HSQ), ELX(int)", d + (sfx ? " (upper half)" : ""), c);
    }
    I(m, sp(0, opc), "SC(Rd,SZSD), SC(Rn,SZHS), ELX(int)", d.replace("(by element)", "(scalar, by element)"), "asisdelem");
  }
  for (const [U, opc, m, d, feature] of [[0, 0b1100, "sqdmulh", "Signed saturating doubling multiply returning high half", undefined],
    [0, 0b1101, "sqrdmulh", "Signed saturating rounding doubling multiply returning high half", undefined],
    [1, 0b1101, "sqrdmlah", "Signed saturating rounding doubling multiply accumulate returning high half", "rdm"],
    [1, 0b1111, "sqrdmlsh", "Signed saturating rounding doubling multiply subtract returning high half", "rdm"]] as const) {
    const extra = feature ? { feature } : {};
    if (feature) I(m, p("Q:1", U, "size:2", opc), "V(Rd,HSQ), V(Rn,HSQ), ELX(int)", d + " (by element)", c, extra);
    I(m, sp(U, opc), "SC(Rd,SZHS), SC(Rn,SZHS), ELX(int)", d + " (scalar, by element)", "asisdelem", extra);
  }
  for (const [U, m] of [[0, "sdot"], [1, "udot"]] as const) {
    I(m, p("Q:1", U, "10", 0b1110), "V(Rd,SQ2), V(Rn,BQ), E4B", `${U ? "Unsigned" : "Signed"} dot product (by element)`, c, { feature: "dotprod" });
  }
  for (const [U, opc, m, d] of [[0, 0b0001, "fmla", "Floating-point fused multiply-add (by element)"], [0, 0b0101, "fmls", "Floating-point fused multiply-subtract (by element)"],
    [0, 0b1001, "fmul", "Floating-point multiply (by element)"], [1, 0b1001, "fmulx", "Floating-point multiply extended (by element)"]] as const) {
    I(m, p("Q:1", U, "1 sz:1", opc), "V(Rd,FQ), V(Rn,FQ), ELX(fp)", d, c);
    I(m, `01 ${U} 11111 1 sz:1 L:1 M:1 Rm:4 ${b2(opc, 4)} H:1 0 Rn:5 Rd:5`, "SC(Rd,FSZ), SC(Rn,FSZ), ELX(fp)", d.replace("(by element)", "(scalar, by element)"), "asisdelem");
    I(m, p("Q:1", U, "00", opc), "V(Rd,HQ), V(Rn,HQ), ELX(fph)", d.replace("(by element)", "(by element, half)"), c, { feature: "fp16" });
    I(m, `01 ${U} 11111 00 L:1 M:1 Rm:4 ${b2(opc, 4)} H:1 0 Rn:5 Rd:5`, "Hd, Hn, ELX(fph)", d.replace("(by element)", "(scalar, by element, half)"), "asisdelem", { feature: "fp16" });
  }
}

// ---------------------------------------------------------------------------------------------
// Cryptographic Extension (C4.1.95/C4.1.96: AES, three- and two-register SHA, SHA512, SHA3) and
// the 64-bit PMULL/PMULL2 (.1Q) row of "three different" (FEAT_PMULL)
// ---------------------------------------------------------------------------------------------
{
  for (const [opc, m, d] of [[0b00100, "aese", "AES single round encryption"], [0b00101, "aesd", "AES single round decryption"],
    [0b00110, "aesmc", "AES mix columns"], [0b00111, "aesimc", "AES inverse mix columns"]] as const) {
    I(m, `01001110 00 10100 ${b2(opc, 5)} 10 Rn:5 Rd:5`, "V(Rd,B16), V(Rn,B16)", d, "cryptoaes");
  }
  for (const [opc, m, ops, d] of [
    [0b000, "sha1c", "Qd, Sn, V(Rm,S4)", "SHA1 hash update (choose)"], [0b001, "sha1p", "Qd, Sn, V(Rm,S4)", "SHA1 hash update (parity)"],
    [0b010, "sha1m", "Qd, Sn, V(Rm,S4)", "SHA1 hash update (majority)"], [0b011, "sha1su0", "V(Rd,S4), V(Rn,S4), V(Rm,S4)", "SHA1 schedule update 0"],
    [0b100, "sha256h", "Qd, Qn, V(Rm,S4)", "SHA256 hash update (part 1)"], [0b101, "sha256h2", "Qd, Qn, V(Rm,S4)", "SHA256 hash update (part 2)"],
    [0b110, "sha256su1", "V(Rd,S4), V(Rn,S4), V(Rm,S4)", "SHA256 schedule update 1"],
  ] as const) {
    I(m, `01011110 00 0 Rm:5 0 ${b2(opc, 3)} 00 Rn:5 Rd:5`, ops, d, "cryptosha3");
  }
  for (const [opc, m, ops, d] of [[0b00000, "sha1h", "Sd, Sn", "SHA1 fixed rotate"], [0b00001, "sha1su1", "V(Rd,S4), V(Rn,S4)", "SHA1 schedule update 1"],
    [0b00010, "sha256su0", "V(Rd,S4), V(Rn,S4)", "SHA256 schedule update 0"]] as const) {
    I(m, `01011110 00 10100 ${b2(opc, 5)} 10 Rn:5 Rd:5`, ops, d, "cryptosha2");
  }
  I("pmull", "0 Q=0 0 01110 11 1 Rm:5 1110 00 Rn:5 Rd:5", "V(Rd,Q1), V(Rn,D1), V(Rm,D1)", "Polynomial multiply long (64-bit elements)", "asimddiff");
  I("pmull2", "0 Q=1 0 01110 11 1 Rm:5 1110 00 Rn:5 Rd:5", "V(Rd,Q1), V(Rn,D2X), V(Rm,D2X)", "Polynomial multiply long (64-bit elements, upper half)", "asimddiff");
  for (const [opc, m, ops, d] of [[0b00, "sha512h", "Qd, Qn, V(Rm,D2X)", "SHA512 hash update part 1"], [0b01, "sha512h2", "Qd, Qn, V(Rm,D2X)", "SHA512 hash update part 2"],
    [0b10, "sha512su1", "V(Rd,D2X), V(Rn,D2X), V(Rm,D2X)", "SHA512 schedule update 1"], [0b11, "rax1", "V(Rd,D2X), V(Rn,D2X), V(Rm,D2X)", "Rotate and exclusive-OR"]] as const) {
    I(m, `11001110 011 Rm:5 1 0 00 ${b2(opc, 2)} Rn:5 Rd:5`, ops, d, "cryptosha512_3");
  }
  I("sha512su0", "11001110 110 00000 1000 00 Rn:5 Rd:5", "V(Rd,D2X), V(Rn,D2X)", "SHA512 schedule update 0", "cryptosha512_2");
  I("eor3", "11001110 0 00 Rm:5 0 Ra:5 Rn:5 Rd:5", "V(Rd,B16), V(Rn,B16), V(Rm,B16), V(Ra,B16)", "Three-way exclusive-OR", "crypto_four");
  I("bcax", "11001110 0 01 Rm:5 0 Ra:5 Rn:5 Rd:5", "V(Rd,B16), V(Rn,B16), V(Rm,B16), V(Ra,B16)", "Bit clear and exclusive-OR", "crypto_four");
  I("xar", "11001110 100 Rm:5 imm6:6 Rn:5 Rd:5", "V(Rd,D2X), V(Rn,D2X), V(Rm,D2X), UIMM(imm6,6,dec)", "Exclusive-OR and rotate", "crypto_xar");
}

export const SIMD_SPECS: readonly InsnSpec[] = T;
