// `npm run fuzz -- [options]`: the random differential tester (QEMU vs the simulator) and the
// random-word robustness mode. See tools/fuzz/README.md.
import { runDifferential, implementedRecords, type DiffReport } from './differential';
import { QEMU_DEVIATIONS, KNOWN_ISSUES } from './qemu-deviations';
import { runRandomWords } from './words';

const USAGE = `usage: npm run fuzz -- [--count N] [--seed S] [--cpu cortex-a57|max[,..]] [--el 0|1|2[,..]]
                     [--class CLS[,CLS..]] [--batch N] [--list-classes]
       npm run fuzz -- --words N [--seed S] [--cpu ..] [--el ..]
  --count N    test cases per (cpu, EL) pair (default 2000)
  --seed S     PRNG seed (default 1); the same seed gives the same cases
  --cpu        CPU model(s), comma separated (default cortex-a57,max)
  --el         exception level(s) the instruction runs at (default 0,1,2)
  --class      only records of these instruction-table classes (the 'cls' of src/asm/a64/insns*.ts)
  --batch N    cases per QEMU run (default 4000)
  --words N    run N uniformly random 32-bit words on the simulator only, asserting that each
               executes or raises an architectural exception (no host exception)`;

function fail(msg: string): never {
  process.stderr.write(`fuzz: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  const known = ['count', 'seed', 'cpu', 'el', 'class', 'batch', 'words', 'list-classes', 'help'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) fail(`unexpected argument '${a}'`);
    const k = a.slice(2);
    if (!known.includes(k)) fail(`unknown option '${a}'`);
    if (k === 'list-classes' || k === 'help') { o[k] = '1'; continue; }
    const v = argv[++i];
    if (v === undefined) fail(`option --${k} needs a value`);
    o[k] = v;
  }
  return o;
}

function int(o: Record<string, string>, k: string, def: number, min = 0): number {
  if (o[k] === undefined) return def;
  const n = Number(o[k]);
  if (!Number.isInteger(n) || n < min) fail(`--${k} must be an integer >= ${min} (got '${o[k]}')`);
  return n;
}

function list<T extends string>(o: Record<string, string>, k: string, def: string, allowed: readonly T[]): T[] {
  const v = (o[k] ?? def).split(',').map((s) => s.trim()).filter(Boolean);
  for (const x of v) if (!allowed.includes(x as T)) fail(`--${k}: '${x}' is not one of ${allowed.join(', ')}`);
  return v as T[];
}

function summary(cpu: string, el: number, r: DiffReport): string {
  const ex = [...r.explained].map(([k, n]) => `${k}: ${n}`).join(', ');
  return `${cpu} EL${el}: ${r.cases} cases, ${r.unexplained.length} unexplained differences`
    + `${ex ? `, explained: ${ex}` : ''} (simulator ${(r.simMs / 1000).toFixed(1)} s, QEMU ${(r.qemuMs / 1000).toFixed(1)} s)`;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  if (o.help) { process.stdout.write(USAGE + '\n'); return; }
  const seed = int(o, 'seed', 1);
  const cpus = list(o, 'cpu', 'cortex-a57,max', ['cortex-a57', 'max'] as const);
  const els = list(o, 'el', '0,1,2', ['0', '1', '2'] as const).map(Number) as (0 | 1 | 2)[];
  if (o.words !== undefined) {
    const n = int(o, 'words', 0, 1);
    let bad = 0;
    for (const cpu of cpus) for (const el of els) {
      const r = runRandomWords({ count: n, seed, cpu, el });
      process.stdout.write(`${cpu} EL${el}: ${r.words} words, ${r.executed} executed, ${r.exceptions} raised an exception, ${r.restarts} restarts, ${r.hostErrors.length} host errors (${(r.ms / 1000).toFixed(1)} s)\n`);
      for (const e of r.hostErrors.slice(0, 20)) process.stdout.write(`  .inst 0x${e.word.toString(16).padStart(8, '0')}  // ${e.text}: ${e.error}\n`);
      bad += r.hostErrors.length;
    }
    process.exitCode = bad ? 1 : 0;
    return;
  }
  if (o['list-classes']) {
    for (const cpu of cpus) {
      const { eligible, unimplemented } = implementedRecords(cpu, o.class);
      const by = new Map<string, number>();
      for (const e of eligible) by.set(e.cls, (by.get(e.cls) ?? 0) + 1);
      process.stdout.write(`${cpu}: fuzzed classes (records): ${[...by].map(([k, v]) => `${k}(${v})`).join(' ')}\n`);
      process.stdout.write(`${cpu}: records UNDEFINED in the simulator, left out: ${[...unimplemented].map(([k, v]) => `${k}(${v})`).join(' ')}\n`);
    }
    return;
  }
  const count = int(o, 'count', 2000, 1);
  const batch = int(o, 'batch', 4000, 1);
  let unexplained = 0;
  const covered = new Map<string, number>();
  for (const cpu of cpus) for (const el of els) {
    const r = await runDifferential({ count, seed, cpu, el, classes: o.class, batch, log: (l) => process.stdout.write(l + '\n') });
    process.stdout.write(summary(cpu, el, r) + '\n');
    unexplained += r.unexplained.length;
    for (const [k, v] of r.covered) covered.set(k, (covered.get(k) ?? 0) + v);
  }
  for (const cpu of cpus) {
    const { unimplemented } = implementedRecords(cpu, o.class);
    if (unimplemented.size) process.stdout.write(`${cpu}: records left out because the simulator raises UNDEFINED for them (class: records): ${[...unimplemented].map(([k, v]) => `${k}(${v})`).join(' ')}\n`);
  }
  process.stdout.write(`classes covered (cases): ${[...covered].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}(${v})`).join(' ')}\n`);
  process.stdout.write(`known QEMU deviations: ${QEMU_DEVIATIONS.map((d) => d.id).join(', ') || 'none'}; known simulator issues: ${KNOWN_ISSUES.map((d) => d.id).join(', ') || 'none'}\n`);
  process.stdout.write(unexplained ? `FAIL: ${unexplained} unexplained differences\n` : 'OK: no unexplained differences\n');
  process.exitCode = unexplained ? 1 : 0;
}

main().catch((e) => { process.stderr.write(`fuzz: ${e instanceof Error ? e.message : String(e)}\n`); process.exit(2); });
