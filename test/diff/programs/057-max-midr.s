// diff: cpu=max
// MIDR_EL1 of the max model: Implementer 0 ("reserved for software use"), Architecture 0xF
// (features are described by the ID registers), PartNum 0x051, as QEMU's -cpu max. A real
// core's MIDR (the A57's) would make Linux apply that core's errata workarounds, e.g. Spectre-v3a
// hyp vectors that a VHE kernel cannot map (BUG in create_hyp_exec_mappings). VPIDR_EL2 resets
// to MIDR_EL1, and EL1 reads of MIDR_EL1 return it (D17.2.100).
        .include "harness.inc"
main:
        PSYS    MIDR_EL1
        PSYS    VPIDR_EL2
        TO_EL1
        PSYS    MIDR_EL1
        UP_EL2
        EXIT    0
