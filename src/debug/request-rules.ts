// What every DAP request the adapter answers needs, in one table: its argument shapes (types,
// ranges, required members, as the DAP specification declares them) and whether it needs a loaded
// program. The session checks a request against its row before any handler runs, so a handler
// only ever sees well-typed arguments, and a bad request gets an error that names the argument
// ("setBreakpoints: 'source' must be an object") instead of a JavaScript TypeError.
//
// The caps (READ_MEMORY_MAX, DISASSEMBLE_MAX) bound what one request can make the adapter allocate.

/** readMemory / writeMemory: at most this many bytes per request (the hex editor asks for pages). */
export const MEMORY_REQUEST_MAX = 1 << 20;
/** disassemble: at most this many instructions per request (VS Code asks for a few hundred). */
export const DISASSEMBLE_MAX = 100_000;
/** armvirt/consoleInput: at most this many bytes per request (a paste is split by the client). */
export const CONSOLE_INPUT_MAX = 1 << 16;

export type ArgType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array';

export interface ArgRule {
  /** One type, or the alternatives (armvirt/translate's address: 'string' or 'integer'). */
  type: ArgType | ArgType[];
  required?: boolean;
  minimum?: number;
  maximum?: number;
  enum?: readonly unknown[];
  /** Members of an object argument. */
  props?: Record<string, ArgRule>;
  /** Rule for each element of an array argument. */
  items?: ArgRule;
}

export interface RequestRule {
  /** The request acts on the machine: refused before launch and after the session ended. */
  needsProgram?: boolean;
  /** Known to DAP but not implemented here (the library would answer them with an empty success). */
  unsupported?: boolean;
  /** The `arguments` object's members; absent `arguments` is checked as {}. */
  args?: Record<string, ArgRule>;
}

const str: ArgRule = { type: 'string' };
const int: ArgRule = { type: 'integer' };
const bool: ArgRule = { type: 'boolean' };
const obj: ArgRule = { type: 'object' };
const nat: ArgRule = { type: 'integer', minimum: 0 };
const req = (r: ArgRule): ArgRule => ({ ...r, required: true });
const threadId = req({ type: 'integer', minimum: 1 });
const granularity: ArgRule = { type: 'string', enum: ['statement', 'line', 'instruction'] };
const stepArgs = { threadId, singleThread: bool, granularity };
const conditions = { condition: str, hitCondition: str };
const valueFormat: ArgRule = { type: 'object', props: { hex: bool } };

/** DAP requests (specification 1.68) and the custom armvirt/* requests of session.ts. */
export const REQUEST_RULES: Record<string, RequestRule> = {
  initialize: { args: { adapterID: req(str), clientID: str, clientName: str, locale: str, linesStartAt1: bool, columnsStartAt1: bool, pathFormat: str } },
  launch: {}, // checked by launch-schema.ts against package.json
  attach: { unsupported: true },
  disconnect: { args: { restart: bool, terminateDebuggee: bool, suspendDebuggee: bool } },
  terminate: { args: { restart: bool } },
  restart: { needsProgram: true, args: { arguments: obj } },
  configurationDone: {},
  setBreakpoints: {
    args: {
      source: req({ type: 'object', props: { name: str, path: str, sourceReference: int } }),
      breakpoints: { type: 'array', items: { type: 'object', props: { line: req(nat), column: nat, ...conditions, logMessage: str, mode: str } } },
      lines: { type: 'array', items: nat },
      sourceModified: bool,
    },
  },
  setFunctionBreakpoints: { args: { breakpoints: req({ type: 'array', items: { type: 'object', props: { name: req(str), ...conditions } } }) } },
  setInstructionBreakpoints: {
    args: { breakpoints: req({ type: 'array', items: { type: 'object', props: { instructionReference: req(str), offset: int, ...conditions, mode: str } } }) },
  },
  setExceptionBreakpoints: {
    args: {
      filters: req({ type: 'array', items: str }),
      filterOptions: { type: 'array', items: { type: 'object', props: { filterId: req(str), condition: str, mode: str } } },
      exceptionOptions: { type: 'array', items: obj },
    },
  },
  dataBreakpointInfo: { args: { name: req(str), variablesReference: int, frameId: int, bytes: { type: 'integer', minimum: 1 }, asAddress: bool, mode: str } },
  setDataBreakpoints: {
    args: {
      breakpoints: req({ type: 'array', items: { type: 'object', props: { dataId: req(str), accessType: { type: 'string', enum: ['read', 'write', 'readWrite'] }, ...conditions } } }),
    },
  },
  continue: { needsProgram: true, args: { threadId, singleThread: bool } },
  next: { needsProgram: true, args: stepArgs },
  stepIn: { needsProgram: true, args: { ...stepArgs, targetId: int } },
  stepOut: { needsProgram: true, args: stepArgs },
  stepBack: { needsProgram: true, args: stepArgs },
  reverseContinue: { needsProgram: true, args: { threadId, singleThread: bool } },
  pause: { needsProgram: true, args: { threadId } },
  threads: {},
  stackTrace: { needsProgram: true, args: { threadId, startFrame: nat, levels: nat, format: obj } },
  scopes: { needsProgram: true, args: { frameId: req(int) } },
  variables: {
    needsProgram: true,
    args: { variablesReference: req(nat), filter: { type: 'string', enum: ['indexed', 'named'] }, start: nat, count: nat, format: valueFormat },
  },
  setVariable: { needsProgram: true, args: { variablesReference: req(nat), name: req(str), value: req(str), format: valueFormat } },
  evaluate: { needsProgram: true, args: { expression: req(str), frameId: int, line: int, column: int, source: obj, context: str, format: valueFormat } },
  exceptionInfo: { needsProgram: true, args: { threadId } },
  loadedSources: {},
  readMemory: { needsProgram: true, args: { memoryReference: req(str), offset: int, count: req(nat) } }, // answered with at most MEMORY_REQUEST_MAX bytes
  writeMemory: { needsProgram: true, args: { memoryReference: req(str), offset: int, allowPartial: bool, data: req(str) } },
  disassemble: {
    needsProgram: true,
    args: { memoryReference: req(str), offset: int, instructionOffset: int, instructionCount: req({ type: 'integer', minimum: 0, maximum: DISASSEMBLE_MAX }), resolveSymbols: bool },
  },
  // Declared by DAP, not offered in our capabilities.
  restartFrame: { unsupported: true },
  goto: { unsupported: true },
  gotoTargets: { unsupported: true },
  setExpression: { needsProgram: true, args: { expression: req(str), value: req(str), frameId: int, format: valueFormat } },
  source: { unsupported: true },
  terminateThreads: { unsupported: true },
  stepInTargets: { unsupported: true },
  completions: { unsupported: true },
  modules: { unsupported: true },
  cancel: { unsupported: true },
  breakpointLocations: { unsupported: true },
  locations: { unsupported: true },
  // Custom requests (session.ts header comment).
  'armvirt/trace': { needsProgram: true, args: { since: int, max: nat } },
  'armvirt/translate': {
    needsProgram: true,
    args: {
      address: req({ type: ['string', 'integer'] }), threadId: { type: 'integer', minimum: 1 }, el: { type: 'integer', minimum: 0, maximum: 3 },
      stage: { type: ['integer', 'string'], enum: [1, 2, 'both'] }, access: { type: 'string', enum: ['read', 'write', 'fetch'] },
    },
  },
  'armvirt/gic': { needsProgram: true, args: { threadId: { type: 'integer', minimum: 1 } } },
  'armvirt/timers': { needsProgram: true, args: { threadId: { type: 'integer', minimum: 1 } } },
  'armvirt/pageTables': {
    needsProgram: true,
    args: { threadId: { type: 'integer', minimum: 1 }, stage: { type: 'integer', enum: [1, 2] }, regime: str, node: obj }, // regime and node: checked by the page-table reader
  },
  'armvirt/digest': { needsProgram: true },
  // Input for the guest's console: `text` (UTF-8) or `data` (base64), at most CONSOLE_INPUT_MAX bytes.
  'armvirt/consoleInput': { needsProgram: true, args: { text: str, data: str } },
  'armvirt/setExceptionFilter': { needsProgram: true, args: { filterId: req(str), condition: str, enabled: bool } },
  // retired: a number or a numeric string, checked against the history by runtime.travelError.
  'armvirt/travel': { needsProgram: true, args: { retired: req({ type: ['integer', 'string'] }), threadId: { type: 'integer', minimum: 1 } } },
  'armvirt/exitProfile': { needsProgram: true, args: { threadId: { type: 'integer', minimum: 1 } } },
};

const typeName = (t: ArgType): string => (t === 'integer' ? 'an integer' : t === 'array' ? 'an array' : t === 'object' ? 'an object' : `a ${t}`);

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 20 ? `${v.slice(0, 20)}…` : v}"`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function hasType(v: unknown, t: ArgType): boolean {
  switch (t) {
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'integer': return Number.isSafeInteger(v);
    case 'array': return Array.isArray(v);
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
  }
}

/** Why `v` breaks `rule` (a phrase after the argument's name), or undefined. */
export function checkValue(v: unknown, rule: ArgRule, name: string): string | undefined {
  const types = Array.isArray(rule.type) ? rule.type : [rule.type];
  if (!types.some((t) => hasType(v, t))) {
    return `'${name}' must be ${types.map(typeName).join(' or ')} (got ${describe(v)})`;
  }
  if (rule.enum && !rule.enum.includes(v)) return `'${name}' must be one of ${rule.enum.map((e) => JSON.stringify(e)).join(', ')} (got ${describe(v)})`;
  if (typeof v === 'number') {
    if (rule.minimum !== undefined && v < rule.minimum) return `'${name}' must be at least ${rule.minimum} (got ${v})`;
    if (rule.maximum !== undefined && v > rule.maximum) return `'${name}' must be at most ${rule.maximum} (got ${v})`;
  }
  if (rule.props && typeof v === 'object' && v !== null) {
    const bad = checkMembers(v as Record<string, unknown>, rule.props, `${name}.`);
    if (bad) return bad;
  }
  if (rule.items && Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = checkValue(v[i], rule.items, `${name}[${i}]`);
      if (bad) return bad;
    }
  }
  return undefined;
}

function checkMembers(o: Record<string, unknown>, props: Record<string, ArgRule>, prefix: string): string | undefined {
  for (const [k, rule] of Object.entries(props)) {
    const v = Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
    if (v === undefined) {
      if (rule.required) return `'${prefix}${k}' is required`;
      continue;
    }
    // DAP clients send null for "absent" in a few places (e.g. dataId); treat an optional null as absent.
    if (v === null && !rule.required) continue;
    const bad = checkValue(v, rule, `${prefix}${k}`);
    if (bad) return bad;
  }
  return undefined;
}

/** Checks a request's `arguments` against its rule; returns the error message or undefined. */
export function checkArguments(command: string, rule: RequestRule, args: unknown): string | undefined {
  if (!rule.args) return undefined;
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) {
    return `${command}: 'arguments' must be an object (got ${describe(args)})`;
  }
  const bad = checkMembers((args ?? {}) as Record<string, unknown>, rule.args, '');
  return bad ? `${command}: ${bad}` : undefined;
}
