// "The QEMU differential corpus runs with .S files assembled by our assembler too": every program
// in test/diff/programs is assembled by src/asm/assembler (include path test/diff/include) and
// written by src/asm/elf-writer at the link address of test/diff/link.ld — no GNU tool touches
// it. That ELF is run under QEMU and under `node dist/cli.js run`; both must print the same bytes
// and exit alike, and QEMU must also print exactly what it prints for the GNU as + ld build of
// the same program (so a wrong encoding that QEMU and the simulator happen to agree on fails).
//   DIFF_ONLY=<substring>  run only matching programs      DIFF_JOBS=<n>  parallelism (default 2)
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { assembleFile } from '../../src/asm/assembler';
import { writeElf } from '../../src/asm/elf-writer';
import type { Assembler } from './build';
import { defineDiffSuite } from './suite';

/** test/diff/link.ld places everything at 0x4000_0000, our assembler's default link address. */
const LINK_ADDRESS = 0x4000_0000n;

const ourAssembler: Assembler = Object.assign(
  async (source: string, elf: string, includeDir: string): Promise<void> => {
    const r = assembleFile(source, { includePaths: [includeDir], linkAddress: LINK_ADDRESS });
    if (r.errors.length) {
      const shown = r.errors.slice(0, 8).map((e) => `  ${path.basename(e.file)}:${e.line}:${e.column}: ${e.message}`);
      throw new Error(`our assembler rejected ${path.basename(source)} (${r.errors.length} error(s)):\n${shown.join('\n')}`);
    }
    writeFileSync(elf, writeElf(r));
  },
  { linked: true },
);

defineDiffSuite({
  title: 'differential: our assembler + QEMU vs armvirt run',
  assembler: ourAssembler,
  tag: 'ours',
  reference: { tag: 'gnu' },
});
