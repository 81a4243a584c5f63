// Robustness of the debug adapter against any DAP input (issue 17): `node dist/debugAdapter.js`
// gets several hundred malformed exchanges from fixed seeds — bad framing, bodies that are not
// requests, unknown commands, missing and ill-typed arguments for every request of
// src/debug/request-rules.ts, nonexistent references, huge counts, bad launch attributes and
// program files — before launch, while stopped, and after terminate. For every case: each request
// with a valid seq is answered in time, no answer or output carries a JavaScript stack or an
// internal error, the adapter still answers a probe, and its memory stays bounded.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RawDapClient, type DapMessage } from './dap-raw';
import { program } from './helpers';
import { REQUEST_RULES, type ArgRule } from '../../src/debug/request-rules';
import { LAUNCH_ATTRIBUTES } from '../../src/debug/launch-schema';

// Generous: the CI machine may be busy; a healthy adapter answers each case in milliseconds.
const CASE_TIMEOUT_MS = 15000;
const RSS_LIMIT = 1024 * 1024 * 1024;
/** What must never reach a client: stack frames, engine error classes, "internal error" (a bug of the adapter). */
const LEAK = /\n\s+at |\bat [\w.<>]+ \(|TypeError|RangeError|ReferenceError|SyntaxError|internal error/;

/** mulberry32: a small seeded PRNG, so every run sends the same cases. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BAD_VALUES: unknown[] = [null, true, -1, 1.5, 2 ** 53 + 2, 1e300, '', 'x', '0xzz', [], [1, 'a'], {}, { a: { b: [] } }, 'é'.repeat(300)];

/** A value of the wrong type (or out of range) for `rule`. */
function badValueFor(rule: ArgRule, rand: () => number): unknown {
  const types = Array.isArray(rule.type) ? rule.type : [rule.type];
  const wrong = BAD_VALUES.filter((v) => !types.some((t) => (t === 'integer' ? Number.isSafeInteger(v) : t === 'number' ? typeof v === 'number'
    : t === 'array' ? Array.isArray(v) : t === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v) : typeof v === t)));
  if (rule.minimum !== undefined && rand() < 0.3) return rule.minimum - 1;
  if (rule.maximum !== undefined && rand() < 0.3) return rule.maximum + 1;
  return wrong[Math.floor(rand() * wrong.length)];
}

/** A plausible valid value for `rule` (so that one bad member is the only problem). */
function goodValueFor(rule: ArgRule, name: string): unknown {
  const t = Array.isArray(rule.type) ? rule.type[0] : rule.type;
  if (rule.enum) return rule.enum[0];
  switch (t) {
    case 'integer': case 'number': return name === 'threadId' ? 1 : Math.max(rule.minimum ?? 0, Math.min(rule.maximum ?? 16, 16));
    case 'string': return name === 'memoryReference' || name === 'instructionReference' ? '0x40000000' : name === 'expression' ? 'x0' : 'a';
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return rule.props ? goodArgs(rule.props) : {};
  }
}

function goodArgs(props: Record<string, ArgRule>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, r] of Object.entries(props)) if (r.required) o[k] = goodValueFor(r, k);
  return o;
}

/** One exchange: bytes to write and the seqs that must be answered. */
interface Case { name: string; bytes: string; expect: number[]; framingError?: boolean }

let seqCounter = 1;
const nextSeq = (): number => seqCounter++;
const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
const request = (command: unknown, args?: unknown): { seq: number; bytes: string } => {
  const seq = nextSeq();
  const m: Record<string, unknown> = { seq, type: 'request', command };
  if (args !== undefined) m.arguments = args;
  return { seq, bytes: frame(JSON.stringify(m)) };
};
const reqCase = (name: string, command: unknown, args?: unknown): Case => {
  const r = request(command, args);
  return { name, bytes: r.bytes, expect: [r.seq] };
};

/** Framing and message-shape cases (no program needed). */
function framingCases(rand: () => number): Case[] {
  const out: Case[] = [];
  for (const body of ['{', 'not json', 'null', '[]', '42', '"request"', '{"seq":', '\u0000\u0001', 'true', '{}', '{"type":"event","event":"x"}', '{"type":"request"}', '{"seq":-1,"type":"request","command":"threads"}', '{"seq":"7","type":"request","command":"threads"}']) {
    out.push({ name: `body ${JSON.stringify(body)}`, bytes: frame(body), expect: [], framingError: true });
  }
  const s1 = nextSeq();
  out.push({ name: 'command not a string', bytes: frame(JSON.stringify({ seq: s1, type: 'request', command: 42 })), expect: [s1] });
  const s2 = nextSeq();
  out.push({ name: 'type missing', bytes: frame(JSON.stringify({ seq: s2, command: 'threads' })), expect: [s2] });
  for (const header of ['Content-Length: 0', 'Content-Length: -5', 'Content-Length: NaN', 'Content-Length: 1e3', 'Content-Length:', 'Content-Type: x', 'Content-Length: 99999999999', 'garbage']) {
    const r = request('threads');
    const body = r.bytes.slice(r.bytes.indexOf('\r\n\r\n') + 4);
    out.push({ name: `header '${header}'`, bytes: `${header}\r\n\r\n${body}`, expect: [], framingError: true });
  }
  {
    const r = request('threads');
    out.push({ name: 'LF-only header', bytes: r.bytes.replace('\r\n\r\n', '\n\n'), expect: [r.seq] });
  }
  {
    const r = request('threads');
    const body = r.bytes.slice(r.bytes.indexOf('\r\n\r\n') + 4);
    out.push({ name: 'Content-Length too large', bytes: `Content-Length: ${body.length + 100}\r\n\r\n${body}`, expect: [r.seq] });
    const r2 = request('threads');
    const body2 = r2.bytes.slice(r2.bytes.indexOf('\r\n\r\n') + 4);
    out.push({ name: 'Content-Length too small', bytes: `Content-Length: ${body2.length - 7}\r\n\r\n${body2}`, expect: [], framingError: true });
  }
  for (let i = 0; i < 12; i++) {
    const n = 1 + Math.floor(rand() * 200);
    const garbage = Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256))).toString('latin1').replace(/Content-Length/gi, '');
    out.push({ name: `random garbage ${i} (${n} bytes)`, bytes: garbage + '\r\n\r\n', expect: [] });
  }
  return out;
}

/** Unknown commands and, for every known request, missing and ill-typed arguments. */
function requestCases(rand: () => number): Case[] {
  const out: Case[] = [];
  for (const cmd of ['', 'foo', 'armvirt/nope', 'armvirt/', '__proto__', 'constructor', 'toString', 'x'.repeat(5000), 'évaluer', 'launch ']) {
    out.push(reqCase(`unknown command ${JSON.stringify(cmd.slice(0, 20))}`, cmd, {}));
  }
  for (const [command, rule] of Object.entries(REQUEST_RULES)) {
    if (command === 'launch' || command === 'disconnect' || command === 'terminate' || command === 'restart') continue; // session-ending: own phases
    out.push(reqCase(`${command} without arguments`, command));
    out.push(reqCase(`${command} with arguments ${'null'}`, command, null));
    out.push(reqCase(`${command} with arguments []`, command, [1]));
    for (const [name, r] of Object.entries(rule.args ?? {})) {
      const args = goodArgs(rule.args!);
      args[name] = badValueFor(r, rand);
      out.push(reqCase(`${command} with bad '${name}' ${JSON.stringify(args[name])?.slice(0, 30)}`, command, args));
      if (r.items?.props) {
        const inner = goodArgs(r.items.props);
        const key = Object.keys(r.items.props)[Math.floor(rand() * Object.keys(r.items.props).length)];
        inner[key] = badValueFor(r.items.props[key], rand);
        out.push(reqCase(`${command} with bad '${name}[0].${key}'`, command, { ...goodArgs(rule.args!), [name]: [inner] }));
      }
    }
  }
  return out;
}

/** Nonexistent references, huge counts, odd addresses (meaningful once a program is loaded). */
function referenceCases(): Case[] {
  return [
    reqCase('stackTrace of thread 99', 'stackTrace', { threadId: 99 }),
    reqCase('stackTrace startFrame 10^9', 'stackTrace', { threadId: 1, startFrame: 1e9 }),
    reqCase('stackTrace levels 10^9', 'stackTrace', { threadId: 1, levels: 1e9 }),
    reqCase('scopes of frame 123456', 'scopes', { frameId: 123456 }),
    reqCase('scopes of frame 0', 'scopes', { frameId: 0 }),
    reqCase('variables of reference 99999', 'variables', { variablesReference: 99999 }),
    reqCase('setVariable in reference 99999', 'setVariable', { variablesReference: 99999, name: 'X0', value: '1' }),
    reqCase('evaluate in frame 777', 'evaluate', { expression: 'x0', frameId: 777 }),
    reqCase('evaluate garbage', 'evaluate', { expression: ')))(((' }),
    reqCase('evaluate huge', 'evaluate', { expression: '1+'.repeat(20000) + '1' }),
    reqCase('evaluate deep', 'evaluate', { expression: '('.repeat(5000) + '1' + ')'.repeat(5000) }),
    reqCase('next on thread 42', 'next', { threadId: 42 }),
    reqCase('stepBack on thread 0', 'stepBack', { threadId: 0 }),
    reqCase('exceptionInfo thread 9', 'exceptionInfo', { threadId: 9 }),
    reqCase('readMemory count 2^31', 'readMemory', { memoryReference: '0x40000000', count: 2 ** 31 }),
    reqCase('readMemory count 10^9 unmapped', 'readMemory', { memoryReference: '0x0', count: 1e9 }),
    reqCase('readMemory at 2^64-1', 'readMemory', { memoryReference: '0xffffffffffffffff', count: 16 }),
    reqCase('readMemory bad reference', 'readMemory', { memoryReference: 'banana', count: 16 }),
    reqCase('readMemory negative offset', 'readMemory', { memoryReference: '0x0', offset: -4096, count: 16 }),
    reqCase('readMemory huge reference', 'readMemory', { memoryReference: '0x' + 'f'.repeat(40), count: 16 }),
    reqCase('writeMemory not base64', 'writeMemory', { memoryReference: '0x40000000', data: '!!!' }),
    reqCase('writeMemory 2 MiB', 'writeMemory', { memoryReference: '0x40000000', data: Buffer.alloc(2 << 20).toString('base64') }),
    reqCase('writeMemory at 2^64', 'writeMemory', { memoryReference: '0xfffffffffffffff0', data: Buffer.alloc(64).toString('base64') }),
    reqCase('disassemble 10^9 instructions', 'disassemble', { memoryReference: '0x40000000', instructionCount: 1e9 }),
    reqCase('disassemble 20000 instructions', 'disassemble', { memoryReference: '0x40000000', instructionOffset: -10000, instructionCount: 20000 }),
    reqCase('disassemble negative offset', 'disassemble', { memoryReference: '0x0', instructionOffset: -1000, instructionCount: 10 }),
    reqCase('disassemble past the end', 'disassemble', { memoryReference: '0xfffffffffffffff0', instructionOffset: 1000, instructionCount: 10 }),
    reqCase('setInstructionBreakpoints bad reference', 'setInstructionBreakpoints', { breakpoints: [{ instructionReference: 'nowhere' }] }),
    reqCase('setDataBreakpoints bad dataId', 'setDataBreakpoints', { breakpoints: [{ dataId: 'va:zz:8' }] }),
    reqCase('dataBreakpointInfo bad name', 'dataBreakpointInfo', { name: '*(((' }),
    reqCase('setBreakpoints line -3', 'setBreakpoints', { source: { path: program('basic.s') }, breakpoints: [{ line: 0 }, { line: 2 ** 31 }] }),
    reqCase('setBreakpoints other file', 'setBreakpoints', { source: { path: '/nonexistent.S' }, breakpoints: [{ line: 1 }] }),
    reqCase('setFunctionBreakpoints unknown', 'setFunctionBreakpoints', { breakpoints: [{ name: 'no_such_symbol', condition: '((' }] }),
    reqCase('setExceptionBreakpoints unknown filter', 'setExceptionBreakpoints', { filters: ['nope'], filterOptions: [{ filterId: 'el-entry', condition: 'ec ==' }] }),
    reqCase('armvirt/trace max 10^9', 'armvirt/trace', { max: 1e9, since: -5 }),
    reqCase('armvirt/translate garbage', 'armvirt/translate', { address: '((', stage: 'both' }),
    reqCase('armvirt/translate 2^64', 'armvirt/translate', { address: 2 ** 53, stage: 2 }),
    reqCase('armvirt/pageTables bad node', 'armvirt/pageTables', { stage: 1, node: { level: 'x', tableAddress: [] } }),
    reqCase('armvirt/pageTables bad regime', 'armvirt/pageTables', { stage: 1, regime: 'EL9' }),
    reqCase('armvirt/travel -1', 'armvirt/travel', { retired: -1 }),
    reqCase('armvirt/travel 10^15', 'armvirt/travel', { retired: 1e15 }),
    reqCase('armvirt/setExceptionFilter unknown', 'armvirt/setExceptionFilter', { filterId: 'nope' }),
    reqCase('armvirt/gic thread 50', 'armvirt/gic', { threadId: 50 }),
  ];
}

/** Launch requests that must all be refused (each answered with an error naming the problem). */
function badLaunchCases(dir: string, rand: () => number): { name: string; args: unknown; message: RegExp }[] {
  const empty = path.join(dir, 'empty.S');
  fs.writeFileSync(empty, '');
  const comments = path.join(dir, 'comments.S');
  fs.writeFileSync(comments, '// nothing here\n/* nor here */\n');
  const junk = path.join(dir, 'junk.elf');
  fs.writeFileSync(junk, Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rand() * 256))));
  const truncatedElf = path.join(dir, 'trunc.elf');
  fs.writeFileSync(truncatedElf, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]));
  const BASIC = program('basic.s');
  const cases: { name: string; args: unknown; message: RegExp }[] = [
    { name: 'no arguments', args: undefined, message: /"program" \(a \.S file or an ELF\) or "kernel" \(a Linux Image\) is required/ },
    { name: 'arguments null', args: null, message: /'arguments' must be an object/ },
    { name: 'program missing', args: {}, message: /"program" \(a \.S file or an ELF\) or "kernel" \(a Linux Image\) is required/ },
    { name: 'program empty', args: { program: '' }, message: /"program"/ },
    { name: 'program a number', args: { program: 5 }, message: /"program" must be a string/ },
    { name: 'program /dev/zero', args: { program: '/dev/zero' }, message: /not a regular file/ },
    { name: 'program a directory', args: { program: dir }, message: /is a directory/ },
    { name: 'program nonexistent', args: { program: path.join(dir, 'nope.S') }, message: /does not exist/ },
    { name: 'program 0-byte .S', args: { program: empty }, message: /no code: the program has no instructions or data/ },
    { name: 'program comment-only .S', args: { program: comments }, message: /no code: the program has no instructions or data/ },
    { name: 'program random bytes', args: { program: junk }, message: /not an ELF file/ },
    { name: 'program truncated ELF', args: { program: truncatedElf }, message: /ELF/ },
    { name: 'maxInstructions -5', args: { program: BASIC, maxInstructions: -5 }, message: /"maxInstructions" must be an integer from 0/ },
    { name: 'stopOnEntry "yes"', args: { program: BASIC, stopOnEntry: 'yes' }, message: /"stopOnEntry" must be true or false/ },
  ];
  // Every declared attribute with a value of the wrong type, and out of range where it has one.
  for (const a of LAUNCH_ATTRIBUTES) {
    if (a.name === 'program') continue;
    const wrong = a.type === 'string' ? 7 : a.type === 'boolean' ? 'true' : a.type === 'integer' ? 2.5 : 'x';
    cases.push({ name: `${a.name} = ${JSON.stringify(wrong)}`, args: { program: BASIC, [a.name]: wrong }, message: new RegExp(`"${a.name}"`) });
    if (a.enum) cases.push({ name: `${a.name} outside its enum`, args: { program: BASIC, [a.name]: 'v9' }, message: new RegExp(`"${a.name}" must be one of`) });
    if (a.minimum !== undefined) cases.push({ name: `${a.name} below ${a.minimum}`, args: { program: BASIC, [a.name]: a.minimum - 1 }, message: new RegExp(`"${a.name}" must be`) });
    if (a.maximum !== undefined) cases.push({ name: `${a.name} above ${a.maximum}`, args: { program: BASIC, [a.name]: a.maximum + 1 }, message: new RegExp(`"${a.name}" must be`) });
  }
  return cases;
}

function leaks(msgs: DapMessage[]): string[] {
  const out: string[] = [];
  for (const m of msgs) {
    const text = m.type === 'response' ? `${m.message ?? ''} ${JSON.stringify(m.body ?? {})}` : m.event === 'output' ? String(m.body?.output ?? '') : m.event === 'stopped' ? JSON.stringify(m.body) : '';
    if (LEAK.test(text)) out.push(`${m.type} ${m.command ?? m.event}: ${text.slice(0, 300)}`);
  }
  return out;
}

describe('debug adapter: fuzzed DAP input (fixed seeds)', function () {
  this.timeout(120000);
  let dir: string;
  let c: RawDapClient;
  let exchanges = 0;

  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armvirt-dapfuzz-')); });
  after(() => { fs.rmSync(dir, { recursive: true, force: true }); });
  beforeEach(() => { c = new RawDapClient(); });
  afterEach(async () => {
    const tail = c.stderr.trim();
    await c.close();
    // The adapter writes developer details of internal errors to stderr: there must be none.
    assert.strictEqual(tail.includes('internal error'), false, `adapter stderr:\n${tail.slice(0, 2000)}`);
  });

  /** Runs the cases; after each: answers, no leak, a probe answered, RSS bounded. */
  async function run(cases: Case[]): Promise<void> {
    for (const k of cases) {
      const from = c.messages.length;
      c.writeRaw(k.bytes);
      for (const s of k.expect) {
        const r = await c.response(s, CASE_TIMEOUT_MS);
        assert.ok(r, `${k.name}: request ${s} not answered within ${CASE_TIMEOUT_MS} ms (alive: ${c.alive})`);
      }
      const probe = await c.request('threads', undefined, CASE_TIMEOUT_MS);
      assert.ok(c.alive, `${k.name}: the adapter exited (code ${c.exitCode}); stderr: ${c.stderr.slice(0, 500)}`);
      assert.ok(probe?.success, `${k.name}: no answer to the probe after the case`);
      if (k.framingError) {
        const since = c.messages.slice(from);
        assert.ok(since.some((m) => (m.type === 'event' && m.event === 'output' && /framing error|protocol error/.test(String(m.body?.output)))
          || (m.type === 'response' && /framing error|protocol error/.test(m.message ?? ''))), `${k.name}: no framing error reported`);
      }
      const bad = leaks(c.messages.slice(from));
      assert.deepStrictEqual(bad, [], `${k.name}: leaked a stack or an internal error`);
      exchanges++;
    }
    assert.ok(c.peakRss() < RSS_LIMIT, `peak RSS ${c.peakRss() >> 20} MiB`);
    assert.strictEqual(c.garbage, '', 'the adapter wrote something that is not a DAP message');
  }

  async function launchStopped(): Promise<void> {
    const init = await c.request('initialize', { adapterID: 'armvirt', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    assert.ok(init?.success);
    const from = c.messages.length;
    const seq = c.send('launch', { program: program('basic.s'), stopOnEntry: true });
    assert.ok(await c.event((m) => m.event === 'initialized', from, 10000), 'no initialized event');
    assert.ok((await c.request('configurationDone'))?.success);
    assert.ok((await c.response(seq, 10000))?.success, 'launch failed');
    assert.ok(await c.event((m) => m.event === 'stopped', from, 10000), 'no stop on entry');
    const st = await c.request('stackTrace', { threadId: 1 });
    assert.ok(st?.success);
  }

  it('before launch: framing, message shapes, unknown commands, every request with bad arguments', async () => {
    const rand = rng(0x17);
    await run([...framingCases(rand), ...requestCases(rand)]);
    // Requests on the machine are refused by name before launch.
    for (const cmd of ['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'stackTrace', 'exceptionInfo']) {
      const r = await c.request(cmd, { threadId: 1 });
      assert.strictEqual(r?.success, false, cmd);
      assert.match(r!.message!, /no program is running/, cmd);
    }
    assert.match((await c.request('armvirt/gic', {}))!.message!, /no program is running/);
    assert.match((await c.request('readMemory', { memoryReference: '0x0', count: 4 }))!.message!, /no program is running/);
  });

  it('while stopped: nonexistent references, huge counts, ill-typed arguments; the program still steps', async () => {
    await launchStopped();
    const rand = rng(0x5eed);
    await run(referenceCases());
    // The session is intact: a step answers and stops.
    const from = c.messages.length;
    assert.ok((await c.request('next', { threadId: 1, granularity: 'instruction' }))?.success);
    assert.ok(await c.event((m) => m.event === 'stopped', from, 10000));
    const mem = await c.request('readMemory', { memoryReference: '0x40000000', count: 5e6 });
    assert.ok(mem?.success);
    assert.ok(Buffer.from(String(mem!.body!.data), 'base64').length <= 1 << 20, 'readMemory is capped at 1 MiB');
    const dis = await c.request('disassemble', { memoryReference: '0x40000000', instructionCount: 100001 });
    assert.match(dis!.message!, /'instructionCount' must be at most 100000/);
    // Ill-typed arguments (an optional member sent as null counts as absent: such a request may
    // run the program on, to its exit; later run-control requests are then refused by name).
    await run([...requestCases(rand), ...framingCases(rand)]);
  });

  it('bad launch attributes and program files are refused, naming the problem; a good launch then works', async () => {
    const rand = rng(0xbad);
    assert.ok((await c.request('initialize', { adapterID: 'armvirt', pathFormat: 'path' }))?.success);
    for (const k of badLaunchCases(dir, rand)) {
      const r = await c.request('launch', k.args, CASE_TIMEOUT_MS);
      assert.ok(r, `launch ${k.name}: no answer`);
      assert.strictEqual(r!.success, false, `launch ${k.name} was accepted`);
      assert.ok(r!.message, `launch ${k.name}: no message`);
      assert.match(r!.message!, k.message, `launch ${k.name}: ${r!.message}`);
      assert.deepStrictEqual(leaks([r!]), [], `launch ${k.name}`);
      assert.ok((await c.request('threads'))?.success, `launch ${k.name}: no probe answer`);
      exchanges++;
    }
    assert.ok(c.peakRss() < RSS_LIMIT, `peak RSS ${c.peakRss() >> 20} MiB`);
    await launchStopped();
    const r = await c.request('launch', { program: program('basic.s') });
    assert.match(r!.message!, /already loaded/);
  });

  it('after terminate: requests are refused, none goes unanswered', async () => {
    await launchStopped();
    assert.ok((await c.request('terminate'))?.success);
    const rand = rng(0x7e);
    await run([...referenceCases(), ...requestCases(rand).filter(() => rand() < 0.3)]);
    const r = await c.request('continue', { threadId: 1 });
    assert.match(r!.message!, /no program is running/);
    assert.ok((await c.request('disconnect', {}))?.success);
    assert.ok((await c.request('threads'))?.success);
  });

  it('sent at least 300 exchanges', () => {
    assert.ok(exchanges >= 300, `only ${exchanges} exchanges`);
  });
});
