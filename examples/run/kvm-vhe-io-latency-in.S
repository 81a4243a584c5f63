// io-latency-in under kvm-vhe — assembled as `armvirt experiments` assembles it;
// F5 with the matching configuration in ../.vscode/launch.json, or `npx armvirt run` (add --cores 2 --gic v2).
        .equ ITERATIONS, 32
        .include "../hyp/common/kit.inc"
        .include "../bench/common/guest.inc"
        .include "../bench/io-latency-in.S"
        .include "../hyp/kvm-vhe/kvm-vhe.S"
