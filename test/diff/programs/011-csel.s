// CSEL/CSINC/CSINV/CSNEG and the aliases CSET/CSETM/CINC/CINV/CNEG under several flag states.
        .include "harness.inc"
        .macro ROW flags
        MOV64   x9, \flags
        msr     nzcv, x9
        csel    x0, x1, x2, eq
        csinc   x3, x1, x2, eq
        csinv   x4, x1, x2, lt
        csneg   x5, x1, x2, hi
        csel    w6, w1, w2, vs
        csneg   w7, w1, w2, ge
        cset    x10, cs
        csetm   x11, mi
        cinc    x12, x1, gt
        cinv    x13, x1, le
        cneg    x14, x1, ls
        csel    w15, w1, w2, al
        csinc   w16, w2, w1, nv
        PV      csel, x0
        PV      csinc, x3
        PV      csinv, x4
        PV      csneg, x5
        PV      cselw, x6
        PV      csnegw, x7
        PV      cset, x10
        PV      csetm, x11
        PV      cinc, x12
        PV      cinv, x13
        PV      cneg, x14
        PV      csetal, x15
        PV      csincnv, x16
        .endm
main:
        MOV64   x1, 0x1111111111111111
        MOV64   x2, 0x8000000000000005
        ROW     0x00000000
        ROW     0x40000000
        ROW     0x80000000
        ROW     0x20000000
        ROW     0x10000000
        ROW     0x90000000
        ROW     0x60000000
        ROW     0xf0000000
        ret
