// CLZ/CLS/RBIT/REV/REV16/REV32 in W and X forms over edge values.
        .include "harness.inc"
        .macro B val
        MOV64   x1, \val
        PUTS    "-- \val\n"
        clz     x0, x1
        PV      clz, x0
        cls     x0, x1
        PV      cls, x0
        clz     w0, w1
        PV      clzw, x0
        cls     w0, w1
        PV      clsw, x0
        rbit    x0, x1
        PV      rbit, x0
        rbit    w0, w1
        PV      rbitw, x0
        rev     x0, x1
        PV      rev, x0
        rev     w0, w1
        PV      revw, x0
        rev16   x0, x1
        PV      rev16, x0
        rev16   w0, w1
        PV      rev16w, x0
        rev32   x0, x1
        PV      rev32, x0
        .endm
main:
        B       0
        B       1
        B       0xffffffffffffffff
        B       0x8000000000000000
        B       0x0123456789abcdef
        B       0x00000000ffff0000
        B       0x7fffffff00000001
        B       0xc000000040000000
        ret
