#!/bin/sh
# Builds examples/c-hyp/c-hyp.elf (the small hypervisor in C) with Debian's cross compiler
# (package gcc-aarch64-linux-gnu): -O0 -g, DWARF 5, linked at 0x4000_0000 (the virt board's RAM).
# Paths in the debugging information are relative to examples/c-hyp (-ffile-prefix-map) and the
# objects have fixed names, so the ELF is the same wherever it is built, and the checked-in copy
# is compared with a rebuild (test/debug/c-hyp.test.ts).
#   usage: sh scripts/build-c-hyp.sh [OUTPUT]     (default examples/c-hyp/c-hyp.elf)
set -eu
here=$(cd "$(dirname "$0")/../examples/c-hyp" && pwd)
out=${1:-$here/c-hyp.elf}
case "$out" in /*) ;; *) out=$(pwd)/$out ;; esac
gcc=${CROSS_GCC:-aarch64-linux-gnu-gcc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"
for src in start.S hyp.c guest.S; do
  "$gcc" -c -O0 -g -gdwarf-5 -Wall -Wextra -Werror -std=gnu11 -ffreestanding -fno-pie -mgeneral-regs-only \
    -fno-stack-protector -fno-asynchronous-unwind-tables -ffile-prefix-map="$here"=. -ffile-prefix-map="$tmp"=. \
    -o "$tmp/${src%.*}.o" "$src"
done
cd "$tmp"
# ld names each object's local symbols after the object file: relative names keep them fixed.
"$gcc" -nostdlib -static -no-pie -Wl,-N -Wl,-Ttext=0x40000000 -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
  -Wl,-e,_start -o "$out" start.o hyp.o guest.o
