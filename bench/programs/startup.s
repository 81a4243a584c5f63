// Start-up benchmark: the harness's boot and an immediate semihosting exit, so a whole-process
// run of it measures what a process costs before and after the guest's own work.
        .include "harness.inc"
main:
        EXIT    0
