// `armvirt experiments` as a command (dist/cli.js, build first): --html writes a self-contained
// report, rows stream in the same text the batch formatter prints, progress goes to a terminal's
// stderr only (and as JSON lines with --progress-json), and the extension's child-process runner
// (src/extension/experiments-run.ts) reads that protocol and can be cancelled.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatReport } from '../../src/cli/experiments';
import { BENCHMARKS, type ExperimentsReport } from '../../src/cli/paper';
import { runExperimentsProcess, type ExperimentsStep } from '../../src/extension/experiments-run';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const SMALL = ['--hyp', 'kvm-split,xen-style', '--bench', 'hypercall,virtual-irq-completion', '--iterations', '2'];

function cli(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [CLI, 'experiments', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('armvirt experiments (command line)', function () {
  this.timeout(300000);
  let tmp: string;
  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is missing: run npm run build');
    assert.ok(fs.existsSync(path.join(ROOT, 'dist/webview-experiments.css')), 'dist/webview-experiments.css is missing: run npm run build');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-exp-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('--html FILE writes one self-contained page: inline SVG and CSS, no script, nothing remote; its bars are the JSON rows', () => {
    const file = path.join(tmp, 'report.html');
    const r = cli(['--json', '--iterations', '2', '--html', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', 'nothing on stderr when it is not a terminal');
    const report = JSON.parse(r.stdout) as ExperimentsReport;
    const html = fs.readFileSync(file, 'utf8');
    assert.match(html, /<svg /);
    assert.match(html, /<style>/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<link /i);
    const urls = [...html.matchAll(/https?:\/\/[^\s"'<>)]*/g)].map((m) => m[0]);
    assert.ok(urls.length > 0 && urls.every((u) => u === 'http://www.w3.org/2000/svg'), `remote references: ${[...new Set(urls)].join(', ')}`);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'">/);
    assert.equal((html.match(/<figure class="bench-group"/g) ?? []).length, BENCHMARKS.length);
    for (const row of report.rows) {
      const re = new RegExp(`<rect class="bar ours[^"]*"[^>]*data-bench="${row.benchmark}" data-hyp="${row.hypervisor}" data-source="ours" data-value="${row.cycles}"`);
      assert.match(html, re, `${row.benchmark}/${row.hypervisor}`);
    }
  });

  it('--html into a folder that does not exist is refused before anything runs, naming the option', () => {
    const r = cli(['--html', path.join(tmp, 'no-such-folder', 'r.html')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--html: cannot write into .*no-such-folder/);
    assert.equal(r.stdout, '');
  });

  it('the streamed text is what the batch formatter prints for the same report, with nothing on a non-terminal stderr', () => {
    const text = cli(SMALL);
    const json = cli(['--json', ...SMALL]);
    assert.equal(text.status, 0, text.stderr);
    assert.equal(text.stderr, '');
    assert.equal(text.stdout, formatReport(JSON.parse(json.stdout) as ExperimentsReport));
  });

  it('--progress-json: one JSON line per step on stderr, numbered 1…N', () => {
    const r = cli(['--json', '--progress-json', ...SMALL]);
    assert.equal(r.status, 0);
    const steps = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as ExperimentsStep);
    // 2 hypervisors × (2 benchmarks + the breakdown)
    assert.deepEqual(steps.map((s) => s.step), [1, 2, 3, 4, 5, 6]);
    assert.ok(steps.every((s) => s.total === 6));
    assert.deepEqual(steps.map((s) => s.label), ['kvm-split × hypercall', 'kvm-split × virtual-irq-completion', 'kvm-split × hypercall breakdown',
      'xen-style × hypercall', 'xen-style × virtual-irq-completion', 'xen-style × hypercall breakdown']);
    JSON.parse(r.stdout);
  });

  it('on a terminal, stderr gets a [n/N] status line redrawn in place and cleared at the end; not with --json', function () {
    if (spawnSync('script', ['--version']).status !== 0) this.skip();
    // script(1) gives the command a terminal; stdout goes to a file, so what script records is stderr.
    const run = (extra: string[]): string => {
      const out = path.join(tmp, 'stdout.txt');
      const cmd = [process.execPath, CLI, 'experiments', ...extra, ...SMALL].map((a) => `'${a}'`).join(' ') + ` >'${out}'`;
      return execFileSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8' });
    };
    const tty = run([]);
    const frames = tty.split('\r\x1b[K').filter(Boolean);
    assert.deepEqual(frames, ['[1/6] kvm-split × hypercall', '[2/6] kvm-split × virtual-irq-completion', '[3/6] kvm-split × hypercall breakdown',
      '[4/6] xen-style × hypercall', '[5/6] xen-style × virtual-irq-completion', '[6/6] xen-style × hypercall breakdown']);
    assert.ok(tty.endsWith('\r\x1b[K'), 'cleared at the end');
    assert.equal(run(['--json']), '');
  });

  it('the extension\'s runner: steps as they come, the report, and cancellation', async () => {
    const seen: ExperimentsStep[] = [];
    const report = await runExperimentsProcess({ cli: CLI, args: SMALL, onStep: (s) => seen.push(s) });
    assert.deepEqual(report, JSON.parse(cli(['--json', ...SMALL]).stdout));
    assert.equal(seen.length, 6);
    const ac = new AbortController();
    const t0 = Date.now();
    const p = runExperimentsProcess({ cli: CLI, args: ['--iterations', '256'], signal: ac.signal, onStep: (s) => { if (s.step === 2) ac.abort(); } });
    await assert.rejects(p, (e: Error) => e.name === 'AbortError');
    assert.ok(Date.now() - t0 < 30000, 'the child was stopped');
  });
});
