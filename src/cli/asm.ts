// `armvirt asm FILE -o ELF`: assembles a source file with the built-in assembler and writes an
// ELF64 executable. Loaded by cli.ts only for `asm`.
import * as fs from 'node:fs';
import { assembleFile, nodeReadFile } from '../asm/assembler';
import { writeElf } from '../asm/elf-writer';
import { formatDiagnostic, readProgramFile, writeFailure } from '../asm/program-image';
import { USAGE_EXIT_CODE, UsageError, parseCommand, type OptionSpec } from './args';

const ASM_OPTIONS: OptionSpec = { output: { type: 'string', short: 'o' }, 'link-address': { type: 'string' } };

export async function cmdAsm(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, ASM_OPTIONS);
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'asm needs a FILE to assemble' : `asm takes one FILE (got ${positionals.length}: ${positionals.join(' ')})`);
  const output = values.output as string | undefined;
  if (!output) throw new UsageError('asm needs -o OUTPUT (the ELF to write)');
  const file = positionals[0];
  let link: bigint | undefined;
  const la = values['link-address'] as string | undefined;
  if (la !== undefined) {
    try { link = BigInt(la.replace(/_/g, '')); } catch { throw new UsageError(`--link-address is not a number: '${la}'`); }
    if (link < 0n || link >= 1n << 64n) throw new UsageError(`--link-address must be from 0 to 0xffff_ffff_ffff_ffff (got '${la}')`);
  }
  // Read the file here: a missing or unreadable file is "cannot read FILE: reason", not a diagnostic at 1:1.
  const text = readProgramFile(file).toString('utf8');
  const r = assembleFile(file, { linkAddress: link, readFile: (p) => (p === file ? text : nodeReadFile(p)) });
  for (const w of r.warnings) process.stderr.write(formatDiagnostic(w) + '\n');
  for (const e of r.errors) process.stderr.write(formatDiagnostic(e) + '\n');
  if (r.errors.length > 0) {
    process.stderr.write(`armvirt: ${r.errors.length} error(s) assembling ${file}; nothing written\n`);
    return USAGE_EXIT_CODE;
  }
  try {
    fs.writeFileSync(output, writeElf(r));
  } catch (e) {
    throw new UsageError(`cannot write ${output}: ${writeFailure(e)}`, false);
  }
  return 0;
}
