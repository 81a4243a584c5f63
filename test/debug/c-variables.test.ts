// DAP tests: C arguments and locals from DWARF (src/dwarf + src/debug/c-variables.ts) for a
// program built by aarch64-linux-gnu-gcc -g -O0: the Arguments and Locals scopes of the
// innermost frame, values read through location expressions (DW_OP_fbreg over a frame base
// of DW_OP_call_frame_cfa, so through .eh_frame), structs with bit fields, enums, chars, and
// values that change between two stops.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { GCC, launch, lineOf, newClient, program, requireGcc, stopped, topFrame } from './helpers';


async function scope(dc: DebugClient, name: string): Promise<Map<string, DebugProtocol.Variable>> {
  const f = await topFrame(dc);
  const scopes = await dc.scopesRequest({ frameId: f.id });
  const sc = scopes.body.scopes.find((s) => s.name === name);
  if (!sc) throw new Error(`no scope ${name}: ${scopes.body.scopes.map((s) => s.name).join(', ')}`);
  const vars = await dc.variablesRequest({ variablesReference: sc.variablesReference });
  return new Map(vars.body.variables.map((v) => [v.name, v]));
}

async function children(dc: DebugClient, v: DebugProtocol.Variable): Promise<Record<string, string>> {
  const r = await dc.variablesRequest({ variablesReference: v.variablesReference });
  return Object.fromEntries(r.body.variables.map((x) => [x.name, x.value]));
}

describe('debug adapter: C variables from DWARF', function () {
  this.timeout(30000);
  let dc: DebugClient;
  let tmp: string;
  let src: string;
  let elf: string;

  before(function () {
    requireGcc(this);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-cvars-'));
    src = path.join(tmp, 'prog.c');
    fs.copyFileSync(program('c-vars.c'), src);
    // -N: one segment at 0x40000000 (RAM); _start (in the file) sets SP and calls main.
    const r = spawnSync(GCC, ['-g', '-O0', '-nostdlib', '-ffreestanding', '-static', '-Wl,-N', '-Wl,--no-warn-rwx-segments', '-Wl,--build-id=none',
      '-Wl,-Ttext=0x40000000', '-o', 'prog.elf', 'prog.c'], { cwd: tmp, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    elf = path.join(tmp, 'prog.elf');
  });
  after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });
  beforeEach(async () => { dc = newClient(); await dc.start(); });
  afterEach(async () => { await dc.stop(); });

  it('shows the arguments and locals of the function at a source breakpoint, and their new values at the next stop', async () => {
    const line = lineOf(src, '@break');
    const first = stopped(dc, 'breakpoint');
    await launch(dc, { program: elf }, () => dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line }] }));
    await first;
    const f = await topFrame(dc);
    assert.strictEqual(f.line, line);

    const args = await scope(dc, 'Arguments');
    assert.deepStrictEqual([...args.keys()], ['p', 'n']);
    assert.strictEqual(args.get('n')!.value, '2');
    assert.strictEqual(args.get('p')!.type, 'const pair_t *');
    assert.match(args.get('p')!.value, /^0x00000000401f[0-9a-f]{4}$/, 'p points into main\'s frame below the initial SP');

    let locals = await scope(dc, 'Locals');
    // Innermost block first: first, v (loop body), i (for), then total, m (function).
    assert.deepStrictEqual([...locals.keys()], ['first', 'v', 'i', 'total', 'm']);
    assert.strictEqual(locals.get('i')!.value, '0');
    assert.strictEqual(locals.get('v')!.value, '13'); // 5 * 2 + 3
    assert.strictEqual(locals.get('total')!.value, '0');
    assert.strictEqual(locals.get('m')!.value, 'BUSY');
    assert.strictEqual(locals.get('m')!.type, 'enum mode');
    assert.strictEqual(locals.get('first')!.type, 'pair_t');
    assert.deepStrictEqual(await children(dc, locals.get('first')!), { a: '5', b: '3', c: '1' });

    await Promise.all([stopped(dc, 'breakpoint'), dc.continueRequest({ threadId: 1 })]);
    locals = await scope(dc, 'Locals');
    assert.strictEqual(locals.get('i')!.value, '1');
    assert.strictEqual(locals.get('v')!.value, '16'); // 7 * 2 + 2
    assert.strictEqual(locals.get('total')!.value, '14'); // 13 + (m == BUSY)
    assert.deepStrictEqual(await children(dc, locals.get('first')!), { a: '7', b: '2', c: '9' });
  });

  it('shows main\'s array of structs and char after stepping out', async () => {
    const line = lineOf(src, 'sink = accumulate');
    const first = stopped(dc, 'breakpoint');
    await launch(dc, { program: elf }, () => dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line }] }));
    await first;
    const locals = await scope(dc, 'Locals');
    assert.strictEqual(locals.get('tag')!.value, "81 'Q'");
    assert.strictEqual(locals.get('items')!.type, 'pair_t [2]');
    const items = await children(dc, locals.get('items')!);
    assert.deepStrictEqual(Object.keys(items), ['[0]', '[1]']);
    const r = await dc.variablesRequest({ variablesReference: locals.get('items')!.variablesReference });
    assert.deepStrictEqual(await children(dc, r.body.variables[1]), { a: '7', b: '2', c: '9' });
    assert.deepStrictEqual([...(await scope(dc, 'Arguments')).keys()], []);
  });
});
