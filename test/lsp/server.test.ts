// Language server tests through the protocol: a real server process (dist/lspServer.js)
// driven over stdio JSON-RPC, as VS Code drives it.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fork } from 'node:child_process';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { LspClient, posOf, SERVER, tempTree, uriOf, type Diag } from './harness';

const BAD = `.text
_start:
    mov x0, #1
    addd x1, x2, x3
    b missing_label
    add x0, x1, #5000
`;

const DEFS_INC = `// shared definitions
.equ GIC_BASE, 0x08000000
.macro save_regs base
    stp x0, x1, [\\base]
    stp x2, x3, [\\base, #16]
.endm
handler:
    save_regs sp
    eret
`;

const MAIN_S = `.include "defs.inc"
.text
.global _start
_start:
    ldr x0, =GIC_BASE
    save_regs sp
    bl handler
    mrs x1, hcr_el2
    msr sctlr_el1, x1
    add x2, x2, #1
1:  b 1b
.data
table: .quad handler, _start
`;

describe('language server (LSP over stdio)', function () {
  this.timeout(60000);
  let client: LspClient;
  let dir: string;

  before(async () => {
    dir = tempTree({ 'defs.inc': DEFS_INC, 'main.S': MAIN_S, 'bad.s': BAD, 'inc/broken.inc': 'nop\n  bogus x0\n', 'uses-broken.s': '  nop\n  .include "inc/broken.inc"\n' });
    client = new LspClient();
    const init = await client.initialize({ debounceMs: 10 });
    const caps = init.capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.equal(caps.definitionProvider, true);
    assert.ok(caps.completionProvider);
    assert.ok(caps.semanticTokensProvider);
  });
  after(async () => {
    await client?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const openFile = async (name: string): Promise<{ uri: string; text: string; diags: Diag[] }> => {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const uri = uriOf(path.join(dir, name));
    const d = client.nextDiagnostics(uri);
    await client.open(uri, text);
    return { uri, text, diags: await d };
  };

  it('publishes every assembler diagnostic with its range', async () => {
    const { diags } = await openFile('bad.s');
    const got = diags.map((d) => [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.severity, d.message]);
    assert.deepEqual(got, [
      [3, 4, 3, 8, 1, "unknown instruction 'addd' (did you mean 'add'?)"],
      // Not defined in the file: a warning, as GNU as would leave it to the linker.
      [4, 6, 4, 19, 2, "'missing_label' is not defined in this file: GNU as leaves it to the linker, but `armvirt asm`/`run` of this file alone fails (the built-in assembler links nothing)"],
      [5, 16, 5, 21, 1, 'immediate (optionally shifted by 12) out of range (0 to 4095): 5000'],
    ]);
  });

  it('updates diagnostics as the user types (unsaved text)', async () => {
    const uri = uriOf(path.join(dir, 'bad.s'));
    const d = client.nextDiagnostics(uri);
    await client.change(uri, BAD.replace('addd', 'add').replace('#5000', '#500').replace('missing_label', '_start'));
    assert.deepEqual(await d, []);
  });

  it('reports errors inside included files on the .include line', async () => {
    const { diags } = await openFile('uses-broken.s');
    assert.equal(diags.length, 1);
    assert.equal(diags[0].range.start.line, 1);
    assert.equal(diags[0].range.start.character, 11);
    assert.match(diags[0].message, /broken\.inc:2:3: unknown instruction 'bogus'/);
    assert.match(diags[0].relatedInformation![0].location.uri, /broken\.inc$/);
  });

  it('hover on HCR_EL2 shows the simulator table: name, fields, owner, traps', async () => {
    const { uri, text, diags } = await openFile('main.S');
    assert.deepEqual(diags, []);
    const p = posOf(text, 'hcr_el2', 2);
    const h = await client.hover(uri, p.line, p.character);
    assert.ok(h);
    const v = h.contents.value;
    assert.equal(h.contents.kind, 'markdown');
    assert.match(v, /\*\*HCR_EL2\*\* — Hypervisor Configuration Register/);
    assert.match(v, /S3_4_C1_C1_0/);
    assert.match(v, /\| \[26\] \| TVM \| Trap Virtual Memory controls \(writes\) \|/);
    assert.match(v, /\| \[11:10\] \| BSU \|/);
    assert.match(v, /\*\*Owner:\*\* EL2 — accessible only from EL2/);
    assert.match(v, /no HCR_EL2 trap: an EL2 register/);
  });

  it('hover on an EL1 register names the HCR_EL2 bits that trap it', async () => {
    const uri = uriOf(path.join(dir, 'main.S'));
    const p = posOf(MAIN_S, 'sctlr_el1', 1);
    const v = (await client.hover(uri, p.line, p.character))!.contents.value;
    assert.match(v, /System Control Register \(EL1\)/);
    assert.match(v, /\*\*Owner:\*\* EL1 — accessible from EL1 and EL2/);
    assert.match(v, /HCR_EL2\.TVM \(bit 26\) traps EL1 writes to EL2/);
    assert.match(v, /HCR_EL2\.TRVM \(bit 30\) traps EL1 reads to EL2/);
    assert.match(v, /VHE:\*\* at EL2 with HCR_EL2\.E2H=1 this encoding accesses SCTLR_EL2/);
  });

  it('hover on a generic encoding name finds the register in the table', async () => {
    const uri = uriOf(path.join(dir, 'enc.s'));
    const text = '    mrs x0, S3_4_C12_C12_3\n    b.ne 1f\n1:  ret\n';
    const d = client.nextDiagnostics(uri);
    await client.open(uri, text);
    assert.deepEqual(await d, []);
    const v = (await client.hover(uri, 0, 14))!.contents.value;
    assert.match(v, /\*\*ICH_LR3_EL2\*\* — Interrupt Controller List Register 3/);
    const b = (await client.hover(uri, 1, 5))!.contents.value;
    assert.match(b, /^\*\*b\.ne\*\* — Branch conditionally\n\n```aarch64-asm\nb\.<cond> <label>\n```/);
    await client.close(uri);
  });

  it('hover and completion describe the .armvirt directive (not GNU as); GNU directives have no hover', async () => {
    const uri = uriOf(path.join(dir, 'note.S'));
    const text = '        .armvirt entry_el, 1\n        .quad 1\n        .arm\n';
    const d = client.nextDiagnostics(uri);
    await client.open(uri, text);
    // Only the unfinished `.arm` is an error; `.armvirt entry_el, 1` is accepted.
    assert.deepEqual((await d).map((x: { range: { start: { line: number } } }) => x.range.start.line), [2]);
    const v = (await client.hover(uri, 0, 10))!.contents.value;
    assert.match(v, /^`\.armvirt entry_el, 1\|2` — The exception level the simulator starts the boot PE at/);
    assert.match(v, /`--entry-el` and the launch attribute `entryEL` override it/);
    assert.equal(await client.hover(uri, 1, 10), null);
    const items = await client.completion(uri, 2, 12);
    const own = items.find((i) => i.label === '.armvirt');
    assert.ok(own, '.armvirt offered after .arm');
    assert.equal(own.detail, '.armvirt entry_el, 1|2');
    await client.close(uri);
  });

  it('hover on PMU registers and on an unallocated ID-space encoding (RAZ) comes from the same table', async () => {
    const uri = uriOf(path.join(dir, 'pmu.s'));
    const text = '    mrs x0, pmccntr_el0\n    mrs x1, S3_0_C0_C3_3\n    mrs x2, pmcr_el0\n';
    const d = client.nextDiagnostics(uri);
    await client.open(uri, text);
    assert.deepEqual(await d, []);
    const c = (await client.hover(uri, 0, 14))!.contents.value;
    assert.match(c, /\*\*PMCCNTR_EL0\*\* — Performance Monitors Cycle Count Register/);
    assert.match(c, /MDCR_EL2\.TPM \(bit 6\) traps EL1\/EL0 accesses to EL2/);
    const r = (await client.hover(uri, 1, 14))!.contents.value;
    assert.match(r, /Unallocated ID register encoding \(reserved, RAZ\)/);
    assert.match(r, /HCR_EL2\.TID3 \(bit 18\) traps EL1\/EL0 reads to EL2/);
    const p = (await client.hover(uri, 2, 14))!.contents.value;
    assert.match(p, /MDCR_EL2\.TPM \(bit 6\) or MDCR_EL2\.TPMCR \(bit 5\) traps/);
    assert.match(p, /\| \[15:11\] \| N \|/);
    await client.close(uri);
  });

  it('hover on an instruction shows its syntax and one-line description', async () => {
    const uri = uriOf(path.join(dir, 'main.S'));
    const p = posOf(MAIN_S, 'add x2', 1);
    const v = (await client.hover(uri, p.line, p.character))!.contents.value;
    assert.match(v, /^\*\*add\*\* — Add \(immediate\)/);
    assert.match(v, /add <Rd\|SP>, <Rn\|SP>, #<imm>\{, lsl #12\}\s+\/\/ Add \(immediate\)/);
    const e = posOf(MAIN_S, 'bl handler');
    assert.match((await client.hover(uri, e.line, e.character))!.contents.value, /\*\*bl\*\* — Branch with link/i);
  });

  it('hover on labels, constants and macros shows values and definitions', async () => {
    const uri = uriOf(path.join(dir, 'main.S'));
    const start = posOf(MAIN_S, 'table: .quad handler, _start', 24);
    const v = (await client.hover(uri, start.line, start.character))!.contents.value;
    assert.match(v, /\*\*_start\*\* — label in `\.text` \(global\)/);
    assert.match(v, /Address `0x4000000c`/);
    const g = posOf(MAIN_S, 'GIC_BASE', 3);
    const gv = (await client.hover(uri, g.line, g.character))!.contents.value;
    assert.match(gv, /\*\*GIC_BASE\*\* = `0x8000000` \(134217728\) — constant/);
    assert.match(gv, /Defined at .*defs\.inc:2/);
    const m = posOf(MAIN_S, 'save_regs sp', 2);
    const mv = (await client.hover(uri, m.line, m.character))!.contents.value;
    assert.match(mv, /\*\*save_regs\*\* — macro/);
    assert.match(mv, /\.macro save_regs base\n {4}stp x0, x1, \[\\base\]/);
  });

  it('completion offers system registers (ICH_LR3_EL2) after mrs', async () => {
    const uri = uriOf(path.join(dir, 'main.S'));
    const text = MAIN_S.replace('mrs x1, hcr_el2', 'mrs x1, ich_');
    await client.change(uri, text);
    const p = posOf(text, 'ich_', 4);
    const items = await client.completion(uri, p.line, p.character);
    const lr3 = items.find((i) => i.label === 'ICH_LR3_EL2');
    assert.ok(lr3, 'ICH_LR3_EL2 offered');
    assert.equal(lr3.insertText, 'ich_lr3_el2');
    assert.equal(lr3.detail, 'Interrupt Controller List Register 3');
    assert.ok(!items.some((i) => i.label === 'add'), 'no mnemonics in a register slot');
    const resolved = await client.request<{ documentation?: { value: string } }>('completionItem/resolve', lr3);
    assert.match(resolved.documentation!.value, /\| \[63:62\] \| State \|/);
    await client.change(uri, MAIN_S);
  });

  it('completion offers mnemonics, directives, macros and labels by context', async () => {
    const uri = uriOf(path.join(dir, 'main.S'));
    const text = MAIN_S + '    \n    b \n    .qu\n';
    await client.change(uri, text);
    const lines = text.split('\n');
    const headItems = await client.completion(uri, lines.length - 4, 4);
    const heads = new Set(headItems.map((i) => i.label));
    for (const l of ['eret', 'hvc', 'msr', 'b.ne', 'save_regs', '.macro', '.quad']) assert.ok(heads.has(l), `${l} offered at a statement head`);
    const dots = await client.completion(uri, lines.length - 2, 7);
    assert.ok(dots.every((i) => i.label.startsWith('.')), 'only directives after a dot');
    assert.ok(dots.some((i) => i.label === '.quad'));
    const ops = new Set((await client.completion(uri, lines.length - 3, 6)).map((i) => i.label));
    for (const l of ['handler', '_start', 'table', 'GIC_BASE']) assert.ok(ops.has(l), `${l} offered as an operand`);
    await client.change(uri, MAIN_S);
  });

  it('goes to the definition of a label and a macro across an include', async () => {
    const uri = uriOf(path.join(dir, 'main.S'));
    const inc = uriOf(path.join(dir, 'defs.inc'));
    const b = posOf(MAIN_S, 'bl handler', 5);
    assert.deepEqual(await client.definition(uri, b.line, b.character), [
      { uri: inc, range: { start: { line: 6, character: 0 }, end: { line: 6, character: 7 } } },
    ]);
    const m = posOf(MAIN_S, 'save_regs sp');
    assert.deepEqual(await client.definition(uri, m.line, m.character), [
      { uri: inc, range: { start: { line: 2, character: 7 }, end: { line: 2, character: 16 } } },
    ]);
    const i = posOf(MAIN_S, 'defs.inc');
    assert.deepEqual(await client.definition(uri, i.line, i.character), [{ uri: inc, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }]);
    const local = posOf(MAIN_S, 'b 1b', 2);
    assert.deepEqual(await client.definition(uri, local.line, local.character), [
      { uri, range: { start: { line: 10, character: 0 }, end: { line: 10, character: 1 } } },
    ]);
  });

  it('resolves names in an open included file through the file that includes it', async () => {
    const inc = uriOf(path.join(dir, 'defs.inc'));
    const main = uriOf(path.join(dir, 'main.S'));
    // Unsaved edit in the include: a new label used by main.S.
    const incText = DEFS_INC + 'late_label:\n    b _start\n';
    await client.open(inc, incText);
    const mainText = MAIN_S + '    b late_label\n';
    const d = client.nextDiagnostics(main);
    await client.change(main, mainText);
    assert.deepEqual(await d, [], 'main.S sees the unsaved label in defs.inc');
    const p = posOf(incText, 'b _start', 2);
    assert.deepEqual(await client.definition(inc, p.line, p.character), [
      { uri: main, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 6 } } },
    ]);
    await client.change(main, MAIN_S);
    await client.close(inc);
  });

  it('finds references of labels and macros across files', async () => {
    const main = uriOf(path.join(dir, 'main.S'));
    const inc = uriOf(path.join(dir, 'defs.inc'));
    const p = posOf(MAIN_S, 'bl handler', 5);
    const refs = await client.request<{ uri: string; range: Diag['range'] }[]>('textDocument/references', {
      textDocument: { uri: main }, position: { line: p.line, character: p.character }, context: { includeDeclaration: true },
    });
    const got = refs.map((r) => `${path.basename(r.uri)}:${r.range.start.line}:${r.range.start.character}`).sort();
    assert.deepEqual(got, ['defs.inc:6:0', 'main.S:12:13', 'main.S:6:7'].sort());
    const m = posOf(MAIN_S, 'save_regs sp');
    const mrefs = await client.request<{ uri: string; range: Diag['range'] }[]>('textDocument/references', {
      textDocument: { uri: main }, position: m, context: { includeDeclaration: false },
    });
    assert.deepEqual(mrefs.map((r) => `${r.uri === inc ? 'inc' : 'main'}:${r.range.start.line}`).sort(), ['inc:7', 'main:5']);
  });

  it('lists document symbols: sections, labels, constants, macros', async () => {
    const inc = uriOf(path.join(dir, 'defs.inc'));
    await client.open(inc, DEFS_INC);
    const syms = await client.request<{ name: string; kind: number; children?: { name: string; kind: number; detail?: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri: inc } });
    assert.deepEqual(syms.map((s) => [s.name, s.kind]), [['GIC_BASE', 14], ['save_regs', 6], ['handler', 12]]);
    const main = uriOf(path.join(dir, 'main.S'));
    const ms = await client.request<{ name: string; kind: number; children?: { name: string; kind: number; detail?: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri: main } });
    assert.deepEqual(ms.map((s) => [s.name, s.kind, (s.children ?? []).map((c) => c.name)]), [['.text', 3, ['_start']], ['.data', 3, ['table']]]);
    assert.equal(ms[0].children![0].detail, '0x4000000c');
    await client.close(inc);
  });

  it('semantic tokens mark system registers, macros and labels', async () => {
    const main = uriOf(path.join(dir, 'main.S'));
    const r = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: main } });
    const toks: [number, number, number, number, number][] = [];
    let line = 0;
    let ch = 0;
    for (let i = 0; i < r.data.length; i += 5) {
      line += r.data[i];
      ch = r.data[i] === 0 ? ch + r.data[i + 1] : r.data[i + 1];
      toks.push([line, ch, r.data[i + 2], r.data[i + 3], r.data[i + 4]]);
    }
    const hcr = posOf(MAIN_S, 'hcr_el2');
    assert.ok(toks.some((t) => t[0] === hcr.line && t[1] === hcr.character && t[2] === 7 && t[3] === 0 && t[4] === 4), 'hcr_el2 is a defaultLibrary variable');
    const mac = posOf(MAIN_S, 'save_regs sp');
    assert.ok(toks.some((t) => t[0] === mac.line && t[1] === mac.character && t[3] === 1), 'save_regs is a macro');
  });

  it('starts over node IPC, as vscode-languageclient (TransportKind.ipc) starts it', async () => {
    const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const conn = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    conn.listen();
    try {
      const r = await conn.sendRequest<{ capabilities: { hoverProvider?: boolean }; serverInfo?: { name: string } }>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
      assert.equal(r.capabilities.hoverProvider, true);
      assert.equal(r.serverInfo?.name, 'armvirt-asm');
      await conn.sendRequest('shutdown');
    } finally {
      conn.dispose();
      child.kill();
    }
  });
});
