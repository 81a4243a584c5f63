// The DAP session (as mockDebug.ts is to mockRuntime.ts in microsoft/vscode-mock-debug):
// converts Debug Adapter Protocol requests into Runtime calls and Runtime events into DAP
// events, in one place. It holds no machine logic of its own.
//
// Custom requests (for the panels; any DAP client can use them):
//   armvirt/trace      {since?: number, max?: number}        → {records: TraceRecord[], retired, historyStart, exitProfile?} (recent machine
//                                                              events with cycle stamps and history positions `retired`;
//                                                              the current position and the oldest one armvirt/travel reaches)
//   armvirt/translate  {address: string|number, threadId?, el?, stage?: 1|2|'both', access?} → {text, report}
//   armvirt/gic        {threadId?}                           → {available, data?}  (GIC distributor/CPU/virtual interface state)
//   armvirt/timers     {threadId?}                           → {available, data?}  (generic timers of the PE)
//   armvirt/pageTables {threadId?, stage?: 1|2, regime?: 'EL1&0'|'EL2'|'EL2&0', node?: {level, tableAddress, inputBase?, entries?, ttbr?}}
//                      → {available, data}: lazy Stage 1 / Stage 2 trees (src/sim/mmu/tables.ts), side-effect free.
//                        Without node: data = {stage, regime, stage1Enabled, stage2Enabled, vmid?, roots: [{name ('TTBR0_EL1',
//                        'VTTBR_EL2', …), enabled, reason?, tableAddress, tablePa?, level, inputStart, inputEnd, granule,
//                        concatenated?, node}]} (Stage 1: the regime's TTBR0/TTBR1, default the PE's current regime;
//                        Stage 2: VTTBR_EL2's root, concatenated tables as one node).
//                        With node (a handle from roots[].node or entries[].child, passed back as is):
//                        data = {stage, regime, node, tablePa?, error?, entries: [{index, inputStart, inputEnd, descAddress,
//                        descPa, raw, decoded: {type: table|block|page|reserved, outputAddress, outputPa?, AP/apText, UXN/PXN/XN,
//                        nG, AF, SH, AttrIndx + MAIR byte + memType (stage 1) or S2AP/s2apText, MemAttr (stage 2),
//                        APTable/XNTable/PXNTable (stage-1 tables), note?}, child?}]} (valid entries only). Stage-1 table
//                        addresses are IPAs under Stage 2; tablePa/descPa/outputPa are their PAs through Stage 2.
//   armvirt/digest     {}                                    → {pes, devices, memory, all, retired, historyStart, snapshots}
//                                                              (hashes of the whole machine state; reverse-execution tests)
//   armvirt/setExceptionFilter {filterId, condition?, enabled?: boolean (default true)}
//                      → {verified, message?, filters: [{filterId, condition?}]}: adds (or removes) one exception
//                        filter of a second list that the client's setExceptionBreakpoints does not replace. The GIC
//                        panel sets `virq-inject` with `lr == n && pe == p` this way: VS Code's extension API can
//                        neither add exception filters nor data breakpoints, so the panel host cannot go through
//                        the Breakpoints view. The change is echoed to the Debug Console.
//   armvirt/exitProfile {threadId?}                         → {profile: ExitProfile} (src/debug/exit-profile.ts), then a
//                        `stopped` event (reason 'step'): runs through the thread's next guest exit, from the guest's
//                        last counter read before it to the first after it, charging each cycle to the kernel function
//                        (kallsyms) that spent it; needs a launched Linux kernel. armvirt/trace returns the last one.
//   armvirt/travel     {retired: number, threadId?}          → {retired, historyStart, historyEnd}, then a `stopped`
//                        event with reason 'goto': re-creates the state at a history position (a trace record's
//                        `retired`) from the nearest snapshot at or before it (reverse execution). Error responses
//                        when the program runs, or the position is before the oldest snapshot or not yet executed.
import {
  Breakpoint, DebugSession, ExitedEvent, InitializedEvent, InvalidatedEvent, OutputEvent, Response, Source, StackFrame,
  StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';
import { Runtime, fmtAddr, type AddressSpace, type BreakpointResult, type FrameInfo, type LaunchConfig, type StopInfo } from './runtime';
import { EXCEPTION_FILTERS } from './exception-filters';
import { VariableStore, hex64, type CScopes } from './variables';
import { evaluate, ExprError } from './expressions';
import type { PE } from '../sim/pe';
import { frameGlobals, frameVariables } from './c-variables';
import { assignC, CExprError, evaluateC, resultBytes } from './c-expr';
import { showResult } from './c-scope';
import { REQUEST_RULES, MEMORY_REQUEST_MAX, CONSOLE_INPUT_MAX, checkArguments } from './request-rules';
import { checkLaunchAttributes } from './launch-schema';
import { DwarfError } from '../dwarf/reader';

export interface ArmVirtLaunchArguments extends DebugProtocol.LaunchRequestArguments, LaunchConfig {}

const FRAME_STRIDE = 10000;

/** A request the adapter refuses, with a one-line message naming what is wrong (never a stack). */
export class RequestError extends Error {
  override name = 'RequestError';
}

/** Requests that move the program: refused while it runs or after it exited. */
const RUN_CONTROL = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'restartFrame']);

/**
 * The one-line text of an error for a response. Errors the engine raises on its own (TypeError
 * and the like) are bugs of the adapter, not of the request: their stack goes to stderr for
 * developers, the client gets "internal error in '<command>': <message>".
 */
export function errorText(command: string, e: unknown): string {
  const name = e instanceof Error ? e.name : '';
  const internal = !(e instanceof Error) || ENGINE_ERRORS.has(name) && !(name === 'RangeError' && command === 'launch');
  const message = e instanceof Error ? e.message : String(e);
  // Messages never carry stack frames, whatever threw them.
  const clean = message.split('\n').filter((l) => !/^\s+at\s/.test(l)).join('\n');
  if (!internal) return clean;
  console.error(`armvirt debug adapter: internal error in '${command}':`, e instanceof Error ? e.stack : e);
  return `internal error in '${command}': ${clean.split('\n')[0]}`;
}

/** Errors JavaScript raises by itself (a bug in the adapter); launch's RangeErrors are the machine's readable ones. */
const ENGINE_ERRORS = new Set(['TypeError', 'ReferenceError', 'SyntaxError', 'RangeError', 'EvalError', 'URIError']);

export class ArmVirtDebugSession extends DebugSession {
  private runtime = new Runtime();
  private readonly vars = new VariableStore();
  private configurationDone!: Promise<void>;
  private resolveConfigurationDone!: () => void;
  private launched = false;
  /** launch has started (a second launch in the same session is refused). */
  private launching = false;
  /** terminate or disconnect ended the session: requests on the machine are refused. */
  private ended = false;
  private frames = new Map<number, { peId: number; frame: FrameInfo }>();
  /** Breakpoints requested before the program was loaded (VS Code may send them before launch). */
  /** Keyed by what a request replaces (one source's breakpoints, all function breakpoints, …): the last one wins, as DAP says. */
  private deferred = new Map<string, () => void>();

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
    this.configurationDone = new Promise((res) => { this.resolveConfigurationDone = res; });
    this.runtime.on('stopped', (s: StopInfo) => this.onStopped(s));
    this.runtime.on('output', (text: string, category: string) => this.sendEvent(new OutputEvent(text, category)));
    this.runtime.on('exited', (code: number) => {
      this.sendEvent(new ExitedEvent(code));
      this.sendEvent(new TerminatedEvent());
    });
  }

  // ---------------------------------------------------------------- message checks and dispatch

  /**
   * Every message enters here, from dist/debugAdapter.js's framing (dap-framing.ts) or from VS Code
   * when the session runs inline. A message that is not a well-formed request is answered with an
   * error when its seq can be recovered, else reported as an 'important' output event.
   */
  override handleMessage(msg: DebugProtocol.ProtocolMessage): void {
    const m = msg as unknown as Record<string, unknown>;
    if (typeof m !== 'object' || m === null || Array.isArray(m)) {
      this.reportProtocolError(`protocol error: a message must be a JSON object (got ${m === null ? 'null' : Array.isArray(m) ? 'an array' : typeof m})`);
      return;
    }
    if (m.type === 'response') { super.handleMessage(msg); return; }
    const seq = Number.isSafeInteger(m.seq) && (m.seq as number) > 0 ? m.seq as number : undefined;
    const command = typeof m.command === 'string' ? m.command : undefined;
    if (m.type !== 'request') {
      this.reportProtocolError(`protocol error: message type ${JSON.stringify(m.type) ?? 'undefined'} is not 'request' or 'response'`, m.type === undefined ? seq : undefined, command);
      return;
    }
    if (seq === undefined) { this.reportProtocolError(`protocol error: request 'seq' must be a positive integer (got ${JSON.stringify(m.seq) ?? 'nothing'})`); return; }
    if (command === undefined) { this.reportProtocolError(`protocol error: request 'command' must be a string (got ${JSON.stringify(m.command) ?? 'nothing'})`, seq, ''); return; }
    super.handleMessage(msg);
  }

  /** A framing or protocol error: an error response when the request is known, else an 'important' output event. */
  reportProtocolError(text: string, seq?: number, command?: string): void {
    if (seq !== undefined) {
      const response = new Response({ seq, type: 'request', command: command ?? '' });
      this.sendErrorResponse(response, { id: 1000, format: text, showUser: false });
      return;
    }
    this.sendEvent(new OutputEvent(`armvirt: ${text}\n`, 'important'));
  }

  /**
   * Checks a request against its row of REQUEST_RULES (request-rules.ts) before the library's
   * dispatcher calls a handler: unknown and unsupported commands, argument types and ranges,
   * requests that need a program. Handlers that throw are answered by errorText (no stack).
   */
  protected override dispatchRequest(request: DebugProtocol.Request): void {
    const response = new Response(request);
    const fail = (text: string): void => this.sendErrorResponse(response, { id: 1000, format: text, showUser: false });
    const command = request.command;
    const rule = Object.prototype.hasOwnProperty.call(REQUEST_RULES, command) ? REQUEST_RULES[command] : undefined;
    if (!rule) return fail(`unknown request '${command}'`);
    if (rule.unsupported) return fail(`request '${command}' is not supported by the armvirt debug adapter`);
    const bad = checkArguments(command, rule, request.arguments);
    if (bad) return fail(bad);
    if (rule.needsProgram) {
      if (!this.launched || this.ended) return fail(`${command}: no program is running`);
      if (RUN_CONTROL.has(command)) {
        if (this.runtime.exited) return fail(`${command}: the program has exited`);
        if (this.runtime.isRunning) return fail(`${command}: the program is running (pause it first)`);
      }
    }
    super.dispatchRequest(request);
  }

  /**
   * The library answers an exception escaping a handler with code 1104 and the JavaScript stack
   * as the message; the client gets one line instead, the stack goes to stderr (errorText).
   */
  protected override sendErrorResponse(response: DebugProtocol.Response, codeOrMessage: number | DebugProtocol.Message, format?: string, variables?: Record<string, string>, dest?: number): void {
    if (codeOrMessage === 1104 && variables && '_exception' in variables) {
      // Only the message and stack reach here; the stack's first word is the error's class.
      const stack = String(variables._stack ?? '');
      const err = new Error(String(variables._exception));
      err.name = /^(\w+):/.exec(stack)?.[1] ?? 'Error';
      err.stack = stack;
      super.sendErrorResponse(response, { id: 1104, format: errorText(response.command, err), showUser: false });
      return;
    }
    super.sendErrorResponse(response, codeOrMessage as number, format, variables, dest);
  }

  // ---------------------------------------------------------------- initialize / launch

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      // configurationDone ends the configuration phase (breakpoints are set before the program runs).
      supportsConfigurationDoneRequest: true,
      // Breakpoint conditions: expressions over registers, system registers, symbols and memory (expressions.ts).
      supportsConditionalBreakpoints: true,
      // Hit counts: "5", ">=5", "==5", ">5", "<5", "%5".
      supportsHitConditionalBreakpoints: true,
      // Logpoints with {x0} / {ESR_EL2} / {*(u64*)sp} interpolation.
      supportsLogPoints: true,
      // Breakpoints on symbols (labels) of the program.
      supportsFunctionBreakpoints: true,
      // Breakpoints from the Disassembly view.
      supportsInstructionBreakpoints: true,
      // Watchpoints on memory by VA (current translation regime), IPA or PA.
      supportsDataBreakpoints: true,
      // dataBreakpointInfo accepts raw addresses (asAddress) and a byte range (bytes).
      supportsDataBreakpointBytes: true,
      // Modes of data breakpoints: the address space the address is in.
      breakpointModes: [
        { mode: 'va', label: 'Virtual address', description: 'VA in the current translation regime of the stopped PE', appliesTo: ['data'] },
        { mode: 'ipa', label: 'Intermediate physical address', description: 'IPA, through the current Stage-2 tables', appliesTo: ['data'] },
        { mode: 'pa', label: 'Physical address', description: 'PA (any PE, any regime)', appliesTo: ['data'] },
      ],
      // Exception breakpoints: one filter per machine event class (exception-filters.ts).
      exceptionBreakpointFilters: EXCEPTION_FILTERS.map((f) => ({
        filter: f.id, label: f.label, description: f.description, default: f.default ?? false,
        supportsCondition: true, conditionDescription: f.conditionDescription,
      })),
      // Filters are sent as filterOptions, each with its condition.
      supportsExceptionFilterOptions: true,
      // exceptionInfo explains the stop ("Trap to EL2: HVC #0 from EL1, ESR_EL2=0x5A000000").
      supportsExceptionInfoRequest: true,
      // Reverse execution: stepBack (instruction or line) and reverseContinue, by re-execution from
      // periodic machine snapshots (src/debug/timeline.ts, src/sim/snapshot.ts).
      supportsStepBack: true,
      // Step by instruction (Disassembly view) as well as by source line.
      supportsSteppingGranularity: true,
      // Disassembly view: exact instruction counts, invalid entries for unreadable memory.
      supportsDisassembleRequest: true,
      // Hex editor: read and write guest memory (RAM; MMIO is never read by the debugger).
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      // Registers and register fields are editable in the Variables view.
      supportsSetVariable: true,
      // Hovers show C expressions (programs with DWARF), registers, system registers and symbols.
      supportsEvaluateForHovers: true,
      // A C lvalue in memory (`vcpu->regs[0]`) can be assigned from the Watch view (c-expr.ts assignC).
      supportsSetExpression: true,
      // Restart reloads the program and resets the machine, keeping breakpoints.
      supportsRestartRequest: true,
      // terminate ends the guest (as SYSTEM_OFF would).
      supportsTerminateRequest: true,
      // Loaded sources: the assembly file and its includes.
      supportsLoadedSourcesRequest: true,
      // Invalidated events after setVariable / writeMemory.
      supportsInvalidatedEvent: true,
      // Values that are addresses carry memory references (open them in the hex editor).
      supportsMemoryReferences: true,
    } as DebugProtocol.Capabilities;
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, argsOrNothing: ArmVirtLaunchArguments): Promise<void> {
    // A launch without arguments is checked as {} ("program" is required).
    const args = (argsOrNothing as ArmVirtLaunchArguments | undefined) === undefined ? {} as ArmVirtLaunchArguments : argsOrNothing;
    if (this.launching || this.ended) {
      this.sendErrorResponse(response, { id: 1001, format: `launch: ${this.ended ? 'the session has ended' : 'a program is already loaded (one launch per session)'}`, showUser: true });
      return;
    }
    try {
      if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new RequestError(`launch: 'arguments' must be an object (got ${args === null ? 'null' : typeof args})`);
      // Every attribute against its package.json schema (launch-schema.ts): type, enum, range.
      const check = checkLaunchAttributes(args as unknown as Record<string, unknown>);
      if (typeof args.program === 'string' && args.program.trim() === '') check.errors.unshift('"program" must name a .S file or an ELF (got \'\')');
      if (check.errors.length > 0) throw new RequestError(`launch: ${check.errors.join('; ')}`);
      for (const k of check.unknown) this.sendEvent(new OutputEvent(`armvirt: ignoring unknown launch attribute "${k}"\n`, 'console'));
      const given = (v: unknown): boolean => typeof v === 'string' && v !== '';
      if (!given(args.program) && !given(args.kernel)) throw new RequestError('launch: "program" (a .S file or an ELF) or "kernel" (a Linux Image) is required');
      if (given(args.program) && given(args.kernel)) throw new RequestError('launch: "program" and "kernel" exclude each other: give one of them');
      this.launching = true;
      this.runtime.launch(args);
    } catch (e) {
      this.launching = false;
      this.sendErrorResponse(response, { id: 1001, format: errorText('launch', e), showUser: true });
      this.sendEvent(new TerminatedEvent());
      return;
    }
    this.launched = true;
    for (const d of this.deferred.values()) {
      try {
        d();
      } catch (e) {
        this.sendEvent(new OutputEvent(`armvirt: a breakpoint set before launch failed: ${errorText('launch', e)}\n`, 'important'));
      }
    }
    this.deferred.clear();
    this.sendEvent(new InitializedEvent());
    // Wait for the client's configuration (breakpoints, filters); give up waiting after 10 s.
    await Promise.race([this.configurationDone, new Promise((r) => setTimeout(r, 10000))]);
    this.sendResponse(response);
    this.runtime.start();
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.resolveConfigurationDone();
    this.sendResponse(response);
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse): void {
    try {
      this.runtime.pause();
      this.runtime.restart();
    } catch (e) {
      this.sendErrorResponse(response, { id: 1002, format: errorText('restart', e), showUser: true });
      return;
    }
    this.resetStopState();
    this.sendResponse(response);
    this.runtime.start();
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.ended = true;
    if (this.launched) this.runtime.pause();
    this.runtime.exited = true;
    this.runtime.close();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.ended = true;
    if (this.launched) this.runtime.pause();
    this.runtime.exited = true;
    this.runtime.close();
    this.sendResponse(response);
  }

  // ---------------------------------------------------------------- breakpoints

  private toBreakpoint(r: BreakpointResult): DebugProtocol.Breakpoint {
    const bp = new Breakpoint(r.verified) as DebugProtocol.Breakpoint;
    bp.id = r.id;
    if (r.message) bp.message = r.message;
    if (r.line !== undefined) bp.line = this.convertDebuggerLineToClient(r.line);
    if (r.file) bp.source = new Source(path.basename(r.file), this.convertDebuggerPathToClient(r.file));
    if (r.addressText !== undefined) bp.instructionReference = r.addressText;
    else if (r.address !== undefined) bp.instructionReference = `0x${r.address.toString(16)}`;
    return bp;
  }

  /**
   * Answers a configuration request: with `apply`'s breakpoints once the program is loaded; before
   * launch (a client that configures before `initialized`) at once with `count` unverified
   * breakpoints, applying the request when the program loads.
   */
  private whenLaunched(response: DebugProtocol.Response, key: string, count: number, apply: () => DebugProtocol.Breakpoint[]): void {
    if (this.launched) {
      response.body = { breakpoints: apply() };
    } else {
      this.deferred.delete(key); // re-inserted last: applied in the order of the latest requests
      this.deferred.set(key, () => { apply(); });
      const pending = 'pending: no program is loaded yet (it applies at launch)';
      response.body = { breakpoints: Array.from({ length: count }, () => ({ verified: false, message: pending })) };
    }
    this.sendResponse(response);
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const bps = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    this.whenLaunched(response, `source:${args.source.path ?? args.source.name ?? ''}`, bps.length, () => {
      const file = this.convertClientPathToDebugger(args.source.path ?? '');
      const res = this.runtime.setSourceBreakpoints(file, bps.map((b: DebugProtocol.SourceBreakpoint) => ({
        line: this.convertClientLineToDebugger(b.line), condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage,
      })));
      return res.map((r) => this.toBreakpoint(r));
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.whenLaunched(response, 'function', args.breakpoints.length, () => {
      const res = this.runtime.setFunctionBreakpoints(args.breakpoints.map((b) => ({ name: b.name, condition: b.condition, hitCondition: b.hitCondition })));
      return res.map((r) => this.toBreakpoint(r));
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    // Addresses are checked now, so that a bad one is refused at once, before or after launch.
    const addresses = args.breakpoints.map((b, i) => checkedAddress(b.instructionReference, b.offset, `setInstructionBreakpoints: 'breakpoints[${i}].instructionReference'`));
    this.whenLaunched(response, 'instruction', args.breakpoints.length, () => {
      const res = this.runtime.setInstructionBreakpoints(args.breakpoints.map((b, i) => ({
        address: addresses[i], condition: b.condition, hitCondition: b.hitCondition,
      })));
      return res.map((r) => this.toBreakpoint(r));
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const list: { filterId: string; condition?: string }[] = [];
    for (const id of args.filters ?? []) list.push({ filterId: id });
    for (const o of args.filterOptions ?? []) list.push({ filterId: o.filterId, condition: o.condition });
    this.whenLaunched(response, 'exception', list.length, () => {
      const res = this.runtime.setExceptionFilters(list);
      return res.map((r) => ({ verified: r.verified, message: r.message }));
    });
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    const none = (description: string): void => { response.body = { dataId: null, description }; this.sendResponse(response); };
    if (!this.launched) return none('the program is not loaded yet');
    if (args.variablesReference !== undefined && !args.asAddress) {
      return none('data breakpoints watch memory: set one on an address or a memory expression (e.g. *(u64*)x0)');
    }
    let text = args.name.trim();
    let space: AddressSpace = (args.mode as AddressSpace | undefined) ?? 'va';
    const m = /^(va|ipa|pa)\s*:\s*(.*)$/i.exec(text);
    if (m) { space = m[1].toLowerCase() as AddressSpace; text = m[2]; }
    let addr: number;
    try {
      if (args.asAddress) addr = parseAddress(text);
      else addr = Number(evaluate(text.replace(/^&/, ''), this.runtime.exprEnv(this.peForFrame(args.frameId))));
    } catch (e) {
      return none(`cannot watch '${args.name}': ${(e as Error).message}`);
    }
    if (!Number.isSafeInteger(addr)) return none(`bad address '${args.name}'`);
    const bytes = Math.max(1, Math.min(4096, args.bytes ?? 8));
    response.body = {
      dataId: `${space}:0x${addr.toString(16)}:${bytes}`,
      description: `${bytes} byte(s) at ${space.toUpperCase()} ${fmtAddr(addr)}`,
      accessTypes: ['read', 'write', 'readWrite'],
      canPersist: true,
    };
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    const specs = args.breakpoints.map((b, i) => {
      // dataIds come from dataBreakpointInfo: "<va|ipa|pa>:0x<address>:<bytes>".
      const m = /^(va|ipa|pa):(0x[0-9a-f]{1,16}):(\d{1,4})$/i.exec(b.dataId);
      if (!m || Number(m[3]) < 1 || Number(m[3]) > 4096) {
        throw new RequestError(`setDataBreakpoints: 'breakpoints[${i}].dataId' ${JSON.stringify(b.dataId.slice(0, 40))} is not a dataId from dataBreakpointInfo`);
      }
      return {
        space: m[1].toLowerCase() as AddressSpace, address: parseAddress(m[2]), bytes: Number(m[3]), access: b.accessType ?? 'write',
        condition: b.condition, hitCondition: b.hitCondition,
      };
    });
    this.whenLaunched(response, 'data', specs.length, () => this.runtime.setDataBreakpoints(specs).map((r) => this.toBreakpoint(r)));
  }

  // ---------------------------------------------------------------- threads, stacks, variables

  /** The PE of a thread id (PE n is thread n+1); an unknown id is refused, naming it. */
  private pe(threadId: number | undefined): PE {
    const pes = this.runtime.machine.pes;
    if (threadId === undefined) return pes[0];
    const pe = Number.isSafeInteger(threadId) ? pes[threadId - 1] : undefined;
    if (!pe) throw new RequestError(`'threadId' ${threadId} is not a thread (threads are 1${pes.length > 1 ? `–${pes.length}` : ''})`);
    return pe;
  }

  /** The PE of a frame id from the last stackTrace (frames die when the program resumes); none: the stopped PE. */
  private peForFrame(frameId: number | undefined): PE {
    if (frameId === undefined) return this.pe(this.runtime.stopInfo ? this.runtime.stopInfo.peId + 1 : 1);
    const f = this.frames.get(frameId);
    if (f) return this.runtime.machine.pes[f.peId];
    // A frame id of this stop not fetched yet (ids are PE * FRAME_STRIDE + index + 1).
    const pe = frameId > 0 && frameId % FRAME_STRIDE !== 0 ? this.runtime.machine.pes[Math.floor((frameId - 1) / FRAME_STRIDE)] : undefined;
    if (!pe || !this.runtime.stopInfo) throw new RequestError(`'frameId' ${frameId} is not a frame of the current stop`);
    return pe;
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: this.launched ? this.runtime.machine.pes.map((pe) => new Thread(pe.id + 1, this.runtime.threadName(pe))) : [] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const pe = this.pe(args.threadId);
    const all = this.runtime.stackFrames(pe.id);
    const start = args.startFrame ?? 0;
    if (start > all.length) throw new RequestError(`stackTrace: 'startFrame' ${start} is past the last frame (${all.length} frames)`);
    const levels = args.levels && args.levels > 0 ? args.levels : all.length;
    const frames = all.slice(start, start + levels).map((f, i) => {
      const id = pe.id * FRAME_STRIDE + start + i + 1;
      this.frames.set(id, { peId: pe.id, frame: f });
      const src = f.source ? new Source(path.basename(f.source.file), this.convertDebuggerPathToClient(f.source.file)) : undefined;
      const sf = new StackFrame(id, f.name, src, src ? this.convertDebuggerLineToClient(f.source!.line) : 0, 1) as DebugProtocol.StackFrame;
      sf.instructionPointerReference = `0x${(f.pcExact ?? f.pc).toString(16)}`;
      if (f.synthetic) sf.presentationHint = 'label';
      return sf;
    });
    response.body = { stackFrames: frames, totalFrames: all.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const f = this.frames.get(args.frameId);
    const pe = this.peForFrame(args.frameId);
    if (!f) throw new RequestError(`scopes: 'frameId' ${args.frameId} is not a frame of the current stop (ask stackTrace first)`);
    let ctx;
    if (f && f.frame.context > 0) ctx = this.runtime.savedContexts(pe.id)[f.frame.context - 1];
    response.body = { scopes: this.vars.scopes(pe, ctx, f.frame.context, this.cScopes(pe, f.frame, args.frameId)) };
    this.sendResponse(response);
  }

  /** Arguments, locals and globals of a frame from DWARF (src/debug/c-frame.ts), read with the frame's (unwound) registers. */
  private cScopes(pe: PE, frame: FrameInfo, frameId: number): CScopes | undefined {
    const dwarf = this.runtime.debugInfo();
    if (!dwarf || frame.synthetic) return undefined;
    const reader = this.runtime.cFrameReader(pe, frame);
    const pc = frame.c?.lookupPc ?? BigInt(frame.pc);
    try {
      const fv = frame.c ? frameVariables(dwarf, pc, reader, frame.c.inlineDepth) : undefined;
      return { key: String(frameId), reader, arguments: fv?.arguments ?? [], locals: fv?.locals ?? [], globals: frameGlobals(dwarf, pc, reader) };
    } catch (e) {
      if (e instanceof DwarfError) return undefined;
      throw e;
    }
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    if (!this.vars.has(args.variablesReference)) {
      throw new RequestError(`variables: 'variablesReference' ${args.variablesReference} does not exist (references live until the program resumes)`);
    }
    response.body = { variables: this.vars.variables(args.variablesReference, { start: args.start, count: args.count, filter: args.filter }) };
    this.sendResponse(response);
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    try {
      const pe = this.peForFrame(undefined);
      const number = (text: string): bigint => evaluate(text, this.runtime.exprEnv(pe));
      // C variables parse the value in their type (enumerators, characters, floating point).
      const r = this.vars.isC(args.variablesReference)
        ? this.vars.setCVariable(args.variablesReference, args.name, args.value, number)
        : this.vars.setVariable(args.variablesReference, args.name, number(args.value));
      response.body = { value: r.value };
      this.sendResponse(response);
      // A register edit cannot be re-created by re-execution: the reverse-execution history restarts here.
      this.runtime.noteEdit();
      if (r.invalidateAll) this.sendEvent(new InvalidatedEvent(['variables', 'stacks']));
    } catch (e) {
      this.sendErrorResponse(response, { id: 1003, format: errorText('setVariable', e), showUser: true });
    }
  }

  // ---------------------------------------------------------------- run control

  private resetStopState(): void {
    this.frames.clear();
    this.vars.reset();
  }

  private onStopped(s: StopInfo): void {
    const ev = new StoppedEvent(s.reason, s.peId + 1, s.text) as DebugProtocol.StoppedEvent;
    ev.body.allThreadsStopped = true;
    if (s.description) ev.body.description = s.description;
    if (s.hitBreakpointIds) ev.body.hitBreakpointIds = s.hitBreakpointIds;
    this.sendEvent(ev);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse, args: DebugProtocol.ContinueArguments): void {
    this.pe(args.threadId); // an unknown thread is refused (all PEs run)
    this.resetStopState();
    response.body = { allThreadsContinued: true };
    this.sendResponse(response);
    this.runtime.continue();
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    const pe = this.pe(args.threadId);
    this.resetStopState();
    this.sendResponse(response);
    this.runtime.next(pe.id, args.granularity === 'instruction' ? 'instruction' : 'line');
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    const pe = this.pe(args.threadId);
    this.resetStopState();
    this.sendResponse(response);
    this.runtime.stepIn(pe.id, args.granularity === 'instruction' ? 'instruction' : 'line');
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    const pe = this.pe(args.threadId);
    this.resetStopState();
    this.sendResponse(response);
    this.runtime.stepOut(pe.id);
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    const pe = this.pe(args.threadId);
    this.resetStopState();
    this.sendResponse(response);
    this.runtime.stepBack(pe.id, args.granularity === 'instruction' ? 'instruction' : 'line');
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse, args: DebugProtocol.ReverseContinueArguments): void {
    const pe = this.pe(args.threadId);
    this.resetStopState();
    this.sendResponse(response);
    this.runtime.reverseContinue(pe.id);
  }

  /** armvirt/travel: validates, answers, then re-creates the position and reports the stop. */
  private travelRequest(response: DebugProtocol.Response, a: Record<string, unknown>): void {
    if (!this.launched) throw new Error('no program loaded');
    if (this.runtime.isRunning) throw new Error('the program is running: pause it before travelling');
    const retired = typeof a.retired === 'number' ? a.retired : Number(a.retired);
    const bad = this.runtime.travelError(retired);
    if (bad) throw new Error(bad);
    const peId = this.pe(typeof a.threadId === 'number' ? a.threadId : this.runtime.stopInfo ? this.runtime.stopInfo.peId + 1 : 1).id;
    this.resetStopState();
    response.body = { retired, historyStart: this.runtime.timeline.start, historyEnd: this.runtime.timeline.end };
    this.sendResponse(response);
    this.runtime.travel(retired, peId);
  }

  /** Runs through the thread's next guest exit charging cycles to kernel functions; answers with the profile, then a `step` stop. */
  private exitProfileRequest(response: DebugProtocol.Response, a: Record<string, unknown>): void {
    if (!this.launched) throw new Error('no program loaded');
    if (this.runtime.isRunning) throw new Error('the program is running: pause it first');
    const peId = this.pe(typeof a.threadId === 'number' ? a.threadId : this.runtime.stopInfo ? this.runtime.stopInfo.peId + 1 : 1).id;
    this.resetStopState();
    this.runtime.profileExit(peId).then((p) => {
      response.body = { profile: p };
      this.sendResponse(response);
    }, (e: Error) => {
      this.sendErrorResponse(response, { id: 1010, format: `armvirt/exitProfile: ${e.message}`, showUser: false });
    });
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse, args: DebugProtocol.PauseArguments): void {
    this.pe(args.threadId);
    this.runtime.pause();
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): void {
    this.pe(args.threadId);
    const info = this.runtime.exceptionInfo();
    if (!info) {
      this.sendErrorResponse(response, { id: 1004, format: 'the PE did not stop on an exception' });
      return;
    }
    const fields = info.fields ? Object.entries(info.fields).map(([k, v]) => `${k}=0x${v.toString(16)}`).join(' ') : undefined;
    response.body = {
      exceptionId: info.id, description: info.description, breakMode: 'always',
      details: { message: info.details ?? info.description, typeName: info.id, stackTrace: fields },
    };
    this.sendResponse(response);
  }

  // ---------------------------------------------------------------- evaluate

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const pe = this.peForFrame(args.frameId);
    const expr = args.expression.trim();
    try {
      const tr = /^translate\s+(.+)$/i.exec(expr);
      if (tr) {
        const va = Number(evaluate(tr[1], this.runtime.exprEnv(pe)));
        response.body = { result: this.runtime.translate(pe, va).text, variablesReference: 0 };
        this.sendResponse(response);
        return;
      }
      // A C program: the expression is C (variables, members, casts …) in the selected frame, its
      // result typed, with children.
      const sel = args.frameId !== undefined ? this.frames.get(args.frameId)?.frame : undefined;
      const frame = sel && !sel.synthetic ? sel : undefined;
      const scope = this.runtime.cScope(pe, undefined, frame);
      const reader = frame ? this.runtime.cFrameReader(pe, frame) : this.runtime.frameReader(pe);
      let cError: CExprError | undefined;
      // A bare register, system register (field) or label that names no C object keeps the register
      // language's answer (hex and decimal), as in assembly programs.
      const bare = /^[A-Za-z_$][\w$]*(\.\w+)?$/.exec(expr);
      const registerName = bare !== null && scope !== undefined && !scope.variable(expr.split('.')[0]) && !scope.enumerator(expr);
      if (scope && !registerName) {
        try {
          const r = evaluateC(expr, scope);
          const s = showResult(expr, r, scope, (x) => resultBytes(x, scope, expr));
          response.body = {
            result: s.value, type: s.type,
            variablesReference: s.children && s.children.length > 0 ? this.vars.cChildren(pe, s.children, reader) : s.expand ? this.vars.cExpand(pe, s.expand, reader) : 0,
            memoryReference: s.memory !== undefined ? hex64(s.memory) : undefined,
          };
          this.sendResponse(response);
          return;
        } catch (e) {
          if (!(e instanceof CExprError)) throw e;
          cError = e;
        }
      }
      // Hovering a label shows its address; a register or expression its value.
      let v: bigint;
      try {
        v = evaluate(expr, this.runtime.exprEnv(pe));
      } catch (e) {
        // The register language did not understand it either: the C message says more.
        throw cError ?? e;
      }
      const small = v < 1n << 32n;
      response.body = {
        result: small ? `0x${v.toString(16)} (${v})` : hex64(v),
        variablesReference: 0,
        memoryReference: `0x${v.toString(16)}`,
      };
      this.sendResponse(response);
    } catch (e) {
      if (args.context === 'hover' && (e instanceof ExprError || e instanceof CExprError)) { this.sendErrorResponse(response, { id: 1006, format: e.message }); return; }
      this.sendErrorResponse(response, { id: 1006, format: errorText('evaluate', e), showUser: false });
    }
  }

  /** Assigns a C expression's value to a C lvalue (`vcpu->regs[0]`, `count`), converting as C assignment does. */
  protected override setExpressionRequest(response: DebugProtocol.SetExpressionResponse, args: DebugProtocol.SetExpressionArguments): void {
    const pe = this.peForFrame(args.frameId);
    try {
      const sel = args.frameId !== undefined ? this.frames.get(args.frameId)?.frame : undefined;
      const scope = this.runtime.cScope(pe, undefined, sel && !sel.synthetic ? sel : undefined);
      if (!scope) throw new RequestError(`setExpression: 'expression' must be a C lvalue and this program has no DWARF (.debug_info); registers are edited with setVariable`);
      const r = assignC(args.expression, args.value, scope);
      const s = showResult(args.expression, r, scope, (x) => resultBytes(x, scope, args.expression));
      response.body = { value: s.value, type: s.type, variablesReference: 0 };
      this.sendResponse(response);
      this.runtime.noteEdit();
      this.sendEvent(new InvalidatedEvent(['variables']));
    } catch (e) {
      this.sendErrorResponse(response, { id: 1007, format: errorText('setExpression', e), showUser: true });
    }
  }

  // ---------------------------------------------------------------- memory and disassembly

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const pe = this.peForFrame(undefined);
    const base = checkedAddress(args.memoryReference, args.offset, `readMemory: 'memoryReference'`);
    // At most MEMORY_REQUEST_MAX bytes per request: DAP lets the answer be shorter, the client asks again for the rest.
    const count = Math.min(args.count, MEMORY_REQUEST_MAX, ADDRESS_END - base);
    const bytes = this.runtime.readVirtual(pe, base, count);
    let n = 0;
    while (n < count && bytes[n] !== undefined) n++;
    let address = base;
    let unreadable = 0;
    if (n === 0) {
      while (unreadable < count && bytes[unreadable] === undefined) unreadable++;
    } else {
      let i = n;
      while (i < count && bytes[i] === undefined) i++;
      unreadable = i - n;
    }
    const data = Buffer.from(bytes.slice(0, n) as number[]);
    response.body = { address: `0x${address.toString(16)}`, data: data.toString('base64'), unreadableBytes: unreadable };
    address = 0;
    this.sendResponse(response);
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    const pe = this.peForFrame(undefined);
    const base = checkedAddress(args.memoryReference, args.offset, `writeMemory: 'memoryReference'`);
    checkBase64(args.data, `writeMemory: 'data'`);
    if (args.data.length > Math.ceil(MEMORY_REQUEST_MAX / 3) * 4) throw new RequestError(`writeMemory: 'data' is longer than ${MEMORY_REQUEST_MAX} bytes`);
    const data = Buffer.from(args.data, 'base64');
    if (base + data.length > ADDRESS_END) throw new RequestError(`writeMemory: ${data.length} bytes at ${fmtAddr(base)} run past the end of the address space`);
    const n = this.runtime.writeVirtual(pe, base, data);
    if (n < data.length && !args.allowPartial) {
      this.sendErrorResponse(response, { id: 1007, format: `only ${n} of ${data.length} bytes at ${fmtAddr(base)} are writable RAM` });
      return;
    }
    response.body = { bytesWritten: n };
    this.sendResponse(response);
    this.sendEvent(new InvalidatedEvent(['variables']));
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    const pe = this.peForFrame(undefined);
    // Instructions outside the address space are answered as invalid entries (DAP: exactly instructionCount of them).
    const start = checkedAddress(args.memoryReference, args.offset, `disassemble: 'memoryReference'`) + (args.instructionOffset ?? 0) * 4;
    const out: DebugProtocol.DisassembledInstruction[] = [];
    let lastFile: string | undefined;
    for (let i = 0; i < args.instructionCount; i++) {
      const a = start + i * 4;
      if (a < 0 || a % 4 !== 0 || !Number.isSafeInteger(a)) {
        out.push({ address: `0x${Math.max(0, a).toString(16)}`, instruction: '??', presentationHint: 'invalid' });
        continue;
      }
      const d = this.runtime.disassembleAt(pe, a);
      if (d.word === undefined) {
        out.push({ address: `0x${a.toString(16)}`, instruction: '??', presentationHint: 'invalid' });
        continue;
      }
      const ins: DebugProtocol.DisassembledInstruction = {
        address: `0x${a.toString(16)}`,
        instructionBytes: d.word.toString(16).padStart(8, '0'),
        instruction: d.text,
      };
      const sym = args.resolveSymbols !== false ? this.runtime.symbolize(a) : undefined;
      if (sym && sym.offset === 0) ins.symbol = sym.name;
      const src = this.runtime.sourceOf(a);
      if (src) {
        if (src.file !== lastFile) ins.location = new Source(path.basename(src.file), this.convertDebuggerPathToClient(src.file));
        lastFile = src.file;
        ins.line = this.convertDebuggerLineToClient(src.line);
      }
      out.push(ins);
    }
    response.body = { instructions: out };
    this.sendResponse(response);
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    response.body = { sources: this.launched ? this.runtime.sourceFiles().map((f) => new Source(path.basename(f), this.convertDebuggerPathToClient(f))) : [] };
    this.sendResponse(response);
  }

  // ---------------------------------------------------------------- custom requests (panels)

  protected override customRequest(command: string, response: DebugProtocol.Response, args: Record<string, unknown> | undefined): void {
    const a = args ?? {};
    const pe = this.pe(typeof a.threadId === 'number' ? a.threadId : undefined);
    const machine = this.launched ? this.runtime.machine as unknown as Record<string, { snapshot?(x: unknown): unknown } | undefined> : undefined;
    try {
      switch (command) {
        case 'armvirt/digest':
          if (!this.launched) throw new Error('no program loaded');
          response.body = this.runtime.digest();
          break;
        case 'armvirt/trace':
          // `retired`: the current position, so a client can tell past records from re-created future ones.
          response.body = this.launched
            ? { records: this.runtime.traceRecords(typeof a.since === 'number' ? a.since : -1, typeof a.max === 'number' ? a.max : 1000), retired: this.runtime.machine.retired, historyStart: this.runtime.timeline.start, exitProfile: this.runtime.lastExitProfile }
            : { records: [] };
          break;
        case 'armvirt/setExceptionFilter': {
          if (!this.launched) throw new Error('no program loaded');
          const filterId = String(a.filterId ?? '');
          const condition = typeof a.condition === 'string' ? a.condition : undefined;
          const enabled = a.enabled !== false;
          const r = this.runtime.setExtraFilter(filterId, condition, enabled);
          if (!r.verified) throw new Error(r.message ?? 'rejected');
          const what = `exception breakpoint '${filterId}'${condition ? ` when ${condition.trim()}` : ''}`;
          this.sendEvent(new OutputEvent(`armvirt: ${what} ${enabled ? 'set' : 'removed'}\n`, 'console'));
          response.body = r;
          break;
        }
        case 'armvirt/travel':
          this.travelRequest(response, a);
          return;
        case 'armvirt/exitProfile':
          this.exitProfileRequest(response, a);
          return;
        case 'armvirt/consoleInput': {
          if ((a.text === undefined) === (a.data === undefined)) throw new RequestError(`armvirt/consoleInput: give exactly one of 'text' and 'data'`);
          if (typeof a.data === 'string') checkBase64(a.data, `armvirt/consoleInput: 'data'`);
          const bytes = typeof a.text === 'string' ? Buffer.from(a.text, 'utf8') : Buffer.from(String(a.data), 'base64');
          if (bytes.length > CONSOLE_INPUT_MAX) throw new RequestError(`armvirt/consoleInput: ${bytes.length} bytes is more than ${CONSOLE_INPUT_MAX} in one request`);
          this.runtime.consoleInput(new Uint8Array(bytes));
          response.body = { bytes: bytes.length, device: this.runtime.machine.virtioConsole ? 'virtio-console' : 'pl011' };
          break;
        }
        case 'armvirt/translate': {
          const addr = typeof a.address === 'number' ? a.address : Number(evaluate(String(a.address ?? ''), this.runtime.exprEnv(pe)));
          response.body = this.runtime.translate(pe, addr, {
            el: typeof a.el === 'number' ? a.el : undefined,
            stage: a.stage === 1 || a.stage === 2 || a.stage === 'both' ? a.stage : undefined,
            access: a.access === 'write' || a.access === 'fetch' ? a.access : 'read',
          });
          break;
        }
        case 'armvirt/gic': {
          const p = this.runtime.panels.gic;
          const gic = machine?.gic;
          const data = p ? p(pe.id) : gic?.snapshot ? gic.snapshot(pe.id) : undefined;
          response.body = { available: data !== undefined, data };
          break;
        }
        case 'armvirt/timers': {
          const p = this.runtime.panels.timers;
          const t = machine?.timers;
          const data = p ? p(pe.id) : t?.snapshot ? t.snapshot(pe) : undefined;
          response.body = { available: data !== undefined, data };
          break;
        }
        case 'armvirt/pageTables': {
          const p = this.runtime.panels.pageTables;
          if (!p && !this.launched) throw new Error('no program loaded');
          const data = p ? p(pe.id, a) : this.runtime.pageTables(pe, a);
          response.body = { available: data !== undefined, data };
          break;
        }
        default:
          super.customRequest(command, response, args);
          return;
      }
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1008, format: errorText(command, e) });
    }
  }
}

/** Refuses a string Buffer.from(…, 'base64') would silently misread (it skips bad characters). */
function checkBase64(data: string, what: string): void {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 === 1) throw new RequestError(`${what} is not base64`);
}

/** One past the highest 64-bit address (addresses are numbers: exact up to 2^53, approximate above). */
const ADDRESS_END = 2 ** 64;

/** A memoryReference plus an offset, refused (naming `what`) unless it is an address of the 64-bit space. */
function checkedAddress(reference: string, offset: number | undefined, what: string): number {
  let a: number;
  try {
    a = parseAddress(reference) + (offset ?? 0);
  } catch {
    throw new RequestError(`${what} ${JSON.stringify(reference.slice(0, 40))} is not an address`);
  }
  if (!(a >= 0 && a < ADDRESS_END)) throw new RequestError(`${what} ${JSON.stringify(reference.slice(0, 40))}${offset ? ` + offset ${offset}` : ''} is outside the 64-bit address space`);
  return a;
}

/** "0x4000_1000", "1073745920", "0x40001000" → number. */
export function parseAddress(s: string): number {
  const t = s.trim().replace(/_/g, '');
  const v = /^0x[0-9a-f]+$/i.test(t) ? Number.parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(v)) throw new Error(`not an address: '${s}'`);
  return v;
}
