// `armvirt run` with the Linux boot protocol: --kernel/--initrd/--append/--dtb/--dump-dtb as
// QEMU's -kernel/-initrd/-append/-dtb and -M …,dumpdtb=FILE (src/sim/boot/linux-boot.ts).
import * as fs from 'node:fs';
import type { Machine } from '../sim/machine';
import { ProgramError } from '../asm/program-image';
import { readKernelFiles } from '../asm/kernel-files';
import { bootKernel, bootDtb, type BootPlan } from '../sim/boot/linux-boot';

export interface BootOptionValues {
  kernel?: string;
  initrd?: string;
  append?: string;
  dtb?: string;
  'dump-dtb'?: string;
}

/**
 * Checks PROGRAM vs --kernel and the options that need --kernel; throws ProgramError (exit code 2)
 * with the usage problem. run.ts has already checked the number of PROGRAMs.
 */
export function checkBootOptions(v: BootOptionValues, positionals: string[]): void {
  if (v.kernel !== undefined) {
    if (positionals.length > 0) throw new ProgramError(`give either PROGRAM or --kernel, not both (got PROGRAM '${positionals[0]}' and --kernel '${v.kernel}')`);
    return;
  }
  for (const o of ['initrd', 'append', 'dtb'] as const) {
    if (v[o] !== undefined) throw new ProgramError(`--${o} needs --kernel (the Linux boot protocol); a PROGRAM is loaded as it is`);
  }
}

/**
 * Loads the kernel into `m` by the boot protocol and returns where everything went. With
 * --dump-dtb writes the device tree the guest would get and returns 'dumped' (nothing runs). A PROGRAM is loaded by run.ts (which loads
 * the assembler only for an assembly source).
 */
export function loadGuest(m: Machine, v: BootOptionValues, warn: (s: string) => void): BootPlan | 'dumped' {
  if (v['dump-dtb'] !== undefined) {
    const files = v.kernel !== undefined
      ? readKernelFiles({ kernel: v.kernel, initrd: v.initrd, dtb: v.dtb, append: v.append }).files
      : { append: v.append };
    fs.writeFileSync(v['dump-dtb'], bootDtb(m, files));
    return 'dumped';
  }
  const { files } = readKernelFiles({ kernel: v.kernel!, initrd: v.initrd, dtb: v.dtb, append: v.append });
  const plan = bootKernel(m, files);
  for (const w of plan.warnings) warn(`armvirt: ${w}\n`);
  return plan;
}
