// Reference tools of the boot tests: Debian's dtc (device-tree-compiler) and qemu-system-aarch64.
// Missing locally: the test says so and is skipped; with CI=true a missing tool fails it.
import { spawnSync } from 'node:child_process';

export const DTC = process.env.DTC ?? 'dtc';
export const QEMU = process.env.QEMU_SYSTEM_AARCH64 ?? 'qemu-system-aarch64';

export function haveTool(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Skips `ctx` (a mocha test or hook) when `cmd` is missing, unless CI=true. */
export function requireTool(ctx: Mocha.Context, cmd: string, pkg: string): void {
  if (haveTool(cmd)) return;
  if (process.env.CI === 'true') throw new Error(`${cmd} is missing (Debian package ${pkg}; CI=true: not skipping)`);
  console.log(`    (skipped: ${cmd} is missing; apt-get install ${pkg})`);
  ctx.skip();
}

/** `dtc -I dtb -O dts` of a blob: { dts, stderr, status }. */
export function dtcDecompile(blob: Uint8Array): { dts: string; stderr: string; status: number | null } {
  const r = spawnSync(DTC, ['-I', 'dtb', '-O', 'dts', '-'], { input: blob });
  return { dts: r.stdout.toString(), stderr: r.stderr.toString(), status: r.status };
}

/** `dtc -I dts -O dtb` of a source. */
export function dtcCompile(dts: string): Uint8Array {
  const r = spawnSync(DTC, ['-I', 'dts', '-O', 'dtb', '-'], { input: dts });
  if (r.status !== 0) throw new Error(`dtc failed: ${r.stderr.toString()}`);
  return new Uint8Array(r.stdout);
}
