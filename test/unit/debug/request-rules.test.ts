// The request table (src/debug/request-rules.ts) and the error text of the session: messages name
// the argument and the rule, and never carry a JavaScript stack.
import * as assert from 'node:assert';
import { REQUEST_RULES, checkArguments, DISASSEMBLE_MAX } from '../../../src/debug/request-rules';
import { errorText, RequestError } from '../../../src/debug/session';

const check = (command: string, args: unknown): string | undefined => checkArguments(command, REQUEST_RULES[command], args);

describe('debug: request rules', () => {
  it('names the argument, its expected type and what came', () => {
    assert.strictEqual(check('setBreakpoints', { source: 5 }), "setBreakpoints: 'source' must be an object (got 5)");
    assert.strictEqual(check('setBreakpoints', {}), "setBreakpoints: 'source' is required");
    assert.strictEqual(check('setBreakpoints', { source: {}, breakpoints: [{ line: 3 }, { line: 'x' }] }), `setBreakpoints: 'breakpoints[1].line' must be an integer (got "x")`);
    assert.strictEqual(check('readMemory', { memoryReference: '0x0', count: 1.5 }), "readMemory: 'count' must be an integer (got 1.5)");
    assert.strictEqual(check('readMemory', { memoryReference: '0x0', count: -1 }), "readMemory: 'count' must be at least 0 (got -1)");
    assert.strictEqual(check('disassemble', { memoryReference: '0', instructionCount: 1e9 }), `disassemble: 'instructionCount' must be at most ${DISASSEMBLE_MAX} (got 1000000000)`);
    assert.strictEqual(check('next', { threadId: 1, granularity: 'word' }), `next: 'granularity' must be one of "statement", "line", "instruction" (got "word")`);
    assert.strictEqual(check('armvirt/translate', { address: true }), "armvirt/translate: 'address' must be a string or an integer (got true)");
    assert.strictEqual(check('continue', [1]), "continue: 'arguments' must be an object (got an array)");
    assert.strictEqual(check('continue', undefined), "continue: 'threadId' is required");
  });

  it('accepts what VS Code sends, extra members included', () => {
    assert.strictEqual(check('initialize', { adapterID: 'armvirt', clientID: 'vscode', pathFormat: 'path', linesStartAt1: true, supportsVariableType: true }), undefined);
    assert.strictEqual(check('setBreakpoints', { source: { path: '/a.S', name: 'a.S' }, lines: [3], breakpoints: [{ line: 3, condition: 'x0 == 1' }], sourceModified: false }), undefined);
    assert.strictEqual(check('disassemble', { memoryReference: '0x40000000', offset: 0, instructionOffset: -200, instructionCount: 400, resolveSymbols: true }), undefined);
    assert.strictEqual(check('stackTrace', { threadId: 1, startFrame: 0, levels: 20 }), undefined);
    assert.strictEqual(check('disconnect', { restart: false, terminateDebuggee: true }), undefined);
    assert.strictEqual(check('dataBreakpointInfo', { name: 'x0', frameId: 1, variablesReference: null }), undefined);
  });

  it('marks what needs a program and what is not supported', () => {
    for (const c of ['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'pause', 'stackTrace', 'scopes', 'variables', 'evaluate', 'readMemory', 'disassemble', 'armvirt/gic']) {
      assert.strictEqual(REQUEST_RULES[c].needsProgram, true, c);
    }
    for (const c of ['initialize', 'launch', 'threads', 'setBreakpoints', 'configurationDone', 'disconnect']) assert.ok(!REQUEST_RULES[c].needsProgram, c);
    for (const c of ['attach', 'goto', 'source', 'completions']) assert.strictEqual(REQUEST_RULES[c].unsupported, true, c);
  });

  it('error text: a refusal keeps its message, an engine error becomes one line without a stack', () => {
    assert.strictEqual(errorText('next', new RequestError("'threadId' 9 is not a thread")), "'threadId' 9 is not a thread");
    const saved = console.error;
    console.error = () => undefined; // errorText logs the stack for developers
    try {
      const t = errorText('scopes', new TypeError("Cannot read properties of undefined (reading 'pes')"));
      assert.strictEqual(t, "internal error in 'scopes': Cannot read properties of undefined (reading 'pes')");
      const withFrames = new Error('bad thing\n    at foo (x.js:1:1)\n    at bar (y.js:2:2)');
      assert.strictEqual(errorText('evaluate', withFrames), 'bad thing');
      assert.doesNotMatch(errorText('x', new RangeError('Invalid array length')), /\n|RangeError/);
    } finally {
      console.error = saved;
    }
  });
});
