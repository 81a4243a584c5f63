// A program written for EL1 (it installs VBAR_EL1) launched at EL2: its SVC is taken at EL2
// through VBAR_EL2, which is 0, and fetching 0x200 aborts to 0x200 again — the machine is stuck.
        .text
        .global _start
_start:
        adr     x0, el1_vectors
        msr     vbar_el1, x0
        svc     #0                  // @svc
        b       .

        .balign 0x800
el1_vectors:
        .rept   16
        b       .
        .balign 0x80
        .endr
