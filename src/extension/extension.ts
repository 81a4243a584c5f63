// The VS Code side of ArmVirt Debugger: the debug adapter descriptor factory (a `node
// dist/debugAdapter.js` process by default, or the same session class inline), the debug
// configuration provider for type `armvirt`, and the commands.
//
// Nothing that comes from the guest or the adapter is ever evaluated here: trace records and
// translation reports are shown as plain text in the "ArmVirt" output channel.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startLanguageClient } from './lsp-client';
import { ArmVirtDebugSession } from '../debug/session';
import { checkLaunchConfig, isAssemblyPath } from './config';
import { registerPanels, type PanelKind } from './panels/panels';
import { registerExperimentsPanel } from './panels/experiments-panel';
import { registerGuestConsoles } from './guest-console';

export const DEBUG_TYPE = 'armvirt';
const LANGUAGE_ID = 'aarch64-asm';

/** What activate() returns; the integration tests use it, other extensions may too. */
export interface ArmVirtApi {
  /** How the last debug adapter was started: 'inline' or 'executable'. */
  lastAdapterKind(): 'inline' | 'executable' | undefined;
  /** The output channel the commands write to (its text is kept for tests). */
  outputLines(): readonly string[];
  /** Messages exchanged with a panel webview ('gic', 'timers', 'pagetables', 'timeline'); for tests. */
  panelMessages?(kind: PanelKind): readonly unknown[];
  /** Messages exchanged with the Experiments panel; for tests. */
  experimentsMessages?(): readonly unknown[];
  /** The "ArmVirt: guest console" terminal of a session, when it is open; for tests. */
  guestConsole?(session: vscode.DebugSession): vscode.Terminal | undefined;
}

let output: vscode.OutputChannel | undefined;
const outputLog: string[] = [];
let adapterKind: 'inline' | 'executable' | undefined;

function log(line: string): void {
  output?.appendLine(line);
  outputLog.push(line);
  if (outputLog.length > 5000) outputLog.splice(0, outputLog.length - 5000);
}

// ---------------------------------------------------------------- debug adapter

class AdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly context: vscode.ExtensionContext) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const settings = vscode.workspace.getConfiguration('armvirt.debugAdapter', session.workspaceFolder);
    if (settings.get<boolean>('inline', false)) {
      adapterKind = 'inline';
      // @vscode/debugadapter's DebugSession implements vscode.DebugAdapter (onDidSendMessage,
      // handleMessage, dispose); the two declarations differ only in their Event types.
      return new vscode.DebugAdapterInlineImplementation(new ArmVirtDebugSession() as unknown as vscode.DebugAdapter);
    }
    adapterKind = 'executable';
    const script = this.context.asAbsolutePath(path.join('dist', 'debugAdapter.js'));
    const nodePath = settings.get<string>('nodePath', '').trim();
    // A Node.js named in settings is an external program: run it only in a trusted workspace
    // (package.json also lists the setting in restrictedConfigurations).
    if (nodePath !== '' && vscode.workspace.isTrusted) return new vscode.DebugAdapterExecutable(nodePath, [script]);
    if (nodePath !== '') log(`armvirt.debugAdapter.nodePath is ignored: the workspace is not trusted`);
    // The extension host's own runtime: Node (code-server, VS Code server) or Electron, which
    // behaves as Node with ELECTRON_RUN_AS_NODE.
    return new vscode.DebugAdapterExecutable(process.execPath, [script], { env: { ELECTRON_RUN_AS_NODE: '1' } });
  }
}

// ---------------------------------------------------------------- configuration provider

function activeAssemblyFile(): vscode.Uri | undefined {
  const candidates = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors];
  for (const e of candidates) {
    const doc = e?.document;
    if (doc && doc.uri.scheme === 'file' && (doc.languageId === LANGUAGE_ID || isAssemblyPath(doc.uri.fsPath))) return doc.uri;
  }
  return undefined;
}

function fileConfig(uri: vscode.Uri, noDebug = false): vscode.DebugConfiguration {
  return {
    type: DEBUG_TYPE, request: 'launch', name: `ArmVirt: ${noDebug ? 'run' : 'debug'} ${path.basename(uri.fsPath)}`,
    program: uri.fsPath, stopOnEntry: !noDebug, ...(noDebug ? { noDebug: true } : {}),
  };
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(): vscode.ProviderResult<vscode.DebugConfiguration[]> {
    return [{ type: DEBUG_TYPE, request: 'launch', name: 'ArmVirt: debug the active assembly file', program: '${file}', stopOnEntry: true }];
  }

  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    // F5 without a launch.json: debug the active assembly file.
    if (!config.type && !config.request && !config.name) {
      const uri = activeAssemblyFile();
      if (!uri) {
        void vscode.window.showErrorMessage('ArmVirt: open an AArch64 assembly file (.S, .s, .asm) or add a launch configuration with "program".');
        return undefined;
      }
      return fileConfig(uri);
    }
    if ((config.program === undefined || config.program === '') && config.kernel === undefined) {
      const uri = activeAssemblyFile();
      if (!uri) {
        void vscode.window.showErrorMessage(`ArmVirt (${config.name ?? 'launch'}): "program" is not set and no assembly file (.S, .s, .asm) is active.`);
        return undefined;
      }
      config.program = uri.fsPath;
    }
    return config;
  }

  resolveDebugConfigurationWithSubstitutedVariables(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('ArmVirt: debugging needs a trusted workspace (Workspaces: Manage Workspace Trust).');
      return undefined;
    }
    const base = folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
    const { config: checked, errors } = checkLaunchConfig(config, base, (f) => fs.existsSync(f));
    if (errors.length > 0) {
      const msg = `ArmVirt launch configuration '${config.name ?? ''}': ${errors.join('; ')}`;
      log(msg);
      void vscode.window.showErrorMessage(msg);
      return undefined;
    }
    return checked as vscode.DebugConfiguration;
  }
}

// ---------------------------------------------------------------- commands

function armvirtSession(): vscode.DebugSession | undefined {
  const s = vscode.debug.activeDebugSession;
  if (s?.type === DEBUG_TYPE) return s;
  void vscode.window.showInformationMessage('ArmVirt: no ArmVirt debug session is active.');
  return undefined;
}

async function startFile(uri: vscode.Uri | undefined, noDebug: boolean): Promise<boolean> {
  const target = uri instanceof vscode.Uri ? uri : activeAssemblyFile();
  if (!target) {
    void vscode.window.showErrorMessage('ArmVirt: no assembly file (.S, .s, .asm) to run.');
    return false;
  }
  return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(target), fileConfig(target, noDebug), { noDebug });
}

interface TraceRecordText { seq: number; cycle: number; pe: number; type: string; text: string }

async function showTrace(): Promise<number> {
  const s = armvirtSession();
  if (!s) return 0;
  const r = (await s.customRequest('armvirt/trace', { max: 500 })) as { records?: TraceRecordText[] } | undefined;
  const records = Array.isArray(r?.records) ? r.records : [];
  log(`---- machine events (${records.length}) ----`);
  for (const rec of records) log(`#${Number(rec.seq)} cycle ${Number(rec.cycle)} CPU${Number(rec.pe)} ${String(rec.type)}: ${String(rec.text)}`);
  output?.show(true);
  return records.length;
}

async function translateAddress(address?: string): Promise<string | undefined> {
  const s = armvirtSession();
  if (!s) return undefined;
  const addr = typeof address === 'string' ? address : await vscode.window.showInputBox({
    title: 'ArmVirt: translate an address', prompt: 'A virtual address (0x…), a register or a symbol',
    validateInput: (v) => (v.trim() === '' ? 'Enter an address' : undefined),
  });
  if (!addr) return undefined;
  // The adapter translates in the regime of the PE that stopped last.
  const r = (await s.customRequest('armvirt/translate', { address: addr.trim() })) as { text?: unknown } | undefined;
  const text = typeof r?.text === 'string' ? r.text : '(no result)';
  log(`---- translate ${addr.trim()} ----`);
  for (const line of text.split('\n')) log(line);
  output?.show(true);
  return text;
}

// ---------------------------------------------------------------- activation

export function activate(context: vscode.ExtensionContext): ArmVirtApi {
  output = vscode.window.createOutputChannel('ArmVirt');
  const provider = new ConfigurationProvider();
  context.subscriptions.push(
    output,
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new AdapterFactory(context)),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, {
      provideDebugConfigurations: () => {
        const uri = activeAssemblyFile();
        return uri ? [fileConfig(uri)] : [];
      },
    }, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.commands.registerCommand('armvirt.debugFile', (uri?: vscode.Uri) => startFile(uri, false)),
    vscode.commands.registerCommand('armvirt.runFile', (uri?: vscode.Uri) => startFile(uri, true)),
    vscode.commands.registerCommand('armvirt.showTrace', showTrace),
    vscode.commands.registerCommand('armvirt.translateAddress', translateAddress),
  );
  // The GIC, Timers, Page tables and Timeline webviews (armvirt.show* commands).
  const panels = registerPanels(context, log);
  // ArmVirt: Show Experiments (no debug session needed).
  const experiments = registerExperimentsPanel(context, log);
  // The guest's serial console as a terminal (launch attribute consoleTerminal; ArmVirt: Open Guest Console).
  const consoles = registerGuestConsoles(context, log);
  // The assembly language server (diagnostics, hover, completion, navigation). It only reads
  // files, so it runs in Restricted Mode too; a failure to start is reported, not fatal.
  startLanguageClient(context).then(
    (client) => context.subscriptions.push({ dispose: () => { void client.stop(); } }),
    (e: unknown) => output?.appendLine(`ArmVirt: the assembly language server did not start: ${String(e)}`),
  );
  return { lastAdapterKind: () => adapterKind, outputLines: () => outputLog, panelMessages: (k) => panels.messages(k), experimentsMessages: () => experiments.messages, guestConsole: (s) => consoles.terminalOf(s) };
}

export function deactivate(): void {
  output = undefined;
}
