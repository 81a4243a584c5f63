// DAP tests of C expressions (src/debug/c-expr.ts, c-scope.ts) on a C program built in the test by
// aarch64-linux-gnu-gcc at -O0 and -O2 with DWARF 4 and 5 (test/debug/programs/c-expr.c): the
// program prints, on its UART, what gcc computes for a list of expressions (casts, sizeof, pointer
// arithmetic, conversions, bit fields, enums); `evaluate` of the same text at a later stop must
// give the same numbers. A breakpoint with a C condition stops only when it holds, a logpoint
// prints C values, `evaluate` gives typed results with children, and setExpression writes memory.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { GCC, launch, lineOf, newClient, program, requireGcc, stopped, topFrame } from './helpers';

const VARIANTS = [
  { opt: '-O0', dwarf: 5 },
  { opt: '-O2', dwarf: 4 },
  { opt: '-O0', dwarf: 4 },
  { opt: '-O2', dwarf: 5 },
];

async function evalIn(dc: DebugClient, expression: string): Promise<DebugProtocol.EvaluateResponse['body']> {
  const f = await topFrame(dc);
  const r = await dc.evaluateRequest({ expression, frameId: f.id, context: 'watch' });
  return r.body;
}

async function evalError(dc: DebugClient, expression: string): Promise<string> {
  const f = await topFrame(dc);
  try {
    await dc.evaluateRequest({ expression, frameId: f.id, context: 'watch' });
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail(`evaluate(${expression}) did not fail`);
}

describe('debug adapter: C expressions', function () {
  this.timeout(60000);
  let tmp: string;
  let src: string;

  before(function () {
    requireGcc(this);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-cexpr-'));
    src = path.join(tmp, 'prog.c');
    fs.copyFileSync(program('c-expr.c'), src);
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

  for (const v of VARIANTS) {
    it(`${v.opt} DWARF ${v.dwarf}: a C condition, a logpoint, evaluate equal to gcc's values, setExpression`, async () => {
      const elf = path.join(tmp, `prog${v.opt}-${v.dwarf}.elf`);
      const r = spawnSync(GCC, ['-g', `-gdwarf-${v.dwarf}`, v.opt, '-nostdlib', '-ffreestanding', '-static', '-Wl,-N', '-Wl,--no-warn-rwx-segments',
        '-Wl,--build-id=none', '-Wl,-Ttext=0x40000000', '-o', elf, 'prog.c'], { cwd: tmp, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      const dc = newClient();
      await dc.start();
      try {
        let stdout = '';
        let consoleText = '';
        dc.on('output', (e: DebugProtocol.OutputEvent) => {
          if (e.body.category === 'stdout') stdout += e.body.output;
          else consoleText += e.body.output;
        });
        const first = stopped(dc, 'breakpoint');
        let ids: number[] = [];
        await launch(dc, { program: elf }, async () => (ids = (await dc.setBreakpointsRequest({
          source: { path: src },
          breakpoints: [
            { line: lineOf(src, '@cond'), condition: 'vcpu->id == 1 && vcpu->st != BLOCKED + 1' },
            { line: lineOf(src, '@log'), logMessage: 'vcpu {vcpu->id} regs0={vcpu->regs[0]} name={vcpu->name}' },
            { line: lineOf(src, '@done') },
          ],
        })).body.breakpoints.map((b) => b.id!)));
        const [condId, , doneId] = ids;

        // The program calls vcpu_run with vcpus[0], [1], [0], [1]: the condition holds on the 2nd and 4th calls.
        // Mirror of the program's loop: what regs[0] holds at each call's entry and after its add.
        const regs0 = [0x1000, 0x2000];
        const atEntry: number[] = [], afterAdd: number[] = [];
        for (let round = 0; round < 4; round++) {
          atEntry.push(regs0[round % 2]);
          regs0[round % 2] += round;
          afterAdd.push(regs0[round % 2]);
        }
        assert.deepStrictEqual((await first).body.hitBreakpointIds, [condId]);
        assert.strictEqual((await evalIn(dc, 'vcpu->id')).result, '1');
        assert.strictEqual((await evalIn(dc, 'vcpu->regs[0]')).result, String(atEntry[1]));
        let next = (await Promise.all([stopped(dc, 'breakpoint'), dc.continueRequest({ threadId: 1 })]))[0];
        assert.deepStrictEqual(next.body.hitBreakpointIds, [condId]);
        assert.strictEqual((await evalIn(dc, 'vcpu->id')).result, '1');
        assert.strictEqual((await evalIn(dc, 'vcpu->regs[0]')).result, String(atEntry[3]));
        next = (await Promise.all([stopped(dc, 'breakpoint'), dc.continueRequest({ threadId: 1 })]))[0];
        assert.deepStrictEqual(next.body.hitBreakpointIds, [doneId], 'the third stop is the end of main: the condition was false on the other calls');

        // The logpoint printed each call's C values (a char * as its string).
        const logged = consoleText.split('\n').filter((l) => l.startsWith('vcpu '));
        assert.deepStrictEqual(logged.map((l) => l.replace(/ name=.*/, '')), afterAdd.map((x, i) => `vcpu ${i % 2} regs0=${x}`));
        assert.match(logged[1], /name=0x[0-9a-f]{16} "guest-1"$/);
        assert.match(logged[0], /name=0x[0-9a-f]{16} "guest-0"$/);

        // Every expression the program printed evaluates to the same number.
        const block = fs.readFileSync(src, 'utf8').split('#define EXPRS(X)')[1].split('#define PRINT')[0];
        const expected = (block.match(/\bX\(/g) ?? []).length;
        const printed = stdout.split('\n').filter((l) => l.includes('='));
        assert.strictEqual(printed.length, expected, `the program printed every expression:\n${stdout}`);
        const mismatches: string[] = [];
        for (const line of printed) {
          const at = line.lastIndexOf('=');
          const expr = line.slice(0, at), want = line.slice(at + 1);
          let got: string;
          try { got = (await evalIn(dc, `(long)(${expr})`)).result; } catch (e) { got = `error: ${(e as Error).message}`; }
          if (got !== want) mismatches.push(`${expr}: gcc ${want}, debugger ${got}`);
        }
        assert.deepStrictEqual(mismatches, []);

        // Typed results: a struct expands to its members, a pointer to its target, an enum by name, char * as a string.
        const vc = await evalIn(dc, '*cur');
        assert.strictEqual(vc.type, 'vcpu_t');
        assert.ok(vc.variablesReference > 0);
        const members = (await dc.variablesRequest({ variablesReference: vc.variablesReference })).body.variables;
        assert.deepStrictEqual(members.map((m) => m.name), ['id', 'st', 'regs', 'flags', 'name', 'next']);
        assert.strictEqual(members.find((m) => m.name === 'st')!.value, 'BLOCKED');
        const regs = (await dc.variablesRequest({ variablesReference: members.find((m) => m.name === 'regs')!.variablesReference })).body.variables;
        assert.deepStrictEqual(regs.map((x) => x.value), [afterAdd[3], 0x2001, 0x2002, 0x2003].map(String));
        const p = await evalIn(dc, 'cur');
        assert.strictEqual(p.type, 'vcpu_t *');
        const pointee = (await dc.variablesRequest({ variablesReference: p.variablesReference })).body.variables;
        assert.deepStrictEqual(pointee.map((x) => x.name), ['*cur']);
        assert.match((await evalIn(dc, 'cur->name')).result, /^0x[0-9a-f]{16} "guest-1"$/);
        assert.strictEqual((await evalIn(dc, 'cur->next->st')).result, 'RUNNING');
        assert.strictEqual((await evalIn(dc, 'sizeof(struct flags)')).type, 'long unsigned int');

        // Clear messages, not stacks.
        assert.match(await evalError(dc, 'cur->idd'), /no member 'idd' in vcpu_t/);
        assert.match(await evalError(dc, 'vcpus[0].nope'), /no member 'nope' in struct vcpu/);
        assert.match(await evalError(dc, '*(int *)0xffff000000000000'), /cannot read 4 byte\(s\) at 0xffff000000000000/);
        assert.match(await evalError(dc, 'cur->regs[0] ='), /assignment is not allowed/);

        // setExpression writes through the lvalue; the guest's memory changes.
        const f = await topFrame(dc);
        const set = await dc.customRequest('setExpression', { expression: 'vcpus[0].regs[1]', value: '0x55 + 1', frameId: f.id }) as DebugProtocol.SetExpressionResponse;
        assert.strictEqual(set.body.value, '86');
        assert.strictEqual((await evalIn(dc, 'vcpus[0].regs[1] == 86 && *(u64_t *)((char *)&vcpus[0] + 16) == 86')).result, '1');
        // Registers and symbols still answer when no C name matches: a bare one as in assembly (hex and decimal), in C as unsigned long.
        assert.match((await evalIn(dc, 'pc')).result, /^0x4[0-9a-f]{7} \(\d+\)$/);
        assert.strictEqual((await evalIn(dc, '(unsigned long)pc == pc + 0')).result, '1');
      } finally {
        await dc.stop();
      }
    });
  }
});
