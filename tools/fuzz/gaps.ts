// Gap scan: random words drawn from encoding regions (mask/value pairs), run on QEMU and on the
// simulator; reports the words QEMU executes (or traps other than UNDEFINED) that ours makes
// UNDEFINED, grouped by the disassembler's mnemonic. It finds encodings the instruction table
// lacks, which the table-driven differential mode cannot generate.
//   npx tsx tools/fuzz/gaps.ts [--count N] [--seed S] [--cpu cortex-a57|max] [--region simd-int]
import { writeFileSync } from 'node:fs';
import { disassemble } from '../../src/asm/a64/disasm';
import { pristineBuffer, Rng } from './cases';
import { record } from './compare';
import type { FuzzCase } from './harness';
import { IN } from './layout';
import { runOnQemu, runOnSim } from './run';

/** Regions by name: [mask, value] of the encoding classes (DDI0487 C4.1.95). */
const REGIONS: Record<string, Array<[number, number]>> = {
  'simd-int': [
    [0x9f200400, 0x0e200400],   // three same
    [0x9f208400, 0x0e008400],   // three same extra
    [0x9f200c00, 0x0e200000],   // three different
    [0x9f3e0c00, 0x0e200800],   // two-register misc
    [0x9f3e0c00, 0x0e300800],   // across lanes
    [0x9f800400, 0x0f000400],   // shift by immediate (immh = 0 is modified immediate)
    [0x9f000400, 0x0f000000],   // vector x indexed element
    [0xdf200400, 0x5e200400],   // scalar three same
    [0xdf208400, 0x5e008400],   // scalar three same extra
    [0xdf200c00, 0x5e200000],   // scalar three different
    [0xdf3e0c00, 0x5e200800],   // scalar two-register misc
    [0xdf3e0c00, 0x5e300800],   // scalar pairwise
    [0xdf800400, 0x5f000400],   // scalar shift by immediate
    [0xdf000400, 0x5f000000],   // scalar x indexed element
  ],
};

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
}

async function main(): Promise<void> {
  const count = Number(arg('--count', '4000')), seed = Number(arg('--seed', '1')), cpu = arg('--cpu', 'max');
  const region = REGIONS[arg('--region', 'simd-int')];
  const rng = new Rng(seed);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const [mask, value] = region[rng.int(region.length)];
    const word = ((rng.int(0x10000) | (rng.int(0x10000) << 16)) & ~mask | value) >>> 0;
    const input = new BigUint64Array(IN.WORDS);
    cases.push({ word, input });
  }
  const pristine = pristineBuffer(rng);
  const gaps = new Map<string, number[]>();
  let qUndef = 0, oUndef = 0;
  const isUndef = (r: Map<string, bigint>) => r.get('kind')! >= 0x10n && ((r.get('esr')! >> 26n) & 0x3fn) === 0n;
  for (let at = 0; at < cases.length; at += 2000) {
    const batch = cases.slice(at, at + 2000);
    const ours = runOnSim(batch, cpu, 1, pristine), qemu = await runOnQemu(batch, cpu, 1, pristine);
    batch.forEach((c, i) => {
      const o = isUndef(record(ours.out, i)), q = isUndef(record(qemu.out, i));
      if (o) oUndef++;
      if (q) qUndef++;
      if (o && !q) {
        const text = disassemble(c.word).split(/\s/)[0] || '?';
        let l = gaps.get(text);
        if (!l) gaps.set(text, (l = []));
        l.push(c.word);
      }
    });
  }
  console.log(`${cpu}: ${count} words, UNDEFINED on QEMU ${qUndef}, on ours ${oUndef}; ours-only UNDEFINED: ${[...gaps.values()].reduce((a, l) => a + l.length, 0)}`);
  if (process.env.GAPS_DUMP) writeFileSync(process.env.GAPS_DUMP, (gaps.get('.inst') ?? []).map((w) => w.toString(16)).join('\n'));
  for (const [m, l] of [...gaps].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`  ${m.padEnd(12)} ${String(l.length).padStart(5)}  e.g. ${l.slice(0, 3).map((w) => w.toString(16).padStart(8, '0') + ' ' + disassemble(w)).join(' | ')}`);
  }
}

void main();
