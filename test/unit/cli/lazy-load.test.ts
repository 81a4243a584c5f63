// `armvirt` loads only what a command needs (scripts/build.mjs splits the CLI into bundles that
// the commands require on demand): which source modules does each command actually load? A
// preloaded script records the files in require.cache when the process exits; each loaded
// bundle's source map names the src/ modules it holds.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, ROOT, cli, ensureBuilt } from './helpers';

const EL1_HELLO = path.join(ROOT, 'examples', 'el1-hello.S');

let dir = '';

/** Runs `node dist/cli.js ...args` with a load hook; returns its exit code and the src/ modules the loaded files hold. */
function loadedSources(args: string[]): { status: number | null; stdout: string; sources: Set<string>; files: string[] } {
  const log = path.join(dir, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  fs.writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--require', path.join(dir, 'record-loaded.js'), CLI, ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 60000, env: { ...process.env, ARMVIRT_LOADED_LOG: log },
  });
  if (r.error) throw r.error;
  const files = fs.readFileSync(log, 'utf8').split('\n').filter((f) => f !== '');
  const sources = new Set<string>();
  for (const f of files) {
    if (path.dirname(f) !== path.join(ROOT, 'dist')) continue;
    const map = JSON.parse(fs.readFileSync(`${f}.map`, 'utf8')) as { sources: string[] };
    for (const s of map.sources) sources.add(path.relative(ROOT, path.resolve(path.dirname(f), s)).split(path.sep).join('/'));
  }
  return { status: r.status, stdout: r.stdout, sources, files };
}

const under = (sources: Set<string>, prefix: string): string[] => [...sources].filter((s) => s.startsWith(prefix));

describe('armvirt loads only what a command needs', function () {
  this.timeout(120000);
  let elf = '';

  before(() => {
    ensureBuilt();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-lazy-'));
    fs.writeFileSync(path.join(dir, 'record-loaded.js'),
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.ARMVIRT_LOADED_LOG, Object.keys(require.cache).join('\\n')));\n");
    elf = path.join(dir, 'el1-hello.elf');
    const r = cli(['asm', EL1_HELLO, '-o', elf]);
    assert.strictEqual(r.status, 0, r.stderr);
  });

  after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

  it('run of an ELF loads the simulator and the ELF loader, not the assembler, disassembler, experiments, debugger or LSP', () => {
    const r = loadedSources(['run', elf]);
    assert.strictEqual(r.status, 55, 'el1-hello exits with the sum of 1..10');
    assert.ok(r.stdout.startsWith('Hello from EL1!'));
    for (const s of ['src/sim/machine.ts', 'src/asm/elf-program.ts', 'src/cli/run.ts']) assert.ok(r.sources.has(s), `${s} loaded (files: ${r.files.join(', ')})`);
    // The address <-> line map (assembler/linemap.ts) is shared with the DWARF .debug_line reader an ELF uses.
    const unwanted = [
      ...under(r.sources, 'src/asm/assembler/').filter((s) => s !== 'src/asm/assembler/linemap.ts'), ...under(r.sources, 'src/asm/a64/'), ...under(r.sources, 'src/debug/'),
      ...under(r.sources, 'src/lsp/'), ...under(r.sources, 'src/extension/'), ...under(r.sources, 'src/webview/'),
      ...['src/asm/asm-program.ts', 'src/asm/elf-writer.ts', 'src/cli/experiments.ts', 'src/cli/asm.ts'].filter((s) => r.sources.has(s)),
    ];
    assert.deepStrictEqual(unwanted, []);
  });

  it('run of an assembly source does load the assembler (the record sees what is loaded), and --trace of an ELF the disassembler', () => {
    const r = loadedSources(['run', EL1_HELLO]);
    assert.strictEqual(r.status, 55);
    assert.ok(r.sources.has('src/asm/assembler/assembler.ts') && r.sources.has('src/asm/asm-program.ts'));
    const t = loadedSources(['run', elf, '--trace', '--max-insns', '5']);
    assert.strictEqual(t.status, 124);
    assert.ok(t.sources.has('src/asm/a64/disasm.ts'));
    assert.ok(!t.sources.has('src/asm/assembler/assembler.ts'), 'the disassembler without the assembler');
  });

  it('--version and --help load no simulator and no assembler', () => {
    for (const args of [['--version'], ['--help'], ['run', '--help']]) {
      const r = loadedSources(args);
      assert.strictEqual(r.status, 0);
      assert.ok(r.sources.has('src/cli/cli.ts'));
      // src/sim/boot/errors.ts is only the BootError class that cli.ts catches.
      const sim = under(r.sources, 'src/sim/').filter((s) => s !== 'src/sim/boot/errors.ts');
      assert.deepStrictEqual([...sim, ...under(r.sources, 'src/asm/assembler/'), ...under(r.sources, 'src/asm/a64/')], [], args.join(' '));
    }
  });
});
