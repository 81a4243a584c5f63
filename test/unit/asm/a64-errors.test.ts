// Encoder diagnostics and assembler hooks (ctx.evaluate / ctx.literal) of the A64 table.
import { strict as assert } from "node:assert";
import { disassemble, encode, SYSREG_NAMES, type EncodeContext, type EncodeResult } from "../../../src/asm/a64";
import { INSN_SPECS } from "../../../src/asm/a64/insns";

class TestExprError extends Error {}

function ctx(pc = 0x1000n, syms: Record<string, bigint> = {}): EncodeContext {
  return {
    pc,
    evaluate(expr: string) {
      const e = expr.trim();
      if (/^-?(0x[0-9a-f]+|\d+)$/i.test(e)) return BigInt(e);
      if (e === ".") return pc;
      const m = /^([A-Za-z_.][\w.]*)\s*([+-])\s*(0x[0-9a-f]+|\d+)$/i.exec(e);
      if (m && m[1] in syms) return syms[m[1]] + (m[2] === "+" ? 1n : -1n) * BigInt(m[3]);
      if (e in syms) return syms[e];
      throw new TestExprError(`undefined symbol '${e}'`);
    },
    literal: (expr: string, size: number) => {
      assert.equal(size, expr === "0x1234" ? 8 : size);
      return pc + 0x100n;
    },
  };
}

function err(m: string, ops: string, c = ctx()): { message: string; column?: number } {
  const r = encode(m, ops, c);
  assert.equal(r.ok, false, `expected an error for '${m} ${ops}', got ${r.ok ? r.word.toString(16) : ""}`);
  return r as { message: string; column?: number };
}
function word(r: EncodeResult): number {
  assert.ok(r.ok, r.ok ? "" : r.message);
  return r.word;
}

describe("A64 encode: diagnostics", () => {
  it("unknown mnemonic suggests the nearest one", () => {
    const e = err("addd", "x0, x1, #1");
    assert.match(e.message, /unknown instruction 'addd' \(did you mean '(add|adds)'\?\)/);
    assert.match(err("mvo", "x0, x1").message, /did you mean '(mov|mvn)'/);
    assert.match(err("b.xx", "0x10").message, /unknown condition 'xx'/);
  });

  it("immediate out of range names the range and the column", () => {
    const e = err("add", "x0, x1, #5000");
    assert.match(e.message, /out of range \(0 to 4095\): 5000/);
    assert.equal(e.column, 8);
    const s = err("tbz", "w0, #32, .");
    assert.match(s.message, /bit number out of range \(0 to 31\): 32/);
    assert.equal(s.column, 4);
    assert.match(err("ldp", "x0, x1, [x2, #4]").message, /offset out of range \(-512 to 504, multiple of 8\): 4/);
    assert.match(err("ldr", "x0, [x1, #32768]").message, /offset out of range \(0 to 32760, multiple of 8\): 32768/);
    assert.match(err("svc", "#0x10000").message, /out of range \(0 to 65535\)/);
    assert.match(err("lsl", "w0, w1, #32").message, /shift amount out of range \(0 to 31\): 32/);
    assert.match(err("b", "0x10000000").message, /branch target out of range \(±128 MiB\)/);
    assert.match(err("b", "0x1002").message, /not 4-byte aligned/);
  });

  it("bad operand shapes say what was expected", () => {
    const e = err("add", "x0, w1, #1");
    assert.match(e.message, /expected a 64-bit general-purpose register/);
    assert.equal(e.column, 4);
    assert.match(err("add", "x0, x1").message, /missing operand/);
    assert.match(err("ret", "x0, x1").message, /too many operands/);
    assert.match(err("nop", "x0").message, /'nop' takes no operands/);
    assert.match(err("ldr", "x0, x1").message, /expected a memory operand/);
    assert.match(err("and", "x0, x1, #0x1234").message, /cannot be encoded as a bitmask immediate/);
    assert.match(err("mov", "x0, #0x123456789").message, /cannot be loaded by a single mov/);
    assert.match(err("mrs", "x0, foo_el1").message, /unknown system register 'foo_el1'/);
    assert.match(err("tlbi", "vmalle9").message, /unknown tlbi operation/);
    assert.match(err("csel", "x0, x1, x2, xx").message, /expected a condition/);
    assert.match(err("ldr", "x0, [x1, w2, lsl #3]").message, /index register must be 64-bit/);
    assert.match(err("add", "x0, x1, #1, lsl #3").message, /expected 'lsl #0' or 'lsl #12'/);
    assert.match(err("fmov", "s0, #0.1").message, /cannot be encoded/);
    assert.match(err("casp", "x1, x2, x4, x5, [x0]").message, /even-numbered/);
    assert.match(err("add", "x0, xzr, #1").message, /'xzr' is not allowed here, use sp/);
  });

  it("lets ctx.evaluate errors propagate and never throws otherwise", () => {
    assert.throws(() => encode("b", "nowhere", ctx()), TestExprError);
    assert.throws(() => encode("add", "x0, x1, #nowhere", ctx()), TestExprError);
    let seed = 99;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const toks = ["x0", "w1", "sp", "#1", "#-5", "[x2", "]", "[x3, #8]!", "lsl #2", "uxtw", ",", "#0x100000000", "=foo", "eq", "c3", "hcr_el2", "{", "}", "!", ":lo12:x", "#1.5", "v0.d[1]", ""];
    const names = [...new Set(INSN_SPECS.map((s) => s.mnemonic.replace(".<cond>", ".eq")))];
    for (let i = 0; i < 20000; i++) {
      const m = names[rnd(names.length)];
      const ops = Array.from({ length: rnd(6) }, () => toks[rnd(toks.length)]).join(rnd(2) ? ", " : " ");
      try {
        encode(m, ops, ctx());
      } catch (e) {
        assert.ok(e instanceof TestExprError, `encode('${m}', '${ops}') threw ${e}`);
      }
    }
  });
});

describe("A64 encode: assembler hooks and GNU conveniences", () => {
  it("ldr =expr places a literal through ctx.literal", () => {
    const w = word(encode("ldr", "x0, =0x1234", ctx(0x1000n)));
    assert.equal(disassemble(w, { pc: 0x1000n }), "ldr\tx0, 0x1100");
    assert.equal(word(encode("ldr", "w1, =5", ctx(0x1000n))), 0x18000801);
  });

  it(":lo12: gives the low 12 bits of a symbol for add and ldr", () => {
    const c = ctx(0x1000n, { sym: 0x40123458n });
    assert.equal(disassemble(word(encode("add", "x0, x0, :lo12:sym", c))), "add\tx0, x0, #0x458");
    assert.equal(disassemble(word(encode("ldr", "x1, [x0, #:lo12:sym]", c))), "ldr\tx1, [x0, #1112]");
    assert.equal(disassemble(word(encode("adrp", "x0, sym", c)), { pc: 0x1000n }), "adrp\tx0, 0x40123000");
  });

  it("labels, case and optional '#'", () => {
    const c = ctx(0x1000n, { loop: 0xff0n });
    assert.equal(disassemble(word(encode("B.NE", "loop", c)), { pc: 0x1000n }), "b.ne\t0xff0  // b.any");
    assert.equal(word(encode("ADD", "X0, X1, 1", c)), 0x91000420);
    assert.equal(word(encode("cbz", "x0, loop+16", c)), word(encode("cbz", "x0, .", ctx(0x1000n))));
  });

  it("system register table has the hypervisor's registers", () => {
    for (const n of ["hcr_el2", "vttbr_el2", "ich_lr15_el2", "ich_ap1r0_el2", "icc_sre_el2", "cntvoff_el2", "sctlr_el12", "cntv_ctl_el02", "mdscr_el1", "sp_el1", "currentel", "spsel", "pan", "fpcr", "tpidr_el2"]) {
      assert.ok(SYSREG_NAMES[n], n);
    }
    assert.deepEqual(SYSREG_NAMES.hcr_el2, { op0: 3, op1: 4, crn: 1, crm: 1, op2: 0 });
    // ICV_ registers share the ICC_ encodings; generic names work for anything
    assert.equal(word(encode("mrs", "x0, S3_0_C12_C12_0", ctx())), word(encode("mrs", "x0, icc_iar1_el1", ctx())));
    assert.equal(disassemble(word(encode("msr", "s3_4_c1_c1_0, x3", ctx()))), "msr\thcr_el2, x3");
  });
});
