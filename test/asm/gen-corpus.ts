// Generates test/asm/corpus/instructions.s: one instruction per line, covering every record of
// the A64 table (random, all-zero and all-ones field values, printed in objdump syntax), every
// system register / SYS operation name, and hand-written GNU as spellings (aliases, optional
// '#', upper case, auto-selected encodings). Lines GNU as 2.40 rejects are dropped, so the
// corpus holds only syntax the reference accepts.
//
//   npx tsx test/asm/gen-corpus.ts
import * as fs from "node:fs";
import * as path from "node:path";
import { decode } from "../../src/asm/a64/disasm";
import { A64_TABLE } from "../../src/asm/a64/table";
import { SYSREG_NAMES } from "../../src/asm/a64/sysreg-names";
import { SYS_OPS } from "../../src/asm/a64/sysops-data";
import { assembleAndLink, LINK_BASE } from "./reference";

let seed = 0x2545f491;
const rnd = () => { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed; };

const HAND = `
add x0, x1, #1
add x0, x1, 1
ADD X0, X1, #0xfff
add w0, w1, #4096
add x0, x1, #0x555000
add x0, x1, #1, lsl #12
add x0, x1, #0, lsl #12
add sp, sp, #16
sub sp, sp, #0x10
mov x0, sp
mov sp, x1
mov wsp, w2
mov w3, wsp
adds x0, sp, #1
cmp sp, #4
cmn w0, #4095
cmp x0, #1, lsl #12
add x0, x1, x2
add x0, x1, x2, lsl #63
add w0, w1, w2, asr #31
sub x0, xzr, x2
neg x3, x4, lsl #2
negs w3, w4
cmp x0, x1, lsr #3
cmn x0, x1
add x0, sp, x1
add x0, sp, x1, lsl #2
add sp, x0, w1, uxtw #4
add x0, x1, w2, sxtw
sub x0, x1, w2, uxtb #1
adds x0, x1, w2, uxth
cmp sp, w1, uxtw
cmp sp, x1
cmn x3, w4, sxtw #2
add w0, wsp, w1
add w0, w1, w2, uxtb
and x0, x1, #0xff
and w0, w1, #0xfffffffe
and sp, x0, #0x8000000000000000
orr x0, x1, #0x5555555555555555
eor w0, w1, #0x0f0f0f0f
ands x0, x1, #1
tst x0, #0x7
tst w1, #0x80000000
mov x0, #0
mov x0, #1
mov x0, #-1
mov w0, #-1
mov w0, #0xffffffff
mov x0, #0xffffffff
mov x0, #0x10000
mov x0, #0xffff0000
mov w0, #0xffff0000
mov x0, #0xffff000000000000
mov x0, #-65536
mov x0, #0x5555555555555555
mov w0, #0x55555555
mov sp, #0x1000
mov x0, #0xfffffffffffffffe
mov w0, #-2
mov x9, 0x1234
movz x0, #1
movz x0, #1, lsl #16
movz x0, #0xffff, lsl #48
movz w0, #0xffff, lsl #16
movz x0, #0, lsl #32
movn x0, #0
movn x0, #0, lsl #16
movn w0, #0xffff
movk x0, #0x1234, lsl #32
movk w0, #0xffff
mov x0, x1
mov w0, wzr
mov x0, xzr
mov x29, sp
mvn x0, x1
mvn w0, w1, ror #3
orr x0, xzr, x1, lsl #1
orn x0, x1, x2, asr #7
bic w0, w1, w2
bics x0, x1, x2, lsl #4
eon x0, x1, x2
ands w0, w1, w2, ror #31
tst x0, x1
tst w0, w1, lsl #3
lsl x0, x1, #3
lsl w0, w1, #31
lsl x0, x1, #0
lsr x0, x1, #63
asr w0, w1, #1
ror x0, x1, #7
ror w0, w1, #0
lsl x0, x1, x2
lsr w0, w1, w2
asr x0, x1, x2
ror w0, w1, w2
lslv x0, x1, x2
rorv w0, w1, w2
ubfx x0, x1, #4, #8
ubfx w0, w1, #0, #32
sbfx x0, x1, #63, #1
bfi x0, x1, #8, #16
bfi w0, w1, #31, #1
bfxil w0, w1, #3, #4
ubfiz x0, x1, #2, #62
sbfiz w0, w1, #1, #31
bfc x0, #4, #12
sxtb x0, w1
sxtb w0, w1
sxth x0, w1
sxtw x0, w1
uxtb w0, w1
uxth w0, w1
ubfm x0, x1, #3, #4
sbfm w0, w1, #31, #30
bfm x0, x1, #0, #63
extr x0, x1, x2, #63
extr w0, w1, w2, #0
csel x0, x1, x2, eq
csel w0, w1, w2, hs
csel w0, w1, w2, lo
csinc x0, x1, x2, al
csinc x0, xzr, xzr, nv
cset x0, ne
cset w0, cc
csetm x0, hi
cinc x0, x1, lt
cinv w0, w1, ge
cneg x0, x1, mi
cneg x0, xzr, pl
csneg x0, x1, x2, vs
csinv w0, w1, w2, vc
ccmp x0, x1, #0, eq
ccmp x0, #31, #15, ne
ccmn w0, #0, #4, gt
ccmn w0, w1, #0xf, le
adc x0, x1, x2
adcs w0, w1, w2
sbc x0, x1, x2
sbcs w0, w1, w2
ngc x0, x1
ngcs w0, w1
mul x0, x1, x2
mul w0, w1, w2
madd x0, x1, x2, x3
msub w0, w1, w2, w3
mneg x0, x1, x2
smull x0, w1, w2
umull x0, w1, w2
smnegl x0, w1, w2
umnegl x0, w1, w2
smaddl x0, w1, w2, x3
umsubl x0, w1, w2, x3
smulh x0, x1, x2
umulh x0, x1, x2
udiv x0, x1, x2
sdiv w0, w1, w2
clz x0, x1
cls w0, w1
rbit x0, x1
rev x0, x1
rev w0, w1
rev16 x0, x1
rev32 x0, x1
rev64 x0, x1
crc32b w0, w1, w2
crc32cx w0, w1, x2
adr x0, .
adr x1, .+0xffffc
adr x2, .-0x100000
adrp x0, .
adrp x0, .+0x10000
adrp x3, .-0x100000000
b .
b .+0x7fffffc
b .-0x8000000
bl .+8
b.eq .+8
b.ne .-4
b.hs .
b.cs .
b.lo .+0xffffc
b.cc .-0x100000
b.mi .
b.pl .
b.vs .
b.vc .
b.hi .
b.ls .
b.ge .
b.lt .
b.gt .
b.le .
b.al .
b.nv .
bc.eq .+16
cbz x0, .+0xffffc
cbnz w30, .-0x100000
tbz x0, #63, .+0x7ffc
tbz x0, #3, .
tbz w0, #31, .-0x8000
tbnz x1, #32, .
br x0
blr x30
ret
ret x5
RET X30
eret
drps
svc #0
svc 0xffff
hvc #0x1
smc #0
brk #0x3e8
hlt #0xf000
udf #0
udf #65535
dcps1
dcps2 #1
nop
yield
wfe
wfi
sev
sevl
esb
csdb
psb csync
tsb csync
bti
bti c
bti j
bti jc
hint #0x7f
hint #6
hint 34
isb
isb sy
isb #3
dsb sy
dsb ish
dsb ishst
dsb nsh
dsb osh
dsb #0
dsb #12
dsb oshnxs
dsb synxs
dmb ishld
dmb #0
dmb sy
ssbb
pssbb
sb
clrex
clrex #5
msr daifset, #2
msr daifclr, #0xf
msr spsel, #1
msr pan, #1
msr uao, #0
msr dit, #1
msr ssbs, #1
msr tco, #1
msr DAIFSet, #15
cfinv
sys #0, c7, c5, #0
sys #3, C7, C11, #1, x0
sysl x0, #1, c2, c3, #4
tlbi vmalle1
tlbi vmalle1is
tlbi alle2
tlbi vae1is, x0
tlbi ipas2e1is, x1
tlbi vmalls12e1
tlbi alle1is
dc civac, x0
dc zva, x1
dc cvau, x2
dc ivac, x3
dc isw, x4
ic iallu
ic ialluis
ic ivau, x0
at s1e1r, x0
at s12e1r, x1
at s1e2w, x2
mrs x0, hcr_el2
mrs x0, HCR_EL2
msr hcr_el2, x0
mrs x1, ich_lr15_el2
msr ICH_LR0_EL2, x1
mrs x2, icc_iar1_el1
msr icc_eoir1_el1, x2
msr icc_sgi1r_el1, x3
mrs x0, cntvct_el0
mrs x0, cntfrq_el0
msr cntv_ctl_el0, x0
msr cntp_cval_el02, x0
msr sctlr_el12, x0
mrs x0, currentel
mrs x0, daif
msr daif, x0
mrs x0, nzcv
msr nzcv, x1
mrs x0, spsel
mrs x0, fpcr
msr fpsr, x0
mrs x0, sp_el0
msr sp_el1, x0
mrs x0, elr_el2
msr spsr_el2, x0
mrs x0, tpidr_el0
mrs x0, mdscr_el1
mrs x0, pmccntr_el0
mrs x0, s3_4_c1_c1_0
msr s3_0_c15_c2_7, x0
mrs x0, S2_3_c0_c0_0
mrs x0, midr_el1
mrs x0, id_aa64pfr0_el1
ldr x0, [x1]
ldr x0, [x1, #8]
ldr x0, [x1, 8]
ldr x0, [x1, #32760]
ldr x0, [x1, #-8]
ldr x0, [x1, #1]
ldr x0, [x1, #-256]
ldr w0, [sp, #255]
ldr x0, [x1, #0]
ldr x0, [x1, #8]!
ldr x0, [x1, #-256]!
ldr x0, [x1], #255
ldr x0, [x1], -256
ldr x0, [x1, #0]!
ldr x0, [x1], #0
ldr x0, [x1, x2]
ldr x0, [x1, x2, lsl #3]
ldr x0, [x1, x2, lsl #0]
ldr w0, [x1, w2, uxtw]
ldr w0, [x1, w2, uxtw #2]
ldr x0, [x1, w2, sxtw #3]
ldr x0, [x1, x2, sxtx]
ldr x0, [sp, x2, sxtx #3]
ldrb w0, [x1, x2]
ldrb w0, [x1, x2, lsl #0]
ldrb w0, [x1, w2, uxtw]
ldrb w0, [x1, w2, sxtw #0]
ldrh w0, [x1, x2, lsl #1]
ldrsb x0, [x1, #4095]
ldrsb w0, [x1, #-1]
ldrsh x0, [x1, #2]
ldrsh w0, [x1, #3]
ldrsw x0, [x1, #16380]
ldrsw x0, [x1, #-4]
ldrsw x0, [x1, x2, lsl #2]
strb w0, [x1], #1
strh w0, [x1, #-2]!
str w0, [x1, #16380]
str x0, [sp, #-16]!
str xzr, [x0]
str wzr, [sp, #4]
ldur x0, [x1, #-8]
ldur x0, [x1, #8]
stur w0, [x1, #255]
ldursb x0, [x1]
ldursw x0, [x1, #-256]
ldtr x0, [x1, #8]
sttrb w0, [x1, #-1]
ldtrsw x0, [x1]
prfm pldl1keep, [x0]
prfm pstl3strm, [x0, #8]
prfm plil2keep, [x0, x1, lsl #3]
prfm #0x1f, [x0]
prfm #6, [x0, #32760]
prfum pldl1strm, [x0, #-1]
prfm pldl1keep, .+8
ldr x0, .+8
ldr w0, .-0x100000
ldrsw x0, .+0xffffc
ldr s0, .
ldr d0, .+4
ldr q0, .-4
ldp x0, x1, [x2]
ldp x0, x1, [x2, #504]
ldp x0, x1, [x2, #-512]
ldp w0, w1, [sp, #-256]!
ldp x29, x30, [sp], #16
stp x29, x30, [sp, #-16]!
stp w0, w1, [x2, #252]
ldpsw x0, x1, [x2, #-256]
ldpsw x0, x1, [x2], #4
ldnp x0, x1, [x2, #8]
stnp w0, w1, [x2]
ldp q0, q1, [x0, #1008]
stp d0, d1, [sp, #-512]!
ldp s0, s1, [x0], #-256
ldnp q0, q1, [x0, #-1024]
ldr b0, [x0]
ldr h0, [x0, #8190]
ldr s0, [x0, #-4]
ldr d0, [x0, #8]!
ldr q0, [x0], #16
ldr q0, [x0, #65520]
ldr q0, [x0, x1, lsl #4]
ldr b0, [x0, x1, lsl #0]
ldr h0, [x0, w1, sxtw #1]
str q31, [sp, #-16]!
str s0, [x0, x1]
stur q0, [x0, #-256]
ldur d0, [x0, #1]
ldxr x0, [x1]
ldxr w0, [x1, #0]
ldxrb w0, [sp]
ldaxrh w0, [x1]
stxr w0, x1, [x2]
stlxr w0, w1, [x2]
stxrb w3, w4, [x5]
ldxp x0, x1, [x2]
ldaxp w0, w1, [x2]
stxp w0, x1, x2, [x3]
stlxp w0, w1, w2, [x3]
ldar x0, [x1]
ldarb w0, [x1]
stlr x0, [sp]
stlrh w0, [x1]
ldlar x0, [x1]
stllrb w0, [x1]
ldapr x0, [x1]
ldaprb w0, [x1]
ldapur x0, [x1, #-256]
stlur w0, [x1, #255]
ldapursb x0, [x1]
ldadd x0, x1, [x2]
ldadda w0, w1, [sp]
ldaddal x0, x1, [x2]
ldaddl x0, x1, [x2]
ldaddb w0, w1, [x2]
ldaddalh w0, w1, [x2]
ldclr x0, x1, [x2]
ldeora w0, w1, [x2]
ldset x0, x1, [x2]
ldsmax x0, x1, [x2]
ldsmin x0, x1, [x2]
ldumax x0, x1, [x2]
lduminlb w0, w1, [x2]
stadd x0, [x1]
staddl w0, [x1]
staddb w0, [x1]
stclrlh w0, [x1]
steor x0, [x1]
stset x0, [x1]
stsmax x0, [x1]
stumin w0, [x1]
swp x0, x1, [x2]
swpal w0, w1, [x2]
swpb w0, w1, [x2]
cas x0, x1, [x2]
casa w0, w1, [x2]
casal x0, x1, [x2]
casl x0, x1, [x2]
casb w0, w1, [x2]
casah w0, w1, [x2]
casp x0, x1, x2, x3, [x4]
caspal w4, w5, w6, w7, [sp]
fmov s0, w1
fmov w0, s1
fmov d0, x1
fmov x0, d1
fmov h0, w1
fmov x0, h1
fmov v0.d[1], x1
fmov x0, v1.d[1]
fmov s0, s1
fmov d0, d1
fmov s0, #1.0
fmov d0, #-2.5
fmov s0, #0.125
fmov d0, #31.0
fmov h0, #1.0
fmov s0, 1.0
fmov d0, #1.9375
fadd s0, s1, s2
fadd d0, d1, d2
fadd h0, h1, h2
fsub d0, d1, d2
fmul s0, s1, s2
fdiv d0, d1, d2
fnmul s0, s1, s2
fmax d0, d1, d2
fminnm s0, s1, s2
fmadd d0, d1, d2, d3
fmsub s0, s1, s2, s3
fnmadd d0, d1, d2, d3
fnmsub h0, h1, h2, h3
fabs d0, d1
fneg s0, s1
fsqrt d0, d1
frintz s0, s1
frintx d0, d1
fcvt d0, s1
fcvt s0, d1
fcvt h0, d1
fcvt s0, h1
fcmp s0, s1
fcmp d0, #0.0
fcmp d0, #0
fcmpe s0, #0.0
fcmpe d0, d1
fccmp s0, s1, #0, eq
fccmpe d0, d1, #15, ne
fcsel d0, d1, d2, gt
fcvtzs x0, d1
fcvtzs w0, s1
fcvtzu x0, s1
fcvtns w0, d1
fcvtas x0, h1
fcvtms x0, d0
fcvtpu w0, d0
fcvtzs x0, d1, #64
fcvtzs w0, s1, #1
fcvtzu w0, d1, #32
scvtf d0, x1
scvtf s0, w1
ucvtf d0, w1
scvtf d0, x1, #64
ucvtf s0, w1, #32
fjcvtzs w0, d1
bic x3, x3, #(1 << 26)
bic w3, w3, #1
bic w0, w1, #0xffff0000
bic sp, x1, #1
bic x0, x1, #0xffffffff00000000
bic w0, w1, #-2
movi v0.16b, #0xee
movi v0.8b, #0
movi v0.4s, #1, lsl #8
movi v0.4s, #1
movi v0.4s, #1, lsl #0
movi v0.2s, #1, lsl #24
movi v0.4h, #1, lsl #8
movi v0.8h, #0xff
movi v0.2s, #0xff, msl #16
movi v0.4s, #0x12, msl #8
movi d0, #0xff00ff00ff00ff00
movi v0.2d, #0xff00ff00ff00ff00
movi v0.2d, #0
movi d31, #0xffffffffffffffff
MOVI V1.16B, #255
mvni v0.4s, #1, lsl #8
mvni v0.8h, #3
mvni v0.4h, #3, lsl #8
mvni v0.4s, #5, msl #8
orr v0.4s, #1, lsl #8
orr v0.8h, #0x80
bic v0.8h, #1
bic v0.2s, #1, lsl #16
fmov v0.4s, #1.0
fmov v0.2s, #-0.5
fmov v0.2d, #-2.5
fmov v0.4h, #1.0
mov v0.16b, v1.16b
mov v0.8b, v1.8b
orr v0.16b, v1.16b, v2.16b
mov x0, v0.d[1]
mov w0, v0.s[1]
mov x0, v31.d[0]
umov w0, v0.b[1]
umov w0, v0.h[7]
umov x0, v0.d[0]
umov w0, v0.s[0]
smov x0, v0.b[1]
smov w0, v0.h[1]
smov x0, v0.s[3]
smov x0, v0.h[7]
mov v0.d[1], x1
mov v0.s[1], w1
mov v0.b[15], wzr
ins v0.b[15], w1
ins v0.d[0], x1
mov v0.s[1], v1.s[0]
mov v0.d[1], v1.d[0]
ins v0.h[1], v1.h[7]
ins v0.b[0], v1.b[15]
dup v0.4s, w1
dup v0.2d, x1
dup v0.16b, w1
dup v0.8h, wzr
dup v0.4s, v1.s[1]
dup v0.2d, v1.d[1]
dup v0.8b, v1.b[15]
dup s0, v1.s[1]
mov s0, v1.s[1]
mov d0, v1.d[1]
mov b0, v1.b[1]
mov h0, v1.h[7]
fmov x0, v0.d[1]
not v0.16b, v1.16b
mvn v0.8b, v1.8b
ld1 {v0.16b}, [x20]
ld1 {v1.8h, v2.8h}, [x20]
ld1 {v3.4s, v4.4s, v5.4s}, [x20], #48
ld1 {v6.2d, v7.2d, v8.2d, v9.2d}, [x20]
ld1 {v6.2d-v9.2d}, [sp]
ld1 {v31.1d, v0.1d, v1.1d}, [x0]
ld1 {v0.1d}, [x0], x2
ld1 {v0.8b}, [x0], #8
ld1 {V0.4S-V3.4S}, [X1], #64
ld2 {v11.16b, v12.16b}, [x20], x1
ld3 {v13.4s, v14.4s, v15.4s}, [x20]
ld4 {v16.8h, v17.8h, v18.8h, v19.8h}, [x20], #64
st4 {v16.8b, v17.8b, v18.8b, v19.8b}, [x20], #32
st1 {v0.2s}, [x0]
st1 {v0.1d, v1.1d}, [x0], #16
st3 {v0.16b-v2.16b}, [x0], x9
ld1r {v20.4s}, [x20]
ld1r {v21.8b}, [x20], x1
ld1r {v21.8b}, [x20], #1
ld1r {v21.1d}, [x20], #8
ld2r {v21.2d, v22.2d}, [x20], #16
ld3r {v0.4h-v2.4h}, [x0]
ld4r {v21.1d, v22.1d, v23.1d, v24.1d}, [x20], #32
ld1 {v22.s}[2], [x20]
ld1 {v22.b}[15], [x20], #1
ld1 {v22.d}[1], [x20], x3
ld1 {v22.h}[3], [x20], #2
ld2 {v1.b, v2.b}[3], [x0]
ld2 {v1.b-v2.b}[3], [x0]
ld3 {v1.h, v2.h, v3.h}[7], [x0], #6
ld3 {v0.s-v2.s}[2], [x0], #12
ld4 {v1.s, v2.s, v3.s, v4.s}[3], [x0], #16
ld4 {v1.d-v4.d}[1], [x0], #32
st1 {v22.h}[7], [x21]
st1 {v20.d}[1], [x3]
st2 {v20.s, v21.s}[1], [x3], #8
st4 {v20.b-v23.b}[9], [x3], x4
st2 {v3.4s, v4.4s}, [x21], #32
st1 {v0.16b, v1.16b}, [x21], #32
add v0.16b, v1.16b, v2.16b
add d0, d1, d2
sub v0.2d, v1.2d, v2.2d
sub d0, d1, d2
and v0.16b, v1.16b, v2.16b
bic v0.8b, v1.8b, v2.8b
orn v0.8b, v1.8b, v2.8b
eor v0.16b, v1.16b, v2.16b
bsl v0.16b, v1.16b, v2.16b
bit v0.16b, v1.16b, v2.16b
bif v0.8b, v1.8b, v2.8b
cmeq v0.4s, v1.4s, v2.4s
cmeq v0.4s, v1.4s, #0
cmeq d0, d1, #0
cmeq d0, d1, d2
cmhi v0.8h, v1.8h, v2.8h
cmhs v0.8h, v1.8h, v2.8h
cmhi d0, d1, d2
cmgt v0.16b, v1.16b, v2.16b
cmge v0.2s, v1.2s, v2.2s
cmgt v0.2d, v1.2d, #0
cmge v0.2d, v1.2d, #0
cmle v0.2d, v1.2d, #0
cmlt v0.2d, v1.2d, #0
cmlt d0, d1, #0
cmtst v0.2d, v1.2d, v2.2d
addp v0.4s, v1.4s, v2.4s
addp d0, v1.2d
addv b0, v1.16b
addv s0, v1.4s
addv h0, v1.4h
umaxv h0, v1.8h
uminv b0, v1.8b
smaxv s0, v1.4s
sminv h0, v1.8h
uaddlv h0, v1.16b
uaddlv d0, v1.4s
uaddlv s0, v1.4h
saddlv s0, v1.8h
ext v0.16b, v1.16b, v2.16b, #15
ext v0.8b, v1.8b, v2.8b, #7
ext v0.16b, v1.16b, v2.16b, #0
rev16 v0.16b, v1.16b
rev32 v0.8h, v1.8h
rev32 v0.8b, v1.8b
rev64 v0.4s, v1.4s
rev64 v0.16b, v1.16b
cnt v0.8b, v1.8b
cnt v0.16b, v1.16b
xtn v0.8b, v1.8h
xtn2 v0.16b, v1.8h
xtn v0.2s, v1.2d
xtn2 v0.8h, v1.4s
ushr v0.4s, v1.4s, #32
ushr v0.2d, v1.2d, #1
sshr v0.16b, v1.16b, #3
sshr v0.4h, v1.4h, #16
shl v0.8h, v1.8h, #15
shl v0.2d, v1.2d, #0
shl v0.8b, v1.8b, #7
ushr d0, d1, #64
shl d0, d1, #63
sshr d0, d1, #1
zip1 v0.16b, v1.16b, v2.16b
zip2 v0.4s, v1.4s, v2.4s
uzp1 v0.8h, v1.8h, v2.8h
uzp2 v0.2d, v1.2d, v2.2d
trn1 v0.8b, v1.8b, v2.8b
trn2 v0.2s, v1.2s, v2.2s
tbl v0.16b, {v1.16b}, v2.16b
tbl v0.8b, {v1.16b, v2.16b, v3.16b, v4.16b}, v5.8b
tbl v0.16b, {v1.16b-v3.16b}, v5.16b
tbx v0.16b, {v30.16b, v31.16b, v0.16b}, v2.16b
tbx v0.8b, {v1.16b, v2.16b}, v2.8b
mul v0.4s, v1.4s, v2.4s
mul v0.8b, v1.8b, v2.8b
neg v0.4s, v1.4s
neg d0, d1
abs v0.2d, v1.2d
abs d0, d1
ushll v0.8h, v1.8b, #0
uxtl v0.8h, v1.8b
uxtl v0.2d, v1.2s
sxtl v0.4s, v1.4h
sxtl2 v0.2d, v1.4s
uxtl2 v0.8h, v1.16b
ushll2 v0.4s, v1.8h, #3
sshll v0.2d, v1.2s, #31
shrn v0.8b, v1.8h, #8
shrn2 v0.4s, v1.2d, #32
rshrn v0.4h, v1.4s, #1
uaddl v0.8h, v1.8b, v2.8b
uaddl2 v0.4s, v1.8h, v2.8h
saddw v0.2d, v1.2d, v2.2s
usubw2 v0.8h, v1.8h, v2.16b
umull v0.2d, v1.2s, v2.2s
umull2 v0.2d, v1.4s, v2.4s
smull v0.8h, v1.8b, v2.8b
umlal v0.4s, v1.4h, v2.4h
addhn v0.8b, v1.8h, v2.8h
subhn2 v0.16b, v1.8h, v2.8h
umaxp v0.4s, v1.4s, v2.4s
umax v0.4s, v1.4s, v2.4s
smin v0.16b, v1.16b, v2.16b
uminp v0.8b, v1.8b, v2.8b
uqadd v0.2d, v1.2d, v2.2d
sqsub v0.4s, v1.4s, v2.4s
ushl v0.4s, v1.4s, v2.4s
sshl d0, d1, d2
uabd v0.8h, v1.8h, v2.8h
mla v0.4s, v1.4s, v2.4s
mls v0.8h, v1.8h, v2.8h
pmul v0.16b, v1.16b, v2.16b
fadd v0.4s, v1.4s, v2.4s
fsub v0.2d, v1.2d, v2.2d
fmul v0.2d, v1.2d, v2.2d
fdiv v0.2s, v1.2s, v2.2s
fmla v0.4s, v1.4s, v2.4s
fmax v0.4s, v1.4s, v2.4s
fminnm v0.2d, v1.2d, v2.2d
fcmeq v0.4s, v1.4s, v2.4s
fcmgt v0.4s, v1.4s, #0.0
fcmlt v0.2d, v1.2d, #0.0
fcmge s0, s1, s2
fabd d0, d1, d2
faddp s0, v1.2s
faddp d0, v1.2d
faddp v0.4s, v1.4s, v2.4s
fmaxv s0, v1.4s
fminv s0, v1.4s
fmaxp s0, v1.2s
fabs v0.2d, v1.2d
fneg v0.4s, v1.4s
fsqrt v0.2s, v1.2s
frintz v0.4s, v1.4s
scvtf v0.4s, v1.4s
ucvtf v0.2d, v1.2d
fcvtzs v0.2d, v1.2d
fcvtzu v0.4s, v1.4s
fcvtzs v0.4s, v1.4s, #3
scvtf v0.2d, v1.2d, #64
ucvtf d0, d1
scvtf s0, s1
fcvtzs d0, d1
sli v0.2d, v1.2d, #3
sri d0, d1, #3
sri v0.16b, v1.16b, #8
usra v0.4s, v1.4s, #3
ssra d0, d1, #63
urshr v0.8h, v1.8h, #2
not v0.16b, v1.16b
rbit v0.8b, v1.8b
clz v0.4s, v1.4s
cls v0.16b, v1.16b
uaddlp v0.4s, v1.8h
saddlp v0.1d, v1.2s
uadalp v0.2d, v1.4s
shll v0.8h, v1.8b, #8
shll2 v0.2d, v1.4s, #32
sqxtn v0.8b, v1.8h
uqxtn2 v0.4s, v1.2d
mul v0.4s, v1.4s, v2.s[1]
mul v0.8h, v1.8h, v15.h[7]
mul v0.4h, v1.4h, v2.h[0]
mla v0.2s, v1.2s, v31.s[3]
mls v0.8h, v1.8h, v2.h[5]
sqdmulh v0.4s, v1.4s, v2.s[2]
smull v0.4s, v1.4h, v2.h[3]
umull2 v0.2d, v1.4s, v20.s[1]
umlal v0.2d, v1.2s, v2.s[0]
smlsl2 v0.4s, v1.8h, v2.h[6]
fmla v0.4s, v1.4s, v2.s[1]
fmla v0.2d, v1.2d, v17.d[1]
fmls v0.2s, v1.2s, v2.s[3]
fmul v0.2d, v1.2d, v2.d[0]
fmulx v0.4s, v1.4s, v2.s[2]
fmul s0, s1, v2.s[3]
fmla d0, d1, v31.d[1]
fmls s0, s1, v2.s[0]
`;

function labelsToDot(text: string, pc: bigint): string {
  // our disassembler prints "<hex> <.+0xoff>" with the symbolizer below
  return text.replace(/\b[0-9a-f]+ <\.(?:\+0x([0-9a-f]+))?>/, (_m, off: string | undefined) => {
    const v = BigInt.asIntN(64, BigInt("0x" + (off ?? "0")));
    return v < 0n ? `.-0x${(-v).toString(16)}` : `.+0x${v.toString(16)}`;
  });
}

function tableLines(): string[] {
  const out: string[] = [];
  const pc = LINK_BASE + 0x100000n;
  const symbolize = (a: bigint) => ({ name: ".", offset: (a - pc) & ((1n << 64n) - 1n) });
  for (const r of A64_TABLE) {
    if (r.spec.unimplemented || r.spec.encodeOnly) continue;
    const seen = new Set<string>();
    for (let k = 0; k < 40 && seen.size < 8; k++) {
      let w = r.value;
      for (const fd of r.freeFields) {
        const max = (1 << fd.width) - 1;
        const v = k === 0 ? 0 : k === 1 ? max : k === 2 ? max >> 1 : rnd() & max;
        w |= v << fd.lo;
      }
      w >>>= 0;
      const d = decode(w, { pc, symbolize });
      if (!d || d.insn !== r) continue;
      let text = d.text.split("\t// ")[0].split("  // ")[0];
      if (/\badr[p]?\b/.test(text) || r.ops.some((o) => o.syntax === "<label>")) text = labelsToDot(text, pc);
      text = text.replace("\t", " ");
      if (!seen.has(text)) { seen.add(text); out.push(text); }
    }
  }
  return out;
}

function sysLines(): string[] {
  const out: string[] = [];
  let i = 0;
  for (const name of Object.keys(SYSREG_NAMES)) {
    const n = i++ % 7 === 0 ? name.toUpperCase() : name;
    out.push(`mrs x${i % 31}, ${n}`, `msr ${n}, x${(i * 7) % 31}`);
  }
  for (const [, kind, name, reg] of SYS_OPS) out.push(reg === "r" ? `${kind} ${name}, x${i++ % 31}` : `${kind} ${name}`);
  return out;
}

const all = [...HAND.trim().split("\n").map((l) => l.trim()).filter((l) => l), ...sysLines(), ...tableLines()];
// Drop what GNU as rejects (keeps the corpus honest about GNU syntax).
let keep = all;
const dropped: string[] = [];
for (let pass = 0; pass < 4; pass++) {
  const r = assembleAndLink("start:\n" + keep.join("\n") + "\n");
  if (r.ok) break;
  if (r.errors.size === 0) throw new Error("assembly failed without line errors");
  keep = keep.filter((l, i) => { const bad = r.errors.has(i + 2); if (bad) dropped.push(`${l}    # ${r.errors.get(i + 2)}`); return !bad; });
}
const header = `// A64 instruction corpus — GENERATED by test/asm/gen-corpus.ts; do not edit.
// One instruction per line; assembled and linked at 0x${LINK_BASE.toString(16)} by test/unit/asm/a64.test.ts
// and compared with our encoder and disassembler.
`;
const file = path.join(__dirname, "corpus", "instructions.s");
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, header + ".text\nstart:\n" + keep.join("\n") + "\n");
console.log(`corpus: ${keep.length} lines (${dropped.length} rejected by GNU as)`);
if (process.env.VERBOSE) for (const d of dropped) console.log("  dropped: " + d);
