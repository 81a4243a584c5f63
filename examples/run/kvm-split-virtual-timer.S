// virtual-timer under kvm-split — the layout `armvirt experiments` uses (it does not run this guest; runGuest in
// src/cli/experiments.ts and test/experiments/virtual-timer.test.ts do);
// F5 with the matching configuration in ../.vscode/launch.json, or `npx armvirt run` (add --cores 2 --gic v2).
        .equ ITERATIONS, 32
        .include "../hyp/common/kit.inc"
        .include "../bench/common/guest.inc"
        .include "../bench/virtual-timer.S"
        .include "../hyp/kvm-split/kvm-split.S"
