// diff: gic=2
// Semihosting SYS_EXIT with ADP_Stopped_ApplicationExit and code 42 ends the run with status 42,
// called from EL1. Runs on the GICv2 board variant (gic-version=2 / --gic v2).
        .include "harness.inc"
main:
        PUTS    "exiting with 42\n"
        TO_EL1
        EXIT    42
