// Runs a fuzz image on the simulator (in process) or on QEMU, and returns the output records.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Machine } from '../../src/sim/machine';
import { buildImage, imageElf, type FuzzCase } from './harness';
import { OUT, OUT_BASE, RAM_MIB } from './layout';

export const QEMU = process.env.QEMU_SYSTEM_AARCH64 ?? 'qemu-system-aarch64';

export interface BatchResult {
  /** OUT.WORDS words per case. */
  out: BigUint64Array;
  exitCode: number;
}

function readOut(bytes: Uint8Array, n: number): BigUint64Array {
  const need = n * OUT.WORDS * 8;
  if (bytes.length < need) throw new Error(`fuzz harness wrote ${bytes.length} bytes of output, expected ${need}`);
  const copy = new Uint8Array(need);
  copy.set(bytes.subarray(0, need));
  return new BigUint64Array(copy.buffer);
}

/** Runs the batch on our simulator, in this process. */
export function runOnSim(cases: readonly FuzzCase[], cpu: string, el: 0 | 1 | 2, pristine: Uint8Array): BatchResult {
  const img = buildImage(cases, el, pristine);
  const m = new Machine({ cpu, memoryMiB: RAM_MIB, gic: 'v3' });
  m.load(img.segments, img.entry);
  const r = m.run(5000 * (cases.length + 10));
  if (r.reason !== 'exit') throw new Error(`simulator run ended with '${r.reason}' after ${r.executed} instructions`);
  const len = cases.length * OUT.WORDS * 8;
  const bytes = new Uint8Array(len);
  const first = (OUT_BASE - m.mem.ramBase) / 4096;
  for (let off = 0; off < len; off += 4096) {
    const p = m.mem.pages[first + off / 4096];
    if (p) bytes.set(new Uint8Array(p.buffer, p.byteOffset, Math.min(4096, len - off)), off);
  }
  return { out: readOut(bytes, cases.length), exitCode: m.exitCode };
}

/** Runs the batch on QEMU (the oracle); the harness writes its records to a file by semihosting. */
export async function runOnQemu(cases: readonly FuzzCase[], cpu: string, el: 0 | 1 | 2, pristine: Uint8Array): Promise<BatchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'armvirt-fuzz-'));
  try {
    const dump = path.join(dir, 'out.bin');
    const elf = path.join(dir, 'fuzz.elf');
    writeFileSync(elf, imageElf(buildImage(cases, el, pristine, dump)));
    const args = [
      '-M', 'virt,virtualization=on,gic-version=3', '-cpu', cpu, '-m', `${RAM_MIB}M`, '-nographic', '-nic', 'none',
      '-semihosting-config', 'enable=on,target=native,chardev=serial0', '-kernel', elf,
    ];
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(QEMU, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
      let err = '';
      child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.on('error', reject);
      child.on('close', (c) => {
        clearTimeout(timer);
        if (c === null) reject(new Error(`${QEMU} was killed (timeout?) ${err}`));
        else resolve(c);
      });
    });
    if (code !== 0) throw new Error(`${QEMU} exited with ${code}`);
    return { out: readOut(readFileSync(dump), cases.length), exitCode: code };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
