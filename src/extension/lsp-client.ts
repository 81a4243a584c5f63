// Starts the AArch64 assembly language server (dist/lspServer.js, built from src/lsp/server.ts)
// with vscode-languageclient. activate() calls startLanguageClient(context) once.
//
// The server runs the built-in assembler over open documents (unsaved text included) and the
// files they .include; it only reads files, so it also runs in Restricted Mode.
//
// Settings read (section `armvirt.asm`, to be contributed in package.json):
//   armvirt.asm.includePaths: string[]            extra .include / #include directories
//   armvirt.asm.defines: Record<string, string>   -D definitions for .S files
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export const LSP_LANGUAGE_ID = 'aarch64-asm';
const SETTINGS_SECTION = 'armvirt.asm';

/** Relative include paths are taken from the first workspace folder. */
function serverSettings(): { includePaths: string[]; defines: Record<string, string> } {
  const cfg = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const includePaths = (cfg.get<string[]>('includePaths') ?? [])
    .filter((p) => typeof p === 'string' && p.trim() !== '')
    .map((p) => (path.isAbsolute(p) || !root ? p : path.join(root, p)));
  const defines = cfg.get<Record<string, string>>('defines') ?? {};
  return { includePaths, defines };
}

export async function startLanguageClient(context: vscode.ExtensionContext): Promise<LanguageClient> {
  const module = context.asAbsolutePath(path.join('dist', 'lspServer.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  // Included files edited outside the editor trigger re-analysis of the files that include them.
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.{s,S,asm,inc,h}');
  context.subscriptions.push(watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: LSP_LANGUAGE_ID },
      { scheme: 'untitled', language: LSP_LANGUAGE_ID },
    ],
    initializationOptions: serverSettings(),
    synchronize: { fileEvents: watcher },
    diagnosticCollectionName: 'armvirt-as',
  };
  const client = new LanguageClient('armvirtAsm', 'ArmVirt AArch64 Assembly', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
      void client.sendNotification('workspace/didChangeConfiguration', { settings: { armvirt: { asm: serverSettings() } } });
    }),
    { dispose: () => void client.stop() },
  );
  await client.start();
  return client;
}
