// Boots a Linux Image (scripts/fetch-kernel.sh) and prints, at each console milestone, the
// instructions retired and the process CPU time, so boot speed can be compared across changes:
//
//   npm run build && node dist/kernel-boot.js IMAGE [--cpu cortex-a57|max] [--cores N] [--limit INSNS]
//
// Run the bundle, not `tsx bench/kernel-boot.ts`: tsx transforms file by file and cannot inline
// the const enums imported across modules, which makes the simulator about 2-3 times slower.
//
// Milestones: KVM's "... mode initialized successfully" line, then the "VFS: Unable to mount
// root fs" panic (no initramfs, no disk). CPU time is this process's (user + system); the host
// load is printed with it, because other processes slow the run down even in CPU time.
import { Machine } from '../src/sim/machine';
import { loadGuest } from '../src/cli/kernel-boot';
import { formatLoad, hostLoad } from './host';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

const image = process.argv[2];
if (image === undefined || image.startsWith('--')) {
  process.stderr.write('usage: node dist/kernel-boot.js IMAGE [--cpu NAME] [--cores N] [--limit INSNS]\n');
  process.exit(2);
}
const cpu = arg('cpu', 'cortex-a57');
const cores = Number(arg('cores', '1'));
const limit = Number(arg('limit', '3000000000'));
let text = '';
const m = new Machine({ cpu, cores, rtcEpoch: 0, output: (b) => { text += Buffer.from(b).toString('latin1'); } });
loadGuest(m, { kernel: image, append: 'console=ttyAMA0 earlycon nokaslr' }, (w) => process.stderr.write(w));
const milestones: [string, RegExp][] = [['KVM initialized', /kvm \[\d+\]: \w+ mode initialized successfully/], ['VFS panic', /VFS: Unable to mount root fs/]];
const t0 = process.cpuUsage();
let next = 0;
while (next < milestones.length && m.retired < limit) {
  m.run(5_000_000);
  while (next < milestones.length && milestones[next][1].test(text)) {
    const u = process.cpuUsage(t0);
    const s = (u.user + u.system) / 1e6;
    process.stdout.write(`${cpu} x${cores}: ${milestones[next][0]} after ${m.retired} instructions, ${s.toFixed(1)} s CPU (${(m.retired / s / 1e6).toFixed(1)} MIPS); ${formatLoad(hostLoad())}\n`);
    next++;
  }
}
if (next < milestones.length) {
  process.stdout.write(`${cpu} x${cores}: stopped at ${m.retired} instructions before ${milestones[next][0]}; last console line: ${text.trimEnd().split('\n').pop()}\n`);
  process.exit(1);
}
