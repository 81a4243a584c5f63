// The guest's serial console as a VS Code terminal ("ArmVirt: guest console"), the way QEMU's
// `-serial stdio` or a minicom window works: what the guest prints to its console (the adapter's
// `stdout` output events: PL011 or virtio console) is written to the terminal, and what is typed
// there goes to the guest's console input through the adapter's `armvirt/consoleInput` request.
// The Debug Console keeps showing the same output.
//
// Like a serial line, the terminal does not echo locally and sends Enter as CR: the guest's tty
// layer (Linux's ICRNL) or its own code decides what a CR means. Output is written with LF → CRLF,
// as a terminal in raw mode needs. Nothing received from the guest is interpreted beyond that.
import * as vscode from 'vscode';

/** Output kept per session for a terminal opened after it (bytes of text, newest kept). */
const BACKLOG_MAX = 1 << 20;

class GuestTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private opened = false;
  private ended = false;
  terminal: vscode.Terminal | undefined;

  constructor(private readonly session: vscode.DebugSession, private readonly backlog: () => string, private readonly onInputError: (m: string) => void) {}

  open(): void {
    this.opened = true;
    const b = this.backlog();
    if (b) this.writeEmitter.fire(toTerminal(b));
    if (this.ended) this.writeEmitter.fire('\r\n[the debug session has ended]\r\n');
  }

  close(): void { this.opened = false; }

  write(text: string): void {
    if (this.opened) this.writeEmitter.fire(toTerminal(text));
  }

  handleInput(data: string): void {
    if (this.ended) return;
    this.session.customRequest('armvirt/consoleInput', { text: data }).then(undefined, (e: unknown) => {
      this.onInputError(e instanceof Error ? e.message : String(e));
    });
  }

  sessionEnded(): void {
    this.ended = true;
    if (this.opened) this.writeEmitter.fire('\r\n[the debug session has ended]\r\n');
  }
}

function toTerminal(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Does this launch configuration want the terminal opened at start? `consoleTerminal`, else on for kernels. */
export function wantsConsoleTerminal(config: vscode.DebugConfiguration): boolean {
  if (typeof config.consoleTerminal === 'boolean') return config.consoleTerminal;
  return typeof config.kernel === 'string' && config.kernel !== '';
}

export class GuestConsoles implements vscode.Disposable {
  private readonly backlogs = new Map<string, string[]>();
  private readonly sizes = new Map<string, number>();
  private readonly terminals = new Map<string, GuestTerminal>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: (line: string) => void) {
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('armvirt', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (m: { type?: string; event?: string; body?: { category?: string; output?: string } }) => {
            if (m?.type === 'event' && m.event === 'output' && m.body?.category === 'stdout' && typeof m.body.output === 'string') this.output(session, m.body.output);
          },
        }),
      }),
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === 'armvirt' && wantsConsoleTerminal(s.configuration)) this.open(s, false);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.terminals.get(s.id)?.sessionEnded();
        this.terminals.delete(s.id);
        this.backlogs.delete(s.id);
        this.sizes.delete(s.id);
      }),
      vscode.window.onDidCloseTerminal((t) => {
        for (const [id, g] of this.terminals) if (g.terminal === t) this.terminals.delete(id);
      }),
    );
  }

  private output(session: vscode.DebugSession, text: string): void {
    const b = this.backlogs.get(session.id) ?? [];
    b.push(text);
    let size = (this.sizes.get(session.id) ?? 0) + text.length;
    while (size > BACKLOG_MAX && b.length > 1) size -= b.shift()!.length;
    this.backlogs.set(session.id, b);
    this.sizes.set(session.id, size);
    this.terminals.get(session.id)?.write(text);
  }

  /** Opens (or shows) the guest console terminal of `session`. */
  open(session: vscode.DebugSession, focus = true): vscode.Terminal {
    const existing = this.terminals.get(session.id);
    if (existing?.terminal) {
      existing.terminal.show(!focus);
      return existing.terminal;
    }
    const pty = new GuestTerminal(session, () => (this.backlogs.get(session.id) ?? []).join(''), (m) => this.log(`guest console input not delivered: ${m}`));
    const terminal = vscode.window.createTerminal({ name: `ArmVirt: guest console (${session.name})`, pty });
    pty.terminal = terminal;
    this.terminals.set(session.id, pty);
    terminal.show(!focus);
    return terminal;
  }

  /** The open terminal of a session, for tests. */
  terminalOf(session: vscode.DebugSession): vscode.Terminal | undefined { return this.terminals.get(session.id)?.terminal; }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export function registerGuestConsoles(context: vscode.ExtensionContext, log: (line: string) => void): GuestConsoles {
  const consoles = new GuestConsoles(log);
  context.subscriptions.push(
    consoles,
    vscode.commands.registerCommand('armvirt.openGuestConsole', () => {
      const s = vscode.debug.activeDebugSession;
      if (!s || s.type !== 'armvirt') {
        void vscode.window.showInformationMessage('ArmVirt: no ArmVirt debug session is active');
        return;
      }
      consoles.open(s, true);
    }),
  );
  return consoles;
}
