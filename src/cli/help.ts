// Help texts of `armvirt` and its subcommands (printed by --help / -h, exit code 0).
// README.md "Run a program" documents the same options and exit codes.

export const EXIT_CODES = `exit codes:
  0        the guest exited with 0, or powered off (PSCI SYSTEM_OFF); asm wrote the ELF
  1-255    the guest's own semihosting exit code (SYS_EXIT / SYS_EXIT_EXTENDED)
  2        usage or input error: bad option, unreadable file, assembly errors (file:line:col),
           bad ELF, a program with no code
  124      --max-insns was reached
  125      the machine is stuck: every running PE waits in WFI with nothing that can wake it,
           or loops where no interrupt can reach it (the same exception again and again at its
           own vector; a branch to self with interrupts masked); stderr says where and why
  130      interrupted by SIGINT (Ctrl-C); the PEs' state is printed on stderr
  141      stdout was closed by its reader (EPIPE), e.g. \`armvirt run prog.S | head -1\`
  143      terminated by SIGTERM; the PEs' state is printed on stderr`;

export const MAIN_HELP = `usage: armvirt COMMAND [options]     (armvirt COMMAND --help for its options)

commands:
  run PROGRAM          run an ELF64 AArch64 executable or an assembly source (.S, .s, .asm)
  asm FILE -o ELF      assemble a source file into an ELF64 executable
  experiments          the ISCA 2016 microbenchmarks under the example hypervisors

options:
  -h, --help           this help
  -V, --version        print the version and exit

${EXIT_CODES}`;

export const RUN_HELP = `usage: armvirt run PROGRAM [options]
       armvirt run --kernel FILE [--initrd FILE] [--append ARGS] [--dtb FILE] [options]

Runs PROGRAM on the simulated \`virt\` board: the boot PE starts at the ELF entry point (or
_start) with the MMU off, at EL2 unless the program's \`.armvirt entry_el, 1\` note or
--entry-el says otherwise. Guest output (PL011 UART at 0x0900_0000, semihosting) goes to stdout,
line by line on a terminal and at least every 50 ms on a pipe; the exit code is the guest's.
stdin is the PL011's receive line (a line at a time on a terminal): a guest sleeping in WFI with
the receive interrupt unmasked waits for it instead of being reported stuck, until stdin ends.
Ctrl-C (SIGINT) or SIGTERM stops the guest and prints where each PE was on stderr.

options:
  --max-insns N        stop after N instructions in total (exit 124)     default: no limit
  --regs-json FILE     write CPU0's final registers (X0-X30, SP, PC, NZCV, EL, EL0-EL2
                       system registers) as JSON, also when stopped by a signal
  --trace              one line per instruction on stderr: CPU, EL, PC, encoding, disassembly
  --cores N            number of PEs, 1-8 (secondaries start off until PSCI CPU_ON)  default: 1
  --gic v2|v3          interrupt controller version                       default: v3
  --memory MiB         RAM size in MiB, 1-3072, from 0x4000_0000           default: 1024
  --entry-el 1|2       EL the boot PE starts at; wins over the program's note   default: the
                       program's \`.armvirt entry_el\` note, else 2
  --cpu NAME           cortex-a57 (ARMv8.0), armv8.1-vhe (VHE, PAN, LSE) or max (+ FP16)  default: cortex-a57
  --profile NAME|FILE  cycle cost profile (xgene-gicv2, armv8.1-vhe, or a .json file); the
                       counter then ticks once per modelled cycle  default: 1 cycle per instruction
  --jit                compile hot code to WebAssembly (integer core, branches, loads and
                       stores; same results and counts as without)         default: on
  --no-jit             interpret only (for comparison and debugging)
  --stats              print on stderr: instructions, MIPS, and the compiler's share of
                       instructions, regions compiled and dropped, invalidations, early
                       exits at loads/stores, compile time

Linux boot protocol (as QEMU's -kernel/-initrd/-append/-dtb on -M virt):
  --kernel FILE        boot FILE instead of a PROGRAM: arm64 Image, kvm-unit-tests .flat,
                       gzip-compressed Image, ELF or raw binary; X0 = the device tree
  --initrd FILE        initial ramdisk, described in /chosen
  --append ARGS        kernel command line (/chosen/bootargs)
  --dtb FILE           use FILE instead of the generated device tree (/memory, /chosen updated)
  --dump-dtb FILE      write the device tree the kernel would get and exit 0
  --rtc-epoch SECONDS  the PL031's time at reset (Unix seconds)    default: the host's clock
                       (also the seed of /chosen/rng-seed)
  --exit-profile N     charge the cycles of a KVM guest's Nth hypercall (N >= 2) to the kernel
                       functions that spend them (kallsyms names); one stderr line
                       "armvirt-exit-profile: {json}", and the run goes on

virtio-mmio devices (32 transports at 0x0a00_0000, filled from 0x0a00_3e00 down, as QEMU):
  --drive FILE[,readonly][,serial=ID]
                       a virtio-blk disk backed by FILE (raw image; writes go to the file at
                       once, flushed on VIRTIO_BLK_T_FLUSH and at exit); repeatable
  --virtio-console     a virtio console (hvc0) after the drives; stdin then feeds it
  -h, --help           this help

examples:
  armvirt run examples/el1-hello.S              prints three lines, exits 55
  armvirt run prog.elf --cores 2 --gic v2
  armvirt run loop.S --max-insns 1000000 --regs-json regs.json
  armvirt run prog.S --trace 2> trace.txt
  armvirt run --kernel Image --append "console=ttyAMA0" --cores 2
  armvirt run --kernel Image --initrd rd.cpio --drive disk.img --append "console=ttyAMA0 root=/dev/vda"

${EXIT_CODES}`;

export const ASM_HELP = `usage: armvirt asm FILE -o OUTPUT [options]

Assembles FILE (GNU as syntax; .S files go through the C preprocessor) with the built-in
assembler and writes an ELF64 AArch64 executable. Errors are printed as file:line:col.

options:
  -o, --output FILE        the ELF to write (required)
  --link-address ADDR      address of the first section                   default: 0x4000_0000
  -h, --help               this help

examples:
  armvirt asm examples/el1-hello.S -o el1-hello.elf
  armvirt asm boot.S -o boot.elf --link-address 0x4008_0000

exit codes: 0 the ELF was written; 2 usage error, unreadable file or assembly errors.`;

export const EXPERIMENTS_HELP = `usage: armvirt experiments [options]

Runs the benchmark guests (examples/bench) under the example hypervisors (examples/hyp) on a
2-PE GICv2 machine with a cycle-cost profile and prints the guests' measurements beside the
figures of Dall et al., ISCA 2016 (docs/experiments.md).

options:
  --hyp xen-style|kvm-split|kvm-vhe|all   hypervisors to run (comma-separated list allowed)
                                                                            default: all
  --profile NAME           cost profile (xgene-gicv2, armv8.1-vhe) or a .json file
                           default: xgene-gicv2 (armv8.1-vhe for kvm-vhe)
  --json                   print the results as JSON
  --iterations N           measured iterations per benchmark, 1-256          default: 32
  --bench NAME,...         only these benchmarks (hypercall, interrupt-controller-trap,
                           virtual-ipi, virtual-irq-completion, vm-switch, io-latency-out,
                           io-latency-in)                                        default: all
  --html FILE              also write the results as an HTML report (inline SVG, no remote content)
  --progress-json          one JSON line per step on stderr (what the VS Code panel reads)
  --linux                  also boot Debian's kernel twice (cortex-a57: KVM nVHE; max: KVM VHE;
                           2 PEs, GICv3) with examples/linux/vmm as init, run the benchmarks on
                           Linux's own KVM (16 iterations each) and print them beside the
                           example hypervisors and the paper (a few minutes of CPU per boot)
  --kernel FILE            the kernel for --linux      default: scripts/fetch-kernel.sh's cache
  -h, --help               this help

examples:
  armvirt experiments
  armvirt experiments --linux --hyp kvm-split,kvm-vhe
  armvirt experiments --hyp kvm-split --bench hypercall --iterations 8 --json

exit codes: 0 success; 2 usage error.`;

export const HELP: Record<string, string> = { run: RUN_HELP, asm: ASM_HELP, experiments: EXPERIMENTS_HELP };
