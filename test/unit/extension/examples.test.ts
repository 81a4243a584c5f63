// The examples/ workspace stays runnable: each program assembles with the built-in assembler,
// runs headless, prints what its comments promise and exits with its documented code. Also
// checks that examples/.vscode/launch.json and package.json agree on the launch attributes.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Machine, type MachineOptions } from '../../../src/sim/machine';
import { loadProgram } from '../../../src/asm/program';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');

function run(file: string, opts: MachineOptions): { exit: number | undefined; out: string } {
  const p = loadProgram(path.join(EXAMPLES, file));
  let out = '';
  const m = new Machine({ ...opts, output: (b) => { out += Buffer.from(b).toString('latin1'); } });
  m.load(p.segments, p.entry);
  const r = m.run(1_000_000);
  assert.equal(r.reason, 'exit', `${file}: ${r.reason}; output:\n${out}`);
  return { exit: r.exitCode, out };
}

/** launch.json is JSON with // comments (outside strings). */
function readJsonc(file: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const text = fs.readFileSync(file, 'utf8').replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*/g, (_m, str: string | undefined) => str ?? '');
  return JSON.parse(text);
}

describe('extension: examples/', () => {
  it('el1-hello.S runs at EL1 and exits with 55', () => {
    const r = run('el1-hello.S', { entryEL: 1 });
    assert.equal(r.exit, 55);
    assert.match(r.out, /Hello from EL1!\nEL1: in the SVC handler\n/);
  });

  for (const gic of ['v3'] as const) {
    it(`hyp-hvc-virq.S traps the HVC and the guest takes virtual INTID 42 (GIC${gic})`, () => {
      const r = run('hyp-hvc-virq.S', { entryEL: 2, gic });
      assert.equal(r.exit, 42);
      assert.match(r.out, /EL2: HVC trapped.*\nEL1: took virtual IRQ 42/);
    });
  }

  it('hyp-s2-fault.S: the guest store to an unmapped IPA is a Stage-2 fault the hypervisor emulates (exit 42)', () => {
    const r = run('hyp-s2-fault.S', { entryEL: 2, memoryMiB: 256 });
    assert.equal(r.exit, 42);
    assert.match(r.out, /EL2: Stage-2 data abort at IPA 0x0a001008, store emulated\nEL1: done\n/);
  });

  it('launch.json uses only documented attributes, with valid values', () => {
    const launch = readJsonc(path.join(EXAMPLES, '.vscode', 'launch.json'));
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const dbg = pkg.contributes.debuggers.find((d: { type: string }) => d.type === 'armvirt');
    const props = dbg.configurationAttributes.launch.properties as Record<string, { enum?: unknown[] }>;
    for (const c of launch.configurations) {
      assert.equal(c.type, 'armvirt');
      for (const [k, v] of Object.entries(c)) {
        if (['type', 'request', 'name'].includes(k)) continue;
        assert.ok(props[k], `${c.name}: attribute ${k} is documented in package.json`);
        if (props[k].enum) assert.ok(props[k].enum!.includes(v), `${c.name}: ${k}=${String(v)}`);
      }
      for (const key of ['program', 'initrd'] as const) {
        if (c[key] === undefined) continue;
        const file = String(c[key]).replace('${workspaceFolder}', EXAMPLES);
        if (!file.includes('${')) assert.ok(fs.existsSync(file), `${c.name}: ${key} ${file}`);
      }
      assert.ok((c.program === undefined) !== (c.kernel === undefined), `${c.name}: exactly one of program and kernel`);
    }
  });
  it('the .vsix ships every program the launch configurations name, with every file it includes', function () {
    this.timeout(60000);
    // `vsce ls` applies .vscodeignore exactly as `vsce package` does.
    const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
    const listed = new Set(execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' }).split('\n').map((l) => l.trim()).filter(Boolean));
    const launch = readJsonc(path.join(EXAMPLES, '.vscode', 'launch.json'));
    const need = new Set<string>();
    const visit = (abs: string): void => {
      const rel = path.relative(ROOT, abs).split(path.sep).join('/');
      if (need.has(rel)) return;
      need.add(rel);
      for (const m of fs.readFileSync(abs, 'utf8').matchAll(/^\s*(?:\.include|#include)\s+"([^"]+)"/gm)) visit(path.resolve(path.dirname(abs), m[1]));
    };
    for (const c of launch.configurations as { program?: string; initrd?: string }[]) {
      for (const f of [c.program, c.initrd]) {
        if (!f || !f.startsWith('${workspaceFolder}/')) continue;
        visit(path.join(EXAMPLES, f.replace('${workspaceFolder}/', '')));
      }
    }
    assert.ok(need.size > 40, `found ${need.size} files`);
    const missing = [...need].filter((f) => !listed.has(f));
    assert.deepEqual(missing, [], 'not packaged');
  });
});
