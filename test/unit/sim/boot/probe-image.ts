// Builds boot-probe.S into a flat arm64 Image (the bytes from its first allocated section's
// address on) with the built-in assembler. The code is position-independent (adr, literal
// pools), so the link address only has to match where the loader puts it for `entry=`.
import * as path from 'node:path';
import { assembleFile } from '../../../../src/asm/assembler';
import { formatDiagnostic } from '../../../../src/asm/program';

export const PROBE_SOURCE = path.join(__dirname, 'boot-probe.S');

export function buildProbeImage(linkAddress = 0x40200000n): Uint8Array {
  const r = assembleFile(PROBE_SOURCE, { linkAddress });
  if (r.errors.length > 0) throw new Error(r.errors.map(formatDiagnostic).join('\n'));
  const alloc = r.sections.filter((s) => s.flags.alloc && s.size > 0);
  const start = alloc[0].address;
  const end = alloc.reduce((e, s) => (s.address + BigInt(s.size) > e ? s.address + BigInt(s.size) : e), start);
  const out = new Uint8Array(Number(end - start));
  for (const s of alloc) if (!s.nobits) out.set(s.data, Number(s.address - start));
  return out;
}

if (require.main === module) {
  // npx tsx test/unit/sim/boot/probe-image.ts OUT
  require('node:fs').writeFileSync(process.argv[2], buildProbeImage());
}
