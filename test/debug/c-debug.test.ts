// DAP tests of source-level C debugging on test/debug/programs/c-debug.c, built during the test
// by aarch64-linux-gnu-gcc at -O0 and -O2 with DWARF 4 and 5: the call stack unwound by CFI
// through three C frames and across a hypercall into EL2 equals the program's own frame-record
// printout; caller frames and globals show the values the program prints; struct, array (paged)
// and pointer children; setVariable on a local changes the program's output; stepping over a
// call, into and out of an inlined function, and over a line that takes an exception.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { GCC, launch, lineOf, newClient, program, requireGcc, stopped } from './helpers';


interface Build { name: string; opt: string; dwarf: number; elf: string }

async function scopeVars(dc: DebugClient, frameId: number, name: string): Promise<Map<string, DebugProtocol.Variable>> {
  const scopes = await dc.scopesRequest({ frameId });
  const sc = scopes.body.scopes.find((s) => s.name === name);
  if (!sc) throw new Error(`no scope ${name}: ${scopes.body.scopes.map((s) => s.name).join(', ')}`);
  const vars = await dc.variablesRequest({ variablesReference: sc.variablesReference });
  return new Map(vars.body.variables.map((v) => [v.name, v]));
}

async function kids(dc: DebugClient, v: DebugProtocol.Variable, args: Partial<DebugProtocol.VariablesArguments> = {}): Promise<Map<string, DebugProtocol.Variable>> {
  assert.ok(v.variablesReference > 0, `${v.name} has children`);
  const r = await dc.variablesRequest({ variablesReference: v.variablesReference, ...args });
  return new Map(r.body.variables.map((x) => [x.name, x]));
}

const values = (m: Map<string, DebugProtocol.Variable>): Record<string, string> => Object.fromEntries([...m].map(([k, v]) => [k, v.value]));

/** Collects the program's UART output (stdout events). */
function output(dc: DebugClient): { text: () => string } {
  let text = '';
  dc.on('output', (e: DebugProtocol.OutputEvent) => { if (e.body.category === 'stdout') text += e.body.output; });
  return { text: () => text };
}

async function runToExit(dc: DebugClient, out: { text: () => string }): Promise<string> {
  const ended = dc.waitForEvent('terminated');
  await dc.continueRequest({ threadId: 1 });
  await ended;
  return out.text();
}

describe('debug adapter: C programs (CFI call stack, variables of every frame, setVariable, stepping)', function () {
  this.timeout(60000);
  let tmp: string;
  let src: string;
  const builds: Build[] = [];

  before(function () {
    requireGcc(this);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-cdebug-'));
    src = path.join(tmp, 'c-debug.c');
    fs.copyFileSync(program('c-debug.c'), src);
    for (const opt of ['O0', 'O2']) {
      for (const dwarf of [4, 5]) {
        const name = `${opt}-dwarf${dwarf}`;
        // -fno-omit-frame-pointer: the program prints its own frame-record chain to compare with.
        const r = spawnSync(GCC, [`-${opt}`, `-gdwarf-${dwarf}`, '-fno-omit-frame-pointer', '-mgeneral-regs-only', '-ffreestanding', '-nostdlib', '-static',
          '-Wl,-N', '-Wl,--no-warn-rwx-segments', '-Wl,--build-id=none', '-Wl,-Ttext=0x40000000', '-o', `${name}.elf`, 'c-debug.c'], { cwd: tmp, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(r.stderr);
        builds.push({ name, opt, dwarf, elf: path.join(tmp, `${name}.elf`) });
      }
    }
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  for (const variant of ['O0-dwarf4', 'O0-dwarf5', 'O2-dwarf4', 'O2-dwarf5']) {
    describe(variant, () => {
      let dc: DebugClient;
      let b: Build;
      beforeEach(async () => { b = builds.find((x) => x.name === variant)!; dc = newClient(); await dc.start(); });
      afterEach(async () => { await dc.stop(); });

      it('call stack at the EL2 handler: CFI frames, the vector, the hypercall, and three C frames at EL1 that match the program\'s backtrace', async () => {
        const out = output(dc);
        const line = lineOf(src, '@el2-handler');
        const hit = stopped(dc, 'breakpoint');
        await launch(dc, { program: b.elf }, () => dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line }] }));
        await hit;
        const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
        const names = frames.map((f) => f.name);
        assert.match(names[0], /^handle_hvc(\+0x[0-9a-f]+)? \(EL2\)$/);
        // (-O2: the line's only is_stmt row shares its address with the next line's rows, which the frame shows.)
        if (b.opt === 'O0') assert.strictEqual(frames[0].line, line);
        assert.match(names[1], /^el2_sync_lower\+0x[0-9a-f]+ \(EL2\)$/, names.join(' | '));
        assert.strictEqual(frames[2].presentationHint, 'label', 'the hypercall is a synthetic frame');
        assert.match(names[2], /EL1.*EL2|HVC/i);
        const el1 = frames.slice(3);
        assert.deepStrictEqual(el1.map((f) => f.name.replace(/\+0x[0-9a-f]+/, '')), ['level3 (EL1)', 'level2 (EL1)', 'level1 (EL1)', 'guest_main (EL1)']);
        assert.strictEqual(el1[0].line, lineOf(src, '@hvc'));
        assert.strictEqual(el1[1].line, lineOf(src, '@call3'));
        // The program printed its frame-record chain (return addresses) before the hypercall.
        const bt = /^bt((?: 0x[0-9a-f]+)+)$/m.exec(out.text());
        assert.ok(bt, out.text());
        const returns = bt[1].trim().split(' ').map((h) => Number(h));
        assert.deepStrictEqual(el1.slice(1).map((f) => Number(f.instructionPointerReference)), returns.map((r) => r - 4));

        // Variables of caller frames come from the registers CFI unwound: values the program printed.
        const printed = /^local1=(-?\d+)$/m.exec(out.text())![1];
        const local1 = (await scopeVars(dc, el1[2].id, 'Locals')).get('local1')!;
        if (b.opt === 'O0') assert.strictEqual(local1.value, printed);
        else assert.ok([printed, '(optimized out)'].includes(local1.value), local1.value);
        const l2 = await scopeVars(dc, el1[1].id, 'Locals');
        if (b.opt === 'O0') assert.strictEqual(l2.get('local2')!.value, '22');
        else assert.ok(['22', '(optimized out)'].includes(l2.get('local2')!.value), l2.get('local2')!.value);
        const a2 = await scopeVars(dc, el1[1].id, 'Arguments');
        assert.strictEqual(a2.get('v')!.type, 'struct vcpu *');
        // The pointer argument is dereferenced when expanded: vcpus[1].
        if (a2.get('v')!.variablesReference > 0) {
          const target = (await kids(dc, a2.get('v')!)).get('*v')!;
          assert.strictEqual((await kids(dc, target)).get('id')!.value, '1');
        } else assert.strictEqual(a2.get('v')!.value, '(optimized out)');
        if (b.opt === 'O0') assert.strictEqual((await scopeVars(dc, el1[0].id, 'Arguments')).get('depth')!.value, '3');

        // The handler's own argument points at the saved guest registers: x[0] is the hvc's 7 (at -O2
        // the line's breakpoint is the function's last instruction, after the store of 7 + 100).
        const f = (await scopeVars(dc, frames[0].id, 'Arguments')).get('f')!;
        const saved = (await kids(dc, (await kids(dc, f)).get('*f')!)).get('x')!;
        assert.strictEqual((await kids(dc, saved, { start: 0, count: 1 })).get('[0]')!.value, b.opt === 'O0' ? '7' : '107');

        // The vector (assembly) still shows the program's C globals.
        const g = await scopeVars(dc, frames[1].id, 'Globals');
        assert.ok(g.has('vcpus') && g.has('table'), [...g.keys()].join(', '));
        assert.strictEqual(g.get('hvc_count')!.value, '1');
        // Writing a caller's local goes through the unwound location (a stack slot, or the slot a
        // callee saved its register in): level1 returns level2's 133 * 2 + local1.
        const l1ref = (await dc.scopesRequest({ frameId: el1[2].id })).body.scopes.find((x) => x.name === 'Locals')!.variablesReference;
        // (At -O2 local1 lives in a callee-saved register that level2 or level3 saved on its stack.)
        assert.strictEqual((await dc.setVariableRequest({ variablesReference: l1ref, name: 'local1', value: '100' })).body.value, '100');
        assert.strictEqual((await scopeVars(dc, el1[2].id, 'Locals')).get('local1')!.value, '100');
        assert.match(await runToExit(dc, out), /^r=366$/m);
      });

      it('globals: struct fields, bit fields, enums, char * strings, pointers, and a 300-element array in pages', async () => {
        const line = lineOf(src, '@el2-handler');
        const hit = stopped(dc, 'breakpoint');
        await launch(dc, { program: b.elf }, () => dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line }] }));
        await hit;
        const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
        const g = await scopeVars(dc, top.id, 'Globals');
        const vcpus = g.get('vcpus')!;
        assert.strictEqual(vcpus.type, 'struct vcpu [2]');
        assert.strictEqual(vcpus.indexedVariables, 2);
        const v0 = (await kids(dc, vcpus)).get('[0]')!;
        const fields = await kids(dc, v0);
        assert.deepStrictEqual([...fields.keys()], ['regs', 'id', 'state', 'ready', 'mode', 'name', 'next']);
        assert.deepStrictEqual(values(await kids(dc, fields.get('regs')!)), { '[0]': '10', '[1]': '11', '[2]': '12', '[3]': '13' });
        assert.deepStrictEqual([fields.get('id')!.value, fields.get('state')!.value, fields.get('ready')!.value, fields.get('mode')!.value], ['0', '5', '1', 'V_RUN']);
        assert.match(fields.get('name')!.value, /^0x[0-9a-f]{16} "alpha"$/);
        const next = (await kids(dc, fields.get('next')!)).get('*next')!;
        const n1 = await kids(dc, next);
        assert.deepStrictEqual([n1.get('id')!.value, n1.get('mode')!.value, n1.get('state')!.value], ['1', 'V_WAIT', '2']);
        // Each child names itself as a C expression (for watch and copy).
        assert.deepStrictEqual([fields.get('regs')!.evaluateName, next.evaluateName, n1.get('id')!.evaluateName], ['vcpus[0].regs', '*vcpus[0].next', 'vcpus[0].next->id']);
        assert.match(n1.get('name')!.value, /"beta"$/);
        assert.strictEqual(n1.get('next')!.variablesReference, 0, 'a null pointer has no target');

        const table = g.get('table')!;
        assert.strictEqual(table.indexedVariables, 300);
        const page = await kids(dc, table, { filter: 'indexed', start: 290, count: 10 });
        assert.deepStrictEqual([...page.keys()], Array.from({ length: 10 }, (_, i) => `[${290 + i}]`));

        // A bit field and an enum written through memory read back in the view.
        const setState = await dc.setVariableRequest({ variablesReference: v0.variablesReference, name: 'state', value: '3' });
        assert.strictEqual(setState.body.value, '3');
        await dc.setVariableRequest({ variablesReference: v0.variablesReference, name: 'mode', value: 'V_OFF' });
        const again = await kids(dc, v0);
        assert.deepStrictEqual([again.get('state')!.value, again.get('ready')!.value, again.get('mode')!.value], ['3', '1', 'V_OFF']);
        await assert.rejects(dc.setVariableRequest({ variablesReference: v0.variablesReference, name: 'state', value: '9' }), /does not fit in a 3-bit field/);
      });

      it('locals at a C line breakpoint equal the printed values; setVariable on a local changes the output (refused with a reason when optimized)', async () => {
        const out = output(dc);
        const line = lineOf(src, '@count');
        const hit = stopped(dc, 'breakpoint');
        await launch(dc, { program: b.elf }, () => dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line }] }));
        await hit;
        const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
        assert.match(top.name, /^guest_main/);
        if (b.opt === 'O0') assert.strictEqual(top.line, line);
        const scopes = await dc.scopesRequest({ frameId: top.id });
        const localsRef = scopes.body.scopes.find((s) => s.name === 'Locals')!.variablesReference;
        const count = (await dc.variablesRequest({ variablesReference: localsRef })).body.variables.find((v) => v.name === 'count')!;
        assert.strictEqual(count.value, '3');
        if (b.opt === 'O0') {
          const r = await dc.setVariableRequest({ variablesReference: localsRef, name: 'count', value: '9' });
          assert.strictEqual(r.body.value, '9');
          // compute(9) = scale(14) - 9 = 43 - 9.
          const text = await runToExit(dc, out);
          assert.match(text, /^count=9\nt=34\ncount2=9\n/m);
        } else {
          // -O2 keeps count as a constant: the write is refused with the reason.
          const r = dc.setVariableRequest({ variablesReference: localsRef, name: 'count', value: '9' });
          await assert.rejects(r, /count (is a constant|is a computed value|is optimized out)/);
          assert.match(await runToExit(dc, out), /^count=3\nt=22\n/m);
        }
      });

      it('steps into a call and into and out of an inlined function (its own frame, the caller at the call site)', async () => {
        const call = lineOf(src, '@call-scale');
        const body = [lineOf(src, '@inline-body'), lineOf(src, '@inline-body') + 1, lineOf(src, '@inline-body') + 2];
        const hit = stopped(dc, 'breakpoint');
        await launch(dc, { program: b.elf }, () => dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: lineOf(src, '@call-compute') }] }));
        await hit;
        let frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
        assert.match(frames[0].name, /^guest_main/);
        // Step in by lines until the inlined scale() is entered (at -O0 a few lines of compute come first).
        const seen: string[] = [];
        for (let i = 0; i < 8 && !frames[0].name.startsWith('scale'); i++) {
          await Promise.all([stopped(dc, 'step'), dc.stepInRequest({ threadId: 1 })]);
          frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
          seen.push(`${frames[0].name}:${frames[0].line}`);
        }
        assert.strictEqual(frames[0].name, 'scale [inlined] (EL1)', seen.join(', '));
        assert.ok(body.includes(frames[0].line), `line ${frames[0].line}`);
        assert.match(frames[1].name, /^compute/);
        assert.strictEqual(frames[1].line, call, 'the inlined frame\'s caller is at the call site');
        assert.strictEqual(frames[0].instructionPointerReference, frames[1].instructionPointerReference);
        assert.match(frames[2].name, /^guest_main/);
        const x = (await scopeVars(dc, frames[0].id, 'Arguments')).get('x')!;
        assert.ok(['8', '(optimized out)'].includes(x.value), x.value);
        // Step out: the PC leaves scale's code; compute (or, at -O2 where compute is scale's code and a sub, guest_main) is on top.
        await Promise.all([stopped(dc, 'step'), dc.stepOutRequest({ threadId: 1 })]);
        frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
        assert.match(frames[0].name, /^(compute|guest_main)/);
        assert.ok(!frames.some((f) => f.name.startsWith('scale')), frames.map((f) => f.name).join(' | '));
      });

      it('next steps over a call and over an inlined call; a line that takes a hypercall steps as one line', async () => {
        const callCompute = lineOf(src, '@call-compute');
        const hit = stopped(dc, 'breakpoint');
        await launch(dc, { program: b.elf }, () => dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: callCompute }] }));
        await hit;
        // next over compute(): the step ends in guest_main on a later line.
        await Promise.all([stopped(dc, 'step'), dc.nextRequest({ threadId: 1 })]);
        let frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
        assert.match(frames[0].name, /^guest_main/);
        assert.ok(frames[0].line > callCompute, `${frames[0].line} > ${callCompute}`);

        // Step in by line on the line whose hypercall is taken in the middle: the step ends at EL1 on a later line.
        const hvc = lineOf(src, '@hvc');
        await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: hvc }] });
        await Promise.all([stopped(dc, 'breakpoint'), dc.continueRequest({ threadId: 1 })]);
        await Promise.all([stopped(dc, 'step'), dc.stepInRequest({ threadId: 1 })]);
        frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
        assert.match(frames[0].name, /\(EL1\)$/, frames[0].name);
        assert.notStrictEqual(frames[0].line, hvc);
      });

      it('an exception filter still stops a line step at the exception taken in the middle of the line', async () => {
        const hvc = lineOf(src, '@hvc');
        const hit = stopped(dc, 'breakpoint');
        await launch(dc, { program: b.elf }, async () => {
          await dc.setExceptionBreakpointsRequest({ filters: ['trap-el2'] });
          await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: hvc }] });
        });
        await hit;
        await Promise.all([stopped(dc, 'exception'), dc.stepInRequest({ threadId: 1 })]);
        const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
        assert.match(frames[0].name, /\(EL2\)$/, frames[0].name);
      });

      if (variant.startsWith('O0')) {
        it('next from compute\'s first lines never stops inside the inlined scale() (-O0, where compute has lines of its own before the inlined code)', async () => {
          const hit = stopped(dc, 'breakpoint');
          await launch(dc, { program: b.elf }, () => dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: lineOf(src, 'NOINLINE int compute(int a)') }] }));
          await hit;
          let frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
          assert.match(frames[0].name, /^compute/);
          const seen: string[] = [];
          for (let i = 0; i < 8 && frames[0].name.startsWith('compute'); i++) {
            await Promise.all([stopped(dc, 'step'), dc.nextRequest({ threadId: 1 })]);
            frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
            seen.push(`${frames[0].name}:${frames[0].line}`);
          }
          assert.ok(!seen.some((x) => x.startsWith('scale')), seen.join(', '));
          assert.ok(seen.some((x) => x.startsWith('compute') && x.endsWith(`:${lineOf(src, '@after-scale')}`)), seen.join(', '));
          assert.match(frames[0].name, /^guest_main/, seen.join(', '));
        });
      }
    });
  }
});
